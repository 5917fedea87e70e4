"""`VertexAuth`: google-auth credentials as an `httpx.Auth` (and `httpx2.Auth`) for the openai SDK.

google-auth decides freshness and performs refreshes; this adds what it lacks: one refresh at a time
(every caller that needs a token joins the refresh under way, threads and tasks alike), a refresh that
never blocks an event loop, recovery from a 401, and a shared error after a failure.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Callable, Generator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

import httpx

from . import google_auth, token_transport
from .._compat import FAMILIES
from .._errors import OpenAIVertexError
from .google_auth import Credentials
from .waiting import Joined as _Joined
from .waiting import await_refresh as _await
from .waiting import wait_refresh as _wait
from .token_transport import Deadline
from .origin import check_credentials
from .sdk_headers import Entry, SDKHeaders, entries, set_headers

if TYPE_CHECKING:
    _Bases: tuple[type, ...] = (httpx.Auth,)
else:
    # httpx first: its Auth is what the annotations name; httpx2's too when installed (openai >= 3).
    _Bases = (httpx.Auth, *(family.Auth for family in FAMILIES if family is not httpx))

_log = logging.getLogger("openai_vertex.auth")
# A refresh of a request without any timeout still must end; google-auth's own default is 120 s.
DEFAULT_REFRESH_TIMEOUT = 120.0
# A refresh started by a request with a short timeout (a health check) still gets this long: others join it.
MIN_REFRESH_TIMEOUT = 30.0
# After a failed refresh, callers within this window get the same error instead of each asking the
# token endpoint again (an outage or a revoked key would otherwise be hammered by every request).
FAILURE_BACKOFF = 1.0
# google-auth's FRESH verdict is reused for this long while the token and its expiry are the same objects:
# `token_state` reads the clock twice, which costs more than the rest of a request's auth. FRESH means more
# than google-auth's REFRESH_THRESHOLD (3 min 45 s) is left, so a verdict this young can never hide an
# expired token; at worst the background refresh of a stale one starts this much later.
FRESH_VERDICT_REUSE = 1.0
_RECOVERY = "Vertex refused the access token (401); refreshing it once, unless another request already did, and resending."

Request = Any  # httpx.Request or httpx2.Request: the flows only touch what both share
Response = Any


class VertexAuth(*_Bases):  # type: ignore[misc]
    """Signs each request with a fresh Google access token.

    Args:
        credentials: any google-auth credentials; None means Application Default Credentials.
            Credentials that need scopes get `cloud-platform`. No token is fetched until the first request.
    """

    requires_request_body = False
    requires_response_body = False

    def __init__(self, credentials: Credentials | None = None, *, keep_headers: tuple[str, ...] = ()) -> None:
        if credentials is None:
            credentials, _ = google_auth.default_credentials()
        check_credentials(credentials)
        self.credentials = google_auth.with_cloud_platform_scope(credentials)
        # Sent by the SDK but meant for OpenAI's API (OPENAI_ORG_ID, OPENAI_CUSTOM_HEADERS): dropped from every
        # request, whichever way they came back in (`with_options`, `copy()`), except names the user gave
        # the factory in `default_headers` (`keep_headers`).
        self._sdk_headers = SDKHeaders(keep_headers)
        token_transport.token_http_client()  # built now, not inside the first refresh (see its docstring)
        self._lock = threading.Lock()  # guards the two fields below; never held across I/O or a yield
        self._refreshing: tuple[Future[str], Deadline] | None = None
        self._failure: tuple[float, OpenAIVertexError] | None = None
        # Headers are rebuilt only when the token changes, keeping the per-request cost to a lookup;
        # one tuple, so that a thread never pairs one token with another's headers.
        self._signed: tuple[str | None, dict[str, str], tuple[Entry, ...] | None, tuple[str, ...]] = (None, {}, (), ())
        # (token, expiry, monotonic deadline) of google-auth's last FRESH verdict; one tuple, as above.
        self._fresh: tuple[str | None, object, float] = (None, None, 0.0)
        _ALL.add(self)

    def _forget_refresh(self) -> None:
        """In a forked child: the refresh thread and any lock holder stayed in the parent."""
        self._lock = threading.Lock()
        self._refreshing = None
        self._failure = None

    def __repr__(self) -> str:
        return f"VertexAuth(credentials={type(self.credentials).__name__})"

    def applied_header_names(self) -> tuple[str, ...]:
        """The headers the credentials put on requests (Authorization, x-goog-api-key, a quota project...)."""
        return tuple(self._signed[1])

    def sync_auth_flow(self, request: Request) -> Generator[Request, Response, None]:
        token = self._usable_token(request) or _wait(self._join_refresh(request, _is_invalid))
        self._sign(request, token)
        response = yield request
        if response.status_code == 401:
            _log.info(_RECOVERY)
            self._sign(request, _wait(self._join_refresh(request, _still(token))))
            yield request

    async def async_auth_flow(self, request: Request) -> AsyncGenerator[Request, Response]:
        token = self._usable_token(request) or await _await(self._join_refresh(request, _is_invalid))
        self._sign(request, token)
        response = yield request
        if response.status_code == 401:
            _log.info(_RECOVERY)
            self._sign(request, await _await(self._join_refresh(request, _still(token))))
            yield request

    def _usable_token(self, request: Request) -> str | None:
        """The cached token if google-auth calls it usable; a stale one also starts a background refresh."""
        token, expiry = google_auth.current_token(self.credentials), self.credentials.expiry
        fresh_token, fresh_expiry, fresh_until = self._fresh
        if token is fresh_token and expiry is fresh_expiry and time.monotonic() < fresh_until:
            return token
        state = google_auth.token_state(self.credentials)
        if state is google_auth.FRESH:
            # Keyed on what was read before asking: a refresh landing in between only causes a re-ask.
            self._fresh = (token, expiry, time.monotonic() + FRESH_VERDICT_REUSE)
            return token
        if state is google_auth.STALE:
            _log.debug("The Google access token is about to expire; refreshing it in the background.")
            self._join_refresh(request, _is_not_fresh)  # not awaited: this request goes out now
            return google_auth.current_token(self.credentials)  # a refresh may have landed meanwhile
        return None

    def _sign(self, request: Request, token: str) -> None:
        """Overwrite Authorization (the SDK always sends its placeholder key) and drop OpenAI headers."""
        signed_token, headers, encoded, unsent = self._signed
        if token is not signed_token:
            headers = google_auth.auth_headers(self.credentials, token)
            # API-key credentials (Vertex express mode) send x-goog-api-key; the SDK's placeholder bearer
            # token must not travel beside it.
            unsent = () if any(name.lower() == "authorization" for name in headers) else ("Authorization",)
            encoded = entries(headers)
            self._signed = (token, headers, encoded, unsent)
        # Item by item: `Headers.update` and `pop` of an absent name cost several times more (httpx, httpx2).
        self._sdk_headers.drop(request.headers)
        for name in unsent:
            if name in request.headers:
                del request.headers[name]
        set_headers(request.headers, headers, encoded)

    def _join_refresh(self, request: Request, needed: Callable[[Credentials], bool]) -> _Joined:
        """The refresh under way; else a new one if `needed` says so; else the current token."""
        deadline = _deadline(request)
        with self._lock:
            if self._refreshing is not None:
                future, shared = self._refreshing
                shared.extend(deadline)  # the refresh lasts as long as its most patient waiter
                return future, deadline
            future = Future()
            if not needed(self.credentials):
                future.set_result(google_auth.current_token(self.credentials) or "")
            elif self._failure is not None and time.monotonic() - self._failure[0] < FAILURE_BACKOFF:
                future.set_exception(self._failure[1])
            else:
                future.set_running_or_notify_cancel()  # waiters' cancellation must not cancel it
                # A short-timeout caller (a health check) must not cut the refresh others will join.
                shared = Deadline(max(deadline, time.monotonic() + MIN_REFRESH_TIMEOUT))
                thread = threading.Thread(target=self._run_refresh, args=(future, shared),
                                          name="openai-vertex-refresh", daemon=True)
                try:
                    thread.start()  # before the future is published: a failed start leaves no state
                except RuntimeError as exc:  # "can't start new thread" under a pids limit
                    error = OpenAIVertexError(
                        f"Could not start a thread to refresh Google credentials ({exc}); the request was "
                        "not sent. The process has reached its thread limit."
                    )
                    future.set_exception(error)
                else:
                    self._refreshing = (future, shared)
        return future, deadline

    def _run_refresh(self, future: Future[str], deadline: Deadline) -> None:
        started = time.monotonic()
        outcome: str | OpenAIVertexError = OpenAIVertexError("Google credentials did not refresh.")
        cached = True  # a failure of the credentials is shared for FAILURE_BACKOFF; an interruption is not
        try:
            google_auth.refresh(self.credentials, deadline)
            token = google_auth.current_token(self.credentials)
            if token is None:
                raise OpenAIVertexError("Google credentials refreshed without producing an access token.")
            outcome = token
        except OpenAIVertexError as error:
            outcome = error
            cached = not deadline.passed()  # cut by its deadline, it says nothing about the next refresh
        except BaseException as exc:  # SystemExit from a credential helper, gevent's Timeout, ...
            # Delivered to the waiters instead: raised on, it would only end this thread with a traceback.
            outcome = OpenAIVertexError(f"Refreshing Google credentials ended with {type(exc).__name__}.")
            cached = False
        finally:
            # Whatever ended the refresh, the next request must find no refresh under way.
            with self._lock:
                if self._refreshing is not None and self._refreshing[0] is future:
                    self._refreshing = None
                failed = outcome if isinstance(outcome, OpenAIVertexError) and cached else None
                self._failure = (time.monotonic(), failed) if failed is not None else None
            if isinstance(outcome, OpenAIVertexError):
                _log.warning("%s", outcome)  # our messages hold no secret (google_auth.refresh_error)
                future.set_exception(outcome)
            else:
                _log.info("Fetched a Google access token (%s) in %.0f ms; it expires at %s UTC.",
                          type(self.credentials).__name__, (time.monotonic() - started) * 1000,
                          self.credentials.expiry)
                future.set_result(outcome)


_ALL: weakref.WeakSet[VertexAuth] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    _log.debug("Forked: this process forgets the parent's refresh state.")
    for auth in list(_ALL):
        auth._forget_refresh()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _is_invalid(creds: Credentials) -> bool:
    return google_auth.token_state(creds) is google_auth.INVALID


def _is_not_fresh(creds: Credentials) -> bool:
    return google_auth.token_state(creds) is not google_auth.FRESH


def _still(failed: str) -> Callable[[Credentials], bool]:
    """Compare-and-clear after a 401: refresh only if nobody has replaced the token that failed."""
    return lambda creds: google_auth.current_token(creds) == failed or _is_invalid(creds)


def _deadline(request: Request) -> float:
    """A refresh is bounded by the timeout of the request that needed it."""
    timeouts = request.extensions.get("timeout") or {}
    limits = [value for value in timeouts.values() if value is not None]
    return time.monotonic() + (max(limits) if limits else DEFAULT_REFRESH_TIMEOUT)
