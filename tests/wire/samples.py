"""Vertex AI error bodies and a signed tool-call reply, for the wire-layer tests.

Copied from the samples in docs/vertex-wire.md; each constant names its section and source. Ids and
signatures are Google's own placeholders. The streamed samples are in `tests/gemini/samples.py`.
"""

from __future__ import annotations

import json
from typing import Any

# docs/vertex-wire.md §S6 (DOC, Google's thought-signatures page, parallel example): the assistant message
# of a turn with two parallel calls; only the first carries a signature. Wrapped here in the
# `chat.completion` envelope of §S1 so that it can be served as a non-streamed reply.
SIGNED_CALLS_MESSAGE: dict[str, Any] = {
    "role": "assistant",
    "tool_calls": [
        {
            "extra_content": {"google": {"thought_signature": "<SIGNATURE_A>"}},
            "function": {"arguments": "{\"location\":\"Paris\"}", "name": "get_current_temperature"},
            "id": "function-call-f3b9ecb3-d55f-4076-98c8-b13e9d1c0e01",
            "type": "function",
        },
        {
            "function": {"arguments": "{\"location\":\"London\"}", "name": "get_current_temperature"},
            "id": "function-call-335673ad-913e-42d1-bbf5-387c8ab80f44",
            "type": "function",
        },
    ],
}
SIGNED_CALLS_COMPLETION = json.dumps(
    {
        "choices": [{"finish_reason": "tool_calls", "index": 0, "logprobs": None, "message": SIGNED_CALLS_MESSAGE}],
        "created": 1770850461,
        "id": "nQiNafGyF5rw998PstqooAY",
        "model": "google/gemini-3.1-pro-preview",
        "object": "chat.completion",
        "system_fingerprint": "",
        "usage": {"completion_tokens": 45, "prompt_tokens": 27, "total_tokens": 72},
    }
).encode()

# docs/vertex-wire.md §S8a (REAL, LibreChat#11826): 400 for a Gemini 3 call replayed without its signature.
MISSING_SIGNATURE_MESSAGE = (
    "Unable to submit request because function call `default_api:esql_mcp_elastic-local-mcp-server` in the "
    "12. content block is missing a `thought_signature`. Learn more: "
    "https://docs.cloud.google.com/vertex-ai/generative-ai/docs/thought-signatures"
)
MISSING_SIGNATURE_400 = json.dumps(
    [
        {
            "error": {
                "code": 400,
                "message": MISSING_SIGNATURE_MESSAGE,
                "errors": [{"message": MISSING_SIGNATURE_MESSAGE, "domain": "global", "reason": "badRequest"}],
                "status": "INVALID_ARGUMENT",
            }
        }
    ],
    indent=2,
).encode()

# docs/vertex-wire.md §S8d (REAL, earendil-works/pi#2463), in the list envelope that ogx-ai/ogx#4211 saw
# reach the openai SDK from endpoints/openapi.
NOT_FOUND_MESSAGE = (
    "Publisher Model `projects/ppd-hedl-one-3/locations/global/publishers/google/models/gemini-1.5-flash` was "
    "not found or your project does not have access to it. Please ensure you are using a valid model version. "
    "For more information, see: https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions"
)
NOT_FOUND_404 = json.dumps([{"error": {"code": 404, "message": NOT_FOUND_MESSAGE, "status": "NOT_FOUND"}}]).encode()

# docs/vertex-wire.md §S8c (REAL, google-gemini/gemini-cli#14831): 429 with `errors[]`.
EXHAUSTED_MESSAGE = (
    "Resource exhausted. Please try again later. Please refer to "
    "https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details."
)
EXHAUSTED_429 = json.dumps(
    [
        {
            "error": {
                "code": 429,
                "message": EXHAUSTED_MESSAGE,
                "errors": [{"message": EXHAUSTED_MESSAGE, "domain": "global", "reason": "rateLimitExceeded"}],
                "status": "RESOURCE_EXHAUSTED",
            }
        }
    ],
    indent=2,
).encode()

