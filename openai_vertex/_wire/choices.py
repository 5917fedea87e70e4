"""Fixes shared by whole chat completions and stream chunks: finish reasons, usage counts, text parts.

Each function rewrites one parsed piece in place and returns whether it changed anything, so that a body
is serialised again only when it must be (docs/vertex-wire.md §12).
"""

from __future__ import annotations

from typing import Any

OPENAI_FINISH_REASONS = frozenset({"stop", "length", "tool_calls", "content_filter", "function_call"})
"""The values the openai SDK's types, pydantic-ai and LiteLLM accept (`function_call` is OpenAI's legacy one)."""

# Google's `FinishReason` names (lower-cased, as the endpoint writes them) that have a close OpenAI value.
# Everything else (`finish_reason_unspecified`, `error`, `other`, `language`, unknown values) becomes
# `stop`, or `tool_calls` when the choice carries tool calls.
_MAPPED = {
    "max_tokens": "length",
    "safety": "content_filter",
    "recitation": "content_filter",
    "blocklist": "content_filter",
    "prohibited_content": "content_filter",
    "spii": "content_filter",
    "image_safety": "content_filter",
    "image_prohibited_content": "content_filter",
    "image_recitation": "content_filter",
}


def fix_finish_reason(choice: dict[str, Any], *, has_calls: bool) -> bool:
    """Make `finish_reason` one of OpenAI's; keep Google's own at `extra_content.google.finish_reason`.

    `stop` on a choice with tool calls becomes `tool_calls` (agent loops branch on it; docs §12.2).
    """
    reason = choice.get("finish_reason")
    if not isinstance(reason, str):
        return False
    if reason in OPENAI_FINISH_REASONS:
        if reason == "stop" and has_calls:
            choice["finish_reason"] = "tool_calls"
            return True
        return False
    mapped = _MAPPED.get(reason.lower())
    choice["finish_reason"] = mapped or ("tool_calls" if has_calls else "stop")
    extra = choice.get("extra_content")
    if not isinstance(extra, dict):
        extra = choice["extra_content"] = {}
    google = extra.get("google")
    if not isinstance(google, dict):
        google = extra["google"] = {}
    google.setdefault("finish_reason", reason)
    return True


USAGE_COUNTS = ("prompt_tokens", "completion_tokens", "total_tokens")
_COUNT_TYPES = {int}


def has_counts(usage: dict[str, Any]) -> bool:
    """Whether all three token counts are there, as integers (a bool is not a count): nothing to fill."""
    return set(map(type, map(usage.get, USAGE_COUNTS))) == _COUNT_TYPES


def fill_usage(usage: object) -> bool:
    """Fill the token counts the proto layer dropped: from the others where they tell, else 0 (docs §12.1).

    Vertex's total is prompt + completion + reasoning (docs §7), so a missing one follows from the others.
    """
    if not isinstance(usage, dict) or has_counts(usage):
        return False
    missing = [key for key in USAGE_COUNTS if not _is_count(usage.get(key))]
    details = usage.get("completion_tokens_details")
    reasoning = details.get("reasoning_tokens") if isinstance(details, dict) else None
    reasoning = reasoning if _is_count(reasoning) else 0
    if missing == ["total_tokens"] or len(missing) > 1:
        for key in missing:
            if key != "total_tokens":
                usage[key] = 0
        if "total_tokens" in missing:
            usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"] + reasoning
        return True
    key = missing[0]
    other = "completion_tokens" if key == "prompt_tokens" else "prompt_tokens"
    usage[key] = max(usage["total_tokens"] - usage[other] - reasoning, 0)
    return True


def _is_count(value: object) -> bool:
    return type(value) is int


def join_text_parts(holder: dict[str, Any]) -> bool:
    """Turn `content: [{"type": "text", "text": ...}, ...]` into the string the SDK types it as (docs §12.6).

    A list holding anything but text parts is left alone: joining it would lose the other parts.
    """
    content = holder.get("content")
    if not isinstance(content, list):
        return False
    texts = [text_of(part) for part in content]
    if any(text is None for text in texts):
        return False
    holder["content"] = "".join(text for text in texts if text is not None)
    return True


def text_of(part: object) -> str | None:
    """The text of a content part (a string, or a part of type `text`), else None."""
    if isinstance(part, str):
        return part
    if isinstance(part, dict) and part.get("type", "text") == "text" and isinstance(part.get("text"), str):
        return str(part["text"])
    return None
