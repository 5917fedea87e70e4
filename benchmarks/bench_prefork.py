"""Prefork: the parent warms up a client, forks N workers (gunicorn --preload, Celery prefork), each serves requests.

Each worker builds its own client (its own credentials: its own identity) and sends requests from a few
threads; a worker also keeps using the client it inherited from the parent. Reported: failures, token
fetches against the expected one per identity (the parent's, plus one per worker), and whether any token
was used by two processes (a token answer read on a shared connection signs with another identity's).

    python benchmarks/bench_prefork.py --workers 6 --requests 20 --threads 4 [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import select
import threading
from typing import Any

from openai_vertex import vertex_client

from _fake_server import Server

MESSAGES: Any = [{"role": "user", "content": "Say hello."}]


def _serve(server: Server, inherited: Any, requests: int, threads: int) -> dict[str, Any]:
    """One worker: its own client's requests from `threads` threads, then one on the inherited client."""
    tokens: set[str] = set()
    failures: list[str] = []
    lock = threading.Lock()

    def note(request: Any) -> None:
        with lock:
            tokens.add(request.headers.get("authorization", ""))

    own = vertex_client(credentials=server.credentials(), base_url=server.base_url, max_retries=0, timeout=30)
    own._client.event_hooks["request"].append(note)

    def run() -> None:
        for _ in range(requests):
            try:
                own.chat.completions.create(model="google/gemini-2.5-flash", messages=MESSAGES)
            except Exception as error:  # noqa: BLE001 (counted)
                with lock:
                    failures.append(type(error).__name__)

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    try:
        inherited.chat.completions.create(model="google/gemini-2.5-flash", messages=MESSAGES)
    except Exception as error:  # noqa: BLE001
        failures.append("inherited client: " + type(error).__name__)
    return {"tokens": sorted(tokens), "failures": failures}


def prefork(workers: int = 6, requests: int = 20, threads: int = 4) -> dict[str, Any]:
    server = Server()
    try:
        parent = vertex_client(credentials=server.credentials(), base_url=server.base_url, max_retries=0, timeout=30)
        parent.chat.completions.create(model="google/gemini-2.5-flash", messages=MESSAGES)  # warm: token held
        children: list[tuple[int, int]] = []
        for _ in range(workers):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                try:
                    report = _serve(server, parent, requests, threads)
                except BaseException as error:  # noqa: BLE001 (reported)
                    report = {"tokens": [], "failures": [f"worker: {error!r}"]}
                os.write(write_end, json.dumps(report).encode())
                os._exit(0)
            os.close(write_end)
            children.append((pid, read_end))
        reports = [_collect(pid, read_end) for pid, read_end in children]
        fetches = len(server.send("stats")["token_times"])
    finally:
        server.close()
    owners: dict[str, int] = {}
    for report in reports:
        for token in report["tokens"]:
            owners[token] = owners.get(token, 0) + 1
    return {
        "workers": workers,
        "requests": workers * (requests * threads + 1),
        "failures": sum(len(report["failures"]) for report in reports),
        "failure_kinds": sorted({kind for report in reports for kind in report["failures"]}),
        "token_fetches": fetches,
        "expected_fetches": workers + 1,
        "tokens_used_by_two_workers": sum(1 for count in owners.values() if count > 1),
    }


def _collect(pid: int, read_end: int, timeout: float = 120.0) -> dict[str, Any]:
    try:
        if not select.select([read_end], [], [], timeout)[0]:
            os.kill(pid, 9)
            return {"tokens": [], "failures": ["worker hung"]}
        chunks = []
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)
        return dict(json.loads(b"".join(chunks)))
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--requests", type=int, default=20, help="per thread of each worker")
    parser.add_argument("--threads", type=int, default=4, help="per worker")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = prefork(args.workers, args.requests, args.threads)
    print(json.dumps(figures) if args.json else "\n".join(f"{name}: {value}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
