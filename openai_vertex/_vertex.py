"""Values that Vertex AI itself defines and that more than one wing needs (the wire layer, the testing kit)."""

from __future__ import annotations

SKIP_SIGNATURE = "skip_thought_signature_validator"
"""Google's documented stand-in for a thought signature the caller cannot have (history from another
model); docs/vertex-wire.md §6."""
