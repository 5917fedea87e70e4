"""This library against the other ways of giving the openai SDK Google credentials (a benchmark, not a test).

    python benchmarks/bench_alternatives.py [--concurrency 200] [--rounds 5] [--requests 600]

Every variant is an `openai.AsyncOpenAI` on the SDK's default HTTP client, with `max_retries=0` so that
every failure is counted, talking to the same FakeVertex (token endpoint and chat completions on one
loopback server, in its own process; its token endpoint takes `--token-delay` seconds to answer, as
Google's does). Each variant gets its own real google-auth service-account credentials, whose token
requests carry a JWT signed with a real RSA key.

Variants:
- `openai-vertex`: this library, `async_vertex_client(base_url=..., credentials=...)`; in phase 1 also
  with `wire_compat=False`, to tell the auth's cost from the wire compatibility layer's.
- `api_key callable`: openai >= 3 accepts `api_key=<async callable>`; it refreshes when google-auth says
  the token is no longer valid, in a worker thread (the loop is not blocked) and without a lock.
- `api_key callable + lock`: the same behind an asyncio.Lock with a second check: what a careful
  user writes.
- `Refresher wrapper`: Google's documented `OpenAICredentialsRefresher` (python-docs-samples,
  `generative_ai/chat_completions/chat_completions_credentials_refresher.py`) around `AsyncOpenAI`:
  it refreshes inside `__getattr__`, synchronously, and assigns `client.api_key`.
- `openai providers.vertex`: openai's own provider (openai >= 3), given the same credentials.

Phases (each variant in turn):
1. Throughput: `--concurrency` tasks share `--requests` requests, token fresh; requests/s and this
   process's CPU time per request; medians of `--rounds` rounds, variant order rotating.
2a. Cold start: `--concurrency` requests at once on a new client: token fetches, p99 latency; and the
   p99 of the same burst on a new client whose credentials already hold a token.
2b. Expiries under a steady open-loop load: the token is made stale (60 s left, inside google-auth's
   3 min 45 s refresh window: what happens every hour) and expired (what happens after a laptop sleeps),
   in turn, `--events` times each. Token fetches per event; p50/p99 latency of the requests started
   from 50 ms before to 0.5 s after an event against that of the others.
3. Revocation: with a fresh token in use, the server revokes every token it issued; then two bursts of
   `--concurrency` requests: failures and token fetches.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime
import inspect
import math
import statistics
import time
from collections.abc import Callable
from typing import Any

import google.auth.transport.requests
import openai
from _fake_server import Server
from _variants import MESSAGES, MODEL, Variant, available_variants, library, library_without_wire_layer

from openai_vertex import async_vertex_client

# Requests started this soon after an expiry event make up that event's window.
WINDOW_SECONDS = 0.5
# ...and so do those started this shortly before it: a request records its start before the SDK has
# built it, and it is signed only then.
WINDOW_LEAD = 0.05
# How far from its end a token is put to make it stale: inside google-auth's 3 min 45 s refresh window.
STALE_SECONDS_LEFT = 60.0
# The token endpoint counts as done with an event once it has had no request for this long.
QUIET_SECONDS = 0.5


# --- load -----------------------------------------------------------------------------------------------

class Load:
    """Requests through one variant, noting each success's (start, latency) and each failure's kind."""

    def __init__(self, sdk: Any) -> None:
        self.sdk = sdk
        self.done: list[tuple[float, float]] = []
        self.failures: collections.Counter[str] = collections.Counter()

    async def one(self) -> None:
        start = time.monotonic()
        try:
            await self.sdk.chat.completions.create(model=MODEL, messages=MESSAGES)
        except Exception as error:  # noqa: BLE001 - every failure is a figure to count, whatever its kind
            status = getattr(error, "status_code", None)
            self.failures[type(error).__name__ + (f" {status}" if status else "")] += 1
        else:
            self.done.append((start, time.monotonic() - start))

    async def burst(self, concurrency: int, total: int) -> None:
        """`total` requests shared by `concurrency` tasks (closed loop: each task waits for its answer)."""
        remaining = total

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                await self.one()

        await asyncio.gather(*(worker() for _ in range(concurrency)))

    async def steady(self, rate: float, stop: asyncio.Event) -> None:
        """Start `rate` requests per second until `stop`, whether or not earlier ones have answered
        (open loop: a stalled client shows as latency instead of as fewer requests)."""
        tasks: set[asyncio.Task[None]] = set()
        due = time.monotonic()
        while not stop.is_set():
            task = asyncio.create_task(self.one())
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            due += 1 / rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        await asyncio.gather(*tasks)

    def latencies(self, windows: list[tuple[float, float]], inside: bool = True) -> list[float]:
        return [latency for start, latency in self.done
                if any(low <= start < high for low, high in windows) is inside]

    @property
    def failed(self) -> int:
        return sum(self.failures.values())


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def expire(creds: Any, seconds_left: float) -> None:
    """Move the token's expiry as the clock would: into google-auth's refresh window, or past the end."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    creds.expiry = now + datetime.timedelta(seconds=seconds_left)


