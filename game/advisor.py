"""The advisor's heuristic analysis: how the battle stands and what to do next.

Pure Python over the game state, well under a millisecond. It only uses what
the player can know: their own forces, enemies currently in sight, and enemy
buildings they have seen (fog of war applies). Every tip is true of the state
it was computed from; the model's remarks (llm side) only add to these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from game.commands import REGION_POINTS
from game.i18n import name, tr
from game.rules import ARMY_FACTORIES, TICKS_PER_SECOND, UNIT_TYPES
from game.world import Unit, World, army_value, enemy_army_in_sight

REFRESH_TICKS = 3 * TICKS_PER_SECOND  # routine refresh period
DANGER_RADIUS = 16  # tiles around our buildings where enemies count as a threat
ESCORT_RADIUS = 5  # artillery without a combat unit this close is "unprotected"
IDLE_CREDITS = 2500  # credits that count as "piling up"
ATTACK_MARGIN = 1.5  # army value over the enemy's seen value that says "attack now"
ALERT_EVENTS = ("building_destroyed", "under_attack", "unit_destroyed")
MEMORY_DECAY = 0.995  # per refresh: how fast the remembered enemy army fades


@dataclass(frozen=True)
class Tip:
    key: str  # what kind of tip (stable, for tests and de-duplication)
    text: str
    priority: int  # higher first


@dataclass(frozen=True)
class Report:
    tick: int
    summary: str
    tips: tuple[Tip, ...]
    facts: dict[str, object] = field(default_factory=dict)  # for the model's prompt


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


class Advisor:
    """Keeps the latest report for one player and the alerts worth flashing."""

    def __init__(self, player: int = 0) -> None:
        self.player = player
        self.report: Report | None = None
        self.alerts: list[Alert] = []
        self.enemy_seen = 0.0  # value of the strongest enemy army seen lately
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


def analyze(world: World, player: int, lang: str = "en", memory: Advisor | None = None
            ) -> Report:
    mine = [u for u in world.units.values() if u.owner == player]
    army = [u for u in mine if u.type.combat]
    harvesters = [u for u in mine if u.type.harvest_capacity]
    seen = enemy_army_in_sight(world, player)
    seen_value = army_value(seen)
    if memory is not None:
        memory.enemy_seen = max(seen_value, memory.enemy_seen * MEMORY_DECAY)
        enemy_estimate = memory.enemy_seen
    else:
        enemy_estimate = float(seen_value)
    context = _Context(world, player, lang, army, harvesters, seen, enemy_estimate)
    tips = sorted((t for check in _CHECKS if (t := check(context)) is not None),
                  key=lambda t: -t.priority)[:3]
    if not tips:
        tips = [Tip("all_good", tr("tip_all_good", lang), 0)]
    return Report(world.tick, _summary(context), tuple(tips), _facts(context, tips))


def _counts(units: list[Unit]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for u in units:
        counts[u.type.name] = counts.get(u.type.name, 0) + 1
    return counts


def _facts(c: _Context, tips: list[Tip]) -> dict[str, object]:
    """Plain data about the state, for the model's prompt and the benchmark."""
    world, me = c.world, c.world.players[c.player]
    kinds: list[str] = []
    for b in world.buildings_of(c.player):
        if b.type.name not in kinds:
            kinds.append(b.type.name)
    facts: dict[str, object] = {
        "minute": world.tick // (60 * TICKS_PER_SECOND),
        "credits": me.credits,
        "power_produced": me.power_produced, "power_used": me.power_used,
        "units": _counts(c.army + c.harvesters), "building_kinds": kinds,
        "army": len(c.army), "army_value": army_value(c.army), "harvesters": len(c.harvesters),
        "enemy_seen": len(c.seen), "enemy_units": _counts(c.seen),
        "enemy_value": int(c.enemy_value), "enemy_buildings_known": len(me.known_buildings),
        "threat": any(t.key == "threat" for t in tips),
        "top_tip": tips[0].key if tips else "",
    }
    if c.seen:
        cx = sum(u.x for u in c.seen) / len(c.seen)
        cy = sum(u.y for u in c.seen) / len(c.seen)
        facts["enemy_region"] = region_name(world, cx, cy)
    return facts


@dataclass
class _Context:
    world: World
    player: int
    lang: str
    army: list[Unit]
    harvesters: list[Unit]
    seen: list[Unit]
    enemy_value: float

    def has(self, kind: str) -> bool:
        return self.world.has_building(self.player, kind)

    def say(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)


