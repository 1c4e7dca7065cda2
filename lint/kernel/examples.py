"""Running the examples of a rule: each `flag` sentence must be flagged by the rule (at exactly the marked spans,
when marked), each `pass` sentence must not be. The test suite runs those of the shipped packs, and
`healthlint test-rules` those of a user's."""

from __future__ import annotations

from lint.core.document import Document
from lint.core.examples import ExampleFailure, mark, unmark
from lint.core.language import LanguagePack
from lint.kernel.engine import LintConfig, check_document
from lint.kernel.ruleset import Rule, RuleSet


def rule_failures(rule: Rule, rules: RuleSet, language: LanguagePack) -> list[ExampleFailure]:
    """The examples of `rule` that do not do what they say, linted with `rules` and `language`."""
    config = LintConfig(rules=rules, select=frozenset({rule.id}))
    failures: list[ExampleFailure] = []

    def spans(text: str) -> list[tuple[int, int]]:
        result = check_document(Document(text, language=language), config)
        return [(f.start, f.end) for f in result.findings if f.rule == rule.id]

    for example in rule.examples.flag:
        text, marked = unmark(example)
        found = spans(text)
        if (marked and found != marked) or not found:
            expected = f"findings at {mark(text, marked)}" if marked else "a finding"
            failures.append(_failure(rule, example, expected, mark(text, found) if found else "none"))
    for example in rule.examples.passing:
        found = spans(example)
        if found:
            failures.append(_failure(rule, example, "no finding", mark(example, found)))
    return failures


def _failure(rule: Rule, example: str, expected: str, found: str) -> ExampleFailure:
    return ExampleFailure(rule.id, rule.path, rule.line, example, expected, found)
