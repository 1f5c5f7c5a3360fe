"""Scripted situations for the advisor, each with the true facts and the right advice.

Every situation builds a small world (tests.simworld) and says, by hand, what is
true there and what a good advisor must and must not say: the enemies at the
base by type, how our army compares with the enemies seen (by type, not price),
the tip that must come first, the actions that are the right advice and those
that are wrong. `false_statements` checks a report against it, statement by
statement; tests/test_advisor_situations.py and scripts/eval_advisor.py use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from game.advisor import Report
from game.i18n import name, tr
from game.rules import BUILDING_TYPES, UNIT_TYPES
from game.vocabulary import Command
from game.world import World
from tests.simworld import add_ore, building, flat_world, run, see_all, unit

Action = tuple[str, str]
FULL = ("power_plant", "refinery", "barracks", "war_factory")
SPOTS = {"hq": (4, 40), "power_plant": (8, 40), "refinery": (4, 36), "barracks": (12, 40),
         "war_factory": (16, 38)}
IN_BASE = (10, 36)  # among our buildings
NEAR_BASE = (25, 29)  # 12-16 tiles from the nearest building: near, not inside
FAR = (34, 8)  # the enemy's side of the map
ARMY_SPOT = (10, 30)  # where our army waits, at the edge of the base
ATTACK = ("attack", "enemy_base")


@dataclass(frozen=True)
class Situation:
    name: str
    build: Callable[[], World]
    at_base: dict[str, int] = field(default_factory=dict)  # true enemies at the base
    balance: str = "balance_unknown"  # the true comparison with the enemies seen
    top: str | None = None  # the tip that must come first
    must: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    good: tuple[Action, ...] = ()  # the right advice: must be ranked sensible
    bad: tuple[Action, ...] = ()  # wrong advice: must not be
    lang: str = "en"


# -- world builders ------------------------------------------------------------

def base(kinds: tuple[str, ...] = FULL, credits: int = 1500, harvester: bool = True,
         starting_army: bool = False) -> World:
    world = flat_world(credits=credits)
    add_ore(world, [(x, y) for x in range(2, 9) for y in range(30, 33)])
    building(world, 0, "hq", *SPOTS["hq"])
    for kind in kinds:
        building(world, 0, kind, *SPOTS[kind])
    if "refinery" in kinds and not harvester:
        for h in [u for u in world.units_of(0) if u.type.harvest_capacity]:
            del world.units[h.id]
    if starting_army:
        squad(world, 0, "infantry", 3, ARMY_SPOT)
        squad(world, 0, "tank", 1, (ARMY_SPOT[0], ARMY_SPOT[1] + 2))
    return world


def squad(world: World, owner: int, kind: str, count: int, at: tuple[int, int]) -> None:
    """`count` units in rows of eight from `at`."""
    x0, y0 = at
    for i in range(count):
        unit(world, owner, kind, x0 + i % 8, y0 + i // 8)


def scene(kinds: tuple[str, ...] = FULL, credits: int = 1500, ours: dict[str, int] | None = None,
          theirs: dict[str, int] | None = None, where: tuple[int, int] = FAR,
          sees: bool = True, **options: Any) -> Callable[[], World]:
    """A builder: our base and army, enemies at `where`, the map in sight or under fog."""
    def make() -> World:
        world = base(kinds, credits, **options)
        for i, (kind, n) in enumerate((ours or {}).items()):
            squad(world, 0, kind, n, (ARMY_SPOT[0], ARMY_SPOT[1] - 3 * i))
        for i, (kind, n) in enumerate((theirs or {}).items()):
            squad(world, 1, kind, n, (where[0], where[1] + 2 * i))
        if sees:
            see_all(world)
        else:
            run(world, 2)  # real fog of war
        return world
    return make


def with_turrets(make: Callable[[], World], count: int) -> Callable[[], World]:
    def build() -> World:
        world = make()
        for i in range(count):
            building(world, 0, "turret", 20 + 2 * i, 35)
        return world
    return build


def then(make: Callable[[], World], change: Callable[[World], None]) -> Callable[[], World]:
    def build() -> World:
        world = make()
        change(world)
        return world
    return build


def _idle_harvesters(world: World) -> None:
    for h in world.units_of(0):
        if h.type.harvest_capacity:
            h.activity, h.auto_harvest = None, False


def _harvester_hit(world: World) -> None:
    for h in world.units_of(0):
        if h.type.harvest_capacity:
            h.attacked_tick = world.tick


def _shooting_base(world: World) -> None:
    """Enemy artillery 12 tiles out, its guns on our War Factory."""
    factory = next(world.buildings_of(0, "war_factory"))
    for u in world.units_of(1):
        u.target_id = factory.id


def _extra_power_users(world: World) -> None:
    building(world, 0, "barracks", 24, 40)
    building(world, 0, "turret", 20, 35)
    building(world, 0, "turret", 22, 35)


# -- the set ---------------------------------------------------------------------

NO_ATTACK = ("attack",)
CALM = ("threat",)
SITUATIONS: tuple[Situation, ...] = (
    # The opening and the economy
    Situation("start: only an HQ", scene((), 5000, sees=False, starting_army=True),
              top="power_first", never=("all_good", "attack"),
              good=(("build", "power_plant"),), bad=(("build", "barracks"), ATTACK)),
    Situation("start in French", scene((), 5000, sees=False, starting_army=True), lang="fr",
              top="power_first", never=("all_good",), good=(("build", "power_plant"),)),
    Situation("power plant, no refinery", scene(("power_plant",), 4000, sees=False,
                                                starting_army=True),
              top="refinery", never=("all_good",), good=(("build", "refinery"),),
              bad=(("build", "power_plant"),)),
    Situation("refinery without harvester", scene(FULL, 2000, {"tank": 3}, sees=False,
                                                  harvester=False),
              top="harvester", never=("all_good",), good=(("train", "harvester"),)),
    Situation("idle harvester", then(scene(FULL, 800, {"tank": 2}, sees=False),
                                     _idle_harvesters),
              must=("idle_harvesters",), never=("all_good",), good=(("harvest", "ore"),)),
    Situation("harvester under fire", then(scene(FULL, 800, {"tank": 2}, sees=False),
                                           _harvester_hit),
              must=("harvester_attacked",), never=("all_good",)),
    Situation("no barracks yet", scene(("power_plant", "refinery"), 1200, {"tank": 1},
                                       sees=False),
              must=("barracks",), good=(("build", "barracks"),),
              bad=(("build", "refinery"), ("build", "power_plant"))),
    Situation("no war factory yet", scene(("power_plant", "refinery", "barracks"), 3000,
                                          {"infantry": 4}, sees=False),
              must=("war_factory",), good=(("build", "war_factory"),)),
    Situation("credits piling up", scene(FULL, 9000, {"tank": 2}, sees=False),
              must=("spend",), good=(("train", "tank"), ("train", "infantry"))),
    # Broke, without an army: never "all is well"
    Situation("broke with income", scene(FULL, 40, {"tank": 3}, sees=False),
              must=("broke",), never=("all_good", "spend"), bad=(("train", "tank"),)),
    Situation("broke, no income", scene(("power_plant",), 20, {"infantry": 2}, sees=False),
              must=("broke",), never=("all_good",), bad=(("train", "infantry"),)),
    Situation("broke in French", scene(FULL, 0, {"infantry": 3}, sees=False), lang="fr",
              must=("broke",), never=("all_good",)),
    Situation("no army", scene(FULL, 1500, sees=False),
              must=("no_army",), never=("all_good", "attack"), good=(("train", "infantry"),)),
    Situation("no army, no barracks", scene(("power_plant", "refinery"), 1500, sees=False),
              must=("no_army",), never=("all_good",), good=(("build", "barracks"),)),
    Situation("no army and broke", scene(FULL, 0, sees=False),
              must=("no_army", "broke"), never=("all_good",)),
    Situation("quiet and sound", scene(FULL, 1500, {"tank": 3, "infantry": 4}, sees=False),
              never=CALM + NO_ATTACK),
    Situation("quiet and sound, French", scene(FULL, 1500, {"tank": 3}, sees=False), lang="fr",
              never=CALM + NO_ATTACK),
    # Power
    Situation("power deficit", then(scene(FULL, 1500, {"tank": 2}, sees=False),
                                    _extra_power_users),
              top="power", never=("all_good",), good=(("build", "power_plant"),)),
    Situation("power deficit, French", then(scene(FULL, 1500, {"tank": 2}, sees=False),
                                            _extra_power_users), lang="fr",
              top="power", good=(("build", "power_plant"),)),
    # Enemies at the base: defence first, never "attack", never "all is well"
    Situation("12 tanks inside the base", scene(FULL, 1500, {"tank": 5}, {"tank": 12}, IN_BASE),
              at_base={"tank": 12}, balance="balance_behind", top="threat",
              never=("attack", "all_good", "spend"), bad=(ATTACK, ("attack", "enemy_hq"))),
    Situation("12 tanks inside the base, French",
              scene(FULL, 1500, {"tank": 5}, {"tank": 12}, IN_BASE), lang="fr",
              at_base={"tank": 12}, balance="balance_behind", top="threat",
              never=("attack", "all_good"), bad=(ATTACK,)),
    Situation("infantry raid met by tanks", scene(FULL, 1500, {"tank": 8}, {"infantry": 12},
                                                  IN_BASE),
              at_base={"infantry": 12}, balance="balance_ahead", top="threat",
              never=("attack", "all_good"), good=(("defend", "my_base"),), bad=(ATTACK,)),
    Situation("one tank in the base, French", scene(FULL, 1500, {"infantry": 6}, {"tank": 1},
                                                    IN_BASE), lang="fr",
              at_base={"tank": 1}, balance="balance_even", top="threat",
              never=("attack", "all_good")),
    Situation("3 helicopters vs 10 tanks, no anti-air",
              scene(FULL, 1500, {"tank": 10}, {"helicopter": 3}, IN_BASE),
              at_base={"helicopter": 3}, balance="balance_behind", top="threat",
              never=("attack", "all_good"), good=(("train", "infantry"), ("build", "turret")),
              bad=(ATTACK, ("train", "tank"), ("defend", "my_base"))),
    Situation("3 helicopters vs tanks and infantry",
              scene(FULL, 1500, {"tank": 10, "infantry": 10}, {"helicopter": 3}, IN_BASE),
              at_base={"helicopter": 3}, balance="balance_ahead", top="threat",
              never=("attack", "all_good"), good=(("defend", "my_base"),), bad=(ATTACK,)),
    Situation("helicopters in the base, French",
              scene(FULL, 1500, {"tank": 6}, {"helicopter": 2}, IN_BASE), lang="fr",
              at_base={"helicopter": 2}, balance="balance_behind", top="threat",
              never=("attack", "all_good"), good=(("train", "infantry"),)),
    Situation("enemies near, not inside", scene(FULL, 1500, {"tank": 6}, {"infantry": 4},
                                                NEAR_BASE),
              at_base={"infantry": 4}, balance="balance_ahead", top="threat",
              never=("attack", "all_good"), bad=(ATTACK,)),
    Situation("no army, raid in the base", scene(FULL, 1500, None, {"infantry": 5}, IN_BASE),
              at_base={"infantry": 5}, balance="balance_no_army", top="threat",
              never=("attack", "all_good"), good=(("train", "infantry"),), bad=(ATTACK,)),
    Situation("turrets hold a small raid", with_turrets(
        scene(FULL, 1500, {"infantry": 2}, {"infantry": 2}, (20, 33)), 2),
              at_base={"infantry": 2}, balance="balance_even", top="threat",
              never=("attack", "all_good")),
    Situation("artillery shelling the base from range",
              then(scene(FULL, 1500, {"tank": 6}, {"artillery": 2}, NEAR_BASE), _shooting_base),
              at_base={"artillery": 2}, balance="balance_ahead", top="threat",
              never=("attack", "all_good"), bad=(ATTACK,)),
    Situation("power deficit during a raid", then(
        scene(FULL, 1500, {"tank": 2}, {"infantry": 6}, IN_BASE), _extra_power_users),
              at_base={"infantry": 6}, balance="balance_ahead", top="threat",
              must=("power",), never=("attack", "all_good"), bad=(ATTACK,)),
    Situation("raid while broke", scene(FULL, 0, {"infantry": 2}, {"tank": 3}, IN_BASE),
              at_base={"tank": 3}, balance="balance_behind", top="threat",
              must=("broke",), never=("attack", "all_good"), bad=(ATTACK,)),
    # Strength by type, enemies away from the base
    Situation("10 tanks seen far, 3 infantry", scene(FULL, 1500, {"infantry": 3}, {"tank": 10}),
              balance="balance_behind", must=("behind",), never=CALM + NO_ATTACK + ("all_good",),
              bad=(ATTACK,)),
    Situation("10 tanks against 2 infantry seen", scene(FULL, 1500, {"tank": 10},
                                                        {"infantry": 2}),
              balance="balance_ahead", must=("attack",), never=CALM,
              good=(ATTACK, ("attack", "enemy_hq"))),
    Situation("10 tanks against 3 helicopters seen", scene(FULL, 1500, {"tank": 10},
                                                           {"helicopter": 3}),
              balance="balance_behind", must=("behind",), never=CALM + NO_ATTACK + ("all_good",),
              good=(("train", "infantry"),), bad=(ATTACK, ("train", "tank"))),
    Situation("6 helicopters against 8 tanks seen", scene(FULL, 1500, {"helicopter": 6},
                                                          {"tank": 8}),
              balance="balance_ahead", must=("attack",), never=CALM, good=(ATTACK,)),
    Situation("20 infantry against 6 tanks seen", scene(FULL, 1500, {"infantry": 20},
                                                        {"tank": 6}),
              balance="balance_behind", must=("behind",), never=CALM + NO_ATTACK + ("all_good",),
              bad=(ATTACK,)),
    Situation("3 tanks against 8 infantry seen", scene(FULL, 1500, {"tank": 3}, {"infantry": 8}),
              balance="balance_ahead", never=CALM + NO_ATTACK),  # too few to attack
    Situation("5 tanks against 5 tanks seen", scene(FULL, 1500, {"tank": 5}, {"tank": 5}),
              balance="balance_even", never=CALM + NO_ATTACK, bad=(ATTACK,)),
    Situation("strong army, only their HQ seen", scene(FULL, 1500, {"tank": 6}),
              balance="balance_unknown", must=("attack",), never=CALM,
              good=(ATTACK, ("attack", "enemy_hq"))),
    Situation("strong army in French", scene(FULL, 1500, {"tank": 6, "infantry": 4},
                                             {"infantry": 1}), lang="fr",
              balance="balance_ahead", must=("attack",), never=CALM, good=(ATTACK,)),
    Situation("enemy hidden by fog near the base",
              scene(FULL, 1500, {"tank": 3}, {"tank": 4}, (30, 24), sees=False),
              never=CALM + NO_ATTACK),
    Situation("artillery alone", scene(FULL, 1500, {"artillery": 1}, sees=False),
              must=("artillery",), never=("all_good",)),
    Situation("artillery with an escort", then(scene(FULL, 1500, {"artillery": 1}, sees=False),
                                               lambda w: unit(w, 0, "tank", ARMY_SPOT[0] + 1,
                                                              ARMY_SPOT[1])),
              never=("artillery",)),
)


# -- the truth of a report ---------------------------------------------------------

def counted(counts: dict[str, int], lang: str) -> str:
    return ", ".join(f"{n} {name(kind, lang, n)}" for kind, n in counts.items() if n)


@dataclass(frozen=True)
class Truth:
    """What is true in the world, counted here independently of game.advisor."""

    credits: int
    army: int
    harvesters: int
    enemies_in_sight: int
    power: tuple[int, int]
    buildings: frozenset[str]
    idle_harvesters: int
    artillery_alone: bool


def truth_of(world: World) -> Truth:
    me = world.players[0]
    mine = list(world.units_of(0))
    army = [u for u in mine if u.type.combat]
    escorts = [u for u in army if u.type.name != "artillery"]
    alone = any(a.type.name == "artillery" and not any(
        (e.x - a.x) ** 2 + (e.y - a.y) ** 2 <= 25 for e in escorts) for a in army)
    return Truth(
        credits=me.credits, army=len(army),
        harvesters=sum(1 for u in mine if u.type.harvest_capacity),
        enemies_in_sight=sum(1 for u in world.units.values() if u.owner != 0 and u.type.combat
                             and world.is_visible(0, u.x, u.y)),
        power=(me.power_produced, me.power_used),
        buildings=frozenset(b.type.name for b in world.buildings_of(0)),
        idle_harvesters=sum(1 for u in mine if u.type.harvest_capacity and u.activity is None),
        artillery_alone=alone)


def false_statements(report: Report, s: Situation, world: World) -> list[str]:
    """Every statement of the report that the situation's truth contradicts."""
    t, lang = truth_of(world), s.lang
    wrong: list[str] = []
    summary_numbers = [int(n) for n in re.findall(r"\d+", report.summary.split(".")[0])]
    if summary_numbers[:4] != [t.army, t.harvesters, t.credits, t.enemies_in_sight]:
        wrong.append(f"summary numbers {summary_numbers[:4]}")
    if tr(s.balance, lang) not in report.summary:
        wrong.append(f"balance: {report.summary}")
    low = t.power[1] > t.power[0]
    if (tr("summary_power_low", lang, produced=t.power[0], used=t.power[1]) in report.summary) \
            != low:
        wrong.append("power in the summary")
    for tip in report.tips:
        if not _tip_true(tip.key, tip.text, s, t):
            wrong.append(f"{tip.key}: {tip.text}")
    return wrong


