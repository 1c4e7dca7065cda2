"""Compiled artefacts kept on disk between runs, in the user cache directory.

What is kept is named by a hash of what it is made from and of the code and versions that make it, so that two
installs of one release share it, two releases keep their own, and nothing of another install is ever
overwritten or removed while in use. Kept here: the analyses of regular expressions (`lint.core.prefilter`:
their anchors, read from their syntax trees at about a millisecond a pattern), which let a run gate and compile
only the patterns its texts may match; the segmenter's table is kept by `lint.io.segmenter`. A file that
cannot be read is ignored and one that cannot be written is only a slower next run.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path

from lint.core import prefilter
from lint.core.version import __version__

_state = {"loaded": False}


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
        return Path(tempfile.gettempdir()) / "healthlint-cache"


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a temporary file in the same folder; False when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".tmp-") as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        return False
    return True


def _analyses_file() -> Path:
    """The analyses file of this release of the analysis code (its source's hash) and this Python."""
    code = Path(prefilter.__file__).read_bytes()
    key = hashlib.sha256(code + f"|{__version__}|{sys.version_info[:2]}".encode()).hexdigest()[:24]
    return cache_dir() / f"prefilter-{key}.marshal"


def use_analysis_cache() -> None:
    """Read the kept analyses of regular expressions into `lint.core.prefilter.ANALYSES` (once per process), and
    keep those added by this run when it exits."""
    if _state["loaded"]:
        return
    _state["loaded"] = True
    try:
        path = _analyses_file()
        kept = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        kept = None
    if isinstance(kept, dict):
        for key, value in kept.items():
            prefilter.ANALYSES.setdefault(key, value)
    atexit.register(save_analyses)


def save_analyses() -> None:
    """Add the analyses worked out by this run to the kept ones (merged with what another run kept meanwhile)."""
    if not prefilter.ANALYSES_ADDED:
        return
    try:
        path = _analyses_file()
        kept = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        kept = {}
    if not isinstance(kept, dict):
        kept = {}
    for key in prefilter.ANALYSES_ADDED:
        kept[key] = prefilter.ANALYSES[key]
    try:
        data = marshal.dumps(kept)
    except ValueError:
        return
    if write_atomically(path, data):
        prefilter.ANALYSES_ADDED.clear()
