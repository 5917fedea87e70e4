"""Vertex-ready HTTP clients for frameworks that build their own OpenAI client from an `http_client`.

llama-index's `OpenAILike`, for one, takes `api_base=` and `http_client=` but no OpenAI client. The HTTP
client returned here carries everything `vertex_client` installs (VertexAuth, the wire layer, the redirect
guard), and its `base_url` is the Vertex URL to pass along as the framework's base URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict, cast

from typing_extensions import Unpack

from ._client import async_vertex_client, vertex_client

if TYPE_CHECKING:
    from ._auth import Credentials
    from ._compat import AsyncHttpClient, SyncHttpClient


class VertexArguments(TypedDict, total=False):
    """The factories' own arguments besides `http_client` (see `vertex_client`)."""

    project: str | None
    location: str | None
    credentials: Credentials | None
    endpoint: str
    api_version: str
    base_url: str | None
    wire_compat: bool
    skip_unknown_signatures: bool


def vertex_http_client(
    *, http_client: SyncHttpClient | None = None, **arguments: Unpack[VertexArguments]
) -> SyncHttpClient:
    """An httpx / httpx2 `Client` that signs and rewrites for Vertex; arguments as for `vertex_client`.

    Its `base_url` is the Vertex endpoint: give `str(client.base_url)` to the framework as its base URL,
    and any string as its API key (the Google token replaces it on every request).
    """
    return cast("SyncHttpClient", _with_base_url(vertex_client(http_client=http_client, **arguments)))


def async_vertex_http_client(
    *, http_client: AsyncHttpClient | None = None, **arguments: Unpack[VertexArguments]
) -> AsyncHttpClient:
    """The `httpx.AsyncClient` / `httpx2.AsyncClient` twin of `vertex_http_client`."""
    return cast("AsyncHttpClient", _with_base_url(async_vertex_client(http_client=http_client, **arguments)))


def _with_base_url(client: Any) -> Any:
    http = client._client  # the SDK keeps the HTTP client it was given here, in every release we support
    http.base_url = str(client.base_url)
    return http
