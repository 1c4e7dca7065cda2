"""The static backtracking check, and the guarantee it gives: every shipped pattern (rule packs, the language
pack, the package's own) is free of nested quantifiers and unguarded leading runs. The step bound, which lets a
search proven to take at most `STEP_LIMIT` steps run without a timeout: what it refuses, the widths it gives, and
that a naive backtracker never takes more steps than it allows."""

import importlib
import pkgutil
import re
import re._parser as sre_parse
from collections.abc import Callable

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import lint
from lint.core import prefilter, regex_safety
from lint.core.prefilter import GatedPattern
from lint.core.regex_safety import DISJOINT_CATEGORIES, LEADING, NESTED, backtracking_risk, safe_widths, unfactored
from lint.io.language import default_language
from lint.io.rulepack import _parameters, default_packs


@pytest.mark.parametrize(
    ("source", "risk"),
    [
        ("(a+)+b", NESTED),
        ("(?:\\w+\\s?)*x", NESTED),
        ("(x+x+)+y", NESTED),
        ("(?:a*)*", NESTED),
        ("\\d+年", LEADING),
        ("[a-z]{2,}等", LEADING),
        ("\\p{Han}+x", LEADING),
        (".*根治", LEADING),
        ("(?<!\\d)\\d+年", None),
        ("\\d++年", None),
        ("\\d+", None),
        ("[。!?]+[”]*", None),
        ("x(?:,\\s*\\d+)*y", None),
        ("\\[\\d{1,3}(?:\\s*[-–,]\\s*\\d{1,3})*\\]", None),
        ("^\\s*healthlint-", None),
        ("(unclosed", None),
    ],
)
def test_shapes(source: str, risk: str | None) -> None:
    assert backtracking_risk(source) == risk


