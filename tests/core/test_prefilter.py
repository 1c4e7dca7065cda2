import random
import re
import re._parser as sre_parse
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.core import matcher, prefilter
from lint.core.matcher import Literals
from lint.core.normalize import fold
from lint.core.prefilter import AnchorIndex, GatedPattern, PatternBudgetExceeded, Prefilter, gated, pattern_budget
from lint.io.language import default_language
from lint.io.rulepack import default_rule_set
from tests.helpers import phrase_entry_names
from tests.scaling import cost

ROOT = Path(__file__).parents[2]


def corpus() -> list[str]:
    """The seed and fixture articles, folded, as rule patterns see them."""
    files = sorted([*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "fixtures" / "articles").iterdir()])
    return [fold(file.read_text(encoding="utf-8")) for file in files]


def random_texts(alphabet: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(count)]


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
        (r"[\p{Han}a-z]{2,6}(?=[®™])", {"®", "™"}, 6 + 1),  # what a lookahead requires
        (r"(?<=\p{Han})(?:痊愈|康复)", {"痊愈", "康复"}, 2 + 1),
        (r"\P{Han}{1,3}(?:片|粒)", {"片", "粒"}, 4),  # a property is one character of no known literal
        (r"\\p\{汉字\}", {"{汉字}"}, 6),  # an escaped backslash, then a literal p
        (r"\p{Han}(?-i:xx)|某某", {"xx", "某某"}, 3),  # letters matched as written, inside (?-i:…)
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
        r"\p{Han}{2}",  # a property of the regex module's own syntax, and no literal
        r"\d+(?!毫克)",  # what a negative lookahead names need not occur
        r"[[:alpha:]]药",  # a POSIX class, which `re` would read as a set
        r"(?:药物){e<=1}",  # a fuzzy constraint, which `re` would read as literal text
        r"[^。]{2,5}",  # no literal at all
        "根治|",  # an alternative that matches the empty string
        r"\p{Han}xx|某某",  # letters under IGNORECASE: no alternative of known literals
    ],
)
def test_patterns_without_anchors_are_scanned_whole(source: str) -> None:
    found = Prefilter.of(regex.compile(source, regex.IGNORECASE))
    assert found.anchors == frozenset()
    assert found.windows([3], 50) == [(0, 50)]


def test_windows_merge_and_stay_inside_the_text() -> None:
    found = Prefilter(frozenset({"ab"}), 3)
    far = 20 + prefilter.GAP
    assert found.windows([2, 4, far], far + 10) == [(0, 9), (far - 3, far + 5)]
    assert found.windows([2, 4, 20], 30) == [(0, 25)]  # stretches closer than GAP are one
    assert found.windows([], 30) == []
    assert found.windows([28], 30) == [(25, 30)]
    assert Prefilter(frozenset({"ab"}), None).windows([5], 30) == [(0, 30)]


def test_rule_patterns_find_the_same_matches_in_windows() -> None:
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


def _starts(text: str, anchors: frozenset[str]) -> list[int]:
    """The sorted starts of every occurrence (overlapping ones included) of `anchors` in `text`."""
    found = []
    for anchor in anchors:
        at = text.find(anchor)
        while at >= 0:
            found.append(at)
            at = text.find(anchor, at + 1)
    return sorted(found)


def _one_pattern_windows(pattern: regex.Pattern[str], text: str) -> list[tuple[int, int]]:
    """`Prefilter.windows` of one pattern, from its anchors' occurrences found one anchor at a time."""
    found = Prefilter.of(pattern)
    if not found.anchors:
        return found.windows((), len(text))
    if found.conjunctions:
        positions = [[_starts(text, term) for term in terms] for terms in found.conjunctions]
        return found.windows(found.kept(positions), len(text))
    return found.windows(_starts(text, found.anchors), len(text))


def test_shared_anchor_pass_gives_each_patterns_own_windows() -> None:
    """One automaton for all rule patterns, its occurrences grouped by anchor (and a pattern of unbounded reach
    only asked whether its anchors occur), gives every pattern the windows its own anchors give."""
    language = default_language()
    names = phrase_entry_names()
    patterns = [language.pattern(name).compiled for name in sorted(names)]
    patterns += [regex.compile(r"(?:药|方)\d+.*效"), regex.compile(r"a药"), regex.compile(r"(?:药|方)[^,]{0,5}效")]
    assert any(Prefilter.of(p).reach is None and Prefilter.of(p).conjunctions for p in patterns)
    index = AnchorIndex(patterns)
    texts = [*corpus(), *random_texts("药方效a1, ", 200, 7)]
    for text in texts:
        for pattern, windows in zip(patterns, index.windows(text), strict=True):
            assert windows == _one_pattern_windows(pattern, text), pattern.pattern


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
def test_window_edges_do_not_change_matches(source: str) -> None:
    pattern = regex.compile(source, regex.IGNORECASE)
    index = AnchorIndex([pattern])
    for text in random_texts("ab药 \n。", 400, seed=len(source)):
        (windows,) = index.windows(text)
        assert spans_in_windows(pattern, text, windows) == [m.span() for m in pattern.finditer(text)], text


def test_the_index_gives_no_window_where_no_anchor_occurs_and_compiles_nothing() -> None:
    pattern = gated("根治", regex.IGNORECASE)
    index = AnchorIndex([pattern, gated(r"[^。]{2,5}")])
    assert index.windows("没有锚点的文本") == [[], [(0, 7)]]
    assert pattern._compiled is None
    assert index.windows("可以根治") == [[(0, 4)], [(0, 4)]]


