"""`healthlint serve`: the editor's workbench, a local web app, and the JSON API behind it.

The API (`POST /api/lint`) answers with the JSON schema of `check --format json`; `/openapi.json` describes
every endpoint. Requests are isolated: bodies are capped (413), JSON endpoints want JSON (415), bad fields get a
422 that says what is wrong, linting runs in a bounded thread pool with a time limit per request (503 when busy
or too slow), and an exception inside a check becomes that file's error entry while the server goes on.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import field
from pathlib import PurePath
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lint.app.runner import heading_spans
from lint.core.document import Document, Syntax
from lint.core.finding import Finding, Severity
from lint.core.language import LanguagePack
from lint.core.records import record
from lint.formatters.html import (
    _environment,
    article_context,
    asset,
    client_labels,
    render_article,
    render_fragments,
)
from lint.formatters.json import SCHEMA_VERSION, json_payload
from lint.formatters.report import FileReport
from lint.io.labels import load_labels
from lint.io.language import default_language
from lint.io.rulepack import default_rule_set
from lint.io.sources import TEXT_SUFFIXES, SourceError, source_from_bytes
from lint.kernel.engine import LintConfig, check_document
from lint.kernel.fix import apply_fixes
from lint.kernel.ruleset import RuleSet

LOG = logging.getLogger("healthlint.serve")
MiB = 1024 * 1024
JSON_OVERHEAD = 64 * 1024
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
T = TypeVar("T")


@record(frozen=True)
class ServeSettings:
    """How the workbench runs: rules, UI language, limits and the size of the worker pool."""

    rules: RuleSet = field(default_factory=default_rule_set)
    language: LanguagePack = field(default_factory=default_language)
    lang: str = "zh"
    max_bytes: int = 2 * MiB
    upload_bytes: int = 16 * MiB
    timeout: float = 20.0
    workers: int = 2
    queue: int = 8
    regex_timeout: float = 1.0
    allowed_hosts: tuple[str, ...] = LOOPBACK


class Error(BaseModel):
    """What went wrong, in a sentence."""

    error: str
    detail: list[dict[str, Any]] | None = None


class LintRequest(BaseModel):
    """An article to check, and which rules to run."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article text (UTF-8); offsets in the answer are code points into it.")
    path: str = Field("input.txt", max_length=1024, description="A name for the text; its suffix picks the syntax.")
    syntax: Literal["text", "markdown"] | None = Field(None, description="Default: markdown for .md, else text.")
    select: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=200, description="Only these rule ids, packs or categories."
    )
    ignore: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=200, description="Skip these rule ids, packs or categories."
    )
    min_severity: Literal["info", "warning", "error"] = "info"

    @field_validator("text", "path")
    @classmethod
    def _encodable(cls, value: str) -> str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("contains unpaired surrogate code points, which UTF-8 cannot carry") from None
        return value

    @property
    def effective_syntax(self) -> Syntax:
        if self.syntax is not None:
            return self.syntax
        return "markdown" if PurePath(self.path).suffix.lower() in (".md", ".markdown") else "text"


class ViewRequest(LintRequest):
    """An article to check and render as the workbench's article view (or as a report page)."""

    lang: Literal["zh", "en"] | None = Field(None, description="UI language [default: the server's].")


class FixRequest(LintRequest):
    """Apply the safe fix of one finding, named by its rule and span."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    rule: str = Field(max_length=200)


class RelatedOut(BaseModel):
    role: str
    start: int
    end: int
    text: str
    verdict: str = ""
    figures: list[str] = []


class FindingOut(BaseModel):
    rule: str
    category: str
    severity: Literal["info", "warning", "error"]
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    message: str
    suggestion: str
    basis: str
    fix: str | None
    related: list[RelatedOut]


class FileOut(BaseModel):
    path: str
    error: str | None
    note: str | None
    problems: list[str]
    findings: list[FindingOut]


class LintResponse(BaseModel):
    """The JSON schema of `healthlint check --format json`."""

    version: str = Field(examples=[SCHEMA_VERSION])
    files: list[FileOut]


class ViewResponse(BaseModel):
    """The article view's parts as HTML (escaped), the findings the page script shows, and the lint result."""

    summary: str
    side: str
    banners: str
    body: str
    findings: list[dict[str, Any]]
    report: LintResponse


