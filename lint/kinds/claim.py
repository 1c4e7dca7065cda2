"""`claim`: efficacy claims about a promoted thing that nothing in the article backs (uncited_efficacy)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lint.analysis.claims import Claim, claims
from lint.analysis.evidence import Evidence, evidence, source_elements
from lint.analysis.offer import offer
from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.records import record
from lint.kinds.base import RuleKind, parameter


@record(frozen=True, slots=True)
class ClaimParams:
    claim_kinds: tuple[str, ...] = parameter(
        "terms", default=("efficacy", "comparative", "benefit"), help="claim kinds to check"
    )


class ClaimKind(RuleKind[ClaimParams]):
    """Flags each clause holding an unhedged claim of the listed `claim_kinds` that has nothing behind it.

    A claim is backed when it lies inside the block of an identifiable study (one that is not itself weak
    evidence: an animal or cell result backs no claim about patients), when its paragraph holds a checkable
    citation (a numbered marker that resolves to the reference list, a DOI, PMID, registry id, URL or
    author-year), or when it points back at the studies the article describes (本研究, 以上研究). Vague authority
    (研究表明, 《Nature》子刊, 临床证实) backs nothing. A hedge qualifies its own clause only, so each clause is
    judged on its own. A page that criticises claims (a regulator's notice, a consumer warning, a debunk) or
    promotes nothing (a notice, a recruitment) makes none of its own; a result said of animals or cells (小鼠…延长
    了寿命) is the weak-evidence rules' business, not a claim about patients.
    """

    name: ClassVar[str] = "claim"
    Params = ClaimParams

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        wanted = set(self.params.claim_kinds)
        page = offer(doc)
        if page.critical or page.notice or (page.genre == "doctor_qa" and not page.promotional):
            # criticised, promoting nothing, or a doctor's answer to a reader: the page makes no claims of its own
            return
        model = evidence(doc)
        preclinical = doc.language.pattern("facts.preclinical")
        report = doc.language.pattern("claims.trial_report")
        named_trial = any(block.described for block in model.blocks)
        for claim in claims(doc):
            if not (claim.kinds & wanted) or not claim.has_subject:
                continue
            if preclinical.search(doc.folded[claim.sentence.start : claim.sentence.end]):
                continue
            if model.backs(doc, claim.start):
                continue
            if claim.sentence.block == 0 and any(block.identifiable for block in model.blocks):
                # a title over the report of an identifiable study summarises it: whether it spins it is spin's
                continue
            if claim.attributed and model.blocks:
                continue
            paragraph = doc.blocks[claim.sentence.block]
            if model.cites(doc, paragraph.start, paragraph.end):
                continue
            if _sourced_next(doc, model, claim) or _reported_with_limits(doc, claim):
                continue
            if report.search(doc.folded, paragraph.start, paragraph.end) and (
                named_trial or source_elements(doc, paragraph.start, paragraph.end) >= 2
            ):
                # the report of a trial the page names: whether it is spun is the spin rules' business
                continue
            for start, end in claim.unqualified_spans(doc.folded, wanted):
                yield Hit(start, end)


def _sourced_next(doc: Document, model: Evidence, claim: Claim) -> bool:
    """Whether the sentence after the claim's gives its source: a checkable citation, or a source line (来源：…)
    that names two source elements."""
    index = doc.sentence_index(claim.sentence.start) + 1
    if index >= len(doc.sentences):
        return False
    following = doc.sentences[index]
    if following.block > claim.sentence.block + 1:
        return False
    if model.cites(doc, following.start, following.end):
        return True
    line = doc.language.pattern("claims.source_line").match(doc.folded, following.start, following.end)
    return line is not None and source_elements(doc, following.start, following.end) >= 2


def _reported_with_limits(doc: Document, claim: Claim) -> bool:
    """Whether the claim reports what a study found (一项…观察发现，…有所缓解) and its sentence then states the
    study's limits (但没有对照组，结论还需验证): honest reporting, not an uncited claim."""
    language = doc.language
    sentence = claim.sentence
    study = language.pattern("evidence.study_sentence").search(doc.folded, sentence.start, claim.start)
    if study is None:
        return False
    after = claim.end, sentence.end
    return bool(
        language.pattern("facts.uncontrolled").search(doc.folded, *after)
        or language.pattern("claims.hedges").search(doc.folded, *after)
    )
