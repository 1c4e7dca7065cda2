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


def test_approval_of_other_products_vouches_for_nothing() -> None:
    rule = "weak_evidence.approval-by-association"
    text = "美国FDA已批准多款细胞药物上市，说明本中心的免疫细胞回输同样安全有效。"
    assert _found(text, rule) == [(rule, "说明本中心的免疫细胞回输同样安全有效")]
    traditional = "衛福部已核准數十種保健食品，足以證明我們的護眼錠有效。"
    assert _found(traditional, rule) == [(rule, "足以證明我們的護眼錠有效")]
    assert _found("FDA已批准多款CAR-T产品用于复发难治的淋巴瘤。", rule) == []
    assert _found("FDA从未批准多款细胞药物用于抗衰老，说明这类宣传不可信吗？", rule) == []


def test_certifications_named_as_proof_of_efficacy() -> None:
    rule = "weak_evidence.regulatory-as-proof"
    assert _found("这款益生菌滴剂获得澳洲TGA认证，宝宝湿疹改善看得见。", rule) == [(rule, "获得澳洲TGA认证")]
    assert _found("本厂的生产线通过GMP认证，每批产品留样备查。", rule) == []


def test_an_unnamed_top_journal_is_no_source() -> None:
    rule = "weak_evidence.unnamed-journal"
    assert _found("该降压茶的研究已发表在国际权威医学期刊上，疗效获得认可。", rule) == [(rule, "国际权威医学期刊")]
    assert _found("研究發表於國際頂尖期刊，證實外泌體能淡化細紋。", rule) == [(rule, "國際頂尖期刊")]
    assert _found("该研究发表在权威期刊《美国心脏病学会杂志》2020年第5期。", rule) == []


def test_a_handful_of_cases_proves_nothing() -> None:
    rule = "weak_evidence.small-series-as-proof"
    assert _found("诊所9例患者的临床观察证实，这套艾灸方案能治愈慢性胃炎。", rule) == [(rule, "9例患者的临床观察证实")]
    assert _found("一项纳入300例患者的多中心研究证实了该疗法的疗效。", rule) == []
    assert _found("本院12例观察初步证实方案可行，样本量小，仍需对照试验。", rule) == []


def test_a_result_carried_to_another_population() -> None:
    rule = "weak_evidence.population-transfer"
    assert _found("大学生服用后记忆测试得分提高，说明对老年人一样有效。", rule) == [(rule, "说明对老年人一样有效")]
    assert _found("这项研究只在成人中进行，是否对儿童同样有效尚不清楚。", rule) == []


def test_randomized_in_name_with_every_patient_treated() -> None:
    rule = "weak_evidence.randomized-all-treated"
    text = "这是一项随机对照临床研究，所有糖尿病足患者均接受了干细胞移植，创面愈合率高。"
    assert _found(text, rule) == [(rule, "所有糖尿病足患者均接受了干细胞移植")]
    controlled = "这是一项随机对照临床研究，所有患者均接受了基础清创，再随机分为移植组和常规换药组。"
    assert _found(controlled, rule) == []


def test_randomized_all_treated_reads_the_arms_of_the_whole_study_block() -> None:
    rule = "weak_evidence.randomized-all-treated"
    treated = "所有患者均随机接受干细胞治疗。"
    uncontrolled = f"2020年，一项随机试验纳入48例患者。\n\n{treated}"
    assert _found(uncontrolled, rule) == [(rule, "随机接受干细胞治疗")]
    assert _found(f"2020年，一项随机试验纳入48例患者，分为两组。\n\n{treated}", rule) == []
    assert _found(f"{uncontrolled}\n\n对照组接受安慰剂。\n\n{treated}", rule) == []
    assert _found(treated, rule) == [(rule, "随机接受干细胞治疗")]


def test_animal_results_called_proof_and_carried_to_people() -> None:
    rule = "weak_evidence.preclinical-extrapolation"
    assert _found("喂了这种提取物的大鼠血糖明显下降，这就是铁证。", rule) == [(rule, "这就是铁证")]
    assert _found("老年小鼠服用NMN后跑步距离增加，人吃了也能恢复体力。", rule) == [(rule, "人吃了也能恢复体力")]
    assert _found("老年小鼠服用NMN后跑步距离增加，但人体试验尚未完成。", rule) == []


def test_a_bare_appeal_to_science() -> None:
    rule = "weak_evidence.bare-appeal"
    assert _found("这款深海鱼油能降低甘油三酯，已被科学证明。", rule) == [(rule, "已被科学证明")]
    assert _found("經現代醫學證實，這款葉黃素能修復視網膜。", rule) == [(rule, "經現代醫學證實")]
    cited = "这款深海鱼油能降低甘油三酯，已被科学证明（Bhatt等，2019，《新英格兰医学杂志》）。"
    assert _found(cited, rule) == []
    assert _found("鱼油能护心的说法尚未被科学证明。", rule) == []
    assert _found("吸烟有害健康，这一点早已被医学证实。", rule) == []


