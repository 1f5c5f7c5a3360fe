"""The game with its real model process: typed orders, the advisor, crash safety.

These start the real default model (Gemma 3 270M, ~1 s to load plus prompt
warm-up) in its own process, exactly as the game does.
"""

from __future__ import annotations

import time

import pygame
import pytest

from game.settings import Settings
from game.ui.app import App
from game.ui.bench import processes_mapping_gguf
from game.vocabulary import as_dicts, canonical_list
from llm.profiles import resolve_model_path, validate_model_file

pytestmark = pytest.mark.skipif(
    validate_model_file(resolve_model_path()) is not None,
    reason="the default model is not in models/ (run `python main.py setup-model`)")

TICK = 0.05
READY_TIMEOUT = 60.0


@pytest.fixture
def app():
    application = App(Settings(), fps=None)
    yield application
    application.model.shutdown()
    pygame.quit()


def frames_until(app: App, done, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        assert time.perf_counter() < deadline, "timed out"
        app.frame_dt = TICK
        app.step_frame()
        time.sleep(0.005)


def type_order(app: App, text: str) -> None:
    for event in (pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r",
                                     scancode=0),
                  pygame.event.Event(pygame.TEXTINPUT, text=text),
                  pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r",
                                     scancode=0)):
        pygame.event.post(event)
    app.frame_dt = TICK
    app.step_frame()


def test_title_shows_at_once_while_the_model_loads(app: App) -> None:
    app.frame_dt = TICK
    app.step_frame()
    assert app.model.state == "loading"  # the first frame did not wait for the model
    frames_until(app, lambda: app.model.state == "ready", READY_TIMEOUT)
    assert len(processes_mapping_gguf()) == 1


def test_typed_orders_through_the_command_bar(app: App) -> None:
    game = app.start_game(seed=7)
    layer = game.language
    assert layer is not None
    type_order(app, "send 2 tanks north")  # the rules answer at once, model or not
    entry = layer.orders.entries[-1]
    assert entry.ticket.tier == "rules" and entry.status == "done"
    type_order(app, "the choppers should go wreck their harvesters")  # for the model
    entry = layer.orders.entries[-1]
    assert entry.status == "thinking"
    frames_until(app, lambda: not entry.ticket.pending, READY_TIMEOUT)
    assert entry.ticket.tier == "llm"  # valid commands of the right kind, whatever the words
    assert entry.ticket.commands == canonical_list(as_dicts(entry.ticket.commands))
    assert {c["action"] for c in as_dicts(entry.ticket.commands)} == {"attack"}
    if entry.status == "confirm":  # the model was unsure: asked first, and the player says yes
        layer.orders.answer(True, game.world)
    assert entry.status == "refused"  # no helicopters yet: explained, not executed
    type_order(app, "où en suis-je ?")
    assert as_dicts(layer.orders.entries[-1].ticket.commands) == [{"action": "analyze"}]
    assert not layer.panel.collapsed


def test_advisor_gets_model_remarks_when_idle(app: App) -> None:
    game = app.start_game(seed=3)
    layer = game.language
    assert layer is not None
    # The advisor asks again whenever the model is idle: a remark passes the filter
    # within a few tries (a 60 s bench shows about half of them).
    frames_until(app, lambda: layer.advisor.model_updates >= 1, 2 * READY_TIMEOUT)
    lines = layer.advisor.lines(game.world)
    assert lines[0].source == "heuristic"  # the heuristic summary is always there
    assert any(line.source == "model" for line in lines)


def test_game_survives_the_model_process_dying_and_restarts_it(app: App) -> None:
    game = app.start_game(seed=7)
    layer = game.language
    assert layer is not None
    frames_until(app, lambda: app.model.state == "ready", READY_TIMEOUT)
    type_order(app, "could the artillery maybe shell their war factory")
    entry = layer.orders.entries[-1]
    pid = app.model.child_pid
    assert pid is not None
    import psutil
    psutil.Process(pid).kill()
    tick = game.world.tick
    frames_until(app, lambda: app.model.state == "offline", 10)
    assert "stopped unexpectedly" in app.model.reason
    frames_until(app, lambda: not entry.ticket.pending, 5)
    assert entry.status == "not_understood" and entry.ticket.message  # failed, and said so
    for _ in range(20):
        app.frame_dt = TICK
        app.step_frame()
    assert game.world.tick > tick  # the game went on
    type_order(app, "send 2 tanks north")  # the rules still work
    assert layer.orders.entries[-1].status == "done"
    frames_until(app, lambda: app.model.state == "ready", READY_TIMEOUT)  # back by itself
    assert app.model.restart_count == 1
    assert app.model.child_pid != pid
    assert len(processes_mapping_gguf()) == 1


def test_a_bad_model_file_leaves_the_game_playable(tmp_path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x00" * 100)  # a truncated download
    application = App(Settings(), fps=None, model_path=str(bad))
    try:
        assert application.model.state == "offline"
        assert "too small" in application.model.reason
        game = application.start_game(seed=7)
        type_order(application, "the choppers should go wreck their harvesters")
        entry = game.language.orders.entries[-1]
        application.step_frame()  # the refusal arrives with the next poll
        assert entry.status == "not_understood" and "model" in entry.ticket.message
        assert application.model.child_pid is None
    finally:
        application.model.shutdown()
        pygame.quit()


def test_a_pending_order_can_be_cancelled_from_the_log(app: App) -> None:
    game = app.start_game(seed=7)
    layer = game.language
    assert layer is not None
    assert app.model.state == "loading"  # so the order waits for the model
    type_order(app, "could the artillery maybe shell their war factory")
    entry = layer.orders.entries[-1]
    assert entry.status == "thinking"
    app.frame_dt = TICK
    app.step_frame()  # draws the log with its × button
    [(box, boxed)] = layer.log._cancel_boxes
    assert boxed is entry
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=box.center))
    app.step_frame()
    assert entry.status == "cancelled"
    frames_until(app, lambda: app.model.state == "ready", READY_TIMEOUT)
    for _ in range(10):
        app.step_frame()
    assert entry.status == "cancelled" and entry.outcomes == []  # never executed
