"""Efficacy, safety and proof claims: sentences that say a therapy works, found with token patterns over words.

The vocabulary is the language pack's `claims` section (`rules/lang/zh/claims.yaml`). Clauses are pre-filtered
with one automaton pass so that only candidates are segmented (with the pack's segmenter); the patterns (`TokenPattern`) match as spaCy `Matcher`
patterns with `*` gaps would, which the test suite checks against spaCy itself. Hedges, negation, mechanism
language and attributions are recorded on each `Claim` rather than dropped, so that every rule decides for
itself what cancels it.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import regex

from lint.core.document import CONTEXT_REACH, Document, Sentence
from lint.core.language import LanguagePack, Slot
from lint.core.prefilter import GatedPattern

ClaimKind = Literal["efficacy", "comparative", "benefit", "safety", "proof"]


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim in one sentence: its span, what kind of claim it is, and what qualifies it."""

    start: int
    end: int
    sentence: Sentence
    kinds: frozenset[ClaimKind]
    hedged: bool
    mechanistic: bool
    attributed: bool
    has_subject: bool
    parts: tuple[tuple[ClaimKind, int, int], ...] = ()

    def part(self, kind: ClaimKind) -> tuple[int, int]:
        """The span of the first part of this claim of `kind` (the whole claim if there is none)."""
        return next(((start, end) for k, start, end in self.parts if k == kind), (self.start, self.end))


class Vocabulary:
    """The `claims.*` word lists of a language pack, and one automaton over the words that trigger a claim."""

    _TRIGGERS = (
        "outcomes",
        "predicates",
        "passive_predicates",
        "evaluations",
        "effect_nouns",
        "comparatives",
        "benefits",
        "proofs",
    )

    def __init__(self, language: LanguagePack) -> None:
        import ahocorasick

        self.language = language
        self._patterns: dict[str, GatedPattern] = {}
        lists = {name: entry.terms for name, entry in language.section("claims").items() if entry.kind == "terms"}
        self.lists = lists
        owners: dict[str, set[str]] = {}
        for name in self._TRIGGERS:
            for word in lists.get(name, ()):
                owners.setdefault(word, set()).add(name)
        self._automaton = ahocorasick.Automaton()
        for word, names in owners.items():
            self._automaton.add_word(word, frozenset(names))
        self._automaton.make_automaton()

    def __getitem__(self, name: str) -> tuple[str, ...]:
        """The word list `name` (empty when the pack leaves it out)."""
        return self.lists.get(name, ())

    def contains_any(self, name: str, text: str) -> bool:
        pattern = self._patterns.get(name)
        if pattern is None:
            pattern = self._patterns[name] = self.language.pattern(f"claims.{name}")
        return pattern.search(text) is not None

    def is_candidate(self, text: str) -> bool:
        """Cheap test, one automaton pass: could any claim pattern match `text`? Only candidates are segmented."""
        present: set[str] = set()
        for _, names in self._automaton.iter(text):
            present |= names
        if "outcomes" in present and present & {"predicates", "passive_predicates"}:
            return True
        if {"evaluations", "effect_nouns"} <= present:
            return True
        return bool(present & {"comparatives", "benefits", "proofs"})


_VOCABULARY: Slot[Vocabulary] = Slot("claims.vocabulary")
_PATTERNS: Slot[tuple[TokenPattern, ...]] = Slot("claims.patterns")


def vocabulary(language: LanguagePack) -> Vocabulary:
    """The claim vocabulary of `language` (its `claims.*` word lists), built once per pack."""

    return _VOCABULARY.get(language, lambda: Vocabulary(language))


