"""Writing files without ever leaving one half-written: a temporary file beside the target, renamed over it.

`tempfile` (with `shutil` and `random` behind it) is imported by the writers only: a check that writes nothing
does not load it."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def replace_text(path: Path, text: str, encoding: str) -> None:
    """Write `text` to `path` through a temporary file beside it, then rename it over the original (keeping its
    permission bits), so that a crash or a full disk leaves either the old file or the new one."""
    import tempfile

    data = text.encode(encoding)
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path`, creating its folder; a reader sees the old file or the whole new one, and a
    failure leaves no temporary file behind."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
