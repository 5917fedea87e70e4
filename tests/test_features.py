"""Every feature of Google's OpenAI-compatibility documentation, replayed from cassettes through the public API.

The cassettes in cassettes/test_features/ are written by scripts/cassettes_from_docs.py, which calls the
`ask_*` functions below against Google's documented response bodies: the requests recorded there are the
ones these functions make. Replays match on method, URL and body, so a test only passes when the library
sends exactly the recorded request; assertions on `vcr.requests` therefore speak about what was sent.

Tests marked `written_from_docs` need something a maintainer cannot provoke or own on demand (a 429, a
self-deployed endpoint, the older image shape, signatures Google never issued); they skip while
re-recording, before pytest-recording clears their cassette.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import textwrap
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
import pydantic
import pytest
import yaml
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionMessageParam,
    ParsedChatCompletion,
)

from openai_vertex import (
    AnswerDelta,
    DoneEvent,
    StreamEvent,
    ThoughtDelta,
    UsageEvent,
    astream_events,
    async_vertex_client,
    audio_part,
    extra_body,
    generated_images,
    image_part,
    split_thoughts,
    stream_events,
    tool_result,
    usage_summary,
    vertex_client,
)
from openai_vertex.testing import sample_png

from .doubles import CASSETTE_PROJECT, FakeCredentials

Factory = Callable[..., openai.OpenAI]
"""`vertex_client` with project and credentials bound: live/ADC when recording, fakes on replay."""

written_from_docs = pytest.mark.skipif(
    "config.getoption('--record-mode') not in (None, 'none')",
    reason="cannot be recorded live on demand; its cassette is written from Google's documented body",
)

HOST = "https://aiplatform.googleapis.com"
REGIONAL_HOST = "https://us-central1-aiplatform.googleapis.com"
JOKE: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Tell me a joke."}]
THINK = extra_body(include_thoughts=True, thought_tag_marker="think")
THOUGHTS = "The user wants a joke. A pun suits a scarecrow: 'outstanding in his field'."
ANSWER = "Why did the scarecrow win an award?\n\nBecause he was outstanding in his field!"


@pytest.fixture
def make(vertex_setup: tuple[str, Any]) -> Factory:
    project, credentials = vertex_setup
    return functools.partial(vertex_client, project=project, credentials=credentials, max_retries=0)


def sent(vcr: Any) -> list[dict[str, Any]]:
    """The JSON bodies this test sent (replays match on the body, so they are the recorded ones)."""
    return [json.loads(request.body) for request in vcr.requests]


def url(vcr: Any, number: int = 0) -> str:
    return str(vcr.requests[number].uri)


def extra(obj: object) -> Any:
    """`extra_content` of an SDK object: a field the SDK does not declare, kept as an attribute."""
    return getattr(obj, "extra_content", None)


# --- text, URLs ------------------------------------------------------------------------------------

def ask_text(make: Factory) -> ChatCompletion:
    return make().chat.completions.create(model="google/gemini-2.5-flash", messages=JOKE)


@pytest.mark.vcr
def test_text_on_the_global_v1_endpoint(make: Factory, vcr: Any) -> None:
    completion = ask_text(make)

    assert completion.choices[0].message.content == ANSWER
    assert url(vcr) == f"{HOST}/v1/projects/{CASSETTE_PROJECT}/locations/global/endpoints/openapi/chat/completions"
    usage = usage_summary(completion)  # Vertex counts thinking outside completion_tokens: 15 + 18 + 41 = 74
    assert (usage.reasoning_tokens, usage.billable_output_tokens, usage.total_tokens) == (41, 59, 74)


@pytest.mark.vcr
async def test_text_on_the_global_v1_endpoint_async(vertex_setup: tuple[str, Any], vcr: Any) -> None:
    project, credentials = vertex_setup
    client = async_vertex_client(project=project, credentials=credentials, max_retries=0)
    completion = await client.chat.completions.create(model="google/gemini-2.5-flash", messages=JOKE)
    assert completion.choices[0].message.content == ANSWER
    assert url(vcr) == f"{HOST}/v1/projects/{CASSETTE_PROJECT}/locations/global/endpoints/openapi/chat/completions"


@written_from_docs
@pytest.mark.vcr
def test_a_401_costs_exactly_one_new_token(vcr: Any) -> None:
    # A live 401 cannot be provoked on demand; the cassette holds Google's documented 401 body, then a 200.
    credentials = FakeCredentials()
    client = vertex_client(project=CASSETTE_PROJECT, credentials=credentials, max_retries=0)
    completion = client.chat.completions.create(model="google/gemini-2.5-flash", messages=JOKE)
    assert completion.choices[0].message.content == "ok"
    assert credentials.refreshes == 2 and len(vcr.requests) == 2  # one new token, one resend


pytest_plugins = ["pytester"]


def test_a_cassette_with_unplayed_interactions_fails_its_test(pytester: pytest.Pytester) -> None:
    """conftest's `_all_cassette_interactions_played`: a test that no longer plays its whole cassette fails."""
    here = Path(__file__).parent
    suite = pytester.mkpydir("tests")
    for name in ("conftest.py", "doubles.py"):
        (suite / name).write_text((here / name).read_text())
    (suite / "test_replay.py").write_text(textwrap.dedent("""
        import pytest
        from openai_vertex import vertex_client
        from tests.doubles import FakeCredentials

        @pytest.mark.vcr
        def test_one_call_of_two():
            client = vertex_client(project="openai-vertex-test", credentials=FakeCredentials())
            client.chat.completions.create(model="google/gemini-2.5-flash",
                                           messages=[{"role": "user", "content": "Tell me a joke."}])
    """))
    cassettes = here.parent / "cassettes" / "test_features"
    recorded = yaml.safe_load((cassettes / "test_text_on_the_global_v1_endpoint.yaml").read_text())
    recorded["interactions"] *= 2  # the test will play only one of these
    cassette = pytester.path / "cassettes" / "test_replay" / "test_one_call_of_two.yaml"
    cassette.parent.mkdir(parents=True)
    cassette.write_text(yaml.safe_dump(recorded))
    result = pytester.runpytest_subprocess("--block-network", "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    assert "unplayed interactions" in result.stdout.str()


# --- streaming -------------------------------------------------------------------------------------

def ask_streamed_text(make: Factory) -> list[ChatCompletionChunk]:
    stream = make().chat.completions.create(
        model="deepseek-ai/deepseek-v3.1-maas", messages=[{"role": "user", "content": "Say hello."}], stream=True
    )
    return list(stream)


@pytest.mark.vcr
def test_streaming_text_from_a_partner_model(make: Factory, vcr: Any) -> None:
    chunks = ask_streamed_text(make)

    assert "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices) == "Hello"
    assert sent(vcr)[0]["model"] == "deepseek-ai/deepseek-v3.1-maas"  # partner ids keep their publisher
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 145  # without stream_options


WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_current_weather",
        "description": "Get the current weather in a given location",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "The city and state, e.g. Boston, MA"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location"],
        },
    },
}


