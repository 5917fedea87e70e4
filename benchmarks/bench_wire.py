"""How much the wire compatibility layer costs on a long stream (a benchmark, not a test).

A 10,000-chunk chat-completion stream is read through a real `openai.OpenAI` client on an httpx2
`MockTransport` (one network read per event), once on a plain client and once with `install_wire_layer`,
alternating which goes first. Printed: the ratio of the best times (least disturbed by other load on the
machine) and the median of the per-round ratios, both in CPU time. Target: <= 1.10.

    python benchmarks/bench_wire.py [--chunks 10000] [--rounds 15]

Two stream shapes are measured: Gemini's, whose every chunk repeats `"role": "assistant"` (the layer
rewrites each chunk), and OpenAI's, with the role in the first chunk only (the layer's fast path).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import Callable

import httpx2
import openai

from openai_vertex._wire import install_wire_layer

BASE_URL = "https://aiplatform.googleapis.com/v1/projects/bench/locations/global/endpoints/openapi"


def sse_events(chunks: int, *, repeat_role: bool) -> list[bytes]:
    events = []
    for number in range(chunks):
        delta: dict[str, object] = {"content": f"token {number} "}
        if repeat_role or number == 0:
            delta["role"] = "assistant"
        chunk = {
            "choices": [{"delta": delta, "index": 0, "logprobs": None}],
            "created": 1770850461,
            "id": "nQiNafGyF5rw998PstqooAY",
            "model": "google/gemini-2.5-flash",
            "object": "chat.completion.chunk",
            "system_fingerprint": "",
        }
        events.append(b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    return events


def client(events: list[bytes], *, layer: bool) -> openai.OpenAI:
    def handler(request: httpx2.Request) -> httpx2.Response:
        # One network read per event, as a live stream arrives.
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=iter(events))

    http_client = httpx2.Client(transport=httpx2.MockTransport(handler))
    if layer:
        install_wire_layer(http_client)
    return openai.OpenAI(api_key="bench", base_url=BASE_URL, http_client=http_client, max_retries=0)


def read_stream(sdk: openai.OpenAI, chunks: int) -> Callable[[], float]:
    def run() -> float:
        gc.collect()  # start each run with the same heap, so one run's garbage is not billed to the next
        # CPU time of this process: the work is all in-process (MockTransport), and unlike wall time it
        # does not count the moments other programs on a busy machine hold the CPU.
        start = time.process_time()
        stream = sdk.chat.completions.create(
            model="google/gemini-2.5-flash", messages=[{"role": "user", "content": "hi"}], stream=True
        )
        count = sum(1 for _ in stream)
        elapsed = time.process_time() - start
        assert count == chunks, count
        return elapsed

    return run


def paired_runs(plain: Callable[[], float], wired: Callable[[], float], rounds: int) -> list[tuple[float, float]]:
    plain(), wired()  # warm-up: imports, pydantic model building
    times = []
    for round_number in range(rounds):
        # Alternate which goes first so drift in machine load hits both alike.
        if round_number % 2:
            w, p = wired(), plain()
        else:
            p, w = plain(), wired()
        times.append((p, w))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    for label, repeat_role in (("Gemini-shaped (role in every chunk)", True), ("OpenAI-shaped (role once)", False)):
        events = sse_events(args.chunks, repeat_role=repeat_role)
        plain = read_stream(client(events, layer=False), args.chunks)
        wired = read_stream(client(events, layer=True), args.chunks)
        times = paired_runs(plain, wired, args.rounds)
        paired = statistics.median(w / p for p, w in times)
        best_plain, best_wired = min(p for p, _ in times), min(w for _, w in times)
        print(
            f"{label}: {args.chunks} chunks x {args.rounds} rounds; best without layer {best_plain * 1000:.0f} ms, "
            f"with layer {best_wired * 1000:.0f} ms (ratio {best_wired / best_plain:.3f}); "
            f"median of paired ratios {paired:.3f}"
        )


if __name__ == "__main__":
    main()
