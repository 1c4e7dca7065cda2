"""Spin: claims that present a trial's null, negative or unproven result as a success, each linked to the result
it contradicts.

Claims are found clause by clause everywhere in the document — the title, the lead, a report's conclusion, a
summary, an executive's quote — with the claim model (`lint.analysis.claims`) and the spin section of the language
pack (trial success, effect sizes, superiority, proof, mechanism read as an outcome). A claim clause is dropped
when it is negated, hedged, questioned, qualified as exploratory in its sentence or the next, quoted at a
distance, or is itself a plain report of a figure. Each remaining claim is linked to the trial reports
(`lint.analysis.trials`) it is about: the report it stands in, a report it names, or — from a title, a lead or
a summary — every report of the document. It is spin when a linked report is unfavourable, or when its own
sentence turns from a null result to a benefit (虽然…无统计学差异，但…说明…). Each spin claim gets exactly one
kind, the first that fits, in the order of `KINDS`; the related spans point at the contradicting result.

Checks carried over from the study-block model (a block that measured only surrogate data concluding a clinical
benefit; no difference in harms read as safety) run here too, so that one claim is flagged once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lint.analysis.claims import claims_in
from lint.analysis.evidence import evidence
from lint.analysis.results import SentenceResult, read_sentence
from lint.analysis.trials import TrialReport, trial_reports
from lint.core.document import Document, Sentence
from lint.core.language import LanguagePack, Slot

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


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span a spin finding rests on: its role (result, design, non-significant result …), the verdict it
    carries, and the figures of the result as written."""

    role: str
    start: int
    end: int
    verdict: str = ""
    figures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SpinClaim:
    """A claim that spins a result: its kind, its span and the evidence it contradicts."""

    kind: str
    start: int
    end: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int
    end: int
    shapes: frozenset[str]
    lead: bool
    general: bool


_SPIN: Slot[tuple[SpinClaim, ...]] = Slot("spin claims")


def spin_claims(doc: Document) -> tuple[SpinClaim, ...]:
    """Every spin claim of `doc`, one per sentence at most, in order (kept on the document)."""
    return _SPIN.get(doc, lambda: tuple(_find(doc)))


def _find(doc: Document) -> Iterator[SpinClaim]:
    reports = trial_reports(doc)
    taken: list[tuple[int, int]] = []
    found: list[SpinClaim] = []
    for claim in _candidates(doc, reports):
        if any(claim.start < end and start < claim.end for start, end in taken):
            continue
        taken.append((claim.start, claim.end))
        found.append(claim)
    return iter(sorted(found, key=lambda c: (c.start, c.end)))


def _candidates(doc: Document, reports: tuple[TrialReport, ...]) -> Iterator[SpinClaim]:
    """Candidate spin claims, best first within each sentence (overlapping later ones are dropped)."""
    language = doc.language
    title = _title_sentences(doc)
    headline: list[SpinClaim] = []
    for index, sentence in enumerate(doc.sentences):
        if doc.blocks[sentence.block].kind == "reference":
            continue
        text = doc.folded[sentence.start : sentence.end]
        claim = _sentence_claim(doc, index, sentence, text, reports, index in title)
        if claim is not None and index in title:
            headline.append(claim)
        elif claim is not None:
            yield claim
    if headline:  # a title is one claim, however many sentences it has
        yield SpinClaim(headline[0].kind, headline[0].start, headline[-1].end, headline[0].evidence)
    yield from _unmeasured_outcomes(doc)
    for match in language.pattern("spin.ns_harm_safety").finditer(doc.folded):
        yield SpinClaim("ns-harm-as-safety", *match.span("span"), ())
    yield from _harm_as_benefit(doc)


