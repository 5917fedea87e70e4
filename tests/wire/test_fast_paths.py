"""The fast paths give what the full paths give, for every body they let through (docs/vertex-wire.md §F).

A request the look lets through must be one the full path (parse, rewrite, serialise if changed) would
have sent byte for byte; an answer the verdict calls fine must be one `fix_completion` leaves alone.
"""

from __future__ import annotations

import copy
import json
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openai_vertex._wire.completion import fix_completion, signed_if_fine
from openai_vertex._wire import layer as layer_module
from openai_vertex._wire.layer import WireLayer
from openai_vertex._wire.request_look import look
from openai_vertex._wire.signatures import SignatureCache

from .clients import Kind

SIGNED = {"google": {"thought_signature": "sig-1"}}
MODELS = st.sampled_from(["google/gemini-2.5-flash", "gemini-2.5-flash", "deepseek-v3.2-maas", "my-model",
                          "publishers/google/models/gemini-2.5-pro", "xai/grok-4", "", 'gem"ini', "gemini\\x",
                          "modèle"])
IDS = st.sampled_from(["call-1", "call-2", "call-3", ""])
KEYS = st.sampled_from(["model", "messages", "google", "extra_body", "extra_content", "tool_calls", "stream",
                        "role", "id", "thought_signature", "content", "function", "metadata"])
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), MODELS, IDS, st.text(max_size=6))
ANY_JSON = st.recursive(LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)
CALLS = st.fixed_dictionaries(
    {"id": IDS, "type": st.just("function"), "function": st.just({"name": "f", "arguments": '{"a": "\\"x\\""}'})},
    optional={"extra_content": st.sampled_from([SIGNED, {"google": {}}, {"other": 1}, None])})
MESSAGES = st.one_of(
    st.fixed_dictionaries({"role": st.sampled_from(["user", "system"]), "content": st.text(max_size=8)}),
    st.fixed_dictionaries({"role": st.just("assistant"), "content": st.none(), "tool_calls": st.lists(CALLS, max_size=3)}),
    st.dictionaries(KEYS, ANY_JSON, max_size=3))
REQUESTS = st.fixed_dictionaries(
    {"model": MODELS, "messages": st.lists(MESSAGES, max_size=4)},
    optional={"stream": st.booleans(), "google": ANY_JSON, "extra_body": ANY_JSON, "metadata": ANY_JSON})


def _cache() -> SignatureCache:
    cache = SignatureCache()
    cache.remember("call-1", SIGNED)
    cache.remember("call-2", None)  # seen, without a signature
    return cache


def _serialised(value: object, spaced: bool, ascii_only: bool) -> bytes:
    return json.dumps(value, separators=(", ", ": ") if spaced else (",", ":"), ensure_ascii=ascii_only).encode()


@settings(max_examples=400, deadline=None)
@pytest.mark.filterwarnings("ignore:openai_vertex sent Google's")
@given(st.one_of(REQUESTS, st.dictionaries(KEYS, ANY_JSON, max_size=5)), st.booleans(), st.booleans(),
       st.booleans(), st.booleans(), st.booleans())
def test_a_request_the_look_lets_through_is_what_the_full_path_sends(
    payload: dict[str, Any], spaced: bool, ascii_only: bool, prefix: bool, skip: bool, remembered: bool
) -> None:
    body = _serialised(payload, spaced, ascii_only)
    quick = look(body, _cache() if remembered else SignatureCache(), publisher_prefix=prefix, skip_unknown=skip)
    layer = WireLayer(publisher_prefix=prefix, skip_unknown_signatures=skip,
                      signatures=_cache() if remembered else SignatureCache())
    full = layer.full_rewrite(body)
    if quick is None:
        return
    assert full is not None
    sent, exchange = full
    assert sent is body  # the full path would not have changed a byte either
    assert quick[0] or not exchange.streamed  # the look never misses a stream
    if isinstance(payload.get("model"), str):
        assert quick[1] == exchange.bare_model


def test_the_look_sends_to_the_full_path_what_needs_it() -> None:
    cache = _cache()
    needing = [
        {"model": "gemini-2.5-flash", "messages": []},  # §3: no publisher
        {"model": "google/gemini-2.5-flash", "messages": [], "google": {"thinking_config": {}}},  # §5
        {"model": "google/gemini-2.5-flash", "messages": [  # §6: call-1's signature is remembered
            {"role": "assistant", "tool_calls": [{"id": "call-1", "function": {"name": "f", "arguments": "{}"}}]}]},
        {"mod\\u0065l": "gemini-2.5-flash"},  # a key spelt with escapes: only a parse reads it
    ]
    for payload in needing:
        body = json.dumps(payload).encode().replace(b"\\\\u0065", b"\\u0065")
        assert look(body, cache, publisher_prefix=True, skip_unknown=False) is None, body
    signed = {"model": "google/gemini-2.5-flash", "stream": True, "messages": [
        {"role": "assistant", "tool_calls": [{"id": "call-1", "extra_content": SIGNED,
                                              "function": {"name": "f", "arguments": "{}"}}]}]}
    assert look(json.dumps(signed).encode(), cache, publisher_prefix=True, skip_unknown=False) == (True, None)


