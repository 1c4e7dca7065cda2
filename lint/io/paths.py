"""Where the shipped data lives."""

from __future__ import annotations

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
