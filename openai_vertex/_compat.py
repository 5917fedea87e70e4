"""The HTTP client families the openai SDK runs on: httpx before openai 3, httpx2 from openai 3 on."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Union

import httpx

try:
    import httpx2
except ImportError:  # openai < 3 needs httpx alone, and httpx2 may be absent
    httpx2 = None  # type: ignore[assignment]

FAMILIES: tuple[ModuleType, ...] = (httpx,) if httpx2 is None else (httpx2, httpx)

if TYPE_CHECKING:
    import httpx2 as _httpx2

    SyncHttpClient = Union[httpx.Client, _httpx2.Client]
    AsyncHttpClient = Union[httpx.AsyncClient, _httpx2.AsyncClient]
    HttpClient = Union[SyncHttpClient, AsyncHttpClient]
