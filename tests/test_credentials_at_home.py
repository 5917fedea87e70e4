"""Every credential stays with Google: API keys, custom OpenAI headers, default ports, proxy-quoted secrets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from google.auth import api_key

from openai_vertex import VertexConfigError, vertex_client
from openai_vertex._auth import google_auth
from openai_vertex.testing import vertex_vcr_config

from .compat import SDK_HTTP
from .doubles import FakeCredentials, chat_completion

HOME = "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/openapi"
ELSEWHERE = "https://attacker.example/collect"
KEY = "AIzaSyD-canary-api-key-0123456789abcdef"
MESSAGES: Any = [{"role": "user", "content": "hi"}]


def recording_client(sent: list[Any], redirect: bool = False, **kwargs: Any) -> Any:
    def handle(request: Any) -> Any:
        sent.append(request)
        if redirect and request.url.host != "attacker.example":
            return SDK_HTTP.Response(307, headers={"location": ELSEWHERE})
        return SDK_HTTP.Response(200, json=chat_completion("ok"))

    return vertex_client(http_client=SDK_HTTP.Client(transport=SDK_HTTP.MockTransport(handle), follow_redirects=True), max_retries=0,
                         **kwargs)


def test_api_key_credentials_send_the_key_and_no_placeholder_bearer() -> None:
    sent: list[Any] = []
    recording_client(sent, base_url=HOME, credentials=api_key.Credentials(KEY)).chat.completions.create(
        model="gemini-2.5-flash", messages=MESSAGES)
    assert sent[0].headers["x-goog-api-key"] == KEY
    assert "authorization" not in sent[0].headers  # the SDK's placeholder never travels beside the key


def test_an_api_key_does_not_follow_a_cross_origin_redirect() -> None:
    sent: list[Any] = []
    recording_client(sent, redirect=True, base_url=HOME, credentials=api_key.Credentials(KEY)).chat.completions.create(
        model="gemini-2.5-flash", messages=MESSAGES)
    assert [request.url.host for request in sent] == ["us-central1-aiplatform.googleapis.com", "attacker.example"]
    assert "x-goog-api-key" not in sent[1].headers and "authorization" not in sent[1].headers


@pytest.mark.parametrize("base_url", [HOME.replace(".com/", ".com:443/"), "https://bücher.example/v1/x"],
                         ids=["explicit :443", "non-ASCII host"])
def test_a_base_url_with_a_default_port_or_unicode_host_keeps_its_authorization(base_url: str) -> None:
    sent: list[Any] = []
    recording_client(sent, base_url=base_url, credentials=FakeCredentials()).chat.completions.create(
        model="gemini-2.5-flash", messages=MESSAGES)
    assert sent[0].headers["authorization"] == "Bearer fake-token-1"


def test_an_invalid_port_is_a_configuration_error() -> None:
    with pytest.raises(VertexConfigError, match="invalid port"):
        vertex_client(base_url="https://aiplatform.googleapis.com:99999/v1", credentials=FakeCredentials())


def test_openai_custom_headers_do_not_come_back_through_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "X-Third-Party-Secret: s3cret\nx-goog-user-project: foreign")
    sent: list[Any] = []
    client = recording_client(sent, base_url=HOME, credentials=FakeCredentials(),
                              default_headers={"X-Kept": "mine"})
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "X-Third-Party-Secret: s3cret\nx-goog-user-project: foreign\n"
                                                "X-Added-Later: s3cret\nX-Kept: theirs")
    copies = (client, client.with_options(set_default_headers={"X-Mine": "1"}), client.copy())
    for copy in copies:
        copy.chat.completions.create(model="gemini-2.5-flash", messages=MESSAGES)
    for request in sent:
        assert "x-third-party-secret" not in request.headers and "x-added-later" not in request.headers
        assert request.headers.get("x-goog-user-project") != "foreign"
    assert sent[1].headers["x-mine"] == "1"
    assert sent[0].headers["x-kept"] == "mine"  # what the user passed to the factory wins


def test_headers_the_variable_named_before_it_changed_are_still_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    # The client built under the old value keeps sending the old names; the copy sends the new ones.
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "X-First: s3cret")
    sent: list[Any] = []
    client = recording_client(sent, base_url=HOME, credentials=FakeCredentials())
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "X-Second: s3cret")
    for each in (client.copy(), client):
        each.chat.completions.create(model="gemini-2.5-flash", messages=MESSAGES)
    assert len(sent) == 2
    assert not [request for request in sent if "x-first" in request.headers or "x-second" in request.headers]


def test_cassettes_filter_every_credential_header() -> None:
    filtered = {name.lower() for name in vertex_vcr_config([])["filter_headers"]}
    assert {"authorization", "proxy-authorization", "x-goog-api-key", "x-goog-user-project", "cookie"} <= filtered


@pytest.mark.parametrize("page", [
    "<table><tr><td>client_secret</td><td>GOCSPX-AbCdEf123456_canary</td></tr></table>",
    "<error><detail>GOCSPX-AbCdEf123456_canary</detail></error>",
    '{"message": "{\\"c\\": \\"GOCSPX-AbCdEf123456_canary\\"}"}',
], ids=["HTML table", "XML", "JSON in a string"])
def test_client_secrets_are_redacted_in_any_shape(page: str) -> None:
    assert "GOCSPX" not in google_auth.redact(page)


def test_the_literal_secrets_of_the_credentials_are_redacted() -> None:
    class Creds(FakeCredentials):
        client_secret = "plain-secret-without-a-known-shape"

    creds = Creds()
    text = f"proxy said: bad request with {creds.client_secret} in it"
    assert creds.client_secret not in google_auth.redact(text, google_auth.credential_secrets(creds))


def test_what_is_not_credentials_is_refused_at_construction(tmp_path: Path) -> None:
    creds = FakeCredentials()
    with pytest.raises(VertexConfigError, match=r"google.auth.default\(\) returns \(credentials, project\)"):
        vertex_client(project="my-project-1", credentials=(creds, "my-project-1"))  # type: ignore[arg-type]
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"type": "service_account"}))
    with pytest.raises(VertexConfigError, match="from_service_account_file"):
        vertex_client(project="my-project-1", credentials=str(key))  # type: ignore[arg-type]
    with pytest.raises(VertexConfigError, match="from_service_account_info"):
        vertex_client(project="my-project-1", credentials={"type": "service_account"})  # type: ignore[arg-type]
