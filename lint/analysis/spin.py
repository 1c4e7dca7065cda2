"""Spin: claims that present a trial's null, negative or unproven result as a success, each linked to the result
it contradicts.

Claims are found clause by clause everywhere in the document — the title, the lead, a report's conclusion, a
summary, an executive's quote — with the claim model (`lint.analysis.claims`) and the `spin` section of the
language pack (trial success, effect sizes, superiority, proof, mechanism read as an outcome). A claim clause is
dropped when it is negated, hedged, questioned, qualified as exploratory (in its sentence or the next), kept at a
distance (quoted by a critic), said of another treatment, or is itself a plain report of a figure.

Each remaining claim is linked to the trial reports (`lint.analysis.trials`) it is about: the report it stands in
(once that report has given its results), a report it names, or — from a title, or for a summary over all
studies — every report of the document. It is spin when its own sentence turns from a null result to a benefit
(虽然…无统计学差异，但…说明…), when a linked report is unfavourable, or when it claims an outcome the linked report
found no difference in. Each spin claim gets exactly one kind, the first that fits in the order of `KINDS`, and
evidence — the related spans of its finding: the contradicting result, with its verdict and figures as written.

Checks carried over from the study-block model — a block that measured only laboratory data concluding a clinical
benefit, no difference in harms read as safety, an adverse effect read as a sign of efficacy — run here too, so
that one claim is flagged once.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

from lint.analysis.claims import claims_in
from lint.analysis.evidence import STUDY_SENTENCE, evidence
from lint.analysis.hits import EntryGroup
from lint.analysis.results import Marker, SentenceResult, Statistic
from lint.analysis.trials import Reports, TrialReport, reports_of, sentence_result
from lint.core.document import Document, Sentence
from lint.core.finding import Related
from lint.core.language import Slot
from lint.core.prefilter import GatedPattern
from lint.core.records import record

KINDS: tuple[str, ...] = (
    "all-studies-positive",
    "futility-as-success",
    "headline-contradicts-body",
    "parity-as-superiority",
    "trend-as-proof",
    "nonsignificant-as-effect",
    "within-group",
    "uncontrolled-superiority",
    "early-phase-as-efficacy",
    "secondary-promoted",
    "surrogate-as-clinical",
    "arm-comparison",
    "ns-harm-as-safety",
    "harm-as-benefit",
)

_SHAPES = (
    "safety_claim",
    "capability",
    "trial_success",
    "effect_size",
    "mechanism_claim",
    "evidence_claim",
    "benefit_claim",
    "superiority",
    "universal",
    "within_group",
)
_STRONG = frozenset({"trial_success", "superiority", "universal", "evidence_claim"})
_NON_PRIMARY = ("subgroup", "secondary", "exploratory")
_DESIGN_EVIDENCE = ("uncontrolled", "single_arm", "case_series", "phase_i", "safety_primary", "pilot")
_EDGES = ' \t“”"「」『』‘’()（）【】！!。？?.…'
_ROWS_SEARCHED = 64  # rows of a report a comparison is looked up in, nearest first
_SURROGATE_REACH = 3  # sentences before a claim in which a measured surrogate is looked for


@record(frozen=True, slots=True)
class SpinClaim:
    """A claim that spins a result: its kind, its span and the evidence it contradicts."""

    kind: str
    start: int
    end: int
    evidence: tuple[Related, ...]


@record(frozen=True, slots=True)
class _Clause:
    start: int
    end: int
    shapes: frozenset[str]
    lead: bool
    general: bool


_SPIN: Slot[tuple[SpinClaim, ...]] = Slot("spin claims")


def spin_claims(doc: Document) -> tuple[SpinClaim, ...]:
    """Every spin claim of `doc`, one per sentence at most, in order (kept on the document)."""
    return _SPIN.get(doc, lambda: _find(doc))


def _find(doc: Document) -> tuple[SpinClaim, ...]:
    """The candidates, the first of overlapping ones kept (they come best first)."""
    starts: list[int] = []
    kept: list[SpinClaim] = []
    for claim in _candidates(doc, reports_of(doc)):
        at = bisect.bisect_left(starts, claim.start)
        if (at > 0 and kept[at - 1].end > claim.start) or (at < len(kept) and kept[at].start < claim.end):
            continue
        starts.insert(at, claim.start)
        kept.insert(at, claim)
    return tuple(kept)


def _candidates(doc: Document, reports: Reports) -> Iterator[SpinClaim]:
    title = _title_sentences(doc)
    headline: list[SpinClaim] = []
    for index, sentence in enumerate(doc.sentences):
        if doc.blocks[sentence.block].kind == "reference":
            continue
        found = _sentence_claims(doc, index, sentence, reports, index in title)
        if index in title:
            headline.extend(found)
        else:
            yield from found
    if headline:  # a title is one claim, however many sentences it has
        yield SpinClaim(headline[0].kind, headline[0].start, headline[-1].end, headline[0].evidence)
    yield from _unmeasured_outcomes(doc)
    for match in doc.language.pattern("spin.ns_harm_safety").finditer(doc.folded):
        yield SpinClaim("ns-harm-as-safety", *match.span("span"), ())
    yield from _harm_as_benefit(doc)


# ---------------------------------------------------------------------------------------------------- clauses


def _title_sentences(doc: Document) -> frozenset[int]:
    """The sentences of the document's title: its first block, when that is a heading or a short first line that
    does not end as a sentence of body text."""
    if not doc.blocks:
        return frozenset()
    first = doc.blocks[0]
    if first.kind not in ("heading", "paragraph"):
        return frozenset()
    if first.kind == "paragraph" and (first.end - first.start > 90 or doc.folded[first.end - 1] in "。."):
        return frozenset()
    return frozenset(i for i, s in enumerate(doc.sentences) if s.block == 0)


_CLAUSES: Slot[dict[int, tuple[tuple[int, int], ...]]] = Slot("spin.sentence clauses")


def _clauses(doc: Document, sentence: Sentence) -> tuple[tuple[int, int], ...]:
    """The clauses of a sentence (a dash sets a claim off from the figures before it), cut once per sentence."""
    known = _CLAUSES.get(doc, dict)
    found = known.get(sentence.start)
    if found is None:
        text = doc.folded[sentence.start : sentence.end]
        spans: list[tuple[int, int]] = []
        cursor = 0
        for match in doc.language.pattern("spin.clause_break").finditer(text):
            spans.append((cursor, match.start()))
            cursor = match.end()
        spans.append((cursor, len(text)))
        found = known[sentence.start] = tuple((sentence.start + a, sentence.start + b) for a, b in spans if b > a)
    return found


def _trim(doc: Document, start: int, end: int) -> tuple[int, int]:
    """A span without the spaces, quotes and closing punctuation at its edges."""
    while start < end and doc.text[start] in _EDGES:
        start += 1
    while end > start and doc.text[end - 1] in _EDGES:
        end -= 1
    return start, end


_SHAPE_ENTRIES = tuple((name, f"spin.{name}") for name in _SHAPES)
_SHAPE_OF = {entry: name for name, entry in _SHAPE_ENTRIES}
_SHAPE_SET = frozenset(_SHAPE_OF)
_ATTRIBUTED = frozenset({"universal", "trial_success"})  # shapes whose phrase may modify a noun instead
_LEAD, _GENERAL, _HEDGE, _CAVEAT = "spin.conclusion_lead", "spin.generalizing", "spin.hedge", "spin.caveat"
_MODAL, _NEGATION, _NULL, _SUBJECT = "spin.modal", "spin.negation", "results.null_markers", "claims.subjects"
_HARM = "spin.harm_as_benefit"
# the patterns every clause of every sentence is read with: their anchors are found once per document
_CLAUSE_PATTERNS = EntryGroup(
    "spin clauses",
    (
        *(entry for _, entry in _SHAPE_ENTRIES),
        _LEAD,
        _GENERAL,
        _HEDGE,
        _CAVEAT,
        _MODAL,
        _NEGATION,
        _NULL,
        _SUBJECT,
        _HARM,
    ),
)
_CLAIM_CLAUSES: Slot[dict[int, tuple[_Clause, ...]]] = Slot("spin.claim clauses")


def _claim_clauses(doc: Document, sentence: Sentence) -> tuple[_Clause, ...]:
    """The clauses of a sentence that claim something positive, with the shapes of claim they hold; a clause that
    is negated, hedged (or continues a hedged one), qualified, questioned or states a null result is none (worked
    out once per sentence)."""
    known = _CLAIM_CLAUSES.get(doc, dict)
    found = known.get(sentence.start)
    if found is None:
        found = known[sentence.start] = tuple(_read_claim_clauses(doc, sentence))
    return found


def _read_claim_clauses(doc: Document, sentence: Sentence) -> Iterator[_Clause]:
    """`_claim_clauses`, worked out: a pattern is searched in a clause only where one of its anchors is."""
    language = doc.language
    parts = [
        start
        for claim in claims_in(doc, sentence.start, sentence.end)
        for kind, start, _ in claim.parts
        if kind != "safety"
    ]
    hits = _CLAUSE_PATTERNS.hits(doc)
    if not (parts or _SHAPE_SET & hits.within(sentence.start, sentence.end)):
        return  # no clause holds a claim part or an anchor of a claim shape: a clause holds less than its sentence
    attributive = language.words("claims.attributive")
    lead, general = language.pattern(_LEAD), language.pattern(_GENERAL)
    hedge, caveat, modal = language.pattern(_HEDGE), language.pattern(_CAVEAT), language.pattern(_MODAL)
    negation, null, subject = language.pattern(_NEGATION), language.pattern(_NULL), language.pattern(_SUBJECT)
    hedged_before = False
    for lo, hi in _clauses(doc, sentence):
        clause = doc.folded[lo:hi]
        present = hits.within(lo, hi)
        shapes = {
            _SHAPE_OF[entry]
            for entry in _SHAPE_SET.intersection(present)
            if _shape(language.pattern(entry), _SHAPE_OF[entry], clause, attributive)
        }
        # 证明了…的潜力 is no hedge
        hedged = _HEDGE in present and bool(hedge.search(clause, gated=False)) and "trial_success" not in shapes
        inherits = hedged_before and not (
            (_LEAD in present and lead.search(clause, gated=False))
            or (_SUBJECT in present and subject.search(clause, gated=False))
            or (_MODAL in present and modal.search(clause, gated=False))
        )
        hedged_before = hedged or inherits
        if any(lo <= start < hi for start in parts):
            shapes.add("claim")
        if inherits or hedged or not shapes or "?" in clause:
            continue
        if (
            (_NEGATION in present and negation.search(clause, gated=False))
            or (_CAVEAT in present and caveat.search(clause, gated=False))
            or (_NULL in present and null.search(clause, gated=False))
        ):
            continue
        has_lead = hits.possible(_LEAD, sentence.start, hi) and bool(
            lead.search(doc.folded[sentence.start : hi], gated=False)
        )
        is_general = _GENERAL in present and bool(general.search(clause, gated=False))
        yield _Clause(lo, hi, frozenset(shapes), has_lead, is_general)


def _shape(pattern: GatedPattern, name: str, clause: str, attributive: tuple[str, ...]) -> bool:
    """Whether `clause` holds a claim of shape `name` (found with `pattern`); a proof phrase that modifies a noun
    (研究一致证实的技术) is an attribute, not a claim."""
    if name not in _ATTRIBUTED:  # any match will do: the first is found without iterating
        return pattern.search(clause, gated=False) is not None
    for match in pattern.finditer(clause, gated=False):
        if clause[match.end() : match.end() + 1] in attributive:
            continue
        return True
    return False


def _is_result_clause(result: SentenceResult, clause: _Clause) -> bool:
    """A clause that itself reports a figure or a statistic, or an arm's result without drawing a conclusion, is a
    result, not a claim drawn from one."""
    spans = [(f.start, f.end) for f in result.figures] + [(s.start, s.end) for s in result.statistics]
    if any(clause.start < end and start < clause.end for start, end in spans):
        return True
    labelled = any(clause.start <= label.start < clause.end for label in result.labels)
    return labelled and not (clause.lead or clause.general)


def _at_distance(doc: Document, sentence: Sentence, clause: _Clause) -> bool:
    """A claim its sentence keeps its distance from: quoted in a sentence with a critic's or reporter's word, or
    after such a word (推销人员说的“…”是不对的; 号称…; 机构爱引用…)."""
    language = doc.language
    text = doc.folded[sentence.start : sentence.end]
    distance = language.pattern("spin.distance")
    if not (distance.search(text) or language.pattern("scopes.critic_sentence").search(text)):
        return False
    quotes = (*language.words("scopes.open_quotes"), *language.words("scopes.close_quotes"))
    body = doc.folded[clause.start : clause.end]
    return any(q in body for q in quotes) or distance.search(doc.folded[sentence.start : clause.end]) is not None


def _honest_after(doc: Document, index: int, end: int) -> bool:
    """The rest of the sentence, or the next sentence, qualifies the claim (但差异无统计学意义; 但这属于探索性分析)."""
    language = doc.language
    sentence = doc.sentences[index]
    caveat, contrast, negation = (
        language.pattern("spin.caveat"),
        language.pattern("spin.contrast"),
        language.pattern("spin.negation"),
    )
    rest = doc.folded[end : sentence.end]
    if caveat.search(rest):
        return True
    turn = contrast.search(rest)
    if turn and (
        language.pattern("results.null_markers").search(rest, turn.end()) or negation.search(rest, turn.end())
    ):
        return True
    if index + 1 < len(doc.sentences):
        following = doc.sentences[index + 1]
        if following.block in (sentence.block, sentence.block + 1):
            after = doc.folded[following.start : following.end]
            return bool(contrast.match(after) and (caveat.search(after) or negation.search(after)))
    return False


def _lead_in(doc: Document, sentence: Sentence, start: int) -> int:
    """Where a claim's span starts: at its first clause, or at a short clause just before it that only draws the
    conclusion (CHART-1证实，…), but not at a summary label (结论：…)."""
    language = doc.language
    before = [(lo, hi) for lo, hi in _clauses(doc, sentence) if hi <= start]
    if before:
        lo, hi = before[-1]
        piece = doc.folded[lo:hi]
        leads = hi - lo <= 14 and language.pattern("spin.conclusion_lead").search(piece)
        if leads and not language.pattern("spin.summary_label").match(piece.strip()):
            return lo
    return start


# ------------------------------------------------------------------------------------------------- sentences


def _sentence_claims(doc: Document, index: int, sentence: Sentence, reports: Reports, title: bool) -> list[SpinClaim]:
    """The spin claims of one sentence: one per run of adjacent claim clauses, all of one kind."""
    claim = _sentence_claim(doc, index, sentence, reports, title)
    if claim is None:
        return []
    runs = _runs(doc, sentence, claim.start, claim.end)
    result = sentence_result(doc, index)
    if len(runs) > 1 and result is not None and result.reports:
        modal = doc.language.pattern("spin.modal")
        runs = [
            r for r in runs if modal.search(doc.folded[r[0] : r[1]]) or r == runs[-1]
        ]  # 事件减少了10%: a restated result
    return [SpinClaim(claim.kind, start, end, claim.evidence) for start, end in runs]


def _runs(doc: Document, sentence: Sentence, start: int, end: int) -> list[tuple[int, int]]:
    """`start`–`end` cut at the clauses inside it that state a figure or a verdict of their own and claim nothing
    (其疗效优于A，更是B的近两倍，作用不容置疑 → two claims)."""
    language = doc.language
    claimed = [(c.start, c.end) for c in _claim_clauses(doc, sentence)]
    stated = [language.pattern(f"results.{name}") for name in ("value", "trend_markers", "null_markers")]
    stated.append(language.pattern("spin.quantity"))
    runs: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for lo, hi in _clauses(doc, sentence):
        if hi <= start or lo >= end:
            continue
        gap = (lo, hi) not in claimed and not lo <= start < hi
        if gap and any(p.search(doc.folded[lo:hi]) for p in stated):
            if current is not None:
                runs.append(current)
            current = None
            continue
        current = (max(lo, start), hi) if current is None else (current[0], hi)
    if current is not None:
        runs.append(current)
    return [_trim(doc, lo, min(hi, end)) for lo, hi in runs] or [(start, end)]


def _sentence_claim(doc: Document, index: int, sentence: Sentence, reports: Reports, title: bool) -> SpinClaim | None:
    text = doc.folded[sentence.start : sentence.end]
    if text.rstrip("”’」』) ").endswith("?"):
        return None
    clauses = _claim_clauses(doc, sentence)
    if not clauses:
        return None
    result = sentence_result(doc, index)
    if result is None:
        return None
    clauses = [c for c in clauses if not _is_result_clause(result, c) and not _at_distance(doc, sentence, c)]
    if not clauses or _honest_after(doc, index, clauses[-1].end):
        return None
    around = _reports_around(doc, sentence, text, reports)
    comparators = [c for c in (_comparator(doc, doc.folded[c.start : c.end]) for c in clauses) if c]
    if comparators and _superiority_supported(doc, sentence, result, clauses, comparators, around, title, reports):
        return None
    local = _turn_from_null(doc, sentence, result, clauses)
    if local is not None:
        return local
    clauses = [c for c in clauses if c.shapes - {"safety_claim"}]
    if not clauses:
        return None
    shapes = frozenset().union(*(c.shapes for c in clauses))
    linked = _linked(doc, sentence, text, shapes, reports, around, title)
    if not linked or not _about_the_therapy(doc, index, sentence, text, clauses, shapes, linked, title):
        return None
    if result.reports and shapes <= {"effect_size"}:
        return None  # a result restated in words (也就是说…降低了四分之一)
    start, end = _trim(doc, _lead_in(doc, sentence, clauses[0].start), clauses[-1].end)
    kind, report = _kind(doc, sentence, text, shapes, linked, reports.reports, title)
    if kind is None or report is None:
        return None
    evidence = _report_evidence(doc, report, kind)
    measured = _measured_surrogate(doc, report, sentence, text) if kind == "surrogate-as-clinical" else None
    if measured is not None:  # the surrogate figure first, then the failed endpoint if there is one
        surrogate = _related(doc, "surrogate", *_trim(doc, measured.start, measured.end))
        evidence = (surrogate, *evidence[:2]) if report.unfavourable else (surrogate,)
    return SpinClaim(kind, start, end, evidence)


def _reports_around(doc: Document, sentence: Sentence, text: str, reports: Reports) -> tuple[TrialReport, ...]:
    """The reports a sentence names, else the one it stands in."""
    named = reports.named_in(doc, text)
    if named:
        return named
    inside = reports.at(sentence.start)
    return (inside,) if inside else ()


def _linked(
    doc: Document,
    sentence: Sentence,
    text: str,
    shapes: frozenset[str],
    reports: Reports,
    around: tuple[TrialReport, ...],
    title: bool,
) -> tuple[TrialReport, ...]:
    """The reports a claim is about: every report from a title or for a summary over all studies; else those it
    names or stands in, once they have given their results (a superiority claim: wherever it stands)."""
    if title or "universal" in shapes:
        return reports.reports
    if "superiority" in shapes:
        return around
    return tuple(r for r in around if _after_results(doc, r, sentence.start))


def _after_results(doc: Document, report: TrialReport, offset: int) -> bool:
    """Whether `offset` comes after the report has said what it found, or at least past the paragraph that
    introduced it (for a report that gives no result: past its introducing sentence)."""
    if report.outcomes and report.outcomes[0].result.start <= offset:
        return True
    anchor = doc.block_at(report.anchor[0])
    return offset >= (anchor.end if anchor is not None and report.outcomes else report.anchor[1])


def _about_the_therapy(
    doc: Document,
    index: int,
    sentence: Sentence,
    text: str,
    clauses: list[_Clause],
    shapes: frozenset[str],
    linked: tuple[TrialReport, ...],
    title: bool,
) -> bool:
    """Whether the claim speaks of the trial's therapy, as a conclusion: it draws one (a lead word, a title, the
    trial's name, a strong claim), and names the therapy — or refers back to the result just reported, or reads a
    surrogate as an outcome of an unfavourable trial; a claim about another treatment is none."""
    language = doc.language
    if not (title or any(c.lead for c in clauses) or shapes & _STRONG):
        return False
    if title and shapes <= {"mechanism_claim"}:
        attribute = language.pattern("spin.attributive_head")
        if not any(c.general or (c.lead and not attribute.search(doc.folded[c.start : c.end])) for c in clauses):
            return False
    claimed = doc.folded[clauses[0].start : clauses[-1].end]
    if _of_other_treatment(doc, claimed) and not _therapy_named(doc, claimed, linked, generic=False):
        return False  # 说明规范的药物治疗已让预后改善
    if shapes & _STRONG:
        return True
    if language.pattern("spin.result_reference").match(claimed) and any(
        index in r.row_sentences
        or index - 1 in r.row_sentences
        or _measured_surrogate(doc, r, sentence, text) is not None
        for r in linked
    ):
        return True
    if language.pattern("trials.surrogates").search(text) and any(r.unfavourable for r in linked):
        return True
    block = doc.blocks[sentence.block]
    scope = (
        doc.folded[block.start : block.end]
        if title
        else doc.folded[max(sentence.start, clauses[0].start - 12) : clauses[-1].end]
    )
    return _therapy_named(doc, scope, linked)


def _of_other_treatment(doc: Document, text: str) -> bool:
    """`text` speaks of another treatment, other than as the one the therapy is compared with (优于传统治疗)."""
    language = doc.language
    compared = [m.end() for m in language.pattern("spin.superiority").finditer(text)]
    return any(
        not any(0 <= m.start() - end <= 4 for end in compared)
        for m in language.pattern("scopes.other_treatment").finditer(text)
    )


def _therapy_named(doc: Document, text: str, reports: Sequence[TrialReport], generic: bool = True) -> bool:
    """Whether `text` names the promoted therapy: a subject word, the trials' own arm names, or (`generic`) a
    generic word for a treatment (注射, 服用, 本品)."""
    language = doc.language
    if language.pattern("claims.subjects").search(text):
        return True
    if generic and language.pattern("spin.therapy_words").search(text):
        return True
    return any(term in text for report in reports for term in report.therapy)


# ---------------------------------------------------------------------------------------- turns and comparisons


def _turn_from_null(
    doc: Document, sentence: Sentence, result: SentenceResult, clauses: list[_Clause]
) -> SpinClaim | None:
    """虽然…无统计学差异，但…说明…: a null result (or a conceded caveat) earlier in the sentence, then claims after
    a turn — spin whatever the trial, as the sentence contradicts itself."""
    language = doc.language
    contrast, lead = language.pattern("spin.contrast"), language.pattern("spin.conclusion_lead")
    for position, clause in enumerate(clauses):
        first = clause.start
        nulls: list[Marker | Statistic] = [m for m in result.markers if m.kind in ("null", "trend") and m.end <= first]
        nulls += [s for s in result.statistics if s.significance == "null" and s.end <= first]
        nulls += _conceded_caveats(doc, sentence, first)
        if not nulls:
            continue
        nulls.sort(key=lambda n: n.start)
        turned = contrast.search(doc.folded[nulls[0].end : first + 3]) or lead.search(
            doc.folded[nulls[0].end : first + 12]
        )
        if not turned:
            continue
        after = clauses[position:]
        between = doc.folded[nulls[0].end : first]
        if any(m.kind == "trend" for m in result.markers if m.end <= first + 40):
            kind = "trend-as-proof"
        elif any(language.pattern(f"trials.role_{role}").search(between) for role in ("subgroup", "secondary")):
            kind = "secondary-promoted"
        elif any("superiority" in c.shapes for c in after):
            kind = "parity-as-superiority"
        elif all(c.shapes <= {"safety_claim"} for c in after):
            kind = "ns-harm-as-safety"
        else:
            kind = "nonsignificant-as-effect"
        evidence = tuple(_related(doc, "non-significant result", n.start, n.end, "null") for n in nulls[:2])
        return SpinClaim(kind, *_trim(doc, after[0].start, after[-1].end), evidence)
    return None


def _conceded_caveats(doc: Document, sentence: Sentence, first: int) -> list[Marker]:
    """A caveat conceded before the claim (尽管…置信区间较宽，但…): as good as a null result."""
    language = doc.language
    text = doc.folded[sentence.start : first]
    concession = language.pattern("spin.concession").search(text)
    caveat = language.pattern("spin.caveat").search(text, concession.end()) if concession else None
    return [Marker("null", sentence.start + caveat.start(), sentence.start + caveat.end())] if caveat else []


def _comparator(doc: Document, text: str) -> str:
    """What a superiority claim says the therapy beats (优于假针刺 → 假针刺), in a few characters; "" when it names
    nothing."""
    match = doc.language.pattern("spin.superiority").search(text)
    if match is None:
        return ""
    after = doc.language.pattern("spin.comparator").match(text[match.end() :])
    return after.group("what") if after else ""


def _superiority_supported(
    doc: Document,
    sentence: Sentence,
    result: SentenceResult,
    clauses: list[_Clause],
    comparators: list[str],
    around: tuple[TrialReport, ...],
    title: bool,
    reports: Reports,
) -> bool:
    """A superiority the text supports: over a comparator a row found better with significance, in a sentence that
    gives its significance, or over one arm in a sentence that reports a null comparison with another arm (两组
    差异不显著，两者都明显优于常规治疗)."""
    sources = reports.reports if title else around
    if any(_comparison(doc, sources, sentence, c, title) == "positive" for c in comparators):
        return True
    if result.has("positive") or any(s.significance == "significant" for s in result.statistics):
        return True
    if result.has("null"):
        before = doc.folded[sentence.start : clauses[0].start]
        arms = [label.name for report in around for label in report.arms] + [label.name for label in result.labels]
        other = [c for c in comparators if any(c[:2] in arm for arm in arms) and c[:2] not in before]
        return bool(other) and len(other) == len(comparators)
    return False


def _comparison(
    doc: Document, reports: Sequence[TrialReport], sentence: Sentence, comparator: str, anywhere: bool = False
) -> str:
    """The verdict of the comparison with `comparator` in the clauses of the reports' rows that name it (before the
    claim, or `anywhere` for a title): "null" (a null verdict word there), "positive" (a significance or a
    superiority word), or "" (no row names it)."""
    if not comparator:
        return ""
    language = doc.language
    key = comparator[:3]
    null, positive = language.pattern("results.null_markers"), language.pattern("results.positive_markers")
    superior = language.pattern("spin.superiority")
    verdict = ""
    for report in reports:
        rows = [o.result for o in report.outcomes if not (o.result.start <= sentence.start < o.result.end)]
        rows = [r for r in rows if anywhere or r.end <= sentence.start][-_ROWS_SEARCHED:]
        for row in rows:
            for lo, hi in _clauses(doc, doc.sentences[row.sentence]):
                clause = doc.folded[lo:hi]
                if key not in clause:
                    continue
                if null.search(clause):
                    verdict = "null"
                elif verdict != "null" and (positive.search(clause) or superior.search(clause)):
                    verdict = "positive"
    return verdict


def _related(
    doc: Document, role: str, start: int, end: int, verdict: str = "", figures: tuple[str, ...] = ()
) -> Related:
    return Related(role, start, end, doc.text[start:end], verdict, figures)


# ------------------------------------------------------------------------------------------------------ kinds


def _kind(
    doc: Document,
    sentence: Sentence,
    text: str,
    shapes: frozenset[str],
    linked: tuple[TrialReport, ...],
    reports: tuple[TrialReport, ...],
    title: bool,
) -> tuple[str | None, TrialReport | None]:
    """The kind of spin a claim is (the first that fits), and the report it contradicts."""
    language = doc.language
    if "universal" in shapes:
        failing = [r for r in reports if not r.positive]
        if failing and (any(r.unfavourable for r in reports) or len(reports) >= 2):
            return "all-studies-positive", failing[0]
        return None, None
    if "superiority" in shapes:
        series = [
            r
            for r in linked
            if not r.controlled and (r.outcomes or {"case_series", "single_arm", "uncontrolled"} & r.facts)
        ]
        if series:
            return "uncontrolled-superiority", series[0]
    unfavourable = [r for r in linked if r.unfavourable]
    if not unfavourable:
        contradicted = [r for r in linked if _contradicts_outcome(doc, r, sentence)]
        if not contradicted:
            measured = [r for r in linked if _measured_surrogate(doc, r, sentence, text) is not None]
            return ("surrogate-as-clinical", measured[0]) if measured else (None, None)
        surrogate = language.pattern("trials.surrogates").search(text)
        return ("surrogate-as-clinical" if surrogate else "nonsignificant-as-effect"), contradicted[0]
    if len(linked) > 1 and any(r.positive for r in linked):
        return None, None
    report = unfavourable[0]
    stopped = report.futility is not None or (report.stopped is not None and not report.positive)
    if stopped and language.pattern("spin.stop_reframe").search(text):
        return "futility-as-success", report
    if title:
        return "headline-contradicts-body", report
    if "superiority" in shapes and (
        language.pattern("spin.parity").search(text)
        or report.verdict in ("null", "untested", "trend")
        or _comparison(doc, (report,), sentence, _comparator(doc, text)) == "null"
    ):
        return "parity-as-superiority", report
    if language.pattern("results.trend_markers").search(text) or report.verdict in ("trend", "untested"):
        return "trend-as-proof", report
    if language.pattern("spin.within_group").search(text) and report.controlled:
        return "within-group", report
    if report.early_phase:
        return "early-phase-as-efficacy", report
    if _surrogate_for_clinical(doc, text, report) or _measured_surrogate(doc, report, sentence, text) is not None:
        return "surrogate-as-clinical", report
    if _rests_on_other_endpoint(doc, sentence, report):
        return "secondary-promoted", report
    if report.verdict == "negative":
        return "arm-comparison", report
    if report.futility is not None:
        return "futility-as-success", report
    return "nonsignificant-as-effect", report


_TERMS: Slot[dict[int, tuple[frozenset[str], frozenset[str]]]] = Slot("spin.report outcome terms")


def _outcome_terms(doc: Document, text: str) -> frozenset[str]:
    """The outcomes and time points `text` names."""
    language = doc.language
    entries = ("spin.time_point", "trials.surrogates", "trials.clinical_outcomes")
    return frozenset(m.group() for entry in entries for m in language.pattern(entry).finditer(text))


def _report_terms(doc: Document, report: TrialReport) -> tuple[frozenset[str], frozenset[str]]:
    """The outcomes a report found no difference in, and those it found a benefit in (computed once)."""
    cache = _TERMS.get(doc, dict)
    key = report.start
    if key not in cache:
        null: set[str] = set()
        positive: set[str] = set()
        for outcome in report.outcomes:
            if outcome.role == "safety":
                continue
            terms = _outcome_terms(doc, doc.folded[outcome.result.start : outcome.result.end])
            if outcome.result.verdict in ("null", "negative", "trend"):
                null |= terms
            elif outcome.result.verdict == "positive":
                positive |= terms
        cache[key] = (frozenset(null), frozenset(positive))
    return cache[key]


def _contradicts_outcome(doc: Document, report: TrialReport, sentence: Sentence) -> bool:
    """The claim's sentence names an outcome (or a time point) that the report found no difference in, and no
    benefit in anywhere."""
    claimed = _outcome_terms(doc, doc.folded[sentence.start : sentence.end])
    if not claimed:
        return False
    null, positive = _report_terms(doc, report)
    return bool(claimed & (null - positive))


def _surrogate_for_clinical(doc: Document, text: str, report: TrialReport) -> bool:
    """The claim names a surrogate measure while the trial's primary endpoint is a clinical one, or reads a
    surrogate as a clinical outcome in the same breath (糖化每降1个点，心血管风险就跟着往下走)."""
    language = doc.language
    surrogates, clinical = language.pattern("trials.surrogates"), language.pattern("trials.clinical_outcomes")
    if not surrogates.search(text):
        return False
    return bool(clinical.search(text)) or any(
        clinical.search(doc.folded[o.result.start : o.result.end]) for o in report.primary
    )


def _measured_surrogate(doc: Document, report: TrialReport, sentence: Sentence, text: str) -> Sentence | None:
    """The sentence of the report that gave a figure for a surrogate, just before a claim that names hard outcomes
    (寿命, 骨折, 感染) the report of a study in people never named up to the claim (an epigenetic clock read as a longer
    life, bone density as fewer fractures). An animal or cell study read as a clinical one is the weak-evidence
    rules' business."""
    language = doc.language
    claimed = {m.group() for m in language.pattern("trials.hard_outcomes").finditer(text)}
    if not claimed:
        return None
    measured = doc.folded[report.start : min(report.end, sentence.start)]
    if language.pattern("facts.preclinical").search(measured) or any(term in measured for term in claimed):
        return None
    index = doc.sentence_index(sentence.start)
    surrogate, figure = language.pattern("trials.surrogates"), language.pattern("spin.quantity")
    for before in reversed(doc.sentences[max(0, index - _SURROGATE_REACH) : index]):
        if before.start >= report.start and surrogate.search(doc.folded, before.start, before.end):
            return before if figure.search(doc.folded, before.start, before.end) else None
    return None


