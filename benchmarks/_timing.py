"""Side-by-side timing shared by the benchmark scripts.

The machine these run on is shared and noisy, so no variant is ever timed alone: every round runs each
variant once, in an order that rotates from round to round (drift in machine load then hits all of them
alike), and results are medians over rounds, ratios being medians of the per-round ratios.
"""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable, Mapping, Sequence

Measure = Callable[[], float]
"""One run of a variant; returns the figure it measured (seconds, or any per-run quantity)."""


def interleaved(variants: Mapping[str, Measure], rounds: int, *, warmup: bool = True) -> dict[str, list[float]]:
    """Run every variant once per round, rotating the order; return each variant's figures by round."""
    names = list(variants)
    if warmup:
        for name in names:  # lazy imports, pydantic model building, first connections
            variants[name]()
    results: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()  # start each run with the same heap, so one run's garbage is not billed to the next
            results[name].append(variants[name]())
    return results


def sliced(variants: Mapping[str, Callable[[int], float]], rounds: int, per_round: int, slice_size: int) -> dict[str, list[float]]:
    """Like `interleaved`, for variants that run `n` operations and return the seconds they took.

    Each round runs `per_round` operations of every variant in slices of `slice_size`, alternating
    variants slice by slice, so that load bursts shorter than a round still hit all variants alike.
    Figures are seconds per operation.
    """
    names = list(variants)
    for name in names:
        variants[name](slice_size)
    results: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        gc.collect()
        totals = dict.fromkeys(names, 0.0)
        for index in range(max(1, per_round // slice_size)):
            shift = (number + index) % len(names)
            for name in names[shift:] + names[:shift]:
                totals[name] += variants[name](slice_size)
        for name in names:
            results[name].append(totals[name] / (max(1, per_round // slice_size) * slice_size))
    return results


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def paired_ratio(results: Mapping[str, Sequence[float]], numerator: str, denominator: str) -> float:
    """Median over rounds of numerator / denominator, each pair taken from the same round."""
    return statistics.median(n / d for n, d in zip(results[numerator], results[denominator]))


def paired_difference(results: Mapping[str, Sequence[float]], minuend: str, subtrahend: str) -> float:
    """Median over rounds of minuend - subtrahend, each pair taken from the same round."""
    return statistics.median(m - s for m, s in zip(results[minuend], results[subtrahend]))