def test_absurd_equivalences() -> None:
    rule = "weak_evidence.absurd-equivalence"
    assert _found("坚持喝三个月，相当于把60岁的皮肤变回20岁的状态。", rule) == [
        (rule, "相当于把60岁的皮肤变回20岁的状态")
    ]
    assert _found("一杯就顶吃了5斤菠菜，补铁不用愁。", rule) == [(rule, "一杯就顶吃了5斤")]
    assert _found("一杯约含5克蛋白质，相当于一个鸡蛋。", rule) == []
    assert _found("一片就相当于吃了3斤蓝莓。", rule) == [(rule, "一片就相当于吃了3斤")]


def test_an_organ_is_an_outcome_where_its_noun_phrase_ends() -> None:
    claim = "uncited_efficacy.claim-without-source"
    assert _found("这款叶黄素软糖能保护视网膜，孩子上网课不怕累眼。", "uncited_efficacy") == [(claim, "保护视网膜")]
    assert _found("這款猴頭菇餅乾能修復胃黏膜和腸黏膜。", "uncited_efficacy") == [(claim, "修復胃黏膜和腸黏膜")]
    assert _found("本品能促进胰岛β细胞分泌的机制尚在研究。", "uncited_efficacy") == []


def test_the_report_of_a_trial_the_page_names_is_not_an_uncited_claim() -> None:
    report = (
        "2021年，Chen等在《中华心血管病杂志》发表的多中心随机对照试验纳入了320名心衰患者。\n"
        "辅酶Q10组的再住院率明显降低，安慰剂组为24%（P=0.03）。\n"
    )
    assert _found(report, "uncited_efficacy") == []
    unnamed = "辅酶Q10软胶囊能让心衰患者的再住院率明显降低，安慰剂组为24%。\n"
    assert _found(unnamed, "uncited_efficacy") == [("uncited_efficacy.claim-without-source", "住院率明显降低")]


def test_a_source_line_after_the_claim_backs_it() -> None:
    claim = "低浓度阿托品滴眼液可以减缓儿童近视进展。\n"
    sourced = claim + "来源：Yam JC等，2019，《Ophthalmology》。"
    assert _found(sourced, "uncited_efficacy") == []
    assert _found(claim + "來源：Yam JC等(2019)。", "uncited_efficacy") == []
    assert _found(claim + "来源：网络。", "uncited_efficacy") == [
        ("uncited_efficacy.claim-without-source", "减缓儿童近视进展")
    ]


def test_honest_writing_stays_clean() -> None:
    honest = [
        "辅酶Q10能改善心衰患者的症状吗？目前证据有限。",
        "监管部门通报，某公司宣传其护眼贴“能治愈近视”，属于虚假宣传。",
        "眼药水并不能治愈干眼症，只能暂时缓解症状。",
        "目前尚无证据表明外泌体面膜能淡化细纹。",
        "研究发现，这种鱼油与心梗风险降低无关。",
        "間充質幹細胞通過分泌抗炎因子，抑制T細胞增殖，減輕炎症反應。",
    ]
    assert [text for text in honest if _found(text, "uncited_efficacy") or _found(text, "weak_evidence")] == []


def test_a_study_reported_with_its_limits_is_no_uncited_claim() -> None:
    honest = "一项纳入40名干眼患者的小样本观察发现，使用热敷眼罩后眼干有所缓解，但没有对照组，结论有待验证。"
    assert _found(honest, "uncited_efficacy") == []
    bare = "这款热敷眼罩用后眼干明显缓解，有待更多人试用。"
    assert _found(bare, "uncited_efficacy") == [("uncited_efficacy.claim-without-source", "眼干明显缓解")]


def test_the_evidence_rules_skip_a_block_only_where_each_gate_would() -> None:
    """The anchor groups of the randomized-all-treated and unsourced-statistic rules name, for every block of the
    seed and fixture articles, the patterns whose own gate admits the block; both answers are put to the test."""
    from lint.core import prefilter
    from lint.io.rulepack import default_rule_set
    from lint.kinds import evidence as kind
    from tests.helpers import FIXTURES, ROOT, document

    rules = [r for r in default_rule_set() if r.id.endswith(("randomized-all-treated", "unsourced-statistic"))]
    tuples = [p for rule in rules for p in (rule.checker.params.patterns, rule.checker.params.uncontrolled_patterns)]
    assert len(rules) == 2 and all(tuples[:1])
    files = sorted([*(ROOT / "seeds").glob("*.txt"), *(FIXTURES / "articles").iterdir()])[:12]
    answers: set[bool] = set()
    for path in files:
        doc = document(path.read_text(encoding="utf-8"))
        for patterns in tuples:
            anchors = kind._anchors(doc, patterns)
            for block in doc.blocks:
                present = anchors.within(block.start, block.end)
                text = doc.folded[block.start : block.end]
                for index, pattern in enumerate(patterns):
                    found = prefilter.analysis(pattern.pattern, pattern.flags)
                    gate = not found.gated or found.cased or prefilter._Gate(found).admits(text, 0, len(text))
                    assert (str(index) in present) == bool(gate), (pattern.pattern, text[:40])
                    answers.add(str(index) in present)
    assert answers == {True, False}
