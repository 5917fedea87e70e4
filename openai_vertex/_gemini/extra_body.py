"""Building and combining the Google-only request fields (`extra_body.google`).

Vertex reads them from a top-level JSON key literally named `extra_body`, and the SDK spreads its own
`extra_body=` argument into the top level of the request, hence the double nesting
`extra_body={"extra_body": {"google": {...}}}`. Vertex silently ignores fields it does not know, so a
wrong value costs nothing but the behaviour asked for; these helpers check values before sending.

`reasoning_effort` (a regular `create()` argument) and `thinking_config` must not be sent together.
Google maps `reasoning_effort` onto thinking as follows:

- Gemini 2.5: `low` = `thinking_budget` 1024, `medium` = 8192, `high` = 24576 tokens
  (`none` = 0 where the model can switch thinking off);
- Gemini 3: the effort becomes the `thinking_level` of the same name (`minimal`, `low`, `medium`, `high`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .._errors import VertexConfigError
from .._vertex import THINKING_LEVELS
from ._raw_fields import raw_field
from .thoughts import check_marker

__all__ = ["chat_kwargs", "extra_body", "merge_extra_body"]

REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high")
_CACHED_CONTENT = re.compile(r"projects/[^/]+/locations/[^/]+/cachedContents/[^/]+")


def extra_body(
    *,
    thinking_budget: int | None = None,
    thinking_level: str | None = None,
    include_thoughts: bool | None = None,
    thought_tag_marker: str | None = None,
    safety_settings: Sequence[Mapping[str, Any]] | None = None,
    cached_content: str | None = None,
    **google: Any,
) -> dict[str, Any]:
    """The value to pass as `extra_body=` to `client.chat.completions.create`.

    Args:
        thinking_budget: thinking tokens; 0 switches thinking off, -1 lets the model decide (Gemini 2.5).
        thinking_level: `minimal`, `low`, `medium` or `high` (Gemini 3); not together with a budget.
        include_thoughts: return the thoughts; set `thought_tag_marker` too, or they are mixed
            untagged into `content`.
        thought_tag_marker: tag name that wraps thoughts in `content` (`think` gives `<think>…</think>`).
        safety_settings: `[{"category": "HARM_CATEGORY_…", "threshold": "BLOCK_…"}, …]`.
        cached_content: `projects/…/locations/{region}/cachedContents/{id}`, in the endpoint's region.
        **google: other `extra_body.google` fields, sent as given (`None` values dropped), deep-merged
            with the ones above (e.g. `thinking_config={...}` for a key not named here).

    Raises:
        VertexConfigError: a value Vertex would not understand, named by its argument.
    """
    if "reasoning_effort" in google:
        raise VertexConfigError(
            "reasoning_effort is an argument of create(), not a Google field; pass it there, or use "
            "chat_kwargs(extra_body(...), reasoning_effort=...) to have it checked against thinking_config"
        )
    thinking: dict[str, Any] = {}
    if thinking_budget is not None:
        thinking["thinking_budget"] = _budget(thinking_budget)
    if thinking_level is not None:
        if thinking_level not in THINKING_LEVELS:
            raise VertexConfigError(
                f"thinking_level must be one of {', '.join(THINKING_LEVELS)}, not {thinking_level!r}"
            )
        thinking["thinking_level"] = thinking_level
    if include_thoughts is not None:
        if not isinstance(include_thoughts, bool):
            raise VertexConfigError(f"include_thoughts must be True or False, not {include_thoughts!r}")
        thinking["include_thoughts"] = include_thoughts

    named: dict[str, Any] = {}
    if thinking:
        named["thinking_config"] = thinking
    if thought_tag_marker is not None:
        named["thought_tag_marker"] = check_marker(thought_tag_marker, "thought_tag_marker")
    if safety_settings is not None:
        named["safety_settings"] = _safety_settings(safety_settings)
    if cached_content is not None:
        if not isinstance(cached_content, str) or not _CACHED_CONTENT.fullmatch(cached_content):
            raise VertexConfigError(
                "cached_content must be a resource name like "
                f"'projects/PROJECT/locations/REGION/cachedContents/ID', not {cached_content!r}"
            )
        named["cached_content"] = cached_content
    others = {key: value for key, value in google.items() if value is not None}
    body: dict[str, Any] = {"extra_body": {"google": named}}
    _merge_into(body["extra_body"]["google"], others, "", conflict="an argument of extra_body() and its **google")
    if {"thinking_budget", "thinking_level"} <= set(body["extra_body"]["google"].get("thinking_config", {})):
        raise VertexConfigError("pass thinking_budget (Gemini 2.5) or thinking_level (Gemini 3), not both")
    return body


def merge_extra_body(*parts: Mapping[str, Any] | None) -> dict[str, Any]:
    """Deep-merge several `extra_body=` values into one; `None` parts are skipped.

    The SDK's own merge is shallow: two layers (your code, a framework, `extra_body(...)`) that each set
    `extra_body` would replace each other's Google fields. Equal values may repeat; different values for
    the same key raise, as does a merged result with both `reasoning_effort` and `thinking_config`.
    """
    merged: dict[str, Any] = {}
    for number, part in enumerate(parts, 1):
        if part is not None and not isinstance(part, Mapping):
            raise VertexConfigError(
                f"merge_extra_body() and chat_kwargs() take extra_body dicts (such as extra_body(...)) or None; "
                f"argument {number} is a {type(part).__name__}"
            )
        if part is not None:
            _merge_into(merged, part, "")
    _check_reasoning(merged.get("reasoning_effort"), merged)
    return merged


def chat_kwargs(*parts: Mapping[str, Any] | None, reasoning_effort: str | None = None) -> dict[str, Any]:
    """Keyword arguments for `create()`: the merged `extra_body` plus `reasoning_effort`, checked together.

    Use it as `client.chat.completions.create(model=..., messages=..., **chat_kwargs(extra_body(...),
    reasoning_effort="low"))`; it refuses a `reasoning_effort` that would travel with a `thinking_config`.
    """
    body = merge_extra_body(*parts)
    if reasoning_effort is None:
        return {"extra_body": body}
    if reasoning_effort not in REASONING_EFFORTS:
        raise VertexConfigError(
            f"reasoning_effort must be one of {', '.join(REASONING_EFFORTS)}, not {reasoning_effort!r}"
        )
    if "reasoning_effort" in body:
        raise VertexConfigError("reasoning_effort is set both as an argument and inside extra_body; keep one")
    _check_reasoning(reasoning_effort, body)
    # Sent through extra_body, which the SDK merges into the top level of the JSON: the same request, and
    # one keyword argument that wrappers of create() pass on without knowing it.
    return {"extra_body": {**body, "reasoning_effort": reasoning_effort}}


def _check_reasoning(reasoning_effort: object, body: Mapping[str, Any]) -> None:
    if reasoning_effort is not None and raw_field(body, "extra_body", "google", "thinking_config") is not None:
        raise VertexConfigError(
            "send reasoning_effort or thinking_config, never both (Google's rule); drop reasoning_effort and "
            "express it in extra_body(...): for Gemini 2.5 low/medium/high = thinking_budget "
            f"1024/8192/24576, for Gemini 3 thinking_level={reasoning_effort!r}"
        )


def _budget(value: object) -> int:
    # bool is an int subclass, and True would quietly become a budget of one token.
    if isinstance(value, bool) or not isinstance(value, int) or value < -1:
        raise VertexConfigError(
            f"thinking_budget must be an int >= -1 (0 = off, -1 = dynamic), not {value!r}"
        )
    return value


def _safety_settings(settings: object) -> list[dict[str, Any]]:
    if isinstance(settings, (str, bytes, Mapping)) or not isinstance(settings, Sequence):
        raise VertexConfigError("safety_settings must be a list of {'category': ..., 'threshold': ...} dicts")
    result = []
    for position, setting in enumerate(settings):
        if not isinstance(setting, Mapping) or not all(
            isinstance(setting.get(key), str) and setting[key] for key in ("category", "threshold")
        ):
            raise VertexConfigError(
                f"safety_settings[{position}] must be a dict with string 'category' and 'threshold' "
                f"(e.g. HARM_CATEGORY_HATE_SPEECH, BLOCK_LOW_AND_ABOVE), not {setting!r}"
            )
        result.append(dict(setting))
    return result


def _merge_into(target: dict[str, Any], source: Mapping[str, Any], path: str,
                conflict: str = "extra_body parts") -> None:
    for key, value in source.items():
        where = f"{path}.{key}" if path else str(key)
        if isinstance(value, Mapping) and isinstance(target.get(key, {}), dict):
            _merge_into(target.setdefault(key, {}), value, where, conflict)
        elif key not in target:
            target[key] = copy.deepcopy(value)
        elif target[key] != value:
            raise VertexConfigError(
                f"{conflict} disagree on {where}: {target[key]!r} vs {value!r}; set it in one place"
            )
