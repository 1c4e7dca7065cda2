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

import re._constants as sre
import re._parser as sre_parse
import warnings
from collections.abc import Iterable, Sequence

import regex

_PROPERTY = regex.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")
_UNBOUNDED = sre.MAXREPEAT
_BACKTRACKING = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_SINGLE = (sre.LITERAL, sre.IN, sre.ANY, sre.NOT_LITERAL)

NESTED = "nested quantifier"
LEADING = "unguarded leading run"

_Items = Iterable[tuple[object, object]]


def _parse(source: str, flags: int) -> sre_parse.SubPattern | None:
    readable = _PROPERTY.sub(r"\\w", source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sre_parse.parse(readable, flags & (regex.IGNORECASE | regex.DOTALL | regex.VERBOSE))
    except (sre.error, OverflowError, RecursionError, ValueError):
        return None


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
