"""The wire compatibility layer, end to end: real openai clients over httpx / httpx2 `MockTransport`s.

Each scenario runs on the four client kinds (httpx2 and httpx, sync and async) with Google's documented
bodies (`tests/wire/samples.py`). The `*_without_layer` tests show the SDK's behaviour the layer exists to fix,
so each rewrite is proven to be what makes its test pass.
"""

from __future__ import annotations

import gzip
import json
import warnings
from collections.abc import Callable
from typing import Any

import openai
import pytest

from openai_vertex._compat import FAMILIES
from openai_vertex._errors import VertexConfigError
from openai_vertex._wire import install_wire_layer

from . import clients, samples
from .clients import (
    ANSWER, BASE_URL, TOOL_CALL_ARGUMENTS, USER, Handler, Kind, aggregate_by_index, create, final_completion,
    read_chunks, settle,
)
from ..compat import SDK_ERROR_TEXT_IS_MESSAGE
from ..gemini.samples import TOOL_CALL_IDS, TOOL_CALL_SSE

# -- streamed parallel tool calls (docs/vertex-wire.md §S2) ----------------------------------------


@pytest.mark.parametrize("piece", [None, 7, 0], ids=["whole", "7-byte-reads", "event-reads"])
async def test_stream_helper_rebuilds_both_parallel_calls(kind: Kind, piece: int | None) -> None:
    client = kind.client(lambda request: kind.sse(TOOL_CALL_SSE, piece))
    completion = await final_completion(client)

    message = completion.choices[0].message
    assert message.role == "assistant"
    assert [call.id for call in message.tool_calls] == list(TOOL_CALL_IDS)
    assert [call.function.name for call in message.tool_calls] == ["get_current_weather"] * 2
    assert [json.loads(call.function.arguments) for call in message.tool_calls] == list(TOOL_CALL_ARGUMENTS)
    assert message.tool_calls[0].model_extra["extra_content"] == {"google": {"thought_signature": "..."}}
    assert completion.choices[0].finish_reason == "tool_calls"


async def test_stream_helper_fails_on_the_sample_without_layer(kind: Kind) -> None:
    """Why the layer exists: the SDK's `stream()` helper dies on Google's unstable indices.

    This is the SDK's behaviour (https://github.com/openai/openai-python/issues/2806), not ours: a release
    that fixes it skips this test instead of failing the suite.
    """
    client = kind.client(lambda request: kind.sse(TOOL_CALL_SSE), layer=False)
    try:
        await final_completion(client)
    except IndexError:
        return
    pytest.skip(f"openai {openai.__version__} assembles the sample without the layer (#2806 fixed)")


async def test_plain_stream_loop_gets_one_stable_index_per_call(kind: Kind) -> None:
    client = kind.client(lambda request: kind.sse(TOOL_CALL_SSE, 13))
    chunks = await read_chunks(client)

    calls = aggregate_by_index(chunks)
    assert [call["id"] for call in calls] == list(TOOL_CALL_IDS)
    assert [call["name"] for call in calls] == ["get_current_weather"] * 2
    assert [json.loads(call["arguments"]) for call in calls] == list(TOOL_CALL_ARGUMENTS)
    assert [chunk.choices[0].delta.role for chunk in chunks] == ["assistant"] + [None] * (len(chunks) - 1)
    assert chunks[-1].usage.total_tokens == 576


async def test_plain_stream_loop_mixes_calls_up_without_layer(kind: Kind) -> None:
    client = kind.client(lambda request: kind.sse(TOOL_CALL_SSE), layer=False)
    calls = aggregate_by_index(await read_chunks(client))
    # Each index collects fragments of both calls: ids and names run together.
    assert [call["id"] for call in calls] != list(TOOL_CALL_IDS)
    assert calls[1]["id"].startswith(TOOL_CALL_IDS[0]) and calls[1]["id"].endswith(TOOL_CALL_IDS[1])


# -- errors (docs/vertex-wire.md §S8) --------------------------------------------------------------

ERRORS = [
    pytest.param(
        400, samples.MISSING_SIGNATURE_400, openai.BadRequestError, samples.MISSING_SIGNATURE_MESSAGE, id="400"
    ),
    pytest.param(404, samples.NOT_FOUND_404, openai.NotFoundError, samples.NOT_FOUND_MESSAGE, id="404"),
    pytest.param(429, samples.EXHAUSTED_429, openai.RateLimitError, samples.EXHAUSTED_MESSAGE, id="429"),
]


