from pathlib import Path

import pytest

from lint.analysis.entries import VOCABULARY_SECTIONS
from lint.core.finding import Severity
from lint.io.language import default_language
from lint.io.rulepack import RulePackError, default_packs, load_pack, load_packs
from lint.kernel.ruleset import RuleSet
from tests.helpers import FIXTURES

PACKS = FIXTURES / "packs"


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("bad_regex.yaml", "bad_regex.yaml:3: rule demo.broken: 'patterns[0]': invalid regular expression"),
        (
            "unknown_key.yaml",
            "unknown_key.yaml:3: rule demo.typo: unknown key(s) for kind 'lexicon': exampels",
        ),
        ("missing_field.yaml", "missing_field.yaml:3: rule demo.no-basis: missing field(s): basis"),
        ("bad_category.yaml", "bad_category.yaml:3: rule demo.cat: unknown category 'hype'"),
        (
            "no_examples.yaml",
            "no_examples.yaml:3: rule demo.bare: needs at least one 'examples.flag' sentence",
        ),
        ("invalid_yaml.yaml", "invalid_yaml.yaml:5: invalid YAML"),
    ],
)
def test_broken_packs_name_file_rule_and_line(name: str, fragment: str) -> None:
    with pytest.raises(RulePackError) as caught:
        load_pack(PACKS / name)
    assert fragment in str(caught.value)


def _pack(tmp_path: Path, rule_id: str, kind_lines: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(
        f"pack: demo\nrules:\n  - id: {rule_id}\n    category: overclaim\n    severity: info\n    message: m\n"
        f"    suggestion: s\n    basis: b\n{kind_lines}    examples: {{flag: [x]}}\n",
        encoding="utf-8",
    )
    return path


def test_duplicate_keys_are_rejected(tmp_path: Path) -> None:
    pack = tmp_path / "dup.yaml"
    pack.write_text("pack: demo\npack: again\nrules: []\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="duplicate key 'pack'"):
        load_pack(pack)


def test_rule_id_must_start_with_pack_name(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "other.rule", "    kind: lexicon\n    terms: [x]\n")
    with pytest.raises(RulePackError, match=r"p\.yaml:3: rule other\.rule: id must start with the pack name"):
        load_pack(pack)


def test_word_boundary_next_to_chinese_is_rejected(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "demo.b", "    kind: pattern\n    patterns: ['\\b根治\\b']\n")
    with pytest.raises(RulePackError, match="never matches"):
        load_pack(pack)


def test_unknown_scope_is_rejected(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "demo.s", "    kind: lexicon\n    terms: [x]\n    unless: [sarcasm]\n")
    with pytest.raises(RulePackError, match="unknown scope"):
        load_pack(pack)


def test_unknown_check_is_rejected(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "demo.c", "    kind: evidence\n    check: astrology\n")
    with pytest.raises(RulePackError, match=r"demo\.c: unknown check 'astrology'"):
        load_pack(pack)


def test_fix_must_be_a_string_or_a_map(tmp_path: Path) -> None:
    pack = _pack(tmp_path, "demo.f", "    kind: lexicon\n    terms: [x]\n    fix: [a, b]\n")
    with pytest.raises(RulePackError, match="'fix' must be a replacement string"):
        load_pack(pack)


def test_same_rule_id_in_two_directories_is_rejected(tmp_path: Path) -> None:
    extra = FIXTURES / "extra"
    with pytest.raises(RulePackError, match="already defined"):
        load_packs([extra, extra])


def test_shipped_packs_cover_the_core_categories() -> None:
    categories = {rule.category for pack in default_packs() for rule in pack.rules}
    assert {
        "overclaim",
        "absolute_term",
        "cure_or_guarantee",
        "safety_overclaim",
        "fear_appeal",
        "testimonial",
        "missing_disclaimer",
    } <= categories


def test_every_shipped_rule_has_metadata() -> None:
    for rule in RuleSet(default_packs()):
        assert rule.id.startswith(rule.pack + ".")
        assert rule.message and rule.suggestion and rule.basis
        assert "《" in rule.basis or "法" in rule.basis
        assert isinstance(rule.severity, Severity)


def test_lexicons_have_breadth() -> None:
    rules = RuleSet(default_packs())
    terms = sum(len(r.checker.params.terms) for r in rules if r.kind == "lexicon")
    language = default_language()
    vocabulary = [e for name, e in language.entries.items() if name.split(".")[0] in VOCABULARY_SECTIONS]
    terms += sum(len(entry.terms) for entry in vocabulary)
    assert terms >= 1500


def test_phrase_rules_name_entries_the_shipped_language_pack_defines() -> None:
    language = default_language()
    for rule in RuleSet(default_packs()):
        if rule.kind == "phrase":
            names = [*rule.checker.params.entries, *rule.checker.params.exceptions]
            assert [name for name in names if name not in language.entries] == [], rule.id


def test_a_users_pack_with_a_nested_quantifier_is_refused_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "house.yaml").write_text(
        "pack: house\nrules:\n  - id: house.slow\n    category: overclaim\n    severity: warning\n"
        "    message: m\n    suggestion: s\n    basis: b\n    kind: pattern\n    patterns: ['(?:神+)+药']\n"
        "    examples: {flag: ['神药']}\n",
        encoding="utf-8",
    )
    with pytest.raises(RulePackError, match=r"house\.yaml:3: rule house\.slow: 'patterns': .*nested quantifier"):
        load_packs([tmp_path])
