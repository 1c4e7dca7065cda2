"""The workbench's JSON API: the schema of `check --format json`, limits, media types, isolation, headers."""

from __future__ import annotations

import asyncio
import io
import json
import time
from pathlib import Path

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from lint.app import serve
from lint.app.runner import Setup, check_file
from lint.app.serve import Pool, create_app
from lint.formatters.json import format_json
from lint.io.language import default_language
from lint.io.rulepack import default_rule_set
from lint.kernel.engine import LintConfig
from tests.app.serving import ARTICLE, HOSTILE, settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(settings(max_bytes=64 * 1024, upload_bytes=256 * 1024)))


def _lint(client: TestClient, **body: object) -> dict:
    response = client.post("/api/lint", json={"text": ARTICLE, **body})
    assert response.status_code == 200, response.text
    return response.json()


def test_lint_answers_with_the_json_of_check(client: TestClient, tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    expected = json.loads(
        format_json([check_file(path, Setup(LintConfig(rules=default_rule_set()), (default_language(),)))])
    )
    answer = _lint(client, path=str(path))
    assert answer == expected
    assert {f["rule"] for f in answer["files"][0]["findings"]} >= {
        "cure_or_guarantee.cure-term",
        "safety_overclaim.no-side-effect",
        "testimonial.patient-story",
    }
    assert "inducement" not in {f["category"] for f in answer["files"][0]["findings"]}
    selected = _lint(client, select=["inducement"])["files"][0]["findings"]
    assert [(f["rule"], f["text"]) for f in selected] == [("inducement.urgency", "名额有限")]


def test_options_select_ignore_and_severity(client: TestClient) -> None:
    only = _lint(client, select=["cure_or_guarantee"])["files"][0]["findings"]
    assert only and {f["category"] for f in only} == {"cure_or_guarantee"}
    rest = _lint(client, ignore=["cure_or_guarantee"], min_severity="error")["files"][0]["findings"]
    assert rest and all(f["category"] != "cure_or_guarantee" and f["severity"] == "error" for f in rest)


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({}, 422, "text: Field required"),
        ({"text": 3}, 422, "text: Input should be a valid string"),
        ({"text": "x", "colour": "red"}, 422, "colour: Extra inputs are not permitted"),
        ({"text": "x", "select": ["no_such_rule"]}, 422, "unknown rule, pack or category: no_such_rule"),
        ({"text": "x", "min_severity": "fatal"}, 422, "min_severity"),
        ({"text": "x", "syntax": "rst"}, 422, "syntax"),
    ],
)
def test_bad_fields_get_a_422_that_names_them(client: TestClient, body: dict, status: int, words: str) -> None:
    response = client.post("/api/lint", json=body)
    assert response.status_code == status
    assert words in response.json()["error"]


def test_malformed_json_wrong_media_type_and_oversized_bodies(client: TestClient) -> None:
    broken = client.post("/api/lint", content=b'{"text": ', headers={"content-type": "application/json"})
    assert broken.status_code == 422 and "JSON" in broken.json()["error"]
    plain = client.post("/api/lint", content=b"text", headers={"content-type": "text/plain"})
    assert plain.status_code == 415 and "application/json" in plain.json()["error"]
    huge = client.post("/api/lint", json={"text": "根治" * 40_000})
    assert huge.status_code == 413 and "too large" in huge.json()["error"]
    text_over = client.post("/api/lint", json={"text": "治" * 22_000})
    assert text_over.status_code == 413 and "limit is 0.1 MB" in text_over.json()["error"]


