"""Use the official openai SDK with Gemini and partner models on Google Vertex AI.

The factories and `VertexAuth` load with the package; the Gemini helpers load on first use, so code that
only makes clients does not pay for them at import time.
"""

import importlib as _importlib
import typing as _typing

from ._auth import VertexAuth
from ._client import API_KEY_PLACEHOLDER, async_vertex_client, vertex_base_url, vertex_client
from ._errors import OpenAIVertexError, VertexConfigError

if _typing.TYPE_CHECKING:
    from ._events import (
        AnswerDelta,
        DoneEvent,
        StreamEvent,
        ThoughtDelta,
        ToolCallEvent,
        UsageEvent,
        astream_events,
        stream_events,
    )
    from ._extra_body import chat_kwargs, extra_body, merge_extra_body
    from ._images import GeneratedImage, generated_images
    from ._inputs import audio_part, file_part, image_part, pdf_part, tool_result, video_part
    from ._thoughts import SplitThoughts, ThoughtSplitter, split_thoughts
    from ._usage import UsageSummary, usage_summary

_HELPERS = {
    "._events": ("AnswerDelta", "DoneEvent", "StreamEvent", "ThoughtDelta", "ToolCallEvent", "UsageEvent",
                 "astream_events", "stream_events"),
    "._extra_body": ("chat_kwargs", "extra_body", "merge_extra_body"),
    "._images": ("GeneratedImage", "generated_images"),
    "._inputs": ("audio_part", "file_part", "image_part", "pdf_part", "tool_result", "video_part"),
    "._thoughts": ("SplitThoughts", "ThoughtSplitter", "split_thoughts"),
    "._usage": ("UsageSummary", "usage_summary"),
}
_HELPER_MODULES = {name: module for module, names in _HELPERS.items() for name in names}


def __getattr__(name: str) -> _typing.Any:
    module = _HELPER_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HELPER_MODULES})


__all__ = [
    "API_KEY_PLACEHOLDER",
    "AnswerDelta",
    "DoneEvent",
    "GeneratedImage",
    "OpenAIVertexError",
    "SplitThoughts",
    "StreamEvent",
    "ThoughtDelta",
    "ThoughtSplitter",
    "ToolCallEvent",
    "UsageEvent",
    "UsageSummary",
    "VertexAuth",
    "VertexConfigError",
    "astream_events",
    "async_vertex_client",
    "audio_part",
    "chat_kwargs",
    "extra_body",
    "file_part",
    "generated_images",
    "image_part",
    "merge_extra_body",
    "pdf_part",
    "split_thoughts",
    "stream_events",
    "tool_result",
    "usage_summary",
    "vertex_base_url",
    "vertex_client",
    "video_part",
]
