"""`openai-vertex doctor`: find where a setup breaks, and say how to fix it. Never prints a token."""

from __future__ import annotations

import argparse
import datetime
import os
import time
from typing import Any, TextIO

import google.auth.exceptions
import openai

from .. import _auth
from .._client import _check_base_url, _check_url_parts, vertex_base_url, vertex_client
from .._client import _check_project as _check_project_id
from .._errors import OpenAIVertexError, VertexConfigError
from .errors import api_error_message

# A doctor should answer within a minute even when the token endpoint or Vertex hangs.
_TOKEN_SECONDS = 30.0
_CALL_SECONDS = 60.0
_TEST_PROMPT = "Reply with the single word: ready"
_LOGIN_HINT = "run `gcloud auth application-default login`"


class _Report:
    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.failures = 0

    def ok(self, label: str, text: str) -> None:
        print(f"  ok    {label:<14}{text}", file=self._out, flush=True)

    def fail(self, label: str, text: str, fix: str = "") -> None:
        self.failures += 1
        print(f"  FAIL  {label:<14}{text}", file=self._out, flush=True)
        if fix:
            print(f"        {'':<14}fix: {fix}", file=self._out, flush=True)


def run_doctor(args: argparse.Namespace, out: TextIO) -> int:
    """Check credentials, project, location, base URL, a token and a test call; 0 when all pass."""
    report = _Report(out)
    print("openai-vertex doctor", file=out)
    credentials = _check_credentials(report)
    project = _check_project(report, args, credentials)
    location, location_ok = _check_location(report, args)
    base_url = _report_base_url(report, args, credentials, project, location or "global") if location_ok else None
    if credentials is not None and _check_token(report, credentials[0]) and base_url:
        _check_call(report, args, credentials[0], project, location, base_url)
    if report.failures:
        print(f"{report.failures} check{'s' * (report.failures > 1)} failed.", file=out)
        return 1
    print("All checks passed.", file=out)
    return 0


def _check_credentials(report: _Report) -> tuple[Any, str | None] | None:
    try:
        credentials, project = _auth.default_credentials()
    except VertexConfigError as exc:
        message = str(exc)
        fix = "" if "application-default login" in message else f"{_LOGIN_HINT}, or set GOOGLE_APPLICATION_CREDENTIALS"
        report.fail("credentials", message, fix)
        return None
    report.ok("credentials", f"{_auth.credentials_kind(credentials)}, from {_auth.adc_origin()}")
    principal = getattr(credentials, "service_account_email", None) or getattr(credentials, "account", None)
    if principal == "default":
        principal = "the machine's default service account"
    report.ok("principal", principal or "unknown (these credentials do not carry an e-mail)")
    quota = getattr(credentials, "quota_project_id", None)
    report.ok("quota project", quota or "none (usage is billed to the project called)")
    return credentials, project


def _check_project(report: _Report, args: argparse.Namespace, credentials: tuple[Any, str | None] | None) -> str | None:
    found: list[tuple[str | None, str]] = [
        (args.project, "--project"),
        (os.environ.get("GOOGLE_CLOUD_PROJECT"), "GOOGLE_CLOUD_PROJECT"),
        (credentials[1] if credentials else None, "the credentials"),
    ]
    for project, source in found:
        if project:
            try:
                _check_project_id(project)
            except VertexConfigError:
                report.fail("project", f"{project!r} (from {source}) is not a project id",
                            f"pass a project id such as my-project-123 in {source}")
                return None
            report.ok("project", f"{project} (from {source})")
            return project
    if args.base_url:
        report.ok("project", "none needed: --base-url names the endpoint")
    else:
        report.fail("project", "none found", "set GOOGLE_CLOUD_PROJECT=<project id> or pass --project <project id>")
    return None


def _check_location(report: _Report, args: argparse.Namespace) -> tuple[str | None, bool]:
    """The location asked for (None: the default, global), and whether Vertex could have it."""
    location = args.location or os.environ.get("GOOGLE_CLOUD_LOCATION")
    if not location:
        report.ok("location", "global (default)")
        return None, True
    source = "--location" if args.location else "GOOGLE_CLOUD_LOCATION"
    try:
        _check_url_parts(location, "openapi", "v1")
    except VertexConfigError:
        report.fail("location", f"{location!r} (from {source}) is not a location",
                    f"set {source} to global, us, eu or a region such as us-central1")
        return location, False
    report.ok("location", f"{location} (from {source})")
    return location, True


