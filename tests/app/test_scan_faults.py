"""Faults around a scan — a damaged cache, a second scan, a killed scan, a read-only or full disk — end in
correct output or a clear error with the previous outputs intact; never silently wrong."""

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lint.app.scan import OutputError, OutputLocked, ResultCache, ScanSettings, local_runner, scan
from lint.io.archive import iter_articles

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = ("findings.jsonl", "findings.sarif", "summary.json")


def _archive(tmp_path: Path, copies: int = 3) -> Path:
    lines = []
    for copy in range(copies):
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            text = path.read_text(encoding="utf-8") + f"\n（副本 {copy}）"
            lines.append(json.dumps({"id": f"{path.stem}-{copy}", "text": text}, ensure_ascii=False))
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return archive


def _scan(archive: Path, out: Path, cache: Path | None = None, warnings: list[str] | None = None, **settings):
    chosen = ScanSettings(**settings)
    sink = warnings if warnings is not None else []
    return scan(iter_articles([archive]), chosen, out, local_runner(chosen, 1), cache, warn=sink.append)


def _outputs(out: Path) -> dict[str, object]:
    """The outputs of a scan, the summary without its count of articles taken from the cache."""
    found: dict[str, object] = {name: (out / name).read_bytes() for name in OUTPUTS}
    summary = json.loads(found.pop("summary.json"))  # type: ignore[arg-type]
    summary.pop("articles_from_cache")
    return {**found, "summary.json": summary}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "lint.app.cli", "scan", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "CI": "1"}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """An archive and its outputs from a scan without cache."""
    base = tmp_path_factory.mktemp("reference")
    archive = _archive(base)
    _scan(archive, base / "out")
    return archive, _outputs(base / "out")


def test_edited_cache_rows_are_recomputed(tmp_path: Path, reference) -> None:
    archive, expected = reference
    cache = tmp_path / "cache.sqlite"
    _scan(archive, tmp_path / "first", cache)
    with sqlite3.connect(cache) as connection:
        connection.execute(
            f'UPDATE {ResultCache.TABLE} SET lines = replace(lines, \'"severity": "error"\', \'"severity": "erroR"\')'
        )
        connection.execute(f"UPDATE {ResultCache.TABLE} SET meta = replace(meta, '\"error\": 1', '\"error\": 9')")
        edited = connection.total_changes
    assert edited > 0
    summary = _scan(archive, tmp_path / "again", cache)
    assert _outputs(tmp_path / "again") == expected
    assert summary.cache_rejected > 0 and summary.cached < summary.total
    assert b"erroR" not in (tmp_path / "again" / "findings.jsonl").read_bytes()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "garbled-pages"])
def test_a_damaged_cache_database_is_moved_aside_and_rebuilt(tmp_path: Path, reference, damage: str) -> None:
    archive, expected = reference
    cache = tmp_path / "cache.sqlite"
    _scan(archive, tmp_path / "first", cache)
    with sqlite3.connect(cache) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(cache.read_bytes())
    if damage == "garbage":
        data = bytearray(os.urandom(len(data)))
    elif damage == "truncated":
        data = data[: len(data) // 3]
    else:
        for page in range(1, len(data) // 4096):
            data[page * 4096 + 8 : page * 4096 + 200] = os.urandom(192)
    cache.write_bytes(bytes(data))
    warnings: list[str] = []
    _scan(archive, tmp_path / "again", cache, warnings)
    assert _outputs(tmp_path / "again") == expected
    if damage != "truncated" or warnings:
        assert any("was damaged" in w and "rebuilt" in w for w in warnings), warnings
        assert list(tmp_path.glob("cache.sqlite.corrupt-*"))
    third = _scan(archive, tmp_path / "third", cache)
    assert _outputs(tmp_path / "third") == expected and third.cached == third.total


def test_cached_rows_keep_each_article_its_own_title(tmp_path: Path) -> None:
    text = "某胶囊可以根治失眠。\n第二段。"
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "page.txt").write_text(text, encoding="utf-8")
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps({"id": "x", "title": "导出的标题", "text": text}, ensure_ascii=False) + "\n")

    def titles(out: str, cache: Path | None) -> list[str]:
        settings = ScanSettings()
        articles = iter_articles([export, folder])
        summary = scan(articles, settings, tmp_path / out, local_runner(settings, 1), cache)
        return [str(row["title"]) for row in summary.articles()]

    cache = tmp_path / "cache.sqlite"
    assert titles("a", cache) == titles("b", cache) == titles("c", None) == ["导出的标题", "某胶囊可以根治失眠。"]


