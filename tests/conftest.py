"""Shared fixtures: small contexts used by several test modules."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture
def fast_settings():
    """Settings with the default seed and a generous budget."""
    from derivcheck_steps import Settings

    return Settings()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Every test gets its own result cache, so no test replays another's results."""
    monkeypatch.setenv("DERIVCHECK_CACHE_DIR", str(tmp_path / "derivcheck-cache"))
