"""The byte paths for common text and tool-call chunks write what the JSON path writes (docs/vertex-wire.md §F, §S2).

Streams in the shape of Google's parallel-call sample (§S2: role, id and name repeated, unstable indices,
a signature on a call's first chunk), with every field sometimes missing or odd, are read twice: with the
byte path, and with it switched off so that every chunk takes the JSON path. Chunk by chunk, the two must
say the same thing, and remember the same signatures.
"""

from __future__ import annotations

import json
import re
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from openai_vertex._wire import chunks
from openai_vertex._wire.chunks import STRING, ChunkNormaliser
from openai_vertex._wire.sse import SSENormaliser

IDS = st.sampled_from(["function-call-a", "function-call-b", "get_weather", ""])
PIECES = st.sampled_from(['{"location":"', "Boston, MA", '","unit":"', "celsius", '"}', "", "{}", 'say \\"hi\\"',
                          "é", "\n"])


@st.composite
def _delta(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.integers(0, 3)) == 0:  # text, with the role Gemini repeats (§S1)
        text = {"content": draw(st.sampled_from(["Hel", 'a "quote"', "", "\\", "é"]))}
        return {**text, "role": "assistant"} if draw(st.integers(0, 4)) else text
    if draw(st.integers(0, 7)) == 0:  # metadata alone (§12.4), before or after its call
        return {"tool_calls": [{"extra_content": {"google": {"thought_signature": "sig-m"}}}]}
    call: dict[str, Any] = {}
    if draw(st.integers(0, 5)) == 0:
        call["extra_content"] = {"google": {"thought_signature": draw(st.sampled_from(["sig-1", "sig-2"]))}}
    function: dict[str, Any] = {"arguments": draw(PIECES)}
    if draw(st.integers(0, 3)):
        function["name"] = draw(st.sampled_from(["get_current_weather", "lookup"]))
    call["function"] = function
    if draw(st.integers(0, 5)):
        call["id"] = draw(IDS)
    if draw(st.integers(0, 4)):
        call["index"] = draw(st.integers(0, 2))
    if draw(st.booleans()):
        call["type"] = "function"
    delta: dict[str, Any] = {"tool_calls": [call]}
    if draw(st.integers(0, 3)):
        delta = {"role": draw(st.sampled_from(["assistant", "assistant", "model"])), **delta}
    return delta


@st.composite
def _chunk(draw: st.DrawFn) -> bytes:
    choice: dict[str, Any] = {"delta": draw(_delta()), "index": draw(st.sampled_from([0, 0, 0, 1]))}
    if draw(st.booleans()):
        choice["logprobs"] = None
    if draw(st.integers(0, 9)) == 0:
        choice["finish_reason"] = "stop"
    chunk: dict[str, Any] = {"choices": [choice], "created": 1770850461, "id": "nQiNafGyF5rw998PstqooAY",
                             "model": "google/gemini-3.1-pro-preview", "object": "chat.completion.chunk"}
    text = json.dumps(chunk, separators=(",", ":"), ensure_ascii=draw(st.booleans()))
    return text.encode()


class _Stream:
    """A chunk normaliser read as the layer reads it: each payload comes as one SSE event, which is offered
    whole first (`ChunkNormaliser.whole_event`, where a call's next pieces are written from a template)."""

    def __init__(self, remember: Any = lambda *call: None) -> None:
        self.chunks = ChunkNormaliser(remember)
        self._events = SSENormaliser(self.chunks, self.chunks.whole_event)

    def __call__(self, payload: bytes) -> bytes:
        out = self._events.feed(b"data: " + payload + b"\n\n")
        assert out.startswith(b"data: ") and out.endswith(b"\n\n") and out.count(b"\n") == 2
        return out[6:-2]


def _read(stream: list[bytes], *, byte_path: bool) -> tuple[list[Any], list[Any]]:
    remembered: list[Any] = []
    normaliser = _Stream(lambda *call: remembered.append(call))
    if byte_path:
        return [json.loads(normaliser(payload)) for payload in stream], remembered
    never = re.compile(rb"(?!)")
    with mock.patch.object(chunks, "_CALL_CHUNK", never), mock.patch.object(chunks, "_TEXT_CHUNK", never), \
            mock.patch.object(ChunkNormaliser, "_drop_repeated_role", lambda self, payload: None):
        said = [json.loads(normaliser(payload)) for payload in stream]
    return said, remembered


