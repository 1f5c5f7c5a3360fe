"""The typed commands beyond moving and fighting (issue 11): sell, cancel, rally, repair,
the UI commands, and the new targets (our buildings, sides, "here", the fight) and
subject filters, each checked against the game as the mouse path is, and each refusal
said in the order's language."""

from __future__ import annotations

import dataclasses

import pytest

from game import combat, production
from game import orders as O
from game.commands import CommandExecutor, Pointing
from game.i18n import name, tr
from game.rules import BUILDING_TYPES, ECONOMY
from game.vocabulary import Command, CommandError, as_dicts, canonical, canonical_list
from tests.simworld import building, flat_world, run, see_all, unit


def _base(credits: int = 10000):
    world = flat_world(credits=credits)
    building(world, 0, "hq", 4, 40)
    return world


def _one(world, command, lang="en", **pointing):
    [outcome] = CommandExecutor(0).execute(world, [canonical(command)], lang=lang,
                                           pointing=Pointing(**pointing))
    return outcome


def _name(key: str, lang: str) -> str:
    return name(key, lang)


# -- sell ------------------------------------------------------------------------------
def test_sell_by_type_refunds_as_the_sell_button_does() -> None:
    world = _base()
    plant = building(world, 0, "power_plant", 10, 40)
    credits = world.players[0].credits
    outcome = _one(world, {"action": "sell", "building": "power_plant"})
    assert outcome.status == "done"
    assert [o.kind for o in outcome.orders] == [O.SELL]
    run(world, 1)
    assert plant.id not in world.buildings
    refund = int(BUILDING_TYPES["power_plant"].cost * ECONOMY.sell_refund)
    assert world.players[0].credits == credits + refund


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sell_refuses_when_there_is_nothing_to_sell(lang: str) -> None:
    world = _base()
    outcome = _one(world, {"action": "sell", "building": "refinery"}, lang)
    assert outcome.status == "refused"
    assert outcome.text == tr("nothing_to_sell", lang, building=_name("refinery", lang))
    assert outcome.orders == []


def test_sell_that_sells_the_building_under_the_mouse() -> None:
    world = _base()
    near = building(world, 0, "power_plant", 10, 40)
    far = building(world, 0, "power_plant", 20, 40)
    outcome = _one(world, {"action": "sell", "target": "here"}, cursor=(20.5, 40.5))
    assert outcome.status == "done"
    assert outcome.orders[0].target == far.id
    run(world, 1)
    assert near.id in world.buildings and far.id not in world.buildings


def test_sell_that_needs_the_mouse_and_a_building_there() -> None:
    world = _base()
    building(world, 0, "power_plant", 10, 40)
    assert _one(world, {"action": "sell", "target": "here"}).text == tr("no_cursor", "en")
    assert _one(world, {"action": "sell", "target": "here"},
                cursor=(30.5, 10.5)).status == "refused"


def test_sell_the_selection() -> None:
    world = _base()
    plant = building(world, 0, "power_plant", 10, 40)
    building(world, 0, "power_plant", 20, 40)
    outcome = _one(world, {"action": "sell"}, selection=(plant.id,))
    assert outcome.orders[0].target == plant.id


# -- cancel ----------------------------------------------------------------------------
def test_cancel_the_last_units_queued_refunds_what_was_paid() -> None:
    world = _base()
    building(world, 0, "power_plant", 10, 40)
    barracks = building(world, 0, "barracks", 14, 40)
    barracks.queue[:] = ["infantry"] * 4
    run(world, 5)
    paid = barracks.paid
    assert paid > 0
    outcome = _one(world, {"action": "cancel", "item": "infantry", "count": 2})
    assert outcome.status == "done" and len(outcome.orders) == 2
    events = run(world, 1)
    assert barracks.queue == ["infantry", "infantry"]
    assert sum(e.data["refund"] for e in events if e.kind == "cancelled") == 0  # unpaid yet
    paid = barracks.paid
    outcome = _one(world, {"action": "cancel", "item": "infantry"})  # all the rest
    events = run(world, 1)
    assert barracks.queue == []
    refunds = [e.data["refund"] for e in events if e.kind == "cancelled"]
    assert len(refunds) == 2 and sum(refunds) >= paid  # the one in production, refunded


