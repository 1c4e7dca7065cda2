"""Worker processes for `healthlint scan` that one article cannot take down.

Each worker lints one article at a time under the article's time budget (`lint.app.guard`), so an exception
or an overrun normally comes back as that article's error entry. What the worker cannot catch is handled here:
a worker that dies (a crash, the out-of-memory killer) or stays on one article past the hard limit breaks the
pool; the pool is rebuilt, the article that was over the limit becomes an error entry, and the other articles
in flight are linted again — one at a time when the culprit is unknown, so only the article that kills a
worker is lost. Workers also exit on their own when the scan's main process dies.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import field

from lint.app.scan.window import lost
from lint.core.records import record
from lint.io.archive import Article

_POLL = 0.5


def _watch_parent(parent: int) -> None:
    """In a worker: ignore Ctrl-C (the main process handles it) and exit as soon as the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(_POLL)

    threading.Thread(target=watch, name="healthlint-parent-watch", daemon=True).start()


@record(eq=False)
class _Task:
    article: Article
    future: Future  # type: ignore[type-arg]
    inner: Future | None = None  # type: ignore[type-arg]
    running_since: float | None = field(default=None)


class WorkerPool:
    """`jobs` worker processes running `task(article)`; `submit` returns a future that always ends in a result
    (the article's, or its error entry), never in an exception."""

    def __init__(self, task: Callable[[Article], dict[str, object]], jobs: int, hard_limit: float | None) -> None:
        self.task = task
        self.jobs = jobs
        self.hard_limit = hard_limit
        self.tasks: dict[Future, _Task] = {}  # type: ignore[type-arg]
        self.restarts = 0
        self.executor = self._executor()

    def _executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_watch_parent, initargs=(os.getpid(),))

    def submit(self, article: Article) -> Future:  # type: ignore[type-arg]
        task = _Task(article, Future())
        self.tasks[task.future] = task
        self._start(task)
        return task.future

    def _start(self, task: _Task) -> None:
        task.inner = self.executor.submit(self.task, task.article)
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
                task.future.set_result(lost(task.article, error))
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
            task.future.set_result(
                {
                    **lost(task.article, None),
                    "error": f"over the hard time limit of {self.hard_limit:g} s: the worker was stopped",
                }
            )
        suspects = [task for task in self.tasks.values() if not task.future.done()]
        self.executor = self._executor()
        if culprit_known:
            for task in suspects:
                self._start(task)
            return
        for task in suspects:
            self._run_alone(task)

    def _run_alone(self, task: _Task) -> None:
        """Lint one suspect of a dead worker by itself: if it kills its worker too, it is the culprit."""
        self._start(task)
        assert task.inner is not None
        finished, _ = wait([task.inner], timeout=self.hard_limit)
        error = task.inner.exception() if finished else None
        if finished and error is None:
            task.future.set_result(task.inner.result())
            return
        if finished and not isinstance(error, BrokenProcessPool):
            task.future.set_result(lost(task.article, error))
            return
        self._kill()
        self.restarts += 1
        reason = (
            f"over the hard time limit of {self.hard_limit:g} s: the worker was stopped"
            if not finished
            else "the worker process died while linting this article (a crash or the out-of-memory killer)"
        )
        task.future.set_result({**lost(task.article, None), "error": reason})
        self.executor = self._executor()

    def close(self, cancel: bool = False) -> None:
        """Shut the workers down: let them finish, or with `cancel` stop them now."""
        if cancel:
            self._kill()
        else:
            self.executor.shutdown(wait=True, cancel_futures=True)