@pytest.mark.parametrize("pure", [False, True])
def test_both_literal_engines_give_the_same_windows(pure: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if pure:
        monkeypatch.setenv(matcher.PURE_PYTHON, "1")
    patterns = [
        pattern for rule in default_rule_set() if rule.kind == "pattern" for pattern in rule.checker.params.patterns
    ]
    index = AnchorIndex(patterns)
    checked = 0
    for text in corpus():
        for pattern, windows in zip(patterns, index.windows(text), strict=True):
            assert spans_in_windows(pattern.compiled, text, windows) == [
                m.span() for m in pattern.compiled.finditer(text)
            ]
            checked += len(windows)
    assert checked > 50


def test_literals_find_every_occurrence_with_either_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    words = ["干细胞", "细胞", "干细胞治疗", "细胞", "胞", "ab", "b", ""]
    text = "用干细胞治疗abab细胞"
    compiled = sorted(Literals(words).find(text))
    monkeypatch.setenv(matcher.PURE_PYTHON, "1")
    python = sorted(Literals(words).find(text))
    assert compiled == python
    found = Literals(words)
    expected = sorted(
        (word, i, i + len(word))
        for word in dict.fromkeys(words)
        if word
        for i in range(len(text))
        if text.startswith(word, i)
    )
    assert sorted((found.words[i], start, end) for i, start, end in found.find(text)) == expected
    assert Literals([]).find(text) == []


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        (r"(?:发表|发布)(?:在|于)《", 0),
        (r"(?:19|20)\d{2}\s*年[^。]{0,10}?(?:研究|试验)", 0),
        (r"安慰剂|placebo|sham", regex.IGNORECASE),
        (r"(?i:abc)药|def", 0),
        (r"^(?:目的|方法)|\d+\s*例", 0),
        (r"[\p{Han}a-z]{1,4}(?=[®™])", 0),
        (r"\d+(?=毫克|mg)", regex.IGNORECASE),
        (r"(?<=\p{Han})\d", 0),
    ],
)
def test_gated_patterns_answer_as_the_pattern_does(source: str, flags: int) -> None:
    plain = regex.compile(source, flags)
    gate = gated(source, flags)
    texts = [
        *random_texts("发表在于《研究试验年例目的方法 1920abcdefABCDEF药ſ®™毫克MG", 600, seed=7),
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


def test_a_gated_pattern_skips_text_without_its_anchors_and_compiles_when_one_turns_up() -> None:
    gate = gated("根治|治愈")
    assert not gate.possible("毫无关系") and gate.search("毫无关系") is None
    assert gate._compiled is None
    assert gate.possible("彻底根治") and gate.search("彻底根治").span() == (2, 4)
    assert gate._compiled is not None
    assert gate.pattern == "根治|治愈"
    assert not gate.possible("彻底根治", 0, 3) and gate.possible("彻底根治", 1, 9)
    assert gate.possible("彻底根治", -2, 4) and gate.possible("根治", 0) and not gate.possible("根治", 1)


def test_analyses_are_kept_in_a_form_that_can_be_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    import marshal

    monkeypatch.setattr(prefilter, "ANALYSES", {})
    monkeypatch.setattr(prefilter, "ANALYSES_ADDED", set())
    monkeypatch.setattr(prefilter, "_ANALYSED", {})
    found = prefilter.analysis("(?:完全|彻底)治愈|[Aa]bc", regex.IGNORECASE)
    key = ("(?:完全|彻底)治愈|[Aa]bc", regex.IGNORECASE)
    assert {key} == prefilter.ANALYSES_ADDED
    stored = marshal.loads(marshal.dumps(prefilter.ANALYSES))
    monkeypatch.setattr(prefilter, "_ANALYSED", {})
    monkeypatch.setattr(prefilter, "ANALYSES", stored)
    assert prefilter.analysis(*key) == found
    assert found.gated and set(found.cased) == {"Abc", "abc"} and set(found.uncased) == {"完全治愈", "彻底治愈"}
    prefilter.ANALYSES[("根治", 0)] = ("not", "an", "analysis")
    assert prefilter.analysis("根治", 0).uncased == ("根治",)
    # kept on disk each marshalled on its own, decoded when first asked for; a damaged one is worked out again
    monkeypatch.setattr(prefilter, "_ANALYSED", {})
    monkeypatch.setattr(prefilter, "ANALYSES", {key: marshal.dumps(found.dump()), ("治愈", 0): b"\xff damaged"})
    assert prefilter.analysis(*key) == found
    assert prefilter.analysis("治愈", 0).uncased == ("治愈",)


def test_an_invalid_lazy_pattern_fails_when_first_compiled() -> None:
    broken = gated("根治(")
    with pytest.raises(ValueError, match="invalid regular expression"):
        broken.search("可以根治(吗")


def test_re_and_regex_take_the_same_characters_for_an_ascii_letter() -> None:
    """The gate looks for cased anchors with `re`: it must not miss a spelling that `regex` matches."""
    characters = "".join(map(chr, range(0x10000)))
    for letter in "abcdefghijklmnopqrstuvwxyz":
        by_regex = set(regex.findall(letter, characters, flags=regex.IGNORECASE))
        by_re = set(re.findall(letter, characters, flags=re.IGNORECASE))
        assert by_regex <= by_re, letter


@pytest.mark.parametrize(
    ("source", "conjunctions"),
    [
        # a sequence: each part's anchors, most selective first; a part that holds another's anchors adds nothing
        ("(?:甲乙|丙丁)[^。]{0,3}?戊己", [[{"戊己"}, {"甲乙", "丙丁"}]]),
        # a top-level alternation (also inside a group): each alternative its own
        ("(?:(?:服用|使用)[^。]{0,4}后痊愈|根治)", [[{"后痊愈"}, {"服用", "使用"}], [{"根治"}]]),
        # what a lookahead requires stands in the text too; a negative lookahead requires nothing
        (r"(?<!不)有效(?=[^。]{0,6}证明)(?!无关)", [[{"证明"}, {"有效"}]]),
    ],
)
def test_conjunctions_name_every_part_a_match_holds(source: str, conjunctions: list[list[set[str]]]) -> None:
    found = Prefilter.of(regex.compile(source))
    assert [[set(term) for term in terms] for terms in found.conjunctions] == conjunctions


def test_an_alternative_without_anchors_leaves_the_pattern_without_conjunctions() -> None:
    assert Prefilter.of(regex.compile("根治[^。]{0,4}有效|[^。]{2}")).conjunctions == ()


def test_windows_need_every_part_within_reach() -> None:
    pattern = regex.compile("服用[^。]{0,6}?痊愈")
    index = AnchorIndex([pattern])
    far = "服用" + "一" * 30 + "痊愈"
    assert index.windows("只服用了药") == [[]]  # one part alone
    assert index.windows(far) == [[]]  # both, farther apart than a match reaches
    assert index.windows("服用三天痊愈") == [[(0, 6)]]
    assert spans_in_windows(pattern, far + "服用后痊愈", index.windows(far + "服用后痊愈")[0]) == [(34, 39)]


@pytest.mark.parametrize(
    "source",
    [
        r"甲[^。]{0,3}乙",
        r"甲乙?[ab]{0,2}丙(?=a)",
        r"(?:甲a|乙b)\s*丙|丁{2}",
        r"(?<!a)甲[^丙]{0,4}?乙(?!b)",
        r"(?m)^甲.{0,2}乙$",
        r"甲+乙",  # unbounded: the parts need only occur somewhere
        r"甲(?-i:a)[^。]{0,3}丙",  # letters matched as written are literals of the text
    ],
)
def test_conjunction_windows_find_the_same_matches(source: str) -> None:
    pattern = regex.compile(source)
    index = AnchorIndex([pattern])
    assert Prefilter.of(pattern).conjunctions
    checked = 0
    for text in random_texts("甲乙丙丁a\n。", 3000, seed=len(source)):
        (windows,) = index.windows(text)
        whole = [m.span() for m in pattern.finditer(text)]
        assert spans_in_windows(pattern, text, windows) == whole, text
        checked += len(whole)
    assert checked > 10


def test_conjunctions_are_kept_with_the_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    import marshal

    monkeypatch.setattr(prefilter, "ANALYSES", {})
    monkeypatch.setattr(prefilter, "ANALYSES_ADDED", set())
    monkeypatch.setattr(prefilter, "_ANALYSED", {})
    key = ("(?:服用|使用)[^。]{0,4}后痊愈|根治", 0)
    found = prefilter.analysis(*key)
    stored = marshal.loads(marshal.dumps(prefilter.ANALYSES))
    monkeypatch.setattr(prefilter, "_ANALYSED", {})
    monkeypatch.setattr(prefilter, "ANALYSES", stored)
    assert prefilter.analysis(*key) == found
    assert len(found.prefilter.conjunctions) == 2
    # an analysis kept by an older release (without conjunctions) is worked out again
    prefilter.ANALYSES[("根治", 0)] = ((("根治",)), 2, True, ("根治",), ())
    assert prefilter.analysis("根治", 0).prefilter.conjunctions == ((frozenset({"根治"}),),)


def test_a_gate_of_many_anchors_tests_only_its_window_of_a_long_text() -> None:
    anchors = ["根治", "治愈", "痊愈", "断根", "去根", "除根", "康复", "复原", "好转", "转阴"]
    gate = gated("|".join(anchors))
    text = "无关的文字。" * 2000 + "彻底根治" + "无关的文字。" * 2000
    at = text.index("根治")
    assert gate.possible(text, at, at + 2) and gate.possible(text, at - 5, at + 9)
    assert not gate.possible(text, at + 1, at + 30) and not gate.possible(text, at - 30, at + 1)
    for start, end in [(at - 3, at + 2), (at, at + 1), (0, at), (at + 2, len(text)), (at - 1, at + 3)]:
        assert gate.possible(text, start, end) == (gate.compiled.search(text, start, end) is not None)

    def windows_of(size: int) -> Callable[[], object]:
        long = "无关的文字。" * size + "彻底根治"
        return lambda: [gate.possible(long, 100, 140) for _ in range(2000)]

    # the cost of a test does not grow with the text around its window
    windows_of(10)()
    assert cost(windows_of(100_000)) <= 5 * max(cost(windows_of(10)), 0.005)


@pytest.mark.parametrize(
    ("source", "leads"),
    [
        ("根治|治愈", {"根治": 0, "治愈": 0}),
        # a large class is one character of no known literal; an optional age before it, at most four
        (
            r"(?:\d{1,3}岁)?[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董](?:女士|先生)",
            {"女士": 5, "先生": 5},
        ),
        # each alternative its own lead; the first part with a head decides
        (r"(?:甲|[^。]{0,3}乙)丙", {"甲": 0, "乙": 3}),
        (r"[^。]{0,4}?有效", {"有效": 4}),
        (r"(?<!不)安全(?:可靠)?", {"安全": 0, "安全可靠": 0}),
        (r"(?:小|老)(?:王|李)来", {"小王来": 0, "小李来": 0, "老王来": 0, "老李来": 0}),  # a run of known strings
        (r"[\p{Han}]{1,3}[(]化名[)]", {"(化名)": 3}),
    ],
)
def test_heads_say_how_far_into_a_match_an_anchor_may_start(source: str, leads: dict[str, int]) -> None:
    head = Prefilter.of(regex.compile(source, regex.IGNORECASE)).head
    assert head is not None and dict(head.leads) == leads


@pytest.mark.parametrize("source", [r"\d+岁", "甲?", r"(?:甲|\w)乙{0,2}", r"(a)\1甲"])
def test_no_head_where_a_match_may_be_empty_or_its_start_unbounded(source: str) -> None:
    assert Prefilter.of(regex.compile(source)).head is None


@pytest.mark.parametrize(
    "source",
    [
        r"(?:乙|丙)?甲[^。]{0,3}?乙",
        r"[^。\n]{0,2}?(?:甲乙|丙)(?!丁)",
        r"(?:(?:甲|乙){1,2}丙|丁[^。]{0,4}甲)",
        r"(?<=甲)乙{1,3}丙?",
        r"(?:甲乙|[^。]{0,3}乙)丙",  # an anchor of a longer lead right after one of a shorter
    ],
)
def test_trying_a_pattern_at_its_heads_finds_what_a_scan_finds(source: str) -> None:
    pattern = regex.compile(source)
    index = AnchorIndex([pattern])
    head = Prefilter.of(pattern).head
    assert head is not None
    checked = 0
    for text in random_texts("甲乙丙丁。\n", 3000, seed=len(source)):
        (windows,) = index.windows(text)
        found, reached = [], 0
        for start in head.starts(text, windows) or ():
            match = pattern.match(text, start) if start >= reached else None
            if match:
                found.append(match.span())
                reached = match.end()
        whole = [m.span() for m in pattern.finditer(text)]
        assert found == whole, text
        checked += len(whole)
    assert checked > 10


def test_heads_are_kept_with_the_analysis() -> None:
    found = prefilter.analysis(r"[^。]{0,4}?(?:有效|显效)", 0)
    assert prefilter.Analysis.load(found.dump()) == found


class _Starved:
    """A search the wall clock stops `stops` times while the thread waits (sleeping uses no CPU), then the
    pattern's own answer; it records each timeout it was given."""

    def __init__(self, method: Callable[..., Any], stops: int = 1, after: int = 0) -> None:
        self.method, self.stops, self.after, self.timeouts = method, stops, after, []

    def __call__(self, text: str, *window: int, timeout: float) -> Any:
        self.timeouts.append(timeout)
        if self.stops:
            self.stops -= 1
            if self.after:
                return self._stopped_after(self.method(text, *window), timeout)
            time.sleep(timeout)
            raise TimeoutError("regular expression timed out")
        return self.method(text, *window)

    def _stopped_after(self, matches: Iterator[Any], timeout: float) -> Iterator[Any]:
        for _ in range(self.after):
            yield next(matches)
        time.sleep(timeout)
        raise TimeoutError("regular expression timed out")


def test_a_search_stopped_while_the_thread_waited_for_a_cpu_runs_again() -> None:
    starved = _Starved(regex.compile("b+").search, stops=2)
    match = prefilter.cpu_search(starved, "aabbb", (), 0.02)
    assert match is not None and match.span() == (2, 5)
    assert starved.timeouts[0] == 0.02 and starved.timeouts[1] > 0.02 * 4 and len(starved.timeouts) == 3


def test_a_search_that_spends_its_cpu_time_stops() -> None:
    slow = regex.compile("(a|a)+b")
    calls: list[float] = []

    def search(text: str, *window: int, timeout: float) -> regex.Match[str] | None:
        calls.append(timeout)
        return slow.search(text, *window, timeout=timeout)

    started = time.thread_time()
    with pytest.raises(TimeoutError):
        prefilter.cpu_search(search, "a" * 40, (), 0.05)
    assert time.thread_time() - started < 1 and len(calls) <= 3


@pytest.mark.parametrize(("source", "text", "after"), [("b+", "abbabab", 2), ("a*", "baacaa", 1), ("a*", "baac", 2)])
def test_matches_run_again_resume_where_the_last_one_ended(source: str, text: str, after: int) -> None:
    pattern = regex.compile(source)
    starved = _Starved(pattern.finditer, stops=1, after=after)
    found = [m.span() for m in prefilter.cpu_matches(starved, text, (), 0.02)]
    assert found == [m.span() for m in pattern.finditer(text)]
    assert len(starved.timeouts) == 2


def test_matches_under_a_budget_that_runs_out_raise_budget_exceeded() -> None:
    slow = regex.compile("(a|a)+b")
    with pytest.raises(PatternBudgetExceeded):
        list(prefilter.cpu_matches(slow.finditer, "a" * 40, (), 0.02, budgeted=True))
    with pytest.raises(TimeoutError) as raised:
        list(prefilter.cpu_matches(slow.finditer, "a" * 40, (), 0.02))
    assert not isinstance(raised.value, PatternBudgetExceeded)


@pytest.mark.parametrize("stops", [1, 2])
def test_a_budget_of_cpu_time_is_not_spent_by_waiting(stops: int) -> None:
    starved = _Starved(regex.compile("b+").search, stops=stops)
    gated = GatedPattern(cast(regex.Pattern[str], _Compiled(starved)))
    with pattern_budget(0.05):
        match = gated.search("abb")
    assert match is not None and match.span() == (1, 3)
    first, *again = starved.timeouts
    assert len(again) == stops and 0 < first <= 0.05 and all(timeout > first * 4 for timeout in again[:-1])


def test_a_gated_search_that_spends_the_budget_raises_budget_exceeded() -> None:
    slow = GatedPattern(regex.compile("(a|a)+b"))
    with pattern_budget(0.05):
        with pytest.raises(PatternBudgetExceeded):
            slow.search("a" * 40)
        with pytest.raises(PatternBudgetExceeded):
            slow.match("ab")  # the budget is spent: every search raises at once


def test_a_search_given_its_first_window_runs_with_it() -> None:
    starved = _Starved(regex.compile("b+").search, stops=1)
    match = prefilter.cpu_search(starved, "abb", (), 0.02, timeout=0.01)
    assert match is not None and match.span() == (1, 3)
    assert starved.timeouts[0] == 0.01 and len(starved.timeouts) == 2


@pytest.mark.parametrize(
    ("source", "flags"), [("根治|治愈", 0), ("|".join(f"词{n}" for n in range(12)), 0), ("ok|好的", regex.IGNORECASE)]
)
def test_a_gate_admits_a_whole_text_as_the_stretch_of_all_of_it(source: str, flags: int) -> None:
    gate = prefilter._Gate(prefilter.analysis(source, flags))
    for text in ("", "根治", "没有", "说词7吧", "OK了", "好的", "x" * 30):
        assert (
            gate.admits_whole(text) == gate.admits(text, 0, len(text)) == gate.admits(f"。{text}。", 1, len(text) + 1)
        )


class _Compiled:
    """A stand-in for a compiled pattern whose search is `search`; its source (which its gate and step bound read)
    has a back reference, which the step bound refuses, so that its searches are always given a timeout."""

    pattern, flags = "(b)\\1*", 0

    def __init__(self, search: Callable[..., Any]) -> None:
        self.search = search


class _Forgetful(dict):  # type: ignore[type-arg]
    """A memo that keeps nothing: the plain reading the analysis's shortcuts must agree with."""

    def __setitem__(self, key: object, value: object) -> None:
        return None


def _plain_analysis(source: str, flags: int) -> tuple[object, ...]:
    tree = prefilter._parse(source, flags)
    assert tree is not None
    shapes = [prefilter._Reader(cased=cased, shapes=_Forgetful()).sequence(tree).required for cased in (False, True)]
    conjunctions = prefilter._conjunctions(tree, prefilter._Reader(cased=False, shapes=_Forgetful()))
    return (*shapes, conjunctions)


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        ("干细胞(?:治疗|疗法){1,2}", 0),
        ("(?-i:xx)先生|小[王李]", regex.IGNORECASE),
        ("ipsc|car-t细胞", regex.IGNORECASE),
        ("[aB]治(?i:oK)好", 0),
        ("(?:ab|cd){2}x(?=yz)", 0),
    ],
)
def test_the_analysis_reads_a_tree_as_a_plain_reading_does(source: str, flags: int) -> None:
    found = prefilter._analyse(source, flags)
    window, anchors, conjunctions = _plain_analysis(source, flags)
    assert found.prefilter.anchors == (window or frozenset())
    assert set(found.uncased) | set(found.cased) == set(anchors or ())
    assert found.prefilter.conjunctions == (conjunctions if window else ())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZé治疗7ΣßİK ", min_size=1, max_size=6), st.booleans())
