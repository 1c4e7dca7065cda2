"""Output formats. A formatter turns `FileReport`s into text and knows nothing about rules.

`FORMATTERS` names every format; a formatter's module is imported when the format is first asked for, so that a
run that writes text does not load the JSON and SARIF writers."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence

from lint.formatters.report import FileReport

Formatter = Callable[[Sequence[FileReport]], str]


class _Formatters(Mapping[str, Formatter]):
    """Format names to formatters, each given as (module, function) and imported on first use."""

    def __init__(self, sources: Mapping[str, tuple[str, str]]) -> None:
        self._sources = dict(sources)

    def __getitem__(self, name: str) -> Formatter:
        module, function = self._sources[name]
        formatter: Formatter = getattr(importlib.import_module(module), function)
        return formatter

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


FORMATTERS: Mapping[str, Formatter] = _Formatters(
    {
        "text": ("lint.formatters.text", "format_text"),
        "json": ("lint.formatters.json", "format_json"),
        "sarif": ("lint.formatters.sarif", "format_sarif"),
        "github": ("lint.formatters.github", "format_github"),
    }
)
