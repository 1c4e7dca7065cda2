"""Every example of every entry of the shipped language pack: `flag` ones must match (at the marked spans),
`pass` ones must not; and the pack defines every entry the analysis reads."""

from __future__ import annotations

import pytest

from lint.analysis.entries import ENTRIES, check_entry
from lint.io.language import default_language

PACK = default_language()
NAMES = sorted(PACK.entries)


def test_the_shipped_pack_defines_every_entry() -> None:
    assert sorted(set(ENTRIES) - set(PACK.entries)) == []


def test_every_pattern_and_word_list_has_examples() -> None:
    bare = [name for name, entry in PACK.entries.items() if entry.kind != "table" and not entry.examples.flag]
    assert bare == []


@pytest.mark.parametrize("name", NAMES)
def test_entry_examples(name: str) -> None:
    assert [failure.describe() for failure in check_entry(PACK, name)] == []
