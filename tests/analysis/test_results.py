"""What one sentence of a trial report says: arm labels and their roles, each arm's figure, statistics, verdict."""

from __future__ import annotations

import pytest

from lint.analysis.results import ArmLabel, arm_labels, holds, read_sentence, reread
from lint.core.document import Document
from tests.helpers import FIXTURES, document


def _read(text: str):  # type: ignore[no-untyped-def]
    doc = document(text)
    return read_sentence(doc, len(doc.sentences) - 1)


def _labels(text: str) -> list[tuple[str, str]]:
    doc = document(text)
    return [(label.name, label.role) for label in arm_labels(doc, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("常规治疗组为42.4%，骨髓细胞组为38.6%。", [("常规治疗组", "control"), ("骨髓细胞组", "treatment")]),
        ("结果显示外周血细胞组与假针刺组相近。", [("外周血细胞组", "treatment"), ("假针刺组", "control")]),
        ("傳統穴位針刺組與控制組比較。", [("传统穴位针刺组", "treatment"), ("控制组", "control")]),
        ("介入組與對照組的差異不顯著。", [("介入组", "treatment"), ("对照组", "control")]),
        ("RDN group下降14 mmHg，sham group下降12 mmHg。", [("rdn group", "treatment"), ("sham group", "control")]),
        ("A组接受细胞注射，B组接受生理盐水。", [("a组", "treatment"), ("b组", "control")]),
        ("服用葡萄糖胺的一组评分由9.2分降至5.0分。", [("服用葡萄糖胺的一组", "treatment")]),
        ("两组之间、各亚组和组间比较都没有差别。", []),
        ("研究没有设安慰剂组。", []),
    ],
)
def test_arm_labels_in_any_naming(text: str, labels: list[tuple[str, str]]) -> None:
    assert _labels(text) == labels


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("MSC组12名患者中有9名(75%)缓解，安慰剂组6名患者中有5名(83%)缓解。", [("treatment", 0.75), ("control", 0.83)]),
        ("细胞组22/58例（38%）发生事件，安慰剂组25/51例（49%）。", [("treatment", 0.38), ("control", 0.49)]),
        ("银杏组每百人年发生痴呆3.3例，安慰剂组每百人年2.9例。", [("treatment", 3.3), ("control", 2.9)]),
        ("治疗组由9.2分降至5.0分，安慰剂组由9.7分降至5.0分。", [("treatment", -4.2), ("control", -4.7)]),
        ("细胞组死亡6例，对照组死亡7例。", [("treatment", 6.0), ("control", 7.0)]),
        ("6个月时66.6%的患者疼痛减轻20%以上，而安慰剂组为60.1%。", [("control", 0.601), ("treatment", 0.666)]),
        ("缓解率10.8% vs 10.4%。", [("treatment", 0.108), ("control", 0.104)]),
    ],
)
def test_arm_figures(text: str, figures: list[tuple[str, float]]) -> None:
    assert [(f.role, round(f.value, 3)) for f in _read(text).figures] == figures


@pytest.mark.parametrize(
    "text",
    [
        "细胞组HR 0.96（95%CI 0.88–1.06），安慰剂组为参照。",
        "纳入LVEF≤45%的患者，细胞组与安慰剂组按2:1随机。",
        "强化组（目标HbA1c低于6.0%）与标准组（目标7.0%）比较。",
        "细胞组心衰住院较安慰剂组减少22%。",
    ],
)
def test_numbers_that_are_no_arm_figures(text: str) -> None:
    assert _read(text).figures == ()


def test_figures_listed_respectively_follow_the_order_the_arms_were_defined() -> None:
    doc = document("随机分为骨髓细胞组、外周血细胞组和常规治疗组。左室射血分数分别提高3.8%、4.2%和4.0%。")
    arms = arm_labels(doc, 0, doc.sentences[0].end)
    result = read_sentence(doc, 1, arms)
    assert [(f.label, f.value) for f in result.figures] == [
        ("骨髓细胞组", 0.038),
        ("外周血细胞组", 0.042),
        ("常规治疗组", 0.04),
    ]
    assert result.verdict == "untested"


@pytest.mark.parametrize(
    ("text", "lower_better"),
    [
        ("细胞组大截肢率为19%，安慰剂组为13%。", True),
        ("细胞组LVEF提高6.7个百分点，对照组仅提高0.7个百分点。", False),
        ("心梗患者中，细胞组射血分数为48%，对照组为45%。", False),
        ("去神经组收缩压下降14.1 mmHg，假手术组下降11.7 mmHg。", True),
    ],
)
def test_which_way_is_better(text: str, lower_better: bool) -> None:
    treatment, control = _read(text).figures
    assert treatment.lower_better == lower_better
    # the arm with the better figure has the higher benefit, whichever way the scale runs
    better = {True: min, False: max}[lower_better if "下降" not in text else False]
    assert (treatment.benefit > control.benefit) == (better(treatment.value, control.value) == treatment.value)


