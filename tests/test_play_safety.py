"""Ordinary play must never crash: remembered buildings under fog, the frame guard,
and the monkey run of the real loop (`main.py bench --monkey`)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pygame
import pytest

from game import combat, production
from game.ui.app import App
from tests.uidriver import ROOT_DIR, frames, key, start_game

MONKEY_SECONDS = 16  # wall seconds per seed; make test runs a few seeds (about a minute)


def _remember_enemy_base(app: App) -> tuple[int, int]:
    """The player has scouted the enemy base and left: its buildings are remembered
    under fog, one of them destroyed since. Returns the enemy HQ's centre."""
    world = app.screen.world
    enemy_hq = next(world.buildings_of(1, "hq"))
    power = production.place_building(world, 1, "power_plant", enemy_hq.x + 4, enemy_hq.y)
    known = world.players[0].known_buildings
    for b in (enemy_hq, power):
        known[b.id] = (b.type.name, b.x, b.y)
    combat.destroy(world, power, killer=0)  # destroyed out of the player's sight
    assert not world.building_visible(0, enemy_hq)
    return enemy_hq.center


def test_remembered_enemy_buildings_draw_under_fog(app: App) -> None:
    """The crash of issue 9: the camera passing over remembered enemy buildings."""
    game = start_game(app)
    centre = _remember_enemy_base(app)
    game.camera.center_on(*centre)
    key(pygame.K_p, "p")  # paused: the fog keeps the buildings remembered, not seen
    frames(app, 3)
    assert app.guard.total == 0, app.guard.errors
    hq = next(game.world.buildings_of(1, "hq"))
    game.input.mouse = game.camera.to_screen(*hq.center)  # hovering it draws no live overlay
    frames(app, 2)
    assert app.guard.total == 0, app.guard.errors


def test_an_error_in_a_frame_is_logged_shown_and_the_match_goes_on(
        app: App, caplog: pytest.LogCaptureFixture) -> None:
    game = start_game(app)
    failures = iter([True])

    def broken_hook(_: App) -> None:
        if next(failures, False):
            raise RuntimeError("a bug in one frame")

    app.frame_hooks.append(broken_hook)
    with caplog.at_level(logging.ERROR):
        frames(app)
    assert app.guard.showing and app.guard.total == 1
    assert any(r.exc_info and "a bug in one frame" in str(r.exc_info[1]) for r in caplog.records)
    # The match waits while the dialog is open, then goes on after Enter.
    tick = game.world.tick
    frames(app, 3)
    assert game.world.tick == tick and app.screen is game
    key(pygame.K_RETURN)
    frames(app, 3)
    assert not app.guard.showing and game.world.tick > tick and app.screen is game


def test_a_repeating_error_opens_the_dialog_once(app: App) -> None:
    start_game(app)

    def always_broken(_: App) -> None:
        raise ValueError("every frame")

    app.frame_hooks.append(always_broken)
    frames(app)
    key(pygame.K_ESCAPE)
    frames(app, 5)
    assert not app.guard.showing  # closed, and the same error does not reopen it
    assert app.guard.total == 6 and len(app.guard.errors) == 1


def _monkey(seed: int, *extra: str) -> dict:
    done = subprocess.run(
        [sys.executable, "main.py", "bench", "--monkey", "--seconds", str(MONKEY_SECONDS),
         "--seed", str(seed), *extra],
        cwd=ROOT_DIR, capture_output=True, text=True, timeout=180)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stderr[-3000:]
    result = json.loads(lines[-1])
    assert done.returncode == (1 if result["frame_errors"] else 0)
    return result


@pytest.mark.parametrize(("seed", "extra"), [(1, ()), (2, ("--no-model",)),
                                             (3, ("--no-model",))])
def test_monkey_plays_the_real_loop_without_an_exception(seed: int, extra: tuple) -> None:
    result = _monkey(seed, *extra)
    assert result["frame_errors"] == [], result["frame_errors"]
    actions = result["monkey"]["actions"]
    # It really played: many kinds of input, typed orders, and the match moved on.
    assert len(actions) >= 12, actions
    assert result["monkey"]["typed_orders"] > 0
    assert result["ticks"] > 20 * 60
