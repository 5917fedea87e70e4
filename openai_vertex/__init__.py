"""Use the official openai SDK with Gemini and partner models on Google Vertex AI.

The factories and `VertexAuth` load with the package; the Gemini helpers (`_gemini`) load on first use,
so code that only makes clients does not pay for them at import time.
"""

# The one place the version is written: pyproject.toml reads it at build time, CHANGELOG.md names it.
__version__ = "0.1.0"

import importlib as _importlib
import typing as _typing

from ._auth import VertexAuth
from ._client import API_KEY_PLACEHOLDER, async_vertex_client, vertex_base_url, vertex_client
from ._errors import OpenAIVertexError, VertexConfigError

if _typing.TYPE_CHECKING:
    from ._gemini import *  # noqa: F403  (type checkers see the helpers that __getattr__ loads)


def __getattr__(name: str) -> _typing.Any:
    """The Gemini helpers: every name of `__all__` not loaded with the package comes from `_gemini`."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module("._gemini", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
