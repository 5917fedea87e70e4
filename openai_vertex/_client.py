"""The factories: a plain `openai.OpenAI` / `openai.AsyncOpenAI` pointed at Vertex, signed by `VertexAuth`."""

from __future__ import annotations

import logging
import os
import re
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from typing_extensions import Unpack
from urllib.parse import urlsplit

import openai

from . import _arguments, _auth, _settings
from ._auth import Credentials, VertexAuth
from ._compat import FAMILIES
from ._arguments import OpenAIOptions
from ._errors import VertexConfigError
from ._settings import VertexSettings
from ._wire import install_wire_layer

if TYPE_CHECKING:
    from ._compat import AsyncHttpClient, HttpClient, SyncHttpClient

# The SDK insists on an API key and would otherwise read OPENAI_API_KEY and send it to Google.
# VertexAuth overwrites the Authorization header it produces on every request.
API_KEY_PLACEHOLDER = "openai-vertex-uses-google-credentials"
_log = logging.getLogger("openai_vertex.client")

_PROJECT_RE = re.compile(r"(?:[a-z][a-z0-9.-]{0,62}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20}")
_LOCATION_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_ENDPOINT_RE = re.compile(r"openapi|[0-9]{1,30}")
_API_VERSIONS = ("v1", "v1beta1")
_MULTI_REGIONS = ("us", "eu")

_Client = TypeVar("_Client", openai.OpenAI, openai.AsyncOpenAI)


def vertex_base_url(
    project: str,
    location: str = "global",
    *,
    endpoint: str = "openapi",
    api_version: str = "v1",
    universe_domain: str = _auth.DEFAULT_UNIVERSE,
) -> str:
    """The OpenAI-compatible base URL of a Vertex project, location and endpoint (the SDK appends routes)."""
    _check_project(project)
    _check_url_parts(location, endpoint, api_version)
    if location == "global":
        host = f"aiplatform.{universe_domain}"
    elif location in _MULTI_REGIONS:
        host = f"aiplatform.{location}.rep.{universe_domain}"
    else:
        host = f"{location}-aiplatform.{universe_domain}"
    return f"https://{host}/{api_version}/projects/{project}/locations/{location}/endpoints/{endpoint}"


def vertex_client(
    *,
    project: str | None = None,
    location: str | None = None,
    credentials: Credentials | None = None,
    endpoint: str = "openapi",
    api_version: str = "v1",
    base_url: str | None = None,
    http_client: SyncHttpClient | None = None,
    wire_compat: bool = True,
    skip_unknown_signatures: bool = False,
    **openai_kwargs: Unpack[OpenAIOptions],
) -> openai.OpenAI:
    """An `openai.OpenAI` that talks to Vertex AI with self-refreshing Google credentials.

    Args:
        project: Google Cloud project id; else `GOOGLE_CLOUD_PROJECT`; else the project that the
            credentials (or Application Default Credentials) carry.
        location: `global` (default), `us`, `eu` or a region; else `GOOGLE_CLOUD_LOCATION`.
        credentials: any google-auth credentials; else Application Default Credentials.
        endpoint: `openapi` for Google and partner models, or the numeric id of a self-deployed endpoint.
        api_version: `v1` or `v1beta1`.
        base_url: replaces the URL built from the above (Private Service Connect, dedicated endpoints,
            emulators); `https` only, except for loopback hosts.
        http_client: an `httpx.Client` or `httpx2.Client` you configured; `VertexAuth` is installed on it.
        wire_compat: install the layer that hides Vertex's deviations from OpenAI's wire format
            (list-wrapped errors, unstable tool-call indices, lost thought signatures, bare model ids).
        skip_unknown_signatures: send Google's `skip_thought_signature_validator` for tool calls in the
            history that this client never received (history from another provider). Off by default.
        **openai_kwargs: passed to `openai.OpenAI` (`max_retries`, `timeout`, `default_headers`, ...).
    """
    return _build(openai.OpenAI, "sync", cast("dict[str, Any]", openai_kwargs), project=project, location=location,
                  credentials=credentials, endpoint=endpoint, api_version=api_version, base_url=base_url,
                  http_client=http_client, wire_compat=wire_compat,
                  skip_unknown_signatures=skip_unknown_signatures)


