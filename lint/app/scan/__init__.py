"""`healthlint scan`: lint an archive in parallel, streaming, with an incremental cache.

Articles stream in from `lint.io.archive`; at most a few per worker are in flight (`window`), results are
written in input order as they complete (findings JSON Lines, SARIF), every finished article is committed to
a SQLite cache keyed by content hash + rule-pack fingerprint + version (`cache`), so a scan killed mid-way
redoes only what was not finished, and the totals and per-article rows go to `summary.json` (`summary`).

Each article is linted under a time budget in a worker that survives its exceptions (`pool`, `lint.app.guard`):
one bad article is one error entry. The outputs are staged and renamed into place at the end under an
exclusive lock on the output directory (`outputs`), so a failed, killed or concurrent scan never leaves
half-written or interleaved results.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import IO

from lint.app.guard import Fault, isolate
from lint.app.runner import heading_spans, languages, rule_set
from lint.app.scan.cache import CACHE_FORMAT, CacheError, ResultCache, with_cache
from lint.app.scan.outputs import OutputError, OutputLock, OutputLocked, StagedOutputs
from lint.app.scan.summary import ScanSummary, spooled_sort
from lint.app.scan.window import Item, lost, windowed
from lint.app.workers import WorkerPool
from lint.core.document import Document
from lint.core.finding import Severity
from lint.core.language import LanguagePack, choose_language
from lint.core.records import record
from lint.core.version import __version__
from lint.formatters.json import finding_to_dict
from lint.formatters.report import FileReport
from lint.formatters.sarif import SCHEMA, sarif_notification, sarif_result
from lint.io.archive import Article
from lint.io.paths import default_rules_dir
from lint.io.sources import SourceError, source_from_bytes
from lint.kernel.engine import LintConfig, check_document

__all__ = [
    "CacheError",
    "OutputError",
    "OutputLocked",
    "Runner",
    "ScanSettings",
    "ScanSummary",
    "dask_runner",
    "lint_article",
    "local_runner",
    "scan",
]

_URI = "\u0000uri\u0000"


@record(frozen=True)
class ScanSettings:
    """Everything a worker needs to rebuild the lint configuration (picklable, hashable).

    `article_timeout` (seconds per article; None for no limit) and `debug` (keep tracebacks of internal
    errors) shape how articles are run, not their findings, so they are left out of the fingerprint."""

    rule_dirs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: str = "info"
    regex_timeout: float = 1.0
    pages: str | None = None
    article_timeout: float | None = field(default=30.0, compare=False, repr=False)
    debug: bool = field(default=False, compare=False, repr=False)

    @property
    def hard_limit(self) -> float | None:
        """When the main process stops a worker that is still on one article (its budget could not fire)."""
        return None if self.article_timeout is None else 2 * self.article_timeout + 10

    def fingerprint(self) -> str:
        """A hash of the settings, every rule pack and data file, and the healthlint version."""
        digest = hashlib.sha256(f"{__version__}|cache-format-{CACHE_FORMAT}|{self!r}".encode())
        for directory in (default_rules_dir(), *map(Path, self.rule_dirs)):
            for file in sorted(p for p in directory.rglob("*") if p.is_file()):
                digest.update(file.name.encode())
                digest.update(file.read_bytes())
        return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _languages(settings: ScanSettings) -> tuple[LanguagePack, ...]:
    return languages([Path(d) for d in settings.rule_dirs])


@functools.lru_cache(maxsize=4)
def _config(settings: ScanSettings) -> LintConfig:
    return LintConfig(
        rules=rule_set([Path(d) for d in settings.rule_dirs]),
        select=frozenset(settings.select),
        ignore=frozenset(settings.ignore),
        min_severity=Severity.parse(settings.min_severity),
        regex_timeout=settings.regex_timeout,
    )


def lint_article(settings: ScanSettings, article: Article) -> dict[str, object]:
    """Lint one article (runs in a worker process or on a Dask worker). Any exception, or the article's time
    budget running out, gives the article's error entry (marked `fault`) instead of propagating."""
    result: dict[str, object] = {"id": article.id, "title": article.title, "error": article.error, "findings": []}
    if article.error:
        return result
    outcome = isolate(lambda: _lint(settings, article, result), settings.article_timeout)
    if isinstance(outcome, Fault):
        faulty: dict[str, object] = {**result, "error": outcome.describe(), "findings": [], "fault": True}
        if settings.debug:
            faulty["traceback"] = outcome.traceback
        return faulty
    return outcome


