"""Simulation rules: economy, production, power, combat, fog, pathfinding, orders."""

from __future__ import annotations

from game import fog, sim
from game import orders as O
from game.activities import Harvest, Move
from game.orders import Order
from game.pathfinding import find_path
from game.rules import BUILDING_TYPES, ECONOMY, UNIT_TYPES
from tests.simworld import add_ore, add_water, building, flat_world, run, see_all, unit


def test_new_game_is_a_real_map() -> None:
    world = sim.new_game(7)
    tiles = world.tiles
    assert tiles.width >= 96 and tiles.height >= 96
    kinds = set(tiles.terrain)
    assert {0, 1, 2} <= kinds  # grass, water, rock
    assert len(world.resource_tiles()) > 80
    assert any(k == 2 for k in tiles.resource_kind)  # gems exist
    # Bases in opposite corners, each with an HQ and starting units.
    p0, p1 = world.players
    assert p0.start[0] < tiles.width / 3 and p0.start[1] > tiles.height * 2 / 3
    assert p1.start[0] > tiles.width * 2 / 3 and p1.start[1] < tiles.height / 3
    for p in (0, 1):
        assert world.has_building(p, "hq")
        assert sum(1 for _ in world.units_of(p)) >= 3


def test_bases_are_connected_by_land() -> None:
    for seed in (1, 2, 3, 7, 99):
        world = sim.new_game(seed)
        a, b = world.players[0].start, world.players[1].start
        tiles = world.tiles
        start = (a[0], a[1] + 3)
        goal = (b[0], b[1] - 3)
        path = find_path(tiles, start, goal, max_expansions=20000)
        assert path and path[-1] == goal, f"seed {seed}: bases not connected"


def test_harvester_loop_brings_credits() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    building(world, 0, "power_plant", 8, 40)
    refinery = building(world, 0, "refinery", 4, 36)  # comes with a free harvester
    add_ore(world, [(x, y) for x in range(14, 18) for y in range(34, 38)])
    harvesters = [u for u in world.units_of(0) if u.type.name == "harvester"]
    assert len(harvesters) == 1 and isinstance(harvesters[0].activity, Harvest)
    credits = world.players[0].credits
    run(world, 1800)
    gained = world.players[0].credits - credits
    assert gained >= UNIT_TYPES["harvester"].harvest_capacity  # at least one full load
    assert world.players[0].stats.credits_harvested == gained
    assert refinery.id in world.buildings


def test_manual_move_stops_harvesting_until_told_again() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    building(world, 0, "power_plant", 8, 40)
    building(world, 0, "refinery", 4, 36)
    add_ore(world, [(x, 30) for x in range(10, 20)])
    harvester = next(u for u in world.units_of(0) if u.type.name == "harvester")
    run(world, 40)
    world.issue(Order(O.MOVE, 0, (harvester.id,), cell=(30, 44)))
    run(world, 600)
    assert harvester.tile == (30, 44) and harvester.activity is None  # stays put
    world.issue(Order(O.HARVEST, 0, (harvester.id,)))
    run(world, 5)
    assert isinstance(harvester.activity, Harvest)


def test_production_queue_cancel_refund_and_rally() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    building(world, 0, "power_plant", 8, 40)
    barracks = building(world, 0, "barracks", 12, 40)
    start = world.players[0].credits
    world.issue(Order(O.TRAIN, 0, item="infantry", count=3))
    world.issue(Order(O.RALLY, 0, target=barracks.id, cell=(20, 30)))
    run(world, 1)
    assert barracks.queue == ["infantry"] * 3
    assert 0 < barracks.paid < UNIT_TYPES["infantry"].cost  # paid as it is built
    assert world.players[0].credits == start - barracks.paid
    world.issue(Order(O.CANCEL_TRAIN, 0, target=barracks.id, item="infantry"))
    run(world, 1)
    assert len(barracks.queue) == 2  # the last one, not yet paid for
    assert world.players[0].credits == start - barracks.paid
    run(world, 2 * UNIT_TYPES["infantry"].build_time + 200)
    infantry = [u for u in world.units_of(0) if u.type.name == "infantry"]
    assert len(infantry) == 2
    assert all(abs(u.x - 20.5) < 3 and abs(u.y - 30.5) < 3 for u in infantry)  # at the rally
    assert len({u.tile for u in infantry}) == 2  # not stacked


