from tests.helpers import document

ARTICLE = (
    "干细胞能否治疗肾病?\n"
    "\n"
    "一、作用机制\n"
    "干细胞可以修复组织。它还能调节免疫!另外;还有其他作用\n"
    "  • 抑制炎症:减少损伤。\n"
    "1.多向分化与组织修复\n"
    "参考资料:\n"
    "Smith J. Stem cells. 2020.\n"
    "免责说明:本文不构成诊断建议。\n"
)


def test_blocks_are_classified() -> None:
    doc = document(ARTICLE)
    kinds = [(b.kind, ARTICLE[b.start : b.end]) for b in doc.blocks]
    assert kinds == [
        ("heading", "干细胞能否治疗肾病?"),
        ("heading", "一、作用机制"),
        ("paragraph", "干细胞可以修复组织。它还能调节免疫!另外;还有其他作用"),
        ("list_item", "• 抑制炎症:减少损伤。"),
        ("heading", "1.多向分化与组织修复"),
        ("heading", "参考资料:"),
        ("reference", "Smith J. Stem cells. 2020."),
        ("paragraph", "免责说明:本文不构成诊断建议。"),
    ]


def test_sentences_split_on_chinese_and_western_punctuation() -> None:
    doc = document(ARTICLE)
    sentences = [ARTICLE[s.start : s.end] for s in doc.sentences]
    assert "干细胞可以修复组织。" in sentences
    assert "它还能调节免疫!" in sentences
    assert "另外;" in sentences
    assert "还有其他作用" in sentences
    assert "抑制炎症:减少损伤。" in sentences
    assert "多向分化与组织修复" in sentences


def test_decimal_points_do_not_split_sentences() -> None:
    text = "蛋白尿从2.48降至1.06 g/l。随后稳定."
    doc = document(text)
    assert [text[s.start : s.end] for s in doc.sentences] == ["蛋白尿从2.48降至1.06 g/l。", "随后稳定."]


def test_a_half_width_full_stop_between_han_characters_ends_a_sentence() -> None:
    text = "艾灸调理需坚持三个月.每周两次,每次半小时.“不要空腹”是医生的提醒,v2.5版说明书另附。"
    doc = document(text)
    assert [text[s.start : s.end] for s in doc.sentences] == [
        "艾灸调理需坚持三个月.",
        "每周两次,每次半小时.",
        "“不要空腹”是医生的提醒,v2.5版说明书另附。",
    ]
    assert text[slice(*doc.clause_bounds(text.index("每次"), text.index("每次") + 2))] == "每次半小时."


def test_a_full_stop_between_han_characters_is_no_evasion_gap() -> None:
    from lint.core.normalize import MatchText, fold

    assert MatchText.build(fold("效果好.根治难")).text == "效果好.根治难"


def test_position_is_one_based_code_points() -> None:
    text = "第一行\n第二行有𠀀字\r\n三"
    doc = document(text)
    assert doc.position(0) == (1, 1)
    assert doc.position(text.index("有")) == (2, 4)
    assert doc.position(text.index("字")) == (2, 6)
    assert doc.position(text.index("三")) == (3, 1)


def test_a_lone_carriage_return_ends_a_line_as_in_editors() -> None:
    text = "标题\r第二行写着X\r\n第三行\r\r第五行"
    doc = document(text)
    assert doc.position(text.index("X")) == (2, 6)
    assert doc.position(text.index("第三")) == (3, 1)
    assert doc.position(text.index("第五")) == (5, 1)
    assert [text[b.start : b.end] for b in doc.blocks] == ["标题", "第二行写着X", "第三行", "第五行"]


def test_clause_bounds_stop_at_commas() -> None:
    text = "传统疗法虽能延缓病情,但难以逆转损伤。"
    doc = document(text)
    start = text.index("逆转")
    lo, hi = doc.clause_bounds(start, start + 2)
    assert text[lo:hi] == "但难以逆转损伤。"


def test_markdown_masks_code_and_links_but_keeps_offsets(fixtures) -> None:
    text = (fixtures / "article.md").read_text(encoding="utf-8")
    doc = document(text, "markdown")
    assert len(doc.folded) == len(text)
    assert "print" not in doc.folded
    assert "无副作用" not in doc.folded[: doc.folded.index("- 本院")]
    assert "example.com" not in doc.folded
    assert doc.blocks[0].kind == "heading"
