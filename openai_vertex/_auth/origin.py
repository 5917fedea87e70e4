"""What kind of Google credentials a client holds and where they came from, in words (for people, not code)."""

from __future__ import annotations

import os

from .google_auth import Credentials, adc_source

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
    path, source = adc_source()
    if source != "GOOGLE_APPLICATION_CREDENTIALS" and not os.path.exists(path):
        return "the environment (metadata server or workload identity)"
    return f"{source} ({path})"