def _lint(settings: ScanSettings, article: Article, base: dict[str, object]) -> dict[str, object]:
    result = dict(base)
    try:
        if article.text is not None:
            text, syntax = article.text, "text"
        else:
            source = source_from_bytes(article.id, article.data or b"", article.kind)
            text, syntax = source.text, source.syntax
    except SourceError as error:
        result["error"] = str(error)
        return result
    language, uncovered = choose_language(_languages(settings), text)
    document = Document(text, syntax, language=language)  # type: ignore[arg-type]
    outcome = check_document(document, _config(settings))
    result["findings"] = [finding_to_dict(f) for f in outcome.findings]
    result["chars"] = len(text)
    problems = (uncovered, *outcome.problems) if uncovered else tuple(outcome.problems)
    if problems:
        result["problems"] = list(problems)
    if not article.title:
        from lint.formatters.html import article_title

        result["title"] = article_title(FileReport(article.id, text=text, headings=heading_spans(document)))
    if settings.pages:
        from lint.formatters.html import render_article

        report = FileReport(
            article.id,
            tuple(outcome.findings),
            None,
            text,
            None,
            problems,
            None,
            heading_spans(document),
        )
        result["page_html"] = render_article(report, settings.pages, "../index.html", assets="../assets/")
    return result


def prepare(result: dict[str, object]) -> dict[str, object]:
    """The cached form of a result: its findings as JSON Lines (each without its opening brace, to which the
    article id is prefixed when written) and as comma-separated SARIF results, plus their counts."""
    findings: list[dict[str, object]] = result.pop("findings")  # type: ignore[assignment]
    result["lines"] = "\n".join(json.dumps(f, ensure_ascii=False)[1:] for f in findings)
    result["sarif"] = ",".join(json.dumps(sarif_result(f, _URI), ensure_ascii=False) for f in findings)
    result["rules"] = {str(f["rule"]): {"category": f["category"], "basis": f["basis"]} for f in findings}
    result["counts"] = {key: dict(Counter(str(f[key]) for f in findings)) for key in ("severity", "rule", "category")}
    return result


# a runner lints the articles of a stream of items and yields every item's result, in input order
Runner = Callable[[Iterable[Item]], Iterator[dict[str, object]]]


def _load_shared_state(settings: ScanSettings) -> None:
    """Build the rule set and the segmenter once, before the workers start: forked workers inherit them, and a
    first run compiles the segmenter's table once instead of once per worker."""
    _config(settings)
    for language in _languages(settings):
        language.prepare()


def local_runner(settings: ScanSettings, jobs: int) -> Runner:
    """Lint in this process (jobs=1) or in a bounded pool of worker processes, yielding in input order."""

    def run(items: Iterable[Item]) -> Iterator[dict[str, object]]:
        _load_shared_state(settings)
        if jobs <= 1:
            for item in items:
                yield lint_article(settings, item) if isinstance(item, Article) else item
            return
        pool = WorkerPool(functools.partial(lint_article, settings), jobs, settings.hard_limit, lost)
        finished = False
        try:
            yield from windowed(items, pool.submit, pool.wait_first, jobs * 4)
            finished = True
        finally:
            pool.close(cancel=not finished)

    return run


def dask_runner(settings: ScanSettings, scheduler: str, window: int = 64) -> Runner:
    """Run the same per-article kernel on a dask.distributed cluster, yielding in input order."""

    def run(items: Iterable[Item]) -> Iterator[dict[str, object]]:
        from distributed import Client
        from distributed import wait as dask_wait

        with Client(scheduler) as client:
            yield from windowed(
                items,
                lambda article: client.submit(lint_article, settings, article, pure=False),
                lambda futures: dask_wait(futures, return_when="FIRST_COMPLETED").done,
                window,
            )

    return run


