"""Inline suppressions: `<!-- healthlint-disable … -->`, `-enable`, `-disable-next-line`, and `# …` for plain text.

Both passes are linear: directives are read with one scan per line, and findings are matched against them
in one sweep per rule (a rule's findings and the directives that can cover it, both in line order).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import field

import regex

from lint.core.compiled import compile_regex
from lint.core.finding import Finding
from lint.core.lines import split_lines
from lint.core.records import record

_MARKER = "healthlint-"
_BODY = compile_regex(r"^\s*healthlint-(disable-next-line|disable|enable)\b(?P<names>.*)", regex.DOTALL)
_LINE_FORM = compile_regex(r"^\s*(?:#|//|%|;)\s*healthlint-(disable-next-line|disable|enable)\b(?P<names>.*)")
_SEPARATORS = compile_regex(r"[\s,]+")


@record
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


def _directive(match: regex.Match[str], number: int) -> Directive:
    names = frozenset(n for n in _SEPARATORS.split(match.group("names").strip()) if n)
    return Directive(match.group(1), names, number)


def _html_comments(line: str) -> list[str]:
    """The bodies of the `<!-- … -->` comments of one line, left to right (each character looked at once)."""
    bodies: list[str] = []
    position = 0
    while (opening := line.find("<!--", position)) >= 0:
        closing = line.find("-->", opening + 4)
        if closing < 0:
            break
        bodies.append(line[opening + 4 : closing])
        position = closing + 3
    return bodies


def directives(text: str) -> list[Directive]:
    """All suppression directives of `text`, in order."""
    found: list[Directive] = []
    for number, line in enumerate(split_lines(text), start=1):
        if _MARKER not in line:
            continue
        for body in _html_comments(line):
            match = _BODY.match(body)
            if match and ">" not in body:
                found.append(_directive(match, number))
        match = _LINE_FORM.match(line)
        if match:
            found.append(_directive(match, number))
    return found


def _sweep(findings: list[Finding], rules: Sequence[Directive]) -> list[Directive | None]:
    """For findings of one rule (in line order) and the directives that can cover that rule, the directive
    that suppresses each finding, or None."""
    first_disable = next((d for d in rules if d.action == "disable"), None)
    next_line: dict[int, Directive] = {}
    for directive in rules:
        if directive.action == "disable-next-line":
            next_line.setdefault(directive.line + 1, directive)
    verdicts: list[Directive | None] = []
    active: Directive | None = None
    cursor = 0
    for finding in findings:
        if finding.end <= finding.start:
            verdicts.append(first_disable)
            continue
        while cursor < len(rules) and rules[cursor].line <= finding.line:
            directive = rules[cursor]
            if directive.action == "disable":
                active = directive
            elif directive.action == "enable":
                active = None
            cursor += 1
        verdicts.append(next_line.get(finding.line, active))
    return verdicts


def apply_suppressions(text: str, findings: Sequence[Finding]) -> tuple[list[Finding], list[Directive]]:
    """Drop suppressed findings; return the rest (in their order) and the directives that suppressed nothing."""
    rules = directives(text)
    if not rules:
        return list(findings), []
    by_rule: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, finding in enumerate(findings):
        by_rule[(finding.rule, finding.category)].append(index)
    suppressed = [False] * len(findings)
    for indices in by_rule.values():
        sample = findings[indices[0]]
        relevant = [d for d in rules if d.covers(sample)]
        ordered = sorted(indices, key=lambda i: findings[i].line)
        for index, directive in zip(ordered, _sweep([findings[i] for i in ordered], relevant), strict=True):
            if directive is not None:
                directive.used = True
                suppressed[index] = True
    kept = [finding for finding, dropped in zip(findings, suppressed, strict=True) if not dropped]
    return kept, [d for d in rules if d.action != "enable" and not d.used]
