"""Seeded map generation: a river with fords, lakes, cliffs, ore and gem fields.

The map is point-symmetric (rotated 180 degrees around its centre) so that
both bases get the same terrain: the player starts in the south-west corner,
the enemy in the north-east one.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

from game.rules import ECONOMY
from game.terrain import GEMS, GRASS, ORE, ROCK, SAND, WATER, TileMap

HQ_SIZE = 3


@dataclass(frozen=True)
class MapLayout:
    tiles: TileMap
    hq_cells: tuple[tuple[int, int], tuple[int, int]]  # top-left of each player's HQ


class _Canvas:
    """Terrain being drawn; every stroke is mirrored to keep the map fair."""

    def __init__(self, width: int, height: int) -> None:
        self.w, self.h = width, height
        self.terrain = bytearray(width * height)
        self.kind = bytearray(width * height)
        self.amount = bytearray(width * height)

    def mirror(self, x: int, y: int) -> tuple[int, int]:
        return self.w - 1 - x, self.h - 1 - y

    def inside(self, x: int, y: int) -> bool:
        return 0 <= x < self.w and 0 <= y < self.h

    def paint(self, x: int, y: int, terrain: int) -> None:
        for px, py in ((x, y), self.mirror(x, y)):
            if self.inside(px, py):
                i = py * self.w + px
                self.terrain[i] = terrain
                if terrain != GRASS and terrain != SAND:
                    self.kind[i] = self.amount[i] = 0

    def seed_resource(self, x: int, y: int, kind: int, amount: int) -> None:
        for px, py in ((x, y), self.mirror(x, y)):
            if self.inside(px, py) and self.terrain[py * self.w + px] == GRASS:
                i = py * self.w + px
                self.kind[i], self.amount[i] = kind, amount

    def blob(self, rng: random.Random, cx: int, cy: int, radius: float, terrain: int) -> None:
        r = int(radius) + 2
        for y in range(cy - r, cy + r + 1):
            for x in range(cx - r, cx + r + 1):
                wobble = rng.uniform(-0.9, 0.9)
                if (x - cx) ** 2 + (y - cy) ** 2 <= (radius + wobble) ** 2:
                    self.paint(x, y, terrain)


def _river(canvas: _Canvas, rng: random.Random) -> None:
    """A winding river along the NW-SE diagonal, crossed by three sandy fords."""
    size = canvas.w
    half = size // 2
    fords = (int(size * 0.28), half)
    offset, drift = 0.0, 0.0
    t = -3.0
    while t <= half + 1:
        drift = max(-0.35, min(0.35, drift + rng.uniform(-0.08, 0.08)))
        offset = max(-7.0, min(7.0, offset + drift))
        cx, cy = t + offset, t - offset
        near_ford = any(abs(t - f) <= 2.0 for f in fords)
        radius = 1.5
        for y in range(int(cy - radius) - 1, int(cy + radius) + 2):
            for x in range(int(cx - radius) - 1, int(cx + radius) + 2):
                if (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius * radius:
                    canvas.paint(x, y, SAND if near_ford else WATER)
        t += 0.5


def _sand_shores(canvas: _Canvas) -> None:
    w, h, terrain = canvas.w, canvas.h, canvas.terrain
    shore = []
    for y in range(h):
        for x in range(w):
            if terrain[y * w + x] != GRASS:
                continue
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                nx, ny = x + dx, y + dy
                if canvas.inside(nx, ny) and terrain[ny * w + nx] == WATER:
                    shore.append(y * w + x)
                    break
    for i in shore:
        terrain[i] = SAND


def _field(canvas: _Canvas, rng: random.Random, cx: int, cy: int, kind: int, tiles: int) -> None:
    """A clump of ore or gems grown from (cx, cy)."""
    amount = ECONOMY.ore_per_tile if kind == ORE else ECONOMY.gems_per_tile
    cells = [(cx, cy)]
    seen = {(cx, cy)}
    placed = 0
    while cells and placed < tiles:
        x, y = cells.pop(rng.randrange(len(cells)))
        if canvas.terrain[y * canvas.w + x] != GRASS:
            continue
        canvas.seed_resource(x, y, kind, amount - rng.randrange(3))
        placed += 1
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1)):
            n = (x + dx, y + dy)
            if n not in seen and canvas.inside(*n):
                seen.add(n)
                cells.append(n)


def _clear(canvas: _Canvas, cx: int, cy: int, radius: int) -> None:
    for y in range(cy - radius, cy + radius + 1):
        for x in range(cx - radius, cx + radius + 1):
            if (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius:
                canvas.paint(x, y, GRASS)


def _reachable(canvas: _Canvas, start: tuple[int, int]) -> bytearray:
    w, h, terrain = canvas.w, canvas.h, canvas.terrain
    seen = bytearray(w * h)
    queue = deque([start])
    seen[start[1] * w + start[0]] = 1
    while queue:
        x, y = queue.popleft()
        for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if 0 <= nx < w and 0 <= ny < h:
                i = ny * w + nx
                if not seen[i] and terrain[i] in (GRASS, SAND):
                    seen[i] = 1
                    queue.append((nx, ny))
    return seen


def _connect(canvas: _Canvas, a: tuple[int, int], b: tuple[int, int]) -> None:
    """Carve a sand causeway from a to b if the two bases are cut off."""
    if _reachable(canvas, a)[b[1] * canvas.w + b[0]]:
        return
    steps = max(abs(b[0] - a[0]), abs(b[1] - a[1]))
    for s in range(steps + 1):
        x = a[0] + (b[0] - a[0]) * s // steps
        y = a[1] + (b[1] - a[1]) * s // steps
        for dx in (0, 1):
            if canvas.terrain[y * canvas.w + x + dx] in (WATER, ROCK):
                canvas.paint(x + dx, y, SAND)


def generate(seed: int, size: int = 96) -> MapLayout:
    if size < 64:
        raise ValueError("maps are at least 64x64 tiles")
    rng = random.Random(seed)
    canvas = _Canvas(size, size)
    _river(canvas, rng)
    half = size // 2
    # Lakes and cliffs on the player's half (below the diagonal), mirrored.
    for _ in range(3):
        cx, cy = rng.randrange(6, half), rng.randrange(half + 4, size - 20)
        canvas.blob(rng, cx, cy, rng.uniform(2.0, 4.0), WATER)
    for _ in range(7):
        x, y = rng.randrange(4, size - 4), rng.randrange(half, size - 4)
        for _ in range(rng.randrange(6, 16)):
            canvas.paint(x, y, ROCK)
            x += rng.choice((-1, 0, 1))
            y += rng.choice((-1, 0, 1))
    _sand_shores(canvas)

    hq = (8, size - 12)
    hq_center = (hq[0] + 1, hq[1] + 1)
    _clear(canvas, hq_center[0], hq_center[1], 10)
    # Home ore: two fields a short drive from the HQ, then contested fields.
    _field(canvas, rng, hq_center[0] + 9, hq_center[1] + 1, ORE, 18)
    _field(canvas, rng, hq_center[0] + 1, hq_center[1] - 10, ORE, 16)
    _field(canvas, rng, int(size * 0.30), int(size * 0.52), ORE, 22)
    _field(canvas, rng, int(size * 0.55), int(size * 0.80), ORE, 18)
    _field(canvas, rng, int(size * 0.20), int(size * 0.58), GEMS, 8)
    _field(canvas, rng, int(size * 0.52), int(size * 0.95), GEMS, 7)
    enemy_hq = (size - 1 - (hq[0] + HQ_SIZE - 1), size - 1 - (hq[1] + HQ_SIZE - 1))
    _connect(canvas, hq_center, (enemy_hq[0] + 1, enemy_hq[1] + 1))
    _drop_unreachable_resources(canvas, hq_center)

    shade = bytearray(rng.randrange(256) for _ in range(size * size))
    tiles = TileMap(size, size, canvas.terrain, canvas.kind, canvas.amount, shade)
    return MapLayout(tiles, (hq, enemy_hq))


def _drop_unreachable_resources(canvas: _Canvas, base: tuple[int, int]) -> None:
    """Ore a harvester can never reach would only confuse players and bots."""
    reach = _reachable(canvas, base)
    w = canvas.w
    for i, amount in enumerate(canvas.amount):
        if amount == 0:
            continue
        x, y = i % w, i // w
        near = any(
            0 <= x + dx < w and 0 <= y + dy < canvas.h and reach[(y + dy) * w + x + dx]
            for dx, dy in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1))
        )
        if not near:
            canvas.kind[i] = canvas.amount[i] = 0
