"""SARIF 2.1.0 output for code-scanning interfaces."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from lint import __version__
from lint.finding import Finding, Severity
from lint.report import FileReport

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    return Path(path).as_posix()


def _region(finding: Finding, text: str) -> dict[str, object]:
    region: dict[str, object] = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "charOffset": finding.start,
        "charLength": finding.end - finding.start,
    }
    if finding.text:
        region["snippet"] = {"text": finding.text}
    return region


def _result(report: FileReport, finding: Finding, rule_index: int) -> dict[str, object]:
    location = {
        "physicalLocation": {"artifactLocation": {"uri": _uri(report.path)}, "region": _region(finding, report.text)}
    }
    result: dict[str, object] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message} 建议: {finding.suggestion}"},
        "locations": [location],
        "properties": {"category": finding.category, "basis": finding.basis},
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": index,
                "message": {"text": f"{related.role}: {related.text}"},
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(report.path)},
                    "region": {"charOffset": related.start, "charLength": related.end - related.start},
                },
            }
            for index, related in enumerate(finding.related)
        ]
    return result


def format_sarif(reports: Sequence[FileReport]) -> str:
    """One SARIF run: the rules that fired, every result, and unreadable files as notifications."""
    rule_ids = sorted({f.rule for r in reports for f in r.findings})
    first = {rule: next(f for r in reports for f in r.findings if f.rule == rule) for rule in rule_ids}
    rules = [
        {
            "id": rule,
            "shortDescription": {"text": rule},
            "help": {"text": f"{first[rule].suggestion} ({first[rule].basis})"},
            "defaultConfiguration": {"level": LEVELS[first[rule].severity]},
            "properties": {"category": first[rule].category, "basis": first[rule].basis},
        }
        for rule in rule_ids
    ]
    index = {rule: i for i, rule in enumerate(rule_ids)}
    run = {
        "tool": {
            "driver": {
                "name": "healthlint",
                "version": __version__,
                "informationUri": "https://pypi.org/project/healthlint/",
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(r, f, index[f.rule]) for r in reports for f in r.findings],
        "invocations": [
            {
                "executionSuccessful": not any(r.error for r in reports),
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": report.error},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(report.path)}}}],
                    }
                    for report in reports
                    if report.error
                ],
            }
        ],
    }
    payload = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
