"""The minimap: terrain, fog, units and buildings in team colours, the camera frame.

The picture is recomposed a few times per second (not every frame); only the
camera frame and alert pings are drawn each frame on top of it.
"""

from __future__ import annotations

import pygame

from game.rules import BUILDING_TYPES
from game.terrain import GEMS, ORE, ROCK, SAND, WATER, TileMap
from game.ui.camera import Camera
from game.ui.fog_view import FogRenderer
from game.ui.theme import PANEL_EDGE, TEAM_COLORS, TEAM_LIGHT, shade
from game.world import World

REFRESH_SECONDS = 0.25
PING_SECONDS = 3.0
TERRAIN_COLORS = {0: (70, 108, 50), WATER: (36, 78, 132), ROCK: (110, 104, 96),
                  SAND: (190, 170, 116)}
RESOURCE_COLORS = {ORE: (214, 164, 52), GEMS: (110, 196, 220)}


class Minimap:
    def __init__(self, rect: pygame.Rect, tiles: TileMap) -> None:
        self.rect = rect
        self.tiles = tiles
        self.scale_x = rect.width / tiles.width
        self.scale_y = rect.height / tiles.height
        self.terrain = pygame.Surface((tiles.width, tiles.height))
        for i in range(tiles.width * tiles.height):
            self._paint_tile(i)
        self.image = pygame.Surface(rect.size)
        self._age = REFRESH_SECONDS
        self.pings: list[tuple[float, float, float]] = []  # x, y (tiles), seconds left

    def _paint_tile(self, i: int) -> None:
        t = self.tiles
        color = TERRAIN_COLORS[t.terrain[i]]
        if t.resource_amount[i]:
            color = RESOURCE_COLORS[t.resource_kind[i]]
        self.terrain.set_at((i % t.width, i // t.width), color)

    def resources_changed(self, indices: list[int]) -> None:
        for i in indices:
            self._paint_tile(i)

    def ping(self, x: float, y: float) -> None:
        self.pings = [p for p in self.pings if abs(p[0] - x) + abs(p[1] - y) > 4]
        self.pings.append((x, y, PING_SECONDS))

    # -- coordinates ------------------------------------------------------------
    def to_tiles(self, pos: tuple[int, int]) -> tuple[float, float]:
        x = (pos[0] - self.rect.x) / self.scale_x
        y = (pos[1] - self.rect.y) / self.scale_y
        return (min(max(x, 0.0), self.tiles.width - 0.01),
                min(max(y, 0.0), self.tiles.height - 0.01))

    def _to_pixel(self, tx: float, ty: float) -> tuple[int, int]:
        return int(tx * self.scale_x), int(ty * self.scale_y)

    # -- drawing ------------------------------------------------------------------
    def update(self, dt: float, world: World, fog: FogRenderer, viewer: int) -> None:
        self.pings = [(x, y, t - dt) for x, y, t in self.pings if t - dt > 0]
        self._age += dt
        if self._age >= REFRESH_SECONDS:
            self._age = 0.0
            self._compose(world, fog, viewer)

    def _compose(self, world: World, fog: FogRenderer, viewer: int) -> None:
        img = self.image
        pygame.transform.scale(self.terrain, self.rect.size, img)
        img.blit(pygame.transform.scale(fog.map_image, self.rect.size), (0, 0))
        sx, sy = self.scale_x, self.scale_y
        shown = set()
        for b in world.buildings.values():
            if b.owner == viewer or world.building_visible(viewer, b):
                shown.add(b.id)
                color = TEAM_LIGHT[b.owner] if b.owner == viewer else TEAM_COLORS[b.owner]
                self._building(b.type.name, b.x, b.y, color)
        for bid, (name, x, y) in world.players[viewer].known_buildings.items():
            if bid not in shown:  # remembered under fog: dimmed
                owner = world.buildings[bid].owner if bid in world.buildings else 1 - viewer
                self._building(name, x, y, shade(TEAM_COLORS[owner], 0.6))
        vis = world.players[viewer].visible
        width = world.tiles.width
        for u in world.units.values():
            if u.owner != viewer and not vis[int(u.y) * width + int(u.x)]:
                continue
            px, py = int(u.x * sx) - 1, int(u.y * sy) - 1
            img.fill(TEAM_LIGHT[u.owner] if u.owner == viewer else TEAM_COLORS[u.owner],
                     (px, py, 3, 3))

    def _building(self, name: str, x: int, y: int, color: tuple[int, int, int]) -> None:
        w, h = BUILDING_TYPES[name].size
        sx, sy = self.scale_x, self.scale_y
        pygame.draw.rect(self.image, color, (int(x * sx), int(y * sy),
                                             max(2, int(w * sx)), max(2, int(h * sy))))

    def draw(self, surface: pygame.Surface, camera: Camera) -> None:
        surface.blit(self.image, self.rect)
        x, y, w, h = camera.tile_rect()
        px, py = self._to_pixel(x, y)
        frame = pygame.Rect(self.rect.x + px, self.rect.y + py,
                            int(w * self.scale_x), int(h * self.scale_y))
        pygame.draw.rect(surface, (250, 250, 250), frame.clip(self.rect), 1)
        for tx, ty, left in self.pings:
            if int(left * 4) % 2 == 0:
                cx, cy = self._to_pixel(tx, ty)
                radius = 4 + int((PING_SECONDS - left) * 4) % 8
                pygame.draw.circle(surface, (255, 80, 60),
                                   (self.rect.x + cx, self.rect.y + cy), radius, 2)
        pygame.draw.rect(surface, shade(PANEL_EDGE, 1.2), self.rect.inflate(2, 2), 1)
