"""Whole (non-streamed) chat completions from Vertex, given the fields and values the openai SDK expects.

A blocked, empty or malformed answer comes back with fields the proto layer dropped, `stop` beside tool
calls, Google's own finish reasons, or `content` as a list of text parts (docs/vertex-wire.md §12).

The fixes are applied to what the SDK parses, not to the bytes: the SDK reads every non-streamed answer
with `response.json()`, and the transport (`transports.py`) makes that call apply `fix_parsed`. So the
body is parsed once, by the SDK, as without the layer; it is never scanned, rebuilt or serialised again,
whatever its size, and the same parse serves the thought-signature memory.
"""

from __future__ import annotations

from typing import Any

from .choices import OPENAI_FINISH_REASONS, fill_usage, fix_finish_reason, has_counts, join_text_parts
from .message_signatures import answer_images
from .signatures import SignatureCache, remember_calls


def fix_parsed(completion: object, cache: SignatureCache) -> None:
    """Fix a parsed `chat.completion` in place for the SDK, and remember its signatures."""
    if type(completion) is not dict:
        return
    signed = signed_if_fine(completion)
    if signed is None:
        fix_completion(completion)
        choices = completion["choices"]
        signed = [choice for choice in (choices if type(choices) is list else ())
                  if type(choice) is dict and type(choice.get("message")) is dict]
    for choice in signed:
        message = choice["message"]
        calls = message.get("tool_calls")
        if type(calls) is list and calls:
            remember_calls(calls, cache)
        if "extra_content" in message:
            cache.messages.remember(message, answer_images(choice, message))


def signed_if_fine(completion: dict[str, Any]) -> list[dict[str, Any]] | None:
    """None when `fix_completion` may change the answer; else (the SDK's shape already, as most are) the
    choices whose message has tool calls or `extra_content` to remember. One walk, no call per field."""
    choices = completion.get("choices")
    if type(choices) is not list:
        return None
    usage = completion.get("usage")
    if type(usage) is dict and not has_counts(usage):
        return None
    signed = []
    for choice in choices:
        message = choice.get("message") if type(choice) is dict else None
        if type(message) is not dict or type(message.get("content")) is list:
            return None
        reason = choice.get("finish_reason")
        if type(reason) is str and reason not in OPENAI_FINISH_REASONS:
            return None
        if message.get("tool_calls"):
            if reason == "stop":
                return None
            signed.append(choice)
        elif "extra_content" in message:
            signed.append(choice)
    return signed


def fix_completion(completion: dict[str, Any]) -> bool:
    """Rewrite a parsed `chat.completion` in place; return whether anything changed."""
    changed = False
    choices = completion.get("choices")
    if choices is None:
        choices = completion["choices"] = []
        changed = True
    for choice in choices if isinstance(choices, list) else ():
        if isinstance(choice, dict):
            changed |= _fix_choice(choice)
    return fill_usage(completion.get("usage")) or changed


def _fix_choice(choice: dict[str, Any]) -> bool:
    changed = False
    message = choice.get("message")
    if not isinstance(message, dict):
        # The older image sample puts `role` and `content` on the choice itself (docs §S4): keep them.
        content = choice.get("content")
        message = choice["message"] = {
            "role": choice.get("role") or "assistant",
            "content": content if isinstance(content, (str, list)) else None,
        }
        changed = True
    changed |= join_text_parts(message)
    calls = message.get("tool_calls")
    return fix_finish_reason(choice, has_calls=isinstance(calls, list) and bool(calls)) or changed
