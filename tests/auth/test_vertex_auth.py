"""VertexAuth: generator-level behaviour, then real clients against FakeVertex's token endpoint."""

from __future__ import annotations

import asyncio
import datetime
import threading
import time
from typing import Any

import httpx
import openai
import pytest
from google.auth import credentials as ga_credentials
from google.auth import exceptions as ga_exceptions

from openai_vertex import OpenAIVertexError, VertexAuth
from openai_vertex._auth.vertex_auth import FAILURE_BACKOFF
from openai_vertex._compat import FAMILIES

from openai_vertex.testing import FakeVertex, Reply

from ..compat import raises_vertex_error, sdk_family_param, sdk_retries
from ..doubles import FakeCredentials, chat_completion
from ..doubles import aask as _aask
from ..doubles import ask as _ask

family_param = pytest.mark.parametrize("family", FAMILIES, ids=[family.__name__ for family in FAMILIES])


def _request(family: Any = httpx, **headers: str) -> Any:
    return family.Request("POST", "https://aiplatform.googleapis.com/v1/x/chat/completions",
                          headers={"Authorization": "Bearer sdk-placeholder", **headers}, content=b"{}")


# --- the generator, stepped by hand (httpx tests/test_auth.py style) ---------------------------

@family_param
def test_signs_with_google_token_and_drops_openai_headers(family: Any) -> None:
    creds = FakeCredentials(quota_project_id="billing-project")
    flow = VertexAuth(creds).sync_auth_flow(
        _request(family, **{"OpenAI-Organization": "org-canary", "OpenAI-Project": "proj-canary"}))
    request = next(flow)
    assert request.headers["authorization"] == "Bearer fake-token-1"
    assert request.headers["x-goog-user-project"] == "billing-project"
    assert "openai-organization" not in request.headers and "openai-project" not in request.headers
    with pytest.raises(StopIteration):
        flow.send(family.Response(200))
    assert creds.refreshes == 1


def test_is_an_auth_of_both_families() -> None:
    auth = VertexAuth(FakeCredentials())
    for family in FAMILIES:
        assert isinstance(auth, family.Auth)
        family.Client(auth=auth).close()  # an httpx.Auth alone is a TypeError on an httpx2 client


def test_fresh_token_is_reused_without_refresh() -> None:
    creds = FakeCredentials()
    auth = VertexAuth(creds)
    for _ in range(5):
        flow = auth.sync_auth_flow(_request())
        assert next(flow).headers["authorization"] == "Bearer fake-token-1"
    assert creds.refreshes == 1


def test_401_refreshes_once_and_resends_once() -> None:
    creds = FakeCredentials()
    flow = VertexAuth(creds).sync_auth_flow(_request())
    assert next(flow).headers["authorization"] == "Bearer fake-token-1"
    retried = flow.send(httpx.Response(401))
    assert retried.headers["authorization"] == "Bearer fake-token-2"
    with pytest.raises(StopIteration):  # a second 401 goes back to the caller: no loop
        flow.send(httpx.Response(401))
    assert creds.refreshes == 2


def test_401_does_not_refresh_when_another_caller_already_replaced_the_token() -> None:
    creds = FakeCredentials()
    auth = VertexAuth(creds)
    slow = auth.sync_auth_flow(_request())
    next(slow)  # signed with token 1
    fast = auth.sync_auth_flow(_request())
    next(fast)
    assert fast.send(httpx.Response(401)).headers["authorization"] == "Bearer fake-token-2"
    # The slow request's 401 is for token 1, which is no longer cached: resend with token 2, no fetch.
    assert slow.send(httpx.Response(401)).headers["authorization"] == "Bearer fake-token-2"
    assert creds.refreshes == 2


def test_stale_token_is_used_while_one_background_refresh_runs() -> None:
    creds = FakeCredentials(delay=0.3)
    creds.token = "stale-but-valid"
    creds.expiry = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(minutes=2)
    auth = VertexAuth(creds)
    started = time.monotonic()
    for _ in range(3):
        assert next(auth.sync_auth_flow(_request())).headers["authorization"] == "Bearer stale-but-valid"
    assert time.monotonic() - started < 0.3, "a request waited for the background refresh"
    deadline = time.monotonic() + 5
    while creds.token == "stale-but-valid" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert creds.token == "fake-token-1" and creds.refreshes == 1
    assert next(auth.sync_auth_flow(_request())).headers["authorization"] == "Bearer fake-token-1"


def test_scopes_are_added_when_the_credentials_need_them() -> None:
    class NeedsScopes(FakeCredentials, ga_credentials.Scoped):
        def __init__(self, scopes: Any = None) -> None:
            super().__init__()
            self._scopes = scopes

        @property
        def requires_scopes(self) -> bool:
            return not self._scopes

        def with_scopes(self, scopes: Any, default_scopes: Any = None) -> NeedsScopes:
            return NeedsScopes(scopes)

    auth = VertexAuth(NeedsScopes())
    assert auth.credentials.scopes == ["https://www.googleapis.com/auth/cloud-platform"]


