"""HTML reports: rendering units (spans, overlaps, escaping, determinism) and an end-to-end browser test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lint import lint
from lint.core.finding import Finding, Related, Severity
from lint.formatters.html import pieces, render_article, render_index, risk_score, write_html_report
from lint.formatters.report import FileReport

HOSTILE = (
    "标题<script>window.__pwned = 1</script>\n"
    '干细胞可以根治红斑狼疮，绝对安全，是患者的福音。<img src=x onerror="window.__pwned = 2">\n'
    '<a href="javascript:window.__pwned = 3">点我</a> {{ 7 * 7 }} {% if true %}x{% endif %}\n'
)


def _finding(
    start: int,
    end: int,
    category: str = "overclaim",
    severity: Severity = Severity.WARNING,
    related: tuple[Related, ...] = (),
) -> Finding:
    return Finding(
        "overclaim.hype-term", category, severity, start, end, 1, start + 1, 1, end + 1, "", "m", "s", "b", related
    )


def _report(text: str) -> FileReport:
    return FileReport("a.txt", tuple(lint(text)), None, text)


def test_pieces_cut_overlaps_and_mark_first_pieces() -> None:
    text = "0123456789"
    found = [_finding(2, 6), _finding(4, 8, "spin", Severity.ERROR)]
    cut = [(p.text, p.findings, p.anchors, p.severity) for p in pieces(text, found)]
    assert cut == [
        ("01", (), (), ""),
        ("23", (0,), (0,), "warning"),
        ("45", (0, 1), (1,), "error"),
        ("67", (1,), (), "error"),
        ("89", (), (), ""),
    ]


def test_pieces_mark_related_evidence() -> None:
    text = "结果75%对83%。结论有效。"
    found = [_finding(10, 12, related=(Related("result", 2, 5, "75%"),))]
    related = [(p.text, p.related) for p in pieces(text, found) if p.related]
    assert related == [("75%", ("f0r0",))]


def test_article_text_is_escaped_and_template_syntax_is_inert() -> None:
    page = render_article(_report(HOSTILE))
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    assert 'href="javascript:' not in page
    assert "{{ 7 * 7 }}" in page and "{% if true %}" in page
    assert page.count('data-finding-id="') == len(lint(HOSTILE))


def test_json_payload_cannot_close_its_script_tag() -> None:
    text = "干细胞可以根治</script><script>alert(1)</script>狼疮。"
    page = render_article(_report(text))
    payload = page.split('id="findings-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in payload


def test_empty_article_and_no_findings() -> None:
    empty = render_article(FileReport("empty.txt", (), None, ""))
    assert 'data-finding-id="' not in empty and "未发现问题" in empty
    clean = render_article(FileReport("ok.txt", (), None, "今天天气很好。"))
    assert "今天天气很好。" in clean and 'class="hl' not in clean


def test_english_ui_and_risk_score() -> None:
    report = _report("干细胞可以根治红斑狼疮，是患者的福音。")
    assert "Compliance report" in render_article(report, "en")
    assert risk_score(report.findings) == sum(
        {"error": 10, "warning": 3, "info": 1}[f.severity.label] for f in report.findings
    )


def test_report_is_deterministic_and_lists_unreadable_files(tmp_path: Path) -> None:
    reports = [_report(HOSTILE), FileReport("broken.bin", error="binary file (contains NUL bytes)")]
    first = write_html_report(reports, tmp_path / "one")
    second = write_html_report(reports, tmp_path / "two")
    assert [p.name for p in first] == ["a.txt.html", "index.html"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    index = (tmp_path / "one" / "index.html").read_text(encoding="utf-8")
    assert "broken.bin" in index and "binary file (contains NUL bytes)" in index
    assert '<a href="a.txt.html">' in index
    assert "<svg" in index


def test_index_totals_per_category() -> None:
    reports = [_report("干细胞是患者的福音。"), _report("干细胞可以根治狼疮。")]
    index = render_index(reports, ["x.html", "y.html"])
    assert index.count("<tr>") >= 2
    assert "overclaim.hype-term" in index and "cure_or_guarantee.cure-term" in index


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"), reason="no Chromium here (CI installs it)")
def test_report_in_a_real_browser(tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    text = (
        HOSTILE
        + "\n临床案例：《干细胞治疗狼疮性肾炎的随机双盲安慰剂对照试验》\n结果：MSC组缓解率75%，安慰剂组缓解率83%。\n总结：所有研究都成功地证明干细胞显著改善SLEDAI。\n"
    )
    report = _report(text)
    write_html_report([report], tmp_path)
    page_path = tmp_path / "a.txt.html"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(page_path.as_uri())
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("[data-finding-id]").count() == len(report.findings)
        assert "{{ 7 * 7 }}" in page.locator("#text").inner_text()

        first = report.findings[[f.end > f.start for f in report.findings].index(True)]
        page.locator(f'#text .hl[data-findings~="{list(report.findings).index(first)}"]').first.click()
        assert page.locator("#detail").is_visible()
        assert first.message in page.locator("#detail .message").all_inner_texts()

        spin = next(i for i, f in enumerate(report.findings) if f.category == "spin")
        page.locator(f'[data-open="{spin}"]').click()
        page.locator("#detail .jump").first.click()
        assert page.locator(".flash").count() >= 1
        assert "75%" in page.locator(".flash").first.inner_text()

        page.locator('input[data-filter="category"][value="overclaim"]').uncheck()
        overclaim = [i for i, f in enumerate(report.findings) if f.category == "overclaim"]
        for i in overclaim:
            assert not page.locator(f'[data-finding-item="{i}"]').is_visible()
            only = page.locator(f'#text .hl[data-findings="{i}"]')
            assert only.count() == 0 or "muted" in (only.first.get_attribute("class") or "")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        assert page.evaluate("window.__pwned === undefined") and dialogs == []
        browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000
