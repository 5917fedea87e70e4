"""Every call into google-auth, which ships no type information, kept in one typed module.

The transport google-auth fetches tokens through is in `token_transport.py`.
"""

from __future__ import annotations

import ipaddress
import os
import re
from typing import Any, cast

from google.auth import credentials as ga_credentials
from google.auth import exceptions as ga_exceptions

from .._errors import OpenAIVertexError, VertexConfigError
from . import credential_files, token_transport
from .token_transport import Deadline

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
    file = adc_file()
    if file is None:
        return VertexConfigError(f"No Google credentials found: {redact(str(exc))} {_ADC_HINT}")
    path, source = file
    explicit = source == "GOOGLE_APPLICATION_CREDENTIALS"
    found = credential_files.problem(path)
    what = found if found is not None else f"could not be loaded ({type(exc).__name__}: {redact(str(exc))})"
    named = f"named by {source}" if explicit else source
    return VertexConfigError(f"The Google credentials file {path} ({named}) {what}. {credential_files.fix(source)}")


def adc_file() -> tuple[str, str] | None:
    """The ADC file in play and what names it: the variable's, else gcloud's if it is there; else None."""
    path, source = adc_source()
    if source == "GOOGLE_APPLICATION_CREDENTIALS" or os.path.lexists(path):
        return path, source
    return None


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


def is_loopback(host: str) -> bool:
    """Whether `host` (as `urlsplit` gives it, without brackets) is this machine: any 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refresh(creds: Credentials, deadline: Deadline | float) -> None:
    """Fetch a new token through google-auth by `deadline` (a `time.monotonic()` one), translating its failures."""
    if not isinstance(deadline, Deadline):
        deadline = Deadline(deadline)
    try:
        creds.refresh(token_transport.Request(deadline))
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
