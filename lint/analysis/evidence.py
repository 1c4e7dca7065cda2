"""The article's evidence: study blocks, their design facts, citations and the reference list.

Everything here is IO-free and computed once per `Document` (kept in one of its slots). Rules read it
through `evidence(doc)`.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import field

import regex

from lint.analysis.hits import EntryGroup, SentenceSearch
from lint.analysis.numerals import parse_number
from lint.core.compiled import compile_regex
from lint.core.document import Block, Document
from lint.core.language import LanguagePack, Slot
from lint.core.records import record


@record(frozen=True, slots=True)
class Fact:
    """A design fact stated in a study block (randomized, placebo, phase I, n = 9 …) and where it is stated."""

    kind: str
    start: int
    end: int
    value: int | None = None


_DESIGNS = frozenset(
    {
        "randomized",
        "double_blind",
        "placebo",
        "controlled",
        "open_label",
        "single_arm",
        "phase_i",
        "phase_i_ii",
        "pilot",
    }
)


@record(frozen=True, slots=True)
class StudyBlock:
    """The span of text that describes one study, from its heading or introducing sentence on."""

    start: int
    end: int
    headed: bool
    intro_end: int = 0
    source: Fact | None = None
    source_name: str = ""
    year: int | None = None
    facts: tuple[Fact, ...] = ()
    elements: frozenset[str] = frozenset()
    preclinical: bool = False

    @property
    def described(self) -> bool:
        """Whether the block describes a study: one a reader could find, one that names its source, authors or
        registry, or at least its size and design (the results of "an open-label phase I study of 12 patients" are
        that study's) — as opposed to vague authority (研究表明, 《Nature》子刊研究显示) or an unnamed test."""
        return (
            self.identifiable
            or bool(self.elements - {"year"})
            or (self.size is not None and (self.year is not None or any(f.kind in _DESIGNS for f in self.facts)))
        )

    @property
    def identifiable(self) -> bool:
        """Whether a reader could find the study: it names at least two of journal, year, authors or institution,
        registry id, DOI/PMID, a reference that resolves, a trial acronym, a sized controlled design (GUIDELINES)."""
        return len(self.elements) >= 2

    def has(self, *kinds: str) -> bool:
        """Whether any of the design facts `kinds` is stated in the block."""
        return any(fact.kind in kinds for fact in self.facts)

    def first(self, kind: str) -> Fact | None:
        """The first stated fact of `kind`, if any."""
        return next((fact for fact in self.facts if fact.kind == kind), None)

    @property
    def size(self) -> int | None:
        """The number of participants stated first in the block."""
        fact = self.first("n")
        return fact.value if fact else None


@record(frozen=True, slots=True)
class ReferenceEntry:
    """One entry of the reference list (参考资料/参考文献/References)."""

    start: int
    end: int
    text: str
    number: int | None
    year: int | None
    section: int = 0


@record(frozen=True, slots=True)
class Citation:
    """A checkable pointer to a source in the body: a numbered marker, DOI, PMID, registry id, URL, author-year."""

    kind: str
    start: int
    end: int


@record(frozen=True)
class Evidence:
    """The evidence model of one document."""

    blocks: tuple[StudyBlock, ...]
    references: tuple[ReferenceEntry, ...]
    citations: tuple[Citation, ...]
    _links: dict[int, ReferenceEntry | None] = field(default_factory=dict, repr=False, compare=False)

    @functools.cached_property
    def _block_starts(self) -> list[int]:
        return [b.start for b in self.blocks]

    @functools.cached_property
    def _citation_starts(self) -> list[int]:
        return [c.start for c in self.citations]

    @functools.cached_property
    def _reference_starts(self) -> list[int]:
        return [r.start for r in self.references]

    def block_at(self, offset: int) -> StudyBlock | None:
        """The study block holding `offset`, if any."""
        index = bisect.bisect_right(self._block_starts, offset) - 1
        if index >= 0 and offset < self.blocks[index].end:
            return self.blocks[index]
        return None

    def citations_in(self, start: int, end: int) -> tuple[Citation, ...]:
        """Citations whose span lies in [start, end)."""
        first = bisect.bisect_left(self._citation_starts, start)
        last = bisect.bisect_left(self._citation_starts, end)
        return tuple(c for c in self.citations[first:last] if c.end <= end)

    def cites(self, doc: Document, start: int, end: int) -> bool:
        """Whether [start, end) holds a checkable citation: a DOI, PMID, registry id, URL or author-year, or a
        numbered marker that resolves to an entry of the reference list after it."""
        return any(
            citation.kind != "marker" or self.resolves(doc, citation) for citation in self.citations_in(start, end)
        )

    def resolves(self, doc: Document, citation: Citation) -> bool:
        """Whether a numbered marker ([3], ③, ³) names an entry of the reference list that follows it."""
        number = marker_number(doc.folded[citation.start : citation.end])
        entries = self.reference_list_after(citation.start)
        if number is None or not entries:
            return False
        numbered = [entry.number for entry in entries if entry.number is not None]
        return number in numbered if numbered else number <= len(entries)

    def backs(self, doc: Document, offset: int) -> bool:
        """Whether the study block holding `offset` backs a claim there — the claim reports what a described study
        found — unless it is vague authority that names nothing, or the study is an animal, cell or in-vitro one
        and the claim stands beside its report rather than in it (pseudo-evidence shields nothing)."""
        block = self.block_at(offset)
        return block is not None and block.described and (not block.preclinical or offset < block.intro_end)

    def reference_list_after(self, offset: int) -> tuple[ReferenceEntry, ...]:
        """The first run of reference entries after `offset`: the list that belongs to that article."""
        run: list[ReferenceEntry] = []
        for entry in self.references[bisect.bisect_left(self._reference_starts, offset) :]:
            if run and entry.section != run[-1].section:
                break
            run.append(entry)
        return tuple(run)

    def reference_for(self, doc: Document, block: StudyBlock) -> ReferenceEntry | None:
        """The reference entry that the study block describes, matched by marker, DOI, journal and year."""
        if block.start not in self._links:
            self._links[block.start] = self._link(doc, block)
        return self._links[block.start]

    def _link(self, doc: Document, block: StudyBlock) -> ReferenceEntry | None:
        entries = self.reference_list_after(block.start)
        for citation in self.citations_in(block.start, block.end):
            cited = doc.folded[citation.start : citation.end]
            for entry in entries:
                if citation.kind == "marker" and entry.number is not None and f"[{entry.number}]" == cited:
                    return entry
                if citation.kind in ("doi", "pmid") and cited in entry.text:
                    return entry
        names = journal_names(doc.language, block.source_name)
        if not names:
            return None
        for entry in entries:
            same_year = block.year is None or entry.year is None or abs(block.year - entry.year) <= 1
            if same_year and any(contains_name(entry.text, name) for name in names):
                return entry
        return None


_JOURNAL_ALIASES: Slot[dict[str, tuple[str, ...]]] = Slot("evidence.journal-aliases")


def _journal_aliases(language: LanguagePack) -> dict[str, tuple[str, ...]]:
    """Every name of a journal (lower case) → the reference-list names it stands for (the pack's `journals`)."""

    def build() -> dict[str, tuple[str, ...]]:
        aliases: dict[str, list[str]] = {}
        for english, others in language.table("evidence.journals").items():
            for name in (english, *others):
                aliases.setdefault(str(name).lower(), []).append(str(english).lower())
        return {name: tuple(targets) for name, targets in aliases.items()}

    return _JOURNAL_ALIASES.get(language, build)


def journal_names(language: LanguagePack, source: str) -> tuple[str, ...]:
    if not source:
        return ()
    source = source.strip().lower()
    aliases = _journal_aliases(language)
    groups = aliases.get(source, ())
    names = {source, *groups}
    for english in groups:
        names.update(alias for alias, targets in aliases.items() if english in targets)
    return tuple(sorted(name for name in names if len(name) >= 4 or name in aliases))


@functools.lru_cache(maxsize=1024)
def _name_pattern(name: str) -> regex.Pattern[str]:
    return compile_regex(rf"(?<![a-z]){regex.escape(name)}(?![a-z])")


def contains_name(text: str, name: str) -> bool:
    """Whether `name` occurs in `text` without a Latin letter glued to either side."""
    return name in text and _name_pattern(name).search(text) is not None


_EVIDENCE: Slot[Evidence] = Slot("evidence")
_SEARCHED: Slot[EntryGroup] = Slot("evidence searched")
# the sections of the pack whose every pattern the model searches each block (or study block) for
_SEARCHED_SECTIONS = ("citations", "facts")


def _searched(language: LanguagePack) -> EntryGroup:
    """The patterns the model searches blocks and study blocks for, whose anchors are found once per document: a
    block is searched only for those with an anchor in it (what each one's gate says of the block)."""

    def build() -> EntryGroup:
        names = [f"{section}.{kind}" for section in _SEARCHED_SECTIONS for kind in language.section(section)]
        return EntryGroup("evidence", names)

    return _SEARCHED.get(language, build)


# a sentence that introduces a study, asked of the same sentences by the study blocks, trials and spin
STUDY_SENTENCE = SentenceSearch("evidence.study_sentence")
_SOURCE_ELEMENTS = (
    "evidence.source_in_title",
    "evidence.source_before_word",
    "evidence.year",
    "evidence.authors",
    "evidence.trial_name",
)


def source_elements(doc: Document, start: int, end: int) -> int:
    """How many kinds of source element (a journal, a year, authors or an institution, a trial name) are named in
    [start, end): two make a study a reader could find (GUIDELINES)."""
    return sum(doc.language.pattern(name).occurs(doc.folded, start, end) for name in _SOURCE_ELEMENTS)


def evidence(doc: Document) -> Evidence:
    """The evidence model of `doc` (computed once and kept on the document)."""

    def build() -> Evidence:
        references, citations = tuple(_reference_entries(doc)), tuple(_citations(doc))
        unblocked = Evidence((), references, citations)
        blocks = tuple(_describe(doc, block, unblocked) for block in _find_study_blocks(doc))
        return Evidence(blocks, references, citations)

    return _EVIDENCE.get(doc, build)


def study_block_at(doc: Document, offset: int) -> StudyBlock | None:
    """Return the study block holding `offset`, if any."""
    return evidence(doc).block_at(offset)


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def marker_number(marker: str) -> int | None:
    """The (first) number of a citation marker: [3] and [3-5] → 3, ③ → 3, ³ → 3."""
    if len(marker) == 1 and "\u2460" <= marker <= "\u2473":
        return ord(marker) - 0x2460 + 1
    digits = regex.search(r"\d+", marker.translate(_SUPERSCRIPTS))
    return int(digits.group()) if digits else None


def _elements(
    doc: Document, text: str, present: frozenset[str], intro: str, facts: list[Fact], name: str, year: object
) -> set[str]:
    """What makes the study findable (GUIDELINES: journal, year, authors or institution, registry id, DOI/PMID, a
    resolving reference; also a trial acronym and a sized controlled design); `text` is the study block's,
    `present` the searched patterns with an anchor in it."""
    language = doc.language
    found: set[str] = set()
    if name and not language.pattern("evidence.vague_source").search(intro):
        found.add("journal")
    if year:
        found.add("year")
    if language.pattern("evidence.authors").occurs(intro):
        found.add("authors")
    if language.pattern("evidence.trial_name").search(intro):
        found.add("acronym")
    kinds = {fact.kind for fact in facts}
    if "n" in kinds and kinds & {"randomized", "double_blind", "placebo", "controlled"}:
        found.add("design")
    for kind in ("registry", "doi", "pmid", "author_year"):
        entry = f"citations.{kind}"
        if entry in present and language.pattern(entry).occurs(text):
            found.add({"pmid": "doi", "author_year": "authors"}.get(kind, kind))
    return found


def _describe(doc: Document, block: StudyBlock, cited: Evidence) -> StudyBlock:
    text = doc.folded[block.start : block.end]
    intro = _intro_sentence(doc, block)
    intro_text = doc.folded[intro[0] : intro[1]]
    if intro[0] == intro[1]:
        # a headed block with no introducing sentence: the study is described in its first lines
        opening = doc.sentences[doc.sentence_index(block.start) :][:3]
        intro_text = doc.folded[block.start : max([block.start, *(s.end for s in opening if s.end <= block.end)])]
    lead = intro[0] if intro[0] < intro[1] else block.start
    source, name = _source(doc.language, intro_text)
    if source is None:
        # the source is often named in the sentence after the one that opens the study
        following = [s for s in doc.sentences[doc.sentence_index(lead) :][:3] if s.start >= lead + len(intro_text)]
        if following and following[0].end <= block.end:
            intro_text = doc.folded[lead : following[0].end]
            source, name = _source(doc.language, intro_text)
    language = doc.language
    year = language.pattern("evidence.year").search(intro_text)
    present = _searched(language).hits(doc).within(block.start, block.end)
    facts: list[Fact] = []
    for kind in language.section("facts"):
        entry = f"facts.{kind}"
        if entry in present:
            spans = language.pattern(entry).spans(text)
            facts.extend(Fact(kind, block.start + start, block.start + end) for start, end in spans)
    count = language.pattern("evidence.count").search(text)
    if count:
        size = int(parse_number(language, count.group("n")))
        facts.append(Fact("n", block.start + count.start(), block.start + count.end(), size))
    elements = _elements(doc, text, present, intro_text, facts, name, year)
    if any(c.kind == "marker" and cited.resolves(doc, c) for c in cited.citations_in(block.start, block.end)):
        elements.add("reference")
    marker, consistent = language.pattern("facts.preclinical"), language.pattern("evidence.consistent_with_preclinical")
    models = consistent.sub(lambda m: " " * len(m.group()), text)
    preclinical = bool(marker.search(consistent.sub(lambda m: " " * len(m.group()), intro_text))) or (
        count is None and marker.search(models) is not None
    )
    return StudyBlock(
        block.start,
        block.end,
        block.headed,
        intro_end=intro[1],
        source=Fact("source", lead + source[0], lead + source[1]) if source else None,
        source_name=name,
        year=int(year.group(1)) if year else None,
        facts=tuple(sorted(facts, key=lambda f: (f.start, f.kind))),
        elements=frozenset(elements),
        preclinical=preclinical,
    )


def _intro_sentence(doc: Document, block: StudyBlock) -> tuple[int, int]:
    for sentence in doc.sentences[doc.sentence_index(block.start) :]:
        if sentence.end <= block.start:
            continue
        if sentence.start >= block.end:
            break
        if STUDY_SENTENCE.found(doc, sentence.start, sentence.end):
            return sentence.start, sentence.end
    return block.start, block.start


def _source(language: LanguagePack, intro: str) -> tuple[tuple[int, int] | None, str]:
    names_journal = language.pattern("evidence.names_journal")
    published_after = language.pattern("evidence.published_after")
    venue_words = language.words("evidence.published_before")
    for match in language.pattern("evidence.source_in_title").finditer(intro):
        before = intro[max(0, match.start() - 1) : match.start()]
        after = intro[match.end() : match.end() + 3]
        if names_journal.search(match.group()) or published_after.match(after) or before in venue_words:
            return (match.start(), match.end()), match.group("name")
    plain = language.pattern("evidence.source_before_word").search(intro)
    if plain:
        return plain.span(), plain.group("name")
    named = language.pattern("evidence.source_after_verb").search(intro)
    if named:
        return named.span("name"), named.group("name")
    return None, ""


def _reference_entries(doc: Document) -> list[ReferenceEntry]:
    entry_number, link_line = doc.language.pattern("evidence.entry_number"), doc.language.pattern("evidence.link_line")
    year_pattern = doc.language.pattern("evidence.year")
    entries: list[ReferenceEntry] = []
    section = 0
    previous_was_reference = False
    for block in doc.blocks:
        if block.kind != "reference":
            section += previous_was_reference
            previous_was_reference = False
            continue
        previous_was_reference = True
        text = doc.folded[block.start : block.end]
        if entries and link_line.match(text) and not entry_number.match(text):
            last = entries[-1]
            merged = doc.folded[last.start : block.end]
            entries[-1] = ReferenceEntry(last.start, block.end, merged, last.number, last.year, last.section)
            continue
        number = entry_number.match(text)
        year = year_pattern.search(text)
        entries.append(
            ReferenceEntry(
                block.start,
                block.end,
                text,
                int(number.group(1) or number.group(2)) if number else None,
                int(year.group(1)) if year else None,
                section,
            )
        )
    return entries


def _citations(doc: Document) -> list[Citation]:
    found: list[Citation] = []
    language = doc.language
    patterns = {
        kind: (f"citations.{kind}", language.pattern(f"citations.{kind}")) for kind in language.section("citations")
    }
    hits = _searched(language).hits(doc)
    for block in doc.blocks:
        if block.kind == "reference":
            continue
        present = hits.within(block.start, block.end)
        text = doc.folded[block.start : block.end]
        for kind, (name, pattern) in patterns.items():
            # most blocks cite nothing: the anchors say so for most kinds, the alternatives' own searches for others
            if name in present:
                found.extend(Citation(kind, block.start + s, block.start + e) for s, e in pattern.spans(text))
    return sorted(found, key=lambda c: (c.start, c.kind))


def evidence_span(doc: Document, start: int) -> tuple[int, int]:
    """The span a claim is judged against: its study block, else its paragraph."""
    block = study_block_at(doc, start)
    if block:
        return block.start, block.end
    paragraph = doc.block_at(start)
    return (paragraph.start, paragraph.end) if paragraph else (start, start)


_SAFETY_SPANS: Slot[dict[tuple[int, int], list[tuple[int, int]]]] = Slot("evidence.safety-data-spans")


def reports_safety_data(doc: Document, start: int, end: int) -> bool:
    """Whether the claim's study block or paragraph reports adverse-event data of its own (outside the claim).

    The block is searched once, whatever the number of claims in it; only when every report found overlaps
    the claim is the block searched again with the claim blanked out."""
    lo, hi = evidence_span(doc, start)
    pattern = doc.language.pattern("evidence.safety_data")
    spans = _SAFETY_SPANS.get(doc, dict).get((lo, hi))
    if spans is None:
        spans = _SAFETY_SPANS.get(doc, dict)[(lo, hi)] = [m.span() for m in pattern.finditer(doc.folded, lo, hi)]
    if not spans:
        return False
    if spans[0][1] <= start or spans[-1][0] >= end:  # finditer's spans are disjoint and in order
        return True
    text = doc.folded[lo:start] + " " * (end - start) + doc.folded[end:hi]
    return bool(pattern.search(text))


def _find_study_blocks(doc: Document) -> list[StudyBlock]:
    language = doc.language
    heading, label = language.pattern("evidence.study_heading"), language.pattern("evidence.study_label")
    found: list[StudyBlock] = []
    current: int | None = None
    headed = False
    titles = ""
    for index, block in enumerate(doc.blocks):
        text = doc.folded[block.start : block.end]
        if (
            current is not None
            and block.kind != "reference"
            and not heading.match(text)
            and not label.match(text)
            and _continues(language, block, text, headed, titles)
        ):
            titles += text
            continue
        if current is not None:
            found.append(StudyBlock(current, _previous_end(doc, index), headed))
            current = None
        if block.kind == "reference":
            continue
        if (block.kind == "heading" and heading.match(text)) or label.match(text):
            current, headed, titles = block.start, True, text
            continue
        sentence_start = _first_study_sentence(doc, index, block)
        if sentence_start is not None:
            current, headed, titles = sentence_start, False, text
    if current is not None and doc.blocks:
        found.append(StudyBlock(current, doc.blocks[-1].end, headed))
    return found


def _first_study_sentence(doc: Document, index: int, block: Block) -> int | None:
    if block.kind == "heading":
        return None
    for sentence in doc.sentences_in_block(index):
        if STUDY_SENTENCE.found(doc, sentence.start, sentence.end):
            return sentence.start
    return None


def _continues(language: LanguagePack, block: Block, text: str, headed: bool, titles: str) -> bool:
    if language.pattern("evidence.section_break").match(text):
        return False
    if not headed and language.pattern("evidence.summary_of_many").match(text):
        return False
    continuation = language.pattern("evidence.continuation")
    if block.kind == "heading":
        label = text.rstrip(" :")
        return (
            bool(language.pattern("evidence.subheading").match(text) or continuation.match(text))
            or text.endswith((":", "："))
            or (len(label) > 4 and label in titles)
        )
    if headed:
        return True
    return bool(continuation.match(text)) or block.kind == "list_item"


def _previous_end(doc: Document, index: int) -> int:
    return doc.blocks[index - 1].end if index > 0 else doc.blocks[index].start
