"""Use the official openai SDK with Gemini and partner models on Google Vertex AI.

Every public name loads on first use: the factories, `VertexAuth` and the errors from their modules (which
import openai and google-auth), the Gemini helpers from `_gemini`. So `openai-vertex --help` and
`--version` import neither, and code that only makes clients does not pay for the helpers.
"""

# The one place the version is written: pyproject.toml reads it at build time, CHANGELOG.md names it.
__version__ = "0.1.0"

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:  # type checkers see what __getattr__ loads
    from ._auth import VertexAuth
    from ._client import API_KEY_PLACEHOLDER, async_vertex_client, vertex_base_url, vertex_client
    from ._errors import OpenAIVertexError, VertexConfigError
    from ._gemini import *  # noqa: F403
    from ._http_client import async_vertex_http_client, vertex_http_client
    from ._settings import VertexSettings, vertex_settings

# Where the names not from `_gemini` live.
_HOMES = {
    "VertexAuth": "._auth",
    "API_KEY_PLACEHOLDER": "._client",
    "async_vertex_client": "._client",
    "vertex_base_url": "._client",
    "vertex_client": "._client",
    "OpenAIVertexError": "._errors",
    "VertexConfigError": "._errors",
    "VertexSettings": "._settings",
    "vertex_settings": "._settings",
    "vertex_http_client": "._http_client",
    "async_vertex_http_client": "._http_client",
}


def __getattr__(name: str) -> _typing.Any:
    """Every name of `__all__`, loaded from its module on first access (`_HOMES`, else `_gemini`)."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(_HOMES.get(name, "._gemini"), __name__), name)
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
    "VertexSettings",
    "astream_events",
    "async_vertex_client",
    "async_vertex_http_client",
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
    "vertex_http_client",
    "vertex_settings",
    "video_part",
]
