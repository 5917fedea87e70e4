"""The openai SDK's own headers, which mean nothing to Google and must not reach it.

The SDK sends `OpenAI-Organization` / `OpenAI-Project` (from OPENAI_ORG_ID / OPENAI_PROJECT_ID) and every
header that OPENAI_CUSTOM_HEADERS names. It reads the variables again for every copy of a client
(`with_options`, `copy()`), so they are checked on every request, and both looks are made cheap: the
variable is read from `os.environ`'s own mapping (`os.environ.get` encodes the key and decodes the
value each time: 0.5 µs, a third of a whole auth flow), and the request's header names are compared in
one pass over the list that httpx and httpx2 keep them in, instead of one `in` per name (0.5 µs each).
The same list lets `set_headers` put the credentials' headers in place without httpx's `__setitem__`,
which walks every header in Python.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import Any

OPENAI_HEADERS = ("OpenAI-Organization", "OpenAI-Project")
_VARIABLE = "OPENAI_CUSTOM_HEADERS"
_lower_name = itemgetter(1)  # httpx's and httpx2's `Headers._list` holds (raw name, lower-case name, value)


def _variable_reader() -> Callable[[], object]:
    """A reader of the variable's raw value: the same object for as long as the variable is unchanged."""
    data = getattr(os.environ, "_data", None)
    encode = getattr(os.environ, "encodekey", None)
    if isinstance(data, dict) and callable(encode):
        key = encode(_VARIABLE)
        return lambda: data.get(key)
    return lambda: os.environ.get(_VARIABLE)  # pragma: no cover - an os.environ without CPython's internals


_read_variable = _variable_reader()


class SDKHeaders:
    """Removes the SDK's headers from a request, except names the user gave the factory (`keep`)."""

    def __init__(self, keep: Iterable[str] = ()) -> None:
        self._keep = frozenset(name.lower() for name in keep)
        # (raw value of the variable, names to drop, the same lower-cased as httpx stores them): one tuple,
        # so that a thread never pairs one value of the variable with another's names.
        # Read now, when the factory's SDK client reads it too.
        self._seen: tuple[object, tuple[str, ...], frozenset[bytes]] = (None, *_names(OPENAI_HEADERS))
        self._names()

    def drop(self, headers: Any) -> None:
        names, lowered = self._names()
        listed = getattr(headers, "_list", None)
        if isinstance(listed, list) and lowered.isdisjoint(map(_lower_name, listed)):
            return  # the common case: none of them is there
        for name in names:
            if name in headers:
                del headers[name]

    def _names(self) -> tuple[tuple[str, ...], frozenset[bytes]]:
        seen, names, lowered = self._seen
        raw = _read_variable()
        if raw is not seen:
            custom = os.environ.get(_VARIABLE) or ""
            lines = (line.split(":", 1)[0].strip() for line in custom.split("\n"))
            # Names only ever join: clients built before the variable changed still send the old ones. (A
            # copy made after a change and changed again before any request is the one gap left.)
            extra = (name for name in lines if name and name.lower() not in self._keep and name not in names)
            names, lowered = _names((*names, *dict.fromkeys(extra)))
            self._seen = (raw, names, lowered)
        return names, lowered


Entry = tuple[bytes, bytes, bytes]
"""A header as httpx and httpx2 keep it in `Headers._list`: (raw name, lower-case name, value)."""


def entries(headers: Mapping[str, str]) -> tuple[Entry, ...] | None:
    """`headers` as httpx keeps them, for `set_headers`; None when one is not ASCII (httpx's own encoding
    then decides)."""
    if all(name.isascii() and value.isascii() for name, value in headers.items()):
        return tuple((name.encode(), name.lower().encode(), value.encode()) for name, value in headers.items())
    return None


def set_headers(headers: Any, values: Mapping[str, str], encoded: tuple[Entry, ...] | None) -> None:
    """`headers[name] = value` for each of `values` (`encoded`: the same, from `entries`), in C steps where
    a name is there once at most (always, for the SDK's headers): httpx's own `__setitem__` walks every
    header in Python, about 250 bytecodes for the 17 the SDK sends, more than the rest of the auth flow."""
    listed = getattr(headers, "_list", None)
    if encoded is None or not isinstance(listed, list):
        for name, value in values.items():
            headers[name] = value
        return
    keys = list(map(_lower_name, listed))
    for entry, (name, value) in zip(encoded, values.items()):
        found = keys.count(entry[1])
        if found == 0:
            listed.append(entry)
            keys.append(entry[1])
        elif found == 1:
            listed[keys.index(entry[1])] = entry
        else:
            headers[name] = value  # a repeated name: httpx's own drops the copies
            keys = list(map(_lower_name, listed))


def _names(names: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[bytes]]:
    return names, frozenset(name.lower().encode("utf-8", "replace") for name in names)
