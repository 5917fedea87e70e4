"""`set_headers` leaves a request's headers exactly as httpx's own `headers[name] = value` would (both families)."""

from __future__ import annotations

from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openai_vertex._auth.sdk_headers import entries, set_headers
from openai_vertex._compat import FAMILIES

NAMES = st.sampled_from(["Authorization", "authorization", "AUTHORIZATION", "x-goog-user-project", "Accept",
                         "X-Stainless-Lang"])
SENT = st.sampled_from(["Bearer ya29.token", "Bearer placeholder", "", "proj-1"])  # httpx takes ASCII only
VALUES = st.one_of(SENT, st.just("é-not-ascii"))


@pytest.mark.parametrize("family", FAMILIES, ids=lambda module: module.__name__)
@settings(max_examples=300, deadline=None)
@given(headers=st.lists(st.tuples(NAMES, SENT), max_size=6), values=st.dictionaries(NAMES, VALUES, min_size=1,
                                                                                   max_size=3))
def test_set_headers_gives_what_httpx_gives(family: ModuleType, headers: list[tuple[str, str]],
                                            values: dict[str, str]) -> None:
    # Repeated names and non-ASCII values take httpx's own path; the rest must land the same way, one name
    # after another (two of them may differ only in case).
    ours, theirs = family.Headers(headers), family.Headers(headers)
    set_headers(ours, values, entries(values))
    for name, value in values.items():
        theirs[name] = value
    assert ours.raw == theirs.raw
    assert ours.multi_items() == theirs.multi_items()


@pytest.mark.parametrize("family", FAMILIES, ids=lambda module: module.__name__)
def test_the_sdks_placeholder_key_is_replaced_where_it_stood(family: ModuleType) -> None:
    headers = family.Headers({"Accept": "application/json", "Authorization": "Bearer placeholder", "X-A": "1"})
    put = {"Authorization": "Bearer ya29.token", "x-goog-user-project": "proj-1"}
    set_headers(headers, put, entries(put))
    assert headers.raw[:3] == [(b"Accept", b"application/json"), (b"Authorization", b"Bearer ya29.token"),
                               (b"X-A", b"1")]
    assert headers.raw[3:] == [(b"x-goog-user-project", b"proj-1")]
