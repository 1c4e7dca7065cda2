"""Context scope shared by every rule kind: when a trigger is not a finding.

Each scope is a predicate over a span of a `Document`; a rule lists the scopes that cancel it under
``unless:``. All checks read `Document.folded`, which has the same offsets as the original text, the
`scopes.*` entries of the document's language pack, and the document's genre and promoted offer
(`lint.analysis.offer`). Every check looks at the trigger's sentence, its neighbours or its section heading
only. A scope reads at most `CONTEXT_REACH` characters on each side of the trigger (within its clause, sentence or
block), and what depends on a whole sentence or block only (its quotations, whether it criticises, whether it
names a source) is worked out once per sentence or block, so every trigger costs the same to judge however long
its sentence: a sentence of thousands of triggers stays linear.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from lint.analysis.evidence import StudyBlock, reports_safety_data, study_block_at
from lint.analysis.offer import offer
from lint.analysis.results import arm_labels
from lint.core.document import CONTEXT_REACH as REACH
from lint.core.document import Document, Sentence
from lint.core.language import Slot

Scope = Callable[[Document, int, int], bool]

_NON_PROMOTING = frozenset(
    {"news", "doctor_qa", "patient_education", "debunk", "regulator", "consumer_warning", "recruitment"}
)
_HEADING_REACH = 7  # blocks searched upward for a heading that criticises what follows
_QUOTATIONS: Slot[dict[int, _Quotations]] = Slot("quotations by sentence")
_ONCE: Slot[dict[tuple[str, int], bool]] = Slot("scope facts by sentence or block")
_CLAUSES: Slot[dict[tuple[int, int], tuple[int, int]]] = Slot("scope clauses by trigger")


class _Quotations:
    """The quotations of one sentence, with the chain each belongs to (neighbours joined only by separators)."""

    __slots__ = ("chains", "spans", "starts")

    def __init__(self, spans: list[tuple[int, int]], chains: list[tuple[int, int]]) -> None:
        self.spans, self.chains = spans, chains
        self.starts = [start for start, _ in spans]

    def around(self, start: int, end: int) -> tuple[int, int] | None:
        """The chain of the quotation that holds [start, end), if one does."""
        index = bisect.bisect_left(self.starts, start) - 1
        if index >= 0 and end <= self.spans[index][1]:
            return self.chains[index]
        return None


def _once(doc: Document, key: str, at: int, compute: Callable[[], bool]) -> bool:
    """A fact about the sentence or block starting at `at`, worked out once per document."""
    known = _ONCE.get(doc, dict)
    found = known.get((key, at))
    if found is None:
        found = known[(key, at)] = compute()
    return found


def _sentence(doc: Document, start: int, end: int | None = None) -> tuple[int, int]:
    """The trigger's sentence, cut to `CONTEXT_REACH` characters on each side of the trigger."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return start, start
    return max(sentence.start, start - REACH), min(sentence.end, (start if end is None else end) + REACH)


