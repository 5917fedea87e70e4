"""Throughput of the thought splitter and of the wire layer's stream normaliser (a benchmark, not a test).

    python benchmarks/bench_throughput.py [--rounds 15] [--megabytes 2]

Each is measured against plain concatenation of the same pieces, in the same run, variants alternating
round by round; figures are MB/s of input (medians) and the median of per-round ratios.

1. `ThoughtSplitter.feed` over a stream of `<think>`-tagged text cut into deltas at random places (tags
   cut across deltas included), the pieces collected into thoughts and answer, against appending the
   deltas to a list and joining it. Two delta sizes: token-sized (1-12 characters) and Gemini-sized
   (20-400 characters, Gemini streams several tokens per chunk).
2. The wire layer's processor for a streamed chat completion (`WireLayer.response_processor`, which is
   `SSENormaliser` over `ChunkNormaliser`), fed network reads of 1-4 KiB, against joining the reads.
   Shown beside it: `SSENormaliser` alone (event framing, no rewriting) and, for scale, the openai SDK's
   own SSE decoder, which parses the same bytes again downstream. Three streams: Gemini text (every
   chunk repeats the role, which the layer removes), OpenAI-shaped text (the layer's fast path), and
   Gemini tool-call deltas (each chunk parsed and rewritten as JSON).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from _streams import WORDS, chunk_events
from _timing import interleaved, median, paired_ratio

from openai_vertex import ThoughtSplitter

from openai_vertex._wire.sse import SSENormaliser
from openai_vertex._wire.layer import WireLayer


def thought_text(size: int, rng: random.Random) -> str:
    """About `size` characters: thought blocks and answer text alternating, as Gemini tags them."""
    parts: list[str] = []
    length = 0
    while length < size:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 200)))
        block = f"<think>{words}</think>" if len(parts) % 2 == 0 else words + "\n"
        parts.append(block)
        length += len(block)
    return "".join(parts)


def cut(data: Any, low: int, high: int, rng: random.Random) -> list[Any]:
    """`data` cut at random places into pieces of `low`..`high` items."""
    pieces = []
    start = 0
    while start < len(data):
        end = start + rng.randint(low, high)
        pieces.append(data[start:end])
        start = end
    return pieces


def concatenation(pieces: list[Any]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        collected = []
        for piece in pieces:  # one at a time, as a stream consumer gets them
            collected.append(piece)  # noqa: PERF402
        pieces[0][:0].join(collected)
        return time.perf_counter() - start

    return run


def splitting(deltas: list[str]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        splitter = ThoughtSplitter()
        collected: dict[str, list[str]] = {"thought": [], "answer": []}
        for delta in deltas:
            for kind, text in splitter.feed(delta):
                collected[kind].append(text)
        for kind, text in splitter.close():
            collected[kind].append(text)
        "".join(collected["thought"]), "".join(collected["answer"])
        return time.perf_counter() - start

    return run


def bench_thoughts(rounds: int, size: int, rng: random.Random) -> None:
    text = thought_text(size, rng)
    print(f"1. ThoughtSplitter: {len(text) / 1e6:.1f} MB of tagged text, {rounds} rounds")
    for label, low, high in (("token-sized deltas (1-12 chars)", 1, 12), ("Gemini-sized deltas (20-400 chars)", 20, 400)):
        deltas = cut(text, low, high, rng)
        results = interleaved({"concatenation": concatenation(deltas), "splitter": splitting(deltas)}, rounds)
        _report(label, len(text.encode()), results, "splitter", "concatenation", len(deltas), "delta")


def processing(reads: list[bytes], make: Callable[[], Any]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        processor = make()
        out = [processor.feed(read) for read in reads]
        out.append(processor.close())
        b"".join(out)
        return time.perf_counter() - start

    return run


def wire_processor() -> Any:
    """What the wire layer puts on a streamed chat completion's body."""
    return WireLayer().response_processor("text/event-stream")


def sdk_decoding(reads: list[bytes]) -> Callable[[], float]:
    from openai._streaming import SSEDecoder

    def run() -> float:
        start = time.perf_counter()
        for _ in SSEDecoder().iter_bytes(iter(reads)):
            pass
        return time.perf_counter() - start

    return run


def bench_wire(rounds: int, size: int, rng: random.Random) -> None:
    print(f"2. wire layer stream processor: network reads of 1-4 KiB, {rounds} rounds")
    for label, kind in (("Gemini text (role in every chunk)", "gemini"), ("OpenAI-shaped text (role once)", "openai"),
                        ("Gemini tool-call deltas", "tools")):
        one = len(chunk_events(kind, 1)[0])
        stream = b"".join(chunk_events(kind, size // one))
        reads = cut(stream, 1024, 4096, rng)
        variants = {
            "concatenation": concatenation(reads),
            "SSENormaliser": processing(reads, lambda: SSENormaliser(lambda payload: payload)),
            "wire layer": processing(reads, wire_processor),
            "openai SSEDecoder": sdk_decoding(reads),
        }
        results = interleaved(variants, rounds)
        print(f"   {label}: {len(stream) / 1e6:.1f} MB")
        for name in ("SSENormaliser", "wire layer", "openai SSEDecoder"):
            _report(name, len(stream), results, name, "concatenation", size // one, "event")


def _report(label: str, size: int, results: dict[str, list[float]], variant: str, base: str, count: int,
            unit: str) -> None:
    seconds = median(results[variant])
    print(f"   {label:36} {size / seconds / 1e6:7.1f} MB/s ({seconds / count * 1e6:5.2f} us/{unit}) vs "
          f"concatenation {size / median(results[base]) / 1e6:7.1f} MB/s: time ratio "
          f"x{paired_ratio(results, variant, base):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--megabytes", type=float, default=2.0, help="size of each stream")
    args = parser.parse_args()
    rng = random.Random(7)  # the same cuts on every run
    size = int(args.megabytes * 1e6)
    bench_thoughts(args.rounds, size, rng)
    bench_wire(args.rounds, size, rng)


if __name__ == "__main__":
    main()