def test_a_word_is_read_as_the_items_it_is_made_of(word: str, cased: bool) -> None:
    """A sequence of literals alone is read at once as the word it spells; followed by `\\b`, which reads no
    character, it is read item by item, to the same shape, noting cased letters alike."""
    tree, marked = sre_parse.parse(re.escape(word)), sre_parse.parse(re.escape(word) + "\\b")
    assert all(op is sre_parse.LITERAL for op, _ in tree.data)
    whole, by_items = prefilter._Reader(cased=cased), prefilter._Reader(cased=cased)
    assert whole.sequence(tree) == by_items.sequence(marked)
    assert whole.met_cased == by_items.met_cased


def test_a_prepared_pattern_has_its_analysis_safe_widths_and_compiled_form_before_any_search() -> None:
    source = "(?:预防|逆转)[^。]{0,8}老化"
    key = (source, 0)
    for table in (prefilter.ANALYSES, prefilter._ANALYSED, prefilter._SAFETIES):
        table.pop(key, None)  # type: ignore[attr-defined]
    pattern = GatedPattern(source)
    pattern.prepare()
    widths = prefilter.safety(pattern)
    assert widths.uses == prefilter.SAFE_AFTER  # worked out, not after 16 searches
    assert prefilter.ANALYSES[key][7] == (widths.search, widths.match) and widths.search >= 1024
    assert pattern._compiled is not None and pattern._compiled.pattern == source


