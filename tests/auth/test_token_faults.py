"""Faults of the token endpoint (FakeVertex's, scripted), seen through whole SDK clients.

Real google-auth credential classes refresh against FakeVertex, which counts every token request and
every Vertex request, so each test also shows what was *not* sent: no retry by the SDK, no stampede.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import traceback
from typing import Any

import openai
import pytest
from google.auth import exceptions as ga_exceptions

from openai_vertex import OpenAIVertexError, VertexAuth, async_vertex_client, vertex_client
from openai_vertex._auth.vertex_auth import FAILURE_BACKOFF
from openai_vertex.testing import FakeVertex, Reply

from ..compat import SDK_HTTP, raises_vertex_error, sdk_retries, vertex_error_in
from ..doubles import aask, ask
from ..leaks import Secrets

INVALID_GRANT = Reply.raw({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}, status=400)
HANG = Reply.raw({}).with_delay(30)  # longer than any test waits; the fake_vertex's stop() drops the connection
WHAT_TO_DO = ("gcloud auth application-default login", "service account key")
modes = pytest.mark.parametrize("mode", ["sync", "async"])
FAMILY: Any = SDK_HTTP  # the HTTP library the installed openai runs on


def _fails_sync(fake_vertex: FakeVertex, credentials: Any, **kwargs: Any) -> OpenAIVertexError:
    client = vertex_client(base_url=fake_vertex.base_url, credentials=credentials, **kwargs)
    with raises_vertex_error() as info:
        ask(client)
    return info.value


async def fails(mode: str, fake_vertex: FakeVertex, credentials: Any, **kwargs: Any) -> OpenAIVertexError:
    """One chat request that must fail with our error; `max_retries=3` lets the SDK retry if it would.

    The sync client runs in a worker thread, as sync code called from an async application does.
    """
    kwargs.setdefault("max_retries", sdk_retries(3))
    if mode == "sync":
        return await asyncio.to_thread(_fails_sync, fake_vertex, credentials, **kwargs)
    client = async_vertex_client(base_url=fake_vertex.base_url, credentials=credentials, **kwargs)
    with raises_vertex_error() as info:
        await aask(client)
    return info.value


def test_server_errors_then_success_still_succeed(fake_vertex: FakeVertex) -> None:
    # google-auth retries 5xx itself (3 attempts, 1 s then 2 s apart); the request just takes longer.
    fake_vertex.script_token(Reply.raw({"error": "internal_failure"}, status=500),
                             Reply.raw(b"Service Unavailable", status=503, headers={"content-type": "text/plain"}))
    credentials = fake_vertex.service_account_credentials()
    client = vertex_client(base_url=fake_vertex.base_url, credentials=credentials, max_retries=0)
    assert ask(client) == "echo: Say hello."
    assert fake_vertex.token_requests == 3 and len(fake_vertex.chat_requests) == 1


@modes
async def test_a_hanging_token_endpoint_fails_the_request_within_its_timeout(mode: str,
                                                                            fake_vertex: FakeVertex) -> None:
    fake_vertex.script_token(HANG)
    beats: list[float] = []
    done = asyncio.Event()

    async def heartbeat() -> None:
        while not done.is_set():
            beats.append(time.monotonic())
            await asyncio.sleep(0.01)

    beating = asyncio.create_task(heartbeat())
    started = time.monotonic()
    error = await fails(mode, fake_vertex, fake_vertex.service_account_credentials(), timeout=0.5)
    elapsed = time.monotonic() - started
    done.set()
    await beating
    assert "Timed out" in str(error) or "could not be reached" in str(error), str(error)
    assert elapsed < 0.5 + 1.5, f"the request waited {elapsed:.1f} s for a 0.5 s timeout"
    # Not retried by the SDK (max_retries=3), and nothing sent to Vertex without a token.
    assert fake_vertex.token_requests == 1 and fake_vertex.chat_requests == []
    # The loop kept running while the token endpoint hung: a beat every ~10 ms, no long gap.
    gaps = [later - earlier for earlier, later in itertools.pairwise(beats)]
    assert len(beats) >= 20 and max(gaps) < 0.25, f"{len(beats)} beats, longest gap {max(gaps) * 1000:.0f} ms"


MALFORMED = {
    "truncated JSON holding a token": b'{"access_token": "ya29.a0AfB_truncated-token-value", "expires_in": 35',
    "not JSON": b"<html>502 Bad Gateway</html>",
    "a JSON list": b'[{"access_token": "ya29.a0AfB_listed-token-value"}]',
    "no access token": b'{"id_token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "expires_in": 3600}',
    "an expiry that is no number": b'{"access_token": "ya29.a0AfB_token-value", "expires_in": "soon"}',
    "empty": b"",
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_malformed_token_answer_is_one_clean_error(body: bytes, fake_vertex: FakeVertex) -> None:
    fake_vertex.script_token(Reply.raw(body))
    error = await fails("async", fake_vertex, fake_vertex.service_account_credentials())
    assert "Could not refresh Google credentials" in str(error)
    assert not Secrets().found_in("".join(traceback.format_exception(error)))
    assert fake_vertex.token_requests == 1 and fake_vertex.chat_requests == []


@modes
async def test_invalid_grant_is_one_error_that_says_what_to_do(mode: str, fake_vertex: FakeVertex) -> None:
    fake_vertex.script_token(INVALID_GRANT)
    error = await fails(mode, fake_vertex, fake_vertex.service_account_credentials())
    assert all(hint in str(error) for hint in WHAT_TO_DO), str(error)
    assert isinstance(error.__cause__, ga_exceptions.RefreshError)
    assert not isinstance(error, (ValueError, openai.APIConnectionError))
    assert fake_vertex.token_requests == 1 and fake_vertex.chat_requests == []


@modes
@pytest.mark.parametrize("subtype", ["invalid_rapt", "rapt_required"])
async def test_reauthentication_needed_is_one_error_that_says_what_to_do(mode: str, subtype: str,
                                                                         fake_vertex: FakeVertex) -> None:
    # Google's answer to a user refresh token when the organisation's session policy wants a new login.
    fake_vertex.script_token(Reply.raw({"error": "invalid_grant", "error_subtype": subtype,
                                 "error_description": "reauth related error"}, status=400))
    error = await fails(mode, fake_vertex, fake_vertex.authorized_user_credentials())
    assert isinstance(error.__cause__, ga_exceptions.RefreshError)
    assert "Reauthentication is needed" in str(error.__cause__)  # google-auth's verdict, kept as the cause
    assert all(hint in str(error) for hint in WHAT_TO_DO), str(error)
    assert fake_vertex.token_requests == 1 and fake_vertex.chat_requests == []


async def test_after_a_failed_refresh_concurrent_callers_do_not_stampede(fake_vertex: FakeVertex) -> None:
    """16 threads and 100 tasks keep asking for 2.5 s while every token request fails."""
    seconds = 2.5
    fake_vertex.script_token(*[INVALID_GRANT] * 50)
    auth = VertexAuth(fake_vertex.service_account_credentials())  # one auth, shared by a sync and an async client
    sent: list[Any] = []

    def vertex(request: Any) -> Any:
        sent.append(request)
        return FAMILY.Response(200)

    transport = FAMILY.MockTransport(vertex)
    sync = openai.OpenAI(api_key="unused", base_url=fake_vertex.base_url, max_retries=sdk_retries(2),
                         http_client=FAMILY.Client(auth=auth, transport=transport))
    asynchronous = openai.AsyncOpenAI(api_key="unused", base_url=fake_vertex.base_url, max_retries=sdk_retries(2),
                                      http_client=FAMILY.AsyncClient(auth=auth, transport=transport))
    errors: list[BaseException] = []
    lock = threading.Lock()
    until = time.monotonic() + seconds

    def thread_caller() -> None:
        while time.monotonic() < until:
            try:
                ask(sync)
            except Exception as error:  # noqa: BLE001 (their kind is checked below)
                with lock:
                    errors.append(error)
            time.sleep(0.005)

    async def task_caller() -> None:
        while time.monotonic() < until:
            try:
                await aask(asynchronous)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            await asyncio.sleep(0.005)

    threads = [threading.Thread(target=thread_caller) for _ in range(16)]
    for thread in threads:
        thread.start()
    await asyncio.gather(*(task_caller() for _ in range(100)))
    for thread in threads:
        await asyncio.to_thread(thread.join)

    arrivals = [request.received_at for request in fake_vertex.requests if request.path == "/token"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(errors) > 500 and sent == []
    errors = [vertex_error_in(error) for error in errors]  # older SDKs wrap it (see compat)
    # At most one token request per backoff window, whatever the number of callers, and a new one in
    # each window (a failure is not final)...
    assert 2 <= len(arrivals) <= 1 + int(seconds / FAILURE_BACKOFF), arrivals
    assert min(gaps) >= FAILURE_BACKOFF * 0.95, gaps
    # ...and every caller of a window got that window's error: as many causes as token requests.
    assert len({id(error.__cause__) for error in errors}) == len(arrivals)
    assert len({str(error) for error in errors}) == 1
