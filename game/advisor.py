"""The advisor's heuristic analysis: how the battle stands and what to do next.

Pure Python over the game state, well under a millisecond. It only uses what
the player can know: their own forces, enemies in sight, enemies seen in the
last minute, and enemy buildings they have seen (fog of war applies). Every
statement is true of the state it was computed from:

- strength is weighed by unit type with the rules table's numbers (hp, damage
  against each armour, reload, range; Lanchester's square law), so ten tanks
  are not "stronger" than three helicopters they cannot shoot;
- enemies at the base come first: then no tip says "attack" or "all is well";
- "all is well" needs an army, credits, an income, power and a quiet base;
- nag-type tips (an idle factory) show once, then keep quiet for a while.

Each tip also names the actions it recommends (`Action`); the model's remarks
(llm.advice) are shown only when they recommend one of the report's actions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from game import production
from game.commands import REGION_POINTS
from game.i18n import name, tr
from game.rules import (
    ARMY_FACTORIES,
    BUILDING_TYPES,
    RIFLE,
    TICKS_PER_SECOND,
    UNIT_TYPES,
    BuildingType,
    UnitType,
    Weapon,
)
from game.vocabulary import Command
from game.world import Building, Unit, World

REFRESH_TICKS = 3 * TICKS_PER_SECOND  # routine refresh period
DANGER_RADIUS = 16  # tiles around our buildings where enemies count as a threat
ESCORT_RADIUS = 5  # artillery without a combat unit this close is "unprotected"
IDLE_CREDITS = 2500  # credits that count as "piling up"
AHEAD, BEHIND = 2.0, 0.5  # strength ratios that read as "stronger" / "weaker"
MIN_ATTACK_ARMY = 5  # fewer units never make an attack tip
MEMORY_TICKS = 60 * TICKS_PER_SECOND  # an enemy seen this recently still counts
# "Attack now" risks the whole army: it must outweigh every enemy seen in this longer
# window, so a large army seen a few minutes ago is not forgotten (it is still out there).
ATTACK_MEMORY_TICKS = 5 * 60 * TICKS_PER_SECOND
IDLE_FACTORY_TICKS = 20 * TICKS_PER_SECOND  # idle this long before it is worth a tip
NAG_SHOW_TICKS = 15 * TICKS_PER_SECOND  # a nag-type tip shows this long...
NAG_QUIET_TICKS = 90 * TICKS_PER_SECOND  # ...then keeps quiet this long
POWER_MARGIN = 30  # spare power under which another Power Plant is sensible
ALERT_EVENTS = ("building_destroyed", "under_attack", "unit_destroyed")
CHEAPEST_UNIT = min(u.cost for u in UNIT_TYPES.values() if u.combat)
# Tips that make no sense while enemies are at the base: defence comes first.
NOT_UNDER_THREAT = ("attack", "spend", "idle_factory", "barracks", "war_factory", "artillery",
                    "behind")

Action = tuple[str, str]  # (action, object): ("build", "power_plant"), ("defend", "my_base")
Force = list[tuple["UnitType | BuildingType", int]]  # (type, hp) of each fighter


@dataclass(frozen=True)
class Tip:
    key: str  # what kind of tip (stable, for tests and de-duplication)
    text: str
    priority: int  # higher first
    actions: tuple[Action, ...] = ()  # what it recommends, for the model-remark gate


@dataclass(frozen=True)
class Report:
    tick: int
    summary: str
    tips: tuple[Tip, ...]
    facts: dict[str, object] = field(default_factory=dict)  # for the model's prompt
    actions: tuple[Action, ...] = ()  # everything sensible now, best first
    details: tuple[str, ...] = ()  # the fuller report ("how am I doing?")

    def recommends(self, command: Command) -> bool:
        """Whether a vocabulary command is one of the actions this report ranks sensible
        (and, for training, one the credits pay for)."""
        unit = UNIT_TYPES.get(command.unit or "")
        if command.action == "train" and unit is not None:
            cost = unit.cost * (command.count or 1)
            if cost > int(self.facts.get("credits", 0)):  # type: ignore[call-overload]
                return False
        return any(_matches(command, action) for action in self.actions)


@dataclass(frozen=True)
class Alert:
    kind: str  # under_attack | low_power | harvester_lost | building_lost
    text: str
    tick: int
    x: float
    y: float


def region_name(world: World, x: float, y: float) -> str:
    """The named region (north, center, ...) closest to a point."""
    w, h = world.tiles.width, world.tiles.height
    return min(REGION_POINTS, key=lambda r: (REGION_POINTS[r][0] * w - x) ** 2
               + (REGION_POINTS[r][1] * h - y) ** 2)


# -- strength: by unit type, from the rules table ----------------------------

def weapon_dps(weapon: Weapon | None, armor: str) -> float:
    """Damage per second against one armour class, longer reach counting extra
    (it fires first and from behind the front line)."""
    if weapon is None or not weapon.can_hit(armor):
        return 0.0
    reach = 1.0 + max(0.0, weapon.range - RIFLE.range) / 10.0
    return weapon.damage * weapon.vs_armor[armor] * TICKS_PER_SECOND / weapon.cooldown * reach


def firepower(force: Force, targets: Force) -> float:
    """Damage per second a force deals to a mix of targets (spread by their hp)."""
    total = sum(hp for _, hp in targets)
    if not total:
        return 0.0
    shares: dict[str, float] = {}
    for kind, hp in targets:
        shares[kind.armor] = shares.get(kind.armor, 0.0) + hp / total
    shooters: dict[str, tuple[UnitType | BuildingType, int]] = {}  # by type: fast for big armies
    for kind, _ in force:
        shooters[kind.name] = (kind, shooters.get(kind.name, (kind, 0))[1] + 1)
    return sum(n * weapon_dps(kind.weapon, armor) * share
               for kind, n in shooters.values() for armor, share in shares.items())


def strength_ratio(ours: Force, theirs: Force) -> float:
    """Lanchester's square law: (our hp x our firepower on them) over theirs on us.
    Above 1 we should win the fight; inf when they cannot hurt us."""
    mine = sum(hp for _, hp in ours) * firepower(ours, theirs)
    other = sum(hp for _, hp in theirs) * firepower(theirs, ours)
    if other == 0:
        return math.inf if mine > 0 or not theirs else 1.0
    return mine / other


def force_of(entities: Iterable[Unit | Building]) -> Force:
    return [(e.type, e.hp) for e in entities]


# -- the advisor with its memory ---------------------------------------------

class Advisor:
    """Keeps the latest report for one player, the alerts worth flashing, and what
    the analysis must remember: enemies seen lately, idle factories, nag timers."""

    def __init__(self, player: int = 0) -> None:
        self.player = player
        self.report: Report | None = None
        self.alerts: list[Alert] = []
        self.enemy_memory: dict[int, tuple[str, int]] = {}  # id -> (unit type, tick seen)
        self.idle_since: dict[int, int] = {}  # factory id -> tick its queue emptied
        self.nag_start: dict[str, int] = {}  # tip key -> tick it was first shown
        self.updates = 0
        self._next_refresh = 0

    def update(self, world: World, lang: str, force: bool = False) -> Report | None:
        """Call every tick with the tick's events; returns a new report when one is made."""
        urgent = self._collect_alerts(world, lang)
        if not (force or urgent or world.tick >= self._next_refresh):
            return None
        self._next_refresh = world.tick + REFRESH_TICKS
        self.report = analyze(world, self.player, lang, self)
        self.updates += 1
        return self.report

    def remember(self, world: World, seen: list[Unit],
                 horizon: int = MEMORY_TICKS) -> Force:
        """Enemies seen within `horizon` ticks and not known dead, as a force."""
        for u in seen:
            self.enemy_memory[u.id] = (u.type.name, world.tick)
        visible = {u.id: u for u in seen}
        force: Force = []
        for uid, (kind, tick) in list(self.enemy_memory.items()):
            age = world.tick - tick
            if uid not in world.units or age > max(horizon, ATTACK_MEMORY_TICKS):
                del self.enemy_memory[uid]
            elif age <= horizon:
                unit = visible.get(uid)
                force.append((UNIT_TYPES[kind], unit.hp if unit else UNIT_TYPES[kind].hp))
        return force

    def idle_for(self, world: World, factory: Building) -> int:
        """Ticks a factory has had nothing to produce (0 while busy)."""
        if factory.queue:
            self.idle_since.pop(factory.id, None)
            return 0
        return world.tick - self.idle_since.setdefault(factory.id, world.tick)

    def may_nag(self, key: str, tick: int) -> bool:
        """A nag-type tip shows for NAG_SHOW_TICKS, then stays quiet NAG_QUIET_TICKS."""
        start = self.nag_start.get(key)
        if start is None or tick - start >= NAG_SHOW_TICKS + NAG_QUIET_TICKS:
            self.nag_start[key] = tick
            return True
        return tick - start < NAG_SHOW_TICKS

    def _collect_alerts(self, world: World, lang: str) -> bool:
        urgent = False
        for e in world.events:
            if e.player != self.player:
                continue
            alert = None
            if e.kind == "under_attack":
                alert = "alert_under_attack"
            elif e.kind == "building_destroyed":
                alert = "alert_building_lost"
            elif e.kind == "unit_destroyed" and e.data.get("unit") == "harvester":
                alert = "alert_harvester_lost"
            if alert:
                urgent = True
                self.alerts.append(Alert(alert, tr(alert, lang, building=name(
                    e.data.get("building", ""), lang)), world.tick, e.x, e.y))
        me = world.players[self.player]
        if me.low_power and world.tick % (20 * TICKS_PER_SECOND) == 0:
            self.alerts.append(Alert("alert_low_power", tr("alert_low_power", lang),
                                     world.tick, *me.start))
        self.alerts = self.alerts[-6:]  # only the latest few are ever shown
        return urgent


