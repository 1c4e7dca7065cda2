"""Spin checks on variants of the lupus-nephritis RCT (Deng et al., Ann Rheum Dis 2017) and other real patterns."""

from lint import LintConfig, lint

SUMMARY = "总结：本系统评价中，所有研究都成功地证明间充质干细胞移植后SLEDAI评分显著改善。\n"
TRIAL = (
    "临床案例二：《同种异体脐带间充质干细胞治疗狼疮性肾炎的随机双盲安慰剂对照试验》\n"
    "2017年5月6日，某医院在国际期刊《Annals of the Rheumatic Diseases》上发布了研究结果。\n"
    "结果：脐带间充质干细胞组 12 名患者中有 9 名(75%)获得缓解，安慰剂组 6 名患者中有 5 名(83%)获得缓解。\n"
    "结论：脐带间充质干细胞除了标准免疫抑制之外没有明显的附加作用。\n"
)


def _spin(text: str) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in lint(text, LintConfig(select=frozenset({"spin"})))]


def test_all_studies_positive_after_and_before_the_study() -> None:
    expected = [("spin.all-studies-positive", "所有研究都成功地证明间充质干细胞移植后SLEDAI评分显著改善")]
    assert _spin(TRIAL + SUMMARY) == expected
    assert _spin(SUMMARY + TRIAL) == expected


def test_related_points_at_the_contradicting_result_with_its_verdict_and_figures() -> None:
    [finding] = lint(TRIAL + SUMMARY, LintConfig(select=frozenset({"spin.all-studies-positive"})))
    assert [(r.role, r.verdict, r.text, r.figures) for r in finding.related] == [
        (
            "result",
            "negative",
            "脐带间充质干细胞组 12 名患者中有 9 名(75%)获得缓解，安慰剂组 6 名患者中有 5 名(83%)",
            ("脐带间充质干细胞组 12 名患者中有 9 名(75%)", "安慰剂组 6 名患者中有 5 名(83%)"),
        )
    ]
    assert all((TRIAL + SUMMARY)[r.start : r.end] == r.text for r in finding.related)


def test_swapped_numbers_are_not_spin() -> None:
    swapped = TRIAL.replace("有 9 名(75%)", "有 10 名(83%)").replace("有 5 名(83%)", "有 3 名(50%)")
    swapped = swapped.replace("没有明显的附加作用", "显著提高了缓解率")
    assert _spin(swapped + SUMMARY) == []


def test_significant_result_is_not_spin() -> None:
    significant = (
        "临床研究：《干细胞治疗狼疮性肾炎的随机对照试验》\n"
        "结果：干细胞组缓解率83% vs 安慰剂组50%，差异有统计学意义(P<0.01)。\n"
    )
    assert _spin(significant + SUMMARY) == []


def test_traditional_script_variant() -> None:
    traditional = (
        "臨床案例二：《同種異體臍帶間充質幹細胞治療狼瘡性腎炎的隨機雙盲安慰劑對照試驗》\n"
        "結果：臍帶間充質幹細胞組 12 名患者中有 9 名(75%)獲得緩解，安慰劑組 6 名患者中有 5 名(83%)獲得緩解。\n"
        "總結：所有研究都成功地證明幹細胞移植後SLEDAI評分顯著改善。\n"
    )
    assert [rule for rule, _ in _spin(traditional)] == ["spin.all-studies-positive"]


def test_chinese_numerals_fractions_and_english_labels() -> None:
    for results in (
        "结果：干细胞组十二名患者中有九名获得缓解，安慰剂组六名患者中有五名获得缓解。",
        "结果：MSC组缓解 9/12，安慰剂组缓解 5/6。",
        "结果：MSC group 缓解率75%，placebo group 缓解率83%。",
    ):
        text = (
            "临床研究：《干细胞治疗狼疮性肾炎的随机双盲安慰剂对照试验》\n"
            + results
            + "\n结论：干细胞移植显著改善了患者的肾功能。\n"
        )
        assert _spin(text) == [("spin.arm-comparison", "干细胞移植显著改善了患者的肾功能")], results


def test_null_outcome_dropped_from_the_conclusion() -> None:
    text = (
        "案例1：干细胞治疗糖尿病肾病的荟萃分析\n"
        "2024年，某大学在《Kidney International》上发表了一篇荟萃分析。\n"
        "经统计学分析，干细胞在降低UACR方面的作用未达到统计学意义的要求。试验组和对照组之间的UACR无显著差异。\n"
        "综上所述，本研究结果提示干细胞移植可显著改善eGFR、降低SCr、降低MAU，从而减轻肾脏损害。\n"
    )
    [(rule, span)] = _spin(text)
    assert rule == "spin.nonsignificant-as-effect"
    assert span == "本研究结果提示干细胞移植可显著改善eGFR、降低SCr、降低MAU，从而减轻肾脏损害"


def test_uncontrolled_series_claiming_superiority() -> None:
    text = (
        "2022年，我国南京一家军医院在国际期刊《狼疮》上发表了一篇关于20例患者系列研究的临床研究成果。\n"
        "本研究系统验证了ASCT的长期疗效，其90%的10年肾脏生存率显著优于传统治疗。\n"
    )
    assert _spin(text) == [
        ("spin.uncontrolled-superiority", "本研究系统验证了ASCT的长期疗效，其90%的10年肾脏生存率显著优于传统治疗")
    ]


def test_a_spin_rule_brings_no_patterns_of_its_own(tmp_path) -> None:
    """The vocabulary of spin is the language pack's (rules/lang/zh/{trials,results,spin}.yaml); a user rule of the
    kind names the spin kind it reports and nothing else."""
    import pytest

    from lint.io.rulepack import RulePackError, load_pack

    pack = tmp_path / "house.yaml"
    rule = (
        "pack: house\nrules:\n  - id: house.spin\n    category: spin\n    severity: error\n    message: m\n"
        "    suggestion: s\n    basis: b\n    kind: spin\n    check: {check}\n{extra}    examples: {{flag: ['x']}}\n"
    )
    pack.write_text(rule.format(check="trend-as-proof", extra="    patterns: ['(a|a)+b']\n"), encoding="utf-8")
    with pytest.raises(RulePackError, match="unknown key"):
        load_pack(pack)
    pack.write_text(rule.format(check="spin-of-my-own", extra=""), encoding="utf-8")
    with pytest.raises(RulePackError, match="unknown check 'spin-of-my-own'"):
        load_pack(pack)
