"""`healthlint serve` in a real browser: Debian's Chromium driven by Playwright against a loopback server."""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app.serving import ARTICLE, HOSTILE, running, settings


def _chromium() -> str | None:
    return next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)


pytestmark = pytest.mark.skipif(
    _chromium() is None and not os.environ.get("CI"), reason="no Chromium here (CI installs it)"
)
WAIT_SECONDS = 60
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running(settings(max_bytes=2 * 1024 * 1024)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=_chromium(), args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.dialogs = []
    page.errors = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-checked]", state="attached")
    yield page
    assert page.errors == []
    page.close()


def _checked(page: Any) -> str:
    return page.evaluate("document.body.dataset.checked")


def _wait(page: Any, expression: str, until: Any) -> Any:
    """Poll `expression` until `until(value)` holds (the page's CSP forbids Playwright's own wait_for_function).

    The deadline is generous and in wall-clock time, so a loaded CI machine slows the test rather than failing it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if until(value):
            return value
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out after {WAIT_SECONDS} s waiting for {expression}")


def _wait_checked(page: Any, previous: str) -> None:
    _wait(page, "document.body.dataset.checked", lambda value: value != previous)


def _paste(page: Any, text: str) -> None:
    """Paste `text` into the editor as a user would (a paste event carrying text/plain), and wait for the check."""
    before = _checked(page)
    page.locator("#text").click()
    page.evaluate(
        """text => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            document.getElementById("text").dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )
    _wait_checked(page, before)


def _api_findings(page: Any, base_url: str, text: str) -> list[dict[str, Any]]:
    answer = page.request.post(base_url + "/api/lint", data={"text": text})
    assert answer.ok
    return answer.json()["files"][0]["findings"]


def _editor_text(page: Any) -> str:
    return page.locator("#text").evaluate("e => e.textContent")


def test_pasted_article_gets_one_highlight_and_one_comment_per_finding(page: Any, base_url: str) -> None:
    _paste(page, ARTICLE)
    findings = _api_findings(page, base_url, ARTICLE)
    assert len(findings) >= 5
    assert page.locator("#text [data-finding-id], #banners [data-finding-id]").count() == len(findings)
    assert page.locator("#margin .comment").count() == len(findings)
    assert _editor_text(page) == ARTICLE
    assert page.locator("#text .hd").first.inner_text().startswith("# 富血小板血浆生发")
    page.keyboard.press("End")
    page.keyboard.type("干细胞可以根治关节炎")
    _wait(page, "document.querySelectorAll('#margin .comment').length", lambda n: n > len(findings))
    assert _editor_text(page).endswith("干细胞可以根治关节炎")


def _settled(page: Any) -> None:
    """Wait until the margin's comments have moved into place (their `top` is a CSS transition)."""
    _wait(page, "document.getAnimations().filter(a => a.playState === 'running').length", lambda running: running == 0)


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_clicking_a_finding_opens_its_panel_beside_the_text(page: Any, base_url: str) -> None:
    _paste(page, ARTICLE)
    findings = _api_findings(page, base_url, ARTICLE)
    index = next(i for i, f in enumerate(findings) if f["rule"] == "safety_overclaim.no-side-effect")
    highlight = page.locator(f'#text .hl[data-findings~="{index}"]').first
    highlight.click()
    panel = page.locator("#margin .comment.open")
    assert panel.count() == 1 and panel.get_attribute("data-finding") == str(index)
    assert findings[index]["message"] in panel.inner_text()
    assert findings[index]["basis"] in panel.inner_text()
    _settled(page)
    panel_box, text_box, mark_box = _box(panel), _box(page.locator("#text")), _box(highlight)
    assert not _overlap(panel_box, text_box)
    assert abs(panel_box["y"] - mark_box["y"]) < 40
    others = page.locator("#margin .comment:not(.open)")
    for k in range(others.count()):
        if others.nth(k).is_visible():
            assert not _overlap(_box(others.nth(k)), panel_box)
    page.locator('#side input[data-filter="category"][value="safety_overclaim"]').uncheck()
    assert page.locator("#margin .comment.open").count() == 0
    assert "muted" in (highlight.get_attribute("class") or "")