# -- the analysis --------------------------------------------------------------

@dataclass
class _Context:
    world: World
    player: int
    lang: str
    memory: Advisor
    army: list[Unit]
    harvesters: list[Unit]
    seen: list[Unit]  # enemy combat units in sight now
    known: Force  # enemy combat units seen lately
    near: list[Unit]  # seen enemies at the base (near our buildings or shelling them)

    @property
    def me(self) -> Any:
        return self.world.players[self.player]

    @property
    def threatened(self) -> bool:
        return bool(self.near)

    @property
    def broke(self) -> bool:
        return self.me.credits < CHEAPEST_UNIT

    @property
    def income(self) -> bool:
        return self.has("refinery") and bool(self.harvesters)

    @cached_property
    def balance(self) -> str:
        """Our army against the enemies seen lately, by type (not by price)."""
        if not self.known:
            return "balance_unknown"
        if not self.army:
            return "balance_no_army"
        ratio = strength_ratio(force_of(self.army), self.known)
        if ratio >= AHEAD:
            return "balance_ahead"
        if ratio > BEHIND:
            return "balance_even"
        return "balance_behind"

    def has(self, kind: str) -> bool:
        return self.world.has_building(self.player, kind)

    def say(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)

    def defenders(self) -> Force:
        """Our army and, with the power on, our turrets."""
        turrets = [] if self.me.low_power else [
            b for b in self.world.buildings_of(self.player) if b.type.weapon]
        return force_of(self.army) + force_of(turrets)