@settings(max_examples=300, deadline=None)
@given(st.lists(_chunk(), min_size=1, max_size=14))
def test_the_byte_paths_say_what_the_json_path_says(stream: list[bytes]) -> None:
    assert _read(stream, byte_path=True) == _read(stream, byte_path=False)


_ARGUMENTS = re.compile(rb'"arguments":' + STRING)


_SIGNED = re.compile(rb'"extra_content":\{"google":\{"thought_signature":"[^"]*"\}\},')
_INDEX = re.compile(rb',"index":[0-9]+')


@st.composite
def _runs(draw: st.DrawFn) -> list[bytes]:
    """Chunks each followed by copies of itself with other arguments, as a call's pieces come (§S2): a copy
    may also leave out the signature, or have another `index` (the call's, when it has one), as the
    second chunk of a call does in §S2."""
    stream = []
    for chunk in draw(st.lists(_chunk(), min_size=1, max_size=5)):
        stream.append(chunk)
        for piece in draw(st.lists(PIECES, max_size=4)):
            arguments = b'"arguments":' + json.dumps(piece, ensure_ascii=draw(st.booleans())).encode()
            copy = _ARGUMENTS.sub(lambda _: arguments, chunk, count=1)
            if draw(st.booleans()):
                copy = _SIGNED.sub(b"", copy, count=1)
            if draw(st.booleans()):
                index = b',"index":%d' % draw(st.sampled_from([0, 1, 2, 10]))
                copy = _INDEX.sub(lambda _: index, copy, count=1)
            stream.append(copy)
    return stream


@settings(max_examples=500, deadline=None)
@given(_runs())
def test_a_chunk_written_from_the_one_before_says_what_the_json_path_says(stream: list[bytes]) -> None:
    assert _read(stream, byte_path=True) == _read(stream, byte_path=False)


def test_the_byte_path_takes_googles_sample_after_its_first_chunk() -> None:
    first = (b'{"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"",'
             b'"name":"get_current_weather"},"id":"function-call-c855","index":1,"type":"function"}]},'
             b'"index":0,"logprobs":null}],"object":"chat.completion.chunk"}')
    second = first.replace(b'"arguments":""', b'"arguments":"{\\"location\\":\\"Boston, MA"').replace(
        b'"index":1', b'"index":0')
    normaliser = _Stream()
    normaliser(first)  # a choice's first chunk takes the JSON path
    with mock.patch.object(chunks, "json", wraps=json) as parsed:
        out = normaliser(second)
    assert parsed.loads.call_count == 0  # not parsed: the arguments' only escapes are quotes
    assert out == (b'{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"{\\"location\\":\\"Boston, MA"}'
                   b',"index":0,"type":"function"}]},"index":0,"logprobs":null}],"object":"chat.completion.chunk"}')


def test_a_calls_signed_first_chunk_takes_the_byte_path_and_its_signature_is_remembered() -> None:
    # §S2: the second call opens with its thought signature (docs/vertex-wire.md, Google's sample).
    first = (b'{"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"{}",'
             b'"name":"get_current_weather"},"id":"function-call-a","index":0,"type":"function"}]},'
             b'"index":0,"logprobs":null}],"object":"chat.completion.chunk"}')
    signed = (b'{"choices":[{"delta":{"role":"assistant","tool_calls":[{"extra_content":{"google":'
              b'{"thought_signature":"sig-b"}},"function":{"arguments":"","name":"get_current_weather"},'
              b'"id":"function-call-b","index":0,"type":"function"}]},"index":0,"logprobs":null}],'
              b'"object":"chat.completion.chunk"}')
    remembered: list[Any] = []
    normaliser = _Stream(lambda *call: remembered.append(call))
    normaliser(first)
    with mock.patch.object(chunks, "json", wraps=json) as parsed:
        out = normaliser(signed)
    assert parsed.loads.call_count == 0
    assert out == (b'{"choices":[{"delta":{"tool_calls":[{"extra_content":{"google":{"thought_signature":"sig-b"}},'
                   b'"function":{"arguments":"","name":"get_current_weather"},"id":"function-call-b","index":1,'
                   b'"type":"function"}]},'
                   b'"index":0,"logprobs":null}],"object":"chat.completion.chunk"}')
    # remembered once as it opens, with its signature (the call before it too, without one)
    assert remembered == [("function-call-a", None, 0, "function-call-a"),
                          ("function-call-b", {"google": {"thought_signature": "sig-b"}}, 1, "function-call-b")]


