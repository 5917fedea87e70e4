"""The command's own edges, through `main(argv)` and the installed `openai-vertex` script: version, help."""

from __future__ import annotations

import subprocess
import sys

import pytest

import openai_vertex
from openai_vertex._cli import main


def test_version_flag_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"openai-vertex {openai_vertex.__version__}\n"


def test_no_command_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: openai-vertex") and all(name in err for name in ("demo", "doctor", "chat"))


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_load_neither_openai_nor_google_auth(flag: str) -> None:
    """What made `--help` take most of a second: the package and the commands imported the SDK eagerly."""
    code = ("import runpy, sys\n"
            f"sys.argv = ['openai-vertex', {flag!r}]\n"
            "try:\n    runpy.run_module('openai_vertex', run_name='__main__')\n"
            "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
            "loaded = [m for m in ('openai', 'google.auth', 'httpx', 'httpx2') if m in sys.modules]\n"
            "assert not loaded, loaded\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "openai-vertex" in done.stdout
