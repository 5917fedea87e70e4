"""The Gemini helpers: Google request fields, thoughts, stream events, inputs, images and usage.

This is the wing's door: `openai_vertex` re-exports the helpers from here on first use (`_HELPERS` there);
`THINKING_LEVELS` is for the CLI. The helpers
read SDK objects and plain dicts alike, and import neither the auth nor the wire layer.
"""

from __future__ import annotations

from .._vertex import THINKING_LEVELS
from .extra_body import chat_kwargs, extra_body, merge_extra_body
from .images import GeneratedImage, generated_images
from .inputs import audio_part, file_part, image_part, pdf_part, tool_result, video_part
from .stream_events import (
    AnswerDelta,
    DoneEvent,
    StreamEvent,
    ThoughtDelta,
    ToolCallEvent,
    UsageEvent,
    astream_events,
    stream_events,
)
from .thoughts import SplitThoughts, ThoughtSplitter, split_thoughts
from .usage import UsageSummary, usage_summary

__all__ = [
    "THINKING_LEVELS",
    "AnswerDelta",
    "DoneEvent",
    "GeneratedImage",
    "SplitThoughts",
    "StreamEvent",
    "ThoughtDelta",
    "ThoughtSplitter",
    "ToolCallEvent",
    "UsageEvent",
    "UsageSummary",
    "astream_events",
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
    "video_part",
]
