"""Streamed chat-completion chunks from Vertex, rewritten into the delta format that OpenAI sends.

The openai SDK's accumulator (`ChatCompletionStreamState`, behind `chat.completions.stream()`) and the
frameworks built like it merge tool-call deltas by `index` and concatenate every string field they see
twice. Vertex breaks both assumptions (docs/vertex-wire.md §7, §S2):

- a call's `index` is missing or changes from chunk to chunk (Google's own sample: the first call goes
  1 -> 0, the second 0 -> 1), which sends arguments to the wrong call or past the end of the list
  (openai-python issue #2806);
- every chunk repeats `role`, the call's `id` and `function.name`, which the accumulator turns into
  `"assistantassistant..."` and names no tool matches.

Each tool-call delta is given to its call by the grouping rule in `openai_vertex/_tool_calls.py` (by
`id`, else the call last seen at its wire `index`, else the previous call, else a new call). Then:

1. Calls get the indices 0, 1, 2, ... in the order they open; whatever the wire `index`, a delta leaves
   with its call's index.
2. After a call's first delta, a repeated `id`, a `function.name` equal to the one already sent and an
   `extra_content` equal to the one already sent are dropped; so is a `role` equal to the choice's last.

3. A delta carrying only `extra_content` (no `id`, `index` or `function`, docs/vertex-wire.md §12.4)
   joins the call before it, with an empty `function.arguments` so that the SDK's accumulator takes it;
   one before any call is carried over to the next call that opens, and never opens one.

Each choice also gets the fixes of non-streamed answers (`choices.py`, §12): a missing `delta` or
`choices` filled, `finish_reason` made one of OpenAI's (`tool_calls` when the choice had calls), text
parts joined, missing usage counts filled. Usage is kept only on a chunk that finishes a choice or has no
choices (§12.8): a cumulative count on every chunk would otherwise be summed by frameworks.

Each chunk is rewritten on its own with the state above: nothing is held back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .._tool_calls import ToolCallGroups, wire_index
from ._json import NOT_JSON, dumps, merge_missing
from .choices import fill_usage, fix_finish_reason, join_text_parts

Remember = Callable[[str, "dict[str, Any] | None", int], None]
"""Called with a tool call's id, its `extra_content` (None when it came without one) and its position."""


class _Call:
    __slots__ = ("arguments", "extra", "id", "index", "name")

    def __init__(self, index: int, call_id: str | None) -> None:
        self.index = index
        self.id = call_id
        self.name: object = None
        self.extra: object = None
        self.arguments: list[str] = []

    def complete(self) -> bool:
        """Whether the arguments received so far are a whole JSON object (the call is done)."""
        try:
            return isinstance(json.loads("".join(self.arguments)), dict)
        except NOT_JSON:
            return False


def _opens_arguments(function: object) -> bool:
    arguments = function.get("arguments") if isinstance(function, dict) else None
    return isinstance(arguments, str) and arguments.lstrip().startswith("{")


class _Choice:
    __slots__ = ("calls", "groups", "pending", "role")

    def __init__(self) -> None:
        self.role: object = None
        self.calls: list[_Call] = []
        self.groups: ToolCallGroups[_Call] = ToolCallGroups(self._new_call)
        self.pending: dict[str, Any] | None = None  # metadata that came before any call

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
        call_id = delta.get("id")
        index = wire_index(delta.get("index"))
        function = delta.get("function")
        # A second call under an id already used (§12.5): its arguments start anew after a whole object.
        known = self.groups.with_id(call_id)
        again = known is not None and _opens_arguments(function) and known.complete()
        call, opened = self.groups.call_for(call_id, index, again=again)
        if isinstance(function, dict) and isinstance(function.get("arguments"), str):
            call.arguments.append(function["arguments"])
        if opened and self.pending is not None:
            extra = delta.get("extra_content")
            if isinstance(extra, dict):
                merge_missing(extra, self.pending)
            else:
                delta["extra_content"] = self.pending
            self.pending = None
            changed = True
        if call.id is not None and call_id == call.id:
            if opened:
                remember(call.id, None, call.index)
            else:
                del delta["id"]
                changed = True
        if index != call.index:
            delta["index"] = call.index
            changed = True

        name = function.get("name") if isinstance(function, dict) else None
        if isinstance(function, dict) and name is not None:
            if name == call.name:
                del function["name"]
                changed = True
            elif call.name is None:
                call.name = name
        extra = delta.get("extra_content")
        if extra is not None:
            if extra == call.extra:
                del delta["extra_content"]
                changed = True
            else:
                call.extra = extra
                if call.id is not None and isinstance(extra, dict):
                    remember(call.id, extra, call.index)
        return changed

    def _new_call(self, call_id: str | None) -> _Call:
        call = _Call(len(self.calls), call_id)
        self.calls.append(call)
        return call


