"""The fixed simulation tick (20 per second) and the start of a new game.

`step(world)` advances everything by one tick in a fixed order; given the same
seed and the same orders at the same ticks it always reaches the same state.
"""

from __future__ import annotations

from game import combat, fog, mapgen, production
from game.activities import SCAN_PERIOD, Attack, Harvest, Move
from game.orders import execute
from game.pathfinding import nearest_free_cells
from game.rules import BUILDING_TYPES, STARTING_UNITS, TICKS_PER_SECOND, UNIT_TYPES
from game.world import Building, Unit, World

PATHS_PER_TICK = 8  # A* searches allowed per tick, shared by all units
WEAPONS = {w.name: w for w in [*(t.weapon for t in UNIT_TYPES.values()),
                                *(t.weapon for t in BUILDING_TYPES.values())] if w}
FIGHT_BACK_TICKS = 2 * TICKS_PER_SECOND


def new_game(seed: int, size: int = 96, credits: int | None = None,
             starting_units: tuple[str, ...] = STARTING_UNITS) -> World:
    layout = mapgen.generate(seed, size)
    starts = tuple((x + 1, y + 1) for x, y in layout.hq_cells)
    world = World(seed, layout.tiles, starts) if credits is None else \
        World(seed, layout.tiles, starts, credits)
    for player, (x, y) in enumerate(layout.hq_cells):
        production.place_building(world, player, "hq", x, y)
        w, h = BUILDING_TYPES["hq"].size
        # Starting units wait on the side of the HQ that faces the map's centre.
        exit_cell = (x + w // 2, y + h + 1) if player == 0 else (x + w // 2, y - 2)
        cells = nearest_free_cells(world.tiles, exit_cell, len(starting_units),
                                   lambda cx, cy: (cx, cy) not in world.reserved)
        for name, cell in zip(starting_units, cells):
            production.add_unit(world, player, name, cell)
    for p in world.players:
        p.stats.buildings_built = 0
        fog.update_visibility(world, p.id)
    world.events.clear()
    return world


def step(world: World) -> None:
    world.events = []
    world.path_budget = PATHS_PER_TICK
    orders, world.pending_orders = world.pending_orders, []
    for observe in world.order_observers:  # every tick, orders or not (replay hashes)
        observe(world.tick, orders)
    for order in orders:
        rejection = execute(world, order)
        if rejection is not None:
            world.emit("order_rejected", order.player, key=rejection.key,
                       params=rejection.params, order=order.kind)
    production.update_power(world)
    production.tick_factories(world)
    production.tick_construction(world)
    production.tick_repairs(world)
    world.index.rebuild(world.units.values())
    for unit in list(world.units.values()):
        if unit.hp > 0:
            _tick_unit(world, unit)
    for b in list(world.buildings.values()):
        if b.type.weapon is not None and b.hp > 0:
            _tick_turret(world, b)
    combat.advance_projectiles(world, WEAPONS)
    phase = world.tick % fog.FOG_PERIOD
    if phase < len(world.players):
        fog.update_visibility(world, phase)
    _check_victory(world)
    world.tick += 1


def _tick_unit(world: World, unit: Unit) -> None:
    unit.prev_x, unit.prev_y = unit.x, unit.y
    if unit.cooldown > 0:
        unit.cooldown -= 1
    activity = unit.activity
    if activity is not None:
        if activity.tick(world, unit, world.index):
            unit.activity = None
        return
    _idle(world, unit)


def _idle(world: World, unit: Unit) -> None:
    """Idle units harvest (harvesters), defend themselves, guard, and stay on their cell."""
    if unit.type.harvest_capacity and unit.auto_harvest:
        production.release_cell(world, unit)
        unit.activity = Harvest()
        return
    weapon = unit.type.weapon
    if weapon is not None and (world.tick + unit.scan_phase) % SCAN_PERIOD == 0:
        if _fight_back(world, unit):
            return
        target = combat.find_target(world, world.index, unit.owner, unit.x, unit.y,
                                    weapon, weapon.range + 1)
        if target is not None:
            unit.activity = Attack(target.id, auto=True, leash=(unit.x, unit.y))
            return
    _settle(world, unit)


def _fight_back(world: World, unit: Unit) -> bool:
    """Answer a recent attack: shoot back, or go find a shooter we cannot see."""
    if world.tick - unit.attacked_tick > FIGHT_BACK_TICKS:
        return False
    attacker = world.entity(unit.last_attacker)
    if attacker is None or not combat.can_attack(unit.type.weapon, attacker):
        return False
    unit.last_attacker = None
    if combat.target_visible(world, unit.owner, attacker):
        unit.activity = Attack(attacker.id, auto=True, leash=(unit.x, unit.y))
    else:
        ax, ay = combat.position(attacker)
        production.release_cell(world, unit)
        unit.activity = Move((int(ax), int(ay)), attack_move=True)
    return True


def _settle(world: World, unit: Unit) -> None:
    """An idle ground unit holds exactly one cell nobody else holds."""
    if unit.type.flying:
        return
    if unit.cell is None:
        tile = unit.tile
        if world.reserved.get(tile, unit.id) != unit.id or not world.tiles.passable(*tile):
            cells = nearest_free_cells(world.tiles, tile, 1,
                                       lambda x, y: (x, y) not in world.reserved)
            tile = cells[0] if cells else tile
        production.reserve_cell(world, unit, tile)
    cell = unit.cell
    assert cell is not None  # reserve_cell gave it one
    cx, cy = cell[0] + 0.5, cell[1] + 0.5
    if abs(unit.x - cx) > 0.05 or abs(unit.y - cy) > 0.05:
        unit.activity = Move(cell)


def _tick_turret(world: World, b: Building) -> None:
    weapon = b.type.weapon
    assert weapon is not None
    if b.cooldown > 0:
        b.cooldown -= 1
    if world.players[b.owner].low_power:
        b.target_id = None
        return
    cx, cy = b.center
    target = world.entity(b.target_id)
    if target is None or not combat.in_range(cx, cy, weapon, target) \
            or not combat.target_visible(world, b.owner, target):
        b.target_id = None
        if (world.tick + b.id) % 4:
            return
        target = combat.find_target(world, world.index, b.owner, cx, cy, weapon, weapon.range)
        if target is None:
            return
        b.target_id = target.id
    if b.cooldown <= 0:
        combat.fire(world, b, weapon, target)


def _check_victory(world: World) -> None:
    if world.winner is not None:
        return
    standing = {b.owner for b in world.buildings.values()}
    for p in world.players:
        if not p.defeated and p.id not in standing:
            p.defeated = True
            world.emit("defeated", p.id)
    alive = [p.id for p in world.players if not p.defeated]
    if len(alive) == 1 and len(world.players) > 1:
        world.winner = alive[0]
        world.emit("victory", alive[0])

