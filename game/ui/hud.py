"""Heads-up display: top bar, message line (toasts), tooltips, debug overlay."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from game.rules import TICKS_PER_SECOND
from game.ui.messages import say
from game.ui.theme import (
    ACCENT,
    BAD,
    PANEL,
    PANEL_EDGE,
    TEXT,
    TEXT_DIM,
    Color,
    Layout,
    draw_text,
    panel,
    text,
    wrap,
)
from game.world import World

TOAST_SECONDS = 5.0
MAX_TOASTS = 5


def clock_text(ticks: int) -> str:
    seconds = ticks // TICKS_PER_SECOND
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class TopBar:
    def __init__(self, layout: Layout) -> None:
        self.rect = layout.top_bar

    def draw(self, surface: pygame.Surface, world: World, lang: str, speed: float,
             paused: bool, difficulty: str) -> None:
        pygame.draw.rect(surface, (22, 25, 31), self.rect)
        pygame.draw.line(surface, PANEL_EDGE, self.rect.bottomleft, self.rect.bottomright, 1)
        y = self.rect.centery
        draw_text(surface, "RTS Commander", (10, y), 14, ACCENT, "bold", anchor="midleft")
        x = 160
        x = draw_text(surface, clock_text(world.tick), (x, y), 14, TEXT, "mono",
                      anchor="midleft").right + 18
        x = draw_text(surface, say("speed", lang, speed=_speed_text(speed)), (x, y), 12,
                      TEXT_DIM, anchor="midleft").right + 18
        x = draw_text(surface, say("difficulty_label", lang,
                                   level=say(f"difficulty_{difficulty}", lang)),
                      (x, y), 12, TEXT_DIM, anchor="midleft").right + 18
        me = world.players[0]
        if me.low_power:
            x = draw_text(surface, say("low_power", lang), (x, y), 12, BAD, "bold",
                          anchor="midleft").right + 18
        if paused:
            draw_text(surface, say("paused", lang), (x, y), 12, ACCENT, "bold", anchor="midleft")


def _speed_text(speed: float) -> str:
    return f"{speed:g}"


@dataclass
class Toast:
    text: str
    color: Color
    age: float = 0.0


class Toasts:
    """The message line: recent rejections and alerts, newest last, fading out."""

    def __init__(self, rect: pygame.Rect) -> None:
        self.rect = rect
        self.items: list[Toast] = []

    def push(self, message: str, color: Color = TEXT) -> None:
        for t in self.items:
            if t.text == message:  # the same message again: refresh it, do not repeat it
                t.age = 0.0
                t.color = color
                return
        self.items.append(Toast(message, color))
        del self.items[:-MAX_TOASTS]

    def update(self, dt: float) -> None:
        for t in self.items:
            t.age += dt
        self.items = [t for t in self.items if t.age < TOAST_SECONDS]

    def draw(self, surface: pygame.Surface) -> None:
        y = self.rect.y
        for t in self.items:
            img = text(t.text, 14, TEXT, "bold")
            fade = min(1.0, (TOAST_SECONDS - t.age) / 1.0)
            box = img.get_rect(midtop=(self.rect.centerx, y)).inflate(24, 8)
            panel(surface, box, (12, 14, 18), t.color, alpha=int(215 * fade), radius=5)
            surface.fill(t.color, (box.x + 5, box.y + 5, 4, box.height - 10))
            img.set_alpha(int(255 * fade))
            surface.blit(img, img.get_rect(center=(box.centerx + 4, box.centery)))
            img.set_alpha(255)
            y = box.bottom + 4


def draw_tooltip(surface: pygame.Surface, lines: list[str], pos: tuple[int, int]) -> None:
    """A box left of `pos`: the first line is the title; lines starting "! " are warnings."""
    width = 230
    rows: list[tuple[str, int, str, Color]] = []
    for i, line in enumerate(lines):
        style = "bold" if i == 0 else "regular"
        size = 13 if i == 0 else 12
        color = BAD if line.startswith("! ") else TEXT if i == 0 else TEXT_DIM
        for part in wrap(line.removeprefix("! "), size, width - 16, style):
            rows.append((part, size, style, color))
    box = pygame.Rect(pos[0] - width - 12, pos[1], width, sum(r[1] + 4 for r in rows) + 10)
    box.clamp_ip(surface.get_rect())
    panel(surface, box, PANEL, ACCENT, alpha=235, radius=5)
    y = box.y + 6
    for line, size, style, color in rows:
        draw_text(surface, line, (box.x + 8, y), size, color, style)
        y += size + 4


class DebugOverlay:
    """F3: frame rate, a frame-time graph, and lines anyone can add with add_line()."""

    GRAPH_FRAMES = 180
    WIDTH = 300  # pixels: room for the longest line, in French, at 12 pt mono

    def __init__(self) -> None:
        self.visible = False
        self.frame_ms: deque[float] = deque(maxlen=self.GRAPH_FRAMES)  # frame to frame
        self.work_ms: deque[float] = deque(maxlen=self.GRAPH_FRAMES)  # busy part of a frame
        self.tick_ms: deque[float] = deque(maxlen=60)
        self._lines: list[Callable[[str], str]] = []

    def add_line(self, provider: Callable[[str], str]) -> None:
        """Register a function (language -> one line of text) shown under the graph."""
        self._lines.append(provider)

    def record_frame(self, interval_ms: float, work_ms: float) -> None:
        self.frame_ms.append(interval_ms)
        self.work_ms.append(work_ms)

    def record_tick(self, ms: float) -> None:
        self.tick_ms.append(ms)

    def draw(self, surface: pygame.Surface, origin: tuple[int, int], lang: str) -> None:
        if not self.visible:
            return
        frames = list(self.frame_ms)
        mean = sum(frames) / len(frames) if frames else 0.0
        fps = 1000.0 / mean if mean else 0.0
        ticks = list(self.tick_ms)
        work = list(self.work_ms)
        lines = [say("debug_fps", lang, fps=f"{fps:.0f}", ms=f"{mean:.1f}",
                     worst=f"{max(frames, default=0):.1f}"),
                 say("debug_work", lang, ms=f"{(sum(work) / len(work)) if work else 0:.1f}",
                     worst=f"{max(work, default=0):.1f}"),
                 say("debug_tick", lang, ms=f"{(sum(ticks) / len(ticks)) if ticks else 0:.2f}",
                     worst=f"{max(ticks, default=0):.2f}")]
        lines += [provider(lang) for provider in self._lines]
        box = pygame.Rect(origin[0], origin[1], self.WIDTH, 76 + 16 * len(lines))
        panel(surface, box, (8, 10, 12), PANEL_EDGE, alpha=200, radius=4)
        graph = pygame.Rect(box.x + 6, box.y + 6, box.width - 12, 60)
        surface.fill((20, 24, 28), graph)
        budget_y = graph.bottom - int(graph.height * 16.7 / 50)
        pygame.draw.line(surface, (70, 120, 70), (graph.x, budget_y), (graph.right, budget_y))
        step = graph.width / self.GRAPH_FRAMES
        for i, ms in enumerate(frames):
            h = min(graph.height, int(graph.height * ms / 50))
            color = (110, 210, 110) if ms <= 17.5 else (240, 190, 60) if ms <= 33 else BAD
            surface.fill(color, (graph.x + int(i * step), graph.bottom - h, max(1, int(step)), h))
        y = graph.bottom + 6
        for line in lines:
            draw_text(surface, line, (box.x + 8, y), 12, TEXT, "mono")
            y += 16
