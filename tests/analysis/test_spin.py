"""Spin claims, one test per kind: a spin version and an honest version of the same real trial (none of them in a
development set), in several layouts and both scripts. Each docstring gives the trial's true facts."""

from __future__ import annotations

import pytest

from lint.analysis.spin import KINDS, spin_claims
from tests.helpers import document


def _spin(text: str) -> list[tuple[str, str]]:
    doc = document(text)
    return [(claim.kind, text[claim.start : claim.end]) for claim in spin_claims(doc)]


def _evidence(text: str) -> list[tuple[str, str, str]]:
    doc = document(text)
    return [(e.role, e.verdict, text[e.start : e.end]) for claim in spin_claims(doc) for e in claim.evidence]


GEM = (
    "【银杏护脑片】每天两粒，守护老人记忆力\n\n"
    "美国GEM研究是迄今规模最大的银杏叶提取物随机双盲试验，纳入3069名75岁以上的老人，每天服用120毫克银杏提取物两次或安慰剂，"
    "中位随访6.1年，主要终点是痴呆的发生。\n"
    "结果：银杏组每百人年发生痴呆3.3例，安慰剂组每百人年2.9例。\n"
)


def test_arm_comparison_spin_and_honest() -> None:
    """GEM (DeKosky et al., JAMA 2008): 3069 adults ≥75, Ginkgo biloba 120 mg twice daily vs placebo, median 6.1
    years; dementia 3.3 vs 2.9 per 100 person-years, HR 1.12 (0.94–1.33)."""
    spin = GEM + "可见坚持服用银杏能帮助老人远离痴呆，是守护大脑的好帮手。\n"
    assert _spin(spin) == [
        ("headline-contradicts-body", "守护老人记忆力"),
        ("arm-comparison", "可见坚持服用银杏能帮助老人远离痴呆，是守护大脑的好帮手"),
    ]
    assert _evidence(spin)[-1] == ("result", "negative", "银杏组每百人年发生痴呆3.3例，安慰剂组每百人年2.9例")
    honest = GEM.replace("【银杏护脑片】每天两粒，守护老人记忆力", "银杏能预防老年痴呆吗？") + (
        "也就是说，服用银杏的老人痴呆并不比服用安慰剂的少，这项研究不支持用银杏预防痴呆。\n"
    )
    assert _spin(honest) == []


ORBITA = (
    "ORBITA試驗在英國5家醫院進行，230名穩定型心絞痛患者先接受6週藥物優化，其後200人隨機接受支架植入或假手術（只做冠脈造影），"
    "患者與醫生都不知道分組。主要終點是6週後運動時間的組間差異：16.6秒（95%信賴區間-8.9至42.0），P=0.20。"
)


def test_not_significant_but_spin_and_honest_in_traditional_script() -> None:
    """ORBITA (Al-Lamee et al., Lancet 2018): 200 patients with stable angina randomised to PCI or a placebo
    procedure; exercise-time increment difference 16.6 s (95% CI −8.9 to 42.0), P = 0.200."""
    spin = ORBITA + "雖然組間差異未達統計顯著，但支架組患者普遍覺得胸口輕鬆，足見放支架能緩解心絞痛。"
    assert _spin(spin) == [("nonsignificant-as-effect", "足見放支架能緩解心絞痛")]
    assert _evidence(spin) == [("non-significant result", "null", "未達統計顯著")]
    honest = ORBITA + "雖然支架組數字上略好，但差異可能來自偶然，研究者並未據此宣稱有效。"
    assert _spin(honest) == []


NIACIN = (
    "（二）烟酸与心血管事件\n"
    "● AIM-HIGH（美国，3414名，NEJM 2011）：在他汀基础上加用缓释烟酸，主要心血管事件16.4%，安慰剂组16.2%，HR 1.02（95%CI 0.87–1.21）。\n"
    "● HPS2-THRIVE（25673名，NEJM 2014）：烟酸加拉罗匹仑，主要血管事件13.2%对13.7%，RR 0.96（95%CI 0.90–1.03）。\n"
)


