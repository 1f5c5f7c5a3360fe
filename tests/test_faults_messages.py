"""Why an order was not answered, in the command log: each failure its own message.

"The language model is off" was shown for every failure, also when the model was on
and its queue was full, or the request missed its deadline, or the model process
died while reading it. The model process runs the protocol tests' fake engine;
the faults are real (a full queue, SIGSTOP past the deadline, SIGKILL), except the
model's own error on a request, which the fake engine cannot raise for a typed text.
"""

from __future__ import annotations

import os
import signal
import struct
import time
from pathlib import Path

import pygame
import pytest

from game.i18n import tr
from game.settings import Settings
from game.ui.app import App
from llm import client as client_module
from llm.client import LLMClient, RequestResult
from llm.profiles import Profile
from tests.uidriver import frames

# Orders the rules parser hands on to the model (the first one it does not read).
CANDIDATES = {"en": ("the choppers should go wreck their harvesters",
                     "could the artillery maybe shell their war factory"),
              "fr": ("les hélicos devraient aller casser leurs récolteuses",
                     "l'artillerie pourrait peut-être pilonner leur usine")}


def _model_order(lang: str) -> str:
    from llm import parser

    for text in CANDIDATES[lang]:
        if parser.parse(text).status == "unknown":
            return text
    pytest.skip(f"the rules parser now reads every {lang} candidate: add a harder one")


MESSAGE_KEYS = ("model_unavailable", "model_queue_full", "model_too_slow", "model_stopped",
                "model_failed")


def _app(tmp_path: Path, **options) -> App:
    model = tmp_path / "fake.gguf"
    model.write_bytes(b"GGUF" + struct.pack("<I", 3) + bytes(2 << 20))
    app = App(Settings(), fps=None, start_model=False)
    app.model = LLMClient(engine_factory="test_llm_protocol:FakeEngine", **options)
    app.model.start(model, Profile("fake", "*.gguf", "base"))
    app.record_replays = False
    game = app.start_game(seed=7)
    game.language.advisor.client = None  # no advice requests: the orders have the model
    deadline = time.monotonic() + 30.0
    while app.model.state != "ready":
        assert time.monotonic() < deadline, app.model.reason
        frames(app)
    return app


@pytest.fixture
def make_app(tmp_path: Path):
    apps: list[App] = []

    def make(**options) -> App:
        apps.append(_app(tmp_path, **options))
        return apps[-1]

    yield make
    for app in apps:
        app.model.shutdown()
    pygame.quit()


def _type(app: App, lang: str):
    game = app.screen
    entry = game.language.orders.submit(_model_order(lang), game.world, ())
    assert entry.ticket.pending and entry.ticket.lang == lang  # it went to the model
    return entry


def _until_ended(app: App, entries, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while any(e.ticket.pending for e in entries):
        assert time.monotonic() < deadline, [e.ticket.status for e in entries]
        frames(app)
        time.sleep(0.005)


def test_every_message_exists_in_both_languages_and_they_differ() -> None:
    for lang in ("en", "fr"):
        texts = [tr(key, lang) for key in MESSAGE_KEYS]
        assert all(text != key for text, key in zip(texts, MESSAGE_KEYS))
        assert len(set(texts)) == len(texts)
    assert set(client_module.MESSAGE_KEYS.values()) == set(MESSAGE_KEYS)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_full_queue_is_not_called_off(make_app, lang: str) -> None:
    app = make_app(max_in_flight=1, max_queued=2)
    os.kill(app.model.child_pid, signal.SIGSTOP)  # nothing is answered meanwhile
    try:
        entries = [_type(app, lang) for _ in range(5)]  # 1 sent, 2 waiting, 2 refused
        frames(app)
    finally:
        os.kill(app.model.child_pid, signal.SIGCONT)
    refused = entries[3:]
    assert all(e.status == "not_understood" for e in refused)
    assert {e.ticket.message for e in refused} == {tr("model_queue_full", lang)}
    _until_ended(app, entries[:3])  # the others are answered (the fake engine: no command)
    assert all(e.ticket.message != tr("model_unavailable", lang) for e in entries)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_request_past_its_deadline_says_the_model_was_too_slow(make_app, lang: str) -> None:
    app = make_app(request_timeout_s=0.5, ping_timeout_s=30.0)
    pid = app.model.child_pid
    os.kill(pid, signal.SIGSTOP)
    try:
        entry = _type(app, lang)
        _until_ended(app, [entry])
    finally:
        os.kill(pid, signal.SIGCONT)
    assert entry.status == "not_understood"
    assert entry.ticket.message == tr("model_too_slow", lang)
    assert app.model.state != "offline"  # it was on all along


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_model_process_that_dies_while_reading_says_it_stopped(make_app, lang: str) -> None:
    app = make_app()
    pid = app.model.child_pid
    os.kill(pid, signal.SIGSTOP)
    entry = _type(app, lang)
    frames(app)
    os.kill(pid, signal.SIGKILL)
    _until_ended(app, [entry])
    assert entry.ticket.message == tr("model_stopped", lang)
    # Typed while it is down (before its automatic restart): the model is off.
    later = _type(app, lang) if app.model.state == "offline" else None
    if later is None:
        pytest.skip("the model came back before a second order could be typed")
    _until_ended(app, [later])
    assert later.ticket.message == tr("model_unavailable", lang)


def test_an_error_of_the_model_on_a_request_says_it_failed(make_app,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    app = make_app()
    os.kill(app.model.child_pid, signal.SIGSTOP)
    try:
        entry = _type(app, "en")
        failed = RequestResult(entry.ticket.request_id, "translate", client_module.FAILED,
                               reason="The model failed on this request: boom",
                               cause=client_module.MODEL_ERROR)
        monkeypatch.setattr(app.model, "poll", lambda: [failed])
        frames(app)
        monkeypatch.undo()
    finally:
        os.kill(app.model.child_pid, signal.SIGCONT)
    assert entry.status == "not_understood"
    assert entry.ticket.message == tr("model_failed", "en")


def test_leaving_a_match_ends_its_waiting_orders_and_frees_the_model(make_app) -> None:
    """Orders typed in a match that is left end there as cancelled (the soak found
    them "thinking" for ever), and the model does not spend the next match on them."""
    app = make_app()
    pid = app.model.child_pid
    os.kill(pid, signal.SIGSTOP)  # nothing is answered meanwhile
    try:
        left = [_type(app, "en") for _ in range(3)]
        frames(app)
        app.leave_to_title()
    finally:
        os.kill(pid, signal.SIGCONT)
    assert [e.ticket.status for e in left] == ["cancelled"] * 3
    assert {e.ticket.message for e in left} == {tr("order_cancelled", "en")}
    game = app.start_game(seed=8)
    game.language.advisor.client = None
    entry = _type(app, "en")
    _until_ended(app, [entry])
    assert entry.status == "not_understood"  # answered: the fake engine finds no command
    assert entry.ticket.tier == "llm"
    assert app.model.queue_length == 0
