"""Crash-safe scan outputs: an exclusive lock on the output directory, and files written beside their final
names and renamed into place only once the whole scan has succeeded.

A scan that is killed, or fails on a full or read-only disk, leaves the previous run's outputs as they were;
a second scan into the same directory stops at once with a clear message instead of interleaving its writes.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO

LOCK_NAME = ".healthlint-scan.lock"


class OutputError(Exception):
    """The scan results cannot be written (read-only or full disk, a file in the way)."""


class OutputLocked(OutputError):
    """Another scan holds the output directory."""


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


_HELD: set[Path] = set()


class OutputLock:
    """An exclusive POSIX record lock (`lockf`) on `OUT/.healthlint-scan.lock`, held for the whole scan.

    Record locks belong to the process, not to its forked workers, and the kernel drops them when the process
    ends, however it ends: a killed scan never leaves a stale lock behind. Within one process a second lock on
    the same directory is refused as well."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.descriptor: int | None = None
        self.key: Path | None = None

    def _locked(self, holder: str) -> OutputLocked:
        return OutputLocked(
            f"another healthlint scan (pid {holder}) is writing to {self.directory}; "
            "wait for it to finish or choose another --out"
        )

    def __enter__(self) -> OutputLock:
        import fcntl

        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            key = self.directory.resolve()
            if key in _HELD:
                raise self._locked(str(os.getpid()))
            descriptor = os.open(self.directory / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise OutputError(f"cannot write the scan results to {self.directory}: {_reason(error)}") from None
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(descriptor, 32).decode("ascii", "replace").strip() or "?"
            os.close(descriptor)
            raise self._locked(holder) from None
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        self.descriptor, self.key = descriptor, key
        _HELD.add(key)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            _HELD.discard(self.key)  # type: ignore[arg-type]
            self.descriptor = self.key = None


class StagedOutputs:
    """Output files staged as `.NAME.tmp` in the output directory; `commit` renames them all into place (the
    summary last, so its presence marks a complete run), `discard` removes them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.staged: dict[str, Path] = {}
        self.handles: list[IO[str]] = []

    def open(self, name: str) -> IO[str]:
        """A text file that becomes `OUT/name` on commit."""
        temporary = self.directory / f".{name}.tmp"
        try:
            handle = temporary.open("w", encoding="utf-8")
        except OSError as error:
            raise OutputError(f"cannot write {self.directory / name}: {_reason(error)}") from None
        self.staged[name] = temporary
        self.handles.append(handle)
        return handle

    def commit(self) -> None:
        try:
            for handle in self.handles:
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
            for name in sorted(self.staged, key=lambda n: n == "summary.json"):
                os.replace(self.staged[name], self.directory / name)
        except OSError as error:
            self.discard()
            raise OutputError(f"cannot write the scan results to {self.directory}: {_reason(error)}") from None
        self.staged.clear()

    def discard(self) -> None:
        for handle in self.handles:
            with contextlib.suppress(OSError):
                handle.close()
        for temporary in self.staged.values():
            temporary.unlink(missing_ok=True)
        self.staged.clear()
