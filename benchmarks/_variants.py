"""The variants `bench_alternatives.py` compares: each a way of giving `openai.AsyncOpenAI` Google credentials.

Each factory takes the base URL and the credentials, and returns the object whose
`.chat.completions.create` is called and the client to close afterwards: an async client dropped
unclosed is closed by the garbage collector, and a socket closed that way under a running event loop can
leave another connection's reads unwatched, so that requests hang until their timeout.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import google.auth.transport.requests
import openai

from openai_vertex import async_vertex_client

MODEL = "google/gemini-2.5-flash"
MESSAGES: Any = [{"role": "user", "content": "Say hello."}]
# No retries, so that every failure is counted; a timeout long enough never to cut a healthy request.
CLIENT_OPTIONS: dict[str, Any] = {"max_retries": 0, "timeout": 30}
Variant = tuple[Any, Any]


def library(base_url: str, creds: Any) -> Variant:
    client = async_vertex_client(base_url=base_url, credentials=creds, **CLIENT_OPTIONS)
    return client, client


def library_without_wire_layer(base_url: str, creds: Any) -> Variant:
    """The library with only its auth: separates VertexAuth's cost from the wire compatibility layer's."""
    client = async_vertex_client(base_url=base_url, credentials=creds, wire_compat=False, **CLIENT_OPTIONS)
    return client, client


def api_key_callable(base_url: str, creds: Any) -> Variant:
    transport = google.auth.transport.requests.Request()

    async def api_key() -> str:
        if not creds.valid:
            await asyncio.to_thread(creds.refresh, transport)
        return str(creds.token)

    client = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, **CLIENT_OPTIONS)
    return client, client


def api_key_callable_locked(base_url: str, creds: Any) -> Variant:
    transport = google.auth.transport.requests.Request()
    lock: asyncio.Lock | None = None

    async def api_key() -> str:
        nonlocal lock
        if not creds.valid:
            lock = lock or asyncio.Lock()  # made lazily, inside the running loop
            async with lock:
                if not creds.valid:
                    await asyncio.to_thread(creds.refresh, transport)
        return str(creds.token)

    client = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, **CLIENT_OPTIONS)
    return client, client


class OpenAICredentialsRefresher:
    """Google's documented wrapper, as published, except: AsyncOpenAI, and credentials passed in
    (the sample calls `google.auth.default()`, which returns this same kind of object for a key file)."""

    def __init__(self, credentials: Any, **kwargs: Any) -> None:
        self.client = openai.AsyncOpenAI(**kwargs, api_key="PLACEHOLDER")
        self.creds = credentials

    def __getattr__(self, name: str) -> Any:
        if not self.creds.valid:
            self.creds.refresh(google.auth.transport.requests.Request())
            if not self.creds.valid:
                raise RuntimeError("Unable to refresh auth")
            self.client.api_key = self.creds.token
        return getattr(self.client, name)


def refresher_wrapper(base_url: str, creds: Any) -> Variant:
    wrapper = OpenAICredentialsRefresher(creds, base_url=base_url, **CLIENT_OPTIONS)
    return wrapper, wrapper.client


def openai_provider(base_url: str, creds: Any) -> Variant:
    from openai.providers import vertex

    client = openai.AsyncOpenAI(provider=vertex(base_url=base_url, credentials=creds), **CLIENT_OPTIONS)
    return client, client


def available_variants() -> tuple[dict[str, Callable[[str, Any], Variant]], list[str]]:
    variants: dict[str, Callable[[str, Any], Variant]] = {"openai-vertex": library}
    skipped = []
    annotation = str(inspect.signature(openai.AsyncOpenAI.__init__).parameters["api_key"].annotation)
    if "Callable" in annotation:
        variants["api_key callable"] = api_key_callable
        variants["api_key callable + lock"] = api_key_callable_locked
    else:
        skipped.append(f"api_key callable: openai {openai.__version__} takes only a string api_key")
    variants["Refresher wrapper"] = refresher_wrapper
    try:
        from openai.providers import vertex  # noqa: F401
    except ImportError:
        skipped.append(f"openai providers.vertex: absent from openai {openai.__version__}")
    else:
        variants["openai providers.vertex"] = openai_provider
    return variants, skipped
