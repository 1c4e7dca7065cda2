"""Chinese word segmentation: jieba's maximum-probability route (no HMM) over a compact, disk-cached dictionary.

Importing jieba and loading its 349k-word dictionary takes about a second, which a one-file pre-commit run
cannot afford. The claim matcher only needs word boundaries around its own vocabulary, so the segmenter
keeps jieba's most frequent words and every word that contains a claim-vocabulary word (those decide where
vocabulary words stand alone: 有所改善, 逆转录酶), adds the shipped medical dictionary, and applies jieba's
algorithm (`Tokenizer.cut(text, HMM=False)`, which the test suite checks against jieba itself). The table is
compiled once into the user cache directory, keyed by the path, size and modification time of its sources
and of this module, and loads in milliseconds afterwards.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import math
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

# the most frequent words of jieba's dictionary that the segmenter keeps
KEEP_WORDS = 60_000

_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+)")
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


def segment(text: str) -> tuple[str, ...]:
    """Split `text` into words (every character kept, in order)."""
    return tuple(word for word in segmenter().cut(text) if word)


@functools.lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    """The segmenter over the shipped dictionaries, compiled on first use and cached on disk."""
    from lint.claims import vocabulary
    from lint.paths import data_file

    sources = [_jieba_dictionary(), data_file("medical_dict.txt")]
    vocabulary_words = sorted({word for words in vocabulary().lists.values() for word in words})
    digest = hashlib.sha256(f"{KEEP_WORDS}|{vocabulary_words!r}".encode())
    for source in [Path(__file__), *sources]:
        status = source.stat()
        digest.update(f"|{source.resolve()}|{status.st_size}|{status.st_mtime_ns}".encode())
    cached = cache_dir() / f"segmenter-{digest.hexdigest()[:24]}.marshal"
    try:
        frequencies, total = marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        frequencies, total = _compile(sources[0], sources[1], set(vocabulary_words))
        _replace_tables(cached, marshal.dumps((frequencies, total)))
    return Segmenter(frequencies, total)


def cache_dir() -> Path:
    """Where compiled tables live: `$HEALTHLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/healthlint` or ~/.cache/healthlint
    (the system temporary directory when there is no home)."""
    configured = os.environ.get("HEALTHLINT_CACHE_DIR")
    if configured:
        return Path(configured)
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "healthlint"
    try:
        return Path.home() / ".cache" / "healthlint"
    except RuntimeError:
        return Path(tempfile.gettempdir()) / "healthlint-cache"


def _jieba_dictionary() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("healthlint needs the jieba package for its dictionary")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def _compile(jieba_dict: Path, user_dict: Path, keep: set[str]) -> tuple[dict[str, int], int]:
    """jieba's dictionary pruned to its `KEEP_WORDS` most frequent words and the words that contain a word of
    `keep`, then the user dictionary added as jieba's `load_userdict` adds it."""
    import ahocorasick

    kept = ahocorasick.Automaton()
    for word in keep:
        kept.add_word(word, word)
    kept.make_automaton()
    entries = []
    with jieba_dict.open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency = line.split(" ")[:2]
            entries.append((int(frequency), word))
    entries.sort(key=lambda entry: (-entry[0], entry[1]))
    frequencies: dict[str, int] = {}
    total = 0
    for rank, (frequency, word) in enumerate(entries):
        if rank < KEEP_WORDS or next(kept.iter(word), None) is not None:
            total += _add(frequencies, word, frequency)
    for line in user_dict.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            frequency = int(parts[1]) if len(parts) > 1 else _suggested(Segmenter(frequencies, total), parts[0])
            total += _add(frequencies, parts[0], frequency)
    return frequencies, total


def _add(frequencies: dict[str, int], word: str, frequency: int) -> int:
    frequencies[word] = frequency
    for end in range(1, len(word)):
        frequencies.setdefault(word[:end], 0)
    return frequency


def _suggested(table: Segmenter, word: str) -> int:
    """jieba's `suggest_freq(word)`: just enough frequency for `word` to be kept whole."""
    probability = 1.0
    for part in table.cut(word):
        probability *= table.frequencies.get(part, 1) / table.total
    return max(int(probability * table.total) + 1, table.frequencies.get(word, 1))


def _replace_tables(path: Path, data: bytes) -> None:
    """Write the table atomically and remove tables compiled from older sources; a cache that cannot be written
    only means compiling again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".tmp-") as handle:
            handle.write(data)
        os.replace(handle.name, path)
        for stale in path.parent.glob("segmenter-*.marshal"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        return
