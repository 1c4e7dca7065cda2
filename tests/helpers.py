"""Shared test helpers: example markup, corpora and documents in the shipped language pack."""

from __future__ import annotations

from pathlib import Path

from lint.core.document import Document, Syntax
from lint.io.language import default_language

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


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


def phrase_entry_names() -> set[str]:
    """The language-pack entries the shipped phrase rules name, as entries or as exceptions."""
    from lint.io.rulepack import default_rule_set

    return {
        name
        for rule in default_rule_set()
        if rule.kind == "phrase"
        for key in ("entries", "exceptions")
        for name in getattr(rule.checker.params, key)
    }