def test_accepting_a_fix_changes_the_text_and_checks_it_again(page: Any, base_url: str) -> None:
    _paste(page, ARTICLE)
    findings = _api_findings(page, base_url, ARTICLE)
    index, fixable = next((i, f) for i, f in enumerate(findings) if f["fix"])
    page.locator(f'#text .hl[data-findings~="{index}"]').first.click()
    before = _checked(page)
    page.locator("#margin .comment.open .accept-fix").click()
    _wait_checked(page, before)
    text = _editor_text(page)
    assert text == ARTICLE[: fixable["start"]] + fixable["fix"] + ARTICLE[fixable["end"] :]
    after = _api_findings(page, base_url, text)
    assert len(after) == len(findings) - 1
    assert page.locator("#text [data-finding-id], #banners [data-finding-id]").count() == len(after)


def test_inserting_the_disclaimer_then_downloading_the_report_and_the_json(page: Any) -> None:
    _paste(page, ARTICLE)
    banner = page.locator("#banners .banner.cat-missing_disclaimer")
    assert banner.count() == 1 and "“" not in banner.inner_text()[:2]
    banner.click()
    before = _checked(page)
    page.locator("#margin .comment.open .insert-disclaimer").click()
    _wait_checked(page, before)
    assert page.locator("#banners .banner").count() == 0
    assert "不构成诊断或治疗建议" in _editor_text(page)
    with page.expect_download() as json_download:
        page.locator("#download-json").click()
    assert json_download.value.suggested_filename == "article.json"
    answer = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert answer["version"] and all(f["category"] != "missing_disclaimer" for f in answer["files"][0]["findings"])
    with page.expect_download() as html_download:
        page.locator("#download-html").click()
    assert html_download.value.suggested_filename == "article.html"
    report = Path(html_download.value.path()).read_text(encoding="utf-8")
    assert "Content-Security-Policy" in report and "不构成诊断或治疗建议" in report


def test_uploading_a_docx_with_a_hostile_name(page: Any, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("膝关节保养指南")
    document.add_paragraph("注射外泌体可以根治膝关节炎，无副作用。")
    buffer = io.BytesIO()
    document.save(buffer)
    name = '<img src=x onerror="alert(1)">稿件.docx'
    before = _checked(page)
    page.locator("#upload").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}
    )
    _wait_checked(page, before)
    assert _editor_text(page) == "膝关节保养指南\n注射外泌体可以根治膝关节炎，无副作用。"
    assert page.locator("#text .hl").count() >= 2
    shown = page.locator("#file-name").inner_text()
    assert name.replace('"', "%22") in shown and "Word" in shown
    assert page.locator("#file-name img").count() == 0
    assert page.dialogs == []


def test_script_in_the_text_never_runs(page: Any) -> None:
    _paste(page, HOSTILE)
    page.locator("#text .hl").first.click()
    page.wait_for_timeout(100)
    assert page.evaluate("window.__pwned === undefined")
    assert page.dialogs == []
    assert "<script>window.__pwned" in _editor_text(page)
    assert page.locator("#text script, #text img, #text svg, #text a[href]").count() == 0


def test_a_ten_megabyte_paste_is_refused_with_a_clear_message(page: Any) -> None:
    _paste(page, ARTICLE)
    page.locator("#text").click()
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData("text/plain", "干细胞".repeat(10 * 1024 * 1024 / 9 + 1));
            document.getElementById("text").dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    status = page.locator("#status")
    assert "error" in (status.get_attribute("class") or "")
    assert "10.0 MB" in status.inner_text() and "2.0 MB" in status.inner_text()
    assert _editor_text(page) == ARTICLE
