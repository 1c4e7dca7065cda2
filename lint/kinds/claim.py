"""`claim`: efficacy claims about a promoted thing that nothing in the article backs (uncited_efficacy)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lint.analysis.claims import claims
from lint.analysis.evidence import evidence
from lint.core.document import Document
from lint.core.finding import Hit
from lint.kinds.base import Parameter, RuleKind


class ClaimKind(RuleKind):
    """Flags each clause holding an unhedged claim of the listed `claim_kinds` that has nothing behind it.

    A claim is backed when it lies inside the block of an identifiable study (one that is not itself weak
    evidence: an animal or cell result backs no claim about patients), when its paragraph holds a checkable
    citation (a numbered marker that resolves to the reference list, a DOI, PMID, registry id, URL or
    author-year), or when it points back at the studies the article describes (本研究, 以上研究). Vague authority
    (研究表明, 《Nature》子刊, 临床证实) backs nothing. A hedge qualifies its own clause only, so each clause is
    judged on its own.
    """

    name: ClassVar[str] = "claim"
    parameters: ClassVar[dict[str, Parameter]] = {
        "claim_kinds": Parameter("terms", default=("efficacy", "comparative", "benefit"), help="claim kinds to check"),
    }

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        wanted = set(self.params["claim_kinds"])  # type: ignore[arg-type]
        model = evidence(doc)
        for claim in claims(doc):
            if not (claim.kinds & wanted) or not claim.has_subject:
                continue
            if model.backs(doc, claim.start):
                continue
            if claim.attributed and model.blocks:
                continue
            paragraph = doc.blocks[claim.sentence.block]
            if model.cites(doc, paragraph.start, paragraph.end):
                continue
            for clause in claim.unqualified():
                if clause.kinds & wanted:
                    yield Hit(clause.start, clause.end)
