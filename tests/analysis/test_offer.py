"""The genre and promoted-offer model: examples of our own in several domains, Simplified and Traditional."""

import pytest

from lint.analysis.offer import GENRES, offer
from tests.helpers import document

SALES_PAGE = """护膝宝®远红外护膝｜老寒腿的冬季伴侣
本品采用石墨烯发热膜，三档控温。
原价299元，今日下单立减100元，包邮到家。扫码添加客服微信，了解更多。
"""

CLINIC_SEO = """膝关节炎哪家医院好？仁心骨科医院独创“三联软骨调衡术”
我院骨科团队二十年专注关节病，预约电话见页面底部，到院即送体检一次。
"""

REGULATOR = """某市市场监督管理局关于发布第三批医疗美容虚假违法广告典型案例的通报
案例一：某美容诊所在公众号发布广告，宣称其项目“零风险”“一次见效”。经查，当事人违反了《广告法》第十六条，
执法人员责令其停止发布，并处罚款二万元。
"""

TW_WARNING = """衛福部提醒：網路常見醫美廣告話術要小心
衛生局表示，業者宣稱「零風險」恐違法，民眾可向衛生局檢舉，違規者處以罰鍰。
"""

DEBUNK = """辟谣｜喝醋能软化血管？药师：并非如此
网上流传的这种说法没有科学依据。醋的主要成分是醋酸，进入血液前已被中和，所谓“软化血管”站不住脚，不要轻信。
审核：某医院药剂科主任药师
"""

RECRUITMENT = """【临床研究招募】一项评估新型降糖药安全性的随机对照试验
本研究已获医院伦理委员会批准（批件号 2024-031），受试者须符合入选标准，签署知情同意书后可随时退出，不向受试者收取试验用药费用。
"""

QA = """孩子近视三百度怎么办？
问：孩子九岁，近视三百度，角膜塑形镜有用吗？
答：角膜塑形镜可以延缓部分儿童的近视进展，需由医生验配并定期复查。
某医院眼科 主治医师
"""

NEWS = """【健康新闻】研究发现：一种新型降压药可减少夜间血压波动
本报记者获悉，某大学研究团队的论文发表于一本心血管期刊，研究人员随访了两千名患者。通讯作者在接受采访时表示，结果仍需验证。
"""


@pytest.mark.parametrize(
    ("text", "genre", "promotional"),
    [
        (SALES_PAGE, "marketing", True),
        (CLINIC_SEO, "marketing", True),
        (REGULATOR, "regulator", False),
        (TW_WARNING, "regulator", False),
        (DEBUNK, "debunk", False),
        (RECRUITMENT, "recruitment", False),
        (QA, "doctor_qa", False),
        (NEWS, "news", False),
    ],
)
def test_genre_and_whether_the_page_promotes(text: str, genre: str, promotional: bool) -> None:
    found = offer(document(text))
    assert (found.genre, found.promotional) == (genre, promotional)
    assert found.genre in GENRES


def test_the_offer_names_brands_methods_and_the_provider_first() -> None:
    found = offer(document(SALES_PAGE))
    assert found.subjects[:2] == ("护膝宝", "本品")
    assert found.names("这款护膝宝很暖和") and not found.names("羽绒服很暖和")
    clinic = offer(document(CLINIC_SEO))
    assert clinic.subjects[0] == "三联软骨调衡术"
    assert "我院" in clinic.subjects


def test_notices_and_debunks_are_critical_and_notices_owe_no_disclaimer() -> None:
    assert offer(document(REGULATOR)).critical and offer(document(REGULATOR)).notice
    assert offer(document(DEBUNK)).critical and not offer(document(DEBUNK)).notice
    assert offer(document(RECRUITMENT)).notice and not offer(document(RECRUITMENT)).critical
    assert not offer(document(SALES_PAGE)).critical


def test_health_topic_without_a_sale_and_a_text_about_nothing_medical() -> None:
    assert offer(document(NEWS)).discusses_health
    assert offer(document("夏日菜谱\n黄瓜切片，加醋和蒜末拌匀即可。\n")).discusses_health is False


def test_the_model_is_worked_out_once_per_document() -> None:
    doc = document(SALES_PAGE)
    assert offer(doc) is offer(doc)


def test_a_text_without_markers_has_no_genre() -> None:
    found = offer(document("今天去公园散步，看到很多人在放风筝。"))
    assert (found.genre, found.promotional, found.subjects) == ("other", False, ())


def test_empty_text() -> None:
    found = offer(document(""))
    assert (found.genre, found.promotional, found.discusses_health) == ("other", False, False)
