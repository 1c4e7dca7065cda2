"""What each study found: arm figures, significance verdicts and a classification of the result.

For every study block this model extracts the treatment and control arms with their figures ("12 名患者中有
9 名(75%)", "9/12", "75% vs 83%"), the stated verdicts (无显著差异, P>0.05, 相似, 没有明显的附加作用, 主要终点未达到,
提前终止 …) and classifies the block as positive, null, negative, uncontrolled or unknown, keeping the spans
that decided it. The spin rules read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import regex

from lint.analysis.evidence import StudyBlock, evidence
from lint.core.document import Document
from lint.core.prefilter import gated

Verdict = Literal["positive", "null", "negative", "uncontrolled", "unknown"]
Arm = Literal["treatment", "control"]

_NUMBER = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两百零]+)"
TREATMENT_LABEL = gated(
    r"(?:[\w\-]{0,16}?(?:msc|mscs|间充质干细胞|干细胞|细胞)(?:联合\w{0,6}?)?组|治疗组|试验组|实验组|干预组|移植组|观察组|联合(?:治疗)?组|"
    r"(?:msc|cell|treatment|intervention|active|experimental) (?:group|arm))"
)
CONTROL_LABEL = gated(
    r"(?:对照组|安慰剂组|单纯\w{0,6}?组|(?:常规|标准|传统|单药|化疗|西药|激素)(?:治疗)?组|假注射组|空白组|"
    r"(?:placebo|control|sham) (?:group|arm))"
)
_VALUE = gated(
    rf"(?P<den>{_NUMBER})\s*(?:名|例|位|人)?(?:患者|受试者)?中有\s*(?P<num>{_NUMBER})\s*(?:名|例|位|人)?"
    rf"(?:\s*[(（]\s*(?P<pct2>\d+(?:\.\d+)?)\s*%\s*[)）])?"
    r"|(?P<fnum>\d+)\s*/\s*(?P<fden>\d+)(?!\s*(?:kg|ml|l|mg|g)\b)"
    r"|(?P<pct>\d+(?:\.\d+)?)\s*%"
    r"|(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>米)(?!\w)"
)
_VERSUS = gated(
    r"(?P<a>\d+(?:\.\d+)?\s*%|\d+\s*/\s*\d+)\s*(?:vs\.?|versus|对比|对|比)\s*(?P<b>\d+(?:\.\d+)?\s*%|\d+\s*/\s*\d+)"
)
NULL_MARKERS = gated(
    r"无显著(?:性)?差异|无明显差异|差异无统计学意义|无统计学(?:意义|差异)|未达到?统计学(?:意义|显著性)?|"
    r"(?:没有|无|未见)(?:明显|显著)?的?(?:附加|额外|增量)(?:作用|获益|效果)|无额外获益|"
    r"(?:比例|程度|结果|疗效|效果|改善)(?:均)?(?:相似|相近|相当|类似)|两组[^。;]{0,20}(?:相似|相近|相当|类似)|"
    r"(?<![a-z])p\s*值?\s*(?:[>≥]\s*0?\.0*[5-9]|=\s*0?\.(?:0[5-9]|[1-9]))|主要终点(?:未|没有)达到|未达到主要终点|主要终点[^。;]{0,10}无(?:显著)?差异|"
    r"差异(?:并)?不显著|差异不具(?:有)?统计学(?:意义|差异|显著性)|差异未达到?(?:统计学)?显著(?:水平|性)?|差异无显著性|"
    r"(?:未|没有|并未)(?:显示出?|发现|观察到)?(?:明显|显著)?的?(?:统计学)?(?:上的)?(?:显著)?差异|"
    r"(?:没有|无)(?:明显|显著)?的?统计学(?:意义|差异|显著性)|未见(?:明显|显著)差异|"
    r"提前终止|中止试验|因无效而终止"
)
POSITIVE_MARKERS = gated(
    r"差异有统计学意义|差异具有统计学意义|(?<![a-z])p\s*值?\s*(?:[<≤]\s*0?\.0[0-5]\d*|=\s*0?\.0[0-4]\d*)|显著(?:高于|优于|低于|好于)对照"
)
_LOWER_IS_BETTER = gated(r"死亡|病死|复发|不良|并发症|感染|恶化|(?<!无)进展|失败|住院")
_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True, slots=True)
class ArmFigure:
    """One arm's figure in one sentence: the label, the value (a proportion 0–1, or an amount in `unit`) and
    their spans."""

    arm: Arm
    value: float
    start: int
    end: int
    sentence: int
    unit: str = ""


@dataclass(frozen=True, slots=True)
class StudyResult:
    """The classified result of one study block and the spans that decided it."""

    block: StudyBlock
    verdict: Verdict
    decided_by: tuple[tuple[int, int], ...]
    null_spans: tuple[tuple[int, int], ...]
    figures: tuple[ArmFigure, ...]


def chinese_number(text: str) -> float:
    """Parse an Arabic or Chinese numeral (九, 十二, 二十, 一百)."""
    if regex.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CHINESE_DIGITS:
            current = _CHINESE_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return float(total + current)


def _proportion(match: regex.Match[str]) -> float | None:
    if match.group("amount"):
        return float(match.group("amount"))
    if match.group("pct2"):
        return float(match.group("pct2")) / 100
    if match.group("den"):
        den = chinese_number(match.group("den"))
        return chinese_number(match.group("num")) / den if den else None
    if match.group("fnum"):
        den = float(match.group("fden"))
        return float(match.group("fnum")) / den if den else None
    return float(match.group("pct")) / 100


def _figures(doc: Document, block: StudyBlock) -> list[ArmFigure]:
    figures: list[ArmFigure] = []
    first = doc.sentence_index(block.start)
    for index in range(first, len(doc.sentences)):
        sentence = doc.sentences[index]
        if sentence.start >= block.end:
            break
        text = doc.folded[sentence.start : sentence.end]
        if "组" not in text and "group" not in text and "arm" not in text and "%" not in text and "/" not in text:
            continue
        treatments = list(TREATMENT_LABEL.finditer(text))
        controls = [
            m
            for m in CONTROL_LABEL.finditer(text)
            if not any(t.start() < m.end() and m.start() < t.end() for t in treatments)
        ]
        labels = sorted(
            [("treatment", m) for m in treatments] + [("control", m) for m in controls],
            key=lambda item: item[1].start(),
        )
        for position, (arm, label) in enumerate(labels):
            limit = labels[position + 1][1].start() if position + 1 < len(labels) else min(len(text), label.end() + 40)
            value = _VALUE.search(text, label.end(), limit)
            proportion = _proportion(value) if value else None
            if value and proportion is not None:
                figures.append(
                    ArmFigure(
                        arm,
                        proportion,
                        sentence.start + label.start(),
                        sentence.start + value.end(),
                        index,
                        value.group("unit") or "",
                    )
                )  # type: ignore[arg-type]
        versus = _VERSUS.search(text)
        if versus and not labels:
            for arm, group in (("treatment", "a"), ("control", "b")):
                raw = versus.group(group)
                value = float(raw.rstrip("% ")) / 100 if "%" in raw else _fraction(raw)
                figures.append(
                    ArmFigure(
                        arm, value, sentence.start + versus.start(group), sentence.start + versus.end(group), index
                    )
                )  # type: ignore[arg-type]
    return figures


def _fraction(raw: str) -> float:
    num, _, den = raw.partition("/")
    return float(num) / float(den) if float(den) else 0.0


def _classify(doc: Document, block: StudyBlock) -> StudyResult:
    text = doc.folded[block.start : block.end]
    null_spans = tuple((block.start + m.start(), block.start + m.end()) for m in NULL_MARKERS.finditer(text))
    figures = tuple(_figures(doc, block))
    controlled = block.has("controlled", "placebo") or any(f.arm == "control" for f in figures)
    for sentence_index in sorted({f.sentence for f in figures}):
        treatment = next((f for f in figures if f.sentence == sentence_index and f.arm == "treatment"), None)
        control = next((f for f in figures if f.sentence == sentence_index and f.arm == "control"), None)
        if treatment is None or control is None or treatment.unit != control.unit:
            continue
        sentence = doc.sentences[sentence_index]
        lower_better = bool(_LOWER_IS_BETTER.search(doc.folded[sentence.start : sentence.end]))
        better = control.value - treatment.value if lower_better else treatment.value - control.value
        decided = ((treatment.start, treatment.end), (control.start, control.end))
        if better < 0:
            return StudyResult(block, "negative", decided, null_spans, figures)
        if better == 0 or null_spans:
            return StudyResult(block, "null", decided + null_spans[:1], null_spans, figures)
        return StudyResult(block, "positive", decided, null_spans, figures)
    if null_spans and controlled:
        return StudyResult(block, "null", null_spans[:1], null_spans, figures)
    positive = POSITIVE_MARKERS.search(text)
    if positive and controlled:
        return StudyResult(
            block, "positive", ((block.start + positive.start(), block.start + positive.end()),), null_spans, figures
        )
    if not controlled and not block.has("review"):
        return StudyResult(block, "uncontrolled", (), null_spans, figures)
    return StudyResult(block, "unknown", (), null_spans, figures)


def study_results(doc: Document) -> tuple[StudyResult, ...]:
    """The classified result of every study block of `doc` (cached on the document)."""
    cached = doc.cache.get("study_results")
    if cached is None:
        cached = tuple(_classify(doc, block) for block in evidence(doc).blocks)
        doc.cache["study_results"] = cached
    return cached  # type: ignore[return-value]
