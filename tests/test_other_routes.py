"""The routes beside chat completions, replayed from cassettes through the public API (docs/vertex-wire.md §10).

The cassettes in cassettes/test_other_routes/ are written by scripts/cassettes_from_docs.py from the shapes
the bodies below name; `pytest --record-mode=rewrite` with ADC and a project that has the models enabled
records them live instead (cassettes/README.md). Replays match on method, URL and body, so what the
assertions read from `vcr.requests` is what this library sent.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import openai
import pytest
from openai.types import CreateEmbeddingResponse
from openai.types.responses import Response

from openai_vertex import usage_summary, vertex_client

from .doubles import CASSETTE_PROJECT

Factory = Callable[..., openai.OpenAI]
E5 = "intfloat/multilingual-e5-large-instruct-maas"
GROK = "xai/grok-4.1-fast-reasoning"
REGIONAL = f"https://us-central1-aiplatform.googleapis.com/v1/projects/{CASSETTE_PROJECT}/locations/us-central1"
GLOBAL_BETA = f"https://aiplatform.googleapis.com/v1beta1/projects/{CASSETTE_PROJECT}/locations/global"


@pytest.fixture
def make(vertex_setup: tuple[str, Any]) -> Factory:
    project, credentials = vertex_setup
    return functools.partial(vertex_client, project=project, credentials=credentials, max_retries=0)


def ask_for_embeddings(make: Factory) -> CreateEmbeddingResponse:
    # Embeddings are served on regional endpoints only (`global` answers 500).
    return make(location="us-central1").embeddings.create(model=E5, input=["query: capital of France"])


@pytest.mark.vcr
def test_embeddings_on_a_regional_endpoint(make: Factory, vcr: Any) -> None:
    result = ask_for_embeddings(make)

    assert str(vcr.requests[0].uri) == f"{REGIONAL}/endpoints/openapi/embeddings"
    assert json.loads(vcr.requests[0].body) == {"model": E5, "input": ["query: capital of France"]}
    vector = result.data[0].embedding
    assert len(vector) > 0 and all(isinstance(value, float) for value in vector)


def ask_and_retrieve_a_response(make: Factory) -> tuple[Response, Response]:
    client = make()
    created = client.responses.create(model=GROK, input="What is the capital of France? One word.")
    return created, client.responses.retrieve(created.id)


@pytest.mark.vcr
def test_a_stored_response_is_retrieved_from_v1beta1(make: Factory, vcr: Any) -> None:
    created, again = ask_and_retrieve_a_response(make)

    assert str(vcr.requests[1].uri) == f"{GLOBAL_BETA}/endpoints/openapi/responses/{created.id}"
    assert again.id == created.id and again.output_text == created.output_text
    assert created.usage is not None  # the Responses API's names, reasoning inside output_tokens
    usage = usage_summary(created)
    assert usage.billable_output_tokens == created.usage.output_tokens
    assert usage.reasoning_tokens == created.usage.output_tokens_details.reasoning_tokens > 0
