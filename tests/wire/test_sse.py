"""The stream normaliser on its own: byte streams cut anywhere, checked against the SDK's SSE decoder.

The reference parse is the openai SDK's own `SSEDecoder` over the unsplit stream; the normaliser's output
is parsed by the same decoder. Apart from the documented rewrites (`_sse.py`, `_deltas.py`) both must
yield the same events, wherever the stream was cut.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from openai._streaming import SSEDecoder
from openai.lib.streaming.chat import ChatCompletionStreamState
from openai.types.chat import ChatCompletionChunk

from openai_vertex._wire.chunks import stream_normaliser
from openai_vertex._wire.sse import MAX_STRAY_BYTES, SSENormaliser

from . import samples

Event = tuple[Any, str, Any, Any]


def events(stream: bytes) -> list[Event]:
    return [(e.event, e.data, e.id, e.retry) for e in SSEDecoder().iter_bytes(iter([stream]))]


def normalise(pieces: list[bytes], remembered: dict[str, Any] | None = None) -> bytes:
    store = {} if remembered is None else remembered
    normaliser = stream_normaliser(lambda call_id, extra, position=0, sent=None: store.__setitem__(call_id, extra))
    return b"".join(normaliser.feed(piece) for piece in pieces) + normaliser.close()


def cut(stream: bytes, points: list[int]) -> list[bytes]:
    bounds = sorted({0, len(stream), *(point % (len(stream) + 1) for point in points)})
    return [stream[start:end] for start, end in zip(bounds, bounds[1:])]


cut_points = st.lists(st.integers(min_value=0, max_value=10_000), max_size=40)
# Field values: any text on one line. Quotes are left out so that no value is JSON the rewrites act on.
value = st.text(st.characters(codec="utf-8", exclude_characters='\r\n"'), max_size=20)
line = st.one_of(
    st.builds(lambda v: "data:" + v, value),
    st.builds(lambda v: "data: " + v, value),
    st.builds(lambda v: "event: " + v, value),
    st.builds(lambda v: "id: " + v, value),
    st.builds(lambda n: f"retry: {n}", st.integers(0, 5000)),
    st.builds(lambda v: ":" + v, value),
    st.just(""),
    st.just("data"),
    # Not a field: ignored by the SDK, and (not being a Google error) passed through by the normaliser.
    st.builds(lambda v: "[" + v, value),
    st.builds(lambda v: "}" + v, value),
)
ending = st.sampled_from(["\n", "\r", "\r\n"])


@st.composite
def sse_streams(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.tuples(line, ending), max_size=30))
    text = "".join(content + end for content, end in lines)
    unterminated: bool = draw(st.booleans())
    if lines and unterminated:
        text = text.removesuffix(lines[-1][1])  # end without a final line break
    return text.encode()


@given(sse_streams(), cut_points)
def test_untouched_events_survive_any_cuts(stream: bytes, points: list[int]) -> None:
    assert events(normalise(cut(stream, points))) == events(stream)


# -- tool-call streams -----------------------------------------------------------------------------

names = st.sampled_from(["get_current_weather", "edit", "search"])
fragments = st.lists(st.text(st.characters(codec="utf-8"), max_size=8), min_size=1, max_size=4)
calls_strategy = st.lists(st.tuples(names, fragments), min_size=1, max_size=4)


def chunk(delta: dict[str, Any], **extra: Any) -> str:
    body = {"choices": [{"delta": delta, "index": 0, "logprobs": None, **extra}], "created": 1, "id": "r",
            "model": "google/gemini-3.1-pro-preview", "object": "chat.completion.chunk"}
    return "data: " + json.dumps(body, separators=(",", ":")) + "\n\n"  # compact, as Vertex writes


@st.composite
def vertex_tool_streams(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, str, str]]]:
    """Calls sent one after another as Vertex does: every delta repeats role, id and name; its index is
    random or missing."""
    calls = draw(calls_strategy)
    wire_index = st.one_of(st.none(), st.integers(0, 4))
    events_text = []
    expected = []
    for number, (name, parts) in enumerate(calls):
        call_id = f"function-call-{number}"
        expected.append((call_id, name, "".join(parts)))
        for position, part in enumerate(parts):
            delta: dict[str, Any] = {"id": call_id, "type": "function", "function": {"name": name, "arguments": part}}
            index = draw(wire_index)
            if index is not None:
                delta["index"] = index
            if position == 0 and number == 0:
                delta["extra_content"] = {"google": {"thought_signature": "sig"}}
            events_text.append(chunk({"role": "assistant", "tool_calls": [delta]}))
    events_text.append(chunk({"role": "assistant"}, finish_reason="tool_calls"))
    return ("".join(events_text) + "data: [DONE]\n\n").encode(), expected


@st.composite
def openai_tool_streams(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, str, str]]]:
    """OpenAI's own format: id, type and name on a call's first delta only, then `index` and arguments."""
    calls = draw(calls_strategy)
    events_text = [chunk({"role": "assistant", "content": None})]
    expected = []
    for number, (name, parts) in enumerate(calls):
        call_id = f"call_{number}"
        expected.append((call_id, name, "".join(parts)))
        first = {"index": number, "id": call_id, "type": "function", "function": {"name": name, "arguments": parts[0]}}
        events_text.append(chunk({"tool_calls": [first]}))
        events_text.extend(chunk({"tool_calls": [{"index": number, "function": {"arguments": p}}]}) for p in parts[1:])
    return ("".join(events_text) + "data: [DONE]\n\n").encode(), expected


def rebuild_with_sdk(stream: bytes) -> Any:
    """Feed the events to the SDK's own accumulator, as `chat.completions.stream()` does."""
    state: ChatCompletionStreamState[Any] = ChatCompletionStreamState()
    for _, data, _, _ in events(stream):
        if data != "[DONE]":
            state.handle_chunk(ChatCompletionChunk.model_validate(json.loads(data)))
    return state.get_final_completion().choices[0].message


