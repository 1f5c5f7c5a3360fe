"""What a unit is doing, one activity at a time (OpenRA's activities).

An activity is ticked once per simulation tick and returns True when it has
finished. Attack-moving and harvesting run child activities (a move, an
attack) so each piece of behaviour is written once.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from game import combat
from game.pathfinding import find_path, nearest_free_cells, straight_line_clear
from game.rules import ECONOMY
from game.terrain import GEMS, NO_RESOURCE
from game.world import Building, Unit, World

if TYPE_CHECKING:
    from game.spatial import SpatialIndex

SCAN_PERIOD = 8  # ticks between target scans of one unit
REPATH_PERIOD = 20  # ticks between path refreshes while chasing a moving target
DIRECT_CHASE = 8.0  # tiles within which a chase goes straight if nothing is in the way
REJOIN_DISTANCE = 4.0  # after a fight, an attack-move picks its old path up from this close


class Activity:
    def tick(self, world: World, unit: Unit, index: SpatialIndex) -> bool:
        raise NotImplementedError


def step_towards(unit: Unit, tx: float, ty: float) -> bool:
    """Move the unit up to its speed towards (tx, ty); True once it is there."""
    dx, dy = tx - unit.x, ty - unit.y
    dist = math.hypot(dx, dy)
    speed = unit.type.speed
    if dist <= speed:
        unit.x, unit.y = tx, ty
        return True
    unit.x += dx / dist * speed
    unit.y += dy / dist * speed
    unit.facing = math.atan2(dy, dx)
    return False


class Move(Activity):
    """Go to a cell along an A* path (helicopters fly straight)."""

    def __init__(self, goal: tuple[int, int], attack_move: bool = False) -> None:
        self.goal = goal
        self.attack_move = attack_move
        self.path: list[tuple[int, int]] | None = None
        self.path_version = -1
        self.child: Attack | None = None

    def tick(self, world: World, unit: Unit, index: SpatialIndex) -> bool:
        if self.child is not None:
            if not self.child.tick(world, unit, index):
                return False
            self.child = None
            self.path = _rejoin(world, unit, self.path)  # we wandered off while fighting
        scan_now = (world.tick + unit.scan_phase) % SCAN_PERIOD == 0
        if self.attack_move and unit.type.weapon and scan_now:
            target = combat.find_target(world, index, unit.owner, unit.x, unit.y,
                                        unit.type.weapon, unit.type.sight)
            if target is not None:
                self.child = Attack(target.id, auto=True, leash=None)
                return False
        gx, gy = self.goal[0] + 0.5, self.goal[1] + 0.5
        if unit.type.flying:
            return step_towards(unit, gx, gy)
        tiles = world.tiles
        if self.path is not None and self.path_version != tiles.version:
            # A building went up or came down somewhere: search again only if it is in the way.
            w, blocked = tiles.width, tiles.blocked
            if any(blocked[y * w + x] for x, y in self.path):
                self.path = None
            self.path_version = tiles.version
        if self.path is None:
            if not world.take_path_budget():
                return False
            self.path = find_path(tiles, unit.tile, self.goal)
            self.path_version = tiles.version
        if not self.path:
            # Already in the goal cell (or as close as the map allows): centre up.
            return step_towards(unit, unit.tile[0] + 0.5, unit.tile[1] + 0.5)
        nx, ny = self.path[0]
        if step_towards(unit, nx + 0.5, ny + 0.5):
            self.path.pop(0)
            if not self.path:
                return True
        return False


def _rejoin(world: World, unit: Unit, path: list[tuple[int, int]] | None
            ) -> list[tuple[int, int]] | None:
    """The rest of the old path from its nearest cell, if that cell is close and in
    plain sight; None means "search a new path"."""
    if not path:
        return None
    ux, uy = unit.x, unit.y
    k = min(range(len(path)), key=lambda i: (path[i][0] + 0.5 - ux) ** 2
            + (path[i][1] + 0.5 - uy) ** 2)
    cx, cy = path[k][0] + 0.5, path[k][1] + 0.5
    if (cx - ux) ** 2 + (cy - uy) ** 2 > REJOIN_DISTANCE ** 2:
        return None
    if not straight_line_clear(world.tiles, (ux, uy), (cx, cy)):
        return None
    return path[k:]


class Attack(Activity):
    """Close in on a target and fire until it dies or is lost from sight.

    Automatic attacks (self-defence, guarding) give up beyond a leash distance
    from where they started; ordered attacks chase as far as needed.
    """

    def __init__(self, target_id: int, auto: bool = False,
                 leash: tuple[float, float] | None = None) -> None:
        self.target_id = target_id
        self.auto = auto
        self.leash = leash
        self.chase: Move | None = None
        self.chase_tick = -REPATH_PERIOD

    def tick(self, world: World, unit: Unit, index: SpatialIndex) -> bool:
        target = world.entity(self.target_id)
        weapon = unit.type.weapon
        if target is None or weapon is None or not combat.can_attack(weapon, target):
            return self._finish(unit)
        visible = combat.target_visible(world, unit.owner, target)
        known = isinstance(target, Building) and \
            target.id in world.players[unit.owner].known_buildings
        if not visible and not known:
            return self._finish(unit)
        tx, ty = combat.position(target)
        dist = combat.distance_to(unit.x, unit.y, target)
        unit.target_id = target.id
        if weapon.min_range <= dist <= weapon.range and visible:
            self.chase = None
            unit.facing = math.atan2(ty - unit.y, tx - unit.x)
            if unit.cooldown <= 0:
                combat.fire(world, unit, weapon, target)
            return False
        if dist < weapon.min_range:
            return self._finish(unit)  # artillery cannot fire this close
        if self.auto and self.leash is not None:
            if math.hypot(unit.x - self.leash[0], unit.y - self.leash[1]) > combat.LEASH:
                return self._finish(unit)
        if unit.type.flying or (dist < DIRECT_CHASE and straight_line_clear(
                world.tiles, (unit.x, unit.y), (tx, ty))):
            self.chase = None  # close and in the open: no path search needed
            step_towards(unit, tx, ty)
            return False
        if self.chase is None or world.tick - self.chase_tick >= REPATH_PERIOD:
            self.chase = Move((int(tx), int(ty)))
            self.chase_tick = world.tick
        self.chase.tick(world, unit, index)
        return False

    def _finish(self, unit: Unit) -> bool:
        unit.target_id = None
        return True


class Harvest(Activity):
    """The harvester loop: find ore, dig until full, drive to a refinery, unload."""

    def __init__(self, near: tuple[int, int] | None = None) -> None:
        self.state = "seek"
        self.field = near
        self.move: Move | None = None
        self.refinery_id: int | None = None
        self.wait = 0

    def tick(self, world: World, unit: Unit, index: SpatialIndex) -> bool:
        if self.wait > 0:
            self.wait -= 1
            return False
        return getattr(self, "_" + self.state)(world, unit, index)

    def _seek(self, world: World, unit: Unit, index: SpatialIndex) -> bool:
        if unit.cargo >= unit.type.harvest_capacity:
            self.state = "go_home"
            return False
        tile = nearest_resource(world, unit, self.field)
        if tile is None:
            if unit.cargo:
                self.state = "go_home"
            else:
                self.wait = 60  # nothing to dig: look again later
            return False
        self.field = tile
        world.claims[tile] = unit.id
        self.move = Move(tile)
        self.state = "go_field"
        return False

    def _go_field(self, world: World, unit: Unit, index: SpatialIndex) -> bool:
        assert self.move is not None
        if self.move.tick(world, unit, index):
            self.state = "dig" if unit.tile == self.field else "seek"
        return False

    def _dig(self, world: World, unit: Unit, index: SpatialIndex) -> bool:
        self.wait = ECONOMY.bale_ticks - 1
        kind = world.tiles.take_bale(*unit.tile)
        if kind == NO_RESOURCE:
            world.claims.pop(unit.tile, None)
            self.state = "seek"
            return False
        unit.cargo += ECONOMY.gem_value if kind == GEMS else ECONOMY.ore_value
        if unit.cargo >= unit.type.harvest_capacity:
            world.claims.pop(unit.tile, None)
            self.state = "go_home"
        return False

    def _go_home(self, world: World, unit: Unit, index: SpatialIndex) -> bool:
        refinery = nearest_refinery(world, unit)
        if refinery is None:
            self.wait = 60
            return False
        if combat.distance_to(unit.x, unit.y, refinery) <= 1.0:
            self.state = "unload"
            return False
        if self.move is None or self.refinery_id != refinery.id:
            self.refinery_id = refinery.id
            self.move = Move(dock_cell(world, refinery, unit))
        if self.move.tick(world, unit, index):
            self.move = None
            docked = combat.distance_to(unit.x, unit.y, refinery) <= 1.5
            self.state = "unload" if docked else "go_home"
        return False

    def _unload(self, world: World, unit: Unit, index: SpatialIndex) -> bool:
        self.wait = ECONOMY.unload_ticks_per_bale - 1
        amount = min(unit.cargo, ECONOMY.ore_value * 2)
        unit.cargo -= amount
        player = world.players[unit.owner]
        player.credits += amount
        player.stats.credits_harvested += amount
        if unit.cargo <= 0:
            unit.cargo = 0
            world.emit("unloaded", unit.owner, unit.x, unit.y)
            self.move = None
            self.state = "seek"
        return False


def nearest_resource(world: World, unit: Unit, near: tuple[int, int] | None
                     ) -> tuple[int, int] | None:
    """The closest ore/gem tile, avoiding tiles another harvester has claimed."""
    ox, oy = near if near is not None else unit.tile
    ux, uy = unit.tile
    best, best_d = None, 1 << 30
    for tile in world.resource_tiles():
        x, y = tile
        d = (x - ox) ** 2 + (y - oy) ** 2 + ((x - ux) ** 2 + (y - uy) ** 2) // 4
        claimant = world.claims.get(tile)
        if claimant is not None and claimant != unit.id and claimant in world.units:
            d += 40
        if d < best_d:
            best, best_d = tile, d
    return best


def nearest_refinery(world: World, unit: Unit) -> Building | None:
    best, best_d = None, math.inf
    for b in world.buildings_of(unit.owner, "refinery"):
        d = combat.distance_to(unit.x, unit.y, b)
        if d < best_d:
            best, best_d = b, d
    return best


def dock_cell(world: World, refinery: Building, unit: Unit) -> tuple[int, int]:
    """The open cell next to the refinery closest to the harvester."""
    return edge_cell(world, refinery, (unit.x, unit.y))


def edge_cell(world: World, building: Building, towards: tuple[float, float]
              ) -> tuple[int, int]:
    """The free cell just outside a building on the side facing `towards`."""
    w, h = building.type.size
    x = min(max(int(towards[0]), building.x - 1), building.x + w)
    y = min(max(int(towards[1]), building.y - 1), building.y + h)
    cells = nearest_free_cells(world.tiles, (x, y), 1, lambda cx, cy: True, limit=80)
    return cells[0] if cells else (x, y)
