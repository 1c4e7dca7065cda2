"""The document model: text, blocks, sentences, clauses and the offset → line/column map."""

from __future__ import annotations

import bisect
import functools
from dataclasses import fields
from typing import Any, Literal

from lint.core.compiled import compile_regex
from lint.core.language import LanguagePack, Slot
from lint.core.lines import line_starts
from lint.core.normalize import MatchText, fold
from lint.core.prefilter import GatedPattern
from lint.core.records import record

Syntax = Literal["text", "markdown"]
# how far, in characters, context checks read on each side of a span: however long its sentence, a trigger
# costs the same to judge, so a sentence of thousands of triggers stays linear
CONTEXT_REACH = 300
BlockKind = Literal["heading", "paragraph", "list_item", "reference"]

_BULLET = compile_regex(r"^[•·●○▪■◆►▶\-*+](?![\d*])\s*")
_MD_HEADING = compile_regex(r"^#{1,6}\s*")


@record(frozen=True, slots=True)
class _Splitting:
    """The `document.*` patterns of a language pack, fetched once per pack."""

    numbered: GatedPattern
    sentence_end: GatedPattern
    clause_break: GatedPattern
    heading_end: GatedPattern
    body_stop: GatedPattern
    reference_heading: GatedPattern
    reference_end: GatedPattern

    @classmethod
    def of(cls, language: LanguagePack) -> _Splitting:
        return _SPLITTING.get(language, lambda: cls(*(language.pattern(f"document.{f.name}") for f in fields(cls))))


_SPLITTING: Slot[_Splitting] = Slot("document splitting")


@record(frozen=True, slots=True)
class Block:
    """A heading, paragraph, list item or reference entry, as a span of the text."""

    kind: BlockKind
    start: int
    end: int
    line: int


@record(frozen=True, slots=True)
class Sentence:
    """A sentence: a span inside one block."""

    start: int
    end: int
    block: int


class Document:
    """A decoded article ready for rules.

    `text` is the original text; every offset the linter reports points into it. `folded` has the same
    length and is what context checks read; `match` is the view that lexicons and patterns search. `language`
    is the pack whose vocabulary the analysis of this document reads (its `document.*` entries split it).
    The models computed from the document (claims, evidence, study results) are kept in typed `slots`.
    """

    def __init__(self, text: str, syntax: Syntax = "text", *, language: LanguagePack) -> None:
        self.text = text
        self.syntax = syntax
        self.language = language
        self._splitting = _Splitting.of(language)
        heading_lines: frozenset[int] = frozenset()
        analysed = text
        if syntax == "markdown":
            from lint.core.markup import markdown_layout

            layout = markdown_layout(text)
            analysed, heading_lines = layout.masked, layout.heading_lines
        self.folded = fold(analysed)
        self._line_starts = line_starts(text)
        self.blocks: tuple[Block, ...] = tuple(self._split_blocks(heading_lines))
        self.sentences: tuple[Sentence, ...] = tuple(self._split_sentences())
        self._sentence_starts = [s.start for s in self.sentences]
        self._block_starts = [b.start for b in self.blocks]
        self._sentence_blocks = [s.block for s in self.sentences]
        self.slots: dict[Slot[Any], object] = {}

    @functools.cached_property
    def match(self) -> MatchText:
        """The folded text without evasion gaps, for lexicon and pattern matching."""
        return MatchText.build(self.folded)

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a code-point offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def block_at(self, offset: int) -> Block | None:
        """Return the block holding `offset`, if any."""
        index = self.block_index(offset)
        if index >= 0 and offset < self.blocks[index].end:
            return self.blocks[index]
        return None

    def block_index(self, offset: int) -> int:
        """Return the index of the last block starting at or before `offset` (-1 if none)."""
        return bisect.bisect_right(self._block_starts, offset) - 1

    def sentence_index(self, offset: int) -> int:
        """Return the index of the last sentence starting at or before `offset` (0 if none)."""
        return max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)

    def sentence_at(self, offset: int) -> Sentence | None:
        """Return the sentence holding `offset`, if any."""
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None

    def sentences_in_block(self, index: int) -> tuple[Sentence, ...]:
        """Return the sentences of block number `index`."""
        first = bisect.bisect_left(self._sentence_blocks, index)
        last = bisect.bisect_right(self._sentence_blocks, index)
        return self.sentences[first:last]

    @functools.cached_property
    def _clause_breaks(self) -> tuple[list[int], list[int]]:
        """The starts and ends of every clause break of the text, found in one pass."""
        found = [m.span() for m in self._splitting.clause_break.finditer(self.folded)]
        return [span[0] for span in found], [span[1] for span in found]

    def clause_bounds(self, start: int, end: int) -> tuple[int, int]:
        """Return the clause (sentence part between commas, colons, semicolons) around a span, by bisection in
        the document's clause breaks (so the many triggers of one long sentence cost no scan each)."""
        sentence = self.sentence_at(start)
        lo, hi = (sentence.start, sentence.end) if sentence else (start, end)
        starts, ends = self._clause_breaks
        before = bisect.bisect_right(ends, start) - 1
        clause_start = ends[before] if before >= 0 and ends[before] > lo else lo
        after = bisect.bisect_left(starts, end)
        clause_end = starts[after] if after < len(starts) and starts[after] < hi else hi
        return clause_start, clause_end

    def _split_blocks(self, heading_lines: frozenset[int]) -> list[Block]:
        blocks: list[Block] = []
        in_references = False
        heading, closing = (
            self._splitting.reference_heading,
            self._splitting.reference_end,
        )
        for number, line_start in enumerate(self._line_starts):
            line_end = self._line_starts[number + 1] - 1 if number + 1 < len(self._line_starts) else len(self.text)
            raw = self.folded[line_start:line_end]
            stripped = raw.strip()
            if not stripped:
                continue
            start = line_start + (len(raw) - len(raw.lstrip()))
            end = start + len(stripped)
            kind: BlockKind
            body = _MD_HEADING.sub("", stripped) if self.syntax == "markdown" else stripped
            if heading.match(body):
                in_references = True
                kind = "heading"
            elif in_references and not closing.match(body):
                kind = "reference"
            else:
                in_references = False
                kind = self._classify_line(body, number in heading_lines)
            blocks.append(Block(kind, start, end, number + 1))
        return blocks

    def _classify_line(self, body: str, markdown_heading: bool) -> BlockKind:
        if markdown_heading:
            return "heading"
        if _BULLET.match(body):
            return "list_item"
        marker = self._splitting.numbered.match(body)
        rest = body[marker.end() :] if marker else body
        short = len(rest) <= 50 and not self._splitting.body_stop.search(rest)
        ends_as_body = self._splitting.heading_end.search(rest)
        if short and not ends_as_body and not (rest.endswith(":") and len(rest) > 24):
            return "heading"
        return "list_item" if marker else "paragraph"

    def _split_sentences(self) -> list[Sentence]:
        sentences: list[Sentence] = []
        numbered, sentence_end = (
            self._splitting.numbered,
            self._splitting.sentence_end,
        )
        for index, block in enumerate(self.blocks):
            text = self.folded[block.start : block.end]
            marker = _BULLET.match(text) or numbered.match(text)
            cursor = marker.end() if marker else 0
            for end in sentence_end.finditer(text, cursor):
                if end.end() > cursor:
                    sentences.append(Sentence(block.start + cursor, block.start + end.end(), index))
                cursor = end.end()
                while cursor < len(text) and text[cursor].isspace():
                    cursor += 1
            if cursor < len(text):
                sentences.append(Sentence(block.start + cursor, block.end, index))
        return sentences
