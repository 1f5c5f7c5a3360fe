"""The advisor's model side: what the model is told, which remarks may be shown,
and how the desk asks (only when the model is idle) and drops stale answers.
The real model is exercised in test_language_ui.py; here a stub client stands in
for the protocol's edge cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.advisor import analyze
from game.ui.advisor_desk import STALE_TICKS, AdvisorDesk
from llm.advice import accept_remark, situation
from tests.simworld import building, flat_world, run, see_all, unit

SITUATION = "minute 4; credits 250; power 10/40; units 4 infantry; enemy seen 3 tanks north"


def test_good_remarks_pass() -> None:
    assert accept_remark("build a power plant, then guard the north.", "en", SITUATION) == \
        "Build a power plant, then guard the north."
    assert accept_remark("Construisez une centrale puis défendez le nord.", "fr") is not None


def test_bad_remarks_are_dropped() -> None:
    dropped = [
        ("", "en"), ("ok", "en"),
        ("Construisez une centrale puis défendez le nord.", "en"),  # wrong language
        ("Build a power plant, then guard the north.", "fr"),
        ("The weather in Paris is lovely this time of the year.", "en"),  # off-topic
        ("Commands: move tank north 3", "en"),  # prompt debris
        ("1234 5678 9999 ;;; ---", "en"),  # garbage
        ("x" * 400, "en"),
    ]
    for text, lang in dropped:
        assert accept_remark(text, lang) is None, text
    invented = "You have 6000 credits: attack the enemy base now."
    assert accept_remark(invented, "en", SITUATION) is None


def test_situation_line_speaks_the_players_language() -> None:
    world = flat_world()
    building(world, 0, "hq", 4, 40)
    unit(world, 0, "tank", 10, 30)
    unit(world, 1, "infantry", 12, 30)
    see_all(world)
    facts = analyze(world, 0).facts
    en, fr = situation(facts, "en"), situation(facts, "fr")
    assert "credits 10000" in en and "1 tank" in en and "enemy seen 1 infantry" in en
    assert "crédits 10000" in fr and "1 char" in fr and "ennemi vu 1 soldat" in fr


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
