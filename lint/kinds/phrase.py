"""`phrase`: word lists and constructions of the document's language pack, named by entry.

A rule names entries of the pack's vocabulary sections (`cure.no_relapse`, `fear.threat`); their patterns (a word
list compiles to one alternation; constructions include shared slots as `{{slots.…}}`) are searched in the
match text, and a named group `span` narrows what is reported. A match that overlaps a match of one of the
rule's `exceptions` entries is dropped, and so is one that overlaps a match kept before it; with `per_sentence`, the matches of one sentence become one finding (a
threat told in three clauses is one threat). The vocabulary, and its flag/pass examples, stay data in
`rules/lang/<code>/`; a pack that leaves an entry out turns that part of the rule off for its language.

All entries of all phrase rules share one anchor pass per language (`lint.core.prefilter.AnchorIndex`), and
each document's matches of an entry are found once, whichever rules read them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import regex

from lint.core.compiled import compile_regex
from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.language import LanguagePack, Slot
from lint.core.prefilter import AnchorIndex, GatedPattern, LazyLead, Prefilter
from lint.core.records import record
from lint.kinds.base import Deadline, ParameterError, RuleKind, parameter

_ENTRY_NAME = compile_regex(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_NEVER = GatedPattern("(?!)")

Spans = list[tuple[int, int]]


@record(frozen=True, slots=True)
class PhraseParams:
    entries: tuple[str, ...] = parameter("terms", help="language-pack entries (section.entry) to flag")
    exceptions: tuple[str, ...] = parameter(
        "terms", default=(), help="entries whose matches make an overlapping match harmless"
    )
    per_sentence: bool = parameter(
        "bool", default=False, help="report the rule's matches in one sentence as one finding spanning them all"
    )


class _Index:
    """The entries every phrase rule of one rule set reads, compiled for one language pack, behind one anchor pass."""

    def __init__(self, names: Sequence[str], language: LanguagePack) -> None:
        self.slot_of = {name: slot for slot, name in enumerate(names)}
        self.patterns = [language.pattern(name) if language.entry(name) is not None else _NEVER for name in names]
        self.anchors = AnchorIndex(self.patterns)
        self.matches: Slot[list[Spans | None]] = Slot("phrase matches")
        self.windows: Slot[list[Spans]] = Slot("phrase windows")

    def windows_in(self, doc: Document) -> list[Spans]:
        """Per entry, the stretches of the document's match text to search (one anchor pass per document)."""
        return self.windows.get(doc, lambda: self.anchors.windows(doc.match.text))


class PhraseKind(RuleKind[PhraseParams]):
    """Flags the matches of the language-pack `entries` it names, unless they overlap one of its `exceptions`."""

    name: ClassVar[str] = "phrase"
    Params = PhraseParams

    _names: tuple[str, ...]
    _indexes: Slot[_Index]

    @classmethod
    def validate(cls, params: Mapping[str, object]) -> object:
        values: PhraseParams = super().validate(params)  # type: ignore[assignment]
        for key, names in (("entries", values.entries), ("exceptions", values.exceptions)):
            for name in names:
                if not _ENTRY_NAME.match(name):
                    raise ParameterError(f"'{key}': {name!r} is not a language-pack entry name (section.entry)")
        if not values.entries:
            raise ParameterError("'entries' must name at least one language-pack entry")
        return values

    @classmethod
    def prepare(cls, instances: Sequence[RuleKind[Any]]) -> None:
        rules = [i for i in instances if isinstance(i, PhraseKind)]
        names = tuple(dict.fromkeys(name for rule in rules for name in (*rule.params.entries, *rule.params.exceptions)))
        indexes: Slot[_Index] = Slot("phrase index")
        for rule in rules:
            rule._names, rule._indexes = names, indexes

    def _index(self, language: LanguagePack) -> _Index:
        return self._indexes.get(language, lambda: _Index(self._names, language))

    def _spans(self, doc: Document, index: _Index, name: str, deadline: Deadline) -> Spans:
        """The spans (in the match text) of entry `name` in `doc`, found once per document."""
        found = index.matches.get(doc, lambda: [None] * len(index.patterns))
        slot = index.slot_of[name]
        spans = found[slot]
        if spans is None:
            spans = found[slot] = _search(doc.match.text, index.patterns[slot], index.windows_in(doc)[slot], deadline)
        return spans

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        index = self._index(doc.language)
        deadline = Deadline(timeout)
        excepted = sorted(span for name in self.params.exceptions for span in self._spans(doc, index, name, deadline))
        reach = _reach(excepted)
        starts = [start for start, _ in excepted]
        kept = (
            doc.match.original_span(start, end)
            for name in self.params.entries
            for start, end in self._spans(doc, index, name, deadline)
            if not _overlaps(starts, reach, start, end)
        )
        spans = _apart(kept)
        if self.params.per_sentence:
            spans = _by_sentence(doc, spans)
        yield from (Hit(start, end) for start, end in spans)