class FixResponse(BaseModel):
    text: str
    fixed: int


class UploadResponse(BaseModel):
    path: str
    text: str
    syntax: Literal["text", "markdown"]
    note: str | None


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Error, "description": "The body cannot be parsed (not UTF-8 JSON, or broken multipart)."},
    413: {"model": Error, "description": "The body or the text is larger than the server accepts."},
    415: {"model": Error, "description": "The body is not of the media type this endpoint takes."},
    422: {"model": Error, "description": "A field is missing or invalid; the message names it."},
    503: {"model": Error, "description": "The server is busy, or the check took longer than its time limit."},
}


class Pool:
    """A bounded pool of lint threads with a time limit per request; waiting requests beyond `queue` get a 503.

    A thread cannot be stopped, so a check that runs past the limit finishes in the background; it keeps its
    slot until then, and every rule regex has its own timeout, so none runs for long.
    """

    def __init__(self, workers: int, queue: int, timeout: float) -> None:
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="healthlint")
        self.capacity = workers + queue
        self.timeout = timeout
        self.in_flight = 0
        self.lock = threading.Lock()

    def _release(self, _future: object) -> None:
        with self.lock:
            self.in_flight -= 1

    async def run(self, work: Callable[[], T]) -> T:
        with self.lock:
            if self.in_flight >= self.capacity:
                raise HTTPException(503, "the server is busy; try again in a moment", headers={"Retry-After": "1"})
            self.in_flight += 1
        future = self.executor.submit(work)
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            raise HTTPException(
                503, f"the check took longer than {self.timeout:g} s; try a shorter text or fewer rules"
            ) from None


class BodyLimit:
    """ASGI middleware: refuse a request body over the limit of its path with 413, before reading it whole."""

    def __init__(self, app: ASGIApp, limit: Callable[[str], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["path"])
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > limit:
            await _send_error(send, 413, _too_large(int(declared), limit))
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, _too_large(seen, limit))
            return message

        await self.app(scope, limited, send)


class SecurityHeaders:
    """ASGI middleware: a Content-Security-Policy and friends on every response; unknown Host headers refused."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = {host.lower() for host in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if "*" not in self.allowed and name not in self.allowed:
            await _send_error(send, 400, f"unexpected Host header {host!r}; open the workbench on its own address")
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [
                    (b"content-security-policy", POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


async def _send_error(send: Send, status: int, message: str) -> None:
    body = Error(error=message).model_dump_json(exclude_none=True).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large(size: int, limit: int) -> str:
    return f"the request is too large ({size / MiB:.1f} MB; the limit is {limit / MiB:.1f} MB)"


def _require_json(request: Request) -> None:
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        raise HTTPException(415, f"send the request as application/json, not {kind or 'no content type'}")


class Workbench:
    """The state behind the app: rules, labels, limits and the pool."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.pool = Pool(settings.workers, settings.queue, settings.timeout)
        self.names = {name for rule in settings.rules for name in (rule.id, rule.pack, rule.category)}

    def config(self, request: LintRequest) -> LintConfig:
        unknown = sorted((set(request.select) | set(request.ignore)) - self.names)
        if unknown:
            raise HTTPException(422, f"unknown rule, pack or category: {', '.join(unknown)}")
        return LintConfig(
            rules=self.settings.rules,
            select=frozenset(request.select),
            ignore=frozenset(request.ignore),
            min_severity=Severity.parse(request.min_severity),
            regex_timeout=self.settings.regex_timeout,
        )

    def check_size(self, text: str) -> None:
        size = len(text.encode("utf-8"))
        if size > self.settings.max_bytes:
            raise HTTPException(
                413,
                f"the text is too large ({size / MiB:.1f} MB; the limit is {self.settings.max_bytes / MiB:.1f} MB)",
            )

    def lint(self, request: LintRequest, config: LintConfig) -> FileReport:
        """Lint one request's text; an exception becomes the file's error entry."""
        try:
            doc = Document(request.text, request.effective_syntax, language=self.settings.language)
            result = check_document(doc, config)
        except Exception as error:
            LOG.exception("linting %s failed", request.path)
            return FileReport(request.path, error=f"internal error while checking: {type(error).__name__}: {error}")
        return FileReport(
            request.path,
            tuple(result.findings),
            None,
            request.text,
            None,
            tuple(result.problems),
            None,
            heading_spans(doc),
        )

    async def report(self, request: LintRequest) -> FileReport:
        self.check_size(request.text)
        config = self.config(request)
        return await self.pool.run(lambda: self.lint(request, config))


