"""healthlint benchmarks (not tests): deterministic synthetic input built from the seed articles.

    python bench/bench.py bigfile [--mb 10]      one large file: core (lexicon/pattern/document) rules vs all rules
    python bench/bench.py coldstart              one-file `healthlint check` start-up: warm caches, empty ones, after `cache warm`
    python bench/bench.py articles [--mb 1]      the full pipeline and the core rules over a folder of synthetic
                                                 articles (one file each: no per-document budget is met), CPU
                                                 time in one process; then the wall clock with one worker per core
    python bench/bench.py vocab [--mb 1]         vocabulary scaling: the full pipeline over a folder of articles with
                                                 the shipped terms and patterns, then as many again and 9x as many
    python bench/bench.py textlint [--mb 1]      the full pipeline against textlint + prh on the same lexicon (npm
                                                 installs them into the bench cache; skipped without npm)
    python bench/bench.py stepbound              the regex step bound against real matching: adversarial searches,
                                                 the time of each per step the bound allows (the bound holds with a
                                                 wide margin when this stays far below the nanoseconds a step is
                                                 taken to cost)
    python bench/bench.py archive [--n 2000]     `healthlint scan` of a synthetic JSON Lines archive: throughput and
                                                 peak RSS of the main process and of each worker, for a scan
                                                 without cache, one that fills it and a re-scan with nothing changed

The synthetic text recombines paragraphs of seeds/*.txt with a fixed random seed, so runs are comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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


def _timed(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    """The wall-clock seconds of one run of `args`."""
    return _measured(args, env, cwd)[0]


def _cpu(args: list[str], cwd: Path | None = None) -> float:
    """The CPU seconds (user + system, its children's included) of one run of `args`: on a shared machine the
    figure that other load moves least."""
    return _measured(args, None, cwd)[1]


def _measured(args: list[str], env: dict[str, str] | None, cwd: Path | None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, check=False, stdout=subprocess.DEVNULL, env=env, cwd=cwd)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({result.returncode}): {' '.join(args)}")
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def bigfile(megabytes: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.txt"
        size = _bigfile(path, megabytes)
        exe = [sys.executable, "-m", "lint.app.cli", "check", "--format", "json", "--fail-on", "never"]
        core = _cpu([*exe, "--select", CORE, str(path)])
        full = _cpu([*exe, str(path)])
    print(f"file size:               {size:.1f} MB")
    print(f"core rules (lexicon/pattern/document): {core:.2f} s CPU  ({size / core:.2f} MB/s per core)")
    print(f"all rules (+claims, evidence, spin):   {full:.2f} s CPU  ({size / full:.2f} MB/s per core)")
    print(f"ratio all/core:          {full / core:.2f}x")


def coldstart() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.txt"
        path.write_text((SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text(encoding="utf-8"))
        exe = [sys.executable, "-m", "lint.app.cli", "check", "--fail-on", "never", str(path)]
        # a new process each time, as a pre-commit hook starts one; the first run writes the segmenter table, the
        # pattern caches and (as any installed package has) the bytecode, even where PYTHONDONTWRITEBYTECODE is set
        env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
        env["HEALTHLINT_CACHE_DIR"] = str(Path(tmp) / "warm")
        _measured(exe, env, None)
        warm = sorted(_measured(exe, env, None) for _ in range(9))
        empty = sorted(
            _measured(exe, {**env, "HEALTHLINT_CACHE_DIR": str(Path(tmp) / f"empty-{index}")}, None)
            for index in range(5)
        )
        warmed = []  # the first check after `healthlint cache warm` (an image build or install step)
        for index in range(5):
            ahead = {**env, "HEALTHLINT_CACHE_DIR": str(Path(tmp) / f"warmed-{index}")}
            _measured([sys.executable, "-m", "lint.app.cli", "cache", "warm"], ahead, None)
            warmed.append(_measured(exe, ahead, None))
    for label, runs in (("warm caches", warm), ("empty caches", empty), ("after cache warm", sorted(warmed))):
        wall, cpu = sorted(run[0] for run in runs), sorted(run[1] for run in runs)
        print(
            f"one-file cold check, {label}: median {wall[len(wall) // 2]:.2f} s wall (min {wall[0]:.2f} s), "
            f"median {cpu[len(cpu) // 2]:.2f} s CPU, {len(runs)} runs"
        )


def _synthetic_articles(megabytes: float, seed: int, extra: int = 0) -> Iterator[str]:
    """Synthetic articles until about `megabytes` of UTF-8 are given (each counted with `extra` more bytes)."""
    rng = random.Random(seed)
    pool = paragraphs()
    written = 0
    while written < megabytes * 1024 * 1024:
        article = synthetic_article(rng, pool)
        written += len(article.encode("utf-8")) + extra
        yield article


def _bigfile(path: Path, megabytes: float, seed: int = 20261122) -> float:
    """Write about `megabytes` of synthetic articles to `path`; returns the size in MB."""
    with path.open("w", encoding="utf-8") as out:
        for article in _synthetic_articles(megabytes, seed, extra=1):
            out.write(article + "\n")
    return path.stat().st_size / 1024 / 1024


def _shipped_vocabulary() -> tuple[list[str], int]:
    """The terms of the default language pack's word lists, and the number of its and the rule packs' patterns."""
    sys.path.insert(0, str(ROOT))
    from lint.io.language import default_language
    from lint.io.rulepack import default_packs

    entries = default_language().entries.values()
    terms = sorted({term for entry in entries if entry.kind == "terms" for term in entry.terms})
    patterns = sum(entry.kind == "pattern" for entry in entries)
    patterns += sum(
        len(rule.checker.params.patterns) for pack in default_packs() for rule in pack.rules if rule.kind == "pattern"
    )
    return terms, patterns


def synthetic_vocabulary(folder: Path, terms: int, patterns: int, seed: int = 7) -> None:
    """A rule-pack folder with `terms` synthetic lexicon terms and `patterns` synthetic constructions (two words a
    few characters apart, as the shipped constructions are), made of the seed articles' characters so that their
    prefixes occur in the text as real vocabulary's do."""
    rng = random.Random(seed)
    alphabet = sorted({ch for line in paragraphs() for ch in line if "\u4e00" <= ch <= "\u9fff"})

    def word() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 5)))

    rules: list[tuple[str, list[str], str]] = []
    per_rule = 500
    for index in range(0, terms, per_rule):
        chunk = [word() for _ in range(min(per_rule, terms - index))]
        rules.append(("lexicon", chunk, f"这里写着{chunk[0]}。"))
    for index in range(0, patterns, 20):
        pairs = [(word(), word()) for _ in range(min(20, patterns - index))]
        chunk = [f"{first}[^。,]{{0,{rng.randint(2, 8)}}}?{second}" for first, second in pairs]
        rules.append(("pattern", chunk, f"这里写着{pairs[0][0]}{pairs[0][1]}。"))
    lines = ["pack: synthetic", "description: synthetic vocabulary for the scaling benchmark", "rules:"]
    for number, (kind, strings, example) in enumerate(rules):
        lines += [
            f"  - id: synthetic.r{number:04d}",
            "    category: overclaim",
            "    severity: info",
            "    message: synthetic",
            "    suggestion: synthetic",
            "    basis: synthetic",
            f"    kind: {kind}",
            f"    {'terms' if kind == 'lexicon' else 'patterns'}: {json.dumps(strings, ensure_ascii=False)}",
            f"    examples: {{flag: [{json.dumps(example, ensure_ascii=False)}], pass: [今天天气很好。]}}",
        ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "synthetic.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def articles(megabytes: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        size, count = _articles(folder, megabytes)
        # per core: one process (`--jobs 1`); then the wall-clock time of the default, one worker per core
        exe = [sys.executable, "-m", "lint.app.cli", "check", "--format", "json", "--fail-on", "never"]
        alone = [*exe, "--jobs", "1"]
        _timed([*alone, str(folder)])
        core = min(_cpu([*alone, "--select", CORE, str(folder)]) for _ in range(2))
        full = min(_cpu([*alone, str(folder)]) for _ in range(2))
        one_wall = min(_timed([*alone, str(folder)]) for _ in range(2))
        shared_wall = min(_timed([*exe, str(folder)]) for _ in range(2))
    print(f"{count} articles, {size:.2f} MB")
    print(f"core rules (lexicon/pattern/document): {core:.2f} s CPU  ({size / core:.3f} MB/s per core)")
    print(f"all rules (+claims, evidence, spin):   {full:.2f} s CPU  ({size / full:.3f} MB/s per core)")
    print(
        f"all rules, wall clock: {one_wall:.2f} s in one process, {shared_wall:.2f} s with one worker per core "
        f"({len(os.sched_getaffinity(0))} cores: {one_wall / shared_wall:.2f}x)"
    )


def _articles(folder: Path, megabytes: float, seed: int = 20261202) -> tuple[float, int]:
    """About `megabytes` of synthetic articles, one file each (no article meets a per-document budget); returns
    the size in MB and the number of articles."""
    folder.mkdir(parents=True, exist_ok=True)
    written = count = 0
    for count, article in enumerate(_synthetic_articles(megabytes, seed), 1):
        (folder / f"a{count - 1:05d}.txt").write_text(article, encoding="utf-8")
        written += len(article.encode("utf-8"))
    return written / 1024 / 1024, count


def vocab(megabytes: float) -> None:
    terms, patterns = _shipped_vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles"
        size, _ = _articles(path, megabytes)
        exe = [sys.executable, "-m", "lint.app.cli", "check", "--format", "json", "--fail-on", "never", "--jobs", "1"]
        exe.append(str(path))
        _timed(exe)
        base = min(_cpu(exe) for _ in range(3))
        print(f"{size:.1f} MB; shipped vocabulary: {len(terms)} terms, {patterns} patterns: {base:.2f} s CPU")
        for factor in (2, 10):
            folder = Path(tmp) / f"x{factor}"
            synthetic_vocabulary(folder, len(terms) * (factor - 1), patterns * (factor - 1))
            scaled = min(_cpu([*exe, "--rules", str(folder)]) for _ in range(3))
            print(f"{factor}x the terms and patterns: {scaled:.2f} s CPU ({scaled / base:.2f}x)")


def textlint(megabytes: float) -> None:
    tools = Path(os.environ.get("HEALTHLINT_BENCH_NODE", Path.home() / ".cache" / "healthlint-bench" / "textlint"))
    binary = tools / "node_modules" / ".bin" / "textlint"
    npm = shutil.which("npm")
    if shutil.which("node") is None:
        print("textlint comparison skipped: Node.js (node) is not installed")
        return
    if not binary.exists():
        if npm is None:
            print(f"textlint comparison skipped: npm is not installed (it installs textlint and prh into {tools})")
            return
        tools.mkdir(parents=True, exist_ok=True)
        installed = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(tools), "textlint@14", "textlint-rule-prh@6"],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if installed.returncode != 0 or not binary.exists():
            print("textlint comparison skipped: npm could not install textlint and textlint-rule-prh")
            return
    terms, _ = _shipped_vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "archive.txt"
        size = _bigfile(path, megabytes)
        prh = ["version: 1", "rules:"]
        prh += [
            f"  - expected: {json.dumps('[' + term + ']', ensure_ascii=False)}\n    pattern: {json.dumps(_js_regex(term), ensure_ascii=False)}"
            for term in terms
        ]
        (folder / "prh.yml").write_text("\n".join(prh) + "\n", encoding="utf-8")
        (folder / ".textlintrc.json").write_text(
            json.dumps({"rules": {"prh": {"rulePaths": [str(folder / "prh.yml")]}}})
        )
        node = [str(binary), "--config", str(folder / ".textlintrc.json"), "--format", "json", str(path)]
        full = [sys.executable, "-m", "lint.app.cli", "check", "--format", "json", "--fail-on", "never", str(path)]
        lexicon = [*full, "--select", CORE]
        _timed(full)
        times = {
            name: min(_cpu(args, cwd=folder) for _ in range(3))
            for name, args in (("textlint", node), ("full", full), ("core", lexicon))
        }
    print(f"{size:.1f} MB, {len(terms)} lexicon terms as prh rules; CPU seconds, least of 3 runs; load {_load()}")
    print(f"textlint + prh (lexicon only): {times['textlint']:.2f} s")
    for name, label in (("full", "healthlint full pipeline:     "), ("core", "healthlint core rules:        ")):
        print(f"{label} {times[name]:.2f} s  ({times['textlint'] / times[name]:.2f}x textlint's speed)")


