"""The article's evidence: study blocks, their design facts, citations and the reference list.

Everything here is IO-free and computed once per `Document` (cached in `Document.cache`). Rules read it
through `evidence(doc)`.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field

import regex

from lint.core.document import Block, Document
from lint.core.language import LanguagePack, Slot
from lint.core.prefilter import GatedPattern, gated

_STUDY_HEADING = regex.compile(
    r"^(?:[0-9一二三四五六七八九十]{1,3}[.、)）]\s*)?(?:临床)?(?:案例|病例|研究|试验|实验|案列)"
    r"(?:\s*[0-9一二三四五六七八九十]{1,3}|\s*[:：]\s*《)"
)
_STUDY_LABEL = regex.compile(
    r"^(?:[0-9一二三四五六七八九十]{1,3}[.、)）]\s*)?(?:临床)?(?:案例|病例|研究|试验|实验)\s*[0-9一二三四五六七八九十]{1,3}\s*[:：]"
)
# a source named after the verb, without 《》 (发表在medRxiv上)
_SOURCE_AFTER_VERB = regex.compile(
    r"(?:发表|发布|刊登)(?:在|于)\s*(?P<name>[a-z][a-z0-9 .&\-]{1,40}?)\s*(?=上|的|发表)"
)
_STUDY_SENTENCE = gated(
    r"《[^》]{2,80}》[^,，。]{0,12}(?:上|中)?(?:发表|发布|刊登|报道)|(?:发表|发布|刊登)(?:在|于)《|"
    r"(?:19|20)\d{2}\s*年[^。]{0,60}?(?:研究|试验|文献|报道|报告|发表|发布|刊登|纳入|招募|干预|综述|共识|分析)|"
    r"(?:一项|这项|该项)[^。]{0,30}?(?:研究|试验)[^。]{0,30}?\d+\s*(?:例|名|位)|"
    r"(?:一项|这项|该项)[^。]{0,20}?\d+\s*(?:例|名|位)[^。]{0,20}?(?:研究|试验)|"
    r"(?:小鼠|大鼠|动物|猴|兔|猪|犬|体外|细胞)(?:实验|模型|研究)[^。,;]{0,6}?(?:中|发现|显示|表明|证实|证明)|"
    r"[a-z]{2,}等(?:人)?(?:对|在|报道|发现|研究)|"
    r"(?:随机|双盲|安慰剂对照|多中心|前瞻性|开放标签|单臂|(?<![a-z])(?:i{1,3}|iv)\s*期|[ⅰⅱⅲⅳ]期)[^。]{0,24}?(?:研究|试验)"
    r"[^。]{0,40}?(?:发现|显示|表明|结果|纳入|招募|入组|n\s*=\s*\d|\d+\s*(?:例|名|位))|"
    r"(?:期刊|杂志|journal)[^,，。]{0,20}(?:上)?(?:发表|发布|刊登)|" + _SOURCE_AFTER_VERB.pattern
)
_CONTINUATION = regex.compile(
    r"^(?:目的|方法|结果|结论|背景|研究结果|研究发现|研究表明|结果显示|结果发现|结果表明|其中|该研究|这项研究|本研究|"
    r"本次研究|此项研究|在这项研究|在该研究|在本研究|研究人员|研究者|受试者|患者|所有|全部|两组|各组|"
    r"[\w\-]{0,16}?组|主要终点|次要终点|与对照组|与安慰剂组|"
    r"综上所述|总之|总而言之|由此可见|因此|这些结果|该结果|(?:长期)?随访|移植后|治疗后|术后|干预后|输注后|用药后|注射后|\d{1,3}(?!\d)\s*(?:例|名|位|个月|周|年)|"
    r"[一二三四五六七八九十两]+(?:例|名|位)|图\s*\d|表\s*\d|figure|table)",
    regex.IGNORECASE,
)
_SUMMARY_OF_MANY = regex.compile(
    r"^(?:综上所述|总之|总而言之|总的来说|由此可见|总结)[,，:：]?[^。]{0,12}(?:这些|以上|上述|多项|各项|所有|现有|已有|目前)"
)
_SECTION_BREAK = regex.compile(r"^(?:相关阅读|延伸阅读|推荐阅读|免责|版权|总结|小结|结语|全文总结|写在最后)")
_SUBHEADING = regex.compile(
    r"^(?:\d{1,2}[.、)）](?!\d)|[(（]\d{1,2}[)）]|图\s*\d|表\s*\d|figure|table)", regex.IGNORECASE
)
_SAFETY_DATA = gated(
    r"(?:\d+|[一二三四五六七八九十两]+)\s*(?:起|例|名|位|次|%|人)[^。]{0,15}(?:不良|副作用|并发症|感染|死亡|发热|发烧|头痛|腹泻|皮疹|过敏|恶心|呕吐|红肿|疼痛)|"
    r"(?:不良事件|不良反应|副作用|并发症)[^。]{0,20}?(?:\d+|[一二三四五六七八九十两]+)\s*(?:起|例|名|位|%|人)|"
    r"(?:未|没有|无)(?:导致|观察到|发现|出现|发生|报告)[^。]{0,12}(?:不良|副作用|并发症)|"
    r"不良(?:事件|反应)[^。]{0,12}(?:无显著差异|相似|相当)|ctcae|nci-ctc|耐受性良好"
)


_SOURCE_IN_TITLE = regex.compile(
    r"(?:(?:国际|知名|权威|行业|顶级|核心|学术|医学|专业)*(?:期刊|杂志)\s*)?《(?P<name>[^》]{1,60})》(?:杂志|期刊)?"
)
_SOURCE_BEFORE_WORD = regex.compile(
    r"(?P<name>[a-z][a-z &.\-]{2,50}?|[a-z]{2,}[\p{Han}]{1,8})\s*(?:杂志|期刊)(?=上|发表|发布|刊登)"
)
_YEAR = gated(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_COUNT = gated(
    r"(?P<n>\d+|[一二三四五六七八九十两百]+)\s*(?:名|例|位)[^,。;]{0,24}?(?:患者|受试者|参与者|病人|志愿者|儿童|成人)"
)


def _compiled(table: dict[str, str]) -> dict[str, GatedPattern]:
    return {name: gated(pattern) for name, pattern in table.items()}


FACT_PATTERNS: dict[str, GatedPattern] = _compiled(
    {
        "randomized": r"随机(?!森林|效应)|randomi[sz]ed",
        "double_blind": r"双盲|double-blind",
        "placebo": r"安慰剂|假注射|placebo|sham",
        "controlled": r"对照组|对照试验|对照研究|对照的|随机对照|controlled|常规治疗组|基础干预对照",
        "open_label": r"开放标签|开放性|open-label",
        "single_arm": r"单臂|单组|single-arm|自身前后对照|单中心临床试验",
        "phase_i": r"(?<![a-z\u2170-\u217f])(?:i|1|一|ⅰ)\s*期(?!\s*[/／]\s*(?:ii|2|二|ⅱ))|phase\s*(?:i|1)(?![i/\d])",
        "phase_i_ii": r"(?:i|1|一|ⅰ)\s*[/／]\s*(?:ii|2|二|ⅱ)\s*期",
        "pilot": r"试点研究|初步研究|预试验|探索性研究|pilot|可行性研究",
        "case_series": r"病例系列|系列研究|病例报告|个案报道|同情治疗|同情用药|case series|case report|compassionate",
        "review": r"系统评价|荟萃分析|meta分析|综述|systematic review|meta-analysis|专家共识",
        "preclinical": r"小鼠|大鼠|裸鼠|动物模型|动物实验|动物研究|体外实验|体外研究|细胞实验|细胞系|缺血\s*/?\s*再灌注|"
        r"i/r\s*模型|造模|模型组|敲低|敲除|matrigel|in vitro|mice|mouse|murine",
        "conference": r"会议摘要|年会|学术大会|壁报|poster",
    }
)
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CITATION_PATTERNS: dict[str, GatedPattern] = _compiled(
    {
        "marker": r"\[\d{1,3}(?:\s*[-–,]\s*\d{1,3})*\]|[\u2460-\u2473]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+",
        "doi": r"10\.\d{4,9}/[^\s,;，。)）]+",
        "pmid": r"pmid\s*:?\s*\d{5,9}|pubmed\.ncbi\.nlm\.nih\.gov/\d{5,9}",
        "registry": r"nct\d{8}|chictr[-\w]*\d{6,}",
        "url": r"https?://[^\s，。)）]+",
        "author_year": r"[(（][a-z][a-z\-]+(?:\s+et al\.?|等)?[,，]?\s*(?:19|20)\d{2}[)）]",
    }
)


@dataclass(frozen=True, slots=True)
class Fact:
    """A design fact stated in a study block (randomized, placebo, phase I, n = 9 …) and where it is stated."""

    kind: str
    start: int
    end: int
    value: int | None = None


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class ReferenceEntry:
    """One entry of the reference list (参考资料/参考文献/References)."""

    start: int
    end: int
    text: str
    number: int | None
    year: int | None
    section: int = 0


@dataclass(frozen=True, slots=True)
class Citation:
    """A checkable pointer to a source in the body: a numbered marker, DOI, PMID, registry id, URL, author-year."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
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
        names = _journal_names(doc.language, block.source_name)
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
        for english, others in language.table("journals").items():
            for name in (english, *others):
                aliases.setdefault(str(name).lower(), []).append(str(english).lower())
        return {name: tuple(targets) for name, targets in aliases.items()}

    return _JOURNAL_ALIASES.get(language, build)


