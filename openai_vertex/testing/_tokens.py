"""FakeVertex's OAuth side: a service-account key, the token grants, and the access tokens it issued.

Every call into google-auth's untyped functions in the testing kit is made here.
"""

from __future__ import annotations

import dataclasses
import functools
import secrets
import threading
import time
from collections.abc import Collection, Mapping
from typing import Any, cast

import google.oauth2.credentials
from google.auth import exceptions as google_exceptions
from google.auth import jwt
from google.oauth2 import service_account

JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# google-auth always signs service-account assertions for Google's endpoint, whatever `token_uri` says.
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
# Tolerance for `iat`/`exp` in assertions; the fake and google-auth share a clock, so this only absorbs rounding.
_ASSERTION_CLOCK_SKEW_SECONDS = 10


@functools.lru_cache(maxsize=1)
def _key_pair() -> tuple[str, str]:
    """One RSA key per process: generating a key costs ~50 ms, too much for every test's fake."""
    # Imported here so that loading the pytest plugin never requires the `testing` extra.
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError as exc:
        raise ImportError("FakeVertex needs `cryptography`: pip install 'openai-vertex[testing]'") from exc
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private.decode(), public.decode()


@dataclasses.dataclass
class _Token:
    scopes: frozenset[str]
    dies_at: float  # time.monotonic() deadline; may come before the lifetime announced as `expires_in`
    revoked: bool = False


class TokenError(Exception):
    """A refused grant: `error` and `description` are what Google's token endpoint answers."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


class TokenIssuer:
    """Grants, checks and revokes access tokens; safe to call from the server's threads."""

    def __init__(self, project: str, token_lifetime: int, token_dies_after: float | None) -> None:
        self.private_key, self.public_key = _key_pair()
        self.service_account_email = f"fake-vertex@{project}.iam.gserviceaccount.com"
        self.client_id = "fake-vertex-client.apps.googleusercontent.com"
        self.client_secret = secrets.token_urlsafe(16)
        self.token_lifetime = token_lifetime
        self.token_dies_after = token_dies_after
        self._lock = threading.Lock()
        self._tokens: dict[str, _Token] = {}
        self._refresh_tokens: dict[str, frozenset[str]] = {}

    def new_refresh_token(self, scopes: Collection[str]) -> str:
        refresh_token = "1//fake-" + secrets.token_urlsafe(32)
        with self._lock:
            self._refresh_tokens[refresh_token] = frozenset(scopes)
        return refresh_token

    def grant(self, form: Mapping[str, str], token_uri: str) -> dict[str, Any]:
        """Answer a token request, or raise `TokenError` with Google's error fields."""
        grant_type = form.get("grant_type", "")
        if grant_type == JWT_BEARER_GRANT:
            scopes = self._check_assertion(form.get("assertion", ""), token_uri)
        elif grant_type == "refresh_token":
            scopes = self._check_refresh(form)
        else:
            raise TokenError(400, "unsupported_grant_type", f"Invalid grant_type: {grant_type}")
        token = "ya29.fake-" + secrets.token_urlsafe(32)
        lifetime = self.token_lifetime if self.token_dies_after is None else self.token_dies_after
        with self._lock:
            self._tokens[token] = _Token(scopes, time.monotonic() + lifetime)
        answer: dict[str, Any] = {"access_token": token, "expires_in": self.token_lifetime, "token_type": "Bearer"}
        if grant_type == "refresh_token":
            answer["scope"] = " ".join(sorted(scopes))
        return answer

    def _check_assertion(self, assertion: str, token_uri: str) -> frozenset[str]:
        try:
            claims = jwt.decode(  # type: ignore[no-untyped-call]
                assertion,
                certs=self.public_key,
                audience=[GOOGLE_TOKEN_URI, token_uri],
                clock_skew_in_seconds=_ASSERTION_CLOCK_SKEW_SECONDS,
            )
        except (google_exceptions.GoogleAuthError, ValueError) as exc:
            raise TokenError(400, "invalid_grant", "Invalid JWT Signature.") from exc
        if claims.get("iss") != self.service_account_email:
            raise TokenError(400, "invalid_grant", "Invalid JWT: the issuer is not this fake's service account.")
        scopes = frozenset(str(claims.get("scope", "")).split())
        if not scopes:
            raise TokenError(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        return scopes

    def _check_refresh(self, form: Mapping[str, str]) -> frozenset[str]:
        if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            raise TokenError(401, "invalid_client", "Unauthorized")
        with self._lock:
            granted = self._refresh_tokens.get(form.get("refresh_token", ""))
        if granted is None:
            raise TokenError(400, "invalid_grant", "Token has been expired or revoked.")
        requested = frozenset(form.get("scope", "").split())
        if requested - granted:
            raise TokenError(400, "invalid_scope", "Some requested scopes were invalid.")
        return requested or granted

    def scopes_of(self, token: str) -> frozenset[str] | None:
        """The scopes of a live token, or None when the token is unknown, revoked or dead."""
        with self._lock:
            found = self._tokens.get(token)
        if found is None or found.revoked or time.monotonic() >= found.dies_at:
            return None
        return found.scopes

    def revoke(self, token: str | None = None) -> None:
        with self._lock:
            for value, found in self._tokens.items():
                if token is None or value == token:
                    found.revoked = True

    def expire_all(self) -> None:
        now = time.monotonic()
        with self._lock:
            for found in self._tokens.values():
                found.dies_at = min(found.dies_at, now)


def service_account_credentials(
    info: Mapping[str, str], scopes: Collection[str], quota_project_id: str | None
) -> service_account.Credentials:
    credentials = cast(
        service_account.Credentials,
        service_account.Credentials.from_service_account_info(info, scopes=list(scopes)),  # type: ignore[no-untyped-call]
    )
    return credentials.with_quota_project(quota_project_id) if quota_project_id else credentials


def user_credentials(
    *,
    refresh_token: str,
    token_uri: str,
    client_id: str,
    client_secret: str,
    scopes: Collection[str] | None,
    quota_project_id: str | None,
) -> google.oauth2.credentials.Credentials:
    return google.oauth2.credentials.Credentials(  # type: ignore[no-untyped-call]
        token=None,
        refresh_token=refresh_token,
        token_uri=token_uri,
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(scopes) if scopes else None,
        quota_project_id=quota_project_id,
    )