def scan(
    articles: Iterable[Article],
    settings: ScanSettings,
    out_dir: Path,
    runner: Runner,
    cache_path: Path | None = None,
    on_article: Callable[[dict[str, object]], None] | None = None,
    dashboard: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> ScanSummary:
    """Scan `articles`, writing `findings.jsonl`, `summary.json`, `findings.sarif` (and, with `dashboard` set to
    a UI language, `index.html` with its `assets/`) into `out_dir`; with `settings.pages`, each linted article's
    page goes to `out_dir/articles/` as it finishes (each page replaced atomically).

    Raise `OutputLocked` when another scan holds `out_dir`, `OutputError` when the results cannot be written
    (the previous results are then left as they were) and `CacheError` when the cache cannot be opened; a cache
    that breaks later is rebuilt or dropped with a `warn`ing."""
    with OutputLock(out_dir):
        outputs = StagedOutputs(out_dir)
        try:
            summary = _write(articles, settings, out_dir, runner, cache_path, on_article, outputs, warn)
            if dashboard is not None:
                _write_dashboard(summary, out_dir, outputs.open("index.html"), dashboard)
            summary.write(outputs.open("summary.json"))
            outputs.commit()
        except OSError as error:
            outputs.discard()
            raise OutputError(f"cannot write the scan results to {out_dir}: {error.strerror or error}") from None
        except BaseException:
            outputs.discard()
            raise
    return summary


def _write(
    articles: Iterable[Article],
    settings: ScanSettings,
    out_dir: Path,
    runner: Runner,
    cache_path: Path | None,
    on_article: Callable[[dict[str, object]], None] | None,
    outputs: StagedOutputs,
    warn: Callable[[str], None],
) -> ScanSummary:
    findings_out = outputs.open("findings.jsonl")
    sarif_out = outputs.open("findings.sarif")
    fingerprint = settings.fingerprint()
    cache = ResultCache(cache_path, warn) if cache_path else None
    summary = ScanSummary()
    keys: dict[int, str] = {}
    rules: dict[str, object] = {}
    placeholder = json.dumps(_URI)
    try:
        sarif_out.write(f'{{"$schema": "{SCHEMA}", "version": "2.1.0", "runs": [{{"results": [')
        separator = ""
        for emitted, result in enumerate(runner(with_cache(articles, cache, fingerprint, keys))):
            cached = result.pop("_cached", False)
            key = keys.pop(emitted, None)
            if settings.debug and result.get("traceback"):
                warn(f"{result['id']}: {result['error']}\n{result.pop('traceback')}")
            page = result.pop("page_html", None)
            if page is not None:
                write_page(out_dir, str(result["id"]), str(page))
            if not cached:
                result = prepare(result)
                if cache is not None and key is not None and result["error"] is None and not result.get("problems"):
                    cache.put(key, result)
            uri = json.dumps(result["id"], ensure_ascii=False)
            lines, sarif = str(result["lines"]), str(result["sarif"])
            if lines:
                prefix = '{"article": ' + uri + ", "
                findings_out.write(prefix + lines.replace("\n", "\n" + prefix) + "\n")
            if sarif:
                sarif_out.write(separator + sarif.replace(placeholder, uri))
                separator = ","
            rules.update(result["rules"])  # type: ignore[arg-type]
            summary.add(result, bool(cached))
            if on_article:
                on_article(result)
        _write_sarif_tail(sarif_out, rules, summary)
    finally:
        if cache is not None:
            summary.cache_rejected = cache.rejected
            cache.close()
    return summary


def _write_sarif_tail(out: IO[str], rules: dict[str, object], summary: ScanSummary) -> None:
    """The end of the streamed SARIF log: the rules seen, and unreadable articles as notifications (streamed
    from the summary's spool)."""
    driver = {
        "name": "healthlint",
        "version": __version__,
        "rules": [{"id": rule, "properties": meta} for rule, meta in sorted(rules.items())],
    }
    out.write(
        f'], "columnKind": "unicodeCodePoints", "tool": {json.dumps({"driver": driver}, ensure_ascii=False)}, '
        f'"invocations": [{{"executionSuccessful": {json.dumps(not summary.error_count)}, '
        '"toolExecutionNotifications": ['
    )
    for index, entry in enumerate(summary.errors):
        notification = sarif_notification(str(entry["id"]), str(entry["error"]))
        out.write((", " if index else "") + json.dumps(notification, ensure_ascii=False))
    out.write("]}]}]}\n")


def write_page(out_dir: Path, article_id: str, html: str) -> None:
    """Write one article's page (`--html`) under `out_dir/articles/`."""
    from lint.formatters.html import article_page_name
    from lint.io.files import write_text_atomic

    write_text_atomic(out_dir / "articles" / article_page_name(article_id), html)


class _Unreadable:
    """The (id, error) pairs of the articles that could not be linted, read from the summary's spool on each
    pass, for the dashboard's table of them."""

    def __init__(self, summary: ScanSummary) -> None:
        self.summary = summary

    def __len__(self) -> int:
        return self.summary.error_count

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((str(entry["id"]), str(entry["error"])) for entry in self.summary.errors)

    def __contains__(self, item: object) -> bool:
        return any(item == pair for pair in self)


def _write_dashboard(summary: ScanSummary, out_dir: Path, out: IO[str], lang: str) -> None:
    """Write the archive dashboard of a finished scan to `out`, linking every article whose page is in
    `articles/`, and the style sheet and script those pages share (`assets/`). The rows are sorted by risk
    through temporary files and streamed into the page, so the dashboard costs no memory per article."""
    from lint.formatters.html import article_page_name, dashboard_order, dashboard_row, write_assets, write_dashboard

    pages = out_dir / "articles"
    totals = dict.fromkeys(("error", "warning", "info", "risk"), 0)
    count = 0

    def table() -> Iterator[list[object]]:
        nonlocal count
        for row in summary.dashboard_rows():
            name = article_page_name(str(row["path"]))
            row["page"] = f"articles/{name}" if (pages / name).is_file() else None
            for severity in totals:
                totals[severity] += int(row[severity])  # type: ignore[call-overload]
            count += 1
            yield dashboard_row(row)

    ranked = spooled_sort(table(), dashboard_order)
    write_assets(out_dir / "assets")
    write_dashboard(out, ranked, count, totals, summary.per_rule, summary.per_category, _Unreadable(summary), lang)
