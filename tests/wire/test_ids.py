"""Tool-call ids that repeat within one message (docs/vertex-wire.md §12.5) and model ids (§3, §12.7)."""

from __future__ import annotations

import json
import re
from typing import Any

import openai
import pytest

from ..gemini import samples as gemini_samples
from . import samples
from .clients import ANSWER, TOOL_CALL_ARGUMENTS, USER, Kind, aggregate_by_index, create, final_completion, read_chunks

# §12.5: older Gemini used the function name as the call id; Google's Grok sample repeats one id across
# parallel calls (issue 12). Two parallel calls under one id, only the first signed (as in §S6).
REPEATED_ID = "get_current_temperature"
REPEATED_CALLS = [
    {"extra_content": samples.SIGNATURE, "id": REPEATED_ID, "type": "function",
     "function": {"name": REPEATED_ID, "arguments": '{"location":"Paris"}'}},
    {"id": REPEATED_ID, "type": "function", "function": {"name": REPEATED_ID, "arguments": '{"location":"London"}'}},
]
REPEATED_ANSWER = samples.answer(
    {"finish_reason": "tool_calls", "index": 0, "logprobs": None,
     "message": {"role": "assistant", "tool_calls": REPEATED_CALLS}},
    usage={"completion_tokens": 20, "prompt_tokens": 27, "total_tokens": 47},
)
REPEATED_SSE = samples.stream(
    samples.chunk({"delta": {"role": "assistant", "tool_calls": [{**REPEATED_CALLS[0], "index": 0}]}, "index": 0}),
    samples.chunk({"delta": {"tool_calls": [{**REPEATED_CALLS[1], "index": 1}]}, "finish_reason": "tool_calls",
                   "index": 0}, usage={"completion_tokens": 20, "prompt_tokens": 27, "total_tokens": 47}),
)


class TwoTurns:
    """Serves `first` to the first request and the §S1 answer after; keeps the request bodies."""

    def __init__(self, kind: Kind, first: Any) -> None:
        self.kind, self.first = kind, first
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: Any) -> Any:
        self.bodies.append(json.loads(request.content))
        return self.first() if len(self.bodies) == 1 else self.kind.response(200, ANSWER)


UNIQUE_IDS = [REPEATED_ID, f"{REPEATED_ID}~2"]  # what the SDK sees: OpenAI's ids are unique in a message


def dict_history(ids: list[str]) -> list[dict[str, Any]]:
    """The second turn as a framework rebuilds it from the ids it got: plain dicts, `extra_content` dropped."""
    calls = [{**{key: value for key, value in call.items() if key != "extra_content"}, "id": call_id}
             for call, call_id in zip(REPEATED_CALLS, ids)]
    return [USER, {"role": "assistant", "tool_calls": calls},
            *({"role": "tool", "tool_call_id": call_id, "content": "21 C"} for call_id in ids)]


def replayed(server: TwoTurns) -> list[Any]:
    """What Google got back of each call: its id and `extra_content`, and the tool messages' ids."""
    messages = server.bodies[1]["messages"]
    return [(call["id"], call.get("extra_content")) for call in messages[1]["tool_calls"]] + [
        message["tool_call_id"] for message in messages[2:]]


GOOGLES_IDS_BACK = [(REPEATED_ID, samples.SIGNATURE), (REPEATED_ID, None), REPEATED_ID, REPEATED_ID]


async def test_calls_under_one_id_get_unique_ids_and_google_gets_its_own_back(kind: Kind) -> None:
    server = TwoTurns(kind, lambda: kind.response(200, REPEATED_ANSWER))
    client = kind.client(server)
    completion = await create(client)
    ids = [call.id for call in completion.choices[0].message.tool_calls]
    assert ids == UNIQUE_IDS
    await create(client, messages=dict_history(ids))
    assert replayed(server) == GOOGLES_IDS_BACK  # the signature only on the call it came with


async def test_google_gets_its_ids_back_when_no_call_was_signed(kind: Kind) -> None:
    unsigned = REPEATED_ANSWER.replace(json.dumps(samples.SIGNATURE).encode(), b"null")
    server = TwoTurns(kind, lambda: kind.response(200, unsigned))
    client = kind.client(server)
    await create(client)
    await create(client, messages=dict_history(UNIQUE_IDS))
    assert replayed(server) == [(REPEATED_ID, None), (REPEATED_ID, None), REPEATED_ID, REPEATED_ID]


async def test_without_the_layer_the_ids_repeat(kind: Kind) -> None:
    completion = await create(kind.client(lambda request: kind.response(200, REPEATED_ANSWER), layer=False))
    assert [call.id for call in completion.choices[0].message.tool_calls] == [REPEATED_ID] * 2