def test_refresh_failure_is_an_openai_vertex_error_without_secrets() -> None:
    secret = "ya29.a0AfB_secret_token_value_1234567890"
    creds = FakeCredentials(fail=ga_exceptions.RefreshError(f"invalid_grant: bad {secret}", {"x": secret}))
    auth = VertexAuth(creds)
    with pytest.raises(OpenAIVertexError) as info:
        next(auth.sync_auth_flow(_request()))
    assert isinstance(info.value.__cause__, ga_exceptions.RefreshError)
    assert not isinstance(info.value, ValueError)
    assert secret not in str(info.value) and secret not in repr(auth)
    assert "gcloud auth application-default login" in str(info.value)


def test_failed_refresh_is_shared_within_the_backoff_window() -> None:
    creds = FakeCredentials(fail=ga_exceptions.TransportError("connection refused"))
    auth = VertexAuth(creds)
    for _ in range(5):
        with pytest.raises(OpenAIVertexError):
            next(auth.sync_auth_flow(_request()))
    assert creds.refreshes == 1
    time.sleep(FAILURE_BACKOFF + 0.05)
    creds.fail = None
    assert next(auth.sync_auth_flow(_request())).headers["authorization"] == "Bearer fake-token-2"


# --- the FRESH verdict, reused briefly: a changed token or expiry is still seen at once ------------

def _sign(auth: VertexAuth) -> str:
    return str(next(auth.sync_auth_flow(_request())).headers["authorization"])


def _in(seconds: float) -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(seconds=seconds)


def test_an_expiry_moved_into_the_refresh_window_is_noticed_on_the_next_request() -> None:
    creds = FakeCredentials(delay=0.2)  # slow enough that the stale token is what goes out
    auth = VertexAuth(creds)
    assert _sign(auth) == "Bearer fake-token-1"  # fetched
    assert _sign(auth) == "Bearer fake-token-1"  # FRESH, and the verdict is now reused
    creds.expiry = _in(120)  # inside google-auth's 3 min 45 s window: stale
    assert _sign(auth) == "Bearer fake-token-1"  # still sent, while a background refresh runs
    deadline = time.monotonic() + 5
    while creds.refreshes < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert creds.refreshes == 2


def test_an_expired_token_is_refreshed_before_sending_even_right_after_a_fresh_verdict() -> None:
    creds = FakeCredentials()
    auth = VertexAuth(creds)
    assert _sign(auth) == _sign(auth) == "Bearer fake-token-1"  # fetched, then FRESH: verdict reused
    creds.expiry = _in(-1)
    assert _sign(auth) == "Bearer fake-token-2"
    assert creds.refreshes == 2


def test_a_token_replaced_from_outside_is_sent_as_soon_as_it_is_there() -> None:
    creds = FakeCredentials()
    auth = VertexAuth(creds)
    assert _sign(auth) == _sign(auth) == "Bearer fake-token-1"  # fetched, then FRESH: verdict reused
    creds.refresh(None)  # another user of the same credentials refreshed them
    assert _sign(auth) == "Bearer fake-token-2"
    assert creds.refreshes == 2


# --- whole SDK clients over MockTransport ------------------------------------------------------

@sdk_family_param
def test_sdk_does_not_retry_or_relabel_a_refresh_failure(family: Any) -> None:
    sent: list[Any] = []
    creds = FakeCredentials(fail=ga_exceptions.RefreshError("invalid_grant: Bad Request"))
    http = family.Client(transport=family.MockTransport(lambda r: sent.append(r) or family.Response(200)),
                         auth=VertexAuth(creds))
    client = openai.OpenAI(api_key="x", base_url="https://example.test/v1", http_client=http,
                           max_retries=sdk_retries(3))
    with raises_vertex_error():
        client.chat.completions.create(model="google/gemini-2.5-flash", messages=[])
    assert sent == [] and creds.refreshes == 1


# --- real service-account credentials against FakeVertex (which accepts only the tokens it issued) ----

OK = "echo: Say hello."  # FakeVertex's default answer to `ask`


def _sync_client(fake: FakeVertex, family: Any, **kwargs: Any) -> openai.OpenAI:
    http = family.Client(auth=VertexAuth(fake.service_account_credentials()))
    return openai.OpenAI(api_key="x", base_url=fake.base_url, http_client=http, **{"max_retries": 0, **kwargs})


def _async_client(fake: FakeVertex, family: Any) -> openai.AsyncOpenAI:
    http = family.AsyncClient(auth=VertexAuth(fake.service_account_credentials()))
    return openai.AsyncOpenAI(api_key="x", base_url=fake.base_url, http_client=http, max_retries=0)


@sdk_family_param
def test_sequential_calls_fetch_one_token(fake_vertex: FakeVertex, family: Any) -> None:
    client = _sync_client(fake_vertex, family)
    assert [_ask(client) for _ in range(20)] == [OK] * 20
    assert fake_vertex.token_requests == 1


