"""Fuzzing the parsers that read what a server sends: arbitrary input, and no text lost or doubled.

The thought splitter, the image reader, the error unwrapper and the SSE normaliser are fed arbitrary
strings, bytes and JSON (with quotes, backslashes, lone surrogates, look-alikes of the markers they
search for, cut anywhere). They may raise only their documented errors, and what they pass on must be
exactly what came in, less what they are documented to remove. The shapes each component is
documented to handle are tested example by example in their own test files.
"""

from __future__ import annotations

import base64
import collections
import itertools
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openai._streaming import SSEDecoder
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from openai_vertex import OpenAIVertexError, ThoughtSplitter, VertexConfigError, split_thoughts
from openai_vertex._wire.chunks import stream_normaliser
from openai_vertex._wire.error_envelope import find_error, unwrap_error_body
from openai_vertex._gemini.images import generated_images
from openai_vertex.testing import sample_png

fuzz = settings(max_examples=100, deadline=None)

# Text dense in what the parsers look for, mixed with any code point (lone surrogates included).
_TOKENS = ['"role":"assistant"', '"index":0', '"delta":', '"tool_calls"', "data: ", "\n\n", "\r\n", "\r",
           '[{"error":', "[DONE]", "\\", '\\"', '"', "<", ">", "</", "{", "}", "[", "]", ":", "\x00", "\u2028",
           "é", "😀"]
_CHAR = st.one_of(st.integers(0, 0x10FFFF).map(chr), st.sampled_from(["\ud800", "\udfff"]))
TEXT = st.lists(st.one_of(st.sampled_from(_TOKENS), _CHAR), max_size=12).map("".join)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
CUTS = st.lists(st.integers(0, 2_000), max_size=12)


def cut(data: Any, points: list[int]) -> list[Any]:
    bounds = sorted({0, len(data), *(point % (len(data) + 1) for point in points)})
    return [data[start:end] for start, end in itertools.pairwise(bounds)]


def has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(char) <= 0xDFFF for char in text)


# --- the thought splitter ---------------------------------------------------------------------------

@st.composite
def tagged_texts(draw: st.DrawFn) -> tuple[str, str]:
    marker = draw(st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True))
    opening, closing = f"<{marker}>", f"</{marker}>"
    near_misses = [opening, closing, opening[:-1], closing[:-1], f"<{marker.upper()}x>", "<", "</", ">", marker]
    parts = draw(st.lists(st.one_of(TEXT, st.sampled_from(near_misses)), max_size=12))
    return marker, "".join(parts)


def is_subsequence(part: str, whole: str) -> bool:
    remaining = iter(whole)
    return all(char in remaining for char in part)


@fuzz
@given(tagged_texts(), CUTS)
def test_the_thought_splitter_neither_loses_nor_doubles_text(case: tuple[str, str], points: list[int]) -> None:
    marker, text = case
    splitter = ThoughtSplitter(marker)
    pieces = [piece for chunk in cut(text, points) for piece in splitter.feed(chunk)] + splitter.close()
    passed_on = "".join(piece for _, piece in pieces)
    assert all(piece for _, piece in pieces)
    # In order, and what is missing is whole tags: k openings and j closings, j <= k <= j + 1.
    assert is_subsequence(passed_on, text)
    removed = collections.Counter(text) - collections.Counter(passed_on)
    closings = removed["/"]
    openings = removed["<"] - closings
    assert closings <= openings <= closings + 1
    assert removed == collections.Counter(f"<{marker}>" * openings + f"</{marker}>" * closings)
    whole = split_thoughts(text, marker)
    assert [whole.thoughts, whole.answer] == ["".join(p for kind, p in pieces if kind == wanted)
                                              for wanted in ("thought", "answer")]


@fuzz
@given(st.one_of(TEXT, st.binary(max_size=8), st.integers(), st.none(), st.lists(TEXT, max_size=2)), TEXT)
def test_the_thought_splitter_refuses_only_markers_that_cannot_be_tags(marker: Any, text: str) -> None:
    valid = isinstance(marker, str) and re.fullmatch(r"[A-Za-z0-9_-]+", marker) is not None
    try:
        whole = split_thoughts(text, marker)
        pieces = ThoughtSplitter(marker).feed(text)
    except VertexConfigError as refused:
        assert not valid and "marker" in str(refused)
        return
    assert valid
    assert len(whole.thoughts) + len(whole.answer) <= len(text)
    assert is_subsequence("".join(piece for _, piece in pieces), text)


# --- the image reader ---------------------------------------------------------------------------------