def ask_streamed_tool_calls(make: Factory) -> ChatCompletion:
    messages: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": "What's the weather in Boston and in New Delhi?"}
    ]
    with make().chat.completions.stream(
        model="google/gemini-3.1-pro-preview", messages=messages, tools=[WEATHER_TOOL]
    ) as stream:
        return stream.get_final_completion()


@pytest.mark.vcr
def test_streamed_parallel_tool_calls_assemble_in_the_sdk(make: Factory) -> None:
    # Vertex moves each call's `index` mid-stream; the SDK's own accumulator still gets two whole calls.
    completion = ask_streamed_tool_calls(make)

    calls = completion.choices[0].message.tool_calls or []
    arguments = [json.loads(call.function.arguments) for call in calls]  # type: ignore[union-attr]
    assert arguments == [{"location": "Boston, MA", "unit": "celsius"},
                         {"location": "New Delhi, India", "unit": "celsius"}]
    assert extra(calls[0])["google"]["thought_signature"]  # only the first parallel call is signed
    assert extra(calls[1]) is None
    assert usage_summary(completion).reasoning_tokens == 504


# --- function calling with Gemini 3 thought signatures ------------------------------------------------

TEMPERATURE_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_current_temperature",
        "description": "Get the current temperature in a given location",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]},
    },
}
TEMPERATURE_QUESTION: ChatCompletionMessageParam = {"role": "user", "content": "How warm is it in Paris and London?"}


