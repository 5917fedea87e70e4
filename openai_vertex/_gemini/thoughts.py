"""Separating Gemini's tagged thoughts from the answer, in whole texts and in streams.

With `extra_body.google.thought_tag_marker = "think"` (and `include_thoughts`), Vertex returns the
thoughts inside `content`, wrapped in `<think>…</think>`. Tags are exact and case-sensitive: `<thinking>`
or `<Think>` is ordinary text. Inside a thought only the closing tag counts, outside only the opening one,
so a stray `</think>` in an answer stays in the answer. A text that ends inside a thought (the stream was
cut, or `max_tokens` hit) leaves the rest of it a thought.

Partner models on the same endpoint think in other shapes (docs/vertex-wire.md §11): a separate
`reasoning_content` field (DeepSeek, Kimi, Qwen, gpt-oss), which `split_thoughts` reads from a message, and
DeepSeek V3.1's `THOUGHTS</think>ANSWER`, whose opening tag was part of the prompt: `starts_in_thought=True`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .._errors import VertexConfigError
from ._raw_fields import raw_field

__all__ = ["SplitThoughts", "ThoughtSplitter", "split_thoughts"]

Piece = tuple[Literal["thought", "answer"], str]

_MARKER = re.compile(r"[A-Za-z0-9_-]+")


def check_marker(marker: object, argument: str) -> str:
    """Return `marker` if it can be a tag name; otherwise raise naming `argument`."""
    if not isinstance(marker, str) or not _MARKER.fullmatch(marker):
        raise VertexConfigError(
            f"{argument} must be a non-empty tag name of letters, digits, '_' or '-' (such as 'think'), "
            f"not {marker!r}"
        )
    return marker


@dataclass(frozen=True)
class SplitThoughts:
    """A text cut in two: every thought block joined, and everything outside them."""

    thoughts: str
    answer: str


def split_thoughts(text: object, marker: str = "think", *, starts_in_thought: bool = False) -> SplitThoughts:
    """Split a whole `content` string (or a message: its `reasoning_content`, then its content) in two.

    Text is kept exactly (no stripping); several thought blocks are concatenated in order. `None` (a
    message without content) gives two empty strings. `starts_in_thought`: the text begins inside a
    thought, as DeepSeek V3.1's does (its `<think>` is in the prompt).
    """
    opening, closing = _tags(check_marker(marker, "marker"))
    reasoning = ""
    if text is not None and not isinstance(text, str) and _is_message(text):
        reasoning = _reasoning(text)
        text = raw_field(text, "content")
    text = _text(text, "split_thoughts()") or ""
    thoughts: list[str] = [reasoning]
    answer: list[str] = []
    pos = 0
    if starts_in_thought:
        text = opening + text
    while (start := text.find(opening, pos)) >= 0:
        answer.append(text[pos:start])
        start += len(opening)
        end = text.find(closing, start)
        if end < 0:
            thoughts.append(text[start:])
            return SplitThoughts("".join(thoughts), "".join(answer))
        thoughts.append(text[start:end])
        pos = end + len(closing)
    answer.append(text[pos:])
    return SplitThoughts("".join(thoughts), "".join(answer))


class ThoughtSplitter:
    """Incremental `split_thoughts` for streamed deltas, where a tag may be cut anywhere between chunks.

    `feed` returns the pieces it can already classify, adjacent pieces of one kind merged; it holds back
    only a trailing fragment that could still become a tag (`<th` …), so answer text reaches the caller
    as soon as it arrives. `close` releases that fragment at the end of the stream and resets the
    splitter for reuse. Concatenating the pieces of each kind gives exactly what `split_thoughts` gives
    for the whole text.
    """

    def __init__(self, marker: str = "think", *, starts_in_thought: bool = False) -> None:
        self._opening, self._closing = _tags(check_marker(marker, "marker"))
        self._starts_inside = starts_in_thought
        self._inside = starts_in_thought
        self._held = ""

    def feed(self, delta: str | None) -> list[Piece]:
        """Classify `delta` (plus any fragment held from earlier feeds); None (a chunk without text) adds nothing."""
        text = self._held + (_text(delta, "ThoughtSplitter.feed()") or "")
        pieces = _Pieces()
        tag, other = (self._closing, self._opening) if self._inside else (self._opening, self._closing)
        inside, pos, find = self._inside, 0, text.find
        # Positions, not slices: one pass over the text however many tags it holds.
        while (at := find(tag, pos)) >= 0:
            pieces.add("thought" if inside else "answer", text, pos, at)
            pos = at + len(tag)
            inside, tag, other = not inside, other, tag
        self._inside = inside
        keep = _partial_tag(text, tag, pos)
        pieces.add("thought" if inside else "answer", text, pos, len(text) - keep)
        self._held = text[len(text) - keep :]
        return pieces.done()

    def close(self) -> list[Piece]:
        """Release the held fragment (it was not a tag after all) and start over."""
        pieces: list[Piece] = []
        _append(pieces, self._kind, self._held)
        self._inside = self._starts_inside
        self._held = ""
        return pieces

    @property
    def _tag(self) -> str:
        return self._closing if self._inside else self._opening

    @property
    def _kind(self) -> Literal["thought", "answer"]:
        return "thought" if self._inside else "answer"


def _tags(marker: str) -> tuple[str, str]:
    return f"<{marker}>", f"</{marker}>"


def _text(value: object, caller: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise VertexConfigError(
            f"{caller} takes the text of a message or delta (a str), or a message, not {type(value).__name__}"
        )
    return value


def _is_message(value: object) -> bool:
    """An SDK message or delta, or its dict: it has a `content` or a `reasoning_content` field."""
    if isinstance(value, Mapping):
        return "content" in value or "reasoning_content" in value
    return hasattr(value, "content")


def _reasoning(message: object) -> str:
    """Partner models' separate thoughts: `reasoning_content` (also `reasoning`, vLLM's name for it)."""
    found = raw_field(message, "reasoning_content") or raw_field(message, "reasoning")
    return found if isinstance(found, str) else ""


def _partial_tag(text: str, tag: str, start: int = 0) -> int:
    """Length of the longest end of `text[start:]` that is a proper start of `tag`."""
    for size in range(min(len(tag) - 1, len(text) - start), 0, -1):
        if text.endswith(tag[:size]):
            return size
    return 0


class _Pieces:
    """Pieces of one feed, adjacent pieces of one kind merged with one join each (not repeated `+`)."""

    def __init__(self) -> None:
        self._runs: list[tuple[Literal["thought", "answer"], list[str]]] = []

    def add(self, kind: Literal["thought", "answer"], text: str, start: int, end: int) -> None:
        if start >= end:
            return
        if self._runs and self._runs[-1][0] == kind:
            self._runs[-1][1].append(text[start:end])
        else:
            self._runs.append((kind, [text[start:end]]))

    def done(self) -> list[Piece]:
        return [(kind, "".join(parts)) for kind, parts in self._runs]


def _append(pieces: list[Piece], kind: Literal["thought", "answer"], text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1][0] == kind:
        pieces[-1] = (kind, pieces[-1][1] + text)
    else:
        pieces.append((kind, text))
