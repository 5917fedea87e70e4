"""A short run of `benchmarks/soak.py`: tokens that die under load cost no request and one fetch each.

16 threads and 200 tasks for 4 s against FakeVertex (in a child process), whose tokens are announced for
an hour but refused 0.3 s after issue. Each worker waits 0-4 s between requests, about 100 requests a
second in all: well within what one process carries. A request whose round trip outlasts a token's
whole 0.3 s life could not succeed however the refresh behaved; `python benchmarks/soak.py --pause 0`
shows that saturated regime.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "soak.py"

DIES_AFTER = 0.3
# A shared machine can stall the process for longer than a token lives (three test runs at once on two
# cores gave round trips of 0.5-2.6 s). Such a run cannot judge the claim, so it is repeated.
ATTEMPTS = 3


def soak(**options: float) -> dict[str, Any]:
    """The script's figures, run in its own process as a user would run it (`--json`)."""
    argv = [arg for name, value in options.items() for arg in (f"--{name.replace('_', '-')}", str(value))]
    done = subprocess.run([sys.executable, str(SCRIPT), *argv, "--json"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return figures


def test_tokens_dying_under_load_cost_no_request_and_one_fetch_each() -> None:
    for _ in range(ATTEMPTS):
        figures = soak(seconds=4.0, threads=16, tasks=200, dies_after=DIES_AFTER, pause=2.0)
        shown = {name: value for name, value in figures.items() if "latencies" not in name}
        print(shown)
        # A failure is excused only when the request outlived a token's whole life: a quicker one is a bug.
        assert all(seconds > DIES_AFTER for seconds in figures["failed_latencies"]), str(shown)
        if not figures["failures"]:
            break
    assert figures["failures"] == {}, f"the machine was too slow in all {ATTEMPTS} runs; the last: {shown}"
    assert figures["requests"] >= 216, str(shown)  # every worker got through at least once
    assert figures["deaths"] >= 5, str(shown)  # tokens really died while in use
    # One fetch per death by design (single flight, compare-and-refresh); the target allows two.
    assert figures["fetches"] - figures["clients"] <= figures["deaths"], str(shown)
