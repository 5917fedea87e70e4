"""The CLI tests' FakeVertex: the plugin's, with its service-account key as the Application Default Credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from openai_vertex.testing import FakeVertex


@pytest.fixture
def fake(fake_vertex: FakeVertex, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeVertex:
    """The plugin's FakeVertex, with its service-account key as the Application Default Credentials."""
    key = fake_vertex.write_service_account_file(tmp_path / "key.json")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    return fake_vertex
