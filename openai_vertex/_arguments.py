"""Checks of what the factories are given, run first in `_build`: before any credentials lookup or traffic.

A misspelt keyword would otherwise reach the SDK only after the ADC lookup, and be reported as "No Google
credentials found"; a number for `project=` would fail deep inside as an AttributeError.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from typing import Any

from ._errors import VertexConfigError

# The factories' own keywords, offered beside the SDK's when a keyword is misspelt.
OWN_ARGUMENTS = ("project", "location", "credentials", "endpoint", "api_version", "base_url", "http_client",
                 "wire_compat", "skip_unknown_signatures")


@functools.lru_cache(maxsize=None)
def _sdk_keywords(client_class: type) -> frozenset[str] | None:
    """The keywords the SDK's client takes, read from its own signature (None: it takes any)."""
    parameters = inspect.signature(client_class).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    named = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return frozenset(p.name for p in parameters if p.kind in named)


def check_openai_kwargs(client_class: type, openai_kwargs: dict[str, Any]) -> None:
    """Every keyword left over for the SDK is one its client takes; a typo gets the nearest real name."""
    accepted = _sdk_keywords(client_class)
    unknown = sorted(set(openai_kwargs) - accepted) if accepted is not None else []
    if not unknown:
        return
    name = unknown[0]
    close = difflib.get_close_matches(name, [*OWN_ARGUMENTS, *sorted(accepted or ())], n=1)
    hint = f" Did you mean {close[0]}=?" if close else ""
    raise VertexConfigError(
        f"{name}= is not an argument of the Vertex factories, nor of openai.{client_class.__name__}.{hint}"
    )


def check_types(
    *, project: object, location: object, endpoint: object, api_version: object, wire_compat: object,
    skip_unknown_signatures: object,
) -> None:
    """The factories' scalar arguments have the types they are documented with (no truthy strings)."""
    for name, value, optional in (("project", project, True), ("location", location, True),
                                  ("endpoint", endpoint, False), ("api_version", api_version, False)):
        if not isinstance(value, str) and not (optional and value is None):
            raise VertexConfigError(f"{name}= must be a string, not {type(value).__name__} ({value!r}).")
    for name, value in (("wire_compat", wire_compat), ("skip_unknown_signatures", skip_unknown_signatures)):
        if not isinstance(value, bool):
            raise VertexConfigError(f"{name}= must be True or False, not {value!r}.")
