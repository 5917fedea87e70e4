"""SDK clients over httpx / httpx2 `MockTransport`s for the wire-layer tests, and readers of their answers.

`Kind` is one kind of client (an HTTP library, sync or async); the `kind` fixture (conftest.py) runs a
test on each kind the installed openai takes.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import openai
import pytest
from openai.lib.streaming.chat import AsyncChatCompletionStreamManager

from openai_vertex._wire import install_wire_layer

from ..compat import sdk_families
from ..gemini.samples import TEXT_COMPLETION

ANSWER = json.dumps(TEXT_COMPLETION).encode()
# What Google's parallel-call stream (docs/vertex-wire.md §S2) must add up to.
TOOL_CALL_ARGUMENTS = (
    {"location": "Boston, MA", "unit": "celsius"},
    {"location": "New Delhi, India", "unit": "celsius"},
)

BASE_URL = "https://aiplatform.googleapis.com/v1/projects/test-project/locations/global/endpoints/openapi"
MODEL = "google/gemini-3.1-pro-preview"
USER = {"role": "user", "content": "What is the weather like in Boston and New Delhi?"}
Handler = Callable[[Any], Any]


class Kind:
    """One kind of client: an HTTP library and sync or async."""

    def __init__(self, http: ModuleType, is_async: bool) -> None:
        self.http = http
        self.is_async = is_async

    def http_client(self, handler: Handler, *, layer: bool = True, **options: bool) -> Any:
        transport = self.http.MockTransport(handler)
        client_class = self.http.AsyncClient if self.is_async else self.http.Client
        http_client = client_class(transport=transport)
        if layer:
            install_wire_layer(http_client, **options)
        return http_client

    def client(self, handler: Handler, *, layer: bool = True, **options: bool) -> Any:
        sdk = openai.AsyncOpenAI if self.is_async else openai.OpenAI
        http_client = self.http_client(handler, layer=layer, **options)
        return sdk(api_key="unused", base_url=BASE_URL, http_client=http_client, max_retries=0)

    def response(self, status: int, body: bytes, content_type: str = "application/json", **headers: str) -> Any:
        return self.http.Response(status, headers={"content-type": content_type, **headers}, content=body)

    def sse(self, body: bytes, piece: int | None = None) -> Any:
        """A streamed reply, delivered in `piece`-byte reads (events cut between reads), or one read per
        event as a live stream usually arrives (piece=0), or whole (None)."""
        content: Any = body
        if piece is not None:
            if piece:
                pieces = [body[i : i + piece] for i in range(0, len(body), piece)]
            else:
                pieces = [event + b"\n\n" for event in body.split(b"\n\n")[:-1]]
            content = _aiter(pieces) if self.is_async else iter(pieces)
        return self.http.Response(200, headers={"content-type": "text/event-stream"}, content=content)


async def _aiter(pieces: list[bytes]) -> Any:
    for piece in pieces:
        yield piece


# Each HTTP library the installed openai takes clients of, sync and async (see compat.sdk_families).
KINDS = [
    pytest.param(Kind(family.values[0], is_async), id=f"{family.id}-{'async' if is_async else 'sync'}",
                 marks=family.marks)
    for family in sdk_families()
    for is_async in (False, True)
]


async def settle(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def create(client: Any, **kwargs: Any) -> Any:
    return await settle(client.chat.completions.create(**{"model": MODEL, "messages": [USER], **kwargs}))


async def read_chunks(client: Any, **kwargs: Any) -> list[Any]:
    stream = await create(client, stream=True, **kwargs)
    if isinstance(stream, openai.AsyncStream):
        return [chunk async for chunk in stream]
    return list(stream)


async def final_completion(client: Any) -> Any:
    manager = client.chat.completions.stream(model=MODEL, messages=[USER])
    if isinstance(manager, AsyncChatCompletionStreamManager):
        async with manager as stream:
            return await stream.get_final_completion()
    with manager as stream:
        return stream.get_final_completion()


def aggregate_by_index(chunks: list[Any]) -> list[dict[str, str]]:
    """Tool calls rebuilt from stream deltas the way OpenAI's docs and most frameworks do it."""
    calls: dict[int, dict[str, str]] = {}
    for chunk in chunks:
        for delta in chunk.choices[0].delta.tool_calls or []:
            call = calls.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
            call["id"] += delta.id or ""
            call["name"] += delta.function.name or ""
            call["arguments"] += delta.function.arguments or ""
    return [calls[index] for index in sorted(calls)]
