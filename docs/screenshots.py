"""Regenerate the README's screenshots: `python docs/screenshots.py` (needs Debian's chromium and Playwright).

docs/report.png     the report page of docs/sample-article.txt, with the spin finding opened
docs/workbench.png  `healthlint serve` with the same article pasted in and one finding opened
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from lint.app.runner import Setup, check_file  # noqa: E402
from lint.app.serve import ServeSettings, create_app  # noqa: E402
from lint.formatters.html import write_html_report  # noqa: E402
from lint.io.language import default_language  # noqa: E402
from lint.io.rulepack import default_rule_set  # noqa: E402
from lint.kernel.engine import LintConfig  # noqa: E402

SAMPLE = DOCS / "sample-article.txt"
VIEWPORT = {"width": 1400, "height": 1000}


def _open(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(selector).first.click()
    page.wait_for_timeout(400)


def report(browser) -> None:  # type: ignore[no-untyped-def]
    setup = Setup(LintConfig(rules=default_rule_set()), (default_language(),))
    found = check_file(SAMPLE.relative_to(DOCS.parent), setup)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = write_html_report([found], Path(tmp))[0]
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(page_path.as_uri())
        spin = next(i for i, f in enumerate(found.findings) if f.category == "spin")
        _open(page, f'#text .hl[data-findings~="{spin}"]')
        page.screenshot(path=str(DOCS / "report.png"))
        page.close()


def workbench(browser) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(ServeSettings()), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"http://127.0.0.1:{sock.getsockname()[1]}/")
    page.locator("#text").click()
    page.evaluate(
        """text => { const data = new DataTransfer(); data.setData("text/plain", text);
        document.getElementById("text").dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})); }""",
        SAMPLE.read_text(encoding="utf-8"),
    )
    page.wait_for_selector("#margin .comment")
    page.wait_for_timeout(600)
    _open(page, "#text .hl.cat-safety_overclaim")
    page.screenshot(path=str(DOCS / "workbench.png"))
    page.close()
    server.should_exit = True
    thread.join(5)


def main() -> None:
    import os

    from playwright.sync_api import sync_playwright

    os.chdir(DOCS.parent)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        report(browser)
        workbench(browser)
        browser.close()


if __name__ == "__main__":
    main()
