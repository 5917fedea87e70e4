"""The factories' arguments are checked first: a typo is reported as a typo, before any credentials lookup."""

from __future__ import annotations

from typing import Any

import pytest

from openai_vertex import VertexConfigError, async_vertex_client, vertex_client

from .doubles import FakeCredentials

FACTORIES = pytest.mark.parametrize("factory", [vertex_client, async_vertex_client], ids=["sync", "async"])


@FACTORIES
@pytest.mark.parametrize(("typo", "meant"), [("credential", "credentials"), ("locaton", "location"),
                                             ("max_retry", "max_retries"), ("time_out", "timeout")])
def test_a_misspelt_keyword_is_named_with_what_was_meant(factory: Any, typo: str, meant: str) -> None:
    # No ADC exists here (conftest): without the check this would report missing credentials.
    with pytest.raises(VertexConfigError, match=rf"unexpected keyword argument {typo}=\. Did you mean {meant}=\?"):
        factory(project="my-project-1", **{typo: "x"})


@pytest.mark.parametrize("name", ["api_key", "organization", "provider", "workload_identity"])
def test_openai_authentication_keywords_are_refused(name: str) -> None:
    with pytest.raises(VertexConfigError, match=f"{name}= is not used by Vertex AI"):
        vertex_client(project="my-project-1", credentials=FakeCredentials(), **{name: "x"})


@pytest.mark.parametrize(("name", "value", "message"), [
    ("project", 123, "project= takes a string, not int"),
    ("location", ["us"], "location= takes a string, not list"),
    ("endpoint", 1234, "endpoint= takes a string, not int"),
    ("api_version", 1, "api_version= takes a string, not int"),
    ("wire_compat", "no", "wire_compat= takes True or False, not 'no'"),
    ("skip_unknown_signatures", 1, "skip_unknown_signatures= takes True or False, not 1"),
])
def test_arguments_of_the_wrong_type_are_refused(name: str, value: object, message: str) -> None:
    arguments: dict[str, Any] = {"project": "my-project-1", "credentials": FakeCredentials(), name: value}
    with pytest.raises(VertexConfigError, match=message):
        vertex_client(**arguments)


def test_project_and_location_beside_a_base_url_are_reported_as_ignored() -> None:
    with pytest.warns(UserWarning, match=r"project= and location= ignored: base_url= names the endpoint"):
        vertex_client(project="my-project-1", location="us", base_url="https://psc.example/v1/x",
                      credentials=FakeCredentials())


def test_the_sdks_own_keywords_pass() -> None:
    client = vertex_client(project="my-project-1", credentials=FakeCredentials(), timeout=7, max_retries=1,
                           default_headers={"X-A": "1"}, default_query={"q": "1"})
    assert (client.timeout, client.max_retries) == (7, 1)
