"""`decoded`: a kept value is decoded in place when first asked for; a damaged one is dropped."""

from __future__ import annotations

import marshal

from lint.core.marshalled import decoded


def test_a_marshalled_value_is_decoded_once_and_kept_decoded() -> None:
    table: dict[object, object] = {"key": marshal.dumps((1, frozenset({"a"}))), "plain": [2]}
    assert decoded(table, "key") == (1, frozenset({"a"}))
    assert table["key"] == (1, frozenset({"a"}))  # decoded in place: the next ask reads no bytes
    assert decoded(table, "plain") == [2]
    assert decoded(table, "missing") is None


def test_a_damaged_value_is_dropped() -> None:
    table: dict[object, object] = {"key": b"\xff not marshal", "other": marshal.dumps("x")}
    assert decoded(table, "key") is None
    assert table == {"other": marshal.dumps("x")}