def test_low_power_slows_production_and_disables_turrets() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    barracks = building(world, 0, "barracks", 10, 40)
    turret = building(world, 0, "turret", 20, 30)
    building(world, 0, "war_factory", 12, 34)
    player = world.players[0]
    run(world, 1)
    assert player.low_power and player.production_speed < 1.0
    world.issue(Order(O.TRAIN, 0, item="infantry"))
    run(world, UNIT_TYPES["infantry"].build_time + 2)
    assert barracks.queue == ["infantry"]  # not finished: slowed down
    enemy = unit(world, 1, "infantry", 24, 30)
    see_all(world)
    run(world, 60)
    assert enemy.hp == UNIT_TYPES["infantry"].hp  # unpowered turret stays silent
    building(world, 0, "power_plant", 4, 34)
    building(world, 0, "power_plant", 7, 34)
    run(world, 100)
    assert not player.low_power
    assert enemy.id not in world.units or enemy.hp < UNIT_TYPES["infantry"].hp
    assert turret.id in world.buildings


def test_units_acquire_targets_and_fight_back() -> None:
    world = flat_world()
    building(world, 0, "hq", 2, 42)
    tank = unit(world, 0, "tank", 20, 20)
    infantry = unit(world, 1, "infantry", 23, 20)
    run(world, 400)
    assert infantry.id not in world.units  # the idle tank shot it
    assert world.players[0].stats.units_killed == 1
    # Artillery out-ranges (and out-sees) a tank; the shelled tank drives in and fights back.
    artillery = unit(world, 1, "artillery", 27, 20)
    run(world, 1200)
    assert artillery.id not in world.units
    assert tank.id in world.units


def test_tanks_cannot_hit_helicopters_but_infantry_can() -> None:
    world = flat_world()
    building(world, 0, "hq", 2, 42)
    tank = unit(world, 0, "tank", 20, 20)
    heli = unit(world, 1, "helicopter", 22, 20)
    see_all(world)
    world.issue(Order(O.ATTACK, 0, (tank.id,), target=heli.id))
    run(world, 1)
    assert world.order_log == []  # the order was refused, and said why
    assert [e.data["key"] for e in world.events if e.kind == "order_rejected"] == \
        ["cannot_hit_target"]
    squad = [unit(world, 0, "infantry", 20 + i, 22) for i in range(4)]
    run(world, 1600)
    assert heli.id not in world.units
    assert any(s.id in world.units for s in squad)


def test_artillery_splash_hits_a_group() -> None:
    world = flat_world()
    building(world, 0, "hq", 2, 42)
    arty = unit(world, 0, "artillery", 10, 20)
    group = [unit(world, 1, "infantry", 18 + dx, 20 + dy) for dx in (0, 1) for dy in (0, 1)]
    see_all(world)
    world.issue(Order(O.ATTACK, 0, (arty.id,), target=group[0].id))
    run(world, 200)
    hurt = [u for u in group if u.id not in world.units or u.hp < u.type.hp]
    assert len(hurt) >= 2


def test_fog_hides_enemies_and_remembers_buildings() -> None:
    world = sim.new_game(3)
    p0 = world.players[0]
    w = world.tiles.width
    # The far corner is unexplored at the start; the home corner is visible.
    assert p0.explored[5 * w + (w - 6)] == 0
    sx, sy = p0.start
    assert p0.visible[sy * w + sx] == 1
    enemy_hq = next(world.buildings_of(1, "hq"))
    assert enemy_hq.id not in p0.known_buildings
    scout = unit(world, 0, "helicopter", enemy_hq.x - 3, enemy_hq.y + 6)
    run(world, 8)
    assert enemy_hq.id in p0.known_buildings
    world.issue(Order(O.MOVE, 0, (scout.id,), cell=(sx, sy)))
    run(world, 600)
    assert not world.building_visible(0, enemy_hq)
    assert enemy_hq.id in p0.known_buildings  # remembered under fog
    enemy_unit = next(world.units_of(1))
    assert not world.is_visible(0, enemy_unit.x, enemy_unit.y)


def test_paths_go_around_water_and_buildings() -> None:
    world = flat_world(32)
    add_water(world, [(15, y) for y in range(0, 28)])
    building(world, 0, "war_factory", 20, 26)
    path = find_path(world.tiles, (5, 10), (25, 10))
    assert path[-1] == (25, 10)
    for x, y in path:
        assert world.tiles.passable(x, y)
    assert any(y >= 28 for _, y in path)  # through the gap at the bottom
    tank = unit(world, 0, "tank", 5, 10)
    world.issue(Order(O.MOVE, 0, (tank.id,), cell=(25, 10)))
    run(world, 1200)
    assert tank.tile == (25, 10)


