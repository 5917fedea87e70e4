"""What the installed openai and HTTP libraries can do, so that one test suite runs across the matrix.

`.ci/matrix` runs the tests against openai 1.x, 2.x and 3.x, with and without httpx2. The SDK changed
on the way in ways the tests must know about; each difference is named here once, by feature where a
feature can be seen and by version where it cannot.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from types import ModuleType

import httpx
import openai
import pytest

from openai_vertex import OpenAIVertexError
from openai_vertex._compat import httpx2

OPENAI_VERSION = tuple(int(part) for part in re.findall(r"\d+", openai.__version__)[:2])

SDK_HTTP: ModuleType = httpx2 if httpx2 is not None and issubclass(openai.DefaultHttpxClient, httpx2.Client) else httpx
"""The HTTP library of the SDK's own default client: httpx2 from openai 3, httpx before."""

SDK_TAKES_HTTPX2 = httpx2 is not None and hasattr(openai, "DefaultHttpx2Client")
"""openai accepts httpx2 clients from 2.47 on (as an option until 3); older releases raise TypeError."""

SDK_PASSES_OPENAI_ERRORS = OPENAI_VERSION >= (2, 31)
"""From 2.31 the SDK re-raises an `OpenAIError` raised while sending (by an auth flow, say) as it is.

Before, it retried any exception and then raised `APIConnectionError` from it, so a refresh failure
reaches the caller as `APIConnectionError` whose `__cause__` is the `OpenAIVertexError`.
"""

SDK_ERROR_TEXT_IS_MESSAGE = OPENAI_VERSION >= (3, 38)
"""From 3.38 an `APIStatusError` reads `Error code: N - <the body's error.message>`; before, the whole
parsed body follows the dash."""

needs_httpx2_sdk = pytest.mark.skipif(
    not SDK_TAKES_HTTPX2, reason=f"openai {openai.__version__} does not take httpx2 clients"
)
"""Marks a test (or a `pytest.param`) that hands an httpx2 client to openai."""


def sdk_families() -> list[object]:
    """`pytest.param`s of the HTTP libraries whose clients the installed openai takes.

    httpx2 is skipped (visibly) where openai cannot take its clients, and absent where it is not installed.
    """
    params: list[object] = [pytest.param(httpx, id="httpx")]
    if httpx2 is not None:
        params.append(pytest.param(httpx2, id="httpx2", marks=needs_httpx2_sdk))
    return params


sdk_family_param = pytest.mark.parametrize("family", sdk_families())
"""Parametrises a test's `family` argument over `sdk_families()`."""


def sdk_retries(max_retries: int) -> int:
    """`max_retries` for a test showing that the SDK does not retry a refresh failure.

    Older SDKs do retry it (see `SDK_PASSES_OPENAI_ERRORS`), sleeping between tries, so they get none.
    """
    return max_retries if SDK_PASSES_OPENAI_ERRORS else 0


class VertexErrorInfo:
    """What `raises_vertex_error` caught: `value` is the `OpenAIVertexError`, unwrapped."""

    value: OpenAIVertexError


@contextlib.contextmanager
def raises_vertex_error(match: str | None = None) -> Iterator[VertexErrorInfo]:
    """`pytest.raises(OpenAIVertexError)` around an SDK call, on every openai (older ones wrap the error)."""
    info = VertexErrorInfo()
    expected = OpenAIVertexError if SDK_PASSES_OPENAI_ERRORS else openai.APIConnectionError
    with pytest.raises(expected) as raised:
        yield info
    info.value = vertex_error_in(raised.value)
    if match is not None:
        assert re.search(match, str(info.value)), f"{match!r} not found in {str(info.value)!r}"


def vertex_error_in(raised: BaseException) -> OpenAIVertexError:
    """The `OpenAIVertexError` an SDK call raised: itself, or the cause of an older SDK's `APIConnectionError`."""
    error = raised if isinstance(raised, OpenAIVertexError) else raised.__cause__
    assert isinstance(error, OpenAIVertexError), f"{raised!r} does not come from an OpenAIVertexError"
    return error
