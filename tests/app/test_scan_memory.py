"""`scan` stays flat in memory: what it keeps per article goes to spool files and is streamed into the outputs,
for a first scan and for a re-scan served from the cache alike, and a re-scan writes what the first scan wrote."""

import gc
import json
import os
import random
import subprocess
import sys
import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from lint.app.scan import ScanSettings, lint_article, local_runner, scan
from lint.app.scan import summary as spool
from lint.app.scan.summary import ScanSummary, spooled_sort
from lint.app.scan.window import Item
from lint.io.archive import Article

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ScanSettings(select=("absolute_term",), article_timeout=None)
OUTPUTS = ("findings.jsonl", "findings.sarif", "summary.json", "index.html")
TEXTS = (
    "这款净水器是同类中最好的产品。\n",
    "本店的床垫全国销量第一，睡眠问题一扫而空。\n",
    "每天散步半小时，有益心情。\n",
)


def _articles(count: int) -> Iterator[Article]:
    """Long ids, one article in three unreadable, the rest with absolute terms or none: every kind of state the
    scan could keep per article (rows, errors, SARIF notifications, dashboard rows) is there."""
    for index in range(count):
        identifier = f"site/{'section-' * 12}{index:06d}.txt"
        if index % 3 == 0:
            yield Article(identifier, error=f"cannot read file: {'permission denied ' * 6}{index}")
        else:
            yield Article(identifier, title=f"评测 {index}", text=TEXTS[index % len(TEXTS)])


def _memo_runner(items: Iterable[Item]) -> Iterator[dict[str, object]]:
    """The in-process runner with each distinct text linted once: the scan's own cost and memory, not the
    kernel's, are what grows with the archive."""
    for item in items:
        if not isinstance(item, Article) or item.error:
            yield lint_article(SETTINGS, item) if isinstance(item, Article) else item
            continue
        if item.text not in _LINTED:
            _LINTED[item.text] = lint_article(SETTINGS, item)
        known = _LINTED[item.text]
        yield {**known, "id": item.id, "title": item.title, "findings": list(known["findings"])}  # type: ignore[call-overload]


_LINTED: dict[str | None, dict[str, object]] = {}


def _peaks(count: int, tmp_path: Path) -> tuple[int, int]:
    """The tracemalloc peaks (bytes) of a scan of `count` articles that fills the cache, and of the re-scan."""
    cache = tmp_path / f"cache-{count}.sqlite"
    peaks = []
    for run in ("first", "again"):
        gc.collect()  # the garbage of the previous run is not this one's
        tracemalloc.start()
        try:
            scan(_articles(count), SETTINGS, tmp_path / f"{run}-{count}", _memo_runner, cache, dashboard="en").close()
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    summary = json.loads((tmp_path / f"again-{count}" / "summary.json").read_text(encoding="utf-8"))
    assert summary["articles_total"] == count and summary["articles_from_cache"] == count - (count + 2) // 3
    assert summary["articles_with_errors"] == (count + 2) // 3
    return peaks[0], peaks[1]


def _measure(tmp: Path) -> list[tuple[int, int]]:
    """The peaks of a warm-up scan, then of 500 and of 2000 articles, with small sort runs so that both sizes
    have several (the dashboard's rows are sorted in runs of RUN_LENGTH, FAN_IN of a size merged at once)."""
    spool.RUN_LENGTH, spool.FAN_IN = 20, 2
    _peaks(60, tmp)  # rule tables, lazily compiled patterns and templates are built once
    return [_peaks(500, tmp), _peaks(2000, tmp)]


