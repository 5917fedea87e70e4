"""JSON helpers of the wire layer: bytes written as the openai SDK writes bodies, one string read from its
bytes, and a non-clobbering merge."""

from __future__ import annotations

import json
from typing import Any

# What `json.loads` raises on a body that is not JSON. RecursionError too: a body nested a few thousand
# levels deep (hostile, or garbage from a proxy) exhausts the parser's stack instead of failing cleanly.
NOT_JSON = (ValueError, RecursionError)

STRING = rb'"[^"\\\x00-\x1f]*(?:\\.[^"\\\x00-\x1f]*)*"'
"""A JSON string's bytes, as a regular expression (unrolled: no possessive quantifiers before Python 3.11)."""


def string_value(quoted: bytes) -> str:
    """The value of a JSON string (its bytes, quotes included); without `json.loads` when its only escapes
    are `\\"` (the quotes of a tool call's arguments). Raises what `json.loads` raises on a bad escape."""
    inner = quoted[1:-1]
    if b"\\" not in inner:
        return inner.decode()
    if inner.count(b"\\") == inner.count(b'\\"') and not inner.endswith(b"\\"):
        return inner.replace(b'\\"', b'"').decode()
    value: str = json.loads(quoted)
    return value


def loads_object(body: bytes) -> dict[str, Any] | None:
    """The JSON object in `body`, or None when it is not JSON or not an object."""
    try:
        value = json.loads(body)
    except NOT_JSON:
        return None
    return value if isinstance(value, dict) else None


def dumps(value: object) -> bytes:
    """Serialise `value` compactly; falls back to ASCII escapes when the text is not valid UTF-8."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:
        # A lone surrogate is legal in JSON as an escape (`"\ud800"`) but cannot be encoded as
        # UTF-8, so a body that arrived with one must leave escaped too.
        return json.dumps(value, separators=(",", ":")).encode()


def merge_missing(target: dict[str, Any], source: dict[str, Any]) -> bool:
    """Copy into `target` the keys of `source` it lacks (or holds as null), recursing into dicts.

    What `target` already holds always wins; returns whether anything was added.
    """
    changed = False
    for key, value in source.items():
        current = target.get(key)
        if current is None:
            target[key] = value
            changed = True
        elif isinstance(current, dict) and isinstance(value, dict):
            changed |= merge_missing(current, value)
    return changed
