"""Shared fixtures: small contexts used by several test modules."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture
def fast_settings():
    """Settings with the default seed and a generous budget."""
    from checks import Settings

    return Settings()
