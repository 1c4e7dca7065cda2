from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lint.analysis.entries import check_entry
from lint.io import language
from lint.io.artefacts import LANGUAGE_ENTRIES
from lint.io.language import LanguagePackError, default_language, load_language, load_languages
from lint.io.paths import default_rules_dir

ZH = default_rules_dir() / "lang" / "zh"


def _pack(tmp_path: Path, files: dict[str, str], code: str = "xx") -> Path:
    folder = tmp_path / "lang" / code
    folder.mkdir(parents=True)
    header = f"language: {code}\nscript: Latin\nsegmenter: {{name: words}}\n"
    for name, text in {"pack.yaml": header, **files}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_shipped_pack_loads_once_with_its_segmenter() -> None:
    pack = default_language()
    assert pack is default_language()
    assert pack.code == "zh" and pack.script == "Han"
    assert pack.segment("干细胞治疗") == ("干细胞治疗",)
    assert pack.pattern("scopes.negator") is pack.pattern("scopes.negator")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "section: scopes\nentries:\n  negatr:\n    terms: [no]\n",
            r"s\.yaml:4: entry scopes\.negatr: unknown entry \(section 'scopes' has: .*negator",
        ),
        (
            "section: scopez\nentries:\n  negator:\n    terms: [no]\n",
            r"s\.yaml:4: entry scopez\.negator: unknown entry \(no section 'scopez'\)",
        ),
        (
            "section: scopes\nentries:\n  negator:\n    terms: [no]\n",
            r"s\.yaml:4: entry scopes\.negator: needs 'examples' with at least one 'flag' sentence",
        ),
        (
            "section: scopes\nentries:\n  negator:\n    pattern: '(?:no'\n    examples: {flag: ['no']}\n",
            r"s\.yaml:4: entry scopes\.negator: invalid regular expression",
        ),
        (
            "section: scopes\nentries:\n  negator:\n    pattern: '（'\n    examples: {flag: ['no']}\n",
            r"full-width characters never match",
        ),
        (
            "section: scopes\nentries:\n  negator:\n    table: {a: 1}\n",
            r"entry scopes\.negator: needs exactly one of: 'pattern', 'terms'",
        ),
        (
            "section: scopes\nentries:\n  negator:\n    terms: [no]\n    examples: {flag: ['[[no']}\n",
            r"unbalanced \[\[…\]\] span markers",
        ),
        (
            "section: scopes\nentries:\n  negator:\n    terms: [no]\n    examples: {flag: ['no'], pass: ['[[no]]']}\n",
            r"only 'flag' examples have spans",
        ),
        (
            "section: scopes\nentries:\n  negator:\n    pattern: '{{hedge}}'\n    examples: {flag: ['no']}\n",
            r"\{\{hedge\}\} names no entry of this pack",
        ),
        ("section: scopes\nentries:\n  negator:\n    terms: [no]\n    colour: red\n", r"unknown key\(s\): colour"),
        (
            "section: scopes\nentries:\n  negator:\n    terms: [no]\n  negator:\n    terms: [x]\n",
            r"duplicate key 'negator'",
        ),
        (
            "section: scopes\nentries:\n  negator:\n    pattern: '(?:不+)+能'\n    examples: {flag: ['不能']}\n",
            r"s\.yaml:4: entry scopes\.negator: nested quantifier",
        ),
    ],
)
def test_bad_entries_are_refused_with_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    folder = _pack(tmp_path, {"s.yaml": text})
    with pytest.raises(LanguagePackError, match=message):
        load_language(folder)


def test_a_folder_without_pack_yaml_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "lang" / "xx"
    folder.mkdir(parents=True)
    with pytest.raises(LanguagePackError, match=r"needs a pack\.yaml"):
        load_language(folder)


def test_pack_yaml_is_strict(tmp_path: Path) -> None:
    folder = tmp_path / "lang" / "xx"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text("language: yy\nsegmenter: {name: words}\n", encoding="utf-8")
    with pytest.raises(LanguagePackError, match="must be the folder's name"):
        load_language(folder)
    (folder / "pack.yaml").write_text("language: xx\nsegmenter: {name: thai}\n", encoding="utf-8")
    with pytest.raises(LanguagePackError, match="unknown segmenter 'thai'"):
        load_language(folder)
    (folder / "pack.yaml").write_text("language: xx\nscript: Klingon\nsegmenter: {name: words}\n", encoding="utf-8")
    with pytest.raises(LanguagePackError, match="Unicode script name"):
        load_language(folder)


