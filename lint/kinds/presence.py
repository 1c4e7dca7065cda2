"""`document`: a document-level requirement, such as a disclaimer that must appear somewhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.prefilter import GatedPattern
from lint.core.records import record
from lint.kinds.base import Deadline, RuleKind, parameter


@record(frozen=True, slots=True)
class PresenceParams:
    require: tuple[GatedPattern, ...] = parameter("regexes", help="any one of these satisfies the rule")
    when: tuple[GatedPattern, ...] = parameter(
        "regexes", default=(), help="the rule applies only if one of these is present"
    )


class PresenceKind(RuleKind[PresenceParams]):
    """Flags the document when it matches any `when` pattern but none of the `require` patterns."""

    name: ClassVar[str] = "document"
    document_level: ClassVar[bool] = True
    Params = PresenceParams

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        text, deadline = doc.match.text, Deadline(timeout)
        when, require = self.params.when, self.params.require
        if when and not any(deadline.search(p, text) for p in when):
            return
        if any(deadline.search(p, text) for p in require):
            return
        yield Hit(0, 0)
