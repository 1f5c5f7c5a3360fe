"""Factories, the HQ's construction of buildings, spawning, and power."""

from __future__ import annotations

from game import placement
from game.activities import Harvest, Move, edge_cell
from game.pathfinding import nearest_free_cells
from game.rules import BUILDING_TYPES, ECONOMY, TICKS_PER_SECOND, UNIT_TYPES
from game.world import Building, Player, Unit, World

PLACE_RETRY_TICKS = 20  # a building with no room yet looks for a spot this often
FUNDS_ALERT_TICKS = 15 * TICKS_PER_SECOND  # at most one "insufficient funds" message this often


def update_power(world: World) -> None:
    for p in world.players:
        p.power_produced = p.power_used = 0
    for b in world.buildings.values():
        p = world.players[b.owner]
        if b.type.power >= 0:
            p.power_produced += b.type.power
        else:
            p.power_used -= b.type.power


def price_due(cost: int, build_time: int, progress: float) -> int:
    """What the first `progress` ticks of work cost: whole credits, the exact price when done."""
    if progress >= build_time or build_time <= 0:
        return cost
    return int(cost * progress / build_time)


def _work(player: Player, cost: int, build_time: int, progress: float,
          paid: int) -> tuple[float, int, bool]:
    """One tick of work on an item, paid as it goes (Red Alert): the new progress, the
    credits paid so far, and whether it is on hold because the player cannot pay."""
    step = min(float(build_time), progress + player.production_speed)
    due = price_due(cost, build_time, step) - paid
    if due > player.credits:
        return progress, paid, True
    player.credits -= due
    player.stats.credits_spent += due
    return step, paid + due, False


def _note_hold(world: World, player: Player, was_on_hold: bool, on_hold: bool) -> None:
    """Say once (not every tick) that production stopped for want of credits."""
    if on_hold and not was_on_hold and \
            world.tick - player.funds_alert_tick >= FUNDS_ALERT_TICKS:
        player.funds_alert_tick = world.tick
        world.emit("insufficient_funds", player.id)


def tick_factories(world: World) -> None:
    for b in list(world.buildings.values()):
        if not b.queue:
            continue
        item = UNIT_TYPES[b.queue[0]]
        player = world.players[b.owner]
        if b.progress < item.build_time:
            was_on_hold = b.on_hold
            b.progress, b.paid, b.on_hold = _work(player, item.cost, item.build_time,
                                                  b.progress, b.paid)
            _note_hold(world, player, was_on_hold, b.on_hold)
        if b.progress >= item.build_time:
            if spawn_unit(world, b, item.name) is None:
                continue  # exit blocked: try again next tick
            b.queue.pop(0)
            b.progress, b.paid = 0.0, 0


def tick_construction(world: World) -> None:
    for p in world.players:
        c = p.construction
        if c is None or not world.has_building(p.id, "hq"):
            continue
        was_ready = c.ready
        if not was_ready:
            btype = BUILDING_TYPES[c.item]
            was_on_hold = c.on_hold
            c.progress, c.paid, c.on_hold = _work(p, btype.cost, btype.build_time,
                                                  c.progress, c.paid)
            _note_hold(world, p, was_on_hold, c.on_hold)
        if c.ready and not was_ready:
            world.emit("construction_ready", p.id, building=c.item)
        if c.ready and c.auto_place and (not was_ready or world.tick % PLACE_RETRY_TICKS == 0):
            spot = placement.find_placement(world, p.id, c.item, c.near)
            if spot is not None:
                place_building(world, p.id, c.item, *spot, auto=True)
                p.construction = None
            elif world.tick % (5 * PLACE_RETRY_TICKS) == 0:
                world.emit("order_rejected", p.id, key="no_room_to_build",
                           params={"building": c.item})


def repair_step(b: Building) -> tuple[int, int]:
    """Hit points one repair step gives this building, and what the step costs."""
    hp = max(1, min(b.type.hp - b.hp, round(b.type.hp * ECONOMY.repair_step)))
    cost = max(1, round(hp * b.type.cost * ECONOMY.repair_cost / b.type.hp))
    return hp, cost


def tick_repairs(world: World) -> None:
    """Buildings in repair gain a step of hit points every period, paid as they go;
    a repair waits while the player cannot pay and ends when the building is whole."""
    if world.tick % ECONOMY.repair_period:
        return
    for b in world.buildings.values():
        if not b.repairing:
            continue
        player = world.players[b.owner]
        hp, cost = repair_step(b)
        was_on_hold = b.repair_on_hold
        b.repair_on_hold = cost > player.credits
        _note_hold(world, player, was_on_hold, b.repair_on_hold)
        if b.repair_on_hold:
            continue
        player.credits -= cost
        player.stats.credits_spent += cost
        b.hp += hp
        if b.hp >= b.type.hp:
            b.hp, b.repairing = b.type.hp, False
            cx, cy = b.center
            world.emit("repaired", b.owner, cx, cy, building=b.type.name, id=b.id)


def outstanding(world: World, owner: int) -> int:
    """Credits still to pay for everything this player has queued or under construction."""
    total = 0
    for b in world.buildings_of(owner):
        for i, name in enumerate(b.queue):
            total += UNIT_TYPES[name].cost - (b.paid if i == 0 else 0)
    c = world.players[owner].construction
    if c is not None:
        total += BUILDING_TYPES[c.item].cost - c.paid
    return total


def spendable(world: World, owner: int) -> int:
    """Credits not yet promised to production: what a bot may still commit."""
    return world.players[owner].credits - outstanding(world, owner)


def place_building(world: World, owner: int, name: str, x: int, y: int,
                   auto: bool = False) -> Building:
    """Put a finished building down; `auto` marks a spot the game chose (the UI flashes it)."""
    btype = BUILDING_TYPES[name]
    b = Building(world.new_id(), owner, btype, x, y)
    world.buildings[b.id] = b
    world.tiles.occupy(b.cells, b.id)
    world.players[owner].stats.buildings_built += 1
    update_power(world)
    cx, cy = b.center
    world.emit("building_placed", owner, cx, cy, building=name, id=b.id, auto=auto)
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
               factory=factory.type.name, factory_id=factory.id)
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
