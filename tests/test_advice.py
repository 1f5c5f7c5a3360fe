"""The advisor's model side: what the model is told, which remarks may be shown,
and how the desk asks (only when the model is idle) and drops stale answers.
The real model is exercised in test_language_ui.py; here a stub client stands in
for the protocol's edge cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.advisor import analyze
from game.ui.advisor_desk import DETAILS_TICKS, STALE_TICKS, AdvisorDesk
from llm.advice import accept_remark, recommended_commands, review_remark, situation, todo_phrase
from llm.prompts import ADVICE_EXAMPLES
from tests.simworld import building, flat_world, run, see_all, unit


def _hq_only_report(lang: str = "en"):
    world = flat_world(credits=5000)
    building(world, 0, "hq", 4, 40)
    unit(world, 0, "tank", 10, 30)
    return analyze(world, 0, lang)


def test_good_remarks_pass() -> None:
    report = _hq_only_report()
    assert accept_remark("you have 5000 credits: build a power plant.", "en", report) == \
        "You have 5000 credits: build a power plant."
    assert accept_remark("Avec 5000 crédits : construisez une centrale.", "fr",
                         _hq_only_report("fr")) is not None
    assert accept_remark("Construisez une centrale puis défendez le nord.", "fr") is not None


def test_bad_remarks_are_dropped_with_a_reason() -> None:
    dropped = [
        ("", "en", "length"), ("ok", "en", "length"),
        ("Construisez une centrale puis défendez le nord.", "en", "language"),
        ("Build a power plant, then guard the north.", "fr", "language"),
        ("The weather in Paris is lovely this time of the year.", "en", "off_topic"),
        ("Commands: move tank north 3", "en", "debris"),
        ("1234 5678 9999 ;;; ---", "en", "debris"),
        ("x" * 400, "en", "length"),
        (ADVICE_EXAMPLES[0][2], "en", "example_copy"),  # verbatim: about another battle
    ]
    for text, lang, reason in dropped:
        assert review_remark(text, lang).reason == reason, text
    report = _hq_only_report()
    checked = [
        ("You have 6000 credits: build a power plant.", "numbers"),  # invented
        ("You have 20 credits: build a power plant.", "numbers"),  # the power, not the credits
        ("With 1 tanks: build a power plant.", "agreement"),
        ("Power is low: build a power plant.", "claim"),  # it is not
        ("You have 5000 credits: attack the enemy base now.", "not_sensible"),
        ("You have 5000 credits and only an HQ.", "no_action"),
        ("The tank is idle and cannot hit them: build a power plant.", "unsupported"),
    ]
    for text, reason in checked:
        assert review_remark(text, "en", report).reason == reason, text


def test_french_counts_and_agreement() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    building(world, 0, "power_plant", 8, 40)
    unit(world, 0, "tank", 10, 36)
    for i in range(3):
        unit(world, 1, "infantry", 9 + i, 38)
    see_all(world)
    report = analyze(world, 0, "fr")
    assert report.tips[0].key == "threat"
    good = "3 soldats ennemis sont à la base : défendez notre base."
    assert review_remark(good, "fr", report).reason == "ok"
    for wrong, reason in [
        ("Les ennemies sont à la base : défendez notre base.", "agreement"),
        ("3 soldats ennemies sont à la base : défendez notre base.", "agreement"),
        ("Les 3 chars sont à la base : défendez notre base.", "numbers"),  # one tank
        ("1 chars et 3 soldats : défendez notre base.", "agreement"),
    ]:
        assert review_remark(wrong, "fr", report).reason == reason, wrong


def test_situation_line_speaks_the_players_language() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    unit(world, 0, "tank", 10, 30)
    unit(world, 1, "infantry", 30, 10)
    see_all(world)
    facts = analyze(world, 0).facts
    en, fr = situation(facts, "en"), situation(facts, "fr")
    assert en.startswith("fact no power plant; todo build a power plant; credits 10000")
    assert fr.startswith("constat pas de centrale; à faire construisez une centrale; "
                         "crédits 10000")
    assert en.endswith("units 1 tank") and fr.endswith("unités 1 char")


def test_todo_phrases_read_back_as_the_action() -> None:
    """The prompt's todo is written so that the rules parser reads it as the same action."""
    for action in [("build", "power_plant"), ("build", "war_factory"), ("train", "infantry"),
                   ("train", "artillery"), ("defend", "my_base"), ("move", "my_base"),
                   ("attack", "enemy_hq"), ("attack", "enemy_base"), ("harvest", "ore")]:
        for lang in ("en", "fr"):
            [command] = recommended_commands(todo_phrase(action, lang))
            assert command.action == action[0], (action, lang)


