"""The library's exceptions: one root under `openai.OpenAIError`, so the SDK neither retries nor rewraps them."""

from __future__ import annotations

import openai


class OpenAIVertexError(openai.OpenAIError):
    """Root of every error this library raises."""


class VertexConfigError(OpenAIVertexError, ValueError):
    """A configuration mistake found before any network traffic; the message names the fix."""