def async_vertex_client(
    *,
    project: str | None = None,
    location: str | None = None,
    credentials: Credentials | None = None,
    endpoint: str = "openapi",
    api_version: str = "v1",
    base_url: str | None = None,
    http_client: AsyncHttpClient | None = None,
    wire_compat: bool = True,
    skip_unknown_signatures: bool = False,
    **openai_kwargs: Unpack[OpenAIOptions],
) -> openai.AsyncOpenAI:
    """An `openai.AsyncOpenAI` that talks to Vertex AI; arguments as for `vertex_client`."""
    return _build(openai.AsyncOpenAI, "async", cast("dict[str, Any]", openai_kwargs), project=project, location=location,
                  credentials=credentials, endpoint=endpoint, api_version=api_version, base_url=base_url,
                  http_client=http_client, wire_compat=wire_compat,
                  skip_unknown_signatures=skip_unknown_signatures)


def _build(
    client_class: type[_Client],
    mode: Literal["sync", "async"],
    openai_kwargs: dict[str, Any],
    *,
    project: str | None,
    location: str | None,
    credentials: Credentials | None,
    endpoint: str,
    api_version: str,
    base_url: str | None,
    http_client: HttpClient | None,
    wire_compat: bool,
    skip_unknown_signatures: bool,
) -> _Client:
    _arguments.check("vertex_client" if mode == "sync" else "async_vertex_client", client_class, openai_kwargs, {
        "project": project, "location": location, "endpoint": endpoint, "api_version": api_version,
        "base_url": base_url, "wire_compat": wire_compat, "skip_unknown_signatures": skip_unknown_signatures})
    if skip_unknown_signatures and not wire_compat:
        raise VertexConfigError(
            "skip_unknown_signatures=True needs the wire layer, which adds the signatures; drop wire_compat=False."
        )
    if http_client is not None and isinstance(getattr(http_client, "auth", None), VertexAuth):
        raise VertexConfigError(
            "This http_client already has a VertexAuth (another Vertex client's, or one you set): the factory "
            "installs its own auth, wire layer and redirect guard, so give each vertex_client / "
            "async_vertex_client its own http_client, without auth."
        )
    if credentials is not None:
        _auth.check_credentials(credentials)
    location = _setting(location, "location", "GOOGLE_CLOUD_LOCATION") or "global"
    project_source = "project=" if project is not None else "GOOGLE_CLOUD_PROJECT"
    project = _setting(project, "project", "GOOGLE_CLOUD_PROJECT")
    base_url_given = base_url is not None
    if base_url is None:
        # Validate what we can before looking for credentials, so a typo is reported as such.
        _check_url_parts(location, endpoint, api_version)
        if project is not None:
            _check_project(project)
    else:
        _check_base_url(base_url)
    adc_project = None
    credentials_source = "credentials="
    if credentials is None:
        credentials, adc_project = _auth.default_credentials()
        credentials_source = _auth.adc_origin()
    if base_url is None:
        if project is None:
            project, project_source = adc_project or _auth.credentials_project(credentials), "the credentials"
        if not project:
            raise VertexConfigError(
                "No Google Cloud project: pass project= or set GOOGLE_CLOUD_PROJECT "
                "(the credentials do not name one)."
            )
        base_url = vertex_base_url(project, location, endpoint=endpoint, api_version=api_version,
                                   universe_domain=_auth.universe_domain(credentials))
    # The headers of OPENAI_CUSTOM_HEADERS (meant for OpenAI's API) are dropped by VertexAuth on every
    # request, copies of this client included; those you pass in `default_headers` are kept.
    auth = VertexAuth(credentials, keep_headers=tuple(openai_kwargs.get("default_headers") or ()))
    http_client = _with_auth(http_client, auth, mode)
    _auth.keep_credentials_at_home(http_client, base_url, auth, mode)
    if wire_compat:
        # Self-deployed endpoints take the served model's own name: no `google/` prefix there.
        openapi = endpoint == "openapi" and "/endpoints/" not in base_url.replace("/endpoints/openapi", "")
        install_wire_layer(http_client, publisher_prefix=openapi, skip_unknown_signatures=skip_unknown_signatures)
    settings = VertexSettings(
        project=project, project_source=project_source if project else None,
        location=None if base_url_given else location, base_url=base_url, endpoint=endpoint,
        api_version=api_version, credentials=_auth.credentials_kind(credentials),
        credentials_source=credentials_source, wire_compat=wire_compat,
        quota_project=getattr(credentials, "quota_project_id", None))
    _settings.remember(http_client, settings)
    where = (f"project {settings.project} (from {settings.project_source}), location {settings.location}"
             if settings.project else "the endpoint base_url= names")
    _log.info("Vertex client for %s: %s from %s, base URL %s, wire layer %s.", where, settings.credentials,
              settings.credentials_source, settings.base_url, "on" if wire_compat else "off")
    # openai 3 types `http_client` as httpx2's; the httpx family works too (both share the interface).
    return client_class(api_key=API_KEY_PLACEHOLDER, base_url=base_url, http_client=cast(Any, http_client),
                        **openai_kwargs)


