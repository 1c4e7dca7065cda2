"""Word segmentation algorithms: jieba's maximum-probability route (no HMM) over a word-frequency table, and
runs of letters for space-separated scripts.

The algorithms only; the table (jieba's dictionary pruned to what the claim matcher needs, plus the shipped
medical dictionary) is compiled and cached by `lint.io.segmenter`. `Segmenter.cut` gives what jieba's
`Tokenizer.cut(text, HMM=False)` gives over the same table, which the test suite checks against jieba itself.

The route is computed in Python, or by `rjieba` (jieba's algorithm compiled, in Rust) loaded with the same table,
once enough text has been segmented to repay loading it (about 0.1 s): both give the same words, which the test
suite checks on every fixture sentence, so a run's results do not depend on which one cut a sentence. Blocks are
split off in Python either way, so that both routes only ever see one run of the characters jieba segments.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

from lint.core.prefilter import one_off_work

_HAN = re.compile(r"([\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_ASCII_ALNUM = re.compile("[a-zA-Z0-9]")
# a word the compiled route's table holds only to make its total frequency the table's (jieba counts a user word
# that is already in its dictionary twice); its characters never occur in a block, so it is never a candidate
_TOTAL_FILLER = "\U0010fffd"

Route = Callable[[str, bool], Iterable[str]]


class Buckets(dict[str, Mapping[str, int]]):
    """Word frequencies (with 0 for prefixes of words) grouped by their first character: the words a position of
    a block can start. A character no word starts with has none."""

    def __missing__(self, first: str) -> Mapping[str, int]:
        return _NO_WORDS

    def every(self) -> Iterator[tuple[str, Mapping[str, int]]]:
        """Every group (a kind that decodes groups when first asked decodes them all)."""
        return iter(self.items())


_NO_WORDS: Mapping[str, int] = MappingProxyType({})


class Segmenter:
    """Word frequencies (with 0 for prefixes of words) and the maximum-probability segmentation over them.

    `frequencies`: a mapping of words, or `Buckets` of them; `compile_after`: the number of characters after which
    the compiled route is loaded (None: never; 0: at once).
    """

    def __init__(self, frequencies: Mapping[str, int], total: int, compile_after: int | None = None) -> None:
        if isinstance(frequencies, Buckets):
            self._buckets = frequencies
        else:
            self._buckets = Buckets()
            for word, frequency in frequencies.items():
                self._buckets.setdefault(word[0], {})[word] = frequency  # type: ignore[index]
        self.total = total
        self.log_total = math.log(total)
        self._compile_after = compile_after
        self._compiled: Route | None = None
        self._seen = 0

    def frequency(self, word: str) -> int:
        """The table's frequency of `word`: 0 for a prefix of words only, 1 for a word it does not have (as jieba's
        `FREQ.get(word, 1)`)."""
        return self._buckets[word[0]].get(word, 1) if word else 1

    @property
    def frequencies(self) -> dict[str, int]:
        """All word frequencies, in one mapping."""
        return {word: frequency for _, words in self._buckets.every() for word, frequency in words.items()}

    @property
    def compiled(self) -> bool:
        """Whether blocks are now cut by the compiled route."""
        return self._compiled is not None

    def compile(self) -> bool:
        """Load the compiled route now, if it is available; return whether blocks are cut by it."""
        if self._compiled is None and self._compile_after is not None:
            with one_off_work():
                self._compiled = compiled_route((words for _, words in self._buckets.every()), self.total)
            self._compile_after = None if self._compiled is None else self._compile_after
        return self._compiled is not None

    def cut(self, text: str) -> Iterable[str]:
        """jieba's `cut(text, HMM=False)`: words of the dictionary's best route, runs of ASCII letters and digits
        joined, every other character on its own."""
        if self._compiled is None and self._compile_after is not None:
            self._seen += len(text)
            if self._seen > self._compile_after:
                self.compile()
        cut_block = self._cut_block if self._compiled is None else self._compiled
        words: list[str] = []
        blocks = _HAN.split(text)
        for index, block in enumerate(blocks):
            if index % 2:
                words.extend(cut_block(block, False))
            elif block:
                for part in _SKIP.split(block):
                    if _SKIP.fullmatch(part):
                        words.append(part)
                    else:
                        words.extend(part)
        return words

    def _cut_block(self, block: str, hmm: bool = False) -> Iterator[str]:
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
        buckets, log_total = self._buckets, self.log_total
        size = len(block)
        score = [0.0] * (size + 1)
        ends = [0] * (size + 1)
        for start in range(size - 1, -1, -1):
            best_score, best_end = -math.inf, start + 1
            stop = start + 1
            fragment = block[start]
            words = buckets[fragment]
            candidates: list[int] = []
            while stop <= size and fragment in words:
                if words[fragment]:
                    candidates.append(stop)
                stop += 1
                fragment = block[start:stop]
            for end in candidates or [start + 1]:
                value = math.log(words.get(block[start:end]) or 1) - log_total + score[end]
                if value >= best_score:
                    best_score, best_end = value, end
            score[start], ends[start] = best_score, best_end
        return ends


def compiled_route(groups: Iterable[Mapping[str, int]], total: int) -> Route | None:
    """rjieba's `cut(block, hmm)` over the word frequencies of `groups` (their total made `total`; read group by
    group, not joined into one mapping first), or None when rjieba is not installed."""
    tokenizer = _jieba_class()
    if tokenizer is None:
        return None
    jieba = tokenizer.empty()
    add = jieba.add_word
    counted = 0
    for words in groups:
        for word, frequency in words.items():
            if frequency:
                add(word, frequency, None)
                counted += frequency
    if total < counted:
        return None
    if total > counted:
        add(_TOTAL_FILLER, total - counted, None)
    cut: Route = jieba.cut
    return cut


_COMPILED_MODULE = "rjieba.rjieba"


def _jieba_class() -> Any:
    """rjieba's `Jieba`, or None when rjieba is not installed (or `sys.modules` says so). The package's `__init__`
    builds a default tokenizer over jieba's whole dictionary (about 0.09 s) that is never used here, so when the
    package is not imported yet its compiled module is loaded alone (and registered, so that a later import of the
    package shares it)."""
    if "rjieba" in sys.modules:
        package = sys.modules["rjieba"]
        return None if package is None else package.Jieba
    module = sys.modules.get(_COMPILED_MODULE)
    if module is None:
        spec = importlib.util.find_spec("rjieba")
        if spec is None or not spec.submodule_search_locations:
            return None
        loaders = (importlib.machinery.ExtensionFileLoader, importlib.machinery.EXTENSION_SUFFIXES)
        found = importlib.machinery.FileFinder(spec.submodule_search_locations[0], loaders).find_spec(_COMPILED_MODULE)
        if found is None or found.loader is None:
            return None
        module = importlib.util.module_from_spec(found)
        found.loader.exec_module(module)
        sys.modules[_COMPILED_MODULE] = module
    return module.Jieba


_WORD = re.compile(r"\w+|\s+|.", re.DOTALL)


class WordSegmenter:
    """Runs of letters and digits, runs of spaces, and every other character on its own."""

    def cut(self, text: str) -> Iterator[str]:
        return (match.group() for match in _WORD.finditer(text))
