"""VertexAuth reuses google-auth's FRESH verdict briefly; a changed token or expiry must still be seen at once."""

from __future__ import annotations

import datetime
import time

import httpx

from openai_vertex import VertexAuth

from ..conftest import FakeCredentials


def _sign(auth: VertexAuth) -> str:
    request = httpx.Request("POST", "https://aiplatform.googleapis.com/v1/x/chat/completions",
                            headers={"Authorization": "Bearer sdk-placeholder"})
    return str(next(auth.sync_auth_flow(request)).headers["authorization"])


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