@dataclass
class StubResult:
    id: int
    status: str = "ok"
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class StubClient:
    def __init__(self) -> None:
        self.state = "ready"
        self.submitted: list[tuple[str, dict[str, Any]]] = []

    def submit(self, kind: str, payload: dict[str, Any]) -> int:
        self.submitted.append((kind, payload))
        return len(self.submitted)


def _desk_world():
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    unit(world, 0, "tank", 10, 30)
    client = StubClient()
    desk = AdvisorDesk(client)
    desk.on_tick(world, "en")
    return world, client, desk


def test_desk_asks_only_an_idle_model_and_shows_its_remark() -> None:
    world, client, desk = _desk_world()
    client.state = "busy"
    desk.on_frame(world, "en")
    assert client.submitted == []  # orders go first
    client.state = "ready"
    desk.on_frame(world, "en")
    [(kind, payload)] = client.submitted
    assert kind == "advise" and payload["lang"] == "en" and "credits" in payload["summary"]
    desk.on_frame(world, "en")
    assert len(client.submitted) == 1  # one at a time
    assert desk.on_model_result(StubResult(1, result={"text": "Build a power plant now."}),
                                world)
    lines = desk.lines(world)
    assert lines[0].source == "heuristic"
    assert any(line.source == "model" and line.text == "Build a power plant now."
               for line in lines)
    assert desk.stats()["model_updates"] == 1


def test_desk_drops_stale_and_unfit_remarks() -> None:
    world, client, desk = _desk_world()
    desk.on_frame(world, "en")
    run(world, STALE_TICKS + 1)
    desk.on_model_result(StubResult(1, result={"text": "Build a power plant now."}), world)
    assert desk.remark is None and desk.model_discarded == 1
    desk.refresh(world, "en")
    desk.on_model_result(StubResult(2, result={"text": "Il fait beau aujourd'hui."}), world)
    assert desk.remark is None and desk.model_discarded == 2
    desk.refresh(world, "en")
    assert not desk.on_model_result(StubResult(99), world)  # not its request
    desk.on_model_result(StubResult(3, status="cancelled"), world)  # pre-empted by an order
    assert desk.remark is None and desk.model_discarded == 2
    assert all(line.source == "heuristic" for line in desk.lines(world))


def test_desk_counts_drops_by_reason_and_withdraws_remarks_the_state_belies() -> None:
    world, client, desk = _desk_world()
    desk.on_frame(world, "en")
    desk.on_model_result(StubResult(1, result={"text": "Attack the enemy base now."}), world)
    assert desk.remark is None and desk.stats()["discard_reasons"] == {"not_sensible": 1}
    desk.refresh(world, "en")
    desk.on_model_result(StubResult(2, result={"text": "With 10000 credits: build a power plant."}),
                         world)
    assert desk.remark is not None
    building(world, 0, "power_plant", 8, 40)  # built: the remark is no longer right
    desk.refresh(world, "en")
    assert desk.remark is None and desk.stats()["model_withdrawn"] == 1


def test_how_am_i_doing_shows_the_fuller_report() -> None:
    for lang, words in (("en", ("Economy", "Power", "Army", "Enemy", "Threat", "Next steps")),
                        ("fr", ("Économie", "Énergie", "Armée", "Ennemis", "Menace", "À faire"))):
        world, _, desk = _desk_world()
        desk.client = None
        short = desk.lines(world)
        desk.refresh(world, lang)
        full = [line.text for line in desk.lines(world)]
        assert len(full) > len(short)
        for word in words:
            assert any(line.startswith(word) for line in full), (lang, word, full)
        assert any(tip.text in " ".join(full) for tip in desk.report.tips)
        run(world, DETAILS_TICKS + 1)
        desk.on_tick(world, lang)
        assert len(desk.lines(world)) < len(full)  # back to the panel's short form


def test_desk_does_not_ask_the_model_with_nothing_to_recommend() -> None:
    from tests.advisor_situations import SITUATIONS

    calm = next(s for s in SITUATIONS if s.name == "quiet and sound").build()
    client = StubClient()
    desk = AdvisorDesk(client)
    desk.on_tick(calm, "en")
    assert desk.report.tips[0].key == "all_good" and not desk.report.facts["todo"]
    desk.on_frame(calm, "en")
    assert client.submitted == []  # a remark could only be dropped