def test_cancel_a_construction_refunds_it() -> None:
    world = _base()
    world.issue(O.Order(O.BUILD, 0, item="power_plant"))
    run(world, 20)
    paid = world.players[0].construction.paid
    assert paid > 0
    credits = world.players[0].credits
    outcome = _one(world, {"action": "cancel", "item": "power_plant"})
    assert outcome.status == "done"
    run(world, 1)
    assert world.players[0].construction is None
    assert world.players[0].credits == credits + paid


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cancel_refuses_when_nothing_is_in_production(lang: str) -> None:
    world = _base()
    outcome = _one(world, {"action": "cancel", "item": "tank"}, lang)
    assert outcome.status == "refused"
    assert outcome.text == tr("nothing_to_cancel_of", lang, item=_name("tank", lang))


# -- rally -----------------------------------------------------------------------------
def test_rally_sets_the_factory_rally_point_beside_our_refinery() -> None:
    world = _base()
    building(world, 0, "power_plant", 10, 40)
    barracks = building(world, 0, "barracks", 14, 40)
    refinery = building(world, 0, "refinery", 20, 36)
    outcome = _one(world, {"action": "rally", "building": "barracks",
                           "target": "my_refinery", "side": "north"})
    assert outcome.status == "done", outcome.text
    run(world, 1)
    assert barracks.rally is not None
    assert barracks.rally[1] < refinery.y  # north of it


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rally_refuses_without_the_factory(lang: str) -> None:
    world = _base()
    outcome = _one(world, {"action": "rally", "building": "war_factory", "target": "north"},
                   lang)
    assert outcome.text == tr("no_building", lang, building=_name("war_factory", lang))


# -- repair ----------------------------------------------------------------------------
def test_repair_mends_a_building_over_time_for_credits_and_stops_when_whole() -> None:
    world = _base()
    refinery = building(world, 0, "refinery", 20, 36)
    refinery.hp = refinery.type.hp // 2
    credits = world.players[0].credits
    outcome = _one(world, {"action": "repair", "building": "refinery"})
    assert outcome.status == "done" and outcome.orders[0].kind == O.REPAIR
    run(world, 3 * ECONOMY.repair_period)
    assert refinery.type.hp // 2 < refinery.hp < refinery.type.hp  # over time, not at once
    assert world.players[0].credits < credits
    events = run(world, 40 * ECONOMY.repair_period)
    assert refinery.hp == refinery.type.hp and not refinery.repairing
    assert any(e.kind == "repaired" for e in events)
    spent = credits - world.players[0].credits
    assert spent <= refinery.type.cost * ECONOMY.repair_cost + 10


def test_repair_waits_without_funds_and_resumes() -> None:
    world = _base(credits=0)
    plant = building(world, 0, "power_plant", 10, 40)
    plant.hp = 100
    world.issue(O.Order(O.REPAIR, 0, target=plant.id))
    run(world, 5 * ECONOMY.repair_period)
    assert plant.hp == 100 and plant.repairing and plant.repair_on_hold
    world.players[0].credits = 5000
    run(world, 3 * ECONOMY.repair_period)
    assert plant.hp > 100 and not plant.repair_on_hold


def test_a_second_repair_order_stops_it_as_a_second_click_does() -> None:
    world = _base()
    plant = building(world, 0, "power_plant", 10, 40)
    plant.hp = 100
    world.issue(O.Order(O.REPAIR, 0, target=plant.id))
    run(world, 1)
    world.issue(O.Order(O.REPAIR, 0, target=plant.id))
    run(world, 1)
    hp = plant.hp
    run(world, 5 * ECONOMY.repair_period)
    assert not plant.repairing and plant.hp == hp


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_repair_refuses_an_undamaged_or_missing_building(lang: str) -> None:
    world = _base()
    building(world, 0, "power_plant", 10, 40)
    whole = _one(world, {"action": "repair", "building": "power_plant"}, lang)
    assert whole.status == "refused"
    assert whole.text == tr("not_damaged", lang, building=_name("power_plant", lang))
    missing = _one(world, {"action": "repair", "building": "refinery"}, lang)
    assert missing.text == tr("no_building", lang, building=_name("refinery", lang))
    assert O.check(world, O.Order(O.REPAIR, 0, target=next(iter(world.buildings)))) \
        is not None  # the enemy HQ: not ours


