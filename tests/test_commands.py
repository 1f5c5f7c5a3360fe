"""Typed commands become the same orders as the mouse, checked against the game."""

from __future__ import annotations

import math

import pytest

from game import combat, placement, production, sim
from game import orders as O
from game.commands import PLACE_GIVE_UP, CommandExecutor, region_cell
from game.i18n import tr
from game.rules import BUILDING_TYPES, ECONOMY, UNIT_TYPES
from game.vocabulary import canonical_list
from tests.simworld import add_ore, building, flat_world, run, see_all, unit


def _run(ex: CommandExecutor, world, commands: list[dict], **kwargs):
    """Typed commands reach the executor as Commands, made by the vocabulary."""
    return ex.execute(world, canonical_list(commands), **kwargs)

def name(key: str) -> str:
    return tr(key, "en")


def _base(credits: int = 10000):
    world = flat_world(credits=credits)
    building(world, 0, "hq", 4, 40)
    return world


def test_move_picks_the_named_units_and_a_region() -> None:
    world = _base()
    tanks = [unit(world, 0, "tank", 10 + i, 30) for i in range(5)]
    unit(world, 0, "infantry", 10, 33)
    ex = CommandExecutor(0)
    [outcome] = _run(ex, world, [{"action": "move", "unit": "tank", "count": 3,
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
    [o1] = _run(ex, world, [{"action": "stop", "unit": "selected"}], selection=(b.id,))
    assert o1.orders[0].units == (b.id,)
    [o2] = _run(ex, world, [{"action": "stop", "unit": "selected"}], selection=())
    assert set(o2.orders[0].units) == {a.id, b.id}  # the army: no harvester


def test_attack_a_known_enemy_building_and_refuse_an_unknown_one() -> None:
    world = _base()
    tanks = [unit(world, 0, "tank", 30 + i, 12) for i in range(3)]
    ex = CommandExecutor(0)
    [refused] = _run(ex, world, [{"action": "attack", "unit": "tank",
                                    "target": "enemy_refinery"}], lang="fr")
    assert refused.status == "refused" and "raffinerie ennemie" in refused.text
    see_all(world)
    hq = next(world.buildings_of(1, "hq"))
    [done] = _run(ex, world, [{"action": "attack", "unit": "tank", "target": "enemy_hq"}])
    assert done.status == "done"
    assert done.orders[0].kind == O.ATTACK and done.orders[0].target == hq.id
    assert set(done.orders[0].units) == {t.id for t in tanks}


def test_build_then_train_waits_for_the_building() -> None:
    world = _base()
    building(world, 0, "power_plant", 8, 36)
    ex = CommandExecutor(0)
    outcomes = _run(ex, world, [{"action": "build", "building": "barracks", "count": 1},
                                  {"action": "train", "unit": "infantry", "count": 4}])
    assert [o.status for o in outcomes] == ["waiting", "waiting"]
    assert "Barracks" in outcomes[1].text
    finished = _follow(world, ex, 1000)
    assert finished == outcomes  # the barracks stands, then the four soldiers are out
    assert [o.status for o in outcomes] == ["done", "done"]
    assert outcomes[1].text == "train 4 infantry at Barracks"
    assert sum(1 for u in world.units_of(0) if u.type.name == "infantry") == 4


def test_a_build_beside_a_building_under_way_waits_for_it() -> None:
    """"build a barracks, then a refinery next to it": the refinery's spot is the
    barracks, which does not stand yet; one that is not coming at all is refused."""
    world = _base()
    building(world, 0, "power_plant", 8, 36)
    ex = CommandExecutor(0)
    barracks, refinery = _run(ex, world, [
        {"action": "build", "building": "barracks", "count": 1},
        {"action": "build", "building": "refinery", "count": 1, "target": "my_barracks"}])
    assert [barracks.status, refinery.status] == ["waiting", "waiting"]
    assert "Barracks" in refinery.text
    _follow(world, ex, 3000)
    assert [barracks.status, refinery.status] == ["done", "done"], refinery.text
    [placed] = world.buildings_of(0, "refinery")
    others = [b for b in world.buildings_of(0) if b is not placed]
    assert min(others, key=lambda b: math.dist(placed.center, b.center)).type.name == "barracks"
    [nowhere] = _run(ex, world, [{"action": "build", "building": "turret", "count": 1,
                                  "target": "my_war_factory"}])
    assert nowhere.status == "refused"


def test_units_told_to_move_as_they_are_trained_go_once_out_and_only_they() -> None:
    """"train 3 soldiers and send them north": those three, once out; not the soldiers
    already there, and not refused because none stand yet."""
    world = _base()
    building(world, 0, "power_plant", 8, 36)
    building(world, 0, "barracks", 12, 36)
    ex = CommandExecutor(0)
    [train, move] = _run(ex, world, [{"action": "train", "unit": "infantry", "count": 3},
                                     {"action": "move", "unit": "infantry", "count": 3,
                                      "target": "north"}])
    assert move.status == "waiting" and move.orders == []
    veteran = unit(world, 0, "infantry", 20, 30)  # arrives while they train: stays put
    _follow(world, ex, 1500)
    assert train.status == move.status == "done", (train.text, move.text)
    [order] = move.orders
    assert veteran.id not in order.units and len(order.units) == 3
    assert set(order.units) <= {u.id for u in world.units_of(0) if u.type.name == "infantry"}
    alone = _run(ex, world, [{"action": "move", "unit": "tank", "target": "north"}])
    assert alone[0].status == "refused"  # with no training said, none is waited for


def _follow(world, ex: CommandExecutor, ticks: int) -> list:
    finished = []
    for _ in range(ticks):
        sim.step(world)
        finished += ex.tick(world)
    return finished


def test_training_beyond_the_credits_queues_pauses_and_resumes() -> None:
    world = _base(credits=250)
    building(world, 0, "power_plant", 8, 36)
    barracks = building(world, 0, "barracks", 12, 40)
    ex = CommandExecutor(0)
    [o] = _run(ex, world, [{"action": "train", "unit": "infantry", "count": 5}])
    assert o.status == "waiting" and o.orders[0].count == 5  # all queued, paid as they go
    events = []
    for _ in range(400):
        sim.step(world)
        events += world.events
        ex.tick(world)
    infantry = [u for u in world.units_of(0) if u.type.name == "infantry"]
    assert len(infantry) == 2 and world.players[0].credits < 100
    assert barracks.on_hold and "insufficient funds" in o.text and o.status == "waiting"
    assert sum(1 for e in events if e.kind == "insufficient_funds") == 1  # said once
    world.players[0].credits += 1000  # money comes in: production resumes by itself
    _follow(world, ex, 400)
    assert o.status == "done" and o.text == "train 5 infantry at Barracks"
    assert world.players[0].credits == 1250 - 5 * UNIT_TYPES["infantry"].cost


def test_refusals_are_explained_in_the_players_language() -> None:
    world = _base(credits=100)
    ex = CommandExecutor(0)
    [no_factory] = _run(ex, world, [{"action": "train", "unit": "tank", "count": 1}], lang="fr")
    assert no_factory.status == "refused" and no_factory.orders == []
    [no_plant] = _run(ex, world, [{"action": "build", "building": "barracks", "count": 1}])
    assert no_plant.status == "refused" and "Power Plant" in no_plant.text
    [nobody] = _run(ex, world, [{"action": "move", "unit": "helicopter",
                                   "target": "east"}])
    assert nobody.status == "refused" and "helicopters" in nobody.text
    [personne] = _run(ex, world, [{"action": "move", "unit": "helicopter",
                                     "target": "east"}], lang="fr")
    assert "pas d'hélicoptères" in personne.text  # "de" elided before a vowel or mute h
    assert "pas de chars" in tr("no_units_of", "fr", unit="chars")
    run(world, 1)
    assert world.order_log == []


def test_harvest_and_defend_defaults() -> None:
    world = _base()
    harvester = unit(world, 0, "harvester", 10, 30)
    soldier = unit(world, 0, "infantry", 20, 20)
    ex = CommandExecutor(0)
    [h] = _run(ex, world, [{"action": "harvest", "unit": "harvester", "target": "ore"}])
    assert h.orders[0].kind == O.HARVEST and h.orders[0].units == (harvester.id,)
    [d] = _run(ex, world, [{"action": "defend", "unit": "army", "target": "my_base"}])
    assert d.orders[0].kind == O.ATTACK_MOVE and d.orders[0].units == (soldier.id,)
    hq = next(world.buildings_of(0, "hq"))
    cx, cy = hq.center
    assert abs(d.orders[0].cell[0] - cx) <= 1 and abs(d.orders[0].cell[1] - cy) <= 1


def test_analyze_and_tile_targets() -> None:
    world = _base()
    unit(world, 0, "tank", 10, 30)
    ex = CommandExecutor(0)
    [a] = _run(ex, world, [{"action": "analyze"}])
    assert a.status == "analyze" and a.orders == []
    [m] = _run(ex, world, [{"action": "move", "unit": "tank", "target": "tile:20,21"}])
    assert m.orders[0].cell == (20, 21)
    [off] = _run(ex, world, [{"action": "move", "unit": "tank", "target": "tile:200,3"}])
    assert off.status == "refused"


def test_every_train_and_build_item_can_be_commanded() -> None:
    world = _base(credits=50000)
    for name in ("power_plant", "barracks", "refinery", "war_factory"):
        building(world, 0, name, *{"power_plant": (8, 36), "barracks": (12, 40),
                                   "refinery": (16, 36), "war_factory": (20, 40)}[name])
    ex = CommandExecutor(0)
    for name in UNIT_TYPES:
        [o] = _run(ex, world, [{"action": "train", "unit": name, "count": 1}])
        assert o.status == "waiting" and o.orders, (name, o.text)  # queued, followed


# -- production paid as it goes (Red Alert) --------------------------------------------
def test_production_pays_exact_prices_as_it_goes_even_when_slowed() -> None:
    world = _base(credits=1000)
    building(world, 0, "turret", 10, 30)  # uses more power than the HQ makes: slowed down
    run(world, 1)
    player = world.players[0]
    assert player.low_power
    world.issue(O.Order(O.BUILD, 0, item="power_plant"))
    run(world, 40)
    c = player.construction
    assert c is not None and 0 < c.paid < BUILDING_TYPES["power_plant"].cost
    assert player.credits == 1000 - c.paid  # taken bit by bit, not up front
    while not c.ready:
        run(world, 1)
    assert c.paid == BUILDING_TYPES["power_plant"].cost == 1000 - player.credits


def test_cancelling_refunds_exactly_what_was_spent() -> None:
    world = _base(credits=1000)
    building(world, 0, "power_plant", 8, 36)
    barracks = building(world, 0, "barracks", 12, 40)
    world.issue(O.Order(O.BUILD, 0, item="turret"))
    world.issue(O.Order(O.TRAIN, 0, item="infantry", count=3))
    run(world, 30)
    c = world.players[0].construction
    assert c is not None and c.paid > 0 and barracks.paid > 0
    assert world.players[0].credits == 1000 - c.paid - barracks.paid
    world.issue(O.Order(O.CANCEL_BUILD, 0))
    for _ in range(3):
        world.issue(O.Order(O.CANCEL_TRAIN, 0, target=barracks.id, item="infantry"))
    run(world, 1)
    assert world.players[0].credits == 1000 and barracks.queue == []


def test_a_queue_beyond_the_credits_is_accepted_and_bots_do_not_overcommit() -> None:
    world = _base(credits=0)
    building(world, 0, "power_plant", 8, 36)
    barracks = building(world, 0, "barracks", 12, 40)
    order = O.Order(O.TRAIN, 0, item="infantry", count=9)
    assert O.check(world, order) is None
    run(world, 1)
    world.issue(order)
    run(world, 5)
    assert len(barracks.queue) == ECONOMY.queue_limit and barracks.on_hold
    assert production.spendable(world, 0) == -ECONOMY.queue_limit * UNIT_TYPES["infantry"].cost


# -- builds wait in line for the HQ, each followed until it stands ------------------------
def test_a_chain_of_builds_survives_a_mouse_build_in_between() -> None:
    world = _base()
    world.issue(O.Order(O.BUILD, 0, item="power_plant"))  # the mouse: placed by hand later
    run(world, 1)
    ex = CommandExecutor(0)
    outcomes = _run(ex, world, [{"action": "build", "building": "power_plant", "count": 2},
                                  {"action": "build", "building": "barracks", "count": 1}])
    assert [o.status for o in outcomes] == ["waiting"] * 3
    assert all("HQ" in o.text for o in outcomes)
    _follow(world, ex, BUILDING_TYPES["power_plant"].build_time + 100)
    assert world.players[0].construction.ready  # the mouse's plant waits for its spot
    assert all(o.status == "waiting" for o in outcomes)
    spot = placement.find_placement(world, 0, "power_plant")
    world.issue(O.Order(O.PLACE, 0, cell=spot))
    finished = _follow(world, ex, 1200)
    assert finished == outcomes and all(o.status == "done" for o in outcomes)
    kinds = [b.type.name for b in world.buildings_of(0)]
    assert kinds.count("power_plant") == 3 and kinds.count("barracks") == 1


def test_a_cancelled_build_is_refused_and_the_next_one_starts() -> None:
    world = _base(credits=1000)
    ex = CommandExecutor(0)
    first, second = _run(ex, world, [{"action": "build", "building": "power_plant",
                                        "count": 2}])
    _follow(world, ex, 50)
    world.issue(O.Order(O.CANCEL_BUILD, 0))
    _follow(world, ex, 2)
    assert first.status == "refused" and "cancelled" in first.text
    _follow(world, ex, 300)
    assert second.status == "done"
    assert sum(1 for _ in world.buildings_of(0, "power_plant")) == 1
    assert world.players[0].credits == 1000 - BUILDING_TYPES["power_plant"].cost


def test_builds_are_refused_when_the_hq_is_lost() -> None:
    world = _base()
    building(world, 0, "power_plant", 8, 36)  # so that the player is not defeated
    ex = CommandExecutor(0)
    outcomes = _run(ex, world, [{"action": "build", "building": "barracks", "count": 2}])
    _follow(world, ex, 20)
    combat.destroy(world, next(world.buildings_of(0, "hq")), None)
    _follow(world, ex, 5)
    assert [o.status for o in outcomes] == ["refused", "refused"]
    assert all("HQ" in o.text for o in outcomes)
    assert world.players[0].construction is None  # cancelled with a refund
    assert world.players[0].credits == 10000


def test_a_finished_building_with_no_room_is_refused_with_a_refund(monkeypatch) -> None:
    world = _base(credits=1000)
    ex = CommandExecutor(0)
    [o] = _run(ex, world, [{"action": "build", "building": "power_plant", "count": 1}])
    _follow(world, ex, 10)
    monkeypatch.setattr(placement, "find_placement", lambda *args, **kwargs: None)
    _follow(world, ex, BUILDING_TYPES["power_plant"].build_time + PLACE_GIVE_UP)
    assert o.status == "refused" and "300" in o.text
    assert world.players[0].construction is None and world.players[0].credits == 1000


# -- where automatic placement puts buildings -----------------------------------------------
@pytest.mark.parametrize("side", list(placement.SIDES))
def test_a_side_means_that_side_of_the_players_own_base(side: str) -> None:
    world = flat_world()
    building(world, 0, "hq", 20, 24)
    ex = CommandExecutor(0)
    [o] = _run(ex, world, [{"action": "build", "building": "power_plant", "count": 1,
                              "target": side}])
    _follow(world, ex, BUILDING_TYPES["power_plant"].build_time + 5)
    plant = next(world.buildings_of(0, "power_plant"))
    assert placement.side_of_base(world, 0, *plant.center) == side
    assert o.status == "done" and o.text == f"Power Plant, {name('side_' + side)}"
    assert o.place == plant.center


def _towards_enemy(world, b) -> float:
    """Cosine of the angle between the HQ->building and HQ->enemy start directions."""
    hx, hy = next(world.buildings_of(0, "hq")).center
    ex, ey = world.players[1].start
    bx, by = b.center
    return ((bx - hx) * (ex - hx) + (by - hy) * (ey - hy)) / (
        math.hypot(bx - hx, by - hy) * math.hypot(ex - hx, ey - hy))


def test_turrets_face_the_enemy_and_refineries_take_the_safe_ore() -> None:
    world = flat_world()
    building(world, 0, "hq", 20, 24)
    building(world, 0, "power_plant", 16, 24)
    building(world, 0, "barracks", 25, 25)
    add_ore(world, [(x, y) for x in range(28, 31) for y in range(14, 17)])  # towards the enemy
    add_ore(world, [(x, y) for x in range(11, 14) for y in range(32, 35)])  # behind the base
    ex = CommandExecutor(0)
    _run(ex, world, [{"action": "build", "building": "turret", "count": 1},
                       {"action": "build", "building": "refinery", "count": 1}])
    _follow(world, ex, 700)
    turret = next(world.buildings_of(0, "turret"))
    refinery = next(world.buildings_of(0, "refinery"))
    assert _towards_enemy(world, turret) > 0.7
    assert _towards_enemy(world, refinery) < -0.5


def test_a_typed_train_tells_what_the_player_cancelled_and_what_was_lost() -> None:
    world = _base()
    building(world, 0, "power_plant", 8, 36)
    barracks = building(world, 0, "barracks", 12, 40)
    ex = CommandExecutor(0)
    [o] = _run(ex, world, [{"action": "train", "unit": "infantry", "count": 4}])
    _follow(world, ex, UNIT_TYPES["infantry"].build_time + 5)
    assert o.status == "waiting" and o.made == 1 and "1 of 4" in o.text
    world.issue(O.Order(O.CANCEL_TRAIN, 0, target=barracks.id, item="infantry"))
    _follow(world, ex, 2)
    assert "1 cancelled" in o.text
    combat.destroy(world, barracks, None)
    _follow(world, ex, 2)
    assert o.status == "partial" and o.made == 1
    assert "1 cancelled" in o.text and "Barracks lost" in o.text


def test_a_turret_faces_the_side_the_base_was_raided_from() -> None:
    world = flat_world()
    hq = building(world, 0, "hq", 20, 24)
    building(world, 0, "power_plant", 24, 20)
    building(world, 0, "barracks", 16, 20)
    raider = unit(world, 1, "tank", 14, 32)  # south-west, away from the enemy's start
    combat.apply_damage(world, hq, 10, 1, raider.id)
    ex = CommandExecutor(0)
    _run(ex, world, [{"action": "build", "building": "turret", "count": 1}])
    del world.units[raider.id]
    world.reserved.pop(raider.cell, None)
    _follow(world, ex, BUILDING_TYPES["turret"].build_time + 5)
    turret = next(world.buildings_of(0, "turret"))
    assert _towards_enemy(world, turret) < 0  # not towards the start: towards the raid
    assert placement.side_of_base(world, 0, *turret.center) in ("south", "southwest", "west")
