"""What a stream keeps of its tool calls: the latest ones, and whether each one's arguments are whole (§7, §F)."""

from __future__ import annotations

import json
import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from openai_vertex._wire.chunks import ChunkNormaliser
from openai_vertex._wire.tool_deltas import MAX_STREAMED_CALLS, Call


def _call_chunks(count: int) -> list[bytes]:
    """`count` calls in the shape of Google's parallel-call sample (§S2): every chunk repeats the role,
    the id and the name; a call's wire index changes after its first chunk; arguments come in pieces."""
    chunks = []
    for call in range(count):
        for piece, arguments in enumerate(("", '{"city":"', f"City {call}", '"}')):
            delta = {"role": "assistant", "tool_calls": [{
                "function": {"arguments": arguments, "name": "get_weather"},
                "id": f"function-call-{call:06d}", "index": (call + (piece == 0)) % 2, "type": "function"}]}
            chunks.append(json.dumps({"choices": [{"delta": delta, "index": 0}], "object": "chat.completion.chunk"},
                                     separators=(",", ":")).encode())
    return chunks


def _peak(chunks: list[bytes]) -> int:
    """The peak of what the normaliser allocates reading `chunks` (its output not kept)."""
    normaliser = ChunkNormaliser(lambda *call: None)
    tracemalloc.start()
    try:
        for chunk in chunks:
            normaliser(chunk)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _said(chunks: list[bytes]) -> list[tuple[int, str | None, str]]:
    normaliser = ChunkNormaliser(lambda *call: None)
    deltas = [json.loads(normaliser(chunk))["choices"][0]["delta"]["tool_calls"][0] for chunk in chunks]
    return [(delta["index"], delta.get("id"), delta["function"]["arguments"]) for delta in deltas]


def test_a_long_stream_of_calls_holds_the_latest_calls_only() -> None:
    few, many = 4 * MAX_STREAMED_CALLS, 12 * MAX_STREAMED_CALLS
    # Each call kept costs a few hundred bytes: 8 * MAX_STREAMED_CALLS more of them would be about 600 KB;
    # the bound leaves room for what another thread allocates meanwhile (the peak is the process's).
    assert _peak(_call_chunks(many)) - _peak(_call_chunks(few)) < 100_000
    said = _said(_call_chunks(many))
    # and every call still gets its own index, its id once, and its arguments
    opened = [(index, call_id) for index, call_id, _ in said if call_id is not None]
    assert opened == [(number, f"function-call-{number:06d}") for number in range(many)]
    arguments: dict[int, str] = {}
    for index, _, piece in said:
        arguments[index] = arguments.get(index, "") + piece
    assert arguments == {number: json.dumps({"city": f"City {number}"}, separators=(",", ":"))
                         for number in range(many)}


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(['{"city":"', "Paris", '"}', "}", "{}", " ", "\n", '{"a":1}', "x", '"', ""]),
                max_size=8))
def test_a_call_knows_whether_its_arguments_are_a_whole_object(pieces: list[str]) -> None:
    # `done` is kept up to date piece by piece, so that a streamed delta is routed without a parse
    call = Call(0, "function-call-1")
    for number in range(len(pieces)):
        call.add_arguments(pieces[number])
        try:
            whole = isinstance(json.loads("".join(pieces[: number + 1])), dict)
        except ValueError:
            whole = False
        assert call.done is whole
