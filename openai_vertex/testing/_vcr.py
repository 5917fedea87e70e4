"""Cassette settings for vcrpy / pytest-recording that keep credentials and project ids out of cassettes."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from .. import _auth

REDACTED = "REDACTED"
_SECRET_JSON = re.compile(rf'("(?:{_auth.SECRET_FIELDS})"\s*:\s*)"(?:[^"\\]|\\.)*"')
_SECRET_FORM = re.compile(rf"(?<![\w])((?:{_auth.SECRET_FIELDS})=)[^&\s]*")
# Hosts that only ever carry credentials: token grants, impersonation, workload identity, the metadata server.
_CREDENTIAL_HOSTS = frozenset(
    {
        "oauth2.googleapis.com",
        "sts.googleapis.com",
        "iamcredentials.googleapis.com",
        "metadata.google.internal",
        "metadata",
        "169.254.169.254",
    }
)
_PROJECT_VARIABLES = ("GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT", "GOOGLE_CLOUD_QUOTA_PROJECT")


def vertex_vcr_config(project_ids: Iterable[str] | None = None, *, placeholder: str = "test-project") -> dict[str, Any]:
    """vcrpy settings (pytest-recording's `vcr_config`) for recording Vertex traffic safely.

    They drop requests to OAuth token endpoints (Google's, FakeVertex's `/token`, the metadata server),
    filter the headers that carry credentials (`authorization`, `proxy-authorization`, `x-goog-api-key`,
    `x-goog-user-project`) and `cookie`, blank `access_token`,
    `refresh_token`, `id_token`, `assertion`, `client_secret` and `private_key` in bodies, decode compressed
    bodies, and replace each project id in URIs and bodies with `placeholder`.

    Args:
        project_ids: the ids to hide; None reads them from `GOOGLE_CLOUD_PROJECT`, `GCLOUD_PROJECT`,
            `CLOUDSDK_CORE_PROJECT` and `GOOGLE_CLOUD_QUOTA_PROJECT`, and from the `project_id` and
            `quota_project_id` of the Application Default Credentials file (read, never refreshed).
        placeholder: what replaces them. vcrpy scrubs requests the same way when replaying, so a test
            replays whether it runs with the real project or with the placeholder.
    """
    if project_ids is None:
        project_ids = [*(os.environ[name] for name in _PROJECT_VARIABLES if os.environ.get(name)), *_adc_projects()]
    ids = sorted({p for p in project_ids if p and p != placeholder}, key=len, reverse=True)
    alternatives = "|".join(map(re.escape, ids))
    projects = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if ids else None

    def scrub(text: str) -> str:
        text = _SECRET_FORM.sub(rf"\g<1>{REDACTED}", _SECRET_JSON.sub(rf'\g<1>"{REDACTED}"', text))
        return projects.sub(placeholder, text) if projects else text

    def scrub_body(body: Any) -> Any:
        if isinstance(body, bytes):
            try:
                return scrub(body.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:
                return body  # binary uploads carry no JSON fields to blank
        return scrub(body) if isinstance(body, str) else body

    def before_record_request(request: Any) -> Any:
        if _is_credential_traffic(request.uri):
            return None
        request.uri = scrub(request.uri)
        request.body = scrub_body(request.body)
        return request

    def before_record_response(response: dict[str, Any]) -> dict[str, Any]:
        response["headers"] = {k: v for k, v in response["headers"].items() if k.lower() != "set-cookie"}
        response["body"]["string"] = scrub_body(response["body"]["string"])
        return response

    return {
        "filter_headers": [*_auth.CREDENTIAL_HEADERS, "cookie"],
        "filter_query_parameters": ["key", "access_token"],
        "decode_compressed_response": True,
        "before_record_request": before_record_request,
        "before_record_response": before_record_response,
    }


def _adc_projects() -> list[str]:
    """Project ids named in the ADC file: a project that comes from the credentials alone is hidden too."""
    try:
        with open(_auth.adc_source()[0], encoding="utf-8") as file:
            info = json.load(file)
    except (OSError, ValueError):
        return []
    if not isinstance(info, dict):
        return []
    return [value for key in ("project_id", "quota_project_id") if isinstance(value := info.get(key), str)]


def _is_credential_traffic(uri: str) -> bool:
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if host in _CREDENTIAL_HOSTS:
        return True
    if host == "www.googleapis.com" and parts.path.startswith("/oauth2/"):
        return True
    if host == "accounts.google.com" and parts.path.startswith("/o/oauth2/"):
        return True
    return _auth.is_loopback(host) and parts.path == "/token"
