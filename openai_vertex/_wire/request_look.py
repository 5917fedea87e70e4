"""One cheap look at a chat-completion request body: does the wire layer need to parse it at all?

A request needs the layer only for a model id that lacks its publisher, a top-level `google` block, or
an assistant tool call in the history whose thought signature the client remembers (docs/vertex-wire.md
§3, §5, §6). Most bodies have none of them, and a long history costs 0.5 ms to parse and serialise
again: the look answers from one regular-expression pass over the bytes, decoding only the tool-call
arrays it finds. Anything it cannot rule out goes to the full path (`WireLayer.rewrite_chat_body`), so a
wrong guess costs a parse, never a wrong body.

Keys are found as `json.dumps` and every serialiser write them: by their quoted name (a `"` that opens a
key cannot be inside a string, where it would be escaped). A body that spells an ASCII character as
`\\u00XX`, which none of them does, takes the full path.
"""

from __future__ import annotations

import re
from typing import Any

from ._json import DECODER, NOT_JSON
from .models import publisher_model
from .signatures import SignatureCache, has_signature

_KEYS = re.compile(rb'"(model|google|tool_calls|stream)"\s*:\s*')
ESCAPED_ASCII = re.compile(rb"\\u00[2-7][0-9a-fA-F]")
# Where a `google` object belongs: Google's fields of a tool call or message, and the request's own.
_GOOGLE_HOLDER = re.compile(rb'"(?:extra_content|extra_body)"\s*:\s*\{\s*\Z')
_WINDOW = 8192  # bytes decoded first for a tool-call array (a call with its signature is a few KB at most)


Look = tuple[bool, "str | None"]
"""What the look found in a body that needs no rewrite: whether it asks for a stream, and its model id
when that names no publisher (for the hint in a 404)."""

_MODELS: dict[bytes, int] = {}  # a model id's bytes as sent -> _FINE, _BARE or _REWRITE
_FINE, _BARE, _REWRITE = 0, 1, 2


def look(body: bytes, cache: SignatureCache, *, publisher_prefix: bool, skip_unknown: bool) -> Look | None:
    """A `Look` when the body can go out as it is; None when it must take the full path."""
    if body[:1] != b"{" or (b"\\" in body and ESCAPED_ASCII.search(body)):
        return None  # not an object as a serialiser writes one, or ASCII spelt as escapes
    if (cache.messages.entries and b'"assistant"' in body) or (cache.renamed and b'"tool_call' in body):
        # an assistant message whose signature the client may remember (message_signatures.py), or a call
        # that may go by an id the layer gave it (signatures.unique_id)
        return None
    streamed = False
    models: list[bytes] = []
    arrays: list[int] = []
    for match in _KEYS.finditer(body):
        key, end = match[1], match.end()
        if key == b"model":
            if body[end : end + 1] == b'"':  # a string: up to the next quote (a backslash in it: see _verdict)
                models.append(body[end : body.find(b'"', end + 1) + 1])
        elif key == b"tool_calls":
            if body[end : end + 1] == b"[":
                arrays.append(end)
        elif key == b"stream":
            streamed |= body.startswith(b"true", end)
        elif body[end : end + 1] == b"{" and not _GOOGLE_HOLDER.search(body, max(0, match.start() - 64),
                                                                        match.start()):
            return None  # a `google` object that may be the request's own (§5)
    bare = None
    if publisher_prefix:
        for model in models:
            verdict = _MODELS.get(model)
            if verdict is None:
                verdict = _verdict(model)
            if verdict == _REWRITE or (verdict == _BARE and len(models) > 1):
                return None  # to be rewritten; or which id is the request's own, only a parse can tell
            if verdict == _BARE:
                bare = model[1:-1].decode()
    if arrays and (skip_unknown or len(cache)):
        for start in arrays:
            found = array_at(body, start)
            if found is None or would_restore(found[0], cache, skip_unknown):
                return None
    return streamed, bare


def _verdict(quoted: bytes) -> int:
    """Whether a model id (its quoted bytes) is sent as it is, is bare with no publisher known, or is rewritten."""
    model = quoted[1:-1].decode("utf-8", "replace")
    if b"\\" in quoted or len(quoted) < 2 or (model and publisher_model(model) != model):
        verdict = _REWRITE
    else:
        verdict = _BARE if model and "/" not in model else _FINE
    if len(_MODELS) >= 1024:  # ids come from code, not from users, but stay bounded anyway
        _MODELS.clear()
    _MODELS[quoted] = verdict
    return verdict


def array_at(body: bytes, start: int) -> tuple[list[Any], int] | None:
    """The JSON array that starts at byte `start`, and the byte where it ends; None if there is none.

    Decoded from a window first, then from the rest of the body. Bytes that are not UTF-8 decode to
    stand-ins of the same length (`surrogateescape`), so a character offset maps back to its byte.
    """
    for end in (start + _WINDOW, len(body)):
        text = body[start:end].decode("utf-8", "surrogateescape")
        try:
            value, stop = DECODER.raw_decode(text)
        except NOT_JSON:  # RecursionError too: a hostile nesting
            if end >= len(body):
                return None
            continue
        if not isinstance(value, list):
            return None
        return value, start + len(text[:stop].encode("utf-8", "surrogateescape"))
    return None


def would_restore(calls: list[Any], cache: SignatureCache, skip_unknown: bool) -> bool:
    """Whether `restore_signatures` could change one of these calls (it asks the cache the same way)."""
    for position, call in enumerate(calls):
        if not isinstance(call, dict) or has_signature(call):
            continue
        call_id = call.get("id")
        seen, extra = cache.lookup(call_id, position) if isinstance(call_id, str) else (False, None)
        if extra is not None or (position == 0 and skip_unknown and not seen):
            return True
    return False
