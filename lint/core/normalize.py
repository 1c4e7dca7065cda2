"""Normalisation for matching only: width folding, Traditional → Simplified, lower case, evasion gaps.

Two views are built from the original text:

* `fold(text)` keeps a 1:1 code-point correspondence with the original, so offsets found in the
  folded text are offsets into the original.
* `MatchText` additionally drops separators that were inserted inside a term to defeat matching
  (``根 治``, ``根-治``) and maps every position back to the original.
"""

from __future__ import annotations

import bisect
import functools

from lint.core.compiled import compile_regex
from lint.core.records import record

_CJK = r"\p{Han}"
_HAN_BOUNDARY = compile_regex(r"\\b\p{Han}|\p{Han}\\b")
_FULL_WIDTH_ASCII = compile_regex(r"[\uff01-\uff5e]")
_EVASION_GAP = compile_regex(rf"(?<={_CJK})[ \t\u3000\u00a0\-_·•*~|＿－—–\u200b-\u200d\u2060\ufeff]{{1,3}}(?={_CJK})")


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _fold_char(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        ch = chr(code - 0xFEE0)
    elif code == 0x3000:
        ch = " "
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else ch


# every character folded so far, and the `str.translate` table of those that change
_SEEN: set[str] = set()
_TABLE: dict[int, str] = {}
# what each character learned by this process folds to (the IO layer keeps them between runs: `adopt_folds`)
FOLDS: dict[str, str] = {}
FOLDS_ADDED: set[str] = set()


def fold(text: str) -> str:
    """Return `text` width-folded, lower-cased and in Simplified script, code point for code point."""
    new = set(text) - _SEEN
    if new:
        _learn(new)
    return text.translate(_TABLE)


def _learn(characters: set[str]) -> None:
    folds: dict[str, str] = {}
    han: list[str] = []
    for ch in sorted(characters):
        folds[ch] = _fold_char(ch)
        if 0x3400 <= ord(ch) <= 0x9FFF or 0xF900 <= ord(ch) <= 0xFAFF:
            han.append(ch)
    if han:
        converted = _t2s().convert("\n".join(han)).split("\n")
        if len(converted) == len(han):
            for source, simplified in zip(han, converted, strict=True):
                if len(simplified) == 1 and simplified != source:
                    folds[source] = simplified
    adopt_folds(folds)
    FOLDS.update(folds)
    FOLDS_ADDED.update(folds)


def adopt_folds(folds: dict[str, str]) -> None:
    """Take what `folds` says each character folds to (as `_learn` worked it out, in this or an earlier run)."""
    for ch, folded in folds.items():
        if folded != ch:
            _TABLE[ord(ch)] = folded
    _SEEN.update(folds)


@record(frozen=True, slots=True)
class MatchText:
    """The folded text with evasion gaps removed, and a map back to original offsets."""

    text: str
    _breaks: tuple[int, ...]
    _shifts: tuple[int, ...]

    @classmethod
    def build(cls, folded: str) -> MatchText:
        """Drop separators found between two Han characters of `folded`."""
        pieces: list[str] = []
        breaks: list[int] = []
        shifts: list[int] = []
        last = 0
        removed = 0
        for gap in _EVASION_GAP.finditer(folded):
            pieces.append(folded[last : gap.start()])
            removed += gap.end() - gap.start()
            breaks.append(gap.start() - removed + (gap.end() - gap.start()))
            shifts.append(removed)
            last = gap.end()
        if not breaks:
            return cls(folded, (), ())
        pieces.append(folded[last:])
        return cls("".join(pieces), tuple(breaks), tuple(shifts))

    def original(self, index: int) -> int:
        """Map an offset of `text` to the offset of the same character in the original."""
        position = bisect.bisect_right(self._breaks, index)
        return index + (self._shifts[position - 1] if position else 0)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of `text` to the original, covering any gaps inside it."""
        if end <= start:
            begin = self.original(start)
            return begin, begin
        return self.original(start), self.original(end - 1) + 1


def match_key(text: str) -> str:
    """The form of a flagged span that replacement tables are keyed by (folded, evasion gaps removed)."""
    return MatchText.build(fold(text)).text


def pattern_problem(source: str) -> str | None:
    """Why the regular expression `source` could never match folded text as written, or None."""
    if _HAN_BOUNDARY.search(source):
        return "\\b next to a Chinese character never matches; drop the \\b"
    if _FULL_WIDTH_ASCII.search(source):
        return "full-width characters never match (text is width-folded); write half-width ones"
    return None
