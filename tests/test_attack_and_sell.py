"""Attacks on what a group cannot hit are explained, not chased; a sale is not a loss."""

from __future__ import annotations

import pytest

from game import combat
from game import orders as O
from game.activities import Attack, Move
from game.commands import CommandExecutor
from game.i18n import ARMOR_NAMES, LANGUAGES, name, tr
from game.orders import Order
from game.vocabulary import canonical_list
from llm.parser import parse
from tests.simworld import building, flat_world, run, see_all, unit


def _tank_and_helicopter():
    world = flat_world()
    building(world, 0, "hq", 2, 42)
    tank = unit(world, 0, "tank", 20, 20)
    heli = unit(world, 1, "helicopter", 24, 20)
    see_all(world)
    return world, tank, heli


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_attack_nobody_can_hit_names_who_and_what(lang: str) -> None:
    world, tank, heli = _tank_and_helicopter()
    rejection = O.check(world, Order(O.ATTACK, 0, (tank.id,), target=heli.id))
    assert rejection is not None and rejection.key == "cannot_hit_target"
    text = tr(rejection.key, lang, **rejection.params).lower()
    assert name("tank", lang).lower() in text  # "tanks" / "chars"
    assert ARMOR_NAMES["air"][lang].lower() in text  # "aircraft" / "les aéronefs"


def test_a_refused_attack_starts_no_chase() -> None:
    world, tank, heli = _tank_and_helicopter()
    start = (tank.x, tank.y)
    world.issue(Order(O.ATTACK, 0, (tank.id,), target=heli.id))
    run(world, 40)
    assert world.order_log == []
    assert tank.activity is None or not isinstance(tank.activity, Attack)
    assert abs(tank.x - start[0]) < 0.5 and abs(tank.y - start[1]) < 0.5


def test_unarmed_units_are_told_they_have_no_weapon() -> None:
    world, _, heli = _tank_and_helicopter()
    harvester = unit(world, 0, "harvester", 18, 24)
    rejection = O.check(world, Order(O.ATTACK, 0, (harvester.id,), target=heli.id))
    assert rejection is not None and rejection.key == "no_weapon"
    for lang in LANGUAGES:
        assert name("harvester", lang).lower() in tr(rejection.key, lang,
                                                    **rejection.params).lower()


def test_in_a_mixed_group_the_able_attack_and_the_others_escort() -> None:
    world, tank, heli = _tank_and_helicopter()
    soldiers = [unit(world, 0, "infantry", 20, 22 + i) for i in range(2)]
    harvester = unit(world, 0, "harvester", 16, 26)
    ids = (tank.id, harvester.id, *(s.id for s in soldiers))
    assert O.check(world, Order(O.ATTACK, 0, ids, target=heli.id)) is None
    world.issue(Order(O.ATTACK, 0, ids, target=heli.id))
    run(world, 1)
    assert all(isinstance(s.activity, Attack) and s.activity.target_id == heli.id
               for s in soldiers)
    # The tank cannot shoot up: it goes along, fighting what it can hit on the way.
    assert isinstance(tank.activity, Move) and tank.activity.attack_move
    assert harvester.activity is None or not isinstance(harvester.activity, (Attack, Move))


@pytest.mark.parametrize("text, lang", [("tanks attack their helicopters", "en"),
                                        ("les chars attaquent leurs hélicos", "fr")])
def test_a_typed_attack_on_aircraft_is_explained(text: str, lang: str) -> None:
    world, tank, heli = _tank_and_helicopter()
    parsed = parse(text)
    assert parsed.commands, parsed
    outcomes = CommandExecutor(0).execute(world, parsed.commands, lang=parsed.lang)
    assert [o.status for o in outcomes] == ["refused"]
    reason = outcomes[0].text.lower()
    assert name("tank", lang).lower() in reason
    assert ARMOR_NAMES["air"][lang].lower() in reason
    run(world, 20)
    assert not isinstance(tank.activity, Attack)


def test_a_sold_building_is_counted_as_sold_not_lost() -> None:
    world = flat_world()
    building(world, 0, "hq", 2, 40)
    plant = building(world, 0, "power_plant", 8, 40)
    barracks = building(world, 0, "barracks", 12, 40)
    world.issue(Order(O.SELL, 0, target=plant.id))
    run(world, 2)
    stats = world.players[0].stats
    assert (stats.buildings_sold, stats.buildings_lost) == (1, 0)
    combat.destroy(world, barracks, killer=1)
    assert (stats.buildings_sold, stats.buildings_lost) == (1, 1)
    assert world.players[1].stats.buildings_destroyed == 1


def test_the_last_building_is_never_sold_by_mouse_or_typing() -> None:
    """A player with no building loses: the sale would end the match on the spot."""
    world = flat_world()
    hq = building(world, 0, "hq", 2, 40)
    building(world, 1, "hq", 40, 4)
    sale = Order(O.SELL, 0, target=hq.id)  # what the sidebar's Sell issues on a click
    rejection = O.check(world, sale)
    assert rejection is not None and rejection.key == "last_building"
    world.issue(sale)
    run(world, 3)
    assert hq.id in world.buildings and not world.players[0].defeated
    for text, lang in (("sell the hq", "en"), ("vends le QG", "fr")):
        [outcome] = CommandExecutor(0).execute(world, parse(text).commands, lang=lang)
        assert outcome.status == "refused" and outcome.text == tr("last_building", lang)
    plant = building(world, 0, "power_plant", 8, 40)
    [sold] = CommandExecutor(0).execute(world, parse("sell the hq").commands)
    assert sold.status == "done"  # with a power plant standing, the HQ may go
    run(world, 3)
    assert hq.id not in world.buildings and plant.id in world.buildings
    assert not world.players[0].defeated
    [last] = CommandExecutor(0).execute(world, parse("sell 1 power plant").commands)
    assert last.status == "refused"


def test_a_sale_of_every_building_at_once_is_refused_whole() -> None:
    world = flat_world()
    building(world, 0, "hq", 2, 40)
    building(world, 0, "power_plant", 8, 40)
    building(world, 1, "hq", 40, 4)
    every = canonical_list([{"action": "sell", "target": "my_base", "count": 2}])
    [outcome] = CommandExecutor(0).execute(world, every)  # each sale alone would pass
    assert outcome.status == "refused", outcome.text
    run(world, 3)
    assert sum(1 for _ in world.buildings_of(0)) == 2
