"""Word segmentation algorithms: jieba's maximum-probability route (no HMM) over a word-frequency table, and
runs of letters for space-separated scripts.

The algorithms only; the table (jieba's dictionary pruned to what the claim matcher needs, plus the shipped
medical dictionary) is compiled and cached by `lint.io.segmenter`. `Segmenter.cut` gives what jieba's
`Tokenizer.cut(text, HMM=False)` gives over the same table, which the test suite checks against jieba itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

_HAN = re.compile(r"([\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_ASCII_ALNUM = re.compile("[a-zA-Z0-9]")


class Segmenter:
    """Word frequencies (with 0 for prefixes of words) and the maximum-probability segmentation over them."""

    def __init__(self, frequencies: dict[str, int], total: int) -> None:
        self.frequencies = frequencies
        self.total = total
        self.log_total = math.log(total)

    def cut(self, text: str) -> Iterator[str]:
        """jieba's `cut(text, HMM=False)`: words of the dictionary's best route, runs of ASCII letters and digits
        joined, every other character on its own."""
        for block in _HAN.split(text):
            if not block:
                continue
            if _HAN.fullmatch(block):
                yield from self._cut_block(block)
            else:
                for part in _SKIP.split(block):
                    if _SKIP.fullmatch(part):
                        yield part
                    else:
                        yield from part

    def _cut_block(self, block: str) -> Iterator[str]:
        route = self._route(block)
        position, pending = 0, ""
        while position < len(block):
            end = route[position]
            word = block[position:end]
            if len(word) == 1 and _ASCII_ALNUM.match(word):
                pending += word
            else:
                if pending:
                    yield pending
                    pending = ""
                yield word
            position = end
        if pending:
            yield pending

    def _route(self, block: str) -> list[int]:
        """For each position, the end of the word that starts there on the most probable route."""
        frequencies, log_total = self.frequencies, self.log_total
        size = len(block)
        score = [0.0] * (size + 1)
        ends = [0] * (size + 1)
        for start in range(size - 1, -1, -1):
            best_score, best_end = -math.inf, start + 1
            stop = start + 1
            fragment = block[start]
            candidates: list[int] = []
            while stop <= size and fragment in frequencies:
                if frequencies[fragment]:
                    candidates.append(stop)
                stop += 1
                fragment = block[start:stop]
            for end in candidates or [start + 1]:
                value = math.log(frequencies.get(block[start:end]) or 1) - log_total + score[end]
                if value >= best_score:
                    best_score, best_end = value, end
            score[start], ends[start] = best_score, best_end
        return ends


_WORD = re.compile(r"\w+|\s+|.", re.DOTALL)


class WordSegmenter:
    """Runs of letters and digits, runs of spaces, and every other character on its own."""

    def cut(self, text: str) -> Iterator[str]:
        return (match.group() for match in _WORD.finditer(text))
