"""An incremental normaliser for Vertex's server-sent events: bytes in, bytes out, no I/O.

It splits the byte stream into lines and events the way the openai SDK's decoder does (CR, LF and CRLF,
a line or a CRLF cut anywhere between chunks) and hands each complete event's `data` to a rewrite
function. Two Vertex habits are turned into something the SDK can see:

- a `data:` payload that is a list-wrapped error (`[{"error": {...}}]`) becomes the object form, which the
  SDK raises as `openai.APIError`;
- text outside any SSE field (Vertex's mid-stream `[{"error": {"code": 499, "status": "CANCELLED"}}]`,
  often pretty-printed over several lines) is ignored by the SDK, so the stream would just stop. Such
  "stray" lines are collected until a blank line or the end of the stream; if they hold a Google error,
  it is sent on as a `data: {"error": ...}` event; other stray text passes through untouched.

An event leaves as soon as its terminating blank line has arrived; nothing else is held back.
A read that is one whole event, when nothing is held, is first offered to `whole_event`, which may write
it itself (the chunk rewriter's template for a tool call's next piece, `call_template.py`).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .error_envelope import find_error, unwrap_error_body
from ._json import NOT_JSON, dumps

_FIELDS = frozenset((b"data", b"event", b"id", b"retry"))
MAX_STRAY_BYTES = 64 * 1024
"""Stray text (outside any SSE field) kept while waiting for it to parse, in lines and in one unfinished
line alike; error bodies are far smaller, junk is passed on instead of kept."""


class SSENormaliser:
    """Feed raw bytes with `feed()`, then call `close()` once at the end; both return bytes to pass on."""

    def __init__(self, rewrite_data: Callable[[bytes], bytes],
                 whole_event: Callable[[bytes], bytes | None] = lambda event: None) -> None:
        # `rewrite_data` gets one event's joined `data` and returns it (the same object when unchanged).
        # `whole_event` is offered each read that comes when nothing is held: it returns what to send
        # for it when it knows the read for one whole event it can write, else None.
        self._rewrite_data = rewrite_data
        self._whole_event = whole_event
        self._partial: list[bytes] = []  # the start of a line whose end has not arrived
        self._skip_lf = False  # the last chunk ended in CR: a LF opening the next one ends no new line
        self._event: list[bytes] = []  # field and comment lines of the event being read
        self._stray: list[bytes] = []
        self._stray_size = 0
        self._partial_size = 0
        self._idle = True  # nothing of the above is held: the last chunk ended an event

    def feed(self, chunk: bytes) -> bytes:
        if self._idle:
            written = self._whole_event(chunk)
            if written is not None:
                return written
            payload = chunk[6:-2]
            if (
                chunk.startswith(b"data: {")
                and chunk.endswith(b"\n\n")
                and b"\n" not in payload
                and b"\r" not in payload
            ):
                # The common case, one whole event per network read holding one JSON object, as Vertex
                # writes it: no line splitting needed, and an event that needs no rewrite leaves as the
                # very bytes that came. Any other spelling takes the general path, to the same result.
                rewritten = self._rewrite_data(payload)
                return chunk if rewritten is payload else b"data: " + rewritten + b"\n\n"
        out = self._feed_lines(chunk)
        self._idle = not (self._partial or self._event or self._stray or self._skip_lf)
        return out

    def _feed_lines(self, chunk: bytes) -> bytes:
        """The general path: split into lines, keep what is unfinished for the next chunk."""
        if not chunk:
            return b""
        out: list[bytes] = []
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
                if not chunk:
                    return b""
        if b"\r" in chunk:
            self._skip_lf = chunk[-1] == 13
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = chunk.rfind(b"\n")
        if end < 0:
            self._partial.append(chunk)
            self._partial_size += len(chunk)
            if self._partial_size > MAX_STRAY_BYTES and not self._partial_is_field():
                # A line of no SSE field (a line-oriented non-SSE body) is not held whole: pass it on.
                text, self._partial, self._partial_size = b"".join(self._partial), [], 0
                return text
            return b""
        if self._partial:
            self._partial.append(chunk[:end])
            text = b"".join(self._partial)
            self._partial = []
        else:
            text = chunk[:end]
        self._partial_size = 0
        if end + 1 < len(chunk):
            self._partial.append(chunk[end + 1 :])
            self._partial_size = len(chunk) - end - 1
        for line in text.split(b"\n"):
            self._line(line, out)
        return b"".join(out)

    def _partial_is_field(self) -> bool:
        head = self._partial[0][:8]
        return head.startswith((b"data:", b":")) or head.partition(b":")[0] in _FIELDS

    def close(self) -> bytes:
        out: list[bytes] = []
        if self._partial:
            line = b"".join(self._partial)
            self._partial, self._partial_size = [], 0
            self._line(line, out)
        if self._stray:
            self._flush_stray(out, final=True)
        if self._event:
            # An event cut off before its blank line: pass its lines on, the SDK drops it as it would have.
            out.append(b"\n".join(self._event) + b"\n")
            self._event = []
        return b"".join(out)

    def _line(self, line: bytes, out: list[bytes]) -> None:
        if not line:
            self._dispatch(out)
        elif line.startswith((b"data:", b":")) or line.partition(b":")[0] in _FIELDS:
            self._event.append(line)
        else:
            self._stray.append(line)
            self._stray_size += len(line)
            if self._stray_size >= MAX_STRAY_BYTES:  # no blank line in sight: do not hold it all
                self._flush_stray(out, final=False)

    def _dispatch(self, out: list[bytes]) -> None:
        event = self._event
        if not event:
            # Kept so the SDK's decoder sees every blank line it would have seen.
            out.append(b"\n")
        elif len(event) == 1 and event[0].startswith(b"data:"):
            # The common case: one `data:` line.
            line = event[0]
            payload = line[6:] if line[5:6] == b" " else line[5:]
            rewritten = self._rewrite(payload)
            out.append(line + b"\n\n" if rewritten is payload else b"data: " + rewritten + b"\n\n")
            self._event = []
        else:
            out.append(self._rewrite_event(event))
            self._event = []
        if self._stray:
            self._flush_stray(out, final=False)

    def _rewrite_event(self, event: list[bytes]) -> bytes:
        values = [line.partition(b":")[2] for line in event if line.partition(b":")[0] == b"data"]
        if values:
            payload = b"\n".join(value[1:] if value[:1] == b" " else value for value in values)
            rewritten = self._rewrite(payload)
            if rewritten is not payload:
                kept = [line for line in event if line.partition(b":")[0] != b"data"]
                return b"\n".join([*kept, b"data: " + rewritten]) + b"\n\n"
        return b"\n".join(event) + b"\n\n"

    def _rewrite(self, payload: bytes) -> bytes:
        if payload[:1] == b"[" and not payload.startswith(b"[DONE]"):
            unwrapped = unwrap_error_body(payload)
            if unwrapped is not payload:
                return unwrapped
        return self._rewrite_data(payload)

    def _flush_stray(self, out: list[bytes], *, final: bool) -> None:
        text = b"\n".join(self._stray)
        try:
            error = find_error(json.loads(text))
        except NOT_JSON:
            if not final and self._stray_size < MAX_STRAY_BYTES:
                return  # perhaps an error body with a blank line inside: wait for the rest
            error = None
            if b'"error"' in text:
                message = "Vertex AI sent an unreadable error in the stream: " + text.decode(errors="replace")
                error = {"error": {"message": message}}
        self._stray = []
        self._stray_size = 0
        out.append(text + b"\n" if error is None else b"data: " + dumps(error) + b"\n\n")
