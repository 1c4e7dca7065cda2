"""`document`: a document-level requirement, such as a disclaimer that must appear somewhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import regex

from lint.core.document import Document
from lint.core.finding import Hit
from lint.kinds.base import Parameter, RuleKind


class PresenceKind(RuleKind):
    """Flags the document when it matches any `when` pattern but none of the `require` patterns."""

    name: ClassVar[str] = "document"
    document_level: ClassVar[bool] = True
    parameters: ClassVar[dict[str, Parameter]] = {
        "require": Parameter("regexes", required=True, help="any one of these satisfies the rule"),
        "when": Parameter("regexes", default=(), help="the rule applies only if one of these is present"),
    }

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        text = doc.match.text
        when: tuple[regex.Pattern[str], ...] = self.params["when"]  # type: ignore[assignment]
        require: tuple[regex.Pattern[str], ...] = self.params["require"]  # type: ignore[assignment]
        if when and not any(p.search(text, timeout=timeout) for p in when):
            return
        if any(p.search(text, timeout=timeout) for p in require):
            return
        yield Hit(0, 0)
