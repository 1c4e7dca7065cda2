"""The language pack type: an entry's pattern source."""

from __future__ import annotations

import regex

from lint.core.language import Entry


def test_a_word_list_is_one_alternation_longest_first_with_only_special_characters_escaped() -> None:
    words = ("维生素c", "c.elegans", "a+b", "β-胡萝卜素", "十一", "m²", "n = 3", "(抗)氧化", "x|y")
    source = Entry("demo.words", "terms", terms=words).source
    assert source.split("|", 3)[:3] == [regex.escape("c.elegans"), regex.escape("β-胡萝卜素"), regex.escape("n = 3")]
    assert source == "|".join(regex.escape(word) for word in sorted(words, key=len, reverse=True))
    pattern = regex.compile(source)
    assert all(pattern.fullmatch(word) for word in words)
    assert pattern.search("cxelegans") is None and Entry("demo.none", "terms").source == "(?!)"