_JS_SYNTAX = frozenset("\\^$.*+?()[]{}|/")


def _js_regex(term: str) -> str:
    """`term` as a prh regular expression (`/…/`) matching it literally: prh escapes a plain string pattern into
    one its Unicode-mode regex refuses (`adas\\-cog`), so the bench escapes only what JavaScript's syntax needs."""
    return "/" + "".join("\\" + ch if ch in _JS_SYNTAX else ch for ch in term) + "/"


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


def _scan_with_rss(args: list[str]) -> tuple[float, float, float, dict[int, float]]:
    """Run a scan; return its wall-clock and CPU seconds (workers included), the main process's peak RSS and
    each worker's (MB), sampled from /proc."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(args)}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu, main_peak, workers


def archive(count: int, jobs: int, uncached: bool = True, select: str | None = None) -> None:
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
            *(["--select", select] if select else []),
        ]
        # the segmenter table and pattern analyses are built once per cache directory: not part of any scan
        _timed(
            [sys.executable, "-m", "lint.app.cli", "check", "--fail-on", "never", str(sorted(SEEDS.glob("*.txt"))[0])]
        )
        rules = f"rules {select}" if select else "all rules"
        print(f"archive: {count} articles, {size:.1f} MB, {jobs} worker(s), {rules}; load {_load()}", flush=True)
        runs = [("scan that fills the cache", exe), ("re-scan, nothing changed", exe)]
        if uncached:
            runs.insert(0, ("full scan, no cache", [*exe, "--no-cache"]))
        for name, args in runs:
            elapsed, cpu, main_peak, workers = _scan_with_rss(args)
            per_worker = ", ".join(f"{peak:.0f}" for peak in sorted(workers.values(), reverse=True)) or "none"
            print(
                f"{name + ':':27} {elapsed:7.1f} s, {cpu:7.1f} s CPU ({size / cpu:.3f} MB/s, {count / cpu:.1f} "
                f"articles/s per CPU s); peak RSS main {main_peak:.0f} MB, per worker {per_worker} MB; "
                f"load {_load()}",
                flush=True,
            )


# adversarial searches for the step bound: each text makes the pattern fail after trying much of what it may
STEP_CASES = (
    (r"[a-z]*[a-z]*!", "a" * 60 + "1!"),
    (r"[a-z]+!", "a" * 1000 + "1!"),
    (r"[a-z]{0,20}[a-z]{0,20}!", "a" * 2000 + "1!"),
    (r"(?:[a-z]|[a-y]){0,6}!", "a" * 1000 + "1!"),
    (r"(?:a|aa){0,10}!", "a" * 600 + "1!"),
    (r"(?:a|ab|abc){0,8}!", "abc" * 300 + "1!"),
    (r"\s*\d+\s*例", " 12 " * 400 + "名例"),
    (r"(?:的)?(?:研究|试验)[^。]{0,30}?\d+\s*例", "的研究" * 200 + "3名例"),
    (r"(?<![a-z])[a-z]{0,8}?(?:ab|ba|aa)?!", "a" * 3000 + "1!"),
    (r"\[\d{1,3}(?:\s*[-–,]\s*\d{1,3})*\]", "[" + "1, " * 100 + "x"),
    (r"[。!?]+[”」]*", "。" * 3000),
)


def stepbound() -> None:
    import regex

    from lint.core import prefilter, regex_safety

    worst = 0.0
    for source, text in STEP_CASES:
        tree = prefilter.bound_tree(source, 0)
        steps = regex_safety._steps(tree, len(text), False) if tree is not None else 0
        compiled = regex.compile(source)
        best = min(_search_time(compiled, text) for _ in range(5))
        per_step = best * 1e9 / steps if steps else float("inf")
        worst = max(worst, per_step)
        print(
            f"{source[:44]:44s} width {len(text):5d}  bound {steps:10.3g} steps  {best * 1e3:8.3f} ms  {per_step:.4f} ns/step"
        )
    print(f"worst: {worst:.4f} ns of matching per bound step")


def _search_time(compiled: object, text: str) -> float:
    started = time.perf_counter()
    list(compiled.finditer(text))  # type: ignore[attr-defined]
    return time.perf_counter() - started


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    big = sub.add_parser("bigfile")
    big.add_argument("--mb", type=float, default=10.0)
    sub.add_parser("coldstart")
    sub.add_parser("stepbound")
    for name in ("articles", "vocab", "textlint"):
        sub.add_parser(name).add_argument("--mb", type=float, default=1.0)
    scan_parser = sub.add_parser("archive")
    scan_parser.add_argument("--n", type=int, default=2000)
    scan_parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    scan_parser.add_argument("--skip-uncached", action="store_true", help="Leave out the scan without cache.")
    scan_parser.add_argument("--select", help=f"Only these rules (e.g. the core ones, {CORE}).")
    args = parser.parse_args()
    if args.command == "bigfile":
        bigfile(args.mb)
    elif args.command == "archive":
        archive(args.n, args.jobs, not args.skip_uncached, args.select)
    elif args.command == "articles":
        articles(args.mb)
    elif args.command == "vocab":
        vocab(args.mb)
    elif args.command == "textlint":
        textlint(args.mb)
    elif args.command == "stepbound":
        stepbound()
    else:
        coldstart()


if __name__ == "__main__":
    main()
