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

Each chunk is rewritten on its own with the state above: nothing is held back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .._tool_calls import ToolCallGroups, wire_index
from ._json import NOT_JSON, dumps

Remember = Callable[[str, "dict[str, Any] | None"], None]
"""Called with a tool call's id and its `extra_content` (None when it came without one)."""


class _Call:
    __slots__ = ("extra", "id", "index", "name")

    def __init__(self, index: int, call_id: str | None) -> None:
        self.index = index
        self.id = call_id
        self.name: object = None
        self.extra: object = None


class _Choice:
    __slots__ = ("calls", "groups", "role")

    def __init__(self) -> None:
        self.role: object = None
        self.calls: list[_Call] = []
        self.groups: ToolCallGroups[_Call] = ToolCallGroups(self._new_call)

    def rewrite_tool_calls(self, deltas: list[Any], remember: Remember) -> bool:
        changed = False
        for delta in deltas:
            if isinstance(delta, dict):
                changed |= self._rewrite(delta, remember)
        return changed

    def _rewrite(self, delta: dict[str, Any], remember: Remember) -> bool:
        changed = False
        call_id = delta.get("id")
        index = wire_index(delta.get("index"))
        call, opened = self.groups.call_for(call_id, index)
        if call.id is not None and call_id == call.id:
            if opened:
                remember(call.id, None)
            else:
                del delta["id"]
                changed = True
        if index != call.index:
            delta["index"] = call.index
            changed = True

        function = delta.get("function")
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
                    remember(call.id, extra)
        return changed

    def _new_call(self, call_id: str | None) -> _Call:
        call = _Call(len(self.calls), call_id)
        self.calls.append(call)
        return call


class ChunkNormaliser:
    """Rewrites the `data:` payloads of one chat-completion stream; feed them in order."""

    def __init__(self, remember: Remember) -> None:
        self._remember = remember
        self._choices: dict[int, _Choice] = {}

    def __call__(self, payload: bytes) -> bytes:
        """Return the payload to send on: the same object when nothing had to change."""
        if b'"tool_calls"' not in payload:
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
        choices = chunk.get("choices") if isinstance(chunk, dict) else None
        if not isinstance(choices, list):
            return payload
        changed = False
        for choice in choices:
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if not isinstance(delta, dict):
                continue
            key = choice.get("index")
            if not isinstance(key, int):
                key = 0
            state = self._choices.get(key)
            if state is None:
                state = self._choices[key] = _Choice()
            role = delta.get("role")
            if role is not None:
                if role == state.role:
                    del delta["role"]
                    changed = True
                else:
                    state.role = role
            tool_calls = delta.get("tool_calls")
            if isinstance(tool_calls, list):
                changed |= state.rewrite_tool_calls(tool_calls, self._remember)
        return dumps(chunk) if changed else payload

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
_CHOICE_INDEX = re.compile(rb'"index":(\d+)')
