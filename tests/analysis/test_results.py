import pytest

from lint.analysis.results import study_results
from tests.helpers import document

HEAD = "临床案例二：《脐带间充质干细胞治疗狼疮性肾炎的随机双盲安慰剂对照试验》\n"


def _verdict(body: str) -> tuple[str, list[str]]:
    text = HEAD + body
    [result] = study_results(document(text))
    return result.verdict, [text[a:b] for a, b in result.decided_by]


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        (
            "结果：脐带间充质干细胞组 12 名患者中有 9 名(75%)获得缓解，安慰剂组 6 名患者中有 5 名(83%)获得缓解。",
            "negative",
        ),
        (
            "结果：脐带间充质干细胞组 12 名患者中有 10 名(83%)获得缓解，安慰剂组 6 名患者中有 3 名(50%)获得缓解。",
            "positive",
        ),
        ("结果：脐带间充质干细胞组十二名患者中有九名获得缓解，安慰剂组六名患者中有五名获得缓解。", "negative"),
        ("结果：MSC组缓解 9/12，安慰剂组 5/6。", "negative"),
        ("结果：MSC group 75%，placebo group 83%。", "negative"),
        ("结果：缓解率 75% vs 83%。", "negative"),
        ("结果：两组缓解率均为75%。干细胞组75%，对照组75%。", "null"),
        ("结果：治疗组死亡率10%，对照组死亡率20%。", "positive"),
        ("结果：两组的改善程度相似，差异无统计学意义。", "null"),
        ("结果：干细胞组改善更明显，差异有统计学意义(P<0.01)。", "positive"),
        ("结果：联合组的客观缓解率为41.7%，单纯化疗组为45.0%，两组差异无统计学意义。", "negative"),
        ("结果：NK细胞联合化疗组缓解率为50%，化疗组为40%。", "positive"),
        ("结果：干细胞组无进展生存率为60%，对照组为50%。", "positive"),
        ("结果：干细胞组6分钟步行距离提高了35米，对照组提高了38米。", "negative"),
        ("结果：干细胞组疼痛评分为3分，对照组为5分，两组差异无统计学意义。", "null"),
    ],
)
def test_classification(body: str, verdict: str) -> None:
    assert _verdict(body)[0] == verdict


def test_decided_by_points_at_both_arms() -> None:
    _, spans = _verdict(
        "结果：脐带间充质干细胞组 12 名患者中有 9 名(75%)获得缓解，安慰剂组 6 名患者中有 5 名(83%)获得缓解。"
    )
    assert spans == ["脐带间充质干细胞组 12 名患者中有 9 名(75%)", "安慰剂组 6 名患者中有 5 名(83%)"]


def test_traditional_script() -> None:
    text = "臨床案例二：《臍帶間充質幹細胞治療狼瘡性腎炎的隨機雙盲安慰劑對照試驗》\n結果：臍帶間充質幹細胞組 12 名患者中有 9 名(75%)獲得緩解，安慰劑組 6 名患者中有 5 名(83%)獲得緩解。"
    [result] = study_results(document(text))
    assert result.verdict == "negative"


def test_uncontrolled_series() -> None:
    text = "2022年，某医院在国际期刊《狼疮》上发表了一项20例患者系列研究。长期随访显示，10年肾脏生存率高达90%。"
    [result] = study_results(document(text))
    assert result.verdict == "uncontrolled"


@pytest.mark.parametrize(
    "verdict",
    [
        "两组差异不显著",
        "两组间未显示出统计学差异",
        "差异不具有统计学意义",
        "差异未达到显著水平",
        "两组无明显统计学差异",
        "P值>0.05",
        "P = 0.43",
        "未见显著差异",
        "差异无显著性",
    ],
)
def test_null_verdicts_in_many_wordings(verdict: str) -> None:
    assert _verdict(f"结果：干细胞组与安慰剂组相比，{verdict}。")[0] == "null"


@pytest.mark.parametrize("verdict", ["P=0.01", "p<0.05", "P = 0.049"])
def test_significant_p_values(verdict: str) -> None:
    assert _verdict(f"结果：干细胞组改善更明显({verdict})。")[0] == "positive"


def test_p_inside_a_word_is_no_p_value() -> None:
    assert _verdict("结果：干细胞组sleep=0.5小时。")[0] == "unknown"
