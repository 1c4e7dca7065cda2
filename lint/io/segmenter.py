"""Segmenters of language packs, by the name `pack.yaml` gives (`segmenter: {name: …}`), and the jieba table.

Built in: `jieba-table` (below) and `words` (runs of letters and digits, for space-separated scripts). Another
package can add one under the `healthlint.segmenters` entry-point group: a callable taking the `segmenter`
mapping of `pack.yaml`, the pack's folder and its entries, and returning an object with `cut(text)`.

The `jieba-table` word table is compiled from jieba's dictionary and the pack's own, and cached on disk.

Importing jieba and loading its 349k-word dictionary takes about a second, which a one-file pre-commit run
cannot afford. The claim matcher only needs word boundaries around its own vocabulary, so the table keeps
jieba's most frequent words and every word that contains a vocabulary word (those decide where vocabulary
words stand alone: 有所改善, 逆转录酶), adds the language pack's dictionary, and is segmented with jieba's
algorithm (`lint.analysis.segment`): in Python at first, and by `rjieba` once a run has segmented
`COMPILE_AFTER` characters (at once with `prepare()`, as `scan` does before its workers fork). Both give the same
words; `HEALTHLINT_PURE_PYTHON=1` keeps the Python route (as where rjieba is not installed).

The table is compiled once into the user cache directory and loads in milliseconds afterwards; it is loaded
only when a document is first segmented. It is named by the SHA-256 of what it is built from (the sources' bytes,
the modules that build and read it, the options, the healthlint and Python versions), so that two installs of
the same release share one table and two different ones keep their own: neither evicts the other. Hashing the
sources is remembered per install (by their paths, sizes and modification times), and tables that no install
has read for `lint.io.kept.STALE_DAYS` days are removed when a new one is written.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from lint.analysis import segment as algorithm
from lint.analysis.segment import Buckets, Segmenter, WordSegmenter
from lint.core.language import Entry
from lint.core.language import Segmenter as SegmenterType
from lint.core.matcher import Literals, compiled_enabled
from lint.core.prefilter import one_off_work
from lint.io.kept import cache_dir, mark_read, write_atomically, write_kept

# the most frequent words of jieba's dictionary that the table keeps
KEEP_WORDS = 60_000
# characters segmented in Python before the compiled route is loaded (loading it costs about as much as
# segmenting 40,000 characters in Python)
COMPILE_AFTER = 30_000


class TableSegmenter:
    """A segmenter whose table is compiled (or read from the cache) on first use."""

    def __init__(self, dictionary: Path, keep: Iterable[str]) -> None:
        self.dictionary = dictionary
        self.keep = tuple(sorted(set(keep)))
        self._segmenter: Segmenter | None = None

    def load(self) -> Segmenter:
        """The segmenter over the compiled table (compiling or reading it now if not done yet)."""
        if self._segmenter is None:
            with one_off_work():
                self._segmenter = _load(self.dictionary, self.keep)
        return self._segmenter

    def prepare(self) -> None:
        """Load the table and the compiled route now (before worker processes fork, which then share them)."""
        self.load().compile()

    def cut(self, text: str) -> Iterable[str]:
        return self.load().cut(text)


SegmenterFactory = Callable[[Mapping[str, Any], Path, Mapping[str, Entry]], SegmenterType]


def _jieba_table(spec: Mapping[str, Any], folder: Path, entries: Mapping[str, Entry]) -> SegmenterType:
    """`dictionary`: the pack's word list (jieba's `word [frequency]` lines); `keep`: the entries (`claims.predicates`)
    or whole sections (`outcomes`) whose words the pruned table keeps, with every jieba word that contains one."""
    unknown = sorted(set(spec) - {"name", "dictionary", "keep"})
    if unknown:
        raise ValueError(f"unknown segmenter option(s): {', '.join(unknown)}")
    dictionary, keep = spec.get("dictionary"), spec.get("keep", [])
    if not isinstance(dictionary, str) or not (folder / dictionary).is_file():
        raise ValueError(f"'dictionary' must name a file of the pack folder, not {dictionary!r}")
    if not isinstance(keep, list) or not all(isinstance(name, str) for name in keep):
        raise ValueError("'keep' must list word-list entries or sections of the pack")
    kept: list[Entry] = []
    for name in keep:
        found = [entries[name]] if name in entries else [e for key, e in entries.items() if key.startswith(name + ".")]
        if not found or any(entry.kind != "terms" for entry in found if name in entries):
            raise ValueError(f"'keep' must list word-list entries or sections of the pack, not {name!r}")
        kept.extend(entry for entry in found if entry.kind == "terms")
    return TableSegmenter(folder / dictionary, [word for entry in kept for word in entry.terms])


def _words(spec: Mapping[str, Any], folder: Path, entries: Mapping[str, Entry]) -> SegmenterType:
    if set(spec) != {"name"}:
        raise ValueError("the 'words' segmenter takes no options")
    return WordSegmenter()


SEGMENTERS: dict[str, SegmenterFactory] = {"jieba-table": _jieba_table, "words": _words}


def build_segmenter(name: str, spec: Mapping[str, Any], folder: Path, entries: Mapping[str, Entry]) -> SegmenterType:
    """The segmenter `name` (built in, or from an installed package's `healthlint.segmenters` entry point)."""
    factory = SEGMENTERS.get(name)
    if factory is None:
        from importlib.metadata import entry_points

        found = entry_points(group="healthlint.segmenters", name=name)
        if not found:
            raise ValueError(f"unknown segmenter {name!r} (built in: {', '.join(sorted(SEGMENTERS))})")
        factory = next(iter(found)).load()
    return factory(spec, folder, entries)


class _KeptBuckets(Buckets):
    """The table's groups as kept on disk (each one marshalled on its own), each decoded when a block first has a
    position it starts: a one-file run decodes only the groups of the characters its text has."""

    def __init__(self, encoded: dict[str, bytes]) -> None:
        super().__init__()
        self.encoded = encoded

    def __missing__(self, first: str) -> Mapping[str, int]:
        import marshal

        raw = self.encoded.get(first)
        words = super().__missing__(first) if raw is None else marshal.loads(raw)
        self[first] = words
        return words

    def every(self) -> Iterator[tuple[str, Mapping[str, int]]]:
        return ((first, self[first]) for first in self.encoded)


def _load(dictionary: Path, keep: tuple[str, ...]) -> Segmenter:
    import marshal

    sources = [_jieba_dictionary(), dictionary]
    cached = cache_dir() / f"segmenter-{_table_key([Path(__file__), Path(algorithm.__file__), *sources], keep)}.marshal"
    try:
        encoded, total = marshal.loads(cached.read_bytes())
        if not isinstance(encoded, dict) or not isinstance(total, int):
            raise ValueError("not a segmenter table")
        buckets: Buckets = _KeptBuckets(encoded)
        mark_read(cached)
    except (OSError, EOFError, ValueError, TypeError):
        buckets, total = _compile(sources[0], sources[1], set(keep))
        encoded = {first: marshal.dumps(words) for first, words in buckets.items()}
        write_kept(cached, marshal.dumps((encoded, total)))
    return Segmenter(buckets, total, COMPILE_AFTER if compiled_enabled() else None)


def _table_key(files: list[Path], keep: tuple[str, ...]) -> str:
    """The SHA-256 (24 hex digits) of the table's sources and options; the hash of the files is remembered under the
    hash of their paths, sizes and modification times, so that it is computed once per install and change."""
    import hashlib
    import sys

    from lint.core.version import __version__

    options = f"{KEEP_WORDS}|{list(keep)!r}|{__version__}|{sys.version_info[:2]}"
    located = hashlib.sha256(options.encode())
    for source in files:
        status = source.stat()
        located.update(f"|{source.resolve()}|{status.st_size}|{status.st_mtime_ns}".encode())
    memo = cache_dir() / f"segmenter-sources-{located.hexdigest()[:24]}.txt"
    try:
        key = memo.read_text(encoding="ascii")
        if len(key) == 24:
            mark_read(memo)
            return key
    except OSError:
        pass
    content = hashlib.sha256(options.encode())
    for source in files:
        content.update(hashlib.sha256(source.read_bytes()).digest())
    key = content.hexdigest()[:24]
    write_atomically(memo, key.encode("ascii"))
    return key


def _jieba_dictionary() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("healthlint needs the jieba package for its dictionary")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def _compile(jieba_dict: Path, user_dict: Path, keep: set[str]) -> tuple[Buckets, int]:
    """jieba's dictionary pruned to its `KEEP_WORDS` most frequent words and the words that contain a word of
    `keep`, then the user dictionary added as jieba's `load_userdict` adds it."""
    frequencies = Buckets()
    total = 0
    for frequency, word in _kept_entries(jieba_dict.read_text(encoding="utf-8"), keep):
        total += _add(frequencies, word, frequency)
    for line in user_dict.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            frequency = int(parts[1]) if len(parts) > 1 else _suggested(Segmenter(frequencies, total), parts[0])
            total += _add(frequencies, parts[0], frequency)
    return frequencies, total


def _kept_entries(dictionary: str, keep: set[str]) -> list[tuple[int, str]]:
    """The (frequency, word) lines of jieba's dictionary text that the table keeps, most frequent first (ties by
    word): the `KEEP_WORDS` first in that order, and every other word that contains a word of `keep` (found in
    one pass over all the words)."""
    import bisect
    import itertools
    import re

    # two scans of single fields give flat lists (no tuple per line); both skip the same lines, those with no space
    words = re.findall(r"^([^ \n]*) ", dictionary, re.MULTILINE)
    counts = list(map(int, re.findall(r"^[^ \n]* ([^ \n]*)", dictionary, re.MULTILINE)))
    if len(counts) > KEEP_WORDS:
        threshold = sorted(counts, reverse=True)[KEEP_WORDS - 1]
        chosen = [count > threshold for count in counts]
        tied = sorted((words[index], index) for index, count in enumerate(counts) if count == threshold)
        for _, index in tied[: KEEP_WORDS - sum(chosen)]:
            chosen[index] = True
    else:
        chosen = [True] * len(counts)
    starts = list(itertools.accumulate((len(word) + 1 for word in words[:-1]), initial=0))
    for _, start, _ in Literals(sorted(keep)).find("\n".join(words)):
        chosen[bisect.bisect_right(starts, start) - 1] = True
    # negated counts sort most frequent first, ties by word, with no key function
    kept = sorted((-count, word) for count, word, wanted in zip(counts, words, chosen, strict=True) if wanted)
    return [(-negated, word) for negated, word in kept]


def _add(frequencies: Buckets, word: str, frequency: int) -> int:
    words = frequencies.setdefault(word[0], {})
    words[word] = frequency  # type: ignore[index]
    for end in range(1, len(word)):
        words.setdefault(word[:end], 0)  # type: ignore[attr-defined]
    return frequency


def _suggested(table: Segmenter, word: str) -> int:
    """jieba's `suggest_freq(word)`: just enough frequency for `word` to be kept whole."""
    probability = 1.0
    for part in table.cut(word):
        probability *= table.frequency(part) / table.total
    return max(int(probability * table.total) + 1, table.frequency(word))