# -- UI commands -----------------------------------------------------------------------
def test_select_takes_the_damaged_tanks_in_the_south_and_changes_nothing() -> None:
    world = _base()
    south = [unit(world, 0, "tank", 10 + i, 40) for i in range(3)]
    south[0].hp -= 50
    north = unit(world, 0, "tank", 10, 5)
    north.hp -= 50
    before = sim_state(world)
    outcome = _one(world, {"action": "select", "unit": "tank", "area": "south",
                           "filter": "damaged"})
    assert outcome.status == "done" and outcome.orders == []
    assert outcome.ui.action == "select" and outcome.ui.units == (south[0].id,)
    assert sim_state(world) == before


def sim_state(world) -> tuple:
    return (world.tick, len(world.pending_orders),
            tuple((u.id, u.x, u.y, u.activity) for u in world.units.values()))


def test_group_assigns_and_group_subjects_obey() -> None:
    world = _base()
    tanks = [unit(world, 0, "tank", 10 + i, 30) for i in range(2)]
    unit(world, 0, "infantry", 10, 33)
    outcome = _one(world, {"action": "group", "group": 2, "unit": "tank"})
    assert outcome.ui.group == 2 and set(outcome.ui.units) == {t.id for t in tanks}
    moved = _one(world, {"action": "move", "unit": "group_2", "target": "north"},
                 groups={2: outcome.ui.units})
    assert set(moved.orders[0].units) == {t.id for t in tanks}


def test_camera_pause_resume_speed_are_ui_requests() -> None:
    world = _base()
    look = _one(world, {"action": "camera", "target": "my_base"})
    assert look.ui.action == "camera" and look.ui.point is not None
    assert _one(world, {"action": "pause"}).ui.action == "pause"
    assert _one(world, {"action": "resume"}).ui.action == "resume"
    assert _one(world, {"action": "speed", "speed": "faster"}).ui.speed == "faster"
    assert world.pending_orders == []


# -- targets ---------------------------------------------------------------------------
def test_our_building_means_the_nearest_one_of_that_type() -> None:
    world = _base()
    building(world, 0, "power_plant", 10, 40)
    refinery = building(world, 0, "refinery", 20, 30)
    tank = unit(world, 0, "tank", 12, 20)
    outcome = _one(world, {"action": "move", "unit": "tank", "target": "my_refinery"})
    cx, cy = refinery.center
    assert outcome.orders[0].cell == (int(cx), int(cy))
    assert outcome.orders[0].units == (tank.id,)


def test_north_of_my_base_is_not_the_north_of_the_map() -> None:
    world = _base()
    unit(world, 0, "tank", 12, 30)
    outcome = _one(world, {"action": "move", "unit": "tank", "target": "my_base",
                           "side": "north"})
    x, y = outcome.orders[0].cell
    assert 30 <= y < 42 and x < 16  # just north of the HQ, far from the map's north edge


def test_here_is_the_point_under_the_mouse() -> None:
    world = _base()
    unit(world, 0, "tank", 12, 30)
    outcome = _one(world, {"action": "move", "unit": "tank", "target": "here"},
                   cursor=(25.5, 17.5))
    assert outcome.orders[0].cell == (25, 17)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_attackers_are_the_enemies_seen_hitting_us(lang: str) -> None:
    world = _base()
    tanks = [unit(world, 0, "tank", 10 + i, 30) for i in range(2)]
    quiet = _one(world, {"action": "attack", "unit": "tank", "target": "attackers"}, lang)
    assert quiet.text == tr("nothing_attacking", lang)
    raider = unit(world, 1, "infantry", 13, 30)
    harvester = unit(world, 0, "harvester", 14, 30)
    see_all(world)
    combat.apply_damage(world, harvester, 5, 1, raider.id)
    outcome = _one(world, {"action": "attack", "unit": "tank", "target": "attackers"}, lang)
    assert outcome.status == "done"
    assert outcome.orders[0].kind == O.ATTACK and outcome.orders[0].target == raider.id
    assert set(outcome.orders[0].units) == {t.id for t in tanks}