async def test_a_request_that_needs_nothing_reaches_the_transport_as_it_was_built(kind: Kind) -> None:
    seen: list[Any] = []

    def handler(request: Any) -> Any:
        seen.append(request)
        return kind.response(200, b'{"choices": []}')

    http_client = kind.http_client(handler)
    url = "https://aiplatform.googleapis.com/v1/projects/p/locations/global/endpoints/openapi/chat/completions"
    request = http_client.build_request("POST", url, json={"model": "google/gemini-2.5-flash", "messages": []})
    await (http_client.send(request) if kind.is_async else _now(http_client.send(request)))
    assert seen == [request] and seen[0] is request


async def _now(value: Any) -> Any:
    return value


FINISH = st.sampled_from(["stop", "length", "tool_calls", "content_filter", "function_call", "safety",
                          "malformed_function_call", None, 3])
COUNT = st.one_of(st.integers(0, 9), st.none(), st.booleans())


@st.composite
def _choice(draw: st.DrawFn) -> Any:
    """A choice as Vertex may send it: mostly well formed, each field sometimes missing or odd."""
    choice: dict[str, Any] = {"index": draw(st.integers(0, 2))}
    if draw(st.integers(0, 4)):
        choice["finish_reason"] = draw(FINISH)
    if draw(st.integers(0, 5)):
        message: dict[str, Any] = {"role": "assistant"}
        content = draw(st.integers(0, 5))
        if content:
            message["content"] = [{"type": "text", "text": "a"}] if content == 1 else draw(st.text(max_size=4))
        if draw(st.booleans()):
            message["tool_calls"] = draw(st.lists(CALLS, max_size=2))
        choice["message"] = message
    return choice


CHOICE = _choice()
COMPLETIONS = st.fixed_dictionaries({}, optional={
    "choices": st.one_of(st.none(), st.lists(CHOICE, max_size=2), st.lists(CHOICE, max_size=2),
                         st.lists(st.one_of(CHOICE, LEAVES), max_size=3)),
    "usage": st.one_of(st.none(), st.fixed_dictionaries({"prompt_tokens": st.integers(0, 9),
                                                         "completion_tokens": st.integers(0, 9),
                                                         "total_tokens": st.integers(0, 9)}),
                       st.fixed_dictionaries({}, optional={
                           "prompt_tokens": COUNT, "completion_tokens": COUNT, "total_tokens": COUNT}))})


@settings(max_examples=400, deadline=None)
@given(COMPLETIONS)
def test_an_answer_the_verdict_calls_fine_is_one_the_fixes_leave_alone(completion: dict[str, Any]) -> None:
    if signed_if_fine(completion) is None:
        return
    fixed = copy.deepcopy(completion)
    assert fix_completion(fixed) is False
    assert fixed == completion


class _Unusable:
    """`Spans` that never splice: the body is serialised whole, the reference the splice must agree with."""

    usable = False

    def __init__(self, body: bytes, messages: object) -> None:
        pass


@settings(max_examples=300, deadline=None)
@pytest.mark.filterwarnings("ignore:openai_vertex sent Google's")
@given(REQUESTS, st.booleans(), st.booleans(), st.booleans())
def test_a_spliced_body_says_what_the_whole_serialised_one_says(
    payload: dict[str, Any], spaced: bool, ascii_only: bool, skip: bool
) -> None:
    body = _serialised(payload, spaced, ascii_only)
    result = WireLayer(skip_unknown_signatures=skip, signatures=_cache()).full_rewrite(body)
    with mock.patch.object(layer_module, "Spans", _Unusable):
        reference = WireLayer(skip_unknown_signatures=skip, signatures=_cache()).full_rewrite(body)
    assert result is not None and reference is not None
    assert json.loads(result[0]) == json.loads(reference[0])
    assert (result[0] is body) == (reference[0] is body)


def test_a_restored_signature_changes_only_the_bytes_of_its_calls() -> None:
    history = [{"role": "user", "content": "Weather in Paris? " * 50},
               {"role": "assistant", "content": None,
                "tool_calls": [{"id": "call-1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
               {"role": "tool", "tool_call_id": "call-1", "content": "sunny"}]
    body = json.dumps({"model": "google/gemini-3-pro-preview", "messages": history}, indent=1).encode()
    sent, _ = WireLayer(signatures=_cache()).full_rewrite(body) or (b"", None)
    start = body.index(b'"tool_calls"')
    assert sent[:start] == body[:start]  # the history before the calls, its spacing included, as it was
    assert sent.endswith(body[body.rindex(b"]\n  },") + 1 :])  # and the turns after them
    assert json.loads(sent)["messages"][1]["tool_calls"][0]["extra_content"] == SIGNED  # §6


def test_a_tool_call_array_nested_past_the_parsers_depth_goes_out_untouched() -> None:
    # A hostile body: the look decodes tool-call arrays, and that decode must fail as a parse fails
    # (RecursionError too), leaving the body to the full path, which sends it as it is.
    layer = WireLayer()
    layer.signatures.remember("function-call-1", {"google": {"thought_signature": "sig"}})
    body = (b'{"messages":[{"role":"assistant","tool_calls":' + b"[" * 100_000 + b"]" * 100_000
            + b'}],"model":"google/gemini-2.5-flash"}')
    assert layer.rewrite_chat_body(body) is None
