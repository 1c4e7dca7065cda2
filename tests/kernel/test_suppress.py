from lint import LintConfig, check_document, lint
from tests.helpers import document


def _rules(text: str, syntax: str = "text") -> list[str]:
    return [f.rule for f in lint(text, LintConfig(ignore=frozenset({"missing_disclaimer"})), syntax=syntax)]  # type: ignore[arg-type]


def test_markdown_block_disable_and_enable() -> None:
    text = "干细胞可以根治狼疮。\n<!-- healthlint-disable cure_or_guarantee -->\n干细胞可以根治狼疮。\n<!-- healthlint-enable -->\n干细胞可以根治狼疮。\n"
    found = lint(text, LintConfig(select=frozenset({"cure_or_guarantee"})), syntax="markdown")
    assert [f.line for f in found] == [1, 5]


def test_disable_next_line_by_rule_id() -> None:
    text = "<!-- healthlint-disable-next-line overclaim.hype-term -->\n这是患者的福音，可以根治。\n这是患者的福音。\n"
    found = [(f.rule, f.line) for f in lint(text, LintConfig(select=frozenset({"overclaim", "cure_or_guarantee"})))]
    assert found == [("cure_or_guarantee.cure-term", 2), ("overclaim.hype-term", 3)]


def test_plain_text_marker() -> None:
    text = "# healthlint-disable-next-line\n干细胞可以根治狼疮，是福音。\n"
    assert _rules(text) == []


def test_document_level_finding_can_be_disabled() -> None:
    text = "<!-- healthlint-disable missing_disclaimer -->\n干细胞疗法可以改善症状。\n"
    assert lint(text, LintConfig(select=frozenset({"missing_disclaimer"}))) == []


def test_unused_disables_are_reported() -> None:
    text = "<!-- healthlint-disable spin -->\n今天天气很好。请遵医嘱。\n<!-- healthlint-disable-next-line -->\n干细胞可以根治狼疮。\n"
    result = check_document(document(text), LintConfig(report_unused_disables=True))
    assert result.problems == ["line 1: healthlint-disable (spin) suppressed nothing"]
    assert result.findings == []