@sdk_family_param
def test_sixteen_threads_fetch_one_token(fake_vertex: FakeVertex, family: Any) -> None:
    fake_vertex.token_delay = 0.2  # all threads arrive while the first fetch is under way
    client = _sync_client(fake_vertex, family)
    results: list[str | None] = []
    barrier = threading.Barrier(16)

    def worker() -> None:
        barrier.wait()
        results.append(_ask(client))

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [OK] * 16
    assert fake_vertex.token_requests == 1


@sdk_family_param
async def test_two_hundred_tasks_fetch_one_token(fake_vertex: FakeVertex, family: Any) -> None:
    fake_vertex.token_delay = 0.2
    client = _async_client(fake_vertex, family)
    assert await asyncio.gather(*(_aask(client) for _ in range(200))) == [OK] * 200
    assert fake_vertex.token_requests == 1


@sdk_family_param
async def test_event_loop_keeps_running_while_the_token_endpoint_is_slow(fake_vertex: FakeVertex,
                                                                          family: Any) -> None:
    # Pay the SDK's own first-call costs (lazy imports, model building) on another client first, so
    # the heartbeat below measures the auth alone.
    warm = openai.AsyncOpenAI(api_key="x", base_url="https://example.test/v1", http_client=family.AsyncClient(
        transport=family.MockTransport(lambda r: family.Response(200, json=chat_completion("ok")))))
    assert await _aask(warm) == "ok"
    fake_vertex.token_delay = 1.0
    client = _async_client(fake_vertex, family)
    gaps: list[float] = []

    async def heartbeat() -> None:
        # Measured while every request waits for the token endpoint, which takes 1 s to answer; before
        # and after, the loop does the SDK's own work of building and parsing 20 requests.
        while fake_vertex.token_requests == 0:
            await asyncio.sleep(0.001)
        last = started = time.monotonic()
        while last - started < 0.8:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    beat = asyncio.create_task(heartbeat())
    assert await asyncio.gather(*(_aask(client) for _ in range(20))) == [OK] * 20
    await beat
    assert fake_vertex.token_requests == 1
    # A blocked loop would stall for the token endpoint's whole second; 250 ms leaves room for a loaded machine.
    assert len(gaps) > 20 and max(gaps) < 0.25, f"event loop stalled for {max(gaps) * 1000:.0f} ms"


@sdk_family_param
def test_401_from_vertex_is_recovered_with_one_new_token(fake_vertex: FakeVertex, family: Any) -> None:
    client = _sync_client(fake_vertex, family)
    assert _ask(client) == OK
    fake_vertex.revoke()  # server-side revocation
    assert _ask(client) == OK
    assert fake_vertex.token_requests == 2


@sdk_family_param
async def test_async_401_is_recovered_and_a_second_401_reaches_the_sdk(fake_vertex: FakeVertex,
                                                                       family: Any) -> None:
    client = _async_client(fake_vertex, family)
    assert await _aask(client) == OK
    fake_vertex.revoke()
    assert await _aask(client) == OK
    fake_vertex.script_token(Reply.raw({"access_token": "never-accepted", "expires_in": 3600}))
    fake_vertex.revoke()
    with pytest.raises(openai.AuthenticationError):
        await _aask(client)
    assert fake_vertex.token_requests == 3


@sdk_family_param
def test_stale_token_refreshes_in_background_against_real_credentials(fake_vertex: FakeVertex,
                                                                       family: Any) -> None:
    fake_vertex.token_lifetime = 200  # under google-auth's 3 min 45 s threshold: stale at once
    client = _sync_client(fake_vertex, family)
    assert _ask(client) == OK  # first call: no token, so a foreground fetch
    fake_vertex.token_delay = 0.5
    started = time.monotonic()
    assert _ask(client) == OK
    assert time.monotonic() - started < 0.5, "the request waited for the background refresh"
    deadline = time.monotonic() + 5
    while fake_vertex.token_requests < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.6)
    assert fake_vertex.token_requests == 2


@sdk_family_param
def test_refresh_is_bounded_by_the_request_timeout(fake_vertex: FakeVertex, family: Any) -> None:
    fake_vertex.token_delay = 3.0
    client = _sync_client(fake_vertex, family, max_retries=sdk_retries(2), timeout=0.3)
    started = time.monotonic()
    with raises_vertex_error(match="(?i)timed out|could not be reached"):
        _ask(client)
    assert time.monotonic() - started < 2.5


@sdk_family_param
def test_token_endpoint_5xx_then_success_still_succeeds(fake_vertex: FakeVertex, family: Any) -> None:
    fake_vertex.script_token(Reply.raw({"error": "unavailable"}, status=503))
    assert _ask(_sync_client(fake_vertex, family)) == OK
    assert fake_vertex.token_requests == 2


def test_whole_body_is_unchanged(fake_vertex: FakeVertex) -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return httpx.Response(200, json=chat_completion("ok"))

    http = httpx.Client(transport=httpx.MockTransport(handler), auth=VertexAuth(fake_vertex.service_account_credentials()))
    http.post("https://example.test/v1/chat/completions", content=b'{"a": 1}')
    assert seen == [b'{"a": 1}']
