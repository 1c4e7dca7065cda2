"""Trial reports over the whole document, in any layout.

A report opens at a sentence that introduces a trial — a named trial (REGENT研究, CHART-1试验, Prochymal III期
试验), a registry id, "一项纳入N例的…试验", a design sentence, a results announcement, or the start of a study
block of the evidence model (临床案例二：…) — and runs to the next report: a sentence that names another trial,
or introduces one after this report has reported its results. Design sentences and sentences that refer back
(该研究, 这项试验) stay in the report, wherever the paragraphs break.

For each report: its name, its design facts with negation (没有安慰剂对照组 states the absence of a placebo
arm), its arms in the order they are defined, and one outcome row per sentence that reports a result, with the
endpoint's role (primary, secondary, exploratory, subgroup, safety, other) and the row's verdict
(`lint.analysis.results`). The report's verdict is its primary endpoint's; a report whose primary endpoint is
null, negative, a trend, untested, harmful or stopped for futility, or whose design cannot show efficacy
(a primary aim of safety), is *unfavourable*. (A report without a control arm is the weak-evidence rules'
business.)

IO-free, computed once per document, and only for documents that hold a trial word (a cheap gate).
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import field
from typing import Literal

from lint.analysis.evidence import STUDY_SENTENCE, evidence
from lint.analysis.hits import AlternativeGroup, EntryGroup
from lint.analysis.results import ArmLabel, SentenceResult, Verdict, combine, read_sentence, reread
from lint.core.document import Document
from lint.core.language import Slot
from lint.core.records import record

EndpointRole = Literal["primary", "secondary", "exploratory", "subgroup", "safety", "within", "other"]
ReportVerdict = Verdict | Literal["uncontrolled"]

_ROLE_ENTRIES: tuple[tuple[EndpointRole, str], ...] = (
    ("subgroup", "trials.role_subgroup"),
    ("exploratory", "trials.role_exploratory"),
    ("secondary", "trials.role_secondary"),
    ("safety", "trials.role_safety"),
    ("primary", "trials.role_primary"),
)
_DESIGN_FACTS = ("randomized", "double_blind", "placebo", "controlled", "single_arm", "phase_i", "pilot", "case_series")
_INTRODUCING = ("trials.registry_id", "trials.counted_trial", "trials.release")
_RESPECTIVELY = "trials.respectively"
# the patterns that introduce a trial: a sentence is searched for one only when one of its alternatives has an
# anchor of each of its sets there (a study sentence has 16 alternatives, each a search of its own)
_ANCHORS = AlternativeGroup("trials anchors", (*_INTRODUCING, STUDY_SENTENCE.entry))
# the patterns every sentence is read with: their anchors are found once per document
_SENTENCE_PATTERNS = EntryGroup(
    "trials", (*_INTRODUCING, STUDY_SENTENCE.entry, *(entry for _, entry in _ROLE_ENTRIES), _RESPECTIVELY)
)
# the design facts a report states (`_facts`), by kind and entry
_FACT_ENTRIES: tuple[tuple[str, str], ...] = (
    *((kind, f"facts.{kind}") for kind in _DESIGN_FACTS),
    ("uncontrolled", "trials.uncontrolled"),
    ("safety_primary", "trials.safety_primary"),
)
_NO_CONTROL = frozenset({"uncontrolled", "single_arm", "case_series"})
_UNFAVOURABLE: frozenset[str] = frozenset({"null", "trend", "futility", "harmful", "negative", "untested"})


@record(frozen=True, slots=True)
class Outcome:
    """One sentence of a report that reports a result, and the role of the endpoint it reports."""

    role: EndpointRole
    result: SentenceResult


@record(frozen=True)
class TrialReport:
    """One trial as the document reports it."""

    start: int
    end: int
    anchor: tuple[int, int]
    name: str
    arms: tuple[ArmLabel, ...]
    outcomes: tuple[Outcome, ...]
    facts: frozenset[str]
    fact_spans: tuple[tuple[str, int, int], ...]
    futility: tuple[int, int] | None = None
    therapy: tuple[str, ...] = field(default=())
    stopped: tuple[int, int] | None = None

    @functools.cached_property
    def primary(self) -> tuple[Outcome, ...]:
        """The outcome rows of the primary endpoint (the first reported result when no endpoint is named)."""
        return tuple(o for o in self.outcomes if o.role == "primary" and o.result.verdict != "unknown")

    @functools.cached_property
    def row_sentences(self) -> frozenset[int]:
        """The sentences that report a result of this trial."""
        return frozenset(i for o in self.outcomes for i in range(o.result.first_sentence, o.result.sentence + 1))

    @property
    def controlled(self) -> bool:
        """A control arm, or a randomised comparison of two arms (an active comparator)."""
        if {"controlled", "placebo"} & self.facts or any(a.role == "control" for a in self.arms):
            return True
        return "randomized" in self.facts and len(self.arms) >= 2

    @property
    def uncontrolled(self) -> bool:
        return bool(_NO_CONTROL & self.facts) or not self.controlled

    @property
    def early_phase(self) -> bool:
        """A trial whose primary aim is safety or tolerability, as the report says: its efficacy data are
        exploratory. (A phase I or pilot label alone is the weak-evidence rules' business.)"""
        return "safety_primary" in self.facts

    @functools.cached_property
    def verdict(self) -> ReportVerdict:
        """The verdict of the primary endpoint (futility when the trial was stopped for it)."""
        if self.futility is not None:
            return "futility"
        verdicts = [o.result.verdict for o in self.primary]
        if not verdicts:
            return "uncontrolled" if self.uncontrolled and self.outcomes else "unknown"
        for verdict in ("harmful", "negative", "null", "trend", "untested"):
            if verdict in verdicts:
                return verdict  # type: ignore[return-value]
        return verdicts[0]

    @property
    def unfavourable(self) -> bool:
        """The primary endpoint failed, or the design cannot show efficacy (a primary aim of safety)."""
        return self.verdict in _UNFAVOURABLE or self.early_phase

    @property
    def positive(self) -> bool:
        return self.verdict == "positive" and not self.early_phase

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


@record(frozen=True)
class Reports:
    """The trial reports of one document, with lookups by offset and by name."""

    reports: tuple[TrialReport, ...]

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [r.start for r in self.reports]

    @functools.cached_property
    def _by_name(self) -> dict[str, tuple[TrialReport, ...]]:
        names: dict[str, list[TrialReport]] = {}
        for report in self.reports:
            if report.name:
                names.setdefault(report.name, []).append(report)
        return {name: tuple(found) for name, found in names.items()}

    def at(self, offset: int) -> TrialReport | None:
        """The report whose span holds `offset`, if any."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return self.reports[index] if index >= 0 and self.reports[index].contains(offset) else None

    def named_in(self, doc: Document, text: str) -> tuple[TrialReport, ...]:
        """The reports whose trial `text` names."""
        if not self._by_name:
            return ()
        found: list[TrialReport] = []
        for name in _names(doc, text):
            found.extend(self._by_name.get(name, ()))
        return tuple(dict.fromkeys(found))


_REPORTS: Slot[Reports] = Slot("trial reports")
_SENTENCES: Slot[tuple[SentenceResult | None, ...]] = Slot("sentence results")


def trial_reports(doc: Document) -> tuple[TrialReport, ...]:
    """The trial reports of `doc`, in order (kept on the document; none when it holds no trial word)."""
    return reports_of(doc).reports


def reports_of(doc: Document) -> Reports:
    """The trial reports of `doc` with their lookups."""
    return _REPORTS.get(doc, lambda: Reports(tuple(_build(doc)) if _gate(doc) else ()))


def sentence_result(doc: Document, index: int) -> SentenceResult | None:
    """What sentence number `index` reports, read on its own (None in the reference list), read once."""
    results = _SENTENCES.get(doc, lambda: tuple(_read_all(doc)))
    return results[index]


def _read_all(doc: Document) -> list[SentenceResult | None]:
    return [
        None if doc.blocks[sentence.block].kind == "reference" else read_sentence(doc, index)
        for index, sentence in enumerate(doc.sentences)
    ]


def _gate(doc: Document) -> bool:
    words = doc.language.words("trials.trial_words")
    return any(word in doc.folded for word in words)


_NAMES: Slot[dict[str, tuple[str, ...]]] = Slot("trials.names by text")
_NOT_NAMES: Slot[frozenset[str]] = Slot("trials.not_trial_names set")


def _names(doc: Document, text: str) -> tuple[str, ...]:
    """The trial names `text` holds (acronyms and product names before a trial noun, or heading a list item), read
    once per text of the document (the reports read each sentence, and spin reads it again)."""
    known = _NAMES.get(doc, dict)
    found = known.get(text)
    if found is None:
        language = doc.language
        stop = _NOT_NAMES.get(language, lambda: frozenset(language.words("trials.not_trial_names")))
        found = known[text] = tuple(
            name
            for match in language.pattern("trials.named_trial").finditer(text)
            if (name := match.group("name")) not in stop and len(name) >= 3 and not name.isdigit()
        )
    return found


def _anchor_name(doc: Document, text: str, start: int) -> tuple[bool, str]:
    """Whether a sentence (`text`, at offset `start`) introduces a trial, and the trial's name if it names one; a
    trial still to come (即将开展的III期研究) is introduced by none."""
    names = _names(doc, text)
    if names:
        return True, names[0]
    language = doc.language
    end = start + len(text)
    present = _SENTENCE_PATTERNS.hits(doc).within(start, end)
    possible = [entry for entry in _ANCHORS.names if entry in present]
    if possible:
        admitted = _ANCHORS.admitted(doc, start, end, possible)
        possible = [entry for entry in possible if entry in admitted]
    if not (
        any(language.pattern(entry).search(text, gated=False) for entry in possible if entry != STUDY_SENTENCE.entry)
        or (STUDY_SENTENCE.entry in possible and STUDY_SENTENCE.found(doc, start, end))
    ):
        return False, ""
    return language.pattern("trials.planned").search(text) is None, ""


def _build(doc: Document) -> list[TrialReport]:
    headed = {block.start for block in evidence(doc).blocks if block.headed}
    numbered = doc.language.pattern("document.numbered")
    spans: list[list[int | str]] = []  # [start, end, name, anchor start, anchor end]
    reported = closed = False
    for index, sentence in enumerate(doc.sentences):
        result = sentence_result(doc, index)
        if result is None:
            continue
        text = doc.folded[sentence.start : sentence.end]
        anchor, name = _anchor_name(doc, text, sentence.start)
        anchor = anchor or sentence.start in headed
        block = doc.blocks[sentence.block]
        if not anchor and spans and block.kind == "heading" and not closed and numbered.match(text):
            spans[-1][1], closed = sentence.start, True  # a numbered section on another topic ends the report
            continue
        if not anchor:
            reported = reported or (bool(spans) and result.reports)
            continue
        current = spans[-1] if spans and not closed else None
        closed = False
        heads_block = sentence.start in headed and current is not None and int(current[0]) < sentence.start
        same = (
            not heads_block
            and current is not None
            and (
                (name and name == current[2])
                or (not name and not reported)
                or (name and not current[2] and not reported)
            )
        )
        if same and current is not None:
            if name and not current[2]:
                current[2] = name
            continue
        if current is not None:
            current[1] = sentence.start
        elif spans and int(spans[-1][1]) > sentence.start:
            spans[-1][1] = sentence.start
        spans.append([sentence.start, len(doc.text), name, sentence.start, sentence.end])
        reported = result.reports
    return [_report(doc, int(s[0]), int(s[1]), str(s[2]), (int(s[3]), int(s[4]))) for s in spans]


def _report(doc: Document, start: int, end: int, name: str, anchor: tuple[int, int]) -> TrialReport:
    language = doc.language
    arms: list[ArmLabel] = []
    outcomes: list[Outcome] = []
    primary_defined = False
    primary_text = previous = ""
    after_opener = False  # whether a sentence read so far opens with a non-primary opener (但是, 此外 …)
    unread: list[str] = []  # the sentences not yet read for one: read only when a row needs to know
    futility: tuple[int, int] | None = None
    stopped: tuple[int, int] | None = None
    first = doc.sentence_index(start)
    hits = _SENTENCE_PATTERNS.hits(doc)
    respectively, opener = language.pattern(_RESPECTIVELY), language.pattern("trials.non_primary_opener")
    for index in range(first, len(doc.sentences)):
        sentence = doc.sentences[index]
        if sentence.start >= end:
            break
        text = doc.folded[sentence.start : sentence.end]
        result = sentence_result(doc, index)
        if result is None:
            continue
        if result.figures or (
            hits.possible(_RESPECTIVELY, sentence.start, sentence.end) and respectively.search(text, gated=False)
        ):
            result = reread(doc, result, arms, primary_text or previous)
        previous = text
        for label in result.labels:
            if all(label.name != arm.name for arm in arms):
                arms.append(label)
        if futility is None:
            marker = next((m for m in result.markers if m.kind == "futility"), None)
            futility = (marker.start, marker.end) if marker else None
        if stopped is None:
            marker = next((m for m in result.markers if m.kind == "early_stop"), None)
            stopped = (marker.start, marker.end) if marker else None
        if not after_opener:
            unread.append(text)
        role = _role(doc, text, result, sentence.start)
        if result.reports and _within_only(doc, text, result):
            role = "within"
        if not result.reports:
            if role == "primary":
                primary_defined, primary_text = True, text
            continue
        if role is None:
            if not after_opener:
                after_opener = any(opener.match(before) for before in unread)
                unread.clear()
            role = "other" if after_opener else "unassigned"  # type: ignore[assignment]
        if outcomes and _halves(outcomes[-1].result, result):
            outcomes[-1] = Outcome(outcomes[-1].role, combine(outcomes[-1].result, result))
            continue
        outcomes.append(Outcome(role, result))  # type: ignore[arg-type]
    outcomes = _assign_primary(doc, outcomes, primary_defined)
    facts, fact_spans = _facts(doc, start, end)
    stems = [_stem(doc, a.name) for a in arms if a.role == "treatment"]
    randomized_to = language.pattern("trials.randomized_to").search(doc.folded[start:end])
    if randomized_to:
        stems.append(randomized_to.group("treatment").strip())
    therapy = tuple(dict.fromkeys([*stems, *(s[:2] for s in stems if len(s) >= 4), *([name] if name else [])]))
    return TrialReport(
        start,
        end,
        anchor,
        name,
        tuple(arms),
        tuple(outcomes),
        facts,
        fact_spans,
        futility,
        tuple(t for t in therapy if t),
        stopped,
    )


def _assign_primary(doc: Document, outcomes: list[Outcome], defined: bool) -> list[Outcome]:
    """Give the rows no role word named their roles: when no row names the primary endpoint, the first row that
    reports a clinical outcome (else the first row) is the primary one — right after a sentence that defined the
    primary endpoint, the first row; every other unnamed row is "other"."""
    if any(o.role == "primary" for o in outcomes):
        chosen = -1
    else:
        unassigned = [i for i, o in enumerate(outcomes) if o.role == "unassigned"]
        clinical = doc.language.pattern("trials.clinical_outcomes")
        with_outcome = [
            i for i in unassigned if clinical.search(doc.folded[outcomes[i].result.start : outcomes[i].result.end])
        ]
        chosen = unassigned[0] if unassigned and defined else (with_outcome or unassigned or [-1])[0]
    return [
        Outcome("primary" if i == chosen else "other", o.result) if o.role == "unassigned" else o
        for i, o in enumerate(outcomes)
    ]


def _halves(first: SentenceResult, second: SentenceResult) -> bool:
    """One arm's figure in a sentence, the other arm's (in the same unit) in the next."""
    if not 0 < second.sentence - first.sentence <= 2 or first.verdict not in ("unknown",):
        return False
    roles = {f.role for f in first.figures}, {f.role for f in second.figures}
    units = {f.unit for f in first.figures} | {f.unit for f in second.figures}
    return len(roles[0]) == 1 and len(roles[1]) == 1 and roles[0] != roles[1] and len(units) == 1


def _within_only(doc: Document, text: str, result: SentenceResult) -> bool:
    """A change from baseline with no comparison of arms (患者的LVEF从基线提高了9.6个百分点): no verdict on the
    treatment."""
    language = doc.language
    compared = {f.role for f in result.figures} == {"treatment", "control"}
    between = any(label.role == "control" for label in result.labels) or language.pattern(
        "trials.between_group"
    ).search(text)
    return not compared and not between and language.pattern("spin.within_group").search(text) is not None


def _stem(doc: Document, name: str) -> str:
    """The therapy an arm label names: 服用葡萄糖胺的一组 → 葡萄糖胺, 骨髓细胞组 → 骨髓细胞."""
    language = doc.language
    for suffix in (
        *language.words("trials.arm_descriptors"),
        *language.words("trials.arm_suffixes"),
        " group",
        " arm",
        " cohort",
    ):
        name = name.removesuffix(suffix)
    for particle in language.words("claims.attributive"):
        name = name.removesuffix(particle)
    for verb in language.words("trials.arm_verbs"):
        if name.startswith(verb) and len(name) > len(verb) + 1:
            name = name[len(verb) :]
    return name.strip()


def _role(doc: Document, text: str, result: SentenceResult, start: int) -> EndpointRole | None:
    """The role of the endpoint a sentence (`text`, at offset `start`) reports: the role word nearest before its
    first verdict (or anywhere in it, when it reports none)."""
    language = doc.language
    decisive = [m.start - result.start for m in result.markers if m.kind != "early_stop"]
    decisive += [s.start - result.start for s in result.statistics]
    decisive += [f.start - result.start for f in result.figures]
    limit = min(decisive) if decisive else len(text)
    end = max(limit, 1) if decisive else len(text)
    present = _SENTENCE_PATTERNS.hits(doc).within(start, start + min(end, len(text)))
    best: tuple[int, EndpointRole] | None = None
    for role, entry in _ROLE_ENTRIES:
        if entry not in present:
            continue
        for match in language.pattern(entry).finditer(text, 0, end, gated=False):
            if best is None or match.start() > best[0]:
                best = (match.start(), role)
    return best[1] if best else None


def _facts(doc: Document, start: int, end: int) -> tuple[frozenset[str], tuple[tuple[str, int, int], ...]]:
    """The design facts stated (not negated) in the report, and where."""
    language = doc.language
    text = doc.folded[start:end]
    negator = language.pattern("trials.design_negator")
    clause_break = language.pattern("spin.clause_break")
    present: set[str] = set()
    spans: list[tuple[str, int, int]] = []
    for kind, entry in _FACT_ENTRIES:
        for match in language.pattern(entry).finditer(text):
            if kind != "uncontrolled":  # a negation before the design word makes the fact absent
                before = text[max(0, match.start() - 12) : match.start()]
                breaks = list(clause_break.finditer(before))
                if negator.search(before[breaks[-1].end() :] if breaks else before):
                    continue
            present.add(kind)
            spans.append((kind, start + match.start(), start + match.end()))
    return frozenset(present), tuple(sorted(spans, key=lambda s: s[1]))