def analyze(world: World, player: int, lang: str = "en", memory: Advisor | None = None
            ) -> Report:
    memory = memory if memory is not None else Advisor(player)
    c = _context(world, player, lang, memory)
    tips = sorted((t for check in _CHECKS if (t := check(c)) is not None),
                  key=lambda t: -t.priority)
    if c.threatened:
        tips = [t for t in tips if t.key not in NOT_UNDER_THREAT]
    if not tips:
        tips = [_fallback(c)]
    shown = tips[:3]
    actions = _ranked_actions(c, tips)
    return Report(world.tick, _summary(c), tuple(shown), _facts(c, shown), actions,
                  _details(c, shown))


def _context(world: World, player: int, lang: str, memory: Advisor) -> _Context:
    mine = [u for u in world.units.values() if u.owner == player]
    seen = [u for u in world.units.values() if u.owner != player and u.type.combat
            and world.is_visible(player, u.x, u.y)]
    return _Context(world, player, lang, memory,
                    army=[u for u in mine if u.type.combat],
                    harvesters=[u for u in mine if u.type.harvest_capacity],
                    seen=seen, known=memory.remember(world, seen),
                    near=_enemies_at_base(world, player, seen))


def _enemies_at_base(world: World, player: int, seen: list[Unit]) -> list[Unit]:
    """Seen enemies near our buildings, or shooting at one from further out (artillery)."""
    centers = [b.center for b in world.buildings_of(player)]
    at_base = []
    for u in seen:
        gap = min((math.dist((u.x, u.y), c) for c in centers), default=math.inf)
        target = world.entity(u.target_id)
        shelling = isinstance(target, Building) and target.owner == player
        if gap <= DANGER_RADIUS or shelling:
            at_base.append(u)
    return at_base


