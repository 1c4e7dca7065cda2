"""What every rule kind shares (`lint.kinds.base.RuleKind`)."""

from lint.kinds import KINDS


def test_a_rules_patterns_are_the_regexes_among_its_parameters_in_order() -> None:
    rule = KINDS["pattern"]({"patterns": ["根治\\w{0,3}", "包治"], "exceptions": ["不"]})
    assert [pattern.pattern for pattern in rule.patterns()] == ["根治\\w{0,3}", "包治", "不"]


def test_a_rule_without_regex_parameters_has_no_patterns() -> None:
    assert list(KINDS["lexicon"]({"terms": ["根治", "治愈"]}).patterns()) == []
