"""Inline suppressions: `<!-- healthlint-disable … -->`, `-enable`, `-disable-next-line`, and `# …` for plain text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from lint.core.finding import Finding

_HTML_FORM = regex.compile(r"<!--\s*healthlint-(disable-next-line|disable|enable)\b(?P<names>[^>]*?)\s*-->")
_LINE_FORM = regex.compile(r"^\s*(?:#|//|%|;)\s*healthlint-(disable-next-line|disable|enable)\b(?P<names>.*?)\s*$")


@dataclass
class Directive:
    """One suppression comment: what it does, which rules/packs/categories it names, and where it is."""

    action: str
    names: frozenset[str]
    line: int
    used: bool = field(default=False, compare=False)

    def covers(self, finding: Finding) -> bool:
        return not self.names or bool({finding.rule, finding.rule.split(".", 1)[0], finding.category} & self.names)

    def describe(self) -> str:
        target = ", ".join(sorted(self.names)) or "all rules"
        return f"line {self.line}: healthlint-{self.action} ({target}) suppressed nothing"


def directives(text: str) -> list[Directive]:
    """All suppression directives of `text`, in order."""
    found: list[Directive] = []
    for number, line in enumerate(text.split("\n"), start=1):
        for match in (*_HTML_FORM.finditer(line), *filter(None, [_LINE_FORM.match(line)])):
            names = frozenset(n for n in regex.split(r"[\s,]+", match.group("names").strip()) if n)
            found.append(Directive(match.group(1), names, number))
    return found


def _disabled_by(finding: Finding, rules: Sequence[Directive]) -> Directive | None:
    if finding.end <= finding.start:
        return next((d for d in rules if d.action == "disable" and d.covers(finding)), None)
    active: Directive | None = None
    for directive in rules:
        if directive.line > finding.line:
            break
        if directive.action == "disable" and directive.covers(finding):
            active = directive
        elif directive.action == "enable" and active is not None and (not directive.names or directive.covers(finding)):
            active = None
        elif (
            directive.action == "disable-next-line" and directive.line == finding.line - 1 and directive.covers(finding)
        ):
            return directive
    return active


def apply_suppressions(text: str, findings: Sequence[Finding]) -> tuple[list[Finding], list[Directive]]:
    """Drop suppressed findings; return the rest and the directives that suppressed nothing."""
    rules = directives(text)
    if not rules:
        return list(findings), []
    kept: list[Finding] = []
    for finding in findings:
        directive = _disabled_by(finding, rules)
        if directive is None:
            kept.append(finding)
        else:
            directive.used = True
    return kept, [d for d in rules if d.action != "enable" and not d.used]
