"""One streamed choice's tool-call deltas: which call each belongs to, and what in it repeats.

The rules are in `chunks.py`'s docstring (docs/vertex-wire.md §7, §12.4, §12.5). `ChoiceState.route` is
the decision for one delta, shared by the two writers of a chunk: the JSON path, which applies it to the
parsed delta, and the byte path, which writes the common chunk shape without parsing it (`chunks.py`).
"""

from __future__ import annotations

from collections import deque
from typing import Any, Protocol

from .._tool_calls import ToolCallGroups, wire_index
from ._json import is_object, merge_missing
from .signatures import unique_id


MAX_STREAMED_CALLS = 256
"""The calls of one streamed choice that the layer keeps track of, the latest ones. A delta goes on with
the call before it or one shortly before (parallel calls interleave by a few), so a call hundreds of
calls back is done; forgetting it keeps a stream's memory bounded whatever its length, beside the
signature memory (`signatures.MAX_REMEMBERED_CALLS`)."""


class Remember(Protocol):
    """Called with a tool call's id, its `extra_content` (None when it came without one), its position and,
    when the layer gave the call an id of its own, Google's."""

    def __call__(self, call_id: str, extra_content: dict[str, Any] | None, position: int = 0,
                 sent: str | None = None) -> None: ...


class Call:
    __slots__ = ("arguments", "done", "extra", "id", "index", "name", "sent")

    def __init__(self, index: int, call_id: str | None) -> None:
        self.index = index
        self.sent = call_id  # Google's id
        self.id = call_id  # the id the SDK sees: Google's, unless another call of the choice had it first
        self.name: object = None
        self.extra: object = None
        # The pieces of the arguments; joined into one once they make a whole object, so that a long
        # stream of calls holds one string per call.
        self.arguments: list[str] = []
        self.done = False  # whether the arguments so far are a whole JSON object (the call is done)

    def add_arguments(self, piece: str) -> None:
        self.arguments.append(piece)
        stripped = piece.rstrip()
        if stripped.endswith("}"):  # an object ends with `}`: no parse (and no exception) for other pieces
            joined = "".join(self.arguments)
            self.done = is_object(joined)
            if self.done:
                self.arguments = [joined]
        elif self.done and stripped:  # more than blanks after a whole object: not one any longer
            self.done = False

    def goes_on(self, arguments: object) -> bool:
        """Take a delta's `function.arguments` if they go on with this call, and say so: they do unless
        they open an object after a whole one (another call under the same id, §12.5)."""
        if self.done and opens_object(arguments):
            return False
        if isinstance(arguments, str):
            self.add_arguments(arguments)
        return True

    def named(self, name: object) -> bool:
        """Take a delta's `function.name`; return whether it repeats the name the call already sent."""
        if name is None:
            return False
        if name == self.name:
            return True
        if self.name is None:
            self.name = name
        return False

    def take_extra(self, extra: object, opened: bool, remember: Remember) -> bool:
        """Take a delta's `extra_content` (None when it has none); return whether it repeats the call's.

        A call is remembered once when it opens, with the `extra_content` of its first delta, and again
        when a later delta brings a new one."""
        if opened:
            if extra is not None:
                self.extra = extra
            if self.id is not None:
                remember(self.id, extra if isinstance(extra, dict) else None, self.index, self.sent)
            return False
        if extra is None:
            return False
        if extra == self.extra:
            return True
        self.extra = extra
        if self.id is not None and isinstance(extra, dict):
            remember(self.id, extra, self.index)
        return False


