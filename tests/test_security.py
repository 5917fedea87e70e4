"""Credential containment: Google credentials reach the configured origin and nothing else.

Redirects, plain-http URLs, the SDK's own environment variables, reprs, exception messages and
tracebacks, DEBUG logs, and the recorded cassettes. Servers are real loopback sockets that keep every
byte they receive (`loopback.py`); credentials are real google-auth classes with keys made here.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
import yaml

from openai_vertex import OpenAIVertexError, VertexAuth, async_vertex_client, vertex_client
from openai_vertex._client import API_KEY_PLACEHOLDER

from .compat import SDK_HTTP, raises_vertex_error, sdk_families
from .doubles import CASSETTE_PROJECT, FakeCredentials, aask, ask, chat_completion
from .leaks import SHAPES, Secrets
from .loopback import HANG, Answer, Exchange, RawHTTPServer, Stand, user_credentials


@pytest.fixture
def stand() -> Iterator[Stand]:
    with Stand() as running:
        yield running


CASSETTES = Path(__file__).parent.parent / "cassettes"


async def ask_either(client: openai.OpenAI | openai.AsyncOpenAI) -> str | None:
    return await aask(client) if isinstance(client, openai.AsyncOpenAI) else ask(client)


def make_client(mode: str, family: Any, **kwargs: Any) -> openai.OpenAI | openai.AsyncOpenAI:
    """A factory-made client: on the family's own client (`follow_redirects=True`), or the SDK's default."""
    if mode == "sync":
        http = None if family is None else family.Client(follow_redirects=True)
        return vertex_client(http_client=http, max_retries=0, **kwargs)
    http = None if family is None else family.AsyncClient(follow_redirects=True)
    return async_vertex_client(http_client=http, max_retries=0, **kwargs)


CLIENT_KINDS = [*sdk_families(), pytest.param(None, id="sdk-default-client")]
modes = pytest.mark.parametrize("mode", ["sync", "async"])


# --- redirects ------------------------------------------------------------------------------------

@modes
@pytest.mark.parametrize("family", CLIENT_KINDS)
async def test_a_redirect_to_another_origin_never_carries_google_headers(mode: str, family: Any) -> None:
    # Two servers on two ports: two origins. A (the configured base URL) answers 307 to B.
    with RawHTTPServer(lambda request: Answer.json(200, chat_completion("moved"))) as other, \
         RawHTTPServer(lambda request: Answer(307, headers={"location": other.url + request.target})) as home:
        client = make_client(mode, family, base_url=f"{home.url}/v1/projects/p/locations/global/endpoints/openapi",
                             credentials=FakeCredentials(quota_project_id="billing-canary"))
        assert await ask_either(client) == "moved"  # the redirect was followed
    assert b"authorization: bearer fake-token-1" in home.wire.lower()
    assert b"x-goog-user-project: billing-canary" in home.wire.lower()
    assert b"authorization" not in other.wire.lower()
    assert b"x-goog-user-project" not in other.wire.lower()
    assert b"fake-token" not in other.wire and b"billing-canary" not in other.wire


def test_a_redirect_from_the_token_endpoint_is_not_followed(stand: Stand) -> None:
    # A 307 keeps the POST body, which holds the signed assertion: following it would hand that over.
    with RawHTTPServer(lambda request: Answer.json(200, {"access_token": "stolen", "expires_in": 3600})) as other:
        stand.google.token_script.append(lambda request: Answer(307, headers={"location": f"{other.url}/token"}))
        client = vertex_client(base_url=stand.base_url, credentials=stand.service_account(), max_retries=0)
        with raises_vertex_error():
            ask(client)
    assert other.wire == b""
    assert stand.google.chat_requests == []


# --- where a base URL may point --------------------------------------------------------------------

# Each is either refused, or is read by the SDK's own URL parser as a loopback host: never a plain-http
# request to anywhere else (the check and the HTTP library must agree on the host).
TRICKY_URLS = [
    "http://vertex.example.com/v1", "http://10.0.0.8/v1", "http://169.254.169.254/v1", "http://0.0.0.0:8080/v1",
    "http://127.0.0.1.nip.io/v1", "http://localhost.attacker.example/v1", "http://127.0.0.1@attacker.example/v1",
    "http://127.0.0.1:80@attacker.example/v1", "http://attacker.example\\@127.0.0.1/v1",
    "http://127.0.0.1\\@attacker.example/v1", "http://attacker.example?@127.0.0.1/",
    "http://attacker.example#@127.0.0.1/", "http://attacker.example%2f@127.0.0.1/v1",
    "http://user@localhost:1@attacker.example/", "http://localhost./v1", "http://attacker.example\u3002127.0.0.1/",
    "http://[::ffff:127.0.0.1]/v1", "http://127.1/v1", "http://0x7f000001/v1", "http://127.0.0.1\t.attacker.example/",
    "HTTP://ATTACKER.EXAMPLE/v1", "ftp://127.0.0.1/v1", "//attacker.example/v1", "http:/127.0.0.1/v1", "https:///v1",
    "http://LOCALHOST:8080/v1", "http://127.0.0.2/v1", "http://[::1]/v1",
]


@pytest.mark.parametrize("base_url", TRICKY_URLS)
def test_plain_http_reaches_only_loopback_hosts(base_url: str) -> None:
    creds = FakeCredentials()
    try:
        client = vertex_client(base_url=base_url, credentials=creds)
    except ValueError as refused:
        assert isinstance(refused, OpenAIVertexError) and "base_url=" in str(refused)
        assert creds.refreshes == 0
        return
    url = client.base_url  # as the SDK's HTTP library parsed it: where requests will go
    assert url.scheme == "https" or _loopback(url.host), str(url)


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# --- the SDK's environment variables ----------------------------------------------------------------

CANARIES = {
    "OPENAI_API_KEY": "sk-canary-api-key",
    "OPENAI_BASE_URL": "http://127.0.0.1:9/canary-base-url",  # port 9 (discard): used, it would fail loudly
    "OPENAI_ORG_ID": "org-canary-organization",
    "OPENAI_PROJECT_ID": "proj_canary-project",
    "OPENAI_ADMIN_KEY": "sk-admin-canary",
    "OPENAI_WEBHOOK_SECRET": "whsec_canary",
    # openai >= 2 adds these headers to every request; one would pick the billed project.
    "OPENAI_CUSTOM_HEADERS": "X-Canary: canary-header\nx-goog-user-project: canary-billing",
}


@modes
@pytest.mark.parametrize("family", CLIENT_KINDS)
async def test_openai_environment_variables_never_reach_the_wire(mode: str, family: Any, stand: Stand,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    client = make_client(mode, family, base_url=stand.base_url, credentials=stand.service_account())
    assert await ask_either(client) == "ok"
    assert await ask_either(client) == "ok"
    wire = stand.server.wire.lower()  # every byte received: token requests and chat requests alike
    assert len(stand.google.chat_requests) == 2 and stand.google.fetches == 1
    assert b"canary" not in wire
    assert b"openai-organization" not in wire and b"openai-project" not in wire
    assert API_KEY_PLACEHOLDER.encode() not in wire  # the SDK's placeholder key is always overwritten


# --- reprs, messages, tracebacks -----------------------------------------------------------------------

def _echo_page(request: Exchange) -> Answer:
    """A proxy's error page that quotes the request it refused: the form with the assertion or refresh token."""
    return Answer(400, b"<html><body>Request blocked by policy: " + request.body + b"</body></html>",
                  {"content-type": "text/html"})


