"""Lazy natural-language tooling: jieba segmentation with the shipped medical dictionary, as spaCy Docs.

Nothing here is imported until a rule needs tokens, so a run without candidate sentences never pays for
spaCy or jieba.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

from lint.paths import data_file

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@functools.lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(data_file("medical_dict.txt")))
    return tokenizer


@functools.lru_cache(maxsize=1)
def blank_zh() -> Language:
    """A blank spaCy Chinese pipeline; only its vocabulary is used, tokens come from `segment`."""
    import spacy

    return spacy.blank("zh")


def segment(text: str) -> list[str]:
    """Split `text` into jieba tokens (every character kept, in order)."""
    return [token for token in _segmenter().cut(text, HMM=False) if token]


def make_doc(text: str) -> Doc:
    """A spaCy `Doc` over `text` whose tokens are jieba words; `token.idx` are offsets into `text`."""
    from spacy.tokens import Doc

    words = segment(text)
    return Doc(blank_zh().vocab, words=words, spaces=[False] * len(words))