def _metadata_only(call_delta: dict[str, Any]) -> bool:
    return "extra_content" in call_delta and not ("id" in call_delta or "index" in call_delta
                                                   or "function" in call_delta)


class ChunkNormaliser:
    """Rewrites the `data:` payloads of one chat-completion stream; feed them in order."""

    def __init__(self, remember: Remember) -> None:
        self._remember = remember
        self._choices: dict[int, _Choice] = {}

    def __call__(self, payload: bytes) -> bytes:
        """Return the payload to send on: the same object when nothing had to change."""
        if b'"tool_calls"' not in payload and _LOOK.search(payload) is None:
            # Fast paths: most chunks carry text only, and Gemini repeats the role in each of them.
            if b'"role"' not in payload:
                return payload
            trimmed = self._drop_repeated_role(payload)
            if trimmed is not None:
                return trimmed
        try:
            chunk = json.loads(payload)
        except NOT_JSON:
            return payload
        if not isinstance(chunk, dict) or "error" in chunk:
            return payload
        choices = chunk.get("choices")
        changed = False
        if choices is None:
            choices = chunk["choices"] = []
            changed = True
        if not isinstance(choices, list):
            return payload
        finishing = False
        for choice in choices:
            if isinstance(choice, dict):
                changed |= self._rewrite_choice(choice)
                finishing |= choice.get("finish_reason") is not None
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            if choices and not finishing:
                del chunk["usage"]  # a running count: only the final one is kept (§12.8)
                changed = True
            else:
                changed |= fill_usage(usage)
        return dumps(chunk) if changed else payload

    def _rewrite_choice(self, choice: dict[str, Any]) -> bool:
        changed = False
        key = choice.get("index")
        if not isinstance(key, int):
            key = 0
        state = self._choices.get(key)
        if state is None:
            state = self._choices[key] = _Choice()
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            delta = choice["delta"] = {} if state.role is not None else {"role": "assistant"}
            changed = True
        role = delta.get("role")
        if role is not None:
            if role == state.role:
                del delta["role"]
                changed = True
            else:
                state.role = role
        changed |= join_text_parts(delta)
        tool_calls = delta.get("tool_calls")
        if isinstance(tool_calls, list):
            changed |= state.rewrite_tool_calls(delta, tool_calls, self._remember)
        return fix_finish_reason(choice, has_calls=bool(state.calls)) or changed

    def _drop_repeated_role(self, payload: bytes) -> bytes | None:
        """Cut a repeated `"role":"assistant"` out of a one-choice chunk's bytes; None to take the JSON path.

        Sound without parsing, for the compact JSON Vertex writes: a quote right after `{` or `,` cannot
        be inside a string (there it would be escaped), so `{"role":"assistant"` or `,"role":"assistant"`
        followed by `,` or `}` is a member of an object; in a chunk without tool calls that object is the
        delta, and a single `"delta":` and a single `"index":` belong to the chunk's one choice. Anything
        else (other spacing, more choices, a choice whose role is not known yet) takes the JSON path.
        """
        indices = _CHOICE_INDEX.findall(payload)
        if len(indices) != 1 or payload.count(b'"delta":') != 1 or payload.count(_ROLE) != 1:
            return None
        state = self._choices.get(int(indices[0]))
        if state is None or state.role != "assistant":
            return None
        start = payload.find(_ROLE)
        end = start + len(_ROLE)
        before, after = payload[start - 1 : start], payload[end : end + 1]
        if before not in (b"{", b","):
            return None
        if after == b",":
            return payload[:start] + payload[end + 1 :]
        if after == b"}":
            return payload[: start - 1] + payload[end:] if before == b"," else payload[:start] + payload[end:]
        return None


_ROLE = b'"role":"assistant"'
# What sends a chunk without tool calls to the JSON path: a finish reason or usage that is not null, or
# `content` as a list. (A quote opening a key cannot be inside a string, where it would be escaped.)
_LOOK = re.compile(rb'"(?:finish_reason|usage)"\s*:\s*[^n\s]|"content"\s*:\s*\[')
_CHOICE_INDEX = re.compile(rb'"index":(\d+)')
