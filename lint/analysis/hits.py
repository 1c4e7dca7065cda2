"""Which of a model's language-pack patterns may match where, worked out once per document.

A model that tests the same patterns on every clause or sentence names them in an `EntryGroup`; the group's
anchors are found in one pass over the document (`lint.core.prefilter.PatternGroup`), and the model asks per
clause which patterns have an anchor there (`DocumentHits.within`, a set of entry names) and searches only those:
a clause without a hit costs no pattern search and no gate test.
"""

from __future__ import annotations

from collections.abc import Sequence

from lint.core.document import Document
from lint.core.language import LanguagePack, Slot
from lint.core.prefilter import DocumentHits, PatternGroup


class EntryGroup:
    """Entries of the language pack (`section.entry` names), with their anchors kept per pack and their hits per
    document."""

    __slots__ = ("_group", "_hits", "names")

    def __init__(self, label: str, names: Sequence[str]) -> None:
        self.names = tuple(dict.fromkeys(names))
        self._group: Slot[PatternGroup] = Slot(f"{label} patterns")
        self._hits: Slot[DocumentHits] = Slot(f"{label} hits")

    def hits(self, doc: Document) -> DocumentHits:
        """Where the group's anchors occur in the folded text of `doc` (one pass, kept on the document)."""
        return self._hits.get(doc, lambda: self.patterns(doc.language).scan(doc.folded))

    def patterns(self, language: LanguagePack) -> PatternGroup:
        """The group's patterns in `language` (built once per pack)."""
        return self._group.get(language, lambda: PatternGroup({name: language.pattern(name) for name in self.names}))


class SentenceSearch:
    """Whether one pattern of the language pack matches in a stretch of a document (the stretch cut out), searched
    once per stretch and kept on the document, so that the models that ask it of the same sentences share it."""

    __slots__ = ("_known", "entry")

    def __init__(self, entry: str) -> None:
        self.entry = entry
        self._known: Slot[dict[tuple[int, int], bool]] = Slot(f"{entry} by stretch")

    def found(self, doc: Document, start: int, end: int) -> bool:
        """Whether the pattern matches in `doc.folded[start:end]`."""
        known = self._known.get(doc, dict)
        answer = known.get((start, end))
        if answer is None:
            pattern = doc.language.pattern(self.entry)
            answer = known[start, end] = pattern.search(doc.folded[start:end]) is not None
        return answer
