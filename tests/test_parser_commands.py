"""Typed orders for the base and the interface (issue 11), both languages.

The labelled orders are in tests/data/orders_commands.jsonl (run by test_parser.py);
here: what must never happen, and what the parser says when it cannot apply an order.
"""

from __future__ import annotations

import pytest

from game import i18n, vocabulary
from game.vocabulary import as_dicts
from llm import frames
from llm.guide import evidence
from llm.parser import parse

SELL_OR_REPAIR = [
    "sell the war factory", "sell a power plant", "repair the refinery", "fix the barracks",
    "vends la caserne", "revends la raffinerie", "répare la centrale", "réparez l'usine",
    "please sell my refinery asap mate", "could you repair the power plant real quick",
    "vends-moi cette raffinerie stp", "faudrait réparer la centrale",
]


@pytest.mark.parametrize("text", SELL_OR_REPAIR)
def test_sell_and_repair_never_become_a_build(text: str) -> None:
    result = parse(text)
    assert all(c["action"] in ("sell", "repair") for c in as_dicts(result.commands)), result
    for clause in evidence(text).clauses:  # what the model is steered towards
        assert clause.actions and clause.actions <= {"sell", "repair"}, clause


@pytest.mark.parametrize("text, key", [
    ("cancel", "cancel_what"), ("annule", "cancel_what"),
    ("rally", "rally_where"), ("point de ralliement", "rally_where"),
    ("show me", "camera_where"), ("montre-moi", "camera_where"),
    ("speed", "speed_how"), ("vitesse", "speed_how"),
    ("assign the tanks", "group_which"), ("assigne les chars", "group_which"),
])
def test_orders_missing_their_object_say_what_in_the_orders_language(text: str,
                                                                        key: str) -> None:
    result = parse(text)
    assert (result.status, result.message_key) == ("incomplete", key)
    assert result.message() == i18n.tr(key, result.lang)


@pytest.mark.parametrize("text", [
    "sell all the turrets",  # more than the mouse sells at once
    "vends toutes les tourelles",
    "rally the tanks at the base",  # units are not a factory
    "build a turret at 22,14 and defend that spot",  # the cursor, or the place just named?
    "envoie les chars ici et attaque le nord",
    "sell the enemy refinery",  # not ours to sell
    "that one over there, repair it",  # the place is the repair's, not a move's
    "au nord-est, le ralliement de la caserne",
])
def test_orders_with_no_single_complete_reading_go_to_the_model(text: str) -> None:
    assert parse(text).status == "unknown"


@pytest.mark.parametrize("text", [
    "à gauche toute, l'artillerie",  # "toute" is "hard", not everyone
    "tout en bas, l'infanterie",
    "Right lads, send the whole army to the east flank",
    "everyone north, and the tanks too",
])
def test_the_army_and_some_of_its_units_in_one_order_go_to_the_model(text: str) -> None:
    assert parse(text).status == "unknown"


@pytest.mark.parametrize("text", [
    # units named last, after two orders: said to both, or to the last?
    "hit their refinery and then fall back north, tanks",
    "attaquez leur caserne puis repliez-vous au nord, les chars",
    # a building counted beside units: one to build, or ours to go to?
    "two harvesters and a refinery please",
    "deux chars et une tourelle",
])
def test_who_or_what_said_apart_from_the_orders_goes_to_the_model(text: str) -> None:
    assert parse(text).status == "unknown"


def test_units_named_last_after_one_order_are_its_subject() -> None:
    assert as_dicts(parse("go south, you choppers").commands) == [
        {"action": "move", "unit": "helicopter", "target": "south"}]
    assert as_dicts(parse("two tanks to the refinery").commands) == [
        {"action": "move", "unit": "tank", "count": 2, "target": "my_refinery"}]


def test_the_army_and_some_of_its_units_with_different_orders_are_read() -> None:
    result = parse("les chars au nord et tout le monde défend la base")
    assert as_dicts(result.commands) == [
        {"action": "move", "unit": "tank", "target": "north"},
        {"action": "defend", "unit": "army", "target": "my_base"}]


