"""extra_body(), merge_extra_body() and chat_kwargs(): the shape Vertex reads, validation, merging."""

from __future__ import annotations

from typing import Any

import pytest

from openai_vertex import OpenAIVertexError
from openai_vertex._gemini.extra_body import chat_kwargs, extra_body, merge_extra_body

from .samples import TEXT_COMPLETION, client, replying


def test_fields_land_double_nested_as_vertex_reads_them() -> None:
    assert extra_body(thinking_budget=1024, include_thoughts=True, thought_tag_marker="think") == {
        "extra_body": {
            "google": {
                "thinking_config": {"thinking_budget": 1024, "include_thoughts": True},
                "thought_tag_marker": "think",
            }
        }
    }


def test_the_sdk_sends_a_top_level_extra_body_key() -> None:
    sent: list[dict[str, Any]] = []
    client(replying(TEXT_COMPLETION, sent)).chat.completions.create(
        model="google/gemini-3-pro-preview",
        messages=[{"role": "user", "content": "hi"}],
        extra_body=extra_body(
            thinking_level="low",
            safety_settings=[{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_LOW_AND_ABOVE"}],
            cached_content="projects/p/locations/us-central1/cachedContents/123",
        ),
    )
    assert sent[0]["extra_body"] == {
        "google": {
            "thinking_config": {"thinking_level": "low"},
            "safety_settings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_LOW_AND_ABOVE"}],
            "cached_content": "projects/p/locations/us-central1/cachedContents/123",
        }
    }
    assert "google" not in sent[0]


@pytest.mark.parametrize("budget", [0, -1, 24576])
def test_budget_accepts_off_dynamic_and_counts(budget: int) -> None:
    assert extra_body(thinking_budget=budget)["extra_body"]["google"]["thinking_config"] == {"thinking_budget": budget}


def test_fields_it_does_not_name_are_merged_and_none_dropped() -> None:
    body = extra_body(
        include_thoughts=True,
        thinking_config={"thinking_budget": 512},
        media_resolution="MEDIA_RESOLUTION_LOW",
        labels=None,
    )
    assert body == {
        "extra_body": {
            "google": {
                "thinking_config": {"include_thoughts": True, "thinking_budget": 512},
                "media_resolution": "MEDIA_RESOLUTION_LOW",
            }
        }
    }


def test_an_argument_and_the_same_field_in_google_must_agree() -> None:
    with pytest.raises(OpenAIVertexError, match=r"extra_body\(\) and its \*\*google disagree on "
                                                r"thinking_config\.thinking_budget: 1 vs 2"):
        extra_body(thinking_budget=1, thinking_config={"thinking_budget": 2})


