"""Screen layout, colours and fonts shared by every part of the interface.

The layout is one table of rectangles. Panels the lead adds later (command
log and bar, advisor, model status) already have their rectangle here, so
they only need a draw function.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import pygame

from game import paths

WINDOW_SIZE = (1280, 720)
TILE = 32  # pixels per map tile at zoom 1

Color = tuple[int, int, int]

TEAM_COLORS: tuple[Color, Color] = ((58, 118, 232), (214, 52, 44))
TEAM_LIGHT: tuple[Color, Color] = ((140, 186, 255), (255, 140, 120))

BG = (18, 21, 26)
PANEL = (32, 37, 45)
PANEL_LIGHT = (48, 55, 66)
PANEL_EDGE = (78, 88, 104)
TEXT = (226, 230, 236)
TEXT_DIM = (140, 148, 160)
ACCENT = (240, 196, 72)
GOOD = (92, 214, 110)
WARN = (246, 170, 60)
BAD = (232, 72, 64)
SELECT = (120, 255, 140)


@dataclass(frozen=True)
class Layout:
    """Where each part of the game screen lives (screen pixels)."""

    top_bar: pygame.Rect
    map_view: pygame.Rect
    sidebar: pygame.Rect
    minimap: pygame.Rect
    # Reserved for panels added later; nothing else draws there.
    advisor: pygame.Rect  # collapsible panel on the map, beside the minimap
    command_log: pygame.Rect  # bottom-left of the map view, above the command bar
    command_bar: pygame.Rect
    model_status: pygame.Rect  # small indicator in the top bar
    toasts: pygame.Rect  # message line, top-centre of the map view


def default_layout() -> Layout:
    w, h = WINDOW_SIZE
    top_h, side_w = 28, 240
    map_view = pygame.Rect(0, top_h, w - side_w, h - top_h)
    sidebar = pygame.Rect(map_view.right, top_h, side_w, h - top_h)
    minimap = pygame.Rect(sidebar.x + 8, sidebar.y + 8, side_w - 16, side_w - 16)
    bar = pygame.Rect(map_view.x + 8, map_view.bottom - 36, 560, 28)
    return Layout(
        top_bar=pygame.Rect(0, 0, w, top_h),
        map_view=map_view,
        sidebar=sidebar,
        minimap=minimap,
        advisor=pygame.Rect(map_view.right - 300, map_view.y + 8, 292, 236),
        command_log=pygame.Rect(bar.x, bar.y - 128, bar.width, 120),
        command_bar=bar,
        model_status=pygame.Rect(w - side_w - 230, 4, 222, top_h - 8),  # fits "offline" in FR
        toasts=pygame.Rect(map_view.x + 180, map_view.y + 8, map_view.width - 500, 120),
    )


FONT_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "mono": "DejaVuSansMono.ttf",
}


@cache
def font(size: int, style: str = "regular") -> pygame.font.Font:
    return pygame.font.Font(str(paths.asset("fonts", FONT_FILES[style])), size)


class TextCache:
    """Rendered strings are reused: the HUD redraws the same words every frame."""

    def __init__(self, limit: int = 800) -> None:
        self._cache: dict[tuple[str, int, str, Color], pygame.Surface] = {}
        self._limit = limit

    def clear(self) -> None:
        self._cache.clear()

    def render(self, text: str, size: int, color: Color = TEXT,
               style: str = "regular") -> pygame.Surface:
        key = (text, size, style, color)
        surf = self._cache.get(key)
        if surf is None:
            if len(self._cache) >= self._limit:
                self._cache.clear()
            surf = font(size, style).render(text, True, color)
            self._cache[key] = surf
        return surf


TEXT_CACHE = TextCache()


def reset_caches() -> None:
    """Fonts die with pygame.font.quit(): a new window starts with fresh caches."""
    font.cache_clear()
    TEXT_CACHE.clear()


def text(text_: str, size: int, color: Color = TEXT, style: str = "regular") -> pygame.Surface:
    return TEXT_CACHE.render(text_, size, color, style)


def draw_text(surface: pygame.Surface, text_: str, pos: tuple[int, int], size: int,
              color: Color = TEXT, style: str = "regular", anchor: str = "topleft",
              shadow: bool = False) -> pygame.Rect:
    img = text(text_, size, color, style)
    rect = img.get_rect(**{anchor: pos})
    if shadow:
        surface.blit(text(text_, size, (0, 0, 0), style), rect.move(1, 1))
    surface.blit(img, rect)
    return rect


@lru_cache(maxsize=512)
def fit_text(text_: str, size: int, width: int, style: str = "regular",
             min_size: int = 11) -> tuple[str, int]:
    """(text, font size) that fit `width` pixels: the given size if the text fits, else
    a smaller one down to min_size, else cut in the middle with "…" at min_size, so a
    file name keeps its start and its extension."""
    for points in range(size, min_size - 1, -1):
        if font(points, style).size(text_)[0] <= width:
            return text_, points
    f = font(min_size, style)
    for keep in range(len(text_) - 1, 0, -1):
        head, tail = (keep + 1) // 2, keep // 2
        short = text_[:head] + "…" + (text_[-tail:] if tail else "")
        if f.size(short)[0] <= width:
            return short, min_size
    return "…", min_size


def wrap(text_: str, size: int, width: int, style: str = "regular") -> list[str]:
    """Split text into lines that fit `width` pixels."""
    f = font(size, style)
    lines: list[str] = []
    for paragraph in text_.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if f.size(candidate)[0] <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


@cache
def veil_surface(size: tuple[int, int], rgba: tuple[int, int, int, int]) -> pygame.Surface:
    """A translucent fill, made once per size and colour (not every frame)."""
    surf = pygame.Surface(size, pygame.SRCALPHA)
    surf.fill(rgba)
    return surf


def panel(surface: pygame.Surface, rect: pygame.Rect, color: Color = PANEL,
          edge: Color = PANEL_EDGE, alpha: int = 255, radius: int = 6) -> None:
    if alpha >= 255:
        pygame.draw.rect(surface, color, rect, border_radius=radius)
    else:
        overlay = pygame.Surface(rect.size, pygame.SRCALPHA)
        pygame.draw.rect(overlay, (*color, alpha), overlay.get_rect(), border_radius=radius)
        surface.blit(overlay, rect)
    pygame.draw.rect(surface, edge, rect, 1, border_radius=radius)


def shade(color: Color, factor: float) -> Color:
    """Darker (< 1) or lighter (> 1) version of a colour."""
    if factor <= 1.0:
        return tuple(int(c * factor) for c in color)  # type: ignore[return-value]
    return tuple(int(c + (255 - c) * (factor - 1.0)) for c in color)  # type: ignore[return-value]
