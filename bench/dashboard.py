"""Dashboard benchmark (not a test): how fast a dashboard of many articles opens in Chromium.

    python bench/dashboard.py [--articles 20000] [--runs 5]

Builds a dashboard of synthetic rows (deterministic), opens it from disk in headless Chromium (Debian's, through
Playwright) and reports, per run, the time from the start of navigation until the page has rendered its first page
of rows and is ready (`document.body.dataset.ready`), and until the load event. Target: under 2 s for 20,000
articles on a 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lint.core.finding import CATEGORIES  # noqa: E402
from lint.formatters.html import render_dashboard  # noqa: E402
from lint.io.rulepack import default_rule_set  # noqa: E402


def synthetic(count: int) -> tuple[list[dict[str, object]], Counter[str], Counter[str]]:
    """`count` rows with plausible counts, titles and paths, and per-rule and per-category totals."""
    rng = random.Random(20_000)
    rules = [rule.id for rule in default_rule_set()]
    rows: list[dict[str, object]] = []
    per_rule: Counter[str] = Counter()
    per_category: Counter[str] = Counter()
    for i in range(count):
        error, warning, info = rng.randint(0, 6), rng.randint(0, 12), rng.randint(0, 3)
        for _ in range(error + warning + info):
            rule = rng.choice(rules)
            per_rule[rule] += 1
            per_category[rule.split(".", 1)[0] if rule.split(".", 1)[0] in CATEGORIES else "overclaim"] += 1
        rows.append(
            {
                "path": f"archive/{i // 1000:02d}/article-{i:05d}.html",
                "title": f"第{i}篇：干细胞与再生医学的研究进展和临床应用前景（{rng.randint(1, 9)}）",
                "page": f"article-{i:05d}.html",
                "error": error,
                "warning": warning,
                "info": info,
                "risk": 10 * error + 3 * warning + info,
            }
        )
    return rows, per_rule, per_category


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("needs Debian's chromium (apt-get install chromium)")
    rows, per_rule, per_category = synthetic(args.articles)
    started = time.perf_counter()
    page_html = render_dashboard(rows, per_rule, per_category, [])
    rendered = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index.html"
        index.write_text(page_html, encoding="utf-8")
        print(f"{args.articles} articles: index.html {index.stat().st_size / 1e6:.1f} MB, rendered in {rendered:.2f} s")
        ready: list[float] = []
        loaded: list[float] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            for _ in range(args.runs):
                page = browser.new_page(viewport={"width": 1366, "height": 900})
                page.goto(index.as_uri(), wait_until="load")
                page.wait_for_selector("body[data-ready]", state="attached")
                rows_shown = page.locator("#articles tbody tr").count()
                timing = page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return {load: n.loadEventEnd, ready: Number(document.body.dataset.readyAt)}; }"
                )
                ready.append(timing["ready"] / 1000)
                loaded.append(timing["load"] / 1000)
                page.close()
            browser.close()
    print(f"rows in the DOM: {rows_shown}; ready per run: {', '.join(f'{t:.2f}' for t in ready)} s")
    print(f"ready (first page of rows rendered): median {statistics.median(ready):.3f} s, max {max(ready):.3f} s")
    print(f"load event: median {statistics.median(loaded):.3f} s, max {max(loaded):.3f} s")
    print("target: under 2 s —", "met" if max(ready) < 2 and max(loaded) < 2 else "NOT met")


if __name__ == "__main__":
    main()
