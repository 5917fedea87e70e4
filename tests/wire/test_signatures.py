"""The thought-signature memory: bounded, never loses a signature, never overwrites or invents one."""

from __future__ import annotations

import json

import copy
from typing import Any

from openai_vertex._wire.signatures import (
    MAX_REMEMBERED_CALLS,
    SKIP_SIGNATURE,
    SignatureCache,
    restore_signatures,
)
from openai_vertex._wire.completion import fix_parsed

from . import samples

SIGNED = {"google": {"thought_signature": "sig-a"}}


def assistant(*calls: dict[str, Any]) -> dict[str, Any]:
    return {"role": "assistant", "tool_calls": list(calls)}


def call(call_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": "f", "arguments": "{}"}, **extra}


def test_least_recently_used_call_is_forgotten_first() -> None:
    cache = SignatureCache(capacity=2)
    cache.remember("a", SIGNED)
    cache.remember("b", None)
    cache.lookup("a")  # a is now the most recent
    cache.remember("c", None)
    assert cache.lookup("b") == (False, None)
    assert cache.lookup("a") == (True, SIGNED)
    assert cache.lookup("c") == (True, None)


def test_default_memory_is_bounded() -> None:
    cache = SignatureCache()
    for number in range(MAX_REMEMBERED_CALLS + 1):
        cache.remember(f"call-{number}", SIGNED)
    assert cache.lookup("call-0") == (False, None)
    assert cache.lookup(f"call-{MAX_REMEMBERED_CALLS}") == (True, SIGNED)


def test_seeing_a_call_again_without_signature_keeps_the_signature() -> None:
    cache = SignatureCache()
    cache.remember("a", SIGNED)
    cache.remember("a", None)  # later stream chunks repeat the id without extra_content
    assert cache.lookup("a") == (True, SIGNED)


def test_non_streamed_reply_is_remembered() -> None:
    cache = SignatureCache()
    fix_parsed(json.loads(samples.SIGNED_CALLS_COMPLETION), cache)
    first, second = (c["id"] for c in samples.SIGNED_CALLS_MESSAGE["tool_calls"])
    assert cache.lookup(first) == (True, {"google": {"thought_signature": "<SIGNATURE_A>"}})
    assert cache.lookup(second) == (True, None)


def test_restore_fills_in_without_overwriting() -> None:
    cache = SignatureCache()
    cache.remember("a", {"google": {"thought_signature": "sig-a", "thought": True}})
    cache.remember("b", SIGNED)
    messages = [
        {"role": "user", "content": "hi"},
        # a's google block exists but lacks the signature; b already carries one of its own.
        assistant(
            call("a", extra_content={"google": {"thought": False}}),
            call("b", extra_content={"google": {"thought_signature": "mine"}}),
        ),
    ]
    changed, skipped = restore_signatures(messages, cache, skip_unknown=False)

    assert (changed, skipped) == (True, False)
    assert messages[1]["tool_calls"][0]["extra_content"] == {"google": {"thought_signature": "sig-a", "thought": False}}
    assert messages[1]["tool_calls"][1]["extra_content"] == {"google": {"thought_signature": "mine"}}


def test_restore_leaves_unknown_and_unsigned_calls_alone() -> None:
    cache = SignatureCache()
    cache.remember("seen", None)
    messages = [assistant(call("seen"), call("never-seen")), {"role": "user", "tool_calls": [call("x")]}]
    before = copy.deepcopy(messages)
    assert restore_signatures(messages, cache, skip_unknown=False) == (False, False)
    assert messages == before


def test_skip_sentinel_only_on_a_first_call_never_seen() -> None:
    cache = SignatureCache()
    cache.remember("seen", None)  # e.g. Gemini 2.5, which sends no signatures: nothing to skip
    messages = [assistant(call("seen"), call("other")), assistant(call("new-1"), call("new-2"))]
    changed, skipped = restore_signatures(messages, cache, skip_unknown=True)

    assert (changed, skipped) == (True, True)
    assert "extra_content" not in messages[0]["tool_calls"][0]
    assert messages[1]["tool_calls"][0]["extra_content"] == {"google": {"thought_signature": SKIP_SIGNATURE}}
    assert "extra_content" not in messages[1]["tool_calls"][1]