def test_a_compiled_pattern_and_its_source_share_one_analysis_and_safety() -> None:
    """`regex` adds Unicode matching and its default version to the flags of every compiled pattern of a string;
    the analysis and safe widths are kept without them, other flags kept apart."""
    source = "(?:抗|防)衰老[^。]{0,6}秘方"
    compiled = regex.compile(source)
    assert int(compiled.flags) != 0
    assert prefilter.analysis_key(compiled.pattern, compiled.flags) == (source, 0)
    assert prefilter.analysis(compiled.pattern, compiled.flags) is prefilter.analysis(source, 0)
    assert prefilter.safety(compiled) is prefilter.safety(GatedPattern(source))
    for flags in (regex.IGNORECASE, regex.ASCII, regex.VERSION1):
        assert prefilter.analysis_key(source, regex.compile(source, flags).flags)[1] & flags == flags


def test_a_letter_only_regex_knows_another_case_of_is_no_anchor() -> None:
    """`regex` matches ƛ (U+019B) with U+A7DC ignoring case, which Python's Unicode data (and so `re`) does not
    know: the letter is neither an anchor looked for as written nor one for `re` to look for ignoring case."""
    text = "\ua7dc治疗"
    assert regex.search("(?i)\u019b治", text) is not None and re.search("(?i)\u019b治", text) is None
    for source in ("\u019b治", "[\u019b]治", "(?:\u019b|x)治"):
        pattern = GatedPattern(source, regex.IGNORECASE)
        assert pattern.possible(text) and pattern.search(text) is not None, source
        assert all("\u019b" not in anchor for anchor in prefilter.analysis(source, regex.IGNORECASE).uncased)


def test_preparing_an_invalid_pattern_raises_naming_it() -> None:
    with pytest.raises(ValueError, match="invalid regular expression"):
        GatedPattern("(?:根治", 0, "house.yaml:3: entry cure").prepare()


def test_every_shipped_pattern_is_analysed_as_a_plain_reading_does() -> None:
    language = default_language()
    sources = {(language.pattern(name).pattern, language.pattern(name).flags) for name in language.entries}
    checked = 0
    for source, flags in sorted(sources):
        tree = prefilter._parse(source, flags)
        if tree is None:
            continue
        found = prefilter._analyse(source, flags)
        window, anchors, conjunctions = _plain_analysis(source, flags)
        assert found.prefilter.anchors == (window or frozenset()), source
        assert found.prefilter.conjunctions == (conjunctions if window else ()), source
        if found.gated:
            assert set(found.uncased) | set(found.cased) == anchors, source
        checked += 1
    assert checked > 300


