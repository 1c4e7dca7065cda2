"""Safe replacements: every shipped fix is read in context (its pack examples), joins never double a particle,
and text where no replacement reads well — or front matter, code, cited titles — is left alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lint import LintConfig, lint
from lint.core.normalize import match_key
from lint.io.rulepack import RulePackError, default_rule_set, load_pack
from lint.kernel.fix import apply_fixes, unified_diff
from lint.kernel.ruleset import FixChoice, Rule
from tests.helpers import document

DOUBLED = ("的的", "地地", "得得")


def _fixed(text: str, select: str = "overclaim,cure_or_guarantee,safety_overclaim", syntax: str = "text") -> str:
    doc = document(text, syntax)  # type: ignore[arg-type]
    findings = lint(text, LintConfig(select=frozenset(select.split(","))), syntax=syntax)  # type: ignore[arg-type]
    new, _ = apply_fixes(doc, findings)
    return new


def _choices() -> Iterator[tuple[Rule, str, FixChoice]]:
    for rule in default_rule_set():
        if isinstance(rule.fix, FixChoice):
            yield rule, "", rule.fix
        elif rule.fix:
            for term, choice in rule.fix.items():
                yield rule, term, choice


CHOICES = list(_choices())


def test_shipped_packs_declare_fixes_with_examples() -> None:
    assert len(CHOICES) >= 20
    for rule, term, choice in CHOICES:
        assert choice.examples, f"{rule.id} {term} → {choice.to} has no example in context"
        assert any(before != after for before, after in choice.examples.items()), (rule.id, term)


@pytest.mark.parametrize(
    ("rule", "term", "text", "expected"),
    [(rule, term, text, after) for rule, term, choice in CHOICES for text, after in choice.examples.items()],
    ids=lambda value: value.id if isinstance(value, Rule) else None,
)
def test_every_fix_reads_well_in_its_examples(rule: Rule, term: str, text: str, expected: str) -> None:
    findings = lint(text, LintConfig(select=frozenset({rule.id})))
    assert any(match_key(f.text) == term for f in findings), f"{term!r} is not flagged in {text!r}"
    new, _ = apply_fixes(document(text), findings)
    assert new == expected
    assert not any(doubled in new and doubled not in text for doubled in DOUBLED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("诊所推出全新的细胞疗法。", "诊所推出新的细胞疗法。"),
        ("这是革命性的突破。", "这是新的突破。"),
        ("这是一种革命性的疗法，可以根治狼疮。", "这是一种新的疗法，可以改善狼疮。"),
        ("益生菌是肠胃病人的福音。", "益生菌是肠胃病人的福音。"),
        ("创造了医学界的奇迹。", "创造了医学界的奇迹。"),
    ],
)
def test_replacements_that_would_read_badly_are_left_alone(text: str, expected: str) -> None:
    assert _fixed(text) == expected


def test_a_finding_without_a_fitting_replacement_still_has_its_suggestion() -> None:
    (finding,) = lint("益生菌是肠胃病人的福音。", LintConfig(select=frozenset({"overclaim.hype-term"})))
    assert finding.fix is None and finding.suggestion


def test_variants_map_to_the_same_replacement() -> None:
    assert _fixed("幹細胞可以根 治狼瘡。") == "幹細胞可以改善狼瘡。"


def test_cited_titles_front_matter_and_code_are_never_rewritten() -> None:
    text = "2020年在《针灸根治偏头痛的研究》中提到，这是患者的救星。"
    assert _fixed(text) == text
    markdown = "---\ntitle: 全新的护肤方案\ntags: [根治, 全新]\n---\n\n面霜能逆转皮肤老化。\n\n```\n根治 全新\n```\n"
    assert _fixed(markdown, syntax="markdown") == markdown.replace("面霜能逆转皮肤老化", "面霜能延缓皮肤老化")
    front = lint(markdown, LintConfig(select=frozenset({"overclaim"})), syntax="markdown")
    assert all(f.fix is None for f in front if f.start < markdown.index("\n---\n"))


def test_fix_entries_are_validated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pack = tmp_path / "house.yaml"
    base = (
        "pack: house\nrules:\n  - id: house.hype\n    category: overclaim\n    severity: warning\n    kind: lexicon\n"
        "    message: m\n    suggestion: s\n    basis: b\n    terms: [神药]\n"
        "    examples: {flag: ['这是[[神药]]。'], pass: ['这是药。']}\n"
    )
    pack.write_text(base + "    fix: {神药: {to: 药物, when: after_verb}}\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="'when' names contexts among: before_noun"):
        load_pack(pack)
    pack.write_text(base + "    fix: {神药: {replace: 药物}}\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="mapping with 'to'"):
        load_pack(pack)
    pack.write_text(
        base + "    fix: {神药: {to: 药物, when: before_noun, examples: {这是神药。: 这是神药。}}}\n", encoding="utf-8"
    )
    (rule,) = load_pack(pack).rules
    assert rule.replacement("神药") == FixChoice("药物", ("before_noun",), {"这是神药。": "这是神药。"})


def test_diff() -> None:
    diff = unified_diff("a.txt", "可以根治。\n", "可以改善。\n")
    assert diff.splitlines() == ["--- a/a.txt", "+++ b/a.txt", "@@ -1 +1 @@", "-可以根治。", "+可以改善。"]
