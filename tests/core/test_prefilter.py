import random
import re
from pathlib import Path

import pytest
import regex

from lint.core import prefilter
from lint.core.normalize import fold
from lint.core.prefilter import AnchorIndex, Prefilter, gated
from lint.io.language import default_language
from lint.io.rulepack import default_rule_set

ROOT = Path(__file__).parents[2]


def corpus() -> list[str]:
    """The seed and fixture articles, folded, as rule patterns see them."""
    files = sorted([*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "fixtures" / "articles").iterdir()])
    return [fold(file.read_text(encoding="utf-8")) for file in files]


def random_texts(alphabet: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(count)]


@pytest.fixture
def analyse_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "ANALYSE_AFTER", 1)


def spans_in_windows(pattern: regex.Pattern[str], text: str, windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [m.span() for start, end in windows for m in pattern.finditer(text, start, end)]


@pytest.mark.parametrize(
    ("source", "anchors", "reach"),
    [
        ("根治|治愈", {"根治", "治愈"}, 2),
        ("(?:完全|彻底)(?:治愈|根治)", {"完全治愈", "完全根治", "彻底治愈", "彻底根治"}, 4),
        (r"(?:总)?(?:治愈率|有效率)(?:高?达)?\d+", {"治愈率", "有效率"}, None),
        (r"(?P<span>必将)(?=[^。]{0,12}成为)", {"必将"}, 2 + 14),
        ("[甲乙]药", {"甲药", "乙药"}, 2),
        (r"(?<!不)安全[^。]{0,3}?有效", {"安全"}, 7 + 1),  # of equals, the first
    ],
)
def test_anchors_and_reach(source: str, anchors: set[str], reach: int | None) -> None:
    found = Prefilter.of(regex.compile(source, regex.IGNORECASE))
    assert found.anchors == anchors
    assert found.reach == reach


@pytest.mark.parametrize(
    "source",
    [
        "placebo|安慰剂",  # a cased word has several spellings under IGNORECASE
        r"\p{Han}{2}",  # the regex module's own syntax
        r"[[:alpha:]]药",  # a POSIX class, which `re` would read as a set
        r"(?:药物){e<=1}",  # a fuzzy constraint, which `re` would read as literal text
        r"[^。]{2,5}",  # no literal at all
        "根治|",  # an alternative that matches the empty string
    ],
)
def test_patterns_without_anchors_are_scanned_whole(source: str) -> None:
    found = Prefilter.of(regex.compile(source, regex.IGNORECASE))
    assert found.anchors == frozenset()
    assert found.windows([3], 50) == [(0, 50)]


def test_windows_merge_and_stay_inside_the_text() -> None:
    found = Prefilter(frozenset({"ab"}), 3)
    assert found.windows([2, 4, 20], 30) == [(0, 9), (17, 25)]
    assert found.windows([], 30) == []
    assert found.windows([28], 30) == [(25, 30)]
    assert Prefilter(frozenset({"ab"}), None).windows([5], 30) == [(0, 30)]


def test_rule_patterns_find_the_same_matches_in_windows(analyse_at_once: None) -> None:
    language = default_language()
    patterns = [
        pattern for rule in default_rule_set() if rule.kind == "pattern" for pattern in rule.checker.params.patterns
    ]
    patterns += [
        language.pattern(name).compiled
        for rule in default_rule_set()
        if rule.kind == "phrase"
        for key in ("entries", "exceptions")
        for name in getattr(rule.checker.params, key)
    ]
    index = AnchorIndex(patterns)
    checked = 0
    for text in corpus():
        for pattern, windows in zip(patterns, index.windows(text), strict=True):
            whole = [m.span() for m in pattern.finditer(text)]
            assert spans_in_windows(pattern, text, windows) == whole, pattern.pattern
            checked += len(whole)
    assert checked > 50


@pytest.mark.parametrize(
    "source",
    [
        r"药a$",
        r"药\b",
        r"(?<=a)药",
        r"药(?=a{3})",
        r"药(?!b)",
        r"a{0,3}药b{0,2}",
        r"(?m)^药",
        r"药\s*a*b",
        r"(?:药|a药b)(?:ab)?",
    ],
)
def test_window_edges_do_not_change_matches(source: str, analyse_at_once: None) -> None:
    pattern = regex.compile(source, regex.IGNORECASE)
    index = AnchorIndex([pattern])
    for text in random_texts("ab药 \n。", 400, seed=len(source)):
        (windows,) = index.windows(text)
        assert spans_in_windows(pattern, text, windows) == [m.span() for m in pattern.finditer(text)], text


def test_the_index_scans_whole_texts_until_it_has_seen_enough() -> None:
    index = AnchorIndex([regex.compile("根治")])
    first = [index.windows("没有锚点的文本")[0] for _ in range(prefilter.ANALYSE_AFTER - 1)]
    assert first == [[(0, 7)]] * (prefilter.ANALYSE_AFTER - 1)
    assert index.windows("没有锚点的文本") == [[]]
    assert index.windows("可以根治") == [[(0, 4)]]


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        (r"(?:发表|发布)(?:在|于)《", 0),
        (r"(?:19|20)\d{2}\s*年[^。]{0,10}?(?:研究|试验)", 0),
        (r"安慰剂|placebo|sham", regex.IGNORECASE),
        (r"(?i:abc)药|def", 0),
        (r"^(?:目的|方法)|\d+\s*例", 0),
    ],
)
def test_gated_patterns_answer_as_the_pattern_does(source: str, flags: int, analyse_at_once: None) -> None:
    plain = regex.compile(source, flags)
    gate = gated(source, flags)
    texts = [
        *random_texts("发表在于《研究试验年例目的方法 1920abcdefABCDEF药ſ", 600, seed=7),
        "SHAM 注射",
        "ſham",
        "ABC药",
        "DEF",
    ]
    for text in texts:
        assert [m.span() for m in gate.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        assert bool(gate.search(text)) == bool(plain.search(text))
        assert bool(gate.match(text)) == bool(plain.match(text))
        assert gate.sub("_", text) == plain.sub("_", text)


def test_a_gated_pattern_skips_text_without_its_anchors_once_analysed() -> None:
    gate = gated("根治|治愈")
    assert all(gate.possible("毫无关系") for _ in range(prefilter.ANALYSE_AFTER - 1))
    assert not gate.possible("毫无关系")
    assert gate.possible("彻底根治")
    assert gate.pattern == "根治|治愈"


def test_re_and_regex_take_the_same_characters_for_an_ascii_letter() -> None:
    """The gate looks for cased anchors with `re`: it must not miss a spelling that `regex` matches."""
    characters = "".join(map(chr, range(0x10000)))
    for letter in "abcdefghijklmnopqrstuvwxyz":
        by_regex = set(regex.findall(letter, characters, flags=regex.IGNORECASE))
        by_re = set(re.findall(letter, characters, flags=re.IGNORECASE))
        assert by_regex <= by_re, letter
