"""`healthlint scan`: lint an archive in parallel, streaming, with an incremental cache.

Articles stream in from `lint.archive`; at most a few per worker are in flight, results are written in input
order as they complete (findings JSON Lines), and every finished article is committed to a SQLite cache keyed by
content hash + rule-pack fingerprint + version, so a scan killed mid-way redoes only what was not finished.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lint import __version__
from lint.archive import Article
from lint.document import Document
from lint.engine import LintConfig, check_document
from lint.finding import Severity
from lint.formatters.json import finding_to_dict
from lint.formatters.sarif import LEVELS
from lint.paths import default_rules_dir
from lint.rulepack import RuleSet, default_packs, load_packs
from lint.sources import SourceError, source_from_bytes

CACHE_FORMAT = 4
_URI = "\u0000uri\u0000"


@dataclass(frozen=True)
class ScanSettings:
    """Everything a worker needs to rebuild the lint configuration (picklable, hashable)."""

    rule_dirs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: str = "info"
    regex_timeout: float = 1.0

    def fingerprint(self) -> str:
        """A hash of the settings, every rule pack and data file, and the healthlint version."""
        digest = hashlib.sha256(f"{__version__}|cache-format-{CACHE_FORMAT}|{self!r}".encode())
        for directory in (default_rules_dir(), *map(Path, self.rule_dirs)):
            for file in sorted(p for p in directory.rglob("*") if p.is_file()):
                digest.update(file.name.encode())
                digest.update(file.read_bytes())
        return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _config(settings: ScanSettings) -> LintConfig:
    packs = (
        default_packs() if not settings.rule_dirs else load_packs([default_rules_dir(), *map(Path, settings.rule_dirs)])
    )
    return LintConfig(
        rules=RuleSet(packs),
        select=frozenset(settings.select),
        ignore=frozenset(settings.ignore),
        min_severity=Severity.parse(settings.min_severity),
        regex_timeout=settings.regex_timeout,
    )


def lint_article(settings: ScanSettings, article: Article) -> dict[str, object]:
    """Lint one article (runs in a worker process or on a Dask worker)."""
    result: dict[str, object] = {"id": article.id, "title": article.title, "error": article.error, "findings": []}
    if article.error:
        return result
    try:
        if article.text is not None:
            text, syntax = article.text, "text"
        else:
            source = source_from_bytes(article.id, article.data or b"", article.kind)
            text, syntax = source.text, source.syntax
    except SourceError as error:
        result["error"] = str(error)
        return result
    outcome = check_document(Document(text, syntax), _config(settings))  # type: ignore[arg-type]
    result["findings"] = [finding_to_dict(f) for f in outcome.findings]
    result["chars"] = len(text)
    if not article.title:
        result["title"] = next((line.strip()[:80] for line in text.splitlines() if line.strip()), "")
    return result


class CacheError(Exception):
    """The result cache cannot be opened or written."""


class ResultCache:
    """Finished results in SQLite, committed one by one so that an interrupted scan keeps them.

    A row keeps the small fields as JSON and the findings as ready-to-write text, so that a re-scan copies
    them out without parsing them.
    """

    TABLE = f"results_v{CACHE_FORMAT}"

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(path)
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA synchronous=NORMAL")
            self.connection.execute(
                f"CREATE TABLE IF NOT EXISTS {self.TABLE} "
                "(key TEXT PRIMARY KEY, meta TEXT NOT NULL, lines TEXT NOT NULL, sarif TEXT NOT NULL)"
            )
            self.connection.commit()
        except (OSError, sqlite3.Error) as error:
            raise CacheError(f"cannot use {path} as the result cache: {error}") from None

    def get_many(self, keys: list[str]) -> dict[str, dict[str, object]]:
        """The cached results among `keys`."""
        found: dict[str, dict[str, object]] = {}
        for first in range(0, len(keys), 500):
            chunk = keys[first : first + 500]
            rows = self.connection.execute(
                f"SELECT key, meta, lines, sarif FROM {self.TABLE} WHERE key IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for key, meta, lines, sarif in rows:
                found[key] = {**json.loads(meta), "lines": lines, "sarif": sarif}
        return found

    def put(self, key: str, result: dict[str, object]) -> None:
        meta = {name: value for name, value in result.items() if name not in ("lines", "sarif")}
        self.connection.execute(
            f"INSERT OR REPLACE INTO {self.TABLE} (key, meta, lines, sarif) VALUES (?, ?, ?, ?)",
            (key, json.dumps(meta, ensure_ascii=False), result["lines"], result["sarif"]),
        )
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()


def cache_key(fingerprint: str, article: Article) -> str:
    """Content hash of the article (its bytes or text, and kind) combined with the rule fingerprint."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(article.kind.encode())
    digest.update(article.data if article.data is not None else (article.text or "").encode("utf-8"))
    return digest.hexdigest()


