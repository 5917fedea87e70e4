"""The wire compatibility layer: Vertex's wire format made OpenAI's, on the HTTP client's transports.

Its one door is `install_wire_layer`; everything else in this folder is its inside. What each part
rewrites, and why, is in `docs/vertex-wire.md`.
"""

from __future__ import annotations

from .transports import install_wire_layer

__all__ = ["install_wire_layer"]
