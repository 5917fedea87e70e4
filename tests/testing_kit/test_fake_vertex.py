"""FakeVertex: its token endpoint against google-auth's real credential classes, its bearer checks, its replies."""

from __future__ import annotations

import base64
import contextlib
import json
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import google.auth
import google.auth.transport.requests
import google.auth.transport.urllib3
import google.oauth2.credentials
import httpx
import openai
import pytest
import urllib3
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import exceptions as ga_exceptions
from google.oauth2 import service_account

import openai_vertex.testing
from openai_vertex import async_vertex_client, vertex_client
from openai_vertex._gemini.stream_events import ToolCallEvent, stream_events
from openai_vertex._gemini.images import generated_images
from openai_vertex._gemini.thoughts import split_thoughts
from openai_vertex.testing import SKIP_SIGNATURE, FakeVertex, Reply, sample_png

MODEL = "google/gemini-2.5-flash"
USER = [{"role": "user", "content": "What is the capital of France?"}]
MARKER = {"extra_body": {"google": {"thought_tag_marker": "think"}}}
INCLUDE = {"extra_body": {"google": {"thinking_config": {"include_thoughts": True}}}}
GOOGLE_TRANSPORTS = {
    "requests": lambda: google.auth.transport.requests.Request(),
    "urllib3": lambda: google.auth.transport.urllib3.Request(urllib3.PoolManager()),
}


ClientFor = Callable[..., openai.OpenAI]


@pytest.fixture
def client_for(fake_vertex: FakeVertex) -> Iterator[ClientFor]:
    """Makes clients of `fake_vertex` (keyword arguments go to `vertex_client`) and closes them after the test."""
    with contextlib.ExitStack() as opened:
        yield lambda **kwargs: opened.enter_context(
            vertex_client(credentials=fake_vertex.service_account_credentials(), base_url=fake_vertex.base_url, **kwargs)
        )


def post_chat(fake_vertex: FakeVertex, body: dict[str, Any], token: str | None) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{fake_vertex.base_url}/chat/completions", json=body, headers=headers)


def fresh_token(fake_vertex: FakeVertex) -> str:
    credentials = fake_vertex.service_account_credentials()
    credentials.refresh(google.auth.transport.requests.Request())
    return str(credentials.token)


# -- the token endpoint ------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", GOOGLE_TRANSPORTS)
@pytest.mark.parametrize("kind", ["service_account", "authorized_user"])
def test_credentials_refresh_through_google_auth_transports(fake_vertex: FakeVertex, transport: str, kind: str) -> None:
    credentials = getattr(fake_vertex, f"{kind}_credentials")()
    credentials.refresh(GOOGLE_TRANSPORTS[transport]())
    assert credentials.valid and credentials.token.startswith("ya29.fake-")
    assert post_chat(fake_vertex, {"model": MODEL, "messages": USER}, credentials.token).status_code == 200
    assert fake_vertex.token_requests == 1


def test_assertion_signed_with_another_key_is_refused(fake_vertex: FakeVertex) -> None:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    info = {**fake_vertex.service_account_info(), "private_key": other_key.decode()}
    impostor = service_account.Credentials.from_service_account_info(info, scopes=["x"])
    with pytest.raises(ga_exceptions.RefreshError, match="invalid_grant: Invalid JWT Signature"):
        impostor.refresh(google.auth.transport.requests.Request())


def test_unscoped_assertion_and_unknown_refresh_token_are_refused(fake_vertex: FakeVertex) -> None:
    with pytest.raises(ga_exceptions.RefreshError, match="invalid_scope"):
        fake_vertex.service_account_credentials(scopes=()).refresh(google.auth.transport.requests.Request())
    user = fake_vertex.authorized_user_credentials()
    stolen = google.oauth2.credentials.Credentials(
        None, refresh_token="1//guessed", token_uri=fake_vertex.token_uri, client_id=user.client_id,
        client_secret=user.client_secret,
    )
    with pytest.raises(ga_exceptions.RefreshError, match="Token has been expired or revoked"):
        stolen.refresh(google.auth.transport.requests.Request())
    assert fake_vertex.token_requests == 2


def test_service_account_file_loads_as_application_default_credentials(
    fake_vertex: FakeVertex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(fake_vertex.write_service_account_file(tmp_path / "key.json")))
    credentials, project = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
    credentials.refresh(google.auth.transport.requests.Request())
    assert project == "fake-project" and credentials.service_account_email == fake_vertex.service_account_email


