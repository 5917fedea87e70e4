"""What a Vertex client was built from, readable by its user (and by `openai-vertex doctor`).

The SDK's own `client.project` is OpenAI's project header, `None` here; these are Google's settings.
They are kept per HTTP client, which `client.with_options()` and `client.copy()` share, so a copy
reports the settings of the client it came from.
"""

from __future__ import annotations

import dataclasses
import weakref
from typing import Any

from ._errors import VertexConfigError


@dataclasses.dataclass(frozen=True)
class VertexSettings:
    """The settings of a client made by `vertex_client` / `async_vertex_client`. Holds no secret."""

    project: str | None
    """The Google Cloud project in the URL; None when `base_url=` named the endpoint without one."""
    project_source: str | None
    """What gave the project: `project=`, `GOOGLE_CLOUD_PROJECT` or `the credentials`."""
    location: str | None
    """`global`, `us`, `eu` or a region; None when `base_url=` named the endpoint."""
    base_url: str
    endpoint: str
    api_version: str
    credentials: str
    """The kind of Google credentials, e.g. `service account key`."""
    credentials_source: str
    """`credentials=`, or where Application Default Credentials were found."""
    quota_project: str | None
    """The project billed through `x-goog-user-project`, if the credentials name one."""
    wire_compat: bool


_BY_HTTP_CLIENT: weakref.WeakKeyDictionary[Any, VertexSettings] = weakref.WeakKeyDictionary()


def remember(http_client: Any, settings: VertexSettings) -> None:
    _BY_HTTP_CLIENT[http_client] = settings


def vertex_settings(client: Any) -> VertexSettings:
    """The settings a client of `vertex_client` / `async_vertex_client` was built from (or a copy of one)."""
    settings = _BY_HTTP_CLIENT.get(getattr(client, "_client", None))
    if settings is None:
        raise VertexConfigError(
            f"{type(client).__name__} was not made by vertex_client() or async_vertex_client(), "
            "so it has no Vertex settings."
        )
    return settings
