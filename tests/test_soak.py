"""A short run of `benchmarks/soak.py`: tokens that die under load cost no request and one fetch each.

16 threads and 200 tasks for 4 s against FakeVertex (in a child process), whose tokens are announced for
an hour but refused 0.3 s after issue. Each worker waits 0-4 s between requests, about 100 requests a
second in all: well within what one process carries. A request whose round trip outlasts a token's
whole 0.3 s life could not succeed however the refresh behaved; `python benchmarks/soak.py --pause 0`
shows that saturated regime.
"""

from __future__ import annotations

from benchmarks.soak import soak

DIES_AFTER = 0.3
# A shared machine can stall the process for longer than a token lives (three test runs at once on two
# cores gave round trips of 0.5-2.6 s). Such a run cannot judge the claim, so it is repeated.
ATTEMPTS = 3


def test_tokens_dying_under_load_cost_no_request_and_one_fetch_each() -> None:
    for _ in range(ATTEMPTS):
        figures = soak(seconds=4.0, threads=16, tasks=200, dies_after=DIES_AFTER, pause=2.0)
        print(figures)
        # A failure is excused only when the request outlived a token's whole life: a quicker one is a bug.
        assert all(seconds > DIES_AFTER for seconds in figures.failed_latencies), str(figures)
        if not figures.failures:
            break
    assert figures.failures == {}, f"the machine was too slow in all {ATTEMPTS} runs; the last: {figures}"
    assert figures.requests >= 216, str(figures)  # every worker got through at least once
    assert figures.deaths >= 5, str(figures)  # tokens really died while in use
    # One fetch per death by design (single flight, compare-and-refresh); the target allows two.
    assert figures.fetches - figures.clients <= figures.deaths, str(figures)
