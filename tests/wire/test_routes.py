"""The routes beside chat completions (docs/vertex-wire.md §10) and the errors for what the endpoint lacks.

Each test runs on every kind of client; the `layer=False` counter-tests show what the bare SDK gives.
"""

from __future__ import annotations

import array
import logging
import base64
import json
from typing import Any

import openai
import pytest

from openai_vertex._wire.hints import CLAUDE, EMBEDDINGS_GLOBAL, NO_MODELS_ROUTE, RESPONSES_GEMINI
from openai_vertex.testing import FakeVertex

from .clients import BASE_URL, Kind, create, settle

REGIONAL_URL = BASE_URL.replace("aiplatform.", "us-central1-aiplatform.").replace("global", "us-central1")
E5 = "intfloat/multilingual-e5-large-instruct-maas"
# OpenAI's embeddings answer, as Vertex's `endpoints/openapi/embeddings` sends it for the MaaS E5 models
# (docs/vertex-wire.md §10); the vector is cut to 4 values that float32 holds exactly.
VECTOR = [0.5, -0.25, 0.125, 1.0]
EMBEDDINGS_ANSWER = json.dumps({"object": "list", "model": E5, "usage": {"prompt_tokens": 3, "total_tokens": 3},
                                "data": [{"object": "embedding", "index": 0, "embedding": VECTOR}]}).encode()
# Google's HTML 404 for a route the endpoint does not have (docs/vertex-wire.md §1; FakeVertex serves the same).
MODELS_404 = (b"<!DOCTYPE html>\n<html lang=en>\n<title>Error 404 (Not Found)!!1</title>\n<p><b>404.</b> "
              b"<ins>That's an error.</ins>\n<p>The requested URL <code>/v1/projects/test-project/locations/global/"
              b"endpoints/openapi/models</code> was not found on this server.  <ins>That's all we know.</ins>\n")
# Google's FAILED_PRECONDITION envelope for a Claude model, list-wrapped, as yym68686/uni-api#41 shows it
# (the chat/completions wording is not published; the envelope is Google's usual one, §8).
CLAUDE_400 = json.dumps([{"error": {"code": 400, "status": "FAILED_PRECONDITION", "message": (
    "Project `test-project` is not allowed to use Publisher Model `projects/test-project/locations/global/"
    "publishers/anthropic/models/claude-sonnet-4-5`")}}]).encode()
# The 500 that `global` answers on the embeddings route (issue 12 item 12; QuantumNous/new-api#4517).
INTERNAL_500 = json.dumps([{"error": {"code": 500, "status": "INTERNAL", "message": "Internal error encountered."}}]
                          ).encode()
