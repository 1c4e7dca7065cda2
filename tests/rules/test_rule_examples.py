"""Every example of every shipped rule: `flag` sentences must be flagged (at the marked spans), `pass` must not."""

from __future__ import annotations

import pytest

from lint import LintConfig, lint
from lint.core.examples import unmark
from lint.io.rulepack import default_rule_set

RULES = list(default_rule_set())
FLAG_CASES = [(rule.id, text) for rule in RULES for text in rule.examples.flag]
PASS_CASES = [(rule.id, text) for rule in RULES for text in rule.examples.passing]


def _spans(rule_id: str, text: str) -> list[tuple[int, int]]:
    config = LintConfig(select=frozenset({rule_id}))
    return [(f.start, f.end) for f in lint(text, config) if f.rule == rule_id]


def test_every_rule_has_examples() -> None:
    bare = [rule.id for rule in RULES if not rule.examples.flag]
    assert bare == []
    assert len(RULES) >= 20


@pytest.mark.parametrize(("rule_id", "example"), FLAG_CASES, ids=[f"{r}:{i}" for i, (r, _) in enumerate(FLAG_CASES)])
def test_flag_example(rule_id: str, example: str) -> None:
    text, marked = unmark(example)
    found = _spans(rule_id, text)
    if marked:
        assert found == marked, f"{rule_id} on {text!r}: expected {marked}, got {found}"
    else:
        assert found, f"{rule_id} did not flag {text!r}"


@pytest.mark.parametrize(("rule_id", "example"), PASS_CASES, ids=[f"{r}:{i}" for i, (r, _) in enumerate(PASS_CASES)])
def test_pass_example(rule_id: str, example: str) -> None:
    assert _spans(rule_id, example) == [], f"{rule_id} flagged {example!r}"
