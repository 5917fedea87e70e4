"""Thought signatures on whole assistant messages: text turns and generated images (docs/vertex-wire.md §6, §S3).

Gemini 3 signs the message itself (`message.extra_content.google.thought_signature`); for image editing
Google rejects a history whose earlier image comes back without it ("Image part is missing a
thought_signature", issue 12 item 9). Frameworks rebuild the history as plain dicts and drop it.
"""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

from openai_vertex._wire.message_signatures import MessageSignatures
from openai_vertex.testing import sample_png

from ..gemini import samples as gemini_samples
from . import samples
from .clients import USER, Kind, create

IMAGE = base64.b64encode(sample_png()).decode()
SIGNED = {"google": {"thought_signature": "<MESSAGE_SIGNATURE_A>"}}
OTHER_SIGNED = {"google": {"thought_signature": "<MESSAGE_SIGNATURE_B>"}}
TEXT = "Paris is the capital of France."


def text_answer(text: str = TEXT, extra: dict[str, Any] = SIGNED) -> bytes:
    """A Gemini 3 text answer whose message is signed, in §S1's envelope (the message as in §S3)."""
    return samples.answer({"finish_reason": "stop", "index": 0, "logprobs": None,
                           "message": {"role": "assistant", "content": text, "extra_content": extra}},
                          usage={"completion_tokens": 7, "prompt_tokens": 9, "total_tokens": 16})


def image_answer() -> bytes:
    """§S3 (DOC) verbatim, the `<BASE64_BYTES>` placeholder replaced by a real PNG."""
    body = copy.deepcopy(gemini_samples.IMAGE_IN_AUDIO)
    body["choices"][0]["message"]["audio"]["data"] = IMAGE
    return json.dumps(body).encode()


class Turns:
    """Serves the scripted answers in order (the last one again after), keeping the request bodies."""

    def __init__(self, kind: Kind, *answers: bytes) -> None:
        self.kind, self.answers = kind, list(answers)
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: Any) -> Any:
        self.bodies.append(json.loads(request.content))
        return self.kind.response(200, self.answers[min(len(self.bodies), len(self.answers)) - 1])

    def assistant_extras(self) -> list[Any]:
        """`extra_content` of each assistant message of the last request."""
        return [message.get("extra_content") for message in self.bodies[-1]["messages"]
                if message["role"] == "assistant"]


def follow_up(*assistants: dict[str, Any]) -> list[dict[str, Any]]:
    return [USER, *assistants, {"role": "user", "content": "And of Italy?"}]


async def test_a_text_turn_gets_its_signature_back_in_a_dict_history(kind: Kind) -> None:
    for layer in (True, False):
        server = Turns(kind, text_answer())
        client = kind.client(server, layer=layer)
        await create(client)
        await create(client, messages=follow_up({"role": "assistant", "content": TEXT}))
        assert server.assistant_extras() == ([SIGNED] if layer else [None])


async def test_a_generated_image_gets_its_signature_back_as_an_image_part(kind: Kind) -> None:
    server = Turns(kind, image_answer())
    client = kind.client(server)
    await create(client, model="google/gemini-3-pro-image-preview", modalities=["image"])
    image = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{IMAGE}"}}
    await create(client, messages=follow_up({"role": "assistant", "content": [image]}))
    signed = gemini_samples.IMAGE_IN_AUDIO["choices"][0]["message"]["extra_content"]
    assert server.assistant_extras() == [signed]


async def test_the_sdks_own_message_is_sent_as_it_is(kind: Kind) -> None:
    server = Turns(kind, text_answer())
    client = kind.client(server)
    first = await create(client)
    replayed = first.choices[0].message.model_dump(exclude_none=True)
    await create(client, messages=follow_up(replayed))
    assert server.assistant_extras() == [SIGNED]


async def test_a_signature_never_lands_on_another_message(kind: Kind) -> None:
    server = Turns(kind, text_answer())
    client = kind.client(server)
    await create(client)
    await create(client, messages=follow_up({"role": "assistant", "content": "Rome is the capital of Italy."},
                                            {"role": "assistant", "content": TEXT + " "}))
    assert server.assistant_extras() == [None, None]


async def test_two_answers_alike_with_different_signatures_get_neither(kind: Kind) -> None:
    server = Turns(kind, text_answer(), text_answer(extra=OTHER_SIGNED))
    client = kind.client(server)
    await create(client)
    await create(client)
    await create(client, messages=follow_up({"role": "assistant", "content": TEXT}))
    assert server.assistant_extras() == [None]


async def test_a_message_that_kept_its_own_extra_content_is_left_alone(kind: Kind) -> None:
    server = Turns(kind, text_answer())
    client = kind.client(server)
    await create(client)
    kept = {"google": {"thought_signature": "<KEPT_BY_THE_APP>"}}
    await create(client, messages=follow_up({"role": "assistant", "content": TEXT, "extra_content": kept}))
    assert server.assistant_extras() == [kept]


def test_the_memory_is_bounded_and_forgets_the_oldest() -> None:
    memory = MessageSignatures(capacity=2)
    for number, text in enumerate(["one", "three", "fifteen"]):
        memory.remember({"role": "assistant", "content": text,
                         "extra_content": {"google": {"thought_signature": f"<S{number}>"}}}, [])
    history = [{"role": "assistant", "content": text} for text in ("one", "three", "fifteen")]
    assert memory.restore(history) is True and len(memory) == 2
    assert [message.get("extra_content") for message in history] == [
        None, {"google": {"thought_signature": "<S1>"}}, {"google": {"thought_signature": "<S2>"}}]
