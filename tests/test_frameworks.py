"""The frameworks people put on top of the SDK, over this library's clients, against FakeVertex.

Each test drives the framework the way its documentation does and then checks what reached the server:
Google's bearer token, the request shape the framework chose, and, for tool loops on Gemini 3, that the
second request carries back the thought signature of the first reply (FakeVertex refuses it otherwise,
as Gemini 3 does). A framework that is not installed is skipped with the extra that installs it; `.ci/matrix` installs
each of them in an environment whose openai it accepts (instructor beside openai 2, the Agents SDK,
LangChain and pydantic-ai beside openai 3) and fails a combination where one does not import. pydantic-ai,
with the §12 answers it breaks on, is in `test_frameworks_pydantic_ai.py`, which uses the helpers here.
"""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from openai_vertex import async_vertex_client, vertex_client
from openai_vertex.testing import FakeVertex, Reply

GEMINI_3 = "google/gemini-3-pro-preview"

# How to install each framework these tests drive (pyproject's extras), for the skip reason.
HOW_TO_INSTALL = {
    "instructor": "pip install -e '.[instructor]' (its releases pin jiter<0.15, so beside openai 1.x or 2.x)",
    "agents": "pip install -e '.[frameworks]' (the OpenAI Agents SDK; needs openai 3)",
    "langchain_openai": "pip install -e '.[frameworks]'",
    "langchain_core.messages": "pip install -e '.[frameworks]'",
    "pydantic_ai": "pip install -e '.[frameworks]' (pydantic-ai-slim[openai]; needs openai 3)",
    "pydantic_ai.exceptions": "pip install -e '.[frameworks]' (pydantic-ai-slim[openai]; needs openai 3)",
    # The README's `vertex_http_client` snippet (tests/test_readme_frameworks.py).
    "llama_index.llms.openai_like": "pip install llama-index-llms-openai-like (it requires openai < 3)",
}


def framework(module: str) -> Any:
    """The framework's module, or a skip that says how to install it (CI's `.ci/matrix` installs each)."""
    return pytest.importorskip(module, reason=f"{module} is not installed; to run this test: {HOW_TO_INSTALL[module]}")


class Person(pydantic.BaseModel):
    name: str
    age: int


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"Sunny in {city}, 21 degrees."


def clients(fake_vertex: FakeVertex) -> tuple[Any, Any]:
    credentials = fake_vertex.service_account_credentials()
    return (vertex_client(credentials=credentials, base_url=fake_vertex.base_url, max_retries=0),
            async_vertex_client(credentials=credentials, base_url=fake_vertex.base_url, max_retries=0))


def signed_call(fake_vertex: FakeVertex, request_index: int) -> dict[str, Any]:
    """The one assistant tool call replayed in a chat request, checked to carry the signature it came with."""
    messages = fake_vertex.chat_requests[request_index].json["messages"]
    calls: list[dict[str, Any]] = [call for message in messages if message.get("role") == "assistant"
                                   for call in message.get("tool_calls") or ()]
    (call,) = calls
    issued = fake_vertex.thought_signatures[call["id"]]
    assert call["extra_content"]["google"]["thought_signature"] == issued
    return call


def assert_signed_by_google(fake_vertex: FakeVertex) -> None:
    """Every chat request went out with a token the fake's token endpoint issued."""
    assert fake_vertex.chat_requests
    assert all(request.bearer_token and request.bearer_token.startswith("ya29.") for request in fake_vertex.chat_requests)


# -- instructor ------------------------------------------------------------------------------------


def test_instructor_extracts_through_a_tool_call(fake_vertex: FakeVertex) -> None:
    instructor = framework("instructor")
    fake_vertex.script(Reply.tool_call("Person", {"name": "Ada Lovelace", "age": 36}))
    client = instructor.from_openai(clients(fake_vertex)[0])

    person = client.chat.completions.create(
        model=GEMINI_3, response_model=Person,
        messages=[{"role": "user", "content": "Ada Lovelace died at 36."}],
    )

    assert isinstance(person, Person) and person.model_dump() == {"name": "Ada Lovelace", "age": 36}
    (request,) = fake_vertex.chat_requests
    assert [tool["function"]["name"] for tool in request.json["tools"]] == ["Person"]
    assert request.json["tool_choice"] == {"type": "function", "function": {"name": "Person"}}
    assert_signed_by_google(fake_vertex)


def test_instructor_retry_sends_the_signature_back(fake_vertex: FakeVertex) -> None:
    """A reply that fails validation is sent back with the error: Gemini 3 wants its signature with it."""
    instructor = framework("instructor")
    fake_vertex.script(Reply.tool_call("Person", {"name": "Ada Lovelace", "age": "thirty-six"}),
                Reply.tool_call("Person", {"name": "Ada Lovelace", "age": 36}))
    client = instructor.from_openai(clients(fake_vertex)[0])

    person = client.chat.completions.create(
        model=GEMINI_3, response_model=Person, max_retries=1,
        messages=[{"role": "user", "content": "Ada Lovelace died at 36."}],
    )

    assert person.age == 36
    assert len(fake_vertex.chat_requests) == 2
    signed_call(fake_vertex, 1)


