"""The factories check their keywords and argument types first: a typo is named, before any ADC lookup."""

from __future__ import annotations

from typing import Any

import pytest

from openai_vertex import VertexConfigError, async_vertex_client, vertex_client

FACTORIES = [vertex_client, async_vertex_client]


@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize(("typo", "meant"), [("locaton", "location"), ("credential", "credentials"),
                                             ("max_retry", "max_retries")])
def test_a_misspelt_keyword_is_named_before_the_credentials_lookup(factory: Any, typo: str, meant: str) -> None:
    # No credentials anywhere (the suite's clean environment): the lookup, had it run, would complain instead.
    with pytest.raises(VertexConfigError, match=f"^{typo}= is not an argument.*Did you mean {meant}=\\?"):
        factory(project="my-project", **{typo: "x"})


@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize(("argument", "value"), [("project", 123), ("location", ["us"]), ("endpoint", 1234567890),
                                                 ("api_version", None), ("wire_compat", "no"),
                                                 ("skip_unknown_signatures", 1)])
def test_arguments_of_the_wrong_type_are_refused(factory: Any, argument: str, value: object) -> None:
    with pytest.raises(VertexConfigError, match=f"^{argument}= must be"):
        factory(**{"project": "my-project", argument: value})