def _shipped_patterns() -> list[tuple[str, str, int]]:
    found = [
        (f"lang:{name}", entry.source, 0)
        for name, entry in default_language().entries.items()
        if entry.kind == "pattern"
    ]
    for pack in default_packs():
        for rule in pack.rules:
            for key, value in _parameters(rule.checker.params):
                for pattern in value if isinstance(value, tuple) else (value,):
                    if isinstance(pattern, regex.Pattern | GatedPattern):
                        found.append((f"{rule.id}:{key}", pattern.pattern, pattern.flags))
    for info in pkgutil.walk_packages(lint.__path__, "lint."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            values = value.values() if isinstance(value, dict) else [value]
            for pattern in values:
                if isinstance(pattern, regex.Pattern | re.Pattern | GatedPattern) and isinstance(pattern.pattern, str):
                    found.append((f"{info.name}.{name}", pattern.pattern, pattern.flags))
    return found


def test_every_shipped_pattern_is_proven_safe() -> None:
    patterns = _shipped_patterns()
    assert len(patterns) > 150
    risky = [(where, backtracking_risk(source, flags)) for where, source, flags in patterns]
    assert [entry for entry in risky if entry[1]] == []


# --- the step bound: searches proven to take at most STEP_LIMIT steps run without a timeout ---


TOP = 2**24  # the widest width `safe_widths` tells apart


def _tree(source: str, flags: int = 0) -> sre_parse.SubPattern | None:
    """A pattern read as the step bound reads it (`prefilter.Safety`)."""
    return prefilter.bound_tree(source, flags)


def _widths(source: str, flags: int = 0) -> tuple[int, int]:
    return safe_widths(_tree(source, flags))


@pytest.mark.parametrize(
    "source",
    ["(a)\\1", "(?P<x>a)(?P=x)", "(a)?(?(1)b|c)", "(?:a?)*b", "(?:abc){1<=e<=2}", "(?:abc){e<=1}", "[[:alpha:]]x"],
)
def test_the_bound_refuses_what_it_does_not_cover(source: str) -> None:
    """Back references, conditionals, an unbounded repeat of a body that may be empty, and `regex`'s own syntax
    (fuzzy constraints, the least-count form too; POSIX classes) keep their timeout."""
    assert _widths(source) == (-1, -1)


def test_full_case_folding_and_an_unread_pattern_are_refused() -> None:
    assert prefilter._parse("strasse", regex.IGNORECASE | regex.FULLCASE) is None
    assert safe_widths(None) == (-1, -1)


@pytest.mark.parametrize(
    ("source", "widths"),
    [
        ("(?:a|aa)+b", (0, 16)),  # exponential on a near-miss
        ("(a|aa)+b", (0, 0)),  # entering a capturing group costs `CAPTURE_STEPS` more
        ("(?P<span>[a-z]+)!", (1024, 2**21)),  # once a try
        ("(x+x+)+y", (0, 0)),
        ("(?:\\w+\\s?)*!", (0, 0)),
        ("[a-z]+!", (1024, 2**21)),  # quadratic as a search, linear as a match
        ("(?m)^[a-z]+!", (1024, 2**21)),
        ("^[a-z]+!", (2**20, 2**21)),  # a start of the text fails at once everywhere else
        ("\\A[a-z]+!", (2**20, 2**21)),
        ("研究|试验|观察", (2**19, TOP)),
        ("(?<=ab)c", (2**17, TOP)),  # a lookaround costs `LOOKAROUND_STEPS` a try
    ],
)
def test_safe_widths(source: str, widths: tuple[int, int]) -> None:
    assert _widths(source) == widths


def test_alternatives_are_read_as_written() -> None:
    """The standard parser makes `[a-z]|[a-y]` one class; `regex` tries both, so the bound counts two ways."""
    assert _widths("(?:[a-z]|[a-y]){0,12}!")[0] == 128
    assert _widths("[a-z]{0,12}!")[0] == 2**17
    source = "a|b[|]c\\|d(?:e|f)"
    assert unfactored(source, prefilter._atoms(source)) == (
        "a|(?P<healthlint_unfactored_2>)b[|]c\\|d(?:e|(?P<healthlint_unfactored_13>)f)"
    )


@pytest.mark.parametrize(
    ("strings", "ways"),
    [
        ({"a": 1, "ab": 1, "abc": 1}, 3),
        ({"ab": 1, "cd": 1}, 1),
        ({"ab": 2}, 2),
        ({"a": 1, "ab": 2, "b": 1}, 3),
        ({}, 0),
    ],
)
def test_plain_alternatives_count_their_longest_prefix_chain(strings: dict[str, int], ways: int) -> None:
    assert regex_safety._prefix_chain(strings) == ways


@pytest.mark.parametrize(
    ("disjoint", "overlapping", "wider"),
    [
        ("x\\s*年[a-z]{0,30}!", "x\\s*[年 ][a-z]{0,30}!", (1024, 256)),
        ("x\\d+\\s*例[a-z]{0,30}!", "x\\d+\\s*[例5][a-z]{0,30}!", (1024, 64)),
        ("x(?:的)?研究[a-z]{0,30}!", "x(?:的|研)?研究[a-z]{0,30}!", (65536, 32768)),
        ("x(?:-[a-z]+){0,3}\\s[a-z]{0,30}!", "x(?:-[a-z]+){0,3}[a-z\\s][a-z]{0,30}!", (512, 16)),
        ("x[a-z]*[一二][a-z]{0,30}!", "x[一-龥]*[一二][a-z]{0,30}!", (1024, 256)),
    ],
)
def test_a_repeat_that_cannot_run_into_what_follows_counts_one_way(
    disjoint: str, overlapping: str, wider: tuple[int, int]
) -> None:
    """`\\s*年`: after any count of spaces but the greatest, the next character is a space, which 年 is not. Inside a
    repeat, what follows its body is another iteration or what follows the repeat."""
    assert (_widths(disjoint)[0], _widths(overlapping)[0]) == wider


def test_a_property_is_never_taken_as_disjoint() -> None:
    """`\\p{Han}` is read as a stand-in character of no known class: the bound treats it as overlapping 一."""
    assert _widths("x\\p{Han}*[一二][a-z]{0,30}!") == _widths("x[一-龥]*[一二][a-z]{0,30}!")
    assert _widths("x\\p{Han}*[一二][a-z]{0,30}!")[0] < _widths("x[a-z]*[一二][a-z]{0,30}!")[0]


def test_the_disjoint_categories_share_no_character() -> None:
    """Every pair the bound takes as disjoint is, for every code point, in `regex`'s Unicode and ASCII readings."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    sources = regex_safety._CATEGORY_SOURCES
    for pair in DISJOINT_CATEGORIES:
        first, second = (sources[category] for category in pair)
        for flags in (0, regex.ASCII):
            assert regex.search(f"(?={first}){second}", every, flags) is None, (first, second, flags)


class _Naive:
    """A naive backtracking matcher over the tree the bound reads (literals, classes, groups, alternations,
    greedy and lazy repeats), counting one step per node it tries: the work the bound must not fall below."""

    def __init__(self, text: str) -> None:
        self.text, self.steps = text, 0

    def sequence(self, items: list, index: int, pos: int, then: Callable[[int], bool]) -> bool:
        if index == len(items):
            return then(pos)
        op, av = items[index]
        return self.node(op, av, pos, lambda end: self.sequence(items, index + 1, end, then))

    def node(self, op: object, av: object, pos: int, then: Callable[[int], bool]) -> bool:
        self.steps += 1
        single = regex_safety._char_set(op, av)
        if single is not None:
            return pos < len(self.text) and regex_safety._holds(single, self.text[pos]) and then(pos + 1)
        if op is sre_parse.SUBPATTERN:
            return self.sequence(list(av[-1]), 0, pos, then)
        if op is sre_parse.BRANCH:
            return any(self.sequence(list(branch), 0, pos, then) for branch in av[1])
        low, high, body = av
        lazy = op is sre_parse.MIN_REPEAT

        def repeat(count: int, at: int) -> bool:
            self.steps += 1
            more = count < high and self.sequence(list(body), 0, at, lambda end: end != at and repeat(count + 1, end))
            if lazy:
                return (count >= low and then(at)) or (count < high and more)
            return more or (count >= low and then(at))

        if lazy:

            def repeat(count: int, at: int) -> bool:
                self.steps += 1
                if count >= low and then(at):
                    return True
                return count < high and self.sequence(
                    list(body), 0, at, lambda end: end != at and repeat(count + 1, end)
                )

        return repeat(0, pos)

    def search(self, tree: sre_parse.SubPattern) -> int:
        for start in range(len(self.text) + 1):
            if self.sequence(list(tree), 0, start, lambda end: True):
                break
        return self.steps


_ATOMS = st.sampled_from(
    ["a", "b", "[ab]", "(?:a|ab)", "(?:a|b)", "(?:ab|b)", "(?:ba)", "\\d", "\\s", "[^a]", "年", "(?:年|a1)"]
)
_COUNTS = st.sampled_from(["", "", "?", "*", "+", "{0,3}", "{1,2}", "*?", "??"])
_PATTERNS = st.lists(st.tuples(_ATOMS, _COUNTS), min_size=1, max_size=4).map(
    lambda parts: "".join(a + c for a, c in parts)
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PATTERNS, min_size=1, max_size=2).map("|".join),
    st.text(alphabet="ab 1年", max_size=12),
)
def test_the_bound_is_above_the_work_of_a_naive_backtracker(source: str, text: str) -> None:
    """Whatever it counts one way, a naive backtracker trying every path in `regex`'s order takes no more steps
    than the bound allows, and the bound grows with the width; the anchored bound is above a naive match's and
    full match's work (a full match may take more than a search: a search ends at its first match)."""
    tree = _tree(source)
    assert tree is not None
    try:
        bound = regex_safety._steps(tree, len(text), False)
    except regex_safety._Refused:
        return
    assert _Naive(text).search(tree) <= bound
    assert regex_safety._steps(tree, len(text) + 16, False) >= bound
    anchored = regex_safety._steps(tree, len(text), True)
    assert _NaiveReading(text).match(tree) <= anchored and _NaiveReading(text).fullmatch(tree) <= anchored


# --- more of the step bound: its parts, anchored matches, and where its reading falls short ---


class _NaiveReading(_Naive):
    """`_Naive`, also reading `\\Z` and `\\A`, and the property stand-in as `\\p{Ll}` (the property of the patterns
    below), with anchored matches: a match tried at the start, and a full match, which must end at the end."""

    def node(self, op: object, av: object, pos: int, then: Callable[[int], bool]) -> bool:
        if op is sre_parse.AT:
            self.steps += 1
            if av is sre_parse.AT_END_STRING:
                return pos == len(self.text) and then(pos)
            assert av is sre_parse.AT_BEGINNING_STRING
            return pos == 0 and then(pos)
        if op is sre_parse.LITERAL and av == regex_safety.PROPERTY_STAND_IN:
            self.steps += 1
            return pos < len(self.text) and regex.match(r"\p{Ll}", self.text[pos]) is not None and then(pos + 1)
        return super().node(op, av, pos, then)

    def match(self, tree: sre_parse.SubPattern) -> int:
        self.sequence(list(tree), 0, 0, lambda end: True)
        return self.steps

    def fullmatch(self, tree: sre_parse.SubPattern) -> int:
        self.sequence(list(tree), 0, 0, lambda end: end == len(self.text))
        return self.steps


def _charset(source: str) -> regex_safety._CharSet | None:
    tree = _tree(source)
    assert tree is not None and len(tree) == 1
    return regex_safety._char_set(*tree[0])


@pytest.mark.parametrize(
    ("first", "second", "folded", "disjoint"),
    [
        ("a", "b", False, True),
        ("a", "A", False, True),
        ("a", "A", True, False),  # ignoring case, a letter is never taken as apart from another
        ("[年月]", "\\s", True, True),  # characters of no case, ignoring case or not
        ("\\d", "\\s", False, True),
        ("\\d", "\\w", False, False),  # a digit is a word character
        ("\\d", "[0-9]", False, False),
        ("\\d", "[x-z]", False, True),
        ("\\s", "[^a]", False, False),  # a negated class: unsure
        ("[^a]", "[^b]", False, False),
        (".", "年", False, False),
        ("[\\u4e00-\\u9fa5]", "年", False, False),  # a range too wide to list, holding the character
        ("[\\u4e00-\\u9fa5]", "\\s", False, False),  # too wide to list, and a category: unsure
    ],
)
def test_two_classes_are_disjoint_only_where_no_character_is_in_both(
    first: str, second: str, folded: bool, disjoint: bool
) -> None:
    one, other = _charset(first), _charset(second)
    assert one is not None and other is not None
    assert regex_safety._disjoint(one, other, folded) is disjoint
    assert regex_safety._disjoint(other, one, folded) is disjoint


def test_a_property_has_no_known_class() -> None:
    assert _charset("\\p{Han}") is None
    assert _charset("[\\p{Han}a]") is None
    assert _charset("[^\\p{Han}]") is None
    assert _charset("[a-z]") == (False, ((sre_parse.RANGE, (ord("a"), ord("z"))),))


@pytest.mark.parametrize(
    ("source", "firsts"),
    [
        ("a?b", [(False, ((sre_parse.LITERAL, ord("a")),)), (False, ((sre_parse.LITERAL, ord("b")),))]),
        ("(?=x)y", None),  # a lookahead reads no character, but is tried in full where it stands
        ("\\b(?:c|d)e", [(False, ((sre_parse.LITERAL, ord("c")),)), (False, ((sre_parse.LITERAL, ord("d")),))]),
        ("a?", None),  # may be empty: what follows decides
        ("\\p{Han}x", None),
        ("(a)\\1", [(False, ((sre_parse.LITERAL, ord("a")),))]),
        # an alternative that may be empty lets what follows the alternation start a match too
        ("(?:a|)b", [(False, ((sre_parse.LITERAL, ord("a")),)), (False, ((sre_parse.LITERAL, ord("b")),))]),
    ],
)
def test_the_first_characters_of_a_sequence(source: str, firsts: list[regex_safety._CharSet] | None) -> None:
    tree = _tree(source)
    assert tree is not None
    assert regex_safety._first(list(tree)) == firsts


_ANY_ATOMS = st.sampled_from(
    ["a", "[ab]", "\\d", "\\s", "\\w", ".", "(?:a|ab)", "(a|b)", "\\p{Han}", "(?>ab?)", "(?<=a)", "(?=b)", "\\b", "\\1"]
)
_ANY_COUNTS = st.sampled_from(["", "?", "*", "+", "{0,3}", "{2,5}", "*?", "++", "{1,}"])
_ANY_BRANCHES = st.lists(st.tuples(_ANY_ATOMS, _ANY_COUNTS), min_size=1, max_size=3).map(
    lambda parts: "".join(a + c for a, c in parts)
)
_ANY_PATTERNS = st.tuples(st.sampled_from(["", "^", "\\A"]), st.lists(_ANY_BRANCHES, min_size=1, max_size=3)).map(
    lambda parts: parts[0] + "|".join(parts[1])
)


@settings(max_examples=300, deadline=None)
@given(_ANY_PATTERNS)
def test_safe_widths_are_the_widest_within_the_limit(source: str) -> None:
    """Whatever the pattern (those the bound refuses too), `safe_widths` gives one of its widths (or -1), the
    widest whose steps are within `STEP_LIMIT` (a full match may take more than a search, so the match width may
    be the narrower)."""
    tree = _tree(source)
    search, match = safe_widths(tree)
    widths = regex_safety._WIDTHS
    assert search in (-1, *widths) and match in (-1, *widths)
    if tree is None:
        assert (search, match) == (-1, -1)
        return
    for width, anchored in ((search, False), (match, True)):
        try:
            steps = [regex_safety._steps(tree, w, anchored) for w in widths]
        except regex_safety._Refused:
            assert (search, match) == (-1, -1)
            return
        assert steps == sorted(steps)  # more characters, never fewer steps
        within = [w for w, s in zip(widths, steps, strict=True) if s <= regex_safety.STEP_LIMIT]
        assert width == (within[-1] if within else -1)


def test_an_end_anchor_makes_the_trailing_repeats_of_a_match_count_for_each_way() -> None:
    """`[ab]*[ab]*` matches at once wherever it is tried; followed by `\\Z` it may have to try every split of a
    run, quadratic in it, and the bound says so. The match width is a full match's too, which ends where the
    text does: quadratic without the anchor as well; and as the pattern may match the empty string, `finditer`
    tries again where an empty match ended, every split then, which narrows the search width."""
    assert _widths("[ab]*[ab]*") == (128, 1024)
    assert _widths("[ab]*[ab]*\\Z") == (64, 1024)
    tree, text = _tree("[ab]*[ab]*\\Z"), "a" * 60 + "c"
    assert tree is not None
    assert _NaiveReading(text).match(tree) <= regex_safety._steps(tree, len(text), True)


def test_the_anchored_bound_is_above_the_work_of_a_naive_full_match() -> None:
    tree, text = _tree("[ab]*[ab]*"), "a" * 60 + "c"
    assert tree is not None
    assert _NaiveReading(text).fullmatch(tree) <= regex_safety._steps(tree, len(text), True)


def test_a_property_in_an_alternative_counts_as_a_class_there() -> None:
    source, text = "(?:ab|\\p{Ll}b)+!", "!" + "ab" * 10  # exponential on the run: 2 ways an iteration
    tree = _tree(source)
    assert tree is not None
    assert _NaiveReading(text).search(tree) <= regex_safety._steps(tree, len(text), False)


def test_a_property_in_an_alternative_is_read_as_a_class_inside_a_group() -> None:
    """Wrapped in a group, the same alternative is not plain, and the bound counts its two ways."""
    assert _widths("(?:ab|(?:\\p{Ll})b)+!") == _widths("(?:ab|[a-z]b)+!") == (16, 32)
    assert _widths("(?:ab|(\\p{Ll})b)+!") == (16, 16)  # a capturing group costs `CAPTURE_STEPS` more


def test_a_class_read_as_ascii_is_not_taken_as_apart_from_one_read_as_unicode() -> None:
    assert regex.fullmatch("(?a:\\W)\\w", "éé") is not None  # é starts both
    source, text = "(?:(?a:\\W)?\\w)+!", "!" + "é" * 14  # an iteration is one é or two: Fibonacci many ways
    tree = _tree(source)
    assert tree is not None
    assert _NaiveReading(text).search(tree) <= regex_safety._steps(tree, len(text), False)


# --- probes of the step bound's soundness: constructs whose real work the bound may fall below ---


class _NaiveFolded(_NaiveReading):
    """`_NaiveReading`, also reading inline case flags (`(?i:…)`, `(?-i:…)`, a single character then matching a
    character or its lower or upper case) and lookarounds (a lookbehind of fixed width tried from that many
    characters back), with `finditer`'s retry: after an empty match, the same place is tried once more for a
    non-empty one."""

    def __init__(self, text: str, folded: bool = False) -> None:
        super().__init__(text)
        self.folded = folded

    def node(self, op: object, av: object, pos: int, then: Callable[[int], bool]) -> bool:
        single = regex_safety._char_set(op, av)
        if single is not None and self.folded:
            self.steps += 1
            if pos >= len(self.text):
                return False
            char = self.text[pos]
            cases = {char, char.lower(), char.upper()}
            return any(len(c) == 1 and regex_safety._holds(single, c) for c in cases) and then(pos + 1)
        if op is sre_parse.SUBPATTERN and (av[1] | av[2]) & sre_parse.SRE_FLAG_IGNORECASE:
            self.steps += 1
            outer = self.folded
            inner = regex_safety._folded(outer, av[1], av[2])

            def after(end: int) -> bool:
                self.folded = outer
                try:
                    return then(end)
                finally:
                    self.folded = inner

            self.folded = inner
            try:
                return self.sequence(list(av[-1]), 0, pos, after)
            finally:
                self.folded = outer
        if op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            self.steps += 1
            direction, body = av
            if direction < 0:
                reach = body.getwidth()[0]
                found = pos >= reach and self.sequence(list(body), 0, pos - reach, lambda end: end == pos)
            else:
                found = self.sequence(list(body), 0, pos, lambda end: True)
            return found == (op is sre_parse.ASSERT) and then(pos)
        return super().node(op, av, pos, then)

    def first_end(self, tree: sre_parse.SubPattern, at: int, empty: bool = True) -> int | None:
        """Where the first match tried at `at` ends (`empty`: an empty match counts), or None."""
        ends: list[int] = []
        self.sequence(list(tree), 0, at, lambda end: (empty or end != at) and ends.append(end) is None)
        return ends[0] if ends else None

    def finditer(self, tree: sre_parse.SubPattern) -> int:
        start = 0
        while start <= len(self.text):
            at, end = start, None
            while at <= len(self.text) and (end := self.first_end(tree, at)) is None:
                at += 1
            if end is None:
                break
            if end == at:  # an empty match: the same place once more, for a non-empty match
                end = self.first_end(tree, at, empty=False) or at + 1
            start = max(end, at + 1)
        return self.steps


def test_the_folded_naive_backtracker_reads_case_and_lookarounds() -> None:
    """The checker the probes below rely on agrees with `regex` on what matches."""
    for source, text in [("a(?i:B)c", "aBc"), ("a(?i:b)c", "abc"), ("(?i)a(?-i:b)", "Ab"), ("a(?=b)b", "ab")]:
        tree = _tree(source)
        assert tree is not None
        naive = _NaiveFolded(text, bool(tree.state.flags & sre_parse.SRE_FLAG_IGNORECASE))
        assert (naive.first_end(tree, 0) is not None) == (regex.match(source, text) is not None), source
    tree = _tree("(?<=ab)c")
    assert tree is not None
    assert _NaiveFolded("abc").search(tree) < _NaiveFolded("abd").search(tree)


@pytest.mark.parametrize("flags", [regex.IGNORECASE, regex.IGNORECASE | regex.ASCII])
def test_the_disjoint_categories_share_no_character_ignoring_case(flags: int) -> None:
    """The bound compares categories alike ignoring case or not: no pair shares a character then either."""
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    sources = regex_safety._CATEGORY_SOURCES
    for pair in DISJOINT_CATEGORIES:
        first, second = (sources[category] for category in pair)
        assert regex.search(f"(?={first}){second}", every, flags) is None, (first, second, flags)


def test_a_pattern_ignoring_case_never_takes_two_spellings_as_apart() -> None:
    """`(?i)a*A`: the A follows a run of a's, so the run counts a way per count (as `a*a` does)."""
    assert _widths("(?i)a*A[a-z]*!") == _widths("a*a[a-z]*!")
    tree, text = _tree("(?i)a*A[a-z]*!"), "a" * 40
    assert tree is not None
    assert _NaiveFolded(text, True).match(tree) <= regex_safety._steps(tree, len(text), True)


@pytest.mark.parametrize("source", ["a*(?i:A)[a-z]*!", "(?i)(?-i:a*)A[a-z]*!"])
def test_an_inline_case_flag_is_not_taken_as_apart_from_what_runs_into_it(source: str) -> None:
    tree, text = _tree(source), "a" * 60
    assert tree is not None
    folded = bool(tree.state.flags & sre_parse.SRE_FLAG_IGNORECASE)
    assert _NaiveFolded(text, folded).match(tree) <= regex_safety._steps(tree, len(text), True)


@pytest.mark.parametrize(
    ("source", "text"), [("a*(?=[a-z]*!)b", "a" * 60 + "b"), ("[ab]*(?=[a-z]*!)c", "ab" * 30 + "c")]
)
def test_a_lookahead_after_a_repeat_is_tried_after_every_count(source: str, text: str) -> None:
    tree = _tree(source)
    assert tree is not None
    assert _NaiveFolded(text).match(tree) <= regex_safety._steps(tree, len(text), True)


def test_a_lookahead_inside_a_lookbehind_reads_to_the_end_of_the_window() -> None:
    tree, text = _tree("[a-z](?<=(?=[a-z]*!)[a-z])"), "a" * 60
    assert tree is not None
    assert _NaiveFolded(text).search(tree) <= regex_safety._steps(tree, len(text), False)


def test_finditer_retries_after_an_empty_match_and_every_empty_way_is_then_tried() -> None:
    tree, text = _tree("(?:\\d*|\\s*)" * 10), "x" * 20
    assert tree is not None
    assert _NaiveFolded(text).finditer(tree) <= regex_safety._steps(tree, len(text), False)


def test_finditer_retries_after_an_empty_match() -> None:
    """What the naive `finditer` above models: `regex` tries a place where an empty match ended once more."""
    assert regex.findall("(?:|a)", "a") == ["", "a", ""]


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        ("(?x)(?:[a-z]  # a letter [or\n | [a-y]  # another\n)+!", 0),  # the `[` would hide the `|` after it
        ("(?x)(?:[a-z]  # a letter\n | [a-y]  # another\n)+!", 0),
        ("(?:(?ix)[a-z] # x\n|[a-y])+!", 0),
        ("(?:(?x:[a-z] )|[a-y])+!", 0),
        ("(?:[a-z]  # a letter [or\n | [a-y])+!", regex.VERBOSE),
    ],
)
def test_a_verbose_pattern_is_not_read_for_a_bound(source: str, flags: int) -> None:
    """`prefilter._atoms` does not read a verbose pattern's comments, where a `[` would swallow the `|` after it
    and `unfactored` would then put no empty group there (the parser merges `[a-z]|[a-y]` into one class, which
    `regex` tries as two, exponential on a near-miss): such a pattern keeps its timeout."""
    assert _widths(source, flags) == (-1, -1)
    assert _widths("(?:[a-z]|[a-y])+!") == (0, 16)  # as written, an iteration is one letter or the other


