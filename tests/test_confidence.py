"""Confidence: what the model is unsure of is asked about ("Did you mean ...?"), never
executed on a guess. The engine's confidence (real model), the translator's "confirm"
tickets, the command log's question (Enter = yes, Esc = no) in EN and FR, saves, the
translate CLI's fields and the evaluation scripts' counts."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pygame
import pytest

from game import sim
from game.ui.orders_desk import OrderDesk, describe
from game.ui.translate_cli import translate_lines
from game.vocabulary import as_dicts, canonical, canonical_list
from game.world import PLAYER
from llm import answer_checks, lexer
from llm.profiles import PROFILES, Profile, resolve_model_path, validate_model_file
from llm.translator import CANCELLED, CONFIRM, NOT_UNDERSTOOD, UNDERSTOOD, Translator

ROOT = Path(__file__).resolve().parent.parent
MODEL = str(resolve_model_path())
needs_model = pytest.mark.skipif(validate_model_file(MODEL) is not None,
                                 reason="the default model is not in models/")
NORTH = [{"action": "move", "unit": "tank", "target": "north"}]
POWER = [{"action": "attack", "unit": "helicopter", "target": "enemy_power_plant"}]


# -- a model client that answers what the test says --------------------------------------
@dataclass(frozen=True)
class Answer:
    """What llm.client.LLMClient.poll() hands back for a finished request."""

    id: int
    result: dict[str, Any] | None
    status: str = "ok"
    kind: str = "translate"
    reason: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class FakeClient:
    state = "ready"
    profile_name = "gemma-3-270m"
    model_name = "gemma-3-270m-q4_k_m.gguf"

    def __init__(self) -> None:
        self.sent: list[tuple[int, dict[str, Any]]] = []

    def submit(self, kind: str, payload: dict[str, Any]) -> int:
        self.sent.append((len(self.sent) + 1, payload))
        return len(self.sent)

    def cancel(self, request_id: int, reason: str = "") -> bool:
        return True

    def answer(self, commands: list[dict[str, Any]], confidence: float) -> Answer:
        return Answer(self.sent[-1][0], {"commands": commands, "confidence": confidence,
                                         "message": None if commands else "not_a_command"})


def _model_ticket(translator: Translator, client: FakeClient, text: str,
                  commands: list[dict[str, Any]], confidence: float):
    ticket = translator.submit(text)
    assert ticket.pending
    assert translator.handle(client.answer(commands, confidence)) is ticket
    return ticket


# -- the engine (real model) ----------------------------------------------------------------
@needs_model
def test_confidence_is_a_probability_and_lower_for_garbage(model_engine) -> None:
    never = lambda: False  # noqa: E731
    clear = [model_engine.run("translate", {"text": t}, never)[0]
             for t in ("send 3 tanks north", "train 5 infantry")]
    garbage = [model_engine.run("translate", {"text": t}, never)[0]
               for t in ("qwxz blorp fnord zzk", "hello there")]
    for result in clear + garbage:
        assert 0.0 <= result["confidence"] <= 1.0
        assert all(0.0 < p <= 1.0 for p in result["branches"])
    assert all(r["commands"] for r in clear)
    sure = min(r["confidence"] for r in clear)
    for result in garbage:  # garbage is refused, or less sure than any clear order
        assert not result["commands"] or result["confidence"] < sure, result


# -- the translator ---------------------------------------------------------------------
def test_a_translation_under_the_threshold_is_a_question_and_a_refusal_stays_one() -> None:
    client = FakeClient()
    translator = Translator(client, tier="llm", confirm_below=0.6)
    sure = _model_ticket(translator, client, "tanks north", NORTH, 0.9)
    unsure = _model_ticket(translator, client, "tanks north", NORTH, 0.3)
    refused = _model_ticket(translator, client, "blah", [], 0.1)
    assert (sure.status, sure.outcome, sure.confidence) == (UNDERSTOOD, "ok", 0.9)
    assert (unsure.status, unsure.outcome, as_dicts(unsure.commands)) == (CONFIRM, "confirm", NORTH)
    assert (refused.status, refused.outcome) == (NOT_UNDERSTOOD, "refused")
    assert unsure.as_json()["status"] == "confirm" and unsure.as_json()["confidence"] == 0.3
    rules = Translator(None, tier="rules").submit("send 3 tanks north")
    assert (rules.status, rules.tier, rules.confidence) == (UNDERSTOOD, "rules", 1.0)


HERE_TURRET = [{"action": "build", "building": "turret", "target": "here"}]


@pytest.mark.parametrize("text, answer, completed", [
    # what the compact format cannot write, added where one command can take it
    ("send the idle soldiers east", {"action": "move", "unit": "infantry", "target": "east"},
     {"filter": "idle"}),
    ("les chars endommagés à la base", {"action": "move", "unit": "tank", "target": "my_base"},
     {"filter": "damaged"}),
    ("idle units to the north", {"action": "move", "unit": "selected", "target": "north"},
     {"filter": "idle", "unit": "army"}),  # every idle unit, as the rules read it
    ("choisis les collecteurs au nord-est", {"action": "select", "unit": "harvester"},
     {"area": "northeast"}),
    ("tanks north of my base", {"action": "move", "unit": "tank", "target": "my_base"},
     {"side": "north"}),
])
def test_a_sure_answer_gets_the_filter_area_or_side_the_order_says(
        text: str, answer: dict[str, Any], completed: dict[str, Any]) -> None:
    client = FakeClient()
    translator = Translator(client, tier="llm", confirm_below=0.5)
    ticket = _model_ticket(translator, client, text, [answer], 0.99)
    assert ticket.status == UNDERSTOOD, text
    assert as_dicts(ticket.commands) == as_dicts(canonical_list([answer | completed]))


SELECT_TANKS = {"action": "select", "unit": "tank"}
SELECTED_EAST = {"action": "move", "unit": "selected", "target": "east"}
GROUP_5 = {"action": "group", "group": 5, "unit": "selected"}


@pytest.mark.parametrize("text, answer, executed", [
    # the place is where the units go, not where they are chosen
    ("select the tanks and send them east", [SELECT_TANKS, SELECTED_EAST],
     [SELECT_TANKS, SELECTED_EAST]),
    # the mouse's point is where they are chosen
    ("choisis les soldats ici et mets-les dans le groupe 5",
     [{"action": "select", "unit": "infantry"}, GROUP_5],
     [{"action": "select", "unit": "infantry", "area": "here"}, GROUP_5]),
])
def test_a_selections_place_is_the_one_no_other_command_goes_to(
        text: str, answer: list[dict[str, Any]], executed: list[dict[str, Any]]) -> None:
    _assert_executed(text, answer, executed)


def _assert_executed(text: str, answer: list[dict[str, Any]],
                     executed: list[dict[str, Any]]) -> None:
    """A sure model answer to `text` is executed, as `executed`."""
    client = FakeClient()
    translator = Translator(client, tier="llm", confirm_below=0.5)
    ticket = _model_ticket(translator, client, text, answer, 0.99)
    assert ticket.status == UNDERSTOOD, text
    assert as_dicts(ticket.commands) == as_dicts(canonical_list(executed))


WAR_FACTORY = {"action": "build", "building": "war_factory"}


@pytest.mark.parametrize("text, answer, executed", [
    # "it" is the building named before the one built beside it
    ("build a war factory, then a refinery next to it",
     [WAR_FACTORY, {"action": "build", "building": "refinery"}],
     [WAR_FACTORY, {"action": "build", "building": "refinery", "target": "my_war_factory"}]),
    ("Construis une usine, puis une centrale juste à côté d'elle",
     [WAR_FACTORY, {"action": "build", "building": "power_plant"}],
     [WAR_FACTORY, {"action": "build", "building": "power_plant",
                    "target": "my_war_factory"}]),
    ("repair the refinery and put a turret by it",
     [{"action": "repair", "building": "refinery"}, {"action": "build", "building": "turret"}],
     [{"action": "repair", "building": "refinery"},
      {"action": "build", "building": "turret", "target": "my_refinery"}]),
])
def test_a_building_put_beside_it_goes_beside_the_one_named_before(
        text: str, answer: list[dict[str, Any]], executed: list[dict[str, Any]]) -> None:
    _assert_executed(text, answer, executed)
    client = FakeClient()
    alone = _model_ticket(Translator(client, tier="llm", confirm_below=0.5), client,
                          "build a turret next to it",
                          [{"action": "build", "building": "turret"}], 0.99)
    assert alone.status == CONFIRM  # beside what? nothing is named before it


@pytest.mark.parametrize("text, answer, executed", [
    ("leurs tanks arrivent, artillerie feu sur leurs blindés",
     [{"action": "attack", "unit": "artillery", "target": "enemy_tank"}] * 2,
     [{"action": "attack", "unit": "artillery", "target": "enemy_tank"}]),
    ("repair the refinery", [{"action": "repair", "building": "refinery"}] * 2,
     [{"action": "repair", "building": "refinery"}]),  # twice would toggle it back off
    ("build a refinery, then a second refinery",
     [{"action": "build", "building": "refinery"}] * 2,
     [{"action": "build", "building": "refinery"}] * 2),  # twice is two
])
def test_the_same_command_twice_is_given_once_unless_it_adds(
        text: str, answer: list[dict[str, Any]], executed: list[dict[str, Any]]) -> None:
    client = FakeClient()
    translator = Translator(client, tier="llm", confirm_below=0.5)
    ticket = _model_ticket(translator, client, text, answer, 0.99)
    assert as_dicts(ticket.commands) == as_dicts(canonical_list(executed))


@pytest.mark.parametrize("text, commands, plain", [
    # a filter beside units the answer does not name: whose filter?
    ("send the idle soldiers east", [{"action": "move", "unit": "tank", "target": "east"}],
     "send the tanks east"),
    ("idle tanks north and idle soldiers south",
     [{"action": "move", "unit": "tank", "target": "north"},
      {"action": "move", "unit": "infantry", "target": "south"}],
     "tanks north and soldiers south"),
    # a selection kept to one of two places: which one?
    ("choisis les collecteurs au nord-est et les chars au sud",
     [{"action": "select", "unit": "harvester"}], "choisis les collecteurs"),
    # a place beside another, answered as the map's region
    ("tanks north of my base", [{"action": "move", "unit": "tank", "target": "north"}],
     "tanks to the north"),
    # the mouse's point, while the order points at nothing
    ("construis une centrale on manque de courant partout",
     [{"action": "build", "building": "power_plant", "target": "here"}], "centrale ici"),
    # credits spent, or a building sold, on a type the order never names
    ("make 2 of those fast", [{"action": "train", "unit": "tank", "count": 2}],
     "make 2 tanks fast"),
    ("sell 3 buildings", [{"action": "sell", "building": "hq"}], "sell the hq"),
    ("on a besoin d'un hôpital", [{"action": "build", "building": "war_factory"}],
     "on a besoin d'une usine"),
    # one cancelled where the order counts none: all of them
    ("Annule les tourelles en construction", [{"action": "cancel", "item": "turret",
                                               "count": 1}], "annule une tourelle"),
    # the same purchase twice, of a type named once
    ("so like uh build a power plant and uh yeah",
     [{"action": "build", "building": "power_plant"}] * 2,
     "build a power plant and another power plant"),
    # a count read from a number that counts nothing in its sentence
    ("gotta go 2 min, tanks defend the refinery",
     [{"action": "defend", "unit": "tank", "count": 2, "target": "my_refinery"}],
     "gotta go, 2 tanks defend the refinery"),
    ("attends 5 secondes. les hélicos au nord",
     [{"action": "move", "unit": "helicopter", "count": 5, "target": "north"}],
     "attends. 5 hélicos au nord"),
    # one number said once, copied as the count of another kind
    ("make 4 artillery, start harvesting",
     [{"action": "train", "unit": "artillery", "count": 4},
      {"action": "harvest", "unit": "harvester", "target": "ore", "count": 4}],
     "make 4 artillery, send 4 harvesters to harvest"),
    # two clauses, each with its own units and verb, answered with one command
    ("the harvesters gather ore while the tanks guard the refinery",
     [{"action": "defend", "unit": "tank", "target": "my_refinery"}],
     "the tanks guard the refinery"),
    ("les chars attaquent le nord pendant que l'infanterie garde la base",
     [{"action": "defend", "unit": "infantry", "target": "my_base"}],
     "l'infanterie garde la base"),
    # a training said, answered with only what the new units do next
    ("make 3 artillery, when they're done shell the enemy turrets with them",
     [{"action": "attack", "unit": "artillery", "count": 3, "target": "enemy_turret"}],
     "shell the enemy turrets with 3 artillery"),
    # a count the player took back, kept
    ("build two turrets, no wait, three", [{"action": "build", "building": "turret",
                                            "count": 2}], "build two turrets"),
    ("fais cinq hélicos euh plutôt six", [{"action": "train", "unit": "helicopter",
                                           "count": 5}], "fais cinq hélicos"),
    # a unit the player took back, kept
    ("stop the choppers, no, the artillery", [{"action": "stop", "unit": "helicopter"}],
     "stop the choppers"),
    # a count beside the building, dropped
    ("refinery x3", [{"action": "build", "building": "refinery"}], "refinery"),
    ("construis 2 tourelles", [{"action": "build", "building": "turret"}],
     "construis une tourelle"),
    # a report beside an order, where nothing asks for one
    ("entraîne huit soldats et après on verra bien",
     [{"action": "train", "unit": "infantry", "count": 8}, {"action": "analyze"}],
     "entraîne huit soldats et dis-moi où on en est"),
    ("train 4 soldiers. also i love this game's music",
     [{"action": "train", "unit": "infantry", "count": 4}, {"action": "analyze"}],
     "train 4 soldiers. also how are we doing?"),
    # one sale where the order says all of them
    ("sell all the turrets", [{"action": "sell", "building": "turret"}], "sell a turret"),
    ("vends toutes les tourelles", [{"action": "sell", "building": "turret"}],
     "vends la tourelle"),
    # a type of our units named, carried by no command (the enemy's are not ours)
    ("tanks, soldiers, attack the base",
     [{"action": "attack", "unit": "tank", "target": "enemy_base"}],
     "tanks, attack the base, their soldiers are weak"),
    ("les collecteurs attaquent la base ennemie",
     [{"action": "attack", "unit": "helicopter", "target": "enemy_base"}],
     "les hélicos attaquent la base ennemie"),
    # a count the order never says, where it says numbers
    ("fabrique une demi-douzaine de chars", [{"action": "train", "unit": "tank",
                                             "count": 12}], "fabrique une douzaine de chars"),
    ("send 100 tanks north", [{"action": "move", "unit": "tank", "count": 10,
                               "target": "north"}], "send 10 tanks north"),
    ("train twenty tanks", [{"action": "train", "unit": "tank", "count": 24}],
     "train 24 tanks"),
])
def test_a_sure_answer_that_drops_what_the_order_says_is_asked(
        text: str, commands: list[dict[str, Any]], plain: str) -> None:
    client = FakeClient()
    translator = Translator(client, tier="llm", confirm_below=0.5)
    ticket = _model_ticket(translator, client, text, commands, 0.99)
    assert ticket.status == CONFIRM, text
    said = _model_ticket(translator, client, plain, commands, 0.99)
    assert said.status == UNDERSTOOD, plain  # the same answer, nothing unsaid
    sms = _model_ticket(translator, client, "tourelle isi", HERE_TURRET, 0.99)
    assert sms.status == UNDERSTOOD  # "isi": "ici" as typed in a hurry, a pointing word


def test_the_threshold_comes_from_the_running_models_profile() -> None:
    client = FakeClient()
    gemma = next(p for p in PROFILES if p.name == "gemma-3-270m")
    assert Translator(client).threshold() == gemma.confirm_below
    assert 0.0 < gemma.confirm_below < 1.0
    assert Translator(None).threshold() == Profile("", "", "").confirm_below
    translator = Translator(client, tier="llm")
    just_under = _model_ticket(translator, client, "x", NORTH, gemma.confirm_below - 0.01)
    at = _model_ticket(translator, client, "x", NORTH, gemma.confirm_below)
    assert (just_under.status, at.status) == (CONFIRM, UNDERSTOOD)


@pytest.mark.parametrize("sent", ["high", float("nan"), -3, 7, True])
def test_a_confidence_that_is_not_a_probability_is_not_trusted(sent: Any) -> None:
    client = FakeClient()
    translator = Translator(client, tier="llm", confirm_below=0.5)
    ticket = translator.submit("tanks north")
    translator.handle(Answer(client.sent[-1][0], {"commands": NORTH, "confidence": sent}))
    assert 0.0 <= ticket.confidence <= 1.0
    assert ticket.status == CONFIRM


# -- the order desk and the command log -------------------------------------------------
def _desk(confirm_below: float = 0.6) -> tuple[OrderDesk, FakeClient]:
    client = FakeClient()
    return OrderDesk(Translator(client, tier="llm", confirm_below=confirm_below)), client


def _ask(desk: OrderDesk, client: FakeClient, world, text: str, commands, confidence=0.2):
    entry = desk.submit(text, world, ())
    assert desk.on_model_result(client.answer(commands, confidence), world)
    return entry


def _our_orders(world) -> list:
    return [o for o in world.pending_orders if o.player == PLAYER]


def test_a_question_is_executed_only_on_yes_and_exactly_as_asked() -> None:
    world = sim.new_game(7)
    desk, client = _desk()
    entry = _ask(desk, client, world, "tanks up top", NORTH)
    assert desk.question is entry and entry.status == "confirm"
    assert entry.outcomes == [] and _our_orders(world) == []  # nothing done yet
    assert entry.lines == [("confirm", "Did you mean: move tanks → north? "
                                       "Enter = yes, Esc = no")]
    for _ in range(20):  # the game goes on: the question stays, nothing happens
        sim.step(world)
        desk.on_tick(world)
    assert desk.question is entry and entry.outcomes == []
    assert desk.answer(True, world) is entry
    assert desk.question is None and entry.ticket.status == UNDERSTOOD
    assert as_dicts([o.command for o in entry.outcomes if o.command]) == NORTH
    assert entry.status == "done" and _our_orders(world)  # checked and issued like any order
    assert desk.answer(True, world) is None  # nothing left to answer


def test_no_drops_the_question_with_a_log_line() -> None:
    world = sim.new_game(7)
    desk, client = _desk()
    entry = _ask(desk, client, world, "tanks up top", NORTH)
    desk.answer(False, world)
    assert desk.question is None and entry.ticket.status == CANCELLED
    assert entry.outcomes == [] and _our_orders(world) == []
    assert entry.lines == [("cancelled", "not done (you said no): move tanks → north")]


def test_a_new_order_drops_the_question() -> None:
    world = sim.new_game(7)
    desk, client = _desk()
    first = _ask(desk, client, world, "tanks up top", NORTH)
    desk.submit("send 3 tanks north", world, ())
    assert first.ticket.status == CANCELLED and "new order" in first.ticket.message
    assert first.outcomes == []
    second = _ask(desk, client, world, "tanks up top", NORTH)
    third = _ask(desk, client, world, "choppers on their power", POWER)  # unanswered first
    assert desk.question is third and second.ticket.status == CANCELLED


def test_the_question_is_asked_in_the_orders_language() -> None:
    world = sim.new_game(7)
    desk, client = _desk()
    entry = _ask(desk, client, world, "les hélicos sur leur courant", POWER)
    assert entry.ticket.lang == "fr"
    assert entry.ticket.message == ("Vouliez-vous dire : attaquer centrale ennemie avec "
                                    "hélicoptères ? Entrée = oui, Échap = non")
    desk.answer(False, world)
    assert entry.ticket.message.startswith("pas fait (vous avez dit non) : attaquer")
    en = _ask(desk, client, world, "choppers on their power", POWER)
    assert en.ticket.message == ("Did you mean: attack enemy power plant with helicopters? "
                                 "Enter = yes, Esc = no")


def test_the_question_describes_commands_as_the_log_does() -> None:
    commands = canonical_list([
        {"action": "train", "unit": "tank", "count": 2},
        {"action": "move", "unit": "army", "target": "enemy_base", "side": "north"}])
    assert describe(commands, "en") == \
        "train 2 tanks at War Factory, then move army → north of the enemy base"
    assert describe(commands, "fr") == ("entraîner 2 chars (Usine d'armement), puis "
                                        "déplacer armée → au nord de la base ennemie")


def test_a_pending_question_survives_a_save_and_is_answered_after_the_load() -> None:
    world = sim.new_game(7)
    desk, client = _desk()
    tanks = [u.id for u in world.units.values() if u.owner == PLAYER and u.type.name == "tank"]
    selected = [{"action": "move", "unit": "selected", "target": "here"}]
    entry = desk.submit("those over there", world, tuple(tanks))
    desk.on_model_result(client.answer(selected, 0.2), world)
    assert desk.question is entry
    saved = json.loads(json.dumps(desk.to_state()))  # what a save file holds
    loaded, _ = _desk()
    loaded.restore(saved)
    question = loaded.question
    assert question is not None and as_dicts(question.ticket.commands) == selected
    assert question.ticket.message == entry.ticket.message
    assert question.ticket.confidence == 0.2 and question.selection == tuple(tanks)
    loaded.answer(True, world)
    # "here" needs the mouse: none was given when it was typed, and the load keeps that
    assert question.outcomes[0].status == "refused"
    # A question tampered with in the save is not asked again
    saved["entries"][-1]["commands"] = [{"action": "nuke", "unit": "everything"}]
    tampered, _ = _desk()
    tampered.restore(saved)
    assert tampered.question is None
    assert tampered.entries[-1].ticket.status == CANCELLED


def test_a_saved_question_keeps_what_the_player_pointed_at() -> None:
    from game.commands import Pointing

    world = sim.new_game(7)
    desk, client = _desk()
    here = [{"action": "move", "unit": "army", "target": "here"}]
    pointing = Pointing((), (20.5, 30.5), {2: (5, 6)}, None)
    desk.submit("everyone over there", world, (), pointing)
    desk.on_model_result(client.answer(here, 0.1), world)
    loaded, _ = _desk()
    loaded.restore(json.loads(json.dumps(desk.to_state())))
    question = loaded.question
    assert question is not None and question.pointing == pointing
    loaded.answer(True, world)
    assert question.outcomes[0].status == "done"


# -- the game: Enter and Esc in the command log -------------------------------------------
def _game_with_fake_model(app):
    from tests.uidriver import frames

    game = app.start_game(seed=3)
    layer = game.language
    assert layer is not None
    client = FakeClient()
    layer.orders.translator = Translator(client, tier="llm", confirm_below=0.6)
    frames(app)
    return game, layer, client


def test_enter_says_yes_and_escape_says_no_in_the_game(app) -> None:
    from tests.uidriver import frames, key

    game, layer, client = _game_with_fake_model(app)
    layer.submit("tanks up top")
    layer.on_model_result(client.answer(NORTH, 0.2))
    entry = layer.orders.question
    assert entry is not None and entry.outcomes == []
    frames(app, 3)
    assert entry.outcomes == []  # nothing until the player answers
    game.draw(pygame.Surface(app.surface.get_size()))  # the question draws
    rows = layer.log._rows()
    typed = max(i for i, row in enumerate(rows) if row.bold)
    assert rows[typed].mark == "confirm" and rows[typed].text == "tanks up top"
    assert " ".join(row.text for row in rows[typed + 1:]).startswith("→ Did you mean:")
    _read(entry)
    key(pygame.K_RETURN)
    frames(app)
    assert entry.ticket.status == UNDERSTOOD and entry.outcomes
    assert not layer.bar.active  # Enter answered; it did not open the command bar
    layer.submit("tanks up top")
    layer.on_model_result(client.answer(NORTH, 0.2))
    second = layer.orders.question
    assert second is not None
    key(pygame.K_ESCAPE)
    frames(app)
    assert second.ticket.status == CANCELLED and second.outcomes == []
    assert game.menu is None  # Esc answered; it did not open the menu
    key(pygame.K_RETURN)  # no question: Enter opens the command bar as always
    frames(app)
    assert layer.bar.active


def _read(entry) -> None:
    """As if the question had been on screen long enough to be read."""
    from game.ui.language_layer import READ_TIME_S

    entry.ticket.finished_at -= READ_TIME_S


def test_an_enter_typed_before_the_question_came_opens_the_bar(app) -> None:
    """Typing the next order at once: the Enter that opens the bar must not say yes
    to a question that arrived a moment before (seen in play: the next order's
    letters then went to the hotkeys and started a refinery)."""
    from tests.uidriver import frames, key, post

    game, layer, client = _game_with_fake_model(app)
    layer.submit("tanks up top")
    layer.on_model_result(client.answer(NORTH, 0.2))
    entry = layer.orders.question
    key(pygame.K_RETURN)
    frames(app)
    assert layer.bar.active and entry.ticket.status == "confirm" and entry.outcomes == []
    post(pygame.TEXTINPUT, text="stop")
    key(pygame.K_RETURN)  # the next order: it drops the question
    frames(app)
    assert entry.ticket.status == CANCELLED and entry.outcomes == []
    assert len(client.sent) == 2


def test_typing_into_the_bar_does_not_answer(app) -> None:
    from tests.uidriver import frames, key, post

    game, layer, client = _game_with_fake_model(app)
    layer.submit("tanks up top")
    layer.on_model_result(client.answer(NORTH, 0.2))
    entry = layer.orders.question
    key(pygame.K_SLASH, "/")  # opens the bar without answering
    frames(app)
    assert layer.bar.active and layer.orders.question is entry
    post(pygame.TEXTINPUT, text="stop")
    key(pygame.K_RETURN)  # submits the new order: the question is dropped, not answered
    frames(app)
    assert entry.ticket.status == CANCELLED and entry.outcomes == []
    assert len(client.sent) == 2


# -- main.py translate and the scripts ---------------------------------------------------
def test_translate_reports_status_and_confidence_for_every_line() -> None:
    lines = ["send 3 tanks north", "tell me a joke", "les chars au nord"]
    results = list(translate_lines(lines, "rules", None))
    assert [r["status"] for r in results] == ["ok", "refused", "ok"]
    assert all(r["confidence"] == 1.0 for r in results)


@needs_model
def test_translate_with_the_model_reports_status_and_confidence() -> None:
    results = list(translate_lines(["the choppers should go wreck their harvesters",
                                    "qwxz blorp fnord zzk"], "llm", MODEL))
    for r in results:
        assert r["status"] in ("ok", "confirm", "refused")
        assert isinstance(r["confidence"], float) and 0.0 <= r["confidence"] <= 1.0
        assert (r["status"] == "refused") == (not r["commands"])


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_eval_counts_only_executed_wrong_answers_as_wrong() -> None:
    evaluate = _script("eval_orders")
    ok = {"status": "ok", "commands": NORTH}
    assert evaluate.outcome(ok, NORTH) == "right"
    assert evaluate.outcome(ok, POWER) == "wrong"
    assert evaluate.outcome({"status": "confirm", "commands": POWER}, NORTH) == "asked"
    assert evaluate.outcome({"status": "refused", "commands": []}, NORTH) == "refused"
    assert evaluate.outcome({"status": "refused", "commands": []}, []) == "right"
    rows = [{"lang": "en", "style": "terse"}, {"lang": "fr"}, {"lang": "en", "style": "terse"}]
    table = evaluate.style_table(["right", "wrong", "asked"], rows)
    assert table[0] == {"style": "-", "lang": "fr", "orders": 1, "right": 0, "asked": 0,
                        "refused": 0, "wrong": 1}
    assert table[1]["style"] == "terse" and table[1]["asked"] == 1 and table[1]["orders"] == 2
    assert [(t["style"], t["lang"]) for t in table[2:]] == [("all", "en"), ("all", "fr")]


def test_calibration_suggests_the_threshold_that_asks_least_within_the_wrong_budget() -> None:
    calibrate = _script("calibrate_confidence")
    samples = [(0.9, NORTH, NORTH)] * 90 + [(0.42, POWER, NORTH)] * 5 + \
        [(0.3, NORTH, NORTH)] * 4 + [(0.95, [], NORTH)]
    lines = calibrate.table(samples)
    at = {line["threshold"]: line for line in lines}
    assert at[0.0]["wrong"] == 0.05 and at[0.0]["asked"] == 0.0
    assert at[0.45]["wrong"] == 0.0 and at[0.45]["asked"] == 0.09
    assert at[0.45]["refused"] == 0.01 and at[0.45]["asked_right"] == 0.04
    assert calibrate.suggest(lines, 0.01)["threshold"] == 0.45
    assert calibrate.suggest(calibrate.table([(1.0, POWER, NORTH)]), 0.01) is None
    with pytest.raises(SystemExit):
        calibrate.load([str(ROOT / "tests/data/orders_blind2.jsonl")])


def test_a_replay_shows_the_question_then_what_the_answer_did(app) -> None:
    from game import replay
    from tests.uidriver import frames, key

    game, layer, client = _game_with_fake_model(app)
    assert app.recorder is not None
    path = app.recorder.path
    layer.submit("tanks up top")
    layer.on_model_result(client.answer(NORTH, 0.2))
    frames(app, 2)
    _read(layer.orders.question)
    key(pygame.K_RETURN)
    frames(app, 2)
    app.show_title()  # leaving the match writes its end record
    typed = [entry for _, entry in replay.load(path).typed if entry["text"] == "tanks up top"]
    assert [entry["status"] for entry in typed] == ["confirm", "understood"]
    assert typed[0]["message"].startswith("Did you mean: move tanks → north?")
    assert typed[0]["lines"] == [] and typed[1]["lines"][0][0] == "done"


def test_the_hint_under_the_bar_says_what_enter_does_now(app, monkeypatch) -> None:
    from game.ui import language_panels
    from game.ui.messages import say
    from game.ui.theme import font

    game, layer, client = _game_with_fake_model(app)
    bar = game.layout.command_bar
    for lang in ("en", "fr"):  # drawn under the bar, in its width (tests/test_text_fit.py)
        assert font(12).size(say("confirm_hint", lang))[0] <= bar.width - 8, lang
    layer.submit("tanks up top")
    layer.on_model_result(client.answer(NORTH, 0.2))
    drawn: list[str] = []
    monkeypatch.setattr(language_panels, "draw_text",
                        lambda surface, text, *args, **kwargs: drawn.append(text))
    layer.bar.draw(pygame.Surface(app.surface.get_size()), 0.0)
    assert drawn == [say("confirm_hint", game.lang)]
    layer.orders.answer(False, game.world)
    layer.bar.draw(pygame.Surface(app.surface.get_size()), 0.0)
    assert drawn[-1] == say("command_hint", game.lang)


@pytest.mark.parametrize("text,count", [("two dozen", 24), ("deux douzaines", 24),
                                        ("3, and 2 more", 5), ("3", 3)])
def test_a_count_said_as_numbers_added_or_multiplied_is_said(text: str, count: int) -> None:
    items = lexer.tidy(lexer.lex(f"train {text} tanks"))
    train = canonical({"action": "train", "unit": "tank", "count": count})
    assert not answer_checks._unsaid_count(items, [train])
    other = canonical({"action": "train", "unit": "tank", "count": count + 1})
    assert answer_checks._unsaid_count(items, [other])


@pytest.mark.parametrize("text", ["train 3 tanks and 2 more", "entraîne 3 chars et 2 de plus"])
def test_two_trainings_of_one_unit_are_one_training_of_the_sum(text: str) -> None:
    answer = [canonical({"action": "train", "unit": "tank", "count": n}) for n in (3, 2)]
    commands, unsure = answer_checks.review(text, answer)
    assert [c.as_dict() for c in commands] == [{"action": "train", "unit": "tank", "count": 5}]
    assert not unsure  # the 5 is the two counts said, added
    other = [canonical({"action": "train", "unit": u, "count": 2}) for u in ("tank", "infantry")]
    assert answer_checks.review("train 2 tanks and 2 soldiers", other)[0] == other
