"""The pygame front end, headless: the real loop driven by scripted input events."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game import fog, placement, production  # noqa: E402
from game import settings as settings_store  # noqa: E402
from game.i18n import MESSAGES  # noqa: E402
from game.rules import BUILDING_TYPES, TICKS_PER_SECOND  # noqa: E402
from game.settings import Settings  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.loop import MAX_CATCH_UP_TICKS, FixedStep  # noqa: E402
from game.ui.screens import EndScreen, TitleScreen  # noqa: E402
from game.ui.sidebar import HOTKEYS, RESERVED_KEYS  # noqa: E402
from game.ui.theme import TEAM_COLORS  # noqa: E402
from tests.uidriver import click, frames, key, post, start_game  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def test_scripted_match(app: App) -> None:
    game = start_game(app)
    world = game.world
    units = list(world.units_of(0))

    # Box-select the starting units.
    points = [game.camera.to_screen(u.x, u.y) for u in units]
    top_left = (min(x for x, _ in points) - 12, min(y for _, y in points) - 12)
    bottom_right = (max(x for x, _ in points) + 12, max(y for _, y in points) + 12)
    post(pygame.MOUSEBUTTONDOWN, pos=top_left, button=1)
    post(pygame.MOUSEMOTION, pos=bottom_right, rel=(0, 0), buttons=(1, 0, 0))
    post(pygame.MOUSEBUTTONUP, pos=bottom_right, button=1)
    frames(app)
    assert sorted(game.input.selection) == sorted(u.id for u in units)

    # Right-click on open ground: they move.
    goal = (int(units[0].x) + 3, int(units[0].y) - 4)
    click(game.camera.to_screen(goal[0] + 0.5, goal[1] + 0.5), button=3)
    frames(app, 2)
    assert all(type(u.activity).__name__ == "Move" for u in units)

    # Build a power plant with its sidebar hotkey, then place it with the ghost.
    key(pygame.K_o, "o")
    frames(app, 2)
    construction = world.players[0].construction
    assert construction is not None and construction.item == "power_plant"
    construction.progress = BUILDING_TYPES["power_plant"].build_time - 1
    frames(app, 2)
    assert any("Power Plant" in t.text for t in game.toasts.items)
    button = next(b for b in game.sidebar.buttons if b.item == "power_plant")
    click(button.rect.center)
    frames(app)
    assert game.input.mode == "place"
    spot = placement.find_placement(world, 0, "power_plant")
    assert spot is not None
    cursor = game.camera.to_screen(spot[0] + 0.5, spot[1] + 0.5)
    post(pygame.MOUSEMOTION, pos=cursor, rel=(0, 0), buttons=(0, 0, 0))
    frames(app)
    click(cursor)
    frames(app, 2)
    assert any(b.type.name == "power_plant" and (b.x, b.y) == spot
               for b in world.buildings_of(0))
    assert game.input.mode == "normal"

    # Queue infantry from the sidebar (the barracks is put down directly).
    production.place_building(world, 0, "barracks", spot[0], spot[1] + 3)
    credits = world.players[0].credits
    click(next(b for b in game.sidebar.buttons if b.item == "infantry").rect.center)
    frames(app, 2)
    barracks = next(world.buildings_of(0, "barracks"))
    assert barracks.queue == ["infantry"]
    assert world.players[0].credits == credits - barracks.paid  # paid as it is built

    # Right-click on the button cancels it with a refund.
    click(next(b for b in game.sidebar.buttons if b.item == "infantry").rect.center, button=3)
    frames(app, 2)
    assert barracks.queue == [] and world.players[0].credits == credits

    # Pause stops the simulation; the menu opens and closes with Esc.
    tick = world.tick
    key(pygame.K_p, "p")
    frames(app, 5)
    assert world.tick == tick
    key(pygame.K_p, "p")
    frames(app, 5)
    assert world.tick == tick + 5
    key(pygame.K_ESCAPE)
    frames(app, 3)
    assert game.menu is not None and world.tick == tick + 5
    key(pygame.K_ESCAPE)
    frames(app)
    assert game.menu is None


def test_refusals_are_explained(app: App) -> None:
    game = start_game(app)
    click(next(b for b in game.sidebar.buttons if b.item == "war_factory").rect.center)
    frames(app)
    assert any("Requires" in t.text for t in game.toasts.items)
    assert game.world.players[0].construction is None


def _count(surface: pygame.Surface, rect: pygame.Rect, test) -> int:
    return sum(1 for x in range(rect.left, rect.right, 3) for y in range(rect.top, rect.bottom, 3)
               if test(surface.get_at((x, y))))


def _team_like(color, team: int) -> bool:
    r, g, b = TEAM_COLORS[team]
    c = color
    return abs(c.r - r) < 40 and abs(c.g - g) < 40 and abs(c.b - b) < 40


def test_rendering_shows_teams_and_fog(app: App) -> None:
    game = start_game(app)
    world = game.world
    view = game.layout.map_view
    frames(app)
    assert _count(app.surface, view, lambda c: _team_like(c, 0)) > 20
    # The enemy base is unexplored: pure black shroud in the middle of the view.
    enemy_hq = next(world.buildings_of(1, "hq"))
    game.camera.center_on(*enemy_hq.center)
    frames(app)
    assert tuple(app.surface.get_at(view.center))[:3] == (0, 0, 0)
    assert _count(app.surface, view, lambda c: _team_like(c, 1)) == 0
    # Once seen, the enemy shows in red (paused, so the next fog update cannot hide it).
    key(pygame.K_p, "p")
    frames(app)
    fog.reveal_all(world, 0)
    frames(app)
    assert _count(app.surface, view, lambda c: _team_like(c, 1)) > 20
    assert _count(app.surface, game.layout.minimap, lambda c: c.r + c.g + c.b > 60) > 50


def test_end_screen_on_defeat_then_title(app: App) -> None:
    game = start_game(app)
    game.world.winner = 1
    frames(app)
    assert isinstance(game.end, EndScreen) and not game.end.won
    click(game.end.buttons[1].rect.center)
    frames(app)
    assert isinstance(app.screen, TitleScreen)


def test_an_order_being_typed_when_the_match_ends_does_not_leave_the_end_screen(
        app: App) -> None:
    """Its letters are not the end screen's N (new game) and T (title) hotkeys until
    the keyboard has been quiet; then they are."""
    from game.ui.screens import END_KEYS_QUIET_S

    game = start_game(app)
    game.world.winner = 1
    frames(app)
    end = game.end
    assert isinstance(end, EndScreen)
    for letter, code in (("t", pygame.K_t), ("n", pygame.K_n), ("t", pygame.K_t)):
        key(code, letter)
        frames(app)
    assert app.screen is game and game.end is end  # still showing the summary
    end.shown_at -= END_KEYS_QUIET_S
    end._last_key_at -= END_KEYS_QUIET_S  # the player stopped typing and read it
    key(pygame.K_t, "t")
    frames(app)
    assert isinstance(app.screen, TitleScreen)


def test_fixed_step_caps_catch_up() -> None:
    step = FixedStep(20)
    assert step.advance(0.05) == 1
    assert step.advance(0.02) == 0 and 0.3 < step.alpha < 0.5
    assert step.advance(5.0) == MAX_CATCH_UP_TICKS and step.alpha == 0.0


def test_hotkeys_come_from_the_table() -> None:
    letters = list(HOTKEYS.values())
    assert len(letters) == len(set(letters)) == len(HOTKEYS)
    assert not set(letters) & RESERVED_KEYS
    assert HOTKEYS["barracks"] == "b" and HOTKEYS["infantry"] == "i"


def test_ui_messages_exist_in_both_languages() -> None:
    for message in ("not_enough_credits", "cannot_build_there", "too_far_from_base",
                "missing_prerequisite", "no_factory", "queue_full", "no_hq",
                "construction_busy", "nothing_ready", "no_units", "cannot_hit_target",
                "not_yours", "off_map", "nothing_to_cancel", "no_room_to_build", "game_over",
                "bad_order", "msg_under_attack", "end_victory", "title_new_game"):
        assert MESSAGES[message]["en"] and MESSAGES[message]["fr"], message


def test_settings_round_trip_and_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert settings_store.load(path) == Settings()
    settings_store.save(Settings(language="fr", difficulty="hard", game_speed=2.0, volume=0.3),
                        path)
    loaded = settings_store.load(path)
    assert (loaded.language, loaded.difficulty, loaded.game_speed, loaded.volume) == \
        ("fr", "hard", 2.0, 0.3)
    path.write_text("{not json", encoding="utf-8")
    assert settings_store.load(path) == Settings()
    path.write_text(json.dumps({"language": "xx", "volume": "loud", "difficulty": "hard"}),
                    encoding="utf-8")
    assert settings_store.load(path) == Settings(difficulty="hard")
    assert not list(tmp_path.glob(".settings-*"))  # no temporary file left behind


def _main(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT.parent)


def test_bench_prints_one_json_object() -> None:
    result = _main("bench", "--seconds", "3")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for field in ("frames", "fps", "frame_ms", "tick_ms", "ticks", "units", "winner",
                  "state_hash", "rss_mb", "seed", "seconds"):
        assert field in data, field
    assert set(data["frame_ms"]) >= {"p50", "p95", "p99", "max"}
    assert set(data["tick_ms"]) >= {"p50", "p99", "max"}
    assert data["units"] >= 150 and data["frames"] > 30 and data["rss_mb"]["game"] > 0


@pytest.mark.parametrize("args", [("--bogus",), ("bench", "--seed", "abc")])
def test_bad_command_line_is_one_line_error(args: tuple[str, ...]) -> None:
    result = _main(*args)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_speed_keys_step_through_game_speeds(app: App) -> None:
    game = app.start_game(seed=3)
    app.settings.game_speed = 1.0
    key(pygame.K_PLUS, "+")
    frames(app)
    assert app.settings.game_speed == 1.5
    for _ in range(3):
        key(pygame.K_MINUS, "-")
        frames(app)
    assert app.settings.game_speed == 0.5  # the slowest; it stops there
    assert game.stepper.tick_seconds == pytest.approx(1 / (TICKS_PER_SECOND * 0.5))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_model_status_names_a_typed_order_but_never_shows_the_advice_prompt(lang) -> None:
    """The advisor's request is the analysis' summary ("fact: ... todo: ..."): the HUD
    says it is thinking about advice, not that text."""
    from types import SimpleNamespace

    from game.i18n import tr
    from game.ui.language_panels import ModelIndicator

    client = SimpleNamespace(state="busy", current_request="advise: fact: credits 100 todo: x")
    indicator = ModelIndicator(pygame.Rect(0, 0, 200, 20), client)
    assert indicator.label(lang)[0] == tr("model_thinking_advice", lang)
    client.current_request = "translate: send 3 tanks north"
    assert indicator.label(lang)[0] == tr("model_thinking", lang, what="send 3 tanks north")


def test_the_match_left_is_freed_before_the_next_one_is_built(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never two matches alive at once (the allocator kept the peak: the soak's game RSS
    stayed ~40 MB higher after a switch), also when the end screen's button starts it."""
    import gc
    import weakref

    from game import sim

    build = sim.new_game
    alive_at_build: list[bool] = []

    def new_game(seed: int):
        gc.collect()
        alive_at_build.append(old() is not None)
        return build(seed)

    old = weakref.ref(start_game(app))
    monkeypatch.setattr(sim, "new_game", new_game)
    app.start_game(seed=5)  # as the soak and the bench start matches
    old = weakref.ref(app.screen)
    app.screen.world.winner = 1
    frames(app)
    click(app.screen.end.buttons[0].rect.center)  # "New game" on the end screen
    frames(app, 2)
    assert alive_at_build == [False, False]
    assert app.screen is not old() and app.screen.world.tick > 0
