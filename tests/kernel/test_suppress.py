from lint import LintConfig, check_document, lint
from tests.helpers import document


def _rules(text: str, syntax: str = "text") -> list[str]:
    return [f.rule for f in lint(text, LintConfig(ignore=frozenset({"missing_disclaimer"})), syntax=syntax)]  # type: ignore[arg-type]


def test_markdown_block_disable_and_enable() -> None:
    text = "干细胞可以根治狼疮。\n<!-- healthlint-disable cure_or_guarantee -->\n干细胞可以根治狼疮。\n<!-- healthlint-enable -->\n干细胞可以根治狼疮。\n"
    found = lint(text, LintConfig(select=frozenset({"cure_or_guarantee"})), syntax="markdown")
    assert [f.line for f in found] == [1, 5]


def test_disable_next_line_by_rule_id() -> None:
    text = "<!-- healthlint-disable-next-line overclaim.hype-term -->\n这是患者的福音，可以根治。\n这是患者的福音。\n"
    found = [(f.rule, f.line) for f in lint(text, LintConfig(select=frozenset({"overclaim", "cure_or_guarantee"})))]
    assert found == [("cure_or_guarantee.cure-term", 2), ("overclaim.hype-term", 3)]


def test_directives_count_carriage_return_lines() -> None:
    text = "<!-- healthlint-disable-next-line -->\r干细胞可以根治狼疮。\r干细胞可以根治狼疮。\r"
    found = lint(text, LintConfig(select=frozenset({"cure_or_guarantee"})))
    assert [(f.line, f.column) for f in found] == [(3, 6)]


def test_plain_text_marker() -> None:
    text = "# healthlint-disable-next-line\n干细胞可以根治狼疮，是福音。\n"
    assert _rules(text) == []


def test_document_level_finding_can_be_disabled() -> None:
    text = "<!-- healthlint-disable missing_disclaimer -->\n干细胞疗法可以改善症状。\n"
    assert lint(text, LintConfig(select=frozenset({"missing_disclaimer"}))) == []


def test_unused_disables_are_reported() -> None:
    text = "<!-- healthlint-disable spin -->\n今天天气很好。请遵医嘱。\n<!-- healthlint-disable-next-line -->\n干细胞可以根治狼疮。\n"
    result = check_document(document(text), LintConfig(report_unused_disables=True))
    assert result.problems == ["line 1: healthlint-disable (spin) suppressed nothing"]
    assert result.findings == []


def test_lone_directive_forms_and_names() -> None:
    from lint.kernel.suppress import directives

    text = (
        "正文 <!-- 普通注释 --> <!--healthlint-disable  overclaim , spin   -->\n"
        "// healthlint-enable overclaim\n"
        "<!-- healthlint-disable a > b -->\n"
        "<!-- healthlint-disable-next-line\n"
    )
    found = [(d.action, sorted(d.names), d.line) for d in directives(text)]
    assert found == [("disable", ["overclaim", "spin"], 1), ("enable", ["overclaim"], 2)]


def _finding(rule: str, category: str, start: int, end: int, line: int):
    from lint.core.finding import Finding, Severity

    return Finding(rule, category, Severity.WARNING, start, end, line, 1, line, 1 + end - start, "", "", "", "")


def test_suppression_matching_is_linear() -> None:
    from lint.kernel.suppress import apply_suppressions
    from tests.scaling import assert_linear

    def make(pairs: int):
        lines = []
        findings = []
        for index in range(pairs):
            lines += ["<!-- healthlint-disable overclaim -->", "可以根治。", "<!-- healthlint-enable -->", "可以根治。"]
            for line in (4 * index + 2, 4 * index + 4):
                findings.append(_finding("cure_or_guarantee.cure-term", "cure_or_guarantee", 0, 2, line))
        text = "\n".join(lines)
        return lambda: apply_suppressions(text, findings)

    assert_linear(make, 400)


def _reference(text: str, findings: list) -> list:
    """The original per-finding walk over every directive, kept as the oracle for the linear sweep."""
    from lint.kernel.suppress import directives

    rules = directives(text)
    kept = []
    for finding in findings:
        if finding.end <= finding.start:
            hit = next((d for d in rules if d.action == "disable" and d.covers(finding)), None)
        else:
            hit = None
            active = None
            for directive in rules:
                if directive.line > finding.line:
                    break
                if directive.action == "disable" and directive.covers(finding):
                    active = directive
                elif (
                    directive.action == "enable"
                    and active is not None
                    and (not directive.names or directive.covers(finding))
                ):
                    active = None
                elif (
                    directive.action == "disable-next-line"
                    and directive.line == finding.line - 1
                    and directive.covers(finding)
                ):
                    hit = directive
                    break
            hit = hit or active
        if hit is None:
            kept.append(finding)
    return kept


def test_linear_sweep_agrees_with_the_per_finding_walk() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from lint.kernel.suppress import apply_suppressions

    names = st.sampled_from(
        ["", " spin", " overclaim", " overclaim.hype-term", " cure_or_guarantee", " spin,overclaim"]
    )
    actions = st.sampled_from(["disable", "enable", "disable-next-line"])
    line = st.one_of(st.just("正文"), st.builds(lambda a, n: f"<!-- healthlint-{a}{n} -->", actions, names))
    rules = st.sampled_from(
        [
            ("overclaim.hype-term", "overclaim"),
            ("spin.arm-comparison", "spin"),
            ("cure_or_guarantee.cure-term", "cure_or_guarantee"),
        ]
    )

    @settings(max_examples=60, deadline=None, database=None)
    @given(st.lists(line, max_size=12), st.lists(st.tuples(rules, st.integers(1, 12), st.booleans()), max_size=10))
    def check(lines: list[str], wanted: list) -> None:
        findings = sorted(
            (
                _finding(rule, category, 0, 0, 1) if document else _finding(rule, category, at, at + 1, at)
                for (rule, category), at, document in wanted
            ),
            key=lambda f: (f.line, f.start, f.rule),
        )
        assert apply_suppressions("\n".join(lines), findings)[0] == _reference("\n".join(lines), findings)

    check()
