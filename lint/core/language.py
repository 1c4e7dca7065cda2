"""The language pack type: the vocabulary, patterns and tables of one language, built once and handed in.

A `LanguagePack` is plain data plus the segmenter it names; the IO layer (`lint.io.language`) builds it from
`rules/lang/<code>/*.yaml`, and the analysis reads nothing else. Entries are named `section.entry`
(`scopes.negator`): a `pattern` (a regular expression over the folded text), `terms` (a word list, also usable
as one alternation) or a `table` (a mapping, such as journal aliases). Patterns are compiled on first use and
kept; artefacts derived from a pack (automata, token patterns) are kept on it through typed `Slot`s.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from typing import Any, Generic, Literal, Protocol, TypeVar, cast

import regex

from lint.core.compiled import compile_regex
from lint.core.examples import NO_EXAMPLES, Examples
from lint.core.prefilter import GatedPattern
from lint.core.records import record

T = TypeVar("T")
EntryKind = Literal["pattern", "terms", "table"]


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
    """An object that keeps `Slot` values (a document, a pack)."""

    @property
    def slots(self) -> dict[Slot[Any], object]: ...


@record(frozen=True, slots=True)
class Entry:
    """One entry of a language pack: a pattern source, a word list or a table, with its examples and origin."""

    name: str
    kind: EntryKind
    pattern: str = ""
    terms: tuple[str, ...] = ()
    table: Mapping[str, Any] = field(default_factory=dict)
    ignore_case: bool = False
    examples: Examples = NO_EXAMPLES
    description: str = ""
    path: str = ""
    line: int = 0

    @property
    def source(self) -> str:
        """The regular expression this entry matches with: its pattern, or its terms as one alternation (longest
        first)."""
        if self.kind == "pattern":
            return self.pattern
        ordered = sorted(self.terms, key=len, reverse=True)
        # a word of letters and digits only (most are) is its own pattern: `regex.escape` leaves those as they are
        return "|".join(term if term.isalnum() else regex.escape(term) for term in ordered) or _NEVER


_NEVER = "(?!)"


@record(frozen=True, eq=False)
class LanguagePack:
    """The data of one language: named entries, its script and its segmenter."""

    code: str
    entries: Mapping[str, Entry]
    segmenter: Segmenter
    known: frozenset[str] = frozenset()
    script: str = "Han"
    path: str = ""
    open_sections: frozenset[str] = frozenset()
    slots: dict[Slot[Any], object] = field(default_factory=dict, repr=False)
    _compiled: dict[str, GatedPattern] = field(default_factory=dict, repr=False)
    _sections: dict[str, Mapping[str, Entry]] = field(default_factory=dict, repr=False)

    def entry(self, name: str) -> Entry | None:
        """The entry called `name`, or None when this pack leaves it out (the feature it drives is then off); a
        name outside the registry the pack was checked against (`known`) and outside its open vocabulary sections
        (`open_sections`, whose entries rules name) is an error."""
        if name not in self.entries and name not in self.known and name.split(".", 1)[0] not in self.open_sections:
            raise KeyError(f"{name!r} is no entry a language pack can define")
        return self.entries.get(name)

    def pattern(self, name: str) -> GatedPattern:
        """The pattern of entry `name` (a word list is an alternation), compiled when a text may first match it; an
        entry the pack leaves out never matches."""
        try:
            return self._compiled[name]
        except KeyError:
            entry = self.entry(name)
            source = entry.source if entry else _NEVER
            flags = regex.IGNORECASE if entry and entry.ignore_case else 0
            origin = f"{entry.path}:{entry.line}: entry {name}" if entry else name
            compiled = self._compiled[name] = GatedPattern(source, flags, origin)
        return compiled

    def words(self, name: str) -> tuple[str, ...]:
        """The word list of entry `name` (empty when the pack leaves it out)."""
        entry = self.entry(name)
        return entry.terms if entry else ()

    def table(self, name: str) -> Mapping[str, Any]:
        """The table of entry `name` (empty when the pack leaves it out)."""
        entry = self.entry(name)
        return entry.table if entry else {}

    def section(self, section: str) -> Mapping[str, Entry]:
        """The entries of one section, by their short names."""
        found = self._sections.get(section)
        if found is None:
            prefix = section + "."
            found = {name[len(prefix) :]: e for name, e in self.entries.items() if name.startswith(prefix)}
            self._sections[section] = found
        return found

    def segment(self, text: str) -> tuple[str, ...]:
        """Split `text` into words with the pack's segmenter."""
        return tuple(word for word in self.segmenter.cut(text) if word)

    def prepare(self) -> None:
        """Load what segmenting needs now, compiled where the segmenter can be (before worker processes fork)."""
        prepare = getattr(self.segmenter, "prepare", None)
        if prepare is not None:
            prepare()
        else:
            self.segment("")

    def covers(self, text: str, share: float = 0.2) -> bool:
        """Whether `text` is written in this pack's script: at least `share` of the letters of its first
        `COVER_SAMPLE` characters, or no letters at all."""
        sample = text[:COVER_SAMPLE]
        letters = len(_LETTERS.findall(sample))
        return not letters or len(_script_pattern(self.script).findall(sample)) >= share * letters


_LETTERS = compile_regex(r"\p{L}")
# how much of a text its language is judged by
COVER_SAMPLE = 20_000


def choose_language(packs: Sequence[LanguagePack], text: str) -> tuple[LanguagePack, str | None]:
    """The first of `packs` whose script `text` is written in; when none is, the first pack and a note that says
    the text is not in a language the packs cover (so that no findings mean nothing)."""
    for pack in packs:
        if pack.covers(text):
            return pack, None
    codes = ", ".join(pack.code for pack in packs)
    scripts = ", ".join(dict.fromkeys(pack.script for pack in packs))
    note = (
        f"not in a language the language packs cover ({codes}: {scripts} script): the rules cannot read it, so "
        "the absence of findings means nothing (a pack for its language can be added with --rules DIR)"
    )
    return packs[0], note


@functools.lru_cache(maxsize=64)
def _script_pattern(script: str) -> regex.Pattern[str]:
    return compile_regex(rf"\p{{L}}(?<=\p{{Script={script}}})")
