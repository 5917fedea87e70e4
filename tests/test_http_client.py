"""`vertex_http_client`: a Vertex-ready HTTP client for frameworks that build their own OpenAI client."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from openai_vertex import async_vertex_http_client, vertex_http_client
from openai_vertex._compat import FAMILIES
from openai_vertex.testing import FakeVertex

from .compat import SDK_HTTP

HI: Any = [{"role": "user", "content": "hi"}]


def test_an_sdk_client_built_on_it_reaches_vertex_signed_and_rewritten(fake_vertex: FakeVertex) -> None:
    # What llama-index's OpenAILike does with `api_base=` and `http_client=`.
    http = vertex_http_client(base_url=fake_vertex.base_url, credentials=fake_vertex.service_account_credentials())
    assert str(http.base_url).rstrip("/") == fake_vertex.base_url
    client = openai.OpenAI(api_key="anything", base_url=str(http.base_url), http_client=http, max_retries=0)
    answer = client.chat.completions.create(model="gemini-2.5-flash", messages=HI)
    assert answer.choices[0].message.content == "echo: hi"
    sent = fake_vertex.chat_requests[0]
    assert sent.json["model"] == "google/gemini-2.5-flash"  # the wire layer's publisher prefix
    assert sent.bearer_token != "anything"  # FakeVertex accepted it: a Google token, not the framework's key


async def test_the_async_twin(fake_vertex: FakeVertex) -> None:
    http = async_vertex_http_client(base_url=fake_vertex.base_url,
                                    credentials=fake_vertex.service_account_credentials())
    assert isinstance(http, tuple(family.AsyncClient for family in FAMILIES))
    async with openai.AsyncOpenAI(api_key="anything", base_url=str(http.base_url), http_client=http,
                                  max_retries=0) as client:
        answer = await client.chat.completions.create(model="gemini-2.5-flash", messages=HI)
    assert answer.choices[0].message.content == "echo: hi"


def test_a_client_of_your_own_is_equipped_in_place(fake_vertex: FakeVertex) -> None:
    mine = SDK_HTTP.Client(timeout=7)
    http = vertex_http_client(base_url=fake_vertex.base_url, credentials=fake_vertex.service_account_credentials(),
                              http_client=mine)
    assert http is mine and http.timeout.read == 7


def test_bad_settings_fail_as_they_do_for_vertex_client() -> None:
    with pytest.raises(ValueError, match="location"):
        vertex_http_client(project="my-project-1", location="Not A Region")
