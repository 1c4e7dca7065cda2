from lint.analysis.evidence import evidence
from tests.helpers import document

ARTICLE = """案例2:间充质干细胞治疗狼疮性肾炎

2023年,某国家医学中心在期刊《肾脏病透析移植》上发表了一篇关于《间充质干细胞移植治疗狼疮性肾炎》的临床研究结果。

本次研究总共纳入了15名对传统免疫抑制疗法有抵抗力的SLE患者,为开放标签、单臂的I期研究。

三、其他
干细胞可显著改善症状[1]。

参考资料:
[1] Krivoruchko N, et al. Transplantation of MSC in lupus nephritis. Nephrology Dialysis Transplantation, Volume 38, Issue Supplement_1, June 2023. https://doi.org/10.1093/ndt/gfad063b_2733
[2] Another paper.
链接:https://pubmed.ncbi.nlm.nih.gov/12345678/
"""


def test_study_block_span_source_year_and_facts() -> None:
    doc = document(ARTICLE)
    model = evidence(doc)
    [block] = model.blocks
    assert ARTICLE[block.start : block.start + 4] == "案例2:"
    assert ARTICLE[block.end - 5 : block.end] == "I期研究。"
    assert block.headed
    assert ARTICLE[block.source.start : block.source.end] == "期刊《肾脏病透析移植》"
    assert block.source_name == "肾脏病透析移植"
    assert block.year == 2023
    assert block.size == 15
    assert {f.kind for f in block.facts} >= {"open_label", "single_arm", "phase_i", "n"}
    n = block.first("n")
    assert ARTICLE[n.start : n.end].startswith("15名")


def test_reference_entries_are_parsed_and_linked() -> None:
    doc = document(ARTICLE)
    model = evidence(doc)
    assert [(e.number, e.year) for e in model.references] == [(1, 2023), (2, None)]
    assert model.references[1].text.endswith("12345678/")
    entry = model.reference_for(doc, model.blocks[0])
    assert entry is model.references[0]


def test_citations_in_the_body() -> None:
    doc = document(ARTICLE)
    model = evidence(doc)
    kinds = [(c.kind, ARTICLE[c.start : c.end]) for c in model.citations]
    assert ("marker", "[1]") in kinds
    assert all(c.start < ARTICLE.index("参考资料") for c in model.citations)


def test_paragraph_introduced_study_ends_at_an_unrelated_paragraph() -> None:
    text = (
        "2019年的研究报告了使用自体间充质干细胞治疗难治性RA患者,所有9名参与者的症状均有所改善。\n"
        "同年,某医院进行了一项临床I/II期试验,对64名难治性RA患者进行治疗。\n"
        "综上所述,这些数据表明,干细胞可显著改善患者的临床症状。\n"
    )
    model = evidence(document(text))
    assert [b.size for b in model.blocks] == [9, 64]
    assert model.blocks[1].has("phase_i_ii") and not model.blocks[1].has("phase_i")
    assert text[model.blocks[-1].end - 3 : model.blocks[-1].end] == "治疗。"
