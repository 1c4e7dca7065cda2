"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

FIXTURES = Path(__file__).parent / "fixtures"
_MARK = regex.compile(r"\[\[(.+?)\]\]")


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


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
