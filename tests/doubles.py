"""Test doubles shared across the suite: fake google-auth credentials, a Vertex answer, one chat request.

Token-endpoint and Vertex stand-ins are `openai_vertex.testing.FakeVertex` (the `fake_vertex` fixture);
`loopback.py` keeps a raw-socket recorder only for the security tests that must see every byte.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

import openai
from google.auth import credentials as ga_credentials

CASSETTE_PROJECT = "openai-vertex-test"
MODEL = "google/gemini-2.5-flash"
MESSAGES: Any = [{"role": "user", "content": "Say hello."}]


class FakeCredentials(ga_credentials.Credentials):
    """Real google-auth Credentials whose refresh mints numbered tokens instead of calling Google."""

    def __init__(self, lifetime: float = 3600, quota_project_id: str | None = None,
                 fail: BaseException | None = None, delay: float = 0.0) -> None:
        super().__init__()
        self.lifetime = lifetime
        self._quota_project_id = quota_project_id
        self.fail = fail
        self.delay = delay
        self.refreshes = 0

    def refresh(self, request: Any) -> None:
        self.refreshes += 1
        if self.delay:
            time.sleep(self.delay)
        if self.fail is not None:
            raise self.fail
        self.token = f"fake-token-{self.refreshes}"
        self.expiry = _utcnow() + datetime.timedelta(seconds=self.lifetime)


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def chat_completion(text: str, model: str = MODEL) -> dict[str, Any]:
    """A non-streaming body in Vertex's documented shape (docs/vertex-wire.md §7 and §S1)."""
    return {"choices": [{"finish_reason": "stop", "index": 0, "logprobs": None,
                         "message": {"content": text, "role": "assistant"}}],
            "created": 1761934621, "id": "Hf0EacSvGLGN1tEP3quxSQ", "model": model,
            "object": "chat.completion", "system_fingerprint": "",
            "usage": {"completion_tokens": 18, "completion_tokens_details": {"reasoning_tokens": 41},
                      "extra_properties": {"google": {"traffic_type": "ON_DEMAND"}},
                      "prompt_tokens": 15, "total_tokens": 74}}


def ask(client: openai.OpenAI) -> str | None:
    """One chat request; the answer's text."""
    return client.chat.completions.create(model=MODEL, messages=MESSAGES).choices[0].message.content


async def aask(client: openai.AsyncOpenAI) -> str | None:
    completion = await client.chat.completions.create(model=MODEL, messages=MESSAGES)
    return completion.choices[0].message.content
