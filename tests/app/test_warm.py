"""`healthlint cache warm` builds ahead of the first check what checks keep between runs; `cache dir` says where."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from lint.app.cli import main

# in a fresh process over a warmed cache: the keys of every regex warm prepares, and whether the kept tables hold
# each one's analysis (with its safe widths) and compiled form
_KEPT = """
import json
from lint.app.runner import languages, rule_set
from lint.core import compiled, prefilter
from lint.io.artefacts import use_pattern_caches

use_pattern_caches()
keys = set()
for pack in languages(()):
    keys.update(prefilter.analysis_key(pack.pattern(name).pattern, pack.pattern(name).flags) for name in pack.entries)
for rule in rule_set(()):
    keys.update(prefilter.analysis_key(pattern.pattern, pattern.flags) for pattern in rule.checker.patterns())
missing = [key for key in keys if key not in prefilter.ANALYSES or prefilter.analysis(*key).safe is None]
uncompiled = [key for key in keys if key not in compiled.CODES]
print(json.dumps({"keys": len(keys), "missing": missing, "uncompiled": uncompiled}))
"""


def _python(code: str, cache: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEALTHLINT_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
        cwd=cwd,
    )


def test_warm_keeps_every_regex_analysed_with_its_safe_widths_and_compiled(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    warm = _python("from lint.app.cli import main; main(['cache', 'warm'])", cache)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.startswith("prepared 1 language pack(s), ") and f"(kept in {cache})" in warm.stdout
    assert len(list(cache.glob("segmenter-*.marshal"))) == 1
    kept = _python(_KEPT, cache)
    assert kept.returncode == 0, kept.stderr
    found = json.loads(kept.stdout)
    assert found["keys"] > 400  # the language pack's entries and the rules' regexes
    assert found["missing"] == [] and found["uncompiled"] == []
    assert f"{found['keys']} regular expressions" in warm.stdout


def test_a_check_on_an_empty_cache_keeps_only_some_of_them(tmp_path: Path) -> None:
    """Without warming, a check analyses only the regexes a text may match: the test above is no tautology."""
    cache = tmp_path / "cache"
    (tmp_path / "one.txt").write_text("本品根治高血压。", encoding="utf-8")
    checked = _python(
        "from lint.app.cli import main; main(['check', '--fail-on', 'never', 'one.txt'])", cache, cwd=tmp_path
    )
    assert checked.returncode == 0, checked.stderr
    kept = _python(_KEPT, cache)
    found = json.loads(kept.stdout)
    assert len(found["missing"]) > found["keys"] // 4


def test_cache_dir_names_the_configured_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["cache", "dir"], env={"HEALTHLINT_CACHE_DIR": str(tmp_path / "kept")})
    assert result.exit_code == 0
    assert result.stdout == f"{tmp_path / 'kept'}\n"


def test_warm_with_a_broken_rule_pack_exits_2_naming_the_file(fixtures: Path) -> None:
    result = CliRunner().invoke(main, ["cache", "warm", "--rules", str(fixtures / "packs")])
    assert result.exit_code == 2
    assert "rule pack error" in result.stderr and ".yaml:" in result.stderr


def test_warm_reports_failing_examples_of_a_users_rules_and_still_keeps_the_rest(tmp_path: Path) -> None:
    rules = tmp_path / "house"
    rules.mkdir()
    (rules / "house.yaml").write_text(
        "pack: house\nrules:\n"
        "  - {id: house.miracle, category: overclaim, severity: warning, message: m, suggestion: s, basis: b,\n"
        '     kind: pattern, patterns: ["神奇[^。]{0,4}功效"], examples: {flag: ["有【神奇的功效】。"], pass: ["神奇功效"]}}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["cache", "warm", "--rules", str(rules)])
    assert result.exit_code == 0
    assert re.match(r"prepared 1 language pack\(s\), \d+ regular expressions and \d+ examples in ", result.stdout)
    assert result.stderr == "1 example(s) fail: `healthlint test-rules` lists them\n"
