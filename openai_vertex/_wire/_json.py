"""JSON helpers of the wire layer: its one decoder, a string or an object read alone, bytes written as the
openai SDK writes bodies, and a non-clobbering merge."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# What `json.loads` raises on a body that is not JSON. RecursionError too: a body nested a few thousand
# levels deep (hostile, or garbage from a proxy) exhausts the parser's stack instead of failing cleanly.
NOT_JSON = (ValueError, RecursionError)
DECODER = json.JSONDecoder()
"""The layer's one decoder: `raw_decode` reads a value at the start of a text, without `json.loads`'s work."""
# What `JSONDecoder` reads a string with; typeshed leaves it out, as it is not in `json.decoder.__all__`.
scan_string: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
"""`scan_string(text, start)`: the value of the JSON string whose opening quote is just before `start`, and
where it ends (after its closing quote)."""


def string_value(text: str) -> tuple[str, int]:
    """The value of the JSON string that opens `text`, and where that string ends: the standard library's
    own string scanner (C), without the work that `json.loads` does around it. ValueError, as `json.loads`
    would raise, when `text` does not open with a JSON string."""
    if text[:1] != '"':
        raise ValueError("not a JSON string")
    return scan_string(text, 1)


def is_object(text: str) -> bool:
    """Whether `json.loads(text)` is a dict (`DECODER` between JSON's blanks: no work around the decoder)."""
    text = text.strip(" \t\n\r")
    try:
        value, end = DECODER.raw_decode(text)
    except NOT_JSON:
        return False
    return end == len(text) and isinstance(value, dict)


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
