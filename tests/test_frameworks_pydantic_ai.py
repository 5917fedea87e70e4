"""pydantic-ai's `OpenAIChatModel` over `async_vertex_client`, against FakeVertex.

A Gemini 3 tool loop first, then the answers of docs/vertex-wire.md §12 that break pydantic-ai rather than
the SDK (issue 12, items 2-5), each beside the same answer with `wire_compat=False` to show what pydantic-ai
does without the layer. The bodies are the ones `tests/wire/` serves to the bare SDK (`tests/wire/samples.py`,
built from §12's reports in the envelopes of §S1 and §S2); FakeVertex sends them as they are (`Reply.raw`).
pydantic-ai takes only an `AsyncOpenAI`, so `Agent.run_sync` drives the async client too.
Skipped, with the extra that installs it, where pydantic-ai is not installed (`tests/test_frameworks.py`).
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
from typing import Any

import pytest

from openai_vertex import async_vertex_client
from openai_vertex.testing import FakeVertex, Reply

from .test_frameworks import GEMINI_3, assert_signed_by_google, framework, signed_call
from .wire import samples
from .wire.test_ids import REPEATED_ANSWER, REPEATED_ID, REPEATED_SSE

try:
    from pydantic_ai.exceptions import UnexpectedModelBehavior
except ImportError:  # not installed: every test here skips, saying how to install it
    UnexpectedModelBehavior = Exception  # type: ignore[assignment,misc]

# pydantic-ai-slim's release, as (major, minor); (0, 0) where it is not installed (every test here skips then).
try:
    PYDANTIC_AI = tuple(int(part) for part in importlib.metadata.version("pydantic-ai-slim").split(".")[:2])
except importlib.metadata.PackageNotFoundError:
    PYDANTIC_AI = (0, 0)

# The finish reasons pydantic-ai maps Chat Completions' five to (`pydantic_ai.messages.FinishReason`).
TOOL_CALL, STOP = "tool_call", "stop"
_USAGE = {"completion_tokens": 12, "prompt_tokens": 30, "total_tokens": 42}


# The tools the samples call (their arguments are `location`, as in Google's examples).
def get_weather(location: str) -> str:
    """The weather in a city."""
    return f"Sunny in {location}, 21 degrees."


def get_current_temperature(location: str) -> str:
    """The temperature in a city."""
    return f"21 C in {location}"


def agent(fake_vertex: FakeVertex, *, wire_compat: bool = True) -> Any:
    """An Agent as pydantic-ai's docs build one for an OpenAI-compatible server: `OpenAIProvider(openai_client=...)`."""
    framework("pydantic_ai")
    from pydantic_ai import Agent
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    client = async_vertex_client(credentials=fake_vertex.service_account_credentials(), base_url=fake_vertex.base_url,
                                 max_retries=0, wire_compat=wire_compat)
    return Agent(OpenAIChatModel(GEMINI_3, provider=OpenAIProvider(openai_client=client)),
                 tools=[get_weather, get_current_temperature])


async def run(agent: Any, how: str, **options: Any) -> tuple[Any, list[Any]]:
    """`Agent.run`, `Agent.run_sync` (in a worker thread: it runs its own event loop) or `Agent.run_stream`
    read to its end: the output, and pydantic-ai's record of each answer (`ModelResponse`), in order."""
    if how == "run_stream":
        async with agent.run_stream("Weather?", **options) as streamed:
            output = await streamed.get_output()
        return output, responses(streamed.all_messages())
    if how == "run_sync":
        result = await asyncio.to_thread(agent.run_sync, "Weather?", **options)
    else:
        result = await agent.run("Weather?", **options)
    return result.output, responses(result.all_messages())


def responses(messages: list[Any]) -> list[Any]:
    return [message for message in messages if message.kind == "response"]


def sse(body: bytes) -> Reply:
    return Reply.raw(body, headers={"Content-Type": "text/event-stream"})


