"""Where the shipped data lives."""

from __future__ import annotations

from pathlib import Path


def default_rules_dir() -> Path:
    """The rule packs shipped with healthlint (inside the wheel, or `rules/` in a source checkout)."""
    here = Path(__file__).resolve().parent
    bundled = here / "rules"
    return bundled if bundled.is_dir() else here.parent / "rules"


def data_file(name: str) -> Path:
    """A data file of the evidence and claim models (`rules/data/NAME`)."""
    return default_rules_dir() / "data" / name
