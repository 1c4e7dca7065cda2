"""The spin model on a corpus of the project's own (tests/fixtures/spin_corpus): 41 passages on 22 real trials
that no development set holds, each trial in a spin and an honest version. Honest and positive passages carry
no spin finding, no finding touches a look-alike that must stay clean, and the spin claims are found."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from lint.analysis.spin import spin_claims
from tests.helpers import FIXTURES, document

CORPUS = FIXTURES / "spin_corpus"
PASSAGES = [json.loads(line) for line in (CORPUS / "passages.jsonl").read_text(encoding="utf-8").splitlines()]


@cache
def _claims(article: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    text = Path(CORPUS / "articles" / f"{article}.txt").read_text(encoding="utf-8")
    return text, tuple((c.start, c.end) for c in spin_claims(document(text)))


def _overlaps(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


@pytest.mark.parametrize("passage", [p for p in PASSAGES if p["version"] != "spin"], ids=lambda p: p["article"])
def test_honest_and_positive_reports_have_no_spin(passage: dict[str, object]) -> None:
    text, spans = _claims(str(passage["article"]))
    assert [text[a:b] for a, b in spans] == []


@pytest.mark.parametrize("passage", PASSAGES, ids=lambda p: p["article"])
def test_look_alikes_stay_clean(passage: dict[str, object]) -> None:
    text, spans = _claims(str(passage["article"]))
    touched = [q for q in passage["clean"] if _overlaps(spans, text.index(q), text.index(q) + len(q))]  # type: ignore[union-attr]
    assert touched == []


def test_the_spin_claims_are_found() -> None:
    found = missed = 0
    extra: list[str] = []
    for passage in PASSAGES:
        if passage["version"] != "spin":
            continue
        text, spans = _claims(passage["article"])
        gold = [(text.index(q), text.index(q) + len(q)) for q in passage["spin"]]
        hits = sum(_overlaps(spans, a, b) for a, b in gold)
        found, missed = found + hits, missed + len(gold) - hits
        extra += [text[a:b] for a, b in spans if not any(a < e and s < b for s, e in gold)]
    assert found / (found + missed) >= 0.85
    assert len(extra) <= 2, extra
