"""Multi-step typed orders, end to end, in both languages: the real rules parser,
the order desk and its executor, and the simulation. After enough ticks the
command log must match the game: every done line exists, every waiting line has
resolved, every refused line did not happen, and the counts add up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from game import placement, sim
from game.commands import Outcome
from game.i18n import tr
from game.ui.orders_desk import OrderDesk
from game.world import World
from llm.translator import Translator
from tests.simworld import building, flat_world

HQ_AT = (14, 28)
PLANT, BARRACKS, REFINERY, FACTORY = (
    ("power_plant", 10, 24), ("barracks", 19, 27), ("refinery", 10, 32), ("war_factory", 19, 31))
ARMY_BASE = (PLANT, BARRACKS, REFINERY, FACTORY)
INCOME_TICK = 400  # when money comes in, in the cases that get some
MAX_TICKS = 4000


@dataclass(frozen=True)
class Case:
    text: str
    base: tuple[tuple[str, int, int], ...] = ()
    credits: int = 10000
    income: int = 0  # credits added at INCOME_TICK
    done: tuple[str, ...] = ()  # what must exist at the end, one entry per building / unit
    refused: int = 0  # command lines that must end refused
    partial: int = 0  # command lines that must end partly done
    side: str | None = None  # the side of the base the building must stand on

    def __str__(self) -> str:
        return self.text


CASES = [
    Case("build a power plant, then a refinery, then a barracks",
         done=("power_plant", "refinery", "barracks")),
    Case("construis une centrale puis une raffinerie puis une caserne",
         done=("power_plant", "refinery", "barracks")),
    Case("build 2 power plants", done=("power_plant", "power_plant")),
    Case("construis 2 centrales", done=("power_plant", "power_plant")),
    Case("build a turret and then a power plant", base=(PLANT, BARRACKS),
         done=("turret", "power_plant")),
    Case("build a turret and then a power plant", done=("power_plant",), refused=1),
    Case("build a barracks then train 5 soldiers", base=(PLANT,),
         done=("barracks",) + ("infantry",) * 5),
    Case("construis une caserne puis entraîne 5 soldats", base=(PLANT,),
         done=("barracks",) + ("infantry",) * 5),
    Case("train 3 tanks and 2 artillery", base=ARMY_BASE, credits=1000, income=5000,
         done=("tank",) * 3 + ("artillery",) * 2),
    Case("fais 2 chars et une artillerie", base=ARMY_BASE, credits=800, income=3000,
         done=("tank",) * 2 + ("artillery",)),
    Case("train 5 tanks", base=ARMY_BASE, credits=700, income=4000, done=("tank",) * 5),
    Case("train 8 soldiers", base=(PLANT, BARRACKS), done=("infantry",) * 5, partial=1),
    Case("train 3 tanks", base=(PLANT, BARRACKS), refused=1),
    Case("construis une usine d'armement", refused=1),
    Case("build a turret in the west", base=(PLANT, BARRACKS), done=("turret",), side="west"),
    Case("construis une tourelle à l'est", base=(PLANT, BARRACKS), done=("turret",),
         side="east"),
    Case("build a power plant north", done=("power_plant",), side="north"),
    Case("construis une centrale au sud", done=("power_plant",), side="south"),
    Case("build a barracks and 2 power plants", base=(PLANT,), credits=500, income=2000,
         done=("barracks", "power_plant", "power_plant")),
]


def _world(case: Case) -> World:
    world = flat_world(credits=case.credits)
    building(world, 0, "hq", *HQ_AT)
    for kind, x, y in case.base:
        building(world, 0, kind, x, y)
    return world


def _things(world: World) -> Counter[str]:
    owned = [b.type.name for b in world.buildings_of(0)]
    owned += [u.type.name for u in world.units_of(0) if not u.type.harvest_capacity]
    return Counter(owned)


def _play(case: Case) -> tuple[World, list[Outcome], Counter[str], str, str]:
    world = _world(case)
    desk = OrderDesk(Translator(None, tier="rules"), player=0)
    before = _things(world)
    entry = desk.submit(case.text, world, ())
    assert entry.ticket.status == "understood", entry.ticket.message
    for _ in range(MAX_TICKS):
        if world.tick == INCOME_TICK:
            # Before the money comes in, nothing short of credits may claim success.
            assert all(o.status != "done" for o in entry.outcomes
                       if o.command and o.command.action == "train" and case.income)
            world.players[0].credits += case.income
        sim.step(world)
        desk.on_tick(world)
        if world.tick > INCOME_TICK and entry.status != "waiting":
            break
    return world, entry.outcomes, _things(world) - before, entry.status, entry.ticket.lang


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_log_tells_what_really_happened(case: Case) -> None:
    world, outcomes, made, status, lang = _play(case)
    statuses = Counter(o.status for o in outcomes)
    assert statuses["waiting"] == 0, [o.text for o in outcomes]  # every ⧗ resolved
    assert statuses["refused"] == case.refused and statuses["partial"] == case.partial
    claimed: Counter[str] = Counter()
    for o in outcomes:
        assert o.command is not None
        kind = o.command.building or o.command.unit
        claimed[kind] += o.made
        if o.status == "done":  # a ✓ line made all it was asked for
            assert o.made == (o.command.count or 1), o.text
        elif o.status == "refused":  # a ✗ line made nothing
            assert o.made == 0, o.text
        else:  # a partial line made some of it, never all
            assert 0 < o.made < (o.command.count or 1), o.text
    assert made == Counter(case.done) == claimed  # the log's counts are the game's
    if case.refused or case.partial:
        assert status != "done"  # a partial outcome never looks like a full success
    for o in outcomes:
        if o.place is not None:  # the place written in the log is where it stands
            assert any(b.center == o.place for b in world.buildings_of(0))
            side = placement.side_of_base(world, 0, *o.place)
            assert tr("side_" + side, lang) in o.text
    if case.side is not None:
        [placed] = [o for o in outcomes if o.place is not None]
        assert placement.side_of_base(world, 0, *placed.place) == case.side