# A Responses API answer in openai.types.responses.Response's shape, from a partner model (Grok) on
# `endpoints/openapi/responses`; usage as tests/gemini/test_usage.py has it.
RESPONSE = {"id": "resp_0cfe1a2b", "object": "response", "created_at": 1770850461, "status": "completed",
            "model": "xai/grok-4.1-fast-reasoning", "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
            "output": [{"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                        "content": [{"type": "output_text", "text": "Paris.", "annotations": []}]}],
            "usage": {"input_tokens": 663, "input_tokens_details": {"cached_tokens": 654}, "output_tokens": 174,
                      "output_tokens_details": {"reasoning_tokens": 124}, "total_tokens": 837}}


class Recorder:
    """Answers every request with `reply` and keeps the requests."""

    def __init__(self, kind: Kind, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.kind, self.status, self.body, self.content_type = kind, status, body, content_type
        self.requests: list[Any] = []

    def __call__(self, request: Any) -> Any:
        self.requests.append(request)
        return self.kind.response(self.status, self.body, self.content_type)


def sdk(kind: Kind, server: Recorder, base_url: str = BASE_URL, layer: bool = True) -> Any:
    sdk_class = openai.AsyncOpenAI if kind.is_async else openai.OpenAI
    return sdk_class(api_key="unused", base_url=base_url, http_client=kind.http_client(server, layer=layer),
                     max_retries=0)


# -- embeddings ---------------------------------------------------------------------------------------

async def test_embeddings_come_back_as_floats_by_default(kind: Kind) -> None:
    server = Recorder(kind, 200, EMBEDDINGS_ANSWER)
    result = await settle(sdk(kind, server, REGIONAL_URL).embeddings.create(model=E5, input="Hello"))
    assert result.data[0].embedding == VECTOR
    sent = json.loads(server.requests[0].content)
    assert sent == {"model": E5, "input": "Hello"}  # the SDK's default "base64" is not sent: floats are Google's


async def test_embeddings_asked_as_base64_come_back_as_base64(kind: Kind) -> None:
    server = Recorder(kind, 200, EMBEDDINGS_ANSWER)
    result = await settle(sdk(kind, server, REGIONAL_URL).embeddings.create(model=E5, input="Hi",
                                                                            encoding_format="base64"))
    assert array.array("f", base64.b64decode(result.data[0].embedding)).tolist() == VECTOR
    assert "encoding_format" not in json.loads(server.requests[0].content)


async def test_embeddings_asked_as_floats_go_untouched(kind: Kind) -> None:
    server = Recorder(kind, 200, EMBEDDINGS_ANSWER)
    result = await settle(sdk(kind, server, REGIONAL_URL).embeddings.create(model=E5, input="Hi",
                                                                            encoding_format="float"))
    assert result.data[0].embedding == VECTOR
    assert json.loads(server.requests[0].content)["encoding_format"] == "float"


async def test_embeddings_on_global_say_to_use_a_region(kind: Kind) -> None:
    for layer in (True, False):
        with pytest.raises(openai.InternalServerError) as caught:
            await settle(sdk(kind, Recorder(kind, 500, INTERNAL_500), layer=layer).embeddings.create(
                model=E5, input="Hello"))
        message = str(caught.value.body)
        assert "Internal error encountered." in message  # Google's words stay
        assert (EMBEDDINGS_GLOBAL in message) is layer


# -- the models route, Claude, a model not where the client looked -------------------------------------

async def test_models_list_says_the_endpoint_has_no_models_route(kind: Kind) -> None:
    server = Recorder(kind, 404, MODELS_404, "text/html; charset=UTF-8")
    with pytest.raises(openai.NotFoundError) as caught:
        await settle(sdk(kind, server).models.list())
    assert NO_MODELS_ROUTE in caught.value.body["message"]
    assert "was not found on this server" in caught.value.body["message"]  # Google's text, without the tags
    assert "<" not in caught.value.body["message"]


async def test_models_list_without_the_layer_is_an_html_page(kind: Kind) -> None:
    server = Recorder(kind, 404, MODELS_404, "text/html; charset=UTF-8")
    with pytest.raises(openai.NotFoundError) as caught:
        await settle(sdk(kind, server, layer=False).models.list())
    assert str(caught.value.body).startswith("<!DOCTYPE html>")


async def test_models_list_on_fake_vertex_gets_the_hint() -> None:
    with FakeVertex() as fake:
        with pytest.raises(openai.NotFoundError) as caught:
            fake.client(max_retries=0).models.list()
    assert NO_MODELS_ROUTE in caught.value.body["message"]


@pytest.mark.parametrize("model", ["anthropic/claude-sonnet-4-5", "claude-sonnet-4-5@20250929"])
async def test_claude_on_chat_completions_says_to_use_anthropic_vertex(kind: Kind, model: str) -> None:
    for layer in (True, False):
        with pytest.raises(openai.BadRequestError) as caught:
            await create(kind.client(Recorder(kind, 400, CLAUDE_400), layer=layer), model=model)
        message = str(caught.value) if layer else str(caught.value.body)
        assert "is not allowed to use Publisher Model" in message
        assert (CLAUDE in message) is layer
        assert "names no publisher" not in message  # the Claude hint is the one that says what to do


async def test_a_model_missing_in_a_region_says_global_may_have_it(kind: Kind) -> None:
    body = json.dumps({"error": {"code": 404, "status": "NOT_FOUND",
                                 "message": "Publisher Model `google/gemini-3-pro-preview` was not found."}}).encode()
    server = Recorder(kind, 404, body)
    sdk_class = openai.AsyncOpenAI if kind.is_async else openai.OpenAI
    client = sdk_class(api_key="unused", base_url=REGIONAL_URL, http_client=kind.http_client(server), max_retries=0)
    with pytest.raises(openai.NotFoundError) as caught:
        await create(client, model="google/gemini-3-pro-preview")
    message = caught.value.body["message"]
    assert message.startswith("Publisher Model `google/gemini-3-pro-preview` was not found. (openai_vertex:")
    assert "`us-central1` may not be one" in message and 'vertex_client(location="global")' in message


# -- the Responses API ---------------------------------------------------------------------------------

async def test_stored_responses_are_asked_for_on_v1beta1(kind: Kind) -> None:
    server = Recorder(kind, 200, json.dumps(RESPONSE).encode())
    client = sdk(kind, server)
    created = await settle(client.responses.create(model="xai/grok-4.1-fast-reasoning", input="Capital of France?"))
    again = await settle(client.responses.retrieve(created.id))
    await settle(client.responses.delete(created.id))
    assert again.output_text == "Paris."
    paths = [(request.method, request.url.path) for request in server.requests]
    endpoint = "projects/test-project/locations/global/endpoints/openapi/responses"
    assert paths == [("POST", f"/v1/{endpoint}"), ("GET", f"/v1beta1/{endpoint}/resp_0cfe1a2b"),
                     ("DELETE", f"/v1beta1/{endpoint}/resp_0cfe1a2b")]
    assert {request.url.host for request in server.requests} == {"aiplatform.googleapis.com"}


async def test_stored_responses_without_the_layer_go_to_v1(kind: Kind) -> None:
    server = Recorder(kind, 200, json.dumps(RESPONSE).encode())
    await settle(sdk(kind, server, layer=False).responses.retrieve("resp_0cfe1a2b"))
    assert server.requests[0].url.path.startswith("/v1/projects/")


@pytest.mark.parametrize(("model", "hinted"), [("google/gemini-2.5-flash", True), ("gemini-2.5-flash", True),
                                               ("xai/grok-4.1-fast-reasoning", False)])
async def test_gemini_on_the_responses_api_says_to_use_chat_completions(kind: Kind, model: str,
                                                                        hinted: bool) -> None:
    body = json.dumps([{"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "Invalid model."}}]).encode()
    with pytest.raises(openai.BadRequestError) as caught:
        await settle(sdk(kind, Recorder(kind, 400, body)).responses.create(model=model, input="Hi"))
    message = caught.value.body["message"]
    assert message.startswith("Invalid model.")
    assert (RESPONSES_GEMINI in message) is hinted


# -- what the layer did, in the `openai_vertex.wire` logger (DEBUG), never a secret --------------------

async def test_what_the_layer_changed_is_logged(kind: Kind, caplog: pytest.LogCaptureFixture) -> None:
    from .clients import ANSWER
    from .test_ids import REPEATED_ANSWER, UNIQUE_IDS, dict_history

    caplog.set_level(logging.DEBUG, logger="openai_vertex")
    answers = iter([REPEATED_ANSWER, ANSWER, EMBEDDINGS_ANSWER, json.dumps(RESPONSE).encode(), MODELS_404])
    secret = "sk-this-key-must-never-be-logged"
    sdk_class = openai.AsyncOpenAI if kind.is_async else openai.OpenAI
    client = sdk_class(api_key=secret, base_url=REGIONAL_URL, max_retries=0, http_client=kind.http_client(
        lambda request: kind.response(404 if request.url.path.endswith("/models") else 200,
                                      next(answers))))
    await create(client, model="gemini-2.5-flash")
    await create(client, messages=dict_history(UNIQUE_IDS))
    await settle(client.embeddings.create(model=E5, input="Hello"))
    await settle(client.responses.retrieve("resp_0cfe1a2b"))
    with pytest.raises(openai.NotFoundError):
        await settle(client.models.list())

    messages = [record.getMessage() for record in caplog.records if record.name == "openai_vertex.wire"]
    assert "Sent the model id 'gemini-2.5-flash' as 'google/gemini-2.5-flash': Vertex names models " \
           "publisher/model." in messages
    assert "Tool-call id 'get_current_temperature' repeats within one message; the SDK sees " \
           "'get_current_temperature~2'." in messages
    assert "Put back what the history lost: tool-call thought signatures Google's own tool-call ids." in messages
    assert any(m.startswith("Sent the embeddings request without encoding_format=base64") for m in messages)
    assert "Sent GET of a stored response to v1beta1, where Google serves it." in messages
    assert any(m.startswith("Vertex answered 404; telling the caller what to change: Vertex AI's") for m in messages)
    assert not any(secret in record.getMessage() for record in caplog.records)
