"""generated_images() over Google's two documented shapes, as SDK objects and as dicts; saving."""

from __future__ import annotations

import base64
import copy
import struct
from pathlib import Path
from typing import Any

import pytest
from openai.types.chat import ChatCompletionChunk

from openai_vertex import OpenAIVertexError
from openai_vertex._gemini.images import GeneratedImage, generated_images
from openai_vertex.testing import sample_png

from .samples import IMAGE_IN_AUDIO, IMAGE_ON_CHOICE, TEXT_COMPLETION, completion

PNG = sample_png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(40))


def _with_data(body: dict[str, Any], data: bytes, where: str = "audio") -> dict[str, Any]:
    """Google's sample with its placeholder replaced by real base64."""
    body = copy.deepcopy(body)
    choice = body["choices"][0]
    media = choice["message"]["audio"] if where == "audio" else choice["image"]
    media["data"] = base64.b64encode(data).decode()
    return body


@pytest.mark.parametrize("as_sdk_object", [True, False], ids=["sdk", "dict"])
@pytest.mark.parametrize(
    ("sample", "where"), [(IMAGE_IN_AUDIO, "audio"), (IMAGE_ON_CHOICE, "image")], ids=["message.audio", "choice.image"]
)
def test_both_documented_shapes(sample: dict[str, Any], where: str, as_sdk_object: bool) -> None:
    body = _with_data(sample, PNG, where)
    images = generated_images(completion(body) if as_sdk_object else body)
    assert images == [GeneratedImage(PNG, "image/png")]


def test_a_stream_chunk_carries_the_image_in_its_delta() -> None:
    chunk = ChatCompletionChunk.model_validate(
        {
            "id": "c",
            "created": 0,
            "model": "google/gemini-3-pro-image-preview",
            "object": "chat.completion.chunk",
            "choices": [
                {
                    "index": 0,
                    "delta": {
                        "audio": {
                            "data": base64.b64encode(JPEG).decode(),
                            "extra_content": {"google": {"mime_type": "image/jpeg"}},
                        }
                    },
                }
            ],
        }
    )
    assert generated_images(chunk) == [GeneratedImage(JPEG, "image/jpeg")]


def test_an_image_without_a_declared_type_is_recognised_by_its_bytes() -> None:
    body = _with_data(IMAGE_IN_AUDIO, PNG)
    del body["choices"][0]["message"]["audio"]["extra_content"]
    assert generated_images(completion(body)) == [GeneratedImage(PNG, "image/png")]


def test_real_audio_and_plain_text_are_not_images() -> None:
    wav = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + bytes(28)
    openai_audio = copy.deepcopy(TEXT_COMPLETION)
    openai_audio["choices"][0]["message"]["audio"] = {
        "id": "audio_1",
        "data": base64.b64encode(wav).decode(),
        "expires_at": 0,
        "transcript": "hello",
    }
    assert generated_images(completion(openai_audio)) == []
    assert generated_images(completion(TEXT_COMPLETION)) == []


@pytest.mark.parametrize(("sample", "where"), [(IMAGE_IN_AUDIO, "message.audio"), (IMAGE_ON_CHOICE, "image")])
def test_invalid_base64_says_so_and_where(sample: dict[str, Any], where: str) -> None:
    # Google's samples hold placeholders ("<BASE64_BYTES>", "IMAGE_DATA") that are not base64.
    with pytest.raises(OpenAIVertexError, match=rf"choices\[0\]\.{where}\.data is not valid base64"):
        generated_images(completion(sample))


def test_every_choice_is_read() -> None:
    body = _with_data(IMAGE_IN_AUDIO, PNG)
    second = copy.deepcopy(body["choices"][0])
    second["index"] = 1
    second["message"]["audio"] = {"data": base64.b64encode(JPEG).decode()}
    body["choices"].append(second)
    assert [image.mime_type for image in generated_images(body)] == ["image/png", "image/jpeg"]


def test_save_into_a_directory_picks_new_names_with_the_right_extension(tmp_path: Path) -> None:
    png, jpeg = GeneratedImage(PNG, "image/png"), GeneratedImage(JPEG, "image/jpeg")
    first, second, third = png.save(tmp_path), png.save(tmp_path), jpeg.save(str(tmp_path))
    assert (first.name, second.name, third.name) == ("image-1.png", "image-2.png", "image-3.jpg")
    assert first.read_bytes() == second.read_bytes() == PNG
    assert third.read_bytes() == JPEG


def test_save_to_a_file_path_writes_there(tmp_path: Path) -> None:
    target = tmp_path / "cat.png"
    target.write_bytes(b"old")
    assert GeneratedImage(PNG, "image/png").save(target) == target
    assert target.read_bytes() == PNG


def test_repr_leaves_the_bytes_out() -> None:
    assert repr(GeneratedImage(PNG, "image/png")) == "GeneratedImage(mime_type='image/png')"
