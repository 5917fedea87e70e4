"""The factories' arguments checked before anything else runs, so a typo is reported as a typo.

Without this, `vertex_client(locaton="us")` would reach the ADC lookup first and report missing
credentials, and `project=123` would fail inside a regular expression.
"""

from __future__ import annotations

import difflib
import inspect
import warnings
from collections.abc import Mapping
from typing import Any, TypedDict

import httpx

from ._errors import VertexConfigError

# Keyword arguments of `openai.OpenAI` that mean OpenAI's own authentication; Vertex takes Google's.
_REFUSED = ("api_key", "organization", "provider", "workload_identity", "admin_api_key")
# The factories' own keywords (besides what the SDK takes), for suggestions.
OWN = ("project", "location", "credentials", "endpoint", "api_version", "base_url", "http_client", "wire_compat",
       "skip_unknown_signatures")


class OpenAIOptions(TypedDict, total=False):
    """What `vertex_client(**openai_kwargs)` passes on to `openai.OpenAI` (typed, so IDEs flag typos)."""

    timeout: float | httpx.Timeout | None
    max_retries: int
    default_headers: Mapping[str, str]
    default_query: Mapping[str, object]
    websocket_base_url: str | httpx.URL | None
    webhook_secret: str | None


def _keywords(client_class: type[Any]) -> frozenset[str]:
    """The SDK client's keyword arguments, read from its signature once per class (not per client)."""
    found = _KEYWORDS.get(client_class)
    if found is None:
        found = _KEYWORDS[client_class] = frozenset(inspect.signature(client_class).parameters)
    return found


_KEYWORDS: dict[type[Any], frozenset[str]] = {}


def check(factory: str, client_class: type[Any], openai_kwargs: Mapping[str, Any], named: Mapping[str, Any]) -> None:
    """Refuse unknown or misspelt keywords and arguments of the wrong type, before any I/O."""
    accepted = _keywords(client_class)
    for name in openai_kwargs:
        if name in _REFUSED:
            raise VertexConfigError(f"{name}= is not used by Vertex AI, which takes Google credentials; remove it.")
        if name not in accepted:
            close = difflib.get_close_matches(name, [*OWN, *sorted(accepted.difference(_REFUSED))], n=1)
            hint = f" Did you mean {close[0]}=?" if close else ""
            raise VertexConfigError(f"{factory}() got an unexpected keyword argument {name}=.{hint}")
    for name in ("project", "location", "endpoint", "api_version", "base_url"):
        value = named.get(name)
        if value is not None and not isinstance(value, str):
            raise VertexConfigError(f"{name}= takes a string, not {type(value).__name__} ({value!r}).")
    for name in ("wire_compat", "skip_unknown_signatures"):
        if not isinstance(named.get(name), bool):
            raise VertexConfigError(f"{name}= takes True or False, not {named.get(name)!r}.")
    if named.get("base_url") is not None:
        ignored = [name for name in ("project", "location") if named.get(name) is not None]
        if ignored:
            warnings.warn(
                f"{' and '.join(n + '=' for n in ignored)} ignored: base_url= names the endpoint itself.",
                UserWarning, stacklevel=4,
            )