def _harm_as_benefit(doc: Document) -> Iterator[SpinClaim]:
    """An adverse effect reframed as a sign of efficacy, one finding per sentence (not when denied or quoted by a
    critic: 不要当作“排病反应”硬扛)."""
    language = doc.language
    pattern = language.pattern("spin.harm_as_benefit")
    critic = language.pattern("scopes.critic_sentence"), language.pattern("spin.distance")
    for sentence in doc.sentences:
        text = doc.folded[sentence.start : sentence.end]
        matches = [m for m in pattern.finditer(text) if not _denied(language, text[: m.start()])]
        if not matches or any(p.search(text) for p in critic):
            continue
        lo, _ = _clause_around(doc, sentence, sentence.start + matches[0].start(), sentence.start + matches[0].end())
        _, hi = _clause_around(doc, sentence, sentence.start + matches[-1].start(), sentence.start + matches[-1].end())
        yield SpinClaim("harm-as-benefit", *_trim(doc, lo, hi), ())


def _title_sentences(doc: Document) -> frozenset[int]:
    """The sentences of the document's title: its first block, when that is a heading or a short first line (a
    question in it is no claim, and is left out when the sentences are read)."""
    if not doc.blocks:
        return frozenset()
    first = doc.blocks[0]
    if first.kind == "paragraph" and (first.end - first.start > 90 or doc.folded[first.end - 1] in "。."):
        return frozenset()
    if first.kind not in ("heading", "paragraph"):
        return frozenset()
    return frozenset(i for i, s in enumerate(doc.sentences) if s.block == 0)


def _clauses(doc: Document, sentence: Sentence) -> list[tuple[int, int]]:
    breaks = doc.language.pattern("spin.clause_break")
    text = doc.folded[sentence.start : sentence.end]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in breaks.finditer(text):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, len(text)))
    return [(sentence.start + a, sentence.start + b) for a, b in spans if b > a]