def tool_replies(fake_vertex: FakeVertex, request_index: int = 1) -> list[tuple[str, str]]:
    """The `(tool_call_id, content)` of the tool results a chat request carried."""
    messages = fake_vertex.chat_requests[request_index].json["messages"]
    return [(m["tool_call_id"], m["content"]) for m in messages if m["role"] == "tool"]


# -- a tool loop ------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["run", "run_sync", "run_stream"])
async def test_pydantic_ai_tool_loop_keeps_the_thought_signature(fake_vertex: FakeVertex, how: str) -> None:
    """Gemini 3 wants its signature back with the call (docs/vertex-wire.md §6); FakeVertex refuses it otherwise."""
    weather = agent(fake_vertex)
    fake_vertex.script(Reply.tool_call("get_weather", {"location": "Paris"}), Reply.text("It is sunny in Paris."))

    output, answers = await run(weather, how)

    assert output == "It is sunny in Paris."
    call = signed_call(fake_vertex, 1)
    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {"location": "Paris"}
    assert tool_replies(fake_vertex) == [(call["id"], "Sunny in Paris, 21 degrees.")]
    assert [answer.finish_reason for answer in answers] == [TOOL_CALL, STOP]
    assert_signed_by_google(fake_vertex)


# -- §12.2: `stop` beside tool calls ----------------------------------------------------------------

# §12.2 (open-webui/computer#224), streamed: a signed call, then a finishing chunk that says `stop`.
STOP_AFTER_CALL_SSE = samples.stream(
    samples.chunk({"delta": {"role": "assistant", "tool_calls": [
        {"index": 0, "id": "function-call-1", "type": "function", "extra_content": samples.SIGNATURE,
         "function": {"name": "get_weather", "arguments": '{"location":"Sydney"}'}}]}, "index": 0}),
    samples.chunk({"delta": {}, "finish_reason": "stop", "index": 0}, usage=_USAGE),
)
STOP_BESIDE_CALLS = [
    # §12.2 on §S6's two calls (Paris, London), whole.
    ("run", samples.STOP_WITH_CALLS_ANSWER, ["21 C in Paris", "21 C in London"]),
    ("run_stream", STOP_AFTER_CALL_SSE, ["Sunny in Sydney, 21 degrees."]),
]


@pytest.mark.parametrize(("how", "body", "results"), STOP_BESIDE_CALLS, ids=["run", "run_stream"])
@pytest.mark.parametrize("wire_compat", [True, False], ids=["layer", "without_layer"])
async def test_pydantic_ai_records_a_tool_call_answer_as_one(fake_vertex: FakeVertex, how: str, body: bytes,
                                                              results: list[str], wire_compat: bool) -> None:
    """docs/vertex-wire.md §12.2. pydantic-ai runs the calls whatever the finish reason says, but records it
    on the `ModelResponse` (and in its OpenTelemetry spans): without the layer, an answer made of tool calls
    "finished with stop"."""
    fake_vertex.script(Reply.raw(body) if how == "run" else sse(body), Reply.text("Done."))
    output, answers = await run(agent(fake_vertex, wire_compat=wire_compat), how)

    assert output == "Done."
    first = answers[0]
    assert {part.part_kind for part in first.parts} == {"tool-call"}
    assert [content for _, content in tool_replies(fake_vertex)] == results
    assert first.finish_reason == (TOOL_CALL if wire_compat else STOP)


# -- §12.3: Google's finish reasons ------------------------------------------------------------------