async def quiet(server: Server, settle: float) -> None:
    """Wait `settle` seconds, then until the token endpoint has been quiet for a while (at most 10 s)."""
    await asyncio.sleep(settle)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        times = (await server.stats())["token_times"]
        if not times or time.monotonic() - max(times) >= QUIET_SECONDS:
            return
        await asyncio.sleep(0.1)


async def token_fetches(server: Server) -> int:
    return len((await server.stats())["token_times"])


# --- phases ---------------------------------------------------------------------------------------------

async def throughput(server: Server, variants: dict[str, Callable[[str, Any], Variant]], args: Any) -> dict[str, Any]:
    """Requests/s (wall clock) and this process's CPU ms per request, medians over rotating rounds."""
    made = {name: make(server.base_url, server.credentials()) for name, make in variants.items()}
    loads = {name: Load(sdk) for name, (sdk, _) in made.items()}
    for load in loads.values():  # token, connections, the SDK's lazy imports
        await load.burst(args.concurrency, args.concurrency)
    rates: dict[str, list[float]] = {name: [] for name in loads}
    cpu: dict[str, list[float]] = {name: [] for name in loads}
    names = list(loads)
    for number in range(args.rounds):
        for name in names[number % len(names):] + names[: number % len(names)]:
            load = loads[name]
            failed = load.failed
            wall, used = time.perf_counter(), time.process_time()
            await load.burst(args.concurrency, args.requests)
            wall, used = time.perf_counter() - wall, time.process_time() - used
            rates[name].append((args.requests - (load.failed - failed)) / wall)
            cpu[name].append(used / args.requests * 1000)
    for _, client in made.values():
        await client.close()
    return {name: (statistics.median(rates[name]), statistics.median(cpu[name]), loads[name].failures)
            for name in names}


async def cold_start(server: Server, make: Callable[[str, Any], Variant], args: Any) -> dict[str, Any]:
    """`--concurrency` first requests at once on a new client: how many token fetches, how long; and the
    same burst on a new client whose credentials already hold a token, which separates the token's cost
    from that of sending `--concurrency` requests at once."""
    cold = await _burst_on_new_client(server, make, args, token_held=False)
    fetches = await token_fetches(server)
    held = await _burst_on_new_client(server, make, args, token_held=True)
    return {"fetches": fetches, "p99 ms": _p99(cold), "failed": cold.failed,
            "token held: p99 ms": _p99(held), "token held: failed": held.failed}


async def _burst_on_new_client(server: Server, make: Callable[[str, Any], Variant], args: Any,
                               token_held: bool) -> Load:
    server.send("reset")
    creds = server.credentials()
    if token_held:
        await asyncio.to_thread(creds.refresh, google.auth.transport.requests.Request())
    sdk, client = make(server.base_url, creds)
    load = Load(sdk)
    await load.burst(args.concurrency, args.concurrency)
    await client.close()
    return load


def _p99(load: Load) -> float:
    return percentile(load.latencies([(0, math.inf)]), 0.99) * 1000