def _report_base_url(
    report: _Report, args: argparse.Namespace, credentials: Any, project: str | None, location: str
) -> str | None:
    if args.base_url:
        try:
            _check_base_url(args.base_url)
        except VertexConfigError as exc:
            report.fail("base URL", str(exc), "pass an https:// --base-url (plain http only for loopback hosts)")
            return None
        report.ok("base URL", f"{args.base_url} (from --base-url)")
        return str(args.base_url)
    if project is None:
        return None
    domain = _auth.universe_domain(credentials[0]) if credentials else _auth.DEFAULT_UNIVERSE
    try:
        url = vertex_base_url(project, location, universe_domain=domain)
    except VertexConfigError as exc:
        report.fail("base URL", str(exc))
        return None
    report.ok("base URL", url)
    return url


def _check_token(report: _Report, credentials: Any) -> bool:
    try:
        _auth.refresh(credentials, time.monotonic() + _TOKEN_SECONDS)
    except OpenAIVertexError as exc:
        report.fail("token", str(exc), _token_fix(exc, credentials))
        return False
    expiry = credentials.expiry
    if expiry is None:
        report.ok("token", "fetched (no expiry announced)")
        return True
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)  # google-auth keeps naive UTC
    minutes = round((expiry - now).total_seconds() / 60)
    report.ok("token", f"fetched; expires in {minutes} min (at {expiry:%H:%M} UTC), refreshed automatically")
    return True


def _token_fix(exc: BaseException, credentials: Any) -> str:
    """Logging in again cures refused credentials, not a token endpoint out of reach."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, google.auth.exceptions.TransportError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return f"{_LOGIN_HINT}, or check the key in GOOGLE_APPLICATION_CREDENTIALS"
    url = getattr(credentials, "token_uri", None) or getattr(credentials, "_token_uri", None) or "Google's token endpoint"
    return (f"the token endpoint {url} could not be reached: check the network, and HTTPS_PROXY / NO_PROXY "
            "if this machine needs a proxy")


def _check_call(
    report: _Report, args: argparse.Namespace, credentials: Any, project: str | None, location: str | None,
    base_url: str,
) -> None:
    started = time.perf_counter()
    try:
        url_names_both = args.base_url is not None
        with vertex_client(project=None if url_names_both else project, location=None if url_names_both else location,
                           credentials=credentials, base_url=args.base_url,
                           max_retries=0, timeout=_CALL_SECONDS) as client:
            completion = client.chat.completions.create(
                model=args.model, messages=[{"role": "user", "content": _TEST_PROMPT}]
            )
    except openai.APIStatusError as exc:
        fix = _status_fix(exc.status_code, args.model, project, location)  # said in flags: one piece of advice
        message = api_error_message(exc, hint=not fix)
        report.fail("test call", f"{args.model} → HTTP {exc.status_code}: {message}", fix)
        return
    except openai.APIConnectionError as exc:
        report.fail("test call", f"could not reach {base_url}: {exc}", "check the network, proxy and --base-url")
        return
    latency = time.perf_counter() - started
    answer = (completion.choices[0].message.content or "").strip() if completion.choices else ""
    report.ok("test call", f"{args.model} answered in {latency:.2f} s: {answer[:60]!r}")


def _status_fix(status: int, model: str, project: str | None, location: str | None) -> str:
    where = f" --project {project}" if project else ""
    fixes = {
        400: "check --model: Vertex wants publisher/model, such as google/gemini-2.5-flash",
        401: f"the token was refused; {_LOGIN_HINT} again",
        403: f"enable the API (`gcloud services enable aiplatform.googleapis.com{where}`) and grant the principal "
             "the Vertex AI User role (roles/aiplatform.user)",
        404: f"{model} may not be offered in {location}; try --location global or another --model"
        if location and location != "global"
        else f"{model} is not offered in global; check the model id, or try a region (--location us-central1)",
        429: "quota exhausted: retry later, or request more quota for this model and location",
    }
    return fixes.get(status, "")
