"""Whole answers: fixed as the SDK parses them, their bytes and their response untouched (docs/vertex-wire.md §12)."""

from __future__ import annotations

import json
from typing import Any

from openai_vertex._wire.signatures import SignatureCache
from openai_vertex._wire.completion import fix_parsed

from . import samples
from .clients import ANSWER, Kind, create


def _sent(kind: Kind, body: bytes) -> tuple[Any, list[Any]]:
    """An HTTP client with the layer over a transport answering `body`, and the responses it gave."""
    given: list[Any] = []

    def handler(request: Any) -> Any:
        response = kind.response(200, body, "application/json; charset=UTF-8")
        given.append(response)
        return response

    return kind.http_client(handler), given


async def _post(kind: Kind, http_client: Any) -> Any:
    url = "https://aiplatform.googleapis.com/v1/projects/p/locations/global/endpoints/openapi/chat/completions"
    call = http_client.post(url, json={"model": "google/gemini-2.5-flash", "messages": []})
    return await call if kind.is_async else call


async def test_an_answer_leaves_as_the_transports_own_response_with_its_bytes(kind: Kind) -> None:
    # §S12.2 shape: `stop` beside a tool call, which the SDK must see as `tool_calls`.
    http_client, given = _sent(kind, samples.STOP_WITH_CALLS_ANSWER)
    response = await _post(kind, http_client)
    assert response is given[0]  # not a rebuilt response: nothing was copied
    assert response.content == samples.STOP_WITH_CALLS_ANSWER  # what Vertex sent, byte for byte
    assert json.loads(response.content)["choices"][0]["finish_reason"] == "stop"
    assert response.json()["choices"][0]["finish_reason"] == "tool_calls"  # what the SDK parses


async def test_the_sdk_gets_the_fixed_answer_and_the_signature_is_remembered(kind: Kind) -> None:
    http_client, _ = _sent(kind, samples.SIGNED_CALLS_COMPLETION)
    import openai

    sdk = (openai.AsyncOpenAI if kind.is_async else openai.OpenAI)(
        api_key="unused", base_url="https://aiplatform.googleapis.com/v1/projects/p/locations/global/endpoints/openapi",
        http_client=http_client, max_retries=0)
    completion = await create(sdk)
    assert completion.choices[0].finish_reason == "tool_calls"
    layer = http_client._transport.layer
    first = completion.choices[0].message.tool_calls[0].id
    assert layer.signatures.lookup(first) == (True, {"google": {"thought_signature": "<SIGNATURE_A>"}})


def test_fix_parsed_fixes_in_place_what_the_bytes_rewrite_used_to() -> None:
    for body in (samples.MALFORMED_CALL_ANSWER, samples.BLOCKED_PROMPT_ANSWER, samples.STOP_WITH_CALLS_ANSWER,
                 samples.finished_with("safety"), samples.TEXT_PARTS_ANSWER,
                 ANSWER.replace(b'"total_tokens"', b'"other_tokens"')):
        parsed = json.loads(body)
        fix_parsed(parsed, SignatureCache())
        assert parsed != json.loads(body), body
    plain = json.loads(ANSWER)
    fix_parsed(plain, SignatureCache())
    assert plain == json.loads(ANSWER)  # §S1 as it arrives: nothing to fix


def test_the_json_hook_does_not_keep_an_answer_alive(kind: Kind) -> None:
    # The json() hook sits on the response itself: were it to hold the response strongly, the two would
    # form a cycle, and every answer (its whole body) would wait for the garbage collector to be freed.
    import gc
    import weakref

    from openai_vertex._wire.transports import _fixed_json

    response = kind.response(200, samples.STOP_WITH_CALLS_ANSWER)
    response.read()
    fixed: list[Any] = []
    gc.disable()
    try:
        hooked = _fixed_json(response, fixed.append)
        assert hooked is response and response.json() is fixed[0]  # the hook ran on what json() returns
        answer = weakref.ref(response)
        del response, hooked
        assert answer() is None  # freed at once, by reference counting
    finally:
        gc.enable()
