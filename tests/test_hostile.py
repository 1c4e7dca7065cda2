"""A generated hostile corpus through `check` and `scan`: every file is in the output, no internal error, no
traceback, every output parses. (The 10,000-file run is `bench/stress.py`.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lint.io.archive import count_articles
from tests.hostile import bad_links, hostile_jsonl, hostile_zip_members, write_corpus

GENERATED = 210


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    files = root / "files"
    write_corpus(files, GENERATED, seed=13, size=1500)
    bad_links(files / "links")
    with open(os.path.join(os.fsencode(files), b"name-not-utf8-\xff\xfe.txt"), "wb") as handle:
        handle.write("文件名不是 UTF-8，内容可以根治。".encode())
    (root / "members.zip").write_bytes(hostile_zip_members(1500))
    (root / "export.jsonl").write_bytes(hostile_jsonl(1500))
    return root


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lint.app.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "CI": "1"},
        timeout=600,
    )


def test_check_lists_every_hostile_file_without_an_internal_error(corpus: Path) -> None:
    files = corpus / "files"
    result = _run("check", "--format", "json", str(files))
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    reports = json.loads(result.stdout)["files"]
    names = {Path(report["path"]).name for report in reports}
    expected = {os.fsdecode(entry.name) for entry in os.scandir(os.fsencode(files)) if entry.name != b"links"}
    expected = {name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") for name in expected}
    assert names == expected | {"dangling.md", "loop-a.txt", "loop-b.txt", "self-dir"}
    assert not [r["path"] for r in reports if (r["error"] or "").startswith("internal error")]
    for report in reports:
        for finding in report["findings"]:
            assert 0 <= finding["start"] <= finding["end"]


@pytest.mark.parametrize("output_format", ["text", "sarif", "github"])
def test_every_output_format_survives_hostile_files(tmp_path: Path, output_format: str) -> None:
    files = tmp_path / "files"
    write_corpus(files, 28, seed=29, size=800)
    with open(os.path.join(os.fsencode(files), b"bad-\xff.md"), "wb") as handle:
        handle.write("可以根治。".encode())
    result = _run("check", "--format", output_format, str(files))
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    if output_format == "sarif":
        json.loads(result.stdout)


def test_scan_lists_every_hostile_article_without_an_internal_error(corpus: Path, tmp_path: Path) -> None:
    inputs = [corpus / "files", corpus / "members.zip", corpus / "export.jsonl"]
    out = tmp_path / "out"
    result = _run("scan", *map(str, inputs), "--out", str(out), "--jobs", "2", "--html")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["internal_errors"] == 0
    assert summary["articles_total"] == count_articles(inputs) == len(summary["articles"])
    ids = [article["id"] for article in summary["articles"]]
    assert len(ids) == len(set(ids))
    for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["article"] in set(ids)
    json.loads((out / "findings.sarif").read_text(encoding="utf-8"))
    assert (out / "index.html").stat().st_size > 0
