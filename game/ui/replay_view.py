"""Watching replays: the list of recorded matches, and a GameScreen that plays one.

The replay screen is the game screen with its world driven by the replay's
orders instead of bots and input: the player can select, scroll and use the
minimap, but nothing they do issues an order. Controls: pause, 1x to 8x, a
minute forward or back, and a timeline to click. Seeking forward runs the
simulation without drawing; going back starts from the latest keyframe before
the target (a saved state taken each minute as playback passes), else from the
start. Both run at full speed for a slice of each frame, so the window stays
responsive. Typed orders appear in the command log at the tick they were typed,
and change as they did during the match.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame

from game import paths
from game.commands import Outcome
from game.replay import MAX_HEADER_CHARS, Keyframes, Playback, Replay, ReplayError, load
from game.replay import header_from_json as parse_header
from game.rules import TICKS_PER_SECOND
from game.ui.hud import TopBar, clock_text
from game.ui.language_panels import CommandLogView
from game.ui.loop import FixedStep
from game.ui.messages import say
from game.ui.minimap import Minimap
from game.ui.orders_desk import LogEntry, OrderDesk
from game.ui.session import GameScreen
from game.ui.theme import (
    ACCENT,
    BAD,
    PANEL,
    PANEL_EDGE,
    TEXT,
    TEXT_DIM,
    WINDOW_SIZE,
    draw_text,
    panel,
)
from game.ui.widgets import Button, handle_buttons
from llm.translator import Ticket, Translator

if TYPE_CHECKING:
    from game.orders import Order
    from game.ui.app import App
    from game.world import World

SPEEDS = (1, 2, 4, 8)
TICKS_PER_MINUTE = 60 * TICKS_PER_SECOND
SEEK_SLICE = 0.03  # seconds of each frame spent simulating while seeking
LIST_ROWS = 10
TAIL_BYTES = 4096  # the end of a file holds its length and winner


# -- the list of replays ------------------------------------------------------------------
@dataclass(frozen=True)
class ReplayInfo:
    path: Path
    label_key: str  # replay_row, or replay_row_refused for another version
    params: dict[str, Any]


def describe(path: Path) -> ReplayInfo:
    """What the list shows, read from the first and last lines only (fast for long files)."""
    date = path.stem[:13]
    try:
        with open(path, "rb") as f:
            first = f.readline(MAX_HEADER_CHARS + 1)
            f.seek(max(0, path.stat().st_size - TAIL_BYTES))
            tail = f.read().decode("utf-8", "replace").splitlines()
        header = parse_header(json.loads(first))
    except ReplayError as err:
        return ReplayInfo(path, "replay_row_refused", {"date": date, "reason_key": err.key,
                                                       "reason": err.params})
    except (OSError, ValueError):
        return ReplayInfo(path, "replay_row_refused",
                          {"date": date, "reason_key": "replay_not_a_replay", "reason": {}})
    tick, result = 0, "replay_unfinished"
    for line in reversed(tail):
        try:
            record = json.loads(line)
            tick = int(record["t"])
        except (ValueError, KeyError, TypeError):
            continue
        end = record.get("end")
        if isinstance(end, dict):
            winner = end.get("winner")
            result = "replay_unfinished" if winner is None else \
                "replay_won" if winner == 0 else "replay_lost"
        break
    return ReplayInfo(path, "replay_row", {"date": header.recorded_at or date,
                                           "length": clock_text(tick), "result": result,
                                           "level": header.difficulty})


def list_replays() -> list[Path]:
    return sorted(paths.replays_dir().glob("*.jsonl"), key=lambda p: p.stat().st_mtime,
                  reverse=True)


class ReplayList:
    """From the title screen: the recorded matches, newest first; click one to watch."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.infos = [describe(p) for p in list_replays()]
        self.error = ""
        w, _ = WINDOW_SIZE
        self.panel = pygame.Rect(0, 0, 760, 120 + LIST_ROWS * 40 + 70)
        self.panel.center = (w // 2, WINDOW_SIZE[1] // 2)
        self.first = 0  # the list scrolls (mouse wheel, arrow keys) when it is longer
        self.rows = [Button(pygame.Rect(self.panel.x + 30, self.panel.y + 80 + i * 40,
                                        self.panel.width - 60, 34),
                            self._row_label(i), self._opener(i))
                     for i in range(min(LIST_ROWS, len(self.infos)))]
        back = pygame.Rect(0, 0, 220, 44)
        back.midbottom = (self.panel.centerx, self.panel.bottom - 16)
        self.back = Button(back, lambda: self._say("replays_back"), app.show_title,
                           pygame.K_ESCAPE)

    def _say(self, key: str, /, **params: object) -> str:
        return say(key, self.app.settings.language, **params)

    def info(self, row: int) -> ReplayInfo:
        return self.infos[self.first + row]

    def _row_label(self, row: int):
        def label() -> str:
            info = self.info(row)
            params = dict(info.params)
            if info.label_key == "replay_row_refused":
                params["reason"] = self._say(params.pop("reason_key"), **params.pop("reason"))
            else:
                params["result"] = self._say(params["result"])
                params["level"] = self._say(f"difficulty_{params['level']}")
            return self._say(info.label_key, **params)
        return label

    def _opener(self, row: int):
        return lambda: self.open(self.info(row).path)

    def scroll(self, rows: int) -> None:
        self.first = min(max(0, len(self.infos) - LIST_ROWS), max(0, self.first + rows))

    def open(self, path: Path) -> None:
        try:
            self.app.watch_replay(load(path))
        except ReplayError as err:  # the screen stays: the reason shows under the list
            self.error = err.text(self.app.settings.language)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEWHEEL:
            self.scroll(-event.y)
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            self.scroll(1 if event.key == pygame.K_DOWN else -1)
        elif not self.back.handle(event):
            handle_buttons(self.rows, event)

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill((14, 18, 26))
        p = self.panel
        panel(surface, p, PANEL, ACCENT, alpha=245, radius=12)
        draw_text(surface, self._say("replays_title"), (p.centerx, p.y + 40), 28, ACCENT, "bold",
                  anchor="center")
        mouse = pygame.mouse.get_pos()
        if not self.rows:
            draw_text(surface, self._say("replays_none"), (p.centerx, p.y + 120), 16, TEXT_DIM,
                      anchor="center")
        for row in self.rows:
            row.draw(surface, mouse)
        if self.error:
            draw_text(surface, self.error, (p.centerx, self.back.rect.y - 18), 14, BAD, "bold",
                      anchor="center")
        self.back.draw(surface, mouse)


# -- watching one ------------------------------------------------------------------------------
class ReplayClock(FixedStep):
    """The match's fixed step, with a catch-up allowance that grows with the speed:
    8x is 160 ticks a second, more than a match's per-frame cap at a low frame rate."""

    def __init__(self) -> None:
        super().__init__(TICKS_PER_SECOND)
        self.speed = 1

    def set_speed(self, speed: int) -> None:
        self.speed = speed
        self.set_rate(TICKS_PER_SECOND * speed)

    def advance(self, dt: float) -> int:
        ticks = 0
        for _ in range(self.speed):  # each slice keeps the match's cap of catch-up ticks
            ticks += super().advance(dt / self.speed)
        return ticks


class ReplaySpeedBar:
    """The top bar showing the replay's speed (1x-8x), not the game speed setting."""

    def __init__(self, bar: TopBar, speed: Callable[[], int]) -> None:
        self.bar = bar
        self.speed = speed

    def draw(self, surface: pygame.Surface, world: World, lang: str, speed: float,
             paused: bool, difficulty: str) -> None:
        self.bar.draw(surface, world, lang, float(self.speed()), paused, difficulty)


class ReplayScreen(GameScreen):
    """A match played back from its replay, seen as the player saw it (their fog)."""

    def __init__(self, app: App, replay: Replay) -> None:
        self.replay = replay
        self.playback = Playback(replay)
        self.playback.check_start()
        self.keyframes = Keyframes(TICKS_PER_MINUTE)
        super().__init__(app, self.playback.world, [], replay.header.difficulty)
        self.speed = SPEEDS[0]
        self.stepper = ReplayClock()
        self.topbar = ReplaySpeedBar(self.topbar, lambda: self.speed)
        self.seek_target: int | None = None
        self.desk = OrderDesk(Translator(None), self.viewer)  # the log's entries, nothing more
        self.log = CommandLogView(self.layout.command_log, self.desk)
        self._typed_index = 0
        self._entries: dict[int, LogEntry] = {}
        below = self.layout.command_bar  # no command bar in a replay: the controls go there
        self.bar = pygame.Rect(below.x, below.y - 8, below.width, below.height + 8)
        self.timeline = pygame.Rect(self.bar.x + 10, self.bar.bottom - 11, self.bar.width - 20, 6)
        self.overlays.append(self._draw_controls)
        self._show_typed()

    # -- no orders, no end screen -----------------------------------------------------
    def issue(self, order: Order) -> bool:
        return False  # a replay is watched, not played

    @property
    def end(self) -> None:
        return None  # the end of the match is the end of the replay: the controls stay

    @end.setter
    def end(self, value: object) -> None:
        pass

    @property
    def finished(self) -> bool:
        return self.playback.finished

    @property
    def running(self) -> bool:
        return self.menu is None and not self.paused and not self.finished \
            and self.seek_target is None

    # -- input --------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            self._key(event.key)
            return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 \
                and self.bar.collidepoint(event.pos):
            if self.timeline.inflate(0, 14).collidepoint(event.pos):
                self.seek_minute(self._minute_at(event.pos[0]))
            return
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP) and (
                event.button != 1 or self._on_sidebar(event.pos)):
            return  # right clicks and the sidebar give orders in a match
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP,
                          pygame.MOUSEWHEEL):
            self.input.handle(event)

    def _on_sidebar(self, pos: tuple[int, int]) -> bool:
        layout = self.layout
        return layout.sidebar.collidepoint(pos) and not layout.minimap.collidepoint(pos)

    def _key(self, key: int) -> None:
        if key == pygame.K_ESCAPE:
            self.app.show_replays()
        elif key in (pygame.K_SPACE, pygame.K_p):
            self.paused = not self.paused
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.set_speed(+1)
        elif key in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.set_speed(-1)
        elif key == pygame.K_RIGHTBRACKET:
            self.seek_minute(self.world.tick // TICKS_PER_MINUTE + 1)
        elif key == pygame.K_LEFTBRACKET:
            # Back to the start of this minute, or of the one before when just past it.
            self.seek_minute(max(0, (self.world.tick - TICKS_PER_SECOND) // TICKS_PER_MINUTE))
        elif key == pygame.K_HOME:
            self.seek_minute(0)
        elif key == pygame.K_F3:
            self.debug.visible = not self.debug.visible

    def set_speed(self, step: int) -> None:
        i = SPEEDS.index(self.speed)
        self.speed = SPEEDS[min(len(SPEEDS) - 1, max(0, i + step))]
        self.stepper.set_speed(self.speed)

    def change_speed(self, step: int) -> None:  # GameScreen's + and -: the replay's speeds
        self.set_speed(step)

    def _minute_at(self, x: int) -> int:
        k = min(1.0, max(0.0, (x - self.timeline.x) / max(1, self.timeline.width)))
        return round(k * self.replay.length / TICKS_PER_MINUTE)

    # -- seeking -------------------------------------------------------------------------
    def seek_minute(self, minute: int) -> None:
        """Go to that minute of the match (the end if it is later). Back means the
        latest keyframe before it (or the start), then forward without drawing."""
        target = min(self.replay.length, max(0, minute) * TICKS_PER_MINUTE)
        if target < self.world.tick:
            keyframe = self.keyframes.before(target)
            self._restart(None if keyframe is None else self.keyframes.world_at(keyframe))
        self.seek_target = target

    def _restart(self, world: World | None) -> None:
        """A new world (a keyframe's, else the replay's start); the renderers follow it."""
        self.playback = Playback(self.replay, world)
        self.world = self.playback.world
        self.fog = type(self.fog)(self.world.players[self.viewer], self.world.tiles.width,
                                  self.world.tiles.height)
        self.terrain = type(self.terrain)(self.world.tiles, self.world.seed)
        self.minimap = Minimap(self.layout.minimap, self.world.tiles)
        self.entities.forget_dead(self.world)
        self.input.selection.clear()
        self.desk.entries.clear()
        self._entries.clear()
        self._typed_index = 0
        self._show_typed()

    def _seek_some(self) -> None:
        """Simulate towards the target for a slice of this frame, without drawing."""
        assert self.seek_target is not None
        deadline = pygame.time.get_ticks() + SEEK_SLICE * 1000
        while self.world.tick < self.seek_target and pygame.time.get_ticks() < deadline:
            self.keyframes.passed(self.world)
            self.playback.step()
            self._show_typed()
        if self.world.tick >= self.seek_target:
            self.seek_target = None
            self.stepper.hold()
            self._chores(1.0)

    # -- simulation ------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.seek_target is not None:
            self._seek_some()
        super().update(dt)

    def run_tick(self) -> None:
        self.keyframes.passed(self.world)
        for order in self.replay.orders.get(self.world.tick, ()):
            self.world.issue(order)
        super().run_tick()
        self._show_typed()

    def _show_typed(self) -> None:
        """The command log as it was at this tick: typed orders and what they became."""
        typed, tick = self.replay.typed, self.world.tick
        while self._typed_index < len(typed) and typed[self._typed_index][0] <= tick:
            self._log(typed[self._typed_index][1])
            self._typed_index += 1

    def _log(self, record: dict[str, Any]) -> None:
        entry = self._entries.get(record["id"])
        if entry is None:
            ticket = Ticket(record["id"], record["text"], record["lang"])
            entry = self._entries[record["id"]] = LogEntry(ticket, ())
            self.desk.entries.append(entry)
        ticket = entry.ticket
        ticket.status, ticket.tier, ticket.message = record["status"], record["tier"], \
            record["message"]
        entry.outcomes = [Outcome(None, status, text) for status, text in record["lines"]]

    # -- drawing ---------------------------------------------------------------------------
    def _draw_paused(self, surface: pygame.Surface) -> None:
        pass  # the control bar says it

    def _draw_controls(self, surface: pygame.Surface) -> None:
        self.log.draw(surface)
        bar = self.bar
        panel(surface, bar, PANEL, PANEL_EDGE, alpha=225, radius=5)
        if self.seek_target is not None:
            state = self.say("replay_seeking", time=clock_text(self.seek_target))
        elif self.finished:
            state = self.say("replay_ended")
        elif self.paused:
            state = self.say("replay_paused")
        else:
            state = f"{self.speed}x"
        length = self.replay.length
        head = self.say("replay_position", time=clock_text(self.world.tick),
                        length=clock_text(length))
        draw_text(surface, f"{head} · {state}", (bar.x + 10, bar.y + 3), 12, ACCENT, "bold")
        draw_text(surface, self.say("replay_hint"), (bar.right - 10, bar.y + 3), 11, TEXT_DIM,
                  anchor="topright")
        line = self.timeline
        pygame.draw.rect(surface, PANEL_EDGE, line, border_radius=3)
        done = line.copy()
        done.width = int(line.width * min(1.0, self.world.tick / max(1, length)))
        pygame.draw.rect(surface, ACCENT, done, border_radius=3)
        for minute in range(1, length // TICKS_PER_MINUTE + 1):
            x = line.x + int(line.width * minute * TICKS_PER_MINUTE / max(1, length))
            pygame.draw.line(surface, TEXT, (x, line.y), (x, line.bottom - 1))


def run_watch(path: str) -> int:
    """`main.py replay FILE`: the game window, watching that replay (Esc: the list)."""
    from game import settings as settings_store
    from game.ui.app import App

    try:
        replay = load(path)
        Playback(replay).check_start()  # refused here, before a window opens
    except ReplayError as err:
        print(f"{path}: {err}", file=sys.stderr)
        return 2
    app = App(settings_store.load(), start_model=False)
    try:
        app.watch_replay(replay)
        app.run()
    finally:
        app.model.shutdown()
        pygame.quit()
    return 0
