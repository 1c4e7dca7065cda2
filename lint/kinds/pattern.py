"""`pattern`: regular expressions (the `regex` module) over the normalised text, with a timeout.

All patterns share one anchor pass (`lint.core.prefilter`): each is then run only on the stretches of text
around the literals every one of its matches contains.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import ClassVar

import regex

from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.language import Slot
from lint.core.prefilter import AnchorIndex
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

    _index: AnchorIndex
    _window_slot: Slot[list[list[tuple[int, int]]]]
    _slots: tuple[int, ...]

    @classmethod
    def prepare(cls, instances: Sequence[RuleKind]) -> None:
        rules = [i for i in instances if isinstance(i, PatternKind)]
        patterns: list[regex.Pattern[str]] = []
        for rule in rules:
            rule._slots = tuple(range(len(patterns), len(patterns) + len(rule.params["patterns"])))  # type: ignore[arg-type]
            patterns.extend(rule.params["patterns"])  # type: ignore[arg-type]
        index = AnchorIndex(patterns)
        windows: Slot[list[list[tuple[int, int]]]] = Slot("pattern windows")
        for rule in rules:
            rule._index, rule._window_slot = index, windows

    def _windows(self, doc: Document) -> list[list[tuple[int, int]]]:
        return self._window_slot.get(doc, lambda: self._index.windows(doc.match.text))

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        text = doc.match.text
        patterns: tuple[regex.Pattern[str], ...] = self.params["patterns"]  # type: ignore[assignment]
        exceptions: tuple[regex.Pattern[str], ...] = self.params["exceptions"]  # type: ignore[assignment]
        windows = self._windows(doc)
        try:
            for pattern, slot in zip(patterns, self._slots, strict=True):
                narrowed = "span" in pattern.groupindex
                deadline = time.monotonic() + timeout
                for start, end in windows[slot]:
                    for match in pattern.finditer(text, start, end, timeout=_left(deadline, timeout)):
                        if any(e.search(match.group(), timeout=_left(deadline, timeout)) for e in exceptions):
                            continue
                        first, last = match.span("span") if narrowed else match.span()
                        if last > first:
                            yield Hit(*doc.match.original_span(first, last))
        except TimeoutError as error:
            raise RuleTimeout(f"regular expression timed out after {timeout:g}s") from error


def _left(deadline: float, timeout: float) -> float:
    """The time left before `deadline`: a pattern's windows in one document share its `timeout`."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError(f"regular expression timed out after {timeout:g}s")
    return left
