"""Which of a model's language-pack patterns may match where, worked out once per document.

A model that tests the same patterns on every clause or sentence names them in an `EntryGroup`; the group's
anchors are found in one pass over the document (`lint.core.prefilter.PatternGroup`), and the model asks per
clause which patterns have an anchor there (`DocumentHits.within`, a set of entry names) and searches only those:
a clause without a hit costs no pattern search and no gate test. A model that scans a whole document for the words
of several word lists names them in a `TermLists`, which finds all their words in one automaton pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lint.core.document import Document
from lint.core.language import LanguagePack, Slot
from lint.core.matcher import Literals
from lint.core.prefilter import DocumentHits, PatternGroup, analysis


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


class AlternativeGroup:
    """Entries of the language pack every match of which holds, for one of its top-level alternatives, an anchor of
    each of a few sets (`Prefilter.conjunctions`: 比, then 管用 or 有效 …). Their anchors are found in one pass over a
    document, and `admitted` names the entries that may match in a stretch: those one of whose alternatives has an
    anchor of each of its sets wholly inside it. A stricter necessary test than a gate's one set of anchors (a block
    that holds 比 and nothing a comparison says after it is not searched for one); an entry whose alternatives are
    not known is always admitted."""

    __slots__ = ("_alternatives", "_hits", "names")

    def __init__(self, label: str, names: Sequence[str]) -> None:
        self.names = tuple(dict.fromkeys(names))
        self._alternatives: Slot[_Alternatives] = Slot(f"{label} alternatives")
        self._hits: Slot[DocumentHits] = Slot(f"{label} alternative hits")

    def admitted(self, doc: Document, start: int, end: int, among: Iterable[str] | None = None) -> frozenset[str]:
        """The entries (of those named `among`, if given) that may match in `doc.folded[start:end]`; a name whose
        alternatives are not known (or that is none of the group's) is always named."""
        alternatives = self._alternatives.get(doc.language, lambda: _Alternatives(doc.language, self.names))
        hits = self._hits.get(doc, lambda: alternatives.scan(doc.folded))
        present = hits.within(start, end)
        required = alternatives.required
        return frozenset(
            name
            for name in (self.names if among is None else among)
            if name not in required or any(terms <= present for terms in required[name])
        )


class _Alternatives:
    """The anchor sets of each entry's alternatives, as labels (`entry alternative.set`), where they are known, and
    one automaton over all their anchors."""

    __slots__ = ("_literals", "_owners", "required")

    def __init__(self, language: LanguagePack, names: Sequence[str]) -> None:
        owners: dict[str, set[str]] = {}
        required: dict[str, tuple[frozenset[str], ...]] = {}
        for name in names:
            pattern = language.pattern(name)
            conjunctions = analysis(pattern.pattern, pattern.flags).prefilter.conjunctions
            if not conjunctions:
                continue
            sets: list[frozenset[str]] = []
            for alternative, terms in enumerate(conjunctions):
                labels = [f"{name} {alternative}.{index}" for index in range(len(terms))]
                for label, anchors in zip(labels, terms, strict=True):
                    for anchor in anchors:
                        owners.setdefault(anchor, set()).add(label)
                sets.append(frozenset(labels))
            required[name] = tuple(sets)
        self.required = required
        self._literals = Literals(list(owners))
        self._owners = tuple(frozenset(owners[word]) for word in self._literals.words)

    def scan(self, text: str) -> DocumentHits:
        return DocumentHits.of(self._literals.find(text), self._owners, frozenset())


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
            answer = known[start, end] = pattern.occurs(doc.folded[start:end])
        return answer


class TermLists:
    """Word-list entries of the language pack (`section.entry` names) scanned over a document's folded text in one
    automaton pass. An entry's matches are those of its alternation (`Entry.source`, longest word first): from
    the start on, at the first place where one of its words starts, the longest of them, then on from its end. An
    entry that is a pattern, ignores case or holds an empty word is searched with its pattern."""

    __slots__ = ("_found", "_words", "names")

    def __init__(self, label: str, names: Sequence[str]) -> None:
        self.names = tuple(dict.fromkeys(names))
        self._words: Slot[tuple[Literals, tuple[frozenset[str], ...]]] = Slot(f"{label} term lists")
        self._found: Slot[dict[str, tuple[str, ...]]] = Slot(f"{label} term matches")

    def found(self, doc: Document, name: str) -> tuple[str, ...]:
        """The matches (the matched text, in order) of entry `name` in `doc.folded`, all the group's entries found
        once per document: what `[m.group() for m in doc.language.pattern(name).finditer(doc.folded)]` gives."""
        return self._found.get(doc, lambda: self._scan(doc))[name]

    def _lists(self, language: LanguagePack) -> tuple[Literals, tuple[frozenset[str], ...]]:
        """The words of the group's plain word lists in one automaton, and the entries each word belongs to."""

        def build() -> tuple[Literals, tuple[frozenset[str], ...]]:
            owners: dict[str, set[str]] = {}
            for name in self.names:
                for word in _plain_terms(language, name):
                    owners.setdefault(word, set()).add(name)
            literals = Literals(list(owners))
            return literals, tuple(frozenset(owners[word]) for word in literals.words)

        return self._words.get(language, build)

    def _scan(self, doc: Document) -> dict[str, tuple[str, ...]]:
        language, text = doc.language, doc.folded
        literals, owners = self._lists(language)
        spans: dict[str, list[tuple[int, int]]] = {}
        for word, start, end in literals.find(text):
            for name in owners[word]:
                spans.setdefault(name, []).append((start, -end))
        found: dict[str, tuple[str, ...]] = {}
        for name in self.names:
            if not _plain_terms(language, name):
                found[name] = tuple(match.group() for match in language.pattern(name).finditer(text))
                continue
            kept: list[str] = []
            reached = 0
            for start, end in sorted(spans.get(name, ())):  # by start, the longest word first
                if start >= reached:
                    kept.append(text[start:-end])
                    reached = -end
            found[name] = tuple(kept)
        return found


def _plain_terms(language: LanguagePack, name: str) -> tuple[str, ...]:
    """The words of entry `name` when it is a word list matched as written (none otherwise)."""
    entry = language.entry(name)
    if entry is None or entry.kind != "terms" or entry.ignore_case or not all(entry.terms):
        return ()
    return entry.terms
