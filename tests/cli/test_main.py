"""The `openai-vertex` command, run through `main(argv)` against FakeVertex, and once as a real process."""

from __future__ import annotations

import base64
import gc
import io
import json
import os
import subprocess
import sys
import urllib.parse
import warnings
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import openai_vertex
from openai_vertex._cli import main
from openai_vertex.testing import FakeVertex, Reply, sample_png

PROJECT_ROOT = Path(openai_vertex.__file__).resolve().parent.parent


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as stderr is for someone at a shell."""

    def isatty(self) -> bool:
        return True


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def sent(fake: FakeVertex) -> dict[str, object]:
    body = fake.chat_requests[-1].json
    assert isinstance(body, dict)
    return body


# -- demo --------------------------------------------------------------------------------------------


def test_demo_runs_every_step_and_saves_its_image_outside_the_checkout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "demo")
    assert status == 0, out
    assert "All steps passed." in out and "FAILED" not in out
    for step in ("1. chat", "2. streaming", "3. tool call", "4. generated image", "5. a token revoked"):
        assert step in out
    assert list(tmp_path.iterdir()) == []  # nothing left where it ran
    saved = Path(out.split("saved ", 1)[1].split(" (image/png", 1)[0])
    assert saved.parent.name.startswith("openai-vertex-demo-") and saved.read_bytes() == sample_png()


def test_demo_saves_its_image_where_out_says(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "demo", "--out", str(tmp_path / "square.png"))
    assert status == 0, out
    assert f"saved {tmp_path / 'square.png'} (image/png" in out
    assert (tmp_path / "square.png").read_bytes() == sample_png()


def test_demo_as_a_process_on_a_machine_without_google_setup(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "OPENAI_", "CLOUDSDK_"))}
    env.update(PYTHONPATH=str(PROJECT_ROOT), CLOUDSDK_CONFIG=str(tmp_path / "no-gcloud"), NO_GCE_CHECK="true")
    # A proxy that does not exist, as on a corporate laptop: the demo's loopback traffic must not use it.
    dead_proxy = "http://127.0.0.1:9"
    proxied = {**env, "HTTP_PROXY": dead_proxy, "HTTPS_PROXY": dead_proxy, "ALL_PROXY": dead_proxy, "NO_PROXY": ""}
    image = tmp_path / "demo.png"
    done = subprocess.run([sys.executable, "-m", "openai_vertex", "demo", "--out", str(image)], cwd=tmp_path,
                          env=proxied, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    doctor = subprocess.run([sys.executable, "-m", "openai_vertex", "doctor"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert doctor.returncode == 1
    for fix in ("gcloud auth application-default login", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_PROJECT"):
        assert fix in doctor.stdout


# -- doctor ------------------------------------------------------------------------------------------


def test_doctor_reports_a_working_setup_without_the_token(capsys: pytest.CaptureFixture[str], fake: FakeVertex) -> None:
    status, out, _ = run(capsys, "doctor", "--base-url", fake.base_url)
    assert status == 0, out
    assert f"principal     {fake.service_account_email}" in out
    assert "service account key, from GOOGLE_APPLICATION_CREDENTIALS" in out
    assert "project       fake-project (from the credentials)" in out
    assert "location      global (default)" in out
    assert "expires in 60 min" in out
    assert "google/gemini-2.5-flash answered in" in out and "All checks passed." in out
    token = fake.chat_requests[0].bearer_token
    assert token and token not in out


def test_doctor_names_the_fix_when_nothing_is_set_up(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "doctor")
    assert status == 1
    assert "FAIL  credentials" in out and "gcloud auth application-default login" in out
    assert "FAIL  project" in out and "GOOGLE_CLOUD_PROJECT" in out and "2 checks failed." in out


def test_doctor_project_sources(capsys: pytest.CaptureFixture[str], fake: FakeVertex, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    info = fake.service_account_info()
    del info["project_id"]
    (tmp_path / "key.json").write_text(json.dumps(info))
    status, out, _ = run(capsys, "doctor")
    assert status == 1 and "FAIL  project       none found" in out
    assert "ok    token" in out and "test call" not in out  # nothing to call without a project
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "env-project")
    status, out, _ = run(capsys, "doctor", "--base-url", fake.base_url, "--location", "europe-west4")
    assert status == 0, out
    assert "env-project (from GOOGLE_CLOUD_PROJECT)" in out and "europe-west4 (from --location)" in out


def test_doctor_refuses_a_plain_http_base_url_before_any_call(capsys: pytest.CaptureFixture[str],
                                                               fake: FakeVertex) -> None:
    status, out, _ = run(capsys, "doctor", "--base-url", "http://vertex.example.com/v1")
    assert status == 1, out
    assert "FAIL  base URL" in out and "https" in out and "1 check failed." in out
    assert "test call" not in out and fake.chat_requests == []


def test_doctor_explains_a_refused_call(capsys: pytest.CaptureFixture[str], fake: FakeVertex) -> None:
    fake.script(Reply.error(403, "Vertex AI API has not been used in project fake-project before or it is disabled."))
    status, out, _ = run(capsys, "doctor", "--base-url", fake.base_url)
    assert status == 1
    assert "FAIL  test call     google/gemini-2.5-flash → HTTP 403: Vertex AI API has not been used" in out
    assert "gcloud services enable aiplatform.googleapis.com --project fake-project" in out


def test_doctor_explains_a_rejected_key_without_leaking_it(
    capsys: pytest.CaptureFixture[str], fake: FakeVertex, tmp_path: Path
) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    (tmp_path / "key.json").write_text(json.dumps({**fake.service_account_info(), "private_key": other}))
    status, out, _ = run(capsys, "doctor", "--base-url", fake.base_url)
    assert status == 1 and "FAIL  token" in out and "invalid_grant" in out
    assert "PRIVATE KEY" not in out and "eyJ" not in out and not fake.chat_requests


# -- chat --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["chat", "--no-stream", "hi"], ["doctor"]])
def test_commands_close_the_connections_they_open(capsys: pytest.CaptureFixture[str], fake: FakeVertex,
                                                  argv: list[str]) -> None:
    to_fake = f", {urllib.parse.urlsplit(fake.base_url).port})"  # how a socket's repr ends: raddr=(host, port)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        status, out, _ = run(capsys, *argv, "--base-url", fake.base_url)
        gc.collect()  # a client left open lets its sockets go only here, each with a ResourceWarning
    assert status == 0, out
    assert [str(w.message) for w in caught if "unclosed" in str(w.message) and to_fake in str(w.message)] == []


def test_chat_prints_the_answer(capsys: pytest.CaptureFixture[str], fake: FakeVertex) -> None:
    status, out, err = run(capsys, "chat", "--base-url", fake.base_url, "hello", "there")
    assert (status, out, err) == (0, "echo: hello there\n", "")
    assert sent(fake) == {"model": "google/gemini-2.5-flash",
                          "messages": [{"role": "user", "content": "hello there"}]}  # no stream off a terminal


def test_chat_reads_stdin_and_sends_a_system_message(
    capsys: pytest.CaptureFixture[str], fake: FakeVertex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("from a pipe\n"))
    status, out, _ = run(capsys, "chat", "--base-url", fake.base_url, "--system", "Be brief.",
                         "--model", "google/gemini-3-flash-preview")
    assert (status, out) == (0, "echo: from a pipe\n")
    assert sent(fake)["messages"] == [{"role": "system", "content": "Be brief."},
                                      {"role": "user", "content": "from a pipe"}]
    assert sent(fake)["model"] == "google/gemini-3-flash-preview"


@pytest.mark.parametrize("stream", ["--stream", "--no-stream"])
def test_chat_shows_thoughts_apart(capsys: pytest.CaptureFixture[str], fake: FakeVertex, stream: str) -> None:
    fake.script(Reply.text(["Paris", " it is."], thoughts=["France's capital", " is Paris."]))
    status, out, err = run(capsys, "chat", "--base-url", fake.base_url, stream, "--show-thoughts",
                           "--thinking-budget", "512", "Capital of France?")
    assert (status, out, err) == (0, "Paris it is.\n", "France's capital is Paris.\n")
    assert sent(fake).get("stream", False) is (stream == "--stream")
    assert sent(fake)["extra_body"] == {"google": {
        "thinking_config": {"thinking_budget": 512, "include_thoughts": True}, "thought_tag_marker": "think"}}


def test_chat_on_a_terminal_shows_progress_and_dims_thoughts(
    capsys: pytest.CaptureFixture[str], fake: FakeVertex, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    fake.script(Reply.text("Paris.", thoughts="Easy.").with_delay(0.05))
    status = main(["chat", "--base-url", fake.base_url, "--stream", "--show-thoughts", "Capital of France?"])
    assert status == 0 and capsys.readouterr().out == "Paris.\n"
    shown = terminal.getvalue()
    assert shown.startswith("\r| waiting for the model")
    progress_end = shown.index("\r\x1b[K")  # the spinner line is cleared before any text
    assert shown[progress_end:] == "\r\x1b[K\x1b[2mEasy.\x1b[0m\n"


def test_chat_rejects_conflicting_thinking_options(capsys: pytest.CaptureFixture[str], fake: FakeVertex) -> None:
    status, _, err = run(capsys, "chat", "--base-url", fake.base_url, "--thinking-budget", "0",
                         "--thinking-level", "low", "hi")
    assert status == 2 and "--thinking-budget" in err and "--thinking-level" in err and "not both" in err
    assert not fake.chat_requests


def test_chat_sends_images_and_saves_generated_ones(
    capsys: pytest.CaptureFixture[str], fake: FakeVertex, tmp_path: Path
) -> None:
    picture = tmp_path / "in.png"
    picture.write_bytes(sample_png())
    fake.script(Reply.image(text="Here it is."))
    status, out, err = run(capsys, "chat", "--base-url", fake.base_url, "--stream", "--image", str(picture),
                           "--save-images", str(tmp_path / "out"), "Draw it again.")
    assert status == 0 and out == "Here it is.\n"
    assert (tmp_path / "out" / "image-1.png").read_bytes() == sample_png()
    assert "image-1.png (image/png" in err
    body = sent(fake)
    assert "stream" not in body and body["modalities"] == ["text", "image"]
    text, image = body["messages"][0]["content"]  # type: ignore[index]
    assert text == {"type": "text", "text": "Draw it again."}
    assert image["image_url"]["url"] == "data:image/png;base64," + base64.b64encode(sample_png()).decode()


def test_chat_without_images_in_the_answer_fails(capsys: pytest.CaptureFixture[str], fake: FakeVertex,
                                                 tmp_path: Path) -> None:
    status, _, err = run(capsys, "chat", "--base-url", fake.base_url, "--save-images", str(tmp_path), "hi")
    assert status == 1 and "holds no image" in err


@pytest.mark.parametrize("stream", ["--stream", "--no-stream"])
def test_chat_json(capsys: pytest.CaptureFixture[str], fake: FakeVertex, stream: str) -> None:
    status, out, _ = run(capsys, "chat", "--base-url", fake.base_url, "--json", stream, "hi")
    assert status == 0
    if stream == "--no-stream":
        assert json.loads(out)["choices"][0]["message"]["content"] == "echo: hi"
    else:
        chunks = [json.loads(line) for line in out.splitlines()]
        assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
        assert "usage" in chunks[-1]


def test_chat_reports_google_error_message(capsys: pytest.CaptureFixture[str], fake: FakeVertex) -> None:
    fake.script(Reply.error(404, "Publisher Model `google/gemini-9` was not found."))
    status, _, err = run(capsys, "chat", "--base-url", fake.base_url, "--model", "google/gemini-9", "hi")
    assert status == 1
    assert err.startswith("openai-vertex: Vertex AI answered 404: Publisher Model `google/gemini-9` was not found. "
                          "(openai_vertex: Some models are served only")
    assert "`--location us-central1`" in err and "vertex_client" not in err  # the flag, not the Python


def test_chat_without_prompt(capsys: pytest.CaptureFixture[str], fake: FakeVertex,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("  \n"))
    status, _, err = run(capsys, "chat", "--base-url", fake.base_url)
    assert status == 2 and "no prompt" in err
