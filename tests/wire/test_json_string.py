"""One JSON string read alone (`_json.string_value`): what `json.loads` says, or the error it raises."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openai_vertex._wire._json import string_value


@given(st.text(), st.booleans(), st.sampled_from(["", ",", '"', "}]"]))
def test_a_string_reads_as_json_loads_reads_it(value: str, ascii_only: bool, after: str) -> None:
    written = json.dumps(value, ensure_ascii=ascii_only)
    assert string_value(written + after) == (json.loads(written), len(written))


@pytest.mark.parametrize("text", ['"', '"open', '"a\x01b"', '"\\x"', "'single'", ""])
def test_what_json_loads_refuses_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        string_value(text)


@pytest.mark.parametrize("text", [' "space first"', "1", "null", '["a"]', '{"a": "b"}'])
def test_json_that_does_not_open_with_a_string_is_refused(text: str) -> None:
    json.loads(text)
    with pytest.raises(ValueError):
        string_value(text)