def test_tokens_announce_their_lifetime_and_may_die_sooner(fake_vertex: FakeVertex) -> None:
    fake_vertex.token_lifetime, fake_vertex.token_dies_after = 120, 0
    token = fresh_token(fake_vertex)
    grant = fake_vertex.requests[-1]
    assert grant.form is not None and grant.form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    answer = httpx.post(fake_vertex.token_uri, data=dict(grant.form)).json()
    assert answer["expires_in"] == 120
    refused = post_chat(fake_vertex, {"model": MODEL, "messages": USER}, token)
    assert refused.status_code == 401


# -- bearer checks -----------------------------------------------------------------------------------


def test_missing_unknown_and_revoked_tokens_get_vertex_401(fake_vertex: FakeVertex) -> None:
    body = {"model": MODEL, "messages": USER}
    token = fresh_token(fake_vertex)
    assert post_chat(fake_vertex, body, token).status_code == 200
    fake_vertex.revoke(token)
    for sent in (None, "ya29.made-up", token):
        answer = post_chat(fake_vertex, body, sent)
        assert answer.status_code == 401
        error = answer.json()["error"]
        assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
        assert error["message"].startswith("Request had invalid authentication credentials. Expected OAuth 2")
    assert fake_vertex.auth_failures == 3


def test_revoke_one_token_leaves_others(fake_vertex: FakeVertex) -> None:
    first, second = fresh_token(fake_vertex), fresh_token(fake_vertex)
    fake_vertex.revoke(first)
    assert post_chat(fake_vertex, {"model": MODEL, "messages": USER}, second).status_code == 200
    fake_vertex.expire_all()
    assert post_chat(fake_vertex, {"model": MODEL, "messages": USER}, second).status_code == 401


def test_token_without_cloud_platform_scope_gets_403(fake_vertex: FakeVertex) -> None:
    credentials = fake_vertex.service_account_credentials(scopes=["https://www.googleapis.com/auth/userinfo.email"])
    credentials.refresh(google.auth.transport.requests.Request())
    answer = post_chat(fake_vertex, {"model": MODEL, "messages": USER}, credentials.token)
    assert answer.status_code == 403 and answer.json()["error"]["status"] == "PERMISSION_DENIED"


@pytest.mark.parametrize("end", ["revoke", "expire_all"])
def test_client_recovers_from_a_token_ended_mid_session(fake_vertex: FakeVertex, client_for: ClientFor, end: str) -> None:
    client = client_for()
    client.chat.completions.create(model=MODEL, messages=USER)
    getattr(fake_vertex, end)()
    completion = client.chat.completions.create(model=MODEL, messages=USER)
    assert completion.choices[0].message.content == "echo: What is the capital of France?"
    assert (fake_vertex.token_requests, fake_vertex.auth_failures) == (2, 1)


