"""A loopback HTTP/1.1 server that records each request and writes the answer an app function gives."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ._render import Rendered

# Keep-alive connections idle this long are closed, so a forgotten client cannot pin a handler thread.
_IDLE_SECONDS = 30
# How often the serving loop checks for stop(): the longest a stop (once per test) waits.
_POLL_SECONDS = 0.01


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """One request FakeVertex received. Header names are lower-case; `headers` stays out of the repr."""

    method: str
    path: str
    headers: Mapping[str, str] = dataclasses.field(repr=False)
    json: Any = None
    """The parsed JSON body, or None."""
    form: Mapping[str, str] | None = dataclasses.field(default=None, repr=False)
    """The parsed form body (token requests), or None."""
    received_at: float = dataclasses.field(default_factory=time.monotonic, repr=False)
    """`time.monotonic()` when the request arrived."""

    @property
    def bearer_token(self) -> str | None:
        """The token of an `Authorization: Bearer …` header, if any."""
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None


App = Callable[[RecordedRequest], "tuple[Rendered, float]"]


class LoopbackServer(ThreadingHTTPServer):
    """Serves `app` on 127.0.0.1 from a daemon thread; `stop()` also closes kept-alive connections."""

    daemon_threads = True
    # The standard library's backlog of 5 resets connections when a test opens hundreds at once.
    request_queue_size = 1024

    def __init__(self, app: App, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": _POLL_SECONDS}, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # the client may have closed it already
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join()

    def track(self, connection: socket.socket, alive: bool) -> None:
        with self._connections_lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer is normal (a test stops reading a stream); anything else is a bug.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = _IDLE_SECONDS
    # Headers and body leave in separate writes; with Nagle on, each answer would wait ~40 ms for an ACK.
    disable_nagle_algorithm = True
    server: LoopbackServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, alive=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, alive=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: FakeVertex keeps its own request log, and test output should stay readable."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        content_type = headers.get("content-type", "")
        body: Any = None
        form = None
        if "json" in content_type and raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        elif "x-www-form-urlencoded" in content_type:
            form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        request = RecordedRequest(self.command, urlsplit(self.path).path, headers, body, form)
        rendered, delay = self.server.app(request)
        self._write(rendered, delay)

    def _write(self, rendered: Rendered, delay: float) -> None:
        if delay:
            time.sleep(delay)
        self.send_response(rendered.status)
        content_type = "text/event-stream" if rendered.stream else "application/json; charset=UTF-8"
        headers = {"Content-Type": content_type, **rendered.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        if not rendered.stream:
            body = b"".join(rendered.parts)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        # Chunked transfer keeps the connection reusable and lets each event reach the client on its own.
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for index, part in enumerate(rendered.parts):
            if delay and index:
                time.sleep(delay)
            self.wfile.write(b"%X\r\n%s\r\n" % (len(part), part))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
