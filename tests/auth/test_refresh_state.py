"""The refresh state always recovers: whatever ends a refresh, the next request starts a new one."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from openai_vertex import OpenAIVertexError, VertexAuth

from ..doubles import FakeCredentials

URL = "https://aiplatform.googleapis.com/v1/projects/p/locations/global/endpoints/openapi/chat/completions"


def _client(creds: FakeCredentials) -> httpx.Client:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    return httpx.Client(transport=transport, auth=VertexAuth(creds), timeout=3)


class Interrupted(BaseException):
    """Stands for gevent's Timeout: a BaseException raised inside the refresh."""


@pytest.mark.parametrize("interruption", [SystemExit(3), Interrupted()], ids=["SystemExit", "gevent-like Timeout"])
def test_a_refresh_ended_by_a_base_exception_leaves_no_state_behind(interruption: BaseException) -> None:
    creds = FakeCredentials(fail=interruption)
    client = _client(creds)
    with pytest.raises(OpenAIVertexError, match=type(interruption).__name__):
        client.post(URL)
    creds.fail = None
    assert client.post(URL).status_code == 200  # at once: no orphaned refresh, no cached failure
    assert creds.refreshes == 2


def test_a_thread_that_cannot_start_fails_the_request_and_the_next_one_retries(
        monkeypatch: pytest.MonkeyPatch) -> None:
    creds = FakeCredentials()
    client = _client(creds)
    real_start = threading.Thread.start

    def refuse(self: threading.Thread, *args: Any) -> None:
        if self.name == "openai-vertex-refresh":
            raise RuntimeError("can't start new thread")
        real_start(self, *args)

    monkeypatch.setattr(threading.Thread, "start", refuse)
    with pytest.raises(OpenAIVertexError, match="thread limit"):
        client.post(URL)
    monkeypatch.setattr(threading.Thread, "start", real_start)
    assert client.post(URL).status_code == 200
    assert creds.refreshes == 1
