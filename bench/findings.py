"""Findings and tokens as a comparable dump, to show that a change leaves results exactly as they were.

    python bench/findings.py dump OUT.json [DIR ...] [--synthetic N]
    python bench/findings.py compare BEFORE.json AFTER.json
    python bench/findings.py tokens [DIR ...]

`dump` lints every article file under the given directories (default: `seeds/` and `tests/fixtures/`) with the
shipped rules, and `N` synthetic articles (seed paragraphs recombined, as in `bench.py`, plus the same articles
with evasion gaps and Traditional script), and writes every finding (rule, span, text, message, suggestion,
fix, related spans), every problem and every error, keyed by file. `compare` prints what differs between two
dumps and exits 1 when anything does. Run `dump` on the parent commit and on the change, then `compare`.

`tokens` compares the compiled segmenter's words with the pure-Python route's on every sentence of every file
(exit 1 on any difference).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench import paragraphs, synthetic_article  # noqa: E402

DEFAULT_DIRS = (ROOT / "seeds", ROOT / "tests" / "fixtures")


def synthetic_texts(count: int) -> dict[str, str]:
    """`count` synthetic articles, then variants of some of them: evasion gaps between Han characters, and
    Traditional characters, which exercise the match view's map back and the folding."""
    rng = random.Random(20261201)
    pool = paragraphs()
    texts: dict[str, str] = {}
    for index in range(count):
        texts[f"synthetic/{index:04d}.txt"] = synthetic_article(rng, pool, rng.choice((800, 3000, 9000)))
    for index, (name, text) in enumerate(list(texts.items())[: max(1, count // 10)]):
        gapped = "".join(ch + (" " if rng.random() < 0.05 and "\u4e00" <= ch <= "\u9fff" else "") for ch in text)
        texts[name.replace(".txt", "-gaps.txt")] = gapped
        texts[name.replace(".txt", "-trad.txt")] = text.translate(_TRADITIONAL) if index % 2 == 0 else gapped
    return texts


_TRADITIONAL = str.maketrans("干细胞疗治愈无副作用险证实显著改善肾脏", "幹細胞療治癒無副作用險證實顯著改善腎臟")


def _files(dirs: list[Path]) -> list[Path]:
    from lint.app.runner import collect_paths

    return collect_paths([str(d) for d in dirs])


def _finding(finding: object) -> dict[str, object]:
    from dataclasses import asdict

    data = asdict(finding)  # type: ignore[call-overload]
    data["severity"] = str(data["severity"])
    return data


def dump(out: Path, dirs: list[Path], count: int) -> None:
    from lint.app.runner import Options, check_file, plan
    from lint.core.document import Document
    from lint.io.language import default_language
    from lint.io.rulepack import default_rule_set
    from lint.kernel.engine import LintConfig, check_document

    results: dict[str, object] = {}
    for setup, group in plan(_files(dirs), Options()):
        for path in group:
            report = check_file(path, setup)
            results[str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)] = {
                "error": report.error,
                "problems": list(report.problems),
                "findings": [_finding(f) for f in report.findings],
            }
    config = LintConfig(rules=default_rule_set())
    language = default_language()
    for name, text in synthetic_texts(count).items():
        result = check_document(Document(text, language=language), config)
        results[name] = {
            "error": None,
            "problems": list(result.problems),
            "findings": [_finding(f) for f in result.findings],
        }
    out.write_text(json.dumps(results, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    total = sum(len(r["findings"]) for r in results.values())  # type: ignore[index,arg-type]
    print(f"{len(results)} texts, {total} findings -> {out}")


def compare(before: Path, after: Path) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    differences = 0
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            continue
        differences += 1
        print(f"--- {name}")
        if name not in old or name not in new:
            print("    only in", "after" if name not in old else "before")
            continue
        for key in ("error", "problems"):
            if old[name][key] != new[name][key]:
                print(f"    {key}: {old[name][key]!r} -> {new[name][key]!r}")
        was = {json.dumps(f, sort_keys=True, ensure_ascii=False) for f in old[name]["findings"]}
        now = {json.dumps(f, sort_keys=True, ensure_ascii=False) for f in new[name]["findings"]}
        for gone in sorted(was - now):
            print("    - " + gone[:300])
        for added in sorted(now - was):
            print("    + " + added[:300])
        if was == now:
            print("    same findings in another order")
    findings = sum(len(entry["findings"]) for entry in old.values())
    print(f"{len(set(old) | set(new))} texts ({findings} findings before): {differences} differ")
    return 1 if differences else 0


def tokens(dirs: list[Path]) -> int:
    from lint.analysis.segment import Segmenter
    from lint.core.document import Document
    from lint.io.language import default_language
    from lint.io.sources import read_source

    language = default_language()
    table = language.segmenter.load()  # type: ignore[attr-defined]
    python, compiled = Segmenter(table.frequencies, table.total), Segmenter(table.frequencies, table.total, 0)
    if not compiled.compile():
        print("no compiled segmenter here (rjieba is not installed)")
        return 0

    texts = {str(path): read_source(path).text for path in _files(dirs)}
    texts.update(synthetic_texts(200))
    pieces = words = differences = 0
    for name, text in texts.items():
        doc = Document(text, language=language)
        for sentence in doc.sentences:
            piece = doc.folded[sentence.start : sentence.end]
            expected, got = list(python.cut(piece)), list(compiled.cut(piece))
            pieces += 1
            words += len(expected)
            if expected != got:
                differences += 1
                print(f"{name}: {piece!r}\n  python:   {expected}\n  compiled: {got}")
    print(f"{len(texts)} texts, {pieces} sentences, {words} words: {differences} sentences differ")
    return 1 if differences else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    dumping = sub.add_parser("dump")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("dirs", nargs="*", type=Path)
    dumping.add_argument("--synthetic", type=int, default=300)
    comparing = sub.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    tokenizing = sub.add_parser("tokens")
    tokenizing.add_argument("dirs", nargs="*", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, [*DEFAULT_DIRS, *args.dirs], args.synthetic)
    elif args.command == "compare":
        raise SystemExit(compare(args.before, args.after))
    else:
        raise SystemExit(tokens([*DEFAULT_DIRS, *args.dirs]))


if __name__ == "__main__":
    main()
