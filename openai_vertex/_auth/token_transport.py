"""google-auth's transport over httpx: the process's token-endpoint client, and one deadline per refresh.

google-auth needs *some* HTTP transport to fetch tokens, and its own ones pull in `requests` or `urllib3`;
httpx is already here. Two things this adds: a forked child never uses its parent's connections, and a
refresh ends by its deadline even when the endpoint trickles bytes (httpx's timeouts restart with each one).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

import httpx
from google.auth import exceptions as ga_exceptions
from google.auth import transport as ga_transport

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
"""The loopback names a token endpoint or a base URL may have over plain http (test doubles, emulators)."""

_TransportError: Callable[[str], Exception] = ga_exceptions.TransportError  # google-auth's, unannotated
_client: tuple[int, httpx.Client] | None = None  # (the process id it belongs to, the client)
_client_lock = threading.Lock()


def token_http_client() -> httpx.Client:
    """The client for all token fetches of this process (a forked child builds its own).

    Made once, ahead of the first refresh: building its TLS context holds the GIL for tens of
    milliseconds, which inside a refresh would stall every event loop of the process. No connection is
    kept alive: each fetch (one per token lifetime) has its own, which a fork cannot share and a
    deadline can cut.
    """
    global _client
    current = _client
    if current is not None and current[0] == os.getpid():
        return current[1]
    with _client_lock:
        if _client is None or _client[0] != os.getpid():
            # A loopback token endpoint (a test double, a local metadata emulator) is never reached through
            # a proxy from HTTP_PROXY / HTTPS_PROXY / ALL_PROXY: the proxy's loopback is not ours.
            loopback: dict[str, httpx.BaseTransport | None] = {
                f"all://[{host}]" if ":" in host else f"all://{host}": None for host in LOOPBACK_HOSTS
            }
            client = httpx.Client(follow_redirects=False, mounts=loopback,
                                  limits=httpx.Limits(max_keepalive_connections=0))
            _client = (os.getpid(), client)
        return _client[1]


def _close_at_exit() -> None:
    """Hang up this process's own client; an inherited one is the parent's to close."""
    current = _client
    if current is not None and current[0] == os.getpid():
        current[1].close()


def _forget_in_child() -> None:
    global _client, _client_lock
    _client, _client_lock = None, threading.Lock()  # the parent's lock may have been held at the fork


atexit.register(_close_at_exit)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


class Deadline:
    """When a refresh must end; `extend` moves it later (a waiter with more time joined)."""

    def __init__(self, at: float) -> None:
        self.at = at

    def extend(self, at: float) -> None:
        if at > self.at:
            self.at = at  # one float assignment: safe without a lock; a lost race only keeps the earlier one

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return time.monotonic() >= self.at


class _Response(ga_transport.Response):
    def __init__(self, status: int, headers: Mapping[str, str], data: bytes) -> None:
        self._status, self._headers, self._data = status, headers, data

    @property
    def status(self) -> int:
        return self._status

    @property
    def headers(self) -> Mapping[str, str]:
        return self._headers

    @property
    def data(self) -> bytes:
        return self._data


class Request(ga_transport.Request):
    """google-auth's transport interface over httpx: all of a refresh's calls end by one deadline."""

    def __init__(self, deadline: Deadline) -> None:
        self._deadline = deadline

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: MutableMapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> _Response:
        remaining = self._deadline.remaining()
        if remaining <= 0:
            raise _TransportError("token request not sent: the refresh's deadline has passed")
        limit = remaining if timeout is None else min(float(timeout), remaining)
        cutter = _Cutter(self._deadline, time.monotonic() + limit)
        try:
            with cutter:
                response = token_http_client().request(method, url, content=body, headers=headers, timeout=limit,
                                                       extensions={"trace": cutter.trace})
        except httpx.HTTPError as exc:
            what = "the deadline passed" if cutter.fired else type(exc).__name__
            raise _TransportError(f"{what} while fetching a token") from exc
        return _Response(response.status_code, response.headers, response.content)


class _Cutter:
    """Shuts the fetch's socket down when its deadline passes, which ends a read that trickling keeps alive."""

    def __init__(self, deadline: Deadline, call_ends: float) -> None:
        self._deadline, self._call_ends = deadline, call_ends
        self._socket: socket.socket | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._done = False
        self.fired = False

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: keep the socket of each connection it opens (TCP, then TLS over it)."""
        if event.endswith((".connect_tcp.complete", ".start_tls.complete")) and info.get("return_value"):
            sock = info["return_value"].get_extra_info("socket")
            if isinstance(sock, socket.socket):
                self._socket = sock

    def __enter__(self) -> _Cutter:
        self._arm()
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._done = True
            if self._timer is not None:
                self._timer.cancel()

    def _ends(self) -> float:
        return min(self._deadline.at, self._call_ends)

    def _arm(self) -> None:
        with self._lock:
            if self._done:
                return
            self._timer = threading.Timer(max(0.0, self._ends() - time.monotonic()), self._fire)
            self._timer.daemon = True
            try:
                self._timer.start()
            except RuntimeError:  # no thread to spare: httpx's own timeouts still apply
                self._timer = None

    def _fire(self) -> None:
        if time.monotonic() < self._ends():  # a waiter with more time joined meanwhile
            self._arm()
            return
        with self._lock:
            if self._done or self._socket is None:
                return
            self.fired = True
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
