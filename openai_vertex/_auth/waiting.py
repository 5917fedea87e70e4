"""How a request waits for a refresh: blocking in a thread, on asyncio without a thread hop, on trio.

Each waiter waits until its own deadline, whatever the refresh's (`vertex_auth.py`); every waiter gets its
own exception object, the cause (google-auth's error) shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from .._errors import OpenAIVertexError

if TYPE_CHECKING:
    from concurrent.futures import Future

Joined = tuple["Future[str]", float]
"""A refresh to wait for, and the waiter's own `time.monotonic()` deadline."""


def wait_refresh(joined: Joined) -> str:
    future, deadline = joined
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        raise OpenAIVertexError(
            "Timed out waiting for Google credentials to refresh; the request was not sent."
        ) from None
    except OpenAIVertexError as error:
        # Every waiter gets its own exception object; the cause (google-auth's error) is shared.
        raise OpenAIVertexError(str(error)) from error.__cause__


async def await_refresh(joined: Joined) -> str:
    """Wait for a refresh without blocking the event loop, and without a thread hop on asyncio."""
    future, deadline = joined
    if future.done():
        return wait_refresh(joined)
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # not asyncio: trio (the only other loop the SDK runs on, through anyio)
        return await _await_on_trio(joined)
    try:
        await asyncio.wait_for(asyncio.wrap_future(future), max(0.0, deadline - time.monotonic()))
    except (asyncio.TimeoutError, OpenAIVertexError):
        pass  # _wait below turns either into the right error
    return wait_refresh((future, time.monotonic()))


async def _await_on_trio(joined: Joined) -> str:
    """Woken by the refresh thread: cancellable, and no worker thread (nor a slot of anyio's limiter) per waiter."""
    import trio

    future, deadline = joined
    token, done = trio.lowlevel.current_trio_token(), trio.Event()

    def wake(_: object) -> None:
        with contextlib.suppress(trio.RunFinishedError):  # the waiter's run ended (cancelled) meanwhile
            token.run_sync_soon(done.set)

    future.add_done_callback(wake)
    with trio.move_on_after(max(0.0, deadline - time.monotonic())):
        await done.wait()
    return wait_refresh((future, time.monotonic()))
