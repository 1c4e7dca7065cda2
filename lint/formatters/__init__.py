"""Output formats. A formatter turns `FileReport`s into text and knows nothing about rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lint.formatters.github import format_github
from lint.formatters.json import format_json
from lint.formatters.report import FileReport
from lint.formatters.sarif import format_sarif
from lint.formatters.text import format_text

Formatter = Callable[[Sequence[FileReport]], str]

FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "github": format_github,
}
