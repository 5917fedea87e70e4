"""Reading Vertex's extra response fields from SDK objects and plain dicts alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def raw_field(obj: object, *path: str) -> Any:
    """Follow `path` through mappings (`obj[name]`) and objects (`obj.name`); None once a step is absent.

    The SDK's models keep fields they do not declare (`extra_content`, `choice.image`) as attributes
    holding raw dicts, so one accessor walks both, on pydantic 1 and 2.
    """
    for name in path:
        if obj is None:
            return None
        obj = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
    return obj


def google_extra(obj: object) -> Mapping[str, Any]:
    """The `extra_content.google` mapping of a message, part, tool call or media object ({} if none)."""
    google = raw_field(obj, "extra_content", "google")
    return google if isinstance(google, Mapping) else {}
