"""The versioned JSON output (schema documented in README.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from lint.core.finding import Finding
from lint.formatters.report import FileReport

SCHEMA_VERSION = "1.0"


def finding_to_dict(finding: Finding) -> dict[str, object]:
    """The JSON object for one finding."""
    return {
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity.label,
        "start": finding.start,
        "end": finding.end,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "text": finding.text,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "basis": finding.basis,
        "fix": finding.fix,
        "related": [
            {
                "role": r.role,
                "start": r.start,
                "end": r.end,
                "text": r.text,
                "verdict": r.verdict,
                "figures": list(r.figures),
            }
            for r in finding.related
        ],
    }


def json_payload(reports: Sequence[FileReport]) -> dict[str, object]:
    """Every scanned file, with its findings sorted by offset (or its error), as a JSON-ready object."""
    return {
        "version": SCHEMA_VERSION,
        "files": [
            {
                "path": report.path,
                "error": report.error,
                "note": report.note,
                "problems": list(report.problems),
                "findings": [finding_to_dict(f) for f in report.findings],
            }
            for report in reports
        ],
    }


def format_json(reports: Sequence[FileReport]) -> str:
    """The JSON document of `json_payload`, indented."""
    return json.dumps(json_payload(reports), ensure_ascii=False, indent=2) + "\n"
