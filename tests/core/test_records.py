"""`record`: the classes `dataclasses.dataclass` makes, their methods compiled once and taken from `METHODS`."""

from __future__ import annotations

import dataclasses
import marshal
import time
from types import CodeType

import pytest

from lint.core import records
from lint.core.records import record


def _twins(**options: object) -> tuple[type, type]:
    """The same class made by `dataclasses.dataclass` and by `record` with `options`."""

    def body() -> dict[str, object]:
        return {
            "__annotations__": {"name": "str", "count": "int", "tags": "tuple[str, ...]", "ratio": float},
            "count": 1,
            "tags": (),
            "ratio": dataclasses.field(default=0.5, compare=False),
        }

    plain = dataclasses.dataclass(type("Plain", (), body()), **options)  # type: ignore[call-overload]
    kept = record(**options)(type("Kept", (), body()))
    return plain, kept


@pytest.mark.parametrize(
    "options",
    [{}, {"frozen": True}, {"frozen": True, "slots": True}, {"order": True}, {"eq": False}, {"unsafe_hash": True}],
    ids=["plain", "frozen", "frozen-slots", "order", "no-eq", "unsafe-hash"],
)
def test_a_record_is_the_dataclass_of_its_options(options: dict[str, object]) -> None:
    plain, kept = _twins(**options)
    a, b, c = kept("a", 2, ("x",)), kept("a", 2, ("x",), 0.9), kept("b")
    assert (
        repr(a)
        == repr(plain("a", 2, ("x",))).replace("Plain", "Kept")
        == "Kept(name='a', count=2, tags=('x',), ratio=0.5)"
    )
    assert [f.name for f in dataclasses.fields(kept)] == ["name", "count", "tags", "ratio"]
    assert (a == b) is (options.get("eq", True) is not False)
    assert a != c
    assert hasattr(kept, "__slots__") is bool(options.get("slots"))
    assert (kept.__hash__ is None) is (plain.__hash__ is None)
    if kept.__hash__ is not None and options.get("eq", True):
        assert hash(a) == hash(b)
    if options.get("frozen"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.count = 3
    if options.get("order"):
        assert a < c and not c < a
    assert dataclasses.replace(a, count=5).count == 5


def test_bare_record_and_defaults_made_fresh() -> None:
    @record
    class Basket:
        items: list[str] = dataclasses.field(default_factory=list)

    first, second = Basket(), Basket()
    first.items.append("apple")
    assert second.items == [] and Basket(["pear"]) == Basket(["pear"])


def test_the_methods_keep_their_annotations_as_dataclasses_writes_them() -> None:
    """`record` compiles without this package's future flags: annotations of the written `__init__` stay objects."""
    plain, kept = _twins()
    assert kept.__init__.__annotations__ == plain.__init__.__annotations__
    assert kept.__init__.__annotations__["ratio"] is float


def test_each_method_source_is_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    _twins(frozen=True)
    compiled: list[str] = []
    real = compile

    def counting(source: str, *args: object, **kwargs: object) -> CodeType:
        compiled.append(source)
        return real(source, *args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(records, "compile", counting, raising=False)
    _twins(frozen=True)  # the same sources again: none compiled
    assert compiled == []
    fresh = f"field_{time.time_ns()}"  # a field no earlier run wrote methods for
    record(frozen=True)(type("Fresh", (), {"__annotations__": {fresh: int}}))
    assert len(compiled) >= 4 and all(fresh in source for source in compiled)
    assert all(source in records.METHODS_ADDED for source in compiled)
    assert all(type(records.METHODS[source]) is CodeType for source in compiled)


def test_a_kept_method_is_decoded_when_used_and_a_damaged_one_compiled_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    used: dict[str, object] = {}
    monkeypatch.setattr(records, "METHODS", used)
    monkeypatch.setattr(records, "METHODS_ADDED", set())
    _twins(slots=True)  # what the class needs, compiled
    kept_form = {source: marshal.dumps(code) for source, code in used.items()}  # as read from disk
    damaged = sorted(kept_form)[0]
    kept_form[damaged] = b"\x00not marshal"
    added: set[str] = set()
    monkeypatch.setattr(records, "METHODS", dict(kept_form))
    monkeypatch.setattr(records, "METHODS_ADDED", added)
    _, kept = _twins(slots=True)
    assert kept("a", 3) == kept("a", 3) and repr(kept("a")) == "Kept(name='a', count=1, tags=(), ratio=0.5)"
    assert added == {damaged}
    assert all(type(code) is CodeType for code in records.METHODS.values())


def test_dataclasses_is_left_as_it_was() -> None:
    """The kept `exec` is handed to `dataclasses` only while a record is made."""
    record(type("Passing", (), {"__annotations__": {"x": int}}))
    assert "exec" not in vars(dataclasses)
    with pytest.raises(TypeError):
        record(frozen=True)(type("Broken", (), {"__annotations__": {"x": int, "y": int}, "x": 1}))  # default first
    assert "exec" not in vars(dataclasses)
