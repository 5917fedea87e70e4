"""The `kind` fixture: each wire-layer test runs on every kind of client the installed openai takes."""

from __future__ import annotations

import pytest

from .clients import KINDS, Kind


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> Kind:
    return request.param  # type: ignore[no-any-return]
