"""The factories: URL building, configuration precedence, bad input, and what reaches the wire."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from openai_vertex import (
    OpenAIVertexError,
    VertexAuth,
    async_vertex_client,
    vertex_base_url,
    vertex_client,
)
from openai_vertex.testing import FakeVertex

from .compat import SDK_HTTP, sdk_family_param
from .doubles import FakeCredentials, chat_completion


@pytest.mark.parametrize(
    ("location", "kwargs", "expected"),
    [
        ("global", {}, "https://aiplatform.googleapis.com/v1/projects/my-proj/locations/global/endpoints/openapi"),
        ("us-central1", {}, "https://us-central1-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-central1/endpoints/openapi"),
        ("us", {}, "https://aiplatform.us.rep.googleapis.com/v1/projects/my-proj/locations/us/endpoints/openapi"),
        ("eu", {"api_version": "v1beta1"}, "https://aiplatform.eu.rep.googleapis.com/v1beta1/projects/my-proj/locations/eu/endpoints/openapi"),
        ("europe-west4", {"endpoint": "1234567890"}, "https://europe-west4-aiplatform.googleapis.com/v1/projects/my-proj/locations/europe-west4/endpoints/1234567890"),
        ("global", {"universe_domain": "example-sovereign.goog"}, "https://aiplatform.example-sovereign.goog/v1/projects/my-proj/locations/global/endpoints/openapi"),
    ],
)
def test_vertex_base_url(location: str, kwargs: dict[str, str], expected: str) -> None:
    assert vertex_base_url("my-proj", location, **kwargs) == expected


def _recording_client(family: Any, **kwargs: Any) -> tuple[openai.OpenAI, list[Any]]:
    sent: list[Any] = []

    def handler(request: Any) -> Any:
        sent.append(request)
        return family.Response(200, json=chat_completion("hello"))

    http = family.Client(transport=family.MockTransport(handler))
    kwargs.setdefault("credentials", FakeCredentials())
    return vertex_client(http_client=http, **kwargs), sent


@sdk_family_param
def test_request_goes_to_vertex_with_google_token_only(family: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"OPENAI_API_KEY": "sk-canary", "OPENAI_BASE_URL": "https://canary.example",
                        "OPENAI_ORG_ID": "org-canary", "OPENAI_PROJECT_ID": "proj-canary"}.items():
        monkeypatch.setenv(name, value)
    client, sent = _recording_client(family, project="my-proj", location="us-central1")
    completion = client.chat.completions.create(model="google/gemini-2.5-flash",
                                                messages=[{"role": "user", "content": "hi"}])
    assert completion.choices[0].message.content == "hello"
    (request,) = sent
    assert str(request.url) == ("https://us-central1-aiplatform.googleapis.com/v1/projects/my-proj/"
                                "locations/us-central1/endpoints/openapi/chat/completions")
    assert request.headers["authorization"] == "Bearer fake-token-1"
    raw = b"".join(f"{k}: {v}".encode() for k, v in request.headers.raw) + request.content
    assert b"canary" not in raw


@sdk_family_param
async def test_async_client_over_both_families(family: Any) -> None:
    sent: list[Any] = []

    async def handler(request: Any) -> Any:
        sent.append(request)
        return family.Response(200, json=chat_completion("hello"))

    client = async_vertex_client(project="my-proj", credentials=FakeCredentials(),
                                 http_client=family.AsyncClient(transport=family.MockTransport(handler)))
    assert isinstance(client, openai.AsyncOpenAI)
    completion = await client.chat.completions.create(model="google/gemini-2.5-flash", messages=[])
    assert completion.choices[0].message.content == "hello"
    assert sent[0].headers["authorization"] == "Bearer fake-token-1"


def test_default_http_client_is_the_family_openai_runs_on() -> None:
    client = vertex_client(project="my-proj", credentials=FakeCredentials())
    assert isinstance(client, openai.OpenAI)
    inner = client._client
    assert isinstance(inner.auth, VertexAuth)
    assert isinstance(inner, SDK_HTTP.Client)


def test_openai_kwargs_pass_through_and_project_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "env-project")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "europe-west1")
    client = vertex_client(credentials=FakeCredentials(), max_retries=7)
    assert client.max_retries == 7
    assert str(client.base_url).startswith(
        "https://europe-west1-aiplatform.googleapis.com/v1/projects/env-project/locations/europe-west1/")
    client = vertex_client(project="arg-project", location="global", credentials=FakeCredentials())
    assert "/projects/arg-project/locations/global/" in str(client.base_url)


def _write_adc(fake: FakeVertex, tmp_path: Path) -> Path:
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({**fake.service_account_info(), "project_id": "adc-project-1"}))
    return path


def test_project_comes_from_adc_when_nothing_else_names_one(fake_vertex: FakeVertex, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(_write_adc(fake_vertex, tmp_path)))
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(
        lambda r: sent.append(r) or httpx.Response(200, json=chat_completion("ok"))))
    client = vertex_client(http_client=http)
    assert "/projects/adc-project-1/locations/global/" in str(client.base_url)
    assert fake_vertex.token_requests == 0  # no token before the first request
    client.chat.completions.create(model="google/gemini-2.5-flash", messages=[])
    assert fake_vertex.token_requests == 1 and sent[0].headers["authorization"].startswith("Bearer ya29.fake-")


@pytest.mark.parametrize(
    ("kwargs", "env", "names"),
    [
        ({"project": "my/proj"}, {}, ["project=", "GOOGLE_CLOUD_PROJECT"]),
        ({"project": "my-proj?x=1"}, {}, ["project="]),
        ({"project": ""}, {}, ["project=", "GOOGLE_CLOUD_PROJECT"]),
        ({}, {"GOOGLE_CLOUD_PROJECT": "bad project"}, ["GOOGLE_CLOUD_PROJECT"]),
        ({"project": "my-proj", "location": "us-central1/../x"}, {}, ["location=", "GOOGLE_CLOUD_LOCATION"]),
        ({"project": "my-proj"}, {"GOOGLE_CLOUD_LOCATION": ""}, ["GOOGLE_CLOUD_LOCATION"]),
        ({"project": "my-proj", "api_version": "v2"}, {}, ["api_version=", "v1beta1"]),
        ({"project": "my-proj", "endpoint": "openapi/../x"}, {}, ["endpoint="]),
        ({"base_url": "http://vertex.example.com/v1"}, {}, ["base_url=", "https"]),
        ({"project": "my-proj", "api_key": "sk-x"}, {}, ["api_key="]),
        ({"project": "my-proj", "wire_compat": False, "skip_unknown_signatures": True}, {},
         ["skip_unknown_signatures=", "wire_compat=False"]),
        ({}, {}, ["project=", "GOOGLE_CLOUD_PROJECT"]),
    ],
)
def test_bad_configuration_is_a_value_error_before_any_traffic(kwargs: dict[str, Any], env: dict[str, str],
                                                               names: list[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500)))
    creds = FakeCredentials()
    with pytest.raises(ValueError) as info:
        vertex_client(credentials=creds, http_client=http, **kwargs)
    assert isinstance(info.value, OpenAIVertexError)
    for name in names:
        assert name in str(info.value)
    assert sent == [] and creds.refreshes == 0


def test_missing_adc_names_the_fixes() -> None:
    with pytest.raises(OpenAIVertexError) as info:
        vertex_client(project="my-proj")
    message = str(info.value)
    assert "GOOGLE_APPLICATION_CREDENTIALS" in message and "gcloud auth application-default login" in message


def test_an_http_client_serves_one_vertex_client_only() -> None:
    # A second client would take over its auth and wire-layer options, and the first would sign with
    # the second one's credentials.
    http = httpx.Client()
    vertex_client(project="my-proj", credentials=FakeCredentials(), http_client=http)
    with pytest.raises(ValueError, match="its own http_client"):
        vertex_client(project="other-proj", credentials=FakeCredentials(), http_client=http)


def test_custom_header_variable_is_not_sent_but_default_headers_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "X-Canary: canary\nx-goog-user-project: canary-billing\nX-Mine: env")
    client, sent = _recording_client(httpx, project="my-proj", default_headers={"X-Mine": "argument"})
    client.chat.completions.create(model="google/gemini-2.5-flash", messages=[])
    (request,) = sent
    assert "x-canary" not in request.headers and "x-goog-user-project" not in request.headers
    assert request.headers["x-mine"] == "argument"


def test_wrong_http_client_type_is_refused() -> None:
    with pytest.raises(ValueError, match="httpx.AsyncClient"):
        async_vertex_client(project="my-proj", credentials=FakeCredentials(), http_client=httpx.Client())


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8080/v1", "http://localhost/v1", "http://[::1]:9/v1",
                                      "https://my-psc.p.googleapis.com/v1/projects/p/locations/l/endpoints/openapi"])
def test_base_url_override_allows_https_and_loopback(base_url: str) -> None:
    client = vertex_client(base_url=base_url, credentials=FakeCredentials())
    assert str(client.base_url).rstrip("/") == base_url.rstrip("/")


@sdk_family_param
def test_a_redirect_to_another_origin_carries_no_google_headers(family: Any) -> None:
    seen: dict[str, Any] = {}

    def handler(request: Any) -> Any:
        seen[request.url.host] = request.headers
        if request.url.host == "aiplatform.googleapis.com":
            return family.Response(307, headers={"location": "https://elsewhere.example/chat/completions"})
        return family.Response(200, json=chat_completion("moved"))

    client = vertex_client(project="my-proj", credentials=FakeCredentials(quota_project_id="billing"),
                           http_client=family.Client(transport=family.MockTransport(handler),
                                                     follow_redirects=True))
    assert client.chat.completions.create(model="google/gemini-2.5-flash", messages=[]).choices[0].message.content
    assert seen["aiplatform.googleapis.com"]["x-goog-user-project"] == "billing"
    assert "authorization" not in seen["elsewhere.example"]
    assert "x-goog-user-project" not in seen["elsewhere.example"]


@pytest.mark.parametrize(
    ("kwargs", "sent_model"),
    [
        ({}, "google/gemini-2.5-flash"),  # the wire layer adds the publisher on the openapi endpoint
        ({"wire_compat": False}, "gemini-2.5-flash"),  # switched off: the body goes as the SDK built it
        ({"endpoint": "1234567890", "location": "us-central1"}, "gemini-2.5-flash"),  # self-deployed model
    ],
)
def test_wire_layer_is_installed_by_default_and_can_be_switched_off(kwargs: dict[str, Any], sent_model: str) -> None:
    client, sent = _recording_client(httpx, project="my-proj", **kwargs)
    client.chat.completions.create(model="gemini-2.5-flash", messages=[])
    assert json.loads(sent[0].content)["model"] == sent_model


def test_list_wrapped_google_error_reaches_the_sdk_exception() -> None:
    body = [{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
                       "message": "Resource exhausted. Please try again later."}}]
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(429, json=body)))
    client = vertex_client(project="my-proj", credentials=FakeCredentials(), http_client=http, max_retries=0)
    with pytest.raises(openai.RateLimitError, match="Resource exhausted"):
        client.chat.completions.create(model="google/gemini-2.5-flash", messages=[])