# docs/vertex-wire.md §S8h (FIXTURE reproducing a real dump): a stream aborted mid-call; the error array is
# written outside any `data:` line, over several lines, and the connection closes.
CANCELLED_MID_STREAM = (
    b'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"z","function":{"name":"edit",'
    b'"arguments":"{\\"new\\":\\"a"}}]},"finish_reason":null}]}\n'
    b"\n"
    b"[{\n"
    b'  "error": {\n'
    b'    "code": 499,\n'
    b'    "message": "The operation was cancelled.",\n'
    b'    "status": "CANCELLED"\n'
    b"  }\n"
    b"}\n"
    b"]\n"
)


# -- answers the proto layer left incomplete (docs/vertex-wire.md §12) ------------------------------
# No raw capture of these bodies is public; each is built in the envelope of §S1 (REAL) with exactly the
# deviation its source reports, and says so.


def answer(*choices: dict[str, Any], usage: dict[str, Any] | None = None, **fields: Any) -> bytes:
    """A `chat.completion` body in §S1's envelope, with these choices (none: no `choices` key at all)."""
    body: dict[str, Any] = {
        "created": 1761934621, "id": "Hf0EacSvGLGN1tEP3quxSQ", "model": "google/gemini-2.5-flash",
        "object": "chat.completion", "system_fingerprint": "", **fields,
    }
    if choices:
        body["choices"] = list(choices)
    if usage is not None:
        body["usage"] = usage
    return json.dumps(body).encode()


# §12.1: a candidate with a finish reason and no content reaches the client with no `message` and usage
# without `completion_tokens` (BerriAI/litellm#40477: MALFORMED_FUNCTION_CALL, NO_IMAGE; Vertex returns
# MALFORMED_FUNCTION_CALL often on Gemini 3 tool use, googleapis/python-genai#1836).
MALFORMED_CALL_ANSWER = answer(
    {"finish_reason": "malformed_function_call", "index": 0, "logprobs": None},
    usage={"prompt_tokens": 27, "total_tokens": 27},
)
# §12.1: a prompt blocked before any candidate: no `choices` at all, prompt tokens only.
BLOCKED_PROMPT_ANSWER = answer(usage={"prompt_tokens": 7})

# §12.2: `finish_reason: "stop"` on a message with tool calls (open-webui/computer#224, Gemini's
# OpenAI-compatible stream "finish[es] a tool-call response with finish_reason: stop"); here on §S6's message.
STOP_WITH_CALLS_ANSWER = answer(
    {"finish_reason": "stop", "index": 0, "logprobs": None, "message": SIGNED_CALLS_MESSAGE},
    usage={"completion_tokens": 45, "prompt_tokens": 27, "total_tokens": 72},
)


def finished_with(reason: str) -> bytes:
    """§12.3: a text answer of §S1 that finished with `reason` (Gemini's FinishReason names, lower-cased)."""
    return answer(
        {"finish_reason": reason, "index": 0, "logprobs": None, "message": {"content": None, "role": "assistant"}},
        usage={"completion_tokens": 0, "prompt_tokens": 15, "total_tokens": 15},
    )


# §12.6: `message.content` as a list of text parts (issue 12 item 6, seen on Vertex).
TEXT_PARTS_ANSWER = answer(
    {"finish_reason": "stop", "index": 0, "logprobs": None, "message": {"role": "assistant", "content": [
        {"type": "text", "text": "Why did the scarecrow win an award?"},
        {"type": "text", "text": "\n\nBecause he was outstanding in his field!"},
    ]}},
    usage={"completion_tokens": 18, "prompt_tokens": 15, "total_tokens": 33},
)


# -- streamed (docs/vertex-wire.md §12), in §S2's chunk envelope ------------------------------------