@given(st.one_of(vertex_tool_streams(), openai_tool_streams()), st.one_of(cut_points, st.none()))
def test_sdk_accumulator_rebuilds_every_call(
    case: tuple[bytes, list[tuple[str, str, str]]], points: list[int] | None
) -> None:
    stream, expected = case
    remembered: dict[str, Any] = {}
    pieces = one_read_per_event(stream) if points is None else cut(stream, points)
    message = rebuild_with_sdk(normalise(pieces, remembered))

    assert message.role == "assistant"
    assert [(c.id, c.function.name, c.function.arguments) for c in message.tool_calls] == expected
    if expected[0][0].startswith("function-call"):
        assert remembered["function-call-0"] == {"google": {"thought_signature": "sig"}}
        assert all(remembered[call_id] is None for call_id, _, _ in expected[1:])


@given(st.one_of(vertex_tool_streams(), openai_tool_streams()), sse_streams(), cut_points)
def test_rewrites_do_not_depend_on_where_the_stream_was_cut(
    case: tuple[bytes, list[tuple[str, str, str]]], noise: bytes, points: list[int]
) -> None:
    stream = noise + b"\n\n" + case[0] + samples.CANCELLED_MID_STREAM
    whole = events(normalise([stream]))
    assert events(normalise(cut(stream, points))) == whole
    assert events(normalise(one_read_per_event(stream))) == whole


@st.composite
def reads_of_text_events(draw: st.DrawFn) -> list[bytes]:
    """Reads of a live stream, one per event, of Gemini text (its role repeated), some with a CR or LF in
    the JSON (whitespace to JSON, a line break to SSE), between comment lines some of which are ended
    only by the next read."""
    reads = []
    for text in draw(st.lists(value, min_size=1, max_size=6)):
        if draw(st.booleans()):
            reads.append(b": ping" + draw(st.sampled_from([b"", b"\n", b"\r"])))
        payload = ('{"choices":[{"delta":{"content":' + json.dumps(text) + ',"role":"assistant"},"index":0}],'
                   '"object":"chat.completion.chunk"}')
        if draw(st.booleans()):
            payload = payload.replace(',"index"', draw(st.sampled_from(["\r", "\n"])) + ',"index"', 1)
        reads.append(("data: " + payload + "\n\n").encode())
    return reads


