"""Examples that rules and language-pack entries carry: sentences to flag (spans marked `[[…]]`) and to pass."""

from __future__ import annotations

import regex

from lint.core.compiled import compile_regex
from lint.core.records import record

_MARK = compile_regex(r"\[\[(.+?)\]\]", regex.DOTALL)


@record(frozen=True, slots=True)
class Examples:
    """Sentences that must be flagged (optionally with the expected spans marked) and sentences that must pass."""

    flag: tuple[str, ...]
    passing: tuple[str, ...]


NO_EXAMPLES = Examples((), ())


def unmark(example: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip `[[…]]` markers from an example, returning the text and the marked spans."""
    spans: list[tuple[int, int]] = []
    pieces: list[str] = []
    cursor = 0
    length = 0
    for match in _MARK.finditer(example):
        before = example[cursor : match.start()]
        pieces.append(before)
        length += len(before)
        spans.append((length, length + len(match.group(1))))
        pieces.append(match.group(1))
        length += len(match.group(1))
        cursor = match.end()
    pieces.append(example[cursor:])
    return "".join(pieces), spans


def markup_error(example: str) -> str | None:
    """Why the `[[…]]` markup of `example` is broken (an unclosed or stray bracket pair), or None."""
    text, _ = unmark(example)
    if "[[" in text or "]]" in text:
        return "unbalanced [[…]] span markers"
    return None


def mark(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with `spans` marked `[[…]]` (for reports of what was found instead)."""
    out: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        out += [text[cursor:start], "[[", text[start:end], "]]"]
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


@record(frozen=True, slots=True)
class ExampleFailure:
    """An example that does not do what it says: the item (rule id or pack entry), where it is defined, the
    example, and what was found instead."""

    item: str
    path: str
    line: int
    example: str
    expected: str
    found: str

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.item}: {self.example!r}: expected {self.expected}, found {self.found}"
