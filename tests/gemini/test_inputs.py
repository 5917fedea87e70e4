"""Content-part builders: sources, MIME sniffing, the shapes Vertex reads, and their errors."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path
from typing import Any

import pytest

from openai_vertex import OpenAIVertexError
from openai_vertex._gemini.inputs import audio_part, file_part, image_part, pdf_part, tool_result, video_part
from openai_vertex.testing import sample_png

from .samples import TEXT_COMPLETION, client, replying

PNG = sample_png()
MAGIC = {
    "image/png": PNG,
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
    "image/gif": b"GIF89a\x01\x00\x01\x00",
    "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "image/heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
}
WAV = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + bytes(28)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(20)
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00" + bytes(16)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def _data_url(mime_type: str, data: bytes) -> str:
    return f"data:{mime_type};base64,{base64.b64encode(data).decode()}"


@pytest.mark.parametrize("mime_type", sorted(MAGIC))
def test_image_bytes_become_a_data_url_with_the_sniffed_type(mime_type: str) -> None:
    assert image_part(MAGIC[mime_type]) == {
        "type": "image_url",
        "image_url": {"url": _data_url(mime_type, MAGIC[mime_type])},
    }


def test_image_from_a_path_str_or_path(tmp_path: Path) -> None:
    path = tmp_path / "no-suffix"
    path.write_bytes(PNG)
    expected = {"type": "image_url", "image_url": {"url": _data_url("image/png", PNG)}}
    assert image_part(path) == image_part(str(path)) == expected


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.com/scones.jpg",
        "gs://cloud-samples-data/generative-ai/image/scones.jpg",
        "gs://bucket/no-suffix",
    ],
)
def test_image_urls_are_passed_for_vertex_to_fetch(uri: str) -> None:
    assert image_part(uri, detail="high") == {"type": "image_url", "image_url": {"url": uri, "detail": "high"}}


def test_the_file_suffix_decides_when_the_bytes_do_not(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"plain words")
    assert file_part(path)["image_url"]["url"] == _data_url("text/plain", b"plain words")


def test_an_explicit_mime_type_wins() -> None:
    assert file_part(PNG, mime_type="image/x-custom")["image_url"]["url"] == _data_url("image/x-custom", PNG)


def test_video_pdf_and_any_file_go_in_image_url_parts(tmp_path: Path) -> None:
    doc = tmp_path / "report.pdf"
    doc.write_bytes(PDF)
    assert pdf_part(doc)["image_url"]["url"] == _data_url("application/pdf", PDF)
    assert video_part(MP4)["image_url"]["url"] == _data_url("video/mp4", MP4)
    assert video_part("gs://bucket/clip.mp4") == {"type": "image_url", "image_url": {"url": "gs://bucket/clip.mp4"}}
    assert file_part(WAV)["image_url"]["url"] == _data_url("audio/wav", WAV)


@pytest.mark.parametrize(
    ("build", "src", "message"),
    [
        (image_part, PDF, "type application/pdf; use pdf_part"),
        (image_part, "gs://bucket/clip.mp4", "type video/mp4; use video_part"),
        (video_part, PNG, "type image/png; use image_part"),
        (pdf_part, WAV, "type audio/wav; use audio_part"),
        (image_part, b"\x00\x01\x02 unknown", "cannot tell the type of 11 bytes; pass mime_type="),
        (image_part, b"", "is empty"),
        (image_part, 42, "takes a file path, bytes, an https:// URL or a gs:// URI, not int"),
    ],
)
def test_wrong_or_unknown_media_are_refused_with_the_fix(build: Any, src: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        build(src)
    assert isinstance(raised.value, OpenAIVertexError)


def test_unreadable_files_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(OpenAIVertexError, match=r"image_part\(\) cannot read '.*missing\.png': No such file"):
        image_part(tmp_path / "missing.png")
    with pytest.raises(OpenAIVertexError, match=r"cannot read '.*': Is a directory"):
        audio_part(tmp_path)


def test_mime_type_for_a_remote_uri_is_refused() -> None:
    with pytest.raises(OpenAIVertexError, match="applies to local data"):
        image_part("gs://bucket/x.png", mime_type="image/png")


@pytest.mark.parametrize(
    ("src", "expected_format"),
    [(WAV, "wav"), (MP3, "mp3"), (b"fLaC\x00\x00\x00\x22", "audio/flac"), (b"OggS\x00\x02", "audio/ogg")],
)
def test_audio_bytes_get_their_format_from_the_magic(src: bytes, expected_format: str) -> None:
    assert audio_part(src) == {
        "type": "input_audio",
        "input_audio": {"data": base64.b64encode(src).decode(), "format": expected_format},
    }


def test_audio_from_a_path_a_gcs_uri_or_with_an_explicit_format(tmp_path: Path) -> None:
    path = tmp_path / "speech.mp3"
    path.write_bytes(b"\xff\xfb\x90\x00" + bytes(10))  # a bare MPEG frame, no ID3 tag
    assert audio_part(path)["input_audio"]["format"] == "mp3"
    assert audio_part("gs://cloud-samples-data/generative-ai/audio/pixel.mp3") == {
        "type": "input_audio",
        "input_audio": {"data": "gs://cloud-samples-data/generative-ai/audio/pixel.mp3", "format": "mp3"},
    }
    assert audio_part("gs://bucket/recording", format="audio/mp3") == {
        "type": "input_audio",
        "input_audio": {"data": "gs://bucket/recording", "format": "audio/mp3"},
    }


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("gs://bucket/recording", "cannot tell the format of 'gs://bucket/recording'; pass format="),
        ("https://example.com/a.mp3", "does not fetch 'https://example.com/a.mp3'"),
        (PNG, "type image/png; use image_part"),
    ],
)
def test_audio_that_cannot_be_sent_as_is_is_refused(src: Any, message: str) -> None:
    with pytest.raises(OpenAIVertexError, match=message):
        audio_part(src)


def test_tool_result_with_googles_multimodal_function_response(tmp_path: Path) -> None:
    shirt = tmp_path / "shirt.png"
    shirt.write_bytes(PNG)
    message = tool_result(
        "function-call-a350228d-0283-4792-8bfa-40da064fb959",
        {"image_ref": {"$ref": "dress.jpg"}},
        parts=["gs://cloud-samples-data/generative-ai/image/dress.jpg", shirt, {"text": "as given"}],
    )
    assert message == {
        "role": "tool",
        "tool_call_id": "function-call-a350228d-0283-4792-8bfa-40da064fb959",
        "content": '{"image_ref": {"$ref": "dress.jpg"}}',
        "extra_content": {
            "google": {
                "parts": [
                    {
                        "file_data": {
                            "mime_type": "image/jpeg",
                            "display_name": "dress.jpg",
                            "file_uri": "gs://cloud-samples-data/generative-ai/image/dress.jpg",
                        }
                    },
                    {
                        "inline_data": {
                            "mime_type": "image/png",
                            "data": base64.b64encode(PNG).decode(),
                            "display_name": "shirt.png",
                        }
                    },
                    {"text": "as given"},
                ]
            }
        },
    }


def test_tool_result_without_parts_is_a_plain_tool_message() -> None:
    assert tool_result("call-1", "42") == {"role": "tool", "tool_call_id": "call-1", "content": "42"}
    assert tool_result("call-1", "x", parts=[PNG])["extra_content"]["google"]["parts"] == [  # type: ignore[typeddict-item]
        {"inline_data": {"mime_type": "image/png", "data": base64.b64encode(PNG).decode()}}
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", "x"), "needs the id of the tool call"),
        (("call-1", "x", ["gs://bucket/blob"]), "cannot tell the type of 'gs://bucket/blob'; pass the part as a dict"),
        (("call-1", "x", [b"\x00\x01"]), "cannot tell the type of 2 bytes"),
    ],
)
def test_tool_result_refuses_what_it_cannot_describe(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(OpenAIVertexError, match=message):
        tool_result(*args)


def test_built_parts_reach_the_wire_unchanged() -> None:
    sent: list[dict[str, Any]] = []
    messages: list[Any] = [
        {
            "role": "user",
            "content": [{"type": "text", "text": "Compare."}, image_part(PNG), audio_part(WAV), pdf_part(PDF)],
        },
        {
            "role": "assistant",
            "tool_calls": [{"id": "call-1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
        },
        tool_result("call-1", "see image", parts=["gs://bucket/dress.jpg"]),
    ]
    client(replying(TEXT_COMPLETION, sent)).chat.completions.create(model="google/gemini-2.5-flash", messages=messages)
    assert sent[0]["messages"] == json.loads(json.dumps(messages))


@pytest.mark.parametrize("parts", ["gs://bucket/chart.png", Path("chart.png"), b"\x89PNG", {"file_data": {}}],
                         ids=["a URI", "a Path", "bytes", "a dict"])
def test_tool_result_parts_must_be_a_list(parts: Any) -> None:
    with pytest.raises(OpenAIVertexError, match=r"takes a list of parts, not one .*wrap it in a list"):
        tool_result("call-1", {"ok": True}, parts=parts)


def test_a_path_with_a_nul_character_is_named_not_a_raw_valueerror() -> None:
    with pytest.raises(OpenAIVertexError, match="NUL character"):
        image_part("a\x00b.png")
