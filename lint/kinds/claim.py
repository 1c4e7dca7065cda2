"""`claim`: efficacy claims about a therapy that nothing in the article backs (uncited_efficacy)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from lint.analysis.claims import claims
from lint.analysis.evidence import evidence
from lint.core.document import Document
from lint.core.finding import Hit
from lint.kinds.base import RuleKind, parameter


@dataclass(frozen=True, slots=True)
class ClaimParams:
    claim_kinds: tuple[str, ...] = parameter(
        "terms", default=("efficacy", "comparative", "benefit"), help="claim kinds to check"
    )


class ClaimKind(RuleKind[ClaimParams]):
    """Flags unhedged claims of the listed `claim_kinds` that have no study, citation or reference behind them.

    A claim is backed when it lies inside a study block, when its paragraph holds a checkable citation (a
    numbered marker, DOI, PMID, registry id, URL or author-year), or when it points back at the studies the
    article describes (本研究, 以上研究). Vague authority (研究表明, 大量临床数据显示) backs nothing.
    """

    name: ClassVar[str] = "claim"
    Params = ClaimParams

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        wanted = set(self.params.claim_kinds)
        model = evidence(doc)
        for claim in claims(doc):
            if not (claim.kinds & wanted) or claim.hedged or claim.mechanistic or not claim.has_subject:
                continue
            if model.block_at(claim.start):
                continue
            if claim.attributed and model.blocks:
                continue
            paragraph = doc.blocks[claim.sentence.block]
            if model.citations_in(paragraph.start, paragraph.end):
                continue
            yield Hit(claim.start, claim.end)
