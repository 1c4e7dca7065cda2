"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session", autouse=True)
def _segmenter_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compile the segmenter's dictionary table into a fresh cache directory once per test session."""
    import os

    os.environ["HEALTHLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("healthlint-cache"))
