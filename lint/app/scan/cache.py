"""The result cache of `healthlint scan`: finished articles in SQLite, keyed by content and rule fingerprint."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from lint.app.scan.window import Item, batches
from lint.io.archive import Article

# bumped whenever the form of a cached row changes
CACHE_FORMAT = 5


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
