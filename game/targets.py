"""What the new kinds of typed targets and subject filters point at, in the game.

Typed orders can name places the map has no name for: a side of a place ("north
of my base", "near the turrets"), the map point under the mouse ("here"), the
fight ("the attackers", "where we are attacked"), and they can narrow their
subjects ("idle units", "damaged tanks", "the tanks in the north"). Everything
here sees only what the player sees: enemies through the fog of war, as the
advisor and the mouse do.
"""

from __future__ import annotations

from game import combat, placement
from game.rules import TICKS_PER_SECOND
from game.world import Building, Unit, World

Point = tuple[float, float]

ATTACK_MEMORY = 15 * TICKS_PER_SECOND  # how long a hit on us names its shooter an attacker
ALERT_MEMORY = 60 * TICKS_PER_SECOND  # how long a hit on us makes its place "the alert"
SIDE_DISTANCE = {"my_base": 8, "enemy_base": 8}  # tiles from a place to its sides
BUILDING_SIDE_DISTANCE = 4  # tiles from anything else (a building, a region) to its sides
AREA_RADIUS = 12  # tiles around a base or the mouse that count as "there"


def beside(world: World, point: Point, side: str, anchor: str) -> tuple[int, int]:
    """The cell on `side` of a point ("near": the point itself)."""
    if side == "near":
        return _cell(world, point)
    dx, dy = placement.SIDES[side]
    distance = SIDE_DISTANCE.get(anchor, BUILDING_SIDE_DISTANCE)
    return _cell(world, (point[0] + dx * distance, point[1] + dy * distance))


def _cell(world: World, point: Point) -> tuple[int, int]:
    tiles = world.tiles
    return (min(tiles.width - 1, max(0, int(point[0]))),
            min(tiles.height - 1, max(0, int(point[1]))))


def nearest_own_building(world: World, player: int, kind: str, origin: Point
                         ) -> Building | None:
    """Our nearest building of a type (ties: the oldest)."""
    mine = list(world.buildings_of(player, kind))
    if not mine:
        return None
    ox, oy = origin
    return min(mine, key=lambda b: ((b.center[0] - ox) ** 2 + (b.center[1] - oy) ** 2, b.id))


def enemy_at(world: World, player: int, point: Point) -> Unit | Building | None:
    """The enemy under the mouse, as a right click would find it: a visible unit within
    a tile of the point, else a building seen or remembered on that cell."""
    x, y = point
    near = [u for u in world.units.values() if u.owner != player
            and (u.x - x) ** 2 + (u.y - y) ** 2 <= 1.0 and world.is_visible(player, u.x, u.y)]
    if near:
        return min(near, key=lambda u: ((u.x - x) ** 2 + (u.y - y) ** 2, u.id))
    cell = _cell(world, point)
    bid = world.tiles.building_at.get(world.tiles.index(*cell))
    b = world.buildings.get(bid) if bid is not None else None
    if b is not None and b.owner != player and (
            b.id in world.players[player].known_buildings or world.building_visible(player, b)):
        return b
    return None


def attackers(world: World, player: int) -> list[Unit | Building]:
    """Enemies the player can see that are shooting at its units or buildings now, or
    that hit one of its units in the last ATTACK_MEMORY ticks."""
    mine = {u.id for u in world.units.values() if u.owner == player}
    mine.update(b.id for b in world.buildings.values() if b.owner == player)
    found: dict[int, Unit | Building] = {}
    everyone: list[Unit | Building] = [*world.units.values(), *world.buildings.values()]
    for enemy in everyone:
        if enemy.owner != player and enemy.target_id in mine and enemy.hp > 0 \
                and combat.target_visible(world, player, enemy):
            found[enemy.id] = enemy
    for u in world.units.values():
        if u.owner != player or world.tick - u.attacked_tick > ATTACK_MEMORY:
            continue
        shooter = world.entity(u.last_attacker)
        if shooter is not None and shooter.owner != player and \
                combat.target_visible(world, player, shooter):
            found[shooter.id] = shooter
    return sorted(found.values(), key=lambda e: e.id)


def alert_point(world: World, player: int, last_alert: Point | None) -> Point | None:
    """Where we were last attacked: the UI's last alert (the Space key's) when it has
    one, else the most recently hit of our units and buildings, if that was lately."""
    if last_alert is not None:
        return last_alert
    since = max(0, world.tick - ALERT_MEMORY)  # attacked_tick starts below 0: never hit
    everyone: list[Unit | Building] = [*world.units.values(), *world.buildings.values()]
    hit = [e for e in everyone if e.owner == player and e.attacked_tick >= since]
    if not hit:
        return None
    latest = max(hit, key=lambda e: (e.attacked_tick, e.id))
    return combat.position(latest)


def in_area(world: World, player: int, area: str, x: float, y: float,
            here: Point | None) -> bool:
    """Whether a point lies in a named area: a third of the map for a region ("the
    tanks in the north"), around a base, or around the mouse."""
    w, h = world.tiles.width, world.tiles.height
    if area in ("my_base", "enemy_base", "here"):
        if area == "here":
            if here is None:
                return False
            cx, cy = here
        else:
            owner = player if area == "my_base" else 1 - player
            cx, cy = placement.base_center(world, owner) if area == "my_base" \
                else world.players[owner].start
        return (x - cx) ** 2 + (y - cy) ** 2 <= AREA_RADIUS ** 2
    column = 0 if x < w / 3 else 2 if x >= 2 * w / 3 else 1
    row = 0 if y < h / 3 else 2 if y >= 2 * h / 3 else 1
    if area == "north":
        return row == 0
    if area == "south":
        return row == 2
    if area == "west":
        return column == 0
    if area == "east":
        return column == 2
    return (column, row) == _AREA_CELLS[area]


_AREA_CELLS = {"center": (1, 1), "northwest": (0, 0), "northeast": (2, 0),
               "southwest": (0, 2), "southeast": (2, 2)}


def matches_filter(unit: Unit, kind: str) -> bool:
    """"idle": doing nothing (a harvester at work is busy); "damaged": below full health."""
    if kind == "idle":
        return unit.activity is None
    return unit.hp < unit.type.hp