def _echo_json(request: Exchange) -> Answer:
    return Answer.json(400, {"error": "invalid_grant", "error_description": f"Bad request {request.body.decode()}"})


def _formatted(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))  # with every chained cause


@pytest.mark.parametrize("echo", [_echo_page, _echo_json])
async def test_no_secret_in_any_repr_message_or_traceback(stand: Stand, echo: Any) -> None:
    secrets = Secrets(user_credentials(stand).refresh_token, user_credentials(stand).client_secret)
    objects: list[object] = []
    errors: list[BaseException] = []

    working = vertex_client(base_url=stand.base_url, credentials=stand.service_account(), max_retries=0)
    assert ask(working) == "ok"
    objects += [working, working._client, working._client.auth, working.chat.completions]
    aworking = async_vertex_client(base_url=stand.base_url, credentials=stand.service_account(), max_retries=0)
    assert await aask(aworking) == "ok"
    objects += [aworking, aworking._client, aworking._client.auth]

    for credentials in (stand.service_account(), user_credentials(stand)):
        stand.google.token_script.append(echo)
        client = vertex_client(base_url=stand.base_url, credentials=credentials, max_retries=0)
        with raises_vertex_error() as info:
            ask(client)
        assert isinstance(info.value.__cause__, Exception)  # google-auth's error, printed in tracebacks too
        errors.append(info.value)
        objects.append(client._client.auth)

    stand.google.token_script.append(HANG)
    slow = vertex_client(base_url=stand.base_url, credentials=stand.service_account(), max_retries=0, timeout=0.3)
    with raises_vertex_error() as info:
        ask(slow)
    errors.append(info.value)
    with pytest.raises(OpenAIVertexError) as info:
        VertexAuth()  # no credentials anywhere: Application Default Credentials are missing
    errors.append(info.value)

    secrets.add_wire(stand.google, stand.google.service_account_info(stand.token_uri)["private_key"])
    assert len(secrets.values) > 10  # tokens, assertions, a refresh token, a client secret, a key
    for thing in objects + errors:
        leaks = secrets.found_in(repr(thing) + str(thing))
        assert not leaks, type(thing)
    for error in errors:
        leaks = secrets.found_in(_formatted(error))
        assert not leaks, str(error)[:60]


