"""Where buildings may go: footprints, build range, and an automatic placer.

The placer is shared by typed orders ("build a turret north"), the enemy AI
and tests, so that all of them follow the same rules as the mouse.
"""

from __future__ import annotations

from game.rules import BUILDING_TYPES, ECONOMY, BuildingType
from game.world import Building, World


def footprint(btype: BuildingType, x: int, y: int) -> list[tuple[int, int]]:
    w, h = btype.size
    return [(x + dx, y + dy) for dy in range(h) for dx in range(w)]


def cell_problems(world: World, btype: BuildingType, x: int, y: int
                  ) -> list[tuple[tuple[int, int], bool]]:
    """Each footprint cell with whether it is fine (for the ghost preview)."""
    tiles = world.tiles
    occupied = _ground_unit_cells(world)
    return [((cx, cy), tiles.buildable(cx, cy) and (cx, cy) not in occupied)
            for cx, cy in footprint(btype, x, y)]


def placement_error(world: World, owner: int, name: str, x: int, y: int) -> str | None:
    """None if the building fits here, else an i18n message key."""
    btype = BUILDING_TYPES[name]
    if not all(ok for _, ok in cell_problems(world, btype, x, y)):
        return "cannot_build_there"
    if not in_build_range(world, owner, btype, x, y):
        return "too_far_from_base"
    return None


def in_build_range(world: World, owner: int, btype: BuildingType, x: int, y: int) -> bool:
    w, h = btype.size
    r = ECONOMY.build_radius
    for b in world.buildings_of(owner):
        bw, bh = b.type.size
        gap_x = max(b.x - (x + w - 1), x - (b.x + bw - 1), 0)
        gap_y = max(b.y - (y + h - 1), y - (b.y + bh - 1), 0)
        if max(gap_x, gap_y) <= r:
            return True
    return False


def _ground_unit_cells(world: World) -> set[tuple[int, int]]:
    cells = {u.tile for u in world.units.values() if not u.type.flying}
    cells.update(world.reserved)
    return cells


def _has_margin(world: World, btype: BuildingType, x: int, y: int) -> bool:
    """Keep a one-tile lane around auto-placed buildings so bases never seal paths."""
    w, h = btype.size
    tiles = world.tiles
    for cy in range(y - 1, y + h + 1):
        for cx in range(x - 1, x + w + 1):
            if tiles.in_bounds(cx, cy) and tiles.index(cx, cy) in tiles.building_at:
                return False
    return True


def _anchor_point(world: World, owner: int) -> tuple[float, float]:
    """The exact centre of the HQ (or of any building left, or the start)."""
    hq = next(world.buildings_of(owner, "hq"), None)
    anchor: Building | None = hq or next(world.buildings_of(owner), None)
    if anchor is None:
        sx, sy = world.players[owner].start
        return sx + 0.5, sy + 0.5
    return anchor.center


def base_center(world: World, owner: int) -> tuple[int, int]:
    """The tile at the heart of the base."""
    x, y = _anchor_point(world, owner)
    return int(x), int(y)


def find_placement(world: World, owner: int, name: str,
                   near: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The valid spot closest to `near` (default: the base centre), or None."""
    btype = BUILDING_TYPES[name]
    if near is None and name == "refinery":
        near = _ore_near_base(world, owner)
    if near is not None:
        ax, ay = near[0] + 0.5, near[1] + 0.5
    else:
        ax, ay = _anchor_point(world, owner)
    w, h = btype.size
    occupied = _ground_unit_cells(world)
    tiles = world.tiles
    best: tuple[int, int] | None = None
    best_d: tuple[float, tuple[float, float]] = (float("inf"), (0.0, 0.0))
    for b in world.buildings_of(owner):
        r = ECONOMY.build_radius
        for y in range(b.y - r - h + 1, b.y + b.type.size[1] + r):
            for x in range(b.x - r - w + 1, b.x + b.type.size[0] + r):
                cx, cy = x + w / 2, y + h / 2
                d = ((cx - ax) ** 2 + (cy - ay) ** 2, world.mirror_key(owner, cx, cy))
                if d >= best_d:
                    continue
                cells = footprint(btype, x, y)
                if not all(tiles.buildable(cx, cy) and (cx, cy) not in occupied
                           for cx, cy in cells):
                    continue
                if not _has_margin(world, btype, x, y):
                    continue
                best, best_d = (x, y), d
    return best


def _ore_near_base(world: World, owner: int) -> tuple[int, int] | None:
    """Refineries go between the base and its closest ore."""
    bx, by = base_center(world, owner)
    fields = world.resource_tiles()
    if not fields:
        return None
    ox, oy = min(fields, key=lambda t: ((t[0] - bx) ** 2 + (t[1] - by) ** 2,
                                        world.mirror_key(owner, t[0] + 0.5, t[1] + 0.5)))
    return (bx + ox) // 2, (by + oy) // 2
