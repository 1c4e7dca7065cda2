"""Shared test helpers: example markup, corpora and documents in the shipped language pack."""

from __future__ import annotations

from pathlib import Path

import regex

from lint.core.document import Document, Syntax
from lint.io.language import default_language

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
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


def document(text: str, syntax: Syntax = "text") -> Document:
    """A document in the shipped `zh` language pack."""
    return Document(text, syntax, language=default_language())


def corpus_clauses() -> list[str]:
    """Every clause (folded) of the seed articles and the fixture articles, sorted, without repeats."""
    from lint.analysis.claims import _CLAUSE
    from lint.core.normalize import fold

    files = sorted([*(ROOT / "seeds").glob("*.txt"), *(FIXTURES / "articles").iterdir()])
    clauses = {clause.group() for file in files for clause in _CLAUSE.finditer(fold(file.read_text(encoding="utf-8")))}
    return sorted(clauses)
