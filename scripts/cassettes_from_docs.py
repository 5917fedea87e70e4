"""Write cassettes from the response bodies that Google documents (docs/vertex-wire.md), not live traffic.

Vertex cannot be reached from the machines this project is built on, so each cassette here is recorded
by driving the real SDK through this library against a `MockTransport` that answers with a documented
body; vcrpy records the SDK's real request next to it. `pytest --record-mode=rewrite` with ADC and a
real project replaces them with live recordings (see cassettes/README.md).

Run: python scripts/cassettes_from_docs.py
"""

from __future__ import annotations

import base64
import contextlib
import copy
import itertools
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx2
import openai
import vcr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openai_vertex import vertex_client  # noqa: E402
from openai_vertex.testing import sample_png  # noqa: E402
from tests.gemini import samples as gemini_samples  # noqa: E402
from tests.wire import samples as wire_samples  # noqa: E402
from tests import test_features as features  # noqa: E402
from tests import test_other_routes as routes  # noqa: E402
from tests.doubles import CASSETTE_PROJECT, FakeCredentials, chat_completion  # noqa: E402

Reply = Callable[[httpx2.Request], httpx2.Response]
CASSETTES: dict[str, Callable[[], None]] = {}


def cassette(module: str, test: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(fn: Callable[[], None]) -> Callable[[], None]:
        CASSETTES[f"{module}/{test}"] = fn
        return fn

    return register


def client(*replies: Reply, **kwargs: Any) -> Any:
    queue = list(replies)
    http = httpx2.Client(transport=httpx2.MockTransport(lambda request: queue.pop(0)(request)))
    kwargs.setdefault("credentials", FakeCredentials())
    return vertex_client(project=CASSETTE_PROJECT, http_client=http, max_retries=0, **kwargs)


def json_reply(body: Any, status: int = 200) -> Reply:
    return lambda request: httpx2.Response(status, json=body, headers={"content-type": "application/json; charset=UTF-8"})


def raw_reply(content: bytes, status: int = 200, content_type: str = "application/json; charset=UTF-8") -> Reply:
    """A body served byte for byte: the list-wrapped errors and verbatim streams of the samples."""
    return lambda request: httpx2.Response(status, content=content, headers={"content-type": content_type})


def sse_reply(chunks: list[dict[str, Any]]) -> Reply:
    text = "".join(f"data: {json.dumps(chunk)}\n\n" for chunk in chunks) + "data: [DONE]\n\n"
    return lambda request: httpx2.Response(200, content=text.encode(), headers={"content-type": "text/event-stream"})


def chunk(delta: dict[str, Any], finish: str | None = None, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    """A streamed chunk in the shape of docs/vertex-wire.md §S2 / §S7b."""
    body: dict[str, Any] = {"choices": [{"delta": delta, "index": 0, "logprobs": None, "finish_reason": finish}],
                            "created": 1770850461, "id": "nQiNafGyF5rw998PstqooAY",
                            "model": "google/gemini-2.5-flash", "object": "chat.completion.chunk",
                            "system_fingerprint": ""}
    if usage:
        body["usage"] = usage
    return body


UNAUTHENTICATED = {"error": {"code": 401, "status": "UNAUTHENTICATED", "message": (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
    "other valid authentication credential.")}}
USER = [{"role": "user", "content": "Tell me a joke."}]


@cassette("test_features", "test_text_on_the_global_v1_endpoint_async")
def _chat() -> None:
    text = "Why did the scarecrow win an award?\n\nBecause he was outstanding in his field!"
    client(json_reply(chat_completion(text))).chat.completions.create(model="google/gemini-2.5-flash",
                                                                      messages=USER)


@cassette("test_features", "test_a_401_costs_exactly_one_new_token")
def _unauthenticated_then_ok() -> None:
    client(json_reply(UNAUTHENTICATED, 401), json_reply(chat_completion("ok"))).chat.completions.create(
        model="google/gemini-2.5-flash", messages=USER)


# --- cassettes/test_features: one per feature of Google's OpenAI-compatibility documentation ----------
# Each function below calls the test's own `ask_*` function, so the recorded request is the test's request.
# Bodies name their source in docs/vertex-wire.md (§Sn) or say how they were built where none exists.

SSE = "text/event-stream"
# Example output printed by Google's streaming image-description sample (docs/vertex-wire.md §S10), for scones.jpg.
SCONES = ("Here's a description of the image:\nHigh-angle, close-up view of a rustic scene featuring several "
          "blueberry scones arranged on a piece of parchment paper...")
# §S5 (DOC), verbatim: the answer to a turn whose tool message carried extra_content.google.parts.
SHIRT_ANSWER: dict[str, Any] = {
    "choices": [{"finish_reason": "stop", "index": 0, "logprobs": None,
                 "message": {"content": "Here is the image of the green shirt you ordered.", "role": "assistant"}}],
    "created": 1770852204, "id": "bA-NacCPKoae_9MPsNCn6Qc", "model": "google/gemini-3.1-pro-preview",
    "object": "chat.completion", "system_fingerprint": "", "usage": gemini_samples.PLAIN_USAGE,
}


def with_png(body: dict[str, Any], *path: str | int) -> dict[str, Any]:
    """A generated-image sample with Google's placeholder (`<BASE64_BYTES>`, `IMAGE_DATA`) replaced by a real PNG."""
    body = copy.deepcopy(body)
    holder: Any = body
    for step in path:
        holder = holder[step]
    holder["data"] = base64.b64encode(sample_png()).decode()
    return body


@cassette("test_features", "test_text_on_the_global_v1_endpoint")
def _text() -> None:
    features.ask_text(partial(client, json_reply(gemini_samples.TEXT_COMPLETION)))  # §S1 (REAL), verbatim


@cassette("test_features", "test_streaming_text_from_a_partner_model")
def _streamed_text() -> None:
    body = gemini_samples.sse(gemini_samples.MAAS_STREAM)  # §S7b (DOC via FIXTURE), DeepSeek MaaS, verbatim
    features.ask_streamed_text(partial(client, raw_reply(body, content_type=SSE)))


@cassette("test_features", "test_streamed_parallel_tool_calls_assemble_in_the_sdk")
def _streamed_tool_calls() -> None:
    reply = raw_reply(gemini_samples.TOOL_CALL_SSE, content_type=SSE)  # §S2 (DOC), verbatim
    features.ask_streamed_tool_calls(partial(client, reply))


@cassette("test_features", "test_thought_signature_survives_a_dict_history")
def _two_turns() -> None:
    calls = raw_reply(wire_samples.SIGNED_CALLS_COMPLETION)  # §S6 (DOC) message in §S1's envelope
    answer = copy.deepcopy(SHIRT_ANSWER)  # built: §S5's envelope, an answer to the temperatures
    answer["choices"][0]["message"]["content"] = "It is 15 °C in Paris and 16 °C in London."
    features.ask_with_tools_over_two_turns(partial(client, calls, json_reply(answer)))


@cassette("test_features", "test_image_understanding_from_bytes")
def _image_bytes() -> None:
    # Built: no documented answer for an inline image; §S1's envelope describing sample_png().
    text = "The image is split into four squares: blue, red, yellow and green."
    features.ask_about_image_bytes(partial(client, json_reply(chat_completion(text))))


@cassette("test_features", "test_image_understanding_from_gcs_on_a_regional_endpoint")
def _image_gcs() -> None:
    # Built: §S1's envelope around the example output of Google's scones sample (§S10).
    features.ask_about_gcs_image(partial(client, json_reply(chat_completion(SCONES))))


@cassette("test_features", "test_v1beta1_streamed_image_description")
def _image_gcs_stream() -> None:
    # Built: the same example output, cut into §S2's chunk envelope, usage on the last chunk as §S2 has it.
    cut = SCONES.index("High-angle")
    chunks = [chunk({"content": SCONES[:cut], "role": "assistant"}),
              chunk({"content": SCONES[cut:], "role": "assistant"}, "stop",
                    {"completion_tokens": 31, "prompt_tokens": 265, "total_tokens": 296})]
    features.ask_streamed_about_gcs_image_v1beta1(partial(client, sse_reply(chunks)))


@cassette("test_features", "test_image_generation_in_message_audio")
def _image_in_audio() -> None:
    body = with_png(gemini_samples.IMAGE_IN_AUDIO, "choices", 0, "message", "audio")  # §S3 (DOC)
    features.ask_for_image_gemini_3(partial(client, json_reply(body)))


@cassette("test_features", "test_image_generation_on_the_choice")
def _image_on_choice() -> None:
    body = with_png(gemini_samples.IMAGE_ON_CHOICE, "choices", 0, "image")  # §S4 (DOC)
    features.ask_for_image_gemini_2_5(partial(client, json_reply(body)))


@cassette("test_features", "test_audio_understanding")
def _audio() -> None:
    # Built: no documented answer for audio; §S1's envelope around a transcript of silence.
    features.ask_to_transcribe(partial(client, json_reply(chat_completion("(no speech)"))))


@cassette("test_features", "test_structured_output_with_beta_parse")
def _calendar_event() -> None:
    # Built: Google documents this request (CalendarEvent) but no answer; §S1's envelope, JSON as §S7a has it.
    event = {"name": "AI conference", "date": "Friday", "participants": ["John", "Susan"]}
    features.ask_for_structured_output(partial(client, json_reply(chat_completion(json.dumps(event)))))


@cassette("test_features", "test_reasoning_effort")
def _reasoning_effort() -> None:
    # §S1 (REAL), verbatim: a gemini-2.5-flash answer with 41 reasoning tokens (its text answers another prompt).
    features.ask_with_reasoning_effort(partial(client, json_reply(gemini_samples.TEXT_COMPLETION)))


@cassette("test_features", "test_thinking_config_via_extra_body")
def _thinking_config() -> None:
    features.ask_with_thinking_budget(partial(client, json_reply(gemini_samples.TEXT_COMPLETION)))  # §S1, verbatim


@cassette("test_features", "test_thought_tag_marker_whole")
def _tagged_thoughts() -> None:
    # Built: no Vertex capture of tagged thoughts exists; docs/vertex-wire.md §5 documents `<marker>…</marker>`
    # in content.
    content = f"<think>{features.THOUGHTS}</think>{features.ANSWER}"
    features.ask_with_tagged_thoughts(partial(client, json_reply(chat_completion(content))))


@cassette("test_features", "test_thought_tag_marker_streamed")
@cassette("test_features", "test_thought_tag_marker_streamed_async")
def _tagged_thought_stream() -> None:
    # Built as above, in §S2's chunk envelope; both tags are cut between chunks, as a stream may cut them.
    text = f"<think>{features.THOUGHTS}</think>{features.ANSWER}"
    cuts = [0, 4, 40, len(features.THOUGHTS) + 10, len(features.THOUGHTS) + 30, len(text)]
    pieces = [text[start:end] for start, end in itertools.pairwise(cuts)]
    chunks = [chunk({"content": piece, "role": "assistant"}) for piece in pieces[:-1]]
    chunks.append(chunk({"content": pieces[-1], "role": "assistant"}, "stop",
                        {"completion_tokens": 18, "completion_tokens_details": {"reasoning_tokens": 41},
                         "prompt_tokens": 15, "total_tokens": 74}))
    features.ask_streamed_tagged_thoughts(partial(client, sse_reply(chunks)))


@cassette("test_features", "test_extra_content_on_a_message_a_part_and_a_tool_call")
def _extra_content() -> None:
    features.ask_with_extra_content(partial(client, json_reply(SHIRT_ANSWER)))  # §S5 (DOC), verbatim


@cassette("test_features", "test_self_deployed_endpoint_takes_the_served_model_id")
def _self_deployed() -> None:
    # Built: §S1's envelope; a self-deployed container echoes its own served model id.
    body = chat_completion(features.ANSWER, model=features.SERVED_MODEL)
    features.ask_self_deployed(partial(client, json_reply(body)))


@cassette("test_features", "test_missing_thought_signature_is_a_bad_request_with_googles_message")
def _missing_signature() -> None:
    reply = raw_reply(wire_samples.MISSING_SIGNATURE_400, 400)  # §S8a (REAL), list-wrapped, verbatim
    with contextlib.suppress(openai.BadRequestError):
        features.ask_with_unsigned_history(partial(client, reply))


@cassette("test_features", "test_quota_exhausted_is_a_rate_limit_error_with_googles_message")
def _exhausted() -> None:
    reply = raw_reply(wire_samples.EXHAUSTED_429, 429)  # §S8c (REAL), the variant with errors[], verbatim
    with contextlib.suppress(openai.RateLimitError):
        features.ask_text(partial(client, reply))


# --- cassettes/test_other_routes: the routes beside chat completions (docs/vertex-wire.md §10) ----------

@cassette("test_other_routes", "test_embeddings_on_a_regional_endpoint")
def _embeddings() -> None:
    # Built: OpenAI's embeddings answer, which §10 says the MaaS E5 models send; a 1024-value E5 vector cut to 8.
    vector = [0.0210, -0.0437, 0.0052, 0.0318, -0.0129, 0.0471, -0.0263, 0.0094]
    body = {"object": "list", "model": routes.E5, "usage": {"prompt_tokens": 8, "total_tokens": 8},
            "data": [{"object": "embedding", "index": 0, "embedding": vector}]}
    routes.ask_for_embeddings(partial(client, json_reply(body)))


@cassette("test_other_routes", "test_a_stored_response_is_retrieved_from_v1beta1")
def _stored_response() -> None:
    # Built: openai.types.responses.Response's shape, as a partner model answers on `endpoints/openapi/responses`;
    # Google serves the stored copy on v1beta1 (projects.locations.endpoints.responses.get).
    body = {"id": "resp_0cfe1a2b", "object": "response", "created_at": 1770850461, "status": "completed",
            "model": routes.GROK, "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
            "output": [{"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                        "content": [{"type": "output_text", "text": "Paris.", "annotations": []}]}],
            "usage": {"input_tokens": 17, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 131,
                      "output_tokens_details": {"reasoning_tokens": 129}, "total_tokens": 148}}
    routes.ask_and_retrieve_a_response(partial(client, json_reply(body), json_reply(body)))


def main() -> None:
    config = {"filter_headers": ["authorization", "cookie", "x-goog-user-project"],
              "decode_compressed_response": True, "record_mode": "all"}
    for name, make in CASSETTES.items():
        path = ROOT / "cassettes" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        with vcr.VCR(**config).use_cassette(str(path)):
            make()
        print("wrote", path.relative_to(ROOT))


if __name__ == "__main__":
    main()
