from collections.abc import Callable
from pathlib import Path

from lint import LintConfig, check_document, lint
from lint.core.finding import Severity
from lint.io.rulepack import default_packs, load_pack, load_packs
from lint.kernel.ruleset import RuleSet
from tests.helpers import document


def test_findings_have_exact_spans_positions_and_explanations() -> None:
    text = "标题\n干细胞可以根治红斑狼疮，而且无副作用。"
    findings = lint(text)
    by_rule = {f.rule: f for f in findings}
    cure = by_rule["cure_or_guarantee.cure-term"]
    assert (cure.start, cure.end, cure.text) == (8, 10, "根治")
    assert (cure.line, cure.column, cure.end_line, cure.end_column) == (2, 6, 2, 8)
    assert cure.severity is Severity.ERROR and cure.category == "cure_or_guarantee"
    assert cure.message.startswith("“根治”")
    assert "《广告法》第十六条" in cure.basis
    safety = by_rule["safety_overclaim.no-side-effect"]
    assert text[safety.start : safety.end] == "无副作用"


def test_findings_are_sorted_and_deterministic() -> None:
    text = "干细胞是革命性的，可以根治狼疮、逆转肾损伤，绝对安全。"
    first = lint(text)
    assert [f.start for f in first] == sorted(f.start for f in first)
    assert first == lint(text)


def test_traditional_full_width_and_evasion_map_to_original_offsets() -> None:
    text = "ＭＳＣ幹細胞可以根 治狼瘡，絕對安全。"
    spans = {f.rule: text[f.start : f.end] for f in lint(text)}
    assert spans["cure_or_guarantee.cure-term"] == "根 治"
    assert spans["safety_overclaim.no-side-effect"] == "絕對安全"


def test_selection_by_category_pack_and_id() -> None:
    text = "干细胞可以根治狼疮，绝对安全，是患者的福音。"
    only_cure = lint(text, LintConfig(select=frozenset({"cure_or_guarantee"})))
    assert {f.category for f in only_cure} == {"cure_or_guarantee"}
    without_hype = lint(text, LintConfig(ignore=frozenset({"overclaim.hype-term"})))
    assert "overclaim.hype-term" not in {f.rule for f in without_hype}
    errors_only = lint(text, LintConfig(min_severity=Severity.ERROR))
    assert all(f.severity is Severity.ERROR for f in errors_only)
    assert "overclaim.hype-term" in {f.rule for f in lint(text)}


def test_references_are_not_linted() -> None:
    text = "参考资料:\n[1] Stem cells reverse disease: a miracle cure 根治.\n"
    assert lint(text, LintConfig(ignore=frozenset({"missing_disclaimer"}))) == []


def test_missing_disclaimer_is_document_level() -> None:
    without = lint("干细胞疗法可以改善症状。", LintConfig(select=frozenset({"missing_disclaimer"})))
    assert [(f.rule, f.start, f.end, f.line, f.column) for f in without] == [
        ("missing_disclaimer.medical-advice", 0, 0, 1, 1)
    ]
    with_notice = lint("干细胞疗法可以改善症状。请遵医嘱。", LintConfig(select=frozenset({"missing_disclaimer"})))
    assert with_notice == []


def test_markdown_code_is_skipped(fixtures: Path) -> None:
    text = (fixtures / "article.md").read_text(encoding="utf-8")
    found = [(f.rule, text[f.start : f.end]) for f in lint(text, syntax="markdown")]
    assert ("overclaim.hype-term", "革命性") in found
    assert ("cure_or_guarantee.cure-term", "根 治") in found
    assert ("safety_overclaim.no-side-effect", "无副作用") in found
    assert sum(1 for rule, _ in found if rule == "safety_overclaim.no-side-effect") == 1
    assert sum(1 for rule, _ in found if rule == "cure_or_guarantee.cure-term") == 1
    assert not any(rule.startswith("missing_disclaimer") for rule, _ in found)


def test_extra_pack_is_loaded_with_defaults(fixtures: Path) -> None:
    rules = RuleSet(load_packs([fixtures / "extra"]) + default_packs())
    found = lint("这是神仙细胞。", LintConfig(rules=rules, select=frozenset({"house"})))
    assert [(f.rule, f.text, f.severity) for f in found] == [("house.miracle-cell", "神仙细胞", Severity.ERROR)]


def test_regex_timeout_is_reported_and_other_rules_go_on(tmp_path: Path) -> None:
    pack = tmp_path / "slow.yaml"
    pack.write_text(
        "pack: slow\nrules:\n  - id: slow.catastrophic\n    category: overclaim\n    severity: warning\n"
        "    message: m\n    suggestion: s\n    basis: b\n    kind: pattern\n    patterns: ['(a|a)+b']\n"
        "    examples: {flag: [ab]}\n",
        encoding="utf-8",
    )
    rules = RuleSet((load_pack(pack), *default_packs()))
    text = "a" * 40 + "。干细胞可以根治狼疮。"
    result = check_document(document(text), LintConfig(rules=rules, regex_timeout=0.05))
    assert result.problems and "slow.catastrophic" in result.problems[0] and "timed out" in result.problems[0]
    assert "cure_or_guarantee.cure-term" in {f.rule for f in result.findings}


def test_empty_text_has_no_findings() -> None:
    assert lint("") == []