class ScanSummary:
    """Totals of a scan; every input article is listed, scanned or errored.

    The per-article rows are spooled to a temporary file, so the main process stays flat however large the
    archive; `articles()` reads them back in input order.
    """

    def __init__(self) -> None:
        self.per_rule: Counter[str] = Counter()
        self.per_category: Counter[str] = Counter()
        self.per_severity: Counter[str] = Counter()
        self.total = 0
        self.cached = 0
        self.characters = 0
        self.errors: list[dict[str, object]] = []
        self._rows = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - lives as long as the summary

    def add(self, result: dict[str, object], cached: bool) -> None:
        totals: dict[str, dict[str, int]] = result["counts"]  # type: ignore[assignment]
        counts = Counter(totals["severity"])
        self.per_rule.update(totals["rule"])
        self.per_category.update(totals["category"])
        self.per_severity.update(counts)
        self.total += 1
        self.cached += cached
        self.characters += int(result.get("chars", 0))  # type: ignore[call-overload]
        if result["error"]:
            self.errors.append({"id": result["id"], "error": result["error"]})
        row = {
            "id": result["id"],
            "title": result.get("title", ""),
            "error": result["error"],
            "error_count": counts.get("error", 0),
            "warning_count": counts.get("warning", 0),
            "info_count": counts.get("info", 0),
            "risk": 10 * counts.get("error", 0) + 3 * counts.get("warning", 0) + counts.get("info", 0),
        }
        self._rows.write(json.dumps(row, ensure_ascii=False) + "\n")

    def articles(self) -> Iterator[dict[str, object]]:
        """Every article's row (id, title, error, counts per severity, risk score), in input order."""
        self._rows.flush()
        self._rows.seek(0)
        for line in self._rows:
            yield json.loads(line)
        self._rows.seek(0, os.SEEK_END)

    def totals(self) -> dict[str, object]:
        """The summary without the per-article rows."""
        return {
            "version": "1.0",
            "articles_total": self.total,
            "articles_with_errors": len(self.errors),
            "articles_from_cache": self.cached,
            "findings_total": sum(self.per_severity.values()),
            "per_severity": dict(sorted(self.per_severity.items())),
            "per_category": dict(sorted(self.per_category.items())),
            "per_rule": dict(sorted(self.per_rule.items())),
            "errors": self.errors,
        }

    def to_json(self) -> dict[str, object]:
        """The whole summary, rows included, as `summary.json` holds it."""
        return {**self.totals(), "articles": list(self.articles())}

    def write(self, path: Path) -> None:
        """Write `summary.json`, streaming the rows."""
        head = json.dumps(self.totals(), ensure_ascii=False, indent=2)
        with path.open("w", encoding="utf-8") as out:
            out.write(head[: head.rindex("}")].rstrip() + ',\n  "articles": [')
            for index, row in enumerate(self.articles()):
                out.write(("," if index else "") + "\n    " + json.dumps(row, ensure_ascii=False))
            out.write("\n  ]\n}\n" if self.total else "]\n}\n")

    def close(self) -> None:
        self._rows.close()


# an article to lint, or a result already known (from the cache)
Item = Article | dict[str, object]
# a runner lints the articles of a stream of items and yields every item's result, in input order
Runner = Callable[[Iterable[Item]], Iterator[dict[str, object]]]


def _sarif_result(finding: dict[str, object]) -> str:
    region = {
        "startLine": finding["line"],
        "startColumn": finding["column"],
        "endLine": finding["end_line"],
        "endColumn": finding["end_column"],
        "charOffset": finding["start"],
        "charLength": int(finding["end"]) - int(finding["start"]),  # type: ignore[call-overload]
    }
    result = {
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _URI}, "region": region}}],
        "ruleId": finding["rule"],
        "level": LEVELS[Severity.parse(str(finding["severity"]))],
        "message": {"text": f"{finding['message']} 建议: {finding['suggestion']}"},
    }
    return json.dumps(result, ensure_ascii=False)


def prepare(result: dict[str, object]) -> dict[str, object]:
    """The cached form of a result: its findings as JSON Lines (each without its opening brace, to which the
    article id is prefixed when written) and as comma-separated SARIF results, plus their counts."""
    findings: list[dict[str, object]] = result.pop("findings")  # type: ignore[assignment]
    result["lines"] = "\n".join(json.dumps(f, ensure_ascii=False)[1:] for f in findings)
    result["sarif"] = ",".join(_sarif_result(f) for f in findings)
    result["rules"] = {str(f["rule"]): {"category": f["category"], "basis": f["basis"]} for f in findings}
    result["counts"] = {key: dict(Counter(str(f[key]) for f in findings)) for key in ("severity", "rule", "category")}
    return result


def _windowed(
    items: Iterable[Item],
    submit: Callable[[Article], Any],
    wait_first: Callable[[list[Any]], Iterable[Any]],
    window: int,
) -> Iterator[dict[str, object]]:
    """Submit articles, keep at most `window` of them in flight (and a bounded number of finished results
    waiting for an earlier one), and yield results in input order; results already known pass straight
    through."""
    futures: dict[Any, int] = {}
    pending: dict[int, dict[str, object]] = {}
    next_index = 0
    for index, item in enumerate(items):
        if isinstance(item, Article):
            futures[submit(item)] = index
        else:
            pending[index] = item
        while futures and (len(futures) >= window or len(pending) >= 16 * window):
            for future in wait_first(list(futures)):
                pending[futures.pop(future)] = future.result()
            while next_index in pending:
                yield pending.pop(next_index)
                next_index += 1
        while next_index in pending:
            yield pending.pop(next_index)
            next_index += 1
    for future, index in futures.items():
        pending[index] = future.result()
    while next_index in pending:
        yield pending.pop(next_index)
        next_index += 1


