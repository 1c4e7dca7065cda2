"""Every regular expression a rule brings runs under the rule's time limit, whatever its kind: a catastrophic user
pattern in an evidence or document rule is reported as a problem and the other rules go on. (Spin rules bring no
patterns: their vocabulary is the language pack's, under the pack's budget — see tests/kinds/test_spin.py.)"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import regex

from lint import LintConfig, check_document
from lint.core.prefilter import Prefilter
from lint.io.rulepack import default_packs, load_pack
from lint.kernel.ruleset import RuleSet
from lint.kinds import Deadline, RuleTimeout
from tests.helpers import document

SLOW = "'(a|a)+b'"
KINDS = {
    "evidence": f"kind: evidence\n    check: unsourced-statistic\n    patterns: [{SLOW}]",
    "document": f"kind: document\n    require: [{SLOW}]",
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_user_pattern_of_any_kind_times_out(tmp_path: Path, kind: str) -> None:
    pack = tmp_path / "slow.yaml"
    pack.write_text(
        "pack: slow\nrules:\n  - id: slow.catastrophic\n    category: overclaim\n    severity: warning\n"
        f"    message: m\n    suggestion: s\n    basis: b\n    {KINDS[kind]}\n    examples: {{flag: [ab]}}\n",
        encoding="utf-8",
    )
    rules = RuleSet((load_pack(pack), *default_packs()))
    text = "a" * 40 + "。干细胞可以根治狼疮。"
    config = LintConfig(rules=rules, regex_timeout=0.05)
    check_document(document("。干细胞可以根治狼疮。"), config)  # what a process does once is not the rule's time
    started = time.monotonic()
    result = check_document(document(text), config)
    assert time.monotonic() - started < 5
    assert [p for p in result.problems if "slow.catastrophic" in p and "timed out after 0.05s" in p]
    assert "cure_or_guarantee.cure-term" in {f.rule for f in result.findings}


def test_a_deadline_counts_the_rules_searches_only() -> None:
    """Time spent outside the rule's own searches (the document's models, computed on first use) is not the rule's;
    the searches share what the rule has."""
    import regex

    deadline = Deadline(0.2)
    time.sleep(0.3)
    assert deadline.search(regex.compile("a"), "a") is not None
    slow = regex.compile("(a|a)+b")
    with pytest.raises(RuleTimeout, match=r"timed out after 0\.2s"):
        deadline.search(slow, "a" * 40)
    with pytest.raises(RuleTimeout):
        deadline.left()


def test_trying_a_pattern_at_given_starts_gives_what_its_scan_gives_under_the_deadline() -> None:
    pattern = regex.compile(r"[^。]{0,3}?(?:甲乙|乙)")
    text = "丙甲乙丁乙。乙乙丙丙丙丙甲乙"
    head = Prefilter.of(pattern).head
    assert head is not None
    starts = head.starts(text, [(0, len(text))])
    assert starts is not None and len(starts) < len(text)
    assert head.starts(text, [(0, len(text))], limit=len(starts) - 1) is None  # more places than allowed
    assert [m.span() for m in Deadline(1).matches_at(pattern, text, starts)] == [
        m.span() for m in pattern.finditer(text)
    ]
    spent = Deadline(1)
    spent.spent = 1
    with pytest.raises(RuleTimeout):
        list(spent.matches_at(pattern, text, starts))


class _WaitingPattern:
    """A pattern whose first search the wall clock stops while the thread waits for a CPU (sleeping uses none)."""

    def __init__(self) -> None:
        self.waited = False

    def search(self, text: str, timeout: float) -> str | None:
        if not self.waited:
            self.waited = True
            time.sleep(timeout)
            raise TimeoutError("regular expression timed out")
        return text


def test_a_deadline_counts_cpu_time_so_a_busy_machine_does_not_stop_a_rule() -> None:
    deadline = Deadline(0.05)
    assert deadline.search(_WaitingPattern(), "found") == "found"  # type: ignore[arg-type]
    assert deadline.spent < 0.05


@pytest.fixture
def safe_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pattern's safe widths worked out on its first search, with no shared state from other tests."""
    from lint.core import prefilter

    monkeypatch.setattr(prefilter, "SAFE_AFTER", 1)
    monkeypatch.setattr(prefilter, "_SAFETIES", {})


