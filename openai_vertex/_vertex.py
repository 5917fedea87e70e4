"""Values that Vertex AI itself defines and that more than one wing needs (the wire layer, the testing kit, the
helpers and the CLI). Nothing is imported here, so the command line can read it without loading openai."""

from __future__ import annotations

SKIP_SIGNATURE = "skip_thought_signature_validator"
"""Google's documented stand-in for a thought signature the caller cannot have (history from another
model); docs/vertex-wire.md §6."""

HINT_OPENS = "(openai_vertex: "
"""How the wire layer's advice after Google's error message starts (it ends the message, closed by `)`)."""


def thought_signature(holder: object) -> object:
    """`holder.extra_content.google.thought_signature` of a tool call, message or part, else None (§6)."""
    extra = holder.get("extra_content") if isinstance(holder, dict) else None
    google = extra.get("google") if isinstance(extra, dict) else None
    return google.get("thought_signature") if isinstance(google, dict) else None


THINKING_LEVELS = ("minimal", "low", "medium", "high")
"""Gemini 3's `thinking_config.thinking_level` values, for `extra_body()` and `chat --thinking-level`."""
