"""Whether a value is Google credentials at all, what kind, and where they came from, in words for people."""

from __future__ import annotations

import os
from collections.abc import Mapping

from .._errors import VertexConfigError
from .google_auth import Credentials, adc_file

_KINDS = {
    "google.oauth2.service_account.Credentials": "service account key",
    "google.oauth2.credentials.Credentials": "user account (gcloud auth application-default login)",
    "google.auth.compute_engine.credentials.Credentials": "metadata server (Compute Engine, Cloud Run, GKE…)",
    "google.auth.impersonated_credentials.Credentials": "impersonated service account",
    "google.auth.identity_pool.Credentials": "workload identity federation",
    "google.auth.aws.Credentials": "workload identity federation (AWS)",
    "google.auth.external_account_authorized_user.Credentials": "workforce identity federation user",
    "google.auth.api_key.Credentials": "API key (Vertex AI express mode)",
}


def credentials_kind(creds: Credentials) -> str:
    """A readable name of the credential class (its dotted name when we have none)."""
    name = f"{type(creds).__module__}.{type(creds).__qualname__}"
    return _KINDS.get(name, name)


def adc_origin() -> str:
    """Where Application Default Credentials were read from: a file and what named it, else the environment."""
    file = adc_file()
    if file is None:
        return "the environment (metadata server or workload identity)"
    return f"{file[1]} ({file[0]})"


def check_credentials(value: object) -> None:
    """Refuse what is not google-auth credentials now, not with an AttributeError on the first request."""
    if isinstance(value, Credentials):
        return
    if isinstance(value, tuple) and value and isinstance(value[0], Credentials):
        hint = "google.auth.default() returns (credentials, project): pass credentials=credentials, project=project"
    elif isinstance(value, (str, os.PathLike)):
        hint = ("for a key file, pass service_account.Credentials.from_service_account_file(path) or set "
                "GOOGLE_APPLICATION_CREDENTIALS to the path")
    elif isinstance(value, Mapping):
        hint = "for a parsed key file, pass service_account.Credentials.from_service_account_info(info)"
    else:
        hint = "pass google-auth credentials, or nothing for Application Default Credentials"
    raise VertexConfigError(f"credentials= takes google.auth.credentials.Credentials, not {type(value).__name__}; {hint}.")
