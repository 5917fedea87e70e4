"""What to change, added to Google's errors for what the endpoint does not have (docs/vertex-wire.md §8, §10).

Google's answers name the symptom (an HTML 404, `FAILED_PRECONDITION`, a 500, a model "not found"), not
the cause, which is a route or a location the OpenAI-compatible endpoint does not serve. Google's own
message always stays in the error; the hint follows it. Only error bodies are read, so this costs nothing
on answers that succeed.
"""

from __future__ import annotations

import html
import json
import re

from ._json import NOT_JSON, dumps, loads_object
from .error_envelope import find_error
from .._vertex import HINT_OPENS
from .models import GOOGLE_FAMILIES

_LOCATION = re.compile(r"/locations/([^/]+)/")
_TAGS = re.compile(r"<[^>]*>")
_STATUS = {400: "INVALID_ARGUMENT", 404: "NOT_FOUND", 500: "INTERNAL", 503: "UNAVAILABLE"}

NO_MODELS_ROUTE = (
    "Vertex AI's OpenAI-compatible endpoint has no models route, so `client.models.list()` and "
    "`client.models.retrieve()` cannot work. Pass the model id to `create()` directly, as `publisher/model` "
    "from the model's card in Model Garden (e.g. `google/gemini-2.5-flash`)."
)
CLAUDE = (
    "Claude models are not served on Vertex AI's OpenAI-compatible chat completions. Call them with "
    "Anthropic's SDK: `anthropic.AnthropicVertex(project_id=..., region=...)` (pip install 'anthropic[vertex]')."
)
EMBEDDINGS_GLOBAL = (
    "Vertex AI serves embeddings only on regional endpoints; `global` answers 500. Build the client with "
    "the region your embedding model is in, e.g. `vertex_client(location=\"us-central1\")`."
)
RESPONSES_GEMINI = (
    "On Vertex AI's OpenAI-compatible endpoint, Gemini models are served on chat completions, not the "
    "Responses API. Call `client.chat.completions.create()`; with the Agents SDK, "
    "`agents.set_default_openai_api(\"chat_completions\")` (or `OpenAIChatCompletionsModel`); with "
    "LangChain's `ChatOpenAI`, `use_responses_api=False`."
)


def error_hint(status: int, method: str, path: str, request_body: bytes | None, bare_model: str | None) -> str | None:
    """The hint for an error answer to `method path`, or None when there is nothing to add; `bare_model` is
    a model id the request sent without a publisher, none being known for it (models.py)."""
    if status == 404 and method == "GET" and "/models" in path and _after_endpoint(path).startswith("models"):
        return NO_MODELS_ROUTE
    if status in (401, 403, 429):  # credentials and quota: the cause is not the route or the location
        return None
    location = _LOCATION.search(path)
    if path.endswith("/embeddings") and location is not None and location.group(1) == "global":
        return EMBEDDINGS_GLOBAL
    if status >= 500:
        return None
    model = _model(request_body).lower()
    if path.endswith("/chat/completions") and "claude" in model:
        return CLAUDE
    if bare_model is not None and status in (400, 404):
        return (f"the model id `{bare_model}` names no publisher. Vertex AI names models `publisher/model`, as "
                "on the model's card in Model Garden: `google/gemini-2.5-flash`, `deepseek-ai/deepseek-v3.2-maas`, "
                "`meta/llama-3.3-70b-instruct-maas`, `xai/grok-4.1-fast-reasoning`.")
    if path.endswith("/responses") and model.rpartition("/")[2].startswith(GOOGLE_FAMILIES):
        return RESPONSES_GEMINI
    if status == 404 and path.endswith("/chat/completions") and "/" in model and location is not None:
        return _location_hint(location.group(1))
    return None


def with_hint(body: bytes, hint: str, status: int) -> bytes:
    """Google's error, list-wrapped or not, as the object the SDK reads, with `hint` after its message; a body
    that is not Google's JSON error (the HTML 404 page) becomes one, its text kept in the message."""
    try:
        error = find_error(json.loads(body))
    except NOT_JSON:
        error = None
    if error is None:
        text = " ".join(html.unescape(_TAGS.sub(" ", body.decode("utf-8", "replace"))).split())[:300]
        error = {"error": {"code": status, "message": text, "status": _STATUS.get(status, "UNKNOWN")}}
    details = error["error"]
    message = details.get("message")
    details["message"] = (f"{message} " if isinstance(message, str) and message else "") + f"{HINT_OPENS}{hint})"
    return dumps(error)


def _after_endpoint(path: str) -> str:
    """What follows `endpoints/{id}/` in an endpoint path: the route asked for."""
    head, found, tail = path.partition("/endpoints/")
    return tail.partition("/")[2] if found else ""


def _model(request_body: bytes | None) -> str:
    payload = loads_object(request_body) if request_body else None
    model = payload.get("model") if payload is not None else None
    return model if isinstance(model, str) else ""


def _location_hint(location: str) -> str:
    if location == "global":
        return ("Some models are served only on regional endpoints, not on `global`: check the locations on "
                "the model's card in Model Garden and build the client with one, e.g. "
                "`vertex_client(location=\"us-central1\")`.")
    return (f"Some models are served only on `global`, others only in some regions, and `{location}` may "
            "not be one: check the locations on the model's card in Model "
            "Garden, or build the client with `vertex_client(location=\"global\")`.")
