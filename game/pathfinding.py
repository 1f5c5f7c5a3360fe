"""A* on the tile grid (8 directions, no corner cutting) and free-cell searches.

Weighted A* (heuristic x1.25) keeps searches short on open terrain at the cost
of paths at most 25% longer than optimal; an expansion cap bounds the worst
case (unreachable goals) and returns the path to the closest cell reached.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable
from functools import lru_cache

from game.terrain import TileMap

STRAIGHT, DIAGONAL = 10, 14
HEURISTIC_WEIGHT = 1.25
MAX_EXPANSIONS = 6000


def _octile(dx: int, dy: int) -> int:
    dx, dy = abs(dx), abs(dy)
    return STRAIGHT * max(dx, dy) + (DIAGONAL - STRAIGHT) * min(dx, dy)


def find_path(tiles: TileMap, start: tuple[int, int], goal: tuple[int, int],
              max_expansions: int = MAX_EXPANSIONS) -> list[tuple[int, int]]:
    """Cells from start (excluded) to goal (included); [] when already there.

    If the goal is blocked or unreachable, the path leads to the reachable
    cell closest to it.
    """
    goal = reachable_goal(tiles, start, goal)
    if start == goal:
        return []
    w, h = tiles.width, tiles.height
    blocked = tiles.blocked
    sx, sy = start
    gx, gy = goal
    start_i, goal_i = sy * w + sx, gy * w + gx
    came: dict[int, int] = {start_i: -1}
    cost: dict[int, int] = {start_i: 0}
    best_i, best_h = start_i, _octile(gx - sx, gy - sy)
    heap = [(0, start_i)]
    expansions = 0
    while heap:
        _, i = heapq.heappop(heap)
        if i == goal_i:
            best_i = i
            break
        expansions += 1
        if expansions > max_expansions:
            break
        y, x = divmod(i, w)
        g = cost[i]
        for dx, dy, step in _NEIGHBOURS:
            nx, ny = x + dx, y + dy
            if not (0 <= nx < w and 0 <= ny < h):
                continue
            ni = ny * w + nx
            if blocked[ni]:
                continue
            if dx and dy and (blocked[y * w + nx] or blocked[ny * w + x]):
                continue  # no squeezing between two blocked corners
            ng = g + step
            if ng < cost.get(ni, 1 << 30):
                cost[ni] = ng
                came[ni] = i
                ax = gx - nx if gx > nx else nx - gx
                ay = gy - ny if gy > ny else ny - gy
                hn = 10 * ax + 4 * ay if ax > ay else 10 * ay + 4 * ax  # octile, inlined
                if hn < best_h:
                    best_i, best_h = ni, hn
                heapq.heappush(heap, (ng + int(hn * HEURISTIC_WEIGHT), ni))
    return _walk_back(came, best_i, w)


def reachable_goal(tiles: TileMap, start: tuple[int, int], goal: tuple[int, int]
                   ) -> tuple[int, int]:
    """The goal itself, or the nearest open cell on the start's side of the water.

    Without this, a goal in a lake, on a building or across the river would make
    A* search the whole map before giving up.
    """
    w = tiles.width
    home = tiles.region[start[1] * w + start[0]]
    gi = goal[1] * w + goal[0]
    if home and tiles.region[gi] == home and not tiles.blocked[gi]:
        return goal
    return _nearest_open(tiles, goal, home, tiles.version) or start


@lru_cache(maxsize=512)
def _nearest_open(tiles: TileMap, goal: tuple[int, int], region: int, version: int
                  ) -> tuple[int, int] | None:
    """The closest open cell of `region` to `goal`, searched ring by ring.

    Cached per map version: many units chasing one target over water ask the
    same question every few ticks.
    """
    w, h = tiles.width, tiles.height
    gx, gy = goal
    blocked, regions = tiles.blocked, tiles.region
    for r in range(max(w, h)):
        best, best_d = None, 1 << 30
        for x, y in _ring(gx, gy, r):
            if 0 <= x < w and 0 <= y < h:
                i = y * w + x
                if regions[i] == region and not blocked[i]:
                    d = (x - gx) ** 2 + (y - gy) ** 2
                    if d < best_d:
                        best, best_d = (x, y), d
        if best is not None:
            return best
    return None


def _ring(cx: int, cy: int, r: int) -> list[tuple[int, int]]:
    """The cells at Chebyshev distance exactly r from (cx, cy)."""
    if r == 0:
        return [(cx, cy)]
    cells = [(cx + dx, cy - r) for dx in range(-r, r + 1)]
    cells += [(cx + dx, cy + r) for dx in range(-r, r + 1)]
    cells += [(cx - r, cy + dy) for dy in range(-r + 1, r)]
    cells += [(cx + r, cy + dy) for dy in range(-r + 1, r)]
    return cells


def straight_line_clear(tiles: TileMap, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """True if the segment a-b crosses no blocked tile (sampled every 0.4 tiles)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    steps = int(max(abs(dx), abs(dy)) / 0.4) + 1
    blocked, w = tiles.blocked, tiles.width
    for s in range(1, steps + 1):
        x = a[0] + dx * s / steps
        y = a[1] + dy * s / steps
        if blocked[int(y) * w + int(x)]:
            return False
    return True


_NEIGHBOURS = (
    (1, 0, STRAIGHT), (-1, 0, STRAIGHT), (0, 1, STRAIGHT), (0, -1, STRAIGHT),
    (1, 1, DIAGONAL), (1, -1, DIAGONAL), (-1, 1, DIAGONAL), (-1, -1, DIAGONAL),
)


def _walk_back(came: dict[int, int], end: int, w: int) -> list[tuple[int, int]]:
    path = []
    i = end
    while came.get(i, -1) != -1:
        path.append((i % w, i // w))
        i = came[i]
    path.reverse()
    return path


def nearest_free_cells(tiles: TileMap, origin: tuple[int, int], count: int,
                       is_free: Callable[[int, int], bool], limit: int = 400
                       ) -> list[tuple[int, int]]:
    """Up to `count` cells around origin (breadth first) for which is_free holds.

    Used to spread a group over distinct cells and to find a spawn spot.
    Only cells reachable over passable ground from the search front count.
    """
    found: list[tuple[int, int]] = []
    seen = {origin}
    queue = deque([origin])
    visited = 0
    while queue and len(found) < count and visited < limit:
        x, y = queue.popleft()
        visited += 1
        if tiles.passable(x, y) and is_free(x, y):
            found.append((x, y))
        for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1),
                       (x + 1, y + 1), (x - 1, y - 1), (x + 1, y - 1), (x - 1, y + 1)):
            if (nx, ny) not in seen and tiles.in_bounds(nx, ny):
                seen.add((nx, ny))
                queue.append((nx, ny))
    return found
