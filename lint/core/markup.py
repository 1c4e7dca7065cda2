"""Markdown layout: which parts of a Markdown file are prose, and which lines are headings.

Code (fenced, indented, inline), raw HTML and link targets are masked with spaces so that rules never
see them while every offset still points into the file. Lines are counted as CommonMark counts them
(`\\r\\n`, `\\r` and `\\n` all end a line), and every masking pass is linear in the text, however hostile.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

import regex

from lint.core.compiled import compile_regex
from lint.core.lines import LINE_END
from lint.core.records import record

_BACKTICKS = compile_regex(r"`+")
_LINK_STARTS = compile_regex(r"\]\(|<(?:https?|mailto):")
_LINK_STOPS = {"]": compile_regex(r"[)\n]"), "<": compile_regex(r"[>\n]")}
_LINK_CLOSE = {"]": ")", "<": ">"}
_FRONT_MATTER = compile_regex(r"\A\ufeff?(---|\+\+\+)[ \t]*\n(?:.*?\n)??\1[ \t]*(?:\n|\Z)", regex.DOTALL)


@record(frozen=True, slots=True)
class MarkdownLayout:
    """The Markdown text with non-prose masked, and the 0-based numbers of heading lines."""

    masked: str
    heading_lines: frozenset[int]


def front_matter_end(text: str) -> int:
    """Where a leading YAML (`---`) or TOML (`+++`) front-matter block of a Markdown text ends; 0 if it has none."""
    found = _FRONT_MATTER.match(text)
    return found.end() if found else 0


def _blank(chars: list[str], start: int, end: int) -> None:
    for index in range(start, end):
        if chars[index] not in "\r\n":
            chars[index] = " "


def _html_comments(text: str) -> Iterator[tuple[int, int]]:
    """The spans of `<!-- … -->` comments; an unclosed one ends the search (nothing after it can close)."""
    position = 0
    while (opening := text.find("<!--", position)) >= 0:
        closing = text.find("-->", opening + 4)
        if closing < 0:
            return
        yield opening, closing + 3
        position = closing + 3


def _code_spans(line: str) -> Iterator[tuple[int, int]]:
    """Inline code spans of one line: a run of backticks up to the next run of the same length."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        later = bisect.bisect_right(same, index)
        if later < len(same):
            closing = same[later]
            yield start, runs[closing][1]
            index = closing + 1
        else:
            index += 1


def _link_targets(text: str) -> Iterator[tuple[int, int]]:
    """Link targets `](…)` and autolinks `<https:…>`, as a left-to-right regex scan finds them, in linear time:
    the stop after a start is searched for once and reused by every start before it."""
    stops = {"]": (-1, -1), "<": (-1, -1)}
    position = 0
    while (start := _LINK_STARTS.search(text, position)) is not None:
        kind = start.group()[0]
        searched_from, stop = stops[kind]
        if stop < start.end() or searched_from > start.end():
            found = _LINK_STOPS[kind].search(text, start.end())
            stop = found.start() if found else len(text)
            stops[kind] = (start.end(), stop)
        if stop < len(text) and text[stop] == _LINK_CLOSE[kind]:
            yield start.start(), stop + 1
            position = stop + 1
        else:
            position = start.start() + 1


def markdown_layout(text: str) -> MarkdownLayout:
    """Parse `text` as CommonMark and mask everything that is not prose."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    line_starts = [0, *(m.end() for m in LINE_END.finditer(text)), len(text) + 1]

    def line_span(first: int, last: int) -> tuple[int, int]:
        return line_starts[first], min(line_starts[min(last, len(line_starts) - 1)], len(text))

    newlines = [m.start() for m in regex.finditer(r"\n", text)]

    def document_line(markdown_line: int) -> int:
        """The 0-based line of `Document` (which counts only `\\n`) where a CommonMark line starts."""
        return bisect.bisect_left(newlines, line_starts[min(markdown_line, len(line_starts) - 1)])

    chars = list(text)
    for start, end in _html_comments(text):
        _blank(chars, start, end)
    headings: set[int] = set()
    for token in tokens:
        if token.map is None:
            continue
        first, last = token.map
        if token.type in ("fence", "code_block", "html_block"):
            _blank(chars, *line_span(first, last))
        elif token.type == "heading_open":
            headings.update(document_line(line) for line in range(first, last))
        elif token.type == "inline":
            start, end = line_span(first, last)
            line_start = start
            for line in "".join(chars[start:end]).split("\n"):
                for span_start, span_end in _code_spans(line):
                    _blank(chars, line_start + span_start, line_start + span_end)
                line_start += len(line) + 1
            segment = "".join(chars[start:end])
            for span_start, span_end in _link_targets(segment):
                _blank(chars, start + span_start, start + span_end)
    return MarkdownLayout("".join(chars), frozenset(headings))
