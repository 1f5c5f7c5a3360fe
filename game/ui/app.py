"""The application: the window, the main loop, and switching between screens.

One loop serves play and the benchmark: poll input, update the current screen
(the game screen advances its simulation by fixed ticks), draw, flip, then wait
for the next frame's deadline. Frame hooks let the benchmark drive the camera
and measure without a separate code path.
"""

from __future__ import annotations

import gc
import logging
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import psutil
import pygame

from game import paths, save, sim
from game import settings as settings_store
from game.ai import Bot, Commander, make_bot
from game.settings import Settings
from game.ui.audio import Audio
from game.ui.effects import soft_circle
from game.ui.frame_guard import FrameGuard
from game.ui.hud import DebugOverlay
from game.ui.loop import FramePacer
from game.ui.messages import say
from game.ui.replay_record import MatchRecorder, start_recording
from game.ui.screens import TitleScreen
from game.ui.session import GameScreen
from game.ui.sprites import DIRECTIONS, SpriteBank
from game.ui.theme import (
    ACCENT,
    BAD,
    BG,
    GOOD,
    WINDOW_SIZE,
    default_layout,
    draw_text,
    reset_caches,
)
from llm.client import LLMClient
from llm.profiles import resolve_model_path, validate_model_file

if TYPE_CHECKING:
    from game.replay import Replay
    from game.ui.language_layer import LanguageLayer

LOG = logging.getLogger(__name__)
FPS = 60
MAX_FRAME_SECONDS = 0.25  # a longer frame (a stall, a dragged window) counts as this


class Screen(Protocol):
    def handle(self, event: pygame.event.Event) -> None: ...
    def update(self, dt: float) -> None: ...
    def draw(self, surface: pygame.Surface) -> None: ...


class _Between:
    """The screen while the next match or replay is built: nothing to show or handle."""

    def handle(self, event: pygame.event.Event) -> None:
        pass

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        pass