def test_all_studies_proved_spin_and_honest_in_a_review_paragraph() -> None:
    """AIM-HIGH (Boden et al., NEJM 2011): 3414 patients, extended-release niacin vs placebo on top of a statin,
    16.4% vs 16.2%, HR 1.02 (0.87–1.21), stopped for futility. HPS2-THRIVE (NEJM 2014): 25,673 patients,
    niacin–laropiprant vs placebo, major vascular events 13.2% vs 13.7%, RR 0.96 (0.90–1.03)."""
    spin = NIACIN + "小结：以上两项大型研究均证实，烟酸能显著减少心血管事件。\n"
    assert _spin(spin) == [("all-studies-positive", "以上两项大型研究均证实，烟酸能显著减少心血管事件")]
    honest = NIACIN + "小结：两项大型研究均未显示烟酸能减少心血管事件，反而增加了不良反应。\n"
    assert _spin(honest) == []


ORBITA_CLINIC = (
    "稳定型心绞痛支架植入\n\n"
    "我院心内科依据ORBITA研究开展冠脉支架植入。研究纳入200名稳定型心绞痛患者，随机分为支架组和假手术组。"
    "支架组运动时间较术前延长28.4秒，假手术组延长11.8秒，组间差异无统计学意义（P=0.20）。\n"
)


def test_within_group_spin_and_honest() -> None:
    """ORBITA (Al-Lamee et al., Lancet 2018): exercise time rose by 28.4 s after PCI and by 11.8 s after the
    placebo procedure; the between-group difference (16.6 s) was not significant."""
    spin = ORBITA_CLINIC + "换句话说，放支架后患者的运动时间较术前延长了近半分钟，疗效立竿见影。\n"
    assert _spin(spin) == [("within-group", "换句话说，放支架后患者的运动时间较术前延长了近半分钟，疗效立竿见影")]
    honest = ORBITA_CLINIC + "两组的运动时间都较术前延长，大部分改善来自安慰剂效应，放支架并未带来额外获益。\n"
    assert _spin(honest) == []


ISCHEMIA = (
    "ISCHEMIA试验纳入5179名中重度缺血的稳定型冠心病患者，随机接受介入治疗或优化药物治疗，中位随访3.2年。"
    "主要终点为心血管死亡、心梗等复合事件：HR 0.93（95%CI 0.80–1.08），P=0.34。"
    "在每天或每周都有心绞痛的患者中，介入组的生活质量评分改善更多。"
)


def test_subgroup_promoted_spin_and_honest() -> None:
    """ISCHEMIA (Maron et al., NEJM 2020): 5179 patients, invasive vs conservative strategy, primary composite
    HR 0.93 (0.80–1.08); in patients with frequent angina, angina-related quality of life improved more with the
    invasive strategy (Spertus et al., NEJM 2020)."""
    spin = ISCHEMIA + "可见介入治疗能让冠心病患者活得更好。"
    assert _spin(spin) == [("secondary-promoted", "可见介入治疗能让冠心病患者活得更好")]
    honest = ISCHEMIA + "但这属于亚组分析，主要终点并未达到，需要新的试验验证。"
    assert _spin(honest) == []


CONNICK = (
    "一项纳入10名继发进展型多发性硬化患者的开放标签研究，没有对照组，主要目的是评估自体骨髓间充质干细胞静脉输注的安全性与可行性。"
    "输注后患者的视力评分较治疗前改善，视觉诱发电位潜伏期缩短。"
)


def test_safety_study_as_efficacy_spin_and_honest_on_a_tourism_page() -> None:
    """Connick et al., Lancet Neurol 2012: 10 patients with secondary progressive MS, open-label, no control
    group, primary aim safety and feasibility; visual acuity and visual evoked response latency improved."""
    spin = "赴英干细胞治疗多发性硬化\n\n" + CONNICK + "\n这证明干细胞能够修复受损的视神经，患者重新看清世界。\n"
    assert _spin(spin) == [("early-phase-as-efficacy", "这证明干细胞能够修复受损的视神经")]
    assert [role for role, _, _ in _evidence(spin)] == ["design", "design"]
    honest = (
        "多发性硬化干细胞研究进展\n\n" + CONNICK + "\n由于没有对照组，不能排除自然波动，疗效有待随机对照试验验证。\n"
    )
    assert _spin(honest) == []


