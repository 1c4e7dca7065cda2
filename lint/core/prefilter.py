"""Literal prefilters for regular expressions: run a regex only where the literals every match contains occur.

The pattern's syntax tree gives a set of *anchors*, literal strings at least one of which occurs in every
match, and the pattern's widest match. Two uses:

* `AnchorIndex`, for rule patterns over a whole document: one Aho-Corasick pass finds the anchors of all
  patterns, and each pattern is scanned only on the stretches around its anchors, which gives exactly the
  matches a scan of the whole text gives (see `Prefilter.windows`).
* `GatedPattern`, for the built-in patterns run on many short pieces (sentences, blocks): a piece that
  holds none of the anchors is not searched at all.

The tree comes from the standard library's parser, which reads the syntax the `regex` module shares with
`re`; a pattern that uses anything beyond it (or whose anchors cannot be worked out) is always scanned in full.
"""

from __future__ import annotations

import itertools
import re
import re._constants as sre
import re._parser as sre_parse
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import regex

_MAX_SET = 64  # a literal set larger than this is not worth expanding
_MAX_CLASS = 32  # nor a character class with more members

_Strings = frozenset[str]
_STANDARD_FLAGS = regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.VERBOSE | regex.ASCII
_SHARED_FLAGS = _STANDARD_FLAGS | regex.UNICODE | regex.VERSION0
# syntax `re` parses but reads otherwise than the `regex` module: POSIX classes, fuzzy constraints
_REGEX_ONLY = regex.compile(r"\[:\^?[a-z]+:\]|\{\s*\d*\s*[eids]")


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a piece of a pattern matches: `exact`, every string it can match (when few and known), and
    `required`, strings one of which every match contains (None where unknown)."""

    exact: _Strings | None
    required: _Strings | None


_UNKNOWN = _Shape(None, None)
_EMPTY = _Shape(frozenset({""}), None)


def _uncased(ch: str) -> bool:
    return ch.lower() == ch.upper()


@dataclass(frozen=True, slots=True)
class _Reader:
    """Works out the shape of a parsed pattern; `cased` keeps cased letters as literals (callers that accept
    them must match them case-insensitively)."""

    cased: bool

    def literal(self, code: int) -> _Shape:
        ch = chr(code)
        if not (self.cased or _uncased(ch)):
            return _UNKNOWN
        return _Shape(frozenset({ch}), frozenset({ch}))

    def char_class(self, items: list[tuple[object, int]]) -> _Shape:
        if len(items) > _MAX_CLASS or any(op is not sre.LITERAL for op, _ in items):
            return _UNKNOWN
        chars = [chr(code) for _, code in items]
        if not (self.cased or all(_uncased(ch) for ch in chars)):
            return _UNKNOWN
        members = frozenset(chars)
        return _Shape(members, members)

    def sequence(self, items: Iterable[tuple[object, Any]]) -> _Shape:
        shapes = [self.node(op, av) for op, av in items]
        required: _Strings | None = None
        for shape in shapes:
            required = _better(required, shape.required)
        run: list[_Strings] = []
        for shape in [*shapes, _UNKNOWN]:
            if shape.exact is not None:
                run.append(shape.exact)
                continue
            if run:
                required = _better(required, _product(run))
            run = []
        known = [shape.exact for shape in shapes if shape.exact is not None]
        exact = _product(known) if len(known) == len(shapes) else None
        return _Shape(exact, _better(required, exact))

    def node(self, op: object, av: Any) -> _Shape:
        """The shape of one node of the standard parser's tree (`av`, its argument, is untyped there)."""
        if op is sre.LITERAL:
            return self.literal(av)
        if op is sre.IN:
            return self.char_class(av)
        if op is sre.BRANCH:
            return _union([self.sequence(branch) for branch in av[1]])
        if op is sre.SUBPATTERN:
            ignores_case = av[1] & sre.SRE_FLAG_IGNORECASE
            reader = _Reader(cased=False) if ignores_case else self
            return reader.sequence(av[-1])
        if op is sre.ATOMIC_GROUP:
            return self.sequence(av)
        if op in _REPEATS:
            low, high, body = av
            inner = self.sequence(body)
            if low == 0:
                optional = high == 1 and inner.exact is not None
                return _Shape(inner.exact | {""} if optional and inner.exact is not None else None, None)
            return _Shape(inner.exact if low == high == 1 else None, inner.required)
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return _EMPTY
        return _UNKNOWN


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _parse(pattern: regex.Pattern[str]) -> sre_parse.SubPattern | None:
    """The syntax tree of `pattern`, or None where it uses syntax or flags of the `regex` module's own."""
    if pattern.flags & ~_SHARED_FLAGS or _REGEX_ONLY.search(pattern.pattern):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a nested-set warning: `regex` may read the set otherwise
            return sre_parse.parse(pattern.pattern, pattern.flags & _STANDARD_FLAGS)
    except (sre.error, OverflowError, RecursionError, FutureWarning, DeprecationWarning):
        return None


