"""Streamed chat completions as Vertex (or OpenAI) sends them, for the benchmarks that read them."""

from __future__ import annotations

import json
from typing import Any

WORDS = ["the", "model", "weighs", "each", "option", "before", "it", "answers,", "so", "this", "sentence",
         "stands", "in", "for", "a", "thought;", "and", "this", "one", "for", "an", "answer", "that", "the",
         "user", "reads."]


def chunk_events(kind: str, count: int) -> list[bytes]:
    """SSE events of a streamed chat completion as Vertex (or OpenAI) sends them, then `[DONE]`."""
    events = []
    for number in range(count):
        delta: dict[str, Any]
        if kind == "tools":
            call = number // 8  # a call's arguments arrive over several chunks that repeat its id and name
            delta = {"role": "assistant", "tool_calls": [{
                "function": {"arguments": f"{{\"location\":\"City {number}\"}}", "name": "get_current_weather"},
                "id": f"function-call-{call:08d}-459a-46a4-a8ad-aa0a4e7c3563", "index": call % 2, "type": "function"}]}
        else:
            delta = {"content": " ".join(WORDS[number % 9: number % 9 + 6]) + " "}
            if kind == "gemini" or number == 0:
                delta["role"] = "assistant"
        chunk = {"choices": [{"delta": delta, "index": 0, "logprobs": None}], "created": 1770850461,
                 "id": "nQiNafGyF5rw998PstqooAY", "model": "google/gemini-2.5-flash",
                 "object": "chat.completion.chunk", "system_fingerprint": ""}
        events.append(b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    return events
