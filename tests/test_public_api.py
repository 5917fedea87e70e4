"""The public surface: one `__init__`, a sorted and complete `__all__` (httpx's habit), the design's names."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import openai
import pytest

import openai_vertex

CONTRACT = ["vertex_client", "async_vertex_client", "VertexAuth", "vertex_base_url", "extra_body",
            "split_thoughts", "ThoughtSplitter", "generated_images", "OpenAIVertexError"]


def test_all_is_sorted_and_complete() -> None:
    assert openai_vertex.__all__ == sorted(openai_vertex.__all__)
    for name in openai_vertex.__all__:  # the helpers load on first access
        getattr(openai_vertex, name)
    public = {name for name in vars(openai_vertex) if not name.startswith("_")}
    modules = {name for name, value in vars(openai_vertex).items() if type(value).__name__ == "module"}
    assert set(openai_vertex.__all__) == public - modules


def test_design_contract_names_are_exported() -> None:
    assert set(CONTRACT) <= set(openai_vertex.__all__)
    assert issubclass(openai_vertex.OpenAIVertexError, openai.OpenAIError)
    assert issubclass(openai_vertex.VertexConfigError, ValueError)


def test_helpers_load_on_first_use_only() -> None:
    code = ("import sys, openai_vertex; assert 'openai_vertex._gemini' not in sys.modules; "
            "from openai_vertex import stream_events, extra_body; "
            "assert stream_events.__module__ == 'openai_vertex._gemini.stream_events' and callable(extra_body); "
            "assert 'stream_events' in dir(openai_vertex)")
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(AttributeError, match="no_such_name"):
        openai_vertex.no_such_name  # noqa: B018


def test_version_is_the_installed_distributions() -> None:
    """`__version__` is the one source: the built metadata (pyproject reads it) says the same."""
    assert openai_vertex.__version__ == importlib.metadata.version("openai-vertex")
    assert openai_vertex.__version__.count(".") == 2
