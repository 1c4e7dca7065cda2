"""Fault drills (not tests): each fault around `healthlint scan` must end in correct output or a clear error
with the previous outputs intact.

    python bench/faults.py [--copies 40] [--rounds 5] [--json FILE]

Drills: SIGKILL mid-scan (`--rounds` times, at growing points), then resume; a cache with edited rows, garbage,
truncated and with garbled pages; a read-only and a full output directory (tmpfs mounts: needs root); two
concurrent scans into one directory. "Correct" means byte-identical to a scan without cache of the same input
(the summary compared without its from-cache count).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lint.app.scan.cache import ResultCache

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("findings.jsonl", "findings.sarif", "summary.json")


def archive(path: Path, copies: int) -> Path:
    """A JSON Lines export of `copies` copies of every seed article."""
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for seed in sorted((ROOT / "seeds").glob("*.txt")):
                text = seed.read_text(encoding="utf-8") + f"\n（副本 {copy}）"
                out.write(json.dumps({"id": f"{seed.stem}-{copy}", "text": text}, ensure_ascii=False) + "\n")
    return path


def command(source: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "lint.app.cli", "scan", str(source), "--out", str(out), *extra]


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env={**os.environ, "CI": "1"}, timeout=1800)


def outputs(out: Path) -> dict[str, object] | None:
    try:
        found: dict[str, object] = {name: (out / name).read_bytes() for name in OUTPUTS}
    except OSError:
        return None
    summary = json.loads(found.pop("summary.json"))  # type: ignore[arg-type]
    summary.pop("articles_from_cache")
    return {**found, "summary.json": summary}


def clean_error(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.startswith("healthlint:")


def kill_rounds(source: Path, work: Path, rounds: int, expected: object) -> list[dict[str, object]]:
    """SIGKILL a scan once its staged findings have grown further each round; resume each time: the outputs of
    the run before stay intact, and the resumed run is correct."""
    out, cache = work / "kill-out", work / "kill-cache.sqlite"
    results = []
    for round_number in range(1, rounds + 1):
        before = outputs(out)
        process = subprocess.Popen(
            command(source, out, "--cache", str(cache), "--jobs", "2"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "CI": "1"},
        )
        staged, wanted = out / ".findings.jsonl.tmp", 50_000 * round_number
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None:
            if staged.exists() and staged.stat().st_size >= wanted:
                break
            time.sleep(0.02)
        killed = process.poll() is None
        if killed:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        try:
            with sqlite3.connect(cache) as connection:
                committed = connection.execute(f"SELECT COUNT(*) FROM {ResultCache.TABLE}").fetchone()[0]
        except sqlite3.Error:
            committed = -1
        intact = outputs(out) == before
        resumed = run(command(source, out, "--cache", str(cache), "--jobs", "2"))
        results.append(
            {
                "round": round_number,
                "killed_mid_scan": killed,
                "committed_when_killed": committed,
                "previous_outputs_intact": intact,
                "resumed_exit": resumed.returncode,
                "resumed_message": resumed.stderr.strip().splitlines()[-1] if resumed.returncode else "",
                "resumed_correct": outputs(out) == expected,
            }
        )
        for leftover in work.glob(f"{cache.name}*"):
            leftover.unlink()
    return results


def cache_drills(source: Path, work: Path, expected: object) -> list[dict[str, object]]:
    results = []
    for damage in ("edited rows", "garbage", "truncated", "garbled pages"):
        out, cache = work / f"cache-{damage.replace(' ', '-')}", work / f"{damage.replace(' ', '-')}.sqlite"
        run(command(source, out, "--cache", str(cache)))
        if damage == "edited rows":
            with sqlite3.connect(cache) as connection:
                connection.execute(f"UPDATE {ResultCache.TABLE} SET lines = replace(lines, '\"error\"', '\"erroR\"')")
        with sqlite3.connect(cache) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = bytearray(cache.read_bytes())
        if damage == "garbage":
            data = bytearray(os.urandom(len(data)))
        elif damage == "truncated":
            data = data[: len(data) // 3]
        elif damage == "garbled pages":
            for page in range(1, len(data) // 4096):
                data[page * 4096 + 8 : page * 4096 + 200] = os.urandom(192)
        cache.write_bytes(bytes(data))
        result = run(command(source, out, "--cache", str(cache)))
        results.append(
            {
                "damage": damage,
                "exit": result.returncode,
                "warning": next((line for line in result.stderr.splitlines() if "warning" in line), ""),
                "correct": outputs(out) == expected,
                "tracebacks": result.stderr.count("Traceback"),
            }
        )
    return results


def mount(directory: Path, options: str) -> bool:
    directory.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(directory)]).returncode == 0


def disk_drills(source: Path, big: Path, work: Path) -> list[dict[str, object]]:
    results = []
    for drill, size in (("read-only", "20m"), ("full", "600k")):
        where = work / f"mnt-{drill}"
        if not mount(where, f"size={size}"):
            results.append({"drill": drill, "skipped": "cannot mount a tmpfs (needs root)"})
            continue
        try:
            out = where / "out"
            run(command(source, out, "--no-cache"))
            before = outputs(out)
            if drill == "read-only":
                subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
            result = run(command(big, out, "--no-cache", "--jobs", "1"))
            results.append(
                {
                    "drill": drill,
                    "exit": result.returncode,
                    "message": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "",
                    "clear_error": clean_error(result),
                    "previous_outputs_intact": outputs(out) == before,
                    "temporary_files_left": len(list(out.glob(".*.tmp"))),
                }
            )
        finally:
            subprocess.run(["umount", "-l", str(where)], check=False)
    return results


def concurrent_drill(source: Path, big: Path, work: Path) -> dict[str, object]:
    out = work / "concurrent"
    first = subprocess.Popen(
        command(big, out, "--no-cache", "--jobs", "1"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    lock = out / ".healthlint-scan.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        time.sleep(0.05)
    second = run(command(source, out, "--select", "spin"))
    first_exit = first.wait()
    valid = True
    try:
        for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines():
            json.loads(line)
        json.loads((out / "findings.sarif").read_text(encoding="utf-8"))
        json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        valid = False
    return {
        "first_exit": first_exit,
        "second_exit": second.returncode,
        "second_message": second.stderr.strip(),
        "outputs_valid": valid,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=40, help="copies of the seed articles in the archive")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="healthlint-faults-") as tmp:
        work = Path(tmp)
        source = archive(work / "archive.jsonl", args.copies)
        big = archive(work / "big.jsonl", args.copies * 4)
        run(command(source, work / "reference", "--no-cache"))
        expected = outputs(work / "reference")
        run(command(big, work / "big-reference", "--no-cache"))
        big_expected = outputs(work / "big-reference")
        report = {
            "sigkill": kill_rounds(big, work, args.rounds, big_expected),
            "cache": cache_drills(source, work, expected),
            "disk": disk_drills(source, big, work),
            "concurrent": concurrent_drill(source, big, work),
        }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
