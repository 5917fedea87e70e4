"""Google credentials for the SDK: `VertexAuth`, and every call into google-auth.

This is the wing's door: the factories, `doctor` and the cassette scrubber take what they need from here,
never from the modules inside.
"""

from __future__ import annotations

from .google_auth import (
    CLOUD_PLATFORM_SCOPE,
    DEFAULT_UNIVERSE,
    SECRET_FIELDS,
    Credentials,
    adc_source,
    is_loopback,
    credentials_project,
    default_credentials,
    refresh,
    universe_domain,
)
from .origin import adc_origin, check_credentials, credentials_kind
from .redirect_guard import CREDENTIAL_HEADERS, keep_credentials_at_home
from .vertex_auth import VertexAuth

__all__ = [
    "CREDENTIAL_HEADERS",
    "CLOUD_PLATFORM_SCOPE",
    "DEFAULT_UNIVERSE",
    "SECRET_FIELDS",
    "Credentials",
    "VertexAuth",
    "adc_origin",
    "adc_source",
    "check_credentials",
    "credentials_kind",
    "is_loopback",
    "keep_credentials_at_home",
    "credentials_project",
    "default_credentials",
    "refresh",
    "universe_domain",
]
