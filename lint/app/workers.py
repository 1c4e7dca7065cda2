"""Worker processes that one unit of work cannot take down, for `healthlint scan` (articles) and `healthlint check`
(files).

Each worker runs one item at a time; the task isolates its own failures (`lint.app.guard`), so an exception or
an overrun normally comes back as that item's error entry. What the worker cannot catch is handled here: a
worker that dies (a crash, the out-of-memory killer) or stays on one item past the hard limit breaks the pool;
the pool is rebuilt, the item that was over the limit gets the pool's `lost` result, and the other items in
flight are run again — one at a time when the culprit is unknown, so only the item that kills a worker is
lost. Workers are forked where the platform can (they inherit what the main process loaded: packs, rules, the
segmenter) and exit on their own when the main process dies.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import field
from typing import Any, Generic, TypeVar

from lint.core.records import record
from lint.io.sources import describe

T = TypeVar("T")
R = TypeVar("R")

_POLL = 0.5


def _watch_parent(parent: int) -> None:
    """In a worker: ignore Ctrl-C (the main process handles it), exit as soon as the parent is gone, and save
    what the worker added to the kept tables (patterns analysed and compiled) when it stops: a worker exits
    without running `atexit` handlers, and a first run shared among workers would otherwise keep nothing."""
    from multiprocessing.util import Finalize

    from lint.io.kept import save_kept_tables

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    Finalize(None, save_kept_tables, exitpriority=0)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(_POLL)

    threading.Thread(target=watch, name="healthlint-parent-watch", daemon=True).start()


def default_jobs() -> int:
    """One worker per available core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether workers can be forked here (and so inherit what the main process has loaded)."""
    return "fork" in multiprocessing.get_all_start_methods()


@record(eq=False)
class _Task:
    item: Any
    future: Future  # type: ignore[type-arg]
    inner: Future | None = None  # type: ignore[type-arg]
    running_since: float | None = field(default=None)


class WorkerPool(Generic[T, R]):
    """`jobs` worker processes running `task(item)`; `submit` returns a future that always ends in a result (the
    item's, or `lost(item, reason)` when the item's result never came back), never in an exception."""

    def __init__(
        self, task: Callable[[T], R], jobs: int, hard_limit: float | None, lost: Callable[[T, str], R]
    ) -> None:
        self.task = task
        self.jobs = jobs
        self.hard_limit = hard_limit
        self.lost = lost
        self.tasks: dict[Future, _Task] = {}  # type: ignore[type-arg]
        self.restarts = 0
        self.executor = self._executor()

    def _executor(self) -> ProcessPoolExecutor:
        # what the main process made so far (packs, rules, tables) is moved out of the collector's sight: a
        # collection in a forked worker then never writes to those pages, which stay shared with the main process
        gc.freeze()
        context = multiprocessing.get_context("fork") if can_fork() else None
        return ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=context, initializer=_watch_parent, initargs=(os.getpid(),)
        )

    def submit(self, item: T) -> Future:  # type: ignore[type-arg]
        task = _Task(item, Future())
        self.tasks[task.future] = task
        self._start(task)
        return task.future

    def _start(self, task: _Task) -> None:
        task.inner = self.executor.submit(self.task, task.item)
        task.running_since = None

    def wait_first(self, futures: Iterable[Future]) -> set[Future]:  # type: ignore[type-arg]
        """Block until at least one of `futures` has its result; return those that have."""
        wanted = list(futures)
        while True:
            done = {future for future in wanted if future.done()}
            if done:
                for future in done:
                    self.tasks.pop(future, None)
                return done
            self._step()

    def _step(self) -> None:
        live = {task.inner: task for task in self.tasks.values() if not task.future.done() and task.inner}
        finished, _ = wait(list(live), timeout=_POLL, return_when=FIRST_COMPLETED)
        broken = False
        for inner in finished:
            task = live[inner]
            error = inner.exception()
            if error is None:
                task.future.set_result(inner.result())
            elif isinstance(error, BrokenProcessPool):
                broken = True
            else:
                task.future.set_result(self.lost(task.item, f"internal error: {describe(error)}"))
        overdue = self._overdue(live.values())
        if broken or overdue:
            self._recover(overdue, culprit_known=not broken)

    def _overdue(self, tasks: Iterable[_Task]) -> list[_Task]:
        if self.hard_limit is None:
            return []
        now = time.monotonic()
        late = []
        for task in tasks:
            if task.inner is not None and task.inner.running() and not task.future.done():
                task.running_since = task.running_since or now
                if now - task.running_since > self.hard_limit:
                    late.append(task)
        return late

    def _kill(self) -> None:
        """Stop every worker at once (a private map of the executor; there is no public way to kill one)."""
        processes = list(getattr(self.executor, "_processes", {}).values())
        for process in processes:
            if process.is_alive():
                process.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout=5)

    def _recover(self, overdue: list[_Task], culprit_known: bool) -> None:
        self._kill()
        self.restarts += 1
        for task in overdue:
            task.future.set_result(self.lost(task.item, self._over_limit()))
        suspects = [task for task in self.tasks.values() if not task.future.done()]
        self.executor = self._executor()
        if culprit_known:
            for task in suspects:
                self._start(task)
            return
        for task in suspects:
            self._run_alone(task)

    def _run_alone(self, task: _Task) -> None:
        """Run one suspect of a dead worker by itself: if it kills its worker too, it is the culprit."""
        self._start(task)
        assert task.inner is not None
        finished, _ = wait([task.inner], timeout=self.hard_limit)
        error = task.inner.exception() if finished else None
        if finished and error is None:
            task.future.set_result(task.inner.result())
            return
        if finished and not isinstance(error, BrokenProcessPool):
            task.future.set_result(self.lost(task.item, f"internal error: {describe(error)}"))
            return
        self._kill()
        self.restarts += 1
        reason = self._over_limit() if not finished else "the worker process died (a crash or the out-of-memory killer)"
        task.future.set_result(self.lost(task.item, reason))
        self.executor = self._executor()

    def _over_limit(self) -> str:
        return f"over the hard time limit of {self.hard_limit:g} s: the worker was stopped"

    def close(self, cancel: bool = False) -> None:
        """Shut the workers down: let them finish, or with `cancel` stop them now."""
        if cancel:
            self._kill()
        else:
            self.executor.shutdown(wait=True, cancel_futures=True)
