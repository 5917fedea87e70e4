"""The I/O-free core of the wire compatibility layer: what to rewrite in requests and responses.

Vertex's OpenAI-compatible endpoint differs from OpenAI's wire format in ways that break the openai SDK
and the frameworks on top of it (docs/vertex-wire.md §3, §5-§8). `WireLayer` decides, per exchange:

- requests (JSON bodies of `POST .../chat/completions`; the routes beside it as `routes.py` says; everything
  else passes byte for byte):
  a model id gets the publisher it lacks where one is known (`models.py`); a top-level `google` block (the common
  `extra_body={"google": ...}` slip, which Vertex silently ignores) moves under `extra_body.google`;
  thought signatures the history lost are put back (`signatures.py`, `message_signatures.py`);
- responses: list-wrapped Google errors are unwrapped (`error_envelope.py`) and told what to change where
  the endpoint lacks what was asked (`hints.py`); chat-completion streams are
  normalised (`sse.py`, `chunks.py`) and non-streamed answers fixed where they break the SDK, as the SDK
  parses them (`completion.py`, `choices.py`); tool calls seen in replies are remembered for the next turn.

Most exchanges need none of it, and the layer costs what it does for those: one look at a request's bytes
(`request_look.py`) lets it go out untouched, and a whole answer is never read by the layer at all.

The transport adapters that apply it to httpx and httpx2 clients are in `transports.py`.
"""

from __future__ import annotations

import functools
import logging
import sys
import warnings
from collections.abc import Callable
from typing import Protocol

from .chunks import stream_normaliser
from .error_envelope import unwrap_error_body
from ._json import dumps, loads_object, merge_missing
from .completion import fix_parsed
from .hints import error_hint, with_hint
from .models import publisher_model
from .request_look import look, would_restore
from .splice import Spans
from .signatures import SignatureCache, restore_ids, restore_signatures


_log = logging.getLogger("openai_vertex.wire")

# The packages between a user's `create()` call and the wire layer, which a warning should point past.
_PLUMBING = frozenset({"openai_vertex", "openai", "httpx", "httpx2", "httpcore", "httpcore2", "anyio", "asyncio",
                       "contextlib"})


def _caller_stacklevel() -> int:
    """The `stacklevel` of the first frame outside the SDK and HTTP plumbing: the code that sent the request."""
    frame, level = sys._getframe(2), 2  # the caller of the function that warns
    while frame.f_back is not None and frame.f_globals.get("__name__", "").split(".")[0] in _PLUMBING:
        frame, level = frame.f_back, level + 1
    return level


class BodyProcessor(Protocol):
    """Rewrites a response body as it streams: `feed()` each chunk, then `close()` once."""

    def feed(self, chunk: bytes) -> bytes: ...

    def close(self) -> bytes: ...


class _Buffered:
    """Holds the whole body and rewrites it at the end: error bodies, which the SDK reads whole, as text."""

    def __init__(self, rewrite: Callable[[bytes], bytes]) -> None:
        self._rewrite = rewrite
        self._parts: list[bytes] = []

    def feed(self, chunk: bytes) -> bytes:
        self._parts.append(chunk)
        return b""

    def close(self) -> bytes:
        return self._rewrite(b"".join(self._parts))


class ChatExchange:
    """What the response of a rewritten chat-completion request needs to know about the request."""

    __slots__ = ("bare_model", "streamed")

    def __init__(self, *, streamed: bool, bare_model: str | None = None) -> None:
        self.streamed = streamed
        self.bare_model = bare_model  # a model id sent without a publisher, none being known for it


_STREAMED, _NOT_STREAMED = ChatExchange(streamed=True), ChatExchange(streamed=False)  # what most requests are


