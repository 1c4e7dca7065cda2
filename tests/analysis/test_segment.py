from __future__ import annotations

import functools
import logging
import subprocess
import sys

import jieba
import pytest

from lint.io.language import default_language
from tests.helpers import corpus_clauses


@functools.lru_cache(maxsize=1)
def _jieba_with_our_dictionary() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    table = default_language().segmenter.load()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(table.frequencies), table.total, True
    return tokenizer


def segment(text: str) -> tuple[str, ...]:
    return default_language().segment(text)


def test_segmentation_is_jiebas_algorithm() -> None:
    clauses = corpus_clauses()
    assert len(clauses) > 1000
    tokenizer = _jieba_with_our_dictionary()
    for clause in clauses:
        assert list(segment(clause)) == [w for w in tokenizer.cut(clause, HMM=False) if w], clause


def test_mixed_scripts_and_whitespace() -> None:
    text = "car-t细胞 治疗ipsc123例\r\n患者,疗效显著。"
    words = segment(text)
    assert "".join(words) == text
    assert list(words) == [w for w in _jieba_with_our_dictionary().cut(text, HMM=False) if w]
    assert "car-t" in words and "\r\n" in words


def test_words_around_the_claim_vocabulary_are_kept() -> None:
    assert "有所改善" in segment("患者的症状均有所改善。")
    assert "逆转录酶" in segment("该病毒依赖逆转录酶复制。")
    assert segment("") == ()


_LOAD_ALONE = """
import sys
from lint.analysis.segment import _jieba_class
tokenizer = _jieba_class()
alone = "rjieba" not in sys.modules
import rjieba
print(alone, tokenizer is rjieba.Jieba, _jieba_class() is tokenizer)
sys.modules["rjieba"] = None
print(_jieba_class())
"""


def test_the_compiled_module_is_loaded_without_the_package() -> None:
    """rjieba's `__init__` (a tokenizer over jieba's whole dictionary) is not run to get `Jieba`; a later import of
    the package shares the module, and a package marked missing is missing."""
    pytest.importorskip("rjieba")
    run = subprocess.run([sys.executable, "-c", _LOAD_ALONE], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:2] == ["True True True", "None"]