# --- DEBUG logs of a whole session -----------------------------------------------------------------------

# The SDK's default client and an httpx one are both used below.
FAMILY_NAMES = sorted({SDK_HTTP.__name__, "httpx"})
# Each HTTP library logs under its own name, and its transport under httpcore's (httpx) or httpcore2's.
_TRANSPORT_LOGGERS = {"httpx": "httpcore", "httpx2": "httpcore2"}
LOGGERS = ["openai", "google", *FAMILY_NAMES, *(_TRANSPORT_LOGGERS[name] for name in FAMILY_NAMES)]


def _record_text(record: logging.LogRecord) -> str:
    """All a handler could print: the message, the formatted traceback, and every attribute (extras too)."""
    return logging.Formatter("%(name)s %(levelname)s %(message)s").format(record) + repr(vars(record))


async def test_debug_logs_of_a_whole_session_hold_no_secret(stand: Stand, caplog: pytest.LogCaptureFixture,
                                                            monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    # google-auth cuts its loggers off from the root unless the application configured `google` itself.
    monkeypatch.setattr(logging.getLogger("google"), "propagate", True)
    info = stand.google.service_account_info(stand.token_uri)
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps(info))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))

    client = vertex_client(base_url=stand.base_url, max_retries=0)  # ADC; the SDK's default HTTP client
    aclient = async_vertex_client(base_url=stand.base_url, http_client=httpx.AsyncClient(), max_retries=0)
    assert ask(client) == "ok" and await aask(aclient) == "ok"
    stand.google.revoked.update(stand.google.issued)  # Vertex refuses them now: 401, refresh, resend
    assert ask(client) == "ok" and await aask(aclient) == "ok"
    stand.google.token_script.append(Answer.json(400, {"error": "invalid_grant",
                                                       "error_description": "Token has been expired or revoked."}))
    failing = async_vertex_client(base_url=stand.base_url, credentials=user_credentials(stand), max_retries=0)
    with raises_vertex_error() as failed:
        await aask(failing)
    logging.getLogger("app").error("chat request failed", exc_info=failed.value)  # as an application would

    assert stand.google.fetches == 5 and len(stand.google.chat_requests) == 6  # 2, then 2 x (401 + resend)
    secrets = Secrets(user_credentials(stand).refresh_token, user_credentials(stand).client_secret)
    secrets.add_wire(stand.google, info["private_key"])
    leaks = secrets.found_in("\n".join(_record_text(record) for record in caplog.records))
    assert not leaks
    assert set(LOGGERS) <= {record.name.split(".")[0] for record in caplog.records}, "a logger was not captured"


