"""Thought signatures remembered from responses and put back on requests whose history lost them.

Gemini 3 rejects a turn whose earlier function calls come back without the
`extra_content.google.thought_signature` it sent (docs/vertex-wire.md §6). Replaying the SDK's own message
objects keeps it; history rebuilt as plain dicts (what agent frameworks do) drops it. The layer keeps each
tool call's `extra_content` by id and restores it; it never invents one, except the sentinel Google
documents for history from another provider, and only when asked to.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Collection
from typing import Any

from .._vertex import SKIP_SIGNATURE, thought_signature
from ._json import merge_missing
from .message_signatures import MessageSignatures

_log = logging.getLogger("openai_vertex.wire")

MAX_REMEMBERED_CALLS = 4096
"""Tool calls remembered per client. An agent makes a few calls a turn, so this spans hundreds of turns,
while a signature (a few hundred bytes to a few KB) times 4096 stays a few MB at most."""



class SignatureCache:
    """A bounded LRU map from tool-call id to the `extra_content` of each call with that id, by position,
    beside the memory of whole messages' signatures (`messages`).

    An id is normally unique, and its call is found whatever its position in a rebuilt history. Older
    Gemini used the function name as the id, and Google's Grok sample repeats one id within a message
    (docs/vertex-wire.md §12.5): then the call's position in its message tells them apart, so a signature
    goes back only on the call Google sent it with.
    """

    def __init__(self, capacity: int = MAX_REMEMBERED_CALLS) -> None:
        self._capacity = capacity
        # id -> {position in its message: extra_content, or None when the call came without one}
        self._entries: OrderedDict[str, dict[int, dict[str, Any] | None]] = OrderedDict()
        # Sync clients are shared between threads; the lock is never held across I/O.
        self._lock = threading.Lock()
        self.messages = MessageSignatures()  # whole messages' signatures (message_signatures.py)
        # The id the layer gave a call -> Google's id (`unique_id`); empty for almost every client.
        self.renamed: OrderedDict[str, str] = OrderedDict()

    def remember(self, call_id: str, extra_content: dict[str, Any] | None, position: int = 0,
                 sent: str | None = None) -> None:
        """Remember a call; `sent` is the id Google gave it when the layer gave it another (`unique_id`)."""
        with self._lock:
            if sent is not None and sent != call_id:
                _log.debug("Tool-call id %r repeats within one message; the SDK sees %r.", sent, call_id)
                self.renamed[call_id] = sent
                if len(self.renamed) > self._capacity:
                    self.renamed.popitem(last=False)
            entries = self._entries
            positions = entries.pop(call_id, None)  # put back last: the most recently used
            if positions is None:
                positions = {position: extra_content}
                if len(entries) >= self._capacity:
                    entries.popitem(last=False)
            elif extra_content is not None or position not in positions:
                positions[position] = extra_content
            entries[call_id] = positions

    def __len__(self) -> int:
        return len(self._entries)

    def sent_id(self, call_id: str) -> str | None:
        """Google's id for a call the layer gave `call_id`, else None."""
        with self._lock:
            return self.renamed.get(call_id)

    def lookup(self, call_id: str, position: int = 0) -> tuple[bool, dict[str, Any] | None]:
        """Return whether the id was seen, and the `extra_content` of its call at `position`."""
        with self._lock:
            positions = self._entries.get(call_id)
            if positions is None:
                return False, None
            self._entries.move_to_end(call_id)
            if len(positions) == 1:
                return True, next(iter(positions.values()))
            return True, positions.get(position)


def unique_id(sent: str, taken: Collection[str]) -> str:
    """The id for another call that Google sent under `sent`, one not in `taken` (docs/vertex-wire.md §12.5).

    OpenAI's ids are unique within a message, and code built on the SDK keys tool results by them (the Agents
    SDK and pydantic-ai refuse a repeat); the layer gives Google's id back on the way out.
    """
    number = 2
    while f"{sent}~{number}" in taken:
        number += 1
    return f"{sent}~{number}"


def remember_calls(calls: list[Any], cache: SignatureCache) -> None:
    """Remember the tool calls of a parsed, non-streamed message; an id that repeats within the message is
    made unique (`unique_id`)."""
    taken: set[str] = set()
    for position, call in enumerate(calls):
        sent = call.get("id") if isinstance(call, dict) else None
        if isinstance(sent, str) and sent:
            call_id = call["id"] = unique_id(sent, taken) if sent in taken else sent
            taken.add(call_id)
            extra = call.get("extra_content")
            cache.remember(call_id, extra if isinstance(extra, dict) else None, position, sent)


def restore_ids(messages: object, cache: SignatureCache) -> bool:
    """Give back Google's id wherever the history names a call by the id the layer gave it."""
    changed = False
    for message in messages if isinstance(messages, list) else ():
        if not isinstance(message, dict):
            continue
        if message.get("role") == "tool":
            holders = [(message, "tool_call_id")]
        elif message.get("role") == "assistant" and isinstance(message.get("tool_calls"), list):
            holders = [(call, "id") for call in message["tool_calls"] if isinstance(call, dict)]
        else:
            continue
        for holder, key in holders:
            value = holder.get(key)
            sent = cache.sent_id(value) if isinstance(value, str) else None
            if sent is not None:
                holder[key] = sent
                changed = True
    return changed


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
            if not isinstance(call, dict) or has_signature(call):
                continue
            call_id = call.get("id")
            seen, extra = cache.lookup(call_id, position) if isinstance(call_id, str) else (False, None)
            if extra is not None:
                changed |= merge_missing(call, {"extra_content": extra})
            elif position == 0 and skip_unknown and not seen and merge_missing(call, _skip_sentinel()):
                changed = skipped = True
    return changed, skipped


def _skip_sentinel() -> dict[str, Any]:
    return {"extra_content": {"google": {"thought_signature": SKIP_SIGNATURE}}}


def has_signature(call: dict[str, Any]) -> bool:
    return bool(thought_signature(call))
