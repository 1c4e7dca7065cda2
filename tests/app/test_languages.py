"""A second language end to end: a test-only English pack (tests/fixtures/english: an English rule pack and
lang/en/, whose segmenter an installed package provides through the `healthlint.segmenters` entry point), the
per-file note for texts no pack covers, and `test-rules`/`check --rules` on a user's directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lint.app.runner import added_dirs, languages, rule_set
from lint.app.testrules import check_rule_dirs
from lint.io.language import LanguagePackError
from lint.io.paths import default_rules_dir
from tests.helpers import FIXTURES

ENGLISH = FIXTURES / "english"
SEGMENTER = ENGLISH / "segmenter"
SENTENCE = "This herbal tea cures arthritis in a week. Our supplement reduces joint pain within days.\n"


def _healthlint(*args: str, segmenter: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SEGMENTER) if segmenter else ""}
    return subprocess.run(
        [sys.executable, "-m", "lint.app.cli", *args], capture_output=True, text=True, env=env, check=False
    )


@pytest.fixture
def segmenter_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(SEGMENTER))


def test_an_english_sentence_is_linted_end_to_end(tmp_path: Path) -> None:
    article = tmp_path / "copy.txt"
    article.write_text(SENTENCE, encoding="utf-8")
    chinese = tmp_path / "copy-zh.txt"
    chinese.write_text("这款茶可以根治关节炎。\n", encoding="utf-8")
    run = _healthlint("check", "--rules", str(ENGLISH), "--format", "json", str(article), str(chinese))
    assert run.returncode == 1, run.stderr
    english, zh = json.loads(run.stdout)["files"]
    found = [(f["rule"], SENTENCE[f["start"] : f["end"]]) for f in english["findings"]]
    assert found == [
        ("english.cure-claim", "cures"),
        ("english.unbacked-claim", "cures arthritis"),
        ("english.unbacked-claim", "reduces joint pain"),
    ]
    assert english["problems"] == []
    assert "cure_or_guarantee.cure-term" in {f["rule"] for f in zh["findings"]}
    assert not any(f["rule"].startswith("english.") for f in zh["findings"])


def test_a_text_no_pack_covers_gets_a_note(tmp_path: Path) -> None:
    article = tmp_path / "copy.txt"
    article.write_text(SENTENCE, encoding="utf-8")
    run = _healthlint("check", "--format", "json", str(article))
    [report] = json.loads(run.stdout)["files"]
    assert run.returncode == 0 and report["findings"] == []
    [note] = report["problems"]
    assert "not in a language the language packs cover (zh: Han script)" in note
    text = _healthlint("check", str(article))
    assert f"{article}: warning: not in a language" in text.stdout


def test_mixed_copy_in_the_packs_script_gets_no_note(tmp_path: Path) -> None:
    article = tmp_path / "mixed.txt"
    article.write_text("我们的 stem cell therapy 可以根治 arthritis，请遵医嘱。\n", encoding="utf-8")
    [report] = json.loads(_healthlint("check", "--format", "json", str(article)).stdout)["files"]
    assert report["problems"] == [] and report["findings"]


def test_the_segmenter_comes_from_the_entry_point(segmenter_installed: None) -> None:
    packs = {pack.code: pack for pack in languages([ENGLISH])}
    assert sorted(packs) == ["en", "zh"]
    assert type(packs["en"].segmenter).__name__ == "EnglishWords"
    assert packs["en"].segment("it cures, fast") == ("it", " ", "cures", ",", " ", "fast")


def test_without_the_segmenter_package_the_pack_is_refused(tmp_path: Path) -> None:
    article = tmp_path / "copy.txt"
    article.write_text(SENTENCE, encoding="utf-8")
    run = _healthlint("check", "--rules", str(ENGLISH), str(article), segmenter=False)
    assert run.returncode == 2
    assert "lang/en/pack.yaml:6: unknown segmenter 'english-words'" in run.stderr


def test_test_rules_runs_every_example_of_a_users_directory(segmenter_installed: None) -> None:
    result = check_rule_dirs([ENGLISH])
    assert [rule.id for rule in result.rules] == ["english.cure-claim", "english.unbacked-claim"]
    assert len(result.entries) == 15 and result.failures == ()
    assert result.examples == 42
    run = _healthlint("test-rules", str(ENGLISH))
    assert run.returncode == 0 and run.stdout == "2 rules and 15 language-pack entries: 42 examples run, 0 failing\n"


def test_naming_the_shipped_directory_adds_nothing(tmp_path: Path) -> None:
    shipped = default_rules_dir()
    link = tmp_path / "rules-link"
    link.symlink_to(shipped, target_is_directory=True)
    assert added_dirs([shipped, ENGLISH, link, ENGLISH]) == (ENGLISH,)
    assert [rule.id for rule in rule_set([shipped, link])] == [rule.id for rule in rule_set([])]
    assert [pack.code for pack in languages([shipped])] == ["zh"]


def _broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "english"
    shutil.copytree(ENGLISH, target, ignore=shutil.ignore_patterns("segmenter"))
    pack = target / "health_en.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8").replace(
            "This herbal tea [[cures]] arthritis", "This herbal [[tea cures]] arthritis"
        ),
        encoding="utf-8",
    )
    hedges = target / "lang" / "en" / "scopes.yaml"
    hedges.write_text(
        hedges.read_text(encoding="utf-8").replace("'It [[may]] help'", "'It [[may help]]'"), encoding="utf-8"
    )
    return target


def test_a_wrong_span_in_a_users_pack_is_reported(tmp_path: Path) -> None:
    target = _broken_copy(tmp_path)
    run = _healthlint("test-rules", str(target))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0].endswith(
        "health_en.yaml:5: english.cure-claim: 'This herbal [[tea cures]] arthritis in a week.': expected findings at "
        "This herbal [[tea cures]] arthritis in a week., found This herbal tea [[cures]] arthritis in a week."
    )
    assert "scopes.yaml:" in lines[1] and "scopes.hedge: 'It [[may help]]': expected a match at" in lines[1]
    assert lines[-1] == "2 rules and 15 language-pack entries: 42 examples run, 2 failing"
    article = tmp_path / "copy.txt"
    article.write_text(SENTENCE, encoding="utf-8")
    checked = _healthlint("check", "--rules", str(target), str(article))
    assert checked.returncode == 2 and "examples that fail" in checked.stderr and "english.cure-claim" in checked.stderr


def _house_scopes(tmp_path: Path, entries: str) -> Path:
    """A user's rule directory that adds `entries` to the shipped pack's scopes section."""
    target = tmp_path / "house"
    (target / "lang" / "zh").mkdir(parents=True)
    (target / "lang" / "zh" / "scopes.yaml").write_text(f"section: scopes\nentries:\n{entries}", encoding="utf-8")
    return target


def test_a_broken_language_file_fails_with_file_and_line(tmp_path: Path) -> None:
    target = _house_scopes(tmp_path, "  hedges:\n    terms: [说不定]\n    examples: {flag: ['[[说不定]]']}\n")
    with pytest.raises(LanguagePackError, match=r"scopes\.yaml:4: entry scopes\.hedges: unknown entry"):
        check_rule_dirs([target])
    run = _healthlint("test-rules", str(target))
    assert run.returncode == 2 and "scopes.yaml:4: entry scopes.hedges: unknown entry" in run.stderr


def test_a_users_words_extend_the_shipped_pack_in_check(tmp_path: Path) -> None:
    target = _house_scopes(tmp_path, "  hedge:\n    terms: [说不定]\n    examples: {flag: ['[[说不定]]能根治']}\n")
    article = tmp_path / "a.txt"
    article.write_text("这种茶说不定能根治失眠。\n", encoding="utf-8")
    shipped = json.loads(_healthlint("check", "--format", "json", "--select", "cure_or_guarantee", str(article)).stdout)
    extended = json.loads(
        _healthlint(
            "check", "--format", "json", "--select", "cure_or_guarantee", "--rules", str(target), str(article)
        ).stdout
    )
    assert [f["text"] for f in shipped["files"][0]["findings"]] == ["根治"]
    assert extended["files"][0]["findings"] == []
