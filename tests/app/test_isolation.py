"""One bad file or article never costs the batch: `check` and `scan` turn any exception, a dead worker or an
overrun into that unit's error entry and go on."""

import json
import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint.app import guard
from lint.app.cli import main
from lint.app.scan import ScanSettings, local_runner, scan
from lint.io.archive import iter_articles

CRASH, EXIT, BUSY, STUCK = "【崩溃】", "【退出】", "【忙碌】", "【卡死】"


def _busy(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def _faulty_check_document(real):
    """`check_document` that misbehaves on marked texts: raises, kills its process, works for 30 s of CPU, or
    sleeps with the budget's signal blocked."""

    def check_document(document, config):
        if CRASH in document.text:
            raise RuntimeError("injected fault")
        if EXIT in document.text:
            os._exit(7)
        if BUSY in document.text:
            _busy(30)
        if STUCK in document.text:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})
            time.sleep(30)
        return real(document, config)

    return check_document


@pytest.fixture
def faulty(monkeypatch: pytest.MonkeyPatch) -> None:
    import lint.app.runner
    import lint.app.scan

    monkeypatch.setattr(lint.app.runner, "check_document", _faulty_check_document(lint.app.runner.check_document))
    monkeypatch.setattr(lint.app.scan, "check_document", _faulty_check_document(lint.app.scan.check_document))


def _files(directory: Path, texts: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_check_turns_an_exception_into_the_file_entry_and_goes_on(tmp_path: Path, faulty: None) -> None:
    folder = _files(tmp_path / "site", {"a.txt": "可以根治。", "b.txt": f"{CRASH}可以根治。", "c.txt": "可以根治。"})
    result = CliRunner().invoke(main, ["check", "--format", "json", "--fail-on", "never", str(folder)])
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert sorted(files) == ["a.txt", "b.txt", "c.txt"]
    assert files["b.txt"]["error"] == "internal error: RuntimeError: injected fault"
    assert [f["text"] for f in files["a.txt"]["findings"]] == [f["text"] for f in files["c.txt"]["findings"]] != []
    assert result.exit_code == 1
    assert "b.txt: internal error: RuntimeError: injected fault" in result.stderr
    assert "Traceback" not in result.stderr

    debug = CliRunner().invoke(main, ["check", "--debug", "--format", "json", str(folder)])
    assert "Traceback (most recent call last)" in debug.stderr and "injected fault" in debug.stderr


def test_a_parallel_check_turns_exceptions_and_dead_workers_into_file_entries(tmp_path: Path, faulty: None) -> None:
    texts = {f"{index:02d}.txt": "可以根治，无任何副作用。" for index in range(10)}
    texts["03.txt"] = f"{EXIT}可以根治。"
    texts["07.txt"] = f"{CRASH}可以根治。"
    folder = _files(tmp_path / "site", texts)
    result = CliRunner().invoke(main, ["check", "--jobs", "2", "--debug", "--format", "json", str(folder)])
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert sorted(files) == sorted(texts)
    assert files["03.txt"]["error"] == "the worker process died (a crash or the out-of-memory killer)"
    assert files["07.txt"]["error"] == "internal error: RuntimeError: injected fault"
    healthy = [name for name in sorted(texts) if name not in ("03.txt", "07.txt")]
    assert all(files[name]["error"] is None for name in healthy)
    assert len({json.dumps(files[name]["findings"]) for name in healthy}) == 1 and files["00.txt"]["findings"]
    assert result.exit_code == 1
    # each fault is told once, by the main process, in the files' order, with the worker's traceback
    told = [line for line in result.stderr.splitlines() if line.startswith("healthlint: ")]
    assert [line.split(": ")[1].rsplit("/", 1)[-1] for line in told] == ["03.txt", "07.txt"]
    assert result.stderr.count("Traceback (most recent call last)") == 1 and "injected fault" in result.stderr


@pytest.mark.parametrize("jobs", [1, 2])
def test_scan_turns_an_exception_into_the_article_entry_and_goes_on(tmp_path: Path, faulty: None, jobs: int) -> None:
    folder = _files(tmp_path / "site", {"a.txt": "可以根治。", "b.txt": f"{CRASH}可以根治。", "c.txt": "无副作用。"})
    settings = ScanSettings()
    summary = scan(iter_articles([folder]), settings, tmp_path / "out", local_runner(settings, jobs))
    rows = {Path(str(row["id"])).name: row for row in summary.articles()}
    assert rows["b.txt"]["error"] == "internal error: RuntimeError: injected fault"
    assert rows["a.txt"]["error"] is None and rows["a.txt"]["error_count"] == 1
    assert rows["c.txt"]["error"] is None and rows["c.txt"]["error_count"] == 1
    assert summary.faults == 1
    on_disk = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert on_disk["internal_errors"] == 1 and on_disk["articles_total"] == 3


def test_scan_cli_exit_status_and_debug_traceback(tmp_path: Path, faulty: None) -> None:
    folder = _files(tmp_path / "site", {"a.txt": "可以根治。", "b.txt": f"{CRASH}可以根治。"})
    result = CliRunner().invoke(main, ["scan", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1 and "1 internal errors or over the time budget" in result.stderr
    assert "Traceback" not in result.stderr
    result = CliRunner().invoke(
        main, ["scan", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1", "--no-cache", "--debug"]
    )
    assert "Traceback (most recent call last)" in result.stderr


def test_an_article_over_its_time_budget_is_an_error_entry(tmp_path: Path, faulty: None) -> None:
    folder = _files(tmp_path / "site", {"a.txt": "可以根治。", "b.txt": f"{BUSY}。", "c.txt": "无副作用。"})
    settings = ScanSettings(article_timeout=0.5)
    started = time.monotonic()
    summary = scan(iter_articles([folder]), settings, tmp_path / "out", local_runner(settings, 2))
    assert time.monotonic() - started < 25
    errors = {Path(str(e["id"])).name: e["error"] for e in summary.errors}
    assert errors == {"b.txt": "over the time budget of 0.5 s: not linted"}
    assert summary.total == 3 and summary.faults == 1


def test_isolate_keeps_type_message_and_traceback() -> None:
    def boom() -> None:
        raise ValueError("bad value")

    fault = guard.isolate(boom)
    assert isinstance(fault, guard.Fault)
    assert fault.describe() == "internal error: ValueError: bad value"
    assert "Traceback (most recent call last)" in fault.traceback and "boom" in fault.traceback
    assert guard.isolate(lambda: 42) == 42
    over = guard.isolate(lambda: _busy(5), budget=0.2)
    assert isinstance(over, guard.Fault) and over.describe() == "over the time budget of 0.2 s: not linted"
