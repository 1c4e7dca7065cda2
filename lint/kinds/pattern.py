"""`pattern`: regular expressions (the `regex` module) over the normalised text, with a timeout.

All patterns share one anchor pass (`lint.core.prefilter`): each is then run only on the stretches of text
around the literals every one of its matches contains.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from lint.core.document import Document
from lint.core.finding import Hit
from lint.core.language import Slot
from lint.core.prefilter import AnchorIndex, GatedPattern
from lint.core.records import record
from lint.kinds.base import Deadline, RuleKind, parameter


@record(frozen=True, slots=True)
class PatternParams:
    patterns: tuple[GatedPattern, ...] = parameter("regexes", help="regular expressions over the folded text")
    exceptions: tuple[GatedPattern, ...] = parameter(
        "regexes", default=(), help="a match containing one of these is dropped"
    )


class PatternKind(RuleKind[PatternParams]):
    """Flags every match of any of `patterns`; a named group `span` narrows the reported span."""

    name: ClassVar[str] = "pattern"
    Params = PatternParams

    _index: AnchorIndex
    _window_slot: Slot[list[list[tuple[int, int]]]]
    _slots: tuple[int, ...]

    @classmethod
    def prepare(cls, instances: Sequence[RuleKind[Any]]) -> None:
        rules = [i for i in instances if isinstance(i, PatternKind)]
        patterns: list[GatedPattern] = []
        for rule in rules:
            rule._slots = tuple(range(len(patterns), len(patterns) + len(rule.params.patterns)))
            patterns.extend(rule.params.patterns)
        index = AnchorIndex(patterns)
        windows: Slot[list[list[tuple[int, int]]]] = Slot("pattern windows")
        for rule in rules:
            rule._index, rule._window_slot = index, windows

    def _windows(self, doc: Document) -> list[list[tuple[int, int]]]:
        return self._window_slot.get(doc, lambda: self._index.windows(doc.match.text))

    def hits(self, doc: Document, timeout: float) -> Iterator[Hit]:
        text = doc.match.text
        exceptions = self.params.exceptions
        windows = self._windows(doc)
        for pattern, slot in zip(self.params.patterns, self._slots, strict=True):
            if not windows[slot]:
                continue
            compiled = pattern.compiled
            narrowed = "span" in compiled.groupindex
            deadline = Deadline(timeout)
            for start, end in windows[slot]:
                for match in deadline.finditer(compiled, text, start, end):
                    if any(deadline.search(e, match.group()) for e in exceptions):
                        continue
                    first, last = match.span("span") if narrowed else match.span()
                    if last > first:
                        yield Hit(*doc.match.original_span(first, last))
