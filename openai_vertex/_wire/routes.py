"""The routes beside chat completions, as the SDK calls them and as Vertex serves them (docs/vertex-wire.md §10).

- Stored responses (`client.responses.retrieve/delete/cancel`, `input_items.list`): Google serves them on
  `v1beta1` only (`projects.locations.endpoints.responses.get`), while the client's base URL is `v1`; the
  path is moved to `v1beta1` on the same host.
- Embeddings: the SDK asks for `encoding_format: "base64"` unless told otherwise, which Google does not
  document for this route. The request goes without it (Google's default: floats), and the answer's floats
  are handed back to the SDK as the base64 float32 it asked for, which it decodes as it would OpenAI's.
"""

from __future__ import annotations

import array
import base64
import re

from ._json import dumps, loads_object

_STORED_RESPONSE = re.compile(r"/v1/(projects/[^/]+/locations/[^/]+/endpoints/[^/]+/responses/[^/].*)")


def beta_path(path: str) -> str | None:
    """The `v1beta1` path of a stored-response route asked for on `v1`, else None."""
    match = _STORED_RESPONSE.fullmatch(path)
    return None if match is None else f"/v1beta1/{match.group(1)}"


class EmbeddingsExchange:
    """An embeddings request sent without the `encoding_format: "base64"` the SDK put in it."""

    __slots__ = ()

    def fix(self, answer: object) -> None:
        """Encode each embedding that came back as floats as base64 float32, in the byte order the SDK decodes."""
        data = answer.get("data") if isinstance(answer, dict) else None
        for item in data if isinstance(data, list) else ():
            vector = item.get("embedding") if isinstance(item, dict) else None
            if isinstance(vector, list) and all(isinstance(value, (int, float)) for value in vector):
                item["embedding"] = base64.b64encode(array.array("f", vector).tobytes()).decode("ascii")


def embeddings_body(body: bytes) -> tuple[bytes, EmbeddingsExchange] | None:
    """The body to send for an embeddings request that asks for base64, else None (sent as it is)."""
    if b"base64" not in body:
        return None
    payload = loads_object(body)
    if payload is None or payload.get("encoding_format") != "base64":
        return None
    del payload["encoding_format"]
    return dumps(payload), EmbeddingsExchange()

