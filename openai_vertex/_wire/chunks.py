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
from typing import Any

from ._json import NOT_JSON, dumps, string_value
from .call_template import CallTemplate
from .choices import fill_usage, fix_finish_reason, join_text_parts
from .sse import SSENormaliser
from .tool_deltas import ChoiceState, Remember


def stream_normaliser(remember: Remember) -> SSENormaliser:
    """The rewrite of a chat-completion stream's bytes: its SSE events, their `data:` payloads rewritten by
    a `ChunkNormaliser`, which is offered each whole event first (`whole_event`)."""
    chunks = ChunkNormaliser(remember)
    return SSENormaliser(chunks, chunks.whole_event)


class ChunkNormaliser:
    """Rewrites the `data:` payloads of one chat-completion stream; feed them in order (and offer it each
    whole event first, `whole_event`)."""

    def __init__(self, remember: Remember) -> None:
        self._remember = remember
        self._choices: dict[int, ChoiceState] = {}
        self._template: CallTemplate | None = None  # left by the chunk before, for the next one only

    def __call__(self, payload: bytes) -> bytes:
        """Return the payload to send on: the same object when nothing had to change."""
        # Fast paths: most chunks carry text only, and Gemini repeats the role in each of them; most of the
        # others carry one piece of one tool call (most of them the chunk before with other arguments, which
        # `whole_event` takes before this). Each pattern pins the choice; the rest is looked at after.
        self._template = None  # for the chunk right after the one that left it: not this one
        text = _TEXT_CHUNK.match(payload)
        if text is not None:
            trimmed = self._trim_text_chunk(payload, text)
            if trimmed is not None:
                return trimmed
        calls = _CALL_CHUNK.match(payload)
        if calls is not None:
            written = self._write_call_chunk(payload, calls)
            if written is not None:
                return written
        if _LOOK.search(payload) is None and b'"tool_calls"' not in payload:
            if b'"role"' not in payload:
                return payload
            else:
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

    def whole_event(self, event: bytes) -> bytes | None:
        """What to send for a network read that is one whole SSE event, when its chunk is the one before
        with other arguments (call_template.py); None to read it as usual (and to call this again)."""
        template = self._template
        if template is None:
            return None
        written = template.write(event)
        if written is None:
            self._template = None
        return written

    def _rewrite_choice(self, choice: dict[str, Any]) -> bool:
        changed = False
        key = choice.get("index")
        if not isinstance(key, int):
            key = 0
        state = self._choices.get(key)
        if state is None:
            state = self._choices[key] = ChoiceState()
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
        return fix_finish_reason(choice, has_calls=state.opened > 0) or changed

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


    def _trim_text_chunk(self, payload: bytes, match: re.Match[bytes]) -> bytes | None:
        """Drop the repeated role from Gemini's usual text chunk (`_TEXT_CHUNK`); None to look further.

        The pattern pins the one choice and its delta (content, then the role, as Vertex orders keys);
        the rest of the chunk must hold no second `choices`, no error, and no usage or finish reason.
        """
        after = match.start("after")
        if _TAIL.search(payload, after) is not None:
            return None
        state = self._choices.get(int(match["choice"]))
        if state is None or state.role != "assistant":
            return None
        end = match.end("content") - 1 if match["content"] is not None else match.end("open")
        return payload[:end] + payload[after - 1 :]

    def _write_call_chunk(self, payload: bytes, match: re.Match[bytes]) -> bytes | None:
        """Rewrite the common tool-call chunk from its bytes; None to take the JSON path.

        The common chunk (docs/vertex-wire.md §S2) is one choice whose delta holds at most a role and one
        call delta with an id, a function and no metadata, in the compact JSON Vertex writes, with keys in
        its order (`_CALL_CHUNK`). Its call is found and its repeats dropped by the very rule the JSON path
        applies (`ChoiceState.route`, `Call.repeats_extra`); only the writing differs. Anything else, and
        a choice's first chunk, takes the JSON path. It leaves a `CallTemplate` for the next chunk.
        """
        after = match.start("after")
        if _TAIL.search(payload, after) is not None:
            return None  # a second `choices` (the last one counts), an error, usage: what only a parse tells
        state = self._choices.get(int(match["choice"]))
        if state is None or state.pending is not None:
            return None
        raw_role, raw_arguments, raw_name, raw_id, raw_index, raw_signature = match.group(
            "role_value", "arguments", "name", "id", "index", "signature")
        try:  # everything read before any state changes: a chunk the JSON path would refuse is left to it
            arguments, _ = string_value(raw_arguments.decode())
            name = None if raw_name is None else raw_name[1:-1].decode()
            call_id = raw_id[1:-1].decode()
            role = None if raw_role is None else raw_role[1:-1].decode()
            signature = None if raw_signature is None else raw_signature[1:-1].decode()
        except NOT_JSON:
            return None
        changed = dropped_role = role is not None and role == state.role
        if role is not None:
            state.role = role
        index = None if raw_index is None else int(raw_index)
        call, opened, repeated_id, repeated_name = state.route(call_id, index, arguments, name)
        renamed = not repeated_id and call.id != call_id
        extra = b""
        if call.take_extra(None if signature is None else {"google": {"thought_signature": signature}}, opened,
                           self._remember):
            changed = True  # the repeat leaves
        elif signature is not None:
            extra = match["signed"]
        kept_role = role is not None and not dropped_role
        kept_name = raw_name is not None and not repeated_name
        start, end = match.span("arguments")
        rest = b"".join((b',"index":', str(call.index).encode(), match["type"] or b"", b"}]}", payload[after:]))
        came_tail = payload[end:]
        if (name is None or name == call.name) and b"\n" not in came_tail and b"\r" not in came_tail:
            # The rule drops everything but the arguments from the next chunk if it is this one with other
            # arguments (and no signature, or another wire index, as §S2's second chunk): written the
            # same way, as the one SSE event Vertex sends it in (call_template.py).
            came = payload[:start]
            if signature is not None:
                signed_at, signed_end = match.span("signed")
                came = came[:signed_at] + came[signed_end:]
            span = match.span("index")
            index_span = None if raw_index is None else (span[0] - end, span[1] - end)
            self._template = CallTemplate(call, call_id, state.groups, b"data: " + came, came_tail + b"\n\n",
                                          index_span, _SENT_HEAD, b"}" + rest + b"\n\n")
        if not (changed or repeated_id or repeated_name or renamed or index != call.index):
            return payload
        head = b"".join((b'{"choices":[{"delta":{', match["role"] if kept_role else b"",
                         b'"tool_calls":[{', extra, b'"function":{"arguments":'))
        tail = b"".join((b',"name":' + raw_name if kept_name else b"", b"}",
                         b"" if repeated_id else b',"id":' + (json.dumps(call.id).encode() if renamed else raw_id),
                         rest))
        return b"".join((head, raw_arguments, tail))