@pytest.mark.parametrize(
    ("text", "verdict", "worse"),
    [
        ("MSC组12名患者中有9名(75%)缓解，安慰剂组6名患者中有5名(83%)缓解。", "negative", True),
        ("MSC组缓解 9/12，安慰剂组 5/6。", "negative", True),
        ("MSC group 缓解率75%，placebo group 缓解率83%。", "negative", True),
        ("两组缓解率均为75%，干细胞组75%，对照组75%。", "negative", True),
        ("治疗组死亡率10%，对照组死亡率20%，差异有统计学意义(P=0.01)。", "positive", False),
        ("两组的改善程度相似，差异无统计学意义。", "null", False),
        ("干细胞组改善更明显，差异有统计学意义(P<0.01)。", "positive", False),
        ("联合组的客观缓解率为41.7%，单纯化疗组为45.0%，两组差异无统计学意义。", "negative", True),
        ("Prochymal组35%，安慰剂组30%。", "untested", False),
        ("治疗组缓解率83%，安慰剂组50%。", "unknown", False),
        ("HR 0.92（95%CI 0.80–1.06），无显著差异。", "null", False),
        ("风险比0.63（95%CI 0.42–0.97），P=0.0344。", "positive", False),
        ("强化组全因死亡HR 1.22（95%CI 1.01–1.46）。", "harmful", False),
        ("组间差值-0.80分（95%CI -1.73至0.14），P=0.10。", "null", False),
        ("差異為-0.45分（95%信賴區間-0.67至-0.23），P<0.001。", "positive", False),
        ("虽然P值未达到0.05，但治疗组数值上更优。", "trend", False),
        ("前列腺癌风险比分别为1.04、1.05和1.13。", "negative", True),
        ("试验因达到主要终点的可能性很低而提前终止。", "futility", False),
        ("兩組活產率相若，未達統計顯著。", "null", False),
        ("治疗前两组EPC数量基本相同。", "unknown", False),
    ],
)
def test_verdicts_from_numbers_first(text: str, verdict: str, worse: bool) -> None:
    result = _read(text)
    assert (result.verdict, result.worse) == (verdict, worse)


@pytest.mark.parametrize(
    "wording",
    [
        "两组差异不显著",
        "两组间未显示出统计学差异",
        "差异不具有统计学意义",
        "差异未达到显著水平",
        "P值>0.05",
        "P = 0.43",
        "未见显著差异",
        "组间没有任何差别",
        "次要指標亦未見分別",
    ],
)
def test_null_verdicts_in_many_wordings(wording: str) -> None:
    assert _read(f"结果：干细胞组与安慰剂组相比，{wording}。").verdict == "null"


def test_the_spans_that_decided_point_at_both_arms() -> None:
    text = "结果：脐带血组 12 名患者中有 9 名(75%)获得缓解，安慰剂组 6 名患者中有 5 名(83%)获得缓解。"
    result = _read(text)
    assert [text[a:b] for a, b in result.decided_by] == [
        "脐带血组 12 名患者中有 9 名(75%)",
        "安慰剂组 6 名患者中有 5 名(83%)",
    ]


def test_p_inside_a_word_is_no_p_value() -> None:
    assert _read("结果：干细胞组sleep=0.5小时，p53表达上调。").statistics == ()


@pytest.mark.parametrize("text", ["患者每天早晚各服一次。", "研究人员随访了半年，并记录了不良事件。"])
def test_a_sentence_without_an_anchor_of_the_sentence_patterns_reports_nothing(text: str) -> None:
    result = _read(text)
    assert (result.labels, result.figures, result.statistics, result.markers) == ((), (), (), ())
    assert (result.verdict, result.worse, result.decided_by, result.reports) == ("unknown", False, (), False)
    assert (result.start, result.end, result.sentence, result.first_sentence) == (0, len(text), 0, 0)


def _corpus_documents() -> list[Document]:
    files = sorted([*(FIXTURES / "articles").glob("*.txt"), *(FIXTURES / "spin_corpus" / "articles").iterdir()])
    return [document(path.read_text(encoding="utf-8")) for path in files]


def test_reread_with_the_arms_and_context_of_a_report_is_read_sentence_with_them() -> None:
    """`reread` keeps a reading's labels, statistics and verdict words and works out its figures again: what
    reading the sentence again with the same arms and context gives, on every sentence of the corpus."""
    read = 0
    for doc in _corpus_documents():
        arms: list[ArmLabel] = []
        previous = ""
        for index, sentence in enumerate(doc.sentences):
            first = read_sentence(doc, index)
            for given, context in (((), ""), (tuple(arms), previous), (tuple(arms[:2]), "")):
                assert reread(doc, first, given, context) == read_sentence(doc, index, given, context)
            arms.extend(label for label in first.labels if all(label.name != arm.name for arm in arms))
            previous = doc.folded[sentence.start : sentence.end]
            read += bool(first.figures)
    assert read > 20


def test_holds_says_what_searching_the_entry_says() -> None:
    """`holds` finds a word list's words without a search: the same answer as its pattern, for every word list
    of the pack and every sentence of the article fixtures (and a pattern entry is searched)."""
    docs = _corpus_documents()[:8]
    language = docs[0].language
    names = ["results.figure_hint", "trials.control_words", "trials.letter_arm", "trials.role_safety"]
    names += [name for name, entry in language.entries.items() if entry.kind == "terms"][:60]
    for doc in docs:
        for sentence in doc.sentences:
            text = doc.folded[sentence.start : sentence.end]
            for name in names:
                assert holds(language, name, text) == (language.pattern(name).search(text) is not None), name
