"""`evidence`: weak evidence presented as strong — checks over the article's evidence model."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import ClassVar

from lint.analysis.claims import Claim, ClaimClause, claims, claims_in
from lint.analysis.evidence import Evidence, StudyBlock, contains_name, evidence, source_elements
from lint.analysis.numerals import parse_number
from lint.analysis.offer import offer
from lint.core.compiled import compile_regex
from lint.core.document import Document
from lint.core.finding import Hit, Related
from lint.core.language import Slot
from lint.core.prefilter import DocumentHits, GatedPattern, PatternGroup
from lint.core.records import record
from lint.kinds.base import CheckKind, Deadline, parameter

_LABEL = compile_regex(r"^(?P<label>[^:,。;!?\s]{2,14}):")

Check = Callable[["EvidenceKind", Document, Evidence, Deadline], Iterator[Hit]]


def _related(doc: Document, role: str, start: int, end: int) -> Related:
    return Related(role, start, end, doc.text[start:end])


def _source_hit(doc: Document, block: StudyBlock, *related: Related) -> Hit | None:
    if block.source is None:
        return None
    return Hit(block.source.start, block.source.end, (*related, _related(doc, "study", block.start, block.intro_end)))


_RULE_GROUPS: Slot[dict[tuple[GatedPattern, ...], PatternGroup]] = Slot("evidence rule pattern groups")
_RULE_ANCHORS: Slot[dict[tuple[GatedPattern, ...], DocumentHits]] = Slot("evidence rule anchors")


def _anchors(doc: Document, patterns: tuple[GatedPattern, ...]) -> DocumentHits:
    """Where the anchors of a rule's `patterns` occur in `doc` (one pass per document; a pattern is named by its
    place in the tuple): a block in which none of a pattern's anchors lies is not searched for it, as its gate
    would say. The group is kept on the pack, per tuple of patterns (that is, per rule)."""
    found = _RULE_ANCHORS.get(doc, dict)
    hits = found.get(patterns)
    if hits is None:
        groups = _RULE_GROUPS.get(doc.language, dict)
        group = groups.get(patterns)
        if group is None:
            group = groups[patterns] = PatternGroup({str(index): pattern for index, pattern in enumerate(patterns)})
        hits = found[patterns] = group.scan(doc.folded)
    return hits


def _terms_in(text: str, terms: tuple[str, ...]) -> bool:
    return any(contains_name(text, term) for term in terms)


def _preprint(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    names, prefixes = kind.params.names, kind.params.doi_prefixes
    for block in model.blocks:
        entry = model.reference_for(doc, block)
        intro = doc.folded[block.start : block.intro_end]
        from_name = _terms_in(block.source_name, names)
        from_entry = entry is not None and (any(p in entry.text for p in prefixes) or _terms_in(entry.text, names))
        if (from_name or from_entry) and doc.language.pattern("evidence.presented_as_journal").search(intro):
            related = (_related(doc, "reference", entry.start, entry.end),) if entry else ()
            hit = _source_hit(doc, block, *related)
            if hit:
                yield hit


def _conference(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    markers = kind.params.markers
    for block in model.blocks:
        entry = model.reference_for(doc, block)
        block_text = doc.folded[block.start : block.end]
        if entry is None or not _terms_in(entry.text, markers) or _terms_in(block_text, markers):
            continue
        hit = _source_hit(doc, block, _related(doc, "reference", entry.start, entry.end))
        if hit:
            yield hit


def _publisher(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    names = kind.params.names
    for block in model.blocks:
        if block.source_name and block.source_name.strip().lower() in names:
            hit = _source_hit(doc, block)
            if hit:
                yield hit


def _claims_in_block(doc: Document, model: Evidence) -> Iterator[tuple[Claim, ClaimClause, StudyBlock]]:
    """Unhedged claim clauses about a study's result: after its introducing sentence, or after the first clause of a
    one-sentence report (某团队报告了3例…,证实了…疗效; 一项动物实验显示,外泌体能显著延长大鼠寿命)."""
    for claim in claims(doc):
        block = model.block_at(claim.start)
        if block is None:
            continue
        for clause in claim.unqualified():
            if clause.start >= block.intro_end or doc.clause_bounds(clause.start, clause.end)[0] > claim.sentence.start:
                yield claim, clause, block


def _preclinical(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    labels = kind.params.limitations
    marker, conclusion = doc.language.pattern("facts.preclinical"), doc.language.pattern("evidence.conclusion")
    consistent_with = doc.language.pattern("evidence.consistent_with_preclinical")
    for claim, clause, block in _claims_in_block(doc, model):
        if not clause.kinds & {"efficacy", "proof", "comparative"}:
            continue
        if clause.start < block.intro_end:
            # a one-sentence report names its model up front; what counts is a conclusion drawn past it
            tail = doc.folded[doc.clause_bounds(clause.start, clause.start)[0] : claim.sentence.end]
            if not conclusion.search(tail) or any(label in tail for label in labels):
                continue
        elif any(label in doc.folded[claim.sentence.start : claim.sentence.end] for label in labels):
            continue
        first = max(doc.block_index(block.start), claim.sentence.block - 2)
        lo = max(block.start, doc.blocks[first].start)
        hi = doc.blocks[claim.sentence.block].end
        window = consistent_with.sub(lambda m: " " * len(m.group()), doc.folded[lo:hi])
        found = marker.search(window)
        if found:
            yield Hit(clause.start, clause.end, (_related(doc, "preclinical", lo + found.start(), lo + found.end()),))


_WEAK_DESIGNS = ("phase_i", "pilot", "case_series", "single_arm", "uncontrolled", "conference")


def _small_study(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    limitations = kind.params.limitations
    small_n = kind.params.max_n
    conclusion = doc.language.pattern("evidence.conclusion")
    pending: tuple[Claim, Hit] | None = None  # one finding per conclusion sentence
    for claim, clause, block in _claims_in_block(doc, model):
        size = block.size
        tiny = size is not None and size < small_n
        early = block.has(*_WEAK_DESIGNS)
        if not (tiny or early) or not clause.kinds & {"efficacy", "comparative", "proof", "safety"}:
            continue
        if clause.kinds <= {"safety"} and not tiny:
            continue
        following = doc.sentences[doc.sentence_index(claim.sentence.start) + 1 :][:1]
        nearby = doc.folded[clause.start : claim.sentence.end] + "".join(doc.folded[s.start : s.end] for s in following)
        if not conclusion.search(doc.folded, claim.sentence.start, clause.end) or any(
            term in nearby for term in limitations
        ):
            continue
        facts = [f for f in block.facts if f.kind in ("n", *_WEAK_DESIGNS)]
        hit = Hit(clause.start, clause.end, tuple(_related(doc, f.kind, f.start, f.end) for f in facts[:3]))
        if pending is not None and pending[0] is claim:
            pending = (claim, Hit(pending[1].start, hit.end, pending[1].related))
            continue
        if pending is not None:
            yield pending[1]
        pending = (claim, hit)
    if pending is not None:
        yield pending[1]


def _randomized_all_treated(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """A study called randomized whose patients all got the therapy: always for `patterns`, and for
    `uncontrolled_patterns` when neither the paragraph nor its study block describes a second arm (a label such as
    随机对照 is no arm). A named group `span` narrows the reported span."""
    always = kind.params.patterns
    uncontrolled = kind.params.uncontrolled_patterns
    arms = doc.language.pattern("facts.arms")
    studies_with_arms: dict[int, bool] = {}  # by study block start: the block describes a second arm
    always_anchors, uncontrolled_anchors = _anchors(doc, always), _anchors(doc, uncontrolled)
    for paragraph in doc.blocks:
        if paragraph.kind == "reference":
            continue
        present = always_anchors.within(paragraph.start, paragraph.end)
        possible = uncontrolled_anchors.within(paragraph.start, paragraph.end)
        if not (present or possible):
            continue  # no pattern has an anchor in the paragraph
        text = doc.folded[paragraph.start : paragraph.end]
        study = model.block_at(paragraph.start)
        related = () if study is None else (_related(doc, "study", study.start, study.intro_end),)
        patterns = [pattern for index, pattern in enumerate(always) if str(index) in present]
        # whether a second arm is described is asked only where an uncontrolled pattern may match
        if any(str(index) in possible and pattern.possible(text) for index, pattern in enumerate(uncontrolled)) and (
            not _describes_arms(doc, arms, text, study, studies_with_arms)
        ):
            patterns += [pattern for index, pattern in enumerate(uncontrolled) if str(index) in possible]
        for pattern in patterns:
            group = "span" if "span" in pattern.groupindex else 0
            for match in deadline.finditer(pattern, text):
                yield Hit(paragraph.start + match.start(group), paragraph.start + match.end(group), related)


def _describes_arms(
    doc: Document, arms: GatedPattern, text: str, study: StudyBlock | None, studies: dict[int, bool]
) -> bool:
    """Whether a paragraph (`text`) or its study block describes a second arm (`studies`: the blocks' answers so
    far, as a block holds many paragraphs). Asked of each alternative on its own (`GatedPattern.occurs`): the arms
    are an alternation of many, with no literal for `regex` to skip to."""
    if arms.occurs(text):
        return True
    if study is None:
        return False
    found = studies.get(study.start)
    if found is None:
        found = studies[study.start] = arms.occurs(doc.folded, study.start, study.end)
    return found


def _heading_mismatch(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    groups = [tuple(term.strip() for term in group.split("|")) for group in kind.params.groups]
    for block in model.blocks:
        first = doc.blocks[doc.block_index(block.start)]
        label = _LABEL.match(doc.folded[first.start : first.end])
        if not label:
            continue
        body = doc.folded[first.start + label.end() : block.end]
        named = [g for g in groups if _terms_in(label.group("label"), g)]
        mentioned = [g for g in groups if _terms_in(body, g)]
        if named and not any(g in mentioned for g in named) and mentioned:
            start = first.start + label.start("label")
            yield Hit(start, start + len(label.group("label")), (_related(doc, "study", block.start, block.end),))


def _unsourced_statistic(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """A precise share about the promoted therapy itself (90%以上的干细胞治疗方案…) with no source; shares about the
    body, a disease or people in general are background, and a benefit figure is a quantified claim."""
    patterns = kind.params.patterns
    subjects, treatments = doc.language.pattern("claims.subjects"), kind.params.markers
    anchors = _anchors(doc, patterns)
    for block in doc.blocks:
        if block.kind == "reference":
            continue
        present = anchors.within(block.start, block.end)
        if not present or model.cites(doc, block.start, block.end):
            continue
        text = doc.folded[block.start : block.end]
        for index, pattern in enumerate(patterns):
            if str(index) not in present:
                continue
            for match in deadline.finditer(pattern, text):
                start = block.start + match.start()
                about = match.group()
                if model.block_at(start) is None and subjects.search(about) and any(t in about for t in treatments):
                    yield Hit(start, block.start + match.end())


def _weak_block(block: StudyBlock, small_n: int) -> bool:
    size = block.size
    return (size is not None and size < small_n) or block.has("phase_i", "pilot", "case_series", "preclinical")


def _universal_proof(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    patterns = kind.params.patterns
    small_n = kind.params.max_n
    weak = [b for b in model.blocks if _weak_block(b, small_n)]
    if not weak:
        return
    related = tuple(
        _related(doc, "weak study", fact.start, fact.end)
        for block in weak
        for fact in [block.first("n") or block.facts[0]]
    )
    for pattern in patterns:
        for match in deadline.finditer(pattern, doc.folded):
            if model.block_at(match.start()) is None:
                yield Hit(match.start(), match.end(), related)


def _trimmed(doc: Document, start: int, end: int) -> int:
    """`end` moved back over the punctuation and spaces that close a sentence or clause."""
    stop = doc.language.pattern("document.sentence_end")
    while end > start and (
        doc.folded[end - 1].isspace() or stop.match(doc.folded, end - 1) or doc.folded[end - 1] in ",;:"
    ):
        end -= 1
    return end


def _preclinical_nearby(doc: Document, sentence_index: int, before: int) -> tuple[int, int] | None:
    """A preclinical marker in the text of the sentence before `before` or in the two sentences before it (in the
    same or the previous paragraph), a human result said to agree with one blanked out."""
    language = doc.language
    sentence = doc.sentences[sentence_index]
    lo_index = sentence_index
    while lo_index > 0 and sentence_index - lo_index < 2:
        previous = doc.sentences[lo_index - 1]
        if previous.block < sentence.block - 1 or doc.blocks[previous.block].kind == "reference":
            break
        lo_index -= 1
    lo = doc.sentences[lo_index].start
    window = language.pattern("evidence.consistent_with_preclinical").sub(
        lambda m: " " * len(m.group()), doc.folded[lo:before]
    )
    found = language.pattern("facts.preclinical").search(window)
    return (lo + found.start(), lo + found.end()) if found else None


def _extrapolation(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """An animal, cell or in-vitro result carried over to people in the same or the next sentence (这意味着…,
    证明它对人体同样有效, 为…患者提供了直接证据); a statement that stays with the model (这说明小鼠…) is not."""
    if offer(doc).critical:
        return
    language = doc.language
    marker, labels = language.pattern("evidence.extrapolation"), language.pattern("evidence.model_label")
    hedges = language.pattern("claims.hedges")
    for index, sentence in enumerate(doc.sentences):
        if doc.blocks[sentence.block].kind == "reference":
            continue
        text = doc.folded[sentence.start : sentence.end]
        for found in marker.finditer(text):
            start = sentence.start + found.start()
            _, end = doc.clause_bounds(start, sentence.start + found.end())
            if end == sentence.start + found.end() and end < sentence.end:
                _, end = doc.clause_bounds(end + 1, end + 1)
            end = _trimmed(doc, start, end)
            if labels.search(doc.folded[start:end]) or hedges.search(doc.folded, start, end):
                continue
            evidence_of = _preclinical_nearby(doc, index, start)
            if evidence_of:
                yield Hit(start, end, (_related(doc, "preclinical", *evidence_of),))
                break


def _preclinical_support(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """An animal or in-vitro study in a paragraph that promotes the therapy for people with a claim of its own, where
    the paragraph says nothing of the gap between the two (尚无人体证据)."""
    if offer(doc).critical:
        return
    language = doc.language
    limitations = kind.params.limitations
    study, marker = language.pattern("evidence.preclinical_study"), language.pattern("facts.preclinical")
    extrapolation = language.pattern("evidence.extrapolation")
    labels = language.pattern("evidence.model_label")
    found_claims = claims(doc)
    starts = [c.start for c in found_claims]
    for sentence in doc.sentences:
        block = doc.blocks[sentence.block]
        if block.kind == "reference":
            continue
        text = doc.folded[sentence.start : sentence.end]
        found = study.search(text)
        if not found or not marker.search(text) or extrapolation.search(text, found.end()):
            continue
        paragraph = doc.folded[block.start : block.end]
        if any(term in paragraph for term in limitations):
            continue
        lo, hi = bisect.bisect_left(starts, block.start), bisect.bisect_left(starts, block.end)
        human = [
            c
            for c in found_claims[lo:hi]
            if c.sentence is not sentence
            and c.sentence.start != sentence.start
            and c.has_subject
            and c.unqualified()
            and not labels.search(doc.folded[c.sentence.start : c.sentence.end])
        ]
        if human:
            start = sentence.start + found.start()
            _, end = doc.clause_bounds(start, sentence.start + found.end())
            claim = human[0]
            yield Hit(doc.clause_bounds(start, start)[0], end, (_related(doc, "claim", claim.start, claim.end),))


def _inflated_source(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """A source inflated as 国际权威期刊 for a study that is a single case, tiny, a case series or a conference
    abstract."""
    small_n = kind.params.max_n
    inflation = doc.language.pattern("evidence.inflation")
    single = doc.language.pattern("evidence.single_patient")
    for block in model.blocks:
        if block.source is None or not inflation.search(doc.folded[block.source.start : block.source.end]):
            continue
        text = doc.folded[block.start : block.end]
        weak = (block.size is not None and block.size < small_n) or block.has("case_series", "conference", "phase_i")
        if weak or single.search(text):
            facts = [f for f in block.facts if f.kind in ("n", "case_series", "conference", "phase_i")]
            hit = _source_hit(doc, block, *(_related(doc, f.kind, f.start, f.end) for f in facts[:2]))
            if hit:
                yield hit


def _clause_from(doc: Document, start: int, matched: int = 0) -> int:
    """The end of the clause at `start`, or of the next one when what was matched (up to `matched`) fills the clause
    (这意味着：…; 每天只需两粒，就能…)."""
    _, end = doc.clause_bounds(start, start)
    sentence = doc.sentence_at(start)
    if sentence is not None and end < sentence.end and _trimmed(doc, start, end) <= max(matched, start):
        _, end = doc.clause_bounds(end + 1, end + 1)
    return _trimmed(doc, start, end)


def _clause_start(doc: Document, offset: int) -> int:
    """The start of the clause holding `offset`."""
    return doc.clause_bounds(offset, offset)[0]


def _conference_in_text(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """A supplement or a meeting abstract called a publication (已发表在《X》增刊上), or a proof drawn from one in its
    sentence (年会摘要显示…，证实…; 壁报证实了…), unless the sentence says plainly that it is an abstract."""
    language = doc.language
    conference, honest = language.pattern("facts.conference"), language.pattern("evidence.honest_abstract")
    published, proof = language.pattern("evidence.presented_as_journal"), language.pattern("evidence.conclusion")
    for sentence in doc.sentences:
        if doc.blocks[sentence.block].kind == "reference":
            continue
        text = doc.folded[sentence.start : sentence.end]
        marked = conference.search(text)
        if not marked or honest.search(text):
            continue
        related = (_related(doc, "conference", sentence.start + marked.start(), sentence.start + marked.end()),)
        block = model.block_at(sentence.start + marked.start())
        source = block.source if block is not None else None
        if source is not None and sentence.start <= source.start < sentence.end and published.search(text):
            yield Hit(source.start, source.end, related)
            continue
        concluded = proof.search(text, marked.end())
        if concluded:
            proof_at = sentence.start + concluded.start()
            start = max(_clause_start(doc, proof_at), sentence.start + marked.start())
            yield Hit(start, _clause_from(doc, proof_at), related)


def _dose_transfer(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """A study of a dose or form the product does not deliver (每日4克处方级EPA, 静脉注射大剂量维生素C, a prescription
    drug) followed, in the same or the next two sentences, by the product said to do the same (每天只需2粒就能…,
    这款软糖同样能…): the study's result carried over to a product it did not test."""
    language = doc.language
    dose, trial, transfer = (
        language.pattern("evidence.study_dose"),
        language.pattern("evidence.trial_word"),
        language.pattern("evidence.transfer"),
    )
    mass = language.pattern("evidence.mass_dose")
    for index, sentence in enumerate(doc.sentences):
        if doc.blocks[sentence.block].kind == "reference":
            continue
        text = doc.folded[sentence.start : sentence.end]
        tested = dose.search(text)
        if not tested:
            continue
        if mass.match(text, tested.start()) and not (trial.search(text) or model.block_at(sentence.start)):
            continue
        later = [s for s in doc.sentences[index + 1 : index + 3] if s.block <= sentence.block + 1]
        for candidate, lo in ((sentence, tested.end()), *((s, 0) for s in later)):
            found = transfer.search(doc.folded[candidate.start : candidate.end], lo)
            if found:
                start = candidate.start + found.start()
                evidence_of = (_related(doc, "study", sentence.start, sentence.end),)
                yield Hit(start, _clause_from(doc, start, candidate.start + found.end()), evidence_of)
                break