def _journal_names(language: LanguagePack, source: str) -> tuple[str, ...]:
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
    return regex.compile(rf"(?<![a-z]){regex.escape(name)}(?![a-z])")


def contains_name(text: str, name: str) -> bool:
    """Whether `name` occurs in `text` without a Latin letter glued to either side."""
    return name in text and _name_pattern(name).search(text) is not None


def evidence(doc: Document) -> Evidence:
    """The evidence model of `doc` (computed once and cached on the document)."""
    cached = doc.cache.get("evidence")
    if cached is None:
        blocks = tuple(_describe(doc, block) for block in _find_study_blocks(doc))
        cached = Evidence(blocks, tuple(_reference_entries(doc)), tuple(_citations(doc)))
        doc.cache["evidence"] = cached
    return cached  # type: ignore[return-value]


def study_block_at(doc: Document, offset: int) -> StudyBlock | None:
    """Return the study block holding `offset`, if any."""
    return evidence(doc).block_at(offset)


def _describe(doc: Document, block: StudyBlock) -> StudyBlock:
    text = doc.folded[block.start : block.end]
    intro = _intro_sentence(doc, block)
    intro_text = doc.folded[intro[0] : intro[1]]
    source, name = _source(intro_text)
    year = _YEAR.search(intro_text)
    facts: list[Fact] = []
    for kind, pattern in FACT_PATTERNS.items():
        facts.extend(Fact(kind, block.start + m.start(), block.start + m.end()) for m in pattern.finditer(text))
    count = _COUNT.search(text)
    if count:
        facts.append(Fact("n", block.start + count.start(), block.start + count.end(), _number(count.group("n"))))
    return StudyBlock(
        block.start,
        block.end,
        block.headed,
        intro_end=intro[1],
        source=Fact("source", intro[0] + source[0], intro[0] + source[1]) if source else None,
        source_name=name,
        year=int(year.group(1)) if year else None,
        facts=tuple(sorted(facts, key=lambda f: (f.start, f.kind))),
    )


