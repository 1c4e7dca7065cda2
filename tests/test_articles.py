"""Whole articles unlike the seeds (hand-written for these tests): exact findings, and clean copy stays clean."""

from pathlib import Path

import pytest

from lint import lint
from lint.io.sources import read_source

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def _found(name: str) -> list[tuple[str, str]]:
    path = ARTICLES / name
    syntax = "markdown" if path.suffix == ".md" else "text"
    return sorted((f.rule, f.text) for f in lint(path.read_text(encoding="utf-8"), syntax=syntax))


@pytest.mark.parametrize(
    "name",
    [
        "balanced_koa.txt",
        "regulator_news.txt",
        "balanced_spinal_cord.txt",
        "trial_recruitment.txt",
        "regulator_cases.txt",
        "msc_explainer.txt",
    ],
)
def test_balanced_and_regulator_copy_has_no_findings(name: str) -> None:
    assert _found(name) == []


def test_anti_ageing_promotion() -> None:
    assert _found("promo_antiaging.txt") == [
        ("absolute_term.rank-unique", "国内首家"),
        ("absolute_term.rank-unique", "国际领先"),
        ("cure_or_guarantee.cure-term", "逆转"),
        ("cure_or_guarantee.efficacy-rate", "有效率高达95%"),
        ("cure_or_guarantee.guarantee", "一针见效"),
        ("cure_or_guarantee.rejuvenation", "年轻十岁"),
        ("cure_or_guarantee.repair-claim", "修复受损器官"),
        ("missing_disclaimer.medical-advice", ""),
        ("overclaim.hype-term", "重获新生"),
        ("safety_overclaim.no-side-effect", "无任何副作用"),
        ("testimonial.patient-story", "张女士今年58岁，回输干细胞三个月后，皱纹明显减少"),
        ("uncited_efficacy.claim-without-source", "对糖尿病、帕金森、阿尔茨海默病都有显著疗效"),
        ("uncited_efficacy.claim-without-source", "睡眠改善"),
    ]


def test_review_that_spins_a_null_trial() -> None:
    assert _found("koa_review_spin.txt") == [
        ("cure_or_guarantee.repair-claim", "修复受损软骨"),
        ("cure_or_guarantee.root-cause", "从根本上修复"),
        ("missing_disclaimer.medical-advice", ""),
        ("safety_overclaim.proven-safe", "安全有效"),
        ("safety_overclaim.unqualified-safety", "是安全的"),
        (
            "spin.all-studies-positive",
            "目前多项研究均证实干细胞治疗膝骨关节炎安全有效，可以从根本上修复受损软骨，让患者告别疼痛",
        ),
        ("spin.nonsignificant-as-effect", "可显著改善膝关节疼痛和功能"),
        ("weak_evidence.universal-proof", "多项研究均证实"),
    ]


def test_traditional_script_markdown_promotion() -> None:
    assert _found("traditional_promo.md") == [
        ("absolute_term.rank-unique", "國內唯一"),
        ("cure_or_guarantee.cure-term", "根 治"),
        ("cure_or_guarantee.efficacy-rate", "治癒率高達98%"),
        ("missing_disclaimer.medical-advice", ""),
        ("overclaim.hype-term", "革命性"),
        ("safety_overclaim.no-side-effect", "無副作用"),
        ("safety_overclaim.no-side-effect", "絕對安全"),
    ]


def test_html_page_of_an_immune_cell_clinic() -> None:
    source = read_source(ARTICLES / "nk_cells.html")
    found = sorted((f.rule, f.text) for f in lint(source.text))
    assert found == [
        ("absolute_term.state-level", "顶级"),
        ("cure_or_guarantee.guarantee", "立竿见影"),
        ("cure_or_guarantee.rejuvenation", "年轻十岁"),
        ("safety_overclaim.no-side-effect", "无毒副作用"),
        (
            "testimonial.patient-story",
            "李先生确诊肝癌晚期后，在我院接受3次NK细胞回输，肿瘤明显缩小，如今已重返工作岗位",
        ),
        ("uncited_efficacy.claim-without-source", "提高患者生存率"),
        ("uncited_efficacy.claim-without-source", "清除癌细胞"),
    ]
    assert "track()" not in source.text and "免费咨询" not in source.text


