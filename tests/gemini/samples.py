"""Vertex response bodies from docs/vertex-wire.md, and SDK clients that serve them from a MockTransport.

Bodies are copied verbatim from its samples (§S numbers below); where a test needs something the
samples lack (a tagged thought stream), it is built in the envelope of §S2 and says so.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from openai_vertex import async_vertex_client, vertex_client

from ..compat import SDK_HTTP
from ..doubles import FakeCredentials

# The HTTP library that the installed openai runs on: httpx2 from openai 3, httpx before.
HTTP: Any = SDK_HTTP
BASE_URL = "https://example.invalid/v1"

# §S1, REAL: gemini-2.5-flash, reasoning outside completion_tokens (15 + 18 + 41 = 74).
TEXT_COMPLETION: dict[str, Any] = json.loads(
    '{"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"content":"Why did the '
    'scarecrow win an award?\\n\\nBecause he was outstanding in his field!","role":"assistant"}}],'
    '"created":1761934621,"id":"Hf0EacSvGLGN1tEP3quxSQ","model":"google/gemini-2.5-flash",'
    '"object":"chat.completion","system_fingerprint":"","usage":{"completion_tokens":18,'
    '"completion_tokens_details":{"reasoning_tokens":41},"extra_properties":{"google":'
    '{"traffic_type":"ON_DEMAND"}},"prompt_tokens":15,"total_tokens":74}}'
)

_ENVELOPE = (
    '"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview",'
    '"object":"chat.completion.chunk","system_fingerprint":""'
)

# §S2, DOC, verbatim: two streamed parallel calls; `index` flips (A: 1 -> 0, B: 0 -> 1); only A has a
# signature; finish_reason and usage share the last chunk (27 + 45 + 504 = 576).
TOOL_CALL_SSE = (
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"extra_content":{"google":{"thought_signature":"..."}},"function":{"arguments":"","name":"get_current_weather"},"id":"function-call-c855348a-459a-46a4-a8ad-aa0a4e7c3563","index":1,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"{\\"location\\":\\"Boston, MA","name":"get_current_weather"},"id":"function-call-c855348a-459a-46a4-a8ad-aa0a4e7c3563","index":0,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"\\"","name":"get_current_weather"},"id":"function-call-c855348a-459a-46a4-a8ad-aa0a4e7c3563","index":0,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":",\\"unit\\":\\"celsius","name":"get_current_weather"},"id":"function-call-c855348a-459a-46a4-a8ad-aa0a4e7c3563","index":0,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"\\"","name":"get_current_weather"},"id":"function-call-c855348a-459a-46a4-a8ad-aa0a4e7c3563","index":0,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"}","name":"get_current_weather"},"id":"function-call-c855348a-459a-46a4-a8ad-aa0a4e7c3563","index":0,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"","name":"get_current_weather"},"id":"function-call-df0d087c-ad74-46f1-ba4a-9353cbf288a8","index":0,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"{\\"location\\":\\"New Delhi, India","name":"get_current_weather"},"id":"function-call-df0d087c-ad74-46f1-ba4a-9353cbf288a8","index":1,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"\\"","name":"get_current_weather"},"id":"function-call-df0d087c-ad74-46f1-ba4a-9353cbf288a8","index":1,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":",\\"unit\\":\\"celsius","name":"get_current_weather"},"id":"function-call-df0d087c-ad74-46f1-ba4a-9353cbf288a8","index":1,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"\\"","name":"get_current_weather"},"id":"function-call-df0d087c-ad74-46f1-ba4a-9353cbf288a8","index":1,"type":"function"}]},"index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":""}\n\n'
    b'data: {"choices":[{"delta":{"role":"assistant","tool_calls":[{"function":{"arguments":"}","name":"get_current_weather"},"id":"function-call-df0d087c-ad74-46f1-ba4a-9353cbf288a8","index":1,"type":"function"}]},"finish_reason":"tool_calls","index":0,"logprobs":null}],"created":1770850461,"id":"nQiNafGyF5rw998PstqooAY","model":"google/gemini-3.1-pro-preview","object":"chat.completion.chunk","system_fingerprint":"","usage":{"completion_tokens":45,"completion_tokens_details":{"reasoning_tokens":504},"extra_properties":{"google":{"traffic_type":"PROVISIONED_THROUGHPUT"}},"prompt_tokens":27,"total_tokens":576}}\n\n'
    b"data: [DONE]\n\n"
)
TOOL_CALL_IDS = (
    "function-call-c855348a-459a-46a4-a8ad-aa0a4e7c3563",
    "function-call-df0d087c-ad74-46f1-ba4a-9353cbf288a8",
)

# §S3, DOC: Gemini 3 Pro Image puts the image in `message.audio`. `<BASE64_BYTES>` is Google's placeholder.
IMAGE_IN_AUDIO: dict[str, Any] = {
    "choices": [
        {
            "finish_reason": "stop",
            "index": 0,
            "logprobs": None,
            "message": {
                "audio": {
                    "data": "<BASE64_BYTES>",
                    "extra_content": {"google": {"mime_type": "image/png"}},
                },
                "content": None,
                "extra_content": {"google": {"thought_signature": "..."}},
                "role": "assistant",
            },
        }
    ],
    "created": 1770850692,
    "id": "hAmNaZb8BZOX4_UPlNXoEA",
    "model": "google/gemini-3-pro-image-preview",
    "object": "chat.completion",
    "system_fingerprint": "",
    "usage": {
        "completion_tokens": 1120,
        "completion_tokens_details": {"reasoning_tokens": 251},
        "extra_properties": {"google": {"traffic_type": "PROVISIONED_THROUGHPUT"}},
        "prompt_tokens": 7,
        "total_tokens": 1378,
    },
}

# §S4, DOC: the older sample, image on the choice. `IMAGE_DATA` is Google's placeholder.
IMAGE_ON_CHOICE: dict[str, Any] = {
    "choices": [
        {
            "finish_reason": "stop",
            "index": 0,
            "image": {"data": "IMAGE_DATA", "extra_content": {"google": {"mime_type": "image/png"}}},
            "content": "Here is an image of a banana: ",
            "role": "assistant",
        }
    ],
    "created": 1757099999,
    "id": "sample_response_id",
    "model": "google/gemini-2.5-flash-image-preview",
    "object": "chat.completion",
    "system_fingerprint": "",
    "usage": {"completion_tokens": 1299, "prompt_tokens": 7, "total_tokens": 1306},
}

# §S5, DOC: no completion_tokens_details when nothing was reasoned.
PLAIN_USAGE: dict[str, Any] = {
    "completion_tokens": 16,
    "extra_properties": {"google": {"traffic_type": "ON_DEMAND"}},
    "prompt_tokens": 1139,
    "total_tokens": 1155,
}

# §S7b, DOC via FIXTURE: DeepSeek MaaS stream, usage on the last chunk without stream_options.
_DEEPSEEK = (
    '"created":1749661200,"id":"2025-06-11|10:00:00.292195-07|9.7.144.202|-123456789",'
    '"model":"deepseek-ai/deepseek-v3.1-maas","object":"chat.completion.chunk","system_fingerprint":""'
)
MAAS_STREAM: list[str] = [
    '{"choices":[{"delta":{"content":"Hello","role":"assistant"},"finish_reason":null,"index":0}],' + _DEEPSEEK + "}",
    '{"choices":[{"delta":{"content":""},"finish_reason":"stop","index":0}],'
    + _DEEPSEEK
    + ',"usage":{"completion_tokens":131,"prompt_tokens":14,"total_tokens":145}}',
]

# §S7c, DOC via FIXTURE: Grok on Vertex, cached prompt tokens (663 + 50 + 124 = 837).
GROK_USAGE: dict[str, Any] = json.loads(
    '{"completion_tokens":50,"completion_tokens_details":{"accepted_prediction_tokens":0,"audio_tokens":0,'
    '"reasoning_tokens":124,"rejected_prediction_tokens":0},"cost_in_usd_ticks":0,"num_sources_used":0,'
    '"prompt_tokens":663,"prompt_tokens_details":{"audio_tokens":0,"cached_tokens":654,"image_tokens":0,'
    '"text_tokens":663},"total_tokens":837}'
)


def text_chunk(content: str | None, finish: str | None = None, usage: dict[str, Any] | None = None) -> str:
    """A content chunk in §S2's envelope (docs/vertex-wire.md holds no tagged-thought capture from Vertex)."""
    delta: dict[str, Any] = {"role": "assistant"} if content is None else {"content": content, "role": "assistant"}
    chunk: dict[str, Any] = {
        "choices": [{"delta": delta, "index": 0, "logprobs": None, "finish_reason": finish}],
        **json.loads("{" + _ENVELOPE + "}"),
    }
    if usage is not None:
        chunk["usage"] = usage
    return json.dumps(chunk)