BURT = "2009年，美国西北大学在《柳叶刀·神经病学》上发表了一项21例复发缓解型多发性硬化患者的病例系列研究，患者接受自体造血干细胞移植，随访3年，17人残疾评分改善。"


def test_case_series_claiming_superiority_spin_and_honest() -> None:
    """Burt et al., Lancet Neurol 2009: 21 patients with relapsing–remitting MS, autologous non-myeloablative
    haematopoietic stem-cell transplantation, uncontrolled phase 1/2; 17 improved by ≥1 EDSS point."""
    spin = BURT + "其疗效显著优于传统药物治疗。"
    assert _spin(spin) == [("uncontrolled-superiority", "其疗效显著优于传统药物治疗")]
    honest = BURT + "这是一项没有对照组的病例系列，无法与传统药物治疗比较。"
    assert _spin(honest) == []


SPRINT = (
    "SPRINT MIND研究纳入9361名50岁以上的高血压患者，随机分为强化降压组（收缩压目标低于120 mmHg）和标准降压组（目标低于140 mmHg）。"
    "主要终点为很可能的痴呆：强化组每千人年7.2例，标准组8.6例，HR 0.83（95%CI 0.67–1.04）。"
)


def test_trend_as_proof_spin_and_honest() -> None:
    """SPRINT MIND (Williamson et al., JAMA 2019): 9361 adults, intensive (<120 mmHg) vs standard (<140 mmHg)
    systolic target; probable dementia 7.2 vs 8.6 per 1000 person-years, HR 0.83 (0.67–1.04), not significant."""
    spin = SPRINT + "痴呆风险有明显下降的趋势，足以证明强化降压能预防老年痴呆。"
    assert _spin(spin) == [("trend-as-proof", "足以证明强化降压能预防老年痴呆")]
    honest = SPRINT + "强化组数字上略低，但置信区间跨过了1，不能认为强化降压减少了痴呆。"
    assert _spin(honest) == []


ILLUMINATE = (
    "ILLUMINATE試驗納入15067名高危心血管病患者，在阿托伐他汀基礎上隨機加用托徹普或安慰劑。"
    "主要終點為主要心血管事件：HR 1.25（95%信賴區間1.09–1.44），全因死亡HR 1.58。"
    "不過，托徹普組的高密度脂蛋白升高了72%，低密度脂蛋白降低了25%。"
)


def test_surrogate_promoted_spin_and_honest_in_traditional_script() -> None:
    """ILLUMINATE (Barter et al., NEJM 2007): 15,067 patients, torcetrapib + atorvastatin vs atorvastatin; HDL
    +72%, LDL −25%; major cardiovascular events HR 1.25 (1.09–1.44), death HR 1.58 (1.14–2.19)."""
    spin = ILLUMINATE + "這說明托徹普能通過提升好膽固醇保護心血管。"
    assert _spin(spin) == [("surrogate-as-clinical", "這說明托徹普能通過提升好膽固醇保護心血管")]
    assert _evidence(spin)[0][1] == "harmful"
    honest = ILLUMINATE + "指標好看不等於患者獲益，托徹普反而增加了心血管事件和死亡。"
    assert _spin(honest) == []


AIM_HIGH = (
    "AIM-HIGH试验纳入3414名已在服用他汀的心血管病患者，随机加用缓释烟酸或安慰剂。"
    "2011年，数据安全监查委员会在期中分析后判断试验几乎不可能证明获益，试验因无效提前终止；主要心血管事件16.4%对16.2%。"
)


