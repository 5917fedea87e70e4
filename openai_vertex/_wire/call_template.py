"""The next piece of a streamed tool call, written from the bytes around the previous piece's arguments.

In Google's stream of tool calls (docs/vertex-wire.md §S2), after a call's first chunk every chunk is the
one before it with other arguments: the same choice, role, id, name and tail. The second chunk also
leaves out the first one's thought signature and has another wire `index` (1 -> 0). Each needs only what
the chunk before it got (its role, the call's name and id, all dropped as repeats; the call's own index)
and nothing else. So the byte path (`ChunkNormaliser._write_call_chunk`) leaves a `CallTemplate`: the
bytes of the SSE event Vertex sends the chunk in (`data: ` and the payload, then a blank line) before and
after the arguments, as they came and as the next chunk is to leave. A network read that is those bytes
around one JSON string (with any wire index) is written from them (`ChunkNormaliser.whole_event`), before
the SSE reader splits it into lines, with no pattern matched and no field read but its arguments. A JSON
string holds no line break, and the template is made only from bytes without one, so such a read is
always one whole event, which is what the reader would have found in it.

That holds only for the chunks right after the one the template was made from (no other chunk may have
changed the stream's state in between, nor may the reader hold part of a line), and only if the rule drops
everything in them but the arguments: their call goes on, their role is the choice's, their name is the
call's.
"""

from __future__ import annotations

from ._json import NOT_JSON, scan_string
from .._tool_calls import ToolCallGroups
from .tool_deltas import Call


class CallTemplate:
    """A call chunk's event around its arguments as it came (`head`, `tail`) and as the next is to leave."""

    __slots__ = ("around_index", "call", "call_id", "cut", "groups", "head", "sent_head", "sent_tail", "tail")

    def __init__(self, call: Call, call_id: str, groups: ToolCallGroups[Call], head: bytes, tail: bytes,
                 index_span: tuple[int, int] | None, sent_head: bytes, sent_tail: bytes) -> None:
        self.call = call
        self.call_id = call_id  # as it came
        self.groups = groups
        self.head = head + b'"'  # up to the arguments' opening quote
        self.tail = tail
        self.cut = -len(tail)
        # The tail before and after the digits of the call's wire index (`index_span`), when it has one.
        self.around_index = None if index_span is None else (tail[: index_span[0]], tail[index_span[1] :])
        self.sent_head = sent_head
        self.sent_tail = sent_tail

    def write(self, read: bytes) -> bytes | None:
        """The event to send for a network `read` that is the template's chunk with other arguments, else None."""
        if not read.startswith(self.head):
            return None
        index = None
        if read.endswith(self.tail):
            raw = read[len(self.head) - 1 : self.cut]
        else:
            found = self._another_index(read)
            if found is None:
                return None
            raw, index = found
        try:
            text = raw.decode()
            arguments, end = scan_string(text, 1)  # the opening quote is the head's
        except NOT_JSON:
            return None
        if end != len(text):
            return None  # more than one JSON string between the two
        if index is not None and self.groups.continues(self.call_id, index) is not self.call:
            return None  # (`continues` records the call at its new wire index, as the rule does)
        if not self.call.goes_on(arguments):
            return None  # another call under the same id (§12.5): for the rule to open it
        return b"".join((self.sent_head, raw, self.sent_tail))

    def _another_index(self, read: bytes) -> tuple[bytes, int] | None:
        """The raw arguments and the wire index of the template's chunk with another index, else None; the
        template then takes the new index's tail."""
        if self.around_index is None:
            return None
        before, after = self.around_index
        if not read.endswith(after):
            return None
        between = read[len(self.head) - 1 : len(read) - len(after)]
        cut = between.rfind(before)  # the last one: the digits follow it
        digits = between[cut + len(before) :]
        if cut < 0 or not digits.isdigit() or (digits[0] == 48 and len(digits) > 1):  # JSON: no leading 0
            return None
        self.tail = between[cut:] + after
        self.cut = -len(self.tail)
        return between[:cut], int(digits)
