"""`check_files`: the files of a `check`, in this process or in forked workers, with the same reports in order."""

from dataclasses import replace
from pathlib import Path

import pytest

import lint.app.runner as runner
from lint.app.guard import Fault
from lint.app.runner import PARALLEL_AFTER, Options, check_files, plan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"


def _planned(paths: list[Path]) -> list[tuple[runner.Setup, Path]]:
    return [(setup, path) for setup, group in plan(paths, Options()) for path in group]


def _articles() -> list[Path]:
    paths = sorted(p for p in FIXTURES.iterdir() if p.is_file())
    assert len(paths) >= PARALLEL_AFTER
    return paths


def test_workers_give_the_reports_this_process_gives_in_the_same_order() -> None:
    planned = _planned(_articles())
    alone = list(check_files(planned, jobs=1))
    shared = list(check_files(planned, jobs=2))
    assert [r.path for r in shared] == [str(path) for _, path in planned]
    assert shared == alone
    assert sum(len(r.findings) for r in shared) > 50 and all(r.error is None for r in shared)


def test_what_is_kept_of_a_report_is_chosen_before_it_leaves_the_worker() -> None:
    planned = _planned(_articles())
    lean = list(check_files(planned, jobs=2, lean=lambda report: replace(report, text="")))
    assert all(r.text == "" for r in lean) and [r.findings for r in lean] == [
        r.findings for r in check_files(planned, jobs=1)
    ]


def test_few_files_are_checked_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import lint.app.workers

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(lint.app.workers, "WorkerPool", no_pool)
    planned = _planned(_articles()[: PARALLEL_AFTER - 1])
    assert len(list(check_files(planned, jobs=4))) == PARALLEL_AFTER - 1
    monkeypatch.setattr(lint.app.workers, "can_fork", lambda: False)
    assert len(list(check_files(_planned(_articles()), jobs=4))) == len(_articles())


def test_a_fault_in_a_worker_is_told_in_this_process_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _articles()
    doomed = {paths[2].name, paths[5].name}
    real = runner.check_document

    def failing(document, config):  # type: ignore[no-untyped-def]
        if any(document.text == path.read_text(encoding="utf-8") for path in paths if path.name in doomed):
            raise ValueError("no good")
        return real(document, config)

    monkeypatch.setattr(runner, "check_document", failing)
    told: list[tuple[str, Fault]] = []
    reports = list(check_files(_planned(paths), jobs=2, on_fault=lambda path, fault: told.append((path.name, fault))))
    assert [name for name, _ in told] == [paths[2].name, paths[5].name]
    assert all(
        fault.describe() == "internal error: ValueError: no good" and "no good" in fault.traceback for _, fault in told
    )
    assert [r.error for r in reports].count("internal error: ValueError: no good") == 2


def test_a_first_run_shared_among_workers_keeps_what_they_worked_out(tmp_path: Path) -> None:
    """Workers exit without running `atexit` handlers: each saves what it analysed and compiled as it stops, so
    a first run in workers keeps every pattern a first run in one process keeps."""
    import marshal
    import os
    import subprocess
    import sys

    def kept_keys(jobs: str) -> dict[str, set[object]]:
        cache = tmp_path / f"cache-{jobs}"
        env = {**os.environ, "HEALTHLINT_CACHE_DIR": str(cache)}
        command = [sys.executable, "-m", "lint.app.cli", "check", "--jobs", jobs, "--fail-on", "never", str(FIXTURES)]
        subprocess.run(command, env=env, check=True, capture_output=True)
        tables = {}
        for kind in ("prefilter", "regex"):
            (path,) = cache.glob(f"{kind}-*.marshal")
            tables[kind] = set(marshal.loads(path.read_bytes()[32:]))
        return tables

    alone, shared = kept_keys("1"), kept_keys("2")
    assert len(alone["prefilter"]) > 200 and len(alone["regex"]) > 100
    # and what the main process's warm-up met besides
    assert shared["prefilter"] >= alone["prefilter"] and shared["regex"] >= alone["regex"]


def test_the_warm_up_before_the_workers_fork_changes_no_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """The main process checks a text of the packs' own examples before it forks (so that what a first document
    makes once per process is made once); it runs once per set-up, and a warm-up that fails is only a slower run."""
    planned = _planned(_articles())
    alone = list(check_files(planned, jobs=1))
    warmed: list[str] = []
    real = runner._check_examples

    def recording(language, config):  # type: ignore[no-untyped-def]
        warmed.append(language.code)
        return real(language, config)

    monkeypatch.setattr(runner, "_check_examples", recording)
    assert list(check_files(planned, jobs=2)) == alone and warmed == ["zh"]

    def failing(language, config):  # type: ignore[no-untyped-def]
        raise RuntimeError("no warm-up")

    monkeypatch.setattr(runner, "_check_examples", failing)
    assert list(check_files(planned, jobs=2)) == alone