def test_retained_memory_does_not_grow_with_the_archive(tmp_path: Path) -> None:
    # in a fresh interpreter: what earlier tests left allocated is not the scan's
    probe = subprocess.run(
        [sys.executable, __file__, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    small, large = json.loads(probe.stdout)
    for name, before, after in zip(("first scan", "no-change re-scan"), small, large, strict=True):
        # 4x the articles: state kept per article would make the peak about 4x; the flat scan's is its window
        assert after < 1.5 * before, (
            f"{name}: peak {before / 1e6:.2f} MB for 500 articles, {after / 1e6:.2f} MB for 2000"
        )


def test_a_rescan_from_the_cache_writes_what_the_first_scan_wrote(tmp_path: Path) -> None:
    articles = [*_articles(30), Article("english.txt", text="This tonic is the best in the world.\n")]
    runner = local_runner(SETTINGS, 1)
    cache = tmp_path / "cache.sqlite"
    first = scan(iter(articles), SETTINGS, tmp_path / "first", runner, cache, dashboard="zh")
    again = scan(iter(articles), SETTINGS, tmp_path / "again", runner, cache, dashboard="zh")
    uncached = scan(iter(articles), SETTINGS, tmp_path / "uncached", runner, None, dashboard="zh")
    assert first.cached == uncached.cached == 0 and again.cached == 20
    assert first.problem_count == again.problem_count == 1
    for name in OUTPUTS:
        texts = {run: (tmp_path / run / name).read_text(encoding="utf-8") for run in ("first", "again", "uncached")}
        if name == "summary.json":
            texts["again"] = texts["again"].replace('"articles_from_cache": 20,', '"articles_from_cache": 0,', 1)
        assert texts["first"] == texts["again"] == texts["uncached"], name
    assert '"articles_from_cache": 20,' in (tmp_path / "again" / "summary.json").read_text(encoding="utf-8")


def test_the_summary_file_is_the_indented_json_of_the_totals_with_rows_one_a_line(tmp_path: Path) -> None:
    summary = ScanSummary()
    results = [
        {"id": "ok", "error": None, "counts": {"severity": {"warning": 2}, "rule": {"r": 2}, "category": {"c": 2}}},
        {"id": "bad", "error": "malformed JSON", "counts": {"severity": {}, "rule": {}, "category": {}}},
        {
            "id": "slow",
            "error": None,
            "problems": ["rule r: timed out", "uncovered"],
            "counts": {"severity": {}, "rule": {}, "category": {}},
        },
    ]
    for result in results:
        summary.add(result, cached=False)
    path = tmp_path / "summary.json"
    with path.open("w", encoding="utf-8") as out:
        summary.write(out)
    text = path.read_text(encoding="utf-8")
    head, rows = text.split(',\n  "articles": [\n', 1)
    assert head + "\n}" == json.dumps(summary.totals(), ensure_ascii=False, indent=2)
    assert [json.loads(line.rstrip(",")) for line in rows.splitlines()[:-2]] == list(summary.articles())
    assert json.loads(text)["problems"] == [
        {"id": "slow", "problem": "rule r: timed out"},
        {"id": "slow", "problem": "uncovered"},
    ]
    assert list(summary.errors) == [{"id": "bad", "error": "malformed JSON"}]


def test_a_summary_is_readable_while_rows_are_still_added() -> None:
    summary = ScanSummary()
    empty = {"severity": {}, "rule": {}, "category": {}}
    summary.add({"id": "a", "error": None, "counts": empty}, cached=False)
    reading = summary.articles()
    assert next(reading)["id"] == "a"
    summary.add({"id": "b", "error": "unreadable", "counts": empty}, cached=True)
    assert [row["id"] for row in summary.articles()] == ["a", "b"]
    assert [entry["id"] for entry in summary.errors] == ["b"] and summary.cached == 1


@pytest.mark.parametrize(("run", "fan_in"), [(1, 2), (3, 2), (7, 3), (2, 5), (1000, 16)])
def test_a_spooled_sort_is_a_stable_sort_in_runs(run: int, fan_in: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool, "RUN_LENGTH", run)
    monkeypatch.setattr(spool, "FAN_IN", fan_in)
    rng = random.Random(run)
    items = [[rng.randrange(5), f"t{index}", rng.choice([None, "页"])] for index in range(60)]
    ranked = list(spooled_sort(iter(items), key=lambda item: -item[0]))
    assert ranked == sorted(items, key=lambda item: -item[0])


def test_the_dashboard_sorted_in_spooled_runs_is_the_one_sorted_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = list(_articles(40))
    runner = local_runner(SETTINGS, 1)
    scan(iter(articles), SETTINGS, tmp_path / "whole", runner, None, dashboard="zh")
    monkeypatch.setattr(spool, "RUN_LENGTH", 4)
    scan(iter(articles), SETTINGS, tmp_path / "runs", runner, None, dashboard="zh")
    whole, runs = ((tmp_path / run / "index.html").read_text(encoding="utf-8") for run in ("whole", "runs"))
    assert whole == runs and whole.count('"评测 ') == 26


if __name__ == "__main__":
    print(json.dumps(_measure(Path(sys.argv[1]))))
