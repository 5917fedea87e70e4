"""stream_events / astream_events over real SDK streams served by a MockTransport.

Each test runs over the sync and the async wrapper, and over a plain `openai.OpenAI` (Vertex's raw wire
shape reaches the wrapper) and `vertex_client` (its stream normaliser runs first).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from openai.types.chat import ChatCompletionChunk

from openai_vertex import VertexConfigError
from openai_vertex._gemini.stream_events import (
    AnswerDelta,
    DoneEvent,
    StreamEvent,
    ThoughtDelta,
    ToolCallEvent,
    UsageEvent,
    astream_events,
    stream_events,
)

from .samples import (
    MAAS_STREAM,
    TEXT_COMPLETION,
    TOOL_CALL_IDS,
    TOOL_CALL_SSE,
    async_client,
    client,
    replying,
    sse,
    text_chunk,
)

USAGE = {
    "completion_tokens": 9,
    "completion_tokens_details": {"reasoning_tokens": 30},
    "prompt_tokens": 5,
    "total_tokens": 44,
}

modes = pytest.mark.parametrize(
    ("mode", "kind"),
    [("sync", "openai"), ("async", "openai"), ("sync", "vertex"), ("async", "vertex")],
)


async def events_of(body: bytes, mode: str, kind: str, marker: str = "think") -> list[StreamEvent]:
    """Stream `body` through a real client and collect the wrapper's events."""
    model = "google/gemini-3.1-pro-preview"
    if mode == "sync":
        stream = client(replying(body), kind).chat.completions.create(model=model, messages=[], stream=True)
        return list(stream_events(stream, marker=marker))
    astream = await async_client(replying(body), kind).chat.completions.create(model=model, messages=[], stream=True)
    return [event async for event in astream_events(astream, marker=marker)]


@modes
async def test_googles_parallel_tool_call_stream_gives_two_whole_calls(mode: str, kind: str) -> None:
    events = await events_of(TOOL_CALL_SSE, mode, kind)

    calls = [event.tool_call for event in events if isinstance(event, ToolCallEvent)]
    assert [call.id for call in calls] == list(TOOL_CALL_IDS)
    assert [call.function.name for call in calls] == ["get_current_weather"] * 2
    assert [json.loads(call.function.arguments) for call in calls] == [
        {"location": "Boston, MA", "unit": "celsius"},
        {"location": "New Delhi, India", "unit": "celsius"},
    ]
    assert calls[0].extra_content == {"google": {"thought_signature": "..."}}  # type: ignore[attr-defined]
    assert getattr(calls[1], "extra_content", None) is None  # never invented for the second call
    assert isinstance(events[-2], UsageEvent) and events[-2].usage.total_tokens == 576
    assert events[-1] == DoneEvent("tool_calls")
    assert len(events) == 4


def test_a_streamed_tool_call_goes_back_with_its_signature() -> None:
    stream = client(replying(TOOL_CALL_SSE)).chat.completions.create(model="m", messages=[], stream=True)
    calls = [event.tool_call for event in stream_events(stream) if isinstance(event, ToolCallEvent)]
    history: list[Any] = [
        {"role": "assistant", "tool_calls": calls},  # the SDK objects, as they came
        *({"role": "tool", "tool_call_id": call.id, "content": "{}"} for call in calls),
    ]
    sent: list[dict[str, Any]] = []
    client(replying(TEXT_COMPLETION, sent)).chat.completions.create(
        model="google/gemini-3.1-pro-preview", messages=history
    )
    echoed = sent[0]["messages"][0]["tool_calls"]
    assert echoed[0]["extra_content"] == {"google": {"thought_signature": "..."}}
    assert "extra_content" not in echoed[1]
    assert [call["id"] for call in echoed] == list(TOOL_CALL_IDS)


@modes
async def test_tagged_thoughts_cut_across_chunks_become_thought_and_answer_deltas(mode: str, kind: str) -> None:
    body = sse(
        [
            text_chunk("<thi"),
            text_chunk("nk>Two plus"),
            text_chunk(" two.</th"),
            text_chunk("ink>It is"),
            text_chunk(" 4.", finish="stop", usage=USAGE),
        ]
    )
    events = await events_of(body, mode, kind)
    assert events[:4] == [ThoughtDelta("Two plus"), ThoughtDelta(" two."), AnswerDelta("It is"), AnswerDelta(" 4.")]
    assert isinstance(events[4], UsageEvent) and events[4].usage.completion_tokens_details is not None
    assert events[4].usage.completion_tokens_details.reasoning_tokens == 30
    assert events[5:] == [DoneEvent("stop")]


