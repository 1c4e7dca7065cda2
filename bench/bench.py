"""healthlint benchmarks (not tests): deterministic synthetic input built from the seed articles.

    python bench/bench.py bigfile [--mb 10]      one large file: core (lexicon/pattern/document) rules vs all rules
    python bench/bench.py coldstart              one-file `healthlint check` start-up time
    python bench/bench.py archive [--n 2000]     `healthlint scan` of a synthetic JSON Lines archive: throughput,
                                                 peak RSS and the incremental (nothing changed) re-scan

The synthetic text recombines paragraphs of seeds/*.txt with a fixed random seed, so runs are comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CORE = "overclaim,absolute_term,cure_or_guarantee,safety_overclaim,fear_appeal,testimonial,missing_disclaimer"


def paragraphs() -> list[str]:
    """Every non-empty line of the seed articles, in a stable order."""
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return lines


def synthetic_article(rng: random.Random, pool: list[str], size: int = 9000) -> str:
    """One article of about `size` characters: a run of consecutive seed paragraphs from a random place."""
    out: list[str] = []
    length = 0
    index = rng.randrange(len(pool))
    while length < size:
        line = pool[index % len(pool)]
        out.append(line)
        length += len(line) + 1
        index += 1 if rng.random() < 0.9 else rng.randrange(len(pool))
    return "\n".join(out) + "\n"


def _timed(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, check=False, stdout=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({result.returncode}): {' '.join(args)}")
    return elapsed


def bigfile(megabytes: float) -> None:
    rng = random.Random(20261122)
    pool = paragraphs()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.txt"
        with path.open("w", encoding="utf-8") as out:
            written = 0
            while written < megabytes * 1024 * 1024:
                article = synthetic_article(rng, pool)
                out.write(article + "\n")
                written += len(article.encode("utf-8")) + 1
        size = path.stat().st_size / 1024 / 1024
        exe = [sys.executable, "-m", "lint.app.cli", "check", "--format", "json", "--fail-on", "never"]
        core = _timed([*exe, "--select", CORE, str(path)])
        full = _timed([*exe, str(path)])
    print(f"file size:               {size:.1f} MB")
    print(f"core rules (lexicon/pattern/document): {core:.2f} s  ({size / core:.2f} MB/s)")
    print(f"all rules (+claims, evidence, spin):   {full:.2f} s  ({size / full:.2f} MB/s)")
    print(f"ratio all/core:          {full / core:.2f}x")


def coldstart() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.txt"
        path.write_text((SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text(encoding="utf-8"))
        exe = [sys.executable, "-m", "lint.app.cli", "check", "--fail-on", "never", str(path)]
        # a new process each time, as a pre-commit hook starts one; the first run writes the segmenter table and
        # (as any installed package has) the bytecode, even where PYTHONDONTWRITEBYTECODE is set
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        _timed(exe, env)
        runs = sorted(_timed(exe, env) for _ in range(9))
    print(f"one-file cold check: median {runs[4]:.2f} s (min {runs[0]:.2f} s, 9 runs)")


def write_archive(path: Path, count: int, size: int = 3000) -> int:
    """A JSON Lines archive of `count` synthetic articles; returns its size in bytes."""
    rng = random.Random(count)
    pool = paragraphs()
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            text = synthetic_article(rng, pool, size)
            out.write(
                json.dumps(
                    {"id": f"a{index:06d}", "title": text.split(chr(10), 1)[0][:40], "text": text}, ensure_ascii=False
                )
                + "\n"
            )
    return path.stat().st_size


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _scan_with_rss(args: list[str]) -> tuple[float, float, dict[int, float]]:
    """Run a scan; return its time, the main process's peak RSS and each worker's (MB), sampled from /proc."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    main_peak = 0.0
    workers: dict[int, float] = {}
    while process.poll() is None:
        main_peak = max(main_peak, _peak_rss_mb(process.pid) or 0.0)
        for child in _children(process.pid):
            peak = _peak_rss_mb(child)
            if peak is not None:
                workers[child] = max(workers.get(child, 0.0), peak)
        time.sleep(0.2)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(args)}")
    return elapsed, main_peak, workers


def archive(count: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "archive.jsonl"
        size = write_archive(source, count) / 1024 / 1024
        exe = [
            sys.executable,
            "-m",
            "lint.app.cli",
            "scan",
            str(source),
            "--out",
            str(Path(tmp) / "out"),
            "--jobs",
            str(jobs),
        ]
        first, main_peak, workers = _scan_with_rss([*exe, "--no-cache"])
        cached_run = _timed(exe)
        rescan = _timed(exe)
    print(f"archive: {count} articles, {size:.1f} MB, {jobs} worker(s)")
    print(
        f"full scan:            {first:.1f} s  -> {size / first / jobs:.2f} MB/s per core, {count / first / jobs:.1f} articles/s per core"
    )
    per_worker = ", ".join(f"{peak:.0f}" for peak in sorted(workers.values(), reverse=True)) or "none"
    print(f"peak RSS: main process {main_peak:.0f} MB; per worker {per_worker} MB")
    print(f"scan that fills the cache: {cached_run:.1f} s; incremental re-scan, nothing changed: {rescan:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    big = sub.add_parser("bigfile")
    big.add_argument("--mb", type=float, default=10.0)
    sub.add_parser("coldstart")
    scan_parser = sub.add_parser("archive")
    scan_parser.add_argument("--n", type=int, default=2000)
    scan_parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    if args.command == "bigfile":
        bigfile(args.mb)
    elif args.command == "archive":
        archive(args.n, args.jobs)
    else:
        coldstart()


if __name__ == "__main__":
    main()
