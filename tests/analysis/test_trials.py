"""Trial reports over the whole document: where each opens and ends, its design (with negation), its arms, the
role of each result row, and its verdict. The passages are written for these tests."""

from __future__ import annotations

import pytest

from lint.analysis.trials import reports_of, trial_reports
from tests.helpers import document
from tests.scaling import assert_linear


def _reports(text: str):  # type: ignore[no-untyped-def]
    return trial_reports(document(text))


def test_a_document_with_no_trial_word_has_no_reports() -> None:
    assert _reports("春季多喝水，早睡早起，适当运动。") == ()


def test_named_trials_each_open_a_report_and_sentences_that_refer_back_stay_in_it() -> None:
    text = (
        "ISCHEMIA试验纳入5179名稳定型冠心病患者。\n"
        "该研究随机比较了介入治疗和优化药物治疗。主要终点HR 0.93（95%CI 0.80–1.08）。\n"
        "与此不同，COURAGE试验纳入2287名患者，主要终点HR 1.05（95%CI 0.87–1.27）。\n"
    )
    first, second = _reports(text)
    assert (first.name, second.name) == ("ischemia", "courage")
    assert first.verdict == second.verdict == "null"
    assert text[first.start : first.end].endswith("0.80–1.08）。\n")


def test_bullets_that_name_trials_are_reports_of_their_own() -> None:
    text = (
        "多项研究为此提供了证据：\n"
        "● AIM-HIGH（3414名，2011）：主要心血管事件16.4%对16.2%，HR 1.02（95%CI 0.87–1.21）。\n"
        "● HPS2-THRIVE（25673名，2014）：主要血管事件13.2%对13.7%，RR 0.96（95%CI 0.90–1.03）。\n"
    )
    # AIM-HIGH's niacin arm had numerically more events (16.4% vs 16.2%): a null result, no better than placebo
    assert [(r.name, r.verdict) for r in _reports(text)] == [("aim-high", "negative"), ("hps2-thrive", "null")]


@pytest.mark.parametrize(
    ("design", "facts"),
    [
        ("一项纳入40名患者的随机双盲安慰剂对照试验。", {"randomized", "double_blind", "placebo", "controlled"}),
        (
            "一项纳入15名患者的开放标签研究，没有安慰剂对照组，主要目的是评估安全性与耐受性。",
            {"uncontrolled", "safety_primary"},
        ),
        ("一項收納12名病人的單臂研究，未設對照組。", {"single_arm", "uncontrolled"}),
        ("一项纳入60名患者的试验，对照组未给予安慰剂注射。", {"controlled"}),
    ],
)
def test_design_facts_with_negation(design: str, facts: set[str]) -> None:
    [report] = _reports(design)
    assert report.facts == facts


def test_arms_in_definition_order_and_the_therapy_they_name() -> None:
    text = (
        "一项纳入200名心梗患者的随机对照试验，随机分为骨髓细胞组、外周血细胞组和常规治疗组。"
        "主要终点为4个月时改善节段的比例：骨髓细胞组为38.6%，外周血细胞组为36.8%，常规治疗组为42.4%。"
    )
    [report] = _reports(text)
    assert [(a.name, a.role) for a in report.arms] == [
        ("骨髓细胞组", "treatment"),
        ("外周血细胞组", "treatment"),
        ("常规治疗组", "control"),
    ]
    assert report.therapy == ("骨髓细胞", "外周血细胞", "骨髓", "外周")
    assert (report.verdict, report.primary[0].result.worse) == ("negative", True)


def test_roles_primary_subgroup_and_within_group_rows() -> None:
    text = (
        "一项纳入133名心衰患者的随机双盲试验。主要终点为6个月时左室容积的变化。"
        "两组差值为0.3 ml（95%CI -1.2至1.8），无统计学意义。"
        "在糖尿病患者中，细胞组容积缩小更多（P=0.03）。"
        "细胞组LVEF较基线提高了4个百分点。"
    )
    [report] = _reports(text)
    assert [(o.role, o.result.verdict) for o in report.outcomes] == [
        ("primary", "null"),
        ("subgroup", "positive"),
        ("within", "unknown"),
    ]
    assert report.verdict == "null" and report.unfavourable


def test_the_primary_row_is_the_clinical_outcome_when_no_row_names_it() -> None:
    """A trial that first reports the surrogate it aimed at (HbA1c), then its clinical outcome."""
    text = (
        "ACCORD研究纳入10251名2型糖尿病患者，随机分为强化降糖组和标准治疗组，强化组的HbA1c中位数降到了6.4%，标准组为7.5%。"
        "强化组心梗、卒中和心血管死亡复合终点的风险比为0.90（95%CI 0.78–1.04）。"
    )
    [report] = _reports(text)
    assert [o.role for o in report.outcomes] == ["other", "primary"]
    assert report.verdict == "null"


@pytest.mark.parametrize(
    ("stop", "verdict"),
    [
        ("期中分析显示几乎不可能达到主要终点，试验因无效提前终止。", "futility"),
        ("因入组缓慢提前终止，两组死亡人数基本持平。", "null"),
    ],
)
def test_why_a_trial_stopped_decides_what_the_stop_means(stop: str, verdict: str) -> None:
    [report] = _reports("一项纳入375名患者的随机对照试验。" + stop)
    assert report.verdict == verdict
    assert (report.futility is not None) == (verdict == "futility")
    assert report.stopped is not None


def test_a_small_difference_with_no_test_is_untested_and_a_safety_aim_is_unfavourable() -> None:
    [small] = _reports("一项纳入260名患者的随机双盲试验。治疗组完全缓解率35%，安慰剂组30%。")
    assert (small.verdict, small.unfavourable) == ("untested", True)
    [safety] = _reports("一项纳入25名患者的I期试验，研究的主要终点是安全性。结果细胞组无一例发生严重不良事件。")
    assert safety.early_phase and safety.unfavourable and not safety.positive


def test_reports_are_found_by_offset_and_by_name() -> None:
    text = "GEM研究纳入3069名老人。\n" * 3 + "另一项VITAL研究纳入25871名成人。"
    doc = document(text)
    reports = reports_of(doc)
    [gem, vital] = reports.reports
    assert reports.at(0) is gem and reports.at(len(text) - 1) is vital
    assert reports.named_in(doc, "vital研究证实") == (vital,)


def test_reports_scale_linearly() -> None:
    paragraph = (
        "一项纳入120名患者的随机双盲安慰剂对照试验，随机分为细胞组和安慰剂组。"
        "主要终点为6个月时的缓解率：细胞组35%，安慰剂组30%，差异无统计学意义（P=0.41）。"
        "由此可见，细胞治疗能显著改善病情。\n"
    )
    assert_linear(lambda n: lambda: trial_reports(document(paragraph * n)), 20, factor=4, slack=2.5)
