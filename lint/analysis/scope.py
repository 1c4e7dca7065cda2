"""Context scope shared by every rule kind: when a trigger is not a finding.

Each scope is a predicate over a span of a `Document`; a rule lists the scopes that cancel it under
``unless:``. All checks read `Document.folded`, which has the same offsets as the original text, and the
`scopes.*` entries of the document's language pack.

A scope reads at most `CONTEXT_REACH` characters on each side of the trigger (within its clause, sentence or block),
and what depends on the whole sentence only is worked out once per sentence, so the checks cost the same
for every trigger however long its sentence: a sentence of thousands of triggers stays linear.
"""

from __future__ import annotations

from collections.abc import Callable

from lint.analysis.evidence import reports_safety_data, study_block_at
from lint.core.document import CONTEXT_REACH as REACH
from lint.core.document import Document, Sentence
from lint.core.language import Slot

Scope = Callable[[Document, int, int], bool]
_CRITIC_SENTENCES: Slot[dict[int, bool]] = Slot("scope.critic-sentences")


def _clause_before(doc: Document, start: int, end: int) -> str:
    clause_start, _ = doc.clause_bounds(start, end)
    return doc.folded[max(clause_start, start - REACH) : start]


def _sentence_before(doc: Document, sentence: Sentence, start: int) -> str:
    return doc.folded[max(sentence.start, start - REACH) : start]


def negated(doc: Document, start: int, end: int) -> bool:
    """A negator just before the trigger (不能根治, 无法逆转) or a denial just after it (最佳方案未统一)."""
    language = doc.language
    before = _clause_before(doc, start, end)
    if language.pattern("scopes.negator").search(before, max(0, len(before) - 2)):
        return True
    if language.pattern("scopes.strong_negation").search(before):
        return True
    _, clause_end = doc.clause_bounds(start, end)
    return bool(language.pattern("scopes.negation_after").match(doc.folded[end : min(clause_end, end + REACH)]))


def questioned(doc: Document, start: int, end: int) -> bool:
    """The trigger sits in a question (能否逆转？, 是否…?)."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    text = doc.folded[max(sentence.start, sentence.end - REACH) : sentence.end].rstrip("”’」』) ")
    if text.endswith(("?", "？")):
        return True
    return bool(doc.language.pattern("scopes.question_word").search(_clause_before(doc, start, end)))


def other_treatment(doc: Document, start: int, end: int) -> bool:
    """The trigger is said of another treatment (传统疗法…无法逆转), not of the promoted therapy."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    before = _sentence_before(doc, sentence, start)
    comparator = doc.language.pattern("scopes.comparator")
    others = [
        m.end()
        for m in doc.language.pattern("scopes.other_treatment").finditer(before)
        if not comparator.search(before[max(0, m.start() - 3) : m.start()])
    ]
    if not others:
        return False
    subjects = [m.end() for m in doc.language.pattern("scopes.subject").finditer(before)]
    return not subjects or others[-1] > subjects[-1]


def cited_title(doc: Document, start: int, end: int) -> bool:
    """The trigger is inside a cited title 《…》."""
    sentence = doc.sentence_at(start)
    lo = max(doc.blocks[sentence.block].start if sentence else 0, start - REACH)
    opening = max((doc.folded.rfind(mark, lo, start) for mark in doc.language.words("scopes.title_open")), default=-1)
    if opening < 0:
        return False
    between = doc.folded[opening:start]
    return not any(mark in between for mark in doc.language.words("scopes.title_close"))


def critic_quote(doc: Document, start: int, end: int) -> bool:
    """The trigger is quoted by a critic (监管部门提醒：宣称“包治百病”的可认为是骗局)."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    language = doc.language
    before = _sentence_before(doc, sentence, start)
    opening = max((before.rfind(q) for q in language.words("scopes.open_quotes")), default=-1)
    closers = language.words("scopes.close_quotes")
    quoted = opening >= 0 and not any(q in before[opening + 1 :] for q in closers if q != before[opening])
    lead = before[:opening] if quoted else before
    if language.pattern("scopes.critic_lead").search(lead):
        return True
    return quoted and _critic_sentence(doc, sentence)


def _critic_sentence(doc: Document, sentence: Sentence) -> bool:
    """Whether the sentence speaks as a critic or a regulator (once per sentence)."""
    known = _CRITIC_SENTENCES.get(doc, dict)
    if sentence.start not in known:
        text = doc.folded[sentence.start : sentence.end]
        known[sentence.start] = bool(doc.language.pattern("scopes.critic_sentence").search(text))
    return known[sentence.start]


def hedged(doc: Document, start: int, end: int) -> bool:
    """The sentence frames the claim as a possibility, goal or prospect (可能, 潜力, 希望, 远景)."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    text = _sentence_before(doc, sentence, start) + doc.folded[end : min(sentence.end, end + REACH)]
    return bool(doc.language.pattern("scopes.hedge").search(text))


def aspiration(doc: Document, start: int, end: int) -> bool:
    """The trigger names what is still needed (亟需突破性治疗方案, 还需要技术突破), not what exists."""
    return bool(doc.language.pattern("scopes.aspiration").search(_clause_before(doc, start, end)))


def safety_data(doc: Document, start: int, end: int) -> bool:
    """The study block (or paragraph) around the claim reports its own adverse-event data."""
    return reports_safety_data(doc, start, end)


def reported_result(doc: Document, start: int, end: int) -> bool:
    """The span reports a named study's own result (it lies inside that study's block)."""
    return study_block_at(doc, start) is not None


SCOPES: dict[str, Scope] = {
    "negated": negated,
    "questioned": questioned,
    "other_treatment": other_treatment,
    "cited_title": cited_title,
    "critic_quote": critic_quote,
    "hedged": hedged,
    "aspiration": aspiration,
    "safety_data": safety_data,
    "reported_result": reported_result,
}