def test_includes_expand_patterns_and_word_lists(tmp_path: Path) -> None:
    text = (
        "section: results\nentries:\n"
        "  number:\n    pattern: '\\d+'\n    examples: {flag: ['[[12]]']}\n"
        "  versus:\n    pattern: '{{number}} vs {{scopes.hedge}}'\n    examples: {flag: ['[[3 vs maybe]]']}\n"
        "---\n"
    )
    folder = _pack(
        tmp_path,
        {
            "results.yaml": text.replace("---\n", ""),
            "scopes.yaml": "section: scopes\nentries:\n  hedge:\n    terms: [may, maybe]\n    examples: {flag: ['[[maybe]]']}\n",
        },
    )
    pack = load_language(folder)
    assert pack.entries["results.versus"].pattern == "(?:\\d+) vs (?:maybe|may)"
    assert all(check_entry(pack, name) == [] for name in pack.entries)


def test_a_pack_may_leave_entries_out_but_code_may_not_name_unknown_ones(tmp_path: Path) -> None:
    pack = load_language(_pack(tmp_path, {}))
    assert pack.pattern("scopes.hedge").search("maybe") is None
    assert pack.words("claims.subjects") == ()
    with pytest.raises(KeyError, match="no entry"):
        pack.pattern("scopes.hedges")


def test_a_users_folder_adds_to_the_shipped_pack(tmp_path: Path) -> None:
    extra = tmp_path / "lang" / "zh"
    extra.mkdir(parents=True)
    (extra / "scopes.yaml").write_text(
        "section: scopes\nentries:\n"
        "  hedge:\n    terms: [说不定]\n    examples: {flag: ['[[说不定]]能瘦']}\n"
        "  question_word:\n    pattern: '难道'\n    examples: {flag: ['[[难道]]有效']}\n",
        encoding="utf-8",
    )
    packs = load_languages([default_rules_dir(), tmp_path])
    pack, shipped = packs["zh"], default_language()
    assert pack is not shipped
    assert pack.pattern("scopes.hedge").search("这茶说不定能瘦") and not shipped.pattern("scopes.hedge").search(
        "说不定"
    )
    assert pack.pattern("scopes.question_word").search("难道有效") and pack.pattern("scopes.question_word").search(
        "是否"
    )
    assert len(pack.entries["scopes.hedge"].examples.flag) == len(shipped.entries["scopes.hedge"].examples.flag) + 1
    assert all(check_entry(pack, name) == [] for name in ("scopes.hedge", "scopes.question_word"))


def test_a_users_folder_may_not_redefine_a_language(tmp_path: Path) -> None:
    extra = tmp_path / "lang" / "zh"
    extra.mkdir(parents=True)
    shutil.copy(ZH / "pack.yaml", extra / "pack.yaml")
    with pytest.raises(LanguagePackError, match="already defined"):
        load_languages([default_rules_dir(), tmp_path])


def test_a_broken_example_is_reported_with_what_was_found(tmp_path: Path) -> None:
    folder = _pack(
        tmp_path,
        {
            "s.yaml": "section: scopes\nentries:\n  hedge:\n    terms: [maybe]\n    examples: {flag: ['it [[may]]be'], pass: ['maybe not']}\n"
        },
    )
    failures = check_entry(load_language(folder), "scopes.hedge")
    assert [f.describe().split(": ", 1)[1] for f in failures] == [
        "scopes.hedge: 'it [[may]]be': expected a match at it [[may]]be, found it [[maybe]]",
        "scopes.hedge: 'maybe not': expected no match, found [[maybe]] not",
    ]
    assert failures[0].path.endswith("s.yaml") and failures[0].line == 4


def test_a_shipped_pattern_that_does_not_compile_names_its_file_and_line(tmp_path: Path) -> None:
    from dataclasses import replace

    shipped = default_language()
    broken = replace(shipped.entries["scopes.hedge"], kind="pattern", pattern="(?:maybe")
    pack = replace(shipped, entries={**shipped.entries, "scopes.hedge": broken}, slots={}, _compiled={}, _sections={})
    with pytest.raises(ValueError, match=r"scopes\.yaml:\d+: entry scopes\.hedge: invalid regular expression"):
        assert pack.pattern("scopes.hedge").compiled is None


