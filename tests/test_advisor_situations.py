"""The advisor against scripted situations with known facts (tests/advisor_situations.py):
every statement it shows must be true, and its advice must be the right one. The
strength labels are checked against real fights, and the model-remark gate
against the real model on a subset."""

from __future__ import annotations

import pytest

from game import paths
from game.advisor import analyze, force_of, strength_ratio
from game.orders import ATTACK_MOVE, Order
from game.vocabulary import canonical_list
from llm.advice import recommended_commands, review_remark, situation
from tests.advisor_situations import (
    SITUATIONS,
    Situation,
    false_statements,
    remark_problems,
    wrong_advice,
)
from tests.simworld import flat_world, run, see_all, unit

MODEL = paths.default_model_path()
needs_model = pytest.mark.skipif(not MODEL.is_file(), reason="run `python main.py setup-model`")
NAMES = [s.name for s in SITUATIONS]


def test_the_set_is_large_and_varied() -> None:
    assert len(SITUATIONS) >= 40 and len(set(NAMES)) == len(NAMES)
    assert sum(1 for s in SITUATIONS if s.at_base) >= 10
    assert sum(1 for s in SITUATIONS if s.lang == "fr") >= 6
    assert {s.balance for s in SITUATIONS} >= {"balance_ahead", "balance_behind",
                                               "balance_even", "balance_unknown"}


@pytest.mark.parametrize("s", SITUATIONS, ids=NAMES)
def test_every_statement_is_true_and_the_advice_right(s: Situation) -> None:
    world = s.build()
    report = analyze(world, 0, s.lang)
    assert false_statements(report, s, world) == []
    assert wrong_advice(report, s) == []


def test_the_truth_check_catches_false_statements() -> None:
    """The checker must be able to fail: a report from another situation is wrong here."""
    calm = next(s for s in SITUATIONS if s.name == "quiet and sound")
    raid = next(s for s in SITUATIONS if s.name == "12 tanks inside the base")
    calm_world, raid_world = calm.build(), raid.build()
    calm_report = analyze(calm_world, 0)
    assert false_statements(calm_report, raid, raid_world)  # "all is well", wrong numbers
    assert wrong_advice(calm_report, raid)
    assert wrong_advice(analyze(raid_world, 0), calm)


def _fight(ours: dict[str, int], theirs: dict[str, int]) -> tuple[float, int, int]:
    """Both armies attack-move at each other on open ground: (our strength ratio,
    our survivors, theirs)."""
    world = flat_world()
    for side, army, x in ((0, ours, 10), (1, theirs, 30)):
        for row, (kind, n) in enumerate(army.items()):
            for i in range(n):
                unit(world, side, kind, x + i % 8, 24 + 2 * row + i // 8)
    see_all(world)
    armies = [[u for u in world.units.values() if u.owner == side] for side in (0, 1)]
    ratio = strength_ratio(force_of(armies[0]), force_of(armies[1]))
    left = [len(a) for a in armies]
    for tick in range(4000):
        if tick % 40 == 0:
            for side, goal in ((0, (32, 25)), (1, (12, 25))):
                ids = tuple(u.id for u in world.units.values() if u.owner == side and u.type.combat)
                if ids:
                    world.issue(Order(ATTACK_MOVE, side, ids, cell=goal))
        run(world, 1)
        left = [sum(1 for u in world.units.values() if u.owner == side and u.type.combat)
                for side in (0, 1)]
        if 0 in left:
            break
    return ratio, left[0], left[1]


@pytest.mark.parametrize("ours, theirs, winner", [
    ({"tank": 10}, {"helicopter": 3}, 1),  # tanks cannot shoot up
    ({"helicopter": 6}, {"tank": 8}, 0),  # cheaper by price, stronger by type
    ({"infantry": 20}, {"tank": 6}, 1),  # dearer by price, weaker by type
    ({"tank": 8}, {"infantry": 12}, 0),
    ({"tank": 10, "infantry": 10}, {"helicopter": 3}, 0),
])
def test_strength_by_type_predicts_real_fights(ours, theirs, winner) -> None:
    ratio, ours_left, theirs_left = _fight(ours, theirs)
    assert (ratio > 1) == (winner == 0)
    assert (ours_left > 0, theirs_left > 0) == ((True, False) if winner == 0 else (False, True))


# -- the model-remark gate with the real model --------------------------------------------

GATE_SUBSET = ("start: only an HQ", "12 tanks inside the base, French",
               "3 helicopters vs 10 tanks, no anti-air", "power deficit, French",
               "10 tanks against 3 helicopters seen", "artillery alone")


@pytest.fixture(scope="module")
def engine(model_engine):
    return model_engine


@needs_model
def test_shown_model_remarks_are_true_and_sensible(engine) -> None:
    shown = 0
    for s in (s for s in SITUATIONS if s.name in GATE_SUBSET):
        world = s.build()
        report = analyze(world, 0, s.lang)
        answer, _ = engine.run("advise", {"summary": situation(report.facts, s.lang),
                                          "lang": s.lang}, lambda: False)
        review = review_remark(answer["text"], s.lang, report)
        if review.text is None:
            continue
        shown += 1
        commands = recommended_commands(review.text)
        assert commands, review.text
        assert remark_problems(commands, review.text, s, world) == [], (s.name, review.text)
    assert shown >= 1  # the gate is not simply closed


def test_the_gate_drops_a_copied_example_with_new_numbers() -> None:
    """The reported bug: the prompt's "build a power plant and a barracks first" with the
    situation's numbers, though both are built."""
    s = next(s for s in SITUATIONS if s.name == "quiet and sound")
    report = analyze(s.build(), 0)
    copied = "With 1500 credits, build a power plant and a barracks first."
    assert review_remark(copied, "en", report).reason == "not_sensible"
    power_as_credits = "With 120 credits, train infantry."  # 120 is the power produced
    assert review_remark(power_as_credits, "en", report).reason == "numbers"


def test_the_remark_truth_check_can_fail() -> None:
    raid = next(s for s in SITUATIONS if s.name == "12 tanks inside the base")
    world = raid.build()
    attack = canonical_list([{"action": "attack", "unit": "army", "target": "enemy_base"}])
    assert len(remark_problems(attack, "Attack with 99 tanks.", raid, world)) == 3
    assert remark_problems([], "No power plant: build one.", raid, world) == [
        "says no power_plant"]
    defend = canonical_list([{"action": "defend", "unit": "selected", "target": "my_base"}])
    assert remark_problems(defend, "12 tanks at the base: defend it.", raid, world) == []


@pytest.mark.parametrize("lang", ("en", "fr"))
def test_the_fuller_report_fits_the_panel(lang: str, pygame_fonts) -> None:
    """Every line of "how am I doing?" is drawn, for the wordiest situations."""

    from game.ui.advisor_desk import AdvisorDesk
    from game.ui.language_panels import AdvisorPanel
    from game.ui.theme import default_layout, wrap

    rect = default_layout().advisor
    for s in SITUATIONS:
        world = s.build()
        desk = AdvisorDesk(None)
        desk.refresh(world, lang)
        lines = desk.lines(world)
        assert any(line.kind == "report" for line in lines)
        rows = sum(len(wrap(line.text, 12, rect.width - 34,
                            "bold" if line.kind == "summary" else "regular")) for line in lines)
        panel = AdvisorPanel(rect, desk, lambda: lang)
        height = panel._render(lines).get_height()
        assert 30 + 15 * rows + 6 <= height, (s.name, rows, height)
