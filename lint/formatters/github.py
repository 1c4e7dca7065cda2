"""GitHub Actions workflow annotations (`::error file=…,line=…::message`)."""

from __future__ import annotations

from collections.abc import Sequence

from lint.core.finding import Severity
from lint.formatters.report import FileReport
from lint.io.labels import load_labels

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(reports: Sequence[FileReport]) -> str:
    """One annotation per finding, and one per file that could not be read."""
    suggestion = load_labels().ui["suggestion_short"]
    lines: list[str] = []
    for report in reports:
        if report.error:
            lines.append(f"::error file={_property(report.path)},title=healthlint::{_data(report.error)}")
            continue
        for f in report.findings:
            place = f"file={_property(report.path)},line={f.line},col={f.column},endLine={f.end_line},endColumn={f.end_column}"
            lines.append(
                f"::{COMMANDS[f.severity]} {place},title={_property(f.rule)}::{_data(f.message + ' ' + suggestion + ': ' + f.suggestion)}"
            )
    return "\n".join(lines) + ("\n" if lines else "")
