"""Whole (non-streamed) chat completions from Vertex, given the fields and values the openai SDK expects.

A blocked, empty or malformed answer comes back with fields the proto layer dropped, `stop` beside tool
calls, Google's own finish reasons, or `content` as a list of text parts (docs/vertex-wire.md §12). A cheap
look at the bytes decides whether the body needs any of it; only then is it parsed, once, and the same
parse serves the thought-signature memory.
"""

from __future__ import annotations

import re
from typing import Any

from ._json import dumps, loads_object
from .choices import OPENAI_FINISH_REASONS, fill_usage, fix_finish_reason, join_text_parts
from .signatures import SignatureCache, remember_calls

# The keys that may need a fix, found in one pass. In the bytes of a JSON body a `"` that opens a key
# cannot be inside a string (there it is escaped), so text that quotes these keys does not match.
_MARKS = re.compile(
    rb'"(finish_reason|message|usage|prompt_tokens|completion_tokens|total_tokens)"\s*:'
    rb'|"(?:tool_calls|content)"\s*:\s*\['
)
_STANDARD_FINISH = re.compile(rb'\s*(?:null|"(?:' + b"|".join(sorted(r.encode() for r in OPENAI_FINISH_REASONS)) + rb')")')
_ALL_COUNTS = frozenset((b"prompt_tokens", b"completion_tokens", b"total_tokens"))


def needs_parse(body: bytes) -> bool:
    """Whether a completion body may hold something to fix or to remember; False for a plain text answer.

    One regular-expression pass over the bytes; a false positive costs a parse, never a wrong answer.
    """
    finishes = messages = 0
    usage = False
    counts: set[bytes] = set()
    for mark in _MARKS.finditer(body):
        key = mark.group(1)
        if key is None:  # tool calls (to remember, or a `stop` beside them) or `content` as a list
            return True
        if key == b"finish_reason":
            finishes += 1
            if not _STANDARD_FINISH.match(body, mark.end()):
                return True
        elif key == b"message":
            messages += 1
        elif key == b"usage":
            usage = True
        else:
            counts.add(key)
    # No message: no choices, or a choice without one; usage that lacks a count.
    return messages == 0 or messages < finishes or (usage and counts != _ALL_COUNTS)


def rewrite_completion(body: bytes, cache: SignatureCache) -> bytes:
    """The body to hand the SDK (the same object when nothing changed); remembers its tool calls."""
    if not needs_parse(body):
        return body
    completion = loads_object(body)
    if completion is None:
        return body
    changed = fix_completion(completion)
    remember_calls(completion, cache)
    return dumps(completion) if changed else body


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
