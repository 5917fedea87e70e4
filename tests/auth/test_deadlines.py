"""Deadlines that hold: each waiter times out alone, a short-timeout caller does not fail the patient ones,
and a token endpoint that trickles bytes cannot outlive the refresh's deadline."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from openai_vertex import OpenAIVertexError, VertexAuth
from openai_vertex._auth import vertex_auth
from openai_vertex.testing import FakeVertex


def _request(timeout: float = 10.0) -> httpx.Request:
    return httpx.Request("POST", "https://aiplatform.googleapis.com/v1/x", extensions={
        "timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}})


def signed(auth: VertexAuth, timeout: float = 10.0) -> str:
    return str(next(auth.sync_auth_flow(_request(timeout))).headers["authorization"])


def test_a_short_timeout_request_does_not_fail_the_patient_ones(fake_vertex: FakeVertex) -> None:
    fake_vertex.token_delay = 1.0  # a healthy but slow token endpoint
    auth = VertexAuth(fake_vertex.service_account_credentials())
    outcomes: dict[str, str] = {}

    def call(name: str, timeout: float) -> None:
        try:
            outcomes[name] = signed(auth, timeout)
        except OpenAIVertexError as error:
            outcomes[name] = str(error)

    health = threading.Thread(target=call, args=("health check", 0.2))
    health.start()
    while fake_vertex.token_requests == 0:  # the health check's refresh is under way
        time.sleep(0.005)
    patient = threading.Thread(target=call, args=("patient", 30.0))
    patient.start()
    health.join()
    patient.join()
    assert "Timed out waiting" in outcomes["health check"]
    assert outcomes["patient"].startswith("Bearer ya29.")
    assert signed(auth, 30.0) == outcomes["patient"]  # no failure cached, no second fetch
    assert fake_vertex.token_requests == 1


class Trickler:
    """A token endpoint (a raw socket) that answers one byte every 0.1 s: httpx's timeouts never fire."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.stopped = threading.Event()
        self.connections = 0
        self.hung_up = threading.Event()  # the client closed a connection before the answer was complete
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def token_uri(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/token"

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    def _trickle(self, connection: socket.socket) -> None:
        body = b'{"access_token": "ya29.trickled", "expires_in": 3600}' + b" " * 200
        answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (
            len(body), body)
        with connection:
            connection.recv(65536)
            for byte in answer:
                if self.stopped.wait(0.1):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    self.hung_up.set()
                    return

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()


@pytest.fixture
def trickler() -> Iterator[Trickler]:
    server = Trickler()
    yield server
    server.stop()


def _user_credentials(token_uri: str) -> Any:
    import google.oauth2.credentials

    return google.oauth2.credentials.Credentials(  # type: ignore[no-untyped-call]
        token=None, refresh_token="1//refresh", client_id="client", client_secret="secret", token_uri=token_uri)


def test_a_trickling_token_endpoint_is_cut_at_the_refresh_deadline(trickler: Trickler) -> None:
    from openai_vertex import _auth

    started = time.monotonic()
    with pytest.raises(OpenAIVertexError, match="deadline"):
        _auth.refresh(_user_credentials(trickler.token_uri), time.monotonic() + 1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"the refresh ran {elapsed:.1f} s for a 1 s deadline"  # the answer takes 26 s


def test_after_a_refresh_cut_by_its_deadline_the_next_request_starts_a_new_one(
        trickler: Trickler, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vertex_auth, "MIN_REFRESH_TIMEOUT", 0.5, raising=False)  # absent before it existed
    auth = VertexAuth(_user_credentials(trickler.token_uri))
    with pytest.raises(OpenAIVertexError):
        signed(auth, timeout=1.0)
    assert trickler.hung_up.wait(10), "the refresh was not cut"
    for thread in threading.enumerate():  # the cut refresh may still be unwinding on a loaded machine
        if thread.name == "openai-vertex-refresh":
            thread.join(10)
    # Its own attempt, not a cached failure: a second connection. It ends at the waiter's deadline, which is
    # also the new refresh's, so either may report it first ("Timed out waiting" or "the deadline passed").
    with pytest.raises(OpenAIVertexError, match="Timed out waiting|the deadline passed while fetching"):
        signed(auth, timeout=1.0)
    assert trickler.connections == 2
