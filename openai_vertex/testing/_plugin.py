"""pytest plugin (entry point `pytest11`): the `fake_vertex` and `vertex_vcr_config` fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ._fake import FakeVertex
from ._vcr import vertex_vcr_config


@pytest.fixture
def fake_vertex() -> Iterator[FakeVertex]:
    """A running FakeVertex, stopped after the test."""
    with FakeVertex() as fake:
        yield fake


@pytest.fixture(scope="session", name="vertex_vcr_config")
def _vertex_vcr_config() -> dict[str, Any]:
    """Scrubbing cassette settings; return them from your `vcr_config` fixture to use them.

    Session-scoped so that pytest-recording's module-scoped `vcr_config` may depend on it.
    """
    return vertex_vcr_config()
