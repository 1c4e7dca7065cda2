"""SARIF 2.1.0 output for code-scanning interfaces.

`sarif_result` and `sarif_notification` build one result and one tool notification from the JSON form of a
finding (`finding_to_dict`); `format_sarif` and the streamed log of `healthlint scan` both use them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lint.core.finding import Severity
from lint.core.version import __version__
from lint.formatters.json import finding_to_dict
from lint.formatters.report import FileReport
from lint.io.labels import load_labels

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_LEVEL_OF_LABEL = {severity.label: level for severity, level in LEVELS.items()}


def _uri(path: str) -> str:
    return Path(path).as_posix()


def sarif_result(finding: Mapping[str, Any], uri: str, rule_index: int | None = None) -> dict[str, object]:
    """The SARIF result for one finding in its JSON form, located in the artifact `uri`."""
    region: dict[str, object] = {
        "startLine": finding["line"],
        "startColumn": finding["column"],
        "endLine": finding["end_line"],
        "endColumn": finding["end_column"],
        "charOffset": finding["start"],
        "charLength": finding["end"] - finding["start"],
    }
    if finding["text"]:
        region["snippet"] = {"text": finding["text"]}
    result: dict[str, object] = {"ruleId": finding["rule"]}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result.update(
        {
            "level": _LEVEL_OF_LABEL[finding["severity"]],
            "message": {
                "text": f"{finding['message']} {load_labels().ui['suggestion_short']}: {finding['suggestion']}"
            },
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
            "properties": {"category": finding["category"], "basis": finding["basis"]},
        }
    )
    if finding["related"]:
        result["relatedLocations"] = [
            {
                "id": index,
                "message": {"text": _related_message(related)},
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"charOffset": related["start"], "charLength": related["end"] - related["start"]},
                },
            }
            for index, related in enumerate(finding["related"])
        ]
    return result


def _related_message(related: Mapping[str, object]) -> str:
    """A related location's message: its role and text, and for a trial result its verdict and figures."""
    text = f"{related['role']}: {related['text']}"
    if related.get("verdict"):
        text += f" [{related['verdict']}]"
    return text


def sarif_notification(uri: str, message: str) -> dict[str, object]:
    """A tool notification for an input that could not be linted."""
    return {
        "level": "error",
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
    }


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
        "results": [sarif_result(finding_to_dict(f), _uri(r.path), index[f.rule]) for r in reports for f in r.findings],
        "invocations": [
            {
                "executionSuccessful": not any(r.error for r in reports),
                "toolExecutionNotifications": [
                    sarif_notification(_uri(report.path), report.error) for report in reports if report.error
                ],
            }
        ],
    }
    payload = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
