"""Test your own code against Vertex AI without a Google account or network.

`FakeVertex` is a test double: a loopback server standing in for Google's OAuth token endpoint and
Vertex's OpenAI-compatible chat completions endpoint. It checks what clients send and answers in the
documented shapes with replies you script; it does not emulate a model.

    from openai_vertex import vertex_client
    from openai_vertex.testing import FakeVertex, Reply

    with FakeVertex() as fake:
        fake.script(Reply.text("Paris."))
        client = vertex_client(credentials=fake.service_account_credentials(), base_url=fake.base_url)
        client.chat.completions.create(model="google/gemini-2.5-flash", messages=[...])

With pytest, the package's plugin (registered as a pytest entry point; FakeVertex needs `cryptography`, which
the `testing` extra installs) provides the `fake_vertex` fixture (a running FakeVertex) and the
`vertex_vcr_config` fixture (scrubbing settings for pytest-recording cassettes).
"""

from __future__ import annotations

from .._vertex import SKIP_SIGNATURE
from ._fake import FakeVertex
from ._png import sample_png
from ._replies import Reply
from ._server import RecordedRequest
from .._auth import CLOUD_PLATFORM_SCOPE
from ._vcr import vertex_vcr_config

__all__ = [
    "CLOUD_PLATFORM_SCOPE",
    "FakeVertex",
    "RecordedRequest",
    "Reply",
    "SKIP_SIGNATURE",
    "sample_png",
    "vertex_vcr_config",
]
