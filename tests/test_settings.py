"""`vertex_settings(client)`: what a client was built from, for its user and for `doctor`."""

from __future__ import annotations

import json
from pathlib import Path

import openai
import pytest

from openai_vertex import OpenAIVertexError, VertexSettings, async_vertex_client, vertex_client, vertex_settings
from openai_vertex.testing import FakeVertex

from .doubles import FakeCredentials


def test_explicit_arguments_are_reported_with_their_source() -> None:
    client = vertex_client(project="arg-project", location="europe-west4",
                           credentials=FakeCredentials(quota_project_id="billing-project"))
    assert vertex_settings(client) == VertexSettings(
        project="arg-project", project_source="project=", location="europe-west4",
        base_url="https://europe-west4-aiplatform.googleapis.com/v1/projects/arg-project/locations/europe-west4"
                 "/endpoints/openapi",
        endpoint="openapi", api_version="v1", credentials="tests.doubles.FakeCredentials",
        credentials_source="credentials=", quota_project="billing-project", wire_compat=True)


def test_adc_and_environment_are_reported_with_their_source(fake_vertex: FakeVertex, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "key.json"
    key.write_text(json.dumps({**fake_vertex.service_account_info(), "project_id": "adc-project"}))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    settings = vertex_settings(async_vertex_client(wire_compat=False))
    assert (settings.project, settings.project_source, settings.location) == ("adc-project", "the credentials",
                                                                             "global")
    assert settings.credentials == "service account key"
    assert settings.credentials_source == f"GOOGLE_APPLICATION_CREDENTIALS ({key})"
    assert settings.quota_project is None and settings.wire_compat is False
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "env-project")
    assert vertex_settings(vertex_client()).project_source == "GOOGLE_CLOUD_PROJECT"


def test_a_base_url_client_has_no_project_or_location_unless_given() -> None:
    settings = vertex_settings(vertex_client(base_url="https://psc.example.internal/v1/x", credentials=FakeCredentials()))
    assert (settings.project, settings.location, settings.base_url) == (None, None, "https://psc.example.internal/v1/x")


def test_copies_report_the_settings_of_their_original() -> None:
    client = vertex_client(project="arg-project", credentials=FakeCredentials())
    assert vertex_settings(client.with_options(timeout=5)) is vertex_settings(client)
    assert vertex_settings(client.copy(max_retries=1)) is vertex_settings(client)


def test_a_plain_openai_client_has_no_vertex_settings() -> None:
    with pytest.raises(OpenAIVertexError, match="not made by vertex_client"):
        vertex_settings(openai.OpenAI(api_key="x"))

