"""What `import openai_vertex` costs on top of `import openai` (a benchmark, not a test).

    python benchmarks/bench_import.py [--rounds 15] [--profiles 5]

Every figure comes from fresh interpreters, so nothing is cached in `sys.modules`, and the variants
alternate round by round (order rotating) so that machine load hits them alike:

- whole process: wall time of `python -c "import openai"` against `python -c "import openai, openai_vertex"`;
- in process: `import openai` and then `import openai_vertex` timed inside one fresh interpreter; and
  the same for `import httpx` alone, which openai_vertex imports although openai >= 3 does not.

Target: <= 30 ms. Then `python -X importtime` runs (`--profiles`, medians) say where the time goes: the
modules that `import openai_vertex` brings in, grouped by top-level package, and the slowest of them.
"""

from __future__ import annotations

import argparse
import collections
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

import openai_vertex
from _timing import interleaved, median, paired_difference

IN_PROCESS = (
    "import time; start = time.perf_counter(); import openai; middle = time.perf_counter(); "
    "import {module}; print(middle - start, time.perf_counter() - middle)"
)


def process_time(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def in_process(module: str, openai_seconds: list[float]) -> float:
    """Seconds that `import module` takes right after `import openai` (noted in `openai_seconds`)."""
    code = IN_PROCESS.format(module=module)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    first, second = map(float, out.split())
    openai_seconds.append(first)
    return second


def importtime() -> list[tuple[str, int, int]]:
    """(module, self us, cumulative us) for each module `import openai_vertex` adds after `import openai`."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import openai; import openai_vertex"],
                         check=True, capture_output=True, text=True).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line[len("import time:"):].split("|")
        rows.append((name.rstrip(), int(self_us), int(cumulative)))
    # A module's line comes when it finishes, after its children's: all after openai's is openai_vertex's.
    last_openai = max(index for index, (name, _, _) in enumerate(rows) if name.strip() == "openai")
    return [(name.strip(), self_us, cumulative) for name, self_us, cumulative in rows[last_openai + 1:]]


def attribution(profiles: int) -> None:
    runs = [importtime() for _ in range(profiles)]
    totals = [sum(self_us for _, self_us, _ in run) for run in runs]
    print(f"\nwhere it goes (python -X importtime, median of {profiles} runs): {median(totals) / 1000:.1f} ms "
          "of module bodies that `import openai_vertex` runs")
    groups: dict[str, list[int]] = collections.defaultdict(list)
    selfs: dict[str, list[int]] = collections.defaultdict(list)
    cumulatives: dict[str, list[int]] = collections.defaultdict(list)
    for run in runs:
        per_group: collections.Counter[str] = collections.Counter()
        for name, self_us, cumulative in run:
            top = name.split(".")[0]
            per_group[name if top == "openai_vertex" else top] += self_us
            selfs[name].append(self_us)
            cumulatives[name].append(cumulative)
        for group, value in per_group.items():
            groups[group].append(value)
    print("  by package (self time of its modules; openai_vertex by module):")
    for group, values in sorted(groups.items(), key=lambda item: -statistics.median(item[1]))[:18]:
        print(f"    {statistics.median(values) / 1000:6.1f} ms  {group}")
    print("  slowest single imports (cumulative: the module and everything it imported first):")
    heavy = sorted(cumulatives.items(), key=lambda item: -statistics.median(item[1]))
    for name, values in heavy[:15]:
        print(f"    {statistics.median(values) / 1000:6.1f} ms  {name} (self {statistics.median(selfs[name]) / 1000:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--profiles", type=int, default=5, help="python -X importtime runs for the attribution")
    args = parser.parse_args()
    # Bytecode first, as an installed wheel has it: an editable checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise compile openai_vertex's sources in every interpreter (openai's come precompiled).
    compileall.compile_dir(str(Path(openai_vertex.__file__).parent), quiet=1)
    whole = interleaved({
        "openai": lambda: process_time("import openai"),
        "openai + openai_vertex": lambda: process_time("import openai, openai_vertex"),
    }, args.rounds)
    # httpx beside openai_vertex: openai >= 3 runs on httpx2, so httpx is imported for openai_vertex alone.
    openai_seconds: list[float] = []
    measured = interleaved({"openai_vertex": lambda: in_process("openai_vertex", openai_seconds),
                            "httpx": lambda: in_process("httpx", openai_seconds)}, args.rounds)
    difference = paired_difference(whole, "openai + openai_vertex", "openai") * 1000
    increment = median(measured["openai_vertex"]) * 1000
    print(f"{sys.version.split()[0]}, median of {args.rounds} fresh interpreters each, bytecode compiled; "
          "target <= 30 ms")
    print(f"  whole process: import openai {median(whole['openai']) * 1000:.0f} ms, "
          f"import openai, openai_vertex {median(whole['openai + openai_vertex']) * 1000:.0f} ms; "
          f"difference (paired) {difference:.1f} ms")
    print(f"  in process: import openai {median(openai_seconds) * 1000:.0f} ms, then "
          f"import openai_vertex {increment:.1f} ms -> "
          f"{'ok' if increment <= 30 else 'MISSED'}; of which httpx, imported alone the same way: "
          f"{median(measured['httpx']) * 1000:.1f} ms")
    attribution(args.profiles)


if __name__ == "__main__":
    main()
