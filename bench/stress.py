"""Stress run (not a test): ten thousand and more generated hostile files through `healthlint check` and
`healthlint scan`, with the reliability issue's pathological inputs at full size.

    python bench/stress.py [--count 10000] [--size 3000] [--jobs 2] [--keep DIR] [--json FILE]

Reported, against the targets: tracebacks (0), files missing from the output (0), internal errors (0),
files over 10 s (0: per file for `check`, CPU time in-process with the same `check_file` the command runs,
so other load on the machine does not count; per article for `scan`, run with `--article-timeout 10`, so an article over 10 s of CPU time is an error
entry), and the peak RSS of every process (< 1 GB), sampled from /proc. The corpus comes from `tests/hostile.py` and a seed, so a
run is reproducible.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))

from bench import _children, _peak_rss_mb  # noqa: E402 - bench/bench.py, beside this script
from tests.hostile import (  # noqa: E402 - the project root is put on the path first
    _docx_parts,
    bad_links,
    document_xml,
    hostile_cases,
    hostile_docx,
    hostile_jsonl,
    hostile_zip_members,
    special_cases,
    write_corpus,
)

LIMIT_SECONDS = 10.0
LIMIT_RSS_MB = 1024.0


def issue_cases(directory: Path) -> list[str]:
    """The issue's pathological inputs at the sizes it reported, and a 2 MB Word zip bomb."""
    directory.mkdir(parents=True, exist_ok=True)
    sizes = {
        "cure-run.txt": 16_000,
        "link-run.md": 60_000,
        "zeros-before-safety.txt": 50_000,
        "z-run.txt": 50_000,
        "x-run.txt": 100_000,
        "disable-pairs.md": 400_000,
        "open-comments.html": 400_000,
    }
    for name, size in sizes.items():
        case = next(c for c in special_cases(size) if c.name == name)
        (directory / f"issue-{name}").write_bytes(case.data)
    with zipfile.ZipFile(directory / "issue-zip-bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _docx_parts(document_xml(["正文"])).items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 24)
            for _ in range(128):
                member.write(chunk)
    return [f"issue-{name}" for name in sizes] + ["issue-zip-bomb.docx"]


def build(root: Path, count: int, size: int) -> dict[str, Path]:
    """Write the corpus: a directory of files, a zip and a JSON Lines export of more generated cases, and the
    hostile zip and JSON Lines inputs."""
    files = root / "files"
    write_corpus(files, count, seed=2026, size=size)
    issue_cases(files)
    bad_links(files / "links")
    with open(os.path.join(os.fsencode(files), b"name-not-utf8-\xff.txt"), "wb") as handle:
        handle.write("文件名不是 UTF-8。".encode())
    members = io.BytesIO()
    with zipfile.ZipFile(members, "w", zipfile.ZIP_DEFLATED) as archive:
        for case in hostile_cases(count // 10, seed=7, size=size):
            archive.writestr(f"zip/{case.name}", case.data)
        for case in hostile_docx(size):
            archive.writestr(f"zip/{case.name}", case.data)
    (root / "generated.zip").write_bytes(members.getvalue())
    with (root / "generated.jsonl").open("w", encoding="utf-8") as out:
        for case in hostile_cases(count // 10, seed=11, size=size):
            out.write(json.dumps({"id": case.name, "text": case.data.decode("utf-8", "replace")}) + "\n")
    (root / "hostile.zip").write_bytes(hostile_zip_members(size))
    (root / "hostile.jsonl").write_bytes(hostile_jsonl(size))
    return {
        "files": files,
        "archives": [root / "generated.zip", root / "generated.jsonl", root / "hostile.zip", root / "hostile.jsonl"],
    }  # type: ignore[dict-item]


def run_sampled(args: list[str], stdout: Path) -> tuple[int, str, float, float]:
    """Run a command; return its exit status, stderr, time, and the peak RSS (MB) of its largest process."""
    start = time.perf_counter()
    with stdout.open("wb") as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, stdout=out, stderr=err, env={**os.environ, "CI": "1"})
        peak = 0.0
        while process.poll() is None:
            for pid in (process.pid, *_children(process.pid)):
                peak = max(peak, _peak_rss_mb(pid) or 0.0)
            time.sleep(0.2)
        err.seek(0)
        return process.returncode, err.read().decode("utf-8", "replace"), time.perf_counter() - start, peak


def time_files(directory: Path) -> None:
    """(In a child process) time `check_file` on every file `healthlint check DIR` would lint; print JSON."""
    from lint.app.runner import Options, check_file, collect_paths, plan

    times: list[tuple[float, str]] = []
    for setup, group in plan(collect_paths([str(directory)]), Options()):
        for path in group:
            start = time.process_time()
            check_file(path, setup)
            times.append((time.process_time() - start, os.fsencode(path).decode("utf-8", "backslashreplace")))
    times.sort(reverse=True)
    print(json.dumps({"files": len(times), "slowest": times[:10], "over": [t for t in times if t[0] > LIMIT_SECONDS]}))


def stress(count: int, size: int, jobs: int, keep: Path | None) -> dict[str, object]:
    root = keep or Path(tempfile.mkdtemp(prefix="healthlint-stress-"))
    started = time.perf_counter()
    inputs = build(root, count, size)
    files: Path = inputs["files"]
    built = time.perf_counter() - started
    cli = [sys.executable, "-m", "lint.app.cli"]
    report: dict[str, object] = {"corpus_seconds": round(built, 1)}

    code, err, seconds, peak = run_sampled([*cli, "check", "--format", "json", str(files)], root / "check.json")
    listed = json.loads((root / "check.json").read_text(encoding="utf-8"))["files"]
    expected = {
        os.fsdecode(entry.name).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        for entry in os.scandir(os.fsencode(files))
        if entry.name != b"links"
    } | {"dangling.md", "loop-a.txt", "loop-b.txt", "self-dir"}
    names = {Path(entry["path"]).name for entry in listed}
    timing = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--time-files", str(files)], capture_output=True, text=True, check=True
        ).stdout
    )
    report["check"] = {
        "files": len(listed),
        "exit_status": code,
        "seconds": round(seconds, 1),
        "tracebacks": err.count("Traceback"),
        "missing": sorted(expected - names),
        "internal_errors": sum(1 for e in listed if (e["error"] or "").startswith("internal error")),
        "files_over_10s": timing["over"],
        "slowest_file": timing["slowest"][0],
        "peak_rss_mb": round(peak),
    }

    sources = [files, *inputs["archives"]]  # type: ignore[misc]
    from lint.io.archive import count_articles

    total = count_articles(sources)
    out = root / "scan-out"
    scan_args = [*cli, "scan", *map(str, sources), "--out", str(out), "--jobs", str(jobs), "--no-cache"]
    code, err, seconds, peak = run_sampled([*scan_args, "--article-timeout", str(LIMIT_SECONDS)], root / "scan.log")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    ids = [row["id"] for row in summary["articles"]]
    report["scan"] = {
        "articles": summary["articles_total"],
        "expected": total,
        "exit_status": code,
        "seconds": round(seconds, 1),
        "tracebacks": err.count("Traceback"),
        "missing": total - len(set(ids)),
        "internal_errors": sum(1 for e in summary["errors"] if str(e["error"]).startswith("internal error")),
        "articles_over_10s": [e["id"] for e in summary["errors"] if "time budget" in str(e["error"])],
        "peak_rss_mb": round(peak),
    }
    checks = report["check"], report["scan"]
    report["passed"] = (
        all(
            not c["tracebacks"] and not c["missing"] and not c["internal_errors"] and c["peak_rss_mb"] < LIMIT_RSS_MB
            for c in checks  # type: ignore[index]
        )
        and not report["check"]["files_over_10s"]
        and not report["scan"]["articles_over_10s"]
    )  # type: ignore[index]
    report["corpus"] = str(root) if keep else None
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000, help="generated files (besides the special ones)")
    parser.add_argument("--size", type=int, default=3000, help="characters per generated file, at most about")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--json", type=Path, help="also write the report here")
    parser.add_argument("--time-files", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_files:
        time_files(args.time_files)
        return
    report = stress(args.count, args.size, args.jobs, args.keep)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    sys.exit(0 if report["passed"] else 1)


if __name__ == "__main__":
    main()