class _Recording:
    """A compiled pattern that notes whether each search was given a timeout."""

    def __init__(self, source: str) -> None:
        self.real = regex.compile(source)
        self.pattern, self.flags = self.real.pattern, self.real.flags
        self.timeouts: list[bool] = []

    def finditer(self, *args: object, **kwargs: object) -> object:
        self.timeouts.append("timeout" in kwargs)
        return self.real.finditer(*args, **kwargs)

    def match(self, *args: object, **kwargs: object) -> object:
        self.timeouts.append("timeout" in kwargs)
        return self.real.match(*args, **kwargs)


@pytest.mark.usefixtures("safe_at_once")
def test_a_rule_pattern_proven_safe_runs_without_a_timeout_and_finds_the_same() -> None:
    text = "第1疗程 3 次；第2疗程5次。" * 3
    safe, refused = _Recording(r"疗程\s*\d+\s*次"), _Recording(r"(疗程)\s*\1?\d+\s*次")  # a back reference: no bound
    for recording in (safe, refused):
        found = [m.span() for m in Deadline(1.0).finditer(recording, text)]  # type: ignore[arg-type]
        assert found == [m.span() for m in recording.real.finditer(text)] and len(found) == 6
        starts = [m.start() for m in recording.real.finditer(text)]
        at = [m.span() for m in Deadline(1.0).matches_at(recording, text, starts)]  # type: ignore[arg-type]
        assert at == found
    assert safe.timeouts == [False] * 7 and refused.timeouts == [True] * 7


@pytest.mark.usefixtures("safe_at_once")
def test_a_spent_deadline_stops_a_proven_safe_pattern_too() -> None:
    pattern = regex.compile(r"疗程\s*\d+\s*次")
    spent = Deadline(1.0)
    spent.spent = 1.0
    with pytest.raises(RuleTimeout):
        list(spent.finditer(pattern, "疗程3次"))
    with pytest.raises(RuleTimeout):
        list(spent.matches_at(pattern, "疗程3次", [0]))


@pytest.mark.usefixtures("safe_at_once")
def test_a_deadline_of_no_time_stops_a_proven_safe_pattern() -> None:
    pattern = regex.compile(r"随访\s*\d+\s*周")
    assert [m.span() for m in Deadline(1.0).finditer(pattern, "随访 3 周")] == [(0, 6)]  # worked out: safe
    with pytest.raises(RuleTimeout, match=r"timed out after 0s"):
        list(Deadline(0.0).finditer(pattern, "随访 3 周"))
    with pytest.raises(RuleTimeout):
        list(Deadline(0.0).matches_at(pattern, "随访 3 周", [0]))


@pytest.mark.usefixtures("safe_at_once")
def test_a_proven_safe_pattern_tried_at_every_start_finds_what_its_scan_finds() -> None:
    recording = _Recording(r"(?:随访|观察)\s*\d+\s*(?:周|个月)")
    text = "随访 3 周后观察12个月；随访6周。" * 4
    starts = range(len(text) + 1)
    found = [m.span() for m in Deadline(1.0).matches_at(recording, text, starts)]  # type: ignore[arg-type]
    assert found == [m.span() for m in recording.real.finditer(text)] and len(found) == 12
    tried = len(starts) - sum(end - start - 1 for start, end in found)  # every start but those inside a match
    assert recording.timeouts == [False] * tried


@pytest.mark.usefixtures("safe_at_once")
def test_a_match_from_a_start_further_from_the_end_than_the_safe_width_keeps_its_timeout() -> None:
    recording = _Recording("(?:a|aa)+b")  # exponential: a match proven safe over 16 characters at most
    text = "ab" * 20
    starts = range(0, len(text), 2)
    found = [m.span() for m in Deadline(1.0).matches_at(recording, text, starts)]  # type: ignore[arg-type]
    assert found == [m.span() for m in recording.real.finditer(text)] and len(found) == 20
    assert recording.timeouts == [True] * 12 + [False] * 8  # from start 24 on, 16 characters or fewer are left


@pytest.mark.usefixtures("safe_at_once")
def test_a_scan_over_a_window_wider_than_the_safe_width_keeps_its_timeout() -> None:
    recording = _Recording("[a-c]+!")  # quadratic as a search: proven safe over 1,024 characters
    text = "ab!" * 400
    for window in [(), (0, 1024), (176,), (100,), (100, 1125), (-3,)]:
        found = [m.span() for m in Deadline(1.0).finditer(recording, text, *window)]  # type: ignore[arg-type]
        assert found == [m.span() for m in recording.real.finditer(text, *window)]
    assert recording.timeouts == [True, False, False, True, True, True]
