"""Where buildings may go: footprints, build range, and an automatic placer.

The placer is shared by typed orders ("build a turret north"), the enemy AI
and tests, so that all of them follow the same rules as the mouse. Left to
itself it puts defences between the base and the enemy, and refineries by the
ore on the side of the base away from the enemy. Sides ("north", "à l'est")
are sides of the player's own base, seen from its HQ.
"""

from __future__ import annotations

import math

from game.rules import BUILDING_TYPES, ECONOMY, TICKS_PER_SECOND, BuildingType
from game.world import Building, World

# Unit vectors of the sides of a base (y grows southwards on the map).
_D = math.sqrt(0.5)
SIDES: dict[str, tuple[float, float]] = {
    "north": (0.0, -1.0), "northeast": (_D, -_D), "east": (1.0, 0.0),
    "southeast": (_D, _D), "south": (0.0, 1.0), "southwest": (-_D, _D),
    "west": (-1.0, 0.0), "northwest": (-_D, -_D),
}
SIDE_DISTANCE = 6  # tiles from the HQ's centre to the point a side names
DEFENCE_DISTANCE = 5  # how far out towards the enemy turrets go by default
RAID_MEMORY = 3 * 60 * TICKS_PER_SECOND  # a raid on the base sets where defences go this long
CENTRE_RADIUS = 1.5  # a building this close to the HQ's centre is "in the middle"
ENEMY_SIDE_PENALTY = 0.6  # per tile an ore field lies towards the enemy


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
    elif near is None and btype.weapon is not None:
        near = defence_point(world, owner)
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
    """Refineries go between the base and the nearest tile of a nearby ore field,
    preferring fields that do not lie towards the enemy."""
    bx, by = base_center(world, owner)
    tiles = world.resource_tiles()
    if not tiles:
        return None
    ux, uy = _towards_enemy(world, owner)

    def closeness(t: tuple[int, int]) -> tuple[int, tuple[float, float]]:
        return ((t[0] - bx) ** 2 + (t[1] - by) ** 2,
                world.mirror_key(owner, t[0] + 0.5, t[1] + 0.5))

    def risk(t: tuple[int, int]) -> float:
        dx, dy = t[0] - bx, t[1] - by
        exposure = max(0.0, dx * ux + dy * uy)  # how far towards the enemy it lies
        return math.hypot(dx, dy) + ENEMY_SIDE_PENALTY * exposure

    entries = [min(field, key=closeness) for field in _fields(tiles)]
    ox, oy = min(entries, key=lambda t: (risk(t), closeness(t)))
    return (bx + ox) // 2, (by + oy) // 2


def _fields(tiles: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Resource tiles grouped into fields (touching tiles, diagonals included)."""
    left = set(tiles)
    fields = []
    for start in tiles:
        if start not in left:
            continue
        left.discard(start)
        field, todo = [start], [start]
        while todo:
            x, y = todo.pop()
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    n = (x + dx, y + dy)
                    if n in left:
                        left.discard(n)
                        field.append(n)
                        todo.append(n)
        fields.append(field)
    return fields


def _towards_enemy(world: World, owner: int) -> tuple[float, float]:
    """Unit vector from the base to the nearest enemy start (the likely threat)."""
    ax, ay = _anchor_point(world, owner)
    enemies = [p.start for p in world.players if p.id != owner and not p.defeated]
    if not enemies:
        return 0.0, 0.0
    ex, ey = min(enemies, key=lambda s: ((s[0] - ax) ** 2 + (s[1] - ay) ** 2, s))
    dx, dy = ex + 0.5 - ax, ey + 0.5 - ay
    d = math.hypot(dx, dy) or 1.0
    return dx / d, dy / d


def defence_point(world: World, owner: int) -> tuple[int, int]:
    """Where a defence goes by default: out from the HQ, facing the side the base was
    last raided from, else the enemy's start."""
    ax, ay = _anchor_point(world, owner)
    ux, uy = _towards_enemy(world, owner)
    raid = world.players[owner].raided_from
    if raid is not None and world.tick - raid[2] <= RAID_MEMORY:
        dx, dy = raid[0] - ax, raid[1] - ay
        d = math.hypot(dx, dy)
        if d > CENTRE_RADIUS:
            ux, uy = dx / d, dy / d
    return _clamped(world, ax, ay, ux * DEFENCE_DISTANCE, uy * DEFENCE_DISTANCE)


def side_point(world: World, owner: int, side: str) -> tuple[int, int]:
    """The point a side of the player's base names ("north": north of its HQ)."""
    ax, ay = _anchor_point(world, owner)
    if side not in SIDES:  # "center"
        return int(ax), int(ay)
    ux, uy = SIDES[side]
    return _clamped(world, ax, ay, ux * SIDE_DISTANCE, uy * SIDE_DISTANCE)


def _clamped(world: World, x: float, y: float, dx: float, dy: float) -> tuple[int, int]:
    tiles = world.tiles
    return (min(tiles.width - 1, max(0, int(x + dx))),
            min(tiles.height - 1, max(0, int(y + dy))))


def side_of_base(world: World, owner: int, x: float, y: float) -> str:
    """Which side of the player's base a point lies on (a SIDES key), or "center"."""
    ax, ay = _anchor_point(world, owner)
    dx, dy = x - ax, y - ay
    if math.hypot(dx, dy) <= CENTRE_RADIUS:
        return "center"
    return max(SIDES, key=lambda side: SIDES[side][0] * dx + SIDES[side][1] * dy)