def sse(chunks: list[str]) -> bytes:
    """Chunk payloads as Vertex sends them: `data:` events, then `data: [DONE]`."""
    return "".join(f"data: {chunk}\n\n" for chunk in [*chunks, "[DONE]"]).encode()


Handler = Callable[[Any], Any]


def replying(body: dict[str, Any] | bytes, sent: list[Any] | None = None) -> Handler:
    """A MockTransport handler answering every request with `body` (JSON, or SSE bytes)."""

    def handler(request: Any) -> Any:
        if sent is not None:
            sent.append(json.loads(request.read()))
        if isinstance(body, bytes):
            return HTTP.Response(200, content=body, headers={"content-type": "text/event-stream"})
        return HTTP.Response(200, json=body)

    return handler


def client(handler: Handler, kind: str = "openai") -> openai.OpenAI:
    """A real SDK client over `handler`: plain `openai.OpenAI` (the raw Vertex wire shape reaches the
    helpers) or `vertex_client` (the library's normalisers run first)."""
    http = HTTP.Client(transport=HTTP.MockTransport(handler))
    if kind == "vertex":
        return vertex_client(credentials=FakeCredentials(), base_url=BASE_URL, http_client=http)
    return openai.OpenAI(api_key="x", base_url=BASE_URL, http_client=http)


def async_client(handler: Handler, kind: str = "openai") -> openai.AsyncOpenAI:
    async def async_handler(request: Any) -> Any:
        await request.aread()
        return handler(request)

    http = HTTP.AsyncClient(transport=HTTP.MockTransport(async_handler))
    if kind == "vertex":
        return async_vertex_client(credentials=FakeCredentials(), base_url=BASE_URL, http_client=http)
    return openai.AsyncOpenAI(api_key="x", base_url=BASE_URL, http_client=http)


def completion(body: dict[str, Any]) -> ChatCompletion:
    """`body` parsed by the SDK exactly as a live response would be (strict validation rejects §S3)."""
    return client(replying(copy.deepcopy(body))).chat.completions.create(model="google/gemini-2.5-flash", messages=[])
