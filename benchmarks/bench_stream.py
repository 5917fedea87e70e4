"""What a streamed chat completion costs per chunk through each client, beside a static key (a benchmark, not a test).

    python benchmarks/bench_stream.py [--rounds 25] [--chunks 2000] [--memory-chunks 20000]

The variants of `bench_request.py` (static key, `wire_compat=False`, `vertex_client`, openai's provider, a
callable key), each reading the same stream from an httpx2 (openai >= 3) or httpx `MockTransport`, one
network read per event as a live stream arrives. Two streams, as Vertex sends them: Gemini text (every
chunk repeats the role), and parallel tool calls in Google's own shape (docs/vertex-wire.md §S2: role, id
and name repeated, unstable indices, a signature per call), today's worst case for the layer. Printed:
CPU time per chunk, its ratio to the static key (median of per-round ratios [lowest, highest round]),
variants alternating round by round.

Then peak memory (tracemalloc) while reading a `--memory-chunks` stream, `vertex_client` beside
`wire_compat=False`: the layer holds the signature cache (bounded) and its per-stream call state.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import openai
from _streams import parallel_call_events, text_events
from _timing import interleaved
from bench_request import FAMILY, MODEL, SHORT, variants


def streaming(events: list[bytes]) -> Any:
    """An HTTP client that answers every request with `events`, one read per event."""

    def handle(request: Any) -> Any:
        return FAMILY.Response(200, headers={"content-type": "text/event-stream"}, content=iter(events))

    return FAMILY.Client(transport=FAMILY.MockTransport(handle))


def reader(client: openai.OpenAI, chunks: int) -> Callable[[], float]:
    def run() -> float:
        started = time.process_time()
        count = sum(1 for _ in client.chat.completions.create(model=MODEL, messages=SHORT, stream=True))
        elapsed = time.process_time() - started
        assert count == chunks, count
        return elapsed / chunks

    return run


def peak(client: openai.OpenAI) -> int:
    tracemalloc.start()
    for _ in client.chat.completions.create(model=MODEL, messages=SHORT, stream=True):
        pass
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


STREAMS = {"Gemini text": text_events, "parallel tool calls (§S2)": parallel_call_events}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--chunks", type=int, default=2000)
    parser.add_argument("--memory-chunks", type=int, default=20_000)
    args = parser.parse_args()
    print(f"openai {openai.__version__} on {FAMILY.__name__}; {args.rounds} rounds of a {args.chunks}-chunk stream; "
          "CPU time per chunk, ratio to `static key`: median [lowest, highest round]")
    for label, make in STREAMS.items():
        clients = variants(make(args.chunks), streaming)
        results = interleaved({name: reader(client, args.chunks) for name, client in clients.items()}, args.rounds)
        floor = results["static key"]
        print(f"\n{label} (static key: {statistics.median(floor) * 1e6:.1f} µs per chunk)")
        for name, figures in results.items():
            ratios = sorted(value / base for value, base in zip(figures, floor))
            extra = statistics.median(value - base for value, base in zip(figures, floor)) * 1e6
            print(f"  {name:24} {statistics.median(ratios):.3f} [{ratios[0]:.3f}, {ratios[-1]:.3f}]  "
                  f"{extra:+.1f} µs per chunk")
    print(f"\npeak memory reading a {args.memory_chunks}-chunk stream (tracemalloc)")
    for label, make in STREAMS.items():
        clients = variants(make(args.memory_chunks), streaming)
        peaks = {name: peak(clients[name]) for name in ("wire_compat=False", "vertex_client")}
        print(f"  {label:28} wire_compat=False {peaks['wire_compat=False'] / 1024:.0f} KiB, "
              f"vertex_client {peaks['vertex_client'] / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
