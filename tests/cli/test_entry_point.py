"""The command's own edges, through `main(argv)` and the installed `openai-vertex` script: version, help."""

from __future__ import annotations

import pytest

import openai_vertex
from openai_vertex._cli import main


def test_version_flag_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"openai-vertex {openai_vertex.__version__}\n"