def _tip_true(key: str, text: str, s: Situation, t: Truth) -> bool:
    broke = t.credits < 100
    income = "refinery" in t.buildings and t.harvesters > 0
    checks: dict[str, Callable[[], bool]] = {
        "all_good": lambda: bool(t.army and income and not broke and not s.at_base
                                 and t.power[1] <= t.power[0]),
        "threat": lambda: bool(s.at_base) and f"({counted(s.at_base, s.lang)})" in text,
        "attack": lambda: not s.at_base and s.balance in ("balance_ahead", "balance_unknown")
        and t.army >= 5,
        "power": lambda: t.power[1] > t.power[0] and f"{t.power[0]}/{t.power[1]}" in text,
        "power_first": lambda: "power_plant" not in t.buildings,
        "refinery": lambda: "refinery" not in t.buildings,
        "harvester": lambda: "refinery" in t.buildings and t.harvesters == 0,
        "idle_harvesters": lambda: t.idle_harvesters > 0 and str(t.idle_harvesters) in text,
        "harvester_attacked": lambda: t.harvesters > 0,
        "spend": lambda: t.credits >= 2500 and str(t.credits) in text,
        "broke": lambda: broke and str(t.credits) in text,
        "no_army": lambda: t.army == 0,
        "barracks": lambda: "barracks" not in t.buildings,
        "war_factory": lambda: "war_factory" not in t.buildings,
        "artillery": lambda: t.artillery_alone,
        "idle_factory": lambda: not broke,
        "behind": lambda: s.balance == "balance_behind" and not s.at_base,
        "scout": lambda: True,
    }
    return checks.get(key, lambda: False)()


