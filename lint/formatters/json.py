"""The versioned JSON output (schema documented in README.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

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


def _file_to_dict(report: FileReport) -> dict[str, object]:
    return {
        "path": report.path,
        "error": report.error,
        "note": report.note,
        "problems": list(report.problems),
        "findings": [finding_to_dict(f) for f in report.findings],
    }


def json_payload(reports: Sequence[FileReport]) -> dict[str, object]:
    """Every scanned file, with its findings sorted by offset (or its error), as a JSON-ready object."""
    return {"version": SCHEMA_VERSION, "files": [_file_to_dict(report) for report in reports]}


def json_chunks(reports: Iterable[FileReport]) -> Iterator[str]:
    """The indented JSON document of `json_payload`, one file at a time (the same text as `format_json`), so a
    batch of thousands of files is written without building the whole document in memory."""
    yield f'{{\n  "version": {json.dumps(SCHEMA_VERSION)},\n  "files": ['
    separator = "\n"
    for report in reports:
        body = json.dumps(_file_to_dict(report), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield f"{separator}    {body}"
        separator = ",\n"
    yield "\n  ]\n}\n" if separator != "\n" else "]\n}\n"


def format_json(reports: Sequence[FileReport]) -> str:
    """The JSON document of `json_payload`, indented."""
    return "".join(json_chunks(reports))
