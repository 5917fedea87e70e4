"""What Vertex refuses before any model runs: bad tokens, bad model names, missing thought signatures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._vertex import SKIP_SIGNATURE
from ._render import Rendered, google_error, json_answer

_SIGNATURE_DOCS = "https://docs.cloud.google.com/vertex-ai/generative-ai/docs/thought-signatures"
_NOT_FOUND_PAGE = (
    "<!DOCTYPE html>\n<html lang=en>\n<title>Error 404 (Not Found)!!1</title>\n"
    "<p><b>404.</b> <ins>That's an error.</ins>\n"
    "<p>The requested URL <code>{path}</code> was not found on this server.  <ins>That's all we know.</ins>\n"
)


def unauthenticated(token_sent: bool) -> Rendered:
    """Vertex's 401 for a missing, unknown, revoked or expired bearer token."""
    reason = "ACCESS_TOKEN_TYPE_UNSUPPORTED" if token_sent else "CREDENTIALS_MISSING"
    headers = {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'}
    return json_answer(401, _with_reason(google_error(401), reason), headers)


def insufficient_scopes() -> Rendered:
    body = google_error(403, "Request had insufficient authentication scopes.")
    return json_answer(403, _with_reason(body, "ACCESS_TOKEN_SCOPE_INSUFFICIENT"))


def not_found(path: str) -> Rendered:
    """Google's HTML 404, which is what unknown routes (such as `/models`) get."""
    page = _NOT_FOUND_PAGE.format(path=path).encode()
    return Rendered(404, (page,), headers={"Content-Type": "text/html; charset=UTF-8"})


def invalid_request(body: object, endpoint: str, signatures: Mapping[str, str] | None) -> Rendered | None:
    """A list-wrapped 400 for a request Vertex refuses, else None; `signatures` None skips their check."""
    if not isinstance(body, Mapping):
        problem: str | None = "Invalid JSON payload received."
    # Self-deployed endpoints take any served model name; Google's `openapi` endpoint wants publisher/model.
    elif endpoint == "openapi" and "/" not in str(body.get("model") or ""):
        problem = "Malformed publisher model name: expected format '<publisher>/<model>'"
    elif not isinstance(body.get("messages"), list) or not body["messages"]:
        problem = "Unable to submit request because it has an empty contents field."
    else:
        problem = None if signatures is None else _missing_signature(body["messages"], signatures)
    return None if problem is None else json_answer(400, [google_error(400, problem)])


def _missing_signature(messages: Sequence[Any], issued: Mapping[str, str]) -> str | None:
    """Gemini 3 wants each signature it issued back verbatim with its call (docs/vertex-wire.md §6)."""
    contents = [m for m in messages if isinstance(m, Mapping) and m.get("role") != "system"]
    for position, message in enumerate(contents):
        for call in message.get("tool_calls") or ():
            expected = issued.get(str(call.get("id"))) if isinstance(call, Mapping) else None
            if expected is None:
                continue
            sent = ((call.get("extra_content") or {}).get("google") or {}).get("thought_signature")
            if sent is None:
                name = (call.get("function") or {}).get("name")
                return (
                    f"Unable to submit request because function call `default_api:{name}` in the {position}. "
                    f"content block is missing a `thought_signature`. Learn more: {_SIGNATURE_DOCS}"
                )
            if sent not in (expected, SKIP_SIGNATURE):
                return "Unable to submit request because Thought signature is not valid."
    return None


def _with_reason(body: dict[str, Any], reason: str) -> dict[str, Any]:
    body["error"]["details"] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": reason,
            "domain": "googleapis.com",
            "metadata": {"service": "aiplatform.googleapis.com"},
        }
    ]
    return body