def _clause(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The clause around a span for negation and questions: between commas, colons and semicolons (a list
    comma 、 does not end it), inside the sentence; worked out once per trigger, which several scopes ask of."""
    known = _CLAUSES.get(doc, dict)
    found = known.get((start, end))
    if found is None:
        found = known[start, end] = _read_clause(doc, start, end)
    return found


def _read_clause(doc: Document, start: int, end: int) -> tuple[int, int]:
    lo, hi = _sentence(doc, start, end)
    hi = max(hi, end)
    breaks = doc.language.pattern("scopes.clause_break")
    clause_start = lo
    for found in breaks.finditer(doc.folded, lo, start):
        clause_start = found.end()
    after = breaks.search(doc.folded, end, hi)
    return clause_start, (after.start() if after else hi)


def _strip_marks(text: str, marks: str) -> str:
    return text.rstrip(marks + " ")


def negated(doc: Document, start: int, end: int) -> bool:
    """A negator just before the trigger (不能根治, 没有“最有效”的…), a denial earlier in its clause (没有人敢说…,
    目前还没有…), or a denial just after it (最佳方案未统一)."""
    language = doc.language
    clause_start, clause_end = _clause(doc, start, end)
    before = doc.folded[clause_start:start]
    quotes = "".join(language.words("scopes.open_quotes"))
    near = _strip_marks(before, quotes)
    if language.pattern("scopes.negator").search(near, max(0, len(near) - 2)):
        return True
    if language.pattern("scopes.strong_negation").search(before):
        return True
    return bool(language.pattern("scopes.negation_after").match(doc.folded[end:clause_end]))


def questioned(doc: Document, start: int, end: int) -> bool:
    """The trigger sits in a question: the sentence asks (？), a question word stands before or after it in its
    clause, an SEO question heading, an indirect question whose answer is deferred, or the asker's line of a Q&A."""
    language = doc.language
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    text = doc.folded[max(sentence.start, sentence.end - REACH) : sentence.end].rstrip("”’」』) ")
    if text.endswith(("?", "？")):
        return True
    clause_start, clause_end = _clause(doc, start, end)
    if language.pattern("scopes.question_word").search(doc.folded, clause_start, start):
        return True
    if language.pattern("scopes.question_after").search(doc.folded, end, clause_end):
        return True
    embedded = language.pattern("scopes.embedded_question")
    if _once(doc, "embedded", sentence.start, lambda: bool(embedded.search(doc.folded, sentence.start, sentence.end))):
        return True
    block = doc.blocks[sentence.block]
    return _once(doc, "asking block", block.start, lambda: _asking_block(doc, block.start, block.end, block.kind))


def _asking_block(doc: Document, start: int, end: int, kind: str) -> bool:
    """The block is the asker's line of a Q&A, or a heading that asks (an SEO question heading)."""
    language = doc.language
    if language.pattern("scopes.question_block").match(doc.folded, start, end):
        return True
    if kind != "heading":
        return False
    heading = doc.folded[start:end]
    return "?" in heading or bool(language.pattern("scopes.question_word").search(heading))


def other_treatment(doc: Document, start: int, end: int) -> bool:
    """The trigger is said of another treatment (传统疗法…无法逆转, 肝移植是唯一的根治手段), not of the promoted
    offer: a treatment the page itself sells is no "other" treatment."""
    lo, _ = _sentence(doc, start)
    before = doc.folded[lo:start]
    language = doc.language
    comparator = language.pattern("scopes.comparator")
    promoted = offer(doc).primary
    treatments = [m.span() for m in language.pattern("scopes.other_treatment").finditer(before)]
    others = [
        end
        for start, end in treatments
        if not comparator.search(before[max(0, start - 3) : start]) and before[start:end] not in promoted
    ]
    if not others:
        return False
    mentions = [m.span() for m in language.pattern("scopes.subject").finditer(before)]
    for name in promoted:
        at = before.rfind(name)
        if at >= 0:
            mentions.append((at, at + len(name)))
    subjects = [end for start, end in mentions if not any(s < end and start < e for s, e in treatments)]
    return not subjects or others[-1] > max(subjects)


def cited_title(doc: Document, start: int, end: int) -> bool:
    """The trigger is inside a title mark 《…》 that cites a source (a study, a book, a guideline); the page's own
    product or gift title (《…手册》 offered to the reader) is not a citation."""
    sentence = doc.sentence_at(start)
    lo = max(doc.blocks[sentence.block].start if sentence else 0, start - REACH)
    language = doc.language
    opening = max((doc.folded.rfind(mark, lo, start) for mark in language.words("scopes.title_open")), default=-1)
    if opening < 0:
        return False
    between = doc.folded[opening:start]
    if any(mark in between for mark in language.words("scopes.title_close")):
        return False
    s0, s1 = _sentence(doc, start)
    return bool(language.pattern("scopes.cited_source").search(doc.folded, min(s0, opening), max(s1, end)))


def _quotations(doc: Document, sentence: Sentence) -> _Quotations:
    """The quotations of a sentence as (start, end) spans including their marks, and their chains (“A”“B”、「C」),
    worked out once per sentence."""
    by_sentence = _QUOTATIONS.get(doc, dict)
    found = by_sentence.get(sentence.start)
    if found is not None:
        return found
    language = doc.language
    openers, closers = language.words("scopes.open_quotes"), language.words("scopes.close_quotes")
    pairs = dict(zip(openers, closers, strict=False))
    spans: list[tuple[int, int]] = []
    opened = None
    text = doc.folded
    for index in range(sentence.start, sentence.end):
        ch = text[index]
        if opened is not None and ch == pairs.get(text[opened]):
            spans.append((opened, index + 1))
            opened = None
        elif opened is None and ch in pairs:
            opened = index
    if opened is not None:
        spans.append((opened, sentence.end))
    separator = language.pattern("scopes.chain_separator")
    groups: list[list[int]] = []
    for index, (start, _) in enumerate(spans):
        if groups and separator.match(text[spans[index - 1][1] : start]):
            groups[-1].append(index)
        else:
            groups.append([index])
    chains: list[tuple[int, int]] = [(0, 0)] * len(spans)
    for group in groups:
        for index in group:
            chains[index] = (spans[group[0]][0], spans[group[-1]][1])
    found = by_sentence[sentence.start] = _Quotations(spans, chains)
    return found


def _critic_sentence(doc: Document, sentence: Sentence) -> bool:
    """Whether the sentence speaks as a critic or a regulator (once per sentence)."""
    critic = doc.language.pattern("scopes.critic_sentence")
    return _once(doc, "critic", sentence.start, lambda: bool(critic.search(doc.folded, sentence.start, sentence.end)))


def _criticised_nearby(doc: Document, sentence: Sentence) -> bool:
    """The next sentence refers back to this one and criticises it (这类说法…缺乏依据), or the heading of the
    section criticises what follows (常见违规话术); once per sentence."""
    return _once(doc, "criticised nearby", sentence.start, lambda: _criticised_around(doc, sentence))


def _criticised_around(doc: Document, sentence: Sentence) -> bool:
    language = doc.language
    critic = language.pattern("scopes.critic_sentence")
    index = doc.sentence_index(sentence.start)
    if index + 1 < len(doc.sentences):
        following = doc.sentences[index + 1]
        text = doc.folded[following.start : following.end]
        if language.pattern("scopes.refers_back").match(text) and critic.search(text):
            return True
    block_index = sentence.block
    for back in range(block_index - 1, max(-1, block_index - _HEADING_REACH), -1):
        block = doc.blocks[back]
        if block.kind == "heading" and _criticising_heading(doc, block.start, block.end):
            return True
    return False


def _criticising_heading(doc: Document, start: int, end: int) -> bool:
    """Whether the heading [start, end) criticises what follows (once per heading: the sentences of the blocks
    under it ask it each)."""
    critic = doc.language.pattern("scopes.critic_sentence")
    return _once(doc, "critic heading", start, lambda: bool(critic.search(doc.folded, start, end)))


def critic_quote(doc: Document, start: int, end: int) -> bool:
    """The trigger is quoted or reported in order to criticise it: a critic's lead before its quotation or its
    chain of quotations (网传, 宣称, 所谓, 广告称, 内容含有), a rejection after the chain (等说法没有依据), a
    sentence that criticises (骗局, 被罚, 违法), a next sentence or section heading that does, or a quotation
    anywhere in a notice, a consumer warning or a debunk."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    language = doc.language
    chain = _quotations(doc, sentence).around(start, end)
    if chain is None:
        clause_start, _ = _clause(doc, start, end)
        if language.pattern("scopes.critic_lead").search(doc.folded[clause_start:start]):
            return True
        if offer(doc).critical and _critic_sentence(doc, sentence):
            return True
        return _criticised_nearby(doc, sentence)
    chain_start, chain_end = chain
    if language.pattern("scopes.critic_lead").search(doc.folded[max(sentence.start, chain_start - 24) : chain_start]):
        return True
    if language.pattern("scopes.critic_tail").match(doc.folded[chain_end : min(sentence.end, chain_end + REACH)]):
        return True
    if _critic_sentence(doc, sentence) or offer(doc).critical:
        return True
    return _criticised_nearby(doc, sentence)


def hedged(doc: Document, start: int, end: int) -> bool:
    """The claim is framed as a possibility in its own clause (可能, 有望), under a frame that governs its sentence
    (希望…, 如果…), or as a prospect named after it (…的潜力, 仍需验证). A hedge in one clause does not soften a
    flat promise in the next, nor does an appended "it is possible"."""
    language = doc.language
    lo, hi = _sentence(doc, start, end)
    clause_start, _ = _clause(doc, start, end)
    if language.pattern("scopes.hedge").search(doc.folded, clause_start, start):
        return True
    if language.pattern("scopes.hedge_frame").search(doc.folded, lo, start):
        return True
    return bool(language.pattern("scopes.hedge_after").search(doc.folded, end, max(end, hi)))


def aspiration(doc: Document, start: int, end: int) -> bool:
    """The trigger names what is still needed (亟需突破性治疗方案, 还需要技术突破), not what exists."""
    clause_start, _ = doc.clause_bounds(start, end)
    return bool(doc.language.pattern("scopes.aspiration").search(doc.folded[max(clause_start, start - REACH) : start]))


def sourced(doc: Document, start: int, end: int) -> bool:
    """The sentence names a checkable source (据《…》, a named body, a numbered reference, author and year), so
    a factual superlative, statistic or prognosis in it is reported, not claimed."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    source = doc.language.pattern("scopes.sourced")
    return _once(doc, "sourced", sentence.start, lambda: bool(source.search(doc.folded, sentence.start, sentence.end)))


def attributed(doc: Document, start: int, end: int) -> bool:
    """The claim is attributed to researchers, authors or a report earlier in its sentence (研究者在结论中写道…)."""
    lo, _ = _sentence(doc, start)
    return bool(doc.language.pattern("scopes.attribution").search(doc.folded, lo, start))


def notice(doc: Document, start: int, end: int) -> bool:
    """The document is a regulator's notice, a consumer warning or a recruitment notice: it makes no claims of
    its own (what it quotes, it reports)."""
    return offer(doc).notice


def unpromoted(doc: Document, start: int, end: int) -> bool:
    """The document is of a genre that promotes nothing (news, Q&A, patient education, a debunk, a notice) and
    sells nothing: a threat or a prevention claim in it pushes no offer."""
    found = offer(doc)
    return found.genre in _NON_PROMOTING and not found.promotional


def safety_data(doc: Document, start: int, end: int) -> bool:
    """The study block (or paragraph) around the claim reports its own adverse-event data."""
    return reports_safety_data(doc, start, end)


def reported_result(doc: Document, start: int, end: int) -> bool:
    """The span reports a study's own result: it lies inside the block of a study that is identified (at least two
    of journal, year, registry id, DOI/PMID, a numbered reference, author and year) or that compares its arms
    with a control group. A sentence in the provider's voice (本院…有效率达95%) reports no study but the page's own
    promise, and a "study" a sales page describes without identifiers or a control (临床数据显示, 《Nature》子刊
    报道) reports nothing checkable."""
    block = study_block_at(doc, start)
    if block is None:
        return False
    language = doc.language
    sentence = doc.sentence_at(start)
    provider = language.pattern("offer.provider")
    if sentence is not None and _once(
        doc, "provider", sentence.start, lambda: bool(provider.search(doc.folded, sentence.start, sentence.end))
    ):
        return False
    return _once(doc, "identified study", block.start, lambda: _identified(doc, block.start, block.end, block))


def _identified(doc: Document, start: int, end: int, block: StudyBlock) -> bool:
    """The study block compares arms with a control group or names two identifiers of its study."""
    language = doc.language
    if any(label.role == "control" for label in arm_labels(doc, start, end)):
        return True
    identifiers = bool(block.source_name) + (block.year is not None)
    for name in _IDENTIFIERS:
        if identifiers >= 2:
            break
        if language.pattern(name).search(doc.folded, start, end):
            identifiers += 1
    return identifiers >= 2


_IDENTIFIERS = ("citations.registry", "citations.doi", "citations.pmid", "citations.marker", "citations.author_year")


SCOPES: dict[str, Scope] = {
    "negated": negated,
    "questioned": questioned,
    "other_treatment": other_treatment,
    "cited_title": cited_title,
    "critic_quote": critic_quote,
    "hedged": hedged,
    "aspiration": aspiration,
    "sourced": sourced,
    "attributed": attributed,
    "notice": notice,
    "unpromoted": unpromoted,
    "safety_data": safety_data,
    "reported_result": reported_result,
}
