"""HTML reports: rendering units (spans, overlaps, headings, escaping, labels, determinism), the dashboard, and an
end-to-end browser test of a report page."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from lint import lint
from lint.app.runner import Setup, check_file
from lint.core.finding import Finding, Related, Severity
from lint.formatters.html import (
    article_title,
    pieces,
    render_article,
    render_dashboard,
    render_index,
    risk_score,
    write_html_report,
)
from lint.formatters.report import FileReport
from lint.io.labels import LANGUAGES, SECTIONS, load_labels
from lint.io.language import default_language
from lint.io.rulepack import default_rule_set
from lint.kernel.engine import LintConfig

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


TRIAL = (
    "膝关节注射治疗的新进展\n\n"
    "临床研究：《富血小板血浆治疗膝骨关节炎的随机双盲安慰剂对照试验》\n"
    "2022年，一项随机双盲安慰剂对照试验纳入120名膝骨关节炎患者。\n"
    "结果：治疗组疼痛缓解率为41%，安慰剂组疼痛缓解率为47%。\n"
    "总结：所有研究都成功地证明富血小板血浆显著改善膝关节疼痛。\n"
)


def _file_report(tmp_path: Path, text: str, name: str = "a.txt") -> FileReport:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check_file(path, Setup(LintConfig(rules=default_rule_set()), (default_language(),)))


def _visible_text(page: str) -> str:
    """The page's text outside tags, scripts and styles: what a reader sees."""
    import regex

    page = regex.sub(r"(?s)<(script|style)\b.*?</\1>", "", page)
    return regex.sub(r"<[^>]+>", " ", page)


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


def test_pieces_mark_related_evidence_and_headings() -> None:
    text = "标题行\n结果75%对83%。结论有效。"
    found = [_finding(14, 16, related=(Related("result", 6, 9, "75%"),))]
    cut = pieces(text, found, [(0, 3)])
    assert [(p.text, p.related) for p in cut if p.related] == [("75%", ("f0r0",))]
    assert [p.text for p in cut if p.heading] == ["标题行"]


def test_article_text_is_escaped_and_template_syntax_is_inert() -> None:
    page = render_article(_report(HOSTILE))
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    assert 'href="javascript:' not in page
    assert "{{ 7 * 7 }}" in page and "{% if true %}" in page
    assert page.count('data-finding-id="') == len(lint(HOSTILE))
    import regex

    assert not regex.search(r"<[a-z][^>]*\s(?:style|on[a-z]+)=", page)


def test_json_payload_cannot_close_its_script_tag() -> None:
    text = "干细胞可以根治</script><script>alert(1)</script>狼疮。"
    page = render_article(_report(text))
    payload = page.split('id="findings-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in payload and json.loads(payload)[1]["text"] == "根治"


def test_the_policy_allows_only_the_page_own_script_and_style() -> None:
    page = render_article(_report(HOSTILE))
    import html

    policy = html.unescape(page.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0])
    script = page.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = lambda s: base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()  # noqa: E731
    assert f"script-src 'sha256-{digest(script)}'" in policy
    assert f"style-src 'sha256-{digest(style)}'" in policy
    assert "unsafe-inline" not in policy and "default-src 'none'" in policy


def test_empty_article_and_no_findings() -> None:
    empty = render_article(FileReport("empty.txt", (), None, ""))
    assert 'data-finding-id="' not in empty and "未发现问题" in empty
    clean = render_article(FileReport("ok.txt", (), None, "今天天气很好。"))
    assert "今天天气很好。" in clean and 'class="hl' not in clean


def test_full_title_from_the_first_heading(tmp_path: Path) -> None:
    long = "干细胞与再生医学：从实验室到临床，这些年我们到底走了多远，又还有哪些问题没有答案（上篇）"
    report = _file_report(tmp_path, f"\n{long}\n\n正文第一段讲述研究的背景。\n")
    assert article_title(report) == long
    page = render_article(report)
    assert f"<h1>{long}</h1>" in page
    assert f'<span class="hd">{long}</span>' in page
    markdown = _file_report(tmp_path, "---\ntitle: x\n---\n\n## 关节保养\n\n正文。\n", "b.md")
    assert article_title(markdown) == "关节保养"


