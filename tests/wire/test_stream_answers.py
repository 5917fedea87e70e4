"""Streamed answers that break the SDK's `stream()` helper or plain stream loops (docs/vertex-wire.md §12).

Each is read through real openai clients of the four kinds, with the `stream()` helper and with a plain
`create(stream=True)` loop, beside what the bare SDK does with the same stream (`*_without_layer`).
"""

from __future__ import annotations

from typing import Any

import pytest

from . import samples
from .clients import Kind, aggregate_by_index, final_completion, read_chunks


def streaming(kind: Kind, body: bytes, **options: Any) -> Any:
    return kind.client(lambda request: kind.sse(body, 0), **options)


@pytest.mark.parametrize("body", [samples.METADATA_AFTER_CALL_SSE, samples.METADATA_BEFORE_CALL_SSE],
                         ids=["after", "before"])
async def test_metadata_only_delta_joins_its_call(kind: Kind, body: bytes) -> None:
    completion = await final_completion(streaming(kind, body))

    choice = completion.choices[0]
    (call,) = choice.message.tool_calls  # no phantom call
    assert (call.id, call.function.name, call.function.arguments) == (
        "function-call-1", "get_weather", '{"location":"Sydney"}'
    )
    assert call.model_extra["extra_content"] == samples.SIGNATURE
    assert choice.finish_reason == "tool_calls"  # §12.2: `stop` after a call


@pytest.mark.parametrize("body", [samples.METADATA_AFTER_CALL_SSE, samples.METADATA_BEFORE_CALL_SSE],
                         ids=["after", "before"])
async def test_metadata_only_delta_kills_the_stream_helper_without_layer(kind: Kind, body: bytes) -> None:
    # After the call: `assert tool_call_delta.function is not None`; before it: no index to file it under.
    with pytest.raises((AssertionError, TypeError)):
        await final_completion(streaming(kind, body, layer=False))


async def test_metadata_only_delta_opens_no_call_in_a_plain_loop(kind: Kind) -> None:
    chunks = await read_chunks(streaming(kind, samples.METADATA_BEFORE_CALL_SSE))
    assert [call["id"] for call in aggregate_by_index(chunks)] == ["function-call-1"]
    assert [chunk.choices[0].finish_reason for chunk in chunks] == [None, None, "tool_calls"]


async def test_stop_after_calls_stays_stop_without_layer(kind: Kind) -> None:
    chunks = await read_chunks(streaming(kind, samples.METADATA_AFTER_CALL_SSE, layer=False))
    assert chunks[-1].choices[0].finish_reason == "stop"


async def test_finishing_chunk_without_delta_gets_openai_fields(kind: Kind) -> None:
    completion = await final_completion(streaming(kind, samples.MALFORMED_CALL_SSE))
    choice = completion.choices[0]
    assert choice.message.content == "Let me check."
    assert choice.finish_reason == "stop"
    usage = completion.usage
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (27, 4, 31)
    # The helper keeps only `finish_reason` of a later chunk's choice; a plain loop sees Google's reason.
    last = (await read_chunks(streaming(kind, samples.MALFORMED_CALL_SSE)))[-1].choices[0]
    assert last.model_extra["extra_content"] == {"google": {"finish_reason": "malformed_function_call"}}
    assert last.delta.content is None


async def test_finishing_chunk_without_delta_kills_the_stream_helper_without_layer(kind: Kind) -> None:
    with pytest.raises(AttributeError):  # `choice.delta.to_dict()` on None
        await final_completion(streaming(kind, samples.MALFORMED_CALL_SSE, layer=False))


async def test_chunk_without_choices_gets_an_empty_list(kind: Kind) -> None:
    (chunk,) = await read_chunks(streaming(kind, samples.BLOCKED_PROMPT_SSE))
    assert chunk.choices == []
    assert (chunk.usage.prompt_tokens, chunk.usage.completion_tokens, chunk.usage.total_tokens) == (7, 0, 7)


async def test_chunk_without_choices_breaks_a_loop_without_layer(kind: Kind) -> None:
    (chunk,) = await read_chunks(streaming(kind, samples.BLOCKED_PROMPT_SSE, layer=False))
    with pytest.raises(TypeError):  # `for choice in chunk.choices` on None
        [choice for choice in chunk.choices]


async def test_cumulative_usage_is_kept_on_the_final_chunk_only(kind: Kind) -> None:
    chunks = await read_chunks(streaming(kind, samples.CUMULATIVE_USAGE_SSE))
    assert [chunk.usage is not None for chunk in chunks] == [False] * 4 + [True]
    # What a framework that sums chunk usage bills: the answer's own count.
    assert sum(chunk.usage.total_tokens for chunk in chunks if chunk.usage) == 35
    assert "".join(chunk.choices[0].delta.content for chunk in chunks) == "Why did the scarecrow win?"


async def test_cumulative_usage_is_summed_many_times_over_without_layer(kind: Kind) -> None:
    chunks = await read_chunks(streaming(kind, samples.CUMULATIVE_USAGE_SSE, layer=False))
    assert sum(chunk.usage.total_tokens for chunk in chunks if chunk.usage) == 31 + 32 + 33 + 34 + 35


async def test_streamed_text_parts_are_joined(kind: Kind) -> None:
    completion = await final_completion(streaming(kind, samples.TEXT_PARTS_SSE))
    assert completion.choices[0].message.content == "Why did the scarecrow win?"


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")  # the SDK's own, on the list it got
async def test_streamed_text_parts_break_the_stream_helper_without_layer(kind: Kind) -> None:
    with pytest.raises(RuntimeError, match="Expected list delta entry to have an `index` key"):
        await final_completion(streaming(kind, samples.TEXT_PARTS_SSE, layer=False))
