"""Where the shipped data lives, and which paths met in a directory are not read."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any


def default_rules_dir() -> Path:
    """The rule packs shipped with healthlint (inside the wheel, or `rules/` in a source checkout)."""
    package = Path(__file__).resolve().parents[1]
    bundled = package / "rules"
    return bundled if bundled.is_dir() else package.parent / "rules"


def safe_loader() -> Any:
    """PyYAML's safe loader: libyaml's when PyYAML was built with it (several times faster)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def skipped_link(path: Path) -> str | None:
    """Why a symbolic link met in a directory is not read (dangling, a loop, a directory), or None."""
    if not path.is_symlink():
        return None
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "skipped: symbolic link loop"
        return f"skipped: dangling symbolic link ({error.strerror or error})"
    if path.is_dir():
        return "skipped: symbolic link to a directory (not followed)"
    return None