def _case_report(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """A single case offered as proof: a published case (另一篇报道中，一名患者…完全恢复正常), or one followed by a
    conclusion in its sentence (一名患者服用三个月…，说明这款产品能治糖尿病)."""
    if offer(doc).critical:
        return
    language = doc.language
    report, single = language.pattern("evidence.report"), language.pattern("evidence.single_patient")
    conclusion = language.pattern("evidence.conclusion")
    for claim in claims(doc):
        text = doc.folded[claim.sentence.start : claim.sentence.end]
        patient = single.search(text)
        clauses = claim.unqualified()
        if not patient or not clauses:
            continue
        if report.search(text[: patient.start()]):
            start = claim.sentence.start + patient.start()
            yield Hit(start, max(start, clauses[-1].end))
            continue
        concluded = conclusion.search(text, patient.end())
        if concluded and clauses[-1].end > claim.sentence.start + concluded.start():
            start = _clause_start(doc, claim.sentence.start + concluded.start())
            yield Hit(
                start,
                _clause_from(doc, start),
                (_related(doc, "case", claim.sentence.start + patient.start(), claim.sentence.start + patient.end()),),
            )


def _tiny_count(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """A proof drawn in one sentence from fewer than `max_n` people outside any described study (我院收治的8名患者…全部
    长出新发，充分证明了疗效); a limitation stated next to it clears it."""
    if offer(doc).critical:
        return
    language = doc.language
    count, conclusion = language.pattern("evidence.count"), language.pattern("evidence.conclusion")
    limitations, small_n = kind.params.limitations, kind.params.max_n
    for index, sentence in enumerate(doc.sentences):
        if doc.blocks[sentence.block].kind == "reference" or model.block_at(sentence.start):
            continue
        text = doc.folded[sentence.start : sentence.end]
        counted = count.search(text)
        if not counted or parse_number(language, counted.group("n")) >= small_n:
            continue
        concluded = conclusion.search(text, counted.end())
        following = doc.sentences[index + 1 : index + 2]
        nearby = text + "".join(doc.folded[s.start : s.end] for s in following)
        if not concluded or any(term in nearby for term in limitations):
            continue
        start = _clause_start(doc, sentence.start + concluded.start())
        yield Hit(
            start,
            _clause_from(doc, start),
            (_related(doc, "n", sentence.start + counted.start(), sentence.start + counted.end()),),
        )


def _bare_appeal(kind: EvidenceKind, doc: Document, model: Evidence, deadline: Deadline) -> Iterator[Hit]:
    """An appeal to science as proof with no study behind it (已被科学证明, 大量临床研究证实), on a promoting page or
    beside an unqualified efficacy claim. A study described around it, a checkable citation in its paragraph, or
    two source elements in its sentence or the next one clear it."""
    page = offer(doc)
    if page.critical or page.notice:
        return
    language = doc.language
    proof = language.pattern("evidence.proof_appeal")
    for index, sentence in enumerate(doc.sentences):
        block = doc.blocks[sentence.block]
        if block.kind == "reference":
            continue
        text = doc.folded[sentence.start : sentence.end]
        found = proof.search(text)
        if found is None or not (page.promotional or _claims_in(doc, sentence.start, sentence.end)):
            continue
        start = sentence.start + found.start()
        study = model.block_at(start)
        if study is not None and study.identifiable:
            continue
        following = doc.sentences[index + 1 : index + 2]
        reach = following[0].end if following and following[0].block == sentence.block else sentence.end
        if source_elements(doc, sentence.start, reach) >= 2 or model.cites(doc, block.start, block.end):
            continue
        yield Hit(start, sentence.start + found.end())


def _claims_in(doc: Document, start: int, end: int) -> bool:
    """Whether an unhedged efficacy claim that is not a mechanism statement lies in [start, end)."""
    wanted = {"efficacy", "comparative", "benefit"}
    sentence = doc.sentence_at(start)
    lo = sentence.start if sentence is not None else start
    return any(
        clause.start >= start and clause.end <= end and clause.kinds & wanted
        for claim in claims_in(doc, lo, end)
        if claim.has_subject
        for clause in claim.unqualified()
    )


CHECKS: dict[str, Check] = {
    "preprint-as-journal": _preprint,
    "conference-as-publication": _conference,
    "publisher-as-journal": _publisher,
    "preclinical-as-clinical": _preclinical,
    "small-study-as-proof": _small_study,
    "randomized-all-treated": _randomized_all_treated,
    "heading-mismatch": _heading_mismatch,
    "unsourced-statistic": _unsourced_statistic,
    "universal-proof": _universal_proof,
    "preclinical-extrapolation": _extrapolation,
    "preclinical-support": _preclinical_support,
    "inflated-source": _inflated_source,
    "conference-in-text": _conference_in_text,
    "dose-transfer": _dose_transfer,
    "case-report-as-proof": _case_report,
    "tiny-count-as-proof": _tiny_count,
    "bare-appeal": _bare_appeal,
}


@record(frozen=True, slots=True)
class EvidenceParams:
    check: str = parameter("str", help="which evidence check to run")
    names: tuple[str, ...] = parameter("terms", default=(), help="source names (preprint servers, publishers)")
    doi_prefixes: tuple[str, ...] = parameter("terms", default=(), help="DOI prefixes of the source type")
    markers: tuple[str, ...] = parameter("terms", default=(), help="words that mark the source type or design")
    limitations: tuple[str, ...] = parameter(
        "terms", default=(), help="a limitation stated next to the claim cancels it"
    )
    max_n: int = parameter("int", default=20, help="studies with fewer participants are small")
    groups: tuple[str, ...] = parameter("terms", default=(), help="synonym groups, '|'-separated (disease names)")
    patterns: tuple[GatedPattern, ...] = parameter("regexes", default=(), help="patterns that are always a finding")
    uncontrolled_patterns: tuple[GatedPattern, ...] = parameter(
        "regexes", default=(), help="patterns that are a finding without a control arm"
    )


class EvidenceKind(CheckKind[EvidenceParams, Evidence]):
    """Runs one named `check` of the evidence model; each check reads its word lists from the rule."""

    checks: ClassVar[dict[str, Check]] = CHECKS
    name: ClassVar[str] = "evidence"
    Params = EvidenceParams

    def model(self, doc: Document) -> Evidence:
        return evidence(doc)
