"""Fog of war: what each player sees now, has explored, and remembers.

Visibility is recomputed a few times per second by stamping each friendly
unit's and building's sight circle into a bytearray, one slice per row, so the
work is done by C slice assignment rather than per-tile Python code.
"""

from __future__ import annotations

import math
from functools import lru_cache

from game.world import World

FOG_PERIOD = 4  # ticks between visibility updates


@lru_cache(maxsize=None)
def _half_widths(radius: int) -> tuple[int, ...]:
    """For each row offset -r..r, how far the sight circle extends sideways."""
    return tuple(int(math.sqrt(max(0.0, (radius + 0.5) ** 2 - dy * dy)))
                 for dy in range(-radius, radius + 1))


def _stamp(vis: bytearray, explored: bytearray, w: int, h: int, cx: int, cy: int,
           radius: int, ones: bytes) -> None:
    for k, half in enumerate(_half_widths(radius)):
        y = cy - radius + k
        if 0 <= y < h:
            x0 = max(0, cx - half)
            x1 = min(w - 1, cx + half)
            row = y * w
            span = ones[: x1 - x0 + 1]
            vis[row + x0: row + x1 + 1] = span
            explored[row + x0: row + x1 + 1] = span


def update_visibility(world: World, player_id: int) -> None:
    tiles = world.tiles
    w, h = tiles.width, tiles.height
    player = world.players[player_id]
    vis = player.visible
    vis[:] = bytes(len(vis))
    ones = b"\x01" * w
    for u in world.units.values():
        if u.owner == player_id:
            _stamp(vis, player.explored, w, h, int(u.x), int(u.y), u.type.sight, ones)
    for b in world.buildings.values():
        if b.owner == player_id:
            cx, cy = b.center
            _stamp(vis, player.explored, w, h, int(cx), int(cy), b.type.sight, ones)
    _remember_buildings(world, player_id)


def _remember_buildings(world: World, player_id: int) -> None:
    """Enemy buildings once seen stay known (drawn under fog, targetable)."""
    known = world.players[player_id].known_buildings
    for b in world.buildings.values():
        if b.owner != player_id and b.id not in known and world.building_visible(player_id, b):
            known[b.id] = (b.type.name, b.x, b.y)


def reveal_all(world: World, player_id: int) -> None:
    """For spectating and tests: the whole map explored and visible."""
    player = world.players[player_id]
    n = len(player.visible)
    player.visible[:] = b"\x01" * n
    player.explored[:] = b"\x01" * n
    _remember_buildings(world, player_id)