def ask_with_tools_over_two_turns(make: Factory) -> tuple[ChatCompletion, list[Any], ChatCompletion]:
    """Turn 1 asks; turn 2 answers the calls with history rebuilt as plain dicts, as agent frameworks do."""
    client = make()
    model, tools = "google/gemini-3.1-pro-preview", [TEMPERATURE_TOOL]
    first = client.chat.completions.create(model=model, messages=[TEMPERATURE_QUESTION], tools=tools)
    calls = first.choices[0].message.tool_calls or []
    history: list[Any] = [
        TEMPERATURE_QUESTION,
        {"role": "assistant", "tool_calls": [
            {"id": call.id, "type": "function",
             "function": {"name": call.function.name, "arguments": call.function.arguments}}  # type: ignore[union-attr]
            for call in calls
        ]},
        *(tool_result(call.id, {"temperature": 15 + number, "unit": "celsius"}) for number, call in enumerate(calls)),
    ]
    second = client.chat.completions.create(model=model, messages=history, tools=tools)
    return first, history, second


@pytest.mark.vcr
def test_thought_signature_survives_a_dict_history(make: Factory, vcr: Any) -> None:
    first, history, second = ask_with_tools_over_two_turns(make)

    calls = first.choices[0].message.tool_calls or []
    assert [call.function.name for call in calls] == ["get_current_temperature"] * 2  # type: ignore[union-attr]
    signed = extra(calls[0])  # extra_content on a tool call, as the SDK returns it
    assert signed["google"]["thought_signature"]
    assert "extra_content" not in json.dumps(history)  # what the caller sent carried no signature...
    replayed = sent(vcr)[1]["messages"][1]["tool_calls"]
    assert replayed[0]["extra_content"] == signed  # ...what went over the wire did, verbatim
    assert "extra_content" not in replayed[1]  # an unsigned parallel call gets none invented
    assert second.choices[0].finish_reason == "stop" and second.choices[0].message.content


# --- image understanding; regional and v1beta1 URLs ----------------------------------------------------

def ask_about_image_bytes(make: Factory) -> ChatCompletion:
    return make().chat.completions.create(
        model="google/gemini-2.5-flash",
        messages=[{"role": "user", "content": [{"type": "text", "text": "What is in this image?"},
                                               image_part(sample_png())]}],
    )


@pytest.mark.vcr
def test_image_understanding_from_bytes(make: Factory, vcr: Any) -> None:
    completion = ask_about_image_bytes(make)

    part = sent(vcr)[0]["messages"][0]["content"][1]
    prefix = "data:image/png;base64,"  # MIME type sniffed from the bytes
    assert part["type"] == "image_url" and part["image_url"]["url"].startswith(prefix)
    assert base64.b64decode(part["image_url"]["url"][len(prefix):]) == sample_png()
    assert completion.choices[0].message.content


SCONES = "gs://cloud-samples-data/generative-ai/image/scones.jpg"
DESCRIBE_SCONES: list[ChatCompletionMessageParam] = [
    {"role": "user", "content": [{"type": "text", "text": "Describe the following image:"}, image_part(SCONES)]}
]


def ask_about_gcs_image(make: Factory) -> ChatCompletion:
    return make(location="us-central1").chat.completions.create(model="google/gemini-2.5-flash",
                                                                 messages=DESCRIBE_SCONES)


@pytest.mark.vcr
def test_image_understanding_from_gcs_on_a_regional_endpoint(make: Factory, vcr: Any) -> None:
    completion = ask_about_gcs_image(make)

    assert url(vcr) == (f"{REGIONAL_HOST}/v1/projects/{CASSETTE_PROJECT}/locations/us-central1"
                        "/endpoints/openapi/chat/completions")
    assert sent(vcr)[0]["messages"][0]["content"][1] == {"type": "image_url", "image_url": {"url": SCONES}}
    assert "scones" in (completion.choices[0].message.content or "")


def ask_streamed_about_gcs_image_v1beta1(make: Factory) -> str:
    stream = make(location="us-central1", api_version="v1beta1").chat.completions.create(
        model="google/gemini-2.5-flash", messages=DESCRIBE_SCONES, stream=True
    )
    return "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)