def test_case_pairs_only_regex_knows_are_not_taken_as_apart() -> None:
    assert regex.fullmatch("(?i)\u019b", "\ua7dc") is not None
    one, other = _charset("\u019b"), _charset("\ua7dc")
    assert one is not None and other is not None
    assert not regex_safety._disjoint(one, other, True)


def test_a_character_is_cased_where_python_or_regex_knows_another_case_of_it() -> None:
    assert regex_safety.cased("a") and regex_safety.cased("Σ") and regex_safety.cased("\u019b")
    assert not regex_safety.cased("治") and not regex_safety.cased("7") and not regex_safety.cased("。")


# --- a randomized probe over a richer grammar: anchors, atomic groups, possessive repeats, inline flags ---

_WORD = regex.compile(r"\w")


class _NaiveRich(_NaiveFolded):
    """`_NaiveFolded`, also reading every anchor (`^` and `$` with and without MULTILINE, `\\A`, `\\Z`, `\\b`, `\\B`),
    atomic groups and possessive repeats (the first way of the body alone), counting steps as the bound does: none
    for entering a group, one for trying a repeat and one per count it may stop at."""

    def __init__(self, text: str, flags: int) -> None:
        super().__init__(text, bool(flags & sre_parse.SRE_FLAG_IGNORECASE))
        self.multiline = bool(flags & sre_parse.SRE_FLAG_MULTILINE)

    def _word(self, pos: int) -> bool:
        return 0 <= pos < len(self.text) and _WORD.match(self.text[pos]) is not None

    def _at(self, av: object, pos: int) -> bool:
        text, size = self.text, len(self.text)
        if av is sre_parse.AT_BEGINNING:
            return pos == 0 or (self.multiline and text[pos - 1] == "\n")
        if av is sre_parse.AT_BEGINNING_STRING:
            return pos == 0
        if av is sre_parse.AT_END:
            if self.multiline:
                return pos == size or text[pos] == "\n"
            return pos == size or (pos == size - 1 and text[pos] == "\n")
        if av is sre_parse.AT_END_STRING:
            return pos == size
        boundary = self._word(pos - 1) != self._word(pos)
        return boundary if av is sre_parse.AT_BOUNDARY else not boundary

    def _first_way(self, run: Callable[[Callable[[int], bool]], bool]) -> int | None:
        ends: list[int] = []
        run(lambda end: ends.append(end) is None)
        return ends[0] if ends else None

    def _repeat(self, lazy: bool, av: object, pos: int, then: Callable[[int], bool]) -> bool:
        self.steps += 1
        low, high, body = av

        def repeat(count: int, at: int) -> bool:
            self.steps += count >= low

            def more() -> bool:
                return count < high and self.sequence(
                    list(body), 0, at, lambda end: end != at and repeat(count + 1, end)
                )

            if lazy:
                return (count >= low and then(at)) or more()
            return more() or (count >= low and then(at))

        return repeat(0, pos)

    def node(self, op: object, av: object, pos: int, then: Callable[[int], bool]) -> bool:
        if op is sre_parse.AT:
            self.steps += 1
            return self._at(av, pos) and then(pos)
        if op is sre_parse.SUBPATTERN:  # a group costs no step of its own in the bound (nor here)
            if (av[1] | av[2]) & sre_parse.SRE_FLAG_IGNORECASE:
                self.steps -= 1  # `_NaiveFolded` counts one
                return super().node(op, av, pos, then)
            return self.sequence(list(av[-1]), 0, pos, then)
        if op is sre_parse.ATOMIC_GROUP:
            end = self._first_way(lambda found: self.sequence(list(av), 0, pos, found))
            return end is not None and then(end)
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            return self._repeat(op is sre_parse.MIN_REPEAT, av, pos, then)
        if op is sre_parse.POSSESSIVE_REPEAT:
            end = self._first_way(lambda found: self._repeat(False, av, pos, found))
            return end is not None and then(end)
        return super().node(op, av, pos, then)


