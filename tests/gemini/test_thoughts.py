"""split_thoughts on whole texts, ThoughtSplitter on every way a stream can cut them."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openai.types.chat import ChatCompletionMessage

from openai_vertex import OpenAIVertexError
from openai_vertex._gemini.thoughts import Piece, SplitThoughts, ThoughtSplitter, split_thoughts


@pytest.mark.parametrize(
    ("text", "thoughts", "answer"),
    [
        ("<think>plan it</think>The answer.", "plan it", "The answer."),
        ("no tags at all", "", "no tags at all"),
        ("<think>one</think>A<think>two</think>B", "onetwo", "AB"),
        ("<think>cut off by max_tokens", "cut off by max_tokens", ""),
        ("<thinking>not a tag</thinking>", "", "<thinking>not a tag</thinking>"),
        ("<Think>case matters</Think>", "", "<Think>case matters</Think>"),
        ("answer with a stray </think> tag", "", "answer with a stray </think> tag"),
        ("<think>a <think> inside</think>x", "a <think> inside", "x"),
        ("<think></think>", "", ""),
        ("\n<think>\n t \n</think>\n\n a \n", "\n t \n", "\n\n\n a \n"),
    ],
)
def test_split_thoughts(text: str, thoughts: str, answer: str) -> None:
    assert split_thoughts(text) == SplitThoughts(thoughts=thoughts, answer=answer)


def test_split_thoughts_takes_the_marker_the_request_used() -> None:
    text = "<thought>hidden</thought><think>shown</think>"
    assert split_thoughts(text, marker="thought") == SplitThoughts("hidden", "<think>shown</think>")


def test_split_thoughts_of_a_message_without_content() -> None:
    assert split_thoughts(None) == SplitThoughts("", "")


@pytest.mark.parametrize("marker", ["", "two words", "<think>", "think>", "thïnk", 3])
def test_a_marker_that_cannot_be_a_tag_is_refused(marker: object) -> None:
    for build in (lambda: split_thoughts("x", marker=marker), lambda: ThoughtSplitter(marker=marker)):  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="marker") as raised:
            build()
        assert isinstance(raised.value, OpenAIVertexError)


def test_a_tag_cut_by_a_chunk_boundary_is_recognised() -> None:
    splitter = ThoughtSplitter()
    assert splitter.feed("<thi") == []
    assert splitter.feed("nk>plan") == [("thought", "plan")]
    assert splitter.feed("</") == []
    assert splitter.feed("think>Paris") == [("answer", "Paris")]
    assert splitter.close() == []


def test_text_that_only_resembles_a_tag_is_released_once_it_cannot_be_one() -> None:
    splitter = ThoughtSplitter()
    assert splitter.feed("a <thin") == [("answer", "a ")]
    assert splitter.feed("g> b") == [("answer", "<thing> b")]
    assert splitter.feed("<think") == []
    assert splitter.feed("ing>") == [("answer", "<thinking>")]


def test_only_a_possible_tag_prefix_is_held_back() -> None:
    splitter = ThoughtSplitter()
    assert splitter.feed("x < y") == [("answer", "x < y")]
    assert splitter.feed("z<") == [("answer", "z")]
    assert splitter.feed("<") == [("answer", "<")]  # the first '<' can no longer start the tag
    assert splitter.close() == [("answer", "<")]


def test_a_stream_that_ends_inside_a_thought_leaves_the_rest_a_thought() -> None:
    splitter = ThoughtSplitter()
    assert splitter.feed("<think>still thinking</th") == [("thought", "still thinking")]
    assert splitter.close() == [("thought", "</th")]


def test_pieces_of_one_kind_are_merged_within_a_feed() -> None:
    splitter = ThoughtSplitter()
    pieces = splitter.feed("<think>a</think><think>b</think>c<think>d")
    assert pieces == [("thought", "ab"), ("answer", "c"), ("thought", "d")]


def test_close_starts_over() -> None:
    splitter = ThoughtSplitter()
    splitter.feed("<think>unfinished")
    splitter.close()
    assert splitter.feed("fresh") == [("answer", "fresh")]


# Texts dense in tags, tag fragments and look-alikes, so that random cuts land inside them.
_TOKENS = ["<think>", "</think>", "<", "</", "<th", "think>", ">", "<thinking>", "</thin", "a", "b", " ", "\n", "é"]
texts = st.one_of(st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join), st.text(max_size=40))


def _chunks(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *sorted(set(cuts)), len(text)]
    return [text[start:end] for start, end in itertools.pairwise(bounds)]


@given(data=st.data(), text=texts)
def test_every_chunking_gives_what_split_thoughts_gives(data: st.DataObject, text: str) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=len(text) + 1))
    whole = split_thoughts(text)
    splitter = ThoughtSplitter()
    emitted = {"thought": "", "answer": ""}
    seen = ""
    for chunk in _chunks(text, cuts):
        pieces = splitter.feed(chunk)
        _check_pieces(pieces)
        for kind, piece in pieces:
            emitted[kind] += piece
        seen += chunk
        _check_nothing_but_a_tag_prefix_is_held(split_thoughts(seen), emitted)
    final = splitter.close()
    _check_pieces(final)
    for kind, piece in final:
        emitted[kind] += piece
    assert emitted == {"thought": whole.thoughts, "answer": whole.answer}


def _check_pieces(pieces: list[Piece]) -> None:
    assert all(text for _, text in pieces), "empty piece"
    assert all(a[0] != b[0] for a, b in itertools.pairwise(pieces)), "adjacent pieces of one kind"


def _check_nothing_but_a_tag_prefix_is_held(so_far: SplitThoughts, emitted: dict[str, str]) -> None:
    # `split_thoughts` of the text seen so far counts a trailing tag fragment as text; the splitter
    # may hold exactly that fragment back, and nothing more.
    assert so_far.thoughts.startswith(emitted["thought"])
    assert so_far.answer.startswith(emitted["answer"])
    held = so_far.thoughts[len(emitted["thought"]) :] + so_far.answer[len(emitted["answer"]) :]
    assert held == "" or any(tag.startswith(held) and tag != held for tag in ("<think>", "</think>"))


@pytest.mark.parametrize("call", [lambda: split_thoughts(["<think>a</think>"]),  # type: ignore[arg-type]
                                  lambda: ThoughtSplitter().feed(b"<think>")],  # type: ignore[arg-type]
                         ids=["split_thoughts(list)", "feed(bytes)"])
def test_what_is_not_text_is_named(call: Any) -> None:
    with pytest.raises(OpenAIVertexError, match=r"takes the text of a message or delta \(a str\), or a message, not (list|bytes)"):
        call()


def test_a_delta_without_content_feeds_nothing() -> None:
    # `chunk.choices[0].delta.content` is None on role-only and tool-call chunks: fed as it comes.
    splitter = ThoughtSplitter()
    assert splitter.feed("<think>hm") == [("thought", "hm")]
    assert splitter.feed(None) == []
    assert splitter.feed("</think>ok") == [("answer", "ok")]


def test_many_tags_in_one_delta_split_like_the_whole_text() -> None:
    text = "<think>a</think>b" * 2000 + "<think></think>" * 500 + "<th"
    pieces = ThoughtSplitter().feed(text)
    whole = split_thoughts(text[:-3])
    assert "".join(t for kind, t in pieces if kind == "thought") == whole.thoughts
    assert "".join(t for kind, t in pieces if kind == "answer") == whole.answer
    assert all(a[0] != b[0] for a, b in itertools.pairwise(pieces))  # adjacent pieces of one kind merged


# Partner models (docs/vertex-wire.md §11): DeepSeek's documented `reasoning_content`
# (https://api-docs.deepseek.com/guides/reasoning_model), and DeepSeek V3.1's thinking output, whose
# `<think>` is part of the prompt (https://huggingface.co/deepseek-ai/DeepSeek-V3.1#thinking).

def test_a_message_with_reasoning_content_splits_into_its_reasoning_and_content() -> None:
    message = ChatCompletionMessage.model_validate(
        {"role": "assistant", "content": "<think>more</think>391", "reasoning_content": "17 x 23: "})
    assert split_thoughts(message) == SplitThoughts("17 x 23: more", "391")
    assert split_thoughts({"role": "assistant", "content": "391"}) == SplitThoughts("", "391")


def test_deepseek_v31_text_starts_inside_a_thought() -> None:
    text = "The user asks for 17 x 23.</think>391"
    assert split_thoughts(text, starts_in_thought=True) == SplitThoughts("The user asks for 17 x 23.", "391")
    assert split_thoughts(text) == SplitThoughts("", text)  # by default a stray closing tag is answer text
    splitter = ThoughtSplitter(starts_in_thought=True)
    pieces = splitter.feed("The user asks.</th") + splitter.feed("ink>391") + splitter.close()
    assert pieces == [("thought", "The user asks."), ("answer", "391")]
    assert splitter.feed("again") == [("thought", "again")]  # close() starts over inside a thought
