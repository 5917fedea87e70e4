"""Restored thought signatures written into a request's bytes, without serialising the rest again.

A long history (100 KB) costs about 0.2 ms to serialise, and a restored signature changes a few hundred
bytes of it. When the only change to a request is to assistant tool calls, each array of calls that
changed is written over its place in the original bytes (docs/vertex-wire.md §F). That is sound only if
the arrays found in the bytes are exactly the assistant messages' `tool_calls`, in order: `Spans` checks
it against the parse before anything is restored, and when it is not so, the body is serialised whole.
"""

from __future__ import annotations

import re
from typing import Any

from ._json import dumps
from .request_look import ESCAPED_ASCII, array_at

_ARRAY_KEY = re.compile(rb'"tool_calls"\s*:\s*\[')


class Spans:
    """Where each assistant message's `tool_calls` array sits in the body's bytes."""

    def __init__(self, body: bytes, messages: object) -> None:
        self._body = body
        # (start, end, the array as its bytes say, the same array in the parse, which the restore changes)
        self._spans: list[tuple[int, int, list[Any], list[Any]]] = []
        self.usable = self._find(body, messages)

    def _find(self, body: bytes, messages: object) -> bool:
        if not isinstance(messages, list) or (b"\\" in body and ESCAPED_ASCII.search(body)):
            return False  # keys spelt with escapes are keys the pattern does not see
        parsed = [message["tool_calls"] for message in messages
                  if isinstance(message, dict) and message.get("role") == "assistant"
                  and isinstance(message.get("tool_calls"), list)]
        for match in _ARRAY_KEY.finditer(body):
            found = array_at(body, match.end() - 1)
            if found is None or len(self._spans) == len(parsed):
                return False
            calls, end = found
            if calls != parsed[len(self._spans)]:
                return False  # an array of something else, or another message's
            self._spans.append((match.end() - 1, end, calls, parsed[len(self._spans)]))
        return len(self._spans) == len(parsed)

    def spliced(self) -> bytes:
        """The body with every array that differs from its bytes (after the restore) written anew."""
        pieces: list[bytes] = []
        done = 0
        for start, end, before, calls in self._spans:
            if calls == before:
                continue
            pieces += [self._body[done:start], dumps(calls)]
            done = end
        return b"".join([*pieces, self._body[done:]])
