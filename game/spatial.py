"""A bucket grid of units, rebuilt every tick, for "who is near here" queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.world import Unit

BUCKET = 6  # tiles per bucket side


class SpatialIndex:
    def __init__(self, width: int, height: int) -> None:
        self.bw = width // BUCKET + 1
        self.bh = height // BUCKET + 1
        self.buckets: list[list[Unit]] = [[] for _ in range(self.bw * self.bh)]

    def rebuild(self, units: Iterable[Unit]) -> None:
        buckets = self.buckets
        for b in buckets:
            b.clear()
        bw = self.bw
        for u in units:
            buckets[int(u.y) // BUCKET * bw + int(u.x) // BUCKET].append(u)

    def near(self, x: float, y: float, radius: float) -> Iterator[Unit]:
        """Units in the buckets overlapping the square around (x, y); callers
        still check the exact distance."""
        bw, bh = self.bw, self.bh
        x0 = max(0, int(x - radius) // BUCKET)
        x1 = min(bw - 1, int(x + radius) // BUCKET)
        y0 = max(0, int(y - radius) // BUCKET)
        y1 = min(bh - 1, int(y + radius) // BUCKET)
        buckets = self.buckets
        for by in range(y0, y1 + 1):
            row = by * bw
            for bx in range(x0, x1 + 1):
                yield from buckets[row + bx]