@dataclass(frozen=True, slots=True)
class TokenPattern:
    """A word of `first`, then (when `last` is given) words that are not `stops`, then a word of `last`; a match
    spans at most `max_tokens` words."""

    label: str
    first: frozenset[str]
    last: frozenset[str] = frozenset()
    stops: frozenset[str] = frozenset()
    max_tokens: int = 1

    def spans(self, tokens: tuple[str, ...]) -> Iterator[tuple[int, int]]:
        """Every (first, last + 1) token span that matches, shortest first for each start."""
        for first, token in enumerate(tokens):
            if token not in self.first:
                continue
            if not self.last:
                yield first, first + 1
                continue
            for index in range(first + 1, min(len(tokens), first + self.max_tokens)):
                if tokens[index] in self.last:
                    yield first, index + 1
                if tokens[index] in self.stops:
                    break


def _patterns(language: LanguagePack) -> tuple[TokenPattern, ...]:
    return _PATTERNS.get(language, lambda: _build_patterns(vocabulary(language)))


def _build_patterns(words: Vocabulary) -> tuple[TokenPattern, ...]:
    """The claim patterns over the pack's lists; a pattern one of whose lists the pack leaves out is left out."""

    def pattern(label: str, first: Iterable[str], last: Iterable[str], stops: Iterable[str], size: int) -> TokenPattern:
        return TokenPattern(label, frozenset(first), frozenset(last), frozenset(stops), size)

    def with_intensifiers(name: str) -> list[str]:
        return [*words[name], *(lead + word for lead in words["intensifiers"] for word in words[name])]

    stops, differences = words["stops"], words["differences"]
    patterns = (
        pattern("efficacy", with_intensifiers("predicates"), words["outcomes"], words["soft_stops"], 12),
        pattern(
            "efficacy_passive", words["outcomes"], with_intensifiers("passive_predicates"), [*stops, *differences], 5
        ),
        pattern("evaluation", words["evaluations"], words["effect_nouns"], stops, 5),
        pattern("evaluation", words["effect_heads"], words["evaluations"], [*stops, *differences], 5),
        TokenPattern("comparative", frozenset(words["comparatives"])),
        pattern("benefit", words["benefit_leads"], words["benefits"], stops, 10),
        pattern("proof", words["proofs"], words["proof_tails"], stops, 14),
    )
    return tuple(p for p in patterns if p.first and (p.last or p.label == "comparative"))


_KINDS: dict[str, ClaimKind] = {
    "efficacy": "efficacy",
    "efficacy_passive": "efficacy",
    "evaluation": "efficacy",
    "comparative": "comparative",
    "benefit": "benefit",
    "proof": "proof",
    "safety": "safety",
}


_CLAIMS: Slot[tuple[Claim, ...]] = Slot("claims")
_CLAIM_STARTS: Slot[list[int]] = Slot("claim starts")


def claims(doc: Document) -> tuple[Claim, ...]:
    """All claims of `doc`, one per sentence, in order (kept on the document)."""
    return _CLAIMS.get(doc, lambda: tuple(_find_claims(doc, doc.sentences)))


