"""Use the official openai SDK with Gemini and partner models on Google Vertex AI."""

from ._auth import VertexAuth
from ._client import API_KEY_PLACEHOLDER, async_vertex_client, vertex_base_url, vertex_client
from ._errors import OpenAIVertexError, VertexConfigError
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
