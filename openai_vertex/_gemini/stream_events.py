"""Typed events over an SDK chat-completion stream: thoughts, answer, whole tool calls, usage, done.

Vertex repeats each tool call's `id` and `name` on every delta and its `index` is unreliable (one call
moves 1 -> 0 while another moves 0 -> 1), so deltas are put together into calls by the rule in
`openai_vertex/_tool_calls.py`, the one the wire layer uses: by `id`, else the call last seen at the
delta's `index`, else the previous call. The Gemini 3 thought signature in `extra_content` is kept on
the finished call, so appending it to the history satisfies Vertex.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openai.types.chat import ChatCompletionChunk

# The function tool call class under the name that every openai release since 1.0 exports.
from openai.types.chat import ChatCompletionMessageToolCall as ToolCall
from openai.types.chat.chat_completion_chunk import Choice, ChoiceDeltaToolCall
from openai.types.chat.chat_completion_message_tool_call import Function
from openai.types.completion_usage import CompletionUsage

from .._tool_calls import ToolCallGroups, wire_index
from ._raw_fields import raw_field
from .thoughts import Piece, ThoughtSplitter, check_marker

__all__ = [
    "AnswerDelta",
    "DoneEvent",
    "StreamEvent",
    "ThoughtDelta",
    "ToolCallEvent",
    "UsageEvent",
    "astream_events",
    "stream_events",
]


@dataclass(frozen=True)
class ThoughtDelta:
    """Thought text, tags removed. `choice` is the choice index (0 unless `n` > 1)."""

    text: str
    choice: int = 0


@dataclass(frozen=True)
class AnswerDelta:
    """Answer text."""

    text: str
    choice: int = 0


@dataclass(frozen=True)
class ToolCallEvent:
    """One complete tool call, sent when its choice finishes; append it to the history as it is."""

    tool_call: ToolCall
    choice: int = 0


@dataclass(frozen=True)
class UsageEvent:
    """The token usage that the stream reported last (Vertex sends it on the final chunk)."""

    usage: CompletionUsage


@dataclass(frozen=True)
class DoneEvent:
    """The last event of each choice."""

    finish_reason: str | None
    choice: int = 0


StreamEvent = ThoughtDelta | AnswerDelta | ToolCallEvent | UsageEvent | DoneEvent


def stream_events(
    stream: Iterable[ChatCompletionChunk], marker: str = "think", *, starts_in_thought: bool = False
) -> Iterator[StreamEvent]:
    """Turn `client.chat.completions.create(..., stream=True)` into typed events.

    `marker` is the `thought_tag_marker` the request used. Order: text deltas as they arrive; each
    choice's tool calls when that choice finishes (or the stream ends); then one `UsageEvent` (if any
    usage came) and a `DoneEvent` per choice. Iterating to the end drains, and so closes, the stream.
    Partner models' `delta.reasoning_content` comes as thoughts; `starts_in_thought` is for DeepSeek
    V3.1, whose text begins inside a thought (see `split_thoughts`).
    """
    return _events(stream, _Events(marker, starts_in_thought))


def astream_events(
    stream: AsyncIterable[ChatCompletionChunk], marker: str = "think", *, starts_in_thought: bool = False
) -> AsyncIterator[StreamEvent]:
    """`stream_events` for an `AsyncOpenAI` stream."""
    return _aevents(stream, _Events(marker, starts_in_thought))


# Separate generators, so that a bad `marker` raises at the call rather than at the first `next()`.
def _events(stream: Iterable[ChatCompletionChunk], events: _Events) -> Iterator[StreamEvent]:
    for chunk in stream:
        yield from events.chunk(chunk)
    yield from events.close()


async def _aevents(stream: AsyncIterable[ChatCompletionChunk], events: _Events) -> AsyncIterator[StreamEvent]:
    async for chunk in stream:
        for event in events.chunk(chunk):
            yield event
    for event in events.close():
        yield event


@dataclass
class _Call:
    id: str
    name: str = ""
    arguments: list[str] = field(default_factory=list)
    extra_content: Any = None


@dataclass
class _Choice:
    splitter: ThoughtSplitter
    calls: list[_Call] = field(default_factory=list)
    groups: ToolCallGroups[_Call] = field(init=False)
    finish_reason: str | None = None

    def __post_init__(self) -> None:
        self.groups = ToolCallGroups(self._open)

    def _open(self, call_id: str | None) -> _Call:
        call = _Call(call_id or "")
        self.calls.append(call)
        return call


class _Events:
    """The I/O-free core that both wrappers feed, one chunk at a time."""

    def __init__(self, marker: str, starts_in_thought: bool = False) -> None:
        self._marker = check_marker(marker, "marker")
        self._starts_in_thought = starts_in_thought
        self._choices: dict[int, _Choice] = {}
        self._usage: CompletionUsage | None = None

    def chunk(self, chunk: ChatCompletionChunk) -> list[StreamEvent]:
        if chunk.usage is not None:
            self._usage = chunk.usage
        events: list[StreamEvent] = []
        for choice in chunk.choices:
            events.extend(self._choice(choice))
        return events

    def close(self) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        for index, state in sorted(self._choices.items()):
            events.extend(_flush(state, index))
        if self._usage is not None:
            events.append(UsageEvent(self._usage))
        done = {index: state.finish_reason for index, state in self._choices.items()} or {0: None}
        events.extend(DoneEvent(reason, index) for index, reason in sorted(done.items()))
        return events

    def _choice(self, choice: Choice) -> list[StreamEvent]:
        index = choice.index or 0  # the SDK leaves a missing field None
        state = self._choices.get(index)
        if state is None:
            splitter = ThoughtSplitter(self._marker, starts_in_thought=self._starts_in_thought)
            state = self._choices[index] = _Choice(splitter)
        events: list[StreamEvent] = []
        delta = choice.delta
        if delta is not None:  # a bare finishing chunk may lack it
            reasoning = raw_field(delta, "reasoning_content")
            if isinstance(reasoning, str) and reasoning:  # partner models' thoughts, beside the content
                events.append(ThoughtDelta(reasoning, index))
            if delta.content:
                events.extend(_text(state.splitter.feed(delta.content), index))
            for call in delta.tool_calls or ():
                _add_call(state, call)
        if choice.finish_reason is not None:
            state.finish_reason = choice.finish_reason
            events.extend(_flush(state, index))
        return events


def _add_call(state: _Choice, delta: ChoiceDeltaToolCall) -> None:
    call, _ = state.groups.call_for(delta.id, wire_index(delta.index))
    if delta.function is not None:
        # Vertex repeats the name on every fragment; OpenAI sends it once.
        call.name = call.name or delta.function.name or ""
        call.arguments.append(delta.function.arguments or "")
    if call.extra_content is None:
        call.extra_content = raw_field(delta, "extra_content")


def _flush(state: _Choice, index: int) -> list[StreamEvent]:
    events: list[StreamEvent] = list(_text(state.splitter.close(), index))
    for call in state.calls:
        extra = {} if call.extra_content is None else {"extra_content": call.extra_content}
        function = Function(name=call.name, arguments="".join(call.arguments))
        events.append(ToolCallEvent(ToolCall(id=call.id, type="function", function=function, **extra), index))
    state.calls.clear()
    state.groups = ToolCallGroups(state._open)
    return events


def _text(pieces: list[Piece], index: int) -> Iterator[StreamEvent]:
    for kind, text in pieces:
        yield ThoughtDelta(text, index) if kind == "thought" else AnswerDelta(text, index)
