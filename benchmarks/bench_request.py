"""What one request costs through each client, beside a static-key `openai.OpenAI` (a benchmark, not a test).

    python benchmarks/bench_request.py [--rounds 15] [--requests 200] [--case NAME ...]

Every variant is a sync `openai.OpenAI` on an httpx2 (openai >= 3) or httpx `MockTransport` that answers
the same bytes, so the figures are the client-side cost alone: building and sending the request, auth,
the wire layer, parsing the answer. Variants run in slices of 20 requests, alternating slice by slice,
and every figure is a median over rounds of per-round ratios to the static key (spread: the lowest and
highest round). The token is fresh throughout (no refresh is timed).

Variants: `static key` (the floor), `wire_compat=False` (VertexAuth alone), `vertex_client` (auth and the
wire layer), `openai providers.vertex` (openai's own, when installed) and `callable api_key` (a function
returning the credentials' token, openai >= 3).

`--floor` adds what any layer in the transport must cost, whatever it does (`floor: ...`, each on
`wire_compat=False`): a transport wrapper that passes everything through; one that also reads what a
request-side look needs (the request's path and body bytes) and installs a `json()` hook on the response
that fixes nothing (the cheapest way to see the answer the SDK parses: `transports.py`); and that plus the
real look at the request (`request_look.look`). `vertex_client` beside them is what the rest, the fix and
the signature memory, costs.

Bodies: a 1.3 KB answer with a tool call (and its thought signature); a 100 KB answer with and without a
tool call; a 100 KB request history that needs no rewrite; and one whose tool call lost its signature,
which the layer puts back.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import time
import weakref
from collections.abc import Callable
from typing import Any

import openai
from _timing import sliced
from google.auth import credentials as ga_credentials

from openai_vertex import vertex_client
from openai_vertex._compat import FAMILIES
from openai_vertex._wire.request_look import look
from openai_vertex._wire.signatures import SignatureCache

FAMILY: Any = FAMILIES[0]
BASE_URL = "https://aiplatform.googleapis.com/v1/projects/bench/locations/global/endpoints/openapi"
MODEL = "google/gemini-2.5-flash"
SIGNATURE = "CiQBcsjafE" + "x" * 300  # the length of a short real signature
CALL_ID = "function-call-1"


class FreshCredentials(ga_credentials.Credentials):
    """Real google-auth credentials whose token stays fresh for the whole run."""

    def refresh(self, request: Any) -> None:
        self.token = "ya29.bench-token"
        self.expiry = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(days=1)


def completion(content: str | None, tool_call: bool, *, signed_message: bool = False) -> bytes:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if signed_message:  # Gemini 3 signs a text turn itself (docs/vertex-wire.md §6)
        message["extra_content"] = {"google": {"thought_signature": SIGNATURE}}
    if tool_call:
        message["tool_calls"] = [{"id": CALL_ID, "type": "function",
                                  "extra_content": {"google": {"thought_signature": SIGNATURE}},
                                  "function": {"name": "get_weather", "arguments": json.dumps({"city": "Paris"})}}]
    body = {"choices": [{"finish_reason": "tool_calls" if tool_call else "stop", "index": 0, "message": message}],
            "created": 1761934621, "id": "Hf0EacSvGLGN1tEP3quxSQ", "model": MODEL, "object": "chat.completion",
            "usage": {"completion_tokens": 18, "prompt_tokens": 15, "total_tokens": 74}}
    return json.dumps(body).encode()


def history(size: int, *, signed: bool) -> list[dict[str, Any]]:
    """About `size` bytes of turns, ending with a tool call (signed or not) and its result."""
    call: dict[str, Any] = {"id": CALL_ID, "type": "function",
                            "function": {"name": "get_weather", "arguments": json.dumps({"city": "Paris"})}}
    if signed:
        call["extra_content"] = {"google": {"thought_signature": SIGNATURE}}
    turns: list[dict[str, Any]] = []
    while len(json.dumps(turns)) < size:
        turns += [{"role": "user", "content": "Tell me about the weather in Europe. " * 20},
                  {"role": "assistant", "content": "It is mild across most of Europe this week. " * 20}]
    return turns + [{"role": "assistant", "content": None, "tool_calls": [call]},
                    {"role": "tool", "tool_call_id": CALL_ID, "content": "sunny"}]


SHORT: Any = [{"role": "user", "content": "What is the weather in Paris?"}]
CASES: dict[str, tuple[bytes, Any]] = {
    "1.3 KB answer with a tool call": (completion("Let me check. " * 70, True), SHORT),
    "100 KB answer with a tool call": (completion("It is sunny. " * 7700, True), SHORT),
    "100 KB answer, no tool call": (completion("It is sunny. " * 7700, False), SHORT),
    "100 KB request, no rewrite": (completion("ok", False), history(100_000, signed=True)),
    "100 KB request, signature restored": (completion("ok", False), history(100_000, signed=False)),
    # The client remembers a signed text turn, so a history with assistant messages takes the full path.
    "100 KB request, after a signed text turn": (completion("ok", False), history(100_000, signed=True)),
}
# The turn before each case's requests: a signed tool call, or a signed text turn.
BEFORE: dict[str, bytes] = {"100 KB request, after a signed text turn": completion("Hello.", False,
                                                                                   signed_message=True)}


def answering(answer: bytes, before: bytes | None = None) -> Any:
    """A client whose first answer is `before` (by default a signed tool call: the turn before), then `answer`."""
    headers = {"content-type": "application/json; charset=UTF-8"}
    answers = [completion(None, True) if before is None else before]

    def handle(request: Any) -> Any:
        return FAMILY.Response(200, headers=headers, content=answers.pop() if answers else answer)

    return FAMILY.Client(transport=FAMILY.MockTransport(handle))


def variants(answer: Any, http_client: Callable[[Any], Any] = answering) -> dict[str, openai.OpenAI]:
    """Every variant, each on its own HTTP client, `http_client(answer)`."""
    creds = FreshCredentials()
    creds.refresh(None)
    made = {
        "static key": openai.OpenAI(api_key="k", base_url=BASE_URL, http_client=http_client(answer)),
        "wire_compat=False": vertex_client(base_url=BASE_URL, credentials=creds, wire_compat=False,
                                           http_client=http_client(answer)),
        "vertex_client": vertex_client(base_url=BASE_URL, credentials=creds, http_client=http_client(answer)),
    }
    try:
        from openai.providers import vertex
    except ImportError:
        pass
    else:
        made["openai providers.vertex"] = openai.OpenAI(provider=vertex(base_url=BASE_URL, credentials=creds),
                                                        http_client=http_client(answer))
    if "Callable" in str(openai.OpenAI.__init__.__annotations__.get("api_key", "")):
        made["callable api_key"] = openai.OpenAI(api_key=lambda: str(creds.token), base_url=BASE_URL,
                                                 http_client=http_client(answer))
    return made


class FloorWrapper(FAMILY.BaseTransport):  # type: ignore[misc]
    """The least a wire layer in the transport costs: `reads` 0 passes through; 1 reads the request's path
    and body and hooks `json()` (a no-op fix); 2 also runs the real look at the request."""

    def __init__(self, transport: Any, reads: int) -> None:
        self.transport, self.reads, self.cache = transport, reads, SignatureCache()

    def handle_request(self, request: Any) -> Any:
        if not self.reads:
            return self.transport.handle_request(request)
        if request.method == "POST" and request.url.path.endswith("/chat/completions"):
            body = request.content
            if self.reads > 1:
                look(body, self.cache, publisher_prefix=True, skip_unknown=False)
        response = self.transport.handle_request(request)
        parse, ref = type(response).json, weakref.ref(response)

        def json(**kwargs: Any) -> Any:
            return parse(ref(), **kwargs)

        response.json = json
        return response


def floors(answer: Any, http_client: Callable[[Any], Any] = answering) -> dict[str, openai.OpenAI]:
    """The `--floor` variants, each on `wire_compat=False` with its own HTTP client."""
    creds = FreshCredentials()
    creds.refresh(None)
    made = {}
    for reads, name in enumerate(("floor: pass-through", "floor: reads + json hook", "floor: + the look")):
        client = http_client(answer)
        client._transport = FloorWrapper(client._transport, reads)
        made[name] = vertex_client(base_url=BASE_URL, credentials=creds, wire_compat=False, http_client=client)
    return made


def timer(client: openai.OpenAI, messages: Any) -> Callable[[int], float]:
    def run(count: int) -> float:
        started = time.process_time()
        for _ in range(count):
            client.chat.completions.create(model=MODEL, messages=messages)
        return time.process_time() - started

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=200, help="requests per variant per round")
    parser.add_argument("--case", action="append", choices=list(CASES), help="only these cases (repeatable)")
    parser.add_argument("--floor", action="store_true", help="add what any layer in the transport must cost")
    args = parser.parse_args()
    print(f"openai {openai.__version__} on {FAMILY.__name__}; {args.rounds} rounds x {args.requests} requests; "
          "CPU time per request, ratio to `static key`: median [lowest, highest round]")
    for case, (answer, messages) in CASES.items():
        if args.case and case not in args.case:
            continue
        before = BEFORE.get(case)
        clients = variants(answer, lambda body: answering(body, before))
        if args.floor:
            clients.update(floors(answer, lambda body: answering(body, before)))
        for client in clients.values():  # the turn before: the wire layer sees the signed call
            client.chat.completions.create(model=MODEL, messages=SHORT)
        results = sliced({name: timer(client, messages) for name, client in clients.items()}, args.rounds,
                         args.requests, 20)
        floor = results["static key"]
        print(f"\n{case} (static key: {statistics.median(floor) * 1e6:.0f} µs)")
        for name, figures in results.items():
            ratios = sorted(value / base for value, base in zip(figures, floor))
            extra = statistics.median(value - base for value, base in zip(figures, floor)) * 1e6
            print(f"  {name:24} {statistics.median(ratios):.3f} [{ratios[0]:.3f}, {ratios[-1]:.3f}]  {extra:+.0f} µs")


if __name__ == "__main__":
    main()
