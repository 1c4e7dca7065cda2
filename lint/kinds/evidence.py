"""`evidence`: weak evidence presented as strong — checks over the article's evidence model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

import regex

from lint.analysis.claims import Claim, claims
from lint.analysis.evidence import Evidence, StudyBlock, contains_name, evidence
from lint.core.document import Document
from lint.core.finding import Hit, Related
from lint.kinds.base import CheckKind, Deadline, parameter

_LABEL = regex.compile(r"^(?P<label>[^:,。;!?\s]{2,14}):")

Check = Callable[["EvidenceKind", Document, Evidence, Deadline], Iterator[Hit]]


def _related(doc: Document, role: str, start: int, end: int) -> Related:
    return Related(role, start, end, doc.text[start:end])


def _source_hit(doc: Document, block: StudyBlock, *related: Related) -> Hit | None:
    if block.source is None:
        return None
    return Hit(block.source.start, block.source.end, (*related, _related(doc, "study", block.start, block.intro_end)))


def _terms_in(text: str, terms: tuple[str, ...]) -> bool:
    return any(contains_name(text, term) for term in terms)


def _preprint(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    names, prefixes = kind.params.names, kind.params.doi_prefixes
    for block in model.blocks:
        entry = model.reference_for(doc, block)
        intro = doc.folded[block.start : block.intro_end]
        from_name = _terms_in(block.source_name, names)
        from_entry = entry is not None and (any(p in entry.text for p in prefixes) or _terms_in(entry.text, names))
        if (from_name or from_entry) and doc.language.pattern("evidence.presented_as_journal").search(intro):
            related = (_related(doc, "reference", entry.start, entry.end),) if entry else ()
            hit = _source_hit(doc, block, *related)
            if hit:
                yield hit


def _conference(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    markers = kind.params.markers
    for block in model.blocks:
        entry = model.reference_for(doc, block)
        block_text = doc.folded[block.start : block.end]
        if entry is None or not _terms_in(entry.text, markers) or _terms_in(block_text, markers):
            continue
        hit = _source_hit(doc, block, _related(doc, "reference", entry.start, entry.end))
        if hit:
            yield hit


def _publisher(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    names = kind.params.names
    for block in model.blocks:
        if block.source_name and block.source_name.strip().lower() in names:
            hit = _source_hit(doc, block)
            if hit:
                yield hit


def _claims_in_block(doc: Document, model: Evidence) -> Iterator[tuple[Claim, StudyBlock]]:
    """Unhedged claims about a study's result: after its introducing sentence, or after the first clause of a
    one-sentence report (某团队报告了3例…,证实了…疗效; 一项动物实验显示,外泌体能显著延长大鼠寿命)."""
    for claim in claims(doc):
        block = model.block_at(claim.start)
        if block is None or claim.hedged:
            continue
        if claim.start >= block.intro_end or doc.clause_bounds(claim.start, claim.end)[0] > claim.sentence.start:
            yield claim, block


def _preclinical(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    labels = kind.params.limitations
    marker, conclusion = doc.language.pattern("facts.preclinical"), doc.language.pattern("evidence.conclusion")
    consistent_with = doc.language.pattern("evidence.consistent_with_preclinical")
    for claim, block in _claims_in_block(doc, model):
        if not claim.kinds & {"efficacy", "proof", "comparative"}:
            continue
        if claim.start < block.intro_end:
            # a one-sentence report names its model up front; what counts is a conclusion drawn past it
            last_part = max(start for _, start, _ in claim.parts)
            tail = doc.folded[doc.clause_bounds(last_part, last_part)[0] : claim.sentence.end]
            if not conclusion.search(tail) or any(label in tail for label in labels):
                continue
        elif any(label in doc.folded[claim.sentence.start : claim.sentence.end] for label in labels):
            continue
        first = max(doc.block_index(block.start), claim.sentence.block - 2)
        lo = max(block.start, doc.blocks[first].start)
        hi = doc.blocks[claim.sentence.block].end
        window = consistent_with.sub(lambda m: " " * len(m.group()), doc.folded[lo:hi])
        found = marker.search(window)
        if found:
            yield Hit(claim.start, claim.end, (_related(doc, "preclinical", lo + found.start(), lo + found.end()),))


def _small_study(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    limitations, small_n = kind.params.limitations, kind.params.max_n
    conclusion = doc.language.pattern("evidence.conclusion")
    for claim, block in _claims_in_block(doc, model):
        size = block.size
        tiny = size is not None and size < small_n
        early = block.has("phase_i", "pilot", "case_series", "single_arm")
        if not (tiny or early) or not claim.kinds & {"efficacy", "comparative", "proof", "safety"}:
            continue
        if claim.kinds <= {"safety"} and not tiny:
            continue
        sentence = doc.folded[claim.sentence.start : claim.sentence.end]
        following = doc.sentences[doc.sentence_index(claim.sentence.start) + 1 :][:1]
        nearby = sentence + "".join(doc.folded[s.start : s.end] for s in following)
        if not conclusion.search(sentence) or any(term in nearby for term in limitations):
            continue
        facts = [f for f in block.facts if f.kind in ("n", "phase_i", "pilot", "case_series", "single_arm")]
        yield Hit(claim.start, claim.end, tuple(_related(doc, f.kind, f.start, f.end) for f in facts[:3]))


def _randomized_all_treated(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    always, uncontrolled = kind.params.patterns, kind.params.uncontrolled_patterns
    for paragraph in doc.blocks:
        if paragraph.kind == "reference":
            continue
        text = doc.folded[paragraph.start : paragraph.end]
        study = model.block_at(paragraph.start)
        if study is not None:
            controlled = study.has("controlled", "placebo")
            related: tuple[Related, ...] = (_related(doc, "study", study.start, study.intro_end),)
        else:
            facts = doc.language
            controlled = bool(
                facts.pattern("facts.controlled").search(text) or facts.pattern("facts.placebo").search(text)
            )
            related = ()
        for pattern in always if controlled else (*always, *uncontrolled):
            for match in deadline.finditer(pattern, text):
                yield Hit(paragraph.start + match.start(), paragraph.start + match.end(), related)


def _heading_mismatch(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    groups = [tuple(term.strip() for term in group.split("|")) for group in kind.params.groups]
    for block in model.blocks:
        first = doc.blocks[doc.block_index(block.start)]
        label = _LABEL.match(doc.folded[first.start : first.end])
        if not label:
            continue
        body = doc.folded[first.start + label.end() : block.end]
        named = [g for g in groups if _terms_in(label.group("label"), g)]
        mentioned = [g for g in groups if _terms_in(body, g)]
        if named and not any(g in mentioned for g in named) and mentioned:
            start = first.start + label.start("label")
            yield Hit(start, start + len(label.group("label")), (_related(doc, "study", block.start, block.end),))


def _unsourced_statistic(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    patterns = kind.params.patterns
    for block in doc.blocks:
        if block.kind == "reference" or model.citations_in(block.start, block.end):
            continue
        text = doc.folded[block.start : block.end]
        for pattern in patterns:
            for match in deadline.finditer(pattern, text):
                start = block.start + match.start()
                if model.block_at(start) is None:
                    yield Hit(start, block.start + match.end())


def _weak_block(block: StudyBlock, small_n: int) -> bool:
    size = block.size
    return (size is not None and size < small_n) or block.has("phase_i", "pilot", "case_series", "preclinical")


def _universal_proof(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    patterns, small_n = kind.params.patterns, kind.params.max_n
    weak = [b for b in model.blocks if _weak_block(b, small_n)]
    if not weak:
        return
    related = tuple(
        _related(doc, "weak study", fact.start, fact.end)
        for block in weak
        for fact in [block.first("n") or block.facts[0]]
    )
    for pattern in patterns:
        for match in deadline.finditer(pattern, doc.folded):
            if model.block_at(match.start()) is None:
                yield Hit(match.start(), match.end(), related)


CHECKS: dict[str, Check] = {
    "preprint-as-journal": _preprint,
    "conference-as-publication": _conference,
    "publisher-as-journal": _publisher,
    "preclinical-as-clinical": _preclinical,
    "small-study-as-proof": _small_study,
    "randomized-all-treated": _randomized_all_treated,
    "heading-mismatch": _heading_mismatch,
    "unsourced-statistic": _unsourced_statistic,
    "universal-proof": _universal_proof,
}


@dataclass(frozen=True, slots=True)
class EvidenceParams:
    check: str = parameter("str", help="which evidence check to run")
    names: tuple[str, ...] = parameter("terms", default=(), help="source names (preprint servers, publishers)")
    doi_prefixes: tuple[str, ...] = parameter("terms", default=(), help="DOI prefixes of the source type")
    markers: tuple[str, ...] = parameter("terms", default=(), help="words that mark the source type or design")
    limitations: tuple[str, ...] = parameter(
        "terms", default=(), help="a limitation stated next to the claim cancels it"
    )
    max_n: int = parameter("int", default=20, help="studies with fewer participants are small")
    groups: tuple[str, ...] = parameter("terms", default=(), help="synonym groups, '|'-separated (disease names)")
    patterns: tuple[regex.Pattern[str], ...] = parameter(
        "regexes", default=(), help="patterns that are always a finding"
    )
    uncontrolled_patterns: tuple[regex.Pattern[str], ...] = parameter(
        "regexes", default=(), help="patterns that are a finding without a control arm"
    )


class EvidenceKind(CheckKind[EvidenceParams, Evidence]):
    """Runs one named `check` of the evidence model; each check reads its word lists from the rule."""

    checks: ClassVar[dict[str, Check]] = CHECKS
    name: ClassVar[str] = "evidence"
    Params = EvidenceParams

    def model(self, doc: Document) -> Evidence:
        return evidence(doc)