def _product(sets: Sequence[_Strings]) -> _Strings | None:
    size = 1
    for strings in sets:
        size *= len(strings)
        if size > _MAX_SET:
            return None
    return frozenset("".join(parts) for parts in itertools.product(*sets))


def _better(first: _Strings | None, second: _Strings | None) -> _Strings | None:
    """The more selective of two anchor sets: longer shortest anchor, then fewer anchors."""
    candidates = [s for s in (first, second) if s and "" not in s]
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


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
    for op, av in items:
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


@dataclass(frozen=True, slots=True)
class Prefilter:
    """The anchors of one pattern (empty: scan the whole text) and how far from an anchor a match may reach
    (None: unbounded, so any anchor means scanning the whole text)."""

    anchors: _Strings
    reach: int | None

    @classmethod
    def of(cls, pattern: regex.Pattern[str]) -> Prefilter:
        """Work out the anchors of `pattern` (no cased letters in them, as the patterns ignore case); patterns
        the standard parser cannot read get none."""
        tree = _parse(pattern)
        anchors = _Reader(cased=False).sequence(tree).required if tree is not None else None
        if tree is None or not anchors:
            return cls(frozenset(), None)
        widest = tree.getwidth()[1]
        reach = widest + _assertion_reach(tree)
        return cls(anchors, reach if reach < sre.MAXREPEAT else None)

    def windows(self, positions: Sequence[int], size: int) -> list[tuple[int, int]]:
        """The stretches of a text of length `size` to scan, given the sorted start positions of anchors.

        Every match contains an anchor starting at some q, and it and its lookarounds read at most `reach`
        characters, so it lies in [q - reach, q + reach); two more characters keep `$` and `\\b` at the end of
        a match from seeing the end of the stretch. Overlapping stretches are merged, so no match crosses
        from one stretch into another, and scanning a stretch from its start (lookbehinds still see the
        text before it) finds what scanning the whole text finds there.
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
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


# Working out anchors costs about a millisecond a pattern: more than it saves on one short file, so it waits
# until a pattern (or a set of rule patterns) has been used this many times.
ANALYSE_AFTER = 32


class AnchorIndex:
    """The anchors of many patterns in one Aho-Corasick automaton, built after `ANALYSE_AFTER` texts."""

    def __init__(self, patterns: Sequence[regex.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        self._prefilters: tuple[Prefilter, ...] = ()
        self._automaton: Any = None
        self._uses = 0

    def windows(self, text: str) -> list[list[tuple[int, int]]]:
        """Per pattern, in order, the stretches of `text` to scan (see `Prefilter.windows`)."""
        if self._automaton is None:
            self._uses += 1
            if self._uses < ANALYSE_AFTER:
                return [[(0, len(text))] for _ in self.patterns]
            self._build()
        found: list[list[int]] = [[] for _ in self.patterns]
        if self._automaton.kind != 0:
            for last, (length, slots) in self._automaton.iter(text):
                for slot in slots:
                    found[slot].append(last - length + 1)
        return [
            prefilter.windows(sorted(positions), len(text))
            for prefilter, positions in zip(self._prefilters, found, strict=True)
        ]

    def _build(self) -> None:
        import ahocorasick

        self._prefilters = tuple(Prefilter.of(pattern) for pattern in self.patterns)
        owners: dict[str, list[int]] = {}
        for slot, prefilter in enumerate(self._prefilters):
            for anchor in prefilter.anchors:
                owners.setdefault(anchor, []).append(slot)
        self._automaton = ahocorasick.Automaton()
        for anchor, slots in owners.items():
            self._automaton.add_word(anchor, (len(anchor), tuple(slots)))
        if owners:
            self._automaton.make_automaton()


@dataclass(frozen=True, slots=True)
class _Gate:
    """Anchors without letters, for one Aho-Corasick automaton, and anchors with letters in a pattern that
    ignores case, for the standard `re` module (which takes the same letters as equal as `regex` does)."""

    uncased: Any
    cased: re.Pattern[str] | None

    @classmethod
    def of(cls, pattern: regex.Pattern[str]) -> _Gate | None:
        import ahocorasick

        tree = _parse(pattern)
        anchors = _Reader(cased=True).sequence(tree).required if tree is not None else None
        if not anchors:
            return None
        ignore_case = bool(pattern.flags & regex.IGNORECASE)
        cased = sorted(a for a in anchors if ignore_case and not all(map(_uncased, a)))
        automaton = ahocorasick.Automaton()
        for anchor in anchors.difference(cased):
            automaton.add_word(anchor, None)
        if len(automaton):
            automaton.make_automaton()
        return cls(automaton, re.compile("|".join(map(re.escape, cased)), re.IGNORECASE) if cased else None)

    def admits(self, text: str) -> bool:
        if len(self.uncased) and next(self.uncased.iter(text), None) is not None:
            return True
        return self.cased is not None and self.cased.search(text) is not None


# A gate is dropped when, over its first `GATE_TRIAL` tests, it let more than half of the texts through: there
# the test costs more than the searches it saves.
GATE_TRIAL = 256


_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("healthlint_pattern_deadline", default=None)


class PatternBudgetExceeded(TimeoutError):
    """The built-in patterns run for one document went past the document's time budget."""