def test_futility_stop_as_success_spin_and_honest() -> None:
    """AIM-HIGH (Boden et al., NEJM 2011): 3414 patients, extended-release niacin vs placebo on top of statins;
    stopped early for futility after a mean 3 years, primary endpoint 16.4% vs 16.2%, HR 1.02 (0.87–1.21)."""
    spin = AIM_HIGH + "试验提前结束，恰恰说明烟酸的护心效果已经显现。"
    assert _spin(spin) == [("futility-as-success", "恰恰说明烟酸的护心效果已经显现")]
    assert _evidence(spin)[0] == ("futility", "futility", "几乎不可能证明获益")
    honest = AIM_HIGH + "试验提前结束并不是因为效果好，而是因为加用烟酸没有减少心血管事件。"
    assert _spin(honest) == []


LOOK_AHEAD = (
    "Look AHEAD研究纳入5145名超重的2型糖尿病患者，随机接受强化生活方式干预或糖尿病教育，中位随访9.6年。"
    "主要终点为心血管死亡、心梗、卒中和心绞痛住院的复合事件：HR 0.95（95%CI 0.83–1.09），两组无显著差异。"
)


@pytest.mark.parametrize(
    ("title", "flagged"),
    [
        ("大型研究证实：强化生活方式干预让糖友远离心脏病", True),
        ("Look AHEAD研究：强化生活方式干预未能减少心血管事件", False),
        ("减重能让糖尿病患者远离心脏病吗？", False),
    ],
)
def test_headline_contradicting_the_body(title: str, flagged: bool) -> None:
    """Look AHEAD (NEJM 2013): 5145 overweight adults with type 2 diabetes, intensive lifestyle intervention vs
    diabetes support and education, median 9.6 years, primary composite HR 0.95 (0.83–1.09), stopped for futility."""
    found = _spin(title + "\n\n" + LOOK_AHEAD)
    assert found == ([("headline-contradicts-body", title)] if flagged else [])


CODA = (
    "CODA试验把1552名阑尾炎成人随机分为抗生素组和手术组，30天时生活质量评分两组无显著差异，抗生素治疗不劣于阑尾切除；"
    "抗生素组有29%的患者在90天内仍做了手术。"
)


def test_no_difference_spun_into_superiority_spin_and_honest() -> None:
    """CODA (NEJM 2020): 1552 adults with appendicitis, antibiotics were non-inferior to appendectomy on 30-day
    EQ-5D; 29% of the antibiotics group had an appendectomy by 90 days."""
    spin = CODA + "由此可见，抗生素的疗效优于切除阑尾。"
    assert _spin(spin) == [("parity-as-superiority", "抗生素的疗效优于切除阑尾")]
    honest = CODA + "也就是说，抗生素不比手术差，但不能说它比手术更好。"
    assert _spin(honest) == []


def test_no_difference_in_harms_as_safety() -> None:
    """A small randomised trial whose adverse events did not differ: no proof of safety."""
    assert _spin("两组不良反应发生率无统计学差异，证明该疗法安全。") == [("ns-harm-as-safety", "证明该疗法安全")]
    assert _spin("两组不良反应发生率无统计学差异，但样本量小，不足以评估安全性。") == []


def test_adverse_effect_as_benefit() -> None:
    """A detox tea advert: diarrhoea reframed as a sign of efficacy; a pharmacist's advice reports it as a harm."""
    assert _spin("喝了第三天开始腹泻，这是正常的排毒反应，说明产品开始起作用了。") == [
        ("harm-as-benefit", "这是正常的排毒反应，说明产品开始起作用了")
    ]
    assert _spin("服用后如果出现腹泻，不要当作“排毒反应”，请立即停用。") == []


def test_every_kind_is_tested() -> None:
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    assert [kind for kind in KINDS if f'"{kind}"' not in source] == []


def test_a_document_without_a_trial_has_no_spin_model_work() -> None:
    doc = document("每天喝一杯温开水，早睡早起。")
    assert spin_claims(doc) == ()


PIPS = (
    "PiPS试验在英国24家新生儿病房纳入1315名早产儿，随机给予短双歧杆菌BBG-001或安慰剂。"
    "坏死性小肠结肠炎发生率为9.4%对10.0%，两组没有统计学差异。"
)