def _load_shared_state(settings: ScanSettings) -> None:
    """Build the rule set and the segmenter once, before the workers start: forked workers inherit them, and a
    first run compiles the segmenter's table once instead of once per worker."""
    from lint.segment import segmenter

    _config(settings)
    segmenter()


def local_runner(settings: ScanSettings, jobs: int) -> Runner:
    """Lint in this process (jobs=1) or in a bounded pool of worker processes, yielding in input order."""

    def run(items: Iterable[Item]) -> Iterator[dict[str, object]]:
        if jobs <= 1:
            for item in items:
                yield lint_article(settings, item) if isinstance(item, Article) else item
            return
        _load_shared_state(settings)
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from _windowed(
                items,
                lambda article: pool.submit(lint_article, settings, article),
                lambda futures: wait(futures, return_when=FIRST_COMPLETED)[0],
                jobs * 4,
            )

    return run


def dask_runner(settings: ScanSettings, scheduler: str, window: int = 64) -> Runner:
    """Run the same per-article kernel on a dask.distributed cluster, yielding in input order."""

    def run(items: Iterable[Item]) -> Iterator[dict[str, object]]:
        from distributed import Client
        from distributed import wait as dask_wait

        with Client(scheduler) as client:
            yield from _windowed(
                items,
                lambda article: client.submit(lint_article, settings, article, pure=False),
                lambda futures: dask_wait(futures, return_when="FIRST_COMPLETED").done,
                window,
            )

    return run


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _with_cache(
    articles: Iterable[Article], cache: ResultCache | None, fingerprint: str, keys: dict[int, str]
) -> Iterator[Item]:
    """Each article, or its cached result (marked `_cached`), looked up 256 articles at a time. The cache keys
    of the articles to lint are left in `keys`, by input position."""
    if cache is None:
        yield from articles
        return
    position = 0
    for batch in _batches(articles, 256):
        wanted = {index: cache_key(fingerprint, a) for index, a in enumerate(batch) if a.error is None}
        found = cache.get_many(list(wanted.values())) if wanted else {}
        for index, article in enumerate(batch):
            key = wanted.get(index)
            if key in found:
                cached = found[key]
                yield {**cached, "id": article.id, "title": article.title or cached.get("title", ""), "_cached": True}
                continue
            if key is not None:
                keys[position + index] = key
            yield article
        position += len(batch)


def scan(
    articles: Iterable[Article],
    settings: ScanSettings,
    out_dir: Path,
    runner: Runner,
    cache_path: Path | None = None,
    on_article: Callable[[dict[str, object]], None] | None = None,
) -> ScanSummary:
    """Scan `articles`, writing `findings.jsonl`, `summary.json` and `findings.sarif` into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fingerprint = settings.fingerprint()
    cache = ResultCache(cache_path) if cache_path else None
    summary = ScanSummary()
    keys: dict[int, str] = {}
    rules: dict[str, object] = {}
    placeholder = json.dumps(_URI)
    try:
        with (
            (out_dir / "findings.jsonl").open("w", encoding="utf-8") as findings_out,
            (out_dir / "findings.sarif").open("w", encoding="utf-8") as sarif_out,
        ):
            sarif_out.write(
                '{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{"results": ['
            )
            separator = ""
            for emitted, result in enumerate(runner(_with_cache(articles, cache, fingerprint, keys))):
                cached = result.pop("_cached", False)
                key = keys.pop(emitted, None)
                if not cached:
                    result = prepare(result)
                    if cache is not None and key is not None and result["error"] is None:
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
            sarif_out.write(_sarif_tail(rules, summary))
    finally:
        if cache is not None:
            cache.close()
    summary.write(out_dir / "summary.json")
    return summary


def _sarif_tail(rules: dict[str, object], summary: ScanSummary) -> str:
    """The end of the streamed SARIF log: the rules seen, and unreadable articles as notifications."""
    notifications = [
        {
            "level": "error",
            "message": {"text": str(entry["error"])},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": str(entry["id"])}}}],
        }
        for entry in summary.errors
    ]
    driver = {
        "name": "healthlint",
        "version": __version__,
        "rules": [{"id": rule, "properties": meta} for rule, meta in sorted(rules.items())],
    }
    invocation = {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
    return (
        f'], "columnKind": "unicodeCodePoints", "tool": {json.dumps({"driver": driver}, ensure_ascii=False)}, '
        f'"invocations": [{json.dumps(invocation, ensure_ascii=False)}]}}]}}\n'
    )


def default_jobs() -> int:
    """One worker per available core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
