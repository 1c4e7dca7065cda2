from lint.analysis.claims import claims
from tests.helpers import corpus_clauses, document


def _claims(text: str) -> list[tuple[str, frozenset[str], bool]]:
    doc = document(text)
    return [(text[c.start : c.end], c.kinds, c.hedged) for c in claims(doc)]


def test_verb_outcome_claims_survive_word_order() -> None:
    assert _claims("干细胞可显著改善患者的临床症状。") == [("显著改善患者的临床症状", frozenset({"efficacy"}), False)]
    assert _claims("接受干细胞治疗后,患者的症状得到缓解。")[0][0] == "症状得到缓解"


def test_evaluations_comparatives_benefits_and_proofs() -> None:
    assert _claims("使用干细胞疗法治疗狼疮的效果良好。")[0][:2] == ("效果良好", frozenset({"efficacy"}))
    assert _claims("干细胞对肝纤维化有很好的抑制作用。")[0][0] == "很好的抑制作用"
    assert _claims("干细胞疗法比传统疗法更胜一筹。")[0][1] == frozenset({"comparative"})
    assert _claims("干细胞疗法必将成为患者的福音。")[0][1] == frozenset({"benefit"})
    assert "proof" in _claims("本研究系统验证了干细胞的长期疗效。")[0][1]
    assert "safety" in _claims("试验表明该疗法具有良好的安全性。")[0][1]


def test_hedges_are_recorded_not_dropped() -> None:
    [(span, _, hedged)] = _claims("干细胞可能显著改善患者的临床症状。")
    assert span == "显著改善患者的临床症状" and hedged


def test_words_that_only_look_like_hedges() -> None:
    [(span, _, hedged)] = _claims("治疗后大部分患儿的社交能力明显提升。")
    assert span == "社交能力明显提升" and not hedged
    assert not _claims("干细胞一定能显著改善患者的临床症状。")[0][2]
    assert _claims("干细胞在一定条件下可以改善肾功能。")[0][2]


def test_negated_and_mechanism_statements() -> None:
    assert _claims("干细胞没有明显的附加作用。") == []
    assert _claims("疗效异质性:不同来源的干细胞效果差异显著。") == []
    doc = document("• 抑制炎症:通过分泌抗炎因子,减轻肾脏炎症损伤。")
    assert [c.mechanistic for c in claims(doc)] == [True]


def test_intensified_predicates_that_jieba_keeps_whole() -> None:
    assert _claims("干细胞移植后，患者的肌力明显增强。")[0][0] == "肌力明显增强"
    assert _claims("该疗法能显著降低脑卒中患者的致残率。")[0][0] == "降低脑卒中患者的致残率"
    assert _claims("干细胞美容可以淡化皱纹，让肌肤恢复弹性。")[0][0] == "淡化皱纹，让肌肤恢复弹性"


def test_a_technique_is_a_subject() -> None:
    [(span, kinds, _)] = _claims("该技术对脑瘫患儿效果显著。")
    assert span == "效果显著" and kinds == frozenset({"efficacy"})
    doc = document("该技术对脑瘫患儿效果显著。")
    assert [c.has_subject for c in claims(doc)] == [True]


def test_disease_outcomes() -> None:
    assert _claims("干细胞能预防癌症。")[0][0] == "预防癌症"
    assert _claims("干细胞治疗糖尿病足，避免截肢。")[0][0] == "避免截肢"
    assert _claims("癌症是我国居民的主要死因之一。") == []


def test_a_nominalised_outcome_is_no_claim() -> None:
    assert _claims("脊髓损伤后神经功能的恢复一直是临床难题。") == []
    assert _claims("治疗后患者神经功能明显恢复。")[0][0] == "神经功能明显恢复"


def test_comparative_needs_a_comparator() -> None:
    assert _claims("第二组的结果优于第一组。") == []


def test_subject_from_heading() -> None:
    doc = document("干细胞疗法的治疗优势\n多靶点干预:同时修复组织、调节免疫。")
    assert [c.has_subject for c in claims(doc)] == [True]
    assert [c.has_subject for c in claims(document("多靶点干预:同时修复组织、调节免疫。"))] == [False]


def test_token_patterns_match_as_spacy_matcher_patterns_would() -> None:
    """Each `TokenPattern` is the spaCy pattern [first, NOT_IN stops *, last]; both must find the same spans."""
    import spacy
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

    from lint.analysis.claims import _patterns, vocabulary
    from lint.io.language import default_language

    language = default_language()
    vocab = spacy.blank("zh").vocab
    patterns = _patterns(language)
    matchers = []
    for pattern in patterns:
        tokens: list[dict[str, object]] = [{"LOWER": {"IN": sorted(pattern.first)}}]
        if pattern.last:
            tokens += [{"LOWER": {"NOT_IN": sorted(pattern.stops)}, "OP": "*"}, {"LOWER": {"IN": sorted(pattern.last)}}]
        matcher = Matcher(vocab)
        matcher.add(pattern.label, [tokens])
        matchers.append(matcher)
    candidates = [clause for clause in corpus_clauses() if vocabulary(language).is_candidate(clause)]
    assert len(candidates) > 100
    found = 0
    for clause in candidates:
        words = vocabulary(language).merge(clause, language.segment(clause))
        doc = Doc(vocab, words=list(words), spaces=[False] * len(words))
        for pattern, matcher in zip(patterns, matchers, strict=True):
            expected = {(s, e) for _, s, e in matcher(doc) if e - s <= pattern.max_tokens}
            assert set(pattern.spans(words)) == expected, (pattern.label, clause)
            found += len(expected)
    assert found > 100
