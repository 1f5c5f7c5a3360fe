"""Driving the real game loop from tests: headless frames and scripted input events."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from game.ui.app import App  # noqa: E402
from game.ui.screens import TitleScreen  # noqa: E402
from game.ui.session import GameScreen  # noqa: E402

ROOT_DIR = Path(__file__).resolve().parent.parent
TICK = 0.05  # one frame of this length runs exactly one simulation tick


def frames(app: App, count: int = 1) -> None:
    for _ in range(count):
        app.frame_dt = TICK
        app.step_frame()


def post(kind: int, **fields) -> None:
    pygame.event.post(pygame.event.Event(kind, **fields))


def click(pos: tuple[int, int], button: int = 1) -> None:
    post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    post(pygame.MOUSEBUTTONDOWN, pos=pos, button=button)
    post(pygame.MOUSEBUTTONUP, pos=pos, button=button)


def drag(start: tuple[int, int], end: tuple[int, int]) -> None:
    """A left-button drag (a box selection on the map)."""
    post(pygame.MOUSEMOTION, pos=start, rel=(0, 0), buttons=(0, 0, 0))
    post(pygame.MOUSEBUTTONDOWN, pos=start, button=1)
    post(pygame.MOUSEMOTION, pos=end, rel=(0, 0), buttons=(1, 0, 0))
    post(pygame.MOUSEBUTTONUP, pos=end, button=1)


def key(code: int, char: str = "") -> None:
    post(pygame.KEYDOWN, key=code, mod=0, unicode=char)


def start_game(app: App) -> GameScreen:
    """Through the title screen, as a player would."""
    frames(app)
    assert isinstance(app.screen, TitleScreen)
    click(app.screen.buttons[0].rect.center)
    frames(app)
    assert isinstance(app.screen, GameScreen)
    return app.screen
