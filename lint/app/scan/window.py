"""Bounded, ordered parallelism: keep a window of articles in flight and yield their results in input order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from lint.io.archive import Article

# an article to lint, or a result already known (from the cache)
Item = Article | dict[str, object]


def windowed(
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


def batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
