"""Context scope shared by every rule kind: when a trigger is not a finding.

Each scope is a predicate over a span of a `Document`; a rule lists the scopes that cancel it under
``unless:``. All checks read `Document.folded`, which has the same offsets as the original text.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from lint.core.document import Document
from lint.core.prefilter import gated

Scope = Callable[[Document, int, int], bool]

_NEGATOR = regex.compile(
    r"(?:不(?!仅|但|断|少|同|久|良|足|适|易|停|管|论|只|光|过)|无(?!论|数|须|需)|未(?!来|知|经)|没有?|非(?!常|洲)"
    r"|难以|很难|(?<![识区分特类级性告辨鉴离差个派])别|勿)"
)
_STRONG_NEGATION = gated(
    r"没有任何|没有一种|不再|没有哪|无一|并没有|并不|并未|从未|从来没有|不可能|不能|无法|难以|并非|绝非|谈不上|不是|不会|尚未|尚不|尚无|并无|未能|未被"
)
_NEGATION_AFTER = gated(r"^.{0,6}?(?:未|尚未|尚无|并未|并不|仍未|还没有|有待|仍不|不明确|不清楚|不确定|存在争议)")
_QUESTION_WORD = gated(r"能否|是否|可否|能不能|会不会|可不可以|真的能|吗")
_OTHER_TREATMENT = gated(
    r"传统(?:的)?(?:疗法|治疗|手段|药物|方法|方案)|常规(?:治疗|疗法|药物|手段)|现有(?:疗法|治疗|药物|手段)|药物治疗|西药|"
    r"激素|免疫抑制剂|透析|肾移植|化疗|放疗|手术|这些药物|其他(?:疗法|治疗)"
)
_COMPARATOR = regex.compile(r"(?:相比于|相较于|相对于|比|较|与|和|优于|胜过|好于)$")
_SUBJECT = regex.compile(r"干细胞|间充质|msc|细胞治疗|细胞疗法|外泌体|nk细胞|本疗法|该疗法|这种疗法|本品|本产品|我们的")
_CRITIC_LEAD = gated(
    r"(?:宣称|声称|号称|所谓|打着|标榜|鼓吹|吹嘘|宣传|自称|轻信|勿信|别信|不要相信|不要轻信)的?[^,，。;；]{0,6}$"
)
_CRITIC_SENTENCE = gated(
    r"骗局|虚假宣传|谨防|警惕|不可信|夸大宣传|误导|违法|违规|谣言|辟谣|被罚|处罚|罚款|查处|立案|通报|绝对化用语|轻信|"
    r"(?:之类|这类|此类)的?宣传"
)
_HEDGE = gated(
    r"可能|或许|也许|潜力|潜在|希望(?!之)|有待|尚需|仍需|设想|目标|远景|前景|理论上|如果|假如|若能|倘若|假设|有望成为"
)
_ASPIRATION = gated(r"亟需|急需|需要|还需|仍需|有待|期待|呼唤|寻求|渴望")
_OPEN_QUOTES = '“「『"‘'
_CLOSE_QUOTES = '”」』"’'


def _clause_before(doc: Document, start: int, end: int) -> str:
    clause_start, _ = doc.clause_bounds(start, end)
    return doc.folded[clause_start:start]


def negated(doc: Document, start: int, end: int) -> bool:
    """A negator just before the trigger (不能根治, 无法逆转) or a denial just after it (最佳方案未统一)."""
    before = _clause_before(doc, start, end)
    if _NEGATOR.search(before, max(0, len(before) - 2)) or _STRONG_NEGATION.search(before):
        return True
    _, clause_end = doc.clause_bounds(start, end)
    return bool(_NEGATION_AFTER.match(doc.folded[end:clause_end]))


def questioned(doc: Document, start: int, end: int) -> bool:
    """The trigger sits in a question (能否逆转？, 是否…?)."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    text = doc.folded[sentence.start : sentence.end].rstrip("”’」』) ")
    if text.endswith(("?", "？")):
        return True
    return bool(_QUESTION_WORD.search(_clause_before(doc, start, end)))


def other_treatment(doc: Document, start: int, end: int) -> bool:
    """The trigger is said of another treatment (传统疗法…无法逆转), not of the promoted therapy."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    before = doc.folded[sentence.start : start]
    others = [
        m.end()
        for m in _OTHER_TREATMENT.finditer(before)
        if not _COMPARATOR.search(before[max(0, m.start() - 3) : m.start()])
    ]
    if not others:
        return False
    subjects = [m.end() for m in _SUBJECT.finditer(before)]
    return not subjects or others[-1] > subjects[-1]


def cited_title(doc: Document, start: int, end: int) -> bool:
    """The trigger is inside a cited title 《…》."""
    sentence = doc.sentence_at(start)
    lo = doc.blocks[sentence.block].start if sentence else max(0, start - 200)
    opening = max(doc.folded.rfind("《", lo, start), doc.folded.rfind("〈", lo, start))
    if opening < 0:
        return False
    closing = regex.search(r"[》〉]", doc.folded[opening:start])
    return closing is None


def critic_quote(doc: Document, start: int, end: int) -> bool:
    """The trigger is quoted by a critic (监管部门提醒：宣称“包治百病”的可认为是骗局)."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    before = doc.folded[sentence.start : start]
    opening = max(before.rfind(q) for q in _OPEN_QUOTES)
    quoted = opening >= 0 and not any(q in before[opening + 1 :] for q in _CLOSE_QUOTES if q != before[opening])
    lead = before[:opening] if quoted else before
    if _CRITIC_LEAD.search(lead):
        return True
    return quoted and bool(_CRITIC_SENTENCE.search(doc.folded[sentence.start : sentence.end]))


def hedged(doc: Document, start: int, end: int) -> bool:
    """The sentence frames the claim as a possibility, goal or prospect (可能, 潜力, 希望, 远景)."""
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    text = doc.folded[sentence.start : start] + doc.folded[end : sentence.end]
    return bool(_HEDGE.search(text))


def aspiration(doc: Document, start: int, end: int) -> bool:
    """The trigger names what is still needed (亟需突破性治疗方案, 还需要技术突破), not what exists."""
    return bool(_ASPIRATION.search(_clause_before(doc, start, end)))


def safety_data(doc: Document, start: int, end: int) -> bool:
    """The study block (or paragraph) around the claim reports its own adverse-event data."""
    from lint.analysis.evidence import reports_safety_data

    return reports_safety_data(doc, start, end)


def reported_result(doc: Document, start: int, end: int) -> bool:
    """The span reports a named study's own result (it lies inside that study's block)."""
    from lint.analysis.evidence import study_block_at

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
