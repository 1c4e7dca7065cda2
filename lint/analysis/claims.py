"""Efficacy, safety and proof claims: sentences that say a promoted thing works, found two ways.

*Token patterns* over the segmenter's words: a verb and its outcome (改善睡眠), an outcome and its verb (症状得到
缓解), an evaluation and its effect noun (效果显著), a comparison, a benefit, a proof, and verb–object words that
are claims by themselves (降糖, 祛湿). Outcomes come from every `outcomes.*` entry of the language pack (one per
body system, thousands of terms) and `claims.outcomes`; vocabulary words that the segmenter splits are merged back
into one token when their edges fall on word boundaries, so an unlisted compound is never matched inside a word.

*Constructions*, patterns of the pack searched once over the document: a quantified benefit (下降3成), an efficacy
rate (有效率95%), a comparison (是普通面膜的3倍), time to effect (三天见效), permanence (不反弹), breadth of
indication and acclaim. A figure about a population, a price or a dose is no benefit.

Everything is recorded per clause (`ClaimClause`): which constructions found it, and whether a hedge of *that
clause* qualifies it — a hedge qualifies its own clause only. A `Claim` gathers the clauses of one sentence; rules
read `claim.clauses` to report each clause, and `claim.kinds`, `claim.parts` and `claim.part(kind)` for the whole.

Clauses are pre-filtered with one automaton pass so that only candidates are segmented; the token patterns
(`TokenPattern`) match as spaCy `Matcher` patterns with `*` gaps would, which the test suite checks against spaCy.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from typing import Literal

import regex

from lint.analysis.hits import AlternativeGroup, EntryGroup
from lint.analysis.offer import offer
from lint.core.compiled import compile_regex
from lint.core.document import CONTEXT_REACH, Document, Sentence
from lint.core.language import LanguagePack, Slot
from lint.core.matcher import Literals
from lint.core.prefilter import DocumentHits, GatedPattern
from lint.core.records import record

ClaimKind = Literal["efficacy", "comparative", "benefit", "safety", "proof"]


@record(frozen=True, slots=True)
class ClaimClause:
    """The claim parts of one clause: their span, what they claim, the constructions that found them (token patterns:
    `efficacy`, `efficacy_passive`, `evaluation`, `comparative`, `benefit`, `proof`, `fused`; constructions:
    `quantified`, `rate`, `comparison`, `time_to_effect`, `permanence`, `capability`, `recognition`, `safety`),
    whether a hedge in the clause qualifies them, whether they only describe a mechanism, and the clause's own
    span without its punctuation (`bounds`)."""

    start: int
    end: int
    kinds: frozenset[ClaimKind]
    constructions: frozenset[str]
    hedged: bool
    mechanistic: bool = False
    bounds: tuple[int, int] = (0, 0)


@record(frozen=True, slots=True)
class Claim:
    """The claims of one sentence: their span, the kinds of claim, and what qualifies them.

    `hedged` and `mechanistic` hold when they hold for every clause; `parts` lists every matched part as
    (kind, start, end); `clauses` holds the claim clause by clause. `attributed`: the sentence points back at the
    article's studies (本研究); `has_subject`: the promoted thing is its subject (named in the sentence, earlier in
    its paragraph or in a heading above).
    """

    start: int
    end: int
    sentence: Sentence
    kinds: frozenset[ClaimKind]
    hedged: bool
    mechanistic: bool
    attributed: bool
    has_subject: bool
    parts: tuple[tuple[ClaimKind, int, int], ...] = ()
    clauses: tuple[ClaimClause, ...] = ()

    def part(self, kind: ClaimKind) -> tuple[int, int]:
        """The span of the first part of this claim of `kind` (the whole claim if there is none)."""
        return next(((start, end) for k, start, end in self.parts if k == kind), (self.start, self.end))

    def unqualified(self) -> tuple[ClaimClause, ...]:
        """The clauses that are neither hedged nor a mechanism statement."""
        return tuple(c for c in self.clauses if not c.hedged and not c.mechanistic)

    def unqualified_spans(self, folded: str, kinds: frozenset[str] | set[str]) -> list[tuple[int, int]]:
        """The claim clauses that are neither hedged nor mechanism statements, with a claim of `kinds`, each from
        its first claim word to its last; a label is joined to what follows it (提高免疫力: 三个月提升
        65% is one claim)."""
        spans: list[tuple[int, int]] = []
        for clause in self.unqualified():
            if not clause.kinds & kinds:
                continue
            start = clause.start
            if spans and ":" in folded[spans[-1][1] : start] and "。" not in folded[spans[-1][1] : start]:
                spans[-1] = (spans[-1][0], clause.end)
            else:
                spans.append((start, clause.end))
        return spans


# token-pattern labels and constructions → the kind of claim they make
_KINDS: dict[str, ClaimKind] = {
    "efficacy": "efficacy",
    "efficacy_passive": "efficacy",
    "efficacy_modal": "efficacy",
    "evaluation": "efficacy",
    "comparative": "comparative",
    "benefit": "benefit",
    "proof": "proof",
    "fused": "efficacy",
    "safety": "safety",
    "quantified": "efficacy",
    "rate": "efficacy",
    "comparison": "comparative",
    "time_to_effect": "efficacy",
    "permanence": "efficacy",
    "capability": "efficacy",
    "recognition": "efficacy",
    "synergy": "efficacy",
}
# constructions searched as patterns of the pack; those that rest on a figure are dropped next to background words
_CONSTRUCTIONS = (
    "quantified",
    "rate",
    "comparison",
    "time_to_effect",
    "permanence",
    "capability",
    "recognition",
    "synergy",
)
_CONSTRUCTION_ENTRIES = tuple((name, f"claims.{name}") for name in _CONSTRUCTIONS)
_FIGURES = frozenset({"quantified", "rate", "comparison"})


class Vocabulary:
    """The `claims.*` word lists of a language pack (with the `outcomes.*` lists joined to `outcomes`), an automaton
    over the words that trigger a claim, and one over every token-level word (to merge split words)."""

    _TRIGGERS = (
        "outcomes",
        "predicates",
        "passive_predicates",
        "evaluations",
        "effect_nouns",
        "comparatives",
        "benefits",
        "proofs",
        "fused",
        "modal_predicates",
    )
    _TOKEN_LISTS = (*_TRIGGERS, "effect_heads", "benefit_leads", "proof_tails", "modal_predicates")

    def __init__(self, language: LanguagePack) -> None:
        import ahocorasick

        self.language = language
        self._patterns: dict[str, GatedPattern] = {}
        lists = {name: entry.terms for name, entry in language.section("claims").items() if entry.kind == "terms"}
        outcomes = [word for entry in language.section("outcomes").values() for word in entry.terms]
        lists["outcomes"] = tuple(dict.fromkeys((*lists.get("outcomes", ()), *outcomes)))
        organs = language.section("outcomes").get("organs")
        # an organ is an outcome only where its noun phrase ends (保护心脏, not 肾脏纤维化 or 胰岛β细胞)
        self.organs = frozenset(organs.terms if organs is not None else ())
        self.passive_leads = frozenset(
            (*lists.get("intensifiers", ()), *lists.get("passive_predicates", ()), *lists.get("adverbs", ()))
        )
        self.lists = lists
        self.fused_heads = frozenset(lists.get("fused_heads", ()))
        owners: dict[str, set[str]] = {}
        for name in self._TRIGGERS:
            for word in lists.get(name, ()):
                owners.setdefault(word, set()).add(name)
        self._triggers = Literals(list(owners))
        self._trigger_lists = tuple(frozenset(owners[word]) for word in self._triggers.words)
        self._words = ahocorasick.Automaton()
        for word in {w for name in self._TOKEN_LISTS for w in lists.get(name, ()) if len(w) > 1}:
            self._words.add_word(word, len(word))
        self._words.make_automaton()

    def __getitem__(self, name: str) -> tuple[str, ...]:
        """The word list `name` (empty when the pack leaves it out)."""
        return self.lists.get(name, ())

    def contains_any(self, name: str, text: str) -> bool:
        pattern = self._patterns.get(name)
        if pattern is None:
            pattern = self._patterns[name] = self.language.pattern(f"claims.{name}")
        return pattern.search(text) is not None

    def is_candidate(self, text: str) -> bool:
        """Cheap test, one automaton pass: could any claim pattern match `text`? Only candidates are segmented."""
        return self.triggered(self.triggers(text).within(0, len(text)))

    def triggers(self, text: str) -> DocumentHits:
        """Where the trigger words occur in `text`, one pass for a whole document: `within(start, end)` names the
        lists that have a word inside a stretch, and `triggered` says whether those make it a candidate (what
        `is_candidate` says of the stretch)."""
        return DocumentHits.of(self._triggers.find(text), self._trigger_lists, frozenset())

    @staticmethod
    def triggered(present: AbstractSet[str]) -> bool:
        """Whether a text holding words of the trigger lists `present` could match a claim pattern."""
        if "outcomes" in present and present & {"predicates", "passive_predicates", "modal_predicates"}:
            return True
        if {"evaluations", "effect_nouns"} <= present:
            return True
        return bool(present & {"comparatives", "benefits", "proofs", "fused"})

    def merge(self, text: str, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """`tokens` of `text` with every vocabulary word that spans several tokens, edge to edge, made one token
        (leftmost, then longest, first)."""
        if len(tokens) < 2:
            return tokens
        index = {offset: i for i, offset in enumerate(itertools.accumulate(map(len, tokens), initial=0))}
        spans: dict[int, int] = {}
        for end, size in self._words.iter(text):
            last = index.get(end + 1)
            if last is None:
                continue
            first = index.get(end + 1 - size)
            if first is not None and last - first > 1 and last > spans.get(first, 0):
                spans[first] = last
        if not spans:
            return tokens
        merged: list[str] = []
        position = 0
        while position < len(tokens):
            stop = spans.get(position)
            if stop:
                merged.append("".join(tokens[position:stop]))
                position = stop
            else:
                merged.append(tokens[position])
                position += 1
        return tuple(merged)


_VOCABULARY: Slot[Vocabulary] = Slot("claims.vocabulary")
_PATTERNS: Slot[tuple[TokenPattern, ...]] = Slot("claims.patterns")


def vocabulary(language: LanguagePack) -> Vocabulary:
    """The claim vocabulary of `language` (its `claims.*` and `outcomes.*` word lists), built once per pack."""

    return _VOCABULARY.get(language, lambda: Vocabulary(language))


@record(frozen=True, slots=True)
class TokenPattern:
    """A word of `first`, then (when `last` is given) words that are not `stops`, then a word of `last`; a match
    spans at most `max_tokens` words."""

    label: str
    first: frozenset[str]
    last: frozenset[str] = frozenset()
    stops: frozenset[str] = frozenset()
    max_tokens: int = 1

    def spans(self, tokens: tuple[str, ...]) -> Iterator[tuple[int, int]]:
        """Every (first, last + 1) token span that matches, shortest first for each start."""
        for first, token in enumerate(tokens):
            if token not in self.first:
                continue
            if not self.last:
                yield first, first + 1
                continue
            for index in range(first + 1, min(len(tokens), first + self.max_tokens)):
                if tokens[index] in self.last:
                    yield first, index + 1
                if tokens[index] in self.stops:
                    break


def _patterns(language: LanguagePack) -> tuple[TokenPattern, ...]:
    return _PATTERNS.get(language, lambda: _build_patterns(vocabulary(language)))


def _build_patterns(words: Vocabulary) -> tuple[TokenPattern, ...]:
    """The claim patterns over the pack's lists; a pattern one of whose lists the pack leaves out is left out."""

    def pattern(label: str, first: Iterable[str], last: Iterable[str], stops: Iterable[str], size: int) -> TokenPattern:
        return TokenPattern(label, frozenset(first), frozenset(last), frozenset(stops), size)

    def with_intensifiers(name: str) -> list[str]:
        return [*words[name], *(lead + word for lead in words["intensifiers"] for word in words[name])]

    stops, differences = words["stops"], words["differences"]
    patterns = (
        pattern("efficacy", with_intensifiers("predicates"), words["outcomes"], words["soft_stops"], 12),
        pattern("efficacy_modal", words["modal_predicates"], words["outcomes"], words["soft_stops"], 12),
        pattern(
            "efficacy_passive", words["outcomes"], with_intensifiers("passive_predicates"), [*stops, *differences], 5
        ),
        pattern("evaluation", words["evaluations"], words["effect_nouns"], stops, 5),
        pattern("evaluation", words["effect_heads"], words["evaluations"], [*stops, *differences], 5),
        TokenPattern("comparative", frozenset(words["comparatives"])),
        pattern("benefit", words["benefit_leads"], words["benefits"], stops, 10),
        pattern("proof", words["proofs"], words["proof_tails"], stops, 14),
        TokenPattern("fused", frozenset(with_intensifiers("fused"))),
    )
    return tuple(p for p in patterns if p.first and (p.last or p.label in ("comparative", "fused")))


