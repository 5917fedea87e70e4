"""The pytest plugin's fixtures, run in inner pytest sessions (pytester), and the cassette scrubbing itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from vcr.request import Request as VcrRequest

import openai_vertex
from openai_vertex.testing import FakeVertex, vertex_vcr_config

pytest_plugins = ["pytester"]

# Inner sessions load exactly these plugins, whether or not the package's entry point is installed.
PLUGINS = ("-p", "openai_vertex.testing._plugin", "-p", "pytest_recording.plugin")
PROJECT_ROOT = Path(openai_vertex.__file__).resolve().parent.parent


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """Inner sessions run in their own process: in-process runs drop the modules they imported
    (httpcore among them), and the outer session's httpx then no longer recognises httpcore's errors."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("PYTHONPATH", str(PROJECT_ROOT))
    return pytester


def test_fake_vertex_fixture_runs_during_the_test_only(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        """
        import httpx, pytest
        from openai_vertex import vertex_client

        seen = []

        def test_chat(fake_vertex):
            client = vertex_client(credentials=fake_vertex.service_account_credentials(),
                                   base_url=fake_vertex.base_url)
            reply = client.chat.completions.create(model="google/gemini-2.5-flash",
                                                   messages=[{"role": "user", "content": "hi"}])
            assert reply.choices[0].message.content == "echo: hi"
            seen.append(fake_vertex.base_url)

        def test_stopped_afterwards():
            with pytest.raises(httpx.ConnectError):
                httpx.post(seen[0] + "/chat/completions", json={})
        """
    )
    inner.runpytest_subprocess(*PLUGINS).assert_outcomes(passed=2)


def test_recorded_cassette_is_scrubbed_and_replays(
    inner: pytest.Pytester, fake_vertex: FakeVertex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", fake_vertex.project)  # the fixture hides the ids these variables name
    monkeypatch.setenv("FAKE_BASE_URL", fake_vertex.base_url)
    monkeypatch.setenv("FAKE_KEY_FILE", str(fake_vertex.write_service_account_file(inner.path / "key.json")))
    inner.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="module")
        def vcr_config(vertex_vcr_config):
            return vertex_vcr_config
        """
    )
    inner.makepyfile(
        test_recorded="""
        import os, pytest
        from google.oauth2 import service_account
        from openai_vertex import vertex_client

        @pytest.mark.vcr
        def test_chat():
            credentials = service_account.Credentials.from_service_account_file(
                os.environ["FAKE_KEY_FILE"], scopes=["https://www.googleapis.com/auth/cloud-platform"]
            ).with_quota_project("fake-project")
            client = vertex_client(credentials=credentials, base_url=os.environ["FAKE_BASE_URL"])
            reply = client.chat.completions.create(model="google/gemini-2.5-flash",
                                                   messages=[{"role": "user", "content": "hi fake-project"}])
            assert reply.choices[0].message.content.startswith("echo: hi ")
        """
    )
    inner.runpytest_subprocess(*PLUGINS, "--record-mode=once").assert_outcomes(passed=1)
    assert (fake_vertex.token_requests, len(fake_vertex.chat_requests)) == (1, 1)
    assert fake_vertex.chat_requests[0].headers["x-goog-user-project"] == "fake-project"

    cassette = (inner.path / "cassettes" / "test_recorded" / "test_chat.yaml").read_text()
    assert "/projects/test-project/locations/global/" in cassette and "hi test-project" in cassette
    for secret in ("fake-project", "ya29.", "/token", "assertion", fake_vertex.chat_requests[0].bearer_token):
        assert secret not in cassette
    assert "authorization" not in cassette.lower() and "x-goog-user-project" not in cassette.lower()

    inner.runpytest_subprocess(*PLUGINS, "--record-mode=none").assert_outcomes(passed=1)
    assert len(fake_vertex.chat_requests) == 1  # replayed from the cassette; only the dropped token request went out


def _request(uri: str, body: bytes) -> VcrRequest:
    return VcrRequest("POST", uri, body, {"content-type": "application/json"})


def test_config_drops_credential_traffic() -> None:
    scrub = vertex_vcr_config(project_ids=[])["before_record_request"]
    for uri in (
        "https://oauth2.googleapis.com/token",
        "https://www.googleapis.com/oauth2/v4/token",
        "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a@b:generateAccessToken",
        "http://127.0.0.1:8123/token",
    ):
        assert scrub(_request(uri, b"")) is None, uri
    kept = "https://aiplatform.googleapis.com/v1/projects/p/locations/global/endpoints/openapi/chat/completions"
    assert scrub(_request(kept, b"{}")).uri == kept


def test_config_replaces_project_ids_and_blanks_secrets() -> None:
    config = vertex_vcr_config(project_ids=["my-proj", "123456"], placeholder="test-project")
    assert config["decode_compressed_response"] is True
    assert set(config["filter_headers"]) == {"authorization", "proxy-authorization", "x-goog-api-key", "cookie",
                                             "x-goog-user-project"}
    request = config["before_record_request"](_request(
        "https://us-aiplatform.googleapis.com/v1/projects/my-proj/locations/us/endpoints/openapi/chat/completions",
        b'{"messages": [{"content": "my-proj and my-project and 123456"}], "access_token": "ya29.x\\"y"}',
    ))
    assert "/projects/test-project/locations/" in request.uri
    assert request.body == (b'{"messages": [{"content": "test-project and my-project and test-project"}], '
                            b'"access_token": "REDACTED"}')
    response = config["before_record_response"]({
        "status": {"code": 200, "message": "OK"},
        "headers": {"Set-Cookie": ["s=1"], "Content-Type": ["application/json"]},
        "body": {"string": b'{"refresh_token": "1//abc", "id_token": "eyJ.x.y"}\nassertion=eyJa.b.c&scope=x'},
    })
    assert response["headers"] == {"Content-Type": ["application/json"]}
    assert response["body"]["string"] == (b'{"refresh_token": "REDACTED", "id_token": "REDACTED"}\n'
                                          b"assertion=REDACTED&scope=x")


def test_config_reads_project_ids_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "env-proj")
    scrub = vertex_vcr_config()["before_record_request"]
    assert scrub(_request("https://x.googleapis.com/v1/projects/env-proj/y", b"")).uri.endswith(
        "/projects/test-project/y")


def test_config_reads_project_ids_from_the_adc_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    key.write_text('{"type": "service_account", "project_id": "adc-proj", "quota_project_id": "billing-proj"}')
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    scrub = vertex_vcr_config()["before_record_request"]
    request = scrub(_request("https://x.googleapis.com/v1/projects/adc-proj/y", b'{"p": "billing-proj"}'))
    assert request.uri.endswith("/projects/test-project/y") and request.body == b'{"p": "test-project"}'


def test_binary_bodies_pass_untouched() -> None:
    scrub = vertex_vcr_config(project_ids=["p"])["before_record_request"]
    body = b"\xff\xfe binary p"
    assert scrub(_request("https://x.googleapis.com/upload", body)).body == body
