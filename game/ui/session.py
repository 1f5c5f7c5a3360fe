"""The game screen: one match, its simulation clock, and everything drawn over it.

Each frame: events go to the menu, the end screen or the map input; the
simulation advances by whole ticks through the fixed step (the enemy bot
thinks before each tick); events of each tick become effects, sounds and
messages; then the map, the fog, the HUD and the sidebar are drawn, with unit
positions interpolated between the last two ticks.

Extension points: `overlays` (functions drawing over the finished screen:
command log and bar, advisor panel, model status - their rectangles are in
theme.Layout), `event_filters` (see pygame events first and return True to
consume them: a focused command bar takes the keyboard), `debug.add_line` for
the F3 overlay, and `on_event` listeners that see every simulation event.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game import orders as O
from game import sim
from game.ai import Commander
from game.orders import Order, Rejection
from game.rules import TICKS_PER_SECOND
from game.settings import GAME_SPEEDS
from game.ui.camera import Camera
from game.ui.effects import Effects
from game.ui.entities import EntityRenderer
from game.ui.fog_view import FogRenderer
from game.ui.hud import Toasts, TopBar, draw_tooltip
from game.ui.input import MapInput
from game.ui.loop import FixedStep
from game.ui.messages import event_text, rejection_text, say
from game.ui.minimap import Minimap
from game.ui.placement_view import PlacementView
from game.ui.screens import EndScreen, PauseMenu
from game.ui.sidebar import Sidebar, SidebarButton
from game.ui.terrain_view import TerrainRenderer
from game.ui.theme import ACCENT, BAD, GOOD, TEXT, Color, draw_text, panel, text
from game.world import Event, Unit, World

if TYPE_CHECKING:
    from game.ui.app import App
    from game.ui.language_layer import LanguageLayer

SIDEBAR_REFRESH = 0.1  # seconds
AUTOSAVE_SECONDS = 180.0  # of play (not paused, no menu open) between two autosaves
TICK_HISTORY = 100_000  # ticks whose cost is kept (83 minutes of play)
MAX_CHORE_WAIT = 3  # frames housekeeping may be put off while ticks run
AUDIBLE_TILES = 28.0  # combat further than this from the camera centre is silent
ALERT_EVENTS = {"under_attack": BAD, "order_rejected": BAD, "unit_ready": GOOD,
                "construction_ready": GOOD, "building_sold": ACCENT, "cancelled": ACCENT,
                "insufficient_funds": BAD}
EVENT_SOUNDS = {"unit_ready": "unit_ready", "construction_ready": "build_complete",
                "under_attack": "alert", "order_rejected": "error"}
SPEED_KEYS = {pygame.K_PLUS: 1, pygame.K_EQUALS: 1, pygame.K_KP_PLUS: 1,
              pygame.K_MINUS: -1, pygame.K_KP_MINUS: -1}
WEAPON_SOUNDS = {"rifle": "shot", "cannon": "cannon", "turret gun": "cannon",
                 "shell": "cannon", "missiles": "missile"}


class GameScreen:
    def __init__(self, app: App, world: World, bots: list[Commander], difficulty: str,
                 viewer: int = 0) -> None:
        self.app = app
        self.world = world
        self.bots = bots
        self.difficulty = difficulty
        self.viewer = viewer
        self.layout = app.layout
        tiles = world.tiles
        self.camera = Camera(self.layout.map_view, (tiles.width, tiles.height))
        hq = next(world.buildings_of(viewer, "hq"), None)
        self.camera.center_on(*(hq.center if hq else world.players[viewer].start))
        self.terrain = TerrainRenderer(tiles, world.seed)
        self.fog = FogRenderer(world.players[viewer], tiles.width, tiles.height)
        self.minimap = Minimap(self.layout.minimap, tiles)
        self.entities = EntityRenderer(app.sprites, viewer)
        self.effects = Effects(lambda name, owner: app.sprites.buildings[(name, owner)])
        self.placement = PlacementView(app.sprites, viewer)
        self.sidebar = Sidebar(self.layout, app.sprites, viewer)
        self.topbar = TopBar(self.layout)
        self.toasts = Toasts(self.layout.toasts)
        self.debug = app.debug
        self.input = MapInput(self)
        self.stepper = FixedStep(TICKS_PER_SECOND * app.settings.game_speed)
        self.ticks_per_frame: int | None = None  # fast mode: fixed ticks per frame, no clock
        self.paused = False
        self.menu: PauseMenu | None = None
        self.end: EndScreen | None = None
        self.clock = 0.0  # seconds of real time on this screen, for animations
        self.last_alert: tuple[float, float] | None = None
        self.drawn_units: list[tuple[Unit, float, float]] = []  # for mouse picking
        # Each tick's cost (bot + simulation), for the bench; bounded for long matches.
        self.tick_ms: deque[float] = deque(maxlen=TICK_HISTORY)
        # Extension points (see the module docstring).
        self.overlays: list[Callable[[pygame.Surface], None]] = []
        self.event_filters: list[Callable[[pygame.event.Event], bool]] = []
        self.on_event: list[Callable[[Event], None]] = []
        self.tick_hooks: list[Callable[[], None]] = []  # after every simulation tick
        self.frame_hooks: list[Callable[[], None]] = []  # once per frame, after the ticks
        self.language: LanguageLayer | None = None  # typed orders, advisor, model status
        self._forget_timer = 0.0
        self.autosave_in = AUTOSAVE_SECONDS
        self._sidebar_cache = pygame.Surface(self.layout.sidebar.size)
        self._sidebar_key: tuple = ()
        self._sidebar_time = -1.0
        self._sidebar_stale = True
        self._chores_dt = 0.0
        self._chores_waited = 0
        self.minimap.update(1.0, world, self.fog, viewer)

    # -- helpers used by input and panels ---------------------------------------------
    @property
    def lang(self) -> str:
        return self.app.settings.language

    def say(self, key: str, /, **params: object) -> str:
        return say(key, self.lang, **params)

    def toast(self, text: str, color: Color = TEXT) -> None:
        self.toasts.push(text, color)

    def reject(self, rejection: Rejection) -> None:
        self.toast(rejection_text(rejection, self.lang), BAD)
        self.app.audio.play("error", 0.6)

    def issue(self, order: Order) -> bool:
        """Check an order now; issue it (True) or explain the refusal (False)."""
        rejection = O.check(self.world, order)
        if rejection is not None:
            self.reject(rejection)
            return False
        self.world.issue(order)
        self.app.audio.play("click", 0.4)
        return True

    def on_model_result(self, result: object) -> None:
        """A finished model request (polled by the App): an order or an advice."""
        if self.language is not None:
            self.language.on_model_result(result)

    def visible(self, x: float, y: float) -> bool:
        return self.world.is_visible(self.viewer, x, y)

    # -- events -----------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if self.end is not None:
            self.end.handle(event)
            return
        if self.menu is not None:
            self.menu.handle(event)
            return
        if any(consumed(event) for consumed in self.event_filters):
            return
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_F5:
                self.app.quick_save()
                return
            if event.key == pygame.K_F9:
                self.app.quick_load()
                return
            if event.key == pygame.K_ESCAPE:
                if not self.input.cancel():
                    self.open_menu()
                return
            if event.key == pygame.K_p:
                self.paused = not self.paused
                return
            if event.key == pygame.K_F3:
                self.debug.visible = not self.debug.visible
                return
            if event.key in SPEED_KEYS:
                self.change_speed(SPEED_KEYS[event.key])
                return
        self.input.handle(event)

    def change_speed(self, step: int) -> None:
        """+ and - step through the game speeds (also in the Esc menu)."""
        speeds = GAME_SPEEDS
        current = self.app.settings.game_speed
        i = speeds.index(current) if current in speeds else speeds.index(1.0)
        self.app.settings.game_speed = speeds[min(len(speeds) - 1, max(0, i + step))]
        self.stepper.set_rate(TICKS_PER_SECOND * self.app.settings.game_speed)
        self.app.save_settings()

    def open_menu(self) -> None:
        self.menu = PauseMenu(self.app, self)

    def close_menu(self) -> None:
        self.menu = None
        self.stepper.set_rate(TICKS_PER_SECOND * self.app.settings.game_speed)

    # -- simulation -------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.end is None and self.menu is None and not self.paused

    def update(self, dt: float) -> None:
        self.clock += dt
        ticks = self._advance_simulation(dt)
        for hook in self.frame_hooks:
            hook()
        game_dt = dt * self.app.settings.game_speed if self.running else 0.0
        self.input.scroll(dt)
        self.input.prune()
        self.effects.update(game_dt, self.world, self.visible)
        self.toasts.update(dt)
        self._chores_dt += dt
        # Chores that can wait a frame skip the frames that ran a tick, so those stay
        # within the frame budget; they never wait more than a few frames.
        self._chores_waited = self._chores_waited + 1 if ticks else MAX_CHORE_WAIT
        if self._chores_waited >= MAX_CHORE_WAIT:
            self._chores(self._chores_dt)
            self._chores_dt, self._chores_waited = 0.0, 0
        if self.world.winner is not None and self.end is None:
            self.end = EndScreen(self.app, self)
        self._autosave(dt)

    def _autosave(self, dt: float) -> None:
        """Every AUTOSAVE_SECONDS of play; never while paused or in a menu."""
        if not self.running or self.ticks_per_frame is not None:
            return  # fast modes (bench) are not play
        self.autosave_in -= dt
        if self.autosave_in <= 0:
            self.autosave_in = AUTOSAVE_SECONDS
            self.app.autosave()

    def _advance_simulation(self, dt: float) -> int:
        """Run the ticks this frame owes (fixed step, or fixed count in fast mode)."""
        if not self.running:
            self.stepper.hold()
            return 0
        count = self.ticks_per_frame if self.ticks_per_frame is not None \
            else self.stepper.advance(dt)
        done = 0
        while done < count and self.world.winner is None:
            self.run_tick()
            done += 1
        return done

    def _chores(self, dt: float) -> None:
        changed = self.terrain.update()
        if changed:
            self.minimap.resources_changed(changed)
        self.fog.refresh()
        self.minimap.update(dt, self.world, self.fog, self.viewer)
        self._sidebar_stale = True
        self._forget_timer += dt
        if self._forget_timer > 2.0:
            self._forget_timer = 0.0
            self.entities.forget_dead(self.world)

    def run_tick(self) -> None:
        start = time.perf_counter()
        for bot in self.bots:
            bot.think(self.world)
        sim.step(self.world)
        ms = (time.perf_counter() - start) * 1000.0
        self.tick_ms.append(ms)
        self.debug.record_tick(ms)
        for event in self.world.events:
            self._on_event(event)
        for hook in self.tick_hooks:
            hook()

    def _on_event(self, e: Event) -> None:
        for listener in self.on_event:
            listener(e)
        self.effects.on_event(e, self.visible)
        self._sound(e)
        if e.player != self.viewer or e.kind not in ALERT_EVENTS:
            return
        message = event_text(e, self.lang)
        if message:
            self.toast(message, ALERT_EVENTS[e.kind])
        if e.kind == "under_attack":
            self.last_alert = (e.x, e.y)
            self.minimap.ping(e.x, e.y)

    def _sound(self, e: Event) -> None:
        audio = self.app.audio
        if e.player == self.viewer and e.kind in EVENT_SOUNDS:
            audio.play(EVENT_SOUNDS[e.kind])
            return
        if e.kind == "shot":
            name = WEAPON_SOUNDS.get(str(e.data.get("weapon")), "shot")
        elif e.kind in ("explosion", "building_destroyed") or (
                e.kind == "unit_destroyed" and e.data.get("unit") != "infantry"):
            name = "explosion"
        else:
            return
        if not self.visible(e.x, e.y):
            return
        cx, cy = self.camera.center_tile
        loudness = 1.0 - math.hypot(e.x - cx, e.y - cy) / AUDIBLE_TILES
        if loudness > 0:
            audio.play(name, loudness * (0.5 if e.kind == "shot" else 1.0))

    # -- drawing ------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        alpha = self.stepper.alpha if self.running and self.ticks_per_frame is None else 1.0
        self._draw_map(surface, alpha)
        self._draw_hud(surface)
        if self.end is not None:
            self.end.draw(surface)
        elif self.menu is not None:
            self.menu.draw(surface)

    def _draw_map(self, surface: pygame.Surface, alpha: float) -> None:
        cam, view, world = self.camera, self.layout.map_view, self.world
        surface.set_clip(view)
        surface.blit(self.terrain.surface, view.topleft,
                     pygame.Rect(int(cam.x), int(cam.y), view.width, view.height))
        self.effects.draw_ground(surface, cam)
        self.effects.draw_fading(surface, cam)
        selected = set(self.input.selection)
        hover = self.input.entity_at(self.input.mouse) if view.collidepoint(self.input.mouse) \
            else None
        hover_id = hover.id if hover is not None else None
        dt = self.app.frame_dt
        self.entities.clock = self.clock
        self.entities.draw_buildings(surface, world, cam, selected, hover_id, dt)
        units = self.entities.visible_units(world, cam, alpha)
        self.drawn_units = units
        self.entities.draw_ground_units(surface, world, cam, units, selected, dt)
        self.effects.draw_projectiles(surface, cam, world.projectiles, alpha, self.visible)
        self.effects.draw_air(surface, cam)
        self.entities.draw_air_units(surface, cam, units, selected)
        self.fog.draw(surface, cam)
        self.entities.draw_unit_bars(surface, cam, units, selected, hover_id)
        self.input.draw(surface)
        surface.set_clip(None)

    def _draw_hud(self, surface: pygame.Surface) -> None:
        lang = self.lang
        self.topbar.draw(surface, self.world, lang, self.app.settings.game_speed, self.paused,
                         self.difficulty)
        mouse = self.input.mouse
        hover_button = self.sidebar.button_at(mouse)
        self._draw_sidebar(surface, hover_button)
        self.minimap.draw(surface, self.camera)
        self.toasts.draw(surface)
        hint = self.input.mode_hint()
        if hint:
            self._draw_hint(surface, hint)
        if self.paused and self.menu is None and self.end is None:
            self._draw_paused(surface)
        for overlay in self.overlays:
            overlay(surface)
        self.debug.draw(surface, (self.layout.map_view.x + 8, self.layout.map_view.y + 8), lang)
        if hover_button is not None and self.menu is None and self.end is None:
            draw_tooltip(surface, self.sidebar.tooltip(self.world, hover_button, lang),
                         (self.layout.sidebar.x, max(self.layout.sidebar.y, mouse[1] - 20)))

    def _draw_sidebar(self, surface: pygame.Surface, hover: SidebarButton | None) -> None:
        """Redrawn a few times per second, or at once when what it shows is changed by
        the player (hover, selection, mode); other frames reuse the last picture."""
        key = (hover, tuple(self.input.selection), self.sidebar.sell_mode,
               self.sidebar.repair_mode, self.lang)
        due = self._sidebar_stale and self.clock - self._sidebar_time >= SIDEBAR_REFRESH
        if key != self._sidebar_key or due:
            self.sidebar.draw(surface, self.world, self.lang, hover, self.input.selection,
                              self.clock)
            self._sidebar_cache.blit(surface, (0, 0), self.layout.sidebar)
            self._sidebar_key, self._sidebar_time = key, self.clock
            self._sidebar_stale = False
        else:
            surface.blit(self._sidebar_cache, self.layout.sidebar)

    def _draw_hint(self, surface: pygame.Surface, hint: str) -> None:
        view = self.layout.map_view
        center = ((self.layout.command_bar.right + view.right) // 2, view.bottom - 22)
        box = text(hint, 14, ACCENT, "bold").get_rect(center=center).inflate(18, 8)
        panel(surface, box, (10, 12, 16), ACCENT, alpha=200, radius=5)
        draw_text(surface, hint, center, 14, ACCENT, "bold", anchor="center")

    def _draw_paused(self, surface: pygame.Surface) -> None:
        view = self.layout.map_view
        box = pygame.Rect(0, 0, 300, 64)
        box.center = view.center
        panel(surface, box, (10, 12, 16), ACCENT, alpha=215, radius=8)
        draw_text(surface, self.say("paused"), (box.centerx, box.y + 20), 22, ACCENT, "bold",
                  anchor="center")
        draw_text(surface, self.say("pause_hint"), (box.centerx, box.y + 46), 12, TEXT,
                  anchor="center")
