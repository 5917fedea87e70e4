"""Loopback servers for the security and fault tests, on raw sockets so that every byte is kept.

`RawHTTPServer` parses just enough HTTP/1.1 to answer one request per connection and records everything
it receives, headers included: a test can then assert that something never reached the wire at all.
`GoogleStandIn` is the app it usually serves: Google's token endpoint, whose answers a test scripts
(faults, hangs, malformed bodies), and Vertex's chat endpoint, which accepts only the tokens it issued.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, cast, final
from urllib.parse import parse_qsl, urlsplit

import google.oauth2.credentials
from google.oauth2 import service_account

from openai_vertex.testing._tokens import _key_pair

from .doubles import chat_completion

# A hanging answer keeps its connection open until the server stops; tests bound their wait well below.
HANG = None


@dataclasses.dataclass(frozen=True)
class Exchange:
    """One request as received: lower-case header names, the raw body."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    @property
    def bearer(self) -> str | None:
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token if scheme.lower() == "bearer" and token else None


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def json(cls, status: int, value: object) -> Answer:
        return cls(status, json.dumps(value).encode(), {"content-type": "application/json"})


App = Callable[[Exchange], Answer | None]
Scripted = Answer | App | None


@final
class RawHTTPServer:
    """Serves `app` on 127.0.0.1, one request per connection (`Connection: close`); `app` returning
    `HANG` leaves the client waiting. Use as a context manager."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.received: list[bytes] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    @property
    def wire(self) -> bytes:
        """Every byte received so far, in arrival order per connection."""
        with self._lock:
            return b"".join(self.received)

    def __enter__(self) -> RawHTTPServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            sockets = [self._listener, *self._sockets]
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed by the client
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in accept() or recv()
            sock.close()
        self._acceptor.join()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            exchange = self._read(conn)
            if exchange is None:
                return
            answer = self.app(exchange)
            if answer is HANG:
                self._stopped.wait()
                return
            head = [f"HTTP/1.1 {answer.status} X", f"content-length: {len(answer.body)}", "connection: close",
                    *(f"{name}: {value}" for name, value in answer.headers.items())]
            conn.sendall("\r\n".join(head).encode() + b"\r\n\r\n" + answer.body)
        except OSError:
            pass  # the client gave up (a timeout test) or the server is stopping
        finally:
            conn.close()

    def _read(self, conn: socket.socket) -> Exchange | None:
        data = b""
        while b"\r\n\r\n" not in data:
            if not (chunk := self._recv(conn)):
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        request_line, *lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        while len(body) < int(headers.get("content-length", 0)):
            if not (chunk := self._recv(conn)):
                return None
            body += chunk
        return Exchange(method, target, headers, body)

    def _recv(self, conn: socket.socket) -> bytes:
        chunk = conn.recv(65536)
        with self._lock:
            self.received.append(chunk)
        return chunk


class GoogleStandIn:
    """Google's token endpoint (`/token`) and Vertex's chat endpoint (anything else), as an app.

    Token answers are taken from `token_script` in order (an `Answer`, a function of the request giving
    one, or `HANG`); when it is empty, a new access token is issued. Vertex answers 401 to any bearer
    token not issued here, or revoked.
    """

    def __init__(self) -> None:
        self.token_script: list[Scripted] = []
        self.token_requests: list[tuple[float, Exchange]] = []  # (time.monotonic() on arrival, request)
        self.chat_requests: list[Exchange] = []
        self.issued: list[str] = []
        self.revoked: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, exchange: Exchange) -> Answer | None:
        if exchange.path == "/token":
            return self._token(exchange)
        with self._lock:
            self.chat_requests.append(exchange)
            valid = exchange.bearer in self.issued and exchange.bearer not in self.revoked
        if not valid:
            return Answer.json(401, {"error": {"code": 401, "status": "UNAUTHENTICATED",
                                               "message": "Request had invalid authentication credentials."}})
        return Answer.json(200, chat_completion("ok"))

    def _token(self, exchange: Exchange) -> Answer | None:
        with self._lock:
            self.token_requests.append((time.monotonic(), exchange))
            if self.token_script:
                scripted = self.token_script.pop(0)
                return scripted(exchange) if callable(scripted) else scripted
            token = "ya29.standin-" + secrets.token_urlsafe(24)
            self.issued.append(token)
        return Answer.json(200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"})

    @property
    def fetches(self) -> int:
        return len(self.token_requests)

    def service_account_info(self, token_uri: str) -> dict[str, str]:
        return {"type": "service_account", "project_id": "standin-project", "private_key_id": "standin-key",
                "private_key": _key_pair()[0], "client_email": "standin@standin-project.iam.gserviceaccount.com",
                "client_id": "1", "token_uri": token_uri}

    def service_account(self, token_uri: str, **kwargs: Any) -> service_account.Credentials:
        info = self.service_account_info(token_uri)
        credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            info, **kwargs)
        return cast(service_account.Credentials, credentials)

    @staticmethod
    def public_key() -> str:
        return _key_pair()[1]


@final
class Stand:
    """A running `GoogleStandIn` on a `RawHTTPServer`: the pair most tests want. Use as a context manager."""

    def __init__(self) -> None:
        self.google = GoogleStandIn()
        self.server = RawHTTPServer(self.google)
        self.token_uri = f"{self.server.url}/token"
        self.base_url = f"{self.server.url}/v1/projects/standin-project/locations/global/endpoints/openapi"

    def service_account(self, **kwargs: Any) -> service_account.Credentials:
        return self.google.service_account(self.token_uri, **kwargs)

    def __enter__(self) -> Stand:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.stop()


def user_credentials(stand: Stand) -> google.oauth2.credentials.Credentials:
    """What `gcloud auth application-default login` stores, with the token endpoint on the stand."""
    return google.oauth2.credentials.Credentials(  # type: ignore[no-untyped-call]
        token=None, refresh_token="1//0gCanaryRefreshToken-abcdefghijklmnop", token_uri=stand.token_uri,
        client_id="764086051850-canary.apps.googleusercontent.com", client_secret="GOCSPX-canary-client-secret")