def _with_auth(http_client: HttpClient | None, auth: VertexAuth, mode: Literal["sync", "async"]) -> HttpClient:
    """Install the auth on the user's client, or on a default client of the family openai runs on."""
    if http_client is None:
        # The SDK's own default: on httpx2 from openai 3, on httpx before (2.47 to 2.x also offer an
        # httpx2 client, which raises unless the SDK's httpx2 extra is installed).
        factory = openai.DefaultHttpxClient if mode == "sync" else openai.DefaultAsyncHttpxClient
        return factory(auth=auth)
    expected = "Client" if mode == "sync" else "AsyncClient"
    if not any(isinstance(http_client, getattr(family, expected)) for family in FAMILIES):
        raise VertexConfigError(
            f"http_client must be an httpx.{expected} or httpx2.{expected}, not {type(http_client).__name__}."
        )
    http_client.auth = auth
    return http_client


def _setting(value: str | None, argument: str, env: str) -> str | None:
    """An argument, else its environment variable; an empty value is a mistake, not 'unset'."""
    if value is None:
        value = os.environ.get(env)
        if value is None:
            return None
        source = f"environment variable {env}"
    else:
        source = f"{argument}="
    if not value.strip():
        raise VertexConfigError(f"{source} is empty; set {argument}= or {env} to a value, or leave both unset.")
    return value


def _check_project(project: str) -> None:
    _check(project, _PROJECT_RE, "project", "GOOGLE_CLOUD_PROJECT", "a project id such as 'my-project-123'")


def _check_url_parts(location: str, endpoint: str, api_version: str) -> None:
    """What the base URL is built from besides the project, checked before any credentials are looked up."""
    _check(location, _LOCATION_RE, "location", "GOOGLE_CLOUD_LOCATION", "'global', 'us', 'eu' or a region")
    _check(endpoint, _ENDPOINT_RE, "endpoint", None, "'openapi' or a numeric endpoint id")
    if api_version not in _API_VERSIONS:
        raise VertexConfigError(f"api_version={api_version!r} is not supported; use 'v1' or 'v1beta1'.")


def _check(value: str, pattern: re.Pattern[str], argument: str, env: str | None, expected: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        where = f"{argument}=" + (f" (or {env})" if env else "")
        raise VertexConfigError(f"{where} got {value!r}, which is not valid; expected {expected}.")


def _check_base_url(base_url: str) -> None:
    parts = urlsplit(base_url)
    try:
        parts.port  # noqa: B018 (urlsplit checks the port only when asked)
    except ValueError:
        raise VertexConfigError(
            f"base_url={base_url!r} has an invalid port; use a number from 1 to 65535, or none for 443."
        ) from None
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _auth.is_loopback(parts.hostname):
        return
    raise VertexConfigError(
        f"base_url={base_url!r} must be an https:// URL (plain http is allowed only for loopback hosts), "
        "so that Google access tokens never travel unencrypted."
    )

