"""The claim and evidence kinds on real-looking copy: what they flag, what they pass, and the evidence they cite."""

from lint import LintConfig, lint

CONFERENCE = """例如,2020年,韩国首尔某大学在国际期刊《风湿病年鉴》上发表了一篇关于《异体骨髓间充质干细胞在狼疮性肾炎的1期研究中的安全性》的临床研究成果。
7名患者参与了这项研究。报告了3起不良事件,均为I级。试验表明异体干细胞治疗狼疮性肾炎具有良好的安全性。
参考资料:
C.B. Choi, AB0370 SAFETY OF CS20AT04 IN A PHASE 1 STUDY IN LUPUS NEPHRITIS, Annals of the Rheumatic Diseases, Volume 79, Supplement 1, 2020, Page 1485.
"""


def _found(text: str, select: str) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in lint(text, LintConfig(select=frozenset({select})))]


def test_conference_abstract_and_small_study_with_related_evidence() -> None:
    findings = lint(CONFERENCE, LintConfig(select=frozenset({"weak_evidence"})))
    by_rule = {f.rule: f for f in findings}
    conference = by_rule["weak_evidence.conference-abstract"]
    assert conference.text == "国际期刊《风湿病年鉴》"
    assert [r.role for r in conference.related] == ["reference", "study"]
    assert "Supplement 1" in conference.related[0].text
    small = by_rule["weak_evidence.small-study-as-proof"]
    assert small.text == "具有良好的安全性"
    assert {r.role for r in small.related} >= {"n", "phase_i"}
    assert CONFERENCE[small.related[0].start : small.related[0].end] == small.related[0].text


def test_uncited_claim_passes_inside_its_study_block_and_with_a_marker() -> None:
    in_block = "2019年,某医院在《柳叶刀》上发表研究,120名患者接受治疗。结果显示干细胞可显著改善患者的临床症状。"
    assert _found(in_block, "uncited_efficacy") == []
    listed = "干细胞可显著改善患者的临床症状[2]。\n参考文献\n[1] Li M. Stem cells. 2019.\n[2] Wu K. Stem cells. 2020."
    assert _found(listed, "uncited_efficacy") == []
    assert _found("干细胞可显著改善患者的临床症状(PMID: 31206409)。", "uncited_efficacy") == []


def test_a_numbered_marker_counts_only_when_it_resolves_to_the_reference_list() -> None:
    claim = ("uncited_efficacy.claim-without-source", "显著改善患者的临床症状")
    assert _found("干细胞可显著改善患者的临床症状[2]。", "uncited_efficacy") == [claim]
    beyond = "干细胞可显著改善患者的临床症状[3]。\n参考文献\n[1] Li M. Stem cells. 2019.\n[2] Wu K. Stem cells. 2020."
    assert _found(beyond, "uncited_efficacy") == [claim]
    circled = "幹細胞可顯著改善患者的臨床症狀②。\n參考文獻\n1. Li M. Stem cells. 2019.\n2. Wu K. Stem cells. 2020."
    assert _found(circled, "uncited_efficacy") == []


def test_vague_authority_is_not_a_citation() -> None:
    assert _found("大量临床数据显示,干细胞可显著改善患者的临床症状。", "uncited_efficacy") == [
        ("uncited_efficacy.claim-without-source", "显著改善患者的临床症状")
    ]


def test_limitation_next_to_a_small_study_claim_passes() -> None:
    text = (
        "临床研究三:《干细胞治疗狼疮性肾炎》\n方法:三名狼疮性肾炎患者接受了干细胞治疗。\n"
        "结论:研究表明干细胞可显著改善蛋白尿。不过样本量小,仍需随机对照试验。\n"
    )
    assert _found(text, "weak_evidence.small-study-as-proof") == []
    assert _found(text.replace("不过样本量小,仍需随机对照试验。", ""), "weak_evidence.small-study-as-proof") == [
        ("weak_evidence.small-study-as-proof", "显著改善蛋白尿")
    ]


def test_phase_one_safety_conclusion_of_twenty_patients_passes() -> None:
    text = "同年,美国某中心进行的I期开放标签临床试验中,对20例进行性MS患者鞘内注射,临床结果表明干预安全且耐受性良好。"
    assert _found(text, "weak_evidence") == []


def test_randomized_with_a_control_arm_passes() -> None:
    text = "2020年,一项随机对照试验报道了48例患者,随机进行干细胞或假注射治疗,对照组接受安慰剂。"
    assert _found(text, "weak_evidence.randomized-all-treated") == []


def test_heading_mismatch_uses_synonyms() -> None:
    text = "急性肾损伤:2025年4月,国际知名期刊《Life Sciences》上发表了一项研究称,尿源干细胞缓解LN。\n"
    assert _found(text, "weak_evidence.heading-mismatch") == [("weak_evidence.heading-mismatch", "急性肾损伤")]
    assert _found(text.replace("缓解LN", "缓解AKI"), "weak_evidence.heading-mismatch") == []