@pytest.mark.parametrize(("status", "body", "error_class", "message"), ERRORS)
async def test_list_wrapped_errors_carry_googles_message(
    kind: Kind, status: int, body: bytes, error_class: type[openai.APIStatusError], message: str
) -> None:
    client = kind.client(lambda request: kind.response(status, body))
    with pytest.raises(error_class) as caught:
        await create(client)

    expected = json.loads(body)[0]["error"]
    if status == 404:  # a model not found where the client looked: Google's words, then where to look
        assert caught.value.body["message"].startswith(f"{message} (openai_vertex: Some models are served only")
        expected["message"] = message = caught.value.body["message"]
    # openai < 3.38 shows the whole (now unwrapped) body after the dash; later releases its message.
    shown = message if SDK_ERROR_TEXT_IS_MESSAGE else {"error": expected}
    assert str(caught.value) == f"Error code: {status} - {shown}"
    assert caught.value.body == expected  # code, message, status and `errors` all kept
    assert str(caught.value.code) == str(status)  # an int before openai 3, a string since


@pytest.mark.parametrize(("status", "body", "error_class", "message"), ERRORS)
async def test_list_wrapped_errors_lose_the_message_without_layer(
    kind: Kind, status: int, body: bytes, error_class: type[openai.APIStatusError], message: str
) -> None:
    client = kind.client(lambda request: kind.response(status, body), layer=False)
    with pytest.raises(error_class) as caught:
        await create(client)
    if SDK_ERROR_TEXT_IS_MESSAGE:
        assert message not in str(caught.value)
    assert isinstance(caught.value.body, list) and caught.value.code is None


async def test_compressed_error_body_is_unwrapped(kind: Kind) -> None:
    body = gzip.compress(samples.EXHAUSTED_429)
    client = kind.client(lambda request: kind.response(429, body, **{"content-encoding": "gzip"}))
    with pytest.raises(openai.RateLimitError, match="Resource exhausted"):
        await create(client)


async def test_error_on_another_route_is_unwrapped(kind: Kind) -> None:
    client = kind.client(lambda request: kind.response(404, samples.NOT_FOUND_404))
    with pytest.raises(openai.NotFoundError, match="was not found"):
        await settle(client.embeddings.create(model="text-embedding-005", input="hi"))


@pytest.mark.parametrize("piece", [None, 5], ids=["whole", "5-byte-reads"])
async def test_error_array_mid_stream_raises(kind: Kind, piece: int | None) -> None:
    client = kind.client(lambda request: kind.sse(samples.CANCELLED_MID_STREAM, piece))
    stream = await create(client, stream=True)
    received = []
    with pytest.raises(openai.APIError) as caught:
        if isinstance(stream, openai.AsyncStream):
            async for chunk in stream:
                received.append(chunk)
        else:
            for chunk in stream:
                received.append(chunk)

    assert type(caught.value) is openai.APIError
    assert str(caught.value) == "The operation was cancelled."
    assert caught.value.body == {"code": 499, "message": "The operation was cancelled.", "status": "CANCELLED"}
    assert len(received) == 1  # the chunk before the failure still arrived


async def test_error_array_mid_stream_is_silent_without_layer(kind: Kind) -> None:
    client = kind.client(lambda request: kind.sse(samples.CANCELLED_MID_STREAM), layer=False)
    assert len(await read_chunks(client)) == 1  # truncated, and nothing says so


def recording(kind: Kind, sent: list[Any], reply: bytes = ANSWER) -> Handler:
    def handler(request: Any) -> Any:
        sent.append(request)
        return kind.response(200, reply)

    return handler


# -- thought signatures ----------------------------------------------------------------------------


def history_as_dicts(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The second-turn history an agent framework rebuilds: plain dicts, `extra_content` dropped."""
    calls = [{key: value for key, value in call.items() if key != "extra_content"} for call in message["tool_calls"]]
    results = [{"role": "tool", "tool_call_id": call["id"], "content": "21 C"} for call in calls]
    return [USER, {"role": "assistant", "tool_calls": calls}, *results]


class GeminiThree:
    """Answers like Gemini 3: the first turn calls tools, a later turn must replay the first call's signature."""

    def __init__(self, kind: Kind, first_turn: Callable[[], Any]) -> None:
        self.kind = kind
        self.first_turn = first_turn
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: Any) -> Any:
        body = json.loads(request.content)
        self.bodies.append(body)
        if len(self.bodies) == 1:
            return self.first_turn()
        first_call = body["messages"][1]["tool_calls"][0]
        if "thought_signature" not in first_call.get("extra_content", {}).get("google", {}):
            return self.kind.response(400, samples.MISSING_SIGNATURE_400)
        return self.kind.response(200, ANSWER)


