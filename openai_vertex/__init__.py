"""Use the official openai SDK with Gemini and partner models on Google Vertex AI."""

from ._auth import VertexAuth
from ._client import API_KEY_PLACEHOLDER, async_vertex_client, vertex_base_url, vertex_client
from ._errors import OpenAIVertexError, VertexConfigError

__all__ = [
    "API_KEY_PLACEHOLDER",
    "OpenAIVertexError",
    "VertexAuth",
    "VertexConfigError",
    "async_vertex_client",
    "vertex_base_url",
    "vertex_client",
]