BASE64 = st.binary(max_size=48).map(lambda data: base64.b64encode(data).decode())
MEDIA = st.one_of(JSON, st.fixed_dictionaries(
    {"data": st.one_of(BASE64, TEXT, JSON, BASE64.map(lambda text: text + "!"))},
    optional={"extra_content": st.one_of(JSON, st.fixed_dictionaries({"google": st.one_of(JSON, st.fixed_dictionaries(
        {"mime_type": st.one_of(JSON, st.sampled_from(["image/png", "image/jpeg", "audio/wav", "", "image/"]))}))}))},
))
HOLDER = st.one_of(JSON, st.fixed_dictionaries({}, optional={"audio": MEDIA, "content": JSON, "role": JSON}))
CHOICE = st.one_of(JSON, st.fixed_dictionaries({}, optional={"message": HOLDER, "delta": HOLDER, "image": MEDIA,
                                                             "index": JSON}))
BODIES = st.fixed_dictionaries({}, optional={"choices": st.one_of(st.lists(CHOICE, max_size=3), st.none())})


@fuzz
@given(BODIES, st.sampled_from(["dict", "ChatCompletion", "ChatCompletionChunk"]))
def test_the_image_reader_raises_only_its_documented_error(body: dict[str, Any], form: str) -> None:
    model: Any = {"dict": None, "ChatCompletion": ChatCompletion, "ChatCompletionChunk": ChatCompletionChunk}[form]
    source = body if model is None else model.construct(**body)  # the SDK's own unvalidated parse
    try:
        images = generated_images(source)
    except OpenAIVertexError as error:
        assert "base64" in str(error)
        return
    assert all(isinstance(image.data, bytes) and image.mime_type.startswith("image/") for image in images)


ENTRY = st.one_of(
    st.none(),
    st.tuples(st.binary(min_size=1, max_size=32),
              st.sampled_from(["image/png", "image/webp", "audio/wav", "audio/mpeg"])),
    st.binary(max_size=16).map(lambda tail: (sample_png() + tail, None)),  # no declared type: sniffed as PNG
)


def _media(entry: tuple[bytes, str | None]) -> dict[str, Any]:
    data, mime_type = entry
    media: dict[str, Any] = {"data": base64.b64encode(data).decode()}
    if mime_type:
        media["extra_content"] = {"google": {"mime_type": mime_type}}
    return media


@fuzz
@given(st.lists(st.tuples(ENTRY, ENTRY), max_size=4), st.sampled_from(["message", "delta"]), st.booleans())
def test_the_image_reader_returns_every_image_once_in_order(choices: list[tuple[Any, Any]], holder: str,
                                                            as_sdk_object: bool) -> None:
    body: dict[str, Any] = {"id": "x", "created": 0, "model": "google/gemini-3-pro-image-preview", "choices": []}
    expected = []
    for index, (in_holder, on_choice) in enumerate(choices):
        choice: dict[str, Any] = {"index": index, holder: {"role": "assistant", "content": None}}
        if in_holder:
            choice[holder]["audio"] = _media(in_holder)
        if on_choice:
            choice["image"] = _media(on_choice)
        body["choices"].append(choice)
        expected += [(data, mime or "image/png") for data, mime in filter(None, (in_holder, on_choice))
                     if (mime or "image/png").startswith("image/")]
    model = ChatCompletion if holder == "message" else ChatCompletionChunk
    images = generated_images(model.construct(**body) if as_sdk_object else body)
    assert [(image.data, image.mime_type) for image in images] == expected


# --- the error unwrapper -------------------------------------------------------------------------------

def _is_google_error(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("error"), dict)


GOOGLE_ERROR = st.fixed_dictionaries(
    {"code": st.integers(100, 599), "message": TEXT, "status": TEXT},
    optional={"details": JSON,
              "errors": st.lists(st.fixed_dictionaries({"message": TEXT, "reason": TEXT}), max_size=2)},
)


def encode_json(value: object, *, ascii_only: bool, indent: int | None) -> bytes:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    if has_surrogate(text):  # a lone surrogate cannot be UTF-8: in JSON it can only travel escaped
        text = json.dumps(value, indent=indent)
    return text.encode()


def as_read(value: object) -> Any:
    """`value` as any JSON reader gets it back (escaped surrogate pairs become one character)."""
    return json.loads(json.dumps(value))


@fuzz
@given(GOOGLE_ERROR, st.lists(JSON.filter(lambda value: not _is_google_error(value)), max_size=2),
       st.booleans(), st.sampled_from([None, 2]), st.sampled_from([b"", b" \n", b"\r\n\t"]))
def test_a_list_wrapped_error_keeps_every_field_and_character(error: dict[str, Any], before: list[Any],
                                                              ascii_only: bool, indent: int | None,
                                                              lead: bytes) -> None:
    body = lead + encode_json([*before, {"error": error}], ascii_only=ascii_only, indent=indent)
    assert json.loads(unwrap_error_body(body)) == as_read({"error": error})