def _summary(c: _Context) -> str:
    me = c.world.players[c.player]
    if me.power_used > me.power_produced:
        power = c.say("summary_power_low", produced=me.power_produced, used=me.power_used)
    else:
        power = c.say("summary_power_ok")
    balance = _balance(c)
    return c.say("summary", army=len(c.army), harvesters=len(c.harvesters),
                 credits=me.credits, enemies=len(c.seen), power=power, balance=balance)


def _balance(c: _Context) -> str:
    ours = army_value(c.army)
    if c.enemy_value <= 0:
        return c.say("balance_unknown")
    ratio = ours / c.enemy_value
    if ratio >= ATTACK_MARGIN:
        return c.say("balance_ahead")
    if ratio >= 0.8:
        return c.say("balance_even")
    return c.say("balance_behind")


# -- the checks: each returns a Tip when it applies -------------------------

def _power(c: _Context) -> Tip | None:
    me = c.world.players[c.player]
    if me.power_used <= me.power_produced:
        return None
    return Tip("power", c.say("tip_power", produced=me.power_produced, used=me.power_used), 90)


def _threat(c: _Context) -> Tip | None:
    near = []
    for u in c.seen:
        for b in c.world.buildings_of(c.player):
            bx, by = b.center
            if (u.x - bx) ** 2 + (u.y - by) ** 2 <= DANGER_RADIUS ** 2:
                near.append(u)
                break
    if not near:
        return None
    ours = army_value(c.army)
    key = "tip_threat_turrets" if ours < army_value(near) and c.has("barracks") else "tip_threat"
    return Tip("threat", c.say(key, count=len(near)), 100)


def _economy(c: _Context) -> Tip | None:
    if not c.has("refinery"):
        if c.has("power_plant"):
            return Tip("refinery", c.say("tip_refinery"), 80)
        return Tip("power_first", c.say("tip_power_first"), 80)
    if not c.harvesters:
        return Tip("harvester", c.say("tip_harvester"), 85)
    idle = [h for h in c.harvesters if h.activity is None]
    if idle:
        return Tip("idle_harvesters", c.say("tip_idle_harvesters", count=len(idle)), 70)
    attacked = [h for h in c.harvesters if c.world.tick - h.attacked_tick < 10 * TICKS_PER_SECOND]
    if attacked:
        return Tip("harvester_attacked", c.say("tip_harvester_attacked"), 75)
    return None


def _spend(c: _Context) -> Tip | None:
    me = c.world.players[c.player]
    if me.credits < IDLE_CREDITS:
        return None
    return Tip("spend", c.say("tip_spend", credits=me.credits), 50)


def _idle_factory(c: _Context) -> Tip | None:
    me = c.world.players[c.player]
    for b in c.world.buildings_of(c.player):
        if b.type.name not in ARMY_FACTORIES or b.queue:
            continue
        cheapest = min((u for u in UNIT_TYPES.values() if u.produced_by == b.type.name),
                       key=lambda u: u.cost)
        if me.credits >= cheapest.cost:
            return Tip("idle_factory", c.say("tip_idle_factory", building=name(
                b.type.name, c.lang), unit=name(cheapest.name, c.lang)), 40)
    return None


def _tech(c: _Context) -> Tip | None:
    if c.has("refinery") and not c.has("barracks"):
        return Tip("barracks", c.say("tip_barracks"), 45)
    if c.has("barracks") and c.has("refinery") and not c.has("war_factory"):
        return Tip("war_factory", c.say("tip_war_factory"), 35)
    return None


def _attack(c: _Context) -> Tip | None:
    ours = army_value(c.army)
    known = c.world.players[c.player].known_buildings
    if len(c.army) < 5 or not known or ours < ATTACK_MARGIN * max(c.enemy_value, 1.0):
        return None
    sx, sy = c.world.players[c.player].start
    bid, (kind, x, y) = min(known.items(),
                            key=lambda k: ((k[1][1] - sx) ** 2 + (k[1][2] - sy) ** 2, k[0]))
    where = name(region_name(c.world, x, y), c.lang)
    return Tip("attack", c.say("tip_attack", target=name(f"enemy_{kind}", c.lang),
                               region=where), 60)


def _artillery(c: _Context) -> Tip | None:
    escorts = [u for u in c.army if u.type.name != "artillery"]
    for a in c.army:
        if a.type.name != "artillery":
            continue
        if not any(math.hypot(e.x - a.x, e.y - a.y) <= ESCORT_RADIUS for e in escorts):
            return Tip("artillery", c.say("tip_artillery"), 55)
    return None


_CHECKS = (_threat, _power, _economy, _attack, _artillery, _spend, _tech, _idle_factory)
