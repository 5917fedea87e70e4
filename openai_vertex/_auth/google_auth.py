"""Every call into google-auth, which ships no type information, kept in one typed module.

Also a google-auth transport over `httpx`: google-auth needs *some* HTTP transport to fetch tokens, and
its own ones pull in `requests` or `urllib3`; httpx is already here and lets each refresh honour a
deadline taken from the request that needed it.
"""

from __future__ import annotations

import atexit
import ipaddress
import os
import re
import threading
import time
from collections.abc import Mapping, MutableMapping
from typing import Any, cast

import httpx
from google.auth import credentials as ga_credentials
from google.auth import exceptions as ga_exceptions
from google.auth import transport as ga_transport

from .._errors import OpenAIVertexError, VertexConfigError
from . import credential_files

Credentials = ga_credentials.Credentials
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
DEFAULT_UNIVERSE = "googleapis.com"

FRESH = ga_credentials.TokenState.FRESH
STALE = ga_credentials.TokenState.STALE
INVALID = ga_credentials.TokenState.INVALID

# Anything shaped like an access token, a refresh token (also URL-encoded), a JWT or a PEM block, and
# the value of any OAuth secret field of a form or JSON body, is cut out of messages taken
# from google-auth exceptions: those relay token-endpoint bodies, which we do not control (a proxy's
# error page may quote the refused request, form body and all).
# The OAuth fields whose values are secrets; the cassette scrubber (`testing/_vcr.py`) hides the same ones.
SECRET_FIELDS = "access_token|refresh_token|id_token|subject_token|client_secret|assertion|private_key"
_SECRET_RE = re.compile(
    rf"(?P<field>\b(?:{SECRET_FIELDS})"
    r"[\"']?\s*[=:]\s*[\"']?)[^&\s\"'<>,}]+"
    r"|ya29\.[\w.-]+|1(?://|%2F%2F)[\w.-]+|eyJ[\w-]*\.[\w-]*\.[\w-]*|-----BEGIN[^-]*-----[\s\S]*?-----END[^-]*-----"
    r"|GOCSPX-[\w-]+|AIza[\w-]{30,}",  # OAuth client secrets and Google API keys, in any surrounding
    re.IGNORECASE,
)
_ADC_HINT = (
    "Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service "
    "account key file, or pass credentials= explicitly."
)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove token-, JWT- and key-shaped substrings, OAuth secret fields and the literal `secrets`."""
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return _SECRET_RE.sub(lambda found: (found.group("field") or "") + "[redacted]", text)


def credential_secrets(creds: Credentials) -> tuple[str, ...]:
    """The secret values a credential holds (a proxy's error page may quote them in any shape)."""
    found = (getattr(creds, name, None) for name in ("client_secret", "refresh_token", "_client_secret",
                                                     "_refresh_token", "_api_key"))
    return tuple({value for value in found if isinstance(value, str) and len(value) >= 8})


def _redact_chain(exc: BaseException | None, secrets: tuple[str, ...] = ()) -> None:
    """Redact google-auth's exceptions in place: a traceback prints the chained cause, quoted body and all."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.args = tuple(_redacted(arg, secrets) for arg in exc.args)
        exc = exc.__cause__ or exc.__context__


def _redacted(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):  # RefreshError carries the token endpoint's parsed answer
        return {key: _redacted(item, secrets) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_redacted(item, secrets) for item in value)
    return value


def default_credentials() -> tuple[Credentials, str | None]:
    """Application Default Credentials with the cloud-platform scope, and the project they carry."""
    import google.auth

    try:
        creds, project = google.auth.default(scopes=[CLOUD_PLATFORM_SCOPE])
    except (ga_exceptions.DefaultCredentialsError, OSError, ValueError, TypeError, AttributeError, KeyError) as exc:
        # google-auth lets the last five out unwrapped, without the file's name, for a file that is JSON but
        # not an object, lacks fields it reads without checking, or is a directory.
        raise _adc_error(exc) from exc
    return creds, project


def _adc_error(exc: Exception) -> VertexConfigError:
    """Name the file, what is wrong with it and how to fix it; without a file, say how to get credentials."""
    path, source = adc_source()
    explicit = source == "GOOGLE_APPLICATION_CREDENTIALS"
    if not explicit and not credential_files.exists(path):
        return VertexConfigError(f"No Google credentials found: {redact(str(exc))} {_ADC_HINT}")
    found = credential_files.problem(path)
    what = found if found is not None else f"could not be loaded ({type(exc).__name__}: {redact(str(exc))})"
    named = f"named by {source}" if explicit else source
    return VertexConfigError(f"The Google credentials file {path} ({named}) {what}. {credential_files.fix(source)}")


def adc_source() -> tuple[str, str]:
    """The file Application Default Credentials are read from, and what names it: the variable, else gcloud."""
    from google.auth import _cloud_sdk

    explicit = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if explicit:
        return explicit, "GOOGLE_APPLICATION_CREDENTIALS"
    return cast(str, _cloud_sdk.get_application_default_credentials_path()), "gcloud's application default credentials"


def with_cloud_platform_scope(creds: Credentials) -> Credentials:
    """Scope credentials that need scopes (service accounts made without any)."""
    return cast(Credentials, ga_credentials.with_scopes_if_required(creds, [CLOUD_PLATFORM_SCOPE]))


def credentials_project(creds: Credentials) -> str | None:
    """The project a credential names itself (service-account keys do), if any."""
    project = getattr(creds, "project_id", None)
    return project if isinstance(project, str) and project else None


def universe_domain(creds: Credentials) -> str:
    domain = getattr(creds, "universe_domain", None)
    return domain if isinstance(domain, str) and domain else DEFAULT_UNIVERSE


def token_state(creds: Credentials) -> Any:
    return creds.token_state


def current_token(creds: Credentials) -> str | None:
    return cast("str | None", creds.token)


def auth_headers(creds: Credentials, token: str) -> dict[str, str]:
    """Authorization plus whatever google-auth adds (x-goog-user-project for a quota project)."""
    headers: dict[str, str] = {}
    creds.apply(headers, token=token)
    return headers


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
"""The loopback names a token endpoint or a base URL may have over plain http (test doubles, emulators)."""


def is_loopback(host: str) -> bool:
    """Whether `host` (as `urlsplit` gives it, without brackets) is this machine: any 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_token_client: tuple[int, httpx.Client] | None = None
_token_client_lock = threading.Lock()
# Clients a forked child inherited: kept, never used and never closed, since closing would end the
# parent's TLS sessions on the sockets the two processes share.
_inherited: list[httpx.Client] = []


def token_http_client() -> httpx.Client:
    """One client for all token fetches of the process, made anew in a forked child.

    Made once, ahead of the first refresh: building its TLS context holds the GIL for tens of
    milliseconds, which inside a refresh would stall every event loop of the process. A child of
    `fork()` (gunicorn --preload, Celery prefork, multiprocessing) must not use the parent's: both would
    send grants on one kept-alive socket and read each other's answers, tokens included.
    """
    global _token_client
    pid = os.getpid()
    with _token_client_lock:
        if _token_client is not None and _token_client[0] == pid:
            return _token_client[1]
        if _token_client is not None:
            _inherited.append(_token_client[1])
        client = _new_token_client()
        _token_client = (pid, client)
        return client


def _new_token_client() -> httpx.Client:
    # A loopback token endpoint (a test double, a local metadata emulator) is never reached through a proxy
    # from HTTP_PROXY / HTTPS_PROXY / ALL_PROXY: the proxy's loopback is not ours.
    loopback: dict[str, httpx.BaseTransport | None] = {
        f"all://[{host}]" if ":" in host else f"all://{host}": None for host in LOOPBACK_HOSTS
    }
    client = httpx.Client(follow_redirects=False, mounts=loopback)
    owner = os.getpid()
    # Hang up kept-alive connections instead of leaving them to the interpreter; a forked child runs the
    # parent's atexit handlers too, and must not close the parent's connections.
    atexit.register(lambda: client.close() if os.getpid() == owner else None)
    return client


def _after_fork_in_child() -> None:
    global _token_client_lock
    _token_client_lock = threading.Lock()  # a thread of the parent may have held it at the fork


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def refresh(creds: Credentials, deadline: float) -> None:
    """Fetch a new token through google-auth, translating its failures into our error."""
    try:
        creds.refresh(_HttpxRequest(token_http_client(), deadline))
    except Exception as exc:  # google-auth also lets ValueError/KeyError out of malformed token responses
        secrets = credential_secrets(creds)
        error = refresh_error(creds, exc, secrets)
        _redact_chain(exc, secrets)
        raise error from exc


def refresh_error(creds: Credentials, exc: BaseException, secrets: tuple[str, ...] = ()) -> OpenAIVertexError:
    """A message that says what failed and what to do, with no secret in it."""
    kind = type(creds).__module__ + "." + type(creds).__qualname__
    detail = redact(str(exc.args[0]) if exc.args else type(exc).__name__, secrets)
    hint = ""
    lowered = detail.lower()
    if "invalid_grant" in lowered or "reauth" in lowered or "invalid_client" in lowered:
        hint = (
            " The credentials were rejected: run `gcloud auth application-default login` again, or check "
            "that the service account key (GOOGLE_APPLICATION_CREDENTIALS) exists and is not disabled."
        )
    elif isinstance(exc, ga_exceptions.TransportError):
        hint = " The token endpoint could not be reached or did not answer in time; the request was not sent."
    return OpenAIVertexError(f"Could not refresh Google credentials ({kind}): {detail.rstrip('.')}.{hint}")


class _HttpxResponse(ga_transport.Response):
    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        return self._response.headers

    @property
    def data(self) -> bytes:
        return self._response.content


class _HttpxRequest(ga_transport.Request):
    """google-auth's transport interface over httpx, with one deadline for all of a refresh's calls."""

    def __init__(self, client: httpx.Client, deadline: float) -> None:
        self._client = client
        self._deadline = deadline

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: MutableMapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> _HttpxResponse:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise ga_exceptions.TransportError("token request not sent: the request's timeout has passed")
        limit = remaining if timeout is None else min(float(timeout), remaining)
        try:
            response = self._client.request(method, url, content=body, headers=headers, timeout=limit)
        except httpx.HTTPError as exc:
            raise ga_exceptions.TransportError(f"{type(exc).__name__} while fetching a token") from exc
        return _HttpxResponse(response)
