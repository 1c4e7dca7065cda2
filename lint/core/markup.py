"""Markdown layout: which parts of a Markdown file are prose, and which lines are headings.

Code (fenced, indented, inline), raw HTML and link targets are masked with spaces so that rules never
see them while every offset still points into the file.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

_INLINE_CODE = regex.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_LINK_TARGET = regex.compile(r"\]\([^)\n]*\)|<(?:https?|mailto):[^>\n]*>")
_HTML_COMMENT = regex.compile(r"<!--.*?-->", regex.DOTALL)
_FRONT_MATTER = regex.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\n(?:.*?\n)??\1[ \t]*(?:\n|\Z)", regex.DOTALL)


@dataclass(frozen=True, slots=True)
class MarkdownLayout:
    """The Markdown text with non-prose masked, and the 0-based numbers of heading lines."""

    masked: str
    heading_lines: frozenset[int]


def front_matter_end(text: str) -> int:
    """Where a leading YAML (`---`) or TOML (`+++`) front-matter block of a Markdown text ends; 0 if it has none."""
    found = _FRONT_MATTER.match(text)
    return found.end() if found else 0


def _blank(text: str, start: int, end: int) -> str:
    chunk = text[start:end]
    return text[:start] + "".join(ch if ch == "\n" else " " for ch in chunk) + text[end:]


def markdown_layout(text: str) -> MarkdownLayout:
    """Parse `text` as CommonMark and mask everything that is not prose."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    line_starts = [0]
    for index, ch in enumerate(text):
        if ch == "\n":
            line_starts.append(index + 1)
    line_starts.append(len(text) + 1)

    def line_span(first: int, last: int) -> tuple[int, int]:
        return line_starts[first], min(line_starts[min(last, len(line_starts) - 1)], len(text))

    masked = _HTML_COMMENT.sub(lambda m: "".join(c if c == "\n" else " " for c in m.group()), text)
    headings: set[int] = set()
    for token in tokens:
        if token.map is None:
            continue
        first, last = token.map
        if token.type in ("fence", "code_block", "html_block"):
            masked = _blank(masked, *line_span(first, last))
        elif token.type == "heading_open":
            headings.update(range(first, last))
        elif token.type == "inline":
            start, end = line_span(first, last)
            segment = masked[start:end]
            for pattern in (_INLINE_CODE, _LINK_TARGET):
                for match in pattern.finditer(segment):
                    segment = _blank(segment, match.start(), match.end())
            masked = masked[:start] + segment + masked[end:]
    return MarkdownLayout(masked, frozenset(headings))