def test_a_dismissed_null_result_spin_and_honest() -> None:
    """PiPS (Costeloe et al., Lancet 2016): 1315 preterm infants, Bifidobacterium breve BBG-001 vs placebo; NEC
    9.4% vs 10.0%, late-onset sepsis and death also without difference."""
    assert _spin(PIPS + "但这并不妨碍益生菌在早产儿护理中的价值。") == [
        ("nonsignificant-as-effect", "但这并不妨碍益生菌在早产儿护理中的价值")
    ]
    assert _spin(PIPS + "统计学上不显著不代表没有效果，早产儿还是应该补充。") != []
    traditional = "PiPS試驗納入1315名早產兒，隨機給予短雙歧桿菌或安慰劑，壞死性小腸結腸炎發生率兩組沒有統計學差異。"
    assert _spin(traditional + "P值沒有達到0.05，並不能否定益生菌的作用。") == [
        ("nonsignificant-as-effect", "並不能否定益生菌的作用")
    ]
    assert _spin(traditional + "不代表益生菌沒有作用，堅持補充效果終將顯現。") == [
        ("nonsignificant-as-effect", "不代表益生菌沒有作用，堅持補充效果終將顯現")
    ]
    assert _spin(PIPS + "研究不支持常规给早产儿补充这种益生菌。") == []
    assert _spin(PIPS + "没有统计学差异不代表它有效，也不代表它有害。") == []


VIDA = (
    "新西兰的ViDA试验纳入5110名50至84岁的成人，随机每月服用10万单位维生素D或安慰剂，中位随访3.3年。"
    "主要终点心血管病发生率为11.8%对11.5%，HR 1.02（95%CI 0.87–1.20）。"
)


def test_persisting_until_the_effect_shows_after_a_null_trial_spin_and_honest() -> None:
    """ViDA (Scragg et al., JAMA Cardiology 2017): 5110 adults, monthly 100,000 IU vitamin D3 vs placebo, median
    3.3 years; cardiovascular disease 11.8% vs 11.5%, HR 1.02 (0.87–1.20): the vitamin D arm had numerically more
    events."""
    assert _spin(VIDA + "随访时间可能还不够长，只要坚持补充，护心效果一定会显现。") == [
        ("arm-comparison", "护心效果一定会显现")
    ]
    held = VIDA.replace("11.8%对11.5%，HR 1.02（95%CI 0.87–1.20）", "两组无显著差异")
    assert _spin(held + "只要坚持补充，效果迟早会显现。") == [("nonsignificant-as-effect", "效果迟早会显现")]
    assert _spin(VIDA + "随访可能不够长，更长期的补充有没有作用，还需要新的试验回答。") == []


CALERIE = (
    "CALERIE试验把220名健康成人随机分为热量限制组和正常饮食组，为期两年。"
    "以DNA甲基化测算的衰老速度（DunedinPACE）在热量限制组放慢了2%至3%，表观遗传时钟的其他指标两组无差别。"
)


def test_a_surrogate_read_as_a_hard_outcome_spin_and_honest() -> None:
    """CALERIE phase 2 (Waziry et al., Nature Aging 2023): 220 healthy adults, 25% calorie restriction vs ad libitum
    for two years; DunedinPACE slowed by 2–3%, two other epigenetic clocks unchanged; no clinical outcomes."""
    spin = CALERIE + "这意味着热量限制能够延长寿命。"
    assert _spin(spin) == [("surrogate-as-clinical", "这意味着热量限制能够延长寿命")]
    assert _evidence(spin)[0] == ("surrogate", "", CALERIE[CALERIE.index("以DNA") : CALERIE.index("两组无差别") + 5])
    assert _spin(CALERIE + "这种变化能否转化为更长的寿命，目前还不知道。") == []


def test_a_surrogate_in_an_animal_study_is_left_to_the_weak_evidence_rules() -> None:
    """A mouse study of NMN (Mills et al., Cell Metab 2016, NAD+ levels in mice): no people, so no trial report
    to spin; reading it as a longer human life is weak evidence."""
    text = "一项小鼠试验中，喂食NMN一年后小鼠的NAD+水平升高了40%。这意味着NMN能够延长寿命。"
    assert _spin(text) == []