@pytest.mark.vcr
def test_v1beta1_streamed_image_description(make: Factory, vcr: Any) -> None:
    text = ask_streamed_about_gcs_image_v1beta1(make)

    assert url(vcr) == (f"{REGIONAL_HOST}/v1beta1/projects/{CASSETTE_PROJECT}/locations/us-central1"
                        "/endpoints/openapi/chat/completions")
    assert sent(vcr)[0]["stream"] is True
    assert text.startswith("Here's a description of the image:") and "blueberry" in text


# --- image generation ------------------------------------------------------------------------------

def ask_for_image_gemini_3(make: Factory) -> ChatCompletion:
    return make().chat.completions.create(
        model="google/gemini-3-pro-image-preview",
        messages=[{"role": "user", "content": "Generate an image of a banana."}],
        modalities=["image"],  # type: ignore[list-item]  # the SDK's type knows only text and audio
    )


@pytest.mark.vcr
def test_image_generation_in_message_audio(make: Factory, tmp_path: Path) -> None:
    completion = ask_for_image_gemini_3(make)

    [image] = generated_images(completion)
    assert image.mime_type == "image/png" and image.data.startswith(b"\x89PNG\r\n\x1a\n")
    saved = image.save(tmp_path)
    assert saved.suffix == ".png" and saved.read_bytes() == image.data
    message = completion.choices[0].message
    assert message.content is None
    assert extra(message)["google"]["thought_signature"]  # extra_content on a message


def ask_for_image_gemini_2_5(make: Factory) -> ChatCompletion:
    return make().chat.completions.create(
        model="google/gemini-2.5-flash-image-preview",
        messages=[{"role": "user", "content": "Generate an image of a banana."}],
        modalities=["image", "text"],  # type: ignore[list-item]
    )


@written_from_docs
@pytest.mark.vcr
def test_image_generation_on_the_choice(make: Factory) -> None:
    completion = ask_for_image_gemini_2_5(make)

    [image] = generated_images(completion)
    assert image.mime_type == "image/png" and image.data == sample_png()
    assert getattr(completion.choices[0], "content", None) == "Here is an image of a banana: "


# --- audio understanding ---------------------------------------------------------------------------

