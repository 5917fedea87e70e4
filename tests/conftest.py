"""Shared test doubles: fake google-auth credentials, a loopback token server, the cassette configuration."""

from __future__ import annotations

import datetime
import json
import os
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from google.auth import credentials as ga_credentials
from google.oauth2 import service_account

from openai_vertex import testing
from openai_vertex._compat import httpx2
from openai_vertex.testing._tokens import _key_pair

import httpx

CASSETTE_PROJECT = "openai-vertex-test"


class FakeCredentials(ga_credentials.Credentials):
    """Real google-auth Credentials whose refresh mints numbered tokens instead of calling Google."""

    def __init__(self, lifetime: float = 3600, quota_project_id: str | None = None,
                 fail: BaseException | None = None, delay: float = 0.0) -> None:
        super().__init__()
        self.lifetime = lifetime
        self._quota_project_id = quota_project_id
        self.fail = fail
        self.delay = delay
        self.refreshes = 0

    def refresh(self, request: Any) -> None:
        self.refreshes += 1
        if self.delay:
            time.sleep(self.delay)
        if self.fail is not None:
            raise self.fail
        self.token = f"fake-token-{self.refreshes}"
        self.expiry = _utcnow() + datetime.timedelta(seconds=self.lifetime)


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class TokenServer:
    """A loopback OAuth token endpoint: counts fetches, can be slow, can fail, can revoke."""

    def __init__(self) -> None:
        self.fetches = 0
        self.delay = 0.0
        self.expires_in = 3600
        self.failures: list[tuple[int, str]] = []  # (status, body) answered before succeeding
        self.issued: set[str] = set()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                urllib.parse.parse_qs(self.rfile.read(length).decode())
                with server.lock:
                    server.fetches += 1
                    failure = server.failures.pop(0) if server.failures else None
                    token = f"loopback-token-{server.fetches}"
                    if failure is None:
                        server.issued.add(token)
                time.sleep(server.delay)
                status, body = failure or (200, json.dumps(
                    {"access_token": token, "expires_in": server.expires_in, "token_type": "Bearer"}))
                data = body.encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/token"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def service_account_info(self) -> dict[str, str]:
        """A service-account key file's contents, with the run's test key and token_uri at this server."""
        return {"type": "service_account", "project_id": "sa-project-1", "private_key_id": "k1",
                "private_key": _key_pair()[0], "client_email": "sa@sa-project-1.iam.gserviceaccount.com",
                "client_id": "1", "token_uri": self.url}

    def service_account(self) -> service_account.Credentials:
        """A real google-auth service-account credential that fetches its tokens here."""
        return service_account.Credentials.from_service_account_info(self.service_account_info())

    def vertex_handler(self, reply: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
        """A MockTransport handler that accepts only tokens this server issued, like Vertex."""

        def handle(request: Any) -> Any:
            family = httpx2 if httpx2 is not None and isinstance(request, httpx2.Request) else httpx
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            if token not in self.issued:
                return family.Response(401, json={"error": {"code": 401, "status": "UNAUTHENTICATED",
                                                           "message": "Request had invalid authentication credentials."}})
            return family.Response(200, json=chat_completion("ok"))

        return reply or handle

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def chat_completion(text: str, model: str = "google/gemini-2.5-flash") -> dict[str, Any]:
    """A non-streaming body in Vertex's documented shape (vertex-api.md §7, response-samples §1)."""
    return {"choices": [{"finish_reason": "stop", "index": 0, "logprobs": None,
                         "message": {"content": text, "role": "assistant"}}],
            "created": 1761934621, "id": "Hf0EacSvGLGN1tEP3quxSQ", "model": model,
            "object": "chat.completion", "system_fingerprint": "",
            "usage": {"completion_tokens": 18, "completion_tokens_details": {"reasoning_tokens": 41},
                      "extra_properties": {"google": {"traffic_type": "ON_DEMAND"}},
                      "prompt_tokens": 15, "total_tokens": 74}}


@pytest.fixture
def token_server() -> Iterator[TokenServer]:
    server = TokenServer()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's Google or OpenAI settings, nor their ADC file."""
    for name in ("GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_APPLICATION_CREDENTIALS",
                 "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_CUSTOM_HEADERS",
                 "CLOUDSDK_CONFIG", "GCE_METADATA_HOST", "GCE_METADATA_IP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))  # no well-known ADC file
    # No probe of a metadata server: google-auth's own switch for it (NO_GCE_CHECK) is read at import and
    # kept under a name that changed between releases, so the probe itself is replaced.
    from google.auth.compute_engine import _metadata

    monkeypatch.setattr(_metadata, "is_on_gce", lambda request: False)


# --- cassettes (style.md §10) ------------------------------------------------------------------

def _live_project() -> str:
    """The project a maintainer records against: GOOGLE_CLOUD_PROJECT, else the ADC project."""
    import google.auth

    project = os.environ.get("GOOGLE_CLOUD_PROJECT") or google.auth.default()[1]
    if not project:
        raise pytest.UsageError("recording needs GOOGLE_CLOUD_PROJECT or an ADC project")
    return str(project)


@pytest.fixture(scope="module")
def vcr_config(record_mode: str) -> dict[str, Any]:
    """The scrubbing configuration users get from `openai_vertex.testing`, with our placeholder project."""
    project_ids = [] if record_mode == "none" else [_live_project()]
    config = testing.vertex_vcr_config(project_ids, placeholder=CASSETTE_PROJECT)
    config["match_on"] = ["method", "scheme", "host", "path", "body"]
    return config


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(Path(__file__).parent.parent / "cassettes" / request.module.__name__.split(".")[-1])


@pytest.fixture
def vertex_setup(record_mode: str) -> tuple[str, ga_credentials.Credentials]:
    """Replays use fake credentials and the placeholder project; live recording uses ADC."""
    if record_mode == "none":
        return CASSETTE_PROJECT, FakeCredentials()
    import google.auth

    creds, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
    return _live_project(), creds


@pytest.fixture(autouse=True)
def _all_cassette_interactions_played(vcr: Any, record_mode: str) -> Iterator[None]:
    """A cassette holding interactions the test never played means the test no longer does what it did."""
    yield
    if vcr is not None and record_mode == "none":
        assert vcr.all_played, f"unplayed interactions in {vcr._path}"

