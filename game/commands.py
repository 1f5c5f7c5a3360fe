"""Turning vocabulary commands (typed orders) into game Orders, and following them.

The translator (rules parser or model) produces canonical commands from
game.vocabulary; this module checks each one against the current game state
(units exist, prerequisites, room to build, a known target) and issues the same
`Order`s the mouse would. It explains every refusal in the player's language.

Each command gets one `Outcome` (a build of several gets one per building) that
says exactly what was done, what waits and what was refused, and is kept up to
date: a build stays "waiting" until its building stands ("Turret, east of the
base"), a train until its units have rolled out ("3 of 5 ready", "on hold,
insufficient funds"). Builds wait in line for the HQ, which builds one thing at a
time; commands that depend on an earlier one ("build a barracks, then train 5
soldiers") wait for it. Nothing is dropped silently: what can no longer happen
(the HQ or the factory lost, cancelled by the player, no room to place) ends
"refused" with the reason, and a partial result is "partial", never "done".

`tick(world)` must be called after every simulation step: it reads that step's
events (units rolling out, orders executed).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal, TypeVar

from game import orders as O
from game import placement, targets
from game.i18n import counted_units, name, tr
from game.orders import Order, Rejection
from game.rules import BUILDING_TYPES, ECONOMY, TICKS_PER_SECOND, UNIT_TYPES
from game.vocabulary import (
    ARMY_UNITS,
    ATTACKERS,
    FACTORIES,
    HERE,
    REGIONS,
    SUBJECT_ACTIONS,
    TILE_TARGET,
    UI_ACTIONS,
    Command,
    CommandError,
    canonical,
)
from game.world import Building, Construction, Unit, World

T = TypeVar("T")
MAX_WAITING = 12  # commands waiting for their turn per player; more are refused
# A build refused for a building that is not there yet waits when that building is coming:
# one it needs first, or the one it is to be put beside ("a refinery next to the barracks").
WAITED_BUILDING_ERRORS = ("missing_prerequisite", "no_building")
PLACE_GIVE_UP = 10 * TICKS_PER_SECOND  # a finished building with no room is cancelled after this

# Where each named region lies, as fractions of the map (x, y).
REGION_POINTS: dict[str, tuple[float, float]] = {
    "north": (0.5, 1 / 6), "south": (0.5, 5 / 6), "east": (5 / 6, 0.5), "west": (1 / 6, 0.5),
    "center": (0.5, 0.5), "northeast": (5 / 6, 1 / 6), "northwest": (1 / 6, 1 / 6),
    "southeast": (5 / 6, 5 / 6), "southwest": (1 / 6, 5 / 6),
}
assert set(REGION_POINTS) == set(REGIONS)

# What became of a command; "cancelled" only for a line a load or a replay stopped.
OutcomeStatus = Literal["waiting", "done", "partial", "refused", "analyze", "cancelled"]
WAITING: Final = "waiting"
DONE: Final = "done"
PARTIAL: Final = "partial"
REFUSED: Final = "refused"
ANALYZE: Final = "analyze"


@dataclass(frozen=True)
class Pointing:
    """What the player was pointing at when the order was typed: the selection, the
    map point under the mouse (the view's centre when the mouse was off the map),
    the control groups, and the place of the last alert."""

    selection: tuple[int, ...] = ()
    cursor: tuple[float, float] | None = None
    groups: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    last_alert: tuple[float, float] | None = None


@dataclass(frozen=True)
class UiRequest:
    """What a UI command asks of the interface; the simulation never sees it."""

    action: str  # select | group | camera | pause | resume | speed
    units: tuple[int, ...] = ()  # select, group: the units, in id order
    group: int | None = None  # group: the control group to assign
    point: tuple[float, float] | None = None  # camera: where to look
    speed: str | None = None  # speed: faster | slower | normal


@dataclass
class Outcome:
    """What one command became; updated in place while it is still waiting."""

    command: Command | None  # None: a log line restored from a save or a replay
    status: OutcomeStatus = WAITING
    text: str = ""
    orders: list[Order] = field(default_factory=list)
    made: int = 0  # buildings placed or units rolled out because of this command
    place: tuple[float, float] | None = None  # where an automatically placed building went
    ui: UiRequest | None = None  # a UI command: what the interface must do

    def set(self, status: OutcomeStatus, text: str) -> None:
        self.status, self.text = status, text


@dataclass
class _Pending:
    """A command whose turn has not come (the HQ is busy, its factory is coming), or
    one for units being trained (`after`: "train 5 soldiers and send them north")."""

    outcome: Outcome
    pointing: Pointing
    lang: str
    after: _Training | None = None

    @property
    def command(self) -> Command:
        return _given(self.outcome.command)


@dataclass
class _Building:
    """A build started at the HQ, followed until its building stands."""

    outcome: Outcome
    lang: str
    item: str
    order: Order
    issued: int  # tick the order was issued
    known: frozenset[int]  # buildings of this type that stood before
    construction: Construction | None = None
    ready_since: int | None = None
    pointing: Pointing = field(default_factory=Pointing)  # for a retry: "here" stays put


@dataclass
class _Training:
    """Units queued by one command, followed until the last one rolls out."""

    outcome: Outcome
    lang: str
    item: str
    wanted: int
    order: Order
    issued: int
    slots: dict[int, list[int]] | None = None  # factory id -> [same items ahead, ours left]
    ready: int = 0  # rolled out
    no_room: int = 0  # refused at once: the queues were full
    cancelled: int = 0  # taken out of the queue by the player
    lost: int = 0  # gone with their factory
    units: list[int] = field(default_factory=list)  # ids of those that rolled out

    def notes(self) -> list[str]:
        """Why some of the units asked for will not come."""
        notes = []
        if self.no_room:
            notes.append(tr("part_refused", self.lang, count=self.no_room,
                            why=tr("queue_room", self.lang)))
        if self.cancelled:
            notes.append(tr("part_cancelled", self.lang, count=self.cancelled))
        if self.lost:
            notes.append(tr("factory_lost", self.lang,
                            building=name(UNIT_TYPES[self.item].produced_by, self.lang)))
        return notes


_Job = _Pending | _Building | _Training


def region_cell(world: World, region: str) -> tuple[int, int]:
    fx, fy = REGION_POINTS[region]
    return int(fx * (world.tiles.width - 1)), int(fy * (world.tiles.height - 1))


class CommandExecutor:
    """Executes typed commands for one player and follows those that take time."""

    def __init__(self, player: int) -> None:
        self.player = player
        self.jobs: list[_Job] = []  # in the order the commands were typed

    # -- entry points -------------------------------------------------------
    def execute(self, world: World, commands: list[Command],
                selection: tuple[int, ...] = (), lang: str = "en",
                pointing: Pointing | None = None) -> list[Outcome]:
        """Run typed commands; `pointing` (else just the selection) grounds "here",
        "these units", control groups and the last alert."""
        pointing = pointing or Pointing(tuple(selection))
        outcomes = []
        training: dict[tuple[str | None, int | None], _Training] = {}
        for command in commands:
            for one in _one_per_building(command):
                outcome = Outcome(one)
                trained = training.get((one.unit, one.count))
                if one.action in SUBJECT_ACTIONS and trained is not None:
                    outcome.set(WAITING, tr("waiting_for_trained", lang, units=name(
                        trained.item, lang)))  # "…and send them north": those ones
                    job: _Job | None = _Pending(outcome, pointing, lang, after=trained)
                else:
                    job = self._start(world, outcome, pointing, lang, self.jobs)
                if isinstance(job, _Training):
                    training[(job.item, job.wanted)] = job
                if job is not None:
                    self.jobs.append(job)
                outcomes.append(outcome)
                if outcome.ui is not None and outcome.ui.action in ("select", "group"):
                    # "select the tanks, then send them north": the new selection
                    pointing = replace(pointing, selection=outcome.ui.units)
        return outcomes

    def tick(self, world: World) -> list[Outcome]:
        """Follow every unfinished command through the last step; returns those that
        finished now."""
        finished: list[Outcome] = []
        kept: list[_Job] = []
        for job in self.jobs:
            nxt = self._follow(world, job, kept)
            if nxt is None:
                finished.append(job.outcome)
            else:
                kept.append(nxt)
        self.jobs = kept
        return finished

    # -- starting a command ---------------------------------------------------
    def _start(self, world: World, outcome: Outcome, pointing: Pointing, lang: str,
               earlier: list[_Job]) -> _Job | None:
        """Run a command now, or make it wait its turn; None once it is settled."""
        command = _given(outcome.command)
        action = command.action
        if action == "analyze":
            outcome.set(ANALYZE, tr("did_analyze", lang))
            return None
        try:
            ahead = next((j.command for j in earlier if isinstance(j, _Pending)
                          and j.after is None and j.command.action == action), None)
            if ahead is not None:  # commands of one kind keep their typed order
                if action == "build":
                    raise CommandError("construction_busy", building=ahead.building)
                raise CommandError("in_line")
            if action in ("build", "train"):
                return getattr(self, "_" + action)(world, outcome, lang, earlier, pointing)
            if action in UI_ACTIONS:
                outcome.ui, text = getattr(self, "_" + action)(world, command, pointing, lang)
                outcome.set(DONE, text)
                return None
            if action == "cancel":
                orders, text = self._cancel(world, command, lang, earlier)
            else:
                orders, text = getattr(self, "_" + action)(world, command, pointing, lang)
        except CommandError as err:
            if self._can_wait(world, command, err, earlier):
                if sum(1 for j in earlier if isinstance(j, _Pending)) >= MAX_WAITING:
                    outcome.set(REFUSED, tr("too_many_waiting", lang))
                    return None
                outcome.set(WAITING, self._waiting_text(command, err, lang))
                return _Pending(outcome, pointing, lang)
            outcome.set(REFUSED, tr(err.key, lang, **_named(err.params, lang)))
            return None
        for order in orders:
            world.issue(order)
        outcome.orders = orders
        outcome.set(DONE, text)
        return None

    def _can_wait(self, world: World, command: Command, err: CommandError,
                  earlier: list[_Job]) -> bool:
        """Waiting only makes sense for what the base is already working towards."""
        if err.key == "in_line":
            return True
        coming = self._coming(world, earlier)
        needed = err.params.get("building")
        if command.action == "build":  # "a barracks, then a refinery next to it": its spot
            return err.key == "construction_busy" or (
                err.key in WAITED_BUILDING_ERRORS and needed in coming)
        if command.action == "train":
            return err.key in ("no_factory", "missing_prerequisite") and needed in coming
        return False

    def _coming(self, world: World, earlier: list[_Job]) -> set[str]:
        """Buildings under way or waiting to be built for this player."""
        me = world.players[self.player]
        coming = {j.item for j in earlier if isinstance(j, _Building)}
        coming.update(_given(j.command.building) for j in earlier
                      if isinstance(j, _Pending) and j.command.action == "build")
        coming.update(o.item for o in world.pending_orders
                      if o.player == self.player and o.kind == O.BUILD and o.item is not None)
        if me.construction is not None:
            coming.add(me.construction.item)
        return coming

    def _waiting_text(self, command: Command, err: CommandError, lang: str) -> str:
        if command.action == "train":
            return tr("waiting_for", lang, what=name(
                UNIT_TYPES[_given(command.unit)].produced_by, lang))
        building = name(_given(command.building), lang)
        if err.key in WAITED_BUILDING_ERRORS:
            return tr("build_waiting_for", lang, building=building,
                      what=name(str(err.params["building"]), lang))
        return tr("build_waiting_hq", lang, building=building,
                  what=name(str(err.params.get("building", "hq")), lang))

    # -- following commands that take time ------------------------------------
    def _follow_pending(self, world: World, job: _Pending, earlier: list[_Job]) -> _Job | None:
        if job.after is None:
            return self._start(world, job.outcome, job.pointing, job.lang, earlier)
        if job.after.outcome.status == WAITING:
            return job  # still training
        alive = tuple(i for i in job.after.units if i in world.units)
        if not alive:
            job.outcome.set(REFUSED, tr("no_units_of", job.lang, unit=name(
                job.after.item, job.lang)))
            return None
        job.outcome.command = job.command.changed(unit="selected", count=len(alive))
        pointing = replace(job.pointing, selection=alive)
        return self._start(world, job.outcome, pointing, job.lang, earlier)

    def _follow_building(self, world: World, job: _Building, earlier: list[_Job]
                         ) -> _Job | None:
        me = world.players[self.player]
        if job.construction is None:
            fate = _fate(world, job.order, job.issued)
            if fate == "pending":
                return job
            if fate == "rejected":  # something changed before it ran: try again
                return self._start(world, job.outcome, job.pointing, job.lang, earlier)
            job.construction = me.construction
        c = job.construction
        name_ = name(job.item, job.lang)
        if me.construction is not c or c is None:
            self._built_or_cancelled(world, job)
            return None
        if not world.has_building(self.player, "hq"):
            world.issue(Order(O.CANCEL_BUILD, self.player))
            job.outcome.set(REFUSED, tr("no_hq", job.lang))
            return None
        if not c.ready:
            job.outcome.set(WAITING, tr("build_on_hold" if c.on_hold else "build_under_way",
                                        job.lang, building=name_))
            return job
        if job.ready_since is None:
            job.ready_since = world.tick
        if world.tick - job.ready_since >= PLACE_GIVE_UP:
            world.issue(Order(O.CANCEL_BUILD, self.player))
            job.outcome.set(REFUSED, tr("no_room_refunded", job.lang, building=name_,
                                        refund=c.paid))
            return None
        job.outcome.set(WAITING, tr("build_no_room_yet", job.lang, building=name_))
        return job

    def _built_or_cancelled(self, world: World, job: _Building) -> None:
        """The construction has left the HQ: placed (where?) or cancelled."""
        new = [b for b in world.buildings_of(self.player, job.item) if b.id not in job.known]
        name_ = name(job.item, job.lang)
        if not new:
            job.outcome.set(REFUSED, tr("build_cancelled", job.lang, building=name_))
            return None
        b = max(new, key=lambda b: b.id)
        x, y = b.center
        side = placement.side_of_base(world, self.player, x, y)
        job.outcome.place = (x, y)
        job.outcome.made = 1
        job.outcome.set(DONE, tr("placed_at", job.lang, building=name_,
                                 side=tr("side_" + side, job.lang)))
        return None

    def _follow_training(self, world: World, job: _Training, earlier: list[_Job]
                         ) -> _Job | None:
        if job.slots is None:
            fate = _fate(world, job.order, job.issued)
            if fate == "pending":
                return job
            queued = next((e for e in world.events if e.kind == "queued"
                           and e.data.get("order") is job.order), None)
            if fate == "rejected" or queued is None:
                rejection = O.check(world, job.order)
                key, params = (rejection.key, rejection.params) if rejection else ("bad_order", {})
                job.outcome.set(REFUSED, tr(key, job.lang, **_named(params, job.lang)))
                return None
            job.slots = {fid: list(slot) for fid, slot in queued.data["slots"].items()}
        self._count_rolled_out(world, job)
        self._count_lost(world, job)
        if any(mine for _, mine in job.slots.values()):
            job.outcome.set(WAITING, self._training_text(world, job))
            return job
        status: OutcomeStatus = REFUSED
        if job.ready:
            status = DONE if job.ready == job.wanted else PARTIAL
        job.outcome.set(status, self._trained_text(job))
        return None

    def _count_rolled_out(self, world: World, job: _Training) -> None:
        assert job.slots is not None
        for e in world.events:
            if e.kind != "unit_ready" or e.player != self.player or e.data.get("unit") != job.item:
                continue
            slot = job.slots.get(e.data.get("factory_id", -1))
            if slot is None:
                continue
            if slot[0] > 0:  # a unit queued before ours
                slot[0] -= 1
            elif slot[1] > 0:
                slot[1] -= 1
                job.ready += 1
                job.units.append(e.data["id"])
                job.outcome.made = job.ready

    def _count_lost(self, world: World, job: _Training) -> None:
        """Units of ours no longer queued: cancelled (the last copy goes first) or lost
        with their factory."""
        assert job.slots is not None
        for fid, slot in job.slots.items():
            factory = world.buildings.get(fid)
            present = factory.queue.count(job.item) if factory is not None else 0
            missing = slot[0] + slot[1] - present
            if missing <= 0:
                continue
            lost = min(missing, slot[1])
            slot[1] -= lost
            slot[0] = max(0, slot[0] - (missing - lost))
            if factory is None:
                job.lost += lost
            else:
                job.cancelled += lost

    def _training_text(self, world: World, job: _Training) -> str:
        count = job.order.count
        where = name(UNIT_TYPES[job.item].produced_by, job.lang)
        text = tr("training", job.lang, count=count, unit=name(job.item, job.lang, count),
                  building=where, ready=job.ready)
        notes = job.notes()
        if any(mine and not ahead and (f := world.buildings.get(fid)) is not None and f.on_hold
               for fid, (ahead, mine) in (job.slots or {}).items()):
            notes.append(tr("on_hold_note", job.lang))
        return f"{text} ({'; '.join(notes)})" if notes else text

    def _trained_text(self, job: _Training) -> str:
        unit = name(job.item, job.lang, job.ready if job.ready == job.wanted else None)
        where = name(UNIT_TYPES[job.item].produced_by, job.lang)
        if job.ready == job.wanted:
            return tr("did_train", job.lang, count=job.ready, unit=unit, building=where)
        return tr("did_train_some", job.lang, count=job.ready, wanted=job.wanted, unit=unit,
                  building=where, why="; ".join(job.notes()))

    def _follow(self, world: World, job: _Job, earlier: list[_Job]) -> _Job | None:
        if isinstance(job, _Pending):
            return self._follow_pending(world, job, earlier)
        if isinstance(job, _Building):
            return self._follow_building(world, job, earlier)
        return self._follow_training(world, job, earlier)

    # -- actions ---------------------------------------------------------------
    def _move(self, world, command, pointing, lang):
        units = self._subjects(world, command, pointing)
        cell, label = self._place(world, command, units, pointing, lang)
        order = Order(O.MOVE, self.player, _ids(units), cell=cell)
        return [self._checked(world, order)], tr(
            "did_move", lang, units=_group_label(units, lang, command.filter), target=label)

    def _attack(self, world, command, pointing, lang):
        units = self._armed(world, command, pointing)
        target = command.target
        entity = None
        if command.side is None:
            if target.startswith("enemy_") and target != "enemy_base":
                entity = self._enemy_of_type(world, target[len("enemy_"):], units)
            elif target == ATTACKERS:
                entity = self._nearest_attacker(world, units)
            elif target == HERE and pointing.cursor is not None:  # "attack this one"
                entity = targets.enemy_at(world, self.player, pointing.cursor)
        if entity is not None:
            order = Order(O.ATTACK, self.player, _ids(units), target=entity.id)
            label = name(f"enemy_{entity.type.name}" if target == HERE else target, lang)
        else:
            cell, label = self._place(world, command, units, pointing, lang)
            order = Order(O.ATTACK_MOVE, self.player, _ids(units), cell=cell)
        return [self._checked(world, order)], tr(
            "did_attack", lang, units=_group_label(units, lang, command.filter), target=label)

    def _defend(self, world, command, pointing, lang):
        units = self._armed(world, command, pointing)
        cell, label = self._place(world, command, units, pointing, lang)
        order = Order(O.ATTACK_MOVE, self.player, _ids(units), cell=cell)
        return [self._checked(world, order)], tr(
            "did_defend", lang, units=_group_label(units, lang, command.filter), target=label)

    def _harvest(self, world, command, pointing, lang):
        units = self._subjects(world, command, pointing)
        order = Order(O.HARVEST, self.player, _ids(units))
        return [self._checked(world, order)], tr(
            "did_harvest", lang, units=_group_label(units, lang, command.filter))

    def _stop(self, world, command, pointing, lang):
        units = self._subjects(world, command, pointing)
        order = Order(O.STOP, self.player, _ids(units))
        return [self._checked(world, order)], tr(
            "did_stop", lang, units=_group_label(units, lang, command.filter))

    def _sell(self, world, command, pointing, lang):
        """Sell buildings as the Sell button does, each checked the same way."""
        chosen = self._own_buildings(world, command, pointing, lang, "nothing_to_sell")
        if len(chosen) >= sum(1 for _ in world.buildings_of(self.player)):
            raise CommandError("last_building")  # each sale alone would pass its check
        orders = [self._checked(world, Order(O.SELL, self.player, target=b.id)) for b in chosen]
        return orders, tr("did_sell", lang, what=_building_label(chosen, lang))

    def _repair(self, world, command, pointing, lang):
        """Turn repair on for damaged buildings (those already in repair stay so)."""
        chosen = self._own_buildings(world, command, pointing, lang, "no_building", every=True)
        damaged = [b for b in chosen if b.damaged and not b.repairing]
        if not damaged:
            if any(b.repairing for b in chosen):
                raise CommandError("already_repairing",
                                   building=chosen[0].type.name)
            raise CommandError("not_damaged", building=chosen[0].type.name)
        count = command.count
        damaged = damaged[:count] if count else damaged
        orders = [self._checked(world, Order(O.REPAIR, self.player, target=b.id))
                  for b in damaged]
        return orders, tr("did_repair", lang, what=_building_label(damaged, lang))

    def _rally(self, world, command, pointing, lang):
        """Set the rally point of the named factories (the selected one, else all)."""
        kind = command.building
        mine = [b for b in world.buildings_of(self.player) if b.type.name in FACTORIES]
        if kind == "selected":
            factories = [b for b in mine if b.id in pointing.selection] or \
                [b for b in mine if b.type.name != "hq"]
        else:
            factories = [b for b in mine if b.type.name == kind]
        if not factories:
            raise CommandError("no_building", building=kind if kind != "selected" else
                               "barracks")
        cell, label = self._place(world, command, [], pointing, lang)
        orders = [self._checked(world, Order(O.RALLY, self.player, target=b.id, cell=cell))
                  for b in factories]
        return orders, tr("did_rally", lang, what=_building_label(factories, lang),
                          target=label)

    def _cancel(self, world: World, command: Command, lang: str,
                earlier: list[_Job]) -> tuple[list[Order], str]:
        """Take production out of the queues as the right click does, the newest first,
        refunded the same way; a build still waiting for its turn is dropped too."""
        item, wanted = _given(command.item), command.count
        if item in UNIT_TYPES:
            issued, dropped = self._cancel_training(world, item, wanted)
        else:
            issued, dropped = self._cancel_building(world, item, earlier, lang)
        if not issued and not dropped:
            raise CommandError("nothing_to_cancel_of", item=item)
        count = len(issued) + dropped
        return issued, tr("did_cancel", lang, count=count, item=name(item, lang, count))

    def _cancel_training(self, world: World, item: str, wanted: int | None
                         ) -> tuple[list[Order], int]:
        maker = UNIT_TYPES[item].produced_by
        taken: dict[int | None, int] = {}  # cancels already on their way, per factory
        for o in world.pending_orders:
            if o.player == self.player and o.kind == O.CANCEL_TRAIN and o.item == item:
                taken[o.target] = taken.get(o.target, 0) + 1
        orders: list[Order] = []
        for b in sorted(world.buildings_of(self.player, maker), key=lambda b: -b.id):
            left = b.queue.count(item) - taken.get(b.id, 0)
            for _ in range(max(0, left)):
                if wanted is not None and len(orders) >= wanted:
                    break
                orders.append(self._checked(
                    world, Order(O.CANCEL_TRAIN, self.player, target=b.id, item=item)))
        return orders, 0

    def _cancel_building(self, world: World, item: str, earlier: list[_Job], lang: str
                         ) -> tuple[list[Order], int]:
        dropped = []
        for job in earlier:
            if _given(job.outcome.command).building != item:
                continue
            if isinstance(job, _Building) and job.construction is None and \
                    any(o is job.order for o in world.pending_orders):
                # Typed this very tick: withdrawn before it ever reaches the HQ.
                world.pending_orders = [o for o in world.pending_orders if o is not job.order]
            elif not isinstance(job, _Pending):
                continue
            job.outcome.set(REFUSED, tr("build_cancelled", lang, building=name(item, lang)))
            dropped.append(job)
        earlier[:] = [j for j in earlier if j not in dropped]
        c = world.players[self.player].construction
        if c is not None and c.item == item:
            return [self._checked(world, Order(O.CANCEL_BUILD, self.player))], len(dropped)
        return [], len(dropped)

    # -- UI commands: resolved here, applied by the interface --------------------
    def _select(self, world, command, pointing, lang):
        units = self._subjects(world, command, pointing)
        return UiRequest("select", _ids(units)), tr(
            "did_select", lang, units=_group_label(units, lang, command.filter))

    def _group(self, world, command, pointing, lang):
        units = self._subjects(world, command, pointing)
        group = command.group
        return UiRequest("group", _ids(units), group=group), tr(
            "did_group", lang, units=_group_label(units, lang, command.filter), group=group)

    def _camera(self, world, command, pointing, lang):
        cell, label = self._place(world, command, [], pointing, lang)
        return UiRequest("camera", point=(cell[0] + 0.5, cell[1] + 0.5)), tr(
            "did_camera", lang, target=label)

    def _pause(self, world, command, pointing, lang):
        return UiRequest("pause"), tr("did_pause", lang)

    def _resume(self, world, command, pointing, lang):
        return UiRequest("resume"), tr("did_resume", lang)

    def _speed(self, world, command, pointing, lang):
        speed = command.speed
        return UiRequest("speed", speed=speed), tr("did_speed_" + speed, lang)

    def _train(self, world: World, outcome: Outcome, lang: str, earlier: list[_Job],
               pointing: Pointing) -> _Training:
        """Queue what the factories have room for (beyond the credits too: production
        pays as it goes); the rest is refused, and said so."""
        command = _given(outcome.command)
        item, wanted = _given(command.unit), command.count or 1
        maker = UNIT_TYPES[item].produced_by
        self._checked(world, Order(O.TRAIN, self.player, item=item, count=wanted))
        room = sum(max(0, ECONOMY.queue_limit - len(b.queue))
                   for b in world.buildings_of(self.player, maker))
        room -= sum(o.count for o in world.pending_orders if o.player == self.player
                    and o.kind == O.TRAIN and o.item is not None and o.item in UNIT_TYPES
                    and UNIT_TYPES[o.item].produced_by == maker)
        count = min(wanted, room)
        if count <= 0:
            raise CommandError("queue_full", building=maker)
        order = Order(O.TRAIN, self.player, item=item, count=count)
        world.issue(order)
        outcome.orders = [order]
        job = _Training(outcome, lang, item, wanted, order, world.tick,
                        no_room=wanted - count)
        outcome.set(WAITING, self._training_text(world, job))
        return job

    def _build(self, world: World, outcome: Outcome, lang: str, earlier: list[_Job],
               pointing: Pointing) -> _Building:
        """Start one building at the HQ if it is free, else wait in line for it."""
        command = _given(outcome.command)
        item = _given(command.building)
        near = self._build_spot(world, command, pointing, lang)
        busy = self._hq_busy(world, earlier)
        if busy is not None:
            raise CommandError("construction_busy", building=busy)
        order = self._checked(world, Order(O.BUILD, self.player, item=item, auto_place=True,
                                           cell=near))
        if placement.find_placement(world, self.player, item, near) is None:
            raise CommandError("no_room_to_build", building=item)
        world.issue(order)
        outcome.orders = [order]
        outcome.set(WAITING, tr("build_under_way", lang, building=name(item, lang)))
        known = frozenset(b.id for b in world.buildings_of(self.player, item))
        return _Building(outcome, lang, item, order, world.tick, known, pointing=pointing)

    def _build_spot(self, world: World, command: Command, pointing: Pointing,
                    lang: str) -> tuple[int, int] | None:
        """A region names a side of our own base (buildings go near the base); any other
        place, with its side if it has one, is where to build near ("a turret north of
        the refinery", "a power plant here")."""
        target = command.target
        if target is None:
            return None
        if target in REGION_POINTS and command.side is None:
            return placement.side_point(world, self.player, target)
        return self._place(world, command, [], pointing, lang)[0]

    def _hq_busy(self, world: World, earlier: list[_Job]) -> str | None:
        """What the HQ is building or about to build, if anything."""
        me = world.players[self.player]
        if me.construction is not None:
            return me.construction.item
        for o in world.pending_orders:
            if o.player == self.player and o.kind == O.BUILD:
                return o.item
        return next((j.item for j in earlier if isinstance(j, _Building)), None)

    # -- resolution ------------------------------------------------------------
    def _checked(self, world: World, order: Order) -> Order:
        rejection: Rejection | None = O.check(world, order)
        if rejection is not None:
            raise CommandError(rejection.key, **rejection.params)
        return order

    def _subjects(self, world: World, command: Command,
                  pointing: Pointing) -> list[Unit]:
        """Who carries the order out: a type, the army, the selection ("these units";
        the army when nothing of ours is selected) or a control group, narrowed by an
        area and a filter, the idle ones first when a count takes only some."""
        who = _given(command.unit)
        mine = [u for u in world.units.values() if u.owner == self.player]
        if who == "selected":
            chosen = [u for u in mine if u.id in set(pointing.selection)]
            who = "selected" if chosen else "army"
        if who == "army":
            chosen = [u for u in mine if u.type.name in ARMY_UNITS]
        elif who.startswith("group_"):
            group = int(who[len("group_"):])
            members = set(pointing.groups.get(group, ()))
            chosen = [u for u in mine if u.id in members]
            if not chosen:
                raise CommandError("empty_group", group=group)
        elif who != "selected":
            chosen = [u for u in mine if u.type.name == who]
        if not chosen:
            raise CommandError("no_units_of", unit=who)
        chosen = self._narrowed(world, command, chosen, pointing)
        count = command.count
        if count is not None and count < len(chosen):
            chosen.sort(key=lambda u: (u.activity is not None, u.id))  # idle ones first
            chosen = chosen[:count]
        return chosen

    def _narrowed(self, world: World, command: Command, units: list[Unit],
                  pointing: Pointing) -> list[Unit]:
        area, kind = command.area, command.filter
        if area == HERE and pointing.cursor is None:
            raise CommandError("no_cursor")
        if area is not None:
            units = [u for u in units
                     if targets.in_area(world, self.player, area, u.x, u.y, pointing.cursor)]
        if kind is not None:
            units = [u for u in units if targets.matches_filter(u, kind)]
        if not units:
            raise CommandError("no_units_match", unit=command.unit,
                               details=tuple(k for k in (kind, area) if k))
        return units

    def _armed(self, world: World, command: Command,
               pointing: Pointing) -> list[Unit]:
        """The subjects that can fight (harvesters cannot)."""
        units = [u for u in self._subjects(world, command, pointing) if u.type.weapon]
        if not units:
            raise CommandError("no_units_of", unit=command.unit)
        return units

    def _own_buildings(self, world: World, command: Command, pointing: Pointing,
                       lang: str, missing: str, every: bool = False) -> list[Building]:
        """The buildings of ours a sale or a repair names: a type ("the refinery", the
        one nearest the named place), the selection ("this one"), whatever stands under
        the mouse ("sell that"), in a region, or anywhere in the base ("repair the
        base"). A sale takes one unless counted; a repair every one unless counted."""
        kind = command.building
        mine = list(world.buildings_of(self.player))
        if kind == "selected":
            chosen = [b for b in mine if b.id in pointing.selection]
            if not chosen:
                raise CommandError("select_building_first")
        else:
            chosen = [b for b in mine if kind is None or b.type.name == kind]
        target = command.target
        if target is not None:
            cell, _ = self._target_cell(world, target, [], pointing, lang)
            if kind is None and target == HERE:  # "sell that": what stands under the mouse
                chosen = [b for b in chosen if _distance_to(b, cell) <= 1.5]
            elif kind is None and target in REGIONS:  # "repair the buildings in the east"
                chosen = [b for b in chosen if targets.in_area(world, self.player, target,
                                                                *b.center, None)]
            chosen.sort(key=lambda b: (_distance_to(b, cell), b.id))
        else:
            chosen.sort(key=lambda b: -b.id)  # the newest first, as a player would
        if not chosen:
            if kind is None:
                raise CommandError(missing + "_there")
            raise CommandError(missing, building=kind)
        count = command.count
        if count is None:
            return chosen if every else chosen[:1]
        return chosen[:count]

    def _place(self, world: World, command: Command, units: list[Unit],
               pointing: Pointing, lang: str) -> tuple[tuple[int, int], str]:
        """The cell a command's target names, moved to its side if it has one."""
        target = _given(command.target)
        cell, label = self._target_cell(world, target, units, pointing, lang)
        side = command.side
        if side is None:
            return cell, label
        spot = targets.beside(world, (cell[0] + 0.5, cell[1] + 0.5), side, target)
        return spot, tr("side_of_" + side, lang, target=label)

    def _target_cell(self, world: World, target: str, units: list[Unit],
                     pointing: Pointing, lang: str) -> tuple[tuple[int, int], str]:
        label = name(target, lang)
        match = TILE_TARGET.match(target)
        if match:
            cell = (int(match.group(1)), int(match.group(2)))
            if not world.tiles.in_bounds(*cell):
                raise CommandError("off_map")
            return cell, label
        if target in REGION_POINTS:
            return region_cell(world, target), label
        if target == "my_base":
            return placement.base_center(world, self.player), label
        if target == "enemy_base":
            return self._enemy_base(world), label
        if target == "ore":
            return self._nearest_ore(world, units), label
        if target == HERE:
            if pointing.cursor is None:
                raise CommandError("no_cursor")
            cell = targets.beside(world, pointing.cursor, "near", target)
            return cell, f"{label} ({cell[0]},{cell[1]})"
        if target == ATTACKERS:
            found = targets.attackers(world, self.player)
            if not found:
                raise CommandError("nothing_attacking")
            points = [_position(e) for e in found]
            x, y = (sum(p[0] for p in points) / len(points),
                    sum(p[1] for p in points) / len(points))
            return (int(x), int(y)), label
        if target == "alert":
            point = targets.alert_point(world, self.player, pointing.last_alert)
            if point is None:
                raise CommandError("no_alert")
            return targets.beside(world, point, "near", target), label
        if target.startswith("group_"):
            units = self._subjects(world, canonical({"action": "select", "unit": target}),
                                   pointing)
            x, y = _centroid(units)
            return (int(x), int(y)), label
        if target.startswith("my_"):
            kind = target[len("my_"):]
            origin = _centroid(units) if units else placement.base_center(world, self.player)
            b = targets.nearest_own_building(world, self.player, kind, origin)
            if b is None:
                raise CommandError("no_building", building=kind)
            return (int(b.center[0]), int(b.center[1])), label
        entity = self._enemy_of_type(world, target[len("enemy_"):], units)
        x, y = entity.center if isinstance(entity, Building) else (entity.x, entity.y)
        return (int(x), int(y)), label

    def _nearest_attacker(self, world: World, units: list[Unit]) -> Unit | Building:
        """The attacker nearest the group (the one they can reach first)."""
        found = targets.attackers(world, self.player)
        if not found:
            raise CommandError("nothing_attacking")
        ox, oy = _centroid(units)
        return min(found, key=lambda e: ((_position(e)[0] - ox) ** 2
                                         + (_position(e)[1] - oy) ** 2, e.id))

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


def _one_per_building(command: Command) -> list[Command]:
    """"build 2 power plants" is two builds, each followed on its own line."""
    if command.action != "build" or (command.count or 1) <= 1:
        return [command]
    return [command.changed(count=1) for _ in range(command.count or 1)]


def _fate(world: World, order: Order, issued: int) -> str:
    """Whether an issued order is still "pending", was "executed" or "rejected"."""
    if any(o is order for o in world.pending_orders):
        return "pending"
    for tick, logged in reversed(world.order_log):
        if tick < issued:
            break
        if logged is order:
            return "executed"
    return "rejected"


def _ids(units: list[Unit]) -> tuple[int, ...]:
    return tuple(u.id for u in units)


def _centroid(units: list[Unit]) -> tuple[float, float]:
    return (sum(u.x for u in units) / len(units), sum(u.y for u in units) / len(units))


def _position(entity: Unit | Building) -> tuple[float, float]:
    return entity.center if isinstance(entity, Building) else (entity.x, entity.y)


def _distance_to(b: Building, cell: tuple[int, int]) -> int:
    """Tiles from a cell to the nearest cell of a building (0: on it)."""
    w, h = b.type.size
    dx = max(b.x - cell[0], 0, cell[0] - (b.x + w - 1))
    dy = max(b.y - cell[1], 0, cell[1] - (b.y + h - 1))
    return max(dx, dy)


def _building_label(buildings: list[Building], lang: str) -> str:
    kinds = sorted({b.type.name for b in buildings})
    if len(kinds) == 1:
        label = name(kinds[0], lang)
        return label if len(buildings) == 1 else f"{len(buildings)} × {label}"
    return f"{len(buildings)} {tr('buildings_word', lang)}"


def _group_label(units: list[Unit], lang: str, filter_: str | None = None) -> str:
    kinds = {u.type.name for u in units}
    kind = kinds.pop() if len(kinds) == 1 else None
    return counted_units(len(units), kind, lang, filter_)


def _given(value: T | None) -> T:
    """A slot that the action's frame requires: `canonical` has made sure it is there."""
    if value is None:
        raise CommandError("not_a_command")
    return value


def _named(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Translate the names inside a refusal's parameters."""
    named = {k: name(v, lang) if isinstance(v, str) and v and k in _NAMED_PARAMS
             else v for k, v in params.items()}
    if isinstance(params.get("details"), tuple):  # a list of names: "idle, north"
        named["details"] = ", ".join(name(v, lang) for v in params["details"])
    return named


_NAMED_PARAMS = ("building", "unit", "target", "item", "what", "where")
