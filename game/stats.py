"""Percentiles for the benchmarks and the model client's latency figures."""

from __future__ import annotations

from collections.abc import Iterable


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(values: Iterable[float], digits: int = 1,
            quantiles: tuple[int, ...] = (50, 95)) -> dict[str, float]:
    """{"p50", "p95", ..., "max"} rounded; {} for no values."""
    ordered = sorted(values)
    if not ordered:
        return {}
    figures = {f"p{q}": round(percentile(ordered, q), digits) for q in quantiles}
    figures["max"] = round(ordered[-1], digits)
    return figures