def wrong_advice(report: Report, s: Situation) -> list[str]:
    """The right advice missing from the report's actions, or wrong advice in them."""
    problems = [f"tip {k} missing" for k in s.must if k not in [t.key for t in report.tips]]
    problems += [f"tip {k} given" for k in s.never if k in [t.key for t in report.tips]]
    if s.top and (not report.tips or report.tips[0].key != s.top):
        problems.append(f"first tip {report.tips[0].key if report.tips else None}, not {s.top}")
    problems += [f"{a} not ranked sensible" for a in s.good if a not in report.actions]
    problems += [f"{a} ranked sensible" for a in s.bad if a in report.actions]
    if s.at_base:
        problems += [f"{a} while enemies are at the base" for a in report.actions
                     if a[0] == "attack" and a[1] not in {f"enemy_{k}" for k in s.at_base}]
    return problems


def true_numbers(world: World) -> set[int]:
    """Every quantity a remark may quote: credits, power, the minute, counts of our
    units and of the enemies in sight (per type and in all)."""
    t = truth_of(world)
    numbers = {t.credits, t.army, t.harvesters, t.enemies_in_sight, *t.power,
               world.tick // 1200, t.army + t.harvesters}
    for owner_is_us in (True, False):
        counts: dict[str, int] = {}
        for u in world.units.values():
            if (u.owner == 0) == owner_is_us and (owner_is_us or world.is_visible(0, u.x, u.y)):
                counts[u.type.name] = counts.get(u.type.name, 0) + 1
        numbers |= set(counts.values())
    return numbers


def remark_problems(commands: list[Command], text: str, s: Situation,
                    world: World) -> list[str]:
    """What is false or wrong in a shown model remark, judged by the situation's truth:
    a number that is no quantity of the world, wrong advice, an attack while enemies
    are at the base. `commands` is what the rules parser read as its advice."""
    problems = [f"number {n}" for n in map(int, re.findall(r"(?<![\d/])\d+(?![\d/])", text))
                if n not in true_numbers(world)]
    ours = {u.type.name for u in world.units_of(0)} | set(truth_of(world).buildings)
    lowered = text.lower()
    for kind in (*UNIT_TYPES, *BUILDING_TYPES):  # "no artillery" while we have one
        for lang in ("en", "fr"):
            for form in {name(kind, lang, 1).lower(), name(kind, lang).lower()}:
                if kind in ours and re.search(rf"\b(no|aucune?|pas de|sans) {form}\b", lowered):
                    problems.append(f"says no {kind}")
    for c in (c.as_dict() for c in commands):
        said = {(c["action"], c.get("building") or c.get("unit") or ""),
                (c["action"], c.get("target", ""))}
        problems += [f"wrong advice {a}" for a in said & set(s.bad)]
        if s.at_base and c["action"] == "attack" and \
                c.get("target") not in {f"enemy_{k}" for k in s.at_base}:
            problems.append("attack while enemies are at the base")
        elif c["action"] == "attack" and s.balance not in ("balance_ahead", "balance_unknown"):
            problems.append(f"attack when {s.balance}")
        kind = c.get("building")
        if c["action"] == "build" and kind in ours and ("build", kind) not in s.good:
            problems.append(f"builds another {kind}")  # "a power plant and a barracks first"
    return problems
