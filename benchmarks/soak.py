"""Soak: 16 threads and 200 asyncio tasks against a loopback Vertex whose tokens die early.

`FakeVertex` announces each access token for an hour (`expires_in: 3600`, so google-auth calls it fresh)
but refuses it 0.3 s after issue. Every token therefore dies under load, and requests survive only
through the 401 recovery: refresh once if the failed token is still the cached one, resend once. The
SDK's own retries are off, so any failure counts. A sync client serves the threads and an async
client the tasks, each with its own credentials, as two parts of one application would. FakeVertex
runs in a child process, as Vertex is not in yours: the soak's own process is then all client.

    python benchmarks/soak.py [--seconds 10] [--threads 16] [--tasks 200] [--dies-after 0.3] [--pause 2]

Prints requests, failures, token fetches and token deaths (distinct tokens Vertex refused), or with
`--json` the same figures as one object. The target is zero failures and at most two fetches per death;
`tests/test_soak.py` runs a short version of this script.

Each worker waits 0 to 2 x `--pause` seconds between its requests (about 100 requests a second in all
by default), the load a process carries with room to spare. `--pause 0` saturates it instead: round
trips then outlast a token's whole 0.3 s life, so a resend signed with the brand-new token arrives after
that one died too, and such requests fail whatever the refresh does.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import json
import random
import statistics
import threading
import time
from typing import Any

from openai_vertex import async_vertex_client, vertex_client
from openai_vertex._compat import FAMILIES

from _fake_server import Server

FAMILY: Any = FAMILIES[0]  # httpx2 with openai >= 3, else httpx
MODEL = "google/gemini-2.5-flash"
MESSAGES: Any = [{"role": "user", "content": "ping"}]
# Workers start spread over at least this many seconds, as a service's would, not all in one instant.
RAMP = 1.0


@dataclasses.dataclass(frozen=True)
class Figures:
    seconds: float
    threads: int
    tasks: int
    requests: int
    """Chat completions that succeeded."""
    failures: dict[str, int]
    """Failed chat completions, by exception type."""
    fetches: int
    """Requests the token endpoint received."""
    deaths: int
    """Distinct tokens that Vertex refused (401) because they had died."""
    refusals: int
    """401 answers in all, before recovery."""
    latencies: list[float] = dataclasses.field(repr=False)
    """Seconds each request took, recovery included."""
    failed_latencies: list[float] = dataclasses.field(repr=False)
    """Seconds each failed request took."""
    clients: int = 2
    """Each client fetches its first token without any death."""

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def __str__(self) -> str:
        per_death = (self.fetches - self.clients) / self.deaths if self.deaths else float("nan")
        return (
            f"{self.threads} threads + {self.tasks} tasks for {self.seconds:.1f} s: "
            f"{self.requests} requests ({self.requests / self.seconds:.0f}/s), {self.failed} failed"
            f"{f' {dict(self.failures)}' if self.failures else ''}; {self.deaths} token deaths, {self.refusals} 401 answers, "
            f"{self.fetches} token fetches ({self.clients} first fetches + {per_death:.2f} per death); "
            f"latency p50 {self._percentile(50):.3f} s, p99 {self._percentile(99):.3f} s, "
            f"max {max(self.latencies, default=0.0):.3f} s"
        )

    def _percentile(self, percent: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[percent - 1] if len(self.latencies) > 1 else 0.0


def soak(seconds: float = 10.0, threads: int = 16, tasks: int = 200, dies_after: float = 0.3,
         pause: float = 2.0) -> Figures:
    """Run the load; each worker waits a random 0..2x`pause` between its requests (0: none at all)."""
    server = Server()
    server.send("set", token_dies_after=dies_after)
    try:
        refused: set[str] = set()
        lock = threading.Lock()

        def on_response(response: Any) -> None:
            if response.status_code == 401:  # seen inside the auth flow, before its recovery
                with lock:
                    refused.add(response.request.headers.get("authorization", ""))

        async def on_async_response(response: Any) -> None:
            on_response(response)

        limits = FAMILY.Limits(max_connections=threads + tasks, max_keepalive_connections=threads + tasks)
        sync_client = vertex_client(
            credentials=server.credentials(), base_url=server.base_url, max_retries=0,
            http_client=FAMILY.Client(limits=limits, event_hooks={"response": [on_response]}))
        async_client = async_vertex_client(
            credentials=server.credentials(), base_url=server.base_url, max_retries=0,
            http_client=FAMILY.AsyncClient(limits=limits, event_hooks={"response": [on_async_response]}))
        latencies: list[float] = []
        failed_latencies: list[float] = []
        failures: collections.Counter[str] = collections.Counter()
        started = time.monotonic()
        deadline = started + seconds
        workers = threads + tasks

        def record(began: float, error: Exception | None) -> None:
            with lock:
                latencies.append(time.monotonic() - began)
                if error is not None:
                    failures[type(error).__name__] += 1
                    failed_latencies.append(latencies[-1])

        def think() -> float:
            return min(random.uniform(0, 2 * pause), max(0.0, deadline - time.monotonic()))

        def start(number: int) -> float:
            """A worker's first request waits as long as its next ones will: the load is even from the start."""
            return max(RAMP * number / workers, think())

        def thread_worker(number: int) -> None:
            time.sleep(start(number))
            while (began := time.monotonic()) < deadline:
                try:
                    sync_client.chat.completions.create(model=MODEL, messages=MESSAGES)
                except Exception as error:  # noqa: BLE001 (every kind of failure is counted)
                    record(began, error)
                else:
                    record(began, None)
                time.sleep(think())

        async def task_worker(number: int) -> None:
            await asyncio.sleep(start(number))
            while (began := time.monotonic()) < deadline:
                try:
                    await async_client.chat.completions.create(model=MODEL, messages=MESSAGES)
                except Exception as error:  # noqa: BLE001
                    record(began, error)
                else:
                    record(began, None)
                await asyncio.sleep(think())

        async def run_tasks() -> None:
            await asyncio.gather(*(task_worker(threads + number) for number in range(tasks)))
            await async_client.close()

        pool = [threading.Thread(target=thread_worker, args=(number,)) for number in range(threads)]
        for thread in pool:
            thread.start()
        asyncio.run(run_tasks())
        for thread in pool:
            thread.join()
        sync_client.close()
        stats = server.send("stats")
        return Figures(seconds=time.monotonic() - started, threads=threads, tasks=tasks,
                       requests=len(latencies) - sum(failures.values()), failures=dict(failures),
                       fetches=len(stats["token_times"]), deaths=len(refused), refusals=stats["auth_failures"],
                       latencies=latencies, failed_latencies=failed_latencies)
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--dies-after", type=float, default=0.3)
    parser.add_argument("--pause", type=float, default=2.0,
                        help="mean seconds between a worker's requests; 0 saturates the process")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    figures = soak(args.seconds, args.threads, args.tasks, args.dies_after, args.pause)
    print(json.dumps(dataclasses.asdict(figures)) if args.json else figures)


if __name__ == "__main__":
    main()