@fuzz
@given(st.one_of(st.binary(max_size=200), JSON.map(lambda value: encode_json(value, ascii_only=True, indent=None))))
def test_the_error_unwrapper_passes_anything_else_through(body: bytes) -> None:
    out = unwrap_error_body(body)
    if out is not body:  # changed only for a list that holds a Google error, into exactly that error
        assert json.loads(out) == find_error(json.loads(body))


@fuzz
@given(JSON)
def test_find_error_reads_any_json_value(value: Any) -> None:
    found = find_error(value)
    assert found is None or _is_google_error(found)


# --- the SSE normaliser ---------------------------------------------------------------------------------

def normalise(pieces: list[bytes]) -> bytes:
    normaliser = stream_normaliser(lambda *call: None)  # as the layer builds it
    return b"".join(normaliser.feed(piece) for piece in pieces) + normaliser.close()


LINE_STARTS = ["data:", "data: ", ":", "event: ", "id: ", "retry: ", "[", '[{"error": ', "{", ""]
ENDINGS = ["\n", "\r", "\r\n"]
SSE_LIKE = st.lists(st.tuples(st.sampled_from(LINE_STARTS), TEXT, st.sampled_from(ENDINGS)), max_size=12).map(
    lambda lines: "".join(start + text + end for start, text, end in lines).encode("utf-8", "surrogatepass"))


@fuzz
@given(st.one_of(st.binary(max_size=300), SSE_LIKE), CUTS)
def test_the_sse_normaliser_takes_any_bytes_cut_anywhere(stream: bytes, points: list[int]) -> None:
    out = normalise(cut(stream, points))
    assert out == normalise([stream])  # where the stream was cut changes nothing


@st.composite
def text_streams(draw: st.DrawFn) -> tuple[bytes, list[str], int]:
    """Text chunks as Gemini sends them (role repeated or not), any text inside, in compact or spaced,
    escaped or raw JSON, with any line ending and keep-alive comments; the texts each choice must get."""
    choices = draw(st.integers(1, 2))
    rows = draw(st.lists(st.lists(TEXT, min_size=choices, max_size=choices), min_size=1, max_size=5))
    ascii_only = draw(st.booleans()) or any(has_surrogate(text) for row in rows for text in row)  # see encode_json
    separators = draw(st.sampled_from([(",", ":"), (", ", ": ")]))
    end = draw(st.sampled_from(ENDINGS))
    events = []
    for row in rows:
        body_choices = []
        for index, text in enumerate(row):
            delta: dict[str, Any] = {"content": text}
            if draw(st.booleans()):
                delta = {"role": "assistant", **delta} if draw(st.booleans()) else {**delta, "role": "assistant"}
            body_choices.append({"delta": delta, "index": index, "finish_reason": None})
        chunk = {"choices": body_choices, "created": 1, "id": "r", "model": "google/gemini-2.5-flash",
                 "object": "chat.completion.chunk"}
        comment = ": keep-alive" + end if draw(st.booleans()) else ""
        payload = json.dumps(chunk, ensure_ascii=ascii_only, separators=separators)
        events.append(comment + "data: " + payload + end + end)
    events.append("data: [DONE]" + end + end)
    expected = ["".join(as_read(row[index]) for row in rows) for index in range(choices)]
    return "".join(events).encode(), expected, len(rows)


@fuzz
@given(text_streams(), CUTS)
def test_the_sse_normaliser_neither_loses_nor_doubles_streamed_text(case: tuple[bytes, list[str], int],
                                                                    points: list[int]) -> None:
    stream, expected, chunks = case
    received = [event.data for event in SSEDecoder().iter_bytes(iter(cut(normalise(cut(stream, points)), points)))]
    assert received[-1] == "[DONE]" and len(received) == chunks + 1
    texts = [""] * len(expected)
    for data in received[:-1]:
        for choice in json.loads(data)["choices"]:
            texts[choice["index"]] += choice["delta"].get("content", "")
    assert texts == expected


# --- defects the fuzzing above found, kept as exact reproductions ------------------------------------

DEEP = b"[" * 5_000


def test_a_deeply_nested_error_body_passes_through() -> None:
    assert unwrap_error_body(DEEP) is DEEP


def test_deeply_nested_stray_text_in_a_stream_passes_through() -> None:
    assert DEEP in normalise([b'data: {"a":1}\n\n' + DEEP + b"\n\n"])


@pytest.mark.parametrize("choices", [5, 1.5, True])
def test_choices_that_are_no_list_hold_no_image(choices: object) -> None:
    try:
        assert generated_images({"choices": choices}) == []
    except OpenAIVertexError:
        pass  # the documented error would be as good an answer
