"""Scaling assertions: a slow path is tested by how its cost grows, never by a wall-clock limit."""

from __future__ import annotations

import time
from collections.abc import Callable


def cost(run: Callable[[], object], repeat: int = 3) -> float:
    """The least CPU time of `repeat` calls of `run` (CPU time, so other load on the machine matters less)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def assert_linear(make: Callable[[int], Callable[[], object]], small: int, factor: int = 8, slack: float = 3.0) -> None:
    """`make(n)` builds a run over an input of size n; the run at `factor`×`small` must cost at most
    `slack`×`factor` times the run at `small` (a quadratic path costs `factor`² times, 64× for the default)."""
    make(small)()  # warm up: lazily built tables and caches are not part of the cost
    baseline = max(cost(make(small)), 0.005)
    grown = cost(make(small * factor), repeat=2)
    assert grown <= slack * factor * baseline, (
        f"input ×{factor} cost ×{grown / baseline:.1f} ({baseline:.3f}s → {grown:.3f}s); linear allows ×{slack * factor:g}"
    )