STRING = rb'"[^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*"'  # a JSON string (unrolled: no possessive quantifiers before 3.11)
_PLAIN = rb'"[^"\\\x00-\x1f]*"'  # one without escapes
_INT = rb"(?:0|[1-9][0-9]*)"
_CALL_CHUNK = re.compile(
    rb'\{"choices":\[\{"delta":\{(?P<role>"role":(?P<role_value>' + _PLAIN + rb'),)?"tool_calls":\[\{'
    rb'(?P<signed>"extra_content":\{"google":\{"thought_signature":(?P<signature>' + _PLAIN + rb')\}\},)?'
    rb'"function":\{"arguments":(?P<arguments>' + STRING + rb')(?:,"name":(?P<name>' + _PLAIN + rb'))?\}'
    rb',"id":(?P<id>"[^"\\\x00-\x1f]+")(?:,"index":(?P<index>' + _INT + rb'))?(?P<type>,"type":' + _PLAIN
    + rb')?\}\]\}(?P<after>,"index":(?P<choice>' + _INT + rb')(?:,"logprobs":null)?\}\],)'
)
_TEXT_CHUNK = re.compile(
    rb'(?P<open>\{"choices":\[\{"delta":\{)(?P<content>"content":"[^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*",)?'
    rb'"role":"assistant"\}(?P<after>,"index":(?P<choice>' + _INT + rb')(?:,"logprobs":null)?\}\],)'
)
_ROLE = b'"role":"assistant"'
_SENT_HEAD = b'data: {"choices":[{"delta":{"tool_calls":[{"function":{"arguments":'
# What sends a chunk without tool calls to the JSON path: a finish reason or usage that is not null, or
# `content` as a list. (A quote opening a key cannot be inside a string, where it would be escaped.)
# Each alternative opens with its own letter, which lets the regex engine try one of them per quote.
_NOT_NULL = rb'"\s*:\s*[^n\s]'
_LOOK_KEYS = rb'f(?:inish_reason' + _NOT_NULL + rb')|u(?:sage' + _NOT_NULL + rb')|c(?:ontent"\s*:\s*\['
_LOOK = re.compile(rb'"(?:' + _LOOK_KEYS + rb'))')
_CHOICE_INDEX = re.compile(rb'"index":(\d+)')
# What else, after the one choice of a common chunk, sends it to the JSON path: a second `choices`, an error.
_TAIL = re.compile(rb'"(?:' + _LOOK_KEYS + rb'|hoices")|e(?:rror"))')