async def test_instructor_json_schema_mode_async(fake_vertex: FakeVertex) -> None:
    instructor = framework("instructor")
    fake_vertex.script(Reply.text('{"name": "Grace Hopper", "age": 85}'))
    client = instructor.from_openai(clients(fake_vertex)[1], mode=instructor.Mode.JSON_SCHEMA)

    person = await client.chat.completions.create(
        model="google/gemini-2.5-flash", response_model=Person,
        messages=[{"role": "user", "content": "Grace Hopper died at 85."}],
    )

    assert isinstance(person, Person) and person.model_dump() == {"name": "Grace Hopper", "age": 85}
    (request,) = fake_vertex.chat_requests
    assert request.json["response_format"]["type"] == "json_schema"
    assert request.json["response_format"]["json_schema"]["schema"]["required"] == ["name", "age"]


# -- OpenAI Agents SDK -----------------------------------------------------------------------------


def weather_agent(fake_vertex: FakeVertex, model: str = GEMINI_3) -> tuple[Any, Any]:
    agents = framework("agents")
    agent = agents.Agent(
        name="weather",
        instructions="Answer with the weather.",
        model=agents.OpenAIChatCompletionsModel(model=model, openai_client=clients(fake_vertex)[1]),
        tools=[agents.function_tool(get_weather)],
    )
    return agents, agent


@pytest.mark.parametrize("streamed", [False, True], ids=["run", "run_streamed"])
async def test_agents_tool_loop_keeps_the_thought_signature(fake_vertex: FakeVertex, streamed: bool) -> None:
    """openai-agents-python #2137: the tool call goes back to Gemini 3 with its signature."""
    agents, agent = weather_agent(fake_vertex)
    fake_vertex.script(Reply.tool_call("get_weather", {"city": "Paris"}), Reply.text("It is sunny in Paris."))
    config = agents.RunConfig(tracing_disabled=True)  # traces would otherwise go to OpenAI

    if streamed:
        result = agents.Runner.run_streamed(agent, "Weather in Paris?", run_config=config)
        async for _ in result.stream_events():
            pass
    else:
        result = await agents.Runner.run(agent, "Weather in Paris?", run_config=config)

    assert result.final_output == "It is sunny in Paris."
    assert len(fake_vertex.chat_requests) == 2
    call = signed_call(fake_vertex, 1)
    assert call["function"] == {"name": "get_weather", "arguments": '{"city": "Paris"}'}
    (tool_reply,) = [m for m in fake_vertex.chat_requests[1].json["messages"] if m["role"] == "tool"]
    assert tool_reply == {"role": "tool", "tool_call_id": call["id"], "content": "Sunny in Paris, 21 degrees."}
    assert_signed_by_google(fake_vertex)


async def test_agents_streamed_parallel_calls_stay_apart(fake_vertex: FakeVertex) -> None:
    """Vertex streams parallel calls with unstable `index` values, which the Agents SDK groups by; the
    wire layer renumbers them, so each call keeps its own id, name and arguments (and the first its signature)."""
    agents, agent = weather_agent(fake_vertex)
    fake_vertex.script(Reply.tool_calls(("get_weather", {"city": "Paris"}), ("get_weather", {"city": "Rome"})),
                Reply.text("Sunny in both."))

    result = agents.Runner.run_streamed(agent, "Weather in Paris and Rome?",
                                        run_config=agents.RunConfig(tracing_disabled=True))
    async for _ in result.stream_events():
        pass

    assert result.final_output == "Sunny in both."
    (assistant,) = [m for m in fake_vertex.chat_requests[1].json["messages"] if m["role"] == "assistant"]
    assert [call["function"]["arguments"] for call in assistant["tool_calls"]] == [
        '{"city": "Paris"}', '{"city": "Rome"}']
    first, second = assistant["tool_calls"]
    assert first["extra_content"]["google"]["thought_signature"] == fake_vertex.thought_signatures[first["id"]]
    assert "extra_content" not in second  # Vertex signs only the first of parallel calls
    tool_replies = [m for m in fake_vertex.chat_requests[1].json["messages"] if m["role"] == "tool"]
    assert [(m["tool_call_id"], m["content"]) for m in tool_replies] == [
        (first["id"], "Sunny in Paris, 21 degrees."), (second["id"], "Sunny in Rome, 21 degrees.")]