# --- cassettes ----------------------------------------------------------------------------------------

CASSETTE_FILES = sorted(path for path in CASSETTES.rglob("*") if path.is_file())
GOOGLE_HEADERS = {"authorization", "x-goog-user-project", "cookie", "set-cookie", "x-goog-api-key",
                  "proxy-authorization", "openai-organization", "openai-project"}
TOKEN_ENDPOINTS = ("oauth2.googleapis.com", "accounts.google.com", "sts.googleapis.com", "iamcredentials",
                   "metadata.google.internal", "169.254.169.254", "/token")
_PROJECT_ID = re.compile(r"projects/([^/\s\"'?#}]+)|\"(?:quota_)?project_id\"\s*:\s*\"([^\"]*)\"")


def cassette_problems(path: Path) -> list[str]:
    """Everything secret or identifying in one file under cassettes/."""
    text = path.read_text(encoding="utf-8", errors="replace")
    problems = [f"{name}-shaped text" for name, shape in SHAPES.items() if shape.search(text)]
    fields = ("refresh_token", "client_secret", "assertion=", "private_key")
    problems += [f"a secret field ({field})" for field in fields if field in text]
    problems += [f"project id {project!r}" for project in _project_ids(text) if project != CASSETTE_PROJECT]
    if path.suffix in (".yaml", ".yml"):
        for interaction in (yaml.safe_load(text) or {}).get("interactions", []):
            request, response = interaction["request"], interaction["response"]
            headers = {name.lower() for name in [*request.get("headers", {}), *response.get("headers", {})]}
            problems += [f"header {name}" for name in sorted(headers & GOOGLE_HEADERS)]
            problems += [f"token endpoint {host}" for host in TOKEN_ENDPOINTS if host in request["uri"]]
    return problems


def _project_ids(text: str) -> list[str]:
    return [path or field for path, field in _PROJECT_ID.findall(text)]


def test_there_are_cassettes_to_scan() -> None:
    assert [path for path in CASSETTE_FILES if path.suffix == ".yaml"]


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda path: str(path.relative_to(CASSETTES)))
def test_cassette_holds_no_secret_and_no_real_project(path: Path) -> None:
    assert cassette_problems(path) == []


def test_the_cassette_scan_finds_each_kind_of_leak(tmp_path: Path) -> None:
    """The scan above is only as good as its patterns: each planted leak must be reported."""
    planted = {
        "access token": "ya29." + "a0AfB_byC" * 4,
        "JWT": "eyJhbGciOiJSUzI1NiJ9" + ".eyJpc3MiOiJ4In0.c2ln",
        "private key": "-----BEGIN PRIVATE " + "KEY-----\nMIIE\n",
        "refresh token": "1//" + "0gAbCdEf",
        "encoded refresh token": "refresh=1%2F%2F" + "0gAbCdEf",
        "client secret": "GOCSPX-" + "abcdEFGH",
        "project": "https://aiplatform.googleapis.com/v1/projects/my-real-project-123/locations/global",
    }
    clean_path = next(path for path in CASSETTE_FILES if path.suffix == ".yaml")
    assert cassette_problems(clean_path) == []
    clean = clean_path.read_text()
    for name, leak in planted.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(clean + "# " + leak.replace("\n", " ") + "\n")  # a YAML comment: the file still loads
        assert cassette_problems(path), name
    leaky = yaml.safe_load(clean)
    leaky["interactions"][0]["request"]["headers"]["Authorization"] = ["Bearer x"]
    (tmp_path / "header.yaml").write_text(yaml.safe_dump(leaky))
    assert "header authorization" in cassette_problems(tmp_path / "header.yaml")
