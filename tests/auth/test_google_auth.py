"""Application Default Credentials that are missing, unscoped or broken.

conftest's `_clean_env` hides the developer's own ADC and turns off google-auth's metadata-server probe,
so "no ADC" here is what a fresh machine sees.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from google.auth import jwt
from google.oauth2 import service_account

from openai_vertex import OpenAIVertexError, VertexAuth, async_vertex_client, vertex_client
from openai_vertex._auth import CLOUD_PLATFORM_SCOPE
from openai_vertex.testing import FakeVertex
from openai_vertex.testing._tokens import _key_pair

from ..doubles import ask
from ..leaks import Secrets

WAYS_TO_USE_ADC: dict[str, Callable[[], object]] = {
    "vertex_client": lambda: vertex_client(project="my-proj"),
    "async_vertex_client": lambda: async_vertex_client(project="my-proj"),
    "VertexAuth": lambda: VertexAuth(),
}


@pytest.mark.parametrize("use", WAYS_TO_USE_ADC.values(), ids=WAYS_TO_USE_ADC.keys())
def test_no_adc_at_all_names_both_fixes(use: Callable[[], object]) -> None:
    with pytest.raises(ValueError) as info:
        use()
    assert isinstance(info.value, OpenAIVertexError)
    assert "GOOGLE_APPLICATION_CREDENTIALS" in str(info.value)
    assert "gcloud auth application-default login" in str(info.value)


def test_a_credentials_file_that_is_not_there_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nowhere" / "key.json"
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(missing))
    with pytest.raises(ValueError) as info:
        vertex_client(project="my-proj")
    assert isinstance(info.value, OpenAIVertexError)
    assert str(missing) in str(info.value) and "GOOGLE_APPLICATION_CREDENTIALS" in str(info.value)


def _scope_claims(fake: FakeVertex) -> list[str]:
    """The `scope` claim of every assertion the token endpoint received (the fake checked each signature)."""
    assertions = [request.form["assertion"] for request in fake.requests if request.form]
    claims = [jwt.decode(assertion, verify=False)  # type: ignore[no-untyped-call]
              for assertion in assertions]
    return [str(claim["scope"]) for claim in claims]


@pytest.mark.parametrize("how", ["GOOGLE_APPLICATION_CREDENTIALS", "credentials=from_service_account_file"])
def test_a_service_account_file_without_scopes_gets_cloud_platform(how: str, fake_vertex: FakeVertex,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    key_file = fake_vertex.write_service_account_file(tmp_path / "key.json")  # key files hold no scopes
    if how == "GOOGLE_APPLICATION_CREDENTIALS":
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
        client = vertex_client(base_url=fake_vertex.base_url)
    else:
        unscoped = service_account.Credentials.from_service_account_file(str(key_file))  # type: ignore[no-untyped-call]
        assert unscoped.requires_scopes  # as loaded, it could not fetch a token at all
        client = vertex_client(base_url=fake_vertex.base_url, credentials=unscoped)
    assert ask(client) == "echo: Say hello."
    assert _scope_claims(fake_vertex) == [CLOUD_PLATFORM_SCOPE]


def _service_account(**changes: Any) -> str:
    info = {"type": "service_account", "project_id": "sa-project", "private_key_id": "k1",
            "private_key": _key_pair()[0], "client_email": "sa@sa-project.iam.gserviceaccount.com",
            "client_id": "1", "token_uri": "http://127.0.0.1:9/token"}
    return json.dumps({**info, **changes})


# Each broken file, and what the error must say is wrong with it (never quoting the file).
BROKEN_FILES: dict[str, tuple[str | bytes | None, str]] = {
    "truncated JSON": ('{"type": "service_account", "project_id": ', "is not valid JSON: Expecting value at line 1"),
    "empty": ("", "is empty"),
    "not UTF-8": (b"\xff\xfe\x00 not json", "is not UTF-8 text"),
    "a JSON list": ("[]", "holds a JSON array"),
    "a JSON string": ('"service_account"', "holds a JSON string"),
    "JSON null": ("null", "holds a JSON null"),
    "no type": ('{"project_id": "p"}', 'has no "type" field'),
    "an unknown type": ('{"type": "banana"}', '"type": "banana", which google-auth cannot load'),
    "service account missing fields": ('{"type": "service_account"}',
                                       "service_account file without 'client_email', 'private_key', 'token_uri'"),
    "service account with a broken key": (_service_account(private_key=(
        "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n")),
        "could not be loaded"),
    "service account with a key that is a number": (_service_account(private_key=5),
                                                    "private_key is not a PEM private key"),
    "user credentials without a refresh token": ('{"type": "authorized_user", "client_id": "x", "client_secret": "y"}',
                                                 "authorized_user file without 'refresh_token'"),
    "impersonation without its fields": ('{"type": "impersonated_service_account"}',
                                         "impersonated_service_account file without"),
    "a directory": (None, "is a directory"),
}


@pytest.mark.parametrize(("content", "wrong"), BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_a_malformed_credentials_file_is_a_clear_error_naming_it(content: str | bytes | None, wrong: str,
                                                                 tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "application_default_credentials.json"
    if content is None:
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(path))
    with pytest.raises(ValueError) as info:  # a configuration mistake, found before any traffic
        vertex_client(project="my-proj")
    assert isinstance(info.value, OpenAIVertexError)
    assert str(path) in str(info.value)
    assert not Secrets().found_in("".join(traceback.format_exception(info.value)))  # no key material quoted
    message = str(info.value)
    assert wrong in message, message
    assert "named by GOOGLE_APPLICATION_CREDENTIALS" in message and "or unset it" in message
    assert "No Google credentials found" not in message  # the user set the variable: it is the file that is wrong


def test_a_broken_gcloud_credentials_file_says_to_log_in_again(tmp_path: Path) -> None:
    # conftest points CLOUDSDK_CONFIG at tmp_path/gcloud: gcloud's ADC file lives there.
    path = tmp_path / "gcloud" / "application_default_credentials.json"
    path.parent.mkdir()
    path.write_text('{"type": "authorized_user", "client_id": "x"')
    with pytest.raises(OpenAIVertexError) as info:
        vertex_client(project="my-proj")
    message = str(info.value)
    assert f"{path} (gcloud's application default credentials) is not valid JSON" in message, message
    assert "line 1, column" in message and "gcloud auth application-default login" in message
