"""The `openai_vertex` logger: what a client was built from, token fetches, 401 recoveries; never a secret."""

from __future__ import annotations

import logging

import pytest

from openai_vertex import vertex_client
from openai_vertex.testing import FakeVertex

from .compat import raises_vertex_error
from .doubles import ask


def test_a_session_is_visible_in_the_openai_vertex_logger(fake_vertex: FakeVertex,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_vertex")
    credentials = fake_vertex.service_account_credentials()
    client = vertex_client(base_url=fake_vertex.base_url, credentials=credentials, max_retries=0)
    ask(client)
    fake_vertex.revoke()  # Vertex refuses the token now: one 401, one new token, one resend
    ask(client)
    ours = [record for record in caplog.records if record.name.startswith("openai_vertex")]
    messages = [record.getMessage() for record in ours]
    assert any(m.startswith("Vertex client for the endpoint base_url= names: service account key from credentials=")
               for m in messages)
    assert sum(m.startswith("Fetched a Google access token (Credentials)") for m in messages) == 2
    assert any("refused the access token (401)" in m for m in messages)
    assert {record.name for record in ours} == {"openai_vertex.client", "openai_vertex.auth"}
    token = str(credentials.token)
    assert token.startswith("ya29.") and not any(token in m for m in messages)


def test_a_failed_refresh_is_a_warning(fake_vertex: FakeVertex, caplog: pytest.LogCaptureFixture) -> None:
    from openai_vertex.testing import Reply

    fake_vertex.script_token(Reply.raw({"error": "invalid_grant", "error_description": "Invalid JWT."}, status=400))
    client = vertex_client(base_url=fake_vertex.base_url, credentials=fake_vertex.service_account_credentials(),
                           max_retries=0)
    with caplog.at_level(logging.WARNING, logger="openai_vertex"), raises_vertex_error():
        ask(client)
    warnings = [r for r in caplog.records if r.name == "openai_vertex.auth" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "Could not refresh Google credentials" in warnings[0].getMessage()