_CHUNK_ENVELOPE: dict[str, Any] = {
    "created": 1770850461, "id": "nQiNafGyF5rw998PstqooAY", "model": "google/gemini-3.1-pro-preview",
    "object": "chat.completion.chunk", "system_fingerprint": "",
}


def chunk(*choices: dict[str, Any], usage: dict[str, Any] | None = None, no_choices: bool = False) -> str:
    body: dict[str, Any] = {**({} if no_choices else {"choices": list(choices)}), **_CHUNK_ENVELOPE}
    if usage is not None:
        body["usage"] = usage
    return json.dumps(body)


def stream(*chunks: str) -> bytes:
    return "".join(f"data: {payload}\n\n" for payload in [*chunks, "[DONE]"]).encode()


SIGNATURE = {"google": {"thought_signature": "<SIGNATURE_A>"}}
_WEATHER_CALL = {
    "id": "function-call-1", "type": "function",
    "function": {"name": "get_weather", "arguments": '{"location":"Sydney"}'},
}
_FINISH_STOP = {"delta": {}, "finish_reason": "stop", "index": 0}
_USAGE = {"completion_tokens": 12, "prompt_tokens": 30, "total_tokens": 42}

# §12.2, §12.4 (open-webui/computer#224): an index-less tool call whose thought signature comes in a delta
# of its own, carrying nothing but `extra_content`, after the call; the stream ends with `stop`.
METADATA_AFTER_CALL_SSE = stream(
    chunk({"delta": {"role": "assistant", "tool_calls": [_WEATHER_CALL]}, "index": 0}),
    chunk({"delta": {"tool_calls": [{"extra_content": SIGNATURE}]}, "index": 0}),
    chunk(_FINISH_STOP, usage=_USAGE),
)
# The same, with the metadata-only delta before the call it belongs to (the issue saw both orders).
METADATA_BEFORE_CALL_SSE = stream(
    chunk({"delta": {"role": "assistant", "tool_calls": [{"extra_content": SIGNATURE}]}, "index": 0}),
    chunk({"delta": {"tool_calls": [_WEATHER_CALL]}, "index": 0}),
    chunk(_FINISH_STOP, usage=_USAGE),
)

# §12.1, §12.3: text, then a finishing chunk with no `delta`, Google's finish reason and usage without
# `completion_tokens` (the streamed form of MALFORMED_CALL_ANSWER).
MALFORMED_CALL_SSE = stream(
    chunk({"delta": {"role": "assistant", "content": "Let me check."}, "index": 0}),
    chunk({"finish_reason": "malformed_function_call", "index": 0}, usage={"prompt_tokens": 27, "total_tokens": 31}),
)
# §12.1: a prompt blocked before any candidate: one chunk without `choices`.
BLOCKED_PROMPT_SSE = stream(chunk(usage={"prompt_tokens": 7}, no_choices=True))

# §12.8 (the Gemini API's OpenAI endpoint, same translation layer): usage on every chunk, cumulative.
CUMULATIVE_USAGE_SSE = stream(
    *(chunk({"delta": {"role": "assistant", "content": word}, "index": 0},
            usage={"completion_tokens": n, "prompt_tokens": 30, "total_tokens": 30 + n})
      for n, word in enumerate(["Why ", "did ", "the ", "scarecrow "], start=1)),
    chunk({"delta": {"content": "win?"}, "finish_reason": "stop", "index": 0},
          usage={"completion_tokens": 5, "prompt_tokens": 30, "total_tokens": 35}),
)

# §12.6 streamed: a delta's `content` as a list of text parts.
TEXT_PARTS_SSE = stream(
    chunk({"delta": {"role": "assistant", "content": [{"type": "text", "text": "Why did "},
                                                      {"type": "text", "text": "the scarecrow"}]}, "index": 0}),
    chunk({"delta": {"content": [{"type": "text", "text": " win?"}]}, "finish_reason": "stop", "index": 0}),
)
