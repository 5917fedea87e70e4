"""Reading the images that Gemini generates (`modalities=["image", ...]`) out of a response.

Google documents two shapes, and both are read:

1. `choices[i].message.audio = {"data": <base64>, "extra_content": {"google": {"mime_type": "image/png"}}}`
   with `content: null` (Gemini 3 Pro Image; the `audio` field is reused "to remain compatible");
2. `choices[i].image = {"data": ..., "extra_content": {...}}`, with `content` and `role` on the choice
   itself (an older sample).

The SDK types `message.audio` as OpenAI audio and knows nothing of `choice.image`, so the raw fields are
read. Stream chunks carry the same objects under `delta` instead of `message`.
"""

from __future__ import annotations

import base64
import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import _mime
from .._errors import OpenAIVertexError
from ._raw_fields import google_extra, raw_field

__all__ = ["GeneratedImage", "generated_images"]


@dataclass(frozen=True)
class GeneratedImage:
    """One generated image: its bytes and MIME type."""

    data: bytes = field(repr=False)
    mime_type: str

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the image to `path` and return where it went.

        When `path` is an existing directory, the file is a new `image-<n><ext>` inside it (the first `n`
        not in use, the extension from the MIME type); nothing there is overwritten. Any other path is
        written, or replaced, as given.
        """
        target = Path(path)
        if not target.is_dir():
            target.write_bytes(self.data)
            return target
        # Numbers are shared across extensions, so image-2.jpg is never the twin of image-2.png.
        taken = {entry.stem for entry in target.iterdir()}
        number = next(n for n in itertools.count(1) if f"image-{n}" not in taken)
        suffix = _mime.extension(self.mime_type)
        while True:
            candidate = target / f"image-{number}{suffix}"
            try:
                # "x" claims the name atomically: a file saved meanwhile by someone else is never replaced.
                with candidate.open("xb") as file:
                    file.write(self.data)
                return candidate
            except FileExistsError:
                number += 1


def generated_images(completion_or_chunk: object) -> list[GeneratedImage]:
    """Every image in a `ChatCompletion`, a `ChatCompletionChunk` or their plain-dict form, choice by choice.

    An entry counts as an image when its declared MIME type (or, without one, its leading bytes) says
    `image/…`; a real audio reply in `message.audio` is therefore skipped.

    Raises:
        OpenAIVertexError: an entry's `data` is not valid base64.
    """
    images = []
    choices = raw_field(completion_or_chunk, "choices")
    for number, choice in enumerate(choices if isinstance(choices, (list, tuple)) else ()):
        holder = "message" if raw_field(choice, "message") is not None else "delta"
        for where in (f"{holder}.audio", "image"):
            image = _image(raw_field(choice, *where.split(".")), f"choices[{number}].{where}")
            if image is not None:
                images.append(image)
    return images


def _image(source: object, where: str) -> GeneratedImage | None:
    encoded = raw_field(source, "data")
    if not encoded:
        return None
    try:
        data = base64.b64decode(encoded, validate=True)
    except (TypeError, ValueError) as exc:  # binascii.Error is a ValueError
        raise OpenAIVertexError(
            f"{where}.data is not valid base64 ({exc}); the response is malformed"
        ) from exc
    mime_type = google_extra(source).get("mime_type") or _mime.sniff(data)
    if not isinstance(mime_type, str) or not mime_type.startswith("image/"):
        return None
    return GeneratedImage(data, mime_type)