def test_chunked_body_over_the_limit_is_refused_while_streaming(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"text": "'
        for _ in range(200):
            yield b"x" * 1024
        yield b'"}'

    response = client.post("/api/lint", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_fix_applies_one_safe_replacement(client: TestClient) -> None:
    findings = _lint(client)["files"][0]["findings"]
    cure = next(f for f in findings if f["rule"] == "cure_or_guarantee.cure-term")
    body = {"text": ARTICLE, "rule": cure["rule"], "start": cure["start"], "end": cure["end"]}
    answer = client.post("/api/fix", json=body).json()
    assert answer["fixed"] == 1
    assert answer["text"] == ARTICLE[: cure["start"]] + cure["fix"] + ARTICLE[cure["end"] :]
    stale = client.post("/api/fix", json={**body, "start": cure["start"] + 1})
    assert stale.status_code == 409 and "check again" in stale.json()["error"]
    backwards = client.post("/api/fix", json={**body, "start": 5, "end": 2})
    assert backwards.status_code == 422


def test_view_renders_escaped_fragments_and_findings(client: TestClient) -> None:
    answer = client.post("/api/view", json={"text": HOSTILE, "lang": "zh"}).json()
    assert "<script>" not in answer["body"] and "&lt;script&gt;" in answer["body"]
    assert "<img" not in answer["body"] and "onerror" not in answer["body"].replace("onerror=&#34;", "")
    assert answer["body"].count("data-finding-id") + answer["banners"].count("data-finding-id") == len(
        answer["findings"]
    )
    assert answer["report"]["files"][0]["findings"]
    assert all(f["category_name"] and f["severity_name"] for f in answer["findings"])


def test_report_download_is_a_self_contained_page(client: TestClient) -> None:
    response = client.post("/api/report", json={"text": HOSTILE, "path": '"; evil<x>.txt', "lang": "en"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="evil_x.html"'
    assert "Content-Security-Policy" in response.text and "<script>window.__pwned" not in response.text


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_upload_reads_docx_html_and_text(client: TestClient) -> None:
    word = client.post("/api/upload", files={"file": ("稿件.docx", _docx(["标题", "干细胞可以根治关节炎。"]))})
    assert word.status_code == 200
    assert word.json() == {
        "path": "稿件.docx",
        "text": "标题\n干细胞可以根治关节炎。",
        "syntax": "text",
        "note": word.json()["note"],
    }
    page = b"<html><body><nav>menu</nav><article><p>\xe5\xb9\xb2\xe7\xbb\x86\xe8\x83\x9e</p></article></body></html>"
    html = client.post("/api/upload", files={"file": ("../../etc/a.html", page)})
    assert html.status_code == 200 and html.json()["path"] == "a.html" and "干细胞" in html.json()["text"]
    md = client.post("/api/upload", files={"file": ("a.md", "# 标题\n".encode())}).json()
    assert md["syntax"] == "markdown"


def test_upload_errors_are_4xx(client: TestClient) -> None:
    exe = client.post("/api/upload", files={"file": ("a.exe", b"MZ")})
    assert exe.status_code == 415 and ".exe" in exe.json()["error"]
    broken = client.post("/api/upload", files={"file": ("a.docx", b"not a zip")})
    assert broken.status_code == 422 and "a.docx" in broken.json()["error"]
    binary = client.post("/api/upload", files={"file": ("a.txt", b"\x00\x01\x02" * 100)})
    assert binary.status_code == 422
    big = client.post("/api/upload", files={"file": ("a.txt", b"a" * 400_000)})
    assert big.status_code == 413
    missing = client.post("/api/upload", data={"x": "1"})
    assert missing.status_code == 422 and "file" in missing.json()["error"]


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert 'src="static/view.js"' in page.text and "<script>" not in page.text
    assert client.post("/api/lint", json={}).headers["content-security-policy"] == policy
    assert client.get("/static/view.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/../../etc/passwd").status_code == 404
    assert client.get("/static/missing.js").status_code == 404


def test_unknown_host_headers_are_refused() -> None:
    strict = TestClient(create_app(serve.ServeSettings()))
    response = strict.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400 and "Host" in response.json()["error"]
    assert strict.get("/", headers={"host": "127.0.0.1:8765"}).status_code == 200


def test_an_exception_in_a_check_is_an_error_entry_and_the_server_goes_on(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(serve, "check_document", explode)
    broken = _lint(client)["files"][0]
    assert broken["findings"] == [] and "RuntimeError: boom" in broken["error"]
    monkeypatch.undo()
    assert _lint(client)["files"][0]["findings"]


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/api/lint", "/api/view", "/api/fix", "/api/report", "/api/upload"}
    lint = spec["paths"]["/api/lint"]["post"]
    assert {"200", "413", "415", "422", "503"} <= set(lint["responses"])


def test_pool_refuses_beyond_its_capacity_and_enforces_the_time_limit() -> None:
    async def scenario() -> list[object]:
        pool = Pool(workers=1, queue=1, timeout=0.3)
        slow = [asyncio.ensure_future(pool.run(lambda: time.sleep(0.2) or "done")) for _ in range(2)]
        await asyncio.sleep(0.01)
        with pytest.raises(HTTPException) as busy:
            await pool.run(lambda: "never")
        outcomes: list[object] = [busy.value.status_code]
        outcomes += await asyncio.gather(*slow, return_exceptions=True)
        with pytest.raises(HTTPException) as late:
            await pool.run(lambda: time.sleep(1))
        outcomes.append((late.value.status_code, "longer than 0.3 s" in str(late.value.detail)))
        return outcomes

    busy, first, second, late = asyncio.run(scenario())
    assert busy == 503
    assert first == "done"
    assert isinstance(second, HTTPException) and second.status_code == 503
    assert late == (503, True)
