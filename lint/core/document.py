"""The document model: text, blocks, sentences, clauses and the offset → line/column map."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Literal

import regex

from lint.core.language import LanguagePack
from lint.core.normalize import MatchText, fold

Syntax = Literal["text", "markdown"]
BlockKind = Literal["heading", "paragraph", "list_item", "reference"]

_BULLET = regex.compile(r"^[•·●○▪■◆►▶\-*+](?![\d*])\s*")
_NUMBERED = regex.compile(r"^(?:\d{1,2}(?:\.(?!\d)|[、)）])|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}、)\s*")
_MD_HEADING = regex.compile(r"^#{1,6}\s*")
_SENTENCE_END = regex.compile(r"[。！？!?；;…]+[”’」』)）]*|(?<![0-9A-Za-z])\.(?=\s|$)|(?<=[a-z)\]])\.(?=\s)")
_CLAUSE_BREAK = regex.compile(r"[,，；;:：、]")
_HEADING_END = regex.compile(r"[。.!！;；,，、…]$")
_REFERENCE_HEAD = regex.compile(
    r"^(?:参考(?:资料|文献|来源)|references?|bibliography|引用(?:文献|资料)?|文献(?:来源)?|资料来源)\s*[:：]?\s*$",
    regex.IGNORECASE,
)
_REFERENCE_END = regex.compile(r"^(?:免责|版权|声明|注[:：]|相关阅读|上一篇|下一篇|«|»|扫码|关注|责任编辑|编辑[:：])")


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, list item or reference entry, as a span of the text."""

    kind: BlockKind
    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: a span inside one block."""

    start: int
    end: int
    block: int


class Document:
    """A decoded article ready for rules.

    `text` is the original text; every offset the linter reports points into it. `folded` has the same
    length and is what context checks read; `match` is the view that lexicons and patterns search. `language`
    is the pack whose vocabulary the analysis of this document reads.
    """

    def __init__(self, text: str, syntax: Syntax = "text", *, language: LanguagePack) -> None:
        self.text = text
        self.syntax = syntax
        self.language = language
        heading_lines: frozenset[int] = frozenset()
        analysed = text
        if syntax == "markdown":
            from lint.core.markup import markdown_layout

            layout = markdown_layout(text)
            analysed, heading_lines = layout.masked, layout.heading_lines
        self.folded = fold(analysed)
        self._line_starts = [0, *(m.end() for m in regex.finditer(r"\n", text))]
        self.blocks: tuple[Block, ...] = tuple(self._split_blocks(heading_lines))
        self.sentences: tuple[Sentence, ...] = tuple(self._split_sentences())
        self._sentence_starts = [s.start for s in self.sentences]
        self._block_starts = [b.start for b in self.blocks]
        self._sentence_blocks = [s.block for s in self.sentences]
        self.cache: dict[object, object] = {}

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

    def clause_bounds(self, start: int, end: int) -> tuple[int, int]:
        """Return the clause (sentence part between commas, colons, semicolons) around a span."""
        sentence = self.sentence_at(start)
        lo, hi = (sentence.start, sentence.end) if sentence else (start, end)
        before = self.folded[lo:start]
        breaks = list(_CLAUSE_BREAK.finditer(before))
        clause_start = lo + breaks[-1].end() if breaks else lo
        after = _CLAUSE_BREAK.search(self.folded, end, hi)
        return clause_start, after.start() if after else hi

    def _split_blocks(self, heading_lines: frozenset[int]) -> list[Block]:
        blocks: list[Block] = []
        in_references = False
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
            if _REFERENCE_HEAD.match(body):
                in_references = True
                kind = "heading"
            elif in_references and not _REFERENCE_END.match(body):
                kind = "reference"
            else:
                in_references = False
                kind = _classify_line(body, number in heading_lines)
            blocks.append(Block(kind, start, end, number + 1))
        return blocks

    def _split_sentences(self) -> list[Sentence]:
        sentences: list[Sentence] = []
        for index, block in enumerate(self.blocks):
            text = self.folded[block.start : block.end]
            marker = _BULLET.match(text) or _NUMBERED.match(text)
            cursor = marker.end() if marker else 0
            for end in _SENTENCE_END.finditer(text, cursor):
                if end.end() > cursor:
                    sentences.append(Sentence(block.start + cursor, block.start + end.end(), index))
                cursor = end.end()
                while cursor < len(text) and text[cursor].isspace():
                    cursor += 1
            if cursor < len(text):
                sentences.append(Sentence(block.start + cursor, block.end, index))
        return sentences


def _classify_line(body: str, markdown_heading: bool) -> BlockKind:
    if markdown_heading:
        return "heading"
    if _BULLET.match(body):
        return "list_item"
    marker = _NUMBERED.match(body)
    rest = body[marker.end() :] if marker else body
    short = len(rest) <= 50 and "。" not in rest
    if short and (not _HEADING_END.search(rest)) and not (rest.endswith((":", "：")) and len(rest) > 24):
        return "heading"
    return "list_item" if marker else "paragraph"