def test_deixis_and_the_selection() -> None:
    assert as_dicts(parse("move the tanks here").commands)[0]["target"] == vocabulary.HERE
    assert as_dicts(parse("envoie les chars ici").commands)[0]["target"] == vocabulary.HERE
    assert as_dicts(parse("sell that one").commands)[0]["target"] == vocabulary.HERE
    assert as_dicts(parse("who made this game").commands) == []  # "this" alone points at nothing
    for text in ("choppers to the spot under my mouse", "les chars sous la souris"):
        assert parse(text).commands[0].target == vocabulary.HERE, text
    for text in ("move these units north", "envoie ceux-là au nord"):
        assert as_dicts(parse(text).commands)[0]["unit"] == "selected"


def test_relative_places_are_sides_not_the_maps_regions() -> None:
    command = as_dicts(parse("move the tanks to the north of my base").commands)[0]
    assert (command["target"], command["side"]) == ("my_base", "north")
    command = as_dicts(parse("envoie les chars à l'est de la raffinerie").commands)[0]
    assert (command["target"], command["side"]) == ("my_refinery", "east")
    assert as_dicts(parse("move to the top left of the map").commands)[0]["target"] == "northwest"


def test_every_reading_names_a_vocabulary_action_and_its_slots() -> None:
    for reading in frames.READINGS:
        slots = {slot.key for slot in vocabulary.FRAMES[reading.action]}
        filled = {slot for slot in reading.fills.values() if slot} | set(reading.says)
        assert filled | set(reading.needs) <= slots | {"side"}, reading
    assert frames.TABLE_ACTIONS <= set(vocabulary.ACTIONS)
    assert set(vocabulary.ACTIONS) == {r.action for r in frames.READINGS}


SELECTED_BUILDING = {"action": "sell", "building": "selected", "count": 1}


@pytest.mark.parametrize("text, expected", [
    # "sell that": the selected building (what the sidebar's sell does to it)
    ("sell that", [SELECTED_BUILDING]), ("sell this", [SELECTED_BUILDING]),
    ("vends ça", [SELECTED_BUILDING]), ("vends-la", [SELECTED_BUILDING]),
    # bare "resume" is the game's; a summary is asked for in a phrase
    ("resume", [{"action": "resume"}]), ("reprends", [{"action": "resume"}]),
    ("un résumé", [{"action": "analyze"}]), ("résume la situation", [{"action": "analyze"}]),
    # a place near our own buildings
    ("gather near the turrets", [{"action": "move", "unit": "selected", "target": "my_turret"}]),
    ("send the tanks near the turrets", [{"action": "move", "unit": "tank",
                                          "target": "my_turret"}]),
    ("près des tourelles", [{"action": "move", "unit": "selected", "target": "my_turret"}]),
    ("envoie les chars près des tourelles", [{"action": "move", "unit": "tank",
                                              "target": "my_turret"}]),
    # a factory's units, named before the verb, rally
    ("les unités de la caserne se rassemblent au centre",
     [{"action": "rally", "building": "barracks", "target": "center"}]),
    ("the barracks units rally to the center",
     [{"action": "rally", "building": "barracks", "target": "center"}]),
    # whoever attacks what is ours: the attackers, not our harvester
    ("attack whoever is hitting my harvester",
     [{"action": "attack", "unit": "selected", "target": "attackers"}]),
    ("attaque ceux qui attaquent nos collecteurs",
     [{"action": "attack", "unit": "selected", "target": "attackers"}]),
])
def test_issue_11_gaps_in_both_languages(text: str, expected: list) -> None:
    result = parse(text)
    assert (result.status, as_dicts(result.commands)) == ("ok", expected), result
    assert vocabulary.canonical_list(as_dicts(result.commands)) == result.commands

@pytest.mark.parametrize("text", [
    "attack this", "move this north",  # "this" alone is no target nor unit
    "les chars se rassemblent au centre",  # units gathering are no factory
])
def test_this_and_gathering_units_go_to_the_model(text: str) -> None:
    assert parse(text).status == "unknown"


@pytest.mark.parametrize("text, expected", [
    ("select group three", [{"action": "select", "unit": "group_3"}]),
    ("Sélectionne le groupe sept", [{"action": "select", "unit": "group_7"}]),
    ("groupe deux au nord", [{"action": "move", "unit": "group_2", "target": "north"}]),
    ("tanks are group five", [{"action": "group", "group": 5, "unit": "tank"}]),
])
def test_a_control_group_may_be_numbered_in_words(text: str, expected: list) -> None:
    result = parse(text)
    assert (result.status, as_dicts(result.commands)) == ("ok", expected), result
