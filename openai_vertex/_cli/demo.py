"""`openai-vertex demo`: the library end to end against FakeVertex, with no Google account and no network."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import openai

from .._client import vertex_client
from .._gemini import AnswerDelta, ThoughtDelta, extra_body, generated_images, stream_events
from ..testing import FakeVertex, Reply

IMAGE_FILE = "openai-vertex-demo.png"
_MODEL = "google/gemini-2.5-flash"  # FakeVertex answers any publisher/model name alike
_MARKER = "think"
_WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}

Say = Callable[[str], None]
Step = Callable[[Any, Any, Say], None]


class _StepFailed(Exception):
    """A step did not behave as the library promises."""


def _expect(condition: bool, failure: str) -> None:
    if not condition:
        raise _StepFailed(failure)


def run_demo(out: TextIO, image_path: Path | None = None) -> int:
    """Run every step, printing what happens; 0 when all behaved as promised.

    The generated image goes to `image_path`, else into a new temporary folder (named in the output), so a
    try-out leaves nothing in the folder it ran from. Starting FakeVertex needs `cryptography` (the `testing`
    extra), unlike the other commands.
    """
    if image_path is None:
        image_path = Path(tempfile.mkdtemp(prefix="openai-vertex-demo-")) / IMAGE_FILE

    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    say("openai-vertex demo: a real openai.OpenAI client talking to FakeVertex, a local stand-in for")
    say("Vertex AI and Google's token endpoint (scripted replies; no Google account, no network).")
    # Only loopback traffic: a proxy from the environment (HTTP_PROXY, ...) could not reach FakeVertex.
    with FakeVertex() as fake, vertex_client(credentials=fake.service_account_credentials(), base_url=fake.base_url,
                                             http_client=openai.DefaultHttpxClient(trust_env=False)) as client:
        say(f"client base URL: {client.base_url}")
        say(f"credentials: service account {fake.service_account_email}, token fetched on first use")
        for number, (title, step) in enumerate(_steps(image_path), 1):
            say()
            say(f"{number}. {title}")
            try:
                step(fake, client, lambda text: say(f"   {text}"))
            except _StepFailed as failure:
                say(f"   FAILED: {failure}")
                return 1
    say()
    say("All steps passed. Point the same code at Vertex AI with vertex_client(); check a setup with")
    say("`openai-vertex doctor`.")
    return 0


def _chat(fake: Any, client: Any, say: Say) -> None:
    fake.script(Reply.text("The capital of France is Paris."))
    question = "What is the capital of France?"
    completion = client.chat.completions.create(model=_MODEL, messages=[{"role": "user", "content": question}])
    answer = completion.choices[0].message.content
    say(f"> {question}")
    say(f"< {answer}")
    _expect(answer == "The capital of France is Paris.", f"unexpected answer {answer!r}")
    say(f"usage: {completion.usage.prompt_tokens} prompt + {completion.usage.completion_tokens} completion tokens")


def _stream_with_thoughts(fake: Any, client: Any, say: Say) -> None:
    fake.script(Reply.text(["Blue light ", "scatters more ", "than red."],
                           thoughts=["Rayleigh scattering: ", "short wavelengths scatter most."]))
    stream = client.chat.completions.create(
        model=_MODEL, messages=[{"role": "user", "content": "Why is the sky blue?"}], stream=True,
        extra_body=extra_body(include_thoughts=True, thought_tag_marker=_MARKER),
    )
    thoughts, answer = [], []
    for event in stream_events(stream, _MARKER):
        if isinstance(event, ThoughtDelta):
            thoughts.append(event.text)
        elif isinstance(event, AnswerDelta):
            answer.append(event.text)
    say(f"thought: {''.join(thoughts)}")
    say(f"answer:  {''.join(answer)}")
    _expect("".join(answer) == "Blue light scatters more than red.", "thought tags leaked into the answer")


def _tool_call(fake: Any, client: Any, say: Say) -> None:
    fake.script(Reply.tool_call("get_weather", {"city": "Paris"}), Reply.text("It is 18 °C and sunny in Paris."))
    messages: list[Any] = [{"role": "user", "content": "What's the weather in Paris?"}]
    first = client.chat.completions.create(model=_MODEL, messages=messages, tools=[_WEATHER_TOOL])
    message = first.choices[0].message
    _expect(bool(message.tool_calls), "the model asked for no tool")
    call = message.tool_calls[0]
    signature = (call.model_extra or {}).get("extra_content", {}).get("google", {}).get("thought_signature", "")
    say(f"turn 1: the model calls {call.function.name}({call.function.arguments})")
    say(f"        with thought signature {signature[:16]}... (Gemini 3 refuses history without it)")
    messages += [message, {"role": "tool", "tool_call_id": call.id, "content": json.dumps({"temp_c": 18})}]
    second = client.chat.completions.create(model=_MODEL, messages=messages, tools=[_WEATHER_TOOL])
    sent = fake.chat_requests[-1].json["messages"][1]["tool_calls"][0]
    _expect(sent.get("extra_content", {}).get("google", {}).get("thought_signature") == signature,
            "the thought signature did not travel back")
    say("turn 2: the signature went back verbatim with the history; FakeVertex accepted it")
    say(f"< {second.choices[0].message.content}")


def _image(fake: Any, client: Any, say: Say, *, image_path: Path) -> None:
    fake.script(Reply.image())
    completion = client.chat.completions.create(
        model="google/gemini-3-pro-image-preview", modalities=["image"],
        messages=[{"role": "user", "content": "Draw four coloured squares."}],
    )
    images = generated_images(completion)
    _expect(len(images) == 1, f"expected one image, found {len(images)}")
    path = images[0].save(image_path)
    say(f"saved {path} ({images[0].mime_type}, {len(images[0].data)} bytes)")


def _revoked_token(fake: Any, client: Any, say: Say) -> None:
    before = fake.token_requests
    fake.revoke()
    say("FakeVertex revoked every access token; the next call is refused with Vertex's 401 ...")
    messages = [{"role": "user", "content": "Still there?"}]
    completion = client.chat.completions.create(model=_MODEL, messages=messages)
    _expect(fake.auth_failures == 1 and fake.token_requests == before + 1, "the 401 was not recovered once")
    say("... and the client fetched a new token once and resent the request:")
    say(f"< {completion.choices[0].message.content}")


def _steps(image_path: Path) -> list[tuple[str, Step]]:
    return [
        ("chat", _chat),
        ("streaming, thoughts split from the answer (thought_tag_marker + stream_events)", _stream_with_thoughts),
        ("tool call with a thought signature, two turns", _tool_call),
        ("generated image (generated_images reads Gemini's message.audio shape)",
         lambda fake, client, say: _image(fake, client, say, image_path=image_path)),
        ("a token revoked mid-session", _revoked_token),
    ]
