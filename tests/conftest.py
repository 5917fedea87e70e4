"""Suite-wide fixtures: a clean environment for every test, and the cassette configuration."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.auth import credentials as ga_credentials

from openai_vertex import testing
from openai_vertex._auth import CLOUD_PLATFORM_SCOPE

from .doubles import CASSETTE_PROJECT, FakeCredentials


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's Google or OpenAI settings, nor their ADC file."""
    for name in ("GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_APPLICATION_CREDENTIALS",
                 "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_CUSTOM_HEADERS",
                 "CLOUDSDK_CONFIG", "GCE_METADATA_HOST", "GCE_METADATA_IP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))  # no well-known ADC file
    # No probe of a metadata server: google-auth's own switch for it (NO_GCE_CHECK) is read at import and
    # kept under a name that changed between releases, so the probe itself is replaced.
    from google.auth.compute_engine import _metadata

    monkeypatch.setattr(_metadata, "is_on_gce", lambda request: False)


# --- cassettes (pytest-recording; how to re-record them live: cassettes/README.md) -------------

def _live_project() -> str:
    """The project a maintainer records against: GOOGLE_CLOUD_PROJECT, else the ADC project."""
    import google.auth

    project = os.environ.get("GOOGLE_CLOUD_PROJECT") or google.auth.default()[1]
    if not project:
        raise pytest.UsageError("recording needs GOOGLE_CLOUD_PROJECT or an ADC project")
    return str(project)


@pytest.fixture(scope="module")
def vcr_config(record_mode: str) -> dict[str, Any]:
    """The scrubbing configuration users get from `openai_vertex.testing`, with our placeholder project."""
    project_ids = [] if record_mode == "none" else [_live_project()]
    config = testing.vertex_vcr_config(project_ids, placeholder=CASSETTE_PROJECT)
    config["match_on"] = ["method", "scheme", "host", "path", "body"]
    return config


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(Path(__file__).parent.parent / "cassettes" / request.module.__name__.split(".")[-1])


@pytest.fixture
def vertex_setup(record_mode: str) -> tuple[str, ga_credentials.Credentials]:
    """Replays use fake credentials and the placeholder project; live recording uses ADC."""
    if record_mode == "none":
        return CASSETTE_PROJECT, FakeCredentials()
    import google.auth

    creds, _ = google.auth.default(scopes=[CLOUD_PLATFORM_SCOPE])
    return _live_project(), creds


@pytest.fixture(autouse=True)
def _all_cassette_interactions_played(vcr: Any, record_mode: str) -> Iterator[None]:
    """A cassette holding interactions the test never played means the test no longer does what it did."""
    yield
    if vcr is not None and record_mode == "none":
        assert vcr.all_played, f"unplayed interactions in {vcr._path}"