def test_slow_token_endpoint_is_asked_once_by_concurrent_requests(fake_vertex: FakeVertex, client_for: ClientFor) -> None:
    fake_vertex.token_delay = 0.2
    client = client_for()
    threads = [threading.Thread(target=client.chat.completions.create, kwargs={"model": MODEL, "messages": USER})
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake_vertex.token_requests == 1 and len(fake_vertex.chat_requests) == 8


async def test_async_client_and_user_credentials(fake_vertex: FakeVertex) -> None:
    async with async_vertex_client(credentials=fake_vertex.authorized_user_credentials(), base_url=fake_vertex.base_url) as client:
        completion = await client.chat.completions.create(model=MODEL, messages=USER)
    assert completion.choices[0].message.content == "echo: What is the capital of France?"


# -- replies -----------------------------------------------------------------------------------------


def test_default_reply_has_vertex_shape_and_the_log_keeps_the_request(fake_vertex: FakeVertex, client_for: ClientFor) -> None:
    completion = client_for().chat.completions.create(model=MODEL, messages=USER)
    assert completion.model == MODEL and completion.system_fingerprint == ""
    assert not completion.id.startswith("chatcmpl")
    usage = completion.usage
    assert usage is not None and usage.completion_tokens_details is not None
    reasoning = usage.completion_tokens_details.reasoning_tokens or 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens + reasoning > 0
    (request,) = fake_vertex.chat_requests
    assert request.json == {"model": MODEL, "messages": USER}
    assert request.bearer_token and request.bearer_token in request.headers["authorization"]
    assert request.bearer_token not in repr(request)


def test_script_is_played_in_order_then_the_default(fake_vertex: FakeVertex, client_for: ClientFor) -> None:
    fake_vertex.script(Reply.text("one"), Reply.text("two"))
    client = client_for()
    answers = [client.chat.completions.create(model=MODEL, messages=USER).choices[0].message.content
               for _ in range(3)]
    assert answers == ["one", "two", "echo: What is the capital of France?"]


def test_stream_sends_pieces_usage_on_the_last_event_and_done(fake_vertex: FakeVertex) -> None:
    fake_vertex.script(Reply.text(["The capital", " is Paris."]))
    answer = post_chat(fake_vertex, {"model": MODEL, "messages": USER, "stream": True}, fresh_token(fake_vertex))
    assert answer.headers["content-type"] == "text/event-stream"
    events = answer.text.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    chunks = [json.loads(event.removeprefix("data: ")) for event in events[:-2]]
    assert [c["choices"][0]["delta"]["content"] for c in chunks] == ["The capital", " is Paris."]
    assert "usage" not in chunks[0] and chunks[-1]["usage"]["completion_tokens"] == 4
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


@pytest.mark.parametrize("stream", [False, True])
def test_thoughts_follow_the_request(fake_vertex: FakeVertex, client_for: ClientFor, stream: bool) -> None:
    client = client_for()

    def content(extra: dict[str, Any] | None) -> str:
        fake_vertex.script(Reply.text("Paris.", thoughts="France's capital is Paris."))
        if not stream:
            completion = client.chat.completions.create(model=MODEL, messages=USER, extra_body=extra)
            return completion.choices[0].message.content or ""
        chunks = client.chat.completions.create(model=MODEL, messages=USER, extra_body=extra, stream=True)
        return "".join(chunk.choices[0].delta.content or "" for chunk in chunks)

    tagged = content(MARKER)
    assert tagged == "<think>France's capital is Paris.</think>Paris."
    assert split_thoughts(tagged).answer == "Paris."
    assert content(INCLUDE) == "France's capital is Paris.Paris."  # untagged, as Vertex mixes them in
    assert content(None) == "Paris."


def test_tool_call_signature_must_come_back(fake_vertex: FakeVertex, client_for: ClientFor) -> None:
    client = client_for()
    fake_vertex.script(Reply.tool_calls(("get_weather", {"city": "Paris"}), ("get_weather", {"city": "London"})))
    message = client.chat.completions.create(model=MODEL, messages=USER).choices[0].message
    first, second = message.tool_calls or []
    signature = (first.model_extra or {})["extra_content"]["google"]["thought_signature"]
    assert fake_vertex.thought_signatures == {first.id: signature}
    assert "extra_content" not in (second.model_extra or {})  # only the first parallel call carries one
    results = [{"role": "tool", "tool_call_id": call.id, "content": "sunny"} for call in (first, second)]
    history = [*USER, message.model_dump(exclude_unset=True), *results]
    assert post_chat(fake_vertex, {"model": MODEL, "messages": history}, fresh_token(fake_vertex)).status_code == 200

    # Sent by hand: the client's own wire layer would put a lost signature back.
    call = {"id": first.id, "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
    refused = post_chat(fake_vertex, {"model": MODEL, "messages": [*USER, {"role": "assistant", "tool_calls": [call]},
                                                            *results]}, fresh_token(fake_vertex))
    assert refused.status_code == 400
    (error,) = refused.json()
    assert "function call `default_api:get_weather` in the 1. content block is missing a `thought_signature`" in (
        error["error"]["message"])
    for sent, status in ((SKIP_SIGNATURE, 200), (signature[::-1], 400)):
        call["extra_content"] = {"google": {"thought_signature": sent}}
        answer = post_chat(fake_vertex, {"model": MODEL, "messages": [*USER, {"role": "assistant", "tool_calls": [call]},
                                                               *results]}, fresh_token(fake_vertex))
        assert answer.status_code == status


def test_streamed_tool_calls_have_unstable_indices_but_stable_ids(fake_vertex: FakeVertex, client_for: ClientFor) -> None:
    fake_vertex.script(Reply.tool_calls(("get_weather", {"city": "Paris"}), ("get_weather", {"city": "London"})))
    answer = post_chat(fake_vertex, {"model": MODEL, "messages": USER, "stream": True}, fresh_token(fake_vertex))
    deltas = [json.loads(e.removeprefix("data: "))["choices"][0]["delta"]["tool_calls"][0]
              for e in answer.text.split("\n\n")[:-2]]
    by_id: dict[str, list[int]] = {}
    for delta in deltas:
        by_id.setdefault(delta["id"], []).append(delta["index"])
    assert [indices[:2] for indices in by_id.values()] == [[1, 0], [0, 1]]  # docs/vertex-wire.md §S2

    fake_vertex.script(Reply.tool_calls(("get_weather", {"city": "Paris"}), ("get_weather", {"city": "London"})))
    stream = client_for().chat.completions.create(model=MODEL, messages=USER, stream=True)
    calls = [e.tool_call for e in stream_events(stream) if isinstance(e, ToolCallEvent)]
    assert [json.loads(c.function.arguments) for c in calls] == [{"city": "Paris"}, {"city": "London"}]


@pytest.mark.parametrize("shape", ["message.audio", "choice.image"])
def test_image_reply_carries_a_real_png(fake_vertex: FakeVertex, shape: Any) -> None:
    fake_vertex.script(Reply.image(shape=shape))
    answer = post_chat(fake_vertex, {"model": MODEL, "messages": USER, "modalities": ["image"]}, fresh_token(fake_vertex))
    (image,) = generated_images(answer.json())
    assert image.mime_type == "image/png" and image.data == sample_png()
    holder = answer.json()["choices"][0] if shape == "choice.image" else answer.json()["choices"][0]["message"]
    assert base64.b64decode(holder[shape.split(".")[1]]["data"]) == sample_png()


def test_sample_png_is_a_valid_64_pixel_square() -> None:
    png = sample_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind, data = png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]
        assert struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])[0] == zlib.crc32(kind + data)
        chunks[kind], offset = data, offset + 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert (width, height) == (64, 64) and list(chunks) == [b"IHDR", b"IDAT", b"IEND"]
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + width * 3)


