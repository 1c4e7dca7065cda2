"""The language pack type: the vocabulary, patterns and tables of one language, built once and handed in.

A `LanguagePack` is plain data plus the segmenter it names; the IO layer (`lint.io.language`) builds it from
`rules/lang/<code>/*.yaml`, and the analysis reads nothing else. Derived artefacts (automata, compiled
alternations) are built on first use and kept on the pack through typed `Slot`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, cast

T = TypeVar("T")


class Segmenter(Protocol):
    """Splits text into words, every character kept, in order."""

    def cut(self, text: str) -> Iterable[str]: ...


class Slot(Generic[T]):
    """A typed, named cache entry on an object that keeps a `slots` dictionary (a pack, a document)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def get(self, owner: HasSlots, build: Callable[[], T]) -> T:
        """The value kept on `owner`, built by `build()` the first time."""
        slots = owner.slots
        if self in slots:
            return cast(T, slots[self])
        value = slots[self] = build()
        return value

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


class HasSlots(Protocol):
    slots: dict[Slot[Any], object]


@dataclass(frozen=True, eq=False)
class LanguagePack:
    """The data of one language: named word lists, tables (journal aliases …) and its segmenter."""

    code: str
    terms: Mapping[str, tuple[str, ...]]
    tables: Mapping[str, Mapping[str, Any]]
    segmenter: Segmenter
    path: str = ""
    slots: dict[Slot[Any], object] = field(default_factory=dict, repr=False)

    def words(self, name: str) -> tuple[str, ...]:
        """The word list called `name` (`claims.outcomes` …)."""
        try:
            return self.terms[name]
        except KeyError:
            raise KeyError(f"language pack {self.code!r} has no word list {name!r}") from None

    def table(self, name: str) -> Mapping[str, Any]:
        """The table called `name` (`journals` …)."""
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"language pack {self.code!r} has no table {name!r}") from None

    def segment(self, text: str) -> tuple[str, ...]:
        """Split `text` into words with the pack's segmenter."""
        return tuple(word for word in self.segmenter.cut(text) if word)