def _search(text: str, pattern: GatedPattern, windows: Spans, deadline: Deadline) -> Spans:
    """The matches of `pattern` in `windows` of `text` (compiled only when there is a window to search).

    A pattern whose head may lie past its start (a person named after an age or a customer label) is tried only
    where a match may start, up to its lead before each occurrence of its head, when those places are few
    against the characters of the windows: a try costs a call, while a scan tries every character (one whose
    head is its start, the `regex` module scans for itself). A pattern that opens with a lazy run of one character
    class is found from the matches of its rest (`LazyLead`)."""
    if not windows:
        return []
    lead = LazyLead.of(pattern.pattern, pattern.flags)
    if lead is not None:
        rest = lead.rest.compiled
        group = "span" if "span" in rest.groupindex else None
        found = (lead.spans(text, start, deadline.finditer(rest, text, start, end), group) for start, end in windows)
        return [(first, last) for spans in found for first, last in spans if last > first]
    compiled = pattern.compiled
    head = Prefilter.of(pattern).head
    starts = None
    if head is not None and head.lead > 0:
        starts = head.starts(text, windows, sum(end - start for start, end in windows) // HEAD_SHARE)
    if starts is not None:
        matches: Iterable[regex.Match[str]] = deadline.matches_at(compiled, text, starts)
    else:
        matches = (match for start, end in windows for match in deadline.finditer(compiled, text, start, end))
    narrowed = "span" in compiled.groupindex
    spans: Spans = []
    for match in matches:
        first, last = match.span("span") if narrowed else match.span()
        if last > first:
            spans.append((first, last))
    return spans


# a pattern is tried at the starts its head gives when they are at most one in this many characters of its windows
HEAD_SHARE = 4


def _apart(spans: Iterable[tuple[int, int]]) -> Spans:
    """`spans` sorted, leftmost-longest first, without those that overlap one kept before (a story told inside a
    review line is the review line's finding)."""
    kept: Spans = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _by_sentence(doc: Document, spans: Spans) -> Spans:
    """`spans` (sorted, original offsets) with those that start in one sentence joined into one span."""
    joined: Spans = []
    last_sentence = None
    for start, end in spans:
        sentence = doc.sentence_at(start)
        key = sentence.start if sentence is not None else None
        if joined and key is not None and key == last_sentence:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
        last_sentence = key
    return joined


def _reach(spans: Spans) -> list[int]:
    """The running maximum of the ends of `spans` (sorted by start), for overlap tests by bisection."""
    reach: list[int] = []
    for _, end in spans:
        reach.append(max(end, reach[-1]) if reach else end)
    return reach


def _overlaps(starts: list[int], reach: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the spans whose sorted starts and running maximum ends are given."""
    last = bisect.bisect_left(starts, end) - 1
    return last >= 0 and reach[last] > start