class ChoiceState:
    """What one choice of a stream has sent so far: its role and its calls."""

    __slots__ = ("calls", "groups", "opened", "pending", "role")

    def __init__(self) -> None:
        self.role: object = None
        self.opened = 0  # calls opened so far: the next call's index
        self.calls: deque[Call] = deque()  # the latest `MAX_STREAMED_CALLS` of them
        self.groups: ToolCallGroups[Call] = ToolCallGroups(self._new_call)
        self.pending: dict[str, Any] | None = None  # metadata that came before any call

    def route(self, call_id: object, index: int | None, arguments: object,
              name: object) -> tuple[Call, bool, bool, bool]:
        """Give a delta (its `id`, wire `index`, `function.arguments` and `function.name`) to its call:
        return the call, whether the delta opened it, and whether the delta's `id` and `function.name`
        repeat what the call already sent."""
        call = self.groups.continues(call_id, index) if type(call_id) is str else None
        if call is not None and call.goes_on(arguments):  # the call of the delta before
            return call, False, True, call.named(name)
        # A second call under an id already used (§12.5): its arguments start anew after a whole object.
        # (Whatever `continues` recorded, `call_for` records again.)
        known = self.groups.with_id(call_id)
        again = known is not None and known.done and opens_object(arguments)
        call, opened = self.groups.call_for(call_id, index, again=again)
        if again and opened and call.sent is not None:
            call.id = unique_id(call.sent, {other.id for other in self.calls if other.id is not None})
        if isinstance(arguments, str):
            call.add_arguments(arguments)
        repeated_id = not opened and call.id is not None and call_id == call.sent
        return call, opened, repeated_id, call.named(name)

    def rewrite_tool_calls(self, delta: dict[str, Any], deltas: list[Any], remember: Remember) -> bool:
        changed = False
        kept: list[Any] = []
        for call_delta in deltas:
            if not isinstance(call_delta, dict):
                kept.append(call_delta)
            elif _metadata_only(call_delta):
                changed = True
                if self._attach(call_delta, remember):
                    kept.append(call_delta)
            else:
                changed |= self._rewrite(call_delta, remember)
                kept.append(call_delta)
        if len(kept) != len(deltas):
            if kept:
                delta["tool_calls"] = kept
            else:
                del delta["tool_calls"]
        return changed

    def _attach(self, call_delta: dict[str, Any], remember: Remember) -> bool:
        """Give a metadata-only delta to the call before it; False when it is dropped instead."""
        extra = call_delta["extra_content"]
        call = self.groups.last
        if call is None:
            if isinstance(extra, dict):
                self.pending = extra if self.pending is None else {**extra, **self.pending}
            return False
        if extra == call.extra:
            return False
        call_delta["index"] = call.index
        call_delta["function"] = {"arguments": ""}
        if isinstance(extra, dict):
            call.extra = extra if not isinstance(call.extra, dict) else {**call.extra, **extra}
            if call.id is not None:
                remember(call.id, call.extra, call.index)
        return True

    def _rewrite(self, delta: dict[str, Any], remember: Remember) -> bool:
        changed = False
        index = wire_index(delta.get("index"))
        function = delta.get("function")
        arguments = function.get("arguments") if isinstance(function, dict) else None
        name = function.get("name") if isinstance(function, dict) else None
        call, opened, repeated_id, repeated_name = self.route(delta.get("id"), index, arguments, name)
        if opened and self.pending is not None:
            extra = delta.get("extra_content")
            if isinstance(extra, dict):
                merge_missing(extra, self.pending)
            else:
                delta["extra_content"] = self.pending
            self.pending = None
            changed = True
        if repeated_id:
            del delta["id"]
            changed = True
        elif opened and call.id != call.sent:
            delta["id"] = call.id
            changed = True
        if index != call.index:
            delta["index"] = call.index
            changed = True
        if repeated_name and isinstance(function, dict):
            del function["name"]
            changed = True
        if call.take_extra(delta.get("extra_content"), opened, remember):
            del delta["extra_content"]
            changed = True
        return changed

    def _new_call(self, call_id: str | None) -> Call:
        call = Call(self.opened, call_id)
        self.opened += 1
        self.calls.append(call)
        if len(self.calls) > MAX_STREAMED_CALLS:
            oldest = self.calls.popleft()
            self.groups.forget(oldest, oldest.sent)
        return call


def opens_object(arguments: object) -> bool:
    """Whether a delta's `function.arguments` start a JSON object (a new call, after a whole one)."""
    return isinstance(arguments, str) and arguments.lstrip().startswith("{")


def _metadata_only(call_delta: dict[str, Any]) -> bool:
    return "extra_content" in call_delta and not ("id" in call_delta or "index" in call_delta
                                                   or "function" in call_delta)
