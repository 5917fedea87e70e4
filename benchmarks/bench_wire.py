"""How much the wire compatibility layer costs on a long stream (a benchmark, not a test).

A 10,000-chunk chat-completion stream is read through a real `openai.OpenAI` client on an httpx2
`MockTransport` (one network read per event), once on a plain client and once with `install_wire_layer`,
the order rotating round by round (`_timing.interleaved`). Printed: the ratio of the best times (least disturbed by other load on the
machine) and the median of the per-round ratios, both in CPU time. Target: <= 1.10.

    python benchmarks/bench_wire.py [--chunks 10000] [--rounds 15]

Two stream shapes are measured: Gemini's, whose every chunk repeats `"role": "assistant"` (the layer
rewrites each chunk), and OpenAI's, with the role in the first chunk only (the layer's fast path).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import httpx2
import openai
from _streams import chunk_events
from _timing import interleaved, paired_ratio

from openai_vertex._wire import install_wire_layer

BASE_URL = "https://aiplatform.googleapis.com/v1/projects/bench/locations/global/endpoints/openapi"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    for label, kind in (("Gemini-shaped (role in every chunk)", "gemini"), ("OpenAI-shaped (role once)", "openai")):
        events = chunk_events(kind, args.chunks)
        times = interleaved({"plain": read_stream(client(events, layer=False), args.chunks),
                             "wired": read_stream(client(events, layer=True), args.chunks)}, args.rounds)
        paired = paired_ratio(times, "wired", "plain")
        best_plain, best_wired = min(times["plain"]), min(times["wired"])
        print(
            f"{label}: {args.chunks} chunks x {args.rounds} rounds; best without layer {best_plain * 1000:.0f} ms, "
            f"with layer {best_wired * 1000:.0f} ms (ratio {best_wired / best_plain:.3f}); "
            f"median of paired ratios {paired:.3f}"
        )


if __name__ == "__main__":
    main()
