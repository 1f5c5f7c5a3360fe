"""Menus: the title screen, the in-game menu (Esc) and the end-of-match screen."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game import __version__, paths, save
from game.i18n import LANGUAGES
from game.settings import DIFFICULTIES, GAME_SPEEDS
from game.ui.hud import clock_text
from game.ui.messages import say
from game.ui.sprites import DIRECTIONS
from game.ui.theme import (
    ACCENT,
    BAD,
    BG,
    GOOD,
    PANEL,
    PANEL_EDGE,
    TEXT,
    TEXT_DIM,
    TILE,
    WINDOW_SIZE,
    draw_text,
    panel,
    veil_surface,
)
from game.ui.widgets import Button, column, handle_buttons
from llm.profiles import model_files

if TYPE_CHECKING:
    from game.ui.app import App
    from game.ui.session import GameScreen


ROW_HEIGHT = 32  # one line of the end screen's summary


def _cycle(values: tuple, current: object) -> object:
    i = values.index(current) if current in values else -1
    return values[(i + 1) % len(values)]


class TitleScreen:
    def __init__(self, app: App) -> None:
        self.app = app
        self.clock = 0.0
        self.background = self._backdrop()
        w, _ = WINDOW_SIZE
        rects = column(w // 2, 330, 5)
        s = app.settings
        self.buttons = [
            Button(rects[0], lambda: self._say("title_new_game"), app.start_game, pygame.K_n),
            Button(rects[1], lambda: self._say("difficulty_label",
                                               level=self._say(f"difficulty_{s.difficulty}")),
                   self._next_difficulty, pygame.K_d),
            Button(rects[2], lambda: self._say("language_label",
                                               language=self._say("language_name")),
                   self._next_language, pygame.K_l),
            Button(rects[3], lambda: self._say("title_replays"), app.show_replays, pygame.K_r),
            Button(rects[4], lambda: self._say("quit"), app.quit, pygame.K_q),
        ]

        self.message = ""  # why a save could not be loaded
        newest = save.newest_slot()
        if newest is not None:
            self._add_continue(newest)

    def _add_continue(self, slot: save.Slot) -> None:
        """"Continue" (the newest save) heads the column; the others move down. It is
        appended to the list so the other buttons keep their indices."""
        step = self.buttons[1].rect.y - self.buttons[0].rect.y
        top = self.buttons[0].rect.move(0, -step)
        self.buttons.append(Button(top, lambda: self._say("title_continue"),
                                   lambda: self.app.load_slot(slot.name), pygame.K_c))
        for button in self.buttons:
            button.rect = button.rect.move(0, step // 2)

    def _say(self, key: str, /, **params: object) -> str:
        return say(key, self.app.settings.language, **params)

    def _next_difficulty(self) -> None:
        self.app.settings.difficulty = str(_cycle(DIFFICULTIES, self.app.settings.difficulty))
        self.app.save_settings()

    def _next_language(self) -> None:
        self.app.settings.language = str(_cycle(LANGUAGES, self.app.settings.language))
        self.app.save_settings()

    def _backdrop(self) -> pygame.Surface:
        """A dusk battlefield: gradient sky-ground, grid, two armies facing off."""
        w, h = WINDOW_SIZE
        surf = pygame.Surface((w, h))
        for y in range(h):
            k = y / h
            surf.fill((int(14 + 30 * k), int(18 + 40 * k), int(26 + 18 * k)), (0, y, w, 1))
        for x in range(0, w, TILE):
            pygame.draw.line(surf, (30, 40, 44), (x, 0), (x, h))
        for y in range(0, h, TILE):
            pygame.draw.line(surf, (30, 40, 44), (0, y), (w, y))
        sprites = self.app.sprites
        surf.blit(sprites.buildings[("hq", 0)], (90, 520))
        surf.blit(sprites.buildings[("war_factory", 1)], (1090, 90))
        east, west = 0, DIRECTIONS // 2
        for i, (x, y) in enumerate(((240, 560), (300, 610), (200, 640), (330, 540))):
            surf.blit(sprites.units[("tank", 0)][east], (x, y))
            surf.blit(sprites.turrets[("tank", 0)][(east + i) % DIRECTIONS], (x, y))
        for i, (x, y) in enumerate(((980, 160), (920, 210), (1010, 240), (890, 140))):
            surf.blit(sprites.units[("tank", 1)][west], (x, y))
            surf.blit(sprites.turrets[("tank", 1)][(west + i) % DIRECTIONS], (x, y))
        veil = pygame.Surface((w, h), pygame.SRCALPHA)
        veil.fill((0, 0, 0, 90))
        surf.blit(veil, (0, 0))
        return surf

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.quit()
            return
        handle_buttons(self.buttons, event)

    def update(self, dt: float) -> None:
        self.clock += dt

    def draw(self, surface: pygame.Surface) -> None:
        w, h = WINDOW_SIZE
        surface.blit(self.background, (0, 0))
        glow = int(30 * (1 + math.sin(self.clock * 2)))
        draw_text(surface, "RTS COMMANDER", (w // 2 + 3, 183), 64, (0, 0, 0), "bold",
                  anchor="center")
        draw_text(surface, "RTS COMMANDER", (w // 2, 180), 64, (240, 196 + glow // 3, 72),
                  "bold", anchor="center")
        draw_text(surface, self._say("title_subtitle"), (w // 2, 240), 18, TEXT,
                  anchor="center")
        mouse = pygame.mouse.get_pos()
        for button in self.buttons:
            button.draw(surface, mouse)
        if self.message:
            draw_text(surface, self.message, (w // 2, h - 80), 15, BAD, "bold", anchor="center")
        draw_text(surface, self._say("controls_hint"), (w // 2, h - 48), 13, TEXT_DIM,
                  anchor="center")
        draw_text(surface, self._say("version", version=__version__), (w - 12, h - 10), 12,
                  TEXT_DIM, anchor="bottomright")


class PauseMenu:
    """Esc during a match: the game is paused while it is open."""

    def __init__(self, app: App, game: GameScreen) -> None:
        self.app = app
        self.game = game
        s = app.settings
        view = app.layout.map_view
        # Wide enough for the default model file name; a longer one is fitted (widgets).
        rects = column(view.centerx, view.centery - 219, 9, width=340, height=38, gap=8)
        self.panel = pygame.Rect(0, 0, 380, 486)
        self.panel.midtop = (view.centerx, rects[0].y - 50)
        saves = rects.pop(1)  # Save | Load, under Resume
        half = (saves.width - 8) // 2
        self.buttons = [
            Button(rects[0], lambda: self._say("menu_resume"), game.close_menu),
            Button(rects[1], lambda: self._say("menu_speed", speed=f"{s.game_speed:g}"),
                   self._next_speed),
            Button(rects[2], lambda: self._say("menu_volume", volume=round(s.volume * 100)),
                   self._next_volume),
            Button(rects[3], lambda: self._say("language_label",
                                               language=self._say("language_name")),
                   self._next_language),
            Button(rects[4], lambda: self._say("menu_model_file", name=s.model_file),
                   self._next_model_file),
            Button(rects[5], lambda: self._say("menu_restart_model"), app.restart_model),
            Button(rects[6], lambda: self._say("menu_quit_to_title"), app.leave_to_title),
            Button(rects[7], lambda: self._say("quit"), app.quit_game),
            # Appended, so the buttons above keep their indices (tests address them).
            Button(pygame.Rect(saves.x, saves.y, half, saves.height),
                   lambda: self._say("menu_save"), self.open_saves),
            Button(pygame.Rect(saves.right - half, saves.y, half, saves.height),
                   lambda: self._say("menu_load"), self.open_loads),
        ]

    def _say(self, key: str, /, **params: object) -> str:
        return say(key, self.app.settings.language, **params)

    def open_saves(self) -> None:
        self.game.menu = SlotMenu(self.app, self.game, "save")

    def open_loads(self) -> None:
        self.game.menu = SlotMenu(self.app, self.game, "load")

    def _next_speed(self) -> None:
        self.app.settings.game_speed = float(_cycle(GAME_SPEEDS, self.app.settings.game_speed))
        self.app.save_settings()

    def _next_volume(self) -> None:
        steps = tuple(round(v / 10, 1) for v in range(0, 11))
        self.app.settings.volume = float(_cycle(steps, round(self.app.settings.volume, 1)))
        self.app.audio.volume = self.app.settings.volume
        self.app.audio.play("click")
        self.app.save_settings()

    def _next_language(self) -> None:
        self.app.settings.language = str(_cycle(LANGUAGES, self.app.settings.language))
        self.app.save_settings()

    def _next_model_file(self) -> None:
        """Cycle through the GGUF files in models/; "Restart the model" loads the choice."""
        files = model_files(paths.models_dir())
        current = self.app.settings.model_file
        if not files:
            return
        self.app.settings.model_file = str(_cycle(tuple(files), current)) \
            if current in files else files[0]
        self.app.save_settings()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.game.close_menu()
            return
        handle_buttons(self.buttons, event)

    def draw(self, surface: pygame.Surface) -> None:
        _veil(surface, self.app.layout.map_view, 140)
        panel(surface, self.panel, PANEL, ACCENT, alpha=240, radius=10)
        draw_text(surface, self._say("menu_title"), (self.panel.centerx, self.panel.y + 28), 24,
                  ACCENT, "bold", anchor="center")
        mouse = pygame.mouse.get_pos()
        for button in self.buttons:
            button.draw(surface, mouse)


class SlotMenu:
    """The saved games, newest first: pick one to load, or one to save over (or a new one).
    Opened from the Esc menu, which it returns to."""

    SHOWN = 7  # slots listed

    def __init__(self, app: App, game: GameScreen, mode: str) -> None:
        self.app = app
        self.game = game
        self.mode = mode  # "save" or "load"
        view = app.layout.map_view
        slots = save.list_slots()[: self.SHOWN]
        extra = 1 if mode == "save" else 0  # the "New save" button
        rects = column(view.centerx, view.centery - 200, self.SHOWN + 2, width=400,
                       height=36, gap=6)
        self.panel = pygame.Rect(0, 0, 440, 480)
        self.panel.midtop = (view.centerx, rects[0].y - 50)
        self.buttons: list[Button] = []
        if extra:
            self.buttons.append(Button(rects[0], lambda: self._say("save_new_slot"),
                                       lambda: self._save(save.new_slot_name())))
        for rect, slot in zip(rects[extra:], slots):
            self.buttons.append(Button(rect, self._row(slot), self._choose(slot)))
        self.empty = not slots
        self.buttons.append(Button(rects[-1], lambda: self._say("saves_back"), self._back))

    def _say(self, key: str, /, **params: object) -> str:
        return say(key, self.app.settings.language, **params)

    def _row(self, slot: save.Slot) -> Callable[[], str]:
        date = time.strftime("%d/%m %H:%M", time.localtime(slot.modified))
        return lambda: self._say("slot_row", slot=slot.name, date=date)

    def _choose(self, slot: save.Slot) -> Callable[[], None]:
        if self.mode == "save":
            return lambda: self._save(slot.name)
        return lambda: self.app.soon(lambda: self.app.load_slot(slot.name))

    def _save(self, name: str) -> None:
        if self.app.save_to(name) is not None:
            self.game.close_menu()

    def _back(self) -> None:
        self.game.menu = PauseMenu(self.app, self.game)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self._back()
            return
        handle_buttons(self.buttons, event)

    def draw(self, surface: pygame.Surface) -> None:
        _veil(surface, self.app.layout.map_view, 140)
        panel(surface, self.panel, PANEL, ACCENT, alpha=240, radius=10)
        title = "saves_title_save" if self.mode == "save" else "saves_title_load"
        draw_text(surface, self._say(title), (self.panel.centerx, self.panel.y + 28), 24,
                  ACCENT, "bold", anchor="center")
        if self.empty and self.mode == "load":
            draw_text(surface, self._say("saves_none"), self.panel.center, 16, TEXT_DIM,
                      anchor="center")
        mouse = pygame.mouse.get_pos()
        for button in self.buttons:
            button.draw(surface, mouse)


END_KEYS_QUIET_S = 0.8  # see EndScreen._typing


class EndScreen:
    """Victory or defeat, a summary of the match, and what to do next."""

    def __init__(self, app: App, game: GameScreen) -> None:
        self.app = app
        self.game = game
        self.shown_at = self._last_key_at = time.perf_counter()
        world = game.world
        self.won = world.winner == game.viewer
        me = world.players[game.viewer].stats
        self.rows = [
            ("end_game_time", clock_text(world.tick)),
            ("end_units_built", str(me.units_built)),
            ("end_units_lost", str(me.units_lost)),
            ("end_units_killed", str(me.units_killed)),
            ("end_buildings_lost", str(me.buildings_lost)),
            ("end_buildings_sold", str(me.buildings_sold)),
            ("end_buildings_destroyed", str(me.buildings_destroyed)),
            ("end_credits_harvested", f"{me.credits_harvested:,}".replace(",", " ")),
        ]
        self.panel = pygame.Rect(0, 0, 460, 180 + ROW_HEIGHT * len(self.rows))
        self.panel.center = app.layout.map_view.center
        half = (self.panel.width - 60) // 2
        y = self.panel.bottom - 64
        self.buttons = [
            Button(pygame.Rect(self.panel.x + 20, y, half, 44),
                   lambda: self._say("end_new_game"), lambda: app.soon(app.start_game),
                   pygame.K_n),
            Button(pygame.Rect(self.panel.right - 20 - half, y, half, 44),
                   lambda: self._say("end_title"), app.show_title, pygame.K_t),
        ]

    def _say(self, key: str, /, **params: object) -> str:
        return say(key, self.app.settings.language, **params)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and self._typing():
            return
        handle_buttons(self.buttons, event)

    def _typing(self) -> bool:
        """Keys still coming from an order being typed when the match ended: seen in play,
        its letters were taken as N (new game) and T (title) before the summary could be
        read. A key counts once the screen has been up, and the keyboard quiet, for
        END_KEYS_QUIET_S."""
        now = time.perf_counter()
        last, self._last_key_at = self._last_key_at, now
        return now - max(last, self.shown_at) < END_KEYS_QUIET_S

    def draw(self, surface: pygame.Surface) -> None:
        _veil(surface, surface.get_rect(), 150)
        p = self.panel
        panel(surface, p, PANEL, GOOD if self.won else BAD, alpha=245, radius=12)
        title = self._say("end_victory" if self.won else "end_defeat")
        draw_text(surface, title, (p.centerx, p.y + 44), 40, GOOD if self.won else BAD, "bold",
                  anchor="center", shadow=True)
        y = p.y + 96
        for key, value in self.rows:
            draw_text(surface, self._say(key), (p.x + 40, y), 16, TEXT_DIM)
            draw_text(surface, value, (p.right - 40, y), 16, TEXT, "bold", anchor="topright")
            pygame.draw.line(surface, PANEL_EDGE, (p.x + 36, y + 24), (p.right - 36, y + 24))
            y += ROW_HEIGHT
        mouse = pygame.mouse.get_pos()
        for button in self.buttons:
            button.draw(surface, mouse)


def _veil(surface: pygame.Surface, rect: pygame.Rect, alpha: int) -> None:
    surface.blit(veil_surface(rect.size, (*BG, alpha)), rect)
