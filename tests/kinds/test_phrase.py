"""The phrase kind's reporting: overlapping matches of one rule are one finding, and `per_sentence` rules join
the matches of one sentence, in Simplified and Traditional script and across domains."""

import pytest

from lint import LintConfig, lint
from tests.helpers import phrase_entry_names


def _found(text: str, selected: str) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in lint(text, LintConfig(select=frozenset({selected})))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("静脉曲张不处理，腿会溃烂，严重的甚至截肢。", "不处理，腿会溃烂，严重的甚至截肢"),
        ("頸椎病放著不管，手會越來越麻，最後癱瘓。", "放著不管，手會越來越麻，最後癱瘓"),
    ],
)
def test_a_threat_told_in_several_clauses_is_one_finding(text: str, expected: str) -> None:
    assert _found(text, "fear_appeal") == [("fear_appeal.threat-conditional", expected)]


def test_threats_in_two_sentences_stay_two_findings() -> None:
    text = "青光眼拖到晚期会失明。乳腺增生放任不管，极易发展成乳腺癌。"
    assert [rule for rule, _ in _found(text, "fear_appeal")] == ["fear_appeal.threat-conditional"] * 2


def test_a_story_inside_a_review_line_is_the_review_line() -> None:
    text = "“我婆婆喝了两个月，复查时血脂都降下来了。” ——无锡 网友阿青"
    assert _found(text, "testimonial.patient-story") == [("testimonial.patient-story", text)]


@pytest.mark.parametrize(
    "text",
    [
        "糖尿病视网膜病变严重时可能导致失明，建议糖尿病患者每年查一次眼底。",
        "痛風反覆發作可導致關節變形，應規律服用降尿酸藥物。",
        "复查时，他的血压为150/95 mmHg，医生建议调整药物。",
        "医生说这种情况一般不需要手术，观察即可。",
    ],
)
def test_honest_risk_and_case_notes_stay_clean(text: str) -> None:
    categories = {"fear_appeal", "testimonial", "cure_or_guarantee", "safety_overclaim"}
    assert [f.rule for f in lint(text, LintConfig()) if f.category in categories] == []


def test_an_entry_is_compiled_only_for_a_text_that_holds_its_anchors() -> None:
    import dataclasses

    from lint.io.language import default_language

    language = dataclasses.replace(default_language(), slots={}, _compiled={})
    named = phrase_entry_names()
    assert "cure_or_guarantee.cure-term" in [f.rule for f in lint("这款足贴能根治失眠。", language=language)]
    compiled = {name for name in named if name in language._compiled and language._compiled[name]._compiled}
    assert "cure.term" in compiled
    assert "fear.threat" not in compiled and "testimonial.review_line" not in compiled
    assert len(compiled) < len(named) / 4