async def expiries(server: Server, make: Callable[[str, Any], Variant], rate: float, args: Any) -> dict[str, Any]:
    """Under a steady load, the token goes stale (as 3 min 45 s before its hour ends) and expires outright
    (as after a laptop's sleep), in turn, `--events` times each."""
    creds = server.credentials()
    sdk, client = make(server.base_url, creds)
    load = Load(sdk)
    await load.burst(1, 1)
    stop = asyncio.Event()
    running = asyncio.create_task(load.steady(rate, stop))
    await asyncio.sleep(args.settle)
    fetches: dict[str, list[int]] = {"stale": [], "expired": []}
    windows: dict[str, list[tuple[float, float]]] = {"stale": [], "expired": []}
    for kind in ["stale", "expired"] * args.events:
        before = await token_fetches(server)
        moment = time.monotonic()
        expire(creds, STALE_SECONDS_LEFT if kind == "stale" else -1.0)
        windows[kind].append((moment - WINDOW_LEAD, moment + WINDOW_SECONDS))
        await quiet(server, args.settle)
        fetches[kind].append(await token_fetches(server) - before)
    stop.set()
    await running
    await client.close()
    figures: dict[str, Any] = {
        "fetches per stale": statistics.mean(fetches["stale"]),
        "per expired": statistics.mean(fetches["expired"]),
    }
    for label, latencies in (("steady", load.latencies(windows["stale"] + windows["expired"], inside=False)),
                             ("stale", load.latencies(windows["stale"])),
                             ("expired", load.latencies(windows["expired"]))):
        figures[f"{label} p50/p99 ms"] = f"{percentile(latencies, 0.5) * 1000:.0f}/{percentile(latencies, 0.99) * 1000:.0f}"
    figures["requests"] = len(load.done)
    figures["failed"] = load.failed
    return figures


async def revocation(server: Server, make: Callable[[str, Any], Variant], args: Any) -> dict[str, Any]:
    """With a fresh token in use, the server revokes every token; then two bursts of `--concurrency`."""
    sdk, client = make(server.base_url, server.credentials())
    load = Load(sdk)
    await load.burst(args.concurrency, args.concurrency)
    server.send("reset")
    server.send("revoke")
    figures: dict[str, Any] = {}
    for burst in ("1st", "2nd"):
        before = load.failed
        await load.burst(args.concurrency, args.concurrency)
        figures[f"failed in {burst} burst"] = load.failed - before
    await client.close()
    figures["token fetches"] = await token_fetches(server)
    figures["errors"] = dict(load.failures) or "none"
    return figures


async def run(args: Any) -> None:
    variants, skipped = available_variants()
    server = Server()
    server.send("set", token_delay=args.token_delay, token_lifetime=3600)
    try:
        print(f"openai {openai.__version__}; token endpoint answers in {args.token_delay * 1000:.0f} ms; "
              "loopback FakeVertex in its own process; max_retries=0")
        for reason in skipped:
            print(f"skipped: {reason}")
        measured = dict(variants)
        if "wire_compat" in inspect.signature(async_vertex_client).parameters:
            # Right after the library, the library without its wire compatibility layer.
            measured = {"openai-vertex": library, " ..wire_compat=False": library_without_wire_layer, **variants}
        results = await throughput(server, measured, args)
        base_rate, base_cpu, _ = results["openai-vertex"]
        print(f"\n1. throughput: {args.concurrency} concurrent tasks, median of {args.rounds} rotating rounds "
              f"of {args.requests} requests")
        for name, (rate, cpu, failures) in results.items():
            print(f"   {name:26} {rate:6.0f} req/s (x{rate / base_rate:.2f}), client CPU {cpu:5.2f} ms/request "
                  f"(x{cpu / base_cpu:.2f})" + (f", failures {dict(failures)}" if failures else ""))
        print(f"\n2a. cold start: {args.concurrency} requests at once on a new client")
        for name, make in variants.items():
            print(f"   {name:26} " + _line(await cold_start(server, make, args)))
        rate = args.rate or round(0.4 * min(rate for rate, _, _ in results.values()))
        print(f"\n2b. expiries under a steady {rate} req/s (open loop): {args.events} x stale "
              f"({STALE_SECONDS_LEFT:.0f} s left) and {args.events} x expired, in turn; latency of requests "
              f"started from {WINDOW_LEAD} s before to {WINDOW_SECONDS} s after an event, and of the others (steady)")
        for name, make in variants.items():
            print(f"   {name:26} " + _line(await expiries(server, make, rate, args)))
        print(f"\n3. revocation: every token revoked server-side, then 2 bursts of {args.concurrency} requests")
        for name, make in variants.items():
            print(f"   {name:26} " + _line(await revocation(server, make, args)))
    finally:
        server.close()


def _line(figures: dict[str, Any]) -> str:
    return ", ".join(f"{key} {_fmt(value)}" for key, value in figures.items())


def _fmt(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="throughput rounds per variant")
    parser.add_argument("--requests", type=int, default=600, help="requests per throughput round")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="requests/s of the steady load in 2b (default: 40%% of the slowest variant's throughput)")
    parser.add_argument("--events", type=int, default=4, help="stale events, and expired events, in 2b")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds of load after each event in 2b")
    parser.add_argument("--token-delay", type=float, default=0.1, help="seconds the token endpoint takes")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
