"""Isolation boundaries: one file, article or request whose processing raises (or runs past its time budget)
becomes a `Fault` — plain, picklable text — and the batch around it goes on.

`check`, `scan` and `serve` wrap each unit of work in `isolate`; the traceback is kept for `--debug`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from lint.core.records import record

T = TypeVar("T")


class OverBudget(Exception):
    """The time budget of one unit of work ran out."""


class WorkerLost(Exception):
    """No result came back for one unit of work: its worker process died, failed or was stopped."""


@record(frozen=True, slots=True)
class Fault:
    """An exception caught at an isolation boundary: its type, message and traceback, as text."""

    kind: str
    message: str
    traceback: str = ""

    @classmethod
    def of(cls, error: BaseException) -> Fault:
        import traceback

        kind = type(error)
        name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
        return cls(name, str(error), "".join(traceback.format_exception(error)))

    def describe(self) -> str:
        """The error entry of the unit: `internal error: Type: message`, or the budget that ran out, or why its
        worker gave no result."""
        if self.kind in _VERDICTS:
            return self.message
        return f"internal error: {self.kind}: {self.message}"


# faults that are the boundary's verdict on a unit, not an exception of its own: described by their message
_VERDICTS = frozenset(f"{__name__}.{kind.__qualname__}" for kind in (OverBudget, WorkerLost))


def _can_time() -> bool:
    import signal

    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise `OverBudget` inside the block once it has used `seconds` of CPU time (a profiling-timer signal: the
    budget measures the work itself, so a loaded machine does not turn slow articles into errors; a block that
    waits instead of working is left to the caller's wall-clock limit). Only in the main thread of a POSIX
    process; elsewhere the block runs unbounded. The previous timer is restored on exit."""
    if not seconds or not _can_time():
        yield
        return
    import signal

    def expire(signum: int, frame: object) -> None:
        raise OverBudget(f"over the time budget of {seconds:g} s: not linted")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def isolate(work: Callable[[], T], budget: float | None = None) -> T | Fault:
    """Run `work`; an exception (any but KeyboardInterrupt and SystemExit) or an expired budget becomes a
    `Fault` instead of propagating."""
    try:
        with time_budget(budget):
            return work()
    except Exception as error:
        return Fault.of(error)