def finished_with(reason: str, how: str, text: str | None) -> Reply:
    """§12.3: an answer (`text`, or none) that ended with Google's `reason`, streamed or not. The streamed
    one keeps its `delta`, which §12.1 says Vertex may drop, so that only the finish reason is at stake."""
    if how == "run":
        message = {"role": "assistant", "content": text}
        return Reply.raw(samples.answer({"finish_reason": reason, "index": 0, "logprobs": None, "message": message},
                                        usage=_USAGE))
    chunks = [samples.chunk({"delta": {"role": "assistant", "content": text}, "index": 0})] if text else []
    finish = samples.chunk({"delta": {}, "finish_reason": reason, "index": 0}, usage=_USAGE)
    return sse(samples.stream(*chunks, finish))


GOOGLE_REASONS = [("safety", "content_filter"), ("recitation", "content_filter"),
                  ("prohibited_content", "content_filter"), ("max_tokens", "length"),
                  ("malformed_function_call", STOP), ("finish_reason_unspecified", STOP)]
UNMAPPED = {"openai_include_unmapped_response_data": True}


@pytest.mark.parametrize("how", ["run", "run_stream"])
@pytest.mark.parametrize(("reason", "expected"), GOOGLE_REASONS)
async def test_pydantic_ai_reads_google_finish_reasons(fake_vertex: FakeVertex, how: str, reason: str,
                                                       expected: str) -> None:
    """docs/vertex-wire.md §12.3: each reaches pydantic-ai as one of OpenAI's five, and Google's own value stays readable in
    `provider_details` (`openai_include_unmapped_response_data`), from `extra_content.google.finish_reason`."""
    fake_vertex.script(finished_with(reason, how, "The answer is"))
    (response,) = (await run(agent(fake_vertex), how, model_settings=UNMAPPED))[1]
    assert response.finish_reason == expected
    unmapped = response.provider_details["unmapped"]
    choice = unmapped["choice"] if how == "run" else unmapped["chunks"][-1]["choice"]
    assert choice["extra_content"] == {"google": {"finish_reason": reason}}


@pytest.mark.parametrize("how", ["run", "run_stream"])
@pytest.mark.parametrize("reason", [reason for reason, _ in GOOGLE_REASONS])
async def test_pydantic_ai_without_layer_does_not_know_google_finish_reasons(fake_vertex: FakeVertex, how: str,
                                                                            reason: str) -> None:
    # docs/vertex-wire.md §12.3. Today's pydantic-ai reads a value outside OpenAI's five as "unknown"; older
    # releases (1.0.2, checked) failed validation instead (pydantic-ai #2844, #7816).
    fake_vertex.script(finished_with(reason, how, "The answer is"))
    (response,) = (await run(agent(fake_vertex, wire_compat=False), how))[1]
    assert response.finish_reason is None


@pytest.mark.parametrize("how", ["run", "run_stream"])
@pytest.mark.parametrize("reason", ["safety", "prohibited_content"])
async def test_pydantic_ai_stops_at_a_blocked_answer(fake_vertex: FakeVertex, how: str, reason: str) -> None:
    """docs/vertex-wire.md §12.3: an empty answer blocked by Google's filters raises pydantic-ai's
    `ContentFilterError`, and the prompt is not sent again."""
    exceptions = framework("pydantic_ai.exceptions")
    fake_vertex.script(finished_with(reason, how, None), Reply.text("Done."))
    with pytest.raises(exceptions.ContentFilterError):
        await run(agent(fake_vertex), how)
    assert len(fake_vertex.chat_requests) == 1


@pytest.mark.parametrize("how", ["run", "run_stream"])
@pytest.mark.parametrize("reason", ["safety", "prohibited_content"])
async def test_pydantic_ai_without_layer_asks_again_after_a_blocked_answer(fake_vertex: FakeVertex, how: str,
                                                                          reason: str) -> None:
    # docs/vertex-wire.md §12.3: pydantic-ai reads the answer as empty, and sends the blocked prompt again.
    fake_vertex.script(finished_with(reason, how, None), Reply.text("Done."))
    assert (await run(agent(fake_vertex, wire_compat=False), how))[0] == "Done."
    first, second = (request.json["messages"] for request in fake_vertex.chat_requests)
    assert second[0] == first[0] == {"role": "user", "content": "Weather?"}