def test_chinese_pages_show_no_internal_english(tmp_path: Path) -> None:
    report = _file_report(tmp_path, TRIAL + "\n某医院宣称：干细胞可以根治关节炎，无副作用。\n")
    page = render_article(report, "zh")
    seen = _visible_text(page)
    for internal in (
        "weak study",
        "phase_i",
        "case_series",
        "(warning)",
        "warning",
        "error",
        *{f.rule for f in report.findings},
    ):
        assert internal not in seen, internal
    data = json.loads(page.split('id="findings-data">', 1)[1].split("</script>", 1)[0])
    shown = {key: f[key] for f in data for key in ("rule_name", "category_name", "severity_name")}
    assert all(not value.isascii() for value in shown.values())
    roles = {r["role"] for f in data for r in f["related"]}
    assert roles and all(not role.isascii() for role in roles)
    assert "可在文末加上免责声明" in page and "不构成诊断或治疗建议" in page
    assert "图例" in page and "点状下划线" in page


def test_english_ui_and_risk_score() -> None:
    report = _report("干细胞可以根治红斑狼疮，是患者的福音。")
    page = render_article(report, "en")
    assert "Compliance report" in page and "Legend" in page and "Cure or reversal claim" in page
    data = json.loads(page.split('id="findings-data">', 1)[1].split("</script>", 1)[0])
    assert {f["severity_name"] for f in data} <= {"error", "warning", "info"}
    assert all(f["rule_name"].isascii() and f["category_name"].isascii() for f in data)
    assert risk_score(report.findings) == sum(
        {"error": 10, "warning": 3, "info": 1}[f.severity.label] for f in report.findings
    )


def test_label_files_agree_and_name_every_shipped_rule_and_category() -> None:
    zh, en = (load_labels(lang) for lang in LANGUAGES)
    for section in SECTIONS:
        assert set(getattr(zh, section)) == set(getattr(en, section)), section
    rules = default_rule_set()
    assert {rule.id for rule in rules} <= set(zh.rule)
    assert {rule.category for rule in rules} <= set(zh.category)
    assert zh.rule_name("house.custom-rule") == "house.custom-rule"