async def test_streamed_calls_under_one_id_stay_apart(kind: Kind) -> None:
    server = TwoTurns(kind, lambda: kind.sse(REPEATED_SSE, 0))
    client = kind.client(server)
    completion = await final_completion(client)

    calls = completion.choices[0].message.tool_calls
    assert [call.id for call in calls] == UNIQUE_IDS
    assert [json.loads(call.function.arguments) for call in calls] == [{"location": "Paris"}, {"location": "London"}]
    await create(client, messages=dict_history(UNIQUE_IDS))
    assert replayed(server) == GOOGLES_IDS_BACK


async def test_streamed_calls_under_one_id_stay_apart_in_a_plain_loop(kind: Kind) -> None:
    chunks = await read_chunks(kind.client(lambda request: kind.sse(REPEATED_SSE, 0)))
    calls = aggregate_by_index(chunks)
    assert [call["arguments"] for call in calls] == ['{"location":"Paris"}', '{"location":"London"}']


MODEL_IDS = [
    ("gemini-2.5-flash", "google/gemini-2.5-flash"),
    ("gemma-3-27b-it", "google/gemma-3-27b-it"),
    ("publishers/google/models/gemini-2.5-flash", "google/gemini-2.5-flash"),
    ("projects/p/locations/global/publishers/xai/models/grok-4.6", "xai/grok-4.6"),
    # Partner ids with the publisher Google's pages give them (docs/vertex-wire.md §3, §S7c, §12.7).
    ("deepseek-v3.2-maas", "deepseek-ai/deepseek-v3.2-maas"),
    ("llama-3.3-70b-instruct-maas", "meta/llama-3.3-70b-instruct-maas"),
    ("gpt-oss-120b-maas", "openai/gpt-oss-120b-maas"),
    ("qwen3-coder-480b-a35b-instruct-maas", "qwen/qwen3-coder-480b-a35b-instruct-maas"),
    ("grok-4.1-fast-reasoning", "xai/grok-4.1-fast-reasoning"),
    # No publisher known: sent as it is, never as a Google model.
    ("kimi-k2-thinking-maas", "kimi-k2-thinking-maas"),
    ("my-served-model", "my-served-model"),
    ("meta/llama-4-maverick-17b-128e-instruct-maas", "meta/llama-4-maverick-17b-128e-instruct-maas"),
]


@pytest.mark.parametrize(("model", "sent"), MODEL_IDS)
async def test_model_ids_get_the_publisher_google_names(kind: Kind, model: str, sent: str) -> None:
    bodies: list[bytes] = []
    client = kind.client(lambda request: bodies.append(request.content) or kind.response(200, ANSWER))
    await create(client, model=model)
    assert json.loads(bodies[0])["model"] == sent


async def test_rejected_bare_model_says_what_ids_look_like(kind: Kind) -> None:
    client = kind.client(lambda request: kind.response(404, samples.NOT_FOUND_404))
    with pytest.raises(openai.NotFoundError) as caught:
        await create(client, model="kimi-k2-thinking-maas")
    message = caught.value.body["message"]
    assert message.startswith(samples.NOT_FOUND_MESSAGE)  # Google's own words stay first
    assert "`kimi-k2-thinking-maas` names no publisher" in message and "`publisher/model`" in message
    assert caught.value.body["status"] == "NOT_FOUND"


async def test_rejected_model_with_publisher_gets_the_location_hint_not_the_id_hint(kind: Kind) -> None:
    client = kind.client(lambda request: kind.response(404, samples.NOT_FOUND_404))
    with pytest.raises(openai.NotFoundError) as caught:
        await create(client, model="google/gemini-1.5-flash")
    message = caught.value.body["message"]
    assert message.startswith(samples.NOT_FOUND_MESSAGE + " (openai_vertex: Some models are served only on regional")
    assert "names no publisher" not in message


async def test_section_s2_under_one_id_gets_unique_ids_on_the_byte_path(kind: Kind) -> None:
    # §S2 (DOC) with both calls under the function's name, as older Gemini named them (§12.5): its chunks
    # are the common shape the normaliser writes without parsing (chunks.py).
    body = re.sub(rb'"function-call-[0-9a-f-]+"', b'"get_current_weather"', gemini_samples.TOOL_CALL_SSE)
    chunks = await read_chunks(kind.client(lambda request: kind.sse(body, 0)))
    calls = aggregate_by_index(chunks)
    assert [call["id"] for call in calls] == ["get_current_weather", "get_current_weather~2"]
    assert [json.loads(call["arguments"]) for call in calls] == list(TOOL_CALL_ARGUMENTS)
