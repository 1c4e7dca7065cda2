"""Per-file results, the unit every formatter consumes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import field

from lint.core.finding import Finding, Severity
from lint.core.records import record


@record(frozen=True, slots=True)
class FileReport:
    """What linting one file produced: its text, findings, or the reason it could not be read.

    `headings` are the code-point spans of the text's heading lines, so that a page can show them as headings.
    """

    path: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    text: str = ""
    note: str | None = None
    problems: tuple[str, ...] = field(default=())
    encoding: str | None = None
    headings: tuple[tuple[int, int], ...] = field(default=())


def severity_counts(reports: Sequence[FileReport]) -> Counter[Severity]:
    """Count findings by severity across `reports`."""
    return Counter(finding.severity for report in reports for finding in report.findings)
