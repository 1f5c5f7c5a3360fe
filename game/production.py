"""Factories, the HQ's construction of buildings, spawning, and power."""

from __future__ import annotations

from game import placement
from game.activities import Harvest, Move, edge_cell
from game.pathfinding import nearest_free_cells
from game.rules import BUILDING_TYPES, UNIT_TYPES
from game.world import Building, Unit, World

PLACE_RETRY_TICKS = 20  # a building with no room yet looks for a spot this often


def update_power(world: World) -> None:
    for p in world.players:
        p.power_produced = p.power_used = 0
    for b in world.buildings.values():
        p = world.players[b.owner]
        if b.type.power >= 0:
            p.power_produced += b.type.power
        else:
            p.power_used -= b.type.power


def tick_factories(world: World) -> None:
    for b in list(world.buildings.values()):
        if not b.queue:
            continue
        item = UNIT_TYPES[b.queue[0]]
        b.progress += world.players[b.owner].production_speed
        if b.progress >= item.build_time:
            if spawn_unit(world, b, item.name) is None:
                b.progress = item.build_time  # exit blocked: try again next tick
                continue
            b.queue.pop(0)
            b.progress = 0.0


def tick_construction(world: World) -> None:
    for p in world.players:
        c = p.construction
        if c is None or not world.has_building(p.id, "hq"):
            continue
        was_ready = c.ready
        if not was_ready:
            c.progress += p.production_speed
        if c.ready and not was_ready:
            world.emit("construction_ready", p.id, building=c.item)
        if c.ready and c.auto_place and (not was_ready or world.tick % PLACE_RETRY_TICKS == 0):
            spot = placement.find_placement(world, p.id, c.item, c.near)
            if spot is not None:
                place_building(world, p.id, c.item, *spot)
                p.construction = None
            elif world.tick % (5 * PLACE_RETRY_TICKS) == 0:
                world.emit("order_rejected", p.id, key="no_room_to_build",
                           params={"building": c.item})


def place_building(world: World, owner: int, name: str, x: int, y: int) -> Building:
    btype = BUILDING_TYPES[name]
    b = Building(world.new_id(), owner, btype, x, y)
    world.buildings[b.id] = b
    world.tiles.occupy(b.cells, b.id)
    world.players[owner].stats.buildings_built += 1
    update_power(world)
    cx, cy = b.center
    world.emit("building_placed", owner, cx, cy, building=name, id=b.id)
    if btype.free_unit:
        spawn_unit(world, b, btype.free_unit)
    return b


def add_unit(world: World, owner: int, name: str, cell: tuple[int, int],
             reserve: bool = True) -> Unit:
    """Create a unit in the middle of a cell (for spawns, set-up and tests)."""
    utype = UNIT_TYPES[name]
    unit = Unit(world.new_id(), owner, utype, cell[0] + 0.5, cell[1] + 0.5)
    world.units[unit.id] = unit
    if reserve and not utype.flying:
        unit.cell = cell
        world.reserved[cell] = unit.id
    return unit


def spawn_unit(world: World, factory: Building, name: str) -> Unit | None:
    """Roll a finished unit out of its factory; None if every exit is blocked."""
    utype = UNIT_TYPES[name]
    tiles = world.tiles
    towards = factory.rally or (tiles.width / 2, tiles.height / 2)
    exit_cell = edge_cell(world, factory, towards)
    cells = nearest_free_cells(tiles, exit_cell, 1,
                               lambda x, y: (x, y) not in world.reserved, limit=200)
    if not cells:
        return None
    unit = add_unit(world, factory.owner, name, cells[0])
    stats = world.players[factory.owner].stats
    stats.units_built += 1
    world.emit("unit_ready", factory.owner, unit.x, unit.y, unit=name, id=unit.id,
               factory=factory.type.name)
    if utype.harvest_capacity:
        release_cell(world, unit)
        unit.activity = Harvest()
    elif factory.rally is not None:
        send_to(world, unit, factory.rally)
    return unit


def release_cell(world: World, unit: Unit) -> None:
    if unit.cell is not None and world.reserved.get(unit.cell) == unit.id:
        del world.reserved[unit.cell]
    unit.cell = None


def reserve_cell(world: World, unit: Unit, cell: tuple[int, int]) -> None:
    release_cell(world, unit)
    if not unit.type.flying:
        unit.cell = cell
        world.reserved[cell] = unit.id


def send_to(world: World, unit: Unit, cell: tuple[int, int], attack_move: bool = False) -> None:
    """Move one unit to the free cell nearest `cell` (used for rally points)."""
    free = nearest_free_cells(world.tiles, cell, 1,
                              lambda x, y: world.reserved.get((x, y), unit.id) == unit.id)
    goal = free[0] if free else cell
    reserve_cell(world, unit, goal)
    unit.activity = Move(goal, attack_move)