def test_a_second_scan_into_a_locked_directory_is_refused(tmp_path: Path, reference) -> None:
    archive, expected = reference
    out = tmp_path / "out"
    _scan(archive, out)
    before = _outputs(out)
    from lint.app.scan.outputs import OutputLock

    with OutputLock(out):
        with pytest.raises(OutputLocked, match=rf"another healthlint scan \(pid {os.getpid()}\) is writing to"):
            _scan(archive, out)
        result = subprocess.run(_cli(str(archive), "--out", str(out)), capture_output=True, text=True, env=_env())
    assert result.returncode == 2 and "another healthlint scan" in result.stderr and "Traceback" not in result.stderr
    assert _outputs(out) == before == expected


def test_two_concurrent_scans_one_refused_one_correct(tmp_path: Path, reference) -> None:
    archive, _ = reference
    big = _archive(tmp_path, copies=12)
    out = tmp_path / "out"
    first = subprocess.Popen(
        _cli(str(big), "--out", str(out), "--jobs", "1", "--no-cache"), env=_env(), stderr=subprocess.PIPE
    )
    lock = out / ".healthlint-scan.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        time.sleep(0.05)
    second = subprocess.run(
        _cli(str(archive), "--out", str(out), "--select", "spin"), capture_output=True, text=True, env=_env()
    )
    assert first.wait(timeout=300) == 0
    assert second.returncode == 2 and f"another healthlint scan (pid {first.pid})" in second.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["articles_total"] == 60
    for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)
    json.loads((out / "findings.sarif").read_text(encoding="utf-8"))


def test_a_killed_scan_leaves_the_previous_outputs_intact(tmp_path: Path, reference) -> None:
    archive, expected = reference
    out = tmp_path / "out"
    _scan(archive, out)
    big = _archive(tmp_path, copies=12)
    process = subprocess.Popen(_cli(str(big), "--out", str(out), "--jobs", "2", "--no-cache"), env=_env())
    staged = out / ".findings.jsonl.tmp"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (staged.exists() and staged.stat().st_size > 0):
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _outputs(out) == expected
    _scan(big, out)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["articles_total"] == 60
    assert not list(out.glob(".*.tmp"))


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_workers_exit_when_the_scan_process_is_killed(tmp_path: Path) -> None:
    big = _archive(tmp_path, copies=12)
    process = subprocess.Popen(_cli(str(big), "--out", str(tmp_path / "out"), "--jobs", "2", "--no-cache"), env=_env())
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    alive = []
    for pid in workers:
        with contextlib.suppress(OSError):
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z":
                alive.append(pid)
    assert not alive


@contextlib.contextmanager
def _tmpfs(directory: Path, size: str):
    directory.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)], capture_output=True
    )
    if result.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


def test_a_read_only_output_directory_is_a_clear_error_with_outputs_intact(tmp_path: Path, reference) -> None:
    archive, expected = reference
    with _tmpfs(tmp_path / "mnt", "20m") as mount:
        out = mount / "out"
        _scan(archive, out)
        assert subprocess.run(["mount", "-o", "remount,ro", str(mount)]).returncode == 0
        with pytest.raises(OutputError, match="Read-only file system"):
            _scan(archive, out, cache=None)
        result = subprocess.run(_cli(str(archive), "--out", str(out)), capture_output=True, text=True, env=_env())
        assert result.returncode == 2 and "Read-only file system" in result.stderr and "Traceback" not in result.stderr
        assert _outputs(out) == expected


def test_a_full_disk_is_a_clear_error_with_outputs_intact(tmp_path: Path, reference) -> None:
    archive, expected = reference
    big = _archive(tmp_path, copies=12)
    with _tmpfs(tmp_path / "mnt", "600k") as mount:
        out = mount / "out"
        _scan(archive, out)
        result = subprocess.run(
            _cli(str(big), "--out", str(out), "--no-cache", "--jobs", "1"), capture_output=True, text=True, env=_env()
        )
        assert result.returncode == 2 and "No space left on device" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert _outputs(out) == expected
        assert not list(out.glob(".*.tmp"))
