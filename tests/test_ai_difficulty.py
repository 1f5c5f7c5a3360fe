"""The difficulty curve: the timing table, waves sized on what was scouted, the
broke player's way back, and the novice bot (issue 9, section 4)."""

from __future__ import annotations

from game import fog, sim
from game import orders as O
from game.ai import (
    DIFFICULTIES,
    MEMORY_HALF_LIFE,
    MINUTE,
    ArmyMemory,
    Bot,
    NoviceBot,
    make_bot,
    wave_value,
)
from game.orders import Order
from game.production import add_unit, place_building
from game.world import World
from tests.simworld import flat_world, run


def test_the_timing_table_keeps_its_promises() -> None:
    easy, normal, hard = (DIFFICULTIES[name] for name in ("easy", "normal", "hard"))
    assert easy.earliest_attack >= 8 * MINUTE
    assert normal.earliest_attack >= 6 * MINUTE
    assert hard.earliest_attack <= normal.earliest_attack <= easy.earliest_attack
    assert easy.wave_max < normal.wave_max < hard.wave_max  # Easy sends small waves
    assert easy.spares_economy and normal.spares_economy


def _first_attack(seed: int, difficulty: str, player_bot: str | None, limit: int) -> int | None:
    """Play until the enemy's first wave leaves (or `limit` ticks); when did it?"""
    world = sim.new_game(seed)
    enemy = Bot(1, difficulty)
    bots = (enemy,) if player_bot is None else (make_bot(0, player_bot), enemy)
    while enemy.first_attack_tick is None and world.tick < limit and world.winner is None:
        for bot in bots:
            bot.think(world)
        sim.step(world)
    return enemy.first_attack_tick


def test_no_wave_leaves_before_the_difficultys_time() -> None:
    """Against a new player and against a passive one: the first wave does leave,
    and not before the table's time."""
    for seed, difficulty, player in ((1, "normal", "novice"), (2, "easy", None)):
        earliest = DIFFICULTIES[difficulty].earliest_attack
        first = _first_attack(seed, difficulty, player, earliest + 4 * MINUTE)
        assert first is not None, (seed, difficulty)
        assert first >= earliest, (seed, difficulty, first / 20)


def test_waves_answer_the_army_seen_within_the_difficultys_bounds() -> None:
    for level in DIFFICULTIES.values():
        sizes = [wave_value(level, seen, 0) for seen in range(0, 40001, 500)]
        assert sizes == sorted(sizes)  # more seen, never a smaller wave
        assert sizes[0] == level.wave_min  # nothing seen: the smallest wave worth sending
        assert sizes[-1] == level.wave_max  # a huge army seen: the ceiling, not more
        assert wave_value(level, 40000, 3) > wave_value(level, 40000, 0)  # it grows
    seen = 4000  # the same scouted army gets a bigger answer on harder levels
    assert wave_value(DIFFICULTIES["easy"], seen, 0) < wave_value(DIFFICULTIES["normal"], seen, 0) \
        < wave_value(DIFFICULTIES["hard"], seen, 0)


def _armed_enemy(army: int) -> tuple[World, Bot]:
    """Player 1's bot at its first allowed attack, with `army` tanks at home."""
    world = flat_world(48)
    place_building(world, 0, "hq", 2, 43)  # else the game is over at once
    bot = Bot(1, "normal")
    for i in range(army):
        add_unit(world, 1, "tank", (38 + i % 4, 8 + i // 4))
    world.tick = bot.level.earliest_attack
    return world, bot


def test_a_wave_leaves_only_when_it_can_answer_what_was_scouted() -> None:
    world, bot = _armed_enemy(4)  # 2800 credits of tanks
    run(world, bot.level.think_period, bots=(bot,))
    assert bot.attackers, "nothing scouted: the wave leaves"
    world, bot = _armed_enemy(4)
    bot.memory.sightings = {1000 + i: (700, world.tick) for i in range(8)}  # 5600 seen
    run(world, bot.level.think_period, bots=(bot,))
    assert not bot.attackers, "it waits for an army that can answer what it saw"


def test_the_army_memory_sees_through_fog_only_and_fades() -> None:
    world = flat_world(48)
    memory = ArmyMemory(1)
    far = add_unit(world, 0, "tank", (3, 44))
    fog.update_visibility(world, 1)
    memory.observe(world)
    assert memory.value(world.tick) == 0, "a unit under fog is not known"
    near = add_unit(world, 0, "tank", (44, 4))
    fog.update_visibility(world, 1)
    memory.observe(world)
    assert memory.value(world.tick) == near.type.cost
    assert abs(memory.value(world.tick + MEMORY_HALF_LIFE) - near.type.cost / 2) < 1e-6
    assert far.id not in memory.sightings


def test_a_unit_seen_destroyed_is_forgotten() -> None:
    world = flat_world(48)
    memory = ArmyMemory(1)
    tank = add_unit(world, 0, "tank", (44, 4))
    fog.update_visibility(world, 1)
    memory.observe(world)
    world.emit("unit_destroyed", 0, tank.x, tank.y, unit="tank", id=tank.id)
    memory.witness_losses(world)
    assert memory.value(world.tick) == 0


def test_the_hq_builds_a_refinery_whenever_there_is_none() -> None:
    """Even without a power plant (the rules table's flag), through orders.check: the
    sidebar, typed orders and the bots all ask it."""
    world = sim.new_game(3)
    assert O.check(world, Order(O.BUILD, 0, item="refinery")) is None
    missing = O.check(world, Order(O.BUILD, 0, item="barracks"))
    assert missing is not None and missing.params["building"] == "power_plant"
    place_building(world, 0, "refinery", 10, 80)
    second = O.check(world, Order(O.BUILD, 0, item="refinery"))
    assert second is not None and second.key == "missing_prerequisite"


def test_a_broke_player_sells_and_builds_a_refinery_again() -> None:
    world = sim.new_game(3)
    me = world.players[0]
    hq = next(world.buildings_of(0, "hq"))
    for kind, x in (("war_factory", 2), ("barracks", 6)):
        place_building(world, 0, kind, hq.x + x, hq.y - 4)
    me.credits = 0
    for b in list(world.buildings_of(0)):
        if b.type.name != "hq":
            world.issue(Order(O.SELL, 0, target=b.id))
    run(world, 1)
    assert me.credits >= 1200
    world.issue(Order(O.BUILD, 0, item="refinery", auto_place=True))
    me.credits += 300  # what one harvest brings: selling alone nearly pays for it
    run(world, 40 * 20)
    assert world.has_building(0, "refinery")
    assert any(u.type.harvest_capacity for u in world.units_of(0))


def test_the_novice_follows_its_list_and_attacks_in_one_blob() -> None:
    world = sim.new_game(5)
    novice = NoviceBot(0)
    run(world, 6 * MINUTE, bots=(novice,))
    built = {b.type.name for b in world.buildings_of(0)}
    assert set(novice.habits.build_order) <= built
    assert novice.attacks >= 1
    mine = [(tick, order) for tick, order in world.order_log if order.player == 0]
    assert mine
    # Slow reactions: it only ever acts on its own few-second rhythm.
    assert len({tick % novice.habits.think_period for tick, _ in mine}) == 1
    # One blob: its first attack is one attack-move of the whole army at the enemy's start.
    sent = [o for _, o in mine if o.kind == O.ATTACK_MOVE
            and o.cell == world.players[1].start]
    assert sent and len(sent[0].units) >= novice.habits.blob
