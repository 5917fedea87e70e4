"""Per-request cost of `VertexAuth` against a static bearer key (a benchmark, not a test).

    python benchmarks/bench_auth.py [--rounds 15] [--flows 20000] [--requests 300] [--profile]

Nothing leaves the process: requests go to httpx / httpx2 `MockTransport`s, and the credentials hold a
token valid for an hour, so no refresh happens and what is measured is the cost every request pays.
Variants alternate in small slices within each round (1,000 flows, 10 requests) so that load bursts on
a shared machine hit them alike.

(a) The auth flow alone, stepped by hand (`next(flow)`, `flow.send(response)`), on a request carrying the
    headers the openai SDK really sends; VertexAuth against an `httpx.Auth` that sets a static
    `Authorization`. Target: VertexAuth's flow costs at most 1 us more per request than the static one
    (the static flow itself costs 1.5-2 us here, so 1 us in total is out of reach for any Auth).
(b) A whole SDK request (`client.chat.completions.create`) on `openai.OpenAI` / `AsyncOpenAI`: a static
    api_key, against VertexAuth on the client (target: ratio <= 1.01), and against what the factory
    builds: `vertex_client` (VertexAuth, its redirect hook and the wire compatibility layer) and, where
    the factory has the option, `vertex_client(wire_compat=False)`.

`--profile` also prints where VertexAuth's flow spends its time, step by step.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime
import pstats
import time
from collections.abc import Callable, Generator
from types import ModuleType
from typing import Any

import google.oauth2.credentials
import openai
from _timing import median, paired_difference, paired_ratio, sliced

from openai_vertex import VertexAuth, async_vertex_client, vertex_client
from openai_vertex._compat import FAMILIES

BASE_URL = "https://aiplatform.googleapis.com/v1/projects/bench-project/locations/global/endpoints/openapi"
MODEL = "google/gemini-2.5-flash"
MESSAGES: Any = [{"role": "user", "content": "Say hello."}]
COMPLETION = {
    "choices": [{"finish_reason": "stop", "index": 0, "logprobs": None,
                 "message": {"content": "Hello.", "role": "assistant"}}],
    "created": 1770850461,
    "id": "nQiNafGyF5rw998PstqooAY",
    "model": MODEL,
    "object": "chat.completion",
    "system_fingerprint": "",
    "usage": {"completion_tokens": 2, "prompt_tokens": 3, "total_tokens": 5},
}


def credentials() -> Any:
    """Real google-auth user credentials holding a token that stays fresh for the whole run."""
    expiry = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(hours=1)
    return google.oauth2.credentials.Credentials(  # type: ignore[no-untyped-call]
        token="ya29.bench-" + "x" * 180, expiry=expiry)


def static_auth(family: ModuleType) -> Any:
    """What a user with a fixed key would install: an `Auth` that sets one header."""

    class StaticBearer(family.Auth):  # type: ignore[name-defined,misc]
        def __init__(self, key: str) -> None:
            self._value = f"Bearer {key}"

        def auth_flow(self, request: Any) -> Generator[Any, Any, None]:
            request.headers["Authorization"] = self._value
            yield request

    return StaticBearer("static-key")


# --- (a) the auth flow alone ---------------------------------------------------------------------------

def sdk_request(family: ModuleType) -> Any:
    """A request as the openai SDK builds it (its ~12 headers), captured through a MockTransport."""
    seen: list[Any] = []

    def handler(request: Any) -> Any:
        seen.append(request)
        return family.Response(200, json=COMPLETION)

    client = openai.OpenAI(api_key="sdk-placeholder", base_url=BASE_URL, max_retries=0,
                           http_client=family.Client(transport=family.MockTransport(handler)))
    client.chat.completions.create(model=MODEL, messages=MESSAGES)
    return family.Request("POST", seen[0].url, headers=seen[0].headers.raw, content=seen[0].content)


def sync_flows(auth: Any, request: Any, response: Any) -> Callable[[int], float]:
    def run(count: int) -> float:
        start = time.perf_counter()
        for _ in range(count):
            flow = auth.sync_auth_flow(request)
            next(flow)
            try:
                flow.send(response)
            except StopIteration:
                pass
        return time.perf_counter() - start

    return run


def async_flows(auth: Any, request: Any, response: Any, loop: asyncio.AbstractEventLoop) -> Callable[[int], float]:
    async def flows(count: int) -> float:
        start = time.perf_counter()
        for _ in range(count):
            flow = auth.async_auth_flow(request)
            await flow.__anext__()
            try:
                await flow.asend(response)
            except StopAsyncIteration:
                pass
        return time.perf_counter() - start

    return lambda count: loop.run_until_complete(flows(count))


def bench_flows(rounds: int, count: int) -> None:
    print(f"(a) auth flow alone: median us per request over {rounds} rounds of {count} flows per variant")
    print(f"    {'family':7} {'mode':5} {'static':>7} {'Vertex':>7} {'diff':>6}  target diff <= 1 us")
    loop = asyncio.new_event_loop()
    for family in FAMILIES:
        request, response = sdk_request(family), family.Response(200)
        static, vertex = static_auth(family), VertexAuth(credentials())
        for mode in ("sync", "async"):
            if mode == "sync":
                variants = {"static": sync_flows(static, request, response),
                            "vertex": sync_flows(vertex, request, response)}
            else:
                variants = {"static": async_flows(static, request, response, loop),
                            "vertex": async_flows(vertex, request, response, loop)}
            results = sliced(variants, rounds, count, slice_size=1000)
            diff = paired_difference(results, "vertex", "static") * 1e6
            print(f"    {family.__name__:7} {mode:5} {median(results['static']) * 1e6:7.2f} "
                  f"{median(results['vertex']) * 1e6:7.2f} {diff:6.2f}  {'ok' if diff <= 1 else 'MISSED'}")
    loop.close()


# --- (b) whole SDK requests ----------------------------------------------------------------------------

def sdk_clients(family: ModuleType, is_async: bool) -> dict[str, Any]:
    """The variants of (b): one MockTransport answer behind each way of signing, sync or async."""
    sdk, factory = (openai.AsyncOpenAI, async_vertex_client) if is_async else (openai.OpenAI, vertex_client)
    client_class = family.AsyncClient if is_async else family.Client

    def http(**options: Any) -> Any:
        transport = family.MockTransport(lambda request: family.Response(200, json=COMPLETION))
        return client_class(transport=transport, **options)

    creds = credentials()
    vertex = {"project": "bench-project", "credentials": creds, "max_retries": 0}
    return {
        "static key": sdk(api_key="static-key", base_url=BASE_URL, max_retries=0, http_client=http()),
        "VertexAuth": sdk(api_key="placeholder", base_url=BASE_URL, max_retries=0,
                          http_client=http(auth=VertexAuth(creds))),
        "vertex_client": factory(**vertex, http_client=http()),
        "no wire layer": factory(**vertex, http_client=http(), wire_compat=False),
    }


def sync_requests(client: Any) -> Callable[[int], float]:
    def run(count: int) -> float:
        start = time.perf_counter()
        for _ in range(count):
            client.chat.completions.create(model=MODEL, messages=MESSAGES)
        return time.perf_counter() - start

    return run


def async_requests(client: Any, loop: asyncio.AbstractEventLoop) -> Callable[[int], float]:
    async def requests(count: int) -> float:
        start = time.perf_counter()
        for _ in range(count):
            await client.chat.completions.create(model=MODEL, messages=MESSAGES)
        return time.perf_counter() - start

    return lambda count: loop.run_until_complete(requests(count))


def bench_sdk(rounds: int, count: int) -> None:
    print(f"(b) whole SDK request: median us per request over {rounds} rounds of {count} requests per variant; "
          "(ratio = median of per-round ratios to the static key; target for VertexAuth <= 1.01)")
    loop = asyncio.new_event_loop()
    for family in FAMILIES:
        for mode in ("sync", "async"):
            if mode == "sync":
                variants = {name: sync_requests(client) for name, client in sdk_clients(family, False).items()}
            else:
                variants = {name: async_requests(client, loop) for name, client in sdk_clients(family, True).items()}
            results = sliced(variants, rounds, count, slice_size=10)
            cells = [f"{name} {median(times) * 1e6:.0f} us" + (
                "" if name == "static key" else f" (x{paired_ratio(results, name, 'static key'):.3f})")
                for name, times in results.items()]
            print(f"    {family.__name__:7} {mode:5} " + "; ".join(cells))
    loop.close()


# --- where the time goes -------------------------------------------------------------------------------

def profile(count: int) -> None:
    """Each step of the fresh-token path timed on its own, then cProfile's view of the whole flow."""
    print("where VertexAuth's flow spends its time (us per call, best of 5):")
    for family in FAMILIES:
        for name, step in _steps(family).items():
            best = min(_time_calls(step, count) for _ in range(5))
            print(f"    {family.__name__:7} {name:44} {best * 1e6:6.2f}")
    family = FAMILIES[0]  # httpx2 when installed: what openai >= 3 runs on
    request, response, auth = sdk_request(family), family.Response(200), VertexAuth(credentials())
    profiler = cProfile.Profile()
    profiler.runcall(sync_flows(auth, request, response), count)
    print(f"cProfile of {count} sync flows on {family.__name__} (tottime, top 12):")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


