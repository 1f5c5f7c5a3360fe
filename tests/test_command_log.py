"""The command log panel: one mark per command line, updated while it waits, and a
partial result that never looks like a full success."""

from __future__ import annotations

import pygame

from game import sim
from game.ui.language_panels import STATUS_MARKS, CommandLogView
from game.ui.orders_desk import OrderDesk
from game.ui.theme import font
from llm.translator import Translator
from tests.simworld import building, flat_world


def _follow(world, desk: OrderDesk, ticks: int) -> None:
    for _ in range(ticks):
        sim.step(world)
        desk.on_tick(world)


def test_each_line_has_its_mark_and_the_log_follows_the_game(pygame_fonts) -> None:
    world = flat_world()
    building(world, 0, "hq", 14, 28)
    desk = OrderDesk(Translator(None, tier="rules"))
    entry = desk.submit("build a turret and then a power plant", world, ())
    view = CommandLogView(pygame.Rect(0, 0, 420, 300), desk)
    screen = pygame.Surface((420, 300))
    view.draw(screen)
    marks = [row[0] for row in view._rows()]
    assert marks == ["waiting", "refused", "waiting"]  # no barracks for a turret
    first = view._cache
    _follow(world, desk, 200)
    view.draw(screen)
    assert view._cache is not first  # redrawn once the plant stood
    assert [row[0] for row in view._rows()] == ["partial", "refused", "done"]
    assert entry.status == "partial"
    assert "Power Plant," in view._rows()[-1][1]  # and where it went
    assert len(set(STATUS_MARKS[s] for s in ("done", "partial", "waiting", "refused"))) == 4
    missing = font(12, "bold").metrics("\ue000")  # what the font draws for a missing glyph
    for mark in STATUS_MARKS.values():  # the bundled font has every mark
        assert font(12, "bold").metrics(mark) != missing, mark


def test_an_automatic_placement_is_flashed_on_the_map_and_written_in_the_log(app) -> None:
    from tests.uidriver import frames

    game = app.start_game(seed=3)
    layer = game.language
    assert layer is not None
    layer.submit("build 2 power plants")
    entry = layer.orders.entries[-1]
    assert [o.status for o in entry.outcomes] == ["waiting", "waiting"]
    for _ in range(2 * 200):
        frames(app)
        if any(p.kind == "placed" for p in game.effects.ground):
            break
    first, second = entry.outcomes
    assert first.status == "done" and first.place is not None
    ring = next(p for p in game.effects.ground if p.kind == "placed")
    assert (ring.x, ring.y) == first.place  # the ring is where the log says it went
    assert second.status == "waiting" and "under construction" in second.text
    game.draw(pygame.Surface(app.surface.get_size()))  # the log and the ring draw