def test_an_attacker_hidden_by_the_fog_is_not_named() -> None:
    world = _base()
    unit(world, 0, "tank", 10, 30)
    raider = unit(world, 1, "artillery", 40, 5)  # far away, under the fog
    harvester = unit(world, 0, "harvester", 14, 30)
    combat.apply_damage(world, harvester, 5, 1, raider.id)
    outcome = _one(world, {"action": "attack", "unit": "tank", "target": "attackers"})
    assert outcome.status == "refused"


def test_the_alert_is_where_we_were_last_hit() -> None:
    world = _base()
    unit(world, 0, "tank", 10, 30)
    assert _one(world, {"action": "defend", "unit": "tank", "target": "alert"}).status == \
        "refused"
    harvester = unit(world, 0, "harvester", 30, 20)
    combat.apply_damage(world, harvester, 5, 1, next(iter(world.buildings)))
    outcome = _one(world, {"action": "defend", "unit": "tank", "target": "alert"})
    assert outcome.orders[0].cell == (30, 20)


def test_idle_filter_keeps_only_idle_units() -> None:
    world = _base()
    busy = unit(world, 0, "tank", 10, 30)
    idle = unit(world, 0, "tank", 12, 30)
    world.issue(O.Order(O.MOVE, 0, (busy.id,), cell=(10, 10)))
    run(world, 1)
    outcome = _one(world, {"action": "stop", "unit": "tank", "filter": "idle"})
    assert outcome.orders[0].units == (idle.id,)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_command_log_says_which_filter_chose_the_units(lang: str) -> None:
    world = _base()
    damaged = unit(world, 0, "tank", 10, 30)
    damaged.hp -= 50
    unit(world, 0, "tank", 12, 30)
    filtered = _one(world, {"action": "move", "unit": "tank", "target": "north",
                            "filter": "damaged"}, lang)
    plain = _one(world, {"action": "move", "unit": "tank", "target": "north"}, lang)
    assert filtered.orders[0].units == (damaged.id,)
    assert _name("damaged", lang)[:8] in filtered.text.split("→")[0]
    assert _name("damaged", lang)[:8] not in plain.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_filter_nobody_fits_is_refused_with_the_reason(lang: str) -> None:
    world = _base()
    unit(world, 0, "tank", 10, 30)
    outcome = _one(world, {"action": "select", "unit": "tank", "filter": "damaged"}, lang)
    assert outcome.status == "refused" and _name("damaged", lang) in outcome.text


def test_a_command_is_made_only_by_the_vocabulary_and_never_changes() -> None:
    with pytest.raises(TypeError):
        Command("sell", building="hq")  # unchecked: would skip every vocabulary rule
    command = canonical({"action": "move", "unit": "tank", "target": "north", "count": 3})
    with pytest.raises(TypeError):
        dataclasses.replace(command, target="enemy_base")
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.target = "enemy_base"  # type: ignore[misc]
    with pytest.raises(CommandError):
        command.changed(count=99)  # a change is checked again
    assert command.changed(target="south").target == "south"
    assert canonical(command.as_dict()) == command and canonical(command) is command
    assert list(command.as_dict()) == ["action", "unit", "target", "count"]  # frame order
    assert {command, canonical(command.as_dict())} == {command}  # hashable, by value


def test_the_vocabulary_refuses_what_the_frames_do_not_allow() -> None:
    with pytest.raises(CommandError) as error:
        canonical({"action": "cancel"})
    assert error.value.key == "cancel_what"
    with pytest.raises(CommandError):
        canonical({"action": "group", "group": 12})
    with pytest.raises(CommandError):
        canonical({"action": "move", "unit": "tank", "side": "north"})  # a side of what?
    assert canonical({"action": "sell"}).as_dict() == {"action": "sell", "building": "selected",
                                             "count": 1}


def test_the_new_orders_keep_the_simulation_deterministic() -> None:
    def play() -> tuple:
        world = _base()
        plant = building(world, 0, "power_plant", 10, 40)
        plant.hp = 300
        world.issue(O.Order(O.REPAIR, 0, target=plant.id))
        run(world, 200)
        return plant.hp, world.players[0].credits
    assert play() == play()