_CLAIMS: Slot[tuple[Claim, ...]] = Slot("claims")
_CLAIM_STARTS: Slot[list[int]] = Slot("claim starts")


def claims(doc: Document) -> tuple[Claim, ...]:
    """All claims of `doc`, one per sentence, in order (kept on the document)."""
    return _CLAIMS.get(doc, lambda: tuple(_find_claims(doc)))


def claims_in(doc: Document, start: int, end: int) -> tuple[Claim, ...]:
    """The claims of `doc` that start in [start, end)."""
    found = claims(doc)
    starts = _CLAIM_STARTS.get(doc, lambda: [c.start for c in found])
    return found[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


_CLAUSE = compile_regex(r"[^,;:!?()]+[,;:!?()]?")

Part = tuple[str, int, int]  # (construction, start, end) in document offsets


_TRIGGERS: Slot[DocumentHits] = Slot("claims.trigger words")
_SAFETY = "claims.safety"
# the patterns searched in every block or clause: their anchors are found once per document
_SEARCHED = EntryGroup("claims", (_SAFETY, *(entry for _, entry in _CONSTRUCTION_ENTRIES)))
# the constructions whose every match holds an anchor of each set of one of their alternatives: a block is searched
# only for those all of whose sets it holds (a comparison needs 比 and what it says after it)
_CONSTRUCTION_ALTERNATIVES = AlternativeGroup("claims constructions", [entry for _, entry in _CONSTRUCTION_ENTRIES])


def _find_claims(doc: Document) -> Iterator[Claim]:
    language = doc.language
    words = vocabulary(language)
    found = _construction_parts(doc)
    starts = [start for _, start, _ in found]
    triggers = _TRIGGERS.get(doc, lambda: words.triggers(doc.folded))
    hits = _SEARCHED.hits(doc)
    for sentence in doc.sentences:
        if doc.blocks[sentence.block].kind == "reference":
            continue
        first, last = bisect.bisect_left(starts, sentence.start), bisect.bisect_left(starts, sentence.end)
        # what no clause of the sentence has if the sentence has not: a clause holds less than its sentence
        triggered = words.triggered(triggers.within(sentence.start, sentence.end))
        safety = hits.possible(_SAFETY, sentence.start, sentence.end)
        if first == last and not (triggered or safety):
            continue
        text = doc.folded[sentence.start : sentence.end]
        clauses = []
        comparing: list[bool] = []
        for clause in _CLAUSE.finditer(text):
            lo, hi = sentence.start + clause.start(), sentence.start + clause.end()
            parts: list[Part] = []
            if triggered and words.triggered(triggers.within(lo, hi)):
                parts = [
                    (label, sentence.start + s, sentence.start + e)
                    for label, s, e in _match_clause(language, text, clause, comparing)
                ]
            parts += [
                p for p in found[first:last] if lo <= p[1] < hi and not _negated(language, text, p[1] - sentence.start)
            ]
            if safety and hits.possible(_SAFETY, lo, hi):
                parts += _safety(language, text, clause, sentence.start)
            if not parts:
                continue
            parts = [
                p
                for p in parts
                if p[0] != "comparative"
                or not _background(language, text, p[1] - sentence.start, p[2] - sentence.start)
            ]
            parts = _about_the_subject(doc, words, text, sentence.start, parts, clause.start())
            parts = [
                p
                for p in parts
                if not _reported(language, text, p[1] - sentence.start)
                and not _denied_after(language, text, p[2] - sentence.start)
            ]
            if parts:
                clauses.append(
                    _clause(doc, words, sentence, clause.group(), parts, _bounds(text, clause, sentence.start))
                )
        clauses = _qualified(doc, words, text, sentence.start, clauses)
        if not clauses:
            continue
        parts_all = sorted((_KINDS[c], s, e) for clause in clauses for c, s, e in clause[1])
        described = [c for c, _ in clauses]
        yield Claim(
            start=min(c.start for c in described),
            end=max(c.end for c in described),
            sentence=sentence,
            kinds=frozenset(k for c in described for k in c.kinds),
            hedged=all(c.hedged for c in described),
            mechanistic=all(c.mechanistic for c in described),
            attributed=words.contains_any("study_references", text),
            has_subject=_has_subject(doc, sentence, text),
            parts=tuple(parts_all),  # type: ignore[arg-type]
            clauses=tuple(described),
        )


def _qualified(
    doc: Document, words: Vocabulary, text: str, offset: int, clauses: list[tuple[ClaimClause, list[Part]]]
) -> list[tuple[ClaimClause, list[Part]]]:
    """The clauses of one sentence once the sentence is read as a whole: a verb–object word (降糖) claims only after
    a modal (能降糖) or beside another claim; a time to effect or a lasting effect beside adverse effects is a risk
    disclosure; a condition or an aim (如果…, 未来需…) hedges every clause after it."""
    if not clauses:
        return clauses
    language = doc.language
    lead = language.pattern("claims.modal_lead")

    product = language.pattern("claims.product_nouns")

    def backed(part: Part) -> bool:
        start = part[1] - offset
        if part[0] != "fused" or lead.search(text, 0, start) is not None:
            return True
        # a product named right before its function words (降脂茶，降糖降脂; 枸杞原浆护肝明目)
        return product.search(text, max(0, start - 12), start) is not None

    company = any(backed(part) for _, parts in clauses for part in parts)
    adverse = words.contains_any("adverse", text)
    forward = [m.start() + offset for m in language.pattern("claims.forward_hedges").finditer(text)]
    kept = []
    for clause, parts in clauses:
        parts = [
            p
            for p in parts
            if (p[0] != "fused" or company) and not (adverse and p[0] in ("time_to_effect", "permanence"))
        ]
        if not parts:
            continue
        hedged = clause.hedged or any(f < clause.end for f in forward)
        rebuilt = _clause_from(clause, parts, hedged)
        kept.append((rebuilt, parts))
    return kept


def _clause_from(clause: ClaimClause, parts: list[Part], hedged: bool) -> ClaimClause:
    labels = frozenset(label for label, _, _ in parts)
    return ClaimClause(
        start=min(s for _, s, _ in parts),
        end=max(e for _, _, e in parts),
        kinds=frozenset(_KINDS[label] for label in labels),
        constructions=labels,
        hedged=hedged,
        mechanistic=clause.mechanistic,
        bounds=clause.bounds,
    )


def _clause(
    doc: Document, words: Vocabulary, sentence: Sentence, text: str, parts: list[Part], bounds: tuple[int, int]
) -> tuple[ClaimClause, list[Part]]:
    labels = frozenset(label for label, _, _ in parts)
    block = doc.blocks[sentence.block]
    tokens_only = labels <= {"efficacy", "efficacy_passive", "efficacy_modal"}
    mechanistic = tokens_only and (
        (block.kind == "list_item" and _mechanism_block(doc, sentence.block))
        or (block.kind == "heading" and _mechanism_block(doc, sentence.block + 1, list_only=True))
        or _by_means(doc, bounds[0], min(s for _, s, _ in parts))
    )
    unhedged = doc.language.pattern("claims.not_hedges").sub("", text)
    described = ClaimClause(
        start=min(s for _, s, _ in parts),
        end=max(e for _, _, e in parts),
        kinds=frozenset(_KINDS[label] for label in labels),
        constructions=labels,
        hedged=words.contains_any("hedges", unhedged) or _in_prospects(doc, sentence.block),
        mechanistic=mechanistic,
        bounds=bounds,
    )
    return described, parts


def _bounds(text: str, clause: regex.Match[str], offset: int) -> tuple[int, int]:
    """The span of a clause of `text` without the punctuation and spaces around it, in document offsets."""
    piece = clause.group()
    stripped = piece.strip().rstrip(",;:!?()。").strip()
    start = clause.start() + (len(piece) - len(piece.lstrip()))
    return offset + start, offset + start + len(stripped)


_MECHANISM_BLOCKS: Slot[dict[int, bool]] = Slot("claims.mechanism-blocks")
_PROSPECTS: Slot[dict[int, bool]] = Slot("claims.prospect-sections")


def _mechanism_block(doc: Document, block: int, list_only: bool = False) -> bool:
    """Whether block number `block` names molecular or cellular mechanisms (once per block); with `list_only`, only
    a list item counts (the list under a heading)."""
    if block >= len(doc.blocks) or (list_only and doc.blocks[block].kind != "list_item"):
        return False
    known = _MECHANISM_BLOCKS.get(doc, dict)
    if block not in known:
        span = doc.blocks[block]
        known[block] = vocabulary(doc.language).contains_any("mechanisms", doc.folded[span.start : span.end])
    return known[block]


def _by_means(doc: Document, lo: int, start: int) -> bool:
    """Whether the clause says how, before the claim: a means word and then a mechanism (通过旁分泌作用抑制纤维化);
    a means in an earlier clause leaves a claim in a later one (通过…机制，显著改善…) a claim."""
    lo = max(lo, start - CONTEXT_REACH)
    means = doc.language.pattern("claims.means").search(doc.folded, lo, start)
    return bool(means) and doc.language.pattern("claims.mechanisms").search(doc.folded, means.end(), start) is not None


def _in_prospects(doc: Document, block: int) -> bool:
    """Whether block number `block` lies under a heading about prospects or challenges (未来方向, 展望), once per
    block: claims there are aims."""
    known = _PROSPECTS.get(doc, dict)
    if block not in known:
        heading = next((b for b in reversed(doc.blocks[max(0, block - 40) : block + 1]) if b.kind == "heading"), None)
        known[block] = heading is not None and bool(
            doc.language.pattern("claims.prospect_headings").search(doc.folded[heading.start : heading.end])
        )
    return known[block]


def _construction_parts(doc: Document) -> list[Part]:
    """Every construction match of `doc` outside the reference list, in order; figures about a population, a price
    or a dose are dropped."""
    language = doc.language
    hits = _SEARCHED.hits(doc)
    found: list[Part] = []
    for block in doc.blocks:
        if block.kind == "reference":
            continue
        present = hits.within(block.start, block.end)
        if not present:
            continue
        present = _CONSTRUCTION_ALTERNATIVES.admitted(doc, block.start, block.end, present)
        text = doc.folded[block.start : block.end]
        for name, entry in _CONSTRUCTION_ENTRIES:
            if entry not in present:
                continue
            for match in language.pattern(entry).finditer(text, gated=False):
                if match.end() == match.start():
                    continue
                if name in _FIGURES and _background(language, text, match.start(), match.end()):
                    continue
                found.append((name, block.start + match.start(), block.start + match.end()))
    return sorted(found, key=lambda part: (part[1], part[2], part[0]))


_MARKS = ",;:!?。"


def _clause_around(text: str, start: int, end: int, before: int = 0) -> tuple[int, int]:
    """The clause of `text` holding [start, end), with up to `before` clauses of the same sentence before it."""
    lo = start
    for _ in range(before + 1):
        cut = max(text.rfind(mark, 0, lo) for mark in _MARKS)
        if cut < 0:
            lo = 0
            break
        lo = cut + 1
        if text[cut] == "。":
            break
        lo = cut
    if lo < start and text[lo] in _MARKS:
        lo += 1
    stops = [i for i in (text.find(mark, end) for mark in _MARKS) if i >= 0]
    return lo, min(stops, default=len(text))


def _background(language: LanguagePack, text: str, start: int, end: int) -> bool:
    """Whether the figure at [start, end) of `text` is about a population (said before it, in its clause or the one
    before) or about a price, a dose or a specification (anywhere in those clauses)."""
    lo, hi = _clause_around(text, start, end, before=1)
    return bool(
        language.pattern("claims.background").search(text, lo, start)
        or language.pattern("claims.not_benefit").search(text, lo, hi)
    )


def _reported(language: LanguagePack, text: str, start: int) -> bool:
    """Whether the claim at `start` is someone else's words: in quotation marks that someone is said to have said
    (女儿说能“…”, 网上常说的“…”), or after customers' words (不少客户表示，…): reported, not the page's own."""
    before = text[max(0, start - CONTEXT_REACH) : start]
    opening = max((before.rfind(mark) for mark in language.words("scopes.open_quotes")), default=-1)
    if opening < 0:
        return language.pattern("claims.attribution").search(before) is not None and not _quoted_before(
            language, before
        )
    closes = [mark for mark in language.words("scopes.close_quotes") if mark != before[opening]]
    if any(mark in before[opening + 1 :] for mark in closes):
        return False
    return language.pattern("claims.attribution").search(before, 0, opening) is not None


def _quoted_before(language: LanguagePack, before: str) -> bool:
    """Whether `before` holds a closed quotation (whatever was said was inside it, and the claim after it is the
    page's own)."""
    return any(mark in before for mark in language.words("scopes.close_quotes"))


def _denied_after(language: LanguagePack, text: str, end: int) -> bool:
    """A denial right after the claim ending at `end`, in its clause (…与症状减轻无关)."""
    return language.pattern("claims.negation_after").match(text, end, min(len(text), end + CONTEXT_REACH)) is not None


def _negated(language: LanguagePack, text: str, start: int) -> bool:
    """A negation just before `start` (looked for in the `CONTEXT_REACH` characters before it) that does not add
    (不仅能…)."""
    before = text[max(0, start - CONTEXT_REACH) : start]
    return bool(language.pattern("claims.negation").search(before)) and not before.endswith(
        vocabulary(language)["additive"]
    )


def _safety(language: LanguagePack, text: str, clause: regex.Match[str], offset: int) -> list[Part]:
    safety = language.pattern("claims.safety").search(text, clause.start(), clause.end())
    if safety and not _negated(language, text, safety.start()):
        return [("safety", offset + safety.start(), offset + safety.end())]
    return []


def _about_the_subject(
    doc: Document, words: Vocabulary, text: str, offset: int, parts: list[Part], clause_start: int
) -> list[Part]:
    """Drop the parts said of another treatment named before them in their clause (药物只能缓解症状), unless the
    promoted thing is named after it; a comparison names the other treatment by design and is kept, and so is one
    joined to the promoted thing (联合化疗)."""
    if not parts:
        return parts
    language = doc.language
    kept = []
    for part in parts:
        before = text[max(clause_start, part[1] - offset - CONTEXT_REACH) : part[1] - offset]
        other, comparator = language.pattern("claims.other_subjects"), language.pattern("scopes.comparator")
        joined = language.pattern("claims.combined")
        others = [
            m.end()
            for m in other.finditer(before)
            if not comparator.search(before[max(0, m.start() - 4) : m.start()])
            and not joined.search(before, max(0, m.start() - 4), m.start())
        ]
        if part[0] in ("comparison", "comparative") or not others:
            kept.append(part)
            continue
        subjects = [m.end() for m in language.pattern("claims.subjects").finditer(before)]
        products = [m.end() for m in language.pattern("claims.product_subjects").finditer(before)]
        if max([*subjects, *products], default=-1) > others[-1]:
            kept.append(part)
    return kept


def _match_clause(
    language: LanguagePack, text: str, clause: regex.Match[str], comparing: list[bool]
) -> list[tuple[str, int, int]]:
    """The token-pattern matches of one candidate clause of a sentence `text` (offsets into `text`; only a candidate
    is segmented), and whether the sentence names a comparator (`comparing`, filled once) is worked out once."""
    words = vocabulary(language)
    piece = clause.group()
    tokens = words.merge(piece, language.segment(piece))
    starts = list(itertools.accumulate(map(len, tokens), initial=clause.start()))
    found: list[tuple[str, int, int]] = []
    attributive, heads = words["attributive"], words.fused_heads
    held = set(tokens)
    for pattern in _patterns(language):
        if pattern.first.isdisjoint(held):
            continue  # no word it starts with
        for first, last in pattern.spans(tokens):
            label, start, end = pattern.label, starts[first], starts[last]
            if label == "comparative":
                if not comparing:
                    comparing.append(words.contains_any("comparators", text))
                if not comparing[0]:
                    continue
            if label == "efficacy" and text[end : end + 1] in attributive:
                continue
            if (
                label in ("efficacy", "efficacy_modal")
                and tokens[last - 1] in words.organs
                and _modifies(words, text, end)
            ):
                continue
            if (
                label == "efficacy_passive"
                and tokens[first] in words.organs
                and first + 1 < last - 1
                and tokens[first + 1] not in words.passive_leads
            ):
                # 血管修复能力显著增强: the organ names whose ability; 皮肤明显改善 and 关节也得到改善 stay claims
                continue
            if label == "efficacy_passive" and (
                text[starts[last - 1] - 1 : starts[last - 1]] in attributive or text[end : end + 1] in attributive
            ):
                # 肝功能异常的患者, LVEF下降的患者: the outcome describes who, not what the therapy does
                continue
            if label == "fused" and (
                text[end : end + 1] in attributive or (last < len(tokens) and tokens[last] in heads)
            ):
                continue
            if label == "efficacy_modal" and not text[:start].endswith(words["modals"]):
                continue
            if label.startswith("efficacy") and _nominal(
                words, text, starts[first + 1] if label == "efficacy_passive" else end
            ):
                continue
            if label.startswith("efficacy") and _harm(language, tokens, first, last, label):
                continue
            if _negated(language, text, start):
                continue
            found.append((label, start, end))
    return _innermost(found)


_WORD_CHAR = compile_regex(r"\w")


def _modifies(words: Vocabulary, text: str, end: int) -> bool:
    """Whether the word ending at `end` runs on into a noun (肾脏纤维化, 胰岛β细胞): it modifies it."""
    return _WORD_CHAR.match(text, end) is not None and not text.startswith(words["conjunctions"], end)


def _nominal(words: Vocabulary, text: str, end: int) -> bool:
    """Whether a mechanism noun follows `end` (免疫调节等机制): the verb phrase before it names a mechanism."""
    after = text[end : end + 6]
    link = next((term for term in words["nominal_links"] if after.startswith(term)), "")
    return after[len(link) :].startswith(words["nominal_heads"])


def _innermost(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """`found` without a match that holds a shorter match of the same label ending where it ends (调节…抑制纤维化 →
    抑制纤维化)."""
    ends: dict[tuple[str, int], int] = {}
    for label, start, end in found:
        ends[label, end] = max(ends.get((label, end), -1), start)
    return [part for part in found if part[1] == ends[part[0], part[2]]]


def _harm(language: LanguagePack, tokens: tuple[str, ...], first: int, last: int, label: str) -> bool:
    """Whether a verb–outcome match describes harm, not benefit: a condition made worse (加速纤维化) or a function
    made less (卵巢功能下降)."""
    words = vocabulary(language)
    verb, outcome = (
        (tokens[last - 1], tokens[first]) if label == "efficacy_passive" else (tokens[first], tokens[last - 1])
    )
    if verb.endswith(words["raising"]) and language.pattern("claims.condition_ends").search(outcome):
        return True
    return verb.endswith(words["lowering"]) and bool(language.pattern("claims.function_ends").search(outcome))


_FIRST_SUBJECTS: Slot[dict[int, int | None]] = Slot("claims.first-subject-sentence")


def _first_subject(doc: Document, block: int, names_subject: Callable[[str], bool]) -> int | None:
    """Where the first sentence of block number `block` that names the subject starts (once per block)."""
    known = _FIRST_SUBJECTS.get(doc, dict)
    if block not in known:
        known[block] = next(
            (s.start for s in doc.sentences_in_block(block) if names_subject(doc.folded[s.start : s.end])), None
        )
    return known[block]


def _has_subject(doc: Document, sentence: Sentence, text: str) -> bool:
    """Whether the promoted thing is the claim's subject: named in the sentence, earlier in its paragraph or in a
    heading above — or, on a page that promotes something, left unsaid (Chinese drops the subject of a benefit
    list, an FAQ answer or a headline, and it is the offer)."""
    words = vocabulary(doc.language)
    promoted = offer(doc)
    if promoted.promotional:
        return True

    def names_subject(piece: str) -> bool:
        return (
            words.contains_any("subjects", piece)
            or words.contains_any("product_subjects", piece)
            or promoted.names(piece)
            or doc.language.pattern("claims.product_nouns").search(piece) is not None
        )

    if names_subject(text):
        return True
    first = _first_subject(doc, sentence.block, names_subject)
    if first is not None and first < sentence.start:
        return True
    seen = 0
    for block in reversed(doc.blocks[max(0, sentence.block - 40) : sentence.block]):
        if block.kind == "heading":
            if names_subject(doc.folded[block.start : block.end]):
                return True
            seen += 1
            if seen == 3:
                break
    return False
