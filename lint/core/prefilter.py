"""Literal prefilters for regular expressions: run a regex only where the literals every match contains occur,
and compile it only when it may match.

The pattern's syntax tree gives a set of *anchors*, literal strings at least one of which occurs in every
match, and the pattern's widest match. Two uses:

* `AnchorIndex`, for rule patterns over a whole document: one Aho-Corasick pass (`lint.core.matcher`) finds
  the anchors of all patterns, and each pattern is scanned only on the stretches around its anchors, which
  gives exactly the matches a scan of the whole text gives (see `Prefilter.windows`). Where a match holds
  anchors of several parts (a person, then a treatment, then an outcome), only the places where all of them
  occur within a match's reach are scanned (`Prefilter.kept`).
* `GatedPattern`, for the built-in patterns run on many short pieces (sentences, blocks): a piece that
  holds none of the anchors is not searched at all.

Both compile a pattern (with the `regex` module, whose parser is written in Python and costs milliseconds a
pattern) only when an anchor of it turns up, so a short run compiles only the patterns its text may match.
What the syntax tree gives (`analysis`) is kept per pattern source in `ANALYSES`, which the IO layer keeps on
disk between runs (`lint.io.artefacts`).

The tree comes from the standard library's parser, which reads the syntax the `regex` module shares with
`re`; a pattern that uses anything beyond it (or whose anchors cannot be worked out) is always scanned in full.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
import re
import re._constants as sre
import re._parser as sre_parse
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import field
from typing import Any, Protocol, TypeVar, cast

import regex

from lint.core.compiled import compile_regex
from lint.core.marshalled import decoded
from lint.core.matcher import Literals, Occurrence
from lint.core.records import record
from lint.core.regex_safety import PROPERTY_STAND_IN, cased, nodes, safe_widths, unfactored

_MAX_SET = 64  # a literal set larger than this is not worth expanding
_MAX_CLASS = 32  # nor a character class with more members

_Strings = frozenset[str]
_Leads = dict[str, int]  # anchors, each with how far into a match it may start
# plain ints: the standard parser tests its flags at every node, and `regex`'s flag enum makes each test a call
_STANDARD_FLAGS = int(regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.VERBOSE | regex.ASCII)
_SHARED_FLAGS = _STANDARD_FLAGS | int(regex.UNICODE | regex.VERSION0)
# syntax `re` parses but reads otherwise than the `regex` module: POSIX classes, fuzzy constraints (`{e<=1}`, and
# with a least count, `{1<=e<=2}`)
_REGEX_ONLY = compile_regex(r"\[:\^?[a-z]+:\]|\{\s*(?:\d+\s*<=?\s*)?\d*\s*[eids]")
# a Unicode property (`\p{Han}`, `\PL`), one character the analysis need not know: read as `\W`, which is one
# character of no known literal inside a set and outside one
_PROPERTY = compile_regex(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^{}]*\}|[A-Za-z])")


@record(frozen=True, slots=True)
class _Shape:
    """What a piece of a pattern matches: `exact`, every string it can match (when few and known), and
    `required`, strings one of which every match contains (None where unknown)."""

    exact: _Strings | None
    required: _Strings | None


_UNKNOWN = _Shape(None, None)
_NOTHING: frozenset[str] = frozenset({""})
_EMPTY = _Shape(frozenset({""}), None)


def _uncased(ch: str) -> bool:
    """Whether a character has no other case, for `regex` (whose case data is newer than Python's) as for `re`."""
    return not cased(ch)


def _kept(ch: str, keep_cased: bool) -> bool:
    """Whether a reader keeps `ch` as a literal: one with no other case, or, for a reader that keeps cased letters
    (looked for with `re` ignoring case), one whose other case `re` knows too."""
    return _uncased(ch) or (keep_cased and ch.lower() != ch.upper())


@record(frozen=True, slots=True)
class _Reader:
    """Works out the shape of a parsed pattern; `cased` keeps cased letters as literals (callers that accept
    them must match them case-insensitively). `shapes` remembers the shape of each node of the one tree it reads
    (by the node's identity), as the analysis reads a tree more than once; `met_cased` notes whether a reader
    that does not keep cased letters met one (if not, a reader that keeps them reads the tree the same)."""

    cased: bool
    shapes: dict[tuple[int, object], _Shape] = field(default_factory=dict, compare=False)
    met_cased: list[bool] = field(default_factory=lambda: [False], compare=False)

    def literal(self, code: int) -> _Shape:
        shape = _LITERALS.get((code, self.cased))
        if shape is None:
            ch = chr(code)
            strings = frozenset({ch})
            shape = _LITERALS[code, self.cased] = _Shape(strings, strings) if _kept(ch, self.cased) else _UNKNOWN
        if shape is _UNKNOWN:
            self.met_cased[0] = True
        return shape

    def char_class(self, items: list[tuple[object, int]]) -> _Shape:
        if len(items) > _MAX_CLASS or any(op is not sre.LITERAL for op, _ in items):
            return _UNKNOWN
        chars = [chr(code) for _, code in items]
        if not all(_kept(ch, self.cased) for ch in chars):
            self.met_cased[0] = True
            return _UNKNOWN
        members = frozenset(chars)
        return _Shape(members, members)

    def sequence(self, items: Iterable[tuple[object, Any]]) -> _Shape:
        items = nodes(items)
        if items and all(op is sre.LITERAL for op, _ in items):  # a word: itself, exactly and required
            text = "".join([chr(code) for _, code in items])
            if all(_kept(ch, self.cased) for ch in text):
                strings = frozenset({text})
                return _Shape(strings, strings)
        shapes = [self.node(op, av) for op, av in items]
        required: _Strings | None = None
        exact: _Strings | None = _NOTHING if not shapes else None
        for candidate in self._candidates(shapes):
            required = _better(required, candidate)
            exact = candidate  # the last candidate is the run of every item when all are of known strings
        if any(shape.exact is None for shape in shapes):
            exact = None
        return _Shape(exact, _better(required, exact))

    def candidates(self, items: Iterable[tuple[object, Any]]) -> list[_Strings]:
        """Every anchor set a match of the sequence `items` must contain one of (each of them, not just one)."""
        return [c for c in self._candidates([self.node(op, av) for op, av in nodes(items)]) if c and "" not in c]

    @staticmethod
    def _candidates(shapes: list[_Shape]) -> Iterator[_Strings | None]:
        """The anchor sets of the items of a sequence, and the strings of each run of items of known strings."""
        for shape in shapes:
            yield shape.required
        run: list[_Strings] = []
        for shape in [*shapes, _UNKNOWN]:
            if shape.exact is not None:
                run.append(shape.exact)
                continue
            if run:
                yield _product(run)
            run = []

    def group(self, av: Any) -> _Reader:
        """The reader of a group's contents: a group that turns case-insensitivity on must not keep letters; one
        that turns it off, `(?-i:…)`, matches its letters as written, so they are literals of the text."""
        if av[1] & sre.SRE_FLAG_IGNORECASE:
            return _Reader(cased=False)
        if av[2] & sre.SRE_FLAG_IGNORECASE:
            return _Reader(cased=True)
        return self

    def head(self, items: Sequence[tuple[object, Any]]) -> _Leads | None:
        """Strings one of which every match of the sequence `items` holds, each with how many characters after
        the match's start it may start at most (None where unknown): the strings of its first run of items of
        known strings, or the head of its first group, alternation or repeat that has one, after items of
        bounded width."""
        lead = 0
        for index, (op, av) in enumerate(items):
            exact = self.node(op, av).exact
            if exact is not None and "" not in exact:
                run = [exact]
                for later in items[index + 1 :]:
                    following = self.node(*later).exact
                    if following is None or _product([*run, following]) is None:
                        break
                    run.append(following)
                return dict.fromkeys(cast(_Strings, _product(run)), lead)
            inner = self._inner_head(op, av)
            if inner is not None:
                return {anchor: lead + offset for anchor, offset in inner.items()}
            try:
                width = sre_parse.SubPattern(sre_parse.State(), [(op, av)]).getwidth()[1]
            except (IndexError, TypeError):  # a back reference, whose width the tree alone does not give
                return None
            if width >= sre.MAXREPEAT:
                return None
            lead += width
        return None

    def _inner_head(self, op: object, av: Any) -> _Leads | None:
        if op is sre.SUBPATTERN:
            return self.group(av).head(nodes(av[-1]))
        if op is sre.ATOMIC_GROUP:
            return self.head(nodes(av))
        if op is sre.BRANCH:
            merged: _Leads = {}
            for branch in av[1]:
                found = self.head(nodes(branch))
                if found is None:
                    return None
                for anchor, offset in found.items():
                    merged[anchor] = max(offset, merged.get(anchor, 0))
            return merged
        if op in _REPEATS and av[0] >= 1:
            return self.head(nodes(av[2]))
        return None

    def node(self, op: object, av: Any) -> _Shape:
        """The shape of one node of the standard parser's tree (`av`, its argument, is untyped there)."""
        if op is sre.LITERAL:
            return self.literal(av)
        key = (id(av), op)
        shape = self.shapes.get(key)
        if shape is None:
            shape = self.shapes[key] = self._node(op, av)
        return shape

    def _node(self, op: object, av: Any) -> _Shape:
        if op is sre.IN:
            return self.char_class(av)
        if op is sre.BRANCH:
            return _union([self.sequence(branch) for branch in av[1]])
        if op is sre.SUBPATTERN:
            return self.group(av).sequence(av[-1])
        if op is sre.ATOMIC_GROUP:
            return self.sequence(av)
        if op in _REPEATS:
            low, high, body = av
            inner = self.sequence(body)
            if low == 0:
                optional = high == 1 and inner.exact is not None
                return _Shape(inner.exact | {""} if optional and inner.exact is not None else None, None)
            return _Shape(inner.exact if low == high == 1 else None, inner.required)
        if op is sre.ASSERT and av[0] == 1:
            # a lookahead reads no text of the match, but what it requires stands in the text searched
            return _Shape(frozenset({""}), self.sequence(av[1]).required)
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return _EMPTY
        return _UNKNOWN


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _parse(source: str, flags: int, stand_in: str = r"\\W") -> sre_parse.SubPattern | None:
    """The syntax tree of a pattern, or None where it uses syntax or flags of the `regex` module's own; a pattern
    whose alternatives share a group name (which `regex` allows and `re` refuses) is read with its groups unnamed.
    A Unicode property is read as `stand_in`, one character."""
    if int(flags) & ~_SHARED_FLAGS or _REGEX_ONLY.search(source):
        return None
    readable = _PROPERTY.sub(r"\1" + stand_in, source)
    tree = _standard_tree(readable, flags)
    if tree is None and "(?P<" in readable:
        tree = _standard_tree(_unnamed(readable), flags)
    return tree


def _standard_tree(source: str, flags: int) -> sre_parse.SubPattern | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a nested-set warning: `regex` may read the set otherwise
            return sre_parse.parse(source, int(flags) & _STANDARD_FLAGS)
    except (sre.error, OverflowError, RecursionError, FutureWarning, DeprecationWarning):
        return None


def _atoms(source: str) -> Iterator[tuple[int, int]]:
    """The spans of a pattern source's atoms as the scanners of its text read them: an escape (two characters), a
    character class (`[…]`, where a leading `]` is a member) or any other single character."""
    index, size = 0, len(source)
    while index < size:
        if source[index] == "\\":
            end = index + 2
        elif source[index] == "[":
            end = index + 1
            end += source.startswith("^", end)
            end += source.startswith("]", end)  # a leading ] is a member
            while end < size and source[end] != "]":
                end += 2 if source[end] == "\\" else 1
            end += 1
        else:
            end = index + 1
        end = min(end, size)
        yield index, end
        index = end


def _unnamed(source: str) -> str:
    """`source` with every named group `(?P<name>…)` made a numbered one (character classes and escapes left as
    they are). Names say nothing of what a pattern matches; a reference to a name then fails to parse."""
    parts: list[str] = []
    skip = 0
    for start, end in _atoms(source):
        if start < skip:
            continue
        if source.startswith("(?P<", start) and (close := source.find(">", start)) > 0:
            parts.append("(")
            skip = close + 1
        else:
            parts.append(source[start:end])
    return "".join(parts)


def _product(sets: Sequence[_Strings]) -> _Strings | None:
    size = 1
    for strings in sets:
        size *= len(strings)
        if size > _MAX_SET:
            return None
    if size == 1:
        return frozenset({"".join(next(iter(strings)) for strings in sets)})
    return frozenset("".join(parts) for parts in itertools.product(*sets))


def _better(first: _Strings | None, second: _Strings | None) -> _Strings | None:
    """The more selective of two anchor sets: longer shortest anchor, then fewer anchors (the first on a tie)."""
    if not first or "" in first:
        return second if second and "" not in second else None
    if not second or "" in second or first is second:
        return first
    return second if _measure(second) > _measure(first) else first


def _measure(strings: _Strings) -> tuple[int, int]:
    """How selective an anchor set is: the length of its shortest anchor, then fewer anchors."""
    found = _MEASURES.get(strings)
    if found is None:
        if len(_MEASURES) >= _MEASURES_KEPT:
            _MEASURES.clear()
        found = _MEASURES[strings] = (min(map(len, strings)), -len(strings))
    return found


# the shapes of single characters, and the measures of anchor sets, met while analysing (a bounded memo)
_LITERALS: dict[tuple[int, bool], _Shape] = {}
_MEASURES: dict[_Strings, tuple[int, int]] = {}
_MEASURES_KEPT = 65_536


def _selectivity(strings: _Strings) -> tuple[int, int, tuple[str, ...]]:
    """How selective an anchor set is (longer shortest anchor, then fewer anchors; then a fixed order)."""
    return (min(map(len, strings)), -len(strings), tuple(sorted(strings)))


# a match of a pattern holds one anchor of each of up to this many sets, for each of up to so many alternatives
_MAX_TERMS = 4
_MAX_BRANCHES = 64

Conjunction = tuple[_Strings, ...]


def _conjunctions(tree: sre_parse.SubPattern, reader: _Reader) -> tuple[Conjunction, ...]:
    """Per top-level alternative of a pattern, the anchor sets its every match contains one anchor of each of
    (the most selective few); empty where an alternative has none (`reader`: an uncased reader of `tree`)."""
    items = list(tree)
    while len(items) == 1 and items[0][0] is sre.SUBPATTERN:
        items = list(items[0][1][-1])
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is sre.BRANCH else [items]
    if len(branches) > _MAX_BRANCHES:
        return ()
    found: list[Conjunction] = []
    for branch in branches:
        chosen: list[_Strings] = []
        for candidate in sorted(set(reader.candidates(branch)), key=_selectivity, reverse=True):
            if len(chosen) < _MAX_TERMS and not any(_implies(other, candidate) for other in chosen):
                chosen.append(candidate)
        if not chosen:
            return ()
        found.append(tuple(chosen))
    return tuple(found)


def _head(tree: sre_parse.SubPattern, reader: _Reader) -> Head | None:
    """The head of a pattern that matches no empty string, where one is known (`reader`: an uncased reader of
    `tree`)."""
    if tree.getwidth()[0] == 0:
        return None
    found = reader.head(nodes(tree))
    return None if found is None else Head(tuple(sorted(found.items())))


def _implies(strings: _Strings, other: _Strings) -> bool:
    """Whether each of `strings` contains one of `other` (so that an occurrence of one is one of the other)."""
    return all(any(part in whole for part in other) for whole in strings)


def _union(shapes: Sequence[_Shape]) -> _Shape:
    exact: _Strings | None = None
    exacts = [shape.exact for shape in shapes if shape.exact is not None]
    if len(exacts) == len(shapes):
        joined = frozenset[str]().union(*exacts)
        exact = joined if len(joined) <= _MAX_SET else None
    required: _Strings | None = None
    requireds = [shape.required for shape in shapes if shape.required]
    if len(requireds) == len(shapes):
        required = frozenset[str]().union(*requireds)
    return _Shape(exact, _better(required, exact))


def _assertion_reach(items: Iterable[tuple[object, Any]]) -> int:
    """The most characters all lookarounds of a pattern may read beyond the match, added up."""
    reach = 0
    for op, av in nodes(items):
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            body = av[1]
            reach += body.getwidth()[1] + _assertion_reach(body)
        elif op is sre.BRANCH:
            reach += sum(_assertion_reach(branch) for branch in av[1])
        elif op is sre.SUBPATTERN:
            reach += _assertion_reach(av[-1])
        elif op is sre.ATOMIC_GROUP:
            reach += _assertion_reach(av)
        elif op in _REPEATS:
            reach += _assertion_reach(av[2])
    return reach


# stretches to scan this close are scanned as one: starting a search costs about what scanning this many
# characters does
GAP = 64


@record(frozen=True, slots=True)
class Prefilter:
    """The anchors of one pattern (empty: scan the whole text) and how far from an anchor a match may reach
    (None: unbounded, so any anchor means scanning the whole text); `conjunctions`, where known, says more: per
    top-level alternative, anchor sets a match holds an anchor of each of, all within `reach` of one another."""

    anchors: _Strings
    reach: int | None
    conjunctions: tuple[Conjunction, ...] = ()
    head: Head | None = None

    @classmethod
    def of(cls, pattern: HasSource) -> Prefilter:
        """The anchors of `pattern` (no cased letters in them, as the patterns ignore case); patterns the standard
        parser cannot read get none."""
        return analysis(pattern.pattern, pattern.flags).prefilter

    def kept(self, positions: Sequence[Sequence[Sequence[int]]]) -> list[int]:
        """The sorted positions, among those of the rarest anchor set of each conjunction, around which all its
        other sets occur within `reach` (`positions[c][t]`: the sorted starts of the anchors of set t of
        conjunction c). Every match holds one anchor of each set of a conjunction, no two farther apart than
        `reach`, so every match holds a kept position and `windows` of these find every match."""
        kept: set[int] = set()
        for terms in positions:
            if not all(terms):
                continue
            primary = min(range(len(terms)), key=lambda t: len(terms[t]))
            others = [found for t, found in enumerate(terms) if t != primary]
            if self.reach is None:
                kept.update(terms[primary])
                continue
            reach = self.reach
            for position in terms[primary]:
                if all(_near(found, position, reach) for found in others):
                    kept.add(position)
        return sorted(kept)

    def windows(self, positions: Sequence[int], size: int) -> list[tuple[int, int]]:
        """The stretches of a text of length `size` to scan, given the sorted start positions of anchors.

        Every match contains an anchor starting at some q, and it and its lookarounds read at most `reach`
        characters, so it lies in [q - reach, q + reach); two more characters keep `$` and `\\b` at the end of
        a match from seeing the end of the stretch. Overlapping stretches are merged, so no match crosses
        from one stretch into another, and scanning a stretch from its start (lookbehinds still see the
        text before it) finds what scanning the whole text finds there. Stretches less than `GAP` apart are
        joined too: no match lies between them, and one search costs less than two.
        """
        if not self.anchors:
            return [(0, size)]
        if not positions:
            return []
        if self.reach is None:
            return [(0, size)]
        merged: list[tuple[int, int]] = []
        for position in positions:
            start, end = max(0, position - self.reach), min(size, position + self.reach + 2)
            if merged and start <= merged[-1][1] + GAP:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


@record(frozen=True, slots=True)
class Head:
    """Strings one of which every match of a pattern holds, each with how many characters after the match's
    start it may start at most (`leads`, sorted by anchor); the pattern matches no empty string. A match then
    starts at most that many characters before an occurrence of one of them, and trying the pattern at those
    places alone finds what a scan finds."""

    leads: tuple[tuple[str, int], ...]

    @property
    def lead(self) -> int:
        """How far into a match its head may start at most."""
        return max(lead for _, lead in self.leads)

    def starts(self, text: str, windows: Sequence[tuple[int, int]], limit: int | None = None) -> list[int] | None:
        """The sorted positions of `windows` (stretches of `text`, in order) where a match lying in one of them
        may start: up to an anchor's lead before each of its occurrences inside the stretch; None as soon as
        there are more than `limit`."""
        literals = _HEAD_LITERALS.get(self.leads)
        if literals is None:
            literals = _HEAD_LITERALS[self.leads] = Literals([anchor for anchor, _ in self.leads])
        leads = [lead for _, lead in self.leads]
        starts: list[int] = []
        for begin, end in windows:
            found = literals.find(text[begin:end])
            reached = begin
            for first, last in sorted({(max(0, start - leads[word]), start) for word, start, _ in found}):
                starts.extend(range(max(reached, begin + first), begin + last + 1))
                reached = max(reached, begin + last + 1)
                if limit is not None and len(starts) > limit:
                    return None
        return starts


_HEAD_LITERALS: dict[tuple[tuple[str, int], ...], Literals] = {}


def _near(positions: Sequence[int], position: int, reach: int) -> bool:
    """Whether one of the sorted `positions` lies within `reach` of `position`."""
    index = bisect.bisect_left(positions, position - reach)
    return index < len(positions) and positions[index] <= position + reach


class HasSource(Protocol):
    """A compiled pattern, or anything else that names its source and flags."""

    @property
    def pattern(self) -> str: ...

    @property
    def flags(self) -> int: ...


@record(frozen=True, slots=True)
class Analysis:
    """What the syntax tree of one pattern gives: its `prefilter` (anchors without cased letters, for windows
    over whole texts), and the anchors of its gate, those without letters (`uncased`) and, in a pattern that
    ignores case, those with letters (`cased`, looked for with `re`); `gated` is False when a gate is no use
    (no anchors, or a pattern anchored at the start, whose failed match costs less than the test)."""

    prefilter: Prefilter
    gated: bool
    uncased: tuple[str, ...] = ()
    cased: tuple[str, ...] = ()
    safe: tuple[int, int] | None = None

    def dump(self) -> tuple[object, ...]:
        """A form `marshal` keeps (it keeps frozensets as they are, so `load` builds nothing in Python)."""
        reach = -1 if self.prefilter.reach is None else self.prefilter.reach
        head = None if self.prefilter.head is None else self.prefilter.head.leads
        found = self.prefilter
        return (found.anchors, reach, self.gated, self.uncased, self.cased, found.conjunctions, head, self.safe)

    @classmethod
    def load(cls, data: tuple[object, ...]) -> Analysis:
        """The analysis `dump` gave `data`; TypeError or ValueError for anything else (a form of another release)."""
        anchors, reach, gated, uncased, cased, conjunctions, head, safe = data
        if not (
            type(anchors) is frozenset
            and type(reach) is int
            and type(conjunctions) is tuple
            and all(type(terms) is tuple and all(type(term) is frozenset for term in terms) for terms in conjunctions)
            and (head is None or type(head) is tuple)
            and (safe is None or (type(safe) is tuple and len(safe) == 2))
        ):
            raise TypeError("not a kept analysis")
        prefilter = Prefilter(
            anchors, None if reach == -1 else reach, conjunctions, None if head is None else Head(head)
        )  # type: ignore[arg-type]
        return cls(prefilter, bool(gated), uncased, cased, safe)  # type: ignore[arg-type]


# Analyses by (source, flags): the IO layer fills this from disk and writes back what was added (`ANALYSES_ADDED`).
ANALYSES: dict[tuple[str, int], tuple[object, ...] | bytes] = {}
ANALYSES_ADDED: set[tuple[str, int]] = set()
_ANALYSED: dict[tuple[str, int], Analysis] = {}


# flags `regex` gives every compiled pattern of a string unless told otherwise (Unicode matching, its default
# version): a pattern compiled from a source reads it as the source and its other flags do
_IMPLIED_FLAGS = int(regex.UNICODE) | int(regex.DEFAULT_VERSION)


def analysis_key(source: str, flags: int) -> tuple[str, int]:
    """What a pattern's analysis and safe widths are kept by: its source and flags, less the implied ones, so that a
    compiled pattern and its source share them."""
    return source, int(flags) & ~_IMPLIED_FLAGS


def analysis(source: str, flags: int) -> Analysis:
    """The analysis of one pattern, worked out once per process (about a millisecond) or read from `ANALYSES`."""
    key = analysis_key(source, flags)
    found = _ANALYSED.get(key)
    if found is None:
        kept = decoded(ANALYSES, key)
        if kept is not None:
            try:
                found = Analysis.load(kept)
            except (TypeError, ValueError, AttributeError):
                found = None
        if found is None:
            with one_off_work():
                found = _analyse(source, flags)
            ANALYSES[key] = found.dump()
            ANALYSES_ADDED.add(key)
        _ANALYSED[key] = found
    return found


def _analyse(source: str, flags: int) -> Analysis:
    tree = _parse(source, flags)
    if tree is None:
        return Analysis(Prefilter(frozenset(), None), False)
    uncased = _Reader(cased=False)
    window = uncased.sequence(tree).required
    if window:
        reach = tree.getwidth()[1] + _assertion_reach(tree)
        prefilter = Prefilter(
            window, reach if reach < sre.MAXREPEAT else None, _conjunctions(tree, uncased), _head(tree, uncased)
        )
    else:
        prefilter = Prefilter(frozenset(), None)
    anchors = _Reader(cased=True).sequence(tree).required if uncased.met_cased[0] else window
    if not anchors or source.startswith("^"):
        return Analysis(prefilter, False)
    ignore_case = bool(flags & regex.IGNORECASE)
    cased = tuple(sorted(a for a in anchors if ignore_case and not all(map(_uncased, a))))
    return Analysis(prefilter, True, tuple(sorted(anchors.difference(cased))), cased)


_PROPERTY_STAND_IN = rf"\\U{PROPERTY_STAND_IN:08x}"
# a verbose pattern, or one with an inline verbose group (`(?x)`, `(?ix:…)`): `_atoms` does not read comments, where
# a `[` would hide the `|` after it from `unfactored`
_VERBOSE = re.compile(r"\(\?\^?[a-wyzA-Z]*x")


def bound_tree(source: str, flags: int) -> sre_parse.SubPattern | None:
    """A pattern's syntax tree as the step bound reads it (as written: `unfactored`; a property as a stand-in
    character of no known class), or None where it is not read: a verbose pattern (see `_VERBOSE`)."""
    if flags & regex.VERBOSE or _VERBOSE.search(source):
        return None
    return _parse(unfactored(source, _atoms(source)), flags, _PROPERTY_STAND_IN)


# how many searches a pattern gets before its safe widths are worked out (a millisecond or two): one searched less
# often would save less than that
SAFE_AFTER = 16


class Safety:
    """The widest windows over which a pattern's searches (`search`) and anchored matches (`match`) are proven to
    take at most `STEP_LIMIT` steps (`lint.core.regex_safety.safe_widths`; -1: none), so that they can run without
    a timeout: `regex` reads a process CPU clock twice for each search given one (two system calls, about 2 µs
    here, several times what a short search costs). The widths are worked out once the pattern has had
    `SAFE_AFTER` searches (or read from `ANALYSES`), and kept there."""

    __slots__ = ("key", "match", "search", "uses")

    def __init__(self, key: tuple[str, int]) -> None:
        self.key = key
        self.uses = 0
        self.search = self.match = -1
        kept = analysis(*key).safe
        if kept is not None:
            self.search, self.match = kept
            self.uses = SAFE_AFTER

    def width(self, anchored: bool) -> int:
        """The widest window proven safe for a search (`anchored`: a match), counting this search."""
        if self.uses < SAFE_AFTER:
            self.uses += 1
            if self.uses < SAFE_AFTER:
                return -1
            self.work_out()
        return self.match if anchored else self.search

    def work_out(self) -> None:
        """Work out the widths now (or read them from `ANALYSES`), whatever the searches so far."""
        self.uses = SAFE_AFTER
        source, flags = self.key
        with one_off_work():
            found = analysis(source, flags)
            if found.safe is None:
                widths = safe_widths(bound_tree(source, flags))
                found = _ANALYSED[self.key] = dataclasses.replace(found, safe=widths)
                ANALYSES[self.key] = found.dump()
                ANALYSES_ADDED.add(self.key)
        self.search, self.match = found.safe or (-1, -1)


_SAFETIES: dict[tuple[str, int], Safety] = {}


def safety(pattern: HasSource) -> Safety:
    """The `Safety` of a pattern (one per source and flags)."""
    key = analysis_key(pattern.pattern, pattern.flags)
    found = _SAFETIES.get(key)
    if found is None:
        found = _SAFETIES[key] = Safety(key)
    return found


def work_out_safe_widths() -> int:
    """Work out now the safe widths of every pattern analysed so far (in this process, or kept by earlier runs) that
    has none yet; returns how many that was."""
    pending = [key for key in list(ANALYSES) if analysis(*key).safe is None]
    for key in pending:
        found = _SAFETIES.get(key)
        if found is None:
            found = _SAFETIES[key] = Safety(key)
        found.work_out()
    return len(pending)


def window_width(text: str, window: Sequence[int]) -> int:
    """How many characters a search of `text` with `window` (pos, endpos) reads: the whole text where the window
    is not plain (negative positions)."""
    if not window:
        return len(text)
    start = window[0]
    end = min(window[1], len(text)) if len(window) > 1 else len(text)
    return end - start if 0 <= start <= end else len(text)


class AnchorIndex:
    """The anchors of many patterns in one Aho-Corasick automaton (built on first use)."""

    def __init__(self, patterns: Sequence[HasSource]) -> None:
        self.patterns = tuple(patterns)
        self._prefilters: tuple[Prefilter, ...] = ()
        self._literals: Literals | None = None
        self._owners: tuple[tuple[int, ...], ...] = ()
        self._lists: tuple[tuple[int, ...], ...] = ()
        self._pattern_of: tuple[int, ...] = ()
        self._anchorless: frozenset[int] = frozenset()

    def windows(self, text: str) -> list[list[tuple[int, int]]]:
        """Per pattern, in order, the stretches of `text` to scan (see `Prefilter.windows`): none for a pattern
        whose anchors do not occur, or (where its conjunctions are known) do not occur together."""
        if self._literals is None:
            self._build()
        assert self._literals is not None
        found = self._positions(text)
        size = len(text)
        windows: list[list[tuple[int, int]]] = [[] for _ in self._prefilters]
        # only the patterns without anchors and those one of whose anchors occurs are worked out (a text as short
        # as a rule's example meets few of thousands of patterns)
        touched = {self._pattern_of[target] for target in found}
        for slot in sorted(touched.union(self._anchorless)):
            prefilter, lists = self._prefilters[slot], self._lists[slot]
            if not prefilter.anchors:
                windows[slot] = prefilter.windows((), size)
            elif prefilter.reach is None:
                # any kept position means the whole text: whether one is kept is whether some conjunction has all
                # its sets present (`kept`), or, without conjunctions, whether an anchor occurs
                windows[slot] = [(0, size)] if self._present(slot, found) else []
            elif prefilter.conjunctions:
                # `kept` passes over a conjunction one of whose sets does not occur: only the others are sorted
                shape = iter(lists)
                occurring = [[found.get(next(shape), []) for _ in terms] for terms in prefilter.conjunctions]
                positions = [[sorted(starts) for starts in sets] for sets in occurring if all(sets)]
                windows[slot] = prefilter.windows(prefilter.kept(positions), size) if positions else []
            else:
                positions = found.get(lists[0], [])
                windows[slot] = prefilter.windows(sorted(positions), size) if positions else []
        return windows

    def _positions(self, text: str) -> dict[int, list[int]]:
        """Per position list (target) one of whose anchors occurs in `text`, the starts of their occurrences. They
        are grouped by anchor first, so that the work per occurrence is one append whatever the lists it feeds
        (the commonest anchors, a space or a comma, occur thousands of times an article)."""
        assert self._literals is not None
        by_anchor: defaultdict[int, list[int]] = defaultdict(list)
        for anchor, start, _ in self._literals.find(text):
            by_anchor[anchor].append(start)
        found: dict[int, list[int]] = {}
        owners = self._owners
        for anchor, starts in by_anchor.items():
            for target in owners[anchor]:
                if target in found:
                    found[target].extend(starts)
                else:
                    found[target] = starts.copy()
        return found

    def _present(self, slot: int, found: Mapping[int, object]) -> bool:
        """Whether the position lists of pattern `slot` that `kept` needs all occur in `found` for one of its
        conjunctions (without conjunctions: whether its one list does)."""
        lists = self._lists[slot]
        conjunctions = self._prefilters[slot].conjunctions
        if not conjunctions:
            return lists[0] in found
        shape = iter(lists)
        present = [[next(shape) in found for _ in terms] for terms in conjunctions]
        return any(all(sets) for sets in present)

    def _build(self) -> None:
        """One automaton for the anchors of every pattern; each anchor feeds the position lists it belongs to
        (per pattern, its anchors, or one list per anchor set of each conjunction)."""
        self._prefilters = tuple(Prefilter.of(pattern) for pattern in self.patterns)
        owners: dict[str, list[int]] = {}
        lists: list[tuple[int, ...]] = []
        size = 0
        for prefilter in self._prefilters:
            sets = [term for terms in prefilter.conjunctions for term in terms] or [prefilter.anchors]
            lists.append(tuple(range(size, size + len(sets))))
            for target, anchors in enumerate(sets, size):
                for anchor in anchors:
                    owners.setdefault(anchor, []).append(target)
            size += len(sets)
        self._lists = tuple(lists)
        self._pattern_of = tuple(slot for slot, targets in enumerate(lists) for _ in targets)
        self._anchorless = frozenset(slot for slot, prefilter in enumerate(self._prefilters) if not prefilter.anchors)
        self._literals = Literals(list(owners))
        self._owners = tuple(tuple(owners[word]) for word in self._literals.words)


class PatternGroup:
    """Named patterns whose gates are tested for a whole document at once: one Aho-Corasick pass (`scan`) finds
    the gate anchors of all of them, and `DocumentHits.within` then says which may match in any stretch of it,
    from the occurrences in the stretch alone — what each pattern's own gate (`GatedPattern.possible`) says of
    the stretch cut out as a text of its own, without testing each pattern on each stretch.

    A pattern without a gate, or whose gate holds anchors with letters in a pattern that ignores case (matched
    with `re`'s case rules, which an automaton does not follow), may match anywhere; its own gate still runs when
    it is searched. The anchors are read on first use (from `ANALYSES` where kept)."""

    def __init__(self, patterns: Mapping[str, GatedPattern]) -> None:
        self.names = tuple(patterns)
        self._patterns = dict(patterns)
        self._literals: Literals | None = None
        self._owners: tuple[frozenset[str], ...] = ()
        self._everywhere: frozenset[str] = frozenset()

    def _build(self) -> None:
        owners: dict[str, set[str]] = {}
        everywhere: set[str] = set()
        for name, pattern in self._patterns.items():
            found = analysis(pattern.pattern, pattern.flags)
            if not found.gated or found.cased:
                everywhere.add(name)
                continue
            for anchor in found.uncased:
                owners.setdefault(anchor, set()).add(name)
        self._literals = Literals(list(owners))
        self._owners = tuple(frozenset(owners[word]) for word in self._literals.words)
        self._everywhere = frozenset(everywhere)

    def scan(self, text: str) -> DocumentHits:
        """Where the anchors of the group's patterns occur in `text` (one pass)."""
        if self._literals is None:
            self._build()
        assert self._literals is not None
        return DocumentHits.of(self._literals.find(text), self._owners, self._everywhere)


class DocumentHits:
    """The anchor occurrences of a `PatternGroup` in one text, sorted by start (`starts`, `ends`, and the
    patterns each belongs to), and the patterns that may match anywhere."""

    __slots__ = ("_by_name", "ends", "everywhere", "owners", "starts")

    def __init__(
        self, starts: list[int], ends: list[int], owners: list[frozenset[str]], everywhere: frozenset[str]
    ) -> None:
        self.starts, self.ends, self.owners, self.everywhere = starts, ends, owners, everywhere
        self._by_name: dict[str, tuple[list[int], list[int]]] = {}

    @classmethod
    def of(
        cls, occurrences: Iterable[Occurrence], owners: Sequence[frozenset[str]], everywhere: frozenset[str]
    ) -> DocumentHits:
        """The hits of `Literals.find` occurrences (word index, start, end); `owners[i]`: the names word i stands
        for."""
        found = sorted((start, end, word) for word, start, end in occurrences)
        return cls(
            [start for start, _, _ in found], [end for _, end, _ in found], [owners[w] for _, _, w in found], everywhere
        )

    def within(self, start: int, end: int) -> frozenset[str]:
        """The patterns that may match in `text[start:end]`: those one of whose anchors lies wholly inside it, and
        those that may match anywhere (the work is the occurrences inside it)."""
        starts, ends, owners = self.starts, self.ends, self.owners
        index = bisect.bisect_left(starts, start)
        found: set[str] = set()
        while index < len(starts) and starts[index] < end:
            if ends[index] <= end:
                found |= owners[index]
            index += 1
        return self.everywhere.union(found) if found else self.everywhere

    def possible(self, name: str, start: int, end: int) -> bool:
        """Whether pattern `name` may match in `text[start:end]` (what its gate says of that stretch)."""
        if name in self.everywhere:
            return True
        positions = self._by_name.get(name)
        if positions is None:
            positions = self._by_name[name] = self._positions(name)
        starts, least_end = positions
        index = bisect.bisect_left(starts, start)
        return index < len(starts) and least_end[index] <= end

    def _positions(self, name: str) -> tuple[list[int], list[int]]:
        """The starts of the occurrences of the anchors of pattern `name` and, from each on, the least end among
        them (worked out on the first question about it)."""
        owned = zip(self.starts, self.ends, self.owners, strict=True)
        spans = [(start, end) for start, end, names in owned if name in names]
        least = list(itertools.accumulate((end for _, end in reversed(spans)), min))[::-1]
        return [start for start, _ in spans], least


# a gate of at most this many anchors looks for each with `str.find`; a larger one builds an automaton
_FEW = 8


class _Gate:
    """A necessary test for one pattern: anchors without letters, looked for as substrings (one automaton for
    many), and anchors with letters in a pattern that ignores case, for the standard `re` module (which takes
    the same letters as equal as `regex` does)."""

    __slots__ = ("cased", "few", "many")

    def __init__(self, found: Analysis) -> None:
        self.few: tuple[str, ...] = found.uncased if len(found.uncased) <= _FEW else ()
        self.many: Any = None
        if len(found.uncased) > _FEW:
            import ahocorasick

            self.many = ahocorasick.Automaton()
            for anchor in found.uncased:
                self.many.add_word(anchor, None)
            self.many.make_automaton()
        self.cased = re.compile("|".join(map(re.escape, found.cased)), re.IGNORECASE) if found.cased else None

    def admits(self, text: str, start: int, end: int) -> bool:
        if start == 0 and end == len(text):
            return self.admits_whole(text)
        for anchor in self.few:
            if text.find(anchor, start, end) >= 0:
                return True
        # the automaton is given the stretch itself: given bounds, pyahocorasick reads the whole text each time
        # (a 40-character window of a 1 MB document took 0.27 ms)
        if self.many is not None and end > start and next(self.many.iter(text[start:end]), None) is not None:
            return True
        return self.cased is not None and self.cased.search(text, start, end) is not None

    def admits_whole(self, text: str) -> bool:
        """`admits(text, 0, len(text))`, the most asked."""
        for anchor in self.few:
            if anchor in text:  # a third of the time `str.find` with bounds takes
                return True
        many = self.many
        if many is not None and text and next(many.iter(text), None) is not None:
            return True
        return self.cased is not None and self.cased.search(text) is not None


# A gate is dropped when, over its first `GATE_TRIAL` tests, it let more than half of the texts through: there
# the test costs more than the searches it saves.
GATE_TRIAL = 256


# how old (in wall-clock seconds) a reading of the thread's CPU clock may be before `_Budget.cpu_now` reads it again
REREAD = 0.001


class _Budget:
    """The deadline of one `pattern_budget` block (`ends`, on the thread's CPU clock) and its length, with the last
    reading of that clock (`cpu`) and the wall-clock time just before it (`wall`)."""

    __slots__ = ("cpu", "ends", "seconds", "wall")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.wall = time.monotonic()
        self.cpu = time.thread_time()
        self.ends = self.cpu + seconds

    def cpu_now(self) -> float:
        """At least the thread's CPU time now: the last reading plus the wall-clock time since (a thread spends at
        most a second of CPU a second), read afresh once that is `REREAD` old. Reading the CPU clock is a system
        call (about 1 µs here), the wall clock is not (70 ns); a search is given at most `REREAD` less than its
        due and, stopped early, is run again by `_run_again`."""
        wall = time.monotonic()
        if wall - self.wall <= REREAD:
            return self.cpu + (wall - self.wall)
        self.wall, self.cpu = wall, time.thread_time()
        return self.cpu

    def cpu_exact(self) -> float:
        """The thread's CPU time now, read (and kept as the last reading)."""
        self.wall, self.cpu = time.monotonic(), time.thread_time()
        return self.cpu

    def time_left(self) -> tuple[float, float]:
        """The CPU seconds left and the thread's CPU time now (as `cpu_now`); raise `PatternBudgetExceeded` when a
        reading of the clock itself says none are left."""
        now = self.cpu_now()
        left = self.ends - now
        if left <= 0:
            now = self.cpu_exact()
            left = self.ends - now
            if left <= 0:
                raise _exceeded()
        return left, now


_DEADLINE: ContextVar[_Budget | None] = ContextVar("healthlint_pattern_deadline", default=None)


class PatternBudgetExceeded(TimeoutError):
    """The built-in patterns run for one document went past the document's time budget."""


@contextmanager
def pattern_budget(seconds: float | None) -> Iterator[None]:
    """Run every `GatedPattern` search inside the block under one shared budget of `seconds` of the thread's CPU
    time (so that other load on the machine does not change which rules run): a search gets the time left as
    its `regex` timeout, and once none is left, or a search ran out of it, every search raises
    `PatternBudgetExceeded` at once. Without a budget (None) searches are unbounded. Work done once per
    process (compiling a pattern, working out its anchors) does not count: it moves the deadline on."""
    token = _DEADLINE.set(None if seconds is None else _Budget(seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


@contextmanager
def one_off_work() -> Iterator[None]:
    """Move the current deadline on by the time the block takes: work done once per process (compiling,
    loading a table), not for the document at hand."""
    started = time.thread_time()
    try:
        yield
    finally:
        budget = _DEADLINE.get()
        if budget is not None:
            budget.ends += time.thread_time() - started


# Budgets are of the thread's CPU time, but `regex` stops a search by another clock: wall-clock seconds in older
# releases, the process's CPU time in 2026 ones (which other threads of a server or a Dask worker also advance). A
# search stopped before its thread had spent this share of the timeout it was given (two threads busy on two cores
# give each half) is run again, so that what is found depends neither on the machine's load nor on other threads
STARVED_SHARE = 0.9
# the timeout of a search run again is the CPU time left, stretched by how much faster than the thread's CPU time
# the clock that stopped it ran: at most this many times
MAX_STRETCH = 16.0

T = TypeVar("T")


def cpu_search(
    method: Callable[..., T],
    text: str,
    window: tuple[int, ...],
    seconds: float,
    started: float | None = None,
    timeout: float | None = None,
) -> T:
    """`method(text, *window, timeout=…)` (a compiled pattern's search, match, findall …) given `seconds` of the
    thread's CPU time; raise `TimeoutError` once they are spent. A search stopped while the thread waited for a CPU
    (or while other threads ran) is run again with what is left. `started`: the thread's CPU time just read, if the
    caller has it (reading the clock costs about a microsecond); `timeout`: the timeout of the first run, where it
    is not `seconds` (a search run again)."""
    if timeout is None:
        timeout = seconds
    while True:
        cpu = time.thread_time() if started is None else started
        started = None
        try:
            return method(text, *window, timeout=timeout)
        except TimeoutError:
            timeout, seconds = _run_again(seconds, timeout, cpu)


def cpu_matches(
    finditer: Callable[..., Iterator[regex.Match[str]]],
    text: str,
    window: tuple[int, ...],
    seconds: float,
    started: float | None = None,
    budgeted: bool = False,
) -> Iterator[regex.Match[str]]:
    """`finditer(text, *window, timeout=…)` given `seconds` of the thread's CPU time, as `cpu_search`; a search run
    again resumes where the last match ended (an empty match found there is not given twice). `budgeted`: the
    seconds are the current `pattern_budget`'s, and running out of them raises `PatternBudgetExceeded`."""
    start = window[0] if window else 0
    end = window[1] if len(window) > 1 else len(text)
    timeout = seconds
    last: regex.Match[str] | None = None
    while True:
        cpu = time.thread_time() if started is None else started
        started = None
        try:
            matches = finditer(text, start, end, timeout=timeout)
            if last is not None and last.start() == last.end():
                # run again from where an empty match ended: that match is found first again
                again = next(matches, None)
                if again is None:
                    return
                if again.span() != last.span():
                    last = again
                    yield again
            for last in matches:
                yield last
            return
        except TimeoutError:
            try:
                timeout, seconds = _run_again(seconds, timeout, cpu)
            except TimeoutError:
                if budgeted:
                    raise _exceeded() from None
                raise
            if last is not None:
                start = last.end()


def _run_again(seconds: float, given: float, cpu_started: float) -> tuple[float, float]:
    """After a search given `given` as its timeout was stopped: its new timeout and the CPU seconds left of
    `seconds`; raise `TimeoutError` when the thread spent most of what it was given, or all the seconds."""
    cpu = time.thread_time() - cpu_started
    left = seconds - cpu
    if left <= 0 or cpu >= STARVED_SHARE * given:
        raise TimeoutError("regular expression timed out")
    return left * min(given / cpu if cpu > 0 else MAX_STRETCH, MAX_STRETCH), left


def _time_left() -> tuple[float, float] | None:
    """The CPU seconds left of the current budget and the thread's CPU time now (None without a budget)."""
    budget = _DEADLINE.get()
    return None if budget is None else budget.time_left()


_NO_GATE = 1  # the gate's states
_GATE = 2


class GatedPattern:
    """A pattern behind a necessary test: text that holds none of its anchors cannot match, and is neither
    searched nor, until a text may match, compiled. The anchors are worked out on first use (or read from
    `ANALYSES`); a gate that lets most texts through is dropped after `GATE_TRIAL` tests. With a
    `pos`/`endpos` window, only the window is tested (every match lies inside it). Gating never changes a
    result, only how often the pattern runs. `search` and `finditer` take `gated=False` from a caller that has
    already found the gate open (a `PatternGroup` hit), so that the gate is not tested twice.

    Searches run under the current `pattern_budget`, or under an explicit `timeout` (a rule's deadline), which
    raises `TimeoutError` as `regex` does; a search proven safe over its window (`safe_width`) is given no timeout,
    once the budget is found not spent. The pattern is compiled with the `regex` module; an invalid one
    raises `ValueError` when first compiled (the shipped packs' patterns are all compiled by the test suite,
    a user's when loaded).
    """

    __slots__ = (
        "_admitted",
        "_alternatives",
        "_compiled",
        "_gate",
        "_nonempty",
        "_safety",
        "_state",
        "_tested",
        "flags",
        "origin",
        "pattern",
    )

    def __init__(self, pattern: regex.Pattern[str] | str, flags: int = 0, origin: str = "") -> None:
        self.origin = origin
        if isinstance(pattern, str):
            self.pattern, self.flags = pattern, flags
            self._compiled: regex.Pattern[str] | None = None
        else:
            self.pattern, self.flags = pattern.pattern, pattern.flags
            self._compiled = pattern
        self._gate: _Gate | None = None
        self._alternatives: tuple[GatedPattern, ...] | None = None
        self._nonempty: bool | None = None
        self._safety: Safety | None = None
        self._state = 0
        self._tested = self._admitted = 0

    @property
    def compiled(self) -> regex.Pattern[str]:
        """The compiled pattern (compiled now if not yet)."""
        compiled = self._compiled
        if compiled is None:
            try:
                with one_off_work():
                    compiled = self._compiled = compile_regex(self.pattern, self.flags)
            except regex.error as error:
                where = self.origin or repr(self.pattern)
                raise ValueError(f"{where}: invalid regular expression: {error}") from None
        return compiled

    @property
    def groupindex(self) -> Mapping[str, int]:
        return self.compiled.groupindex

    def possible(self, text: str, *window: int) -> bool:
        """Whether `text` (or its `window[0]:window[1]` stretch) could hold a match (False only when it certainly
        holds none)."""
        state = self._state
        if state == _NO_GATE:
            return True
        if state == 0:
            found = analysis(self.pattern, self.flags)
            if not found.gated:
                self._state = _NO_GATE
                return True
            self._gate, self._state = _Gate(found), _GATE
        gate = self._gate
        assert gate is not None
        if window:
            end = min(len(text), window[1]) if len(window) > 1 else len(text)
            admitted = gate.admits(text, max(0, window[0]), end)
        else:
            admitted = gate.admits_whole(text)
        if self._tested < GATE_TRIAL:
            self._tested += 1
            self._admitted += admitted
            if self._tested == GATE_TRIAL and 2 * self._admitted > GATE_TRIAL:
                self._state = _NO_GATE
        return admitted

    def prepare(self) -> None:
        """Work out now what its first searches would: its analysis, compiled form and safe widths (kept on disk
        with the pattern caches); raises `ValueError` for an invalid pattern."""
        analysis(self.pattern, self.flags)
        self._compiled = self._compiled or self.compiled
        self._safety = self._safety or safety(self)
        self._safety.work_out()

    def safe_width(self, anchored: bool = False) -> int:
        """The widest window proven safe for a search (`anchored`: a match) of the pattern (see `Safety`)."""
        found = self._safety
        if found is None:
            found = self._safety = safety(self)
        return found.width(anchored)

    def search(
        self, text: str, *window: int, timeout: float | None = None, gated: bool = True
    ) -> regex.Match[str] | None:
        if gated and self._state != _NO_GATE and not self.possible(text, *window):
            return None
        compiled = self._compiled or self.compiled
        return _bounded(compiled.search, text, window, timeout, self.safe_width() >= window_width(text, window))

    def occurs(self, text: str, *window: int) -> bool:
        """Whether the pattern matches in `text` (or its window): `search(...) is not None`, found by searching
        each of its top-level alternatives on its own (`top_level_alternatives`), each behind its own gate. The
        `regex` module looks for a literal every match of one alternative holds before it scans, which it cannot
        do for an alternation of many (the author-date citations: a quarter of the time)."""
        if not (self._state == _NO_GATE or self.possible(text, *window)):
            return False
        alternatives = self._alternatives
        if alternatives is None:
            alternatives = self._read_alternatives()
        if not alternatives:
            return self.search(text, *window, gated=False) is not None
        return any(alternative.search(text, *window) is not None for alternative in alternatives)

    def _read_alternatives(self) -> tuple[GatedPattern, ...]:
        sources = top_level_alternatives(self.pattern, self.flags)
        alternatives = self._alternatives = tuple(GatedPattern(part, self.flags, self.origin) for part in sources)
        return alternatives

    def spans(self, text: str, *window: int) -> list[tuple[int, int]]:
        """The spans of the matches `finditer(text, *window)` gives, found from the top-level alternatives, each
        searched on its own (behind its own gate, as in `occurs`): the next match starts where the first of them
        does, it is the match of the first alternative that matches there, and the search goes on from its end.
        An alternation of many has no literal for `regex` to skip to (the design facts' arms: 22 ms over the
        study blocks of bench's articles, its alternatives on their own 4 ms). Where the alternatives are not
        known, or one may match the empty string, the spans are those of `finditer`."""
        if not (self._state == _NO_GATE or self.possible(text, *window)):
            return []
        start = window[0] if window else 0
        end = window[1] if len(window) > 1 else len(text)
        if not (self._alternatives_never_empty() and 0 <= start <= end <= len(text)):
            return [match.span() for match in self.finditer(text, *window, gated=False)]
        alternatives = self._alternatives or ()
        found: list[tuple[int, int]] = []
        following = [alternative.search(text, start, end) for alternative in alternatives]
        while True:
            first: regex.Match[str] | None = None
            for match in following:  # the earliest start; of those that start there, the first alternative's
                if match is not None and (first is None or match.start() < first.start()):
                    first = match
            if first is None:
                return found
            reached = first.end()
            found.append((first.start(), reached))
            for index, match in enumerate(following):
                # a match that starts at or after `reached` is still the alternative's next; the gate said yes
                if match is not None and match.start() < reached:
                    following[index] = alternatives[index].search(text, reached, end, gated=False)

    def _alternatives_never_empty(self) -> bool:
        """Whether the pattern has top-level alternatives and none may match the empty string (read with the
        standard parser)."""
        if self._nonempty is None:
            alternatives = self._alternatives
            if alternatives is None:
                alternatives = self._read_alternatives()
            with one_off_work():
                trees = [_parse(alternative.pattern, self.flags) for alternative in alternatives]
            self._nonempty = bool(trees) and all(tree is not None and tree.getwidth()[0] > 0 for tree in trees)
        return self._nonempty

    def match(self, text: str, *window: int, timeout: float | None = None) -> regex.Match[str] | None:
        if self._state != _NO_GATE and not self.possible(text, *window):
            return None
        compiled = self._compiled or self.compiled
        return _bounded(compiled.match, text, window, timeout, self.safe_width(True) >= window_width(text, window))

    def fullmatch(self, text: str, *window: int, timeout: float | None = None) -> regex.Match[str] | None:
        if self._state != _NO_GATE and not self.possible(text, *window):
            return None
        compiled = self._compiled or self.compiled
        return _bounded(compiled.fullmatch, text, window, timeout, self.safe_width(True) >= window_width(text, window))

    def finditer(
        self, text: str, *window: int, timeout: float | None = None, gated: bool = True
    ) -> Iterator[regex.Match[str]]:
        if gated and not (self._state == _NO_GATE or self.possible(text, *window)):
            return iter(())
        compiled = self._compiled or self.compiled
        if self.safe_width() >= window_width(text, window):
            if timeout is None:
                _time_left()
            return compiled.finditer(text, *window)
        if timeout is not None:
            return compiled.finditer(text, *window, timeout=timeout)
        left = _time_left()
        if left is None:
            return compiled.finditer(text, *window)
        return cpu_matches(compiled.finditer, text, window, *left, budgeted=True)

    def findall(self, text: str, *window: int, timeout: float | None = None) -> list[Any]:
        if not (self._state == _NO_GATE or self.possible(text, *window)):
            return []
        if self.safe_width() >= window_width(text, window):
            if timeout is None:
                _time_left()
            return self.compiled.findall(text, *window)
        if timeout is not None:
            return self.compiled.findall(text, *window, timeout=timeout)
        left = _time_left()
        if left is None:
            return self.compiled.findall(text, *window)
        try:
            return cpu_search(self.compiled.findall, text, window, *left)
        except TimeoutError:
            raise _exceeded() from None

    def sub(
        self,
        replacement: str | Callable[[regex.Match[str]], str],
        text: str,
        count: int = 0,
        *,
        timeout: float | None = None,
    ) -> str:
        if self._state == _NO_GATE or self.possible(text):
            if self.safe_width() >= len(text):
                if timeout is None:
                    _time_left()
                return self.compiled.sub(replacement, text, count)
            if timeout is not None:
                return self.compiled.sub(replacement, text, count, timeout=timeout)
            left = _time_left()
            if left is None:
                return self.compiled.sub(replacement, text, count)
            compiled = self.compiled

            def substitute(text: str, timeout: float) -> str:
                return compiled.sub(replacement, text, count, timeout=timeout)

            try:
                return cpu_search(substitute, text, (), *left)
            except TimeoutError:
                raise _exceeded() from None
        return text

    def __repr__(self) -> str:
        return f"GatedPattern({self.pattern!r}, {self.flags})"

    def __reduce__(self) -> tuple[object, ...]:
        return GatedPattern, (self.pattern, self.flags, self.origin)


def _exceeded() -> PatternBudgetExceeded:
    """The error for the current budget, which is spent from now on (a search that timed out spent it)."""
    budget = _DEADLINE.get()
    seconds = 0.0
    if budget is not None:
        seconds, budget.ends = budget.seconds, -math.inf
    return PatternBudgetExceeded(f"built-in patterns ran past the document's budget of {seconds:g} s")


def _bounded(
    method: Callable[..., regex.Match[str] | None],
    text: str,
    window: tuple[int, ...],
    timeout: float | None,
    safe: bool = False,
) -> regex.Match[str] | None:
    """Call a search method of a compiled pattern with `timeout`, or with the time left of the current
    `pattern_budget` (`cpu_search`'s first run written out: most searches are over in a microsecond, and run
    once, within their time); `safe`: the search is proven to take at most `STEP_LIMIT` steps (`Safety`), and
    runs without a timeout once the budget is found not spent."""
    budget = _DEADLINE.get()
    if safe:
        if timeout is None and budget is not None:
            budget.time_left()
        return method(text, *window)
    if timeout is not None:
        return method(text, *window, timeout=timeout)
    if budget is None:
        return method(text, *window)
    left, cpu = budget.time_left()
    try:
        return method(text, *window, timeout=left)
    except TimeoutError:
        pass
    try:
        again, left = _run_again(left, left, cpu)
        return cpu_search(method, text, window, left, timeout=again)
    except TimeoutError:
        raise _exceeded() from None


# what makes a pattern's alternatives mean something else on their own: inline flags for the whole pattern, comments,
# references to groups by number or name (back references, conditionals, recursion and calls)
_WHOLE_PATTERN_SYNTAX = compile_regex(r"\(\?[\w^-]*\)|\(\?#|\\\d|\(\?P=|\\g<|\\Q|\(\?(?:\(|R|[+-]?\d|&|P>)")


def top_level_alternatives(source: str, flags: int) -> tuple[str, ...]:
    """The top-level alternatives of a pattern, `a|b(c|d)|[|]` → `a`, `b(c|d)`, `[|]` (read by `_atoms`); none where
    it has one, or where an alternative alone could read otherwise (a verbose or version-1 pattern, inline flags
    for the whole pattern, comments, references to groups)."""
    if flags & (regex.VERBOSE | regex.VERSION1) or _WHOLE_PATTERN_SYNTAX.search(source):
        return ()
    parts: list[str] = []
    depth = begin = 0
    for start, end in _atoms(source):
        if end - start != 1:
            continue
        char = source[start]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[begin:start])
            begin = end
    parts.append(source[begin:])
    return tuple(parts) if len(parts) > 1 else ()


_LAZY_RUN = compile_regex(r"\{0,(\d+)\}\?")


@record(frozen=True, slots=True)
class LazyLead:
    """A pattern `C{0,n}?R` that opens with a lazy run of one character class `C` before the rest `R` (no top-level
    alternative, never empty): its matches are found from those of `R` alone. Scanning tries the lazy run at every
    start, up to n characters each; but the leftmost match starts where the run reaches back from the first match
    of `R` (at most n characters of `C`, not before where the search began), and goes on as that match of `R` does,
    whatever start the run took (`R` reads the same text)."""

    lead: regex.Pattern[str]
    most: int
    rest: GatedPattern

    @classmethod
    def of(cls, source: str, flags: int) -> LazyLead | None:
        """The lead of a pattern of that form (None for any other, or where its parts could read otherwise alone:
        flags that change how a class or the pattern reads, syntax that refers to the whole pattern)."""
        key = (source, flags)
        if key not in _LAZY_LEADS:
            _LAZY_LEADS[key] = cls._read(source, flags)
        return _LAZY_LEADS[key]

    @classmethod
    def _read(cls, source: str, flags: int) -> LazyLead | None:
        if flags & (regex.VERBOSE | regex.VERSION1 | regex.IGNORECASE) or _WHOLE_PATTERN_SYNTAX.search(source):
            return None
        first = next(_atoms(source), None)
        run = _LAZY_RUN.match(source, first[1]) if first is not None and source.startswith("[") else None
        if first is None or run is None or source[first[1] - 1] != "]":
            return None
        rest = source[run.end() :]
        if top_level_alternatives(rest, flags):
            return None
        tree = _parse(rest, flags)
        if tree is None or tree.getwidth()[0] == 0:
            return None
        with one_off_work():
            lead = compile_regex(source[: first[1]], flags)
        return cls(lead, int(run.group(1)), GatedPattern(rest, flags))

    def spans(self, text: str, start: int, rest: Iterable[regex.Match[str]], group: str | None = None) -> list[Span]:
        """The spans of the pattern's matches in a window of `text` from `start`, given the matches of `R` there in
        order (`group`: the span of that named group of each, which lies in `R`)."""
        found: list[Span] = []
        reached = start
        for match in rest:
            first = match.start()
            least = max(reached, first - self.most)
            while first > least and self.lead.fullmatch(text, first - 1, first) is not None:
                first -= 1
            found.append(match.span(group) if group is not None else (first, match.end()))
            reached = match.end()
        return found


Span = tuple[int, int]
_LAZY_LEADS: dict[tuple[str, int], LazyLead | None] = {}


def gated(source: str, flags: int = 0) -> GatedPattern:
    """`source` (the `regex` module's syntax) as a `GatedPattern`, compiled when first needed."""
    return GatedPattern(source, flags)