def test_nothing_asked_gives_an_empty_google_block() -> None:
    assert extra_body() == {"extra_body": {"google": {}}}


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"thinking_budget": -2}, "thinking_budget"),
        ({"thinking_budget": True}, "thinking_budget"),
        ({"thinking_budget": 1.5}, "thinking_budget"),
        ({"thinking_budget": "1024"}, "thinking_budget"),
        ({"thinking_level": "max"}, "thinking_level"),
        ({"thinking_level": "LOW"}, "thinking_level"),
        ({"include_thoughts": "yes"}, "include_thoughts"),
        ({"include_thoughts": 1}, "include_thoughts"),
        ({"thought_tag_marker": ""}, "thought_tag_marker"),
        ({"thought_tag_marker": "<think>"}, "thought_tag_marker"),
        ({"thought_tag_marker": "two words"}, "thought_tag_marker"),
        ({"safety_settings": "BLOCK_NONE"}, "safety_settings"),
        ({"safety_settings": {"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "OFF"}}, "safety_settings"),
        ({"safety_settings": [{"category": "HARM_CATEGORY_HATE_SPEECH"}]}, "safety_settings[0]"),
        ({"safety_settings": [{"category": "", "threshold": "OFF"}]}, "safety_settings[0]"),
        ({"safety_settings": [["HARM_CATEGORY_HATE_SPEECH", "OFF"]]}, "safety_settings[0]"),
        ({"cached_content": "my-cache"}, "cached_content"),
        ({"cached_content": "projects/p/locations/l/cachedContent/1"}, "cached_content"),
        ({"thinking_budget": 1, "thinking_level": "low"}, "thinking_budget"),
        ({"thinking_budget": 1, "thinking_config": {"thinking_level": "low"}}, "thinking_level"),
        ({"reasoning_effort": "low"}, "reasoning_effort"),
    ],
)
def test_bad_values_are_refused_naming_the_argument(kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError) as raised:
        extra_body(**kwargs)
    assert isinstance(raised.value, OpenAIVertexError)
    assert named in str(raised.value)


def test_layers_merge_deeply_instead_of_clobbering() -> None:
    framework = {"extra_body": {"google": {"labels": {"team": "a"}}}, "seed": 7}
    mine = extra_body(include_thoughts=True, thought_tag_marker="think")
    more = extra_body(thinking_budget=2048, labels={"app": "b"})
    assert merge_extra_body(framework, None, mine, more) == {
        "seed": 7,
        "extra_body": {
            "google": {
                "labels": {"team": "a", "app": "b"},
                "thinking_config": {"include_thoughts": True, "thinking_budget": 2048},
                "thought_tag_marker": "think",
            }
        },
    }


def test_merge_allows_repeats_and_refuses_disagreement_naming_the_key() -> None:
    assert merge_extra_body(extra_body(thinking_budget=1), extra_body(thinking_budget=1)) == extra_body(
        thinking_budget=1
    )
    with pytest.raises(OpenAIVertexError, match=r"extra_body\.google\.thinking_config\.thinking_budget: 1 vs 2"):
        merge_extra_body(extra_body(thinking_budget=1), extra_body(thinking_budget=2))
    with pytest.raises(OpenAIVertexError, match="thought_tag_marker"):
        merge_extra_body(
            {"extra_body": {"google": {"thought_tag_marker": {"x": 1}}}}, extra_body(thought_tag_marker="t")
        )


def test_merge_leaves_its_inputs_alone() -> None:
    first = {"extra_body": {"google": {"safety_settings": [{"category": "C", "threshold": "T"}]}}}
    merged = merge_extra_body(first, extra_body(include_thoughts=True))
    merged["extra_body"]["google"]["safety_settings"].append("changed")
    assert first == {"extra_body": {"google": {"safety_settings": [{"category": "C", "threshold": "T"}]}}}


def test_merge_refuses_reasoning_effort_next_to_thinking_config() -> None:
    with pytest.raises(OpenAIVertexError, match="never both"):
        merge_extra_body({"reasoning_effort": "low"}, extra_body(include_thoughts=True))
    assert merge_extra_body({"reasoning_effort": "low"}, extra_body(thought_tag_marker="think"))


def test_chat_kwargs_sends_reasoning_effort_and_extra_body_together() -> None:
    sent: list[dict[str, Any]] = []
    client(replying(TEXT_COMPLETION, sent)).chat.completions.create(
        model="google/gemini-2.5-flash",
        messages=[{"role": "user", "content": "hi"}],
        **chat_kwargs(extra_body(thought_tag_marker="think"), None, reasoning_effort="low"),
    )
    assert sent[0]["reasoning_effort"] == "low"
    assert sent[0]["extra_body"] == {"google": {"thought_tag_marker": "think"}}


@pytest.mark.parametrize(
    ("parts", "effort", "message"),
    [
        ((extra_body(thinking_budget=1024),), "low", "thinking_budget 1024/8192/24576"),
        ((extra_body(include_thoughts=True),), "high", "thinking_level='high'"),
        (({"reasoning_effort": "low"},), "low", "both as an argument and inside extra_body"),
        ((), "maximum", "reasoning_effort must be one of"),
    ],
)
def test_chat_kwargs_refuses_what_vertex_would_misread(
    parts: tuple[dict[str, Any], ...], effort: str, message: str
) -> None:
    with pytest.raises(OpenAIVertexError, match=message):
        chat_kwargs(*parts, reasoning_effort=effort)


def test_chat_kwargs_without_effort_is_just_the_merge() -> None:
    assert chat_kwargs(extra_body(include_thoughts=True)) == {"extra_body": extra_body(include_thoughts=True)}


@pytest.mark.parametrize("call", [lambda: merge_extra_body("x"), lambda: chat_kwargs([1]),
                                  lambda: merge_extra_body(extra_body(thinking_budget=0), 3)],
                         ids=["a string", "a list", "a number second"])
def test_what_is_not_an_extra_body_dict_is_named(call: Any) -> None:
    with pytest.raises(OpenAIVertexError, match=r"take extra_body dicts .* argument \d is a (str|list|int)"):
        call()