_S2_OPENER = (b'{"choices":[{"delta":{"role":"assistant","tool_calls":[{"extra_content":{"google":'
              b'{"thought_signature":"sig-b"}},"function":{"arguments":"","name":"get_current_weather"},'
              b'"id":"function-call-b","index":0,"type":"function"}]},"index":0,"logprobs":null}],'
              b'"object":"chat.completion.chunk"}')


def _after_s2_opener() -> _Stream:
    """A stream that has read a call and the signed first chunk of a second one (§S2)."""
    normaliser = _Stream()
    normaliser(_call("function-call-a", "{}", name="get_current_weather"))
    normaliser(_S2_OPENER)
    return normaliser


def test_a_calls_second_chunk_in_googles_shape_is_written_from_its_first() -> None:
    # §S2: the second chunk leaves out the first one's signature and has another wire index (0 -> 1).
    second = _S2_OPENER.replace(b'"extra_content":{"google":{"thought_signature":"sig-b"}},', b"").replace(
        b'"arguments":""', b'"arguments":"{\\"location\\":\\""').replace(b'"id":"function-call-b","index":0',
                                                                        b'"id":"function-call-b","index":1')
    third = second.replace(b'"arguments":"{\\"location\\":\\""', b'"arguments":"Boston\\"}"')
    normaliser = _after_s2_opener()
    never = re.compile(rb"(?!)")  # neither pattern is matched again: the template writes both
    with mock.patch.object(chunks, "_CALL_CHUNK", never), mock.patch.object(chunks, "_TEXT_CHUNK", never), \
            mock.patch.object(chunks, "json", wraps=json) as parsed:
        out = [normaliser(second), normaliser(third)]
    assert parsed.loads.call_count == 0
    sent = (b'{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":%s},"index":1,"type":"function"}]},'
            b'"index":0,"logprobs":null}],"object":"chat.completion.chunk"}')
    assert out == [sent % b'"{\\"location\\":\\""', sent % b'"Boston\\"}"']
    # the wire index is recorded as the rule records it: a delta with no id at index 1 goes to this call
    state = normaliser.chunks._choices[0]
    assert state.groups.call_for(None, 1)[0] is state.groups.with_id("function-call-b")


def test_a_wire_index_that_is_not_json_is_not_written_from_the_template() -> None:
    second = _S2_OPENER.replace(b'"extra_content":{"google":{"thought_signature":"sig-b"}},', b"").replace(
        b'"id":"function-call-b","index":0', b'"id":"function-call-b","index":01')
    normaliser = _after_s2_opener()
    assert normaliser(second) == second  # not JSON: passed on as it came, as the JSON path does


# What sends a chunk to the JSON path, spelt plainly; chunks.py spells it so that each alternative opens with
# its own letter, which the regex engine tries twice as fast.
_PLAIN_LOOK = re.compile(rb'"(?:finish_reason|usage)"\s*:\s*[^n\s]|"content"\s*:\s*\[')
_PLAIN_TAIL = re.compile(rb'"(?:choices|error)"|' + _PLAIN_LOOK.pattern)
_BITS = st.sampled_from([b'"', b'"c', b'"e', b'choices', b'hoices', b'error', b'finish_reason', b'usage', b'content',
                         b'ontent', b':', b' ', b'\n', b'null', b'n', b'[', b'{', b'1', b'x'])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_BITS, max_size=12), st.integers(0, 2))
def test_the_patterns_find_what_their_plain_spelling_finds(bits: list[bytes], start: int) -> None:
    text = b"".join(bits)
    for ours, plain in ((chunks._LOOK, _PLAIN_LOOK), (chunks._TAIL, _PLAIN_TAIL)):
        found, expected = ours.search(text, start), plain.search(text, start)
        assert (found and found.span()) == (expected and expected.span())


def _call(call_id: str, arguments: str, *, name: str | None = "get_weather") -> bytes:
    """A chunk of one call in Google's shape (§S2), written as Vertex writes it."""
    function = {"arguments": arguments} if name is None else {"arguments": arguments, "name": name}
    delta = {"role": "assistant", "tool_calls": [{"function": function, "id": call_id, "index": 0,
                                                  "type": "function"}]}
    chunk = {"choices": [{"delta": delta, "index": 0, "logprobs": None}], "object": "chat.completion.chunk"}
    return json.dumps(chunk, separators=(",", ":")).encode()


