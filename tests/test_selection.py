"""Box selection and double-click, through the real loop with scripted mouse events."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game import production  # noqa: E402
from game.pathfinding import nearest_free_cells  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.session import GameScreen  # noqa: E402
from tests.uidriver import click, drag, frames, post  # noqa: E402


def box_around(game: GameScreen, units, margin: int = 14) -> tuple[tuple[int, int], ...]:
    points = [game.camera.to_screen(u.x, u.y) for u in units]
    return ((min(x for x, _ in points) - margin, min(y for _, y in points) - margin),
            (max(x for x, _ in points) + margin, max(y for _, y in points) + margin))


def _harvesters_near(game: GameScreen, cell: tuple[int, int], count: int):
    world = game.world
    cells = nearest_free_cells(world.tiles, cell, count,
                               lambda x, y: (x, y) not in world.reserved)
    return [production.add_unit(world, 0, "harvester", c) for c in cells]


@pytest.fixture
def paused_base(app: App):
    """The starting army with a harvester among it and two more a few tiles east,
    all on screen; paused so nobody moves while the mouse works."""
    game = app.start_game(seed=3)
    fighters = list(game.world.units_of(0))
    cx = int(sum(u.x for u in fighters) / len(fighters))
    cy = int(sum(u.y for u in fighters) / len(fighters))
    among = _harvesters_near(game, (cx, cy), 1)
    apart = _harvesters_near(game, (cx + 9, cy), 2)
    game.camera.center_on(cx + 4, cy)
    post(pygame.KEYDOWN, key=pygame.K_p, mod=0, unicode="p")
    frames(app, 2)
    return app, game, fighters, among, apart


def test_a_box_takes_combat_units_and_leaves_harvesters(paused_base) -> None:
    app, game, fighters, among, apart = paused_base
    drag(*box_around(game, fighters + among))
    frames(app)
    assert set(game.input.selection) == {u.id for u in fighters}


def test_a_box_of_only_harvesters_takes_them(paused_base) -> None:
    app, game, fighters, _, apart = paused_base
    start, end = box_around(game, apart)
    inside = pygame.Rect(start, (end[0] - start[0], end[1] - start[1]))
    assert not any(inside.collidepoint(game.camera.to_screen(u.x, u.y)) for u in fighters)
    drag(start, end)
    frames(app)
    assert set(game.input.selection) == {u.id for u in apart}


def test_double_click_on_a_harvester_takes_every_harvester_on_screen(paused_base) -> None:
    app, game, _, among, apart = paused_base
    target = game.camera.to_screen(apart[0].x, apart[0].y)
    click(target)
    frames(app)
    assert game.input.selection == [apart[0].id]
    click(target)
    frames(app)
    assert set(game.input.selection) == {u.id for u in among + apart}
