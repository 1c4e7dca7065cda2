"""Compiled artefacts kept on disk between runs, in the user cache directory.

What is kept is named by a hash of what it is made from and of the code and versions that make it, so that two
installs of one release share it, two releases keep their own, and nothing of another install is ever
overwritten or removed while in use. Kept here, each as one table file:

* the analyses of regular expressions (`lint.core.prefilter`: their anchors, read from their syntax trees at
  about a millisecond a pattern), which let a run gate and compile only the patterns its texts may match;
* the compiled forms of regular expressions (`lint.core.compiled`), which a run builds patterns from without
  parsing them again (the language pack's patterns take over a second to parse);
* the parsed pack files (`lint.io.yamlpack`), by the hash of their bytes;
* the validated entries of each language folder (`lint.io.language`), by the hashes of its files;
* what each character folds to (`lint.core.normalize`), so that OpenCC is loaded only for new characters;

the segmenter's table is kept by `lint.io.segmenter`. A table file starts with the SHA-256 of the rest, so a
damaged one is never read; a file that cannot be read is ignored and one that cannot be written is only a slower
next run. Each table is read once per process and what the run added is merged into it when the process exits.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lint.core import compiled, normalize, prefilter
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
        value = self.table.get(key)
        if self.lazy and type(value) is bytes:
            try:
                value = marshal.loads(value)
            except (EOFError, ValueError, TypeError):
                value = None
                del self.table[key]
            else:
                self.table[key] = value
        return value

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
        run adds when it exits."""
        if self.loaded:
            return
        self.loaded = True
        kept = {key: value for key, value in self._read().items() if key not in self.table}
        self.table.update(kept)
        if self.adopt is not None and kept:
            self.adopt(kept)
        atexit.register(self.save)

    def save(self) -> None:
        """Merge the entries added by this run into the kept ones (and what another run kept meanwhile)."""
        if not self.added:
            return
        try:
            path = self.path()
        except OSError:
            return
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


def _regex_version() -> str:
    import regex

    return f"regex {getattr(regex, '__version__', '?')}"


def library_stamp(name: str) -> str:
    """Which install of the library `name` this is: its module's path, size and modification time (importing it to
    ask its version costs more), or that it is missing."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return f"{name} missing"
    status = os.stat(spec.origin)
    return f"{name} {spec.origin}|{status.st_size}|{status.st_mtime_ns}"


def _opencc_version() -> str:
    return library_stamp("opencc")


def _entries_versions() -> str:
    """What a language folder's entries are made by besides its files: the modules that parse, fold and check
    them, and the regex and OpenCC versions (a user's patterns are compiled to be checked)."""
    import lint.analysis.entries
    import lint.core.examples
    import lint.core.language

    modules = (lint.analysis.entries, lint.core.examples, lint.core.language, normalize)
    sources = hashlib.sha256(Path(__file__).with_name("yamlpack.py").read_bytes())
    for module in modules:
        sources.update(Path(module.__file__ or "").read_bytes())
    return f"{sources.hexdigest()}|{_regex_version()}|{_opencc_version()}"


def _step_bound_version() -> str:
    """The code of the regex step bound, whose safe widths the analyses keep (`lint.core.regex_safety`)."""
    from lint.core import regex_safety

    return hashlib.sha256(Path(regex_safety.__file__ or "").read_bytes()).hexdigest()


# a run asks for some of the kept analyses and compiled forms (a one-file run 70 % and 35 % of them): each is kept
# marshalled on its own, decoded by `prefilter.analysis` and `compiled.compile_regex` when first asked for
ANALYSES = KeptTable(
    "prefilter",
    prefilter.ANALYSES,
    prefilter.ANALYSES_ADDED,
    Path(prefilter.__file__),
    _step_bound_version,
    lazy=True,
)
COMPILED = KeptTable("regex", compiled.CODES, compiled.CODES_ADDED, Path(compiled.__file__), _regex_version, lazy=True)
# parsed pack files by the hash of their bytes (`lint.io.yamlpack`); past `limit` files, only this run's are kept
PARSED_PACKS = KeptTable("packs", {}, set(), Path(__file__).with_name("yamlpack.py"), limit=2048, lazy=True)
# the validated entries of a language folder (`lint.io.language`), by its files' paths and hashes: they are made by
# the loader from parsed files (yamlpack), folded words (normalize), the entry registry and the entry type
LANGUAGE_ENTRIES = KeptTable("entries", {}, set(), Path(__file__).with_name("language.py"), _entries_versions, limit=64)
# what each character folds to (`lint.core.normalize`: Traditional to Simplified needs OpenCC, loaded only for
# characters no earlier run met)
FOLDS = KeptTable(
    "folds",
    normalize.FOLDS,
    normalize.FOLDS_ADDED,
    Path(normalize.__file__),
    _opencc_version,
    65_536,
    normalize.adopt_folds,
)


def use_pattern_caches() -> None:
    """Read the kept analyses and compiled forms of regular expressions, and the kept folds (once per process)."""
    ANALYSES.use()
    COMPILED.use()
    FOLDS.use()
