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


@pytest.fixture(scope="session", autouse=True)
def _segmenter_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compile the segmenter's dictionary table into a fresh cache directory once per test session."""
    import os

    os.environ["HEALTHLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("healthlint-cache"))


def corpus_clauses() -> list[str]:
    """Every clause (folded) of the seed articles and the fixture articles, sorted, without repeats."""
    from lint.claims import _CLAUSE
    from lint.normalize import fold

    root = Path(__file__).parents[1]
    files = sorted([*(root / "seeds").glob("*.txt"), *(FIXTURES / "articles").iterdir()])
    clauses = {clause.group() for file in files for clause in _CLAUSE.finditer(fold(file.read_text(encoding="utf-8")))}
    return sorted(clauses)