def test_group_move_uses_distinct_cells() -> None:
    world = flat_world()
    units = [unit(world, 0, "infantry", 5 + i, 40) for i in range(9)]
    world.issue(Order(O.MOVE, 0, tuple(u.id for u in units), cell=(30, 20)))
    run(world, 900)
    tiles = [u.tile for u in units]
    assert len(set(tiles)) == len(tiles)
    assert all(abs(x - 30) <= 2 and abs(y - 20) <= 2 for x, y in tiles)
    assert all(isinstance(u.activity, (Move, type(None))) for u in units)


def test_impossible_orders_are_refused_without_changing_state() -> None:
    world = flat_world(credits=350)
    building(world, 0, "hq", 4, 40)
    add_water(world, [(x, y) for x in range(20, 24) for y in range(20, 24)])
    for p in world.players:  # the fog as the next tick's update leaves it: it changes nothing
        fog.update_visibility(world, p.id)
    before = world.state_hash()
    refused = [
        Order(O.BUILD, 0, item="war_factory"),  # prerequisites missing
        Order(O.TRAIN, 0, item="tank"),  # no war factory
        Order(O.BUILD, 0, item="barracks"),  # prerequisites (credits are paid as it goes)
        Order(O.PLACE, 0, cell=(20, 20)),  # nothing ready
        Order(O.SELL, 0, target=12345),
        Order(O.MOVE, 0, (999,), cell=(3, 3)),
        Order("teleport", 0),
    ]
    for order in refused:
        assert O.check(world, order) is not None
        world.issue(order)
    run(world, 1)
    keys = [e.data["key"] for e in world.events if e.kind == "order_rejected"]
    assert len(keys) == len(refused)
    assert world.players[0].credits == 350
    assert world.order_log == []
    assert before != world.state_hash()  # only the tick moved on...
    world.tick -= 1
    assert before == world.state_hash()  # ...nothing else changed


def test_placement_rules() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    add_water(world, [(x, y) for x in range(10, 13) for y in range(38, 41)])
    world.issue(Order(O.BUILD, 0, item="power_plant"))
    run(world, BUILDING_TYPES["power_plant"].build_time + 2)
    c = world.players[0].construction
    assert c is not None and c.ready
    assert O.check(world, Order(O.PLACE, 0, cell=(10, 38))).key == "cannot_build_there"
    assert O.check(world, Order(O.PLACE, 0, cell=(30, 10))).key == "too_far_from_base"
    world.issue(Order(O.PLACE, 0, cell=(8, 36)))
    run(world, 1)
    assert world.has_building(0, "power_plant")
    assert world.players[0].construction is None


def test_selling_refunds_and_frees_the_ground() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    plant = building(world, 0, "power_plant", 10, 40)
    credits = world.players[0].credits
    world.issue(Order(O.SELL, 0, target=plant.id))
    run(world, 1)
    assert plant.id not in world.buildings
    assert world.players[0].credits == credits + int(plant.type.cost * ECONOMY.sell_refund)
    assert world.tiles.passable(10, 40)


def test_victory_when_all_enemy_buildings_fall() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    enemy_hq = next(world.buildings_of(1, "hq"))
    tanks = [unit(world, 0, "tank", 34 + i, 10) for i in range(4)]
    see_all(world)
    world.issue(Order(O.ATTACK, 0, tuple(t.id for t in tanks), target=enemy_hq.id))
    events = run(world, 2000)
    assert world.winner == 0
    assert world.players[1].defeated
    assert [e.kind for e in events if e.kind in ("defeated", "victory")] == \
        ["defeated", "victory"]


def test_stop_means_stay_here() -> None:
    world = flat_world()
    building(world, 0, "hq", 2, 44)
    tank = unit(world, 0, "tank", 5, 40)
    world.issue(Order(O.MOVE, 0, (tank.id,), cell=(40, 40)))
    run(world, 60)
    world.issue(Order(O.STOP, 0, (tank.id,)))
    run(world, 2)
    stopped_at = tank.x
    run(world, 400)
    assert abs(tank.x - stopped_at) < 1.5  # it settles on a cell nearby, not at the old goal
    assert tank.tile != (40, 40)


def test_a_building_elsewhere_does_not_reroute_moving_units() -> None:
    world = flat_world()
    building(world, 0, "hq", 2, 44)
    tank = unit(world, 0, "tank", 5, 40)
    world.issue(Order(O.MOVE, 0, (tank.id,), cell=(40, 40)))
    run(world, 3)
    path = tank.activity.path
    assert path
    building(world, 1, "power_plant", 40, 10)  # far from the tank's way
    run(world, 1)
    assert tank.activity.path is path  # kept: no new search
    building(world, 1, "power_plant", path[5][0], path[5][1] - 1)  # right in the way
    run(world, 1)
    assert tank.activity.path is not path
