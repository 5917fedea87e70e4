"""Which call a streamed tool-call delta belongs to: the one rule that the wire layer and stream events share.

Vertex's `index` on streamed tool-call deltas is missing or changes from chunk to chunk, and it repeats
the call's `id` on every delta (docs/vertex-wire.md §7), so `index` alone cannot group them. Per choice,
per stream, a delta belongs:

1. to the call with its `id`, when it carries one (a new call when the id is new, or when the caller
   says the delta starts another call under the same id: older Gemini used the function name as the id);
2. else to the call last seen at its wire `index`;
3. else, when it has no `index` either, to the call of the previous delta;
4. else to a new call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

_Call = TypeVar("_Call")


def wire_index(value: object) -> int | None:
    """A delta's `index` as sent, or None when it is missing or not an integer."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class ToolCallGroups(Generic[_Call]):
    """The calls of one choice's stream, found by the rule above; `new_call(id)` opens one."""

    __slots__ = ("_by_id", "_by_wire_index", "_last", "_new_call")

    def __init__(self, new_call: Callable[[str | None], _Call]) -> None:
        self._new_call = new_call
        self._by_id: dict[str, _Call] = {}
        self._by_wire_index: dict[int, _Call] = {}
        self._last: _Call | None = None

    @property
    def last(self) -> _Call | None:
        """The call of the previous delta (None before the first)."""
        return self._last

    def with_id(self, call_id: object) -> _Call | None:
        """The latest call opened with this id, if any."""
        return self._by_id.get(call_id) if isinstance(call_id, str) and call_id else None

    def continues(self, call_id: str, index: int | None) -> _Call | None:
        """The call of the previous delta when a delta with this id belongs to it by rule 1 (what
        `call_for` would answer, and record), else None: most deltas of a stream, with one lookup."""
        call = self._last
        if call is None or self._by_id.get(call_id) is not call:
            return None
        if index is not None:
            self._by_wire_index[index] = call
        return call

    def forget(self, call: _Call, call_id: str | None) -> None:
        """Stop finding `call` (opened with `call_id`): a later delta that would have gone to it opens a new one."""
        if call_id is not None and self._by_id.get(call_id) is call:
            del self._by_id[call_id]
        for index in [index for index, known in self._by_wire_index.items() if known is call]:
            del self._by_wire_index[index]

    def call_for(self, call_id: object, index: int | None, *, again: bool = False) -> tuple[_Call, bool]:
        """The call a delta with this `id` and wire `index` belongs to, and whether it was just opened.

        `again`: the delta opens another call under an id already seen.
        """
        opened = False
        if isinstance(call_id, str) and call_id:
            call = None if again else self._by_id.get(call_id)
            if call is None:
                call = self._by_id[call_id] = self._new_call(call_id)
                opened = True
        elif index is not None and index in self._by_wire_index:
            call = self._by_wire_index[index]
        elif index is None and self._last is not None:
            call = self._last
        else:
            call = self._new_call(None)
            opened = True
        if index is not None:
            self._by_wire_index[index] = call
        self._last = call
        return call, opened
