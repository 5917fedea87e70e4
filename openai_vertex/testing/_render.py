"""Rendering FakeVertex's answers in the shapes Vertex documents (the project's response samples).

One reply renders per request: as one JSON body, or as server-sent events when the request streams.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

UNAUTHENTICATED_MESSAGE = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
    "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
)
_GOOGLE_ERRORS = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument."),
    401: ("UNAUTHENTICATED", UNAUTHENTICATED_MESSAGE),
    403: ("PERMISSION_DENIED", "Permission denied on resource project (or it may not exist)."),
    404: ("NOT_FOUND", "Requested entity was not found."),
    429: (
        "RESOURCE_EXHAUSTED",
        "Resource exhausted. Please try again later. Please refer to "
        "https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.",
    ),
    499: ("CANCELLED", "The operation was cancelled."),
    500: ("INTERNAL", "Internal error encountered."),
    503: ("UNAVAILABLE", "The service is currently unavailable."),
    504: ("DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
}
# Output tokens Vertex billed for one generated image in docs/vertex-wire.md §S3.
_IMAGE_TOKENS = 1120
_WORDS_PER_CHUNK = 3

Text = str | Sequence[str]
ToolCall = tuple[str, Mapping[str, Any] | str]


def google_error(code: int, message: str | None = None, status: str | None = None) -> dict[str, Any]:
    """Google's error envelope (not OpenAI's) for an HTTP status code."""
    default_status, default_message = _GOOGLE_ERRORS.get(code, ("UNKNOWN", "Unknown error."))
    return {"error": {"code": code, "message": message or default_message, "status": status or default_status}}


@dataclasses.dataclass(frozen=True)
class ChatCall:
    """What a reply may look at in the request it answers."""

    body: Mapping[str, Any]

    @property
    def stream(self) -> bool:
        return self.body.get("stream") is True

    @property
    def google(self) -> Mapping[str, Any]:
        extra = self.body.get("extra_body")
        google = extra.get("google") if isinstance(extra, Mapping) else None
        return google if isinstance(google, Mapping) else {}

    @property
    def thought_marker(self) -> str | None:
        marker = self.google.get("thought_tag_marker")
        return marker if isinstance(marker, str) and marker else None

    @property
    def wants_thoughts(self) -> bool:
        config = self.google.get("thinking_config")
        included = isinstance(config, Mapping) and config.get("include_thoughts") is True
        return included or self.thought_marker is not None

    def texts(self, role: str | None = None) -> list[str]:
        """Text of the messages (with `role`, or all), parts joined, in order."""
        found = []
        for message in self.body.get("messages") or ():
            if not isinstance(message, Mapping) or role not in (None, message.get("role")):
                continue
            content = message.get("content")
            if isinstance(content, str):
                found.append(content)
            elif isinstance(content, list):
                found.append(" ".join(p.get("text", "") for p in content if isinstance(p, Mapping)))
        return found


@dataclasses.dataclass(frozen=True)
class Rendered:
    """An HTTP answer: one body, or (when `stream`) several parts each written and flushed apart."""

    status: int
    parts: tuple[bytes, ...]
    stream: bool = False
    signatures: Mapping[str, str] = dataclasses.field(default_factory=dict)
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)


def pieces(content: Text) -> list[str]:
    """A string cut every few words (what a stream sends); a sequence as given."""
    if not isinstance(content, str):
        return list(content)
    words = re.findall(r"\S+\s*", content)
    return ["".join(words[i : i + _WORDS_PER_CHUNK]) for i in range(0, len(words), _WORDS_PER_CHUNK)]


def _words(texts: Sequence[str]) -> int:
    return len(" ".join(texts).split())


def _usage(call: ChatCall, completion: int, reasoning: int = 0) -> dict[str, Any]:
    prompt = max(1, _words(call.texts()))
    usage: dict[str, Any] = {
        "completion_tokens": completion,
        "extra_properties": {"google": {"traffic_type": "ON_DEMAND"}},
        "prompt_tokens": prompt,
        "total_tokens": prompt + completion + reasoning,  # Vertex leaves reasoning out of completion_tokens
    }
    if reasoning:  # Vertex omits the details when there was no reasoning (docs/vertex-wire.md §S5)
        usage["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    return usage


def _envelope(call: ChatCall, obj: str, choice: dict[str, Any], usage: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "choices": [choice],
        "created": int(time.time()),
        "id": base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode(),  # Vertex ids are no `chatcmpl-`
        "model": call.body.get("model"),
        "object": obj,
        "system_fingerprint": "",
    }
    if usage is not None:
        body["usage"] = usage
    return body


def _completion(call: ChatCall, message: dict[str, Any], finish: str, usage: dict[str, Any], **extra: Any) -> Rendered:
    choice = {"finish_reason": finish, "index": 0, "logprobs": None, "message": message}
    return Rendered(200, (json.dumps(_envelope(call, "chat.completion", choice, usage)).encode(),), **extra)


def _event(
    call: ChatCall, delta: dict[str, Any], finish: str | None = None, usage: dict[str, Any] | None = None
) -> bytes:
    choice: dict[str, Any] = {"delta": delta, "index": 0, "logprobs": None}
    if finish:
        choice["finish_reason"] = finish
    return b"data: " + json.dumps(_envelope(call, "chat.completion.chunk", choice, usage)).encode() + b"\n\n"


def _stream(call: ChatCall, deltas: list[dict[str, Any]], finish: str, usage: dict[str, Any], **extra: Any) -> Rendered:
    """Usage and finish reason ride on the last content event, then `[DONE]` (docs/vertex-wire.md §S2)."""
    events = [_event(call, delta) for delta in deltas[:-1]]
    events.append(_event(call, deltas[-1], finish, usage))
    return Rendered(200, (*events, b"data: [DONE]\n\n"), stream=True, **extra)


def render_text(call: ChatCall, answer: list[str], thoughts: list[str]) -> Rendered:
    usage = _usage(call, _words(answer), _words(thoughts))
    shown = list(thoughts) if call.wants_thoughts else []
    marker = call.thought_marker
    if shown and marker:
        shown[0] = f"<{marker}>{shown[0]}"
        answer = [f"</{marker}>{(answer or [''])[0]}", *answer[1:]]
    if not call.stream:
        return _completion(call, {"content": "".join(shown + answer), "role": "assistant"}, "stop", usage)
    thought = {"extra_content": {"google": {"thought": True}}}
    deltas = [{"content": piece, **thought, "role": "assistant"} for piece in shown]
    deltas += [{"content": piece, "role": "assistant"} for piece in answer or [""]]
    return _stream(call, deltas, "stop", usage)


def render_tool_calls(call: ChatCall, calls: Sequence[ToolCall], signature: bool) -> Rendered:
    made: list[dict[str, Any]] = []
    for name, arguments in calls:
        function = {"arguments": arguments if isinstance(arguments, str) else json.dumps(arguments), "name": name}
        made.append({"function": function, "id": f"function-call-{uuid.uuid4()}", "type": "function"})
    signatures = {}
    if signature and made:  # with parallel calls only the first carries one (docs/vertex-wire.md §6)
        signatures[made[0]["id"]] = _new_signature()
        made[0] = {"extra_content": {"google": {"thought_signature": signatures[made[0]["id"]]}}, **made[0]}
    usage = _usage(call, _words([c["function"]["arguments"] for c in made]) + len(made))
    if not call.stream:
        message = {"role": "assistant", "tool_calls": made}
        return _completion(call, message, "tool_calls", usage, signatures=signatures)
    deltas = []
    for i, whole in enumerate(made):
        name = whole["function"]["name"]
        header = {**whole, "function": {"arguments": "", "name": name}, "index": (i + 1) % len(made)}
        deltas.append({"role": "assistant", "tool_calls": [header]})
        plain = {key: value for key, value in whole.items() if key != "extra_content"}
        for fragment in _fragments(whole["function"]["arguments"]):
            piece = {**plain, "function": {"arguments": fragment, "name": name}, "index": i}
            deltas.append({"role": "assistant", "tool_calls": [piece]})
    return _stream(call, deltas, "tool_calls", usage, signatures=signatures)


def _fragments(arguments: str) -> list[str]:
    step = max(1, len(arguments) // 3)
    return [arguments[i : i + step] for i in range(0, len(arguments), step)] or [""]


def _new_signature() -> str:
    return base64.b64encode(os.urandom(48)).decode()


def render_aborted_stream(call: ChatCall, content: list[str], code: int) -> Rendered:
    error = json.dumps([google_error(code)], indent=2).encode()
    if not call.stream:
        return Rendered(code, (error,))
    events = [_event(call, {"content": piece, "role": "assistant"}) for piece in content]
    return Rendered(200, (*events, error), stream=True)


def render_image(call: ChatCall, data: bytes, mime_type: str, text: str | None, shape: str) -> Rendered:
    image = {"data": base64.b64encode(data).decode(), "extra_content": {"google": {"mime_type": mime_type}}}
    usage = _usage(call, _IMAGE_TOKENS + _words([text or ""]))
    if shape == "choice.image":
        fields: dict[str, Any] = {"image": image, "content": text, "role": "assistant"}
        if not call.stream:
            choice = {"finish_reason": "stop", "index": 0, **fields}  # no `message` in this sample
            return Rendered(200, (json.dumps(_envelope(call, "chat.completion", choice, usage)).encode(),))
        return _stream(call, [fields], "stop", usage)
    signature = {"google": {"thought_signature": _new_signature()}}
    message = {"audio": image, "content": text, "extra_content": signature, "role": "assistant"}
    if not call.stream:
        return _completion(call, message, "stop", usage)
    return _stream(call, [message], "stop", usage)


def json_answer(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Rendered:
    return Rendered(status, (json.dumps(body).encode(),), headers=dict(headers or {}))
