"""Builders for multimodal message content: images, audio, video, PDFs and tool results with media.

Vertex reads every non-audio medium from an `image_url` part, whose URL may be `https://…`, `gs://…`
(read by Vertex with your project's permissions) or a `data:<mime>;base64,…` URL of any MIME type.
Audio goes in an `input_audio` part as base64 or a `gs://` URI, with a format of `wav`, `mp3` or a MIME
type. Local data (a path or bytes) is inlined; its MIME type comes from `mime_type=`, else from its
leading bytes, else from the file name.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from . import _mime
from .._errors import VertexConfigError

if TYPE_CHECKING:
    from openai.types.chat import (
        ChatCompletionContentPartImageParam,
        ChatCompletionContentPartInputAudioParam,
        ChatCompletionToolMessageParam,
    )

__all__ = ["Source", "audio_part", "file_part", "image_part", "pdf_part", "tool_result", "video_part"]

Source = str | os.PathLike[str] | bytes
"""A local file (path), raw bytes, or a string URL/URI that Vertex reads itself."""

_URI_PREFIXES = ("https://", "http://", "gs://", "data:")
# OpenAI's two audio format names; Vertex also takes any audio MIME type.
_AUDIO_FORMATS = {"audio/wav": "wav", "audio/x-wav": "wav", "audio/mpeg": "mp3"}
_BUILDERS = {
    "image/": "image_part",
    "video/": "video_part",
    "application/pdf": "pdf_part",
    "audio/": "audio_part",
}


def image_part(
    src: Source, *, mime_type: str | None = None, detail: str | None = None
) -> ChatCompletionContentPartImageParam:
    """An image from a path, bytes, an `https://` URL or a `gs://` URI."""
    part = _url_part(src, mime_type, "image/", "image_part")
    if detail is not None:
        part["image_url"]["detail"] = cast(Any, detail)
    return part


def video_part(src: Source, *, mime_type: str | None = None) -> ChatCompletionContentPartImageParam:
    """A video, sent as Vertex expects it: an `image_url` part with a video URL or data URL."""
    return _url_part(src, mime_type, "video/", "video_part")


def pdf_part(src: Source, *, mime_type: str | None = None) -> ChatCompletionContentPartImageParam:
    """A PDF document, as an `image_url` part."""
    return _url_part(src, mime_type, "application/pdf", "pdf_part")


def file_part(src: Source, *, mime_type: str | None = None) -> ChatCompletionContentPartImageParam:
    """Any file Gemini accepts (text, audio, video, image, PDF …), as an `image_url` part."""
    return _url_part(src, mime_type, "", "file_part")


def audio_part(src: Source, format: str | None = None) -> ChatCompletionContentPartInputAudioParam:
    """An `input_audio` part from a path, bytes or a `gs://` URI.

    `format` defaults to `wav` or `mp3` when the audio is one of those, else to its MIME type.
    """
    uri = _uri(src)
    if uri is not None:
        if not uri.startswith("gs://"):
            raise VertexConfigError(
                f"audio_part() takes a path, bytes or a gs:// URI; Vertex does not fetch {uri!r}"
            )
        data, mime_type = uri, _mime.guess(urlsplit(uri).path)
    else:
        raw, name = _read(src, "audio_part")
        data, mime_type = _b64(raw), _mime.sniff(raw) or _mime.guess(name)
    if format is None:
        _check_kind(mime_type, "audio/", "audio_part", src)
        if mime_type is None:
            raise VertexConfigError(
                f"audio_part() cannot tell the format of {_label(src)}; "
                "pass format='wav', 'mp3' or a MIME type"
            )
        format = _AUDIO_FORMATS.get(mime_type, mime_type)
    return {"type": "input_audio", "input_audio": {"data": data, "format": cast(Any, format)}}


def tool_result(
    tool_call_id: str, content: object, parts: Iterable[Source | Mapping[str, Any]] = ()
) -> ChatCompletionToolMessageParam:
    """A `tool` message answering `tool_call_id`, optionally with media for the model to look at.

    `content` is the function's result; anything but a string is JSON-encoded. Each of `parts` becomes a
    Gemini function-response part in `extra_content.google.parts`: a `gs://`/`https://` URI becomes
    `file_data`, local data `inline_data` (both with `display_name` = the file name, which `content` can
    refer to as `{"$ref": name}`), and a dict is sent as given.
    """
    if not isinstance(tool_call_id, str) or not tool_call_id:
        raise VertexConfigError(
            f"tool_result() needs the id of the tool call it answers, not {tool_call_id!r}"
        )
    message: dict[str, Any] = {
        "role": "tool",
        "tool_call_id": tool_call_id,
        "content": content if isinstance(content, str) else json.dumps(content),
    }
    if isinstance(parts, (str, bytes, bytearray, memoryview, os.PathLike, Mapping)):
        raise VertexConfigError(
            f"tool_result(parts=...) takes a list of parts, not one {type(parts).__name__}; "
            "wrap it in a list: parts=[...]"
        )
    built = [_function_response_part(part) for part in parts]
    if built:
        message["extra_content"] = {"google": {"parts": built}}
    return cast("ChatCompletionToolMessageParam", message)


def _url_part(
    src: Source, mime_type: str | None, kind: str, caller: str
) -> ChatCompletionContentPartImageParam:
    uri = _uri(src)
    if uri is not None:
        if mime_type is not None:
            raise VertexConfigError(
                f"{caller}(mime_type=...) applies to local data; Vertex reads {uri!r} itself"
            )
        _check_kind(_mime.guess(urlsplit(uri).path), kind, caller, src)
        return {"type": "image_url", "image_url": {"url": uri}}
    raw, name = _read(src, caller)
    mime_type = _local_type(raw, name, mime_type, caller, src)
    _check_kind(mime_type, kind, caller, src)
    return {"type": "image_url", "image_url": {"url": f"data:{mime_type};base64,{_b64(raw)}"}}


def _function_response_part(part: Source | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(part, Mapping):
        return dict(part)
    uri = _uri(part)
    if uri is not None:
        mime_type = _mime.guess(urlsplit(uri).path)
        if uri.startswith("data:") or mime_type is None:
            raise VertexConfigError(
                f"tool_result() cannot tell the type of {uri!r}; pass the part as a dict "
                "{'file_data': {'mime_type': ..., 'file_uri': ...}}"
            )
        name = PurePosixPath(urlsplit(uri).path).name
        return {"file_data": {"mime_type": mime_type, "display_name": name, "file_uri": uri}}
    raw, name = _read(part, "tool_result")
    inline = {"mime_type": _local_type(raw, name, None, "tool_result", part), "data": _b64(raw)}
    return {"inline_data": {**inline, "display_name": name} if name else inline}


def _uri(src: Source) -> str | None:
    return src if isinstance(src, str) and src.startswith(_URI_PREFIXES) else None


def _read(src: Source, caller: str) -> tuple[bytes, str]:
    """The bytes of a local source and its file name ("" for bytes)."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        data, name = bytes(src), ""
    elif isinstance(src, (str, os.PathLike)):
        path = Path(src)
        if "\x00" in str(path):
            raise VertexConfigError(f"{caller}() got a path with a NUL character, {str(path)!r}; no file has one")
        try:
            data, name = path.read_bytes(), path.name
        except OSError as exc:
            raise VertexConfigError(f"{caller}() cannot read {str(path)!r}: {exc.strerror or exc}") from exc
    else:
        raise VertexConfigError(
            f"{caller}() takes a file path, bytes, an https:// URL or a gs:// URI, not {type(src).__name__}"
        )
    if not data:
        raise VertexConfigError(f"{caller}() got no data: {_label(src)} is empty")
    return data, name


def _local_type(raw: bytes, name: str, mime_type: str | None, caller: str, src: Source) -> str:
    found = mime_type or _mime.sniff(raw) or (_mime.guess(name) if name else None)
    if found is None:
        raise VertexConfigError(
            f"{caller}() cannot tell the type of {_label(src)}; pass mime_type='type/subtype'"
        )
    return found


def _check_kind(mime_type: str | None, kind: str, caller: str, src: Source) -> None:
    """Refuse a medium the builder is not for; an unknown type passes (Vertex may still know it)."""
    if mime_type is None or mime_type.startswith(kind):
        return
    better = next((name for prefix, name in _BUILDERS.items() if mime_type.startswith(prefix)), "file_part")
    raise VertexConfigError(f"{caller}() got {_label(src)} of type {mime_type}; use {better}() for it")


def _label(src: Source) -> str:
    return f"{len(src)} bytes" if isinstance(src, (bytes, bytearray, memoryview)) else repr(os.fspath(src))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
