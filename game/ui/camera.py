"""The camera: which part of the map the map view shows, and coordinate conversions."""

from __future__ import annotations

import pygame

from game.ui.theme import TILE

SCROLL_SPEED = 900.0  # pixels per second for keys and screen edges
EDGE_MARGIN = 6  # pixels from the window border that scroll the map


class Camera:
    def __init__(self, view: pygame.Rect, map_tiles: tuple[int, int]) -> None:
        self.view = view
        self.world_w = map_tiles[0] * TILE
        self.world_h = map_tiles[1] * TILE
        self.x = 0.0  # world pixel at the view's top-left corner
        self.y = 0.0

    def clamp(self) -> None:
        self.x = max(0.0, min(self.x, self.world_w - self.view.width))
        self.y = max(0.0, min(self.y, self.world_h - self.view.height))

    def scroll(self, dx: float, dy: float) -> None:
        self.x += dx
        self.y += dy
        self.clamp()

    def center_on(self, tx: float, ty: float) -> None:
        """Centre the view on a map position given in tiles."""
        self.x = tx * TILE - self.view.width / 2
        self.y = ty * TILE - self.view.height / 2
        self.clamp()

    @property
    def center_tile(self) -> tuple[float, float]:
        return ((self.x + self.view.width / 2) / TILE, (self.y + self.view.height / 2) / TILE)

    def to_screen(self, tx: float, ty: float) -> tuple[int, int]:
        """Screen pixel of a map position in tiles."""
        return (int(tx * TILE - self.x) + self.view.x, int(ty * TILE - self.y) + self.view.y)

    def to_tiles(self, sx: int, sy: int) -> tuple[float, float]:
        """Map position in tiles under a screen pixel."""
        return ((sx - self.view.x + self.x) / TILE, (sy - self.view.y + self.y) / TILE)

    def to_cell(self, sx: int, sy: int) -> tuple[int, int]:
        tx, ty = self.to_tiles(sx, sy)
        return int(tx), int(ty)

    def visible_tiles(self, margin: int = 1) -> tuple[int, int, int, int]:
        """Tile range (x0, y0, x1, y1), end exclusive, covering the view plus a margin."""
        x0 = int(self.x // TILE) - margin
        y0 = int(self.y // TILE) - margin
        x1 = int((self.x + self.view.width) // TILE) + 1 + margin
        y1 = int((self.y + self.view.height) // TILE) + 1 + margin
        return x0, y0, x1, y1

    def tile_rect(self) -> tuple[float, float, float, float]:
        """The view in tiles: x, y, width, height."""
        return self.x / TILE, self.y / TILE, self.view.width / TILE, self.view.height / TILE