async def test_signature_from_a_reply_is_restored_on_dict_history(kind: Kind) -> None:
    server = GeminiThree(kind, lambda: kind.response(200, samples.SIGNED_CALLS_COMPLETION))
    client = kind.client(server)
    first = await create(client)
    assert first.choices[0].message.tool_calls[0].id == samples.SIGNED_CALLS_MESSAGE["tool_calls"][0]["id"]

    second = await create(client, messages=history_as_dicts(samples.SIGNED_CALLS_MESSAGE))

    assert second.choices[0].message.content.startswith("Why did the scarecrow")
    sent_calls = server.bodies[1]["messages"][1]["tool_calls"]
    assert sent_calls[0]["extra_content"] == {"google": {"thought_signature": "<SIGNATURE_A>"}}
    assert "extra_content" not in sent_calls[1]  # never invented for the unsigned parallel call


async def test_signature_from_a_stream_is_restored_on_dict_history(kind: Kind) -> None:
    server = GeminiThree(kind, lambda: kind.sse(TOOL_CALL_SSE, 11))
    client = kind.client(server)
    completion = await final_completion(client)
    message = completion.choices[0].message.model_dump(exclude_none=True, exclude={"parsed"})
    for call in message["tool_calls"]:
        call["function"].pop("parsed_arguments", None)

    await create(client, messages=history_as_dicts(message))

    sent_calls = server.bodies[1]["messages"][1]["tool_calls"]
    assert sent_calls[0]["extra_content"] == {"google": {"thought_signature": "..."}}
    assert "extra_content" not in sent_calls[1]


async def test_dict_history_is_rejected_without_layer(kind: Kind) -> None:
    server = GeminiThree(kind, lambda: kind.response(200, samples.SIGNED_CALLS_COMPLETION))
    client = kind.client(server, layer=False)
    await create(client)
    with pytest.raises(openai.BadRequestError):
        await create(client, messages=history_as_dicts(samples.SIGNED_CALLS_MESSAGE))


def foreign_history() -> list[dict[str, Any]]:
    """History from another provider: two assistant turns whose calls this client never saw."""
    def turn(*ids: str) -> dict[str, Any]:
        calls = [{"id": i, "type": "function", "function": {"name": "f", "arguments": "{}"}} for i in ids]
        return {"role": "assistant", "tool_calls": calls}

    return [USER, turn("call_a1", "call_a2"), {"role": "tool", "tool_call_id": "call_a1", "content": "1"},
            {"role": "tool", "tool_call_id": "call_a2", "content": "2"}, turn("call_b1"),
            {"role": "tool", "tool_call_id": "call_b1", "content": "3"}]


async def test_skip_sentinel_on_first_unknown_call_when_opted_in(kind: Kind) -> None:
    sent: list[Any] = []
    client = kind.client(recording(kind, sent), skip_unknown_signatures=True)
    with pytest.warns(UserWarning, match="skip_thought_signature_validator") as warned:
        await create(client, messages=foreign_history())
    # Only our warning: the recorder also holds whatever else fired meanwhile, such as a ResourceWarning
    # that the garbage collector raised inside the library's own frames.
    (ours,) = [w for w in warned if "skip_thought_signature_validator" in str(w.message)]
    assert ours.filename == clients.__file__  # it points at the code that sent the request (`create`)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # once per client
        await create(client, messages=foreign_history())

    sentinel = {"google": {"thought_signature": "skip_thought_signature_validator"}}
    for request in sent:
        first_turn, second_turn = (json.loads(request.content)["messages"][i] for i in (1, 4))
        assert first_turn["tool_calls"][0]["extra_content"] == sentinel
        assert "extra_content" not in first_turn["tool_calls"][1]
        assert second_turn["tool_calls"][0]["extra_content"] == sentinel


