"""MIME types from magic bytes and file names, shared by the input builders and the image reader."""

from __future__ import annotations

import mimetypes

# First match wins, so the specific `ftyp` brands come before the generic MP4 entry.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"OggS", "audio/ogg"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
    (4, b"ftypheic", "image/heic"),
    (4, b"ftypheix", "image/heic"),
    (4, b"ftypmif1", "image/heif"),
    (4, b"ftypM4A", "audio/mp4"),
    (4, b"ftypqt", "video/quicktime"),
    (4, b"ftyp", "video/mp4"),
)
# Containers that share the RIFF header and differ in the four bytes after the size.
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}

# Python's built-in table only, so a guess does not depend on the machine's /etc/mime.types;
# it lacks or misspells a few types that Gemini accepts.
_NAMES = mimetypes.MimeTypes()
for _suffix, _type in (
    (".wav", "audio/wav"),
    (".webp", "image/webp"),
    (".flac", "audio/flac"),
    (".ogg", "audio/ogg"),
    (".m4a", "audio/mp4"),
    (".heif", "image/heif"),
):
    _NAMES.add_type(_type, _suffix)


def sniff(data: bytes) -> str | None:
    """The MIME type that the leading bytes of `data` announce, if they are one this library knows."""
    if data[:4] == b"RIFF":
        return _RIFF.get(data[8:12])
    for offset, magic, mime in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return mime
    # A bare MPEG audio frame (no ID3 tag) starts with an 11-bit sync word.
    if len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:
        return "audio/mpeg"
    return None


def guess(name: str) -> str | None:
    """The MIME type that a file name or URI suffix suggests."""
    return _NAMES.guess_type(name, strict=False)[0]


def extension(mime_type: str) -> str:
    """A file extension (with its dot) for `mime_type`; `.bin` when the type is unknown."""
    return _NAMES.guess_extension(mime_type, strict=False) or ".bin"