@pytest.mark.parametrize("wire_compat", [True, False], ids=["layer", "no-layer"])
async def test_agents_run_parallel_calls_under_one_id(fake_vertex: FakeVertex, wire_compat: bool) -> None:
    """docs/vertex-wire.md §12.5: two calls under one id (`tests/wire/test_ids.py`'s answer). The Agents SDK
    refuses a repeated id; the layer makes them unique, and Vertex gets Google's ids back."""
    from .wire.test_ids import REPEATED_ANSWER, REPEATED_ID

    agents = framework("agents")

    def get_current_temperature(location: str) -> str:
        """The temperature in a place."""
        return f"21 C in {location}"

    client = async_vertex_client(base_url=fake_vertex.base_url, credentials=fake_vertex.service_account_credentials(),
                                 wire_compat=wire_compat, max_retries=0)
    agent = agents.Agent(name="weather", instructions="Answer with the weather.", tools=[
        agents.function_tool(get_current_temperature)], model=agents.OpenAIChatCompletionsModel(
        model=GEMINI_3, openai_client=client))
    fake_vertex.script(Reply.raw(REPEATED_ANSWER), Reply.text("Done."))
    run = agents.Runner.run(agent, "Weather?", run_config=agents.RunConfig(tracing_disabled=True))
    if not wire_compat:
        with pytest.raises(agents.exceptions.ModelBehaviorError, match="reused a tool call ID"):
            await run
        return
    assert (await run).final_output == "Done."
    replies = [(m["tool_call_id"], m["content"]) for m in fake_vertex.chat_requests[1].json["messages"]
               if m["role"] == "tool"]
    assert replies == [(REPEATED_ID, "21 C in Paris"), (REPEATED_ID, "21 C in London")]


# -- LangChain -------------------------------------------------------------------------------------


def chat_openai(fake_vertex: FakeVertex, model: str = "google/gemini-2.5-flash") -> Any:
    langchain_openai = framework("langchain_openai")
    sync, async_ = clients(fake_vertex)
    # ChatOpenAI calls `client`/`async_client` for plain calls and streams, and `root_client` /
    # `root_async_client` for structured output: hand it all four, or it builds its own from OPENAI_API_KEY.
    return langchain_openai.ChatOpenAI(
        model=model, client=sync.chat.completions, async_client=async_.chat.completions,
        root_client=sync, root_async_client=async_,
    )


async def test_langchain_invoke_and_ainvoke(fake_vertex: FakeVertex) -> None:
    llm = chat_openai(fake_vertex)
    fake_vertex.script(Reply.text("Bonjour."), Reply.text("Hola."))

    assert llm.invoke("Say hello in French.").content == "Bonjour."
    assert (await llm.ainvoke("Say hello in Spanish.")).content == "Hola."
    assert [r.json["messages"][-1]["content"] for r in fake_vertex.chat_requests] == [
        "Say hello in French.", "Say hello in Spanish."]
    assert_signed_by_google(fake_vertex)


def test_langchain_structured_output(fake_vertex: FakeVertex) -> None:
    llm = chat_openai(fake_vertex).with_structured_output(Person)
    fake_vertex.script(Reply.text('{"name": "Alan Turing", "age": 41}'))

    assert llm.invoke("Alan Turing died at 41.") == Person(name="Alan Turing", age=41)
    (request,) = fake_vertex.chat_requests
    assert request.json["response_format"]["type"] == "json_schema"


def test_langchain_tool_loop_keeps_the_thought_signature(fake_vertex: FakeVertex) -> None:
    """LangChain rebuilds assistant messages from its own tool-call records, without `extra_content`:
    the signature can only come back from the client's wire layer, which remembers it by call id."""
    messages_module = framework("langchain_core.messages")
    llm = chat_openai(fake_vertex, GEMINI_3).bind_tools([get_weather])
    fake_vertex.script(Reply.tool_call("get_weather", {"city": "Paris"}), Reply.text("It is sunny in Paris."))

    history: list[Any] = [messages_module.HumanMessage("Weather in Paris?")]
    ai = llm.invoke(history)
    (tool_call,) = ai.tool_calls
    history += [ai, messages_module.ToolMessage(get_weather(**tool_call["args"]), tool_call_id=tool_call["id"])]
    answer = llm.invoke(history)

    assert answer.content == "It is sunny in Paris."
    assert signed_call(fake_vertex, 1)["id"] == tool_call["id"]


async def test_langchain_streams_text_and_a_tool_call(fake_vertex: FakeVertex) -> None:
    """`astream` over Vertex's stream: the text arrives in pieces, and a streamed tool call, whose deltas
    Vertex numbers unstably, comes out whole with its arguments."""
    llm = chat_openai(fake_vertex, GEMINI_3).bind_tools([get_weather])
    fake_vertex.script(Reply.text(["It is ", "sunny ", "in Paris."]), Reply.tool_call("get_weather", {"city": "Paris"}))

    pieces = [chunk.content async for chunk in llm.astream("Weather in Paris?")]
    merged: Any = None
    async for chunk in llm.astream("And now with the tool?"):
        merged = chunk if merged is None else merged + chunk

    assert len([piece for piece in pieces if piece]) == 3 and "".join(pieces) == "It is sunny in Paris."
    (tool_call,) = merged.tool_calls
    assert tool_call["name"] == "get_weather" and tool_call["args"] == {"city": "Paris"}
    assert all(request.json.get("stream") is True for request in fake_vertex.chat_requests)
    assert_signed_by_google(fake_vertex)


def test_a_missing_framework_is_skipped_with_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(HOW_TO_INSTALL, "no_such_framework", "pip install -e '.[frameworks]'")
    with pytest.raises(pytest.skip.Exception, match=r"no_such_framework is not installed; to run this test: pip install"):
        framework("no_such_framework")
