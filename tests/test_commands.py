"""Typed commands become the same orders as the mouse, checked against the game."""

from __future__ import annotations

from game import orders as O
from game import sim
from game.commands import CommandExecutor, region_cell
from game.rules import UNIT_TYPES
from tests.simworld import building, flat_world, run, see_all, unit


def _base(credits: int = 10000):
    world = flat_world(credits=credits)
    building(world, 0, "hq", 4, 40)
    return world


def test_move_picks_the_named_units_and_a_region() -> None:
    world = _base()
    tanks = [unit(world, 0, "tank", 10 + i, 30) for i in range(5)]
    unit(world, 0, "infantry", 10, 33)
    ex = CommandExecutor(0)
    [outcome] = ex.execute(world, [{"action": "move", "unit": "tank", "count": 3,
                                    "target": "north"}])
    assert outcome.status == "done"
    assert outcome.text == "move 3 tanks → north"
    [order] = outcome.orders
    assert order.kind == O.MOVE and len(order.units) == 3
    assert set(order.units) <= {t.id for t in tanks}
    assert order.cell == region_cell(world, "north")
    run(world, 1)
    assert sum(1 for t in tanks if t.activity is not None) == 3


def test_selected_defaults_to_the_selection_then_the_army() -> None:
    world = _base()
    a = unit(world, 0, "infantry", 10, 30)
    b = unit(world, 0, "tank", 12, 30)
    unit(world, 0, "harvester", 14, 30)
    ex = CommandExecutor(0)
    [o1] = ex.execute(world, [{"action": "stop", "unit": "selected"}], selection=(b.id,))
    assert o1.orders[0].units == (b.id,)
    [o2] = ex.execute(world, [{"action": "stop", "unit": "selected"}], selection=())
    assert set(o2.orders[0].units) == {a.id, b.id}  # the army: no harvester


def test_attack_a_known_enemy_building_and_refuse_an_unknown_one() -> None:
    world = _base()
    tanks = [unit(world, 0, "tank", 30 + i, 12) for i in range(3)]
    ex = CommandExecutor(0)
    [refused] = ex.execute(world, [{"action": "attack", "unit": "tank",
                                    "target": "enemy_refinery"}], lang="fr")
    assert refused.status == "refused" and "raffinerie ennemie" in refused.text
    see_all(world)
    hq = next(world.buildings_of(1, "hq"))
    [done] = ex.execute(world, [{"action": "attack", "unit": "tank", "target": "enemy_hq"}])
    assert done.status == "done"
    assert done.orders[0].kind == O.ATTACK and done.orders[0].target == hq.id
    assert set(done.orders[0].units) == {t.id for t in tanks}


def test_build_then_train_waits_for_the_building() -> None:
    world = _base()
    building(world, 0, "power_plant", 8, 36)
    ex = CommandExecutor(0)
    outcomes = ex.execute(world, [{"action": "build", "building": "barracks", "count": 1},
                                  {"action": "train", "unit": "infantry", "count": 4}])
    assert [o.status for o in outcomes] == ["done", "waiting"]
    assert "Barracks" in outcomes[1].text
    finished = []
    for _ in range(600):
        sim.step(world)
        finished += ex.tick(world)
    assert [o.status for o in finished] == ["done"]
    assert finished[0].text == "train 4 infantry at Barracks"
    barracks = next(world.buildings_of(0, "barracks"))
    run(world, 1)
    assert len(barracks.queue) + sum(
        1 for u in world.units_of(0) if u.type.name == "infantry") == 4


def test_train_what_credits_allow_and_say_so() -> None:
    world = _base(credits=250)
    building(world, 0, "power_plant", 8, 36)
    building(world, 0, "barracks", 12, 40)
    [o] = CommandExecutor(0).execute(world, [{"action": "train", "unit": "infantry",
                                              "count": 5}])
    assert o.status == "done" and o.orders[0].count == 2
    assert "2 of 5" in o.text and "credits" in o.text


def test_refusals_are_explained_in_the_players_language() -> None:
    world = _base(credits=100)
    ex = CommandExecutor(0)
    [no_factory] = ex.execute(world, [{"action": "train", "unit": "tank", "count": 1}], lang="fr")
    assert no_factory.status == "refused" and no_factory.orders == []
    [no_plant] = ex.execute(world, [{"action": "build", "building": "barracks", "count": 1}])
    assert no_plant.status == "refused" and "Power Plant" in no_plant.text
    [nobody] = ex.execute(world, [{"action": "move", "unit": "helicopter",
                                   "target": "east"}])
    assert nobody.status == "refused" and "helicopters" in nobody.text
    run(world, 1)
    assert world.order_log == []


def test_harvest_and_defend_defaults() -> None:
    world = _base()
    harvester = unit(world, 0, "harvester", 10, 30)
    soldier = unit(world, 0, "infantry", 20, 20)
    ex = CommandExecutor(0)
    [h] = ex.execute(world, [{"action": "harvest", "unit": "harvester", "target": "ore"}])
    assert h.orders[0].kind == O.HARVEST and h.orders[0].units == (harvester.id,)
    [d] = ex.execute(world, [{"action": "defend", "unit": "army", "target": "my_base"}])
    assert d.orders[0].kind == O.ATTACK_MOVE and d.orders[0].units == (soldier.id,)
    hq = next(world.buildings_of(0, "hq"))
    cx, cy = hq.center
    assert abs(d.orders[0].cell[0] - cx) <= 1 and abs(d.orders[0].cell[1] - cy) <= 1


def test_analyze_and_tile_targets() -> None:
    world = _base()
    unit(world, 0, "tank", 10, 30)
    ex = CommandExecutor(0)
    [a] = ex.execute(world, [{"action": "analyze"}])
    assert a.status == "analyze" and a.orders == []
    [m] = ex.execute(world, [{"action": "move", "unit": "tank", "target": "tile:20,21"}])
    assert m.orders[0].cell == (20, 21)
    [off] = ex.execute(world, [{"action": "move", "unit": "tank", "target": "tile:200,3"}])
    assert off.status == "refused"


def test_every_train_and_build_item_can_be_commanded() -> None:
    world = _base(credits=50000)
    for name in ("power_plant", "barracks", "refinery", "war_factory"):
        building(world, 0, name, *{"power_plant": (8, 36), "barracks": (12, 40),
                                   "refinery": (16, 36), "war_factory": (20, 40)}[name])
    ex = CommandExecutor(0)
    for name in UNIT_TYPES:
        [o] = ex.execute(world, [{"action": "train", "unit": name, "count": 1}])
        assert o.status == "done", (name, o.text)
