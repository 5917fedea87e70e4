"""A small, valid PNG built with zlib and struct, so image replies need no imaging library."""

from __future__ import annotations

import functools
import struct
import zlib

_SIZE = 64
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Four Google-ish colours, one per quadrant: easy to recognise when a test saves and opens the file.
_QUADRANTS = ((66, 133, 244), (234, 67, 53), (251, 188, 5), (52, 168, 83))


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


@functools.lru_cache(maxsize=1)
def sample_png() -> bytes:
    """Return the 64x64 RGB PNG that image replies carry by default."""
    half = _SIZE // 2
    rows = []
    for y in range(_SIZE):
        row = bytearray(b"\x00")  # filter type 0 (None) for every scanline
        for x in range(_SIZE):
            row += bytes(_QUADRANTS[(y >= half) * 2 + (x >= half)])
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", _SIZE, _SIZE, 8, 2, 0, 0, 0)  # 8-bit depth, truecolour
    return (
        _PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
