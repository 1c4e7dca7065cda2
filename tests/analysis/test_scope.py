import pytest

from lint.analysis.scope import SCOPES
from tests.helpers import document


def _scope(name: str, text: str, trigger: str, nth: int = 0) -> bool:
    doc = document(text)
    start = -1
    for _ in range(nth + 1):
        start = text.index(trigger, start + 1)
    return SCOPES[name](doc, start, start + len(trigger))


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("传统疗法难以逆转已发生的损伤。", "逆转", True),
        ("目前没有任何疗法能根治狼疮。", "根治", True),
        ("最佳治疗方案未统一,尚无共识。", "最佳", True),
        ("干细胞可以根治狼疮。", "根治", False),
        ("不治疗只能等死。", "等死", False),
        ("它不仅能根治狼疮。", "根治", False),
        ("NK细胞可精准识别并杀灭癌细胞。", "杀灭", False),
        ("这种说法别信,干细胞不能根治狼疮。", "根治", True),
    ],
)
def test_negated(text: str, trigger: str, expected: bool) -> None:
    assert _scope("negated", text, trigger) is expected


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("干细胞治疗早期肾病:是延缓进展还是逆转损伤?", "逆转", True),
        ("干细胞能否逆转肾损伤,仍需研究。", "逆转", True),
        ("干细胞能逆转肾损伤。", "逆转", False),
    ],
)
def test_questioned(text: str, trigger: str, expected: bool) -> None:
    assert _scope("questioned", text, trigger) is expected


def test_other_treatment() -> None:
    assert _scope("other_treatment", "尽管药物治疗有助于减少残疾,但它们会导致副作用并且不会逆转病情。", "逆转")
    assert not _scope("other_treatment", "与传统疗法相比,干细胞可以逆转病情。", "逆转")


def test_cited_title() -> None:
    assert _scope("cited_title", "2020年发表了《干细胞根治狼疮的研究》。", "根治")
    assert not _scope("cited_title", "《柳叶刀》报道,干细胞可以根治狼疮。", "根治")


def test_critic_quote() -> None:
    assert _scope("critic_quote", "凡是宣称“包治百病”“绝对安全”的,可认为是骗局。", "绝对安全")
    assert _scope("critic_quote", "谨防所谓的神奇疗效。", "神奇")
    assert _scope("critic_quote", '切勿轻信"根治瘫痪"之类的宣传。', "根治")
    assert _scope("critic_quote", '某机构在公众号宣称干细胞注射可以"根治糖尿病",被处以罚款20万元。', "根治")
    assert not _scope("critic_quote", "干细胞有望成为“游戏规则改变者”。", "游戏规则改变者")


def test_hedged_and_aspiration() -> None:
    assert _scope("hedged", "其在修复受损肾组织方面展现出显著潜力。", "修复受损肾组织")
    assert not _scope("hedged", "干细胞可修复受损肾组织。", "修复受损肾组织")
    assert _scope("aspiration", "继发性肾病亟需突破性治疗方案。", "突破性")


def test_safety_data_looks_in_the_study_block_not_at_the_claim() -> None:
    with_data = "2020年,某医院在《狼疮》上发表了研究。7名患者中报告了3起不良事件。试验表明该疗法安全性良好。"
    without = "2020年,某医院在《狼疮》上发表了研究。患者症状改善。可以看出该疗法安全性良好。"
    assert _scope("safety_data", with_data, "安全性良好")
    assert not _scope("safety_data", without, "安全性良好")
    assert not _scope("safety_data", "迄今为止未观察到严重不良反应。", "迄今为止未观察到严重不良反应")


def test_the_clause_of_a_trigger_is_read_once_for_all_the_scopes_that_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    from lint.analysis import scope

    text = "有人说,干细胞能否根治狼疮,还没有定论。"
    doc = document(text)
    start = text.index("根治")
    expected = {name: SCOPES[name](document(text), start, start + 2) for name in ("negated", "questioned", "hedged")}
    reads: list[tuple[int, int]] = []
    read = scope._read_clause

    def counted(doc: object, start: int, end: int) -> tuple[int, int]:
        reads.append((start, end))
        return read(doc, start, end)  # type: ignore[arg-type]

    monkeypatch.setattr(scope, "_read_clause", counted)
    assert {name: SCOPES[name](doc, start, start + 2) for name in expected} == expected
    assert expected["questioned"] and reads == [(start, start + 2)]


def test_a_heading_is_asked_once_whether_it_criticises_the_sentences_under_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from lint.core.prefilter import GatedPattern

    text = "## 常见违规话术\n\n干细胞能根治狼疮。干细胞能逆转肾损伤。\n\n干细胞能根治糖尿病。\n"
    doc = document(text, "markdown")
    heading = doc.blocks[0]
    asked: list[tuple[int, ...]] = []
    search = GatedPattern.search

    def counted(self: GatedPattern, text: str, *window: int, **options: object) -> object:
        if window == (heading.start, heading.end):
            asked.append(window)
        return search(self, text, *window, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(GatedPattern, "search", counted)
    triggers = [text.index(word) for word in ("根治狼疮", "逆转", "根治糖尿病")]
    assert all(SCOPES["critic_quote"](doc, start, start + 2) for start in triggers)
    assert len(asked) == 1