# ------------------------------------------------------------------------------------------------- pattern groups

_GROUP_SOURCES = {
    "cure": ("(?:彻底|完全)(?:治愈|根治)", 0),
    "rate": (r"(?:有效率|治愈率)\s*(?:高达)?\d+%", 0),
    "soon": (r"(?<!不)(?:马上|立刻)见效", 0),
    "many": ("|".join(["红枣", "枸杞", "山药", "莲子", "百合", "芡实", "茯苓", "薏米", "陈皮", "黄芪"]), 0),
    "latin": ("placebo|安慰剂", regex.IGNORECASE),  # a cased anchor: its own gate decides
    "open": (r"\d{2,}", 0),  # no anchor: no gate
    "start": ("^结论", 0),  # anchored at the start: no gate
}
_GROUP_ALPHABET = "彻底完全治愈根治有效率高达9%马上立刻不见效红枣枸杞黄芪陈皮安慰剂PLACEBOplacebo天结论，。 "


def _group() -> tuple[prefilter.PatternGroup, dict[str, prefilter.GatedPattern]]:
    patterns = {name: gated(source, flags) for name, (source, flags) in _GROUP_SOURCES.items()}
    return prefilter.PatternGroup(patterns), patterns


def _gate_admits(pattern: prefilter.GatedPattern, text: str) -> bool:
    """What the pattern's own gate says of `text` on its own, the trial that drops a gate aside."""
    found = prefilter.analysis(pattern.pattern, pattern.flags)
    return not found.gated or prefilter._Gate(found).admits(text, 0, len(text))


def test_pattern_group_answers_each_stretch_as_each_gate() -> None:
    """Every stretch of every text: a pattern with an automaton-tested gate is among those that may match there
    exactly when its own gate admits the stretch cut out; the others always are; and wherever a pattern matches it
    is among them."""
    group, patterns = _group()
    texts = [
        *random_texts(_GROUP_ALPHABET, 60, seed=18),
        "这款汤彻底根治了失眠，有效率高达97%，喝了马上见效",
        "红枣枸杞黄芪陈皮都放进去，和PLACEBO比较",
        "结论：不马上见效，7天后再看",
    ]
    for text in texts:
        hits = group.scan(text)
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 1):
                within = hits.within(start, end)
                for name, pattern in patterns.items():
                    stretch = text[start:end]
                    expected = name in ("latin", "open", "start") or _gate_admits(pattern, stretch)
                    assert (name in within) == expected, (name, stretch)
                    assert hits.possible(name, start, end) == (name in within), (name, stretch)
                    if pattern.compiled.search(stretch):
                        assert name in within, (name, stretch)


def test_pattern_group_lists_the_patterns_without_a_usable_gate_everywhere() -> None:
    group, _ = _group()
    hits = group.scan("今天天气很好")
    assert hits.within(0, 6) == {"latin", "open", "start"}
    assert not hits.possible("cure", 0, 6)
    assert hits.within(3, 3) == {"latin", "open", "start"}


def test_pattern_group_needs_the_whole_anchor_inside_the_stretch() -> None:
    group, _ = _group()
    text = "喝完彻底治愈了"
    hits = group.scan(text)
    at = text.index("彻底")
    assert "cure" in hits.within(at, at + 4)
    assert "cure" not in hits.within(at, at + 3)  # 彻底治 holds no whole anchor
    assert "cure" not in hits.within(at + 1, len(text))
    assert hits.possible("cure", 0, len(text)) and not hits.possible("cure", at + 1, len(text))


def test_pattern_group_scan_is_one_pass_whatever_the_number_of_stretches() -> None:
    """The anchors are found once per text: asking about many stretches searches no pattern."""
    group, patterns = _group()
    text = "彻底治愈，有效率高达90%。" * 50
    searched = []
    for pattern in patterns.values():
        pattern._compiled = None  # a search would compile it
    hits = group.scan(text)
    for start in range(0, len(text), 7):
        searched.append(hits.within(start, start + 13))
    assert all(pattern._compiled is None for pattern in patterns.values())
    assert sum("cure" in found for found in searched) > 0


def test_a_search_told_the_gate_is_open_skips_the_gate_and_finds_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    pattern = gated("(?:彻底|完全)(?:治愈|根治)")
    texts = ["三个疗程彻底治愈", "坚持服用完全根治，彻底治愈", "偶尔有效", ""]
    expected = [([m.span() for m in pattern.finditer(t)], bool(pattern.search(t))) for t in texts]
    tested = []
    monkeypatch.setattr(prefilter.GatedPattern, "possible", lambda self, *args: tested.append(args) or True)
    found = [
        ([m.span() for m in pattern.finditer(t, gated=False)], bool(pattern.search(t, gated=False))) for t in texts
    ]
    assert found == expected
    assert expected[1][0] == [(4, 8), (9, 13)]
    assert tested == []


def test_alternatives_sharing_a_group_name_are_read_with_the_names_left_out() -> None:
    """`regex` lets alternatives share a group name and `re`'s parser refuses it: the analysis reads such a
    pattern with numbered groups, and its gate then never turns away a text the pattern matches."""
    source = r"(?P<name>[a-z]{2,5})\s*(?:研究|试验)|^(?P<name>[a-z]{2,5})\s*[(]\d+例"
    found = prefilter.analysis(source, 0)
    assert found.gated and set(found.uncased) == {"研究", "试验", "("}
    pattern = gated(source)
    texts = ["seal研究显示", "abc (120例)", "abc试", "研究", "(", *random_texts("ab研究试验例(12 ", 400, seed=5)]
    for text in texts:
        if regex.search(source, text):
            assert pattern.possible(text), text
    assert pattern.search("abc (120例)").group("name") == "abc"
    assert pattern.search("小鼠研究") is None


def test_unnaming_leaves_classes_escapes_and_references_alone() -> None:
    assert prefilter._unnamed(r"(?P<a>x)|[(?P<b>]|\(?P<c>y|(?P<a>z)") == r"(x)|[(?P<b>]|\(?P<c>y|(z)"
    assert prefilter._unnamed(r"[]?P<]|[^]](?P<d>e)") == r"[]?P<]|[^]](e)"
    # a named reference cannot be read without its name: such a pattern is scanned whole, as before
    assert prefilter._parse(r"(?P<a>x)(?P=a)|(?P<a>y)", 0) is None


@pytest.mark.parametrize(
    ("source", "flags", "alternatives"),
    [
        (r"a|b(c|d)|[|]|\||[]|]x|[^]|]", 0, ("a", "b(c|d)", "[|]", r"\|", "[]|]x", "[^]|]")),
        ("(?<!某|我)等|x", 0, ("(?<!某|我)等", "x")),
        ("ab", 0, ()),
        ("(a|b)", 0, ()),
        ("(?i)a|b", 0, ()),
        (r"(a)\1|b", 0, ()),
        ("(?P<x>a)(?P=x)|b", 0, ()),
        ("a(?#x|y)|b", 0, ()),
        ("(a)?(?(1)b|c)|d", 0, ()),
        ("(a|b(?R)?)|c", 0, ()),
        ("(a)(?1)|b", 0, ()),
        ("(?P<x>a)(?&x)|b", 0, ()),
        ("(?-i:a)|b", 0, ("(?-i:a)", "b")),
        ("a|b", regex.VERBOSE, ()),
        ("a|b", regex.VERSION1, ()),
    ],
)
def test_top_level_alternatives_split_only_where_each_alone_reads_the_same(
    source: str, flags: int, alternatives: tuple[str, ...]
) -> None:
    assert prefilter.top_level_alternatives(source, flags) == alternatives


