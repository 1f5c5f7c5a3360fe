"""Fog of war overlay: black shroud where unexplored, a dark veil where not seen now.

The whole map's fog is one tile-sized RGBA image rebuilt only when the
player's visibility changes (a few times per second). The map view blits the
visible window of it, scaled up smoothly, which gives soft edges for free; the
scaled window is cached until the fog or the camera's tile window changes.
"""

from __future__ import annotations

import pygame

from game.ui.camera import Camera
from game.ui.theme import TILE
from game.world import Player

SHROUD_ALPHA = 255
FOG_ALPHA = 120
# code = 2 * explored + visible  ->  alpha
_ALPHA_TABLE = bytes([SHROUD_ALPHA, SHROUD_ALPHA, FOG_ALPHA, 0] + [0] * 252)


class FogRenderer:
    def __init__(self, player: Player, width: int, height: int) -> None:
        self.player = player
        self.width, self.height = width, height
        self.version = 0  # bumps whenever the fog changes
        self._seen: tuple[bytes, bytes] = (b"", b"")
        self._rgba = bytearray(width * height * 4)
        self.map_image = pygame.Surface((width, height), pygame.SRCALPHA)
        self._window_key: tuple[int, int, int, int, int] | None = None
        self._window: pygame.Surface | None = None
        self.refresh()

    def refresh(self) -> bool:
        """Rebuild the fog image if visibility changed; True if it did."""
        explored, visible = bytes(self.player.explored), bytes(self.player.visible)
        if (explored, visible) == self._seen:
            return False
        self._seen = (explored, visible)
        n = len(visible)
        # Per byte 2 * explored + visible (0..3): no carries, so whole-map integers work.
        code = (int.from_bytes(explored, "little") * 2
                + int.from_bytes(visible, "little")).to_bytes(n, "little")
        self._rgba[3::4] = code.translate(_ALPHA_TABLE)
        # convert_alpha: the display's pixel format, or every blit converts each pixel.
        self.map_image = pygame.image.frombuffer(self._rgba, (self.width, self.height),
                                                 "RGBA").convert_alpha()
        self.version += 1
        return True

    def draw(self, surface: pygame.Surface, camera: Camera) -> None:
        x0, y0, x1, y1 = camera.visible_tiles(margin=1)
        x0, y0 = max(0, x0), max(0, y0)
        x1, y1 = min(self.width, x1), min(self.height, y1)
        key = (x0, y0, x1, y1, self.version)
        if key != self._window_key:
            window = self.map_image.subsurface((x0, y0, x1 - x0, y1 - y0))
            self._window = pygame.transform.smoothscale(window, ((x1 - x0) * TILE,
                                                                 (y1 - y0) * TILE))
            self._window_key = key
        assert self._window is not None
        surface.blit(self._window, camera.to_screen(x0, y0))