def _model_text() -> bytes:
    return b'{"choices":[{"delta":{"content":"Hm.","role":"model"},"index":0}],"object":"chat.completion.chunk"}'


def test_chunks_written_from_the_one_before_in_the_cases_that_decide_it() -> None:
    streams = {
        # a call that opens on the byte path (no name to keep): its next piece drops the id the opener kept
        "opener": [_call("a", "{}"), _call("b", "", name=None), _call("b", '{"city":', name=None)],
        # older Gemini's id is the function's name: a whole object, then another call under the same id (§12.5)
        "same id": [_call("get_weather", ""), _call("get_weather", '{"city":"Paris"}'),
                    _call("get_weather", '{"city":"Rome"}')],
        # a chunk between two pieces changes the role: the next piece keeps its own
        "between": [_call("a", ""), _call("a", '{"city":'), _model_text(), _call("a", '"Paris"}')],
    }
    for name, stream in streams.items():
        said = _read(stream, byte_path=True)
        assert said == _read(stream, byte_path=False), name
    said, _ = _read(streams["same id"], byte_path=True)
    assert [call["id"] for call in said[-1]["choices"][0]["delta"]["tool_calls"]] == ["get_weather~2"]


def test_a_chunk_without_the_bytes_before_the_wire_index_is_not_written_from_the_template() -> None:
    # One JSON string and a digit between the head and what follows the index, but no `,"name":...,"index":`
    # between them: the string is one byte shorter than those bytes, so that a search that found nothing would slice
    # the digit off as if it were the index.
    before = b',"name":"get_current_weather"},"id":"function-call-b","index":'
    string = b'"' + b"a" * (len(before) - 3) + b'"'
    second = (b'{"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":' + string
              + b'1,"type":"function"}]},"index":0,"logprobs":null}],"object":"chat.completion.chunk"}')
    normaliser = _after_s2_opener()
    assert normaliser(second) == second  # not JSON: passed on as it came, as the JSON path does


def test_a_chunk_whose_bytes_break_a_line_leaves_no_template_for_whole_events() -> None:
    # A payload with a line break in its JSON comes as two `data:` lines. The next read, the same bytes with
    # other arguments after one `data: `, is no longer one event (its second line is no field): it must
    # be read line by line, as it is with no event offered whole.
    first = _call("function-call-a", "{}", name="get_current_weather")
    broken = _call("function-call-a", '{"city":', name="get_current_weather").replace(
        b'}],"object"', b'}],\n"object"')
    head, tail = broken.split(b"\n")
    reads = [b"data: " + first + b"\n\n", b"data: " + head + b"\ndata: " + tail + b"\n\n",
             b"data: " + head.replace(b'"{\\"city\\":"', b'"\\"Paris\\"}"') + b"\n" + tail + b"\n\n"]
    offered = _Stream()
    reference = SSENormaliser(ChunkNormaliser(lambda *call: None))  # no event is offered whole
    assert [offered._events.feed(read) for read in reads] == [reference.feed(read) for read in reads]


def test_whole_events_follow_only_the_chunk_their_template_came_from() -> None:
    first = _call("function-call-a", "{}", name="get_current_weather")
    piece = _call("function-call-b", '{"city":', name="get_current_weather")
    again = _call("function-call-b", '"Paris"}', name="get_current_weather")
    streams = {
        # one read holding the call's chunk and, after it, a chunk that changes the role
        "same read": [b"data: " + first + b"\n\n", b"data: " + piece + b"\n\ndata: " + _model_text() + b"\n\n",
                      b"data: " + again + b"\n\n"],
        # a comment line left open by one read, which the next read's event ends up inside
        "held line": [b"data: " + first + b"\n\n", b"data: " + piece + b"\n\n", b": ping",
                      b"data: " + again + b"\n\n", b"\n"],
    }
    for name, reads in streams.items():
        offered = _Stream()
        reference = SSENormaliser(ChunkNormaliser(lambda *call: None))  # no event is offered whole
        said = [offered._events.feed(read) for read in reads]
        assert said == [reference.feed(read) for read in reads], name