def claims_in(doc: Document, start: int, end: int) -> tuple[Claim, ...]:
    """The claims of `doc` that start in [start, end)."""
    found = claims(doc)
    starts = _CLAIM_STARTS.get(doc, lambda: [c.start for c in found])
    return found[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _find_claims(doc: Document, sentences: Iterable[Sentence]) -> Iterable[Claim]:
    words = vocabulary(doc.language)
    for sentence in sentences:
        text = doc.folded[sentence.start : sentence.end]
        if doc.blocks[sentence.block].kind == "reference":
            continue
        spans = _match(doc.language, text)
        safety = doc.language.pattern("claims.safety").search(text)
        if safety and not doc.language.pattern("claims.negation").search(text[: safety.start()]):
            spans.append(("safety", safety.start(), safety.end()))
        if not spans:
            continue
        labels = {label for label, _, _ in spans}
        kinds = frozenset(_KINDS[label] for label in labels)
        start = min(s for _, s, _ in spans)
        end = max(e for _, _, e in spans)
        yield Claim(
            start=sentence.start + start,
            end=sentence.start + end,
            sentence=sentence,
            kinds=kinds,
            hedged=words.contains_any("hedges", doc.language.pattern("claims.not_hedges").sub("", text)),
            mechanistic=_mechanistic(doc, sentence, labels),
            attributed=words.contains_any("study_references", text),
            has_subject=_has_subject(doc, sentence, text),
            parts=tuple(sorted((_KINDS[label], sentence.start + s, sentence.start + e) for label, s, e in spans)),
        )


def _mechanistic(doc: Document, sentence: Sentence, labels: set[str]) -> bool:
    """A verb-object claim in a list item that describes molecular or cellular mechanisms."""
    block = doc.blocks[sentence.block]
    return (
        block.kind == "list_item"
        and labels <= {"efficacy", "efficacy_passive"}
        and vocabulary(doc.language).contains_any("mechanisms", doc.folded[block.start : block.end])
    )


_CLAUSE = regex.compile(r"[^,;:!?()]+[,;:!?()]?")


def _match(language: LanguagePack, text: str) -> list[tuple[str, int, int]]:
    """Match the claim patterns clause by clause; only candidate clauses are segmented."""
    found: list[tuple[str, int, int]] = []
    words = vocabulary(language)
    comparing: list[bool] = []
    for clause in _CLAUSE.finditer(text):
        if words.is_candidate(clause.group()):
            found.extend(_match_clause(language, text, clause.start(), clause.group(), comparing))
    return found


def _match_clause(
    language: LanguagePack, text: str, offset: int, clause: str, comparing: list[bool]
) -> list[tuple[str, int, int]]:
    """The claims of one clause of the sentence `text`; a negation is looked for in the `CONTEXT_REACH`
    characters before each, and whether the sentence compares (`comparing`, filled once) only once."""
    tokens = language.segment(clause)
    starts = list(itertools.accumulate((len(token) for token in tokens), initial=offset))
    found: list[tuple[str, int, int]] = []
    words = vocabulary(language)
    negation, additive, attributive = language.pattern("claims.negation"), words["additive"], words["attributive"]
    for pattern in _patterns(language):
        for first, last in pattern.spans(tokens):
            label, start, end = pattern.label, starts[first], starts[last]
            if negation.search(text[max(0, start - CONTEXT_REACH) : start]) and not text.endswith(additive, 0, start):
                continue
            if label == "comparative":
                if not comparing:
                    comparing.append(words.contains_any("comparators", text))
                if not comparing[0]:
                    continue
            if label == "efficacy" and text[end : end + 1] in attributive:
                continue
            if label == "efficacy_passive" and text[starts[last - 1] - 1 : starts[last - 1]] in attributive:
                continue
            found.append((label, start, end))
    return found


_FIRST_SUBJECTS: Slot[dict[int, int | None]] = Slot("claims.first-subject-sentence")


def _first_subject(doc: Document, block: int) -> int | None:
    """Where the first sentence of block number `block` that names the therapy starts (once per block)."""
    known = _FIRST_SUBJECTS.get(doc, dict)
    if block not in known:
        words = vocabulary(doc.language)
        known[block] = next(
            (
                s.start
                for s in doc.sentences_in_block(block)
                if words.contains_any("subjects", doc.folded[s.start : s.end])
            ),
            None,
        )
    return known[block]


def _has_subject(doc: Document, sentence: Sentence, text: str) -> bool:
    words = vocabulary(doc.language)
    if words.contains_any("subjects", text):
        return True
    first = _first_subject(doc, sentence.block)
    if first is not None and first < sentence.start:
        return True
    seen = 0
    for block in reversed(doc.blocks[max(0, sentence.block - 40) : sentence.block]):
        if block.kind == "heading":
            if words.contains_any("subjects", doc.folded[block.start : block.end]):
                return True
            seen += 1
            if seen == 3:
                break
    return False
