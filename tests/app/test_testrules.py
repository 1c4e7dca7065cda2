"""`check --rules DIR` runs the examples of DIR on every start, unless the same files, code and libraries passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.app import testrules
from lint.app.testrules import PASSED, examples_key, examples_pass

RULE = (
    "pack: house\nrules:\n  - {{id: house.word, category: overclaim, severity: warning, message: m, suggestion: s,\n"
    "     basis: b, kind: lexicon, terms: [{term}], examples: {{flag: ['{flag}'], pass: [今天天气很好。]}}}}\n"
)


@pytest.fixture
def fresh_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PASSED, "table", {})
    monkeypatch.setattr(PASSED, "added", set())
    monkeypatch.setattr(PASSED, "loaded", True)


def _house(tmp_path: Path, term: str = "神仙水", flag: str = "这是[[神仙水]]。") -> Path:
    rules = tmp_path / "house"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "house.yaml").write_text(RULE.format(term=term, flag=flag), encoding="utf-8")
    return rules


def test_examples_that_passed_are_not_run_again_until_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_table: None
) -> None:
    rules = _house(tmp_path)
    first = examples_pass([rules])
    assert first is not None and first.examples == 2 and not first.failures
    monkeypatch.setattr(testrules, "check_rule_dirs", _must_not_run)
    assert examples_pass([rules]) is None
    monkeypatch.undo()
    _house(tmp_path, "仙丹", "这是[[仙丹]]。")
    again = examples_pass([rules])
    assert again is not None and again.examples == 2 and not again.failures
    (rules / "notes.txt").write_text("a new file in the directory", encoding="utf-8")
    assert examples_pass([rules]) is not None


def _must_not_run(*arguments: object) -> object:
    raise AssertionError("examples that passed were run again")


def test_failing_examples_are_never_kept(tmp_path: Path, fresh_table: None) -> None:
    rules = _house(tmp_path, "神仙水", "这里没有那个词。")
    for _ in range(2):
        result = examples_pass([rules])
        assert result is not None and len(result.failures) == 1
    assert not PASSED.table


def test_the_key_names_the_directories_and_their_contents(tmp_path: Path) -> None:
    one, other = _house(tmp_path / "a"), _house(tmp_path / "b")
    assert examples_key([one]) != examples_key([other]) != examples_key([one, other])
    assert examples_key([one]) == examples_key([one])
