"""Thought signatures remembered from responses and put back on requests whose history lost them.

Gemini 3 rejects a turn whose earlier function calls come back without the
`extra_content.google.thought_signature` it sent (docs/vertex-wire.md §6). Replaying the SDK's own message
objects keeps it; history rebuilt as plain dicts (what agent frameworks do) drops it. The layer keeps each
tool call's `extra_content` by id and restores it; it never invents one, except the sentinel Google
documents for history from another provider, and only when asked to.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from .._vertex import SKIP_SIGNATURE
from ._json import NOT_JSON, merge_missing

MAX_REMEMBERED_CALLS = 4096
"""Tool calls remembered per client. An agent makes a few calls a turn, so this spans hundreds of turns,
while a signature (a few hundred bytes to a few KB) times 4096 stays a few MB at most."""



class SignatureCache:
    """A bounded LRU map from tool-call id to the `extra_content` it came with (None: seen without one)."""

    def __init__(self, capacity: int = MAX_REMEMBERED_CALLS) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, dict[str, Any] | None] = OrderedDict()
        # Sync clients are shared between threads; the lock is never held across I/O.
        self._lock = threading.Lock()

    def remember(self, call_id: str, extra_content: dict[str, Any] | None) -> None:
        with self._lock:
            if extra_content is not None or call_id not in self._entries:
                self._entries[call_id] = extra_content
            self._entries.move_to_end(call_id)
            if len(self._entries) > self._capacity:
                self._entries.popitem(last=False)

    def lookup(self, call_id: str) -> tuple[bool, dict[str, Any] | None]:
        """Return whether the id was seen, and its `extra_content`."""
        with self._lock:
            if call_id not in self._entries:
                return False, None
            self._entries.move_to_end(call_id)
            return True, self._entries[call_id]


def remember_completion(body: bytes, cache: SignatureCache) -> None:
    """Remember the tool calls of a non-streamed `chat.completion` body."""
    if b'"tool_calls"' not in body:
        return
    try:
        completion = json.loads(body)
    except NOT_JSON:
        return
    choices = completion.get("choices") if isinstance(completion, dict) else None
    for choice in choices if isinstance(choices, list) else ():
        message = choice.get("message") if isinstance(choice, dict) else None
        calls = message.get("tool_calls") if isinstance(message, dict) else None
        for call in calls if isinstance(calls, list) else ():
            call_id = call.get("id") if isinstance(call, dict) else None
            if isinstance(call_id, str) and call_id:
                extra = call.get("extra_content")
                cache.remember(call_id, extra if isinstance(extra, dict) else None)


def restore_signatures(messages: object, cache: SignatureCache, *, skip_unknown: bool) -> tuple[bool, bool]:
    """Put remembered `extra_content` back on assistant tool calls that lack a signature.

    With `skip_unknown`, the first tool call of an assistant message that lacks a signature and was never
    seen gets Google's skip sentinel (Google's examples sign only the first of parallel calls).
    Returns (whether anything changed, whether the sentinel was used).
    """
    changed = skipped = False
    for message in messages if isinstance(messages, list) else ():
        if not isinstance(message, dict) or message.get("role") != "assistant":
            continue
        calls = message.get("tool_calls")
        if not isinstance(calls, list):
            continue
        for position, call in enumerate(calls):
            if not isinstance(call, dict) or _has_signature(call):
                continue
            call_id = call.get("id")
            seen, extra = cache.lookup(call_id) if isinstance(call_id, str) else (False, None)
            if extra is not None:
                changed |= merge_missing(call, {"extra_content": extra})
            elif position == 0 and skip_unknown and not seen and merge_missing(call, _skip_sentinel()):
                changed = skipped = True
    return changed, skipped


def _skip_sentinel() -> dict[str, Any]:
    return {"extra_content": {"google": {"thought_signature": SKIP_SIGNATURE}}}


def _has_signature(call: dict[str, Any]) -> bool:
    extra = call.get("extra_content")
    google = extra.get("google") if isinstance(extra, dict) else None
    return isinstance(google, dict) and bool(google.get("thought_signature"))
