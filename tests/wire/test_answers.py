"""Non-streamed answers that break the SDK or the frameworks on it (docs/vertex-wire.md §12), fixed by the layer.

Each fix is tested through a real openai client on the four client kinds, beside a `*_without_layer` test
showing what the bare SDK gives for the same body.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from . import samples
from .clients import ANSWER, BASE_URL, Kind, create, settle


# The finish reasons OpenAI's API documents, and that pydantic-ai and LiteLLM accept.
OPENAI_FINISH_REASONS = frozenset({"stop", "length", "tool_calls", "content_filter", "function_call"})


def serving(kind: Kind, body: bytes, **options: Any) -> Any:
    return kind.client(lambda request: kind.response(200, body), **options)


async def test_choice_without_message_gets_an_empty_assistant_message(kind: Kind) -> None:
    completion = await create(serving(kind, samples.MALFORMED_CALL_ANSWER))

    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content is None
    assert choice.finish_reason == "stop"
    assert choice.model_extra["extra_content"] == {"google": {"finish_reason": "malformed_function_call"}}
    usage = completion.usage
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (27, 0, 27)


async def test_choice_without_message_raises_without_layer(kind: Kind) -> None:
    completion = await create(serving(kind, samples.MALFORMED_CALL_ANSWER, layer=False))
    with pytest.raises(AttributeError):
        completion.choices[0].message.content  # noqa: B018
    assert completion.choices[0].finish_reason not in OPENAI_FINISH_REASONS
    assert completion.usage.completion_tokens is None


async def test_body_without_choices_gets_an_empty_list(kind: Kind) -> None:
    completion = await create(serving(kind, samples.BLOCKED_PROMPT_ANSWER))
    assert completion.choices == []
    usage = completion.usage
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (7, 0, 7)


async def test_body_without_choices_raises_without_layer(kind: Kind) -> None:
    completion = await create(serving(kind, samples.BLOCKED_PROMPT_ANSWER, layer=False))
    assert completion.choices is None  # typed `list`: `for choice in completion.choices` raises
    with pytest.raises(TypeError):
        completion.choices[0]  # noqa: B018


async def test_stop_beside_tool_calls_becomes_tool_calls(kind: Kind) -> None:
    completion = await create(serving(kind, samples.STOP_WITH_CALLS_ANSWER))
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert [call.id for call in choice.message.tool_calls] == [
        call["id"] for call in samples.SIGNED_CALLS_MESSAGE["tool_calls"]
    ]
    assert "extra_content" not in (choice.model_extra or {})  # `stop` is OpenAI's: nothing to keep


async def test_stop_beside_tool_calls_stays_without_layer(kind: Kind) -> None:
    completion = await create(serving(kind, samples.STOP_WITH_CALLS_ANSWER, layer=False))
    assert completion.choices[0].finish_reason == "stop"  # an agent loop branching on tool_calls stops


GOOGLE_REASONS = [
    ("max_tokens", "length"),
    ("safety", "content_filter"),
    ("recitation", "content_filter"),
    ("blocklist", "content_filter"),
    ("prohibited_content", "content_filter"),
    ("spii", "content_filter"),
    ("image_safety", "content_filter"),
    ("malformed_function_call", "stop"),
    ("finish_reason_unspecified", "stop"),
    ("error", "stop"),
    ("other", "stop"),
    ("a_reason_google_adds_later", "stop"),
]


@pytest.mark.parametrize(("google", "openai_reason"), GOOGLE_REASONS)
async def test_google_finish_reasons_become_openais(kind: Kind, google: str, openai_reason: str) -> None:
    completion = await create(serving(kind, samples.finished_with(google)))
    choice = completion.choices[0]
    assert choice.finish_reason == openai_reason
    assert choice.model_extra["extra_content"] == {"google": {"finish_reason": google}}


async def test_google_finish_reason_reaches_the_sdk_without_layer(kind: Kind) -> None:
    completion = await create(serving(kind, samples.finished_with("safety"), layer=False))
    # pydantic-ai and LiteLLM validate against OpenAI's five and fail on this.
    assert completion.choices[0].finish_reason == "safety"


@pytest.mark.parametrize("reason", sorted(OPENAI_FINISH_REASONS - {"tool_calls"}))
async def test_openai_finish_reasons_are_kept(kind: Kind, reason: str) -> None:
    completion = await create(serving(kind, samples.finished_with(reason)))
    assert completion.choices[0].finish_reason == reason
    assert "extra_content" not in (completion.choices[0].model_extra or {})


async def test_text_parts_are_joined(kind: Kind) -> None:
    completion = await create(serving(kind, samples.TEXT_PARTS_ANSWER))
    assert completion.choices[0].message.content == (
        "Why did the scarecrow win an award?\n\nBecause he was outstanding in his field!"
    )


async def test_text_parts_reach_the_sdk_as_a_list_without_layer(kind: Kind) -> None:
    completion = await create(serving(kind, samples.TEXT_PARTS_ANSWER, layer=False))
    assert isinstance(completion.choices[0].message.content, list)  # typed `str`: `.strip()` fails


async def test_missing_counts_follow_from_the_others(kind: Kind) -> None:
    # Vertex's total counts reasoning tokens beside completion tokens (docs/vertex-wire.md §7, §S1).
    usage = {"prompt_tokens": 15, "completion_tokens_details": {"reasoning_tokens": 41}, "total_tokens": 74}
    body = samples.answer(json.loads(ANSWER)["choices"][0], usage=usage)
    completion = await create(serving(kind, body))
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (15, 18)


async def test_answers_needing_nothing_pass_byte_for_byte(kind: Kind) -> None:
    # Spacing that re-serialising would remove shows the bytes were passed on, not rebuilt; the second one
    # is parsed (it has tool calls, whose signatures are remembered) but needs no change.
    plain = ANSWER.replace(b'"finish_reason":"stop"', b'"finish_reason":  "stop"')
    calls = samples.SIGNED_CALLS_COMPLETION.replace(b'"tool_calls"', b'"tool_calls"  ', 1)
    for body in (plain, calls):
        http_client = kind.http_client(lambda request, body=body: kind.response(200, body))
        response = await settle(http_client.post(f"{BASE_URL}/chat/completions", json={"model": "google/x"}))
        if kind.is_async:
            assert await response.aread() == body
        else:
            assert response.read() == body
