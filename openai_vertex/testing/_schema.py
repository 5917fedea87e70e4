"""A small valid instance of a JSON schema, so that structured-output code runs unchanged against FakeVertex.

Not a generator of test data (hypothesis-jsonschema does that): one plain value per schema, chosen so that
the SDK's `parse()` and pydantic accept it, formats and bounds included. Patterns are not honoured.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_FORMATS = {
    "date-time": "2025-01-01T00:00:00Z",
    "date": "2025-01-01",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "duration": "PT1S",
}
_MAX_DEPTH = 32  # a recursive schema (a tree) stops at an optional branch long before this


def example(schema: Mapping[str, Any]) -> Any:
    """A value that `schema` (with its `$defs`) accepts."""
    return _value(schema, schema, 0)


def _value(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise ValueError("the schema nests deeper than FakeVertex follows; script a Reply for it")
    if "$ref" in schema:
        return _value(_resolve(str(schema["$ref"]), root), root, depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key):
            options = schema[key]
            # Prefer a branch that ends the recursion (null, a scalar) for anyOf/oneOf.
            chosen = min(options, key=lambda option: option.get("type") != "null") if key != "allOf" else options[0]
            return _value(chosen, root, depth + 1)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = "null" if "null" in kind else kind[0]
    return _typed(kind, schema, root, depth)


def _typed(kind: str, schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    if kind == "object":
        properties: Mapping[str, Any] = schema.get("properties", {})
        return {name: _value(sub, root, depth + 1) for name, sub in properties.items()}
    if kind == "array":
        items = schema.get("items") or {}
        return [_value(items, root, depth + 1) for _ in range(int(schema.get("minItems", 0)))]
    if kind == "string":
        text = _FORMATS.get(str(schema.get("format", "")), "string")
        minimum, maximum = int(schema.get("minLength", 0)), schema.get("maxLength")
        text = text.ljust(minimum, "x")
        return text[: int(maximum)] if maximum is not None else text
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        value = 0 if low is None else low + (1 if "exclusiveMinimum" in schema and "minimum" not in schema else 0)
        high = schema.get("maximum")
        value = min(value, high) if high is not None else value
        return int(value) if kind == "integer" else float(value)
    if kind == "boolean":
        return False
    return None


def _resolve(ref: str, root: Mapping[str, Any]) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"FakeVertex resolves only local references, not {ref!r}")
    found: Any = root
    for part in ref[2:].split("/"):
        found = found[part.replace("~1", "/").replace("~0", "~")]
    return found  # type: ignore[no-any-return]
