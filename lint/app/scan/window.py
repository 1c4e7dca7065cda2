"""Bounded, ordered parallelism: keep a window of articles in flight and yield their results in input order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lint.io.archive import Article
from lint.io.sources import describe

# an article to lint, or a result already known (from the cache)
Item = Article | dict[str, object]


def lost(article: Article, reason: str) -> dict[str, object]:
    """The error entry of an article whose result never came back (its worker raised or died): `reason`."""
    return {"id": article.id, "title": article.title, "error": reason, "findings": [], "fault": True}


def _result(future: Any, article: Article) -> dict[str, object]:
    try:
        return future.result()  # type: ignore[no-any-return]
    except Exception as error:  # a failure of the worker, not of the article: the article's error entry
        return lost(article, f"internal error: {describe(error)}")


def windowed(
    items: Iterable[Item],
    submit: Callable[[Article], Any],
    wait_first: Callable[[list[Any]], Iterable[Any]],
    window: int,
) -> Iterator[dict[str, object]]:
    """Submit articles, keep at most `window` of them in flight (and a bounded number of finished results
    waiting for an earlier one), and yield results in input order; results already known pass straight
    through. A future that fails gives its article's error entry."""
    futures: dict[Any, tuple[int, Article]] = {}
    pending: dict[int, dict[str, object]] = {}
    next_index = 0

    def collect() -> None:
        for future in wait_first(list(futures)):
            position, article = futures.pop(future)
            pending[position] = _result(future, article)

    def in_order() -> Iterator[dict[str, object]]:
        nonlocal next_index
        while next_index in pending:
            yield pending.pop(next_index)
            next_index += 1

    for index, item in enumerate(items):
        if isinstance(item, Article):
            futures[submit(item)] = (index, item)
        else:
            pending[index] = item
        while futures and (len(futures) >= window or len(pending) >= 16 * window):
            collect()
            yield from in_order()
        yield from in_order()
    while futures:
        collect()
        yield from in_order()


def batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