@given(reads_of_text_events(), cut_points)
def test_an_event_read_whole_says_what_it_says_cut_anywhere(reads: list[bytes], points: list[int]) -> None:
    assert events(normalise(reads)) == events(normalise(cut(b"".join(reads), points)))


def one_read_per_event(stream: bytes) -> list[bytes]:
    """How a live stream usually arrives: each read ends where an event does."""
    pieces = stream.split(b"\n\n")
    return [piece + b"\n\n" for piece in pieces[:-1]] + [pieces[-1]]


@st.composite
def text_streams(draw: st.DrawFn) -> tuple[bytes, list[tuple[str | None, str]]]:
    """Text answers with the role repeated as Gemini does (or left out of some chunks), in compact or
    spaced JSON, keys in any order, sometimes with two choices per chunk."""
    choices = draw(st.integers(1, 2))
    pieces = draw(st.lists(st.lists(value, min_size=choices, max_size=choices), min_size=1, max_size=6))
    separators = draw(st.sampled_from([(",", ":"), (", ", ": ")]))
    roles: list[str | None] = [None] * choices
    out = []
    for row in pieces:
        body_choices = []
        for index, text in enumerate(row):
            delta = {"content": text}
            if draw(st.booleans()):
                delta = {"role": "assistant", **delta} if draw(st.booleans()) else {**delta, "role": "assistant"}
                roles[index] = "assistant"
                if not text and draw(st.booleans()):
                    delta = {"role": "assistant"}
            body_choices.append({"delta": delta, "index": index, "finish_reason": None})
        body = {"choices": body_choices, "created": 1, "id": "r", "model": "m", "object": "chat.completion.chunk"}
        out.append("data: " + json.dumps(body, separators=separators) + "\n\n")
    expected = [(roles[index], "".join(row[index] for row in pieces)) for index in range(choices)]
    return "".join(out).encode(), expected


@given(text_streams(), cut_points)
def test_sdk_accumulator_keeps_one_role(case: tuple[bytes, list[tuple[str | None, str]]], points: list[int]) -> None:
    stream, expected = case
    state: ChatCompletionStreamState[Any] = ChatCompletionStreamState()
    for _, data, _, _ in events(normalise(cut(stream, points))):
        state.handle_chunk(ChatCompletionChunk.model_validate(json.loads(data)))
    choices = state.get_final_completion().choices
    assert [(choice.message.role, choice.message.content or "") for choice in choices] == expected


# -- the rules, one example each -------------------------------------------------------------------


def tool_deltas(output: bytes) -> list[dict[str, Any]]:
    return [delta for _, data, _, _ in events(output) if data != "[DONE]"
            for delta in json.loads(data)["choices"][0]["delta"].get("tool_calls", [])]


def test_continuation_without_id_follows_the_call_last_at_its_index() -> None:
    stream = (
        chunk({"tool_calls": [{"index": 3, "id": "a", "function": {"name": "f", "arguments": "A1"}}]})
        + chunk({"tool_calls": [{"index": 1, "id": "b", "function": {"name": "g", "arguments": "B1"}}]})
        + chunk({"tool_calls": [{"index": 3, "function": {"arguments": "A2"}}]})  # wire index 3: call a
        + chunk({"tool_calls": [{"function": {"arguments": "A3"}}]})  # no index: the previous delta's call
        + chunk({"tool_calls": [{"index": 1, "function": {"arguments": "B2"}}]})
        + chunk({"tool_calls": [{"index": 7, "function": {"name": "h", "arguments": "C1"}}]})  # new, no id
    ).encode()
    got = [(d["index"], d["function"]["arguments"]) for d in tool_deltas(normalise([stream]))]
    assert got == [(0, "A1"), (1, "B1"), (0, "A2"), (0, "A3"), (1, "B2"), (2, "C1")]


