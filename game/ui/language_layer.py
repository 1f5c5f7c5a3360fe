"""Plugs the language side into a match: typed orders, the advisor, model status.

One LanguageLayer per GameScreen. It owns the two desks (orders, advisor) and
their panels, registers them on the screen's extension points, and receives
the model client's finished requests from the App, which polls the client
once per frame whatever screen is shown.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pygame

from game.commands import Pointing, UiRequest
from game.settings import GAME_SPEEDS
from game.ui.advisor_desk import AdvisorDesk
from game.ui.hud import draw_tooltip
from game.ui.language_panels import (
    AdvisorPanel,
    AlertFlash,
    CommandBar,
    CommandLogView,
    ModelIndicator,
)
from game.ui.orders_desk import OrderDesk
from llm.translator import Translator

READ_TIME_S = 0.6  # how long a question is up before Enter answers it (see _answer)

if TYPE_CHECKING:
    from game.ui.session import GameScreen


class LanguageLayer:
    def __init__(self, game: GameScreen, client: Any | None) -> None:
        self.game = game
        layout = game.layout
        self.orders = OrderDesk(Translator(client), game.viewer)
        self.advisor = AdvisorDesk(client, game.viewer)
        self.bar = CommandBar(layout.command_bar, self.orders, self.submit, lambda: game.lang,
                              self._focus)
        self.log = CommandLogView(layout.command_log, self.orders)
        self.panel = AdvisorPanel(layout.advisor, self.advisor, lambda: game.lang)
        self.alerts = AlertFlash(layout.minimap, self.advisor)
        self.indicator = ModelIndicator(layout.model_status, client) if client else None
        game.event_filters.append(self.handle)
        game.overlays.append(self.draw)
        game.tick_hooks.append(self.on_tick)
        game.frame_hooks.append(self.on_frame)
        self.advisor.on_tick(game.world, game.lang)

    def close(self) -> None:
        """The match is being left: its orders still waiting for the model end as
        cancelled, and neither they nor its advice keep the model busy for the next."""
        self.orders.translator.cancel_all()
        self.advisor.close()

    # -- input --------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        return self._answer(event) or self.bar.handle(event) or self.log.handle(event) or \
            self.panel.handle(event)

    def _answer(self, event: pygame.event.Event) -> bool:
        """Enter = yes, Esc = no to the log's pending question ("Did you mean ...?"),
        while the command bar is closed or empty; typing an order instead drops it.

        Enter counts as yes only once the question has been up for READ_TIME_S: the
        question arrives a moment after the order, and an Enter pressed meanwhile is
        the player opening the bar for the next order (seen in play: it said yes, and
        the next order's letters went to the hotkeys)."""
        question = self.orders.question
        if event.type != pygame.KEYDOWN or question is None or \
                (self.bar.active and self.bar.text.strip()):
            return False
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if time.perf_counter() - (question.ticket.finished_at or 0.0) < READ_TIME_S:
                return False
            yes = True
        elif event.key == pygame.K_ESCAPE:
            yes = False
        else:
            return False
        if self.bar.active:
            self.bar.close()
        self.orders.answer(yes, self.game.world)
        self._after_orders()
        return True

    def _focus(self, focused: bool) -> None:
        self.game.input.scroll_keys = not focused

    def submit(self, text: str) -> None:
        game = self.game
        self.orders.submit(text, game.world, tuple(game.input.selection), self.pointing())
        self._after_orders()

    def pointing(self) -> Pointing:
        """What "here", "these units", "group 2" and "the alert" mean right now: the map
        point under the mouse (the view's centre when the mouse is off the map)."""
        game = self.game
        mouse = game.input.mouse
        if game.layout.map_view.collidepoint(mouse):
            cursor = game.camera.to_tiles(*mouse)
        else:
            cursor = game.camera.center_tile
        groups = {n: tuple(ids) for n, ids in game.input.groups.items()}
        return Pointing(tuple(game.input.selection), cursor, groups, game.last_alert)

    # -- per tick / per frame -------------------------------------------------------------
    def on_tick(self) -> None:
        world = self.game.world
        self.orders.on_tick(world)
        self.advisor.on_tick(world, self.game.lang)
        self._after_orders()

    def on_frame(self) -> None:
        self.advisor.on_frame(self.game.world, self.game.lang)

    def on_model_result(self, result: Any) -> None:
        world = self.game.world
        if self.orders.on_model_result(result, world):
            self._after_orders()
        else:
            self.advisor.on_model_result(result, world)

    def _after_orders(self) -> None:
        requests, self.orders.ui_requests = self.orders.ui_requests, []
        for request in requests:
            self.apply(request)
        if self.orders.analyze_requested:
            self.orders.analyze_requested = False
            self.panel.open()
            self.advisor.refresh(self.game.world, self.game.lang)

    def apply(self, request: UiRequest) -> None:
        """A typed UI command does what its key or click does; the simulation never
        sees it (camera, selection, groups, pause and speed are the interface's)."""
        game = self.game
        if request.action == "select":
            game.input.selection = list(request.units)
        elif request.action == "group" and request.group is not None:
            game.input.groups[request.group] = list(request.units)
            game.input.selection = list(request.units)
            game.toast(game.say("msg_group_set", group=request.group,
                                count=len(request.units)))
        elif request.action == "camera" and request.point is not None:
            game.camera.center_on(*request.point)
        elif request.action in ("pause", "resume"):
            game.paused = request.action == "pause"
        elif request.action == "speed":
            game.change_speed(_speed_step(game.app.settings.game_speed, request.speed))

    # -- drawing ----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        game = self.game
        self.panel.draw(surface, game.world)
        self.alerts.draw(surface, game.world, game.clock)
        self.log.draw(surface)
        self.bar.draw(surface, game.clock)
        if self.indicator is not None:
            self.indicator.draw(surface, game.lang, game.clock)
            mouse = pygame.mouse.get_pos()
            if self.indicator.hovered(mouse):
                draw_tooltip(surface, self.indicator.tooltip(game.lang),
                             (self.indicator.rect.right, self.indicator.rect.bottom + 4))



def _speed_step(current: float, speed: str | None) -> int:
    """The +/- key presses a typed speed command stands for."""
    if speed == "faster":
        return 1
    if speed == "slower":
        return -1
    here = GAME_SPEEDS.index(current) if current in GAME_SPEEDS else GAME_SPEEDS.index(1.0)
    return GAME_SPEEDS.index(1.0) - here
