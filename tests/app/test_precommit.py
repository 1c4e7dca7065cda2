"""End to end: the real `pre-commit` installs this repository's hook and refuses a commit with hype."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, check=check, capture_output=True, text=True)


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs this repository's git history")
def test_commit_with_hype_is_refused_and_clean_commit_passes(tmp_path: Path) -> None:
    rev = _git(ROOT, "rev-parse", "HEAD").stdout.strip()
    content = tmp_path / "content"
    content.mkdir()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }
    _git(content, "init", "-q")
    (content / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: healthlint\n", encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=content, env=env, check=True, capture_output=True
    )

    (content / "article.md").write_text("# 新疗法\n\n干细胞治疗带来了革命性希望。请遵医嘱。\n", encoding="utf-8")
    _git(content, "add", ".")
    refused = subprocess.run(["git", "commit", "-m", "hype"], cwd=content, env=env, capture_output=True, text=True)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "overclaim.hype-term" in output and "article.md:3:" in output

    (content / "article.md").write_text("# 新疗法\n\n干细胞治疗仍处于临床研究阶段。请遵医嘱。\n", encoding="utf-8")
    (content / "draft.txt").write_text("草稿：干细胞可以根治一切疾病。", encoding="utf-8")
    _git(content, "add", ".pre-commit-config.yaml", "article.md")
    accepted = subprocess.run(["git", "commit", "-m", "clean"], cwd=content, env=env, capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "draft.txt" not in accepted.stdout + accepted.stderr
