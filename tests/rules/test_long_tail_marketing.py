"""Long-tail marketing constructions of the zh pack, one finding each with its exact span, in several domains and
both scripts: lifelong and gradual threats, endorsements by status, quantified customer stories, conditional-payment
guarantees and absolute no-harm promises; and the honest look-alikes that stay clean."""

import pytest

from lint import LintConfig, lint

MARKETING = {"fear_appeal", "testimonial", "cure_or_guarantee", "safety_overclaim", "absolute_term"}


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in lint(text, LintConfig()) if f.category in MARKETING]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("肩周炎不及时松解，这份酸痛会缠着您十几年。", ("fear_appeal.threat-conditional", "会缠着您十几年")),
        ("乾眼症放著不管，能難受上好幾年。", ("fear_appeal.threat-conditional", "放著不管，能難受上好幾年")),
        ("甲亢拖下去，甲状腺会一点点萎缩。", ("fear_appeal.threat-conditional", "拖下去，甲状腺会一点点萎缩")),
        ("糖尿病足不處理，傷口會一天天潰爛。", ("fear_appeal.threat-conditional", "不處理，傷口會一天天潰爛")),
        ("好几位人大代表都来本院做过理疗。", ("testimonial.expert-endorsement", "人大代表都来本院做过理疗")),
        ("奧運冠軍也選擇了本中心的運動康復。", ("testimonial.expert-endorsement", "奧運冠軍也選擇了本中心")),
        ("吴女士的黄褐斑三次就淡了八成。", ("testimonial.patient-story", "吴女士的黄褐斑三次就淡了八成")),
        ("林小姐的痘疤兩個療程淡了大半。", ("testimonial.patient-story", "林小姐的痘疤兩個療程淡了大半")),
        ("療程無效不收費。", ("cure_or_guarantee.guarantee", "無效不收費")),
        ("植发不成功不收一分钱。", ("cure_or_guarantee.guarantee", "不成功不收一分钱")),
        ("激光祛疤不留任何痕迹。", ("safety_overclaim.comfort", "不留任何痕迹")),
        ("埋線提拉零創傷零恢復期。", ("safety_overclaim.comfort", "零創傷零恢復期")),
        ("做完不会带来任何损伤。", ("safety_overclaim.no-side-effect", "不会带来任何损伤")),
    ],
)
def test_long_tail_construction_is_one_finding(text: str, expected: tuple[str, str]) -> None:
    assert _found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "很多用户反映客服电话难打，我们已增加人工坐席。",
        "不少病友反映挂号难。",
        "如果出现任何不适，请停止使用并咨询医生。",
        "术后红肿一般三天内消退。",
        "世界冠军来我市参加义跑。",
        "骨关节炎会逐渐进展，应在医生指导下规范治疗。",
        "糖尿病需要终身管理，规范治疗可以正常生活。",
        "挂号不收费，检查按标准收费。",
    ],
)
def test_honest_look_alike_stays_clean(text: str) -> None:
    assert _found(text) == []
