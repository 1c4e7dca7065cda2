"""The per-document hits of the models' pattern groups: the same answer, clause by clause, as each pattern's own gate,
and no pattern search for a clause without a hit."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from lint.analysis import claims, evidence, offer, results, spin, trials
from lint.analysis.hits import AlternativeGroup, EntryGroup, TermLists
from lint.core import prefilter
from lint.core.document import Document
from lint.core.language import Entry, LanguagePack
from lint.core.prefilter import GatedPattern
from lint.io.language import default_language
from tests.helpers import FIXTURES, ROOT, document

GROUPS = {
    "spin": spin._CLAUSE_PATTERNS,
    "claims": claims._SEARCHED,
    "trials": trials._SENTENCE_PATTERNS,
    "results": results._SENTENCE_PATTERNS,
    "evidence": evidence._searched(default_language()),
}

# passages in wordings of our own, in several domains: claims, hedges, negations, null results, figures, arms
PASSAGES = (
    "【护膝凝胶】一项纳入120例膝骨关节炎患者的随机双盲试验，凝胶组与安慰剂组各60例。"
    "主要终点为12周疼痛评分，两组差异无统计学意义（P=0.41）。但研究者认为，凝胶显著改善了关节僵硬——效果优于安慰剂！\n",
    "益生菌酸奶能不能减肥？小样本研究提示可能有帮助，还需要更大规模的试验证实。"
    "喝了两个月，腰围平均下降2.1厘米，对照组下降1.8厘米。\n",
    "护眼滴剂III期试验提前终止：期中分析显示无效。公司却宣称，试验证明滴剂能够缓解视疲劳，有效率高达93%。\n",
    "防脱精华：三天见效，永不反弹，临床证实安全无副作用。患者说用了以后头发明显变多了，不少客户表示效果惊人。\n",
    "门口那棵银杏树很高。邻居家小猫叫咪咪。公园湖边有很多野鸭。这条街上有三家书店。\n",
    "虽然次要终点的结果未达到显著性，但亚组分析显示，高剂量组的血压下降更明显，HR 0.82（95% CI 0.70-0.96）。\n",
)


# sentences that hold no anchor of any of the models' patterns
PLAIN = (
    "门口那棵银杏树很高。",
    "邻居家小猫叫咪咪。",
    "公园湖边有很多野鸭。",
    "这条街上有三家书店。",
    "社区图书馆照常开放。",
)


def _texts() -> Iterator[str]:
    yield from PASSAGES
    files = sorted([*(ROOT / "seeds").glob("*.txt"), *(FIXTURES / "articles").iterdir()])
    for path in files:
        yield path.read_text(encoding="utf-8")


_GATES: dict[tuple[str, int], prefilter._Gate | None] = {}


def _gate_admits(pattern: GatedPattern, text: str) -> bool:
    """What the pattern's own gate says of `text` cut out on its own (the trial that drops a gate aside)."""
    key = (pattern.pattern, pattern.flags)
    if key not in _GATES:
        found = prefilter.analysis(*key)
        _GATES[key] = prefilter._Gate(found) if found.gated else None
    gate = _GATES[key]
    return gate is None or gate.admits(text, 0, len(text))


def _stretches(doc: Document) -> Iterator[tuple[int, int]]:
    """Every sentence, every spin clause of it, every block and a few stretches that cut words in two."""
    for sentence in doc.sentences:
        yield sentence.start, sentence.end
        yield from spin._clauses(doc, sentence)
        yield sentence.start + 1, max(sentence.start + 1, sentence.end - 1)
    for block in doc.blocks:
        yield block.start, block.end


@pytest.mark.parametrize("group", GROUPS.values(), ids=GROUPS.keys())
def test_hits_answer_every_clause_as_each_gate(group: EntryGroup) -> None:
    doc_count = 0
    admitted: Counter[bool] = Counter()
    for text in _texts():
        doc = document(text)
        hits = group.hits(doc)
        patterns = {name: doc.language.pattern(name) for name in group.names}
        for start, end in _stretches(doc):
            stretch = doc.folded[start:end]
            within = hits.within(start, end)
            for name, pattern in patterns.items():
                expected = name in hits.everywhere or _gate_admits(pattern, stretch)
                assert (name in within) == expected, (name, stretch)
                assert hits.possible(name, start, end) == expected, (name, stretch)
                if pattern.compiled.search(stretch) is not None:
                    assert name in within, (name, stretch)
                admitted[name in within] += 1
        doc_count += 1
    assert doc_count > len(PASSAGES)
    assert admitted[True] > 100 and admitted[False] > 100  # both answers were put to the test