class WireLayer:
    """The options and the thought-signature memory of one HTTP client, shared by all its transports."""

    def __init__(
        self,
        *,
        publisher_prefix: bool = True,
        skip_unknown_signatures: bool = False,
        signatures: SignatureCache | None = None,
    ) -> None:
        self.publisher_prefix = publisher_prefix
        self.skip_unknown_signatures = skip_unknown_signatures
        self.signatures = SignatureCache() if signatures is None else signatures
        # Fixes a whole chat completion as the SDK parsed it, in place, and remembers its tool calls.
        self.fix_parsed: Callable[[object], None] = functools.partial(fix_parsed, cache=self.signatures)
        self._warned_skip = False

    def rewrite_chat_body(self, body: bytes) -> tuple[bytes, ChatExchange] | None:
        """Return the body to send (the same object when nothing changed), or None if it is not a JSON object."""
        quick = look(body, self.signatures, publisher_prefix=self.publisher_prefix,
                     skip_unknown=self.skip_unknown_signatures)
        if quick is None:
            return self.full_rewrite(body)
        streamed, bare_model = quick
        if bare_model is None:
            return body, _STREAMED if streamed else _NOT_STREAMED
        return body, ChatExchange(streamed=streamed, bare_model=bare_model)

    def full_rewrite(self, body: bytes) -> tuple[bytes, ChatExchange] | None:
        """`rewrite_chat_body` without the look: parse the body, once, and serialise it only if it changed."""
        payload = loads_object(body)
        if payload is None:
            return None
        changed = False
        model = payload.get("model")
        bare_model = None
        if self.publisher_prefix and isinstance(model, str) and model:
            # Vertex answers a bare `gemini-2.5-flash` with 400 "Malformed publisher model name" (§S8e).
            sent = publisher_model(model)
            if sent != model:
                payload["model"] = sent
                changed = True
                _log.debug("Sent the model id %r as %r: Vertex names models publisher/model.", model, sent)
            elif "/" not in model:
                bare_model = model
        google = payload.get("google")
        extra_body = payload.setdefault("extra_body", {}) if isinstance(google, dict) else None
        if isinstance(extra_body, dict):
            merge_missing(extra_body, {"google": payload.pop("google")})
            changed = True
            _log.debug("Moved the request's top-level `google` block under extra_body.google, where Vertex reads it.")
        messages = payload.get("messages")
        # Where the calls sit in the bytes, read before the restore changes them; only when one will change.
        spans = None if changed or not self._will_restore(messages) else Spans(body, messages)
        restored, skipped = restore_signatures(messages, self.signatures, skip_unknown=self.skip_unknown_signatures)
        if skipped:
            self._warn_skip()
        signed_messages = self.signatures.messages.restore(messages)  # not in a tool-call array: no splice
        ids_back = bool(self.signatures.renamed) and restore_ids(messages, self.signatures)  # tool messages too
        signed = signed_messages or ids_back
        changed |= signed
        lost = [what for what, done in (("tool-call thought signatures", restored),
                                        ("message thought signatures", signed_messages),
                                        ("Google's own tool-call ids", ids_back)) if done]
        if lost:
            _log.debug("Put back what the history lost: %s.", " ".join(lost))
        exchange = ChatExchange(streamed=payload.get("stream") is True, bare_model=bare_model)
        if restored and not signed and spans is not None and spans.usable:
            return spans.spliced(), exchange  # only the calls' bytes change (splice.py)
        return (dumps(payload) if changed or restored else body), exchange

    def response_processor(self, content_type: str) -> BodyProcessor | None:
        """How a successful (2xx) answer to a streamed chat request must be rewritten: its bytes as they
        stream (SSE), or None for a whole JSON answer (an error, say), which is fixed as the SDK parses it
        (`fix_parsed`)."""
        if "json" not in content_type:  # text/event-stream, or nothing said: read it as a stream
            return stream_normaliser(self.signatures.remember)
        return None

    @staticmethod
    def error_processor(
        exchange: object, status_code: int, method: str, path: str, sent: bytes | None
    ) -> BodyProcessor:
        """The rewrite of an error body: unwrapped from Google's list (error_envelope.py) and, where the
        request asked for something the endpoint does not have, told what to change (hints.py)."""
        bare_model = exchange.bare_model if isinstance(exchange, ChatExchange) else None
        hint = error_hint(status_code, method, path, sent, bare_model)
        if hint is None:
            return _Buffered(unwrap_error_body)
        _log.debug("Vertex answered %d; telling the caller what to change: %s", status_code, hint)
        return _Buffered(lambda body: with_hint(body, hint, status_code))

    def _will_restore(self, messages: object) -> bool:
        """Whether `restore_signatures` will change a call (asked of the memory as it asks)."""
        return any(would_restore(message["tool_calls"], self.signatures, self.skip_unknown_signatures)
                   for message in (messages if isinstance(messages, list) else ())
                   if isinstance(message, dict) and message.get("role") == "assistant"
                   and isinstance(message.get("tool_calls"), list))

    def _warn_skip(self) -> None:
        if not self._warned_skip:
            self._warned_skip = True
            warnings.warn(
                "openai_vertex sent Google's `skip_thought_signature_validator` for assistant tool calls this "
                "client never received (history from another model or process). Gemini accepts them but "
                "cannot use the reasoning behind them. This warning is shown once per client.",
                UserWarning,
                stacklevel=_caller_stacklevel(),
            )
