"""Vertex-ready HTTP clients for frameworks that build their own OpenAI client from an `http_client`.

llama-index's `OpenAILike`, for one, takes `api_base=` and `http_client=` but no OpenAI client. The HTTP
client returned here carries everything `vertex_client` installs (VertexAuth, the wire layer, the redirect
guard), and its `base_url` is the Vertex URL to pass along as the framework's base URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ._client import async_vertex_client, vertex_client

if TYPE_CHECKING:
    from ._auth import Credentials
    from ._compat import AsyncHttpClient, SyncHttpClient


def vertex_http_client(
    *,
    project: str | None = None,
    location: str | None = None,
    credentials: Credentials | None = None,
    endpoint: str = "openapi",
    api_version: str = "v1",
    base_url: str | None = None,
    http_client: SyncHttpClient | None = None,
    wire_compat: bool = True,
    skip_unknown_signatures: bool = False,
) -> SyncHttpClient:
    """An httpx / httpx2 `Client` that signs and rewrites for Vertex; arguments as for `vertex_client`.

    Its `base_url` is the Vertex endpoint: give `str(client.base_url)` to the framework as its base URL,
    and any string as its API key (the Google token replaces it on every request).
    """
    client = vertex_client(project=project, location=location, credentials=credentials, endpoint=endpoint,
                           api_version=api_version, base_url=base_url, http_client=http_client,
                           wire_compat=wire_compat, skip_unknown_signatures=skip_unknown_signatures)
    return cast("SyncHttpClient", _with_base_url(client))


def async_vertex_http_client(
    *,
    project: str | None = None,
    location: str | None = None,
    credentials: Credentials | None = None,
    endpoint: str = "openapi",
    api_version: str = "v1",
    base_url: str | None = None,
    http_client: AsyncHttpClient | None = None,
    wire_compat: bool = True,
    skip_unknown_signatures: bool = False,
) -> AsyncHttpClient:
    """The `httpx.AsyncClient` / `httpx2.AsyncClient` twin of `vertex_http_client`."""
    client = async_vertex_client(project=project, location=location, credentials=credentials, endpoint=endpoint,
                                 api_version=api_version, base_url=base_url, http_client=http_client,
                                 wire_compat=wire_compat, skip_unknown_signatures=skip_unknown_signatures)
    return cast("AsyncHttpClient", _with_base_url(client))


def _with_base_url(client: Any) -> Any:
    http = client._client  # the SDK keeps the HTTP client it was given here, in every release we support
    http.base_url = str(client.base_url)
    return http
