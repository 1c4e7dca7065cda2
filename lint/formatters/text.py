"""Human-readable output in the style of ruff: location, rule, message, then the line with the span marked."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from lint.core.finding import Finding, Severity
from lint.core.lines import split_lines
from lint.formatters.report import FileReport, severity_counts
from lint.io.labels import load_labels

_CONTEXT = 36


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _excerpt(text: str, finding: Finding) -> list[str]:
    lines = split_lines(text)
    if finding.start == finding.end or finding.line > len(lines):
        return []
    line = lines[finding.line - 1]
    start = finding.column - 1
    end = len(line) if finding.end_line > finding.line else min(len(line), finding.end_column - 1)
    left = max(0, start - _CONTEXT)
    right = min(len(line), end + _CONTEXT)
    prefix = "…" if left else ""
    shown = prefix + line[left:right] + ("…" if right < len(line) else "")
    gutter = " " * len(str(finding.line))
    marker = " " * _width(prefix + line[left:start]) + "^" * max(1, _width(line[start:end]))
    return [f"{gutter} |", f"{finding.line} | {shown}", f"{gutter} | {marker}"]


def format_text(reports: Sequence[FileReport]) -> str:
    """Findings per file, each with its line excerpt, suggestion and legal basis, then a summary."""
    labels = load_labels()
    out: list[str] = []
    for report in reports:
        if report.error:
            out.append(f"{report.path}: error: {report.error}")
            continue
        for problem in report.problems:
            out.append(f"{report.path}: warning: {problem}")
        for finding in report.findings:
            out.append(
                f"{report.path}:{finding.line}:{finding.column}: {finding.severity.label} {finding.rule} "
                f"[{finding.category}] {finding.message}"
            )
            out.extend(_excerpt(report.text, finding))
            out.append(f"  = {labels.ui['suggestion_short']}: {finding.suggestion}")
            out.append(f"  = {labels.ui['basis_short']}: {finding.basis}")
            out.append("")
    counts = severity_counts(reports)
    total = sum(counts.values())
    errored = sum(1 for r in reports if r.error)
    summary = (
        f"{total} finding{'s' if total != 1 else ''} "
        f"({counts[Severity.ERROR]} error, {counts[Severity.WARNING]} warning, {counts[Severity.INFO]} info) "
        f"in {len(reports)} file{'s' if len(reports) != 1 else ''}"
    )
    if errored:
        summary += f"; {errored} file{'s' if errored != 1 else ''} could not be read"
    out.append(summary)
    return "\n".join(out) + "\n"