def test_report_is_deterministic_and_lists_unreadable_files(tmp_path: Path) -> None:
    reports = [_report(HOSTILE), FileReport("broken.bin", error="binary file (contains NUL bytes)")]
    first = write_html_report(reports, tmp_path / "one")
    second = write_html_report(reports, tmp_path / "two")
    assert [p.name for p in first] == ["a.txt.html", "index.html"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    index = (tmp_path / "one" / "index.html").read_text(encoding="utf-8")
    assert "broken.bin" in index and "binary file (contains NUL bytes)" in index
    rows = json.loads(index.split('id="rows-data">', 1)[1].split("</script>", 1)[0])
    assert rows[0][:3] == ["a.txt", "标题<script>window.__pwned = 1</script>", "a.txt.html"]
    assert "<svg" in index
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["a.txt.html", "index.html"]


def test_dashboard_sorts_by_risk_and_names_rules_in_the_ui_language() -> None:
    reports = [_report("干细胞是患者的福音。"), _report("干细胞可以根治狼疮，无副作用。"), _report("今天天气很好。")]
    index = render_index(reports, ["x.html", "y.html", "z.html"])
    rows = json.loads(index.split('id="rows-data">', 1)[1].split("</script>", 1)[0])
    assert [row[2] for row in rows] == ["y.html", "x.html", "z.html"]
    assert [row[6] for row in rows] == sorted((row[6] for row in rows), reverse=True)
    assert 'aria-sort="descending"' in index and "▼" in index
    assert "炒作用语" in index and "治愈或逆转的断言" in index
    assert "overclaim.hype-term" not in _visible_text(index)


def test_dashboard_of_many_articles_carries_rows_as_data_not_markup() -> None:
    rows = [
        {
            "path": f"a/{i}.txt",
            "title": f"第{i}篇",
            "page": f"{i}.html",
            "error": i % 3,
            "warning": 1,
            "info": 0,
            "risk": 10 * (i % 3) + 3,
        }
        for i in range(5000)
    ]
    index = render_dashboard(rows, {"overclaim.hype-term": 5000}, {"overclaim": 5000}, [])
    assert index.count("<tr>") < 20
    data = json.loads(index.split('id="rows-data">', 1)[1].split("</script>", 1)[0])
    assert len(data) == 5000 and data[0][6] == 23


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"), reason="no Chromium here (CI installs it)")
def test_report_in_a_real_browser(tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    report = _file_report(tmp_path, HOSTILE + "\n" + TRIAL)
    page_path = write_html_report([report], tmp_path / "out")[0]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs: list[str] = []
        errors: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri())
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("[data-finding-id]").count() == len(report.findings)
        assert page.locator("#margin .comment").count() == len(report.findings)
        assert "{{ 7 * 7 }}" in page.locator("#text").inner_text()

        first = next(i for i, f in enumerate(report.findings) if f.end > f.start)
        mark = page.locator(f'#text .hl[data-findings~="{first}"]').first
        mark.click()
        card = page.locator("#margin .comment.open")
        assert report.findings[first].message in card.inner_text()
        text_box, card_box = page.locator("#text").bounding_box(), card.bounding_box()
        assert text_box and card_box and card_box["x"] >= text_box["x"] + text_box["width"]

        spin = next(i for i, f in enumerate(report.findings) if f.category == "spin")
        page.locator(f'[data-open="{spin}"]').click()
        opened = page.locator("#margin .comment.open")
        assert load_labels("zh").ui["verdict_negative"] in opened.locator("dd.verdict").first.inner_text()
        assert opened.locator(".figure-list li").all_inner_texts() == [
            "治疗组疼痛缓解率为41%",
            "安慰剂组疼痛缓解率为47%",
        ]
        page.locator("#margin .comment.open .jump").first.click()
        assert page.locator(".flash").count() >= 1
        assert "%" in page.locator(".flash").first.inner_text()

        page.locator('input[data-filter="category"][value="cure_or_guarantee"]').uncheck()
        for i, f in enumerate(report.findings):
            if f.category == "cure_or_guarantee":
                assert not page.locator(f'[data-finding-item="{i}"]').is_visible()
                assert not page.locator(f'#margin .comment[data-finding="{i}"]').is_visible()
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        assert page.evaluate("window.__pwned === undefined") and dialogs == [] and errors == []

        page.locator("header a").click()
        page.wait_for_selector("body[data-ready]", state="attached")
        assert page.locator("#articles tbody tr a").first.get_attribute("href") == page_path.name
        line = page.locator("#articles tbody td.num").first.bounding_box()
        for k in range(page.locator("#articles th.num").count()):
            header = page.locator("#articles th.num").nth(k).bounding_box()
            assert line and header and header["height"] <= line["height"] + 2
        assert page.locator('#articles th[aria-sort="descending"] .arrow').inner_text() == "▼"
        assert errors == []
        browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_a_long_first_paragraph_is_titled_by_its_first_clauses() -> None:
    text = "导语：近年来，越来越多的诊所开始提供富血小板血浆注射，宣称它能缓解膝关节疼痛、促进软骨修复并延缓关节退变，这引起了广泛关注。后文继续。"
    title = article_title(FileReport("a.txt", text=text))
    assert (
        title
        == "导语：近年来，越来越多的诊所开始提供富血小板血浆注射，宣称它能缓解膝关节疼痛、促进软骨修复并延缓关节退变…"
    )
    assert article_title(FileReport("b.txt", text="第一句不长。第二句。")) == "第一句不长。第二句。"
    assert article_title(FileReport("c.md", text="# 标题 #\n")) == "标题"
    assert article_title(FileReport("d.txt", text=" \n")) == "d.txt"


def test_rule_pack_strings_and_file_names_are_escaped() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    finding = Finding(
        f"house.{hostile}",
        "overclaim",
        Severity.WARNING,
        0,
        2,
        1,
        1,
        1,
        3,
        "神药",
        hostile,
        hostile,
        hostile,
        (Related(hostile, 0, 2, hostile),),
        hostile,
    )
    report = FileReport(f"{hostile}.txt", (finding,), None, "神药有效。", hostile, (hostile,))
    for page in (render_article(report), render_index([report], [f"{hostile}.html"])):
        assert "<img" not in page
        assert "&lt;img src=x onerror=" in page or "\\u003cimg src=x onerror=" in page