async def test_skip_sentinel_never_replaces_a_signature_and_is_off_by_default(kind: Kind) -> None:
    sent: list[Any] = []
    history = foreign_history()
    history[1]["tool_calls"][0]["extra_content"] = {"google": {"thought_signature": "real"}}
    opted_in = kind.client(recording(kind, sent), skip_unknown_signatures=True)
    with pytest.warns(UserWarning):
        await create(opted_in, messages=history)
    first_call = json.loads(sent[0].content)["messages"][1]["tool_calls"][0]
    assert first_call["extra_content"] == {"google": {"thought_signature": "real"}}

    default = kind.client(recording(kind, sent))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await create(default, messages=foreign_history())
    assert b"skip_thought_signature_validator" not in sent[1].content


# -- requests --------------------------------------------------------------------------------------


async def test_bare_model_gets_publisher_and_google_block_moves(kind: Kind) -> None:
    sent: list[Any] = []
    client = kind.client(recording(kind, sent))
    await create(
        client,
        model="gemini-2.5-flash",
        # The common slip: one level of `extra_body` too few, so `google` lands at the top level.
        extra_body={"google": {"thinking_config": {"thinking_budget": 0, "include_thoughts": True}, "x": 1},
                    "extra_body": {"google": {"thinking_config": {"thinking_budget": 512}}}},
    )

    body = json.loads(sent[0].content)
    assert body["model"] == "google/gemini-2.5-flash"
    assert "google" not in body
    assert body["extra_body"] == {
        "google": {"thinking_config": {"thinking_budget": 512, "include_thoughts": True}, "x": 1}
    }
    assert sent[0].headers["content-length"] == str(len(sent[0].content))


async def test_publisher_prefix_can_be_switched_off(kind: Kind) -> None:
    sent: list[Any] = []
    client = kind.client(recording(kind, sent), publisher_prefix=False)
    await create(client, model="my-served-model")
    assert json.loads(sent[0].content)["model"] == "my-served-model"


async def test_requests_needing_no_change_pass_byte_for_byte(kind: Kind) -> None:
    sent: list[Any] = []
    http_client = kind.http_client(recording(kind, sent))
    # Spacing that re-serialising would remove shows the bytes were passed on, not rebuilt.
    chat = b'{"model": "google/gemini-2.5-flash",  "messages": [{"role": "user", "content": "\xc3\xbc"}]}'
    # Not chat completions: left alone even with a bare model id and a top-level `google`.
    embeddings = b'{"model": "text-embedding-005", "input": "hi", "google": {}}'
    await settle(http_client.post(f"{BASE_URL}/chat/completions", content=chat))
    await settle(http_client.post(f"{BASE_URL}/embeddings", content=embeddings))
    await settle(http_client.put(f"{BASE_URL}/chat/completions", content=embeddings))

    assert [request.content for request in sent] == [chat, embeddings, embeddings]


# -- installation ----------------------------------------------------------------------------------


def test_installing_twice_wraps_once_and_covers_mounts() -> None:
    http = FAMILIES[0]
    default, mounted = (http.MockTransport(recording(Kind(http, False), [])) for _ in range(2))
    client = http.Client(transport=default, mounts={"https://mounted.example": mounted})
    install_wire_layer(client)
    install_wire_layer(client, publisher_prefix=False)

    transports: list[Any] = [client._transport, *client._mounts.values()]
    assert [t.transport for t in transports] == [default, mounted]  # each wrapped exactly once
    assert len({id(t.layer) for t in transports}) == 1  # one signature memory for the client
    assert transports[0].layer.publisher_prefix is False  # the second call's options apply


async def test_mounted_transports_are_covered(kind: Kind) -> None:
    sent: list[Any] = []
    mounted = kind.http.MockTransport(recording(kind, sent))
    unused = kind.http.MockTransport(lambda request: pytest.fail("the mount should have been used"))
    client_class = kind.http.AsyncClient if kind.is_async else kind.http.Client
    http_client = client_class(transport=unused, mounts={"https://aiplatform.googleapis.com": mounted})
    install_wire_layer(http_client)
    sdk_class = openai.AsyncOpenAI if kind.is_async else openai.OpenAI
    sdk = sdk_class(api_key="x", base_url=BASE_URL, http_client=http_client)
    await create(sdk, model="gemini-2.5-flash")
    assert json.loads(sent[0].content)["model"] == "google/gemini-2.5-flash"


def test_rejects_what_is_not_an_http_client() -> None:
    with pytest.raises(VertexConfigError, match="httpx or httpx2 Client"):
        install_wire_layer(object())  # type: ignore[arg-type]
