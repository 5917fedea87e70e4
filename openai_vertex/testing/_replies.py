"""The replies FakeVertex can be scripted with; each renders per request (see `_render`)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any, Literal

from . import _render
from ._png import sample_png
from ._render import ChatCall, Rendered, Text, ToolCall, google_error
from ._schema import example


def _structured(response_format: Any, said: str) -> str | None:
    """The JSON a structured-output request gets, or None for plain text."""
    if not isinstance(response_format, Mapping):
        return None
    if response_format.get("type") == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema") or {}
        return json.dumps(example(schema))
    if response_format.get("type") == "json_object":
        return json.dumps({"echo": said})
    return None


@dataclasses.dataclass(frozen=True)
class Reply:
    """One answer of FakeVertex's chat completions endpoint; build it with the class methods."""

    render: Callable[[ChatCall], Rendered]
    delay: float = 0.0
    """Seconds to wait before answering, and between the events of a stream."""

    def with_delay(self, seconds: float) -> Reply:
        """The same reply, sent `seconds` later (and each stream event `seconds` apart)."""
        return dataclasses.replace(self, delay=seconds)

    @classmethod
    def text(cls, content: Text, *, thoughts: Text | None = None) -> Reply:
        """An answer, optionally preceded by thoughts.

        A sequence gives the exact pieces a stream sends (a string is cut every few words). Thoughts are
        sent only when the request asks for them: wrapped in `<marker>…</marker>` when it sets
        `thought_tag_marker`, untagged in front of the answer (as Vertex does) when it only sets
        `include_thoughts`; either way they count as reasoning tokens.
        """
        answer, thought = _render.pieces(content), _render.pieces(thoughts or "")
        return cls(lambda call: _render.render_text(call, answer, thought))

    @classmethod
    def echo(cls) -> Reply:
        """FakeVertex's default: repeats the last user message, with a short thought when asked for one.

        A request for structured output (`response_format`, as `beta.chat.completions.parse` sends) gets
        JSON instead: a small object its schema accepts, or `{"echo": ...}` for plain JSON mode.
        """

        def render(call: ChatCall) -> Rendered:
            said = (call.texts("user") or [""])[-1]
            thought = "The user wants their words back."
            answer = _structured(call.body.get("response_format"), said)
            pieces = [answer] if answer is not None else _render.pieces(f"echo: {said}")
            return _render.render_text(call, pieces, _render.pieces(thought))

        return cls(render)

    @classmethod
    def tool_call(cls, name: str, arguments: Mapping[str, Any] | str, *, signature: bool = True) -> Reply:
        """One function call, carrying a thought signature unless `signature=False`."""
        return cls.tool_calls((name, arguments), signature=signature)

    @classmethod
    def tool_calls(cls, *calls: ToolCall, signature: bool = True) -> Reply:
        """Parallel function calls `(name, arguments)`; as on Vertex only the first carries a signature.

        Streamed, each call comes as a header event and argument fragments with Google's unstable
        `index` values (docs/vertex-wire.md §S2), so only `id` groups them reliably.
        """
        return cls(lambda call: _render.render_tool_calls(call, calls, signature))

    @classmethod
    def image(
        cls,
        data: bytes | None = None,
        *,
        mime_type: str = "image/png",
        text: str | None = None,
        shape: Literal["message.audio", "choice.image"] = "message.audio",
    ) -> Reply:
        """A generated image (default: `sample_png()`) in one of the two documented shapes.

        `message.audio` is Gemini 3 Pro Image's shape; `choice.image` is the older documentation sample,
        which has no `message` at all. A streaming request gets the same fields in a single event.
        """
        return cls(lambda call: _render.render_image(call, data or sample_png(), mime_type, text, shape))

    @classmethod
    def error(
        cls, code: int, message: str | None = None, *, status: str | None = None, wrapped: bool = True
    ) -> Reply:
        """Google's error envelope with HTTP status `code`, wrapped in a JSON list as Vertex often does."""
        body: Any = google_error(code, message, status)
        return cls.raw([body] if wrapped else body, status=code)

    @classmethod
    def aborted_stream(cls, content: Text, *, code: int = 499) -> Reply:
        """A stream that breaks off: some events, then a bare JSON error list outside any `data:` line."""
        parts = _render.pieces(content)
        return cls(lambda call: _render.render_aborted_stream(call, parts, code))

    @classmethod
    def raw(cls, body: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        """Any JSON body (or bytes, sent as they are) with any status and headers (a redirect's
        `location`): for shapes no other builder makes."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return cls(lambda call: Rendered(status, (data,), headers=dict(headers or {})))


