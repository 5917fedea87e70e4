"""Python bytecodes executed per request and per streamed chunk, by body (a benchmark, not a test).

    python benchmarks/bench_opcodes.py

The counts are exact and repeatable, where the CPU times of `bench_request.py` and `bench_stream.py`
move by a few percent from run to run: one request (or one stream) of each case from `bench_request.py`
(`bench_stream.py`) is traced with `sys.settrace`, opcode by opcode, after a warm-up. Printed: all the
opcodes the request costs with a static key, what `wire_compat=False` and `vertex_client` add, and how
many of those run in openai_vertex's own code. The rest of what is added runs in the HTTP library and
google-auth for the layer (a URL's path, a header). An opcode of the layer costs more than one of the
SDK on average: it runs cold, after the SDK's much larger working set has left the CPU's caches.

`--floor` adds, for the requests, the least any layer in the transport costs (`bench_request.py --floor`):
a wrapper that passes through, one that reads the request and hooks `json()`, and that plus the look.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import openai
from _streams import parallel_call_events, text_events
from bench_request import BEFORE, CASES, FAMILY, MODEL, SHORT, answering, floors, variants
from bench_stream import streaming

from openai_vertex._auth import vertex_auth

Counts = tuple[int, int]  # every opcode, and those in openai_vertex


def traced(run: Callable[[], object]) -> Counts:
    counts = [0, 0]

    def local(frame: Any, event: str, arg: object) -> Any:
        if event == "opcode":
            counts[0] += 1
            if "openai_vertex" in frame.f_code.co_filename:
                counts[1] += 1
        return local

    def start(frame: Any, event: str, arg: object) -> Any:
        frame.f_trace_opcodes = True
        return local

    sys.settrace(start)
    try:
        run()
    finally:
        sys.settrace(None)
    return counts[0], counts[1]


def report(label: str, per: str, clients: dict[str, openai.OpenAI], run: Callable[[openai.OpenAI], object],
           divisor: int) -> None:
    names = [name for name in clients if name not in ("openai providers.vertex", "callable api_key")]
    for _ in range(2):  # warm-up: lazy imports, first-use caches, a signature to remember
        for name in names:
            run(clients[name])
    counts = {name: traced(lambda: run(clients[name])) for name in names}
    floor = counts["static key"][0]
    print(f"\n{label}: {floor / divisor:,.0f} opcodes per {per} with a static key")
    for name in names[1:]:
        every, ours = counts[name]
        print(f"  {name:24} {(every - floor) / divisor:+8,.1f} ({(every - floor) / floor:+.2%}), "
              f"{ours / divisor:,.1f} of them in openai_vertex")


def main() -> None:
    # VertexAuth asks google-auth about the token again after 1 s (once in thousands of requests, in a
    # loop); a traced 100 KB request takes longer than that, so each trace would pay for it (+94 opcodes).
    vertex_auth.FRESH_VERDICT_REUSE = 3600.0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", action="store_true", help="add what any layer in the transport must cost")
    args = parser.parse_args()
    print(f"openai {openai.__version__} on {FAMILY.__name__}, Python {sys.version.split()[0]}")
    for case, (answer, messages) in CASES.items():
        before = BEFORE.get(case)
        clients = variants(answer, lambda body: answering(body, before))
        if args.floor:
            clients.update(floors(answer, lambda body: answering(body, before)))
        report(case, "request", clients,
               lambda client: client.chat.completions.create(model=MODEL, messages=messages), 1)
    chunks = 600
    for label, make in (("stream, Gemini text", text_events), ("stream, parallel tool calls (§S2)",
                                                               parallel_call_events)):
        report(label, "chunk", variants(make(chunks), streaming),
               lambda client: sum(1 for _ in client.chat.completions.create(model=MODEL, messages=SHORT,
                                                                            stream=True)), chunks)


if __name__ == "__main__":
    main()
