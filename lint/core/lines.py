"""Lines as editors and CommonMark count them: `\\r\\n`, a lone `\\r` and `\\n` each end a line."""

from __future__ import annotations

from lint.core.compiled import compile_regex

LINE_END = compile_regex(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """The code-point offset where each line of `text` starts (the first is 0)."""
    return [0, *(match.end() for match in LINE_END.finditer(text))]


def split_lines(text: str) -> list[str]:
    """The lines of `text` without their terminators; as many as `line_starts` counts."""
    return LINE_END.split(text)
