r"""Static checks that a regular expression cannot backtrack its way into super-linear time.

Two shapes are reported, read from the pattern's syntax tree (the standard library's parser, which reads the
syntax the `regex` module shares with `re`; `\p{…}` classes are read as one character):

* a *nested quantifier*: an unbounded repeat inside another unbounded repeat with nothing else every
  iteration must match, `(a+)+`, `(?:\w+\s?)*`, exponential on a near-miss (`(?:,\s*\d+)*` is fine: the comma
  delimits the iterations);
* an *unguarded leading run*: a pattern that starts with an unbounded repeat of a class and goes on with
  something that can fail, `\d+年`, `[a-z]{2,}等`. The search retries it from every character of a long run of
  that class, quadratic in the run; a lookbehind that excludes the class (`(?<!\d)\d+年`) guards it.

Possessive repeats never backtrack and are not reported. The shipped rule packs and language pack are held
to both (a test runs every pattern); user rule packs and language packs are refused nested quantifiers.
"""

from __future__ import annotations

import functools
import re._constants as sre
import re._parser as sre_parse
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import regex

from lint.core.compiled import compile_regex

_PROPERTY = compile_regex(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")
_UNBOUNDED = sre.MAXREPEAT
_BACKTRACKING = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_SINGLE = (sre.LITERAL, sre.IN, sre.ANY, sre.NOT_LITERAL)

NESTED = "nested quantifier"
LEADING = "unguarded leading run"

_Items = Iterable[tuple[object, object]]


# a plain int, as in `lint.core.prefilter`: `regex`'s flag enum makes each of the parser's flag tests a call
_PARSED_FLAGS = int(regex.IGNORECASE | regex.DOTALL | regex.VERBOSE)


def _parse(source: str, flags: int) -> sre_parse.SubPattern | None:
    readable = _PROPERTY.sub(r"\\w", source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sre_parse.parse(readable, int(flags) & _PARSED_FLAGS)
    except (sre.error, OverflowError, RecursionError, ValueError):
        return None


def nodes(items: Iterable[tuple[object, Any]]) -> list[tuple[object, Any]]:
    """The nodes of a sequence as a list: a parsed tree's own (iterating or slicing a tree calls its `__getitem__`
    per node, and a slice copies)."""
    if isinstance(items, sre_parse.SubPattern):
        return items.data
    return items if isinstance(items, list) else list(items)


def _parts(op: object, av: object) -> list[_Items]:
    """The sub-sequences of one node: a group's body, each branch, an assertion's body."""
    if op is sre.SUBPATTERN:
        return [av[-1]]  # type: ignore[index]
    if op is sre.BRANCH:
        return list(av[1])  # type: ignore[index]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [av[1]]  # type: ignore[index]
    return []


def _has_unbounded(items: _Items) -> bool:
    for op, av in items:
        if op in _BACKTRACKING:
            _, high, body = av  # type: ignore[misc]
            if high == _UNBOUNDED or _has_unbounded(body):
                return True
        elif any(_has_unbounded(part) for part in _parts(op, av)):
            return True
    return False


def _delimited(body: _Items) -> bool:
    """Whether a repeated body has a part every iteration must match besides its unbounded repeats (a separator
    such as the comma of `(?:,\\s*\\d+)*`), which keeps the iterations from being split two ways."""
    for op, av in body:
        if op in (sre.LITERAL, sre.IN, sre.NOT_LITERAL):
            return True
        if op in _BACKTRACKING and av[0] and av[1] != _UNBOUNDED:  # type: ignore[index]
            return True
        if op is sre.SUBPATTERN and _delimited(av[-1]):  # type: ignore[index]
            return True
    return False


def _nested(items: _Items) -> bool:
    for op, av in items:
        if op in _BACKTRACKING:
            _, high, body = av  # type: ignore[misc]
            if high == _UNBOUNDED and _has_unbounded(body) and not _delimited(body):
                return True
            if _nested(body):
                return True
        elif any(_nested(part) for part in _parts(op, av)):
            return True
    return False


def _cannot_fail(items: _Items) -> bool:
    """Whether a sequence matches (the empty string at least) wherever it is tried: it has only optional parts."""
    for op, av in items:
        if op in (*_BACKTRACKING, sre.POSSESSIVE_REPEAT):
            if av[0]:  # type: ignore[index]
                return False
        elif op is sre.SUBPATTERN:
            if not _cannot_fail(av[-1]):  # type: ignore[index]
                return False
        elif op is sre.BRANCH:
            if not any(_cannot_fail(branch) for branch in av[1]):  # type: ignore[index]
                return False
        else:
            return False
    return True


def _leading_run(items: Sequence[tuple[object, object]], rest: Sequence[tuple[object, object]]) -> bool:
    """Whether a sequence (or one of its alternatives) opens with an unbounded, backtracking repeat of one
    character or class, with no anchor or lookbehind before it, and goes on with something that can fail."""
    for index, (op, av) in enumerate(items):
        after = [*items[index + 1 :], *rest]
        if op is sre.BRANCH:
            return any(_leading_run(list(branch), after) for branch in av[1])  # type: ignore[index]
        if op is sre.SUBPATTERN:
            return _leading_run(list(av[-1]), after)  # type: ignore[index]
        if op in _BACKTRACKING:
            _, high, body = av  # type: ignore[misc]
            single = len(body) == 1 and body[0][0] in _SINGLE
            return high == _UNBOUNDED and single and not _cannot_fail(after)
        return False
    return False


def backtracking_risk(source: str, flags: int = 0, leading: bool = True) -> str | None:
    """The first super-linear shape of `source` (NESTED or, with `leading`, LEADING), or None when it has none or
    cannot be read."""
    tree = _parse(source, flags)
    if tree is None:
        return None
    if _nested(tree):
        return NESTED
    if leading and _leading_run(list(tree), []):
        return LEADING
    return None


# A search whose work over its window is proven to take at most this many matcher steps runs without a timeout
# (`safe_widths`): each step is one attempt of one node at one place, which took well under a nanosecond of real
# matching on adversarial input (`bench/bench.py stepbound`), so the limit is milliseconds.
STEP_LIMIT = 10_000_000
# what entering a capturing group and trying a lookaround cost `regex` in steps (about 80–140 ns and 10 ns, where
# a step of matching is at most 0.33 ns: `bench/bench.py stepbound`)
CAPTURE_STEPS = 256
LOOKAROUND_STEPS = 32
# the names of the groups `unfactored` puts in
_INSERTED = "healthlint_unfactored_"
# the widths `safe_widths` tells apart: 0, then powers of two up to 2**24 characters
_WIDTHS = (0, *(2**k for k in range(4, 25)))
_OVER = STEP_LIMIT * 2**26  # any count past this is as good as infinite; keeps the arithmetic small
_TEXT_STARTS = (sre.AT_BEGINNING_STRING,)
_AT_BEGINNING = sre.AT_BEGINNING


class _Refused(Exception):
    """A construct the step bound does not cover: a back reference, a conditional, an unbounded repeat of a body
    that may match the empty string."""


def _cap(value: int) -> int:
    return value if value < _OVER else _OVER


def _repeat_ways(body_ways: int, low: int, high: int) -> tuple[int, int]:
    """For a repeat of `low` to `high` iterations of a body with `body_ways` ways: its ways (the iteration counts
    and each iteration's way, Σ b^k for k from low to high) and how many partial paths try one more iteration
    (Σ b^k for k below high)."""
    if body_ways <= 1:
        return (max(0, high - low + 1) if body_ways else int(low == 0)), (high if body_ways else 1)
    ways = tries = 0
    power = 1
    for count in range(high + 1):
        if count >= low:
            ways = _cap(ways + power)
        if count < high:
            tries = _cap(tries + power)
        power = _cap(power * body_ways)
        if power >= _OVER:
            return _OVER, _OVER
    return ways, tries


class _StepBound:
    """An upper bound on the work of a backtracking matcher trying a pattern at one place of a window of `width`
    characters, read from the standard parser's tree: per node, its *ways* (how many distinct ways it can match
    there, each of which the rest of the pattern is tried after) and its *cost* (the steps spent finding them all).
    A sequence costs Σ (ways of the items before) × cost of the item; an alternation Σ of its branches, where the
    branches that are plain strings count as many ways as the longest chain of prefixes among them
    (`_prefix_chain`); a repeat of a b-way body up to n iterations (n no more than the width allows for a body of
    its least width) Σ b^k, or one way where what follows cannot start another iteration (`_repeat`); an atomic
    group, a possessive repeat and a lookaround one way; entering a capturing group costs `CAPTURE_STEPS`, trying a
    lookaround `LOOKAROUND_STEPS`. `regex` runs no path this enumeration does not count, so
    its work is at most the bound (its own optimisations only cut). One instance reads one tree, which outlives
    it: what it works out once is kept by the identity of the tree's nodes."""

    def __init__(self, free: frozenset[int] = frozenset()) -> None:
        self._free = free  # the groups `unfactored` put in, which cost nothing
        self._plain: dict[tuple[int, bool], tuple[int, int, int | None, list[list[tuple[object, object]]]]] = {}
        # per group or alternation, its bound and the least width from which on it holds: a part none of whose
        # repeats the width cuts short has the same bound at every greater width
        self._known: dict[tuple[int, bool], tuple[int, tuple[int, int, int]]] = {}
        self._cut = False  # whether the width cut a repeat short in the part being read
        self._ends: dict[tuple[int, bool], bool] = {}  # per repeat, whether `_runs_out` holds
        self._bodies: dict[int, list[_CharSet] | None] = {}  # per repeat, the classes its body starts with
        self._follows: dict[int, list[_CharSet] | None] = {}  # per node, the classes that may follow it
        self._kept: dict[int, int] = {}  # per whole sequence, how many of its items come before a rest that cannot fail

    def whole(self, items: Sequence[tuple[object, object]], folded: bool, width: int) -> int:
        """The cost of a whole pattern at one place. Nothing follows it, so where the rest of a sequence cannot fail
        (`_cannot_fail`: repeats that may stop at none, say), the first way the part before it matches ends the
        match: that rest is tried once, not once per way (`[。!?]+[”」]*`)."""
        key = id(items)
        items = nodes(items)
        if len(items) == 1 and items[0][0] is sre.BRANCH:
            _, cost, _, others = self._plain_branches(items[0][1][1], folded)  # type: ignore[index]
            return _cap(cost + sum(self.whole(branch, folded, width) for branch in others))
        if len(items) == 1 and items[0][0] is sre.SUBPATTERN:
            _, add, remove, body = items[0][1]  # type: ignore[misc]
            return self.whole(body, _folded(folded, add, remove), width)
        kept = self._kept.get(key)
        if kept is None:
            kept = len(items)
            while kept and _cannot_fail(items[kept - 1 : kept]):
                kept -= 1
            self._kept[key] = kept
        _, cost, _ = self.sequence(items, folded, width, None, kept)
        for index in range(kept, len(items)):
            op, av = items[index]
            cost = _cap(cost + self.node(op, av, folded, width, self._following(av, items, index, None))[1])
        return cost

    def sequence(
        self,
        items: Sequence[tuple[object, object]],
        folded: bool,
        width: int,
        after: list[_CharSet] | None,
        upto: int | None = None,
    ) -> tuple[int, int, int]:
        """(ways, cost, least width) of a sequence of nodes (the first `upto` of them) at one place, its repeats
        bounded by `width`; `after`: the classes the first character after the sequence belongs to one of (None
        where unknown or where the match may end there)."""
        ways, cost, least = 1, 0, 0
        items = nodes(items)
        for index in range(len(items) if upto is None else upto):
            op, av = items[index]
            follow = None if op in _SINGLE or op is sre.AT else self._following(av, items, index, after)
            node_ways, node_cost, node_least = self.node(op, av, folded, width, follow)
            cost = _cap(cost + ways * node_cost)
            ways = _cap(ways * node_ways)
            least += node_least
        return ways, cost, least

    def node(
        self, op: object, av: object, folded: bool, width: int, follow: list[_CharSet] | None
    ) -> tuple[int, int, int]:
        """(ways, cost, least width) of one node, followed by a character of one of the classes `follow`."""
        if op in _SINGLE:
            return 1, 1, 1
        if op is sre.AT:
            return 1, 1, 0
        if op is sre.SUBPATTERN or op is sre.BRANCH:
            key = (id(av), folded)
            known = self._known.get(key)
            if known is not None and width >= known[0]:
                return known[1]
            cut, self._cut = self._cut, False
            found = self._group(op, av, folded, width, follow)
            if op is sre.SUBPATTERN and av[0] is not None and av[0] not in self._free:  # type: ignore[index]
                found = (found[0], _cap(found[1] + CAPTURE_STEPS), found[2])
            if not self._cut:
                self._known[key] = (width, found)
            self._cut = cut or self._cut
            return found
        if op in (*_BACKTRACKING, sre.POSSESSIVE_REPEAT):
            return self._repeat(op, av, folded, width, follow)
        if op is sre.ATOMIC_GROUP:
            ways, cost, least = self.sequence(av, folded, width, follow)  # type: ignore[arg-type]
            return min(ways, 1), cost, least
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, body = av  # type: ignore[misc]
            if direction < 0 and not _looks_ahead(body):  # a lookbehind reads its own (fixed) width before it
                reach = body.getwidth()[1]
                if reach >= _UNBOUNDED:
                    raise _Refused
                width = reach
            _, cost, _ = self.sequence(body, folded, width, None)
            return 1, _cap(cost + LOOKAROUND_STEPS), 0
        raise _Refused

    def _repeat(
        self, op: object, av: object, folded: bool, width: int, follow: list[_CharSet] | None
    ) -> tuple[int, int, int]:
        """A repeat of up to `high` iterations (no more than the width allows a body of its least width), Σ b^k
        ways for a b-way body. Where the body matches in one way wherever it matches, never matches the empty
        string, and no character it may start with may follow the repeat (`\\s*年`, `\\d+\\s*例`,
        `(?:的)?研究`), the repeat counts one way: after every count but the greatest the next character starts
        another iteration, so what follows fails at once. Inside the body, what follows its last part is another
        iteration or what follows the repeat."""
        low, high, body = av  # type: ignore[misc]
        starts = self._starts(av)
        inside = None if follow is None or starts is None else starts + follow if high > 1 else follow
        body_ways, body_cost, body_least = self.sequence(body, folded, width, inside)
        if body_least:
            if width // body_least < high:  # one more iteration is tried (and fails) where the window ends
                high, self._cut = min(high, width // body_least + 1), True
        elif high == _UNBOUNDED:
            raise _Refused
        ways, tries = _repeat_ways(body_ways, low, high)
        cost = _cap(tries * body_cost + ways + 1)
        if op is sre.POSSESSIVE_REPEAT or (body_ways <= 1 and self._runs_out(av, starts, follow, folded)):
            ways = min(ways, 1)
        return ways, cost, body_least * low

    def _following(
        self, av: object, items: Sequence[tuple[object, object]], index: int, after: list[_CharSet] | None
    ) -> list[_CharSet] | None:
        """`_following` for the node `av` at `items[index]`, worked out once per node: what follows a node is the
        same wherever in the tree it is read from."""
        key = id(av)
        if key not in self._follows:
            self._follows[key] = _following(items, index, after)
        return self._follows[key]

    def _starts(self, av: object) -> list[_CharSet] | None:
        """The classes a repeat's body starts with (None where unknown or where it may match the empty string)."""
        key = id(av)
        if key not in self._bodies:
            self._bodies[key] = _first(av[2])  # type: ignore[index]
        return self._bodies[key]

    def _runs_out(self, av: object, starts: list[_CharSet] | None, follow: list[_CharSet] | None, folded: bool) -> bool:
        """Whether no character a repeat's body may start with may follow the repeat (see `_repeat`)."""
        key = (id(av), folded)
        disjoint = self._ends.get(key)
        if disjoint is None:
            disjoint = self._ends[key] = (
                starts is not None
                and follow is not None
                and all(_disjoint(first, then, folded) for first in starts for then in follow)
            )
        return disjoint

    def _group(
        self, op: object, av: object, folded: bool, width: int, follow: list[_CharSet] | None
    ) -> tuple[int, int, int]:
        if op is sre.BRANCH:
            return self.branch(av[1], folded, width, follow)  # type: ignore[index]
        _, add, remove, body = av  # type: ignore[misc]
        if (add | remove) & _READINGS:  # classes inside are read otherwise (or case) than those after the group
            follow = None
        return self.sequence(body, _folded(folded, add, remove), width, follow)

    def branch(
        self, branches: Sequence[_Items], folded: bool, width: int, follow: list[_CharSet] | None
    ) -> tuple[int, int, int]:
        ways, cost, least, others = self._plain_branches(branches, folded)
        for items in others:
            branch_ways, branch_cost, branch_least = self.sequence(items, folded, width, follow)
            ways, cost = _cap(ways + branch_ways), _cap(cost + branch_cost)
            least = branch_least if least is None else min(least, branch_least)
        return ways, cost, least or 0

    def _plain_branches(
        self, branches: Sequence[_Items], folded: bool
    ) -> tuple[int, int, int | None, list[list[tuple[object, object]]]]:
        """What the plain-string branches of an alternation come to whatever the width (ways, cost and least
        width), and its other branches; worked out once per alternation."""
        key = (id(branches), folded)
        found = self._plain.get(key)
        if found is None:
            strings: dict[str, int] = {}
            cost, least, others = 1, None, []
            for branch in branches:
                items = nodes(branch)
                text = _plain(items, folded)
                if text is None:
                    others.append(items)
                    continue
                strings[text] = strings.get(text, 0) + 1
                cost += max(1, len(text))
                least = len(text) if least is None else min(least, len(text))
            found = self._plain[key] = (_prefix_chain(strings), _cap(cost), least, others)
        return found


def _prefix_chain(strings: Mapping[str, int]) -> int:
    """How many of the strings (each counted as often as it is listed) may match at one place at most: those that
    match there are each a prefix of the longest of them, so it is the most a chain of prefixes holds."""
    chains: dict[str, int] = {}
    for text in sorted(strings, key=len):
        shorter = (chains.get(text[:size], 0) for size in range(len(text)))
        chains[text] = strings[text] + max(shorter, default=0)
    return max(chains.values(), default=0)


def _looks_ahead(items: Iterable[tuple[object, object]]) -> bool:
    """Whether a sequence holds a lookahead anywhere (one inside a lookbehind reads on to the window's end)."""
    for op, av in nodes(items):
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            found = av[0] > 0 or _looks_ahead(av[1])  # type: ignore[index]
        elif op is sre.SUBPATTERN:
            found = _looks_ahead(av[-1])  # type: ignore[index]
        elif op is sre.BRANCH:
            found = any(_looks_ahead(branch) for branch in av[1])  # type: ignore[index]
        elif op is sre.ATOMIC_GROUP:
            found = _looks_ahead(av)  # type: ignore[arg-type]
        elif op in (*_BACKTRACKING, sre.POSSESSIVE_REPEAT):
            found = _looks_ahead(av[2])  # type: ignore[index]
        else:
            found = False
        if found:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def cased(char: str) -> bool:
    """Whether a character has another case, in Python's Unicode data or in `regex`'s own (newer: it matches ƛ
    with U+A7DC ignoring case); True where `regex` cannot be asked."""
    if char.lower() != char.upper():
        return True
    cases = getattr(getattr(regex, "_regex", None), "get_all_cases", None)
    if cases is None:
        return True
    return len(cases(int(regex.IGNORECASE | regex.UNICODE), ord(char))) > 1


def _folded(folded: bool, add: int, remove: int) -> bool:
    """Whether a group with these inline flags matches ignoring case, inside a part that does (`folded`) or not."""
    return (folded or bool(add & sre.SRE_FLAG_IGNORECASE)) and not remove & sre.SRE_FLAG_IGNORECASE


# A stand-in for a Unicode property (`\\p{Han}`) in a pattern read for its step bound: a character of no known
# set, so that no class holding it is taken to be disjoint from another
PROPERTY_STAND_IN = 0x10FFFE
_CharSet = tuple[bool, tuple[tuple[object, object], ...]]  # negated, and the items of a class
_CATEGORY_SOURCES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
# the inline flags that change how classes and letters are read: a pair below is disjoint within one reading only,
# and a letter is apart from another in one case reading only
_READINGS = sre.SRE_FLAG_ASCII | sre.SRE_FLAG_LOCALE | sre.SRE_FLAG_UNICODE | sre.SRE_FLAG_IGNORECASE
# pairs of classes no character belongs to both of, in `regex`'s Unicode reading and in its ASCII one (a test
# checks every code point): a decimal digit is a word character, a white space is neither
DISJOINT_CATEGORIES = frozenset(
    frozenset(pair)
    for pair in (
        (sre.CATEGORY_DIGIT, sre.CATEGORY_SPACE),
        (sre.CATEGORY_SPACE, sre.CATEGORY_WORD),
        (sre.CATEGORY_DIGIT, sre.CATEGORY_NOT_DIGIT),
        (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_SPACE),
        (sre.CATEGORY_WORD, sre.CATEGORY_NOT_WORD),
        (sre.CATEGORY_DIGIT, sre.CATEGORY_NOT_WORD),
    )
)
_MAX_LISTED = 256  # a class of at most this many listed characters is checked character by character


def _char_set(op: object, av: object) -> _CharSet | None:
    """The class of a one-character node (None for any other, or one holding a property)."""
    if op is sre.LITERAL or op is sre.NOT_LITERAL:
        found: _CharSet = (op is sre.NOT_LITERAL, ((sre.LITERAL, av),))
    elif op is sre.IN:
        items = tuple(av)  # type: ignore[call-overload]
        negated = bool(items) and items[0][0] is sre.NEGATE
        found = (negated, items[1:] if negated else items)
    elif op is sre.ANY:
        found = (True, ())  # every character (a newline too, to keep it simple)
    else:
        return None
    return None if (sre.LITERAL, PROPERTY_STAND_IN) in found[1] else found


def _following(
    items: Sequence[tuple[object, object]], index: int, after: list[_CharSet] | None
) -> list[_CharSet] | None:
    """The classes the character after `items[index]` belongs to one of: the first of the rest of the sequence,
    and where the rest may match the empty string, `after` too (None where unknown)."""
    found, nullable = _first_of(items[index + 1 :])
    if found is None or (nullable and after is None):
        return None
    return [*found, *after] if nullable and after is not None else found


def _first(items: Sequence[tuple[object, object]]) -> list[_CharSet] | None:
    """The classes the first character of every match of a sequence belongs to one of (None where unknown, or
    where the sequence may match the empty string, so that what follows it decides)."""
    found, nullable = _first_of(items)
    return None if found is None or nullable else found


def _first_of(items: Iterable[tuple[object, object]]) -> tuple[list[_CharSet] | None, bool]:
    """The first-character classes of a sequence, and whether it may match the empty string."""
    sets: list[_CharSet] = []
    for op, av in nodes(items):
        single = _char_set(op, av)
        if single is not None:
            return [*sets, single], False
        if op is sre.AT:
            continue  # reads no character: the next node's first is the first
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            return (
                None,
                True,
            )  # reads none either, but tried in full where it stands: what follows does not fail at once
        if op is sre.SUBPATTERN:
            if (av[1] | av[2]) & _READINGS:  # type: ignore[index]  # its classes are read otherwise than others
                return None, True
            inner, nullable = _first_of(av[-1])  # type: ignore[index]
        elif op is sre.ATOMIC_GROUP:
            inner, nullable = _first_of(av)  # type: ignore[arg-type]
        elif op is sre.BRANCH:
            inner, nullable = [], False
            for branch in av[1]:  # type: ignore[index]
                part, empty = _first_of(branch)
                if part is None:
                    return None, True
                inner.extend(part)
                nullable = nullable or empty
        elif op in (*_BACKTRACKING, sre.POSSESSIVE_REPEAT):
            inner, nullable = _first_of(av[2])  # type: ignore[index]
            nullable = nullable or av[0] == 0  # type: ignore[index]
        else:
            return None, True
        if inner is None:
            return None, True
        sets.extend(inner)
        if not nullable:
            return sets, False
    return sets, True


def _listed(charset: _CharSet) -> list[str] | None:
    """The characters of a class that lists them (literals and ranges, no more than `_MAX_LISTED`), else None."""
    negated, items = charset
    if negated:
        return None
    chars: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            chars.append(chr(av))  # type: ignore[arg-type]
        elif op is sre.RANGE:
            low, high = av  # type: ignore[misc]
            if high - low >= _MAX_LISTED:
                return None
            chars.extend(map(chr, range(low, high + 1)))
        else:
            return None
        if len(chars) > _MAX_LISTED:
            return None
    return chars


def _holds(charset: _CharSet, char: str) -> bool:
    """Whether `char` belongs to a class (True where unsure)."""
    negated, items = charset
    return any(_item_holds(op, av, char) for op, av in items) != negated


def _item_holds(op: object, av: object, char: str) -> bool:
    if op is sre.LITERAL:
        return ord(char) == av
    if op is sre.RANGE:
        return av[0] <= ord(char) <= av[1]  # type: ignore[index]
    if op is sre.CATEGORY and av in _CATEGORY_SOURCES:
        # `regex`'s own classes, Unicode and ASCII readings alike (a pattern read for its bound may be either)
        source = _CATEGORY_SOURCES[av]  # type: ignore[index]
        return bool(regex.fullmatch(source, char) or regex.fullmatch(source, char, regex.ASCII))
    return True


def _disjoint(first: _CharSet, second: _CharSet, folded: bool) -> bool:
    """Whether no character belongs to both classes (False where unsure; `folded`: matched ignoring case, where
    only classes of uncased characters are compared)."""
    for listed, other in ((_listed(second), first), (_listed(first), second)):
        if listed is not None:
            if folded and any(map(cased, listed)):
                return False
            return not any(_holds(other, char) for char in listed)
    if first[0] or second[0]:
        return False
    return all(_items_disjoint(a, b, folded) for a in first[1] for b in second[1])


def _items_disjoint(first: tuple[object, object], second: tuple[object, object], folded: bool) -> bool:
    """Whether two items of classes (a character, a range, a category) share no character (False where unsure)."""
    if first[0] is sre.CATEGORY and second[0] is sre.CATEGORY:
        return frozenset((first[1], second[1])) in DISJOINT_CATEGORIES
    if first[0] is sre.CATEGORY:
        first, second = second, first
    listed = _listed((False, (first,)))
    if listed is None or (folded and any(map(cased, listed))):
        return False
    return not any(_holds((False, (second,)), char) for char in listed)


def _plain(items: Sequence[tuple[object, object]], folded: bool) -> str | None:
    """The string a branch of literals matches, or None: other nodes, or letters matched ignoring case (two
    spellings of one word are then two ways)."""
    codes: list[int] = []
    for op, av in nodes(items):
        if op is sre.LITERAL and av != PROPERTY_STAND_IN:
            codes.append(av)  # type: ignore[arg-type]
        elif not (op is sre.SUBPATTERN and not av[-1]):  # type: ignore[index]  # an empty group (`unfactored`)
            return None
    text = "".join(map(chr, codes))
    return None if folded and any(map(cased, text)) else text


def _steps(tree: sre_parse.SubPattern, width: int, anchored: bool, bound: _StepBound | None = None) -> int:
    """An upper bound on the steps of a search of `tree` over `width` characters (`anchored`: a match or a full
    match, tried at the window's start alone). At each place `finditer` tries once more where an empty match ended,
    refusing an empty match there, so that every way of the pattern may be tried to its end; a pattern that
    matches no empty string is counted twice the work of a search there."""
    folded = bool(tree.state.flags & sre.SRE_FLAG_IGNORECASE)
    bound = bound or _StepBound(_free_groups(tree))
    if anchored:
        return _cap(2 * _every_way(tree, folded, width, bound))
    cost = bound.whole(tree, folded, width)
    place = _cap(cost + _every_way(tree, folded, width, bound)) if tree.getwidth()[0] == 0 else _cap(2 * cost)
    items = nodes(tree)
    first = items[0] if items else None
    multiline = tree.state.flags & sre.SRE_FLAG_MULTILINE
    if (
        first is not None
        and first[0] is sre.AT
        and (first[1] in _TEXT_STARTS or (first[1] is _AT_BEGINNING and not multiline))
    ):
        return _cap(place + 2 * (width + 1))  # a failed start is one step at every place but the first
    return _cap((width + 1) * place)


def _every_way(tree: sre_parse.SubPattern, folded: bool, width: int, bound: _StepBound) -> int:
    """The steps of trying every way of the pattern to its end at one place (a full match: its end must follow)."""
    ways, cost, _ = bound.sequence(nodes(tree), folded, width, None)
    return _cap(cost + ways)


def safe_widths(tree: sre_parse.SubPattern | None) -> tuple[int, int]:
    """The widest windows (of `_WIDTHS`, -1 for none) over which a search (`search`, `finditer`, `findall`, `sub`)
    and an anchored match (`match`, `fullmatch`) of a parsed pattern are proven to take at most `STEP_LIMIT`
    steps (`_StepBound`); (-1, -1) for a pattern the bound does not cover or one that cannot be parsed."""
    if tree is None:
        return -1, -1
    try:
        bound = _StepBound(_free_groups(tree))
        return _widest(tree, False, bound), _widest(tree, True, bound)
    except (_Refused, RecursionError):
        return -1, -1


def _widest(tree: sre_parse.SubPattern, anchored: bool, bound: _StepBound) -> int:
    """The widest of `_WIDTHS` within the limit (the steps grow with the width: a binary search)."""
    low, high = 0, len(_WIDTHS)  # _WIDTHS[:low] are within the limit, _WIDTHS[high:] are not
    while low < high:
        middle = (low + high) // 2
        if _steps(tree, _WIDTHS[middle], anchored, bound) <= STEP_LIMIT:
            low = middle + 1
        else:
            high = middle
    return _WIDTHS[low - 1] if low else -1


def unfactored(source: str, atoms: Iterable[tuple[int, int]]) -> str:
    """`source` with an empty capturing group after every `|` (`atoms`: the spans of its atoms, escapes and
    classes whole). The standard parser moves a node every branch of an alternation starts with out in front of
    it, and makes an alternation of single characters a class; `regex` does not, so it tries that node once per
    branch. An empty group of its own in front of every branch but the first keeps the tree as written (named so
    that the bound counts it free: `_free_groups`)."""
    parts: list[str] = []
    for start, end in atoms:
        parts.append(source[start:end])
        if end - start == 1 and source[start] == "|":
            parts.append(f"(?P<{_INSERTED}{len(parts)}>)")
    return "".join(parts)


def _free_groups(tree: sre_parse.SubPattern) -> frozenset[int]:
    """The numbers of the groups `unfactored` put in (the pattern has none of them: they cost nothing)."""
    return frozenset(number for name, number in tree.state.groupdict.items() if name.startswith(_INSERTED))
