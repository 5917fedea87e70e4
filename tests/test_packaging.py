"""The package as a user's tools see it once installed (the README's `pip install -e`, or a wheel)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

USER_CODE = """\
from openai_vertex import vertex_client

reveal_type(vertex_client)
reveal_type(vertex_client().chat.completions.create)
"""


def test_mypy_sees_the_package_types_from_outside_the_checkout(tmp_path: Path) -> None:
    """An editable install through setuptools' import hook would leave mypy (and Pylance) with `Any`."""
    pytest.importorskip("mypy", reason="mypy comes with the test extra: pip install -e '.[test]'")
    (tmp_path / "user_code.py").write_text(USER_CODE)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, "user_code.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "-> openai._client.OpenAI" in done.stdout, done.stdout  # not "Any"
    assert "openai.types.chat.chat_completion.ChatCompletion" in done.stdout, done.stdout