def test_repeats_are_dropped_and_changes_kept() -> None:
    signed = {"google": {"thought_signature": "s"}}
    first = {"index": 0, "id": "a", "extra_content": signed, "function": {"name": "f", "arguments": "1"}}
    stream = (chunk({"role": "assistant", "tool_calls": [first]}) + chunk({"role": "assistant", "tool_calls": [first]})
              + chunk({"role": "tool?", "content": "x"})).encode()
    out = [json.loads(data)["choices"][0]["delta"] for _, data, _, _ in events(normalise([stream]))]
    assert out[0] == {"role": "assistant", "tool_calls": [first]}
    assert out[1] == {"tool_calls": [{"index": 0, "function": {"arguments": "1"}}]}
    assert out[2] == {"role": "tool?", "content": "x"}  # a different role is news, not a repeat


def test_error_in_a_data_line_list_is_unwrapped() -> None:
    stream = b"data: " + samples.EXHAUSTED_429.replace(b"\n", b"") + b"\n\n"
    [(_, data, _, _)] = events(normalise([stream]))
    assert json.loads(data)["error"]["status"] == "RESOURCE_EXHAUSTED"


def test_stray_error_with_a_blank_line_inside_waits_for_the_rest() -> None:
    stream = b'data: {"a":1}\n\n[{"error":\n\n{"code":499,"message":"cancelled"}}]\n'
    got = events(normalise(cut(stream, [3, 17, 30])))
    assert got == [(None, '{"a":1}', None, None), (None, '{"error":{"code":499,"message":"cancelled"}}', None, None)]


def test_unreadable_stray_error_at_the_end_still_raises() -> None:
    stream = b'data: {"a":1}\n\n[{\n  "error": {\n    "code": 499,\n'  # cut off mid-body
    *_, (_, data, _, _) = events(normalise([stream]))
    assert json.loads(data)["error"]["message"].startswith("Vertex AI sent an unreadable error in the stream")


def test_stray_text_that_is_no_error_passes_through() -> None:
    stream = b'data: {"a":1}\n\n[1, 2]\n{"b": 2}\n\ndata: {"c":3}\n\n'
    assert events(normalise(cut(stream, [9, 16, 20]))) == events(stream)
    assert b"[1, 2]" in normalise([stream])


def test_first_role_of_a_choice_is_kept_whatever_came_before() -> None:
    call = {"index": 0, "id": "a", "function": {"name": "f", "arguments": "{}"}}
    stream = (chunk({"tool_calls": [call]}) + chunk({"content": "x", "role": "assistant"})).encode()
    out = [json.loads(data)["choices"][0]["delta"] for _, data, _, _ in events(normalise([stream]))]
    assert out[1] == {"content": "x", "role": "assistant"}


def test_a_line_oriented_body_without_blank_lines_is_not_held_without_bound() -> None:
    normaliser = SSENormaliser(lambda data: data)
    passed = []
    line = b"2026-12-03 12:00:00 INFO a log line of a proxy that is not SSE at all\n"
    for _ in range(20_000):  # 1.4 MB, no blank line anywhere
        passed.append(normaliser.feed(line))
        assert normaliser._stray_size < MAX_STRAY_BYTES + len(line)
    passed.append(normaliser.close())
    assert b"".join(passed).count(b"a log line") == 20_000  # every line passed on, none lost


def test_one_endless_line_of_no_sse_field_is_not_held_without_bound() -> None:
    normaliser = SSENormaliser(lambda data: data)
    passed = [normaliser.feed(b"x" * 4096) for _ in range(500)]  # 2 MB, no newline
    assert sum(len(part) for part in normaliser._partial) <= MAX_STRAY_BYTES + 4096
    passed.append(normaliser.close())
    assert b"".join(passed).count(b"x") == 500 * 4096


def test_a_long_data_line_is_still_held_until_it_ends() -> None:
    normaliser = SSENormaliser(lambda data: data)
    payload = b'{"content": "' + b"y" * 300_000 + b'"}'
    out = normaliser.feed(b"data: " + payload[:150_000]) + normaliser.feed(payload[150_000:] + b"\n\n")
    assert out == b"data: " + payload + b"\n\n"