def test_a_pattern_occurs_where_its_search_finds_a_match() -> None:
    language = default_language()
    names = [name for name in language.entries if name.startswith(("citations.", "evidence.", "trials."))]
    texts = [fold(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "seeds").glob("*.txt"))[:6]]
    pieces = [line for text in texts for line in text.splitlines() if line.strip()]
    pieces += ["", "（Lee等，2020）", "Smith et al. 2019 reported", "王立等（2022）报道", "某医生等，2021年"]
    split = 0
    for name in names:
        pattern = language.pattern(name)
        split += bool(prefilter.top_level_alternatives(pattern.pattern, pattern.flags))
        for piece in pieces:
            assert pattern.occurs(piece) == (pattern.search(piece) is not None), (name, piece)
            assert pattern.occurs(piece, 2, 30) == (pattern.search(piece, 2, 30) is not None), (name, piece)
    assert split >= 10


def test_the_spans_of_a_pattern_are_those_of_its_matches() -> None:
    """Every pattern of the pack, in whole texts, in windows of them and in short lines: `spans` gives what
    `finditer` gives, the patterns split into alternatives as well as the others."""
    language = default_language()
    texts = corpus()[:8]
    pieces = [line for text in texts for line in text.splitlines() if line.strip()][:400]
    pieces += ["", "对照组与安慰剂组", "a组和b组、c组与d组", "2:1随机", "随机分为两组或接受", "[1][2-3]①²"]
    split = 0
    for name in sorted(language.entries):
        pattern = language.pattern(name)
        alternatives = prefilter.top_level_alternatives(pattern.pattern, pattern.flags)
        split += bool(alternatives) and pattern._alternatives_never_empty()
        for text in (*texts[:2], *pieces):
            assert pattern.spans(text) == [m.span() for m in pattern.compiled.finditer(text)], (name, text[:40])
        for text in texts[:2]:
            window = (len(text) // 3, 2 * len(text) // 3)
            expected = [m.span() for m in pattern.compiled.finditer(text, *window)]
            assert pattern.spans(text, *window) == expected, name
    assert split >= 50


@pytest.mark.parametrize(
    "source",
    ["ab|a|b", "a+|ab|b+a", "(?<=a)b|ab|ba", "a(?=b)|b|ab", "(?:ab)+|b(?!a)|a", "x|a?b|ba"],
)
def test_spans_take_the_first_alternative_that_matches_at_the_earliest_start(source: str) -> None:
    pattern = gated(source)
    for text in ["", *random_texts("abx", 300, seed=31)]:
        assert pattern.spans(text) == [m.span() for m in regex.finditer(source, text)], text
        assert pattern.spans(text, 1, 7) == [m.span() for m in regex.compile(source).finditer(text, 1, 7)], text


def test_spans_of_alternatives_that_may_match_empty_are_those_of_finditer() -> None:
    pattern = gated("a*|b")
    assert not pattern._alternatives_never_empty()
    assert pattern.spans("baab") == [m.span() for m in regex.finditer("a*|b", "baab")]


_LEADS = [
    r"[^。;!\n]{0,6}?(?:就医|遵医嘱|建议[^。]{0,3}?查)[^。;!\n]{0,4}",
    r"[^,。]{0,3}?(?P<span>不|没有)(?:效|用)",
    r"[a-c]{0,2}?(?<=b)x+",
    r"[^。]{0,5}?(?:y|xy)\b",
]


@pytest.mark.parametrize("source", _LEADS)
def test_a_lazy_lead_finds_what_a_scan_finds(source: str) -> None:
    lead = prefilter.LazyLead.of(source, 0)
    assert lead is not None
    pattern = regex.compile(source)
    group = "span" if "span" in pattern.groupindex else None
    pieces = [
        "就医",
        "遵医嘱",
        "建议",
        "查",
        "。",
        ";",
        "\n",
        "不",
        "没有",
        "效",
        "用",
        ",",
        "a",
        "b",
        "c",
        "x",
        "y",
        " ",
        "好",
    ]
    chooser = random.Random(source)
    for _ in range(400):
        text = "".join(chooser.choice(pieces) for _ in range(chooser.randrange(0, 30)))
        start = chooser.randrange(0, len(text) + 1)
        end = chooser.randrange(start, len(text) + 1)
        expected = [m.span(group or 0) for m in pattern.finditer(text, start, end)]
        assert lead.spans(text, start, lead.rest.compiled.finditer(text, start, end), group) == expected, (text, start)


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        ("[^。]{0,4}?a|b", 0),  # the run leads the first alternative only
        ("[^。]{0,4}?a?", 0),  # the rest may be empty
        ("[^。]{0,4}?(a)\\1", 0),
        ("[^。]{0,4}?ok", regex.IGNORECASE),
        ("[^。]{1,4}?ok", 0),
        ("[^。]{0,4}ok", 0),
        ("\\w{0,4}?ok", 0),
        ("(?:[^。]{0,4}?ok)", 0),
    ],
)
def test_only_a_pattern_opened_by_a_lazy_run_of_one_class_has_a_lazy_lead(source: str, flags: int) -> None:
    assert prefilter.LazyLead.of(source, flags) is None


def test_a_lazy_lead_reads_its_run_and_rest() -> None:
    lead = prefilter.LazyLead.of("[^。;]{0,40}?(?:就医|复查)[^。]{0,9}", 0)
    assert lead is not None and lead.most == 40 and lead.rest.pattern == "(?:就医|复查)[^。]{0,9}"
    assert lead.lead.pattern == "[^。;]"


def test_a_budget_is_not_spent_by_other_threads() -> None:
    """`regex` times a search by the process's CPU time, which two threads hashing beside it (no GIL held) advance
    about three times as fast as the searching thread's own: the search is run again until its thread has spent the
    seconds (it would have stopped at a third of them, and the search needs at most 0.4 of them). What the search
    needs is measured while the threads hash, so that a loaded machine slows both alike, and its most of three
    runs is taken: one CPU time varies by a fifth or more between runs on a shared machine, and now and then by more
    than twice (a hyperthread sibling hashing beside it), so the search gets three tries, each measured afresh. A
    search stopped by the process's clock alone gets a third of what it needs every time."""
    import hashlib
    import threading

    slow = regex.compile("x*[yz]")  # tried at every start, each run read to the end: quadratic
    stop = threading.Event()
    block = b"x" * (1 << 16)  # within a core's cache: the hashing takes CPU time, not the search's memory bandwidth

    def hash_until_stopped() -> None:
        while not stop.is_set():
            hashlib.sha256(block).digest()

    def needs(text: str) -> float:
        started = time.thread_time()
        assert slow.search(text) is None
        return time.thread_time() - started

    hashers = [threading.Thread(target=hash_until_stopped) for _ in range(2)]
    for hasher in hashers:
        hasher.start()
    try:
        alone = needs("x" * 2000)
        text = "x" * int(2000 * (0.1 / max(alone, 1e-3)) ** 0.5)  # about 0.1 s of CPU
        for attempt in range(3):
            alone = max(needs(text), needs(text), needs(text))
            try:
                assert prefilter.cpu_search(slow.search, text, (), 2.5 * alone) is None
                break
            except TimeoutError:
                if attempt == 2:
                    raise
    finally:
        stop.set()
        for hasher in hashers:
            hasher.join()