# -- §12.4: metadata-only tool-call deltas ------------------------------------------------------------


async def test_pydantic_ai_streams_a_call_whose_signature_comes_first(fake_vertex: FakeVertex) -> None:
    """§12.4 (open-webui/computer#224): the signature in a delta of its own, before its call. One call, run
    once, sent back with its signature. (The same delta after its call pydantic-ai files under the last
    call by itself, with the layer or without: that order needs nothing from the layer here.)"""
    fake_vertex.script(sse(samples.METADATA_BEFORE_CALL_SSE), Reply.text("Done."))
    output, answers = await run(agent(fake_vertex), "run_stream")

    assert output == "Done."
    (call,) = answers[0].parts
    assert (call.tool_call_id, call.args) == ("function-call-1", '{"location":"Sydney"}')
    assert tool_replies(fake_vertex) == [("function-call-1", "Sunny in Sydney, 21 degrees.")]
    (replayed,) = fake_vertex.chat_requests[1].json["messages"][1]["tool_calls"]
    assert replayed["extra_content"] == samples.SIGNATURE


async def test_pydantic_ai_without_layer_loses_a_leading_metadata_delta(fake_vertex: FakeVertex) -> None:
    # docs/vertex-wire.md §12.4. pydantic-ai files deltas by `index`; one without index or function updates "the last
    # call" (`_parts_manager.handle_tool_call_delta`). Before 2.78 (2.68 checked) there was none yet: IndexError.
    # 2.78 opens a part for it that the call then fills, and the signature it carried never goes back to Vertex,
    # which refuses a Gemini 3 history without it (§6).
    fake_vertex.script(sse(samples.METADATA_BEFORE_CALL_SSE), Reply.text("Done."))
    if PYDANTIC_AI < (2, 78):
        with pytest.raises(IndexError):
            await run(agent(fake_vertex, wire_compat=False), "run_stream")
        return
    await run(agent(fake_vertex, wire_compat=False), "run_stream")
    (replayed,) = fake_vertex.chat_requests[1].json["messages"][1]["tool_calls"]
    assert replayed["function"] == {"name": "get_weather", "arguments": '{"location":"Sydney"}'}
    assert "extra_content" not in replayed


# -- §12.5: repeated tool-call ids ----------------------------------------------------------------------


@pytest.mark.parametrize(("how", "reply"), [("run", Reply.raw(REPEATED_ANSWER)), ("run_stream", sse(REPEATED_SSE))],
                         ids=["run", "run_stream"])
async def test_pydantic_ai_runs_parallel_calls_under_one_id(fake_vertex: FakeVertex, how: str, reply: Reply) -> None:
    """docs/vertex-wire.md §12.5: two parallel calls under one id (older Gemini used the function name as the
    id; Google's Grok sample repeats one), the first signed as in §S6."""
    fake_vertex.script(reply, Reply.text("Done."))
    output, _ = await run(agent(fake_vertex), how)

    assert output == "Done."
    assert [content for _, content in tool_replies(fake_vertex)] == ["21 C in Paris", "21 C in London"]
    # Vertex gets Google's ids back, in the order it sent them.
    assert [call_id for call_id, _ in tool_replies(fake_vertex)] == [REPEATED_ID, REPEATED_ID]


@pytest.mark.parametrize(("how", "reply"), [("run", Reply.raw(REPEATED_ANSWER)), ("run_stream", sse(REPEATED_SSE))],
                         ids=["run", "run_stream"])
async def test_without_the_layer_pydantic_ai_refuses_calls_under_one_id(fake_vertex: FakeVertex, how: str,
                                                                       reply: Reply) -> None:
    fake_vertex.script(reply, Reply.text("Done."))
    with pytest.raises(UnexpectedModelBehavior):
        await run(agent(fake_vertex, wire_compat=False), how)