def _counts(units: Iterable[Unit]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for u in units:
        counts[u.type.name] = counts.get(u.type.name, 0) + 1
    return counts


def counted(counts: dict[str, int], lang: str) -> str:
    """"3 tanks, 1 helicopter" with the right singular or plural."""
    return ", ".join(f"{n} {name(kind, lang, n)}" for kind, n in counts.items() if n)


def _ranked_actions(c: _Context, tips: list[Tip]) -> tuple[Action, ...]:
    """The tips' actions first, then what is sensible without a tip of its own."""
    ranked: list[Action] = []
    for tip in tips:
        ranked += [a for a in tip.actions if a not in ranked]
    if c.threatened or c.broke:
        return tuple(ranked)
    for kind in UNIT_TYPES.values():  # more of a unit that can hurt what we have seen
        if kind.combat and _can_train(c, kind) and \
                (not c.known or firepower([(kind, kind.hp)], c.known) > 0):
            ranked.append(("train", kind.name))
    me = c.me
    if me.power_produced - me.power_used < POWER_MARGIN and me.credits >= 300:
        ranked.append(("build", "power_plant"))
    return tuple(dict.fromkeys(ranked))


def _can_train(c: _Context, kind: UnitType) -> bool:
    return (c.has(kind.produced_by) and all(c.has(p) for p in kind.prerequisites)
            and c.me.credits >= kind.cost)


def _matches(command: Command, action: Action) -> bool:
    verb, thing = action
    kind = command.action
    if kind == "build":
        return verb == "build" and command.building == thing
    if kind == "train":
        return verb == "train" and command.unit == thing
    if kind == "harvest":
        return verb == "harvest"
    if kind in ("defend", "move"):  # moving home is defending it
        return verb in ("defend", "move") and (command.target or "my_base") == thing
    if kind == "attack":
        return verb == "attack" and command.target == thing
    return False  # stop, analyze: never advice


def _facts(c: _Context, tips: list[Tip]) -> dict[str, object]:
    """Plain data about the state, for the model's prompt and the remark filter."""
    world, me = c.world, c.me
    kinds: list[str] = []
    for b in world.buildings_of(c.player):
        if b.type.name not in kinds:
            kinds.append(b.type.name)
    facts: dict[str, object] = {
        "minute": world.tick // (60 * TICKS_PER_SECOND),
        "credits": me.credits,
        "power_produced": me.power_produced, "power_used": me.power_used,
        "units": _counts(c.army + c.harvesters), "building_kinds": kinds,
        "army": len(c.army), "harvesters": len(c.harvesters),
        "idle_harvesters": sum(1 for h in c.harvesters if h.activity is None),
        "enemy_seen": len(c.seen), "enemy_units": _counts(c.seen),
        "enemy_near": len(c.near), "enemy_near_units": _counts(c.near),
        "enemy_buildings_known": len(me.known_buildings),
        "balance": c.balance,
        "threat": c.threatened,
        "top_tip": tips[0].key if tips else "",
        "todo": [tips[0].actions[0]] if tips and tips[0].actions else [],
    }
    if c.seen:
        cx = sum(u.x for u in c.seen) / len(c.seen)
        cy = sum(u.y for u in c.seen) / len(c.seen)
        facts["enemy_region"] = region_name(world, cx, cy)
    return facts


def _summary(c: _Context) -> str:
    me = c.me
    if me.low_power:
        power = c.say("summary_power_low", produced=me.power_produced, used=me.power_used)
    else:
        power = c.say("summary_power_ok")
    return c.say("summary", army=len(c.army), harvesters=len(c.harvesters),
                 credits=me.credits, enemies=len(c.seen), power=power,
                 balance=c.say(c.balance))


def _details(c: _Context, tips: list[Tip]) -> tuple[str, ...]:
    """The fuller report: economy, power, army against the known enemy, threats, next steps."""
    me, none = c.me, c.say("summary_none")
    refineries = sum(1 for _ in c.world.buildings_of(c.player, "refinery"))
    lines = [
        c.say("summary_economy", credits=me.credits, harvesters=len(c.harvesters),
              refineries=refineries,
              income=c.say("summary_income_yes" if c.income else "summary_income_no")),
        c.say("summary_power_enough" if not me.low_power else "summary_power_deficit",
              produced=me.power_produced, used=me.power_used),
        c.say("summary_army", units=counted(_counts(c.army), c.lang) or none),
        c.say("summary_enemy", units=counted(_counts(c.seen), c.lang) or none,
              remembered=len(c.known), buildings=len(me.known_buildings)),
        c.say(c.balance),
        c.say("summary_threat", units=counted(_counts(c.near), c.lang)) if c.near
        else c.say("summary_no_threat"),
        c.say("summary_next"),
    ]
    return tuple(lines + [f"• {t.text}" for t in tips])


def _fallback(c: _Context) -> Tip:
    if c.army and c.income and not c.broke and not c.me.low_power and not c.near \
            and c.balance != "balance_behind":
        return Tip("all_good", c.say("tip_all_good"), 0)
    return Tip("scout", c.say("tip_scout"), 0)


# -- the checks: each returns a Tip when it applies -------------------------

def _threat(c: _Context) -> Tip | None:
    if not c.near:
        return None
    attackers = force_of(c.near)
    defenders = c.defenders()
    units = counted(_counts(c.near), c.lang)
    home = (("defend", "my_base"), ("move", "my_base"))
    hits = tuple(("attack", f"enemy_{kind}") for kind in _counts(c.near))
    counter = _counter_actions(c, attackers)
    if not defenders:
        key, actions = "tip_threat_no_army", counter
    elif firepower(defenders, attackers) == 0:
        key, actions = "tip_threat_unanswered", counter
    elif strength_ratio(defenders, attackers) >= 1.0:
        key, actions = "tip_threat", home + hits + counter
    else:
        key, actions = "tip_threat_outgunned", home + counter + hits
    return Tip("threat", c.say(key, units=units), 100, actions)


def _counter_actions(c: _Context, attackers: Force) -> tuple[Action, ...]:
    """Train what hurts these attackers most per credit, or build what makes it possible."""
    actions: list[Action] = [("train", k.name) for k in _counters(c, attackers)][:2]
    if c.has("barracks") and c.me.credits >= BUILDING_TYPES["turret"].cost:
        actions.append(("build", "turret"))
    if not c.has("barracks") and c.has("power_plant"):
        actions.append(("build", "barracks"))
    if c.me.low_power:
        actions.append(("build", "power_plant"))
    return tuple(actions)


def _counters(c: _Context, enemies: Force) -> list[UnitType]:
    """The units we can train now that hurt these enemies, best value per credit first."""
    options = [k for k in UNIT_TYPES.values()
               if k.combat and _can_train(c, k) and firepower([(k, k.hp)], enemies)]
    return sorted(options, key=lambda k: -firepower([(k, k.hp)], enemies) * k.hp / k.cost)


def _behind(c: _Context) -> Tip | None:
    """Weaker than the enemies seen lately, by type: build up at home, with what hurts them."""
    if c.threatened or c.balance != "balance_behind":
        return None
    counters = _counters(c, c.known)
    units = counted(_counts_of(c.known), c.lang)
    if not counters:
        return Tip("behind", c.say("tip_behind_build", units=units), 58, (("defend", "my_base"),))
    return Tip("behind", c.say("tip_behind", units=units, unit=name(counters[0].name, c.lang)),
               58, tuple(("train", k.name) for k in counters[:2]) + (("defend", "my_base"),))


def _counts_of(force: Force) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind, _ in force:
        counts[kind.name] = counts.get(kind.name, 0) + 1
    return counts


def _power(c: _Context) -> Tip | None:
    me = c.me
    if not me.low_power:
        return None
    return Tip("power", c.say("tip_power", produced=me.power_produced, used=me.power_used), 90,
               (("build", "power_plant"),))


def _economy(c: _Context) -> Tip | None:
    if not c.has("refinery"):
        if c.has("power_plant"):
            return Tip("refinery", c.say("tip_refinery"), 80, (("build", "refinery"),))
        return Tip("power_first", c.say("tip_power_first"), 80, (("build", "power_plant"),))
    if not c.harvesters:
        return Tip("harvester", c.say("tip_harvester"), 85, (("train", "harvester"),))
    idle = [h for h in c.harvesters if h.activity is None]
    if idle:
        return Tip("idle_harvesters", c.say("tip_idle_harvesters", count=len(idle)), 70,
                   (("harvest", "ore"),))
    attacked = [h for h in c.harvesters if c.world.tick - h.attacked_tick < 10 * TICKS_PER_SECOND]
    if attacked:
        return Tip("harvester_attacked", c.say("tip_harvester_attacked"), 75,
                   (("defend", "ore"), ("move", "ore")))
    return None


def _broke(c: _Context) -> Tip | None:
    if not c.broke:
        return None
    key = "tip_broke_income" if c.income else "tip_broke"
    return Tip("broke", c.say(key, credits=c.me.credits), 78)


def _no_army(c: _Context) -> Tip | None:
    if c.army:
        return None
    if c.has("barracks"):
        return Tip("no_army", c.say("tip_no_army"), 65, (("train", "infantry"),))
    if c.has("power_plant"):
        return Tip("no_army", c.say("tip_no_army_barracks"), 65, (("build", "barracks"),))
    return None  # the economy tip says to build a Power Plant first


def _spend(c: _Context) -> Tip | None:
    free = production.spendable(c.world, c.player)  # credits already queued are spent
    if free < IDLE_CREDITS:
        return None
    actions = tuple(("train", k.name) for k in UNIT_TYPES.values()
                    if k.combat and _can_train(c, k))
    return Tip("spend", c.say("tip_spend", credits=free), 50, actions)


def _idle_factory(c: _Context) -> Tip | None:
    """An army factory idle for a while with credits to use: said once, then quiet."""
    me = c.me
    factories = [b for b in c.world.buildings_of(c.player) if b.type.name in ARMY_FACTORIES]
    idle = {b.id: c.memory.idle_for(c.world, b) for b in factories}  # track every one
    for b in factories:
        cheapest = min((u for u in UNIT_TYPES.values() if u.produced_by == b.type.name),
                       key=lambda u: u.cost)
        if idle[b.id] >= IDLE_FACTORY_TICKS and me.credits >= cheapest.cost + CHEAPEST_UNIT \
                and c.memory.may_nag("idle_factory", c.world.tick):
            return Tip("idle_factory", c.say("tip_idle_factory", building=name(
                b.type.name, c.lang), unit=name(cheapest.name, c.lang)), 40,
                (("train", cheapest.name),))
    return None


def _tech(c: _Context) -> Tip | None:
    if c.has("refinery") and not c.has("barracks"):
        return Tip("barracks", c.say("tip_barracks"), 45, (("build", "barracks"),))
    if c.has("barracks") and c.has("refinery") and not c.has("war_factory"):
        return Tip("war_factory", c.say("tip_war_factory"), 35, (("build", "war_factory"),))
    return None


def _attack(c: _Context) -> Tip | None:
    known = c.me.known_buildings
    if len(c.army) < MIN_ATTACK_ARMY or not known or c.threatened:
        return None
    seen_for_longer = c.memory.remember(c.world, c.seen, ATTACK_MEMORY_TICKS)
    if strength_ratio(force_of(c.army), seen_for_longer) < AHEAD:
        return None
    sx, sy = c.me.start
    bid, (kind, x, y) = min(known.items(),
                            key=lambda k: ((k[1][1] - sx) ** 2 + (k[1][2] - sy) ** 2, k[0]))
    where = name(region_name(c.world, x, y), c.lang)
    targets = dict.fromkeys(("enemy_base", f"enemy_{kind}",
                             *(f"enemy_{k}" for k, _, _ in known.values())))
    return Tip("attack", c.say("tip_attack", target=name(f"enemy_{kind}", c.lang),
                               region=where), 60, tuple(("attack", t) for t in targets))


def _artillery(c: _Context) -> Tip | None:
    escorts = [u for u in c.army if u.type.name != "artillery"]
    for a in c.army:
        if a.type.name != "artillery":
            continue
        if not any(math.hypot(e.x - a.x, e.y - a.y) <= ESCORT_RADIUS for e in escorts):
            return Tip("artillery", c.say("tip_artillery"), 55,
                       tuple(("train", k) for k in ("tank", "infantry")
                             if _can_train(c, UNIT_TYPES[k])))
    return None


_CHECKS = (_threat, _power, _economy, _broke, _no_army, _behind, _attack, _artillery, _spend,
           _tech, _idle_factory)
