"""The pool of worker processes `check` and `scan` share: one item that kills or stalls its worker costs only
that item; the others come back, in whatever type the task gives."""

import os
import signal
import time

from lint.app.scan.window import lost
from lint.app.workers import WorkerPool
from lint.io.archive import Article

EXIT, STUCK = "【退出】", "【卡死】"


def _lint_marked(article: Article) -> dict[str, object]:
    """A stand-in task for the pool: misbehaves on marked texts like `_faulty_check_document`."""
    text = article.text or ""
    if EXIT in text:
        os._exit(9)
    if STUCK in text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})
        time.sleep(60)
    return {"id": article.id, "title": "", "error": None, "findings": [], "text": text}


def test_a_dead_worker_costs_only_its_article() -> None:
    pool = WorkerPool(_lint_marked, jobs=2, hard_limit=20, lost=lost)
    try:
        articles = [Article(f"a{i}", text=EXIT if i == 3 else f"正文{i}") for i in range(8)]
        futures = [pool.submit(article) for article in articles]
        results = {}
        remaining = list(futures)
        while remaining:
            for future in pool.wait_first(remaining):
                remaining.remove(future)
        results = [future.result() for future in futures]
    finally:
        pool.close()
    assert [r["error"] is None for r in results] == [True, True, True, False, True, True, True, True]
    assert "the worker process died" in str(results[3]["error"])
    assert [r.get("text") for r in results if r["error"] is None] == [f"正文{i}" for i in range(8) if i != 3]
    assert pool.restarts >= 1


def test_a_worker_stuck_past_the_hard_limit_is_stopped_and_the_others_go_on() -> None:
    pool = WorkerPool(_lint_marked, jobs=2, hard_limit=1.0, lost=lost)
    try:
        articles = [Article(f"a{i}", text=STUCK if i == 1 else f"正文{i}") for i in range(6)]
        futures = [pool.submit(article) for article in articles]
        started = time.monotonic()
        remaining = list(futures)
        while remaining:
            for future in pool.wait_first(remaining):
                remaining.remove(future)
        elapsed = time.monotonic() - started
        results = [future.result() for future in futures]
    finally:
        pool.close()
    assert results[1]["error"] == "over the hard time limit of 1 s: the worker was stopped"
    assert all(r["error"] is None for i, r in enumerate(results) if i != 1)
    assert elapsed < 30


def _square(number: int) -> tuple[int, str]:
    if number == 4:
        raise ValueError("four")
    if number == 6:
        os._exit(3)
    return number * number, ""


def test_any_item_and_result_type_and_why_an_item_was_lost() -> None:
    pool: WorkerPool[int, tuple[int, str]] = WorkerPool(_square, jobs=2, hard_limit=20, lost=lambda n, why: (-n, why))
    try:
        futures = [pool.submit(number) for number in range(8)]
        remaining = list(futures)
        while remaining:
            for future in pool.wait_first(remaining):
                remaining.remove(future)
    finally:
        pool.close()
    results = [future.result() for future in futures]
    assert [r for i, r in enumerate(results) if i not in (4, 6)] == [(i * i, "") for i in range(8) if i not in (4, 6)]
    assert results[4] == (-4, "internal error: ValueError: four")
    assert results[6] == (-6, "the worker process died (a crash or the out-of-memory killer)")
