"""What counts as a leaked secret: the exact values a test put on the wire, and anything shaped like one."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, quote_plus

from .loopback import GoogleStandIn

# Shapes of Google credentials, stricter than the repository's pre-stop hook: shorter minimum lengths,
# URL-encoded refresh tokens, OAuth client secrets and API keys too.
SHAPES = {
    "access token": re.compile(r"ya29\.[\w.~+/=-]{4,}"),
    "JWT (assertion or ID token)": re.compile(r"eyJ[\w-]{2,}\.[\w-]{2,}"),
    "private key": re.compile(r"PRIVATE KEY-----|\"private_key\"\s*:\s*\"[^\"]"),
    "refresh token": re.compile(r"\b1//[\w.-]{4,}|\b1%2F%2F[\w.-]{4,}", re.IGNORECASE),
    "OAuth client secret": re.compile(r"GOCSPX-[\w-]{4,}"),
    "API key": re.compile(r"AIza[\w-]{20,}"),
}
# Pieces of a secret long enough to identify it on their own (a JWT's signature, a key's base64 lines).
_MIN_PIECE = 16


class Secrets:
    """Secret values a test handled, found again in any text, raw or encoded as a form, URL or JSON would."""

    def __init__(self, *values: str | None) -> None:
        self.values: set[str] = set()
        self.add(*values)

    def add(self, *values: str | None) -> None:
        for value in values:
            if not value:
                continue
            self.values.add(value)
            if value.startswith("-----BEGIN"):
                lines = value.splitlines()
                self.values.update(line for line in lines if len(line) >= _MIN_PIECE and "-----" not in line)
            elif value.startswith("eyJ"):
                self.values.update(part for part in value.split(".") if len(part) >= _MIN_PIECE)

    def add_wire(self, google: GoogleStandIn, private_key: str | None = None) -> None:
        """Everything secret that went through a stand-in: tokens it issued, what token requests carried."""
        self.add(*google.issued, private_key)
        for _, exchange in google.token_requests:
            form = exchange.form
            self.add(form.get("assertion"), form.get("refresh_token"), form.get("client_secret"))

    def found_in(self, text: str) -> list[str]:
        """Descriptions of every secret in `text` (the values themselves are not repeated)."""
        found = [f"a {name}" for name, shape in SHAPES.items() if shape.search(text)]
        for value in self.values:
            for encoded in {value, quote_plus(value), quote(value, safe=""), json.dumps(value)[1:-1]}:
                if encoded in text:
                    found.append(f"a secret value starting {value[:6]!r} ({len(value)} chars)")
                    break
        return found
