"""Kept files: where compiled artefacts live, how one is written (atomically, with a digest) and read back, and
the tables kept in them (`KeptTable`).

This module imports nothing of healthlint but the version, `lint.core.records` and `lint.core.compiled`, so that the
package root reads the kept methods of its record classes (`METHODS`) and the kept compiled forms of regular
expressions (`COMPILED`) before the modules that make classes and compile patterns as they load.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lint.core import compiled, records
from lint.core.marshalled import decoded
from lint.core.version import __version__


def cache_dir() -> Path:
    """Where compiled artefacts live: `$HEALTHLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/healthlint` or
    ~/.cache/healthlint (the system temporary directory when there is no home)."""
    configured = os.environ.get("HEALTHLINT_CACHE_DIR")
    if configured:
        return Path(configured)
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "healthlint"
    try:
        return Path.home() / ".cache" / "healthlint"
    except RuntimeError:
        import tempfile

        return Path(tempfile.gettempdir()) / "healthlint-cache"


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a temporary file in the same folder; False when it cannot be written."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".tmp-") as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        return False
    return True


# a kept file that no install has read for this long is removed when another of its kind is written
STALE_DAYS = 30


def mark_read(path: Path) -> None:
    """Note that a kept file was read now (at most once a day), so that it is not taken for a stale one."""
    try:
        if time.time() - path.stat().st_mtime > 86_400:
            os.utime(path)
    except OSError:
        return


def write_kept(path: Path, data: bytes) -> bool:
    """Write a kept file atomically, then remove the files of its kind (the same name up to the first `-`) that
    no install has read for `STALE_DAYS` days; False when it cannot be written."""
    if not write_atomically(path, data):
        return False
    oldest = time.time() - STALE_DAYS * 86_400
    for stale in path.parent.glob(path.name.split("-", 1)[0] + "-*"):
        try:
            if stale != path and stale.stat().st_mtime < oldest:
                stale.unlink()
        except OSError:
            continue
    return True


@dataclass
class KeptTable:
    """One in-memory table (`table`, with the keys added this run in `added`) kept in one cache file, named by a
    hash of the code that fills it (`code`), the versions it depends on (`versions`) and this Python. A `lazy`
    table keeps each value marshalled on its own, decoded when `get` first asks for it, so a run that needs few
    of many values decodes only those."""

    name: str
    table: dict[Any, Any]
    added: set[Any]
    code: Path
    versions: Callable[[], str] = str
    limit: int | None = None
    adopt: Callable[[dict[Any, Any]], None] | None = None
    lazy: bool = False
    loaded: bool = field(default=False, init=False)
    used: set[Any] = field(default_factory=set, init=False)

    def get(self, key: Any) -> Any:
        """The kept value at `key` (None when there is none), noted as used by this run."""
        self.use()
        self.used.add(key)
        return decoded(self.table, key) if self.lazy else self.table.get(key)

    def put(self, key: Any, value: Any) -> None:
        """Keep `value` at `key` from this run on."""
        self.table[key] = value
        self.added.add(key)
        self.used.add(key)

    def path(self) -> Path:
        layout = "lazy" if self.lazy else "whole"
        material = self.code.read_bytes() + f"|{__version__}|{self.versions()}|{sys.version_info[:2]}|{layout}".encode()
        return cache_dir() / f"{self.name}-{hashlib.sha256(material).hexdigest()[:24]}.marshal"

    def use(self) -> None:
        """Read the kept table into `table` (once per process; `adopt` is given what was read) and keep what this
        run adds when it exits (`save_kept_tables`)."""
        if self.loaded:
            return
        self.loaded = True
        read = self._read()
        kept = {key: value for key, value in read.items() if key not in self.table}
        self.added.difference_update(read.keys())  # made by this run before the table was read, and kept already
        self.table.update(kept)
        if self.adopt is not None and kept:
            self.adopt(kept)
        _READ.append(self)

    def save(self) -> None:
        """Merge the entries added by this run into the kept ones (and what another run kept meanwhile)."""
        if not self.added:
            return
        try:
            path = self.path()
        except OSError:
            return
        with _locked(path):
            self._merge_into(path)

    def _merge_into(self, path: Path) -> None:
        """Write the kept table at `path` with this run's entries added (under `_locked`)."""
        kept = self._read()
        if self.limit is not None and len(kept) + len(self.added) > self.limit:
            kept = {key: value for key, value in kept.items() if key in self.used}
        for key in self.added:
            if key in self.table:
                kept[key] = self.table[key]
                if self.lazy:
                    try:
                        kept[key] = marshal.dumps(kept[key])
                    except ValueError:
                        del kept[key]
        try:
            data = marshal.dumps(kept)
        except ValueError:
            return
        if write_kept(path, hashlib.sha256(data).digest() + data):
            self.added.clear()

    def _read(self) -> dict[Any, Any]:
        try:
            path = self.path()
            raw = path.read_bytes()
            mark_read(path)
            digest, data = raw[:32], raw[32:]
            if hashlib.sha256(data).digest() != digest:
                return {}
            kept = marshal.loads(data)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return kept if isinstance(kept, dict) else {}


# the tables this process has read, whose additions it saves as it exits
_READ: list[KeptTable] = []


def save_kept_tables() -> None:
    """Save what this process added to every table it read: run at exit, and by a forked worker (which exits
    without running `atexit` handlers) as it stops."""
    for table in list(_READ):
        table.save()


atexit.register(save_kept_tables)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the cache folder's advisory lock (`.kept.lock`; POSIX, elsewhere none) while the table at `path` is
    read, merged and written, so that processes saving at once (a check's workers, as they stop) each add to what
    the others wrote."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = (path.parent / ".kept.lock").open("a")
    except OSError:
        yield
        return
    with handle:
        with suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _python_build() -> str:
    """What compiled methods depend on: this Python's build and optimisation level."""
    return f"{sys.version}|{sys.flags.optimize}"


def regex_version() -> str:
    """The installed `regex` release, which compiled forms depend on."""
    import regex

    return f"regex {getattr(regex, '__version__', '?')}"


# the compiled methods of record classes (`lint.core.records`), read by the package root before any is made
METHODS = KeptTable("methods", records.METHODS, records.METHODS_ADDED, Path(records.__file__), _python_build, lazy=True)
# the compiled forms of regular expressions (`lint.core.compiled`): those of the modules' own patterns are asked
# for as the modules are imported; each marshalled on its own, decoded by `compile_regex` when first asked for
COMPILED = KeptTable("regex", compiled.CODES, compiled.CODES_ADDED, Path(compiled.__file__), regex_version, lazy=True)


def use_import_caches() -> None:
    """Read the kept tables importing the package asks of (once per process): the methods of record classes and
    the compiled forms of regular expressions; keep what this run adds to them."""
    METHODS.use()
    COMPILED.use()
