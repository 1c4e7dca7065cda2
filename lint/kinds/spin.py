"""`spin`: null or unfavourable results presented as positive — one check per kind of spin over the spin model.

The model (`lint.analysis.spin`) gives every spin claim of a document exactly one kind; a rule names the kind it
reports (`check`). Each finding's `related` spans point at the result it contradicts, carrying that result's
verdict and figures so that a report can show them beside the claim. The vocabulary is the language pack's
(`trials`, `results` and `spin` sections), so a rule brings no patterns of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lint.analysis.spin import KINDS, spin_claims
from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.records import record
from lint.kinds.base import ParameterError, RuleKind, parameter


@record(frozen=True, slots=True)
class SpinParams:
    check: str = parameter("str", help=f"which kind of spin to report ({', '.join(KINDS)})")


class SpinKind(RuleKind[SpinParams]):
    """Reports the spin claims of one kind (`check`)."""

    name: ClassVar[str] = "spin"
    Params = SpinParams

    def __init__(self, params: dict[str, object]) -> None:
        super().__init__(params)
        if self.params.check not in KINDS:
            raise ParameterError(f"unknown check {self.params.check!r} (one of: {', '.join(sorted(KINDS))})")

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        for claim in spin_claims(doc):
            if claim.kind != self.params.check:
                continue
            yield Hit(claim.start, claim.end, claim.evidence)