class App:
    def __init__(self, settings: Settings, fps: float | None = FPS,
                 model_path: str | None = None, start_model: bool = True) -> None:
        # The model process starts first, so that it loads while the window opens;
        # nothing here waits for it.
        self.settings = settings
        self.model = LLMClient(log_path=str(paths.log_path()))
        self.model_override = model_path
        if start_model:
            self.start_model()
        pygame.display.init()
        pygame.font.init()
        reset_caches()
        soft_circle.cache_clear()
        self.surface = pygame.display.set_mode(WINDOW_SIZE)
        pygame.display.set_caption("RTS Commander")
        self.settings = settings
        self.layout = default_layout()
        self.audio = Audio(settings.volume)
        self.sprites = SpriteBank()
        pygame.display.set_icon(self._window_icon())
        self.debug = DebugOverlay()
        self.resources = ResourceMeter(self.model)
        self.debug.add_line(self._debug_model_line)
        self.debug.add_line(self.resources.line)
        self.pacer = FramePacer(fps)
        self.running = True
        self.frame_dt = 0.0
        self.frames = 0
        self.frame_hooks: list[Callable[[App], None]] = []
        self.guard = FrameGuard(lambda: str(paths.log_path()), lambda: self.settings.language,
                                self.emergency_save)
        self.saves = save.SaveWriter()  # saves are written beside the game loop
        # Every match is recorded (game.replay); the bench says where, or turns it off.
        self.record_replays = True
        self.replay_file: Path | None = None  # the next match's replay (default: replays_dir)
        self.recorder: MatchRecorder | None = None
        self.screen: Screen = TitleScreen(self)
        self._soon: list[Callable[[], object]] = []  # run at the next frame's start

    def _window_icon(self) -> pygame.Surface:
        """assets/icon.png (scripts/make_icon.py), else a tank sprite."""
        try:
            return pygame.image.load(str(paths.asset("icon.png")))
        except (OSError, pygame.error):
            return self.sprites.units[("tank", 0)][DIRECTIONS * 7 // 8]

    # -- screens ----------------------------------------------------------------------
    def show(self, screen: Screen) -> None:
        """Put a screen on. A match left behind is freed now: its world, screen and
        panels refer to each other, and Python's cycle collector may otherwise keep
        several old matches alive (the soak saw about 40 MB more per match)."""
        if screen is not self.screen:
            self._close_match(self.screen)
        self.screen = screen
        gc.collect()

    @staticmethod
    def _close_match(left: Screen) -> None:
        """A match being left withdraws its orders and advice still with the model."""
        if isinstance(left, GameScreen) and left.language is not None:
            left.language.close()

    def _free_screen(self) -> None:
        """Drop the screen on before the next match or replay is built, so that the two
        are never alive together: the allocator kept the peak of both (the soak's game
        RSS stayed ~40 MB higher for a match or more after each switch). From a
        button of the match itself, use `soon`: its handler still holds the match."""
        self._close_match(self.screen)
        self.screen = _Between()
        gc.collect()

    def soon(self, action: Callable[[], object]) -> None:
        """Run `action` at the start of the next frame, outside every screen's handler
        (a button that replaces the match it belongs to)."""
        self._soon.append(action)

    def show_title(self) -> None:
        self.stop_recording()
        self.show(TitleScreen(self))

    def show_replays(self) -> None:
        from game.ui.replay_view import ReplayList

        self.stop_recording()
        self.show(ReplayList(self))

    def watch_replay(self, replay: Replay) -> None:
        from game.ui.replay_view import ReplayScreen

        self.stop_recording()
        self._loading()
        self.show(ReplayScreen(self, replay))  # from the replay list: no match to free

    def stop_recording(self) -> None:
        """The match's replay gets its end record (leaving the match, quitting)."""
        if self.recorder is not None:
            self.recorder.close()
            self.recorder = None

    def start_game(self, seed: int | None = None, player_bot: str | None = None) -> GameScreen:
        """A new match against the bot; `player_bot` lets a bot play for the player too."""
        self.stop_recording()
        self._free_screen()
        self._loading()
        seed = random.randrange(1, 2**31) if seed is None else seed
        world = sim.new_game(seed)
        difficulty = self.settings.difficulty
        bots: list[Commander] = [Bot(1, difficulty)]
        if player_bot is not None:
            bots.insert(0, make_bot(0, player_bot))
        game = GameScreen(self, world, bots, difficulty)
        self._attach_language(game)
        if self.record_replays:
            self.recorder = start_recording(game, self.replay_file)
        self.show(game)
        return game

    # -- saved games (game.save) ------------------------------------------------------
    def current_game(self) -> GameScreen | None:
        """The match on screen, if one is under way (not over)."""
        game = self.screen if isinstance(self.screen, GameScreen) else None
        return game if game is not None and game.world.winner is None else None

    def save_to(self, slot: str) -> save.SaveInfo | None:
        """Save the match in a slot: serialised now, written beside the game; the toast
        comes when it is on disk (or says why it could not be written)."""
        game = self.current_game()
        if game is None:
            return None
        log = game.language.orders.to_state() if game.language is not None else {}
        return self.saves.save(save.slot_path(slot), game.world, game.bots, game.difficulty,
                               game.viewer, log, slot)

    def _announce_saves(self, written: list[tuple[save.SaveInfo, save.SaveError | None]]
                        ) -> None:
        for info, error in written:
            if error is None:
                self._tell(say("game_saved", self.settings.language, slot=info.path.stem), GOOD)
            else:
                self._tell(say(error.key, self.settings.language), BAD)

    def finish_saves(self) -> None:
        """Wait until every save is on disk (before a load, leaving the match, quitting)."""
        self._announce_saves(self.saves.wait())

    def quick_save(self) -> None:
        self.save_to(save.QUICK_SLOT)

    def quick_load(self) -> None:
        self.load_slot(save.QUICK_SLOT)

    def autosave(self) -> None:
        self.save_to(save.AUTO_SLOT)

    def emergency_save(self) -> str | None:
        """After an error in a frame (the frame guard): the match in its own slot."""
        game = self.current_game()
        if game is None:
            return None
        try:
            info = save.save_game(save.slot_path(save.EMERGENCY_SLOT), game.world, game.bots,
                                  game.difficulty, game.viewer, {}, save.EMERGENCY_SLOT)
        except Exception:  # noqa: BLE001 - the state may be what broke; the dialog says so
            return None
        return info.path.stem

    def load_slot(self, slot: str) -> bool:
        return self.load_file(save.slot_path(slot))

    def load_file(self, path: Path) -> bool:
        """Load a save and play it; a bad file is explained and changes nothing."""
        self.finish_saves()
        try:
            saved = save.load_game(path)
        except save.SaveError as error:
            self._tell(say(error.key, self.settings.language), BAD)
            return False
        self.resume(saved)
        self._tell(say("game_loaded", self.settings.language, slot=path.stem), GOOD)
        return True

    def resume(self, saved: save.SavedGame) -> GameScreen:
        """A loaded match on screen, its command log as it was (every entry finished)."""
        self.stop_recording()
        self._free_screen()
        self._loading()
        game = GameScreen(self, saved.world, saved.bots, saved.difficulty, saved.viewer)
        self._attach_language(game).orders.restore(saved.command_log)
        if self.record_replays:  # recorded from the loaded state (game.replay.start_state)
            self.recorder = start_recording(game, self.replay_file)
        self.show(game)
        return game

    def _attach_language(self, game: GameScreen) -> LanguageLayer:
        """Typed orders and the advisor for a match. Imported here, not at the top: the
        rules parser's tables take a fifth of a second to build, which the title screen
        need not wait for (the first match's loading screen hides it)."""
        from game.ui.language_layer import LanguageLayer

        game.language = LanguageLayer(game, self.model)
        return game.language

    def _tell(self, text: str, color: tuple[int, int, int]) -> None:
        if isinstance(self.screen, GameScreen):
            self.screen.toast(text, color)
        elif isinstance(self.screen, TitleScreen):
            self.screen.message = text

    def leave_to_title(self) -> None:
        """"Quit to title": the match is autosaved first."""
        self.autosave()
        self.finish_saves()  # so that "Continue" finds it
        self.show_title()

    def quit_game(self) -> None:
        """The window's close button or "Quit": the match is autosaved first."""
        self.autosave()
        self.finish_saves()
        self.quit()

    # -- the model process ------------------------------------------------------------------
    def model_path(self) -> str:
        return str(resolve_model_path(self.model_override, self.settings.model_file))

    def start_model(self) -> None:
        """Start the one model process, unless the file cannot be a model (then say why)."""
        path = self.model_path()
        reason = validate_model_file(path)
        if reason is not None:
            self.model.reason = reason  # the HUD shows it; the game plays on without the model
            return
        self.model.start(path)

    def restart_model(self) -> None:
        """Menu action: the old process is stopped and reaped before a new one starts."""
        self.model.shutdown()
        self.start_model()

    def _debug_model_line(self, lang: str) -> str:
        m = self.model
        latency = f"{m.last_latency_ms:.0f}" if m.last_latency_ms is not None else "-"
        return say("debug_model", lang, state=m.state, queue=m.queue_length, ms=latency)

    def _loading(self) -> None:
        self.surface.fill(BG)
        draw_text(self.surface, say("loading", self.settings.language),
                  (WINDOW_SIZE[0] // 2, WINDOW_SIZE[1] // 2), 24, ACCENT, "bold", anchor="center")
        pygame.display.flip()

    def quit(self) -> None:
        self.stop_recording()
        self.running = False

    def save_settings(self) -> None:
        """Write the settings. A full disk or a read-only user folder does not stop the
        game (the settings stay as chosen for this session), and the player is told."""
        try:
            settings_store.save(self.settings)
        except OSError as error:
            LOG.warning("settings not saved: %s", error)
            self._tell(say(save.write_error_key(error, "settings"), self.settings.language),
                       BAD)

    # -- the loop ------------------------------------------------------------------------
    def run(self, max_frames: int | None = None) -> None:
        last = time.perf_counter()
        while self.running and (max_frames is None or self.frames < max_frames):
            now = time.perf_counter()
            self.frame_dt = min(now - last, MAX_FRAME_SECONDS)
            last = now
            self.step_frame()
            self.pacer.wait()

    def step_frame(self) -> None:
        """One frame: hooks, model results, input, update, draw, flip. Each part runs
        under the frame guard: an exception is logged and shown to the player, the
        other parts still run (so the dialog can be closed), and the match goes on."""
        start = time.perf_counter()
        guarded = self.guard.run
        while self._soon:
            guarded(self._soon.pop(0))
        guarded(self._run_hooks)
        if self.saves.busy:
            guarded(lambda: self._announce_saves(self.saves.finished()))
        guarded(self._deliver_model_results)
        guarded(self._dispatch_events)
        if not self.guard.showing:  # the match waits while the player reads the dialog
            guarded(lambda: self.screen.update(self.frame_dt))
        guarded(lambda: self.screen.draw(self.surface))
        guarded(lambda: self.guard.draw(self.surface))
        pygame.display.flip()
        self.debug.record_frame(self.frame_dt * 1000.0, (time.perf_counter() - start) * 1000.0)
        self.frames += 1

    def _run_hooks(self) -> None:
        for hook in self.frame_hooks:
            hook(self)

    def _deliver_model_results(self) -> None:
        for result in self.model.poll():  # never blocks: poll(0) on the pipe
            handler = getattr(self.screen, "on_model_result", None)
            if handler is not None:
                handler(result)

    def _dispatch_events(self) -> None:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                self.quit_game()
            elif self.guard.showing:
                self.guard.handle(event)
            else:
                self.screen.handle(event)


def run_play(model_path: str | None = None, save_file: str | None = None) -> int:
    """`python main.py`: the title screen, then matches until the player quits;
    `main.py load FILE` starts with that save (a bad one is explained on the title screen)."""
    app = App(settings_store.load(), model_path=model_path)
    if save_file is not None:
        app.load_file(Path(save_file))
    try:
        app.run()
    finally:
        app.saves.wait()
        app.stop_recording()
        app.model.shutdown()
        pygame.quit()
    return 0


class ResourceMeter:
    """Memory of the game and the model process for the F3 overlay, sampled once a
    second (psutil calls are too slow for every frame)."""

    def __init__(self, model: LLMClient) -> None:
        self.model = model
        self._process = psutil.Process()
        self._sampled = -1.0
        self._game_mb = 0.0
        self._model_mb: float | None = None

    def line(self, lang: str) -> str:
        now = time.perf_counter()
        if now - self._sampled >= 1.0:
            self._sampled = now
            self._game_mb = self._process.memory_info().rss / 2**20
            model = self.model.child_rss()
            self._model_mb = model / 2**20 if model is not None else None
        model_text = f"{self._model_mb:.0f}" if self._model_mb is not None else "-"
        return say("debug_memory", lang, game=f"{self._game_mb:.0f}", model=model_text)
