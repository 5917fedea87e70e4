"""Token usage with Vertex's counting made explicit.

Vertex leaves reasoning (thinking) tokens out of `completion_tokens` and reports them only in
`completion_tokens_details.reasoning_tokens`, so `total_tokens = prompt + completion + reasoning`
(e.g. 15 + 18 + 41 = 74). OpenAI counts reasoning inside `completion_tokens`, so there
`total_tokens = prompt + completion`. Code written for OpenAI therefore under-counts Vertex's billable
output; `usage_summary` reports both conventions in Vertex's terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._errors import OpenAIVertexError
from ._raw_fields import raw_field

__all__ = ["UsageSummary", "usage_summary"]


@dataclass(frozen=True)
class UsageSummary:
    """Token counts of one response.

    Attributes:
        prompt_tokens: input tokens, cached ones included.
        completion_tokens: visible output (answer, tool calls, thought text), reasoning excluded.
        reasoning_tokens: thinking tokens, billed as output.
        cached_tokens: the part of `prompt_tokens` served from a context cache.
        total_tokens: the server's total (computed Vertex's way when it sent none).
        traffic_type: Vertex's `ON_DEMAND` or `PROVISIONED_THROUGHPUT`, when reported.
    """

    prompt_tokens: int
    completion_tokens: int
    reasoning_tokens: int
    cached_tokens: int
    total_tokens: int
    traffic_type: str | None = None

    @property
    def billable_output_tokens(self) -> int:
        """Output tokens that are billed: completion plus reasoning."""
        return self.completion_tokens + self.reasoning_tokens


def usage_summary(completion_or_usage: object) -> UsageSummary:
    """Summarise the usage of a `ChatCompletion`, a final stream chunk, a `CompletionUsage`, a Responses API
    `Response` (or its `ResponseUsage`: `input_tokens`, `output_tokens`), or their dicts.

    Which convention the numbers follow is read from their arithmetic: when reasoning tokens are present
    and `total == prompt + completion` (and `completion >= reasoning`), the completion count already
    holds the reasoning (OpenAI's way) and they are subtracted; otherwise Vertex's way is assumed.

    Raises:
        OpenAIVertexError: the object carries no usage (in a stream, only the last chunk does).
    """
    usage = raw_field(completion_or_usage, "usage")
    if usage is None and (raw_field(completion_or_usage, "prompt_tokens") is not None
                          or raw_field(completion_or_usage, "input_tokens") is not None):
        usage = completion_or_usage
    if usage is None:
        raise OpenAIVertexError(
            f"{type(completion_or_usage).__name__} carries no usage; pass a completion, the last stream "
            "chunk, or its `usage`"
        )
    names = _RESPONSES if raw_field(usage, "input_tokens") is not None else _CHAT
    prompt = _count(usage, names[0])
    completion = _count(usage, names[1])
    # Partner models (DeepSeek, Qwen on MaaS) put reasoning_tokens at the top of the usage.
    reasoning = _count(usage, f"{names[1]}_details", "reasoning_tokens") or _count(usage, "reasoning_tokens")
    total = _count(usage, "total_tokens")
    if reasoning and total == prompt + completion and completion >= reasoning:
        completion -= reasoning
    return UsageSummary(
        prompt_tokens=prompt,
        completion_tokens=completion,
        reasoning_tokens=reasoning,
        cached_tokens=_count(usage, f"{names[0]}_details", "cached_tokens"),
        total_tokens=total or prompt + completion + reasoning,
        traffic_type=raw_field(usage, "extra_properties", "google", "traffic_type"),
    )


# The names of the input and output counts in Chat Completions usage, and in Responses API usage.
_CHAT = ("prompt_tokens", "completion_tokens")
_RESPONSES = ("input_tokens", "output_tokens")


def _count(usage: object, *path: str) -> int:
    return int(raw_field(usage, *path) or 0)