def test_autism_clinic_page_with_a_null_trial_summarised_as_proof() -> None:
    """A design-described trial (随机、双盲、安慰剂对照的II期试验, n=180) is a study block; 大部分患儿 is no hedge."""
    assert _found("autism_clinic.txt") == [
        ("absolute_term.rank-unique", "国际领先"),
        ("fear_appeal.doom-label", "精神癌症"),
        ("fear_appeal.threat-conditional", "如果不及早干预,孩子将终身无法"),
        ("missing_disclaimer.medical-advice", ""),
        ("overclaim.hype-term", "曙光"),
        ("safety_overclaim.comfort", "无痛苦"),
        ("safety_overclaim.no-side-effect", "安全无毒副作用"),
        ("safety_overclaim.unqualified-safety", "不存在排异反应"),
        ("safety_overclaim.unqualified-safety", "安全无毒"),
        ("spin.nonsignificant-as-effect", "这些研究充分证明了干细胞治疗自闭症的有效性"),
        ("testimonial.patient-story", "王女士的儿子今年6岁,接受3次干细胞回输后,已经能够正常上学,老师都说他变了一"),
        ("uncited_efficacy.claim-without-source", "刻板行为显著减少"),
        ("uncited_efficacy.claim-without-source", "社交能力明显提升"),
    ]


def test_exosome_page_with_mouse_preprint_and_three_case_evidence() -> None:
    """A mouse study, a preprint named without 《》 and a three-case congress report, each used as proof."""
    assert _found("exosome_antiaging.txt") == [
        ("absolute_term.authority", "权威"),
        ("absolute_term.authority", "科学界公认"),
        ("absolute_term.rank-unique", "国内唯一一家"),
        ("absolute_term.superlative", "最先进的提取工艺"),
        ("overclaim.hype-term", "逆龄"),
        ("overclaim.hype-term", "黑科技"),
        ("overclaim.panacea", "适合所有人群"),
        ("safety_overclaim.no-side-effect", "没有任何不良反应"),
        ("safety_overclaim.unqualified-safety", "安全性高"),
        ("uncited_efficacy.claim-without-source", "免疫力全面提升"),
        ("uncited_efficacy.claim-without-source", "睡眠质量改善"),
        ("weak_evidence.preclinical-extrapolation", "这一成果充分证明,外泌体可以让人类延缓衰老"),
        ("weak_evidence.preprint-as-journal", "medRxiv"),
        ("weak_evidence.small-study-as-proof", "证实了外泌体疗法的确切疗效"),
    ]


def test_nk_cell_page_whose_combination_arm_did_worse() -> None:
    """联合组 41.7% vs 单纯化疗组 45.0% read as 疗效确切; 识别并杀灭 is not a negation."""
    assert _found("nk_cells_lung.txt") == [
        ("absolute_term.superlative", "最佳选择"),
        ("cure_or_guarantee.root-cause", "从根源上阻断"),
        ("fear_appeal.doom-label", "头号杀手"),
        ("safety_overclaim.unqualified-safety", "副作用小"),
        ("spin.arm-comparison", "NK细胞联合化疗显著延长了患者的生存期,疗效确切"),
        ("spin.uncontrolled-superiority", "患者接受NK细胞治疗后生活质量明显提高,效果优于传统化疗"),
        ("testimonial.expert-endorsement", "李教授指出"),
        ("uncited_efficacy.claim-without-source", "杀灭癌细胞"),
    ]


def test_diabetes_promotion_with_endorsements_and_guarantees() -> None:
    assert _found("diabetes_promo.txt") == [
        ("cure_or_guarantee.efficacy-rate", "有效率达到98%"),
        ("cure_or_guarantee.farewell", "告别胰岛素"),
        ("cure_or_guarantee.farewell", "摆脱胰岛素"),
        ("cure_or_guarantee.no-relapse", "永不复发"),
        ("cure_or_guarantee.repair-claim", "修复受损的胰岛β细胞"),
        ("cure_or_guarantee.repair-claim", "血糖恢复正常"),
        ("cure_or_guarantee.root-cause", "从根本上解决"),
        ("fear_appeal.threat-conditional", "会让您失明、截肢,甚至危及生命"),
        ("missing_disclaimer.medical-advice", ""),
        ("overclaim.hype-term", "第二次生命"),
        ("safety_overclaim.no-side-effect", "100%安全"),
        ("testimonial.expert-endorsement", "专家陈院士亲自推荐"),
        ("testimonial.expert-endorsement", "明星亲测"),
        ("testimonial.patient-story", '他激动地说:"是干细胞给了我第二次生命!"'),
        ("testimonial.patient-story", "患者刘先生,58岁,糖尿病史15年,接受两次干细胞移植后,血糖恢复正常"),
    ]


def test_heart_failure_review_with_three_spun_conclusions() -> None:
    """A null primary endpoint whose subgroup and within-group results are promoted in the conclusion drawn from
    them (the results are reported, the conclusion is the spin), a worse arm (35 vs 38 米) called an improvement,
    and "现有临床研究均证实" over them all."""
    assert _found("heart_failure_spin.txt") == [
        ("spin.all-studies-positive", "现有临床研究均证实了干细胞治疗心衰的有效性和安全性"),
        ("spin.arm-comparison", "研究者认为干细胞治疗明显改善了患者的运动耐量"),
        ("spin.secondary-promoted", "这些结果表明,干细胞疗法能够显著改善心衰患者的预后"),
    ]