def test_alternatives_admit_every_stretch_a_pattern_matches_in_and_turn_away_others() -> None:
    group = claims._CONSTRUCTION_ALTERNATIVES
    admitted: Counter[bool] = Counter()
    for text in _texts():
        doc = document(text)
        for start, end in _stretches(doc):
            stretch = doc.folded[start:end]
            names = group.admitted(doc, start, end)
            for name in group.names:
                if doc.language.pattern(name).compiled.search(stretch) is not None:
                    assert name in names, (name, stretch)
                admitted[name in names] += 1
    assert admitted[True] > 100 and admitted[False] > 100


def test_alternatives_need_an_anchor_of_each_set_of_one_alternative() -> None:
    language = _pack(
        {
            "test.pair": Entry("test.pair", "pattern", pattern="比[^。]{0,6}?(?:管用|有效)|远超"),
            "test.loose": Entry("test.loose", "pattern", pattern=".+"),
        }
    )
    group = AlternativeGroup("test pairs", ["test.pair", "test.loose"])
    doc = Document("比较一下。比它管用。远超。有效。", language=language)
    assert group.admitted(doc, 0, 5) == {"test.loose"}  # 比 without 管用 or 有效
    assert group.admitted(doc, 5, 10) == {"test.pair", "test.loose"}
    assert group.admitted(doc, 5, 8) == {"test.loose"}  # 管用 cut in two
    assert group.admitted(doc, 10, 13) == {"test.pair", "test.loose"}  # the other alternative's one set
    assert group.admitted(doc, 13, 16) == {"test.loose"}  # 有效 without 比
    assert group.admitted(doc, 5, 10, ["test.pair"]) == {"test.pair"}  # asked of some only
    assert group.admitted(doc, 0, 5, ["test.pair", "test.other"]) == {"test.other"}  # not the group's: not known


def test_hits_name_no_pattern_of_a_plain_sentence() -> None:
    doc = document("".join(PLAIN))
    assert len(doc.sentences) == len(PLAIN)
    for group in GROUPS.values():
        hits = group.hits(doc)
        assert all(hits.within(s.start, s.end) == hits.everywhere for s in doc.sentences)


# ------------------------------------------------------------------------------------------------------ scaling

