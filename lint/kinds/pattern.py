"""`pattern`: regular expressions (the `regex` module) over the normalised text, with a timeout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import regex

from lint.document import Document
from lint.finding import Hit
from lint.kinds.base import Parameter, RuleKind


class RuleTimeout(Exception):
    """A rule's regular expression ran past its time limit on one document."""


class PatternKind(RuleKind):
    """Flags every match of any of `patterns`; a named group `span` narrows the reported span."""

    name: ClassVar[str] = "pattern"
    parameters: ClassVar[dict[str, Parameter]] = {
        "patterns": Parameter("regexes", required=True, help="regular expressions over the folded text"),
        "exceptions": Parameter("regexes", default=(), help="a match containing one of these is dropped"),
    }

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        text = doc.match.text
        patterns: tuple[regex.Pattern[str], ...] = self.params["patterns"]  # type: ignore[assignment]
        exceptions: tuple[regex.Pattern[str], ...] = self.params["exceptions"]  # type: ignore[assignment]
        try:
            for pattern in patterns:
                narrowed = "span" in pattern.groupindex
                for match in pattern.finditer(text, timeout=timeout):
                    if any(e.search(match.group(), timeout=timeout) for e in exceptions):
                        continue
                    start, end = match.span("span") if narrowed else match.span()
                    if end > start:
                        yield Hit(*doc.match.original_span(start, end))
        except TimeoutError as error:
            raise RuleTimeout(f"regular expression timed out after {timeout:g}s") from error