def test_word_lists_are_folded_as_the_text_is_and_without_repeats(tmp_path: Path) -> None:
    import json

    from lint.core.normalize import fold

    words = ["  ＦＤＡ認證 ", "療效顯著", "疗效显著", "Ｘ\nＹ", "Cure"]
    folder = _pack(
        tmp_path,
        {
            "scopes.yaml": "section: scopes\nentries:\n  hedge:\n    terms: [may]\n    examples: {flag: ['[[may]]']}\n",
            "a.yaml": f"section: hype\nentries:\n  mixed:\n    terms: {json.dumps(words, ensure_ascii=False)}\n    examples: {{flag: ['[[cure]]']}}\n",
            "b.yaml": f"section: cure\nentries:\n  plain:\n    terms: {json.dumps(words[:3], ensure_ascii=False)}\n"
            "    examples: {flag: ['[[疗效显著]]']}\n",
        },
    )
    pack = load_language(folder)
    assert pack.words("hype.mixed") == ("fda认证", "疗效显著", "x\ny", "cure")
    assert pack.words("cure.plain") == ("fda认证", "疗效显著")
    assert pack.words("cure.plain") == tuple(dict.fromkeys(fold(word.strip()) for word in words[:3]))


@pytest.fixture
def fresh_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LANGUAGE_ENTRIES, "table", {})
    monkeypatch.setattr(LANGUAGE_ENTRIES, "added", set())
    monkeypatch.setattr(LANGUAGE_ENTRIES, "loaded", True)


SECTION = (
    "section: scopes\nentries:\n  negator:\n    terms: [never, Not]\n"
    "    examples: {flag: ['[[never]] again'], pass: [maybe]}\n"
    "  hedge:\n    pattern: ['may(?:be)?', '{{negator}} sure']\n    description: ' softeners '\n"
    "    examples: {flag: ['[[maybe]]']}\n"
)


def test_a_folder_loaded_again_is_rebuilt_from_its_kept_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_entries: None
) -> None:
    folder = _pack(tmp_path, {"s.yaml": SECTION})
    first = load_language(folder)
    monkeypatch.setattr(language, "_section_entries", _must_not_read)
    again = load_language(folder)
    assert again.entries == first.entries
    assert again.entries["scopes.negator"] is not first.entries["scopes.negator"]
    hedge = again.entries["scopes.hedge"]
    assert hedge.pattern == "may(?:be)?|(?:never|not) sure"
    assert (hedge.description, hedge.line, hedge.path) == ("softeners", 7, str(folder / "s.yaml"))
    assert again.entries["scopes.negator"].examples.passing == ("maybe",)
    assert [m.group() for m in again.pattern("scopes.hedge").finditer("not sure, maybe")] == ["not sure", "maybe"]


def _must_not_read(*arguments: object) -> object:
    raise AssertionError("an unchanged folder was parsed again")


def test_a_changed_file_and_a_moved_folder_are_loaded_again(tmp_path: Path, fresh_entries: None) -> None:
    folder = _pack(tmp_path, {"s.yaml": SECTION})
    load_language(folder)
    (folder / "s.yaml").write_text(SECTION.replace("[never, Not]", "[never, nay]"), encoding="utf-8")
    assert load_language(folder).words("scopes.negator") == ("never", "nay")
    moved = tmp_path / "elsewhere"
    shutil.copytree(tmp_path / "lang", moved / "lang")
    entry = load_language(moved / "lang" / "xx").entries["scopes.negator"]
    assert entry.path == str(moved / "lang" / "xx" / "s.yaml")
    assert len(LANGUAGE_ENTRIES.table) == 3


def test_a_broken_folder_is_never_kept_and_fails_on_every_load(tmp_path: Path, fresh_entries: None) -> None:
    folder = _pack(tmp_path, {"s.yaml": SECTION.replace("terms: [never, Not]", "terms: []")})
    for _ in range(2):
        with pytest.raises(LanguagePackError, match=r"s\.yaml:4: entry scopes\.negator: 'terms' must be a non-empty"):
            load_language(folder)
    assert not LANGUAGE_ENTRIES.table


def test_the_shipped_pack_is_the_same_from_kept_entries(monkeypatch: pytest.MonkeyPatch, fresh_entries: None) -> None:
    fresh = load_languages([default_rules_dir()])["zh"]
    monkeypatch.setattr(language, "_section_entries", _must_not_read)
    kept = load_languages([default_rules_dir()])["zh"]
    assert kept.entries == fresh.entries
    journals = kept.table("evidence.journals")
    assert journals == fresh.table("evidence.journals") and all(type(names) is list for names in journals.values())