def _clause_around(doc: Document, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    for lo, hi in _clauses(doc, sentence):
        if lo <= start < hi:
            return lo, max(hi, end)
    return start, end


def _trim(doc: Document, start: int, end: int) -> tuple[int, int]:
    """A span without the spaces, quotes and closing punctuation at its edges."""
    while start < end and doc.text[start] in " \t“”\"「」『』‘’()（）【】！!。？?.…":
        start += 1
    while end > start and doc.text[end - 1] in " \t“”\"「」『』‘’()（）【】！!。？?.…":
        end -= 1
    return start, end


def _denied(language: LanguagePack, before: str) -> bool:
    return bool(language.pattern("spin.negation").search(before[-12:]))


def _claim_clauses(doc: Document, sentence: Sentence, text: str) -> list[_Clause]:
    """The clauses of a sentence that claim something positive about a therapy, with what kind of claim."""
    language = doc.language
    parts = [
        (start, end)
        for claim in claims_in(doc, sentence.start, sentence.end)
        for kind, start, end in claim.parts
        if kind != "safety"
    ]
    lead = language.pattern("spin.conclusion_lead")
    general = language.pattern("spin.generalizing")
    hedge = language.pattern("scopes.hedge")
    caveat = language.pattern("spin.caveat")
    found: list[_Clause] = []
    clauses = _clauses(doc, sentence)
    hedged_before = False
    subject = language.pattern("claims.subjects")
    for position, (lo, hi) in enumerate(clauses):
        clause = doc.folded[lo:hi]
        inherits = hedged_before and not (lead.search(clause) or general.search(clause) or subject.search(clause))
        hedged_before = bool(hedge.search(clause)) or inherits
        if inherits:
            continue
        shapes = {name for name in _SHAPES if _shape(language, name, clause)}
        if any(lo <= start < hi for start, _ in parts):
            shapes.add("claim")
        if not shapes:
            continue
        if _negated(language, clause) or hedge.search(clause) or caveat.search(clause) or "?" in clause:
            continue
        if language.pattern("results.null_markers").search(clause):
            continue
        has_lead = bool(lead.search(doc.folded[sentence.start : hi]))
        found.append(_Clause(lo, hi, frozenset(shapes), has_lead, bool(general.search(clause))))
    return found


def _shape(language: LanguagePack, name: str, clause: str) -> bool:
    """Whether `clause` holds a claim of shape `name`; a proof phrase that modifies a noun (研究一致证实的技术) is
    an attribute, not a claim."""
    attributive = language.words("claims.attributive")
    for match in language.pattern(f"spin.{name}").finditer(clause):
        if name in ("universal", "trial_success") and clause[match.end() : match.end() + 1] in attributive:
            continue
        return True
    return False


def _negated(language: LanguagePack, clause: str) -> bool:
    negation = language.pattern("spin.negation")
    return negation.search(clause) is not None


def _quoted_at_distance(doc: Document, sentence: Sentence, clause: _Clause) -> bool:
    """A claim its sentence keeps its distance from: quoted, or after a critic's or reporter's word (推销人员说的
    “…”是不对的; 号称…; 机构爱引用…)."""
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
    rest = doc.folded[end : sentence.end]
    if language.pattern("spin.caveat").search(rest):
        return True
    contrast = language.pattern("spin.contrast").search(rest)
    if contrast and (language.pattern("results.null_markers").search(rest, contrast.end()) or language.pattern("spin.negation").search(rest, contrast.end())):
        return True
    if index + 1 < len(doc.sentences):
        following = doc.sentences[index + 1]
        if following.block == sentence.block or following.block == sentence.block + 1:
            after = doc.folded[following.start : following.end]
            opener = language.pattern("spin.contrast").match(after)
            if opener and (language.pattern("spin.caveat").search(after) or language.pattern("spin.negation").search(after)):
                return True
    return False


def _is_result_clause(doc: Document, result: SentenceResult, clause: _Clause) -> bool:
    """A clause that itself reports a figure or a statistic is a result, not a claim drawn from one."""
    spans = [(f.start, f.end) for f in result.figures] + [(s.start, s.end) for s in result.statistics]
    if any(clause.start < end and start < clause.end for start, end in spans):
        return True
    return any(clause.start <= label.start < clause.end for label in result.labels) and not (clause.lead or clause.general)


def _of_other_treatment(doc: Document, text: str) -> bool:
    """`text` speaks of another treatment, not as the one the therapy is compared with (优于传统治疗)."""
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
    return any(term and term in text for report in reports for term in report.therapy)


def _after_results(doc: Document, report: TrialReport, offset: int) -> bool:
    """Whether `offset` comes after the report has said what it found, or at least past the paragraph that
    introduced it (a report that gives no result: past its introducing sentence)."""
    if report.outcomes and report.outcomes[0].result.start <= offset:
        return True
    anchor = doc.block_at(report.anchor[0])
    return offset >= (anchor.end if anchor is not None and report.outcomes else report.anchor[1])


def _linked(
    doc: Document, sentence: Sentence, text: str, reports: tuple[TrialReport, ...], title: bool
) -> tuple[TrialReport, ...]:
    """The reports a claim is about: every report from a title; else those it names, or the one it stands in —
    once that report has given its results."""
    if title:
        return reports
    named = tuple(r for r in reports if r.name and r.name in text)
    inside = tuple(r for r in reports if r.contains(sentence.start))
    candidates = named or inside
    return tuple(r for r in candidates if _after_results(doc, r, sentence.start))


def _sentence_claim(
    doc: Document, index: int, sentence: Sentence, text: str, reports: tuple[TrialReport, ...], title: bool
) -> SpinClaim | None:
    if text.rstrip("”’」』) ").endswith("?"):
        return None
    clauses = _claim_clauses(doc, sentence, text)
    if not clauses:
        return None
    result = read_sentence(doc, index)
    clauses = [c for c in clauses if not _is_result_clause(doc, result, c)]
    clauses = [c for c in clauses if not _quoted_at_distance(doc, sentence, c)]
    if not clauses or _honest_after(doc, index, clauses[-1].end):
        return None
    comparators = [c for c in (_comparator(doc, clause) for clause in clauses) if c]
    if any(_comparison(doc, reports, sentence, c, title) == "positive" for c in comparators):
        return None
    if comparators and (result.has("positive") or any(s.significance == "significant" for s in result.statistics)):
        return None  # a superiority reported with its significance
    if comparators and result.has("null"):
        null_text = doc.folded[sentence.start : clauses[0].start]
        arms = [label.name for report in reports for label in report.arms] + [label.name for label in result.labels]
        other_arm = [c for c in comparators if any(c[:2] in arm for arm in arms) and c[:2] not in null_text]
        if other_arm and len(other_arm) == len(comparators):
            return None  # a null comparison with one arm, and a superiority over another arm: a report of both
    for position, clause in enumerate(clauses):
        local = _turn_from_null(doc, sentence, clause.start, result)
        if local is not None:
            kind, related = local
            after = clauses[position:]
            if any("superiority" in c.shapes for c in after) and kind == "nonsignificant-as-effect":
                kind = "parity-as-superiority"
            if all(c.shapes <= {"safety_claim"} for c in after):
                kind = "ns-harm-as-safety"
            return SpinClaim(kind, *_trim(doc, after[0].start, after[-1].end), related)
    clauses = [c for c in clauses if c.shapes - {"safety_claim"}]
    if not clauses:
        return None
    start, end = _trim(doc, _lead_in(doc, sentence, clauses[0].start), clauses[-1].end)
    shapes = frozenset().union(*(c.shapes for c in clauses))
    if "universal" in shapes:
        linked = reports
    elif "superiority" in shapes and not title:
        linked = _linked(doc, sentence, text, reports, title) or tuple(r for r in reports if r.contains(sentence.start))
    else:
        linked = _linked(doc, sentence, text, reports, title)
    if not linked:
        return None
    named = any(r.name and r.name in text for r in linked)
    if not (title or named or any(c.lead for c in clauses) or shapes & _STRONG):
        return None
    if title and shapes <= {"mechanism_claim"}:
        attribute = doc.language.pattern("spin.attributive_head")
        if not any(c.general or (c.lead and not attribute.search(doc.folded[c.start : c.end])) for c in clauses):
            return None
    around = doc.folded[max(sentence.start, clauses[0].start - 12) : clauses[-1].end]
    if title:
        block = doc.blocks[sentence.block]
        around = doc.folded[block.start : block.end]
    language = doc.language
    claimed = doc.folded[clauses[0].start : clauses[-1].end]
    if _of_other_treatment(doc, claimed) and not _therapy_named(doc, claimed, linked, False):
        return None  # said of another treatment (说明规范的药物治疗已让预后改善)
    refers_back = language.pattern("spin.result_reference").match(claimed) and _follows_result(doc, index, linked)
    via_surrogate = language.pattern("trials.surrogates").search(text) and any(r.unfavourable for r in linked)
    if not (shapes & _STRONG or refers_back or via_surrogate or _therapy_named(doc, around, linked)):
        return None
    if result.reports and shapes <= {"effect_size"}:
        return None  # a result restated in words (也就是说…降低了四分之一)
    kind, report = _kind(doc, sentence, text, shapes, linked, reports, title, (start, end))
    if kind is None or report is None:
        return None
    return SpinClaim(kind, start, end, _report_evidence(doc, report, kind))


def _lead_in(doc: Document, sentence: Sentence, start: int) -> int:
    """Where a claim's span starts: at its first clause, or at a short clause just before it that only draws the
    conclusion (CHART-1证实，…; 研究证实：…)."""
    pieces = _clauses(doc, sentence)
    before = [(lo, hi) for lo, hi in pieces if hi <= start]
    if before:
        lo, hi = before[-1]
        piece = doc.folded[lo:hi]
        language = doc.language
        if hi - lo <= 14 and language.pattern("spin.conclusion_lead").search(piece):
            if not language.pattern("spin.summary_label").match(piece.strip()):
                return lo
    return start


def _follows_result(doc: Document, index: int, reports: Sequence[TrialReport]) -> bool:
    """The sentence comes right after (or inside) a result of one of `reports`, so it speaks of that therapy."""
    return any(
        o.result.sentence in (index - 1, index) or o.result.start <= doc.sentences[index].start < o.result.end
        for report in reports
        for o in report.outcomes
    )


def _turn_from_null(
    doc: Document, sentence: Sentence, first: int, result: SentenceResult
) -> tuple[str, tuple[Evidence, ...]] | None:
    """虽然…无统计学差异，但…说明…: a null result earlier in the sentence, then a claim after a turn."""
    language = doc.language
    nulls = [m for m in result.markers if m.kind in ("null", "trend") and m.end <= first]
    nulls += _conceded_caveats(doc, sentence, first)
    nulls += [
        _as_marker(s) for s in result.statistics if s.significance == "null" and s.end <= first
    ]
    if not nulls:
        return None
    between = doc.folded[nulls[0].end : first]
    turned = language.pattern("spin.contrast").search(doc.folded[nulls[0].end : first + 3]) or language.pattern(
        "spin.conclusion_lead"
    ).search(doc.folded[nulls[0].end : first + 12])
    if not turned:
        return None
    role = "non-significant result"
    kind = "nonsignificant-as-effect"
    if any(m.kind == "trend" for m in result.markers if m.end <= first + 40):
        kind = "trend-as-proof"
    elif language.pattern("trials.role_subgroup").search(between) or language.pattern("trials.role_secondary").search(between):
        kind = "secondary-promoted"
    return kind, tuple(Evidence(role, m.start, m.end, "null") for m in nulls[:2])


@dataclass(frozen=True, slots=True)
class _Span:
    kind: str
    start: int
    end: int


def _conceded_caveats(doc: Document, sentence: Sentence, first: int) -> list[_Span]:
    """A caveat conceded before the claim (尽管…置信区间较宽，但…): as good as a null result."""
    language = doc.language
    text = doc.folded[sentence.start : first]
    concession = language.pattern("spin.concession").search(text)
    if concession is None:
        return []
    caveat = language.pattern("spin.caveat").search(text, concession.end())
    return [_Span("null", sentence.start + caveat.start(), sentence.start + caveat.end())] if caveat else []


def _as_marker(statistic: object) -> _Span:
    return _Span("null", statistic.start, statistic.end)  # type: ignore[attr-defined]


def _kind(
    doc: Document,
    sentence: Sentence,
    text: str,
    shapes: frozenset[str],
    linked: tuple[TrialReport, ...],
    reports: tuple[TrialReport, ...],
    title: bool,
    span: tuple[int, int],
) -> tuple[str | None, TrialReport | None]:
    """The kind of spin a claim is (the first that fits), and the report it contradicts."""
    language = doc.language
    if "universal" in shapes:
        failing = [r for r in reports if not r.positive]
        if failing and (any(r.unfavourable for r in reports) or len(reports) >= 2):
            return "all-studies-positive", failing[0]
    if "superiority" in shapes:
        series = [
            r
            for r in linked
            if r.uncontrolled and not r.controlled and (r.outcomes or {"case_series", "single_arm", "uncontrolled"} & r.facts)
        ]
        if series:
            return "uncontrolled-superiority", series[0]
    contradicted = [r for r in linked if _contradicts_outcome(doc, r, span)]
    unfavourable = [r for r in linked if r.unfavourable]
    if not unfavourable and not contradicted:
        return None, None
    if not unfavourable:
        report = contradicted[0]
        kind = "surrogate-as-clinical" if language.pattern("trials.surrogates").search(doc.folded[span[0] : span[1]]) else "nonsignificant-as-effect"
        return kind, report
    if any(r.positive for r in linked) and len(linked) > 1:
        return None, None
    report = unfavourable[0]
    stopped = report.futility is not None or (report.stopped is not None and not report.positive)
    if stopped and language.pattern("spin.stop_reframe").search(text):
        return "futility-as-success", report
    if title:
        return "headline-contradicts-body", report
    if "superiority" in shapes and (language.pattern("spin.parity").search(text) or report.verdict in ("null", "untested", "trend")):
        return "parity-as-superiority", report
    if "superiority" in shapes and _comparison(doc, (report,), sentence, _comparator(doc, None, text), title) == "null":
        return "parity-as-superiority", report
    if language.pattern("results.trend_markers").search(text) or report.verdict in ("trend", "untested"):
        return "trend-as-proof", report
    if language.pattern("spin.within_group").search(text) and report.controlled:
        return "within-group", report
    if report.early_phase:
        return "early-phase-as-efficacy", report
    if _surrogate_for_clinical(doc, text, report):
        return "surrogate-as-clinical", report
    if _rests_on_other_endpoint(doc, sentence, report):
        if _surrogate_claim(doc, text, report):
            return "surrogate-as-clinical", report
        return "secondary-promoted", report
    if report.verdict == "negative":
        return "arm-comparison", report
    if report.futility is not None:
        return "futility-as-success", report
    return "nonsignificant-as-effect", report


def _comparator(doc: Document, clause: _Clause | None, text: str = "") -> str:
    """What a superiority claim says the therapy beats (优于假针刺 → 假针刺), in a few characters; "" when it names
    nothing."""
    body = doc.folded[clause.start : clause.end] if clause is not None else text
    match = doc.language.pattern("spin.superiority").search(body)
    if match is None:
        return ""
    after = doc.language.pattern("spin.comparator").match(body[match.end() :])
    return after.group("what") if after else ""


def _comparison(
    doc: Document, reports: Sequence[TrialReport], sentence: Sentence, comparator: str, anywhere: bool = False
) -> str:
    """The verdict of the comparison with `comparator` in the clauses of the reports' rows that name it (before the
    claim, or `anywhere` for a title): "null" (a null verdict word there), "positive" (a significance or
    superiority word), or ""."""
    if not comparator:
        return ""
    language = doc.language
    key = comparator[:3]
    null, positive = language.pattern("results.null_markers"), language.pattern("results.positive_markers")
    superior = language.pattern("spin.superiority")
    verdict = ""
    for report in reports:
        for outcome in report.outcomes:
            result = outcome.result
            if result.start <= sentence.start < result.end or (result.end > sentence.start and not anywhere):
                continue
            for lo, hi in _clauses(doc, doc.sentences[result.sentence]):
                clause = doc.folded[lo:hi]
                if key not in clause:
                    continue
                if null.search(clause):
                    verdict = "null"
                elif (positive.search(clause) or superior.search(clause)) and verdict != "null":
                    verdict = "positive"
    return verdict


def _outcome_terms(doc: Document, text: str) -> set[str]:
    language = doc.language
    found: set[str] = set(m.group() for m in language.pattern("spin.time_point").finditer(text))
    for entry in ("trials.surrogates", "trials.clinical_outcomes"):
        found.update(m.group() for m in language.pattern(entry).finditer(text))
    return found


def _contradicts_outcome(doc: Document, report: TrialReport, span: tuple[int, int]) -> bool:
    """The claim names an outcome that the report found no difference in (and no benefit in elsewhere)."""
    sentence = doc.sentence_at(span[0])
    claimed = _outcome_terms(doc, doc.folded[sentence.start : sentence.end] if sentence else doc.folded[span[0] : span[1]])
    if not claimed:
        return False
    null, positive = set(), set()
    for outcome in report.outcomes:
        if outcome.role == "safety":
            continue
        terms = _outcome_terms(doc, doc.folded[outcome.result.start : outcome.result.end])
        if outcome.result.verdict in ("null", "negative", "trend"):
            null |= terms
        elif outcome.result.verdict == "positive":
            positive |= terms
    return bool(claimed & (null - positive))


def _surrogate_for_clinical(doc: Document, text: str, report: TrialReport) -> bool:
    """The claim names a surrogate measure while the trial's primary endpoint is a clinical one, or reads a
    surrogate as a clinical outcome in the same breath (糖化每降1个点，心血管风险就跟着往下走)."""
    language = doc.language
    surrogates, clinical = language.pattern("trials.surrogates"), language.pattern("trials.clinical_outcomes")
    if not surrogates.search(text):
        return False
    primary_clinical = any(clinical.search(doc.folded[o.result.start : o.result.end]) for o in report.primary)
    return primary_clinical or bool(clinical.search(text))


def _rests_on_other_endpoint(doc: Document, sentence: Sentence, report: TrialReport) -> bool:
    """The claim follows results of endpoints other than the primary (secondary, subgroup, exploratory)."""
    language = doc.language
    primary_end = max((o.result.end for o in report.primary), default=report.start)
    since = doc.folded[primary_end : sentence.end] if primary_end < sentence.end else doc.folded[sentence.start : sentence.end]
    if any(language.pattern(f"trials.role_{role}").search(since) for role in ("subgroup", "secondary", "exploratory")):
        return True
    return any(
        o.role in ("secondary", "exploratory", "subgroup", "other") and o.result.start < sentence.start and o.result.verdict in ("positive", "untested")
        for o in report.outcomes
    )


def _surrogate_claim(doc: Document, text: str, report: TrialReport) -> bool:
    """The claim names a surrogate measure, or follows positive results that are surrogate measures."""
    surrogates = doc.language.pattern("trials.surrogates")
    if surrogates.search(text):
        return True
    return any(
        o.role != "primary"
        and o.result.verdict == "positive"
        and surrogates.search(doc.folded[o.result.start : o.result.end])
        for o in report.outcomes
    )


def _figures_text(doc: Document, result: SentenceResult) -> tuple[str, ...]:
    return tuple(doc.text[f.start : f.end] for f in result.figures)


def _report_evidence(doc: Document, report: TrialReport, kind: str) -> tuple[Evidence, ...]:
    """The contradicting result of `report` as related spans: each primary row with its figures and verdict,
    or the futility statement, or the design facts."""
    found: list[Evidence] = []
    if kind in ("early-phase-as-efficacy", "uncontrolled-superiority"):
        for fact, start, end in report.fact_spans:
            if fact in ("uncontrolled", "single_arm", "case_series", "phase_i", "safety_primary", "pilot"):
                found.append(Evidence("design", start, end, fact))
        if found:
            return tuple(found[:2])
    if report.futility is not None:
        found.append(Evidence("futility", *report.futility, "futility"))
    elif kind == "futility-as-success" and report.stopped is not None:
        found.append(Evidence("early stop", *report.stopped, report.verdict))
    for outcome in report.primary:
        result = outcome.result
        spans = result.decided_by or ((result.start, result.end),)
        lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
        found.append(Evidence("result", lo, hi, result.verdict, _figures_text(doc, result)))
    if not found:
        lo, hi = report.anchor
        found.append(Evidence("study", lo, hi, report.verdict))
    return tuple(found[:3])


def _unmeasured_outcomes(doc: Document) -> Iterator[SpinClaim]:
    """A study block that reports only laboratory or surrogate data, concluding a clinical benefit it never
    reported (G-CSF raised EPC counts … 从而改善肾脏血流)."""
    language = doc.language
    pattern, conclusion = language.pattern("spin.unmeasured_outcome"), language.pattern("spin.conclusion")
    for block in evidence(doc).blocks:
        first = doc.sentence_index(block.intro_end)
        rows = [read_sentence(doc, i) for i in range(first, len(doc.sentences)) if doc.sentences[i].start < block.end]
        if any(row.figures or row.has("null") for row in rows):
            continue
        for sentence in doc.sentences[doc.sentence_index(block.intro_end) :]:
            if sentence.start >= block.end:
                break
            text = doc.folded[sentence.start : sentence.end]
            if sentence.start < block.intro_end or not conclusion.search(text):
                continue
            reported = doc.folded[block.intro_end : sentence.start]
            for match in pattern.finditer(text):
                if match.group("outcome") not in reported:
                    yield SpinClaim(
                        "surrogate-as-clinical",
                        sentence.start + match.start(),
                        sentence.start + match.end(),
                        (Evidence("reported", block.intro_end, sentence.start),),
                    )