def _rests_on_other_endpoint(doc: Document, sentence: Sentence, report: TrialReport) -> bool:
    """The claim follows results of endpoints other than the primary one: named as such in it or in the few
    sentences before it, or reported (positive or untested) in a row before it."""
    language = doc.language
    index = doc.sentence_index(sentence.start)
    window = doc.sentences[max(0, index - 3) : index + 1]
    since = doc.folded[max(window[0].start, report.start) : sentence.end]
    if any(language.pattern(f"trials.role_{role}").search(since) for role in _NON_PRIMARY):
        return True
    return any(
        o.role != "primary" and o.result.start < sentence.start and o.result.verdict in ("positive", "untested")
        for o in report.outcomes[:_ROWS_SEARCHED]
    )


def _report_evidence(doc: Document, report: TrialReport, kind: str) -> tuple[Related, ...]:
    """The contradicting result of `report` as evidence: the design facts (for a design kind), the futility or
    early-stop statement, and each primary row with its verdict and figures."""
    found: list[Related] = []
    if kind in ("early-phase-as-efficacy", "uncontrolled-superiority"):
        found = [
            _related(doc, "design", start, end, fact)
            for fact, start, end in report.fact_spans
            if fact in _DESIGN_EVIDENCE
        ]
        if found:
            return tuple(found[:2])
    if report.futility is not None:
        found.append(_related(doc, "futility", *report.futility, "futility"))
    elif kind == "futility-as-success" and report.stopped is not None:
        found.append(_related(doc, "early stop", *report.stopped, report.verdict))
    for outcome in report.primary:
        result = outcome.result
        spans = result.decided_by or ((result.start, result.end),)
        figures = tuple(doc.text[f.start : f.end] for f in result.figures)
        found.append(
            _related(doc, "result", min(s for s, _ in spans), max(e for _, e in spans), result.verdict, figures)
        )
    if not found:
        found.append(_related(doc, "study", *report.anchor, report.verdict))
    return tuple(found[:3])