def test_a_repair_step_always_gives_and_costs_something() -> None:
    turret = building(_base(), 0, "turret", 20, 20)
    turret.hp = turret.type.hp - 1
    assert production.repair_step(turret) == (1, 1)


# -- through the real game loop: the mouse, the keys and the command bar ----------------
def _hq(game):
    return next(game.world.buildings_of(game.viewer, "hq"))


def test_repair_with_the_mouse_toggles_as_in_red_alert(app) -> None:
    import pygame

    from tests.uidriver import click, frames, key

    game = app.start_game(seed=3)
    hq = _hq(game)
    hq.hp = hq.type.hp // 2
    game.camera.center_on(*hq.center)
    key(pygame.K_k, "k")
    frames(app)
    assert game.input.mode == "repair" and game.sidebar.repair_mode
    assert game.input.mode_hint() == tr("hint_repair", "en")
    credits = game.world.players[0].credits
    click(game.camera.to_screen(*hq.center))
    frames(app, 3 * ECONOMY.repair_period)
    assert hq.repairing and hq.hp > hq.type.hp // 2
    assert game.world.players[0].credits < credits
    click(game.camera.to_screen(*hq.center))  # a second click stops it
    frames(app, 2)
    hp = hq.hp
    frames(app, 3 * ECONOMY.repair_period)
    assert not hq.repairing and hq.hp == hp
    click(game.camera.to_screen(*hq.center), button=3)  # right click: done
    frames(app)
    assert game.input.mode == "normal"
    button = next(b for b in game.sidebar.buttons if b.kind == "repair")
    click(button.rect.center)  # the sidebar button toggles the mode too
    frames(app)
    assert game.input.mode == "repair"
    game.draw(pygame.Surface(app.surface.get_size()))  # button, cursor and mark draw


@pytest.mark.parametrize(("lang", "text"), [("en", "repair the HQ"), ("fr", "répare le QG")])
def test_repair_by_typing(app, lang: str, text: str) -> None:
    from tests.uidriver import frames

    game = app.start_game(seed=3)
    hq = _hq(game)
    hq.hp = hq.type.hp // 2
    game.language.submit(text)
    frames(app, 3 * ECONOMY.repair_period)
    entry = game.language.orders.entries[-1]
    assert [o.status for o in entry.outcomes] == ["done"], entry.lines
    assert hq.hp > hq.type.hp // 2


@pytest.mark.parametrize(("text", "check"), [
    ("select all tanks", lambda g: g.input.selection == [
        u.id for u in g.world.units_of(0) if u.type.name == "tank"]),
    ("sélectionne les soldats", lambda g: sorted(g.input.selection) == sorted(
        u.id for u in g.world.units_of(0) if u.type.name == "infantry")),
    ("pause", lambda g: g.paused),
    ("speed up", lambda g: g.app.settings.game_speed > 1.0),
    ("plus vite", lambda g: g.app.settings.game_speed > 1.0),
])
def test_typed_ui_commands_do_what_their_keys_do(app, text: str, check) -> None:
    game = app.start_game(seed=3)
    app.settings.game_speed = 1.0
    tick = game.world.tick
    game.language.submit(text)
    entry = game.language.orders.entries[-1]
    assert [o.status for o in entry.outcomes] == ["done"], entry.lines
    assert check(game)
    assert game.world.tick == tick and game.world.pending_orders == []


def test_typed_camera_and_deixis_use_the_view_and_the_mouse(app) -> None:
    import pygame

    from tests.uidriver import frames, post

    game = app.start_game(seed=3)
    game.camera.center_on(48, 48)
    game.language.submit("show me the base")
    hx, hy = _hq(game).center
    cx, cy = game.camera.center_tile
    assert abs(cx - hx) < 12 and abs(cy - hy) < 12  # clamped at the map's edge
    tank = next(u for u in game.world.units_of(0) if u.type.name == "tank")
    goal = (int(tank.x) + 4, int(tank.y) - 5)
    post(pygame.MOUSEMOTION, pos=game.camera.to_screen(goal[0] + 0.5, goal[1] + 0.5),
         rel=(0, 0), buttons=(0, 0, 0))
    frames(app)
    game.language.submit("send the tanks here")
    entry = game.language.orders.entries[-1]
    assert [o.status for o in entry.outcomes] == ["done"], entry.lines
    assert entry.outcomes[0].orders[0].cell == goal


