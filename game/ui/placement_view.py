"""The ghost preview of a building being placed, and the build range around the base."""

from __future__ import annotations

import pygame

from game import placement
from game.rules import BUILDING_TYPES, ECONOMY
from game.ui.camera import Camera
from game.ui.sprites import SpriteBank
from game.ui.theme import TILE
from game.world import World

OUT_OF_RANGE_ALPHA = 90
CELL_OK = (80, 230, 110, 90)
CELL_BAD = (240, 60, 50, 120)


class PlacementView:
    def __init__(self, sprites: SpriteBank, viewer: int) -> None:
        self.sprites = sprites
        self.viewer = viewer
        self._range_key: tuple[int, ...] = ()
        self._range_map: pygame.Surface | None = None
        self._range_window: tuple[tuple[int, int, int, int], pygame.Surface] | None = None
        self._cell_ok = pygame.Surface((TILE, TILE), pygame.SRCALPHA)
        self._cell_ok.fill(CELL_OK)
        self._cell_bad = pygame.Surface((TILE, TILE), pygame.SRCALPHA)
        self._cell_bad.fill(CELL_BAD)

    @staticmethod
    def anchor(item: str, cell: tuple[int, int]) -> tuple[int, int]:
        """Top-left cell of the footprint when the cursor is over `cell` (centred)."""
        w, h = BUILDING_TYPES[item].size
        return cell[0] - (w - 1) // 2, cell[1] - (h - 1) // 2

    def _range_image(self, world: World) -> pygame.Surface:
        """Tile-sized image: transparent within build range, dark outside."""
        own = tuple(b.id for b in world.buildings_of(self.viewer))
        if own != self._range_key or self._range_map is None:
            w, h = world.tiles.width, world.tiles.height
            alpha = bytearray([OUT_OF_RANGE_ALPHA]) * (w * h)
            r = ECONOMY.build_radius
            for b in world.buildings_of(self.viewer):
                bw, bh = b.type.size
                x0, x1 = max(0, b.x - r), min(w, b.x + bw + r)
                for y in range(max(0, b.y - r), min(h, b.y + bh + r)):
                    alpha[y * w + x0: y * w + x1] = bytes(x1 - x0)
            rgba = bytearray(w * h * 4)
            rgba[3::4] = alpha
            self._range_map = pygame.image.frombuffer(bytes(rgba), (w, h), "RGBA").convert_alpha()
            self._range_key = own
            self._range_window = None
        return self._range_map

    def draw(self, surface: pygame.Surface, world: World, camera: Camera, item: str,
             mouse_cell: tuple[int, int]) -> None:
        self._draw_range(surface, world, camera)
        btype = BUILDING_TYPES[item]
        x, y = self.anchor(item, mouse_cell)
        cells = placement.cell_problems(world, btype, x, y)
        in_range = placement.in_build_range(world, self.viewer, btype, x, y)
        ghost = self.sprites.buildings[(item, self.viewer)]
        ghost.set_alpha(150)
        surface.blit(ghost, camera.to_screen(x, y))
        ghost.set_alpha(255)
        for (cx, cy), ok in cells:
            surface.blit(self._cell_ok if ok and in_range else self._cell_bad,
                         camera.to_screen(cx, cy))
        w, h = btype.size
        sx, sy = camera.to_screen(x, y)
        color = (120, 255, 140) if in_range and all(ok for _, ok in cells) else (255, 90, 70)
        pygame.draw.rect(surface, color, (sx, sy, w * TILE, h * TILE), 2)

    def _draw_range(self, surface: pygame.Surface, world: World, camera: Camera) -> None:
        image = self._range_image(world)
        x0, y0, x1, y1 = camera.visible_tiles(margin=1)
        x0, y0 = max(0, x0), max(0, y0)
        x1, y1 = min(image.get_width(), x1), min(image.get_height(), y1)
        key = (x0, y0, x1, y1)
        if self._range_window is None or self._range_window[0] != key:
            window = image.subsurface((x0, y0, x1 - x0, y1 - y0))
            scaled = pygame.transform.smoothscale(window, ((x1 - x0) * TILE, (y1 - y0) * TILE))
            self._range_window = (key, scaled)
        surface.blit(self._range_window[1], camera.to_screen(x0, y0))