def _intro_sentence(doc: Document, block: StudyBlock) -> tuple[int, int]:
    for sentence in doc.sentences[doc.sentence_index(block.start) :]:
        if sentence.end <= block.start:
            continue
        if sentence.start >= block.end:
            break
        if _STUDY_SENTENCE.search(doc.folded[sentence.start : sentence.end]):
            return sentence.start, sentence.end
    return block.start, block.start


def _source(intro: str) -> tuple[tuple[int, int] | None, str]:
    for match in _SOURCE_IN_TITLE.finditer(intro):
        before = intro[max(0, match.start() - 1) : match.start()]
        after = intro[match.end() : match.end() + 3]
        names_journal = (
            match.group().startswith(("期刊", "杂志")) or "期刊" in match.group()[:8] or "杂志" in match.group()
        )
        if names_journal or after.startswith(("上", "发表", "发布", "刊登")) or before in ("在", "于"):
            return (match.start(), match.end()), match.group("name")
    plain = _SOURCE_BEFORE_WORD.search(intro)
    if plain:
        return plain.span(), plain.group("name")
    named = _SOURCE_AFTER_VERB.search(intro)
    if named:
        return named.span("name"), named.group("name")
    return None, ""


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(ones, 0)
    return _CHINESE_DIGITS.get(text, 0)


