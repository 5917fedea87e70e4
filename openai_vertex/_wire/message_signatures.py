"""Thought signatures of whole assistant messages, remembered by what the message says and put back.

Gemini 3 signs more than tool calls: a text answer and a generated image come with
`message.extra_content.google.thought_signature` (docs/vertex-wire.md §6, §S3), and for image editing
Google rejects a history whose earlier image lacks it ("Image part is missing a thought_signature").
A history rebuilt as plain dicts keeps the message's text and image but drops `extra_content`.

A message has no id, so it is known by a digest of its text and the base64 of its images, read the same
way from an answer and from a rebuilt history. Two answers that say the same thing with different
signatures make that digest ambiguous, and then neither signature goes back: a signature never lands on
a message it did not come with. A message with neither text nor image is not remembered.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from .._vertex import thought_signature
from .choices import text_of

MAX_REMEMBERED_MESSAGES = 1024
_AMBIGUOUS: dict[str, Any] = {}


class MessageSignatures:
    """A bounded LRU map from a message's digest to the `extra_content` it came with."""

    def __init__(self, capacity: int = MAX_REMEMBERED_MESSAGES) -> None:
        self._capacity = capacity
        # digest -> (extra_content, the text's length); lengths counted, so that most messages of a history
        # are ruled out without hashing them (an equal digest needs an equal text).
        self.entries: OrderedDict[bytes, tuple[dict[str, Any], int]] = OrderedDict()
        self._lengths: dict[int, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def remember(self, message: dict[str, Any], images: list[str]) -> None:
        """Remember the signed `extra_content` of an answer's message; `images` are its images' base64."""
        extra = message.get("extra_content")
        if not isinstance(extra, dict) or not thought_signature(message):
            return
        text = _text(message.get("content"))
        key = _digest(text, images)
        if key is None:
            return
        with self._lock:
            known = self.entries.get(key)
            if known is None:
                self._lengths[len(text)] = self._lengths.get(len(text), 0) + 1
            self.entries[key] = (extra if known is None or known[0] == extra else _AMBIGUOUS, len(text))
            self.entries.move_to_end(key)
            if len(self.entries) > self._capacity:
                _, (_, length) = self.entries.popitem(last=False)
                self._lengths[length] -= 1
                if not self._lengths[length]:
                    del self._lengths[length]

    def restore(self, messages: object) -> bool:
        """Put remembered `extra_content` back on assistant messages that lack one; return whether any changed."""
        if not self.entries or not isinstance(messages, list):
            return False
        changed = False
        for message in messages:
            if not isinstance(message, dict) or message.get("role") != "assistant" or "extra_content" in message:
                continue
            text = _text(message.get("content"))
            if len(text) not in self._lengths:
                continue
            key = _digest(text, _request_images(message))
            with self._lock:
                entry = self.entries.get(key) if key is not None else None
            extra = entry[0] if entry is not None else None
            if extra:  # not None, not ambiguous
                message["extra_content"] = extra
                changed = True
        return changed


def answer_images(choice: dict[str, Any], message: dict[str, Any]) -> list[str]:
    """The base64 of the images an answer's choice carries (`message.audio` §S3, `choice.image` §S4)."""
    images = []
    for holder in (message.get("audio"), choice.get("image")):
        data = holder.get("data") if isinstance(holder, dict) else None
        if isinstance(data, str) and data:
            images.append(data)
    return images


def _request_images(message: dict[str, Any]) -> list[str]:
    """The base64 of the images in a history message: its `audio` kept as the SDK returned it, or
    `image_url` parts with a data URL, as frameworks rebuild a generated image."""
    images = []
    audio = message.get("audio")
    if isinstance(audio, dict) and isinstance(audio.get("data"), str) and audio["data"]:
        images.append(audio["data"])
    content = message.get("content")
    for part in content if isinstance(content, list) else ():
        url = part.get("image_url") if isinstance(part, dict) and part.get("type") == "image_url" else None
        url = url.get("url") if isinstance(url, dict) else url
        if isinstance(url, str) and url.startswith("data:") and ";base64," in url:
            images.append(url.partition(";base64,")[2])
    return images


def _text(content: object) -> str:
    """A message's text: its `content` string, or the text parts of a `content` list joined (as `choices.py`
    reads them), so that an answer and its rebuilt copy give the same text whichever shape each has."""
    if isinstance(content, list):
        return "".join(text for text in map(text_of, content) if text is not None)
    return content if isinstance(content, str) else ""


def _digest(text: str, images: list[str]) -> bytes | None:
    if not text and not images:
        return None
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16)
    for image in images:
        digest.update(b"\0")
        digest.update(image.encode("ascii", "replace"))
    return digest.digest()

