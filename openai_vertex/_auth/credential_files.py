"""What is wrong with a credentials file that google-auth refused, in words a user can act on.

google-auth reports a broken file as a tuple of its message and the raw exception (a `JSONDecodeError`,
a `KeyError: 'client_email'`), or lets the exception out with no file name at all. We look at the file
ourselves and name the problem: never its content, which holds key material.
"""

from __future__ import annotations

import json
from pathlib import Path

# The `type` values google-auth loads (google/auth/_default.py `_VALID_TYPES`).
KNOWN_TYPES = (
    "service_account",
    "authorized_user",
    "external_account",
    "external_account_authorized_user",
    "impersonated_service_account",
    "gdch_service_account",
)
# Fields each common type cannot work without (what google-auth's loaders read unconditionally).
_REQUIRED = {
    "service_account": ("client_email", "private_key", "token_uri"),
    "authorized_user": ("client_id", "client_secret", "refresh_token"),
    "impersonated_service_account": ("service_account_impersonation_url", "source_credentials"),
    "external_account": ("audience", "subject_token_type", "token_url", "credential_source"),
}
_PEM_START = "-----BEGIN"
_JSON_NAMES = {list: "array", str: "string", type(None): "null", int: "number", float: "number", bool: "boolean"}


def problem(path: str) -> str | None:
    """What is wrong with the file at `path`, as the end of a sentence ("is empty"), or None if nothing we see."""
    file = Path(path)
    if not file.exists():
        return "does not exist"
    if file.is_dir():
        return "is a directory, not a file"
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or type(exc).__name__})"
    if not raw.strip():
        return "is empty"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"is not UTF-8 text (byte {exc.start}); a key file is JSON"
    try:
        info = json.loads(text)
    except json.JSONDecodeError as exc:
        # The message names a position and what was expected, never the content around it.
        return f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
    if not isinstance(info, dict):
        return f"holds a JSON {_JSON_NAMES.get(type(info), 'value')}, not the object a key file holds"
    return _content_problem(info)


def _content_problem(info: dict[str, object]) -> str | None:
    kind = info.get("type")
    if kind is None:
        return 'has no "type" field (a key file says "service_account", "authorized_user", ...)'
    if kind not in KNOWN_TYPES:
        return f'has "type": {json.dumps(kind)}, which google-auth cannot load; expected one of {", ".join(KNOWN_TYPES)}'
    missing = [name for name in _REQUIRED.get(str(kind), ()) if not info.get(name)]
    if missing:
        return f"is a {kind} file without {', '.join(repr(name) for name in missing)}"
    key = info.get("private_key")
    if kind == "service_account" and (not isinstance(key, str) or _PEM_START not in key):
        return "is a service_account file whose private_key is not a PEM private key"
    return None


def fix(source: str) -> str:
    """How to repair or get rid of the file, depending on what named it."""
    if source == "GOOGLE_APPLICATION_CREDENTIALS":
        return (
            "Point GOOGLE_APPLICATION_CREDENTIALS at a valid key file (download a new key of the service "
            "account if this one is damaged), or unset it to use `gcloud auth application-default login`."
        )
    return (
        "Run `gcloud auth application-default login` to write it anew (or delete it), or set "
        "GOOGLE_APPLICATION_CREDENTIALS to a service account key file."
    )

