"""The kernel is linear on the inputs that made it quadratic or worse: many triggers in one sentence, long
runs of digits or letters before the built-in patterns, Markdown link syntax, suppression pairs. Each is a
scaling test (a ×4 input must cost at most ×10), never a wall-clock limit."""

import time

import pytest

from lint import LintConfig, check_document, lint
from lint.core.prefilter import PatternBudgetExceeded, gated, pattern_budget
from lint.io.rulepack import default_packs, load_pack
from lint.kernel.ruleset import RuleSet
from tests.helpers import document
from tests.scaling import assert_linear, cost

CASES = {
    "many triggers in one sentence": (lambda n: "根治" * n, 400),
    "digits before a safety sentence": (lambda n: "0" * n + "治疗后不良反应少，安全性良好。", 4000),
    "digits before a participant count": (lambda n: "1" * n + "名患者", 4000),
    "digits before a percentage": (lambda n: "9" * n + "%", 4000),
    "a run of one letter": (lambda n: "z" * n, 6000),
    "a run of spaced letters": (lambda n: "x " * n, 4000),
    "a long unpunctuated sentence of claims": (lambda n: "这款胶囊可以根治失眠并且无副作用而且效果显著" * n, 20),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_plain_text_inputs_are_linear(case: str) -> None:
    make, small = CASES[case]
    assert_linear(lambda n: lambda: lint(make(n)), small, factor=4, slack=2.5)


@pytest.mark.parametrize("unit", ["](", "``a", "<!--", "[链接](x"])
def test_markdown_inputs_are_linear(unit: str) -> None:
    assert_linear(lambda n: lambda: lint(unit * n + "可以根治。", syntax="markdown"), 1000, factor=4, slack=2.5)


def test_suppression_pairs_are_linear() -> None:
    pair = "<!-- healthlint-disable -->\n可以根治。\n<!-- healthlint-enable -->\n"
    assert_linear(lambda n: lambda: lint(pair * n, syntax="markdown"), 100, factor=4, slack=2.5)


def test_the_pattern_budget_stops_built_in_searches_and_names_the_skipped_rules() -> None:
    slow = gated(r"(x+x+)+y")
    with pattern_budget(0.05):
        with pytest.raises(PatternBudgetExceeded, match=r"budget of 0\.05 s"):
            slow.search("x" * 5000)
        with pytest.raises(PatternBudgetExceeded):
            gated("根治").search("可以根治")
    assert gated("根治").search("可以根治")
    result = check_document(document("干细胞可以根治狼疮，无副作用。"), LintConfig(pattern_budget=0.0))
    assert "cure_or_guarantee.cure-term" not in {f.rule for f in result.findings}
    assert len(result.problems) == 1 and "built-in patterns ran past the document's budget of 0 s" in result.problems[0]
    assert "rules skipped: " in result.problems[0] and "cure_or_guarantee.cure-term" in result.problems[0]


def _spend(seconds: float) -> None:
    """Work (not wait) for `seconds` of this thread's CPU time."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_compiling_a_pattern_does_not_spend_the_document_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Patterns are compiled and analysed on first use, inside a document's budget: that one-off work moves the
    deadline on instead of skipping the rules of the first document a process lints."""
    import lint.core.prefilter as prefilter

    compile_now = prefilter.compile_regex

    def slow_compile(source: str, flags: int = 0) -> object:
        _spend(0.2)
        return compile_now(source, flags)

    ready = gated("根治")
    assert ready.search("可以根治")
    monkeypatch.setattr(prefilter, "compile_regex", slow_compile)
    with pattern_budget(0.1):
        match = gated("可以(?:根治|治愈)").search("这种药可以根治")
        assert match is not None and match.group() == "可以根治"
        _spend(0.15)
        with pytest.raises(PatternBudgetExceeded):
            ready.search("可以根治")


def test_the_pattern_budget_counts_work_not_waiting() -> None:
    """The budget is CPU time: a document linted on a busy machine (here: a wait) runs the same rules."""
    with pattern_budget(0.05):
        time.sleep(0.2)
        assert gated("根治").search("可以根治")


def test_a_user_regex_timeout_does_not_overshoot(tmp_path) -> None:
    pack = tmp_path / "slow.yaml"
    pack.write_text(
        "pack: slow\nrules:\n  - id: slow.catastrophic\n    category: overclaim\n    severity: warning\n"
        "    message: m\n    suggestion: s\n    basis: b\n    kind: pattern\n"
        "    patterns: ['根治(x+x+)+y', '(x+x+)+z']\n    exceptions: ['(x+x+)+w']\n"
        "    examples: {flag: ['根治xxy']}\n",
        encoding="utf-8",
    )
    rules = RuleSet((load_pack(pack), *default_packs()))
    text = ("根治" + "x" * 3000 + "\n") * 20
    timeout = 0.3
    config = LintConfig(rules=rules, select=frozenset({"slow"}), regex_timeout=timeout)
    result = check_document(document(text), config)
    assert result.problems == [f"rule slow.catastrophic: regular expression timed out after {timeout:g}s"]
    assert cost(lambda: check_document(document(text), config), repeat=1) < 2 * timeout