_SEARCHES = ("search", "match", "fullmatch", "finditer", "findall", "sub", "possible")


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every call of a built-in pattern (search, gate test) and of the segmenter, counted."""
    calls: Counter[str] = Counter()

    def counted(name: str, method: Callable[..., object]) -> Callable[..., object]:
        def call(self: object, *args: object, **kwargs: object) -> object:
            calls[name] += 1
            return method(self, *args, **kwargs)

        return call

    for name in _SEARCHES:
        monkeypatch.setattr(GatedPattern, name, counted(name, getattr(GatedPattern, name)))
    monkeypatch.setattr(LanguagePack, "segment", counted("segment", LanguagePack.segment))
    return calls


def _article(plain: int) -> str:
    """Two passages that claim and report, with `plain` sentences about nothing a model reads in between."""
    filler = "".join(PLAIN[index % len(PLAIN)] for index in range(plain))
    return PASSAGES[0] + filler + "\n" + PASSAGES[3]


def _model_work(counts: Counter[str], run: Callable[[Document], object], plain: int) -> Counter[str]:
    doc = document(_article(plain))
    before = Counter(counts)
    run(doc)
    return counts - before


def _claim_clauses_of_every_sentence(doc: Document) -> None:
    for sentence in doc.sentences:
        spin._claim_clauses(doc, sentence)


@pytest.mark.parametrize(
    "run",
    [
        claims.claims,
        _claim_clauses_of_every_sentence,
        lambda doc: [trials.sentence_result(doc, i) for i in range(len(doc.sentences))],
    ],
    ids=["claims", "spin clauses", "sentence results"],
)
def test_sentences_without_hits_cost_no_pattern_search(searches: Counter[str], run: Callable[[Document], None]) -> None:
    """A document with 100 plain sentences more costs the claim, spin-clause and result models not one more pattern
    search, gate test or segmentation than one with 4 (the work is counted, not timed)."""
    _model_work(searches, run, 4)  # tables built on first use are not part of the work
    few = _model_work(searches, run, 4)
    many = _model_work(searches, run, 104)
    assert sum(few.values()) > 0
    assert many == few


def test_the_clauses_of_a_sentence_are_read_once(searches: Counter[str]) -> None:
    """Spin reads a sentence's claim clauses for its claim and again for the runs of the claim: the second reading
    searches nothing."""
    doc = document(PASSAGES[0])
    claims.claims(doc)
    first = Counter(searches)
    _claim_clauses_of_every_sentence(doc)
    once = searches - first
    second = Counter(searches)
    _claim_clauses_of_every_sentence(doc)
    assert sum(once.values()) > 0
    assert searches - second == Counter()


def test_sentence_search_gives_the_search_of_the_sentence_once(searches: Counter[str]) -> None:
    from lint.analysis.evidence import STUDY_SENTENCE

    doc = document("".join(PASSAGES))
    pattern = doc.language.pattern(STUDY_SENTENCE.entry)
    expected = [pattern.compiled.search(doc.folded[s.start : s.end]) is not None for s in doc.sentences]
    assert True in expected and False in expected
    before = Counter(searches)
    assert [STUDY_SENTENCE.found(doc, s.start, s.end) for s in doc.sentences] == expected
    first = searches - before
    again = Counter(searches)
    assert [STUDY_SENTENCE.found(doc, s.start, s.end) for s in doc.sentences] == expected
    alternatives = prefilter.top_level_alternatives(pattern.pattern, pattern.flags)
    assert 0 < first["search"] <= len(doc.sentences) * len(alternatives)  # each alternative once at most
    assert searches - again == Counter()


def test_the_trial_names_of_a_text_are_read_once(searches: Counter[str]) -> None:
    doc = document("KNEE-2试验与SOFT研究的结果不同。\n")
    text = doc.folded[doc.sentences[0].start : doc.sentences[0].end]
    assert trials._names(doc, text) == ("knee-2", "soft")
    before = Counter(searches)
    assert trials._names(doc, text) == ("knee-2", "soft")
    assert searches - before == Counter()


def _pattern_matches(doc: Document, name: str) -> tuple[str, ...]:
    return tuple(match.group() for match in doc.language.pattern(name).finditer(doc.folded))


def test_term_lists_find_what_each_list_s_alternation_finds_in_the_corpus() -> None:
    lists = offer._WORD_LISTS
    for text in _texts():
        doc = document(text)
        assert {name: lists.found(doc, name) for name in lists.names} == {
            name: _pattern_matches(doc, name) for name in lists.names
        }


def _pack(entries: dict[str, Entry]) -> LanguagePack:
    shipped = document("").language
    return dataclasses.replace(
        shipped,
        entries={**shipped.entries, **entries},
        open_sections=frozenset({"test"}),
        slots={},
        _compiled={},
        _sections={},
    )


def test_term_lists_take_the_longest_word_at_the_first_place_and_go_on_from_its_end() -> None:
    language = _pack(
        {
            "test.nested": Entry("test.nested", "terms", terms=("灵芝", "灵芝孢子粉", "孢子", "粉")),
            "test.overlapping": Entry("test.overlapping", "terms", terms=("ab", "bc", "cd", "abc")),
            "test.pattern": Entry("test.pattern", "pattern", pattern="b+c"),
            "test.cased": Entry("test.cased", "terms", terms=("ab",), ignore_case=True),
        }
    )
    lists = TermLists("test", ("test.nested", "test.overlapping", "test.pattern", "test.cased", "test.missing"))
    texts = ("灵芝孢子粉和孢子粉，灵芝粉", "abcd bcd abcabc Abc", "", "没有")
    for text in texts:
        doc = Document(text, "text", language=language)
        assert {name: lists.found(doc, name) for name in lists.names} == {
            name: _pattern_matches(doc, name) for name in lists.names
        }, text
    doc = Document(texts[0], "text", language=language)
    assert lists.found(doc, "test.nested") == ("灵芝孢子粉", "孢子", "粉", "灵芝", "粉")
    doc = Document(texts[1], "text", language=language)
    assert lists.found(doc, "test.overlapping") == ("abc", "bc", "abc", "abc", "abc")
    assert lists.found(doc, "test.missing") == ()