# ------------------------------------------------------------------------------- checks of the study-block model


def _unmeasured_outcomes(doc: Document) -> Iterator[SpinClaim]:
    """A study block that reports only laboratory or surrogate data (no arm figure, no null result), concluding a
    clinical benefit it never reported before (G-CSF raised EPC counts … 从而改善肾脏血流)."""
    language = doc.language
    pattern, conclusion = language.pattern("spin.unmeasured_outcome"), language.pattern("spin.conclusion")
    for block in evidence(doc).blocks:
        if block.has("review"):
            continue
        sentences = _sentences_between(doc, doc.sentence_index(block.intro_end), block.end)
        rows = [sentence_result(doc, i) for i in sentences]
        if any(row is not None and (row.figures or row.has("null")) for row in rows):
            continue
        seen: dict[str, int] = {}
        for i in sentences:
            sentence = doc.sentences[i]
            text = doc.folded[sentence.start : sentence.end]
            if (
                sentence.start < block.intro_end
                or not conclusion.search(text)
                or STUDY_SENTENCE.found(doc, sentence.start, sentence.end)
            ):
                continue  # a sentence that introduces a study reports its finding, it draws no conclusion
            for match in pattern.finditer(text):
                outcome = match.group("outcome")
                if outcome not in seen:
                    seen[outcome] = doc.folded.find(outcome, block.intro_end, block.end)
                if not 0 <= seen[outcome] < sentence.start:
                    yield SpinClaim(
                        "surrogate-as-clinical",
                        sentence.start + match.start(),
                        sentence.start + match.end(),
                        (_related(doc, "reported", block.intro_end, sentence.start),),
                    )


