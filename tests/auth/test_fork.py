"""A forked child (gunicorn --preload, Celery prefork, multiprocessing's fork) gets its own token
connections and its own refresh state. Each test really forks; the child reports through a pipe and
leaves with `os._exit`, so nothing of pytest runs twice."""

from __future__ import annotations

import json
import os
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from openai_vertex import VertexAuth, vertex_client
from openai_vertex._auth import token_transport
from openai_vertex.testing import FakeVertex

from ..doubles import ask

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() exists on POSIX only")
CHILD_SECONDS = 20  # the parent's wait for its child's report; a healthy child answers in well under 1 s


def in_child(work: Callable[[], Any]) -> Any:
    """Run `work` in a forked child and return what it returned (JSON), or raise what it raised."""
    read, write = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+: fork() of a threaded process
        pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            report = {"value": work()}
        except BaseException as exc:  # noqa: BLE001 (reported to the parent)
            report = {"error": f"{type(exc).__name__}: {exc}"}
        os.write(write, json.dumps(report).encode())
        os._exit(0)
    os.close(write)
    chunks: list[bytes] = []
    deadline = time.monotonic() + CHILD_SECONDS
    os.set_blocking(read, False)
    while time.monotonic() < deadline:
        try:
            chunk = os.read(read, 65536)
        except BlockingIOError:
            time.sleep(0.01)
            continue
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read)
    if time.monotonic() >= deadline:
        os.kill(pid, 9)
    os.waitpid(pid, 0)
    assert chunks, f"the child did not report within {CHILD_SECONDS} s"
    report = json.loads(b"".join(chunks))
    assert "error" not in report, report["error"]
    return report["value"]


def test_a_child_fetches_tokens_on_its_own_connections(fake_vertex: FakeVertex) -> None:
    client = vertex_client(base_url=fake_vertex.base_url, credentials=fake_vertex.service_account_credentials(),
                           max_retries=0)
    assert ask(client) == "echo: Say hello."  # the parent's token client now holds a kept-alive connection
    parents = id(token_transport.token_http_client())

    def child() -> list[Any]:
        fresh = vertex_client(base_url=fake_vertex.base_url, credentials=fake_vertex.service_account_credentials(),
                              max_retries=0)
        return [id(token_transport.token_http_client()), ask(fresh)]

    theirs, answer = in_child(child)
    assert theirs != parents and answer == "echo: Say hello."
    assert id(token_transport.token_http_client()) == parents  # the parent keeps its own
    assert fake_vertex.token_requests == 2


def test_a_fork_during_a_refresh_does_not_leave_the_child_waiting(fake_vertex: FakeVertex) -> None:
    fake_vertex.token_delay = 1.5
    auth_client = vertex_client(base_url=fake_vertex.base_url, credentials=fake_vertex.service_account_credentials(),
                                max_retries=0, timeout=10)
    asking = threading.Thread(target=ask, args=(auth_client,))
    asking.start()  # its refresh is under way in a thread of the parent when the fork happens
    while fake_vertex.token_requests == 0:
        time.sleep(0.01)
    auth = auth_client._client.auth
    assert isinstance(auth, VertexAuth) and auth._refreshing is not None

    def child() -> str | None:
        fake_vertex.token_delay = 0  # the child's copy; the server lives in the parent
        return ask(auth_client.with_options(timeout=5))

    assert in_child(child) == "echo: Say hello."  # on its own refresh, not the parent's orphaned one
    asking.join()
