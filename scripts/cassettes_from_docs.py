"""Write cassettes from the response bodies that Google documents (../shared/vertex-api.md), not live traffic.

Vertex cannot be reached from the machines this project is built on, so each cassette here is recorded
by driving the real SDK through this library against a `MockTransport` that answers with a documented
body; vcrpy records the SDK's real request next to it. `pytest --record-mode=rewrite` with ADC and a
real project replaces them with live recordings (see cassettes/README.md).

Run: python scripts/cassettes_from_docs.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pydantic
import vcr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openai_vertex import vertex_client  # noqa: E402
from tests.conftest import CASSETTE_PROJECT, FakeCredentials, chat_completion  # noqa: E402

Reply = Callable[[httpx2.Request], httpx2.Response]
CASSETTES: dict[str, Callable[[], None]] = {}


def cassette(module: str, test: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(fn: Callable[[], None]) -> Callable[[], None]:
        CASSETTES[f"{module}/{test}"] = fn
        return fn

    return register


def client(*replies: Reply, **kwargs: Any) -> Any:
    queue = list(replies)
    http = httpx2.Client(transport=httpx2.MockTransport(lambda request: queue.pop(0)(request)))
    kwargs.setdefault("credentials", FakeCredentials())
    return vertex_client(project=CASSETTE_PROJECT, http_client=http, max_retries=0, **kwargs)


def json_reply(body: Any, status: int = 200) -> Reply:
    return lambda request: httpx2.Response(status, json=body, headers={"content-type": "application/json; charset=UTF-8"})


def sse_reply(chunks: list[dict[str, Any]]) -> Reply:
    text = "".join(f"data: {json.dumps(chunk)}\n\n" for chunk in chunks) + "data: [DONE]\n\n"
    return lambda request: httpx2.Response(200, content=text.encode(), headers={"content-type": "text/event-stream"})


def chunk(delta: dict[str, Any], finish: str | None = None, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    """A streamed chunk in the shape of response-samples.md §2 / §7b."""
    body: dict[str, Any] = {"choices": [{"delta": delta, "index": 0, "logprobs": None, "finish_reason": finish}],
                            "created": 1770850461, "id": "nQiNafGyF5rw998PstqooAY",
                            "model": "google/gemini-2.5-flash", "object": "chat.completion.chunk",
                            "system_fingerprint": ""}
    if usage:
        body["usage"] = usage
    return body


UNAUTHENTICATED = {"error": {"code": 401, "status": "UNAUTHENTICATED", "message": (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
    "other valid authentication credential.")}}
USER = [{"role": "user", "content": "Tell me a joke."}]


class Rivers(pydantic.BaseModel):
    rivers: list[str]


@cassette("test_cassettes", "test_chat_completion_sync")
@cassette("test_cassettes", "test_chat_completion_async")
def _chat() -> None:
    text = "Why did the scarecrow win an award?\n\nBecause he was outstanding in his field!"
    client(json_reply(chat_completion(text))).chat.completions.create(model="google/gemini-2.5-flash",
                                                                      messages=USER)


@cassette("test_cassettes", "test_streaming")
def _stream() -> None:
    chunks = [chunk({"content": "Why did the scarecrow ", "role": "assistant"}),
              chunk({"content": "win an award?", "role": "assistant"}, "stop",
                    {"completion_tokens": 9, "prompt_tokens": 5, "total_tokens": 14})]
    for _ in client(sse_reply(chunks)).chat.completions.create(model="google/gemini-2.5-flash", messages=USER,
                                                              stream=True):
        pass


@cassette("test_cassettes", "test_structured_output_parse")
def _parse() -> None:
    content = json.dumps({"rivers": ["Amazon River", "Paraná River", "Orinoco River"]})
    client(json_reply(chat_completion(content))).beta.chat.completions.parse(
        model="google/gemini-2.5-flash", messages=[{"role": "user", "content": "List South American rivers."}],
        response_format=Rivers)


@cassette("test_cassettes", "test_401_refresh_then_200")
def _unauthenticated_then_ok() -> None:
    client(json_reply(UNAUTHENTICATED, 401), json_reply(chat_completion("ok"))).chat.completions.create(
        model="google/gemini-2.5-flash", messages=USER)


def main() -> None:
    config = {"filter_headers": ["authorization", "cookie", "x-goog-user-project"],
              "decode_compressed_response": True, "record_mode": "all"}
    for name, make in CASSETTES.items():
        path = ROOT / "cassettes" / f"{name}.yaml"
        path.unlink(missing_ok=True)
        with vcr.VCR(**config).use_cassette(str(path)):
            make()
        print("wrote", path.relative_to(ROOT))


if __name__ == "__main__":
    main()
