"""Google's error envelopes, reshaped into the object form that the openai SDK reads.

Vertex often sends `[{"error": {...}}]` (a JSON list). The SDK only looks for `body["error"]["message"]`
in an object, so with the list it shows a bare `Error code: 429` and loses Google's explanation
(docs/vertex-wire.md §8).
"""

from __future__ import annotations

import json
from typing import Any

from ._json import NOT_JSON, dumps


def find_error(value: object) -> dict[str, Any] | None:
    """Return the `{"error": {...}}` object of a Google error, list-wrapped or not, else None."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and isinstance(item.get("error"), dict):
            return item
    return None


def unwrap_error_body(body: bytes) -> bytes:
    """`[{"error": {...}}]` becomes `{"error": {...}}` with every field kept; other bodies stay as they are."""
    if not body.lstrip().startswith(b"["):
        return body
    try:
        error = find_error(json.loads(body))
    except NOT_JSON:
        return body
    return body if error is None else dumps(error)