def _steps(family: ModuleType) -> dict[str, Callable[[], object]]:
    from google.auth import _helpers

    from openai_vertex._auth import google_auth

    request = sdk_request(family)
    auth = VertexAuth(credentials())
    creds = auth.credentials
    token = str(creds.token)
    value = "Bearer " + token
    return {
        "google-auth token_state (reads utcnow() twice)": lambda: creds.token_state,
        "google-auth _helpers.utcnow()": _helpers.utcnow,
        "VertexAuth._usable_token (reused verdict)": lambda: auth._usable_token(request),
        "VertexAuth._sign": lambda: auth._sign(request, token),
        "headers.update({'authorization': ...})": lambda: request.headers.update({"authorization": value}),
        "headers['authorization'] = ...": lambda: request.headers.__setitem__("authorization", value),
        "headers.pop('OpenAI-Organization', None)": lambda: request.headers.pop("OpenAI-Organization", None),
        "'OpenAI-Organization' in headers": lambda: "OpenAI-Organization" in request.headers,
        "google_auth.auth_headers (credentials.apply)": lambda: google_auth.auth_headers(creds, token),
    }


def _time_calls(step: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        step()
    return (time.perf_counter() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--flows", type=int, default=20_000, help="auth flows per round in (a)")
    parser.add_argument("--requests", type=int, default=300, help="SDK requests per round in (b)")
    parser.add_argument("--profile", action="store_true", help="also print where VertexAuth's time goes")
    args = parser.parse_args()
    bench_flows(args.rounds, args.flows)
    bench_sdk(args.rounds, args.requests)
    if args.profile:
        profile(args.flows)


if __name__ == "__main__":
    main()
