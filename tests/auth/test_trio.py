"""Under trio (through anyio, as the SDK runs there): a request waiting on a refresh can be cancelled, and
waiters park no thread of anyio's shared limiter, which unrelated `to_thread` calls need."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from openai_vertex import VertexAuth

from ..doubles import FakeCredentials

trio = pytest.importorskip("trio")
GATE_TIMEOUT = 20.0


class _Gated(FakeCredentials):
    """A refresh that waits until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.gate = threading.Event(), threading.Event()

    def refresh(self, request: Any) -> None:
        self.started.set()
        assert self.gate.wait(GATE_TIMEOUT)
        super().refresh(request)


def _request() -> httpx.Request:
    timeout = 30.0
    return httpx.Request("POST", "https://aiplatform.googleapis.com/v1/x", extensions={
        "timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}})


async def _signed(auth: VertexAuth) -> str:
    request = await auth.async_auth_flow(_request()).__anext__()
    return str(request.headers["authorization"])


def test_a_waiter_is_cancelled_by_move_on_after() -> None:
    creds = _Gated()
    auth = VertexAuth(creds)

    async def main() -> float:
        started = time.monotonic()
        with trio.move_on_after(0.2):
            await _signed(auth)
        return time.monotonic() - started

    try:
        elapsed = trio.run(main)
    finally:
        creds.gate.set()
    assert elapsed < 2.0, f"move_on_after(0.2) took {elapsed:.1f} s"


def test_waiters_leave_anyio_thread_limiter_to_others() -> None:
    import anyio.to_thread

    creds = _Gated()
    auth = VertexAuth(creds)
    tokens: list[str] = []

    async def waiter() -> None:
        tokens.append(await _signed(auth))

    async def main() -> bool:
        async with trio.open_nursery() as nursery:
            for _ in range(60):  # more than the limiter's 40 threads
                nursery.start_soon(waiter)
            await trio.to_thread.run_sync(creds.started.wait, GATE_TIMEOUT)
            await trio.sleep(0.1)  # every waiter has joined the refresh
            unrelated_ran = False
            with trio.move_on_after(5):
                unrelated_ran = await anyio.to_thread.run_sync(lambda: True)
            creds.gate.set()
        return unrelated_ran

    try:
        assert trio.run(main), "an unrelated to_thread call waited for the refresh"
    finally:
        creds.gate.set()
    assert tokens == ["Bearer fake-token-1"] * 60
