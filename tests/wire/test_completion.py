"""The cheap look that keeps an answer with nothing to fix off the parse (docs/vertex-wire.md §12)."""

from __future__ import annotations

from openai_vertex._wire.completion import needs_parse

from . import samples
from .clients import ANSWER


def test_only_answers_with_something_to_fix_are_parsed() -> None:
    assert not needs_parse(ANSWER)  # §S1 as it arrives: one pass over the bytes, no parse
    text_about_keys = ANSWER.replace(b"outstanding", b'\\"finish_reason\\": \\"safety\\", \\"content\\": [')
    assert not needs_parse(text_about_keys)  # quoted inside the text, not keys of the body
    for body in (samples.MALFORMED_CALL_ANSWER, samples.BLOCKED_PROMPT_ANSWER, samples.STOP_WITH_CALLS_ANSWER,
                 samples.finished_with("safety"), samples.TEXT_PARTS_ANSWER,
                 ANSWER.replace(b'"total_tokens"', b'"other_tokens"')):
        assert needs_parse(body)