def silent_wav() -> bytes:
    """Ten milliseconds of 8 kHz mono silence: a real WAV file, small enough for a cassette."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\0\0" * 80)
    return buffer.getvalue()


def ask_to_transcribe(make: Factory) -> ChatCompletion:
    # Google's audio sample names the model without its publisher, as here; the library adds `google/`.
    return make().chat.completions.create(
        model="gemini-2.5-flash",
        messages=[{"role": "user", "content": [{"type": "text", "text": "Transcribe this audio"},
                                               audio_part(silent_wav())]}],
    )


@pytest.mark.vcr
def test_audio_understanding(make: Factory, vcr: Any) -> None:
    completion = ask_to_transcribe(make)

    body = sent(vcr)[0]
    audio = body["messages"][0]["content"][1]
    assert audio["type"] == "input_audio" and audio["input_audio"]["format"] == "wav"
    assert base64.b64decode(audio["input_audio"]["data"]) == silent_wav()
    assert body["model"] == "google/gemini-2.5-flash"
    assert completion.choices[0].message.content


# --- structured outputs ----------------------------------------------------------------------------

class CalendarEvent(pydantic.BaseModel):
    name: str
    date: str
    participants: list[str]


def ask_for_structured_output(make: Factory) -> ParsedChatCompletion[CalendarEvent]:
    return make().beta.chat.completions.parse(
        model="google/gemini-2.5-flash",
        messages=[{"role": "system", "content": "Extract the event information."},
                  {"role": "user", "content": "John and Susan are going to an AI conference on Friday."}],
        response_format=CalendarEvent,
    )


@pytest.mark.vcr
def test_structured_output_with_beta_parse(make: Factory, vcr: Any) -> None:
    completion = ask_for_structured_output(make)

    assert completion.choices[0].message.parsed == CalendarEvent(
        name="AI conference", date="Friday", participants=["John", "Susan"]
    )
    response_format = sent(vcr)[0]["response_format"]
    assert response_format["type"] == "json_schema" and response_format["json_schema"]["name"] == "CalendarEvent"
    assert set(response_format["json_schema"]["schema"]["properties"]) == {"name", "date", "participants"}


# --- thinking --------------------------------------------------------------------------------------

EXPLAIN_AI: list[ChatCompletionMessageParam] = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Explain to me how AI works"},
]


def ask_with_reasoning_effort(make: Factory) -> ChatCompletion:
    return make().chat.completions.create(model="google/gemini-2.5-flash", reasoning_effort="low", messages=EXPLAIN_AI)


@pytest.mark.vcr
def test_reasoning_effort(make: Factory, vcr: Any) -> None:
    completion = ask_with_reasoning_effort(make)

    body = sent(vcr)[0]
    assert body["reasoning_effort"] == "low" and "extra_body" not in body  # never both (Google's rule)
    usage = usage_summary(completion)
    assert 0 < usage.reasoning_tokens <= 1024  # low = a 1024-token thinking budget on Gemini 2.5
    assert usage.billable_output_tokens == usage.completion_tokens + usage.reasoning_tokens


def ask_with_thinking_budget(make: Factory) -> ChatCompletion:
    return make().chat.completions.create(model="google/gemini-2.5-flash", messages=EXPLAIN_AI,
                                          extra_body=extra_body(thinking_budget=1024))


@pytest.mark.vcr
def test_thinking_config_via_extra_body(make: Factory, vcr: Any) -> None:
    completion = ask_with_thinking_budget(make)

    body = sent(vcr)[0]
    # On the wire the Google fields sit under a top-level key literally named `extra_body`.
    assert body["extra_body"] == {"google": {"thinking_config": {"thinking_budget": 1024}}}
    assert "thinking_config" not in body and "google" not in body and "reasoning_effort" not in body
    assert 0 < usage_summary(completion).reasoning_tokens <= 1024


def ask_with_tagged_thoughts(make: Factory) -> ChatCompletion:
    return make().chat.completions.create(model="google/gemini-2.5-flash", messages=JOKE, extra_body=THINK)


@pytest.mark.vcr
def test_thought_tag_marker_whole(make: Factory, vcr: Any) -> None:
    completion = ask_with_tagged_thoughts(make)

    split = split_thoughts(completion.choices[0].message.content, marker="think")
    assert (split.thoughts, split.answer) == (THOUGHTS, ANSWER)
    google = sent(vcr)[0]["extra_body"]["google"]
    assert google == {"thinking_config": {"include_thoughts": True}, "thought_tag_marker": "think"}


def tagged_thought_stream_request() -> dict[str, Any]:
    return {"model": "google/gemini-2.5-flash", "messages": JOKE, "extra_body": THINK, "stream": True}


def ask_streamed_tagged_thoughts(make: Factory) -> list[StreamEvent]:
    return list(stream_events(make().chat.completions.create(**tagged_thought_stream_request()), marker="think"))


def check_thought_events(events: list[StreamEvent]) -> None:
    thoughts = "".join(event.text for event in events if isinstance(event, ThoughtDelta))
    answer = "".join(event.text for event in events if isinstance(event, AnswerDelta))
    assert (thoughts, answer) == (THOUGHTS, ANSWER)  # though the stream cuts both tags in two
    assert any(isinstance(event, UsageEvent) for event in events)
    assert events[-1] == DoneEvent("stop")


@pytest.mark.vcr
def test_thought_tag_marker_streamed(make: Factory) -> None:
    check_thought_events(ask_streamed_tagged_thoughts(make))


@pytest.mark.vcr
async def test_thought_tag_marker_streamed_async(vertex_setup: tuple[str, Any]) -> None:
    project, credentials = vertex_setup
    client = async_vertex_client(project=project, credentials=credentials, max_retries=0)
    stream = await client.chat.completions.create(**tagged_thought_stream_request())
    check_thought_events([event async for event in astream_events(stream, marker="think")])


# --- extra_content on a message, a part and a tool call -------------------------------------------------

SHIRT = "gs://openai-vertex-example/orders/green-shirt.jpg"
SIGNED_PART = {"google": {"thought_signature": "<SIGNATURE_TEXT>"}}
SIGNED_CALL = {"google": {"thought_signature": "<SIGNATURE_A>"}}


def extra_content_history() -> list[Any]:
    """A turn after a Gemini 3 tool call, carrying `extra_content` in each place Google documents it."""
    call = {"id": "function-call-1", "type": "function", "extra_content": SIGNED_CALL,
            "function": {"name": "get_order_image", "arguments": json.dumps({"item": "green shirt"})}}
    return [
        {"role": "user", "content": "Show me the green shirt I ordered last month."},
        {"role": "assistant", "tool_calls": [call],
         "content": [{"type": "text", "text": "Let me find your order.", "extra_content": SIGNED_PART}]},
        tool_result("function-call-1", {"image": {"$ref": "green-shirt.jpg"}}, parts=[SHIRT]),
    ]


def ask_with_extra_content(make: Factory) -> ChatCompletion:
    return make().chat.completions.create(model="google/gemini-3.1-pro-preview", messages=extra_content_history())


@written_from_docs
@pytest.mark.vcr
def test_extra_content_on_a_message_a_part_and_a_tool_call(make: Factory, vcr: Any) -> None:
    completion = ask_with_extra_content(make)

    _, assistant, tool = sent(vcr)[0]["messages"]
    assert assistant["content"][0]["extra_content"] == SIGNED_PART  # on a content part
    assert assistant["tool_calls"][0]["extra_content"] == SIGNED_CALL  # on a tool call
    assert tool["extra_content"] == {"google": {"parts": [  # on a message: the function response's media
        {"file_data": {"mime_type": "image/jpeg", "display_name": "green-shirt.jpg", "file_uri": SHIRT}}]}}
    assert completion.choices[0].message.content == "Here is the image of the green shirt you ordered."


# --- self-deployed endpoints -----------------------------------------------------------------------

SERVED_MODEL = "gemma-3-12b-it"


def ask_self_deployed(make: Factory) -> ChatCompletion:
    client = make(endpoint="1234567890", location="us-central1")
    return client.chat.completions.create(model=SERVED_MODEL, messages=JOKE)


@written_from_docs
@pytest.mark.vcr
def test_self_deployed_endpoint_takes_the_served_model_id(make: Factory, vcr: Any) -> None:
    completion = ask_self_deployed(make)

    assert url(vcr) == (f"{REGIONAL_HOST}/v1/projects/{CASSETTE_PROJECT}/locations/us-central1"
                        "/endpoints/1234567890/chat/completions")
    assert sent(vcr)[0]["model"] == SERVED_MODEL  # no `google/` added outside the openapi endpoint
    assert completion.model == SERVED_MODEL and completion.choices[0].message.content


# --- errors ----------------------------------------------------------------------------------------

def ask_with_unsigned_history(make: Factory) -> ChatCompletion:
    """History from elsewhere: a Gemini 3 call this client never saw, without its signature."""
    call = {"id": "function-call-1", "type": "function",
            "function": {"name": "get_current_temperature", "arguments": json.dumps({"location": "Paris"})}}
    history: list[Any] = [TEMPERATURE_QUESTION, {"role": "assistant", "tool_calls": [call]},
                          tool_result("function-call-1", {"temperature": 15, "unit": "celsius"})]
    return make().chat.completions.create(model="google/gemini-3-pro-preview", messages=history,
                                          tools=[TEMPERATURE_TOOL])


@pytest.mark.vcr
def test_missing_thought_signature_is_a_bad_request_with_googles_message(make: Factory, vcr: Any) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        ask_with_unsigned_history(make)

    error = caught.value  # Vertex sent `[{"error": ...}]`; unwrapped, the SDK's exception has Google's fields
    assert "missing a `thought_signature`" in error.message
    assert error.status_code == 400
    assert isinstance(error.body, dict) and (error.body["code"], error.body["status"]) == (400, "INVALID_ARGUMENT")
    assert "extra_content" not in sent(vcr)[0]["messages"][1]["tool_calls"][0]  # none was invented


@written_from_docs
@pytest.mark.vcr
def test_quota_exhausted_is_a_rate_limit_error_with_googles_message(make: Factory) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        ask_text(make)

    error = caught.value
    assert error.status_code == 429 and "Resource exhausted. Please try again later." in error.message
    assert isinstance(error.body, dict) and error.body["status"] == "RESOURCE_EXHAUSTED"
    assert error.body["errors"][0]["reason"] == "rateLimitExceeded"