def _rich_patterns() -> st.SearchStrategy[str]:
    atoms = st.sampled_from(
        ["a", "b", "1", " ", "年", "ab", "[ab]", "[^a]", "\\d", "\\w", "\\s", "\\W", ".", "\\n", "(?<=a)", "(?<!b)"]
    )
    anchors = st.sampled_from(["\\b", "\\B", "^", "$", "\\A", "\\Z"])
    counts = st.sampled_from(["", "", "?", "*", "+", "{0,3}", "{1,2}", "{2}", "*?", "+?", "??", "{0,2}?", "*+", "++"])

    def sequences(atom: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        pieces = st.one_of(st.tuples(atom, counts).map("".join), anchors)
        return st.lists(pieces, min_size=0, max_size=3).map("".join)

    def groups(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        kinds = st.sampled_from(["(?:", "(", "(?>", "(?=", "(?!", "(?i:"])
        branches = st.lists(sequences(inner), min_size=1, max_size=3).map("|".join)
        return st.tuples(kinds, branches).map(lambda parts: parts[0] + parts[1] + ")")

    atom = st.recursive(atoms, groups, max_leaves=4)
    body = st.lists(sequences(atom), min_size=1, max_size=3).map("|".join)
    return st.tuples(st.sampled_from(["", "", "(?i)", "(?m)", "(?s)"]), body).map("".join)


@settings(max_examples=300, deadline=None)
@given(_rich_patterns(), st.text(alphabet="ab 1年\n", max_size=10))
def test_the_bound_is_above_a_naive_backtracker_over_a_richer_grammar(source: str, text: str) -> None:
    """Classes, categories, anchors, lookarounds, atomic groups, possessive and lazy repeats, inline flags and
    alternations nested in groups: a naive `search`, `finditer`, `match` and `fullmatch` take no more steps than
    the bound allows (the search bound for the first two, the anchored one for the others)."""
    try:
        regex.compile(source)
    except regex.error:
        return
    tree = _tree(source)
    if tree is None:
        return
    flags = tree.state.flags
    try:
        search = regex_safety._steps(tree, len(text), False)
        anchored = regex_safety._steps(tree, len(text), True)
    except regex_safety._Refused:
        return
    results = {
        "search": (_NaiveRich(text, flags).search(tree), search),
        "finditer": (_NaiveRich(text, flags).finditer(tree), search),
        "match": (_NaiveRich(text, flags).match(tree), anchored),
        "fullmatch": (_NaiveRich(text, flags).fullmatch(tree), anchored),
    }
    assert all(naive <= bound for naive, bound in results.values()), results


@pytest.mark.parametrize(
    "source",
    [
        "(?:|a|ab){0,8}x",  # an empty branch
        "(?:a|ab|abc)+x",  # one branch a prefix of the others
        "(?:a|a|a){1,6}x",  # duplicates
        "(?:a|b|c|a)+x",  # single characters
        "(?i)(?:a|ab)+x",  # ignoring case: not plain
        "(?:a|a\\w|ab)+x",  # plain branches mixed with others
        "(?:a|[ab]|ab)+x",
        "(?:a|aa|aaa)+x",
        "(?:a{1,3}){1,50}b",  # nested bounded repeats
        "a{0,1000}b",
        "a{0,1000}?b",
        "(?:a{2}){1,5}b",
        "(?:^|x)a*b",  # a start anchor in an alternation
        "(?m)^a*b",
        "(?m)^(?:a|aa)+b",
        "^(?:a|aa)+b",
        "\\A(?:a|aa)+b",
        "a+.*?",  # trailing parts that cannot fail
        "a+(?:|b)",
        "a+(?=b)?",
        "a*(?:b|)",
        "[^。]{0,80}?x",
        ".*.*x",
        "(?s).*.*x",
        ".*?.*?x",
        "(?:a|ab)*?x",
        "\\ba+\\b",
        "\\Ba*\\B!",
        "(?:a|ab)(?:c|bcd)*x",
        "(?:ab|a)(?:bc|c)*x",
        "(?:a|ab)++x",
        "(?>a|ab)+x",
    ],
)
def test_plain_alternatives_repeats_and_anchors_stay_above_a_naive_backtracker(source: str) -> None:
    """The shapes of `_prefix_chain`, of repeat counts and of anchors, on runs and near-misses."""
    tree = _tree(source)
    assert tree is not None
    for text in ["a" * 7, "ab" * 3, "a" * 6 + "!", "!" + "ab" * 3, "aab" * 2 + "a", "a\na\na\n"]:
        flags = tree.state.flags
        search, anchored = regex_safety._steps(tree, len(text), False), regex_safety._steps(tree, len(text), True)
        assert _NaiveRich(text, flags).search(tree) <= search, text
        assert _NaiveRich(text, flags).finditer(tree) <= search, text
        assert _NaiveRich(text, flags).match(tree) <= anchored, text
        assert _NaiveRich(text, flags).fullmatch(tree) <= anchored, text


@pytest.mark.parametrize(
    ("strings", "ways"),
    [
        ({"": 1, "a": 1, "ab": 1}, 3),  # the empty string is a prefix of every string
        ({"a": 3}, 3),
        ({"a": 1, "b": 1, "c": 1}, 1),
        ({"a": 1, "ab": 1, "ac": 1, "abc": 1}, 3),
        ({"": 2, "b": 1}, 3),
    ],
)
def test_more_prefix_chains(strings: dict[str, int], ways: int) -> None:
    assert regex_safety._prefix_chain(strings) == ways


# --- real time at a width the bound claims safe: what a step costs in `regex` ---

_BUDGET = 0.25  # seconds: STEP_LIMIT steps take a few milliseconds; this is well above it


def _runs_within_budget(source: str, anchored: bool, text: Callable[[int], str]) -> bool:
    """Whether `regex` matches (`anchored`) or searches `source` over the widest window `safe_widths` claims for it,
    on an adversarial text of that width, within `_BUDGET` (`regex`'s own timeout stops it there)."""
    search, match = _widths(source)
    width = match if anchored else search
    if width < 0:
        return True  # not proven: the search keeps its timeout
    compiled = regex.compile(source)
    try:
        (compiled.match if anchored else compiled.search)(text(width), timeout=_BUDGET)
    except TimeoutError:
        return False
    return True


def test_a_search_at_a_claimed_width_runs_within_the_budget() -> None:
    """The harness of the probe below: a shape whose steps the bound counts runs well within the budget over the
    wide window it is proven for."""
    assert _widths("\\w+a")[0] >= 1024 and _widths("(?:\\w)+a")[1] >= 1024
    assert _runs_within_budget("\\w+a", False, lambda width: "1" * width)
    assert _runs_within_budget("(?:\\w)+a", True, lambda width: "1" * width)


@pytest.mark.parametrize(
    ("source", "anchored"),
    [
        ("(?:" + "()" * 20 + "\\w)+(?=a)", False),  # claimed safe over 1024 characters: ~2 s there
        ("(?:" + "()" * 20 + "\\w)+(?=a)", True),  # claimed safe over 2**19 characters: ~3 s there
        ("\\w+" + "()" * 20 + "(?=a)", False),  # groups after the repeat, tried after every count: ~0.8 s
        ("(?:" + "(" * 20 + "\\w" + ")" * 20 + ")+(?=a)", False),  # nested groups: ~2 s
    ],
)
def test_capturing_groups_cost_what_regex_spends_on_them(source: str, anchored: bool) -> None:
    """`regex` spends about 100 ns entering a capturing group (20 of them took seconds over the widths claimed
    before the bound charged them `CAPTURE_STEPS`): at the width claimed now, the run is within the budget."""
    assert _runs_within_budget(source, anchored, lambda width: "1" * width)
