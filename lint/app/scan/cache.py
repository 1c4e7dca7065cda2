"""The result cache of `healthlint scan`: finished articles in SQLite, keyed by content and rule fingerprint.

Every row carries the cache format and a checksum of its contents: a row that fails either is dropped and its
article linted again. A database that SQLite cannot read (garbage, truncated, malformed pages) is moved aside
and rebuilt with a warning, at open or mid-scan, so a damaged cache costs time, never correctness.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from lint.app.scan.window import Item, batches
from lint.io.archive import Article

# bumped whenever the form of a cached row changes
CACHE_FORMAT = 6
T = TypeVar("T")


class CacheError(Exception):
    """The result cache cannot be opened or written."""


def _checksum(key: str, meta: str, lines: str, sarif: str) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{key}\0".encode())
    for part in (meta, lines, sarif):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class ResultCache:
    """Finished results in SQLite, committed one by one so that an interrupted scan keeps them.

    A row keeps the small fields as JSON and the findings as ready-to-write text, so that a re-scan copies
    them out without parsing them. `rejected` counts rows dropped for a bad checksum or format, `rebuilt` the
    times the database was moved aside. Only opening raises (`CacheError`); later faults degrade to no cache.
    """

    TABLE = f"results_v{CACHE_FORMAT}"

    def __init__(self, path: Path, warn: Callable[[str], None] = lambda message: None) -> None:
        self.path = path
        self.warn = warn
        self.rejected = 0
        self.rebuilt = 0
        self.connection: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._open()
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError):
                raise CacheError(f"cannot use {path} as the result cache: {error}") from None
            self._rebuild(error)
        except OSError as error:
            raise CacheError(f"cannot use {path} as the result cache: {error}") from None

    def _open(self) -> None:
        self.connection = sqlite3.connect(self.path, timeout=30)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute(
            f"CREATE TABLE IF NOT EXISTS {self.TABLE} (key TEXT PRIMARY KEY, format INTEGER NOT NULL, "
            "checksum TEXT NOT NULL, meta TEXT NOT NULL, lines TEXT NOT NULL, sarif TEXT NOT NULL)"
        )
        self.connection.execute(f"SELECT COUNT(*) FROM {self.TABLE}").fetchone()
        self.connection.commit()

    def _rebuild(self, error: sqlite3.DatabaseError) -> None:
        """Move the unreadable database (and its journal files) aside and start an empty one."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                journal = self.path.with_name(self.path.name + suffix)
                if journal.exists():
                    journal.replace(aside.with_name(aside.name + suffix))
            self._open()
        except (OSError, sqlite3.Error) as again:
            raise CacheError(
                f"the result cache {self.path} is damaged ({error}) and cannot be rebuilt: {again}"
            ) from None
        self.rebuilt += 1
        self.warn(f"the result cache {self.path} was damaged ({error}); moved to {aside.name} and rebuilt")

    def _guarded(self, operation: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        """Run `operation`; on a damaged database, rebuild it and run it again. When the cache cannot be used
        any more (rebuilt in vain, disk full, I/O error), warn once and go on without it: `fallback`."""
        if self.connection is None:
            return fallback
        try:
            try:
                return operation(self.connection)
            except sqlite3.DatabaseError as error:
                if isinstance(error, sqlite3.OperationalError):
                    raise
                self._rebuild(error)
                return operation(self.connection)
        except (sqlite3.Error, CacheError, OSError) as error:
            self.close()
            self.warn(f"the result cache {self.path} cannot be used ({error}); the scan goes on without it")
            return fallback

    def get_many(self, keys: list[str]) -> dict[str, dict[str, object]]:
        """The intact cached results among `keys`; damaged rows are deleted and left out."""

        def select(connection: sqlite3.Connection) -> dict[str, dict[str, object]]:
            found: dict[str, dict[str, object]] = {}
            bad: list[str] = []
            for first in range(0, len(keys), 500):
                chunk = keys[first : first + 500]
                rows = connection.execute(
                    f"SELECT key, format, checksum, meta, lines, sarif FROM {self.TABLE} "
                    f"WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                for key, form, checksum, meta, lines, sarif in rows:
                    result = self._intact(key, form, checksum, meta, lines, sarif)
                    if result is None:
                        bad.append(key)
                    else:
                        found[key] = result
            if bad:
                connection.executemany(f"DELETE FROM {self.TABLE} WHERE key = ?", [(key,) for key in bad])
                connection.commit()
                self.rejected += len(bad)
            return found

        return self._guarded(select, {})

    @staticmethod
    def _intact(key: str, form: object, checksum: object, meta: object, lines: object, sarif: object) -> dict | None:  # type: ignore[type-arg]
        if form != CACHE_FORMAT or not all(isinstance(part, str) for part in (checksum, meta, lines, sarif)):
            return None
        if checksum != _checksum(key, meta, lines, sarif):  # type: ignore[arg-type]
            return None
        try:
            fields = json.loads(meta)  # type: ignore[arg-type]
        except ValueError:
            return None
        return {**fields, "lines": lines, "sarif": sarif} if isinstance(fields, dict) else None

    def put(self, key: str, result: dict[str, object]) -> None:
        meta = json.dumps({n: v for n, v in result.items() if n not in ("lines", "sarif")}, ensure_ascii=False)
        lines, sarif = str(result["lines"]), str(result["sarif"])

        def insert(connection: sqlite3.Connection) -> None:
            connection.execute(
                f"INSERT OR REPLACE INTO {self.TABLE} (key, format, checksum, meta, lines, sarif) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (key, CACHE_FORMAT, _checksum(key, meta, lines, sarif), meta, lines, sarif),
            )
            connection.commit()

        self._guarded(insert, None)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def cache_key(fingerprint: str, article: Article) -> str:
    """A hash of everything a cached row holds about an article: its content (bytes or text) and kind, the
    title it came with (a row keeps the title), and the rule fingerprint."""
    digest = hashlib.sha256(fingerprint.encode())
    source = "bytes" if article.data is not None else "text"
    digest.update(f"\0{article.kind}\0{source}\0{article.title}\0".encode("utf-8", "surrogatepass"))
    digest.update(article.data if article.data is not None else (article.text or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def with_cache(
    articles: Iterable[Article], cache: ResultCache | None, fingerprint: str, keys: dict[int, str]
) -> Iterator[Item]:
    """Each article, or its cached result (marked `_cached`), looked up 256 articles at a time. The cache keys
    of the articles to lint are left in `keys`, by input position."""
    if cache is None:
        yield from articles
        return
    position = 0
    for batch in batches(articles, 256):
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
