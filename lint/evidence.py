"""The article's evidence: study blocks (the text that describes one study) and what they report."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from lint.document import Block, Document

_STUDY_HEADING = regex.compile(
    r"^(?:[0-9一二三四五六七八九十]{1,3}[.、)）]\s*)?(?:临床)?(?:案例|病例|研究|试验|实验|案列)\s*[0-9一二三四五六七八九十]{1,3}"
)
_STUDY_SENTENCE = regex.compile(
    r"《[^》]{2,80}》[^,，。]{0,12}(?:上|中)?(?:发表|发布|刊登|报道)|(?:发表|发布|刊登)(?:在|于)《|"
    r"(?:19|20)\d{2}\s*年[^。]{0,60}?(?:研究|试验|文献|报道|报告|发表|发布|刊登|纳入|招募|干预|综述|共识|分析)|"
    r"(?:一项|这项|该项)[^。]{0,30}?(?:研究|试验)[^。]{0,30}?\d+\s*(?:例|名|位)|"
    r"[a-z]{2,}等(?:人)?(?:对|在|报道|发现|研究)|"
    r"(?:期刊|杂志|journal)[^,，。]{0,20}(?:上)?(?:发表|发布|刊登)"
)
_CONTINUATION = regex.compile(
    r"^(?:目的|方法|结果|结论|背景|研究结果|研究发现|研究表明|结果显示|结果发现|结果表明|其中|该研究|这项研究|本研究|"
    r"本次研究|此项研究|在这项研究|在该研究|在本研究|研究人员|研究者|受试者|患者|所有|全部|"
    r"综上所述|总之|总而言之|由此可见|因此|这些结果|该结果|(?:长期)?随访|移植后|治疗后|术后|干预后|输注后|用药后|注射后|\d{1,3}(?!\d)\s*(?:例|名|位|个月|周|年)|"
    r"[一二三四五六七八九十两]+(?:例|名|位)|图\s*\d|表\s*\d|figure|table)",
    regex.IGNORECASE,
)
_SUMMARY_OF_MANY = regex.compile(
    r"^(?:综上所述|总之|总而言之|总的来说|由此可见|总结)[,，:：]?[^。]{0,12}(?:这些|以上|上述|多项|各项|所有)"
)
_SECTION_BREAK = regex.compile(r"^(?:相关阅读|延伸阅读|推荐阅读|免责|版权)")
_SUBHEADING = regex.compile(
    r"^(?:\d{1,2}[.、)）](?!\d)|[(（]\d{1,2}[)）]|图\s*\d|表\s*\d|figure|table)", regex.IGNORECASE
)
_SAFETY_DATA = regex.compile(
    r"(?:\d+|[一二三四五六七八九十两]+)\s*(?:起|例|名|位|次|%|人)[^。]{0,15}(?:不良|副作用|并发症|感染|死亡|发热|发烧|头痛|腹泻|皮疹|过敏|恶心|呕吐|红肿|疼痛)|"
    r"(?:不良事件|不良反应|副作用|并发症)[^。]{0,20}?(?:\d+|[一二三四五六七八九十两]+)\s*(?:起|例|名|位|%|人)|"
    r"(?:未|没有|无)(?:导致|观察到|发现|出现|发生|报告)[^。]{0,12}(?:不良|副作用|并发症)|"
    r"不良(?:事件|反应)[^。]{0,12}(?:无显著差异|相似|相当)|ctcae|nci-ctc|耐受性良好"
)


@dataclass(frozen=True, slots=True)
class StudyBlock:
    """The span of text that describes one study, from its heading or introducing sentence on."""

    start: int
    end: int
    headed: bool


def study_blocks(doc: Document) -> tuple[StudyBlock, ...]:
    """Return the study blocks of `doc`, in order (cached on the document)."""
    cached = doc.cache.get("study_blocks")
    if cached is None:
        cached = tuple(_find_study_blocks(doc))
        doc.cache["study_blocks"] = cached
    return cached  # type: ignore[return-value]


def study_block_at(doc: Document, offset: int) -> StudyBlock | None:
    """Return the study block holding `offset`, if any."""
    for block in study_blocks(doc):
        if block.start <= offset < block.end:
            return block
    return None


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
            and _continues(block, text, headed, titles)
        ):
            titles += text
            continue
        if current is not None:
            found.append(StudyBlock(current, _previous_end(doc, index), headed))
            current = None
        if block.kind == "reference":
            continue
        if block.kind == "heading" and _STUDY_HEADING.match(text):
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
    if _SECTION_BREAK.match(text) or _SUMMARY_OF_MANY.match(text):
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
