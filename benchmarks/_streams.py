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


SIGNATURE = "CiQBcsjafE" + "x" * 300  # the length of a short real signature


def parallel_call_events(count: int) -> list[bytes]:
    """`count` chunks of parallel tool calls as Google's sample streams them (docs/vertex-wire.md §S2):
    each chunk repeats the role, the call's id and its name; a call's `index` changes after its first
    chunk; its first chunk carries the thought signature; arguments arrive in five pieces. The last
    chunk finishes the choice and carries the usage, then `[DONE]`."""
    pieces = ['{"location":"', "City", '","unit":"', "celsius", '"}']
    events = []
    for number in range(count):
        call, piece = divmod(number, 6)
        tool_call: dict[str, Any] = {
            "function": {"arguments": "" if piece == 0 else pieces[piece - 1], "name": "get_current_weather"},
            "id": f"function-call-{call:08d}-459a-46a4-a8ad-aa0a4e7c3563",
            "index": (call + (piece == 0)) % 2, "type": "function"}
        if piece == 0:
            tool_call = {"extra_content": {"google": {"thought_signature": SIGNATURE}}, **tool_call}
        choice: dict[str, Any] = {"delta": {"role": "assistant", "tool_calls": [tool_call]}, "index": 0,
                                  "logprobs": None}
        chunk: dict[str, Any] = {"choices": [choice], "created": 1770850461, "id": "nQiNafGyF5rw998PstqooAY",
                                 "model": "google/gemini-3.1-pro-preview", "object": "chat.completion.chunk",
                                 "system_fingerprint": ""}
        if number == count - 1:
            choice["finish_reason"] = "tool_calls"
            chunk["usage"] = {"completion_tokens": 45, "prompt_tokens": 27, "total_tokens": 72}
        events.append(b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    return events


def text_events(count: int) -> list[bytes]:
    """`count` chunks of Gemini text (each repeats the role), the last one finishing with usage, then `[DONE]`."""
    events = chunk_events("gemini", count)
    last = json.loads(events[-2][6:])
    last["choices"][0]["finish_reason"] = "stop"
    last["usage"] = {"completion_tokens": count, "prompt_tokens": 12, "total_tokens": count + 12}
    events[-2] = b"data: " + json.dumps(last, separators=(",", ":")).encode() + b"\n\n"
    return events
