"""FakeVertex: Google's token endpoint and Vertex's chat completions endpoint on one loopback server."""

from __future__ import annotations

import collections
import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import google.oauth2.credentials
import openai
from google.oauth2 import service_account

from ._checks import insufficient_scopes, invalid_request, not_found, unauthenticated
from ._render import ChatCall, Rendered, json_answer
from ._replies import Reply
from ._server import LoopbackServer, RecordedRequest
from .._auth import CLOUD_PLATFORM_SCOPE
from ._tokens import TokenError, TokenIssuer, service_account_credentials, user_credentials

_CHAT_PATH = re.compile(r"^/(?:v1|v1beta1)/projects/[^/]+/locations/[^/]+/endpoints/([^/]+)/chat/completions$")


class FakeVertex:
    """A test double for Vertex AI's OpenAI-compatible endpoint and Google's OAuth token endpoint.

    It checks what a client sends (signed assertions, refresh tokens, bearer tokens, thought signatures,
    `publisher/model` names) and answers in the shapes Vertex documents, but it does not emulate a model:
    it replies with what you `script()`, else with `default_reply` (an echo of the last user message).

    Args:
        project: the project in `base_url` and in the service account's e-mail.
        location: the location in `base_url`.
        token_lifetime: seconds each access token announces as `expires_in`.
        token_dies_after: seconds after which tokens are actually refused, when shorter than announced
            (soak tests of 401 recovery); None means they live as long as announced.
        require_thought_signatures: refuse (400, as Gemini 3 does) a request whose history carries a tool
            call this fake issued without the thought signature it came with.
        port: the port to listen on; 0 picks a free one.
    """

    def __init__(
        self,
        *,
        project: str = "fake-project",
        location: str = "global",
        token_lifetime: int = 3600,
        token_dies_after: float | None = None,
        require_thought_signatures: bool = True,
        port: int = 0,
    ) -> None:
        self.project = project
        self.location = location
        self.require_thought_signatures = require_thought_signatures
        self.default_reply = Reply.echo()
        self.token_delay = 0.0
        """Seconds the token endpoint waits before answering (to exercise single-flight refreshes)."""
        self.token_requests = 0
        """Requests to the token endpoint, granted or not."""
        self.auth_failures = 0
        """Chat requests refused with 401 because their bearer token was missing, unknown, revoked or dead."""
        self._tokens = TokenIssuer(project, token_lifetime, token_dies_after)
        self._port = port
        self._server: LoopbackServer | None = None
        self._lock = threading.Lock()
        self._script: collections.deque[Reply] = collections.deque()
        self._token_script: collections.deque[Reply] = collections.deque()
        self._requests: list[RecordedRequest] = []
        self._signatures: dict[str, str] = {}

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> FakeVertex:
        """Start serving on 127.0.0.1 in a background thread."""
        if self._server is not None:
            raise RuntimeError("FakeVertex is already running")
        self._server = LoopbackServer(self._answer, self._port)
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving and close open connections; the log and counters stay readable."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> FakeVertex:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`, the root of the running server."""
        if self._server is None:
            raise RuntimeError("FakeVertex is not running: call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def token_uri(self) -> str:
        """The fake OAuth token endpoint that the credentials it hands out refresh against."""
        return f"{self.url}/token"

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (`…/endpoints/openapi`) to give the client."""
        return f"{self.url}/v1/projects/{self.project}/locations/{self.location}/endpoints/openapi"

    # -- tokens and credentials ----------------------------------------------------------------------

    @property
    def token_lifetime(self) -> int:
        return self._tokens.token_lifetime

    @token_lifetime.setter
    def token_lifetime(self, seconds: int) -> None:
        self._tokens.token_lifetime = seconds

    @property
    def token_dies_after(self) -> float | None:
        return self._tokens.token_dies_after

    @token_dies_after.setter
    def token_dies_after(self, seconds: float | None) -> None:
        self._tokens.token_dies_after = seconds

    @property
    def service_account_email(self) -> str:
        return self._tokens.service_account_email

    def revoke(self, token: str | None = None) -> None:
        """Refuse `token` from now on (every token issued so far when None); clients see Vertex's 401."""
        self._tokens.revoke(token)

    def expire_all(self) -> None:
        """End the life of every token issued so far, as if their hour had passed."""
        self._tokens.expire_all()

    def script_token(self, *replies: Reply) -> None:
        """Queue answers for the next token requests, in order, before tokens are granted again.

        Any `Reply` serves: `Reply.raw({"error": "invalid_grant"}, status=400)` for a refusal, raw bytes
        for a malformed answer, `.with_delay(s)` for a slow or hanging endpoint. Each counts in
        `token_requests`.
        """
        with self._lock:
            self._token_script.extend(replies)

    def service_account_info(self) -> dict[str, str]:
        """The JSON key file of the fake's service account, with `token_uri` pointing at the fake."""
        return {
            "type": "service_account",
            "project_id": self.project,
            "private_key_id": "fake-vertex-key",
            "private_key": self._tokens.private_key,
            "client_email": self.service_account_email,
            "client_id": "100000000000000000000",
            "token_uri": self.token_uri,
            "universe_domain": "googleapis.com",
        }

    def service_account_credentials(
        self, *, scopes: Sequence[str] = (CLOUD_PLATFORM_SCOPE,), quota_project_id: str | None = None
    ) -> service_account.Credentials:
        """Real google-auth service-account credentials whose JWT grants this fake verifies."""
        return service_account_credentials(self.service_account_info(), scopes, quota_project_id)

    def authorized_user_credentials(
        self, *, scopes: Sequence[str] | None = None, quota_project_id: str | None = None
    ) -> google.oauth2.credentials.Credentials:
        """Real google-auth user credentials (as `gcloud auth application-default login` makes) with a
        refresh token this fake accepts, granted the cloud-platform scope."""
        return user_credentials(
            refresh_token=self._tokens.new_refresh_token([CLOUD_PLATFORM_SCOPE]),
            token_uri=self.token_uri,
            client_id=self._tokens.client_id,
            client_secret=self._tokens.client_secret,
            scopes=scopes,
            quota_project_id=quota_project_id,
        )

    def client(self, **kwargs: Any) -> openai.OpenAI:
        """A `vertex_client` for this fake, signed by its service account (`credentials=` overrides that).

        Its HTTP client ignores proxy settings: with `HTTPS_PROXY`/`ALL_PROXY` set, as on many company
        machines and CI runners, a plain client would send the fake's loopback traffic to the proxy.
        Keyword arguments go to `vertex_client`.
        """
        from .._client import vertex_client

        kwargs.setdefault("http_client", openai.DefaultHttpxClient(trust_env=False))
        kwargs.setdefault("credentials", self.service_account_credentials())
        return vertex_client(base_url=self.base_url, **kwargs)

    def async_client(self, **kwargs: Any) -> openai.AsyncOpenAI:
        """The `async_vertex_client` twin of `client()`."""
        from .._client import async_vertex_client

        kwargs.setdefault("http_client", openai.DefaultAsyncHttpxClient(trust_env=False))
        kwargs.setdefault("credentials", self.service_account_credentials())
        return async_vertex_client(base_url=self.base_url, **kwargs)

    def write_service_account_file(self, path: str | Path) -> Path:
        """Write the service-account key file (e.g. for `GOOGLE_APPLICATION_CREDENTIALS`) and return its path."""
        path = Path(path)
        path.write_text(json.dumps(self.service_account_info(), indent=2), encoding="utf-8")
        return path

    # -- replies and the log ---------------------------------------------------------------------------

    def script(self, *replies: Reply) -> None:
        """Queue replies for the next chat requests, in order; when the queue is empty `default_reply` answers."""
        with self._lock:
            self._script.extend(replies)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far (token and chat), oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The chat completions requests received so far, oldest first."""
        return [r for r in self.requests if _CHAT_PATH.match(r.path)]

    @property
    def thought_signatures(self) -> dict[str, str]:
        """Thought signatures this fake issued, by tool call id."""
        with self._lock:
            return dict(self._signatures)

    # -- serving ---------------------------------------------------------------------------------------

    def _answer(self, request: RecordedRequest) -> tuple[Rendered, float]:
        with self._lock:
            self._requests.append(request)
        chat = _CHAT_PATH.match(request.path)
        if request.method == "POST" and request.path == "/token":
            return self._grant(request)
        if request.method == "POST" and chat:
            return self._chat(request, endpoint=chat.group(1))
        return not_found(request.path), 0.0

    def _grant(self, request: RecordedRequest) -> tuple[Rendered, float]:
        with self._lock:
            self.token_requests += 1
            scripted = self._token_script.popleft() if self._token_script else None
        if scripted is not None:
            return scripted.render(ChatCall({})), scripted.delay
        try:
            answer: dict[str, Any] = self._tokens.grant(request.form or {}, self.token_uri)
        except TokenError as refused:
            refusal = {"error": refused.error, "error_description": refused.description}
            return json_answer(refused.status, refusal), self.token_delay
        return json_answer(200, answer), self.token_delay

    def _chat(self, request: RecordedRequest, endpoint: str) -> tuple[Rendered, float]:
        token = request.bearer_token
        scopes = self._tokens.scopes_of(token) if token else None
        if scopes is None:
            with self._lock:
                self.auth_failures += 1
            return unauthenticated(token_sent=token is not None), 0.0
        if CLOUD_PLATFORM_SCOPE not in scopes:
            return insufficient_scopes(), 0.0
        signatures = self.thought_signatures if self.require_thought_signatures else None
        refused = invalid_request(request.json, endpoint, signatures)
        if refused is not None:
            return refused, 0.0
        with self._lock:
            reply = self._script.popleft() if self._script else self.default_reply
        rendered = reply.render(ChatCall(request.json))
        with self._lock:
            self._signatures.update(rendered.signatures)
        return rendered, reply.delay
