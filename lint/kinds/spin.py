"""`spin`: null or unfavourable results presented as positive — checks over the study-results model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

import regex

from lint.analysis.claims import Claim, claims_in
from lint.analysis.evidence import evidence
from lint.analysis.results import StudyResult, study_results
from lint.core.document import Document
from lint.core.finding import Hit, Related
from lint.kinds.base import CheckKind, Deadline, parameter

_POSITIVE_CLAIM = frozenset({"efficacy", "proof", "comparative", "benefit"})

Check = Callable[["SpinKind", Document, tuple[StudyResult, ...], Deadline], Iterator[Hit]]


def _related(doc: Document, role: str, spans: tuple[tuple[int, int], ...]) -> tuple[Related, ...]:
    return tuple(Related(role, start, end, doc.text[start:end]) for start, end in spans)


def _sentence_text(doc: Document, claim: Claim) -> str:
    return doc.folded[claim.sentence.start : claim.sentence.end]


def _positive_claims_after(doc: Document, result: StudyResult, after: int) -> Iterator[Claim]:
    null_markers, definition = doc.language.pattern("results.null_markers"), doc.language.pattern("results.definition")
    for claim in claims_in(doc, max(after, result.block.start), result.block.end):
        text = _sentence_text(doc, claim)
        if claim.kinds & _POSITIVE_CLAIM and not null_markers.search(text) and not definition.search(text):
            yield claim


def _arm_comparison(
    kind: SpinKind, doc: Document, results: tuple[StudyResult, ...], deadline: Deadline
) -> Iterator[Hit]:
    for result in results:
        if result.verdict not in ("negative", "null") or not result.figures:
            continue
        after = max(end for _, end in result.decided_by)
        for claim in _positive_claims_after(doc, result, after):
            yield Hit(claim.start, claim.end, _related(doc, "result", result.decided_by))


def _nonsignificant_as_effect(
    kind: SpinKind, doc: Document, results: tuple[StudyResult, ...], deadline: Deadline
) -> Iterator[Hit]:
    for result in results:
        if not result.null_spans or result.figures:
            continue
        first_null = result.null_spans[0][0]
        for claim in _positive_claims_after(doc, result, first_null):
            text = _sentence_text(doc, claim)
            if kind.is_conclusion(text, deadline) and any(deadline.search(p, text) for p in kind.params.patterns):
                yield Hit(claim.start, claim.end, _related(doc, "non-significant result", result.null_spans[:2]))


def _all_studies_positive(
    kind: SpinKind, doc: Document, results: tuple[StudyResult, ...], deadline: Deadline
) -> Iterator[Hit]:
    unfavourable = [r for r in results if r.verdict in ("negative", "null")]
    if not unfavourable:
        return
    related = tuple(rel for r in unfavourable for rel in _related(doc, "result", r.decided_by))
    model = evidence(doc)
    for pattern in kind.params.patterns:
        for match in deadline.finditer(pattern, doc.folded):
            if model.block_at(match.start()) is not None:
                continue
            sentence = doc.sentence_at(match.start())
            end = sentence.end if sentence else match.end()
            yield Hit(match.start(), end - (1 if doc.folded[end - 1 : end] in "。.!?;" else 0), related)


def _pattern_in_unfavourable(
    kind: SpinKind, doc: Document, results: tuple[StudyResult, ...], deadline: Deadline
) -> Iterator[Hit]:
    for result in results:
        if result.verdict not in ("negative", "null"):
            continue
        text = doc.folded[result.block.start : result.block.end]
        for pattern in kind.params.patterns:
            for match in deadline.finditer(pattern, text):
                start = result.block.start + match.start()
                if start >= result.decided_by[0][0]:
                    yield Hit(start, result.block.start + match.end(), _related(doc, "result", result.decided_by))


def _anywhere(kind: SpinKind, doc: Document, results: tuple[StudyResult, ...], deadline: Deadline) -> Iterator[Hit]:
    for pattern in kind.params.patterns:
        for match in deadline.finditer(pattern, doc.folded):
            span = match.span("span") if "span" in pattern.groupindex else match.span()
            yield Hit(*span)


def _uncontrolled_superiority(
    kind: SpinKind, doc: Document, results: tuple[StudyResult, ...], deadline: Deadline
) -> Iterator[Hit]:
    for result in results:
        block = result.block
        explicit = block.has("case_series", "single_arm") or (
            block.size is not None and result.verdict == "uncontrolled"
        )
        if result.verdict != "uncontrolled" or not explicit:
            continue
        for claim in claims_in(doc, block.start, block.end):
            if "comparative" in claim.kinds:
                facts = tuple((f.start, f.end) for f in block.facts if f.kind in ("case_series", "single_arm", "n"))
                yield Hit(*claim.part("comparative"), _related(doc, "design", facts[:2]))


def _surrogate_as_clinical(
    kind: SpinKind, doc: Document, results: tuple[StudyResult, ...], deadline: Deadline
) -> Iterator[Hit]:
    for result in results:
        block = result.block
        if result.figures or result.null_spans:
            continue
        for sentence in doc.sentences[doc.sentence_index(block.intro_end) :]:
            if sentence.start >= block.end:
                break
            text = doc.folded[sentence.start : sentence.end]
            if sentence.start < block.intro_end or not kind.is_conclusion(text, deadline):
                continue
            reported = doc.folded[block.intro_end : sentence.start]
            for pattern in kind.params.patterns:
                for match in deadline.finditer(pattern, text):
                    if match.group("outcome") not in reported:
                        start = sentence.start + match.start()
                        yield Hit(
                            start,
                            sentence.start + match.end(),
                            _related(doc, "reported", ((block.intro_end, sentence.start),)),
                        )


CHECKS: dict[str, Check] = {
    "arm-comparison": _arm_comparison,
    "nonsignificant-as-effect": _nonsignificant_as_effect,
    "all-studies-positive": _all_studies_positive,
    "within-group": _pattern_in_unfavourable,
    "secondary-promoted": _pattern_in_unfavourable,
    "ns-harm-as-safety": _anywhere,
    "uncontrolled-superiority": _uncontrolled_superiority,
    "surrogate-as-clinical": _surrogate_as_clinical,
}


@dataclass(frozen=True, slots=True)
class SpinParams:
    check: str = parameter("str", help="which spin check to run")
    patterns: tuple[regex.Pattern[str], ...] = parameter("regexes", default=(), help="the phrasing the check looks for")
    conclusions: tuple[regex.Pattern[str], ...] = parameter(
        "regexes", default=(), help="what marks a conclusion sentence"
    )


class SpinKind(CheckKind[SpinParams, tuple[StudyResult, ...]]):
    """Runs one named spin `check`; the patterns that shape each check come from the rule."""

    checks: ClassVar[dict[str, Check]] = CHECKS
    name: ClassVar[str] = "spin"
    Params = SpinParams

    def model(self, doc: Document) -> tuple[StudyResult, ...]:
        return study_results(doc)

    def is_conclusion(self, text: str, deadline: Deadline) -> bool:
        return any(deadline.search(p, text) for p in self.params.conclusions)