def test_translate_cli_takes_a_cursor_and_a_selection() -> None:
    import json
    import subprocess
    import sys

    from tests.uidriver import ROOT_DIR

    done = subprocess.run(
        [sys.executable, "main.py", "translate", "--tier", "rules", "--cursor", "30,70",
         "--selection", "tank"], input="send these units there\nsell that building\n",
        cwd=ROOT_DIR, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    here, sell = (json.loads(line) for line in done.stdout.splitlines())
    assert here["commands"] == [{"action": "move", "unit": "selected", "target": "here"}]
    assert "30,70" in here["message"]
    assert sell["message"] == tr("nothing_to_sell_there", "en")
    bad = subprocess.run([sys.executable, "main.py", "translate", "--tier", "rules",
                          "--cursor", "north", "x"], cwd=ROOT_DIR, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "--cursor" in bad.stderr


def test_camera_on_a_control_group_is_its_key_pressed_twice() -> None:
    world = _base()
    tanks = [unit(world, 0, "tank", 20 + i, 10) for i in range(2)]
    look = _one(world, {"action": "camera", "target": "group_4"},
                groups={4: tuple(t.id for t in tanks)})
    assert look.ui.point == (21.5, 10.5)  # the middle of the group
    empty = _one(world, {"action": "camera", "target": "group_5"}, "fr")
    assert empty.text == tr("empty_group", "fr", group=5)


# -- the README's controls table: each control can also be typed, in both languages ------
CONTROLS = [  # (control, English, French, the action it becomes)
    ("left click / drag: select", "select the tanks", "sélectionne les chars", "select"),
    ("right click: move", "move the tanks north", "envoie les chars au nord", "move"),
    ("right click: attack", "attack their refinery", "attaque leur raffinerie", "attack"),
    ("right click: harvest", "harvesters back to work", "collecteurs au travail", "harvest"),
    ("A then click: attack-move", "attack-move to the north",
     "attaque en route vers le nord", "attack"),
    ("S: stop", "stop", "arrête-toi", "stop"),
    ("Ctrl+1..9: set a group", "tanks are group 2", "les chars sont le groupe 2", "group"),
    ("1..9: recall a group", "select group 2", "sélectionne le groupe 2", "select"),
    ("scroll, minimap: look", "look at the north", "regarde le nord", "camera"),
    ("sidebar: build", "build a power plant", "construis une centrale", "build"),
    ("sidebar: train", "train a tank", "entraîne un char", "train"),
    ("right click on a button: cancel", "cancel the infantry", "annule les soldats", "cancel"),
    ("right click with a factory: rally", "barracks rally north", "caserne ralliement au nord",
     "rally"),
    ("Delete: sell", "sell this building", "vends-le", "sell"),
    ("K: repair", "repair the HQ", "répare le QG", "repair"),
    ("H: centre on the HQ", "show me the HQ", "montre-moi le QG", "camera"),
    ("Space: the last alert", "look at the alert", "montre l'alerte", "camera"),
    ("P: pause", "pause", "pause le jeu", "pause"),
    ("P again: resume", "resume the game", "reprends", "resume"),
    ("+: faster", "speed up", "plus vite", "speed"),
    ("-: slower", "slow down", "moins vite", "speed"),
    ("F2: the advisor", "how am I doing?", "où en suis-je ?", "analyze"),
]


@pytest.mark.parametrize(("control", "english", "french", "action"), CONTROLS,
                         ids=[c[0] for c in CONTROLS])
def test_every_control_can_be_typed_in_both_languages(control: str, english: str,
                                                      french: str, action: str) -> None:
    from llm.parser import parse

    for text, lang in ((english, "en"), (french, "fr")):
        parsed = parse(text)
        assert parsed.lang == lang, (control, text)
        assert [c["action"] for c in as_dicts(parsed.commands)] == [action], (control, text)


def test_cancel_drops_a_typed_build_still_waiting_for_the_hq() -> None:
    world = _base()
    ex = CommandExecutor(0)
    first, waiting = ex.execute(world, [canonical({"action": "build", "building": "power_plant"}),
                                        canonical({"action": "build", "building": "refinery"})])
    assert first.status == waiting.status == "waiting"
    [cancel] = ex.execute(world, [canonical({"action": "cancel", "item": "refinery"})])
    assert cancel.status == "done" and cancel.orders == []
    assert waiting.status == "refused"
    [cancel] = ex.execute(world, [canonical({"action": "cancel", "item": "power_plant"})])
    assert cancel.status == "done"  # typed this tick: withdrawn before the HQ starts it
    run(world, 2)
    ex.tick(world)
    assert world.players[0].construction is None and first.status == "refused"
    assert world.players[0].credits == 10000


# -- typed text to game state, per command, in both languages ----------------------------
def _typed_world():
    world = _base()
    building(world, 0, "power_plant", 10, 40)
    barracks = building(world, 0, "barracks", 14, 40)
    refinery = building(world, 0, "refinery", 20, 36)
    barracks.queue[:] = ["infantry", "infantry"]
    refinery.hp -= 300
    for i in range(3):
        unit(world, 0, "tank", 10 + i, 30)
    return world


def _typed(world, text: str, **pointing):
    from llm.parser import parse

    parsed = parse(text)
    assert parsed.commands, (text, parsed)
    outcomes = CommandExecutor(0).execute(world, parsed.commands, lang=parsed.lang,
                                          pointing=Pointing(**pointing))
    run(world, 1)
    return parsed.lang, outcomes


def _mine(world, kind):
    return next(world.buildings_of(0, kind))


TYPED = [  # (English, French, what must be true of the game afterwards)
    ("sell the power plant", "vends la centrale",
     lambda w, o: not any(w.buildings_of(0, "power_plant"))),
    ("cancel the infantry", "annule les soldats", lambda w, o: _mine(w, "barracks").queue == []),
    ("barracks rally north of the refinery", "caserne ralliement au nord de la raffinerie",
     lambda w, o: _mine(w, "barracks").rally[1] < _mine(w, "refinery").y),
    ("repair the refinery", "répare la raffinerie", lambda w, o: _mine(w, "refinery").repairing),
    ("select the tanks", "sélectionne les chars",
     lambda w, o: len(o[0].ui.units) == 3 and o[0].ui.action == "select"),
    ("tanks are group 3", "les chars sont le groupe 3", lambda w, o: o[0].ui.group == 3),
    ("show me the refinery", "montre-moi la raffinerie",
     lambda w, o: o[0].ui.point == (21.5, 37.5)),
    ("pause", "pause le jeu", lambda w, o: o[0].ui.action == "pause"),
    ("resume the game", "reprends", lambda w, o: o[0].ui.action == "resume"),
    ("speed up", "plus vite", lambda w, o: o[0].ui.speed == "faster"),
    ("tanks to the refinery", "les chars à la raffinerie",
     lambda w, o: o[0].orders[0].cell == (21, 37)),
    ("send the tanks here", "envoie les chars ici", lambda w, o: o[0].orders[0].cell == (30, 12)),
]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("english", "french", "check"), TYPED, ids=[t[0] for t in TYPED])
def test_typed_commands_change_the_game_in_both_languages(lang, english, french, check) -> None:
    world = _typed_world()
    said, outcomes = _typed(world, english if lang == "en" else french, cursor=(30.5, 12.5))
    assert said == lang
    assert [o.status for o in outcomes] == ["done"], [o.text for o in outcomes]
    assert check(world, outcomes)


@pytest.mark.parametrize(("text", "key", "params"), [
    ("sell the war factory", "nothing_to_sell", {"building": "war_factory"}),
    ("vends l'usine", "nothing_to_sell", {"building": "war_factory"}),
    ("repair the turret", "no_building", {"building": "turret"}),
    ("répare la tourelle", "no_building", {"building": "turret"}),
    ("cancel the tanks", "nothing_to_cancel_of", {"item": "tank"}),
    ("annule les chars", "nothing_to_cancel_of", {"item": "tank"}),
    ("attack the attackers", "nothing_attacking", {}),
    ("attaquez les assaillants", "nothing_attacking", {}),
])
def test_typed_refusals_give_the_reason_in_the_order_language(text, key, params) -> None:
    world = _typed_world()
    lang, [outcome] = _typed(world, text)
    assert outcome.status == "refused"
    assert outcome.text == tr(key, lang, **{k: name(v, lang) for k, v in params.items()})


def test_repair_the_base_repairs_every_damaged_building() -> None:
    world = _base()
    plant = building(world, 0, "power_plant", 10, 40)
    refinery = building(world, 0, "refinery", 30, 36)
    whole = building(world, 0, "barracks", 14, 40)
    plant.hp, refinery.hp = 100, 100
    outcome = _one(world, {"action": "repair", "target": "my_base"})
    assert {o.target for o in outcome.orders} == {plant.id, refinery.id}
    run(world, 1)
    assert plant.repairing and refinery.repairing and not whole.repairing
    east = _one(_base(), {"action": "repair", "target": "east"}, "fr")
    assert east.text == tr("no_building_there", "fr")


def test_build_beside_our_building_or_under_the_mouse() -> None:
    world = _base()
    building(world, 0, "power_plant", 10, 40)
    refinery = building(world, 0, "refinery", 14, 36)
    outcome = _one(world, {"action": "build", "building": "power_plant", "target": "my_refinery",
                           "side": "north"})
    assert outcome.status == "waiting", outcome.text
    x, y = outcome.orders[0].cell
    assert y < refinery.y
    here = CommandExecutor(0).execute(world, [canonical({"action": "build", "building": "turret",
                                                         "target": "here"})],
                                      pointing=Pointing(cursor=(12.5, 33.5)))
    assert here[0].status in ("waiting", "refused")  # waits for the HQ, never crashes


def test_near_a_building_is_one_command_with_or_without_the_word() -> None:
    """"near the refinery" and "at the refinery" build on the same spot, so they are one
    canonical command; near a region still means the region, not that side of the base."""
    plain = {"action": "build", "building": "turret", "target": "my_refinery"}
    assert canonical({**plain, "side": "near"}) == canonical(plain)
    region = {"action": "build", "building": "turret", "target": "north"}
    assert canonical({**region, "side": "near"}) != canonical(region)


@pytest.mark.parametrize("text", ["resume the game", "reprends"])
def test_typing_while_paused_resumes_the_game(app, text: str) -> None:
    import pygame

    from tests.uidriver import frames, key

    game = app.start_game(seed=3)
    key(pygame.K_p, "p")
    frames(app, 3)
    tick = game.world.tick
    assert game.paused
    game.language.submit(text)
    frames(app, 3)
    assert not game.paused and game.world.tick > tick


def test_a_selection_made_by_an_order_is_what_its_next_commands_use() -> None:
    world = _base()
    tanks = [unit(world, 0, "tank", 10 + i, 30) for i in range(2)]
    soldier = unit(world, 0, "infantry", 10, 33)
    [select, move] = CommandExecutor(0).execute(world, canonical_list([
        canonical({"action": "select", "unit": "tank"}),
        canonical({"action": "move", "target": "north"})]), selection=(soldier.id,))
    assert select.status == move.status == "done"
    assert set(move.orders[0].units) == {t.id for t in tanks}


def test_attack_this_attacks_the_enemy_under_the_mouse() -> None:
    world = _base()
    tanks = [unit(world, 0, "tank", 10 + i, 30) for i in range(2)]
    enemy = unit(world, 1, "infantry", 20, 25)
    see_all(world)
    outcome = _one(world, {"action": "attack", "unit": "tank", "target": "here"},
                   cursor=(enemy.x + 0.3, enemy.y))
    assert outcome.orders[0].kind == O.ATTACK and outcome.orders[0].target == enemy.id
    empty = _one(world, {"action": "attack", "unit": "tank", "target": "here"},
                 cursor=(30.5, 40.5))
    assert empty.orders[0].kind == O.ATTACK_MOVE and empty.orders[0].cell == (30, 40)
    assert set(empty.orders[0].units) == {t.id for t in tanks}
