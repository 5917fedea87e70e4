"""The public surface: one `__init__`, a sorted and complete `__all__` (httpx's habit), the design's names."""

from __future__ import annotations

import openai

import openai_vertex

CONTRACT = ["vertex_client", "async_vertex_client", "VertexAuth", "vertex_base_url", "extra_body",
            "split_thoughts", "ThoughtSplitter", "generated_images", "OpenAIVertexError"]


def test_all_is_sorted_and_complete() -> None:
    assert openai_vertex.__all__ == sorted(openai_vertex.__all__)
    public = {name for name in vars(openai_vertex) if not name.startswith("_")}
    modules = {name for name, value in vars(openai_vertex).items() if type(value).__name__ == "module"}
    assert set(openai_vertex.__all__) == public - modules


def test_design_contract_names_are_exported() -> None:
    assert set(CONTRACT) <= set(openai_vertex.__all__)
    assert issubclass(openai_vertex.OpenAIVertexError, openai.OpenAIError)
    assert issubclass(openai_vertex.VertexConfigError, ValueError)
