"""usage_summary(): Vertex's counting (reasoning outside completion_tokens) and OpenAI's, told apart."""

from __future__ import annotations

from typing import Any

import pytest
from openai.types.chat import ChatCompletionChunk
from openai.types.completion_usage import CompletionUsage

from openai_vertex import OpenAIVertexError
from openai_vertex._gemini.usage import UsageSummary, usage_summary

from .samples import (
    GROK_USAGE,
    IMAGE_IN_AUDIO,
    PLAIN_USAGE,
    TEXT_COMPLETION,
    TOOL_CALL_SSE,
    client,
    completion,
    replying,
)


def test_vertex_completion_counts_reasoning_on_top() -> None:
    summary = usage_summary(completion(TEXT_COMPLETION))
    assert summary == UsageSummary(
        prompt_tokens=15,
        completion_tokens=18,
        reasoning_tokens=41,
        cached_tokens=0,
        total_tokens=74,
        traffic_type="ON_DEMAND",
    )
    assert summary.billable_output_tokens == 59


def test_the_last_chunk_of_googles_stream() -> None:
    stream = client(replying(TOOL_CALL_SSE)).chat.completions.create(model="m", messages=[], stream=True)
    last: ChatCompletionChunk = list(stream)[-1]
    summary = usage_summary(last)
    assert (summary.prompt_tokens, summary.completion_tokens, summary.reasoning_tokens) == (27, 45, 504)
    assert summary.billable_output_tokens == 549
    assert summary.traffic_type == "PROVISIONED_THROUGHPUT"


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        (IMAGE_IN_AUDIO["usage"], (7, 1120, 251, 0, 1378)),
        (PLAIN_USAGE, (1139, 16, 0, 0, 1155)),
        (GROK_USAGE, (663, 50, 124, 654, 837)),
    ],
    ids=["image", "no-reasoning", "grok-cached"],
)
def test_documented_vertex_usage_blocks(usage: dict[str, Any], expected: tuple[int, ...]) -> None:
    for form in (usage, CompletionUsage.model_validate(usage), {"usage": usage}):
        summary = usage_summary(form)
        assert (
            summary.prompt_tokens,
            summary.completion_tokens,
            summary.reasoning_tokens,
            summary.cached_tokens,
            summary.total_tokens,
        ) == expected


def test_openai_style_usage_has_reasoning_taken_out_of_completion() -> None:
    usage = {
        "prompt_tokens": 10,
        "completion_tokens": 120,
        "total_tokens": 130,
        "completion_tokens_details": {"reasoning_tokens": 100},
    }
    summary = usage_summary(usage)
    assert (summary.completion_tokens, summary.reasoning_tokens, summary.total_tokens) == (20, 100, 130)
    assert summary.billable_output_tokens == 120


def test_reasoning_larger_than_completion_can_only_be_vertex_style() -> None:
    # 10 + 5 == 15 fits OpenAI's sum, but 5 completion tokens cannot contain 8 reasoning tokens.
    usage = {
        "prompt_tokens": 10,
        "completion_tokens": 5,
        "total_tokens": 15,
        "completion_tokens_details": {"reasoning_tokens": 8},
    }
    assert usage_summary(usage).completion_tokens == 5


def test_a_missing_total_is_computed_the_vertex_way() -> None:
    usage = {"prompt_tokens": 3, "completion_tokens": 4, "completion_tokens_details": {"reasoning_tokens": 5}}
    assert usage_summary(usage).total_tokens == 12


def test_no_usage_is_an_error_saying_where_usage_is() -> None:
    body = dict(TEXT_COMPLETION, usage=None)
    with pytest.raises(OpenAIVertexError, match="last stream chunk"):
        usage_summary(completion(body))


def test_partner_models_reasoning_tokens_at_the_top_of_the_usage() -> None:
    # DeepSeek's usage block names reasoning_tokens at its top level (inside completion_tokens, OpenAI's way).
    usage = {"prompt_tokens": 14, "completion_tokens": 131, "total_tokens": 145, "reasoning_tokens": 100}
    summary = usage_summary(usage)
    assert (summary.reasoning_tokens, summary.completion_tokens, summary.billable_output_tokens) == (100, 31, 131)


def test_responses_api_usage() -> None:
    # The Responses API's names (openai.types.responses.ResponseUsage), as a partner model on
    # `endpoints/openapi/responses` returns them; output_tokens holds the reasoning.
    response = {"object": "response", "usage": {
        "input_tokens": 663, "input_tokens_details": {"cached_tokens": 654}, "output_tokens": 174,
        "output_tokens_details": {"reasoning_tokens": 124}, "total_tokens": 837}}
    assert usage_summary(response) == UsageSummary(prompt_tokens=663, completion_tokens=50, reasoning_tokens=124,
                                                   cached_tokens=654, total_tokens=837)
    assert usage_summary(response["usage"]).billable_output_tokens == 174
