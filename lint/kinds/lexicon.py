"""`lexicon`: terms matched as substrings of the normalised text, all lexicons in one automaton pass."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.language import Slot
from lint.core.records import record
from lint.kinds.base import RuleKind, parameter

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class TermIndex:
    """One Aho-Corasick automaton over the terms of many lexicon rules."""

    def __init__(self, lexicons: Sequence[LexiconKind]) -> None:
        import ahocorasick

        owners: dict[str, list[int]] = defaultdict(list)
        for slot, lexicon in enumerate(lexicons):
            for term in lexicon.params.terms:
                owners[term].append(slot)
        self.automaton = ahocorasick.Automaton()
        for term, slots in owners.items():
            self.automaton.add_word(term, (term, tuple(slots)))
        self.automaton.make_automaton()
        self.size = len(lexicons)
        self._matches: Slot[list[list[tuple[int, int]]]] = Slot("lexicon matches")

    def matches(self, doc: Document) -> list[list[tuple[int, int]]]:
        """Return, per rule slot, the (start, end) spans of its terms in `doc.match.text`."""
        return self._matches.get(doc, lambda: self._find(doc.match.text))

    def _find(self, text: str) -> list[list[tuple[int, int]]]:
        per_slot: list[list[tuple[int, int]]] = [[] for _ in range(self.size)]
        for last, (term, slots) in self.automaton.iter(text):
            start = last - len(term) + 1
            if not _latin_bounded(text, start, last + 1, term):
                continue
            for slot in slots:
                per_slot[slot].append((start, last + 1))
        return per_slot


def _latin_bounded(text: str, start: int, end: int, term: str) -> bool:
    if term[0] in _ASCII_WORD and start > 0 and text[start - 1] in _ASCII_WORD:
        return False
    return not (term[-1] in _ASCII_WORD and end < len(text) and text[end] in _ASCII_WORD)


@record(frozen=True, slots=True)
class LexiconParams:
    terms: tuple[str, ...] = parameter("terms", help="words or phrases to flag")
    exceptions: tuple[str, ...] = parameter("terms", default=(), help="longer phrases that make a match harmless")


class LexiconKind(RuleKind[LexiconParams]):
    """Flags any of `terms`, unless the match lies inside one of the rule's `exceptions`."""

    name: ClassVar[str] = "lexicon"
    Params = LexiconParams

    _index: TermIndex
    _slot: int

    @classmethod
    def prepare(cls, instances: Sequence[RuleKind[Any]]) -> None:
        lexicons = [i for i in instances if isinstance(i, LexiconKind)]
        index = TermIndex(lexicons)
        for slot, lexicon in enumerate(lexicons):
            lexicon._index, lexicon._slot = index, slot

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        text = doc.match.text
        exceptions = self.params.exceptions
        spans = sorted(self._index.matches(doc)[self._slot], key=lambda s: (s[0], -s[1]))
        reach = -1
        for start, end in spans:
            if end <= reach or any(_inside(text, start, end, e) for e in exceptions):
                continue
            reach = end
            yield Hit(*doc.match.original_span(start, end))


def _inside(text: str, start: int, end: int, phrase: str) -> bool:
    position = text.find(phrase, max(0, end - len(phrase)), start + len(phrase))
    while position != -1:
        if position <= start and position + len(phrase) >= end:
            return True
        position = text.find(phrase, position + 1, start + len(phrase))
    return False
