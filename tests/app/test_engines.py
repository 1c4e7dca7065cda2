"""The compiled engines (rjieba, ahocorasick-rs) are optional: a process where neither can be imported falls back
to the pure-Python routes and reports exactly the same findings on every fixture article."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

_CHECK = """
import sys
if sys.argv[1] == "without":
    sys.modules["rjieba"] = None
    sys.modules["ahocorasick_rs"] = None
from lint.app.cli import main
main(["check", "--format", "json", *sys.argv[2:]])
"""


def _findings(mode: str, cache: Path) -> dict[str, object]:
    env = {**os.environ, "HEALTHLINT_CACHE_DIR": str(cache)}
    env.pop("HEALTHLINT_PURE_PYTHON", None)
    run = subprocess.run(
        [sys.executable, "-c", _CHECK, mode, str(FIXTURES / "articles"), str(FIXTURES / "article.md")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_without_the_compiled_engines_the_findings_are_the_same(tmp_path: Path) -> None:
    pytest.importorskip("rjieba")
    pytest.importorskip("ahocorasick_rs")
    compiled = _findings("with", tmp_path / "compiled")
    fallback = _findings("without", tmp_path / "fallback")
    assert fallback == compiled
    files = compiled["files"]
    assert isinstance(files, list) and len(files) > 10
    assert sum(len(entry["findings"]) for entry in files) > 50
    assert all(entry["error"] is None for entry in files)
