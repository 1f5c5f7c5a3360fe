"""Test-wide set-up: no real window or sound device, and a private user-data folder."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("RTS_COMMANDER_HOME", tempfile.mkdtemp(prefix="rts-commander-test-"))

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def app():
    """The game without its model process: tests of the game itself
    (tests/test_language_ui.py covers the game with the real model)."""
    import pygame

    from game.settings import Settings
    from game.ui.app import App

    application = App(Settings(), fps=None, start_model=False)
    yield application
    application.model.shutdown()
    pygame.quit()


@pytest.fixture
def pygame_fonts():
    """pygame with fresh font caches: a test before may have quit pygame, which kills
    every cached Font (game.ui.theme caches them)."""
    import pygame

    from game.ui.theme import reset_caches

    pygame.init()
    reset_caches()
    yield
    reset_caches()


@pytest.fixture(scope="module")
def model_engine():
    """The real model in this process (llm.engine), warmed up, one per test module."""
    from game import paths
    from llm.engine import Engine  # imports llama_cpp: only for the tests that use it
    from llm.profiles import profile_for

    model = paths.default_model_path()
    engine = Engine(model, profile_for(model), 1, lambda stage, fraction: None)
    engine.warm_up()
    yield engine
    engine.close()
