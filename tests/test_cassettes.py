"""The SDK's main paths replayed from cassettes (written from Google's documented bodies; see cassettes/README.md)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml

from openai_vertex import async_vertex_client, vertex_client

from .conftest import FakeCredentials

USER = [{"role": "user", "content": "Tell me a joke."}]


class Rivers(pydantic.BaseModel):
    rivers: list[str]


@pytest.mark.vcr
def test_chat_completion_sync(vertex_setup: tuple[str, Any]) -> None:
    project, creds = vertex_setup
    client = vertex_client(project=project, credentials=creds)
    completion = client.chat.completions.create(model="google/gemini-2.5-flash", messages=USER)
    assert "outstanding in his field" in (completion.choices[0].message.content or "")
    assert completion.model == "google/gemini-2.5-flash"


@pytest.mark.vcr
async def test_chat_completion_async(vertex_setup: tuple[str, Any]) -> None:
    project, creds = vertex_setup
    client = async_vertex_client(project=project, credentials=creds)
    completion = await client.chat.completions.create(model="google/gemini-2.5-flash", messages=USER)
    assert "outstanding in his field" in (completion.choices[0].message.content or "")


@pytest.mark.vcr
def test_streaming(vertex_setup: tuple[str, Any]) -> None:
    project, creds = vertex_setup
    client = vertex_client(project=project, credentials=creds)
    stream = client.chat.completions.create(model="google/gemini-2.5-flash", messages=USER, stream=True)
    chunks = list(stream)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text.startswith("Why did the scarecrow")
    assert chunks[-1].usage is not None  # Vertex sends usage on the last chunk without stream_options


@pytest.mark.vcr
def test_structured_output_parse(vertex_setup: tuple[str, Any]) -> None:
    project, creds = vertex_setup
    client = vertex_client(project=project, credentials=creds)
    completion = client.beta.chat.completions.parse(
        model="google/gemini-2.5-flash", messages=[{"role": "user", "content": "List South American rivers."}],
        response_format=Rivers)
    parsed = completion.choices[0].message.parsed
    assert isinstance(parsed, Rivers) and "Amazon River" in parsed.rivers


@pytest.mark.skipif("config.getoption('--record-mode') not in (None, 'none')",
                    reason="a live 401 cannot be provoked on demand; its cassette is written from the documented body")
@pytest.mark.vcr
def test_401_refresh_then_200() -> None:
    creds = FakeCredentials()
    client = vertex_client(project="openai-vertex-test", credentials=creds, max_retries=0)
    completion = client.chat.completions.create(model="google/gemini-2.5-flash", messages=USER)
    assert completion.choices[0].message.content == "ok"
    assert creds.refreshes == 2  # the 401 cost exactly one new token


pytest_plugins = ["pytester"]


def test_a_cassette_with_unplayed_interactions_fails_its_test(pytester: pytest.Pytester) -> None:
    here = Path(__file__).parent
    suite = pytester.mkpydir("tests")
    (suite / "conftest.py").write_text((here / "conftest.py").read_text())
    (suite / "test_replay.py").write_text(textwrap.dedent("""
        import pytest
        from openai_vertex import vertex_client
        from tests.conftest import FakeCredentials

        @pytest.mark.vcr
        def test_one_call_of_two():
            client = vertex_client(project="openai-vertex-test", credentials=FakeCredentials())
            client.chat.completions.create(model="google/gemini-2.5-flash",
                                           messages=[{"role": "user", "content": "Tell me a joke."}])
    """))
    recorded = yaml.safe_load((here.parent / "cassettes/test_cassettes/test_chat_completion_sync.yaml").read_text())
    recorded["interactions"] *= 2  # the test will play only one of these
    cassette = pytester.path / "cassettes" / "test_replay" / "test_one_call_of_two.yaml"
    cassette.parent.mkdir(parents=True)
    cassette.write_text(yaml.safe_dump(recorded))
    result = pytester.runpytest_subprocess("--block-network", "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    assert "unplayed interactions" in result.stdout.str()