@modes
async def test_a_stream_cut_inside_a_thought_ends_with_the_rest_as_thought(mode: str, kind: str) -> None:
    events = await events_of(sse([text_chunk("<thought>never fini"), text_chunk("shed</thou")]), mode, kind, "thought")
    assert events == [ThoughtDelta("never fini"), ThoughtDelta("shed"), ThoughtDelta("</thou"), DoneEvent(None)]


@modes
async def test_maas_stream_with_usage_on_the_last_chunk(mode: str, kind: str) -> None:
    events = await events_of(sse(MAAS_STREAM), mode, kind)
    assert events[0] == AnswerDelta("Hello")
    assert isinstance(events[1], UsageEvent) and events[1].usage.total_tokens == 145
    assert events[2:] == [DoneEvent("stop")]


def _chunk(choices: list[dict[str, Any]], usage: dict[str, Any] | None = None) -> ChatCompletionChunk:
    return ChatCompletionChunk.model_validate(
        {"id": "c", "created": 0, "model": "m", "object": "chat.completion.chunk", "choices": choices, "usage": usage}
    )


def _call_delta(index: int, arguments: str, call_id: str | None = None, name: str | None = None) -> dict[str, Any]:
    delta: dict[str, Any] = {"index": index, "function": {"arguments": arguments}}
    if call_id is not None:
        delta.update(id=call_id, type="function")
        delta["function"]["name"] = name
    return {"index": 0, "delta": {"tool_calls": [delta]}}


def test_openai_style_continuations_follow_their_index_even_when_interleaved() -> None:
    chunks = [
        _chunk([_call_delta(0, '{"a":', "call-a", "f")]),
        _chunk([_call_delta(1, '{"b":', "call-b", "g")]),
        _chunk([_call_delta(0, "1}")]),
        _chunk([_call_delta(1, "2}")]),
        _chunk([{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]),
    ]
    calls = [event.tool_call for event in stream_events(chunks) if isinstance(event, ToolCallEvent)]
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == [
        ("call-a", "f", '{"a":1}'),
        ("call-b", "g", '{"b":2}'),
    ]


def test_choices_are_kept_apart() -> None:
    chunks = [
        _chunk([{"index": 0, "delta": {"content": "<think>x"}}, {"index": 1, "delta": {"content": "y"}}]),
        _chunk([{"index": 1, "delta": {"content": "</think>"}, "finish_reason": "stop"}]),
        _chunk([{"index": 0, "delta": {"content": "</think>z"}, "finish_reason": "length"}]),
    ]
    assert list(stream_events(chunks)) == [
        ThoughtDelta("x", 0),
        AnswerDelta("y", 1),
        AnswerDelta("</think>", 1),
        AnswerDelta("z", 0),
        DoneEvent("length", 0),
        DoneEvent("stop", 1),
    ]


def test_an_empty_stream_still_ends_with_done() -> None:
    assert list(stream_events([])) == [DoneEvent(None)]


def test_a_bad_marker_is_refused_at_the_call() -> None:
    with pytest.raises(VertexConfigError, match="marker"):
        stream_events([], marker="<think>")
    with pytest.raises(VertexConfigError, match="marker"):
        astream_events(_never(), marker="")


async def _never() -> Any:
    raise AssertionError("must not be iterated")
    yield


def _reasoning_chunk(delta: dict[str, Any], finish: str | None = None) -> str:
    """A MaaS chunk whose delta carries DeepSeek's `reasoning_content` (its documented field,
    https://api-docs.deepseek.com/guides/reasoning_model) in Vertex's envelope (docs/vertex-wire.md §S7b)."""
    return json.dumps({"choices": [{"delta": delta, "finish_reason": finish, "index": 0}], "created": 1749661200,
                       "id": "x", "model": "deepseek-ai/deepseek-r1-0528-maas", "object": "chat.completion.chunk"})


REASONING_SSE = sse([_reasoning_chunk({"role": "assistant", "reasoning_content": "Two plus "}),
                     _reasoning_chunk({"reasoning_content": "two is four."}),
                     _reasoning_chunk({"content": "4"}, "stop")])


@modes
async def test_partner_reasoning_content_comes_as_thought_deltas(mode: str, kind: str) -> None:
    events = await events_of(REASONING_SSE, mode, kind)
    assert events == [ThoughtDelta("Two plus "), ThoughtDelta("two is four."), AnswerDelta("4"), DoneEvent("stop")]


def test_a_stream_that_starts_inside_a_thought() -> None:
    body = sse([text_chunk("Adding.</th"), text_chunk("ink>4", "stop")])
    stream = client(replying(body)).chat.completions.create(model="m", messages=[], stream=True)
    events = list(stream_events(stream, starts_in_thought=True))
    assert events == [ThoughtDelta("Adding."), AnswerDelta("4"), DoneEvent("stop")]
