"""What one sentence of a trial report found: the arms it names, each arm's figure, its statistics and its verdict.

A sentence is read on its own (the arms a report defined earlier are handed in, for figures listed "分别为…"):

* **arm labels** in any naming — a word the segmenter cuts ending in 组/臂/队列 (骨髓细胞组, 常规治疗组, CD133+组,
  A组), taken back to the word before it that no label reaches across (结果显示|骨髓细胞组), or an English label
  (RDN group, placebo arm). The longest label wins, so 常规治疗组 is one control label, not a 治疗组 inside it.
  A label is a control arm when its words say so (对照, 安慰剂, 假手术, 常规, sham …); a bare letter label (A组)
  takes its role from the clause that defines it.
* **figures**: the first figure after each label ("12 名中有 9 名", 9/12, 75%, 6.65 分, 提高 3.1 个百分点), never
  a confidence level (95%CI), an eligibility limit (≤45%) or a relative effect (较安慰剂减少22%); an unlabelled
  figure before a labelled control arm is the treatment arm's; "分别为 a、b 和 c" maps to the arms in the order
  they were defined. Each figure gets a *benefit*: its value oriented so that higher is better for the patient
  (lower is better for death, events, pain scores; a decrease is negative; a worsening counts against).
* **statistics**: P values, and 95% confidence intervals of ratios (null value 1) or differences (null value 0).
* **verdict words**: null, significant, trend, futility, harm.

The verdict of the sentence comes from the numbers first (P, then the interval), then the words, then the arm
figures (treatment numerically no better than control, or better with no test reported).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import Literal

import regex

from lint.analysis.hits import EntryGroup
from lint.analysis.numerals import parse_number
from lint.core.compiled import compile_regex
from lint.core.document import Document
from lint.core.language import LanguagePack, Slot
from lint.core.records import record

Role = Literal["treatment", "control"]
Verdict = Literal["positive", "null", "trend", "futility", "harmful", "negative", "untested", "unknown"]
Significance = Literal["significant", "null", "harm", "worse", "better"]

_WORD = compile_regex(r"[\p{L}\p{N}+\-]")
_NUMBER_BEFORE = compile_regex(r"(-?\d+(?:\.\d+)?)[^\d]{0,6}$")


@record(frozen=True, slots=True)
class ArmLabel:
    """An arm named in the text: its role, its folded name (骨髓细胞组) and where it is."""

    role: Role
    name: str
    start: int
    end: int


@record(frozen=True, slots=True)
class Figure:
    """One arm's figure: the value (a proportion for shares), its unit, its benefit (higher is better for the
    patient) and the span from the label (or the figure alone) to the end of the figure."""

    role: Role
    value: float
    unit: str
    benefit: float
    start: int
    end: int
    label: str = ""
    lower_better: bool = False


@record(frozen=True, slots=True)
class Statistic:
    """A P value or a confidence interval, and what it says."""

    kind: Literal["p", "interval", "estimate"]
    significance: Significance
    start: int
    end: int


@record(frozen=True, slots=True)
class Marker:
    """A verdict said in words (null, positive, trend, futility, harm, early_stop) and where."""

    kind: str
    start: int
    end: int


@record(frozen=True, slots=True)
class SentenceResult:
    """What one sentence reports, with its verdict and the spans that decided it."""

    sentence: int
    start: int
    end: int
    labels: tuple[ArmLabel, ...]
    figures: tuple[Figure, ...]
    statistics: tuple[Statistic, ...]
    markers: tuple[Marker, ...]
    verdict: Verdict
    worse: bool
    decided_by: tuple[tuple[int, int], ...]
    first_sentence: int = -1

    def has(self, *kinds: str) -> bool:
        """Whether a verdict word of one of `kinds` is in the sentence."""
        return any(m.kind in kinds for m in self.markers)

    @property
    def reports(self) -> bool:
        """Whether the sentence reports a result at all (a verdict, a figure or a statistic)."""
        return self.verdict != "unknown" or bool(self.figures or self.statistics)


def arm_labels(doc: Document, start: int, end: int) -> list[ArmLabel]:
    """The arm labels in `doc.folded[start:end]`, in order, each the longest label ending where it ends."""
    language = doc.language
    text = doc.folded[start:end]
    found: list[ArmLabel] = []
    suffixes = language.words("trials.arm_suffixes")
    if any(suffix in text for suffix in suffixes):
        found.extend(_suffixed_labels(language, text, start, suffixes))
    english = language.pattern("trials.english_arm")
    stops = _arm_words(language).english_stops
    for match in english.finditer(text):
        words = match.group("name").split(" ")
        while words and words[0] in stops:
            words.pop(0)
        if not words:
            continue
        label_start = match.end() - len(" ".join(words)) - (match.end() - match.end("name"))
        name = text[label_start : match.end()]
        found.append(
            ArmLabel(_role(language, name, text[match.end() :]), name, start + label_start, start + match.end())
        )
    return sorted(found, key=lambda label: label.start)


@record(frozen=True, slots=True)
class _ArmWords:
    """The word lists arm labels are read with, as sets (built once per pack)."""

    stops: frozenset[str]
    not_arms: frozenset[str]
    after_stops: tuple[str, ...]
    descriptors: frozenset[str]
    attributive: frozenset[str]
    english_stops: frozenset[str]


_ARM_WORDS: Slot[_ArmWords] = Slot("results arm words")


def _arm_words(language: LanguagePack) -> _ArmWords:
    return _ARM_WORDS.get(
        language,
        lambda: _ArmWords(
            frozenset(language.words("trials.arm_stops")),
            frozenset(language.words("trials.not_arms")),
            language.words("trials.not_arm_after"),
            frozenset(language.words("trials.arm_descriptors")),
            frozenset(language.words("claims.attributive")),
            frozenset(language.words("trials.english_stops")),
        ),
    )


def _suffixed_labels(language: LanguagePack, text: str, offset: int, suffixes: tuple[str, ...]) -> list[ArmLabel]:
    tokens = language.segment(text)
    words = _arm_words(language)
    stops, not_arms, descriptors, attributive = words.stops, words.not_arms, words.descriptors, words.attributive
    positions = list(itertools.accumulate((len(token) for token in tokens), initial=0))
    labels: list[ArmLabel] = []
    negator = language.pattern("trials.design_negator")
    for index in [index for index, token in enumerate(tokens) if token.endswith(suffixes)]:
        token = tokens[index]
        finish = positions[index + 1]
        described = token in descriptors and index >= 2 and tokens[index - 1] in attributive
        if (token in not_arms and not described) or text[finish : finish + 1] in words.after_stops:
            continue
        first = index - 1 if described else index
        if token in descriptors and not described:
            continue
        while first > 0:
            before = tokens[first - 1]
            if (
                before in stops
                or before.endswith(suffixes)
                or not _WORD.match(before)
                or before.replace(".", "", 1).isdigit()
            ):
                break
            if finish - positions[first - 1] > 14:
                break
            first -= 1
        begin = positions[first]
        name = text[begin:finish]
        if negator.search(text, max(0, begin - 8), begin):
            continue  # 没有对照组: the absence of an arm
        if (
            name in not_arms
            or name in suffixes
            or name in descriptors
            or not _WORD.match(name)
            or (described and first == index - 1)
        ):
            continue
        labels.append(ArmLabel(_role(language, name, text[finish:]), name, offset + begin, offset + finish))
    return labels


def _role(language: LanguagePack, name: str, after: str) -> Role:
    if holds(language, "trials.control_words", name):
        return "control"
    bare = name.rstrip("".join(language.words("trials.arm_suffixes"))).removesuffix(" group").removesuffix(" arm")
    if language.pattern("trials.letter_arm").match(bare.strip()):
        clause = language.pattern("spin.clause_break").search(after)
        if holds(language, "trials.control_words", after[: clause.start() if clause else 30]):
            return "control"
    return "treatment"


def holds(language: LanguagePack, name: str, text: str) -> bool:
    """Whether entry `name` matches in `text`: for a word list matched as written, whether one of its words is in
    `text` (what searching its alternation says, without a search)."""
    entry = language.entry(name)
    if entry is not None and entry.kind == "terms" and not entry.ignore_case:
        return any(term in text for term in entry.terms)
    return language.pattern(name).search(text) is not None


def read_sentence(doc: Document, index: int, arms: Sequence[ArmLabel] = (), context: str = "") -> SentenceResult:
    """What sentence number `index` of `doc` reports; `arms` are the arms the report defined before it, in order,
    and `context` the sentence that named its endpoint (which says whether lower is better)."""
    sentence = doc.sentences[index]
    start, end = sentence.start, sentence.end
    text = doc.folded[start:end]
    language = doc.language
    present = _SENTENCE_PATTERNS.hits(doc).within(start, end)
    if not present:  # every part of the reading starts from a pattern of the group: none may match, so nothing
        return SentenceResult(index, start, end, (), (), (), (), "unknown", False, (), index)
    hinted = _FIGURE_HINT in present and holds(language, _FIGURE_HINT, text)
    labels = arm_labels(doc, start, end) if hinted else []
    figures = _figures(doc, start, text, labels, arms, context, present)
    statistics = _statistics(language, start, text, present)
    markers = _markers(language, start, text, present)
    verdict, worse, decided = _verdict(figures, statistics, markers)
    return SentenceResult(
        index,
        start,
        end,
        tuple(labels),
        tuple(figures),
        tuple(statistics),
        tuple(markers),
        verdict,
        worse,
        decided,
        index,
    )


def reread(doc: Document, result: SentenceResult, arms: Sequence[ArmLabel], context: str) -> SentenceResult:
    """`read_sentence(doc, result.sentence, arms, context)` for a `result` that `read_sentence` gave for the
    sentence: only its figures (and so its verdict) depend on the arms and the context, its labels, statistics
    and verdict words are kept."""
    start, end = result.start, result.end
    present = _SENTENCE_PATTERNS.hits(doc).within(start, end)
    if not present:
        return result
    text = doc.folded[start:end]
    figures = _figures(doc, start, text, result.labels, arms, context, present)
    verdict, worse, decided = _verdict(figures, result.statistics, result.markers)
    return replace(result, figures=tuple(figures), verdict=verdict, worse=worse, decided_by=decided)


def combine(first: SentenceResult, second: SentenceResult) -> SentenceResult:
    """Two consecutive sentences read as one result: the treatment arm's figure in one, the control arm's in the
    next (去神经组下降14.1 mmHg。（假手术组同期下降11.7 mmHg，组间差异未达到预设标准。））."""
    lower = any(f.lower_better for f in first.figures)
    figures = (
        *first.figures,
        *(
            replace(f, benefit=-f.benefit, lower_better=True) if lower and not f.lower_better else f
            for f in second.figures
        ),
    )
    statistics = (*first.statistics, *second.statistics)
    markers = (*first.markers, *second.markers)
    verdict, worse, decided = _verdict(figures, statistics, markers)
    return SentenceResult(
        second.sentence,
        first.start,
        second.end,
        (*first.labels, *second.labels),
        figures,
        statistics,
        markers,
        verdict,
        worse,
        decided,
        first.first_sentence,
    )


def _proportion(language: LanguagePack, match: regex.Match[str]) -> tuple[float, str] | None:
    """The value of a figure and its unit: a proportion ("share"), a change from one value to another
    ("change"), an event count, a rate, or an amount with its unit."""
    groups = match.groupdict()
    if groups.get("to") is not None and groups.get("from") is not None:
        return float(groups["to"]) - float(groups["from"]), "change"
    if groups.get("count"):
        return float(groups["count"]), "count"
    if groups.get("amount"):
        return float(groups["amount"]), groups["unit"]
    for name in ("rate", "rate2"):
        if groups.get(name):
            return float(groups[name]), "rate"
    for name in ("pct2", "pct3", "pct"):
        if groups.get(name):
            return float(groups[name]) / 100, "share"
    if groups.get("den"):
        den = parse_number(language, groups["den"])
        return (parse_number(language, groups["num"]) / den, "share") if den else None
    if groups.get("fnum"):
        den = float(groups["fden"])
        return (float(groups["fnum"]) / den, "share") if den else None
    return None


def _lower_better(language: LanguagePack, text: str, at: int, context: str) -> bool:
    """Whether lower is better for the figure at `at`: the nearest outcome word before it decides (射血分数 higher,
    截肢率 lower); with none in the sentence, the `context` that named the endpoint."""
    for source, end in ((text, at), (context, len(context))):
        lower = [m.end() for m in language.pattern("results.lower_is_better").finditer(source, 0, end)]
        higher = [m.end() for m in language.pattern("results.higher_is_better").finditer(source, 0, end)]
        if lower or higher:
            return max(lower, default=-1) > max(higher, default=-1)
    return False


def _benefit(
    language: LanguagePack,
    text: str,
    at: int,
    value: float,
    context: str = "",
    unit: str = "",
    lower: bool | None = None,
) -> float:
    """`value` oriented so that higher is better: lower is better for events and pain (said before the figure,
    or in the `context` that named the endpoint: `lower`, where the caller has it), a decrease counts as negative,
    a worsening against."""
    before = text[max(0, at - 8) : at]
    if unit != "change" and any(word in before for word in language.words("results.worsening")):
        return -value
    decrease = unit != "change" and any(word in before for word in language.words("results.decrease"))
    quantity = -value if decrease else value
    if lower is None:
        lower = _lower_better(language, text, at, context)
    return -quantity if lower else quantity


def _figures(
    doc: Document,
    offset: int,
    text: str,
    labels: Sequence[ArmLabel],
    arms: Sequence[ArmLabel],
    context: str,
    present: AbstractSet[str],
) -> list[Figure]:
    language = doc.language
    value_pattern = language.pattern("results.value")
    relative = language.pattern("results.relative_lead")
    derived = language.pattern("results.ratio_word"), language.pattern("results.ci")
    figures: list[Figure] = []
    for position, label in enumerate(labels):
        lo = label.end - offset
        hi = labels[position + 1].start - offset if position + 1 < len(labels) else min(len(text), lo + 40)
        value = value_pattern.search(text, lo, hi)
        if value is None:
            continue
        between = text[lo : value.start()]
        since_previous = text[labels[position - 1].end - offset : value.start()] if position else between
        if relative.search(since_previous) or any(p.search(between) for p in derived):
            continue
        if language.pattern("results.limit_lead").search(text[max(0, value.start() - 10) : value.start()]):
            continue
        read = _proportion(language, value)
        if read is not None:
            amount, unit = read
            lower = _lower_better(language, text, value.start(), context)
            benefit = _benefit(language, text, value.start(), amount, context, unit, lower)
            figures.append(
                Figure(label.role, amount, unit, benefit, label.start, offset + value.end(), label.name, lower)
            )
    if not labels:
        figures.extend(_unlabelled(language, offset, text, arms, context, present))
    elif labels[0].role == "control" and all(label.role == "control" for label in labels):
        figures.extend(_before_control(language, offset, text, labels[0], figures, context))
    return figures


def _before_control(
    language: LanguagePack, offset: int, text: str, control: ArmLabel, figures: list[Figure], context: str
) -> list[Figure]:
    """ "66.6%的患者…，而安慰剂组为60.1%": a figure before the only (control) label is the treatment arm's."""
    if not any(f.role == "control" for f in figures):
        return []
    value = language.pattern("results.value").search(text, 0, control.start - offset)
    if value is None:
        return []
    read = _proportion(language, value)
    control_unit = next(f.unit for f in figures if f.role == "control")
    if read is None or read[1] != control_unit:
        return []
    amount, unit = read
    benefit = _benefit(language, text, value.start(), amount, context, unit)
    return [Figure("treatment", amount, unit, benefit, offset + value.start(), offset + value.end())]


def _unlabelled(
    language: LanguagePack,
    offset: int,
    text: str,
    arms: Sequence[ArmLabel],
    context: str,
    present: AbstractSet[str],
) -> list[Figure]:
    """Figures without labels: "10.8% vs 10.4%" (treatment first), or "分别为 a、b 和 c" in the order the arms
    were defined (`present`: the sentence patterns that may match in `text`)."""
    versus = _VERSUS in present and language.pattern(_VERSUS).search(text, gated=False)
    if versus:
        found = []
        for role, group in (("treatment", "a"), ("control", "b")):
            raw = versus.group(group)
            value = float(raw.rstrip("% ")) / 100 if "%" in raw else _fraction(raw)
            benefit = _benefit(language, text, versus.start(group), value, context)
            found.append(
                Figure(role, value, "share", benefit, offset + versus.start(group), offset + versus.end(group))
            )  # type: ignore[arg-type]
        return found
    respectively = _RESPECTIVELY in present and language.pattern(_RESPECTIVELY).search(text, gated=False)
    if not respectively or len(arms) < 2:
        return []
    values = []
    for match in language.pattern("results.value").finditer(text, respectively.end()):
        read = _proportion(language, match)
        if read is not None:
            values.append((match, read))
    if len(values) != len(arms):
        return []
    found = []
    for arm, (match, (amount, unit)) in zip(arms, values, strict=True):
        benefit = _benefit(language, text, match.start(), amount, context, unit)
        found.append(Figure(arm.role, amount, unit, benefit, offset + match.start(), offset + match.end(), arm.name))
    return found


def _fraction(raw: str) -> float:
    num, _, den = raw.partition("/")
    return float(num) / float(den) if float(den) else 0.0


def _statistics(language: LanguagePack, offset: int, text: str, present: AbstractSet[str]) -> list[Statistic]:
    """The P values, intervals and estimates of a sentence `text` (`present`: the sentence patterns that may match
    in it)."""
    found: list[Statistic] = []
    if _P_VALUE not in present and _P_NULL not in present and _CI not in present and _ESTIMATE not in present:
        return found
    for match in language.pattern(_P_VALUE).finditer(text, gated=False) if _P_VALUE in present else ():
        value, op = float(match.group("v")), match.group("op")
        significant = value < 0.05 or (op in ("<", "≤") and value <= 0.05)
        if op in (">", "≥"):
            significant = False
        found.append(
            Statistic("p", "significant" if significant else "null", offset + match.start(), offset + match.end())
        )
    for match in language.pattern(_P_NULL).finditer(text, gated=False) if _P_NULL in present else ():
        found.append(Statistic("p", "null", offset + match.start(), offset + match.end()))
    ratio_word = language.pattern("results.ratio_word")
    for match in language.pattern(_CI).finditer(text, gated=False) if _CI in present else ():
        lo, hi = float(match.group("lo")), float(match.group("hi"))
        if lo > hi:
            lo, hi = hi, lo
        before = text[max(0, match.start() - 24) : match.start()]
        estimate = _NUMBER_BEFORE.search(before)
        is_ratio = bool(ratio_word.search(before)) or (lo > 0 and estimate is not None and "-" not in match.group())
        null_value = 1.0 if is_ratio else 0.0
        start = offset + match.start() - (len(before) - estimate.start() if estimate else 0)
        if lo <= null_value <= hi:
            significance: Significance = "null"
        elif is_ratio and lo > 1 and language.pattern("results.lower_is_better").search(text, 0, match.start()):
            significance = "harm"
        else:
            significance = "significant"
        found.append(Statistic("interval", significance, start, offset + match.end()))
    if not found and _ESTIMATE in present:
        for match in language.pattern(_ESTIMATE).finditer(text, gated=False):
            values = [float(v) for v in (match.group("est"), match.group("est2"), match.group("est3")) if v]
            lower = _lower_better(language, text, match.start(), "")
            worse = all(v >= 1 for v in values) if lower else all(v <= 1 for v in values)
            found.append(
                Statistic("estimate", "worse" if worse else "better", offset + match.start(), offset + match.end())
            )
    return sorted(found, key=lambda s: s.start)


_MARKERS = {
    "null": "results.null_markers",
    "positive": "results.positive_markers",
    "trend": "results.trend_markers",
    "futility": "results.futility_markers",
    "harm": "results.harm_markers",
    "early_stop": "results.early_stop",
}
_FIGURE_HINT, _VERSUS, _RESPECTIVELY = "results.figure_hint", "results.versus", "trials.respectively"
_P_VALUE, _P_NULL, _CI, _ESTIMATE = "results.p_value", "results.p_null_words", "results.ci", "results.estimate"
_BASELINE, _WITHIN = "results.baseline", "spin.within_group"
# the patterns every sentence is read with: their anchors are found once per document
_SENTENCE_PATTERNS = EntryGroup(
    "results",
    (*_MARKERS.values(), _FIGURE_HINT, _VERSUS, _RESPECTIVELY, _P_VALUE, _P_NULL, _CI, _ESTIMATE, _BASELINE, _WITHIN),
)


def _markers(language: LanguagePack, offset: int, text: str, present: AbstractSet[str]) -> list[Marker]:
    """The verdict words of a sentence `text` (`present`: the sentence patterns that may match in it)."""
    found = [
        Marker(kind, offset + match.start(), offset + match.end())
        for kind, name in _MARKERS.items()
        if name in present
        for match in language.pattern(name).finditer(text, gated=False)
    ]
    if (
        found
        and _BASELINE in present
        and language.pattern(_BASELINE).search(text)
        and not (_WITHIN in present and language.pattern(_WITHIN).search(text))
    ):
        found = [m for m in found if m.kind != "null"]
    nulls = [m for m in found if m.kind == "null"]
    # a significance word inside a null phrase (未达到统计学显著性) belongs to the null phrase
    kept = [m for m in found if m.kind != "positive" or not any(n.start <= m.start < n.end for n in nulls)]
    return sorted(kept, key=lambda m: (m.start, m.kind))


def _verdict(
    figures: Sequence[Figure], statistics: Sequence[Statistic], markers: Sequence[Marker]
) -> tuple[Verdict, bool, tuple[tuple[int, int], ...]]:
    if not (figures or statistics or markers):
        return "unknown", False, ()
    treatment = [f for f in figures if f.role == "treatment"]
    control = next((f for f in figures if f.role == "control"), None)
    compared = [f for f in treatment if control is not None and f.unit == control.unit]
    worse = bool(compared) and control is not None and all(f.benefit <= control.benefit for f in compared)
    arms = tuple((f.start, f.end) for f in ([*compared, control] if compared and control else []))

    firsts: dict[str, tuple[tuple[int, int], ...]] = {}
    for marker in markers:
        firsts.setdefault(marker.kind, ((marker.start, marker.end),))

    def first(kind: str) -> tuple[tuple[int, int], ...]:
        """The span of the first marker of `kind`, if any."""
        return firsts.get(kind, ())

    if first("futility"):
        return "futility", worse, first("futility") + arms
    estimates = [s for s in statistics if s.kind == "estimate"]
    statistics = [s for s in statistics if s.kind != "estimate"]
    pvalues = [s for s in statistics if s.kind == "p"]
    decisive = pvalues or [s for s in statistics if s.kind == "interval"]
    if first("harm") or any(s.significance == "harm" for s in decisive):
        spans = first("harm") or tuple((s.start, s.end) for s in decisive if s.significance == "harm")[:1]
        return "harmful", worse, spans + arms
    if decisive:
        spans = tuple((s.start, s.end) for s in decisive)[:1]
        if any(s.significance == "significant" for s in decisive) and not first("null"):
            return ("harmful" if worse else "positive"), worse, arms + spans
        if worse:
            return "negative", worse, arms + spans
        return ("trend" if first("trend") else "null"), worse, arms + spans + first("trend")
    if first("null"):
        if worse:
            return "negative", worse, arms + first("null")
        return ("trend" if first("trend") else "null"), worse, arms + first("null") + first("trend")
    if first("trend"):
        return "trend", worse, arms + first("trend")
    if first("positive"):
        return ("negative" if worse else "positive"), worse, arms + first("positive")
    if worse or any(s.significance == "worse" for s in estimates):
        return "negative", True, arms or tuple((s.start, s.end) for s in estimates)[:1]
    if estimates or (compared and control is not None and _small(compared, control)):
        return "untested", worse, arms or tuple((s.start, s.end) for s in estimates)[:1]
    if compared:
        return "unknown", worse, arms
    return "unknown", worse, ()


SMALL_DIFFERENCE = 0.25
"""A difference between arms smaller than this share of the larger figure, reported with no test, is no evidence
of an effect (35% vs 30%, 66.6% vs 60.1%); a larger one with no test is left undecided."""


def _small(treatment: Sequence[Figure], control: Figure) -> bool:
    return all(
        abs(f.benefit - control.benefit) < SMALL_DIFFERENCE * max(abs(f.benefit), abs(control.benefit), 1e-9)
        for f in treatment
    )
