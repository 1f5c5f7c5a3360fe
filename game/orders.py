"""Orders: the only way anything changes the world (OpenRA's Order).

Mouse clicks, hotkeys, the enemy AI and typed orders all produce `Order`
values. `check` says whether an order can be carried out now (with a message
key from game.i18n when not); `execute` carries it out at the start of a tick.
The world records every executed order, which is what makes replays and the
determinism test possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

from game import combat, placement, production
from game.activities import Attack, Harvest, Move
from game.pathfinding import nearest_free_cells
from game.rules import BUILDING_TYPES, ECONOMY, UNIT_TYPES
from game.vocabulary import MAX_COUNT  # the most a train order may ask for
from game.world import Construction, Unit, World

OrderKind = Literal["move", "attack_move", "attack", "harvest", "stop", "train",
                    "cancel_train", "build", "cancel_build", "place", "sell", "rally", "repair"]
MOVE: Final = "move"
ATTACK_MOVE: Final = "attack_move"
ATTACK: Final = "attack"
HARVEST: Final = "harvest"
STOP: Final = "stop"
TRAIN: Final = "train"
CANCEL_TRAIN: Final = "cancel_train"
BUILD: Final = "build"  # start constructing a building at the HQ
CANCEL_BUILD: Final = "cancel_build"
PLACE: Final = "place"  # put a finished building on the map
SELL: Final = "sell"
RALLY: Final = "rally"
REPAIR: Final = "repair"  # turn a building's repair on or off (the repair mode's click)
KINDS: tuple[OrderKind, ...] = get_args(OrderKind)
UNIT_ORDERS: tuple[OrderKind, ...] = (MOVE, ATTACK_MOVE, ATTACK, HARVEST, STOP)


@dataclass(frozen=True)
class Order:
    kind: OrderKind
    player: int
    units: tuple[int, ...] = ()
    cell: tuple[int, int] | None = None
    target: int | None = None  # an entity id (attack target, factory, building to sell)
    item: str | None = None  # unit or building type name
    count: int = 1
    auto_place: bool = False  # BUILD: place it automatically when ready


@dataclass(frozen=True)
class Rejection:
    key: str  # message key in game.i18n
    params: dict[str, object]


def _reject(key: str, **params: object) -> Rejection:
    return Rejection(key, params)


def own_units(world: World, order: Order) -> list[Unit]:
    return [u for uid in order.units
            if (u := world.units.get(uid)) is not None and u.owner == order.player
            and u.hp > 0]


def missing_prerequisite(world: World, player: int, needs: tuple[str, ...]) -> str | None:
    for name in needs:
        if not world.has_building(player, name):
            return name
    return None


def building_prerequisites(world: World, player: int, item: str) -> tuple[str, ...]:
    """What the HQ needs before it builds `item`: nothing for a building whose
    prerequisites are waived while the player owns none (the refinery: a way back)."""
    btype = BUILDING_TYPES[item]
    if btype.waive_prerequisites_if_none and not world.has_building(player, item):
        return ()
    return btype.prerequisites


def pick_factory(world: World, player: int, item: str, preferred: int | None = None):
    """The factory for a unit type with the shortest queue (or the one asked for)."""
    maker = UNIT_TYPES[item].produced_by
    factories = [b for b in world.buildings_of(player, maker)]
    if preferred is not None:
        factories = [b for b in factories if b.id == preferred] or factories
    if not factories:
        return None
    return min(factories, key=lambda b: (len(b.queue), b.id))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_cell(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and all(_is_int(v) for v in value)


def _malformed(world: World, order: Order) -> bool:
    """Fields of the wrong type or absurd value: an Order from a save, a replay, the
    model or a bug must be refused, never raise and never be half carried out."""
    return not (
        isinstance(order.kind, str) and order.kind in KINDS
        and _is_int(order.player) and 0 <= order.player < len(world.players)
        and isinstance(order.units, tuple) and all(_is_int(u) for u in order.units)
        and (order.cell is None or _is_cell(order.cell))
        and (order.target is None or _is_int(order.target))
        and (order.item is None or isinstance(order.item, str))
        and _is_int(order.count) and 1 <= order.count <= MAX_COUNT
        and isinstance(order.auto_place, bool))


def check(world: World, order: Order) -> Rejection | None:
    """None if the order can be executed now, else why not."""
    if _malformed(world, order):
        return _reject("bad_order")
    if world.winner is not None:
        return _reject("game_over")
    if order.kind in UNIT_ORDERS:
        return _check_unit_order(world, order)
    return _CHECKS[order.kind](world, order)


def _check_unit_order(world: World, order: Order) -> Rejection | None:
    units = own_units(world, order)
    if not units:
        return _reject("no_units")
    if order.kind in (MOVE, ATTACK_MOVE, HARVEST) and order.cell is not None:
        if not world.tiles.in_bounds(*order.cell):
            return _reject("off_map")
    if order.kind in (MOVE, ATTACK_MOVE) and order.cell is None:
        return _reject("move_where")
    if order.kind == ATTACK:
        target = world.entity(order.target)
        if target is None or target.owner == order.player or target.hp <= 0:
            return _reject("attack_where")
        if not combat.target_visible(world, order.player, target) and \
                target.id not in world.players[order.player].known_buildings:
            return _reject("target_not_seen")
        if not any(combat.can_attack(u.type.weapon, target) for u in units):
            return _cannot_hit(units, target.type.armor)
    if order.kind == HARVEST and not any(u.type.harvest_capacity for u in units):
        return _reject("only_harvesters_harvest")
    return None


def _cannot_hit(units: list[Unit], armor: str) -> Rejection:
    """Why none of these units can hit the target: who, and against what ("Tanks can't
    hit aircraft"), rather than a chase that could never end in a shot."""
    armed = {u.type.name for u in units if u.type.weapon is not None}
    if not armed:
        kinds = {u.type.name for u in units}
        return _reject("no_weapon", unit_group=kinds.pop() if len(kinds) == 1 else "")
    return _reject("cannot_hit_target", unit_group=armed.pop() if len(armed) == 1 else "",
                   armor_class=armor)


def _check_train(world: World, order: Order) -> Rejection | None:
    if order.item is None or order.item not in UNIT_TYPES:
        return _reject("train_what")
    utype = UNIT_TYPES[order.item]
    preferred = world.buildings.get(order.target) if order.target is not None else None
    if preferred is not None and preferred.owner != order.player:
        return _reject("not_yours")
    factory = pick_factory(world, order.player, order.item, order.target)
    if factory is None:
        return _reject("no_factory", building=utype.produced_by, unit=order.item)
    missing = missing_prerequisite(world, order.player, utype.prerequisites)
    if missing:
        return _reject("missing_prerequisite", building=missing)
    if len(factory.queue) >= ECONOMY.queue_limit:
        return _reject("queue_full", building=factory.type.name)
    return None  # no credits needed up front: production pays as it goes


def _check_cancel_train(world: World, order: Order) -> Rejection | None:
    b = world.buildings.get(order.target or -1)
    if b is None or b.owner != order.player or order.item not in b.queue:
        return _reject("nothing_to_cancel")
    return None


def _check_build(world: World, order: Order) -> Rejection | None:
    btype = BUILDING_TYPES.get(order.item or "")
    if btype is None or not btype.buildable:
        return _reject("build_what")
    if order.cell is not None and not world.tiles.in_bounds(*order.cell):
        return _reject("off_map")  # where to put it when it is ready
    player = world.players[order.player]
    if not world.has_building(order.player, "hq"):
        return _reject("no_hq")
    if player.construction is not None:
        return _reject("construction_busy", building=player.construction.item)
    missing = missing_prerequisite(world, order.player,
                                   building_prerequisites(world, order.player, btype.name))
    if missing:
        return _reject("missing_prerequisite", building=missing)
    return None  # no credits needed up front: construction pays as it goes


def _check_cancel_build(world: World, order: Order) -> Rejection | None:
    if world.players[order.player].construction is None:
        return _reject("nothing_to_cancel")
    return None


def _check_place(world: World, order: Order) -> Rejection | None:
    c = world.players[order.player].construction
    if c is None or not c.ready or (order.item and order.item != c.item):
        return _reject("nothing_ready")
    if order.cell is None or not world.tiles.in_bounds(*order.cell):
        return _reject("cannot_build_there")
    error = placement.placement_error(world, order.player, c.item, *order.cell)
    return _reject(error) if error else None


def _check_owned_building(world: World, order: Order) -> Rejection | None:
    b = world.buildings.get(order.target or -1)
    if b is None or b.owner != order.player or b.hp <= 0:
        return _reject("not_yours")
    if order.kind == RALLY and (order.cell is None or not world.tiles.in_bounds(*order.cell)):
        return _reject("off_map")
    return None


def _check_sell(world: World, order: Order) -> Rejection | None:
    """A sale that would leave no building standing would lose the match on the spot
    (a player with no building is defeated): refused, for the mouse and typing alike."""
    rejection = _check_owned_building(world, order)
    if rejection is not None:
        return rejection
    if not any(b.owner == order.player and b.id != order.target and b.hp > 0
               for b in world.buildings.values()):
        return _reject("last_building")
    return None


def _check_repair(world: World, order: Order) -> Rejection | None:
    """Turning a repair off is always possible; turning it on needs damage to mend."""
    rejection = _check_owned_building(world, order)
    if rejection is not None:
        return rejection
    b = world.buildings[order.target or -1]
    if not b.repairing and not b.damaged:
        return _reject("not_damaged", building=b.type.name)
    return None


_CHECKS = {
    TRAIN: _check_train,
    CANCEL_TRAIN: _check_cancel_train,
    BUILD: _check_build,
    CANCEL_BUILD: _check_cancel_build,
    PLACE: _check_place,
    SELL: _check_sell,
    RALLY: _check_owned_building,
    REPAIR: _check_repair,
}


def execute(world: World, order: Order) -> Rejection | None:
    """Carry out an order now; returns the rejection if it could not be."""
    rejection = check(world, order)
    if rejection is not None:
        return rejection
    world.order_log.append((world.tick, order))
    _EXECUTORS[order.kind](world, order)
    return None


def _exec_move(world: World, order: Order) -> None:
    assert order.cell is not None
    units = own_units(world, order)
    assign_group_cells(world, units, order.cell, attack_move=order.kind == ATTACK_MOVE)


def assign_group_cells(world: World, units: list[Unit], cell: tuple[int, int],
                       attack_move: bool = False) -> None:
    """Send a group to distinct cells around `cell`, nearest units to nearest cells."""
    members = {u.id for u in units}
    ground = [u for u in units if not u.type.flying]
    air = [u for u in units if u.type.flying]

    def free(x: int, y: int) -> bool:
        return world.reserved.get((x, y), -1) in members or (x, y) not in world.reserved

    cells = nearest_free_cells(world.tiles, cell, len(ground), free, limit=2000)
    ground.sort(key=lambda u: ((u.x - cell[0]) ** 2 + (u.y - cell[1]) ** 2, u.id))
    for u in ground:
        production.release_cell(world, u)
    for u, goal in zip(ground, cells):
        production.reserve_cell(world, u, goal)
        _start(u, Move(goal, attack_move))
    for u in ground[len(cells):]:
        _start(u, Move(cell, attack_move))
    for i, u in enumerate(sorted(air, key=lambda u: u.id)):
        spread = _AIR_OFFSETS[i % len(_AIR_OFFSETS)]
        goal = (min(world.tiles.width - 1, max(0, cell[0] + spread[0])),
                min(world.tiles.height - 1, max(0, cell[1] + spread[1])))
        _start(u, Move(goal, attack_move))


_AIR_OFFSETS = [(0, 0), (1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1),
                (2, 0), (0, 2), (-2, 0), (0, -2)]


def _start(unit: Unit, activity) -> None:
    unit.activity = activity
    unit.target_id = None
    if unit.type.harvest_capacity:
        # A harvester told to move stays put until told to harvest again.
        unit.auto_harvest = isinstance(activity, Harvest)


def _exec_attack(world: World, order: Order) -> None:
    target = world.entity(order.target)
    assert target is not None
    escorts = []
    for u in own_units(world, order):
        if combat.can_attack(u.type.weapon, target):
            production.release_cell(world, u)
            _start(u, Attack(target.id))
        elif u.type.weapon is not None:
            escorts.append(u)
    if escorts:
        # Armed units that cannot hit this target (tanks under a helicopter) go with the
        # group and fight what they can hit there; unarmed ones (harvesters) carry on.
        x, y = combat.position(target)
        assign_group_cells(world, escorts, (int(x), int(y)), attack_move=True)


def _exec_harvest(world: World, order: Order) -> None:
    for u in own_units(world, order):
        if u.type.harvest_capacity:
            production.release_cell(world, u)
            _start(u, Harvest(order.cell))


def _exec_stop(world: World, order: Order) -> None:
    for u in own_units(world, order):
        production.release_cell(world, u)  # else it would settle back onto its old goal
        _start(u, None)
        if u.type.harvest_capacity:
            u.auto_harvest = False


def _exec_train(world: World, order: Order) -> None:
    """Queue up to `count` units (beyond the credits too: they are paid as they are built)."""
    assert order.item is not None
    queued = 0
    slots: dict[int, list[int]] = {}  # factory id -> [same items ahead of ours, ours]
    for _ in range(max(1, order.count)):
        factory = pick_factory(world, order.player, order.item, order.target)
        if factory is None or len(factory.queue) >= ECONOMY.queue_limit:
            break
        slot = slots.setdefault(factory.id, [factory.queue.count(order.item), 0])
        slot[1] += 1
        factory.queue.append(order.item)
        queued += 1
    world.emit("queued", order.player, item=order.item, count=queued, asked=order.count,
               slots=slots, order=order)


def _exec_cancel_train(world: World, order: Order) -> None:
    b = world.buildings[order.target or -1]
    assert order.item is not None
    index = len(b.queue) - 1 - b.queue[::-1].index(order.item)
    b.queue.pop(index)
    refund = 0  # only the item in production has been paid for (in part)
    if index == 0:
        refund = b.paid
        b.progress, b.paid, b.on_hold = 0.0, 0, False
    world.players[order.player].credits += refund
    world.emit("cancelled", order.player, item=order.item, refund=refund)


def _exec_build(world: World, order: Order) -> None:
    assert order.item is not None
    player = world.players[order.player]
    player.construction = Construction(order.item, auto_place=order.auto_place, near=order.cell)


def _exec_cancel_build(world: World, order: Order) -> None:
    player = world.players[order.player]
    assert player.construction is not None
    refund = player.construction.paid  # what was spent on it so far
    player.credits += refund
    world.emit("cancelled", order.player, item=player.construction.item, refund=refund)
    player.construction = None


def _exec_place(world: World, order: Order) -> None:
    player = world.players[order.player]
    assert player.construction is not None and order.cell is not None
    production.place_building(world, order.player, player.construction.item, *order.cell)
    player.construction = None


def _exec_sell(world: World, order: Order) -> None:
    combat.sell(world, world.buildings[order.target or -1])
    production.update_power(world)


def _exec_rally(world: World, order: Order) -> None:
    world.buildings[order.target or -1].rally = order.cell


def _exec_repair(world: World, order: Order) -> None:
    b = world.buildings[order.target or -1]
    b.repairing = not b.repairing
    b.repair_on_hold = False
    cx, cy = b.center
    world.emit("repair_started" if b.repairing else "repair_stopped", order.player, cx, cy,
               building=b.type.name, id=b.id)


_EXECUTORS = {
    MOVE: _exec_move,
    ATTACK_MOVE: _exec_move,
    ATTACK: _exec_attack,
    HARVEST: _exec_harvest,
    STOP: _exec_stop,
    TRAIN: _exec_train,
    CANCEL_TRAIN: _exec_cancel_train,
    BUILD: _exec_build,
    CANCEL_BUILD: _exec_cancel_build,
    PLACE: _exec_place,
    SELL: _exec_sell,
    RALLY: _exec_rally,
    REPAIR: _exec_repair,
}
