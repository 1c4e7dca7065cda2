"""`disclaimer`: a document about a health product or treatment that carries no medical disclaimer.

Whether the document owes one is read from its genre and promoted offer (`lint.analysis.offer`): any text that
promotes or discusses a health product, service or treatment does, whether or not it uses the words for
treatment or drugs; a regulator's notice, a consumer warning or a recruitment notice does not. What counts as a
disclaimer is the language pack's `disclaimers.accept`; a match that overlaps `disclaimers.not_disclaimer` (a
sales call to action such as 在线咨询医生, an investment risk notice) does not count.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from lint.analysis.offer import offer
from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.records import record
from lint.kinds.base import Deadline, ParameterError, RuleKind, parameter


@record(frozen=True, slots=True)
class DisclaimerParams:
    applies_to: str = parameter(
        "str",
        default="discusses",
        help="'discusses' (any health product or treatment) or 'promotes' (only what a page sells)",
    )


class DisclaimerKind(RuleKind[DisclaimerParams]):
    """Flags the document when it owes a medical disclaimer (`applies_to`) and none is present."""

    name: ClassVar[str] = "disclaimer"
    document_level: ClassVar[bool] = True
    Params = DisclaimerParams

    @classmethod
    def validate(cls, params: Mapping[str, object]) -> object:
        values: DisclaimerParams = super().validate(params)  # type: ignore[assignment]
        if values.applies_to not in ("discusses", "promotes"):
            raise ParameterError("'applies_to' must be 'discusses' or 'promotes'")
        return values

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        found = offer(doc)
        owes = found.promotional if self.params.applies_to == "promotes" else found.discusses_health
        if not owes or found.notice:
            return
        text, language, deadline = doc.folded, doc.language, Deadline(timeout)
        masks = [m.span() for m in deadline.finditer(language.pattern("disclaimers.not_disclaimer").compiled, text)]
        for match in deadline.finditer(language.pattern("disclaimers.accept").compiled, text):
            if not any(start < match.end() and match.start() < end for start, end in masks):
                return
        yield Hit(0, 0)