def _house_pack(tmp_path: Path, rules: list[tuple[str, str, list[str], list[str]]]) -> Path:
    """A pack of lexicon rules `(id, category, terms, yields_to)` written to `tmp_path/house.yaml`."""
    lines = ["pack: house", "rules:"]
    for rule_id, category, terms, yields in rules:
        lines += [
            f"  - id: house.{rule_id}",
            f"    category: {category}",
            "    severity: warning",
            "    message: m",
            "    suggestion: s",
            "    basis: b",
            "    kind: lexicon",
            f"    terms: [{', '.join(terms)}]",
            f"    yields_to: [{', '.join(yields)}]",
            f"    examples: {{flag: ['{terms[0]}']}}",
        ]
    path = tmp_path / "house.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_rule_yields_to_overlapping_findings_of_the_categories_it_names(tmp_path: Path) -> None:
    pack = _house_pack(
        tmp_path,
        [
            ("broad", "uncited_efficacy", ["改善睡眠", "修复皮肤"], ["cure_or_guarantee", "house.hype"]),
            ("cure", "cure_or_guarantee", ["根治失眠"], []),
            ("hype", "overclaim", ["神奇修复"], []),
        ],
    )
    rules = RuleSet([load_pack(pack)])
    text = "这款枕头能改善睡眠根治失眠。另一款能改善睡眠。面膜神奇修复皮肤。"
    found = [(f.rule, f.text) for f in lint(text, LintConfig(rules=rules))]
    # 改善睡眠 touches no cure span in the first sentence (the spans only abut), 修复皮肤 overlaps 神奇修复
    assert found == [
        ("house.broad", "改善睡眠"),
        ("house.cure", "根治失眠"),
        ("house.broad", "改善睡眠"),
        ("house.hype", "神奇修复"),
    ]
    only_broad = lint(text, LintConfig(rules=rules, select=frozenset({"house.broad"})))
    assert [f.text for f in only_broad] == ["改善睡眠", "改善睡眠", "修复皮肤"]


def test_yielding_is_settled_in_order_of_precedence(tmp_path: Path) -> None:
    pack = _house_pack(
        tmp_path,
        [
            ("last", "uncited_efficacy", ["善睡眠根"], ["house.middle"]),
            ("middle", "overclaim", ["改善睡眠"], ["house.first"]),
            ("first", "cure_or_guarantee", ["改善"], []),
        ],
    )
    rules = RuleSet([load_pack(pack)])
    assert [rule.id for rule in rules.precedence] == ["house.first", "house.middle", "house.last"]
    found = [(f.rule, f.text) for f in lint("它能改善睡眠根治失眠。", LintConfig(rules=rules))]
    # middle yields to first; last overlapped only middle's dropped finding, so it stays
    assert found == [("house.first", "改善"), ("house.last", "善睡眠根")]


def test_precedence_cycles_and_unknown_names_are_errors(tmp_path: Path) -> None:
    import pytest

    from lint.kernel.ruleset import PrecedenceError

    cycle = _house_pack(
        tmp_path, [("a", "overclaim", ["甲"], ["house.b"]), ("b", "testimonial", ["乙"], ["overclaim"])]
    )
    with pytest.raises(PrecedenceError, match=r"house.yaml:\d+: rule house\.\w: rules yield to each other in a cycle"):
        RuleSet([load_pack(cycle)])
    unknown = _house_pack(tmp_path, [("a", "overclaim", ["甲"], ["no_such_category"])])
    with pytest.raises(PrecedenceError, match="'yields_to' names nothing loaded: no_such_category"):
        RuleSet([load_pack(unknown)])


def test_a_configuration_gets_the_shipped_rules_once() -> None:
    import lint as package

    chosen = LintConfig(select=frozenset({"cure_or_guarantee"}))
    first = package._with_defaults(chosen)
    assert first.rules is not None and first.select == chosen.select
    assert package._with_defaults(LintConfig(select=frozenset({"cure_or_guarantee"}))) is first
    assert package._with_defaults(None) is package._with_defaults(LintConfig())
    assert package._with_defaults(LintConfig()) is not first
    given = LintConfig(rules=first.rules)
    assert package._with_defaults(given) is given


def test_a_configuration_with_a_mutable_field_still_gets_the_shipped_rules() -> None:
    import lint as package

    text = "本品能根治糖尿病，永不复发。"
    given = LintConfig(select={"cure_or_guarantee"})  # type: ignore[arg-type]
    found = package.lint(text, given)
    assert found and found == package.lint(text, LintConfig(select=frozenset({"cure_or_guarantee"})))
    assert {f.category for f in found} == {"cure_or_guarantee"}


def test_precedence_is_linear_in_the_rules() -> None:
    """Each rule yields to one earlier rule (a tree, not a chain): ordering them looks each rule's rivals up by name,
    not over every rule."""
    from dataclasses import replace

    from lint.io.rulepack import default_packs
    from lint.kernel.ruleset import _precedence
    from tests.scaling import assert_linear

    base = default_packs()[0].rules[0]

    def rules(n: int) -> list[object]:
        made = [replace(base, id=f"house.r{i}", yields_to=(f"house.r{i // 2}",) if i else ()) for i in range(n)]
        return made[::-1]  # each rule comes before the one it yields to

    def ordering(n: int) -> Callable[[], object]:
        made = rules(n)
        return lambda: _precedence(made)  # type: ignore[arg-type]

    ordered = _precedence(rules(7))  # type: ignore[arg-type]
    assert [rule.id[7:] for rule in ordered] == ["0", "1", "3", "6", "2", "5", "4"]
    assert_linear(ordering, 400, factor=8, slack=3.0)
