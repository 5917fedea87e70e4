"""How the commands behave at the edges: broken streams, tool-call answers, bad flags, unreachable endpoints."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from openai_vertex._cli import main
from openai_vertex.testing import FakeVertex, Reply


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_stream_vertex_breaks_off_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], fake: FakeVertex
) -> None:
    fake.script(Reply.aborted_stream(["Hel", "lo"]))
    status, out, err = run(capsys, "chat", "--stream", "--base-url", fake.base_url, "hi")
    assert (status, out) == (1, "Hello\n")
    assert err.startswith("openai-vertex: Vertex AI broke off the answer with an error: ")
    assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize("stream", ["--stream", "--no-stream"])
def test_a_tool_call_answer_is_shown(capsys: pytest.CaptureFixture[str], fake: FakeVertex, stream: str) -> None:
    fake.script(Reply.tool_call("get_weather", {"city": "Paris"}))
    status, out, _ = run(capsys, "chat", stream, "--base-url", fake.base_url, "Weather in Paris?")
    assert status == 0
    assert out == '[tool call] get_weather({"city": "Paris"})\n'


def test_a_refused_credential_is_told_as_such(capsys: pytest.CaptureFixture[str], fake: FakeVertex) -> None:
    """On openai < 2.31 the SDK wraps it in "Connection error"; every version must show the refresh's own error."""
    refusal = Reply.raw({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}, status=400)
    fake.script_token(*[refusal] * 5)  # openai < 2.31 also retries (max_retries=2), and every retry is refused
    status, _, err = run(capsys, "chat", "--no-stream", "--base-url", fake.base_url, "hi")
    assert status == 1 and "Connection error" not in err and "invalid_grant" in err


@pytest.mark.parametrize(("argv", "shown"), [
    (["--image", "missing.png"], "--image missing.png: no such file"),
    (["--image", "notes.txt"], "--image notes.txt: not an image (text/plain)"),
])
def test_a_bad_image_flag_is_named(capsys: pytest.CaptureFixture[str], fake: FakeVertex, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch, argv: list[str], shown: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("not a picture")
    status, _, err = run(capsys, "chat", "--base-url", fake.base_url, *argv, "Describe it.")
    assert status == 2 and shown in err and "image_part" not in err and not fake.chat_requests


@pytest.mark.parametrize(("flag", "value"), [("--project", "my project/x"), ("--location", "us central?")])
def test_doctor_fails_an_invalid_flag_instead_of_saying_ok(capsys: pytest.CaptureFixture[str], fake: FakeVertex,
                                                          flag: str, value: str) -> None:
    status, out, _ = run(capsys, "doctor", flag, value)
    label = flag.removeprefix("--")
    assert status == 1
    assert f"FAIL  {label}" in out and f"ok    {label}" not in out and f"from {flag}" in out
    assert not fake.chat_requests


@pytest.mark.parametrize(("location", "suggests_global"), [(None, False), ("europe-west4", True)])
def test_doctor_404_hint_fits_the_location(capsys: pytest.CaptureFixture[str], fake: FakeVertex,
                                           location: str | None, suggests_global: bool) -> None:
    fake.script(Reply.error(404, "Publisher Model `google/gemini-9` was not found."))
    where = ["--location", location] if location else []
    status, out, _ = run(capsys, "doctor", "--base-url", fake.base_url, "--model", "google/gemini-9", *where)
    assert status == 1
    assert ("try --location global" in out) is suggests_global


def test_doctor_gives_one_piece_of_advice_for_a_404(capsys: pytest.CaptureFixture[str], fake: FakeVertex) -> None:
    fake.script(Reply.error(404, "Publisher Model `google/gemini-9` was not found."))
    _, out, _ = run(capsys, "doctor", "--base-url", fake.base_url, "--model", "google/gemini-9")
    assert "HTTP 404: Publisher Model `google/gemini-9` was not found.\n" in out  # Google's words, kept
    assert "fix: google/gemini-9 is not offered in global" in out and "openai_vertex:" not in out


def test_doctor_names_an_unreachable_token_endpoint_and_the_proxy(
    capsys: pytest.CaptureFixture[str], fake: FakeVertex, tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a loopback port that nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = f"http://127.0.0.1:{port}/token"
    (tmp_path / "key.json").write_text(json.dumps({**fake.service_account_info(), "token_uri": dead}))
    status, out, _ = run(capsys, "doctor", "--base-url", fake.base_url)
    assert status == 1 and "FAIL  token" in out
    assert dead in out and "HTTPS_PROXY" in out and "application-default login" not in out
