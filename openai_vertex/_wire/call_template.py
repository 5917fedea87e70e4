"""The next piece of a streamed tool call, written from the bytes around the previous piece's arguments.

In Google's stream of tool calls (docs/vertex-wire.md §S2), after a call's first two chunks every chunk is
the one before it with other arguments: the same choice, role, id, name, wire index and tail. It needs
what the chunk before it got (the repeats dropped, the call's own index) and nothing else. So the byte
path (`ChunkNormaliser._write_call_chunk`) leaves a `CallTemplate`: the bytes before and after the
arguments, as they came and as they left. The next chunk that is those bytes around one JSON string is
written from them, with no pattern matched and no field read but its arguments.

That holds only for the chunk right after the one the template was made from (no other chunk may have
changed the stream's state in between), and only if that chunk changed nothing its own writing depended
on: it opened no call and kept no role, name or signature, which a repeat would drop.
"""

from __future__ import annotations

from ._json import NOT_JSON, string_value
from .tool_deltas import Call


class CallTemplate:
    """A call chunk's bytes around its arguments: `head` and `tail` as they came, `sent_*` as they left."""

    __slots__ = ("call", "head", "sent_head", "sent_tail", "tail")

    def __init__(self, call: Call, head: bytes, tail: bytes, sent_head: bytes, sent_tail: bytes) -> None:
        self.call = call
        self.head = head
        self.tail = tail
        self.sent_head = sent_head
        self.sent_tail = sent_tail

    def write(self, payload: bytes) -> bytes | None:
        """The chunk to send for `payload` if it is the template's chunk with other arguments, else None."""
        head, tail = self.head, self.tail
        if not (payload.startswith(head) and payload.endswith(tail)):
            return None
        raw = payload[len(head) : len(payload) - len(tail)]
        try:
            text = raw.decode()
            arguments, end = string_value(text)
        except NOT_JSON:
            return None
        if end != len(text):
            return None  # more than one JSON string between the two
        if not self.call.goes_on(arguments):
            return None  # another call under the same id (§12.5): for the rule to open it
        return b"".join((self.sent_head, raw, self.sent_tail))