@contextmanager
def pattern_budget(seconds: float | None) -> Iterator[None]:
    """Run every `GatedPattern` search inside the block under one shared deadline, `seconds` from now: a search
    gets the time left as its `regex` timeout, and once none is left every search raises
    `PatternBudgetExceeded` at once. Without a budget (None) searches are unbounded."""
    token = _DEADLINE.set(None if seconds is None else (time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _time_left() -> float | None:
    budget = _DEADLINE.get()
    if budget is None:
        return None
    left = budget[0] - time.monotonic()
    if left <= 0:
        raise _exceeded()
    return left


class GatedPattern:
    """A compiled pattern behind a necessary test: text that holds none of its anchors cannot match, and is not
    searched. The anchors are worked out after `ANALYSE_AFTER` uses; a pattern anchored at the start (`^…`) is
    never gated, as a failed match there costs less than the test, and a gate that lets most texts through is
    dropped after `GATE_TRIAL` tests. With a `pos`/`endpos` window, only the window is tested (every match lies
    inside it). Gating never changes a result, only how often the pattern runs."""

    __slots__ = ("_admitted", "_gate", "_open", "_tested", "_uses", "compiled")

    def __init__(self, pattern: regex.Pattern[str]) -> None:
        self.compiled = pattern
        self._gate: _Gate | None = None
        self._open = pattern.pattern.startswith("^")
        self._uses = self._tested = self._admitted = 0

    def possible(self, text: str, *window: int) -> bool:
        """Whether `text` (or its `window[0]:window[1]` stretch) could hold a match (False only when it certainly
        holds none)."""
        if self._open:
            return True
        gate = self._gate
        if gate is None:
            self._uses += 1
            if self._uses < ANALYSE_AFTER:
                return True
            gate = self._gate = _Gate.of(self.compiled)
            if gate is None:
                self._open = True
                return True
        admitted = gate.admits(text[window[0] : window[1] if len(window) > 1 else len(text)] if window else text)
        if self._tested < GATE_TRIAL:
            self._tested += 1
            self._admitted += admitted
            if self._tested == GATE_TRIAL and 2 * self._admitted > GATE_TRIAL:
                self._open = True
        return admitted

    @property
    def pattern(self) -> str:
        """The source of the pattern."""
        return self.compiled.pattern

    def search(self, text: str, *window: int) -> regex.Match[str] | None:
        if self._open or self.possible(text, *window):
            return _bounded(self.compiled.search, text, *window)
        return None

    def match(self, text: str, *window: int) -> regex.Match[str] | None:
        if self._open or self.possible(text, *window):
            return _bounded(self.compiled.match, text, *window)
        return None

    def finditer(self, text: str, *window: int) -> Iterator[regex.Match[str]]:
        if not (self._open or self.possible(text, *window)):
            return iter(())
        left = _time_left()
        if left is None:
            return self.compiled.finditer(text, *window)
        return _bounded_iteration(self.compiled.finditer(text, *window, timeout=left))

    def sub(self, replacement: str | Callable[[regex.Match[str]], str], text: str) -> str:
        if self._open or self.possible(text):
            return self.compiled.sub(replacement, text, timeout=_time_left())
        return text


def _exceeded() -> PatternBudgetExceeded:
    budget = _DEADLINE.get()
    seconds = budget[1] if budget else 0.0
    return PatternBudgetExceeded(f"built-in patterns ran past the document's budget of {seconds:g} s")


def _bounded(method: Callable[..., regex.Match[str] | None], text: str, *window: int) -> regex.Match[str] | None:
    """Call a search method of a compiled pattern with the time left of the current `pattern_budget`."""
    left = _time_left()
    if left is None:
        return method(text, *window)
    try:
        return method(text, *window, timeout=left)
    except TimeoutError:
        raise _exceeded() from None


def _bounded_iteration(matches: Iterator[regex.Match[str]]) -> Iterator[regex.Match[str]]:
    try:
        yield from matches
    except TimeoutError:
        raise _exceeded() from None


def gated(source: str, flags: int = 0) -> GatedPattern:
    """Compile `source` (the `regex` module's syntax) as a `GatedPattern`."""
    return GatedPattern(regex.compile(source, flags))
