"""Fog of war: what each player sees now, has explored, and remembers.

Visibility is recomputed a few times per second by stamping each friendly
unit's and building's sight circle into a bytearray, one slice per row, so the
work is done by C slice assignment rather than per-tile Python code.
"""

from __future__ import annotations

import math
from functools import cache

from game.world import World

FOG_PERIOD = 4  # ticks between visibility updates


@cache
def _half_widths(radius: int) -> tuple[int, ...]:
    """For each row offset -r..r, how far the sight circle extends sideways."""
    return tuple(int(math.sqrt(max(0.0, (radius + 0.5) ** 2 - dy * dy)))
                 for dy in range(-radius, radius + 1))


def _stamp(vis: bytearray, w: int, h: int, cx: int, cy: int, radius: int, ones: bytes) -> None:
    y = cy - radius
    for half in _half_widths(radius):
        if 0 <= y < h:
            x0 = cx - half if cx >= half else 0
            x1 = cx + half if cx + half < w else w - 1
            row = y * w
            vis[row + x0: row + x1 + 1] = ones[: x1 - x0 + 1]
        y += 1


def update_visibility(world: World, player_id: int) -> None:
    tiles = world.tiles
    w, h = tiles.width, tiles.height
    player = world.players[player_id]
    vis = player.visible
    vis[:] = bytes(len(vis))
    ones = b"\x01" * w
    stamped = set()  # units standing together see the same circle: stamp it once
    for u in world.units.values():
        if u.owner == player_id:
            key = (int(u.x), int(u.y), u.type.sight)
            if key not in stamped:
                stamped.add(key)
                _stamp(vis, w, h, key[0], key[1], key[2], ones)
    for b in world.buildings.values():
        if b.owner == player_id:
            cx, cy = b.center
            _stamp(vis, w, h, int(cx), int(cy), b.type.sight, ones)
    # explored |= visible, done on whole-map integers instead of per tile.
    merged = int.from_bytes(player.explored, "little") | int.from_bytes(vis, "little")
    player.explored[:] = merged.to_bytes(len(vis), "little")
    _remember_buildings(world, player_id)


def _remember_buildings(world: World, player_id: int) -> None:
    """Enemy buildings once seen stay known (drawn under fog, targetable) until
    their ground is seen again without them, as in Red Alert."""
    player = world.players[player_id]
    known = player.known_buildings
    for b in world.buildings.values():
        if b.owner != player_id and b.id not in known and world.building_visible(player_id, b):
            known[b.id] = (b.type.name, b.x, b.y)
    w = world.tiles.width
    gone = [bid for bid, (_, x, y) in known.items()
            if bid not in world.buildings and player.visible[y * w + x]]
    for bid in gone:
        del known[bid]


def reveal_all(world: World, player_id: int) -> None:
    """For spectating and tests: the whole map explored and visible."""
    player = world.players[player_id]
    n = len(player.visible)
    player.visible[:] = b"\x01" * n
    player.explored[:] = b"\x01" * n
    _remember_buildings(world, player_id)
