"""Turning vocabulary commands (typed orders) into game Orders.

The translator (rules parser or model) produces canonical commands from
game.vocabulary; this module checks each one against the current game state
(units exist, prerequisites, credits, room to build, a known target) and
issues the same `Order`s the mouse would. It explains every refusal in the
player's language and describes what each command became ("train 4 infantry
at Barracks").

Commands that depend on an earlier one of the same typed order ("build a
barracks, then train 5 soldiers") wait until they can run instead of failing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from game import orders as O
from game import placement
from game.i18n import name, tr
from game.orders import Order, Rejection
from game.rules import BUILDING_TYPES, ECONOMY, TICKS_PER_SECOND, UNIT_TYPES
from game.vocabulary import ARMY_UNITS, REGIONS, TILE_TARGET, CommandError
from game.world import Building, Unit, World

WAIT_LIMIT = 90 * TICKS_PER_SECOND  # how long a waiting command may wait
MAX_WAITING = 8  # waiting commands per player; more are refused, never dropped silently

# Where each named region lies, as fractions of the map (x, y).
REGION_POINTS: dict[str, tuple[float, float]] = {
    "north": (0.5, 1 / 6), "south": (0.5, 5 / 6), "east": (5 / 6, 0.5), "west": (1 / 6, 0.5),
    "center": (0.5, 0.5), "northeast": (5 / 6, 1 / 6), "northwest": (1 / 6, 1 / 6),
    "southeast": (5 / 6, 5 / 6), "southwest": (1 / 6, 5 / 6),
}
assert set(REGION_POINTS) == set(REGIONS)


@dataclass
class Outcome:
    """What one command became: done, waiting, or refused (with the reason)."""

    command: dict[str, Any]
    status: str  # "done" | "waiting" | "refused" | "analyze"
    text: str
    orders: list[Order] = field(default_factory=list)


@dataclass
class _Waiting:
    command: dict[str, Any]
    selection: tuple[int, ...]
    lang: str
    since: int


def region_cell(world: World, region: str) -> tuple[int, int]:
    fx, fy = REGION_POINTS[region]
    return int(fx * (world.tiles.width - 1)), int(fy * (world.tiles.height - 1))


class CommandExecutor:
    """Executes typed commands for one player; keeps the ones that must wait."""

    def __init__(self, player: int) -> None:
        self.player = player
        self.waiting: list[_Waiting] = []

    # -- entry points -------------------------------------------------------
    def execute(self, world: World, commands: list[dict[str, Any]],
                selection: tuple[int, ...] = (), lang: str = "en") -> list[Outcome]:
        outcomes = []
        for command in commands:
            must_wait = bool(self.waiting) and self._depends_on_waiting(command)
            outcome = (self._wait(world, command, selection, lang) if must_wait
                       else self._run(world, command, selection, lang, allow_wait=True))
            outcomes.append(outcome)
        return outcomes

    def tick(self, world: World) -> list[Outcome]:
        """Retry waiting commands in order; returns those that ran or expired."""
        finished: list[Outcome] = []
        still: list[_Waiting] = []
        blocked_kinds: set[str] = set()
        for w in self.waiting:
            kind = w.command["action"]
            if kind in blocked_kinds:  # keep the typed order of same-kind commands
                still.append(w)
                continue
            outcome = self._run(world, w.command, w.selection, w.lang, allow_wait=True,
                                retry=True)
            if outcome.status == "waiting":
                if world.tick - w.since > WAIT_LIMIT:
                    finished.append(Outcome(w.command, "refused",
                                            tr("waited_too_long", w.lang)))
                else:
                    still.append(w)
                    blocked_kinds.add(kind)
            else:
                finished.append(outcome)
        self.waiting = still
        return finished

    # -- one command ----------------------------------------------------------
    def _run(self, world: World, command: dict[str, Any], selection: tuple[int, ...],
             lang: str, allow_wait: bool, retry: bool = False) -> Outcome:
        action = command["action"]
        if action == "analyze":
            return Outcome(command, "analyze", tr("did_analyze", lang))
        try:
            orders, text = getattr(self, "_" + action)(world, command, selection, lang)
        except CommandError as err:
            if allow_wait and self._can_wait(world, command, err):
                return self._wait(world, command, selection, lang) if not retry else \
                    Outcome(command, "waiting", tr("waiting_for", lang,
                                                   what=self._waiting_for(world, command, lang)))
            return Outcome(command, "refused", tr(err.key, lang, **_named(err.params, lang)))
        for order in orders:
            world.issue(order)
        return Outcome(command, "done", text, orders)

    def _wait(self, world: World, command: dict[str, Any], selection: tuple[int, ...],
              lang: str) -> Outcome:
        if len(self.waiting) >= MAX_WAITING:
            return Outcome(command, "refused", tr("too_many_waiting", lang))
        self.waiting.append(_Waiting(command, selection, lang, world.tick))
        return Outcome(command, "waiting",
                       tr("waiting_for", lang, what=self._waiting_for(world, command, lang)))

    def _depends_on_waiting(self, command: dict[str, Any]) -> bool:
        """Later commands of the same kind as a waiting one keep their typed order."""
        return any(w.command["action"] == command["action"] for w in self.waiting)

    def _can_wait(self, world: World, command: dict[str, Any], err: CommandError) -> bool:
        """Waiting only makes sense for what the base is already working towards."""
        me = world.players[self.player]
        coming = {w.command.get("building") for w in self.waiting}
        coming.update(o.item for o in world.pending_orders
                      if o.player == self.player and o.kind == O.BUILD)
        if me.construction is not None:
            coming.add(me.construction.item)
        if command["action"] == "build":
            return err.key in ("construction_busy", "missing_prerequisite") and (
                err.key == "construction_busy" or err.params.get("building") in coming)
        if command["action"] == "train":
            return err.key in ("no_factory", "missing_prerequisite") and \
                err.params.get("building") in coming
        return False

    def _waiting_for(self, world: World, command: dict[str, Any], lang: str) -> str:
        if command["action"] == "train":
            return name(UNIT_TYPES[command["unit"]].produced_by, lang)
        me = world.players[self.player]
        return name(me.construction.item if me.construction else "hq", lang)

    # -- actions ---------------------------------------------------------------
    def _move(self, world, command, selection, lang):
        units = self._subjects(world, command, selection)
        cell, label = self._target_cell(world, command["target"], units, lang)
        order = Order(O.MOVE, self.player, _ids(units), cell=cell)
        return [self._checked(world, order)], tr(
            "did_move", lang, units=_group_label(units, lang), target=label)

    def _attack(self, world, command, selection, lang):
        units = self._armed(world, command, selection)
        target = command["target"]
        if target.startswith("enemy_") and target != "enemy_base":
            entity = self._enemy_of_type(world, target[len("enemy_"):], units)
            order = Order(O.ATTACK, self.player, _ids(units), target=entity.id)
            label = name(target, lang)
        else:
            cell, label = self._target_cell(world, target, units, lang)
            order = Order(O.ATTACK_MOVE, self.player, _ids(units), cell=cell)
        return [self._checked(world, order)], tr(
            "did_attack", lang, units=_group_label(units, lang), target=label)

    def _defend(self, world, command, selection, lang):
        units = self._armed(world, command, selection)
        cell, label = self._target_cell(world, command["target"], units, lang)
        order = Order(O.ATTACK_MOVE, self.player, _ids(units), cell=cell)
        return [self._checked(world, order)], tr(
            "did_defend", lang, units=_group_label(units, lang), target=label)

    def _harvest(self, world, command, selection, lang):
        units = self._subjects(world, command, selection)
        order = Order(O.HARVEST, self.player, _ids(units))
        return [self._checked(world, order)], tr(
            "did_harvest", lang, units=_group_label(units, lang))

    def _stop(self, world, command, selection, lang):
        units = self._subjects(world, command, selection)
        order = Order(O.STOP, self.player, _ids(units))
        return [self._checked(world, order)], tr(
            "did_stop", lang, units=_group_label(units, lang))

    def _train(self, world, command, selection, lang):
        item = command["unit"]
        wanted = command.get("count", 1)
        utype = UNIT_TYPES[item]
        order = Order(O.TRAIN, self.player, item=item, count=wanted)
        self._checked(world, order)
        credits = world.players[self.player].credits
        factories = list(world.buildings_of(self.player, utype.produced_by))
        room = sum(max(0, ECONOMY.queue_limit - len(b.queue)) for b in factories)
        count = min(wanted, credits // utype.cost, room)
        order = Order(O.TRAIN, self.player, item=item, count=count)
        where = name(utype.produced_by, lang)
        if count < wanted:
            why = tr("short_of_credits" if credits // utype.cost < wanted else "queue_room", lang)
            text = tr("did_train_some", lang, count=count, wanted=wanted,
                      unit=name(item, lang), building=where, why=why)
        else:
            text = tr("did_train", lang, count=count, unit=name(item, lang, count),
                      building=where)
        return [order], text

    def _build(self, world, command, selection, lang):
        item = command["building"]
        near = None
        target = command.get("target")
        if target is not None:
            near, _ = self._target_cell(world, target, [], lang)
        order = Order(O.BUILD, self.player, item=item, auto_place=True, cell=near)
        self._checked(world, order)
        if placement.find_placement(world, self.player, item, near) is None:
            raise CommandError("no_room_to_build", building=item)
        return [order], tr("did_build", lang, building=name(item, lang))

    # -- resolution ------------------------------------------------------------
    def _checked(self, world: World, order: Order) -> Order:
        rejection: Rejection | None = O.check(world, order)
        if rejection is not None:
            raise CommandError(rejection.key, **rejection.params)
        return order

    def _subjects(self, world: World, command: dict[str, Any],
                  selection: tuple[int, ...]) -> list[Unit]:
        who = command["unit"]
        mine = [u for u in world.units.values() if u.owner == self.player]
        if who == "selected":
            chosen = [u for u in mine if u.id in set(selection)]
            who = "selected" if chosen else "army"
        if who == "army":
            chosen = [u for u in mine if u.type.name in ARMY_UNITS]
        elif who != "selected":
            chosen = [u for u in mine if u.type.name == who]
        if not chosen:
            raise CommandError("no_units_of", unit=who)
        count = command.get("count")
        if count is not None and count < len(chosen):
            chosen.sort(key=lambda u: (u.activity is not None, u.id))  # idle ones first
            chosen = chosen[:count]
        return chosen

    def _armed(self, world: World, command: dict[str, Any],
               selection: tuple[int, ...]) -> list[Unit]:
        """The subjects that can fight (harvesters cannot)."""
        units = [u for u in self._subjects(world, command, selection) if u.type.weapon]
        if not units:
            raise CommandError("no_units_of", unit=command["unit"])
        return units

    def _target_cell(self, world: World, target: str, units: list[Unit], lang: str
                     ) -> tuple[tuple[int, int], str]:
        match = TILE_TARGET.match(target)
        if match:
            cell = (int(match.group(1)), int(match.group(2)))
            if not world.tiles.in_bounds(*cell):
                raise CommandError("off_map")
            return cell, name(target, lang)
        if target in REGION_POINTS:
            return region_cell(world, target), name(target, lang)
        if target == "my_base":
            return placement.base_center(world, self.player), name(target, lang)
        if target == "enemy_base":
            return self._enemy_base(world), name(target, lang)
        if target == "ore":
            return self._nearest_ore(world, units), name(target, lang)
        entity = self._enemy_of_type(world, target[len("enemy_"):], units)
        x, y = entity.center if isinstance(entity, Building) else (entity.x, entity.y)
        return (int(x), int(y)), name(target, lang)

    def _enemy_base(self, world: World) -> tuple[int, int]:
        """The enemy building we know of nearest their start, else their start."""
        enemy = 1 - self.player
        sx, sy = world.players[enemy].start
        known = world.players[self.player].known_buildings.values()
        if known:
            _, x, y = min(known, key=lambda k: ((k[1] - sx) ** 2 + (k[2] - sy) ** 2, k))
            return x, y
        return sx, sy

    def _nearest_ore(self, world: World, units: list[Unit]) -> tuple[int, int]:
        ox, oy = _centroid(units) if units else placement.base_center(world, self.player)
        tiles = world.resource_tiles()
        if not tiles:
            raise CommandError("no_ore_left")
        return min(tiles, key=lambda t: ((t[0] - ox) ** 2 + (t[1] - oy) ** 2, t))

    def _enemy_of_type(self, world: World, kind: str, units: list[Unit]) -> Unit | Building:
        ox, oy = _centroid(units) if units else placement.base_center(world, self.player)
        best: Unit | Building | None = None
        best_d = math.inf
        if kind in UNIT_TYPES:
            for u in world.units.values():
                if u.owner != self.player and u.type.name == kind and \
                        world.is_visible(self.player, u.x, u.y):
                    d = (u.x - ox) ** 2 + (u.y - oy) ** 2
                    if d < best_d:
                        best, best_d = u, d
        elif kind in BUILDING_TYPES:
            known = world.players[self.player].known_buildings
            for bid, (bname, x, y) in known.items():
                b = world.buildings.get(bid)
                if bname == kind and b is not None:
                    d = (x - ox) ** 2 + (y - oy) ** 2
                    if d < best_d:
                        best, best_d = b, d
        if best is None:
            raise CommandError("no_known_target", target=f"enemy_{kind}")
        return best


def _ids(units: list[Unit]) -> tuple[int, ...]:
    return tuple(u.id for u in units)


def _centroid(units: list[Unit]) -> tuple[float, float]:
    return (sum(u.x for u in units) / len(units), sum(u.y for u in units) / len(units))


def _group_label(units: list[Unit], lang: str) -> str:
    kinds = sorted({u.type.name for u in units})
    if len(kinds) == 1:
        return f"{len(units)} {name(kinds[0], lang, len(units))}"
    return f"{len(units)} {tr('units_word', lang)}"


def _named(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Translate the names inside a refusal's parameters."""
    return {k: name(v, lang) if isinstance(v, str) and k in ("building", "unit", "target")
            else v for k, v in params.items()}