def _fix_one(report: FileReport, request: FixRequest, language: LanguagePack) -> FixResponse:
    target: Finding | None = next(
        (
            f
            for f in report.findings
            if f.rule == request.rule and f.start == request.start and f.end == request.end and f.fix is not None
        ),
        None,
    )
    if target is None:
        raise HTTPException(409, "no safe fix for that finding in this text (it may have changed); check again")
    text, fixed = apply_fixes(Document(report.text, request.effective_syntax, language=language), [target])
    return FixResponse(text=text, fixed=len(fixed))


def _download_name(path: str, suffix: str) -> str:
    stem = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in PurePath(path).stem)
    return (stem.strip("._") or "article")[:80] + suffix


def create_app(settings: ServeSettings | None = None) -> FastAPI:
    """The workbench app: the page, its static assets and the JSON API."""
    settings = settings or ServeSettings()
    bench = Workbench(settings)
    app = FastAPI(
        title="healthlint",
        summary="Compliance checks for health-marketing copy: the workbench's JSON API.",
        description=(
            "`POST /api/lint` checks a text and answers with the JSON schema of `healthlint check --format json`. "
            f"Bodies are limited to {settings.max_bytes / MiB:.1f} MB of text (413 beyond), JSON endpoints take "
            "`application/json` (415 otherwise), invalid fields get a 422 naming the field, and each check has a "
            f"time limit of {settings.timeout:g} s (503 beyond, or when the server is busy)."
        ),
        version=SCHEMA_VERSION,
        docs_url=None,
        redoc_url=None,
    )
    app.state.workbench = bench
    warm = LintRequest(text="warm up")
    bench.pool.executor.submit(bench.lint, warm, bench.config(warm))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        detail = [
            {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type"))}
            for e in error.errors()
        ]
        message = "; ".join(f"{'.'.join(d['loc'][1:] or d['loc'])}: {d['msg']}" for d in detail)
        return JSONResponse(Error(error=message or "invalid request", detail=detail).model_dump(), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            Error(error=str(error.detail)).model_dump(exclude_none=True),
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _crash(_request: Request, error: Exception) -> JSONResponse:
        LOG.exception("request failed", exc_info=error)
        return JSONResponse(Error(error=f"internal error: {type(error).__name__}").model_dump(exclude_none=True), 500)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page(lang: Annotated[Literal["zh", "en"] | None, Query()] = None) -> HTMLResponse:
        labels = load_labels(lang or settings.lang)
        empty = FileReport("article.txt")
        html = (
            _environment()
            .get_template("workbench.html.j2")
            .render(**article_context(empty, labels), client=client_labels(labels), max_bytes=settings.max_bytes)
        )
        return HTMLResponse(html)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        suffix = PurePath(name).suffix
        try:
            body = asset(name)
        except KeyError:
            raise HTTPException(404, f"no static file {name!r}") from None
        return Response(body, media_type=STATIC_TYPES[suffix], headers={"Cache-Control": "no-cache"})

    @app.post(
        "/api/lint",
        response_model=LintResponse,
        responses=ERRORS,
        dependencies=[Depends(_require_json)],
        summary="Check a text; the answer has the schema of `check --format json`.",
    )
    async def api_lint(request: LintRequest) -> dict[str, object]:
        return json_payload([await bench.report(request)])

    @app.post(
        "/api/view",
        response_model=ViewResponse,
        responses=ERRORS,
        dependencies=[Depends(_require_json)],
        summary="Check a text and render the workbench's article view of it.",
    )
    async def api_view(request: ViewRequest) -> dict[str, object]:
        report = await bench.report(request)
        labels = load_labels(request.lang or settings.lang)

        def render() -> dict[str, object]:
            return {
                **render_fragments(report, labels),
                "findings": article_context(report, labels)["findings"],
                "report": json_payload([report]),
            }

        return await bench.pool.run(render)

    @app.post(
        "/api/fix",
        response_model=FixResponse,
        responses={**ERRORS, 409: {"model": Error, "description": "No safe fix for that finding in this text."}},
        dependencies=[Depends(_require_json)],
        summary="Apply the safe fix of one finding (named by rule, start and end) and return the new text.",
    )
    async def api_fix(request: FixRequest) -> FixResponse:
        if request.end < request.start:
            raise HTTPException(422, "end must not be before start")
        return _fix_one(await bench.report(request), request, settings.language)

    @app.post(
        "/api/report",
        response_class=HTMLResponse,
        responses={**ERRORS, 200: {"content": {"text/html": {}}, "description": "The annotated report page."}},
        dependencies=[Depends(_require_json)],
        summary="Check a text and return the self-contained annotated HTML report.",
    )
    async def api_report(request: ViewRequest) -> HTMLResponse:
        report = await bench.report(request)
        html = await bench.pool.run(lambda: render_article(report, request.lang or settings.lang))
        name = _download_name(request.path, ".html")
        return HTMLResponse(html, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.post(
        "/api/upload",
        response_model=UploadResponse,
        responses=ERRORS,
        summary="Read an uploaded .txt, .md, .html or .docx file and return its text.",
    )
    async def api_upload(file: Annotated[UploadFile, File(description="The article file.")]) -> UploadResponse:
        name = PurePath((file.filename or "upload.txt").replace("\\", "/")).name[:255] or "upload.txt"
        suffix = PurePath(name).suffix.lower()
        kind = TEXT_SUFFIXES.get(suffix)
        if kind is None:
            raise HTTPException(
                415, f"cannot read {suffix or 'files without a suffix'}: upload .txt, .md, .html or .docx"
            )
        data = await file.read(settings.upload_bytes + 1)
        if len(data) > settings.upload_bytes:
            raise HTTPException(413, _too_large(len(data), settings.upload_bytes))
        try:
            source = await bench.pool.run(lambda: source_from_bytes(name, data, kind))
        except SourceError as error:
            raise HTTPException(422, f"{name}: {error}") from None
        bench.check_size(source.text)
        labels = load_labels(settings.lang)
        note = labels.ui.get(f"note_{kind}", source.note) if source.note else None
        return UploadResponse(path=name, text=source.text, syntax=source.syntax, note=note)

    def limit(path: str) -> int:
        return settings.upload_bytes + JSON_OVERHEAD if path == "/api/upload" else settings.max_bytes + JSON_OVERHEAD

    app.add_middleware(BodyLimit, limit=limit)
    app.add_middleware(SecurityHeaders, allowed_hosts=settings.allowed_hosts)
    return app


def serve(settings: ServeSettings, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run the workbench with uvicorn until interrupted."""
    import uvicorn

    app = create_app(settings)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_keep_alive=5)
    uvicorn.Server(config).run()