def _sentences_between(doc: Document, first: int, end: int) -> list[int]:
    """The indices of the sentences from number `first` that start before offset `end`."""
    found: list[int] = []
    for index in range(first, len(doc.sentences)):
        if doc.sentences[index].start >= end:
            break
        found.append(index)
    return found


def _harm_as_benefit(doc: Document) -> Iterator[SpinClaim]:
    """An adverse effect reframed as a sign of efficacy, one finding per sentence (not when denied, or in a
    sentence that keeps its distance: 不要当作“排病反应”硬扛; 宣称“排病反应越大，效果越好”)."""
    language = doc.language
    pattern, negation = language.pattern(_HARM), language.pattern("spin.negation")
    critic = language.pattern("scopes.critic_sentence"), language.pattern("spin.distance")
    hits = _CLAUSE_PATTERNS.hits(doc)
    for sentence in doc.sentences:
        if not hits.possible(_HARM, sentence.start, sentence.end):
            continue
        text = doc.folded[sentence.start : sentence.end]
        matches = [
            m
            for m in pattern.finditer(text, gated=False)
            if not negation.search(text[max(0, m.start() - 12) : m.start()])
        ]
        if not matches or any(p.search(text) for p in critic):
            continue
        pieces = _clauses(doc, sentence)
        lo = next(a for a, b in pieces if a <= sentence.start + matches[0].start() < b)
        hi = next(b for a, b in pieces if a <= sentence.start + matches[-1].start() < b)
        yield SpinClaim("harm-as-benefit", *_trim(doc, lo, max(hi, sentence.start + matches[-1].end())), ())
