"""`FakeVertex.client()` / `async_client()`, and the default reply to structured-output requests."""

from __future__ import annotations

import datetime
import enum
import json

import openai
import pydantic
import pytest

from openai_vertex import vertex_client
from openai_vertex.testing import FakeVertex
from openai_vertex.testing._schema import example

HI: list[dict[str, str]] = [{"role": "user", "content": "hi"}]
DEAD_PROXY = "http://127.0.0.1:9"  # nothing listens on the discard port


@pytest.fixture
def behind_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, DEAD_PROXY)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)


def test_the_fakes_clients_ignore_proxy_settings(fake_vertex: FakeVertex, behind_a_proxy: None) -> None:
    with fake_vertex.client(max_retries=0) as client:
        answer = client.chat.completions.create(model="google/gemini-2.5-flash", messages=HI)  # type: ignore[arg-type]
    assert answer.choices[0].message.content == "echo: hi"
    assert len(fake_vertex.chat_requests) == 1


async def test_the_fakes_async_client_ignores_proxy_settings(fake_vertex: FakeVertex, behind_a_proxy: None) -> None:
    async with fake_vertex.async_client(max_retries=0) as client:
        answer = await client.chat.completions.create(model="google/gemini-2.5-flash", messages=HI)  # type: ignore[arg-type]
    assert answer.choices[0].message.content == "echo: hi"


def test_a_plain_client_goes_to_the_proxy(fake_vertex: FakeVertex, behind_a_proxy: None) -> None:
    """Why `client()` exists: the same request from an ordinary client fails behind a proxy."""
    client = vertex_client(base_url=fake_vertex.base_url, credentials=fake_vertex.service_account_credentials(),
                           max_retries=0)
    with pytest.raises(openai.APIConnectionError):
        client.chat.completions.create(model="google/gemini-2.5-flash", messages=HI)  # type: ignore[arg-type]
    assert fake_vertex.chat_requests == []


class Size(enum.Enum):
    SMALL = "small"
    LARGE = "large"


class Address(pydantic.BaseModel):
    street: str = pydantic.Field(min_length=12)
    postcode: int = pydantic.Field(gt=999, le=9999)


class City(pydantic.BaseModel):
    name: str
    founded: datetime.date
    updated: datetime.datetime
    size: Size
    area_km2: float = pydantic.Field(ge=0.5)
    districts: list[str] = pydantic.Field(min_length=2)
    mayor: str | None
    address: Address
    twin: City | None


def test_parse_gets_an_object_its_schema_accepts(fake_vertex: FakeVertex) -> None:
    with fake_vertex.client(max_retries=0) as client:
        completion = client.beta.chat.completions.parse(model="google/gemini-2.5-flash", messages=HI,  # type: ignore[arg-type]
                                                        response_format=City)
    city = completion.choices[0].message.parsed
    assert isinstance(city, City) and city.size is Size.SMALL and len(city.districts) == 2
    assert len(city.address.street) >= 12 and 999 < city.address.postcode <= 9999 and city.area_km2 >= 0.5


def test_json_mode_gets_a_json_object(fake_vertex: FakeVertex) -> None:
    with fake_vertex.client(max_retries=0) as client:
        completion = client.chat.completions.create(model="google/gemini-2.5-flash", messages=HI,  # type: ignore[arg-type]
                                                    response_format={"type": "json_object"})
    assert json.loads(completion.choices[0].message.content or "") == {"echo": "hi"}


def test_a_recursive_schema_ends_at_its_optional_branch() -> None:
    node = {"type": "object", "properties": {"child": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]}}}
    schema = {"type": "object", "properties": {"a": {"type": "array", "items": {"$ref": "#/$defs/Node"},
                                                     "minItems": 1}}, "$defs": {"Node": node}}
    assert example(schema) == {"a": [{"child": None}]}


def test_a_reference_outside_the_schema_is_refused_with_a_way_out() -> None:
    with pytest.raises(ValueError, match="only local references"):
        example({"$ref": "https://example.com/schema.json"})