def test_a_budgets_reading_of_the_cpu_clock_is_never_behind_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_Budget.cpu_now` is at least the thread's CPU time, and reads that clock (a system call) afresh only once its
    last reading is `REREAD` old: far fewer times than it is asked."""
    budget = prefilter._Budget(1.0)
    clock = time.thread_time
    reads = 0

    def counted() -> float:
        nonlocal reads
        reads += 1
        return clock()

    monkeypatch.setattr(prefilter.time, "thread_time", counted)
    for _ in range(2000):
        before = clock()
        assert budget.cpu_now() >= before
        sum(range(100))
    assert 0 < reads < 1000


def test_a_budget_is_not_spent_by_the_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Time asleep moves the wall clock, not the thread's CPU clock: a budget shorter than a sleep is not spent by it,
    whether or not the last CPU reading is `REREAD` old. (`REREAD` is made 20 ms so that the budget, 5 ms, is far
    more CPU time than the few calls around the sleep take even on a loaded machine.)"""
    monkeypatch.setattr(prefilter, "REREAD", 0.02)
    for pause in (0.01, 0.05):
        with pattern_budget(0.005):
            time.sleep(pause)
            left = prefilter._time_left()
            assert left is not None and 0 < left[0] <= 0.005


# --- searches proven safe by the step bound run without a timeout (`Safety`) ---


class _Recording:
    """A compiled pattern that notes, per call, whether it was given a timeout."""

    def __init__(self, source: str) -> None:
        self.real = regex.compile(source)
        self.pattern, self.flags, self.groupindex = self.real.pattern, self.real.flags, self.real.groupindex
        self.timeouts: list[bool] = []

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self.timeouts.append("timeout" in kwargs)
        return getattr(self.real, name)(*args, **kwargs)

    def search(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("search", *args, **kwargs)

    def match(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("match", *args, **kwargs)

    def finditer(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("finditer", *args, **kwargs)

    def findall(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("findall", *args, **kwargs)

    def sub(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("sub", *args, **kwargs)


def _forget(pattern: regex.Pattern[str]) -> None:
    """Drop what this process knows of a pattern's analysis, its safe widths among it."""
    key = prefilter.analysis_key(pattern.pattern, pattern.flags)
    prefilter._ANALYSED.pop(key, None)
    prefilter.ANALYSES.pop(key, None)


@pytest.fixture
def fresh_safety(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widths worked out on a pattern's second search, with no shared state from other tests."""
    monkeypatch.setattr(prefilter, "SAFE_AFTER", 2)
    monkeypatch.setattr(prefilter, "_SAFETIES", {})


@pytest.mark.usefixtures("fresh_safety")
def test_a_safe_width_is_worked_out_after_some_searches_and_kept() -> None:
    source = "(?:疗程|周期)\\s*\\d+\\s*次"  # of this test alone
    key = (source, 0)
    prefilter._ANALYSED.pop(key, None)
    prefilter.ANALYSES.pop(key, None)
    safety = prefilter.safety(gated(source))
    assert safety.width(False) == -1  # the first search: not worked out yet
    assert safety.width(False) == 512 and safety.width(True) == 524288
    assert prefilter.ANALYSES[key][-1] == (512, 524288) and key in prefilter.ANALYSES_ADDED
    prefilter._SAFETIES.clear()
    assert prefilter.safety(gated(source)).width(False) == 512  # read back from the kept analysis at once


def test_an_analysis_keeps_its_safe_widths() -> None:
    found = prefilter.analysis("(?:疗程|周期)\\d+次", 0)
    for safe in (None, (128, 4096)):
        kept = prefilter.dataclasses.replace(found, safe=safe)
        assert prefilter.Analysis.load(kept.dump()) == kept
    with pytest.raises(ValueError):
        prefilter.Analysis.load(found.dump()[:7])  # a table kept by an older release is read afresh


def test_a_kept_analysis_of_an_older_form_is_worked_out_again() -> None:
    key = ("(?:周期|疗程)\\d+次", 0)
    prefilter._ANALYSED.pop(key, None)
    prefilter.ANALYSES[key] = ("old", -1, True)
    assert prefilter.analysis(*key).prefilter.anchors == frozenset({"周期", "疗程"})
    assert len(prefilter.ANALYSES[key]) == 8


@pytest.mark.usefixtures("fresh_safety")
@pytest.mark.parametrize("budget", [None, 10.0])
def test_a_proven_safe_search_is_given_no_timeout(budget: float | None) -> None:
    safe = _Recording("(?:疗程|周期)\\s*\\d+\\s*次")
    _forget(safe.real)
    refused = _Recording("(疗程)\\s*\\1?\\d+\\s*次")  # a back reference: no bound
    text = "疗程 3 次，周期5次"
    with pattern_budget(budget):
        for recording in (safe, refused):
            pattern = GatedPattern(cast(regex.Pattern[str], recording))
            for _ in range(2):
                pattern.search(text)
            assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in recording.real.finditer(text)]
            assert pattern.findall(text) == recording.real.findall(text)
            assert pattern.sub("X", text) == recording.real.sub("X", text)
            assert pattern.match(text) is not None
    given = budget is not None
    assert safe.timeouts == [given, False, False, False, False, False]
    assert refused.timeouts == [given] * 6


@pytest.mark.usefixtures("fresh_safety")
def test_a_proven_safe_search_over_a_wider_window_keeps_its_timeout() -> None:
    recording = _Recording("[a-z]+!")  # quadratic as a search: proven safe up to 1,024 characters
    _forget(recording.real)
    pattern = GatedPattern(cast(regex.Pattern[str], recording))
    with pattern_budget(10.0):
        pattern.search("ab!")
        pattern.search("ab!")
        pattern.search("a" * 1023 + "!")
        pattern.search("a" * 1024 + "!")
    assert recording.timeouts == [True, False, False, True]


@pytest.mark.usefixtures("fresh_safety")
def test_a_spent_budget_stops_a_proven_safe_search_too() -> None:
    pattern = gated("(?:疗程|周期)\\d+次")
    pattern.search("疗程3次")
    pattern.search("疗程3次")
    assert pattern.safe_width() > 0
    with pattern_budget(0.0):
        with pytest.raises(PatternBudgetExceeded):
            pattern.search("疗程3次")
        with pytest.raises(PatternBudgetExceeded):
            list(pattern.finditer("疗程3次"))


_TEXTS = st.text(alphabet="疗程周期次 0123456789abc!,。", max_size=40)


@pytest.mark.usefixtures("fresh_safety")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_TEXTS, st.sampled_from(["(?:疗程|周期)\\s*\\d+\\s*次", "[a-c]+!", "\\d+(?:\\.\\d+)?[,。]?", "(?:次|!)+"]))
def test_the_safe_path_finds_what_a_plain_search_finds(text: str, source: str) -> None:
    plain = regex.compile(source)
    pattern = gated(source)
    for budget in (None, 10.0):
        with pattern_budget(budget):
            for _ in range(3):  # before and after the widths are worked out
                found = pattern.search(text)
                assert (found and found.span()) == ((m := plain.search(text)) and m.span())
                assert [m.span() for m in pattern.finditer(text, 1)] == [m.span() for m in plain.finditer(text, 1)]
                assert pattern.findall(text) == plain.findall(text)
                assert pattern.sub("-", text) == plain.sub("-", text)
                assert bool(pattern.match(text)) == bool(plain.match(text))


@pytest.mark.parametrize(
    ("window", "width"), [((), 10), ((3,), 7), ((3, 8), 5), ((3, 50), 7), ((-2,), 10), ((5, 2), 10)]
)
def test_window_width(window: tuple[int, ...], width: int) -> None:
    assert prefilter.window_width("0123456789", window) == width


@pytest.mark.usefixtures("fresh_safety")
def test_searches_and_matches_count_together_towards_the_safe_widths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "SAFE_AFTER", 4)
    source = "(?:随访|观察)\\d+(?:个月|周)"  # of this test alone
    _forget(regex.compile(source, 0))
    safety = prefilter.safety(gated(source))
    assert prefilter.safety(gated(source)) is safety  # one per source and flags
    assert prefilter.safety(gated(source, regex.IGNORECASE)) is not safety
    assert [safety.width(False), safety.width(True), safety.width(False)] == [-1, -1, -1]
    assert safety.width(True) == 2**21  # the fourth use
    assert safety.width(False) == 1024
    assert safety.uses == 4
    assert prefilter.ANALYSES[(source, 0)][-1] == (1024, 2**21)


@pytest.mark.usefixtures("fresh_safety")
def test_a_pattern_the_bound_refuses_keeps_no_safe_width() -> None:
    source = "(随访)\\s*\\1?\\d+周"  # a back reference
    key = (source, 0)
    _forget(regex.compile(source, 0))
    prefilter.ANALYSES_ADDED.discard(key)
    pattern = gated(source)
    assert [pattern.safe_width(), pattern.safe_width(), pattern.safe_width(True)] == [-1, -1, -1]
    assert prefilter.ANALYSES[key][-1] == (-1, -1) and key in prefilter.ANALYSES_ADDED
    prefilter._SAFETIES.clear()
    prefilter._ANALYSED.pop(key)
    kept = prefilter.safety(gated(source))
    assert (kept.uses, kept.search, kept.match) == (prefilter.SAFE_AFTER, -1, -1)  # read back, not counted again


def test_an_analysis_kept_in_the_form_before_safe_widths_is_worked_out_again() -> None:
    source = "(?:显效|有效)率\\s*\\d+%?"
    key = (source, 0)
    found = prefilter.analysis(source, 0)
    prefilter._ANALYSED.pop(key)
    prefilter.ANALYSES[key] = found.dump()[:7]  # what the release before kept
    prefilter.ANALYSES_ADDED.discard(key)
    again = prefilter.analysis(source, 0)
    assert again.prefilter == found.prefilter and again.safe is None
    assert len(prefilter.ANALYSES[key]) == 8 and key in prefilter.ANALYSES_ADDED
    assert prefilter.Analysis.load(prefilter.ANALYSES[key]) == again


@pytest.mark.usefixtures("fresh_safety")
def test_a_spent_budget_stops_every_proven_safe_search() -> None:
    pattern = gated("(?:疗效|效果)\\s*显著")
    text = "疗效 显著"
    for _ in range(2):
        pattern.search(text)
    assert pattern.safe_width() == 1024 and pattern.safe_width(True) == 2**21
    calls: list[Callable[[], object]] = [
        lambda: pattern.search(text),
        lambda: pattern.match(text),
        lambda: pattern.fullmatch(text),
        lambda: list(pattern.finditer(text)),
        lambda: pattern.findall(text),
        lambda: pattern.sub("-", text),
    ]
    for call in calls:
        with pattern_budget(0.0), pytest.raises(PatternBudgetExceeded):
            call()
    with pattern_budget(10.0):
        assert [call() is not None for call in calls] == [True] * 6


class _RecordingAll(_Recording):
    def fullmatch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("fullmatch", *args, **kwargs)


@pytest.mark.usefixtures("fresh_safety")
def test_searches_over_a_window_wider_than_the_safe_width_keep_their_timeout() -> None:
    recording = _RecordingAll("[a-c]+!")  # proven safe up to 1,024 characters as a search
    _forget(recording.real)
    pattern = GatedPattern(cast(regex.Pattern[str], recording))
    short, long = "ab!", "a" * 1024 + "!"
    with pattern_budget(10.0):
        pattern.search(short)
        pattern.search(short)
        recording.timeouts.clear()
        assert pattern.safe_width() == 1024
        list(pattern.finditer(long))
        list(pattern.finditer(long, 1))  # a window of 1,024
        pattern.findall(long)
        pattern.findall(long, 1, 1025)
        pattern.sub("-", long)
        pattern.sub("-", long[1:])
        pattern.search(long, -5)  # not a plain window: the whole text
        pattern.match(long)  # a match is linear: safe far further
        pattern.fullmatch(long)
    assert recording.timeouts == [True, False, True, False, True, False, True, False, False]


@pytest.mark.usefixtures("fresh_safety")
def test_a_full_match_of_a_pattern_that_may_end_anywhere_keeps_its_timeout() -> None:
    recording = _RecordingAll("[ab]*[ab]*")
    _forget(recording.real)
    pattern = GatedPattern(cast(regex.Pattern[str], recording))
    with pattern_budget(10.0):
        pattern.fullmatch("ab")
        assert pattern.fullmatch("a" * 6000 + "c") is None
    assert recording.timeouts[-1] is True


_WINDOWED = ["(?:疗效|效果)\\s*显著", "[a-c]+!", "(?i)dose|剂量\\d+", "(?:疗程|周期)\\s*\\d+\\s*次"]


@pytest.mark.usefixtures("fresh_safety")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(alphabet="疗效果显著剂量程周期次 0123456789abcDOSE!。", max_size=40),
    st.sampled_from(_WINDOWED),
    st.integers(0, 45),
    st.integers(0, 45),
)
def test_the_safe_path_finds_what_a_plain_search_finds_in_a_window(text: str, source: str, pos: int, end: int) -> None:
    plain = regex.compile(source)
    pattern = gated(source)
    pattern.safe_width()
    assert pattern.safe_width() >= 512  # worked out: every search below takes the safe path

    def span(found: regex.Match[str] | None) -> tuple[int, int] | None:
        return None if found is None else found.span()

    for budget in (None, 10.0):
        with pattern_budget(budget):
            for _ in range(2):
                assert span(pattern.search(text, pos, end)) == span(plain.search(text, pos, end))
                assert span(pattern.match(text, pos, end)) == span(plain.match(text, pos, end))
                assert span(pattern.fullmatch(text, pos, end)) == span(plain.fullmatch(text, pos, end))
                assert [m.span() for m in pattern.finditer(text, pos, end)] == [
                    m.span() for m in plain.finditer(text, pos, end)
                ]
                assert pattern.findall(text, pos, end) == plain.findall(text, pos, end)
