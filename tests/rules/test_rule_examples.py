"""Every example of every shipped rule: `flag` sentences must be flagged (at the marked spans), `pass` must not."""

from __future__ import annotations

import pytest

from lint.io.language import default_language
from lint.io.rulepack import default_rule_set
from lint.kernel.examples import rule_failures

RULES = default_rule_set()


def test_every_rule_has_examples() -> None:
    bare = [rule.id for rule in RULES if not rule.examples.flag]
    assert bare == []
    assert len(RULES) >= 20


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_rule_examples(rule_id: str) -> None:
    rule = RULES.get(rule_id)
    assert rule is not None
    assert [failure.describe() for failure in rule_failures(rule, RULES, default_language())] == []
