"""Applying the safe replacements that rules declare (`fix:` in a rule pack)."""

from __future__ import annotations

from collections.abc import Sequence

from lint.analysis.scope import cited_title
from lint.core.document import Document
from lint.core.finding import Finding


def apply_fixes(doc: Document, findings: Sequence[Finding]) -> tuple[str, list[Finding]]:
    """Replace every fixable finding's span; return the new text and the findings that were fixed.

    Overlapping fixes keep the leftmost; text inside a cited title 《…》 is never touched, and suppressed
    findings never reach this function.
    """
    pieces: list[str] = []
    fixed: list[Finding] = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.sort_key):
        if finding.fix is None or finding.end <= finding.start or finding.start < cursor:
            continue
        if cited_title(doc, finding.start, finding.end):
            continue
        pieces.append(doc.text[cursor : finding.start])
        pieces.append(finding.fix)
        cursor = finding.end
        fixed.append(finding)
    pieces.append(doc.text[cursor:])
    return "".join(pieces), fixed


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file's fixes."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