@pytest.mark.parametrize("wrapped", [True, False])
def test_error_reply_uses_google_envelope(fake_vertex: FakeVertex, client_for: ClientFor, wrapped: bool) -> None:
    fake_vertex.script(Reply.error(429, wrapped=wrapped))
    with pytest.raises(openai.RateLimitError) as raised:
        client_for(max_retries=0).chat.completions.create(model=MODEL, messages=USER)
    assert raised.value.status_code == 429
    answer = post_chat(fake_vertex, {"model": MODEL, "messages": USER}, fresh_token(fake_vertex))
    assert answer.status_code == 200  # the error was used up; the default answers again
    fake_vertex.script(Reply.error(503, "Try later.", wrapped=wrapped))
    body = post_chat(fake_vertex, {"model": MODEL, "messages": USER}, fresh_token(fake_vertex)).json()
    error = {"error": {"code": 503, "message": "Try later.", "status": "UNAVAILABLE"}}
    assert body == ([error] if wrapped else error)


def test_aborted_stream_ends_with_a_bare_error_list(fake_vertex: FakeVertex) -> None:
    fake_vertex.script(Reply.aborted_stream(["Half an"]))
    text = post_chat(fake_vertex, {"model": MODEL, "messages": USER, "stream": True}, fresh_token(fake_vertex)).text
    head, tail = text.split("\n\n", 1)
    assert json.loads(head.removeprefix("data: "))["choices"][0]["delta"]["content"] == "Half an"
    assert json.loads(tail) == [{"error": {"code": 499, "message": "The operation was cancelled.",
                                           "status": "CANCELLED"}}]
    assert "[DONE]" not in text


def test_bare_model_name_and_unknown_route(fake_vertex: FakeVertex) -> None:
    token = fresh_token(fake_vertex)
    answer = post_chat(fake_vertex, {"model": "gemini-2.5-flash", "messages": USER}, token)
    assert answer.status_code == 400 and "Malformed publisher model name" in answer.text
    missing = httpx.get(f"{fake_vertex.base_url}/models", headers={"authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")


def test_stop_closes_kept_alive_connections(fake_vertex: FakeVertex) -> None:
    url = f"{fake_vertex.base_url}/chat/completions"
    with httpx.Client() as http:
        assert http.post(url, json={}).status_code == 401  # leaves a pooled keep-alive connection
        fake_vertex.stop()
        with pytest.raises(httpx.TransportError):
            http.post(url, json={})
    with pytest.raises(RuntimeError, match="not running"):
        _ = fake_vertex.base_url


def test_public_names_are_sorted_and_importable() -> None:
    names = openai_vertex.testing.__all__
    assert names == sorted(names)
    # Identifiers only: pytest's assertion rewriting adds `@py_builtins` to plugin packages.
    public = {name for name in vars(openai_vertex.testing)
              if name.isidentifier() and not name.startswith("_") and name != "annotations"}
    assert public == set(names)
