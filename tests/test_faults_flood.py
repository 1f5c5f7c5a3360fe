"""A flood of typed orders through the real command bar: 200 in about a second.

The model process runs the protocol tests' fake engine (instant echoes, no
commands), so this checks the game's side: every order is logged once, in the
order typed, answered by the rules or failed/refused with a reason, none stays
"thinking", and every table is bounded.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pygame
import pytest

from game.settings import Settings
from game.ui.app import App
from llm.client import LLMClient
from llm.profiles import Profile
from tests.uidriver import frames, post

ORDERS = ("send 2 tanks north", "could the artillery maybe shell their war factory",
          "train 3 soldiers", "les soldats, repliez-vous vite à la maison")
COUNT = 200


@pytest.fixture
def flooded_app(tmp_path: Path):
    model = tmp_path / "fake.gguf"
    model.write_bytes(b"GGUF" + struct.pack("<I", 3) + bytes(2 << 20))
    app = App(Settings(), fps=None, start_model=False)
    app.model = LLMClient(engine_factory="test_llm_protocol:FakeEngine")
    app.model.start(model, Profile("fake", "*.gguf", "base"))
    yield app
    app.model.shutdown()
    pygame.quit()


def type_into_the_bar(text: str) -> None:
    post(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)
    post(pygame.TEXTINPUT, text=text)
    post(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)


def test_two_hundred_orders_in_a_second_are_all_logged_and_ended(flooded_app: App) -> None:
    app = flooded_app
    game = app.start_game(seed=7)
    desk = game.language.orders
    entries = []
    submit = desk.submit

    def recording_submit(*args, **kwargs):
        entries.append(submit(*args, **kwargs))
        return entries[-1]

    desk.submit = recording_submit  # type: ignore[method-assign]
    typed = [ORDERS[n % len(ORDERS)] for n in range(COUNT)]
    for start in range(0, COUNT, 10):  # 10 orders a frame, 20 frames: one second of play
        for text in typed[start:start + 10]:
            type_into_the_bar(text)
        frames(app)
    assert [e.ticket.text for e in entries] == typed  # every one, once, in order
    for _ in range(3000):
        if not any(e.ticket.pending for e in entries):
            break
        frames(app)
    assert not any(e.ticket.pending for e in entries)
    for entry in entries:
        assert entry.status != "thinking"
        if entry.status == "not_understood":
            assert entry.ticket.message  # a reason, whatever it was
    rules = [e for e in entries if e.ticket.tier == "rules"]
    assert len(rules) >= COUNT // 2  # the parser's share answered at once
    # Bounded: the log view, the translator's and the client's tables.
    assert len(desk.entries) <= 30 and len(desk.translator.tickets) <= 64
    assert not desk.translator._by_request and not desk._by_ticket
    waiting = [*app.model._queue, *app.model._sent.values()]
    assert not [r for r in waiting if r.kind == "translate"]  # (the advisor may be asking)
