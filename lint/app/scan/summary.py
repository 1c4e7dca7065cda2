"""The totals of a scan and its per-article rows, spooled to disk so that the main process stays flat."""

from __future__ import annotations

import heapq
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any


def _spool() -> IO[str]:
    return tempfile.TemporaryFile("w+", encoding="utf-8")


def _records(spool: IO[str]) -> Iterator[Any]:
    """The JSON records of `spool`, one a line, read with positioned reads: the file's own position stays at
    its end, so records can be added while an earlier reading is still open."""
    spool.flush()
    descriptor, offset, rest = spool.fileno(), 0, b""
    while chunk := os.pread(descriptor, READ_SIZE, offset):
        offset += len(chunk)
        *lines, rest = (rest + chunk).split(b"\n")
        for line in lines:
            yield json.loads(line)


# the items a spooled sort holds in memory at once, and the sorted runs of one size it merges into one
RUN_LENGTH = 10_000
FAN_IN = 16
# the bytes read from a spool file at a time
READ_SIZE = 1 << 14


def spooled_sort(items: Iterable[Any], key: Callable[[Any], Any]) -> Iterator[Any]:
    """`sorted(items, key=key)`, stable, in memory that does not grow with the items (JSON values): they are
    read at once, in sorted runs of `RUN_LENGTH` spooled to temporary files; every `FAN_IN` runs of one size
    are merged into a run of the next size (so O(n log n) in all), and the iterator merges what is left."""
    runs: list[tuple[int, IO[str]]] = []
    batch: list[Any] = []

    def add(run: IO[str]) -> None:
        runs.append((0, run))
        while len(runs) >= FAN_IN and len({level for level, _ in runs[-FAN_IN:]}) == 1:
            level = runs[-1][0]
            group = [spooled for _, spooled in runs[-FAN_IN:]]
            del runs[-FAN_IN:]
            runs.append((level + 1, _run(_merged(group, key))))

    for item in items:
        batch.append(item)
        if len(batch) == RUN_LENGTH:
            add(_run(sorted(batch, key=key)))
            batch = []
    if not runs:
        return iter(sorted(batch, key=key))
    if batch:
        add(_run(sorted(batch, key=key)))
    return _merged([run for _, run in runs], key)


def _run(items: Iterable[Any]) -> IO[str]:
    run = _spool()
    for item in items:
        run.write(json.dumps(item, ensure_ascii=False) + "\n")
    run.flush()
    return run


def _merged(runs: list[IO[str]], key: Callable[[Any], Any]) -> Iterator[Any]:
    """The items of the sorted `runs`, merged (earlier runs first among equals); the runs are closed after."""
    try:
        yield from heapq.merge(*(_records(run) for run in runs), key=key)
    finally:
        for run in runs:
            run.close()


def _json_list(out: IO[str], items: Iterator[dict[str, object]]) -> None:
    """Write `items` as the value of a top-level key of a `json.dumps(indent=2)` document, byte for byte."""
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        out.write(("[\n    " if first else ",\n    ") + body)
        first = False
    out.write("[]" if first else "\n  ]")


class ScanSummary:
    """Totals of a scan; every input article is listed, scanned or errored.

    The per-article rows and the problems are spooled to temporary files, so the main process stays flat
    however large the archive (and however many of its articles fail); `articles()`, `errors` and `problems`
    read them back in input order.
    """

    def __init__(self) -> None:
        self.per_rule: Counter[str] = Counter()
        self.per_category: Counter[str] = Counter()
        self.per_severity: Counter[str] = Counter()
        self.total = 0
        self.cached = 0
        self.characters = 0
        self.faults = 0
        self.cache_rejected = 0
        self.error_count = 0
        self.problem_count = 0
        self._rows = _spool()
        self._problems = _spool()

    def add(self, result: dict[str, object], cached: bool) -> None:
        totals: dict[str, dict[str, int]] = result["counts"]  # type: ignore[assignment]
        counts = Counter(totals["severity"])
        self.per_rule.update(totals["rule"])
        self.per_category.update(totals["category"])
        self.per_severity.update(counts)
        self.total += 1
        self.cached += cached
        self.characters += int(result.get("chars", 0))  # type: ignore[call-overload]
        self.error_count += bool(result["error"])
        self.faults += bool(result.get("fault"))
        for problem in result.get("problems") or ():  # type: ignore[attr-defined]
            self._problems.write(json.dumps({"id": result["id"], "problem": problem}, ensure_ascii=False) + "\n")
            self.problem_count += 1
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
        return _records(self._rows)

    @property
    def errors(self) -> Iterator[dict[str, object]]:
        """The id and error of every article that could not be linted, in input order."""
        return ({"id": row["id"], "error": row["error"]} for row in self.articles() if row["error"])

    @property
    def problems(self) -> Iterator[dict[str, object]]:
        """The id and text of every problem (a rule timeout, an uncovered language), in input order."""
        return _records(self._problems)

    def counts(self) -> dict[str, object]:
        """The summary's totals, without the lists of errors, problems and articles."""
        return {
            "version": "1.0",
            "articles_total": self.total,
            "articles_with_errors": self.error_count,
            "articles_from_cache": self.cached,
            "findings_total": sum(self.per_severity.values()),
            "per_severity": dict(sorted(self.per_severity.items())),
            "per_category": dict(sorted(self.per_category.items())),
            "per_rule": dict(sorted(self.per_rule.items())),
        }

    def totals(self) -> dict[str, object]:
        """The summary without the per-article rows."""
        return {
            **self.counts(),
            "errors": list(self.errors),
            "internal_errors": self.faults,
            "problems": list(self.problems),
        }

    def to_json(self) -> dict[str, object]:
        """The whole summary, rows included, as `summary.json` holds it."""
        return {**self.totals(), "articles": list(self.articles())}

    def write(self, out: IO[str]) -> None:
        """Write `summary.json` to `out`, streaming the errors, problems and rows (as `json.dumps(to_json(),
        indent=2)` would write it)."""
        head = json.dumps(self.counts(), ensure_ascii=False, indent=2)
        out.write(head[: head.rindex("}")].rstrip() + ',\n  "errors": ')
        _json_list(out, self.errors)
        out.write(f',\n  "internal_errors": {self.faults},\n  "problems": ')
        _json_list(out, self.problems)
        out.write(',\n  "articles": [')
        for index, row in enumerate(self.articles()):
            out.write(("," if index else "") + "\n    " + json.dumps(row, ensure_ascii=False))
        out.write("\n  ]\n}\n" if self.total else "]\n}\n")

    def close(self) -> None:
        self._rows.close()
        self._problems.close()

    def dashboard_rows(self) -> Iterator[dict[str, object]]:
        """The rows of the archive dashboard: every readable article with its counts and risk score."""
        for article in self.articles():
            if not article["error"]:
                yield {
                    "path": article["id"],
                    "title": article["title"],
                    "page": None,
                    "error": article["error_count"],
                    "warning": article["warning_count"],
                    "info": article["info_count"],
                    "risk": article["risk"],
                }
