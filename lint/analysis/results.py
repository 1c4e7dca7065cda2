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
from lint.analysis.numerals import parse_number
from lint.core.document import Document
from lint.core.language import LanguagePack, Slot

Verdict = Literal["positive", "null", "negative", "uncontrolled", "unknown"]
Arm = Literal["treatment", "control"]
TREATMENT: Arm = "treatment"
CONTROL: Arm = "control"


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


def _proportion(language: LanguagePack, match: regex.Match[str]) -> float | None:
    if match.group("amount"):
        return float(match.group("amount"))
    if match.group("pct2"):
        return float(match.group("pct2")) / 100
    if match.group("den"):
        den = parse_number(language, match.group("den"))
        return parse_number(language, match.group("num")) / den if den else None
    if match.group("fnum"):
        den = float(match.group("fden"))
        return float(match.group("fnum")) / den if den else None
    return float(match.group("pct")) / 100


def _figures(doc: Document, block: StudyBlock) -> list[ArmFigure]:
    language = doc.language
    hint, value_pattern = language.pattern("results.figure_hint"), language.pattern("results.value")
    treatment_label, control_label = (
        language.pattern("results.treatment_label"),
        language.pattern("results.control_label"),
    )
    figures: list[ArmFigure] = []
    first = doc.sentence_index(block.start)
    for index in range(first, len(doc.sentences)):
        sentence = doc.sentences[index]
        if sentence.start >= block.end:
            break
        text = doc.folded[sentence.start : sentence.end]
        if not hint.search(text):
            continue
        treatments = list(treatment_label.finditer(text))
        controls = [
            m
            for m in control_label.finditer(text)
            if not any(t.start() < m.end() and m.start() < t.end() for t in treatments)
        ]
        labels = sorted(
            [(TREATMENT, m) for m in treatments] + [(CONTROL, m) for m in controls],
            key=lambda item: item[1].start(),
        )
        for position, (arm, label) in enumerate(labels):
            limit = labels[position + 1][1].start() if position + 1 < len(labels) else min(len(text), label.end() + 40)
            value = value_pattern.search(text, label.end(), limit)
            proportion = _proportion(language, value) if value else None
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
                )
        versus = language.pattern("results.versus").search(text)
        if versus and not labels:
            for arm, group in ((TREATMENT, "a"), (CONTROL, "b")):
                raw = versus.group(group)
                value = float(raw.rstrip("% ")) / 100 if "%" in raw else _fraction(raw)
                figures.append(
                    ArmFigure(
                        arm, value, sentence.start + versus.start(group), sentence.start + versus.end(group), index
                    )
                )
    return figures


def _fraction(raw: str) -> float:
    num, _, den = raw.partition("/")
    return float(num) / float(den) if float(den) else 0.0


def _classify(doc: Document, block: StudyBlock) -> StudyResult:
    language = doc.language
    text = doc.folded[block.start : block.end]
    null_markers = language.pattern("results.null_markers")
    null_spans = tuple((block.start + m.start(), block.start + m.end()) for m in null_markers.finditer(text))
    figures = tuple(_figures(doc, block))
    controlled = block.has("controlled", "placebo") or any(f.arm == "control" for f in figures)
    for sentence_index in sorted({f.sentence for f in figures}):
        treatment = next((f for f in figures if f.sentence == sentence_index and f.arm == "treatment"), None)
        control = next((f for f in figures if f.sentence == sentence_index and f.arm == "control"), None)
        if treatment is None or control is None or treatment.unit != control.unit:
            continue
        sentence = doc.sentences[sentence_index]
        lower_better = bool(
            language.pattern("results.lower_is_better").search(doc.folded[sentence.start : sentence.end])
        )
        better = control.value - treatment.value if lower_better else treatment.value - control.value
        decided = ((treatment.start, treatment.end), (control.start, control.end))
        if better < 0:
            return StudyResult(block, "negative", decided, null_spans, figures)
        if better == 0 or null_spans:
            return StudyResult(block, "null", decided + null_spans[:1], null_spans, figures)
        return StudyResult(block, "positive", decided, null_spans, figures)
    if null_spans and controlled:
        return StudyResult(block, "null", null_spans[:1], null_spans, figures)
    positive = language.pattern("results.positive_markers").search(text)
    if positive and controlled:
        return StudyResult(
            block, "positive", ((block.start + positive.start(), block.start + positive.end()),), null_spans, figures
        )
    if not controlled and not block.has("review"):
        return StudyResult(block, "uncontrolled", (), null_spans, figures)
    return StudyResult(block, "unknown", (), null_spans, figures)


_RESULTS: Slot[tuple[StudyResult, ...]] = Slot("study results")


def study_results(doc: Document) -> tuple[StudyResult, ...]:
    """The classified result of every study block of `doc` (kept on the document)."""
    return _RESULTS.get(doc, lambda: tuple(_classify(doc, block) for block in evidence(doc).blocks))