_ENTRY_NUMBER = regex.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.、)]\s)")
_LINK_LINE = regex.compile(r"^(?:链接|link|url|doi)?\s*[:：]?\s*(?:https?://|10\.\d{4})", regex.IGNORECASE)


def _reference_entries(doc: Document) -> list[ReferenceEntry]:
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
        if entries and _LINK_LINE.match(text) and not _ENTRY_NUMBER.match(text):
            last = entries[-1]
            merged = doc.folded[last.start : block.end]
            entries[-1] = ReferenceEntry(last.start, block.end, merged, last.number, last.year, last.section)
            continue
        number = _ENTRY_NUMBER.match(text)
        year = _YEAR.search(text)
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
    for block in doc.blocks:
        if block.kind == "reference":
            continue
        text = doc.folded[block.start : block.end]
        for kind, pattern in _CITATION_PATTERNS.items():
            found.extend(Citation(kind, block.start + m.start(), block.start + m.end()) for m in pattern.finditer(text))
    return sorted(found, key=lambda c: (c.start, c.kind))


def evidence_span(doc: Document, start: int) -> tuple[int, int]:
    """The span a claim is judged against: its study block, else its paragraph."""
    block = study_block_at(doc, start)
    if block:
        return block.start, block.end
    paragraph = doc.block_at(start)
    return (paragraph.start, paragraph.end) if paragraph else (start, start)


def reports_safety_data(doc: Document, start: int, end: int) -> bool:
    """Whether the claim's study block or paragraph reports adverse-event data of its own."""
    lo, hi = evidence_span(doc, start)
    text = doc.folded[lo:start] + " " * (end - start) + doc.folded[end:hi]
    return bool(_SAFETY_DATA.search(text))


def _find_study_blocks(doc: Document) -> list[StudyBlock]:
    found: list[StudyBlock] = []
    current: int | None = None
    headed = False
    titles = ""
    for index, block in enumerate(doc.blocks):
        text = doc.folded[block.start : block.end]
        if (
            current is not None
            and block.kind != "reference"
            and not _STUDY_HEADING.match(text)
            and not _STUDY_LABEL.match(text)
            and _continues(block, text, headed, titles)
        ):
            titles += text
            continue
        if current is not None:
            found.append(StudyBlock(current, _previous_end(doc, index), headed))
            current = None
        if block.kind == "reference":
            continue
        if (block.kind == "heading" and _STUDY_HEADING.match(text)) or _STUDY_LABEL.match(text):
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
        if _STUDY_SENTENCE.search(doc.folded[sentence.start : sentence.end]):
            return sentence.start
    return None


def _continues(block: Block, text: str, headed: bool, titles: str) -> bool:
    if _SECTION_BREAK.match(text) or (not headed and _SUMMARY_OF_MANY.match(text)):
        return False
    if block.kind == "heading":
        label = text.rstrip(" :：")
        return (
            bool(_SUBHEADING.match(text) or _CONTINUATION.match(text))
            or text.endswith((":", "："))
            or (len(label) > 4 and label in titles)
        )
    if headed:
        return True
    return bool(_CONTINUATION.match(text)) or block.kind == "list_item"


def _previous_end(doc: Document, index: int) -> int:
    return doc.blocks[index - 1].end if index > 0 else doc.blocks[index].start
