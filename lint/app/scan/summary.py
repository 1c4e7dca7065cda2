"""The totals of a scan and its per-article rows, spooled to disk so that the main process stays flat."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from typing import IO


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
        self.faults = 0
        self.cache_rejected = 0
        self.errors: list[dict[str, object]] = []
        self.problems: list[dict[str, object]] = []
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
        self.faults += bool(result.get("fault"))
        for problem in result.get("problems") or ():  # type: ignore[attr-defined]
            self.problems.append({"id": result["id"], "problem": problem})
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
            "internal_errors": self.faults,
            "problems": self.problems,
        }

    def to_json(self) -> dict[str, object]:
        """The whole summary, rows included, as `summary.json` holds it."""
        return {**self.totals(), "articles": list(self.articles())}

    def write(self, out: IO[str]) -> None:
        """Write `summary.json` to `out`, streaming the rows."""
        head = json.dumps(self.totals(), ensure_ascii=False, indent=2)
        out.write(head[: head.rindex("}")].rstrip() + ',\n  "articles": [')
        for index, row in enumerate(self.articles()):
            out.write(("," if index else "") + "\n    " + json.dumps(row, ensure_ascii=False))
        out.write("\n  ]\n}\n" if self.total else "]\n}\n")

    def close(self) -> None:
        self._rows.close()

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
