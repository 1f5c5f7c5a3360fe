"""The map's ground, pre-rendered once into one big surface.

Grass gets a soft large-scale shade variation (a tile-sized colour map scaled
up smoothly) plus small detail; sand, water and rock tiles are blitted as
shaped, textured pieces whose outer corners are rounded where the shape ends,
so coasts and cliffs read as curves rather than stairs. Ore and gems sit on
top; a tile is redrawn only when its resource changes.
"""

from __future__ import annotations

import random

import pygame

from game.rules import ECONOMY
from game.terrain import GEMS, GRASS, NO_RESOURCE, ORE, ROCK, SAND, WATER, TileMap
from game.ui.theme import TILE, Color, shade

GRASS_COLOR = (78, 116, 54)
SAND_COLOR = (200, 178, 122)
WATER_COLOR = (36, 82, 138)
ROCK_COLOR = (116, 108, 98)
ORE_COLORS = ((226, 170, 48), (186, 128, 30), (250, 214, 110))
GEM_COLORS = ((72, 208, 226), (176, 96, 230), (232, 88, 150))
VARIANTS = 4
ORE_LEVELS = 3  # visual densities of a resource tile
RESOURCE_CHECK_FRAMES = 90  # how often partially dug tiles are re-checked

N, E, S, W = 1, 2, 4, 8  # sides of a tile that border a different terrain
LAYER = {GRASS: 0, SAND: 1, WATER: 2, ROCK: 3}  # drawing order


def _speckle(surf: pygame.Surface, rng: random.Random, base: Color, count: int,
             spread: tuple[float, float], size: int = 1) -> None:
    for _ in range(count):
        c = shade(base, rng.uniform(*spread))
        x, y = rng.randrange(TILE), rng.randrange(TILE)
        if size == 1:
            surf.set_at((x, y), c)
        else:
            pygame.draw.circle(surf, c, (x, y), rng.randint(1, size))


def _texture(kind: int, rng: random.Random) -> pygame.Surface:
    surf = pygame.Surface((TILE, TILE), pygame.SRCALPHA)
    if kind == SAND:
        surf.fill(SAND_COLOR)
        _speckle(surf, rng, SAND_COLOR, 60, (0.82, 1.12))
        _speckle(surf, rng, SAND_COLOR, 4, (0.75, 0.9), size=2)
    elif kind == WATER:
        surf.fill(WATER_COLOR)
        for _ in range(3):
            x, y = rng.randrange(TILE - 8), rng.randrange(4, TILE - 2)
            pygame.draw.arc(surf, shade(WATER_COLOR, 1.25), (x, y - 3, 9, 6), 0.3, 2.8, 1)
        _speckle(surf, rng, WATER_COLOR, 20, (0.9, 1.1))
    else:
        surf.fill(ROCK_COLOR)
        _speckle(surf, rng, ROCK_COLOR, 40, (0.8, 1.2))
        for _ in range(2):
            x, y = rng.randrange(4, TILE - 4), rng.randrange(4, TILE - 4)
            pygame.draw.line(surf, shade(ROCK_COLOR, 0.7), (x, y),
                             (x + rng.randint(-7, 7), y + rng.randint(3, 8)), 1)
        pygame.draw.line(surf, shade(ROCK_COLOR, 1.25), (0, 0), (TILE - 1, 0), 1)
    return surf


def _shape_mask(sides: int) -> pygame.Surface:
    """White where a tile with these exposed sides is filled (corners rounded)."""
    mask = pygame.Surface((TILE, TILE), pygame.SRCALPHA)
    r = TILE // 2 - 2

    def radius(a: int, b: int) -> int:
        return r if sides & a and sides & b else 0

    pygame.draw.rect(mask, (255, 255, 255, 255), mask.get_rect(),
                     border_top_left_radius=radius(N, W), border_top_right_radius=radius(N, E),
                     border_bottom_left_radius=radius(S, W),
                     border_bottom_right_radius=radius(S, E))
    return mask


def _edge_stroke(piece: pygame.Surface, mask: pygame.Surface, sides: int, color: Color,
                 width: int) -> None:
    """A band along the exposed outline (foam on coasts, rims on sand)."""
    outline = pygame.mask.from_surface(mask).outline()
    if len(outline) < 2:
        return
    for (x0, y0), (x1, y1) in zip(outline, outline[1:]):
        on_edge = ((sides & N and y0 <= width) or (sides & S and y0 >= TILE - 1 - width)
                   or (sides & W and x0 <= width) or (sides & E and x0 >= TILE - 1 - width))
        if on_edge:
            pygame.draw.line(piece, color, (x0, y0), (x1, y1), width)


def _shaped_pieces(kind: int, rng: random.Random) -> list[list[pygame.Surface]]:
    """pieces[sides][variant]: textured tile cut to the shape for those exposed sides."""
    pieces = []
    for sides in range(16):
        mask = _shape_mask(sides)
        row = []
        for _ in range(VARIANTS):
            piece = _texture(kind, rng)
            piece.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)
            if kind == WATER:
                _edge_stroke(piece, mask, sides, (150, 196, 220), 2)
            elif kind == SAND:
                _edge_stroke(piece, mask, sides, shade(SAND_COLOR, 0.85), 1)
            row.append(piece)
        pieces.append(row)
    return pieces


def _cliff_face() -> pygame.Surface:
    """The dark south face of a rock tile, with a shadow falling on the tile below."""
    face = pygame.Surface((TILE, TILE // 3), pygame.SRCALPHA)
    face.fill((*shade(ROCK_COLOR, 0.55), 255))
    for x in range(2, TILE, 5):
        pygame.draw.line(face, (*shade(ROCK_COLOR, 0.42), 255), (x, 1), (x - 1, TILE // 3), 1)
    pygame.draw.line(face, (*shade(ROCK_COLOR, 0.35), 255), (0, TILE // 3 - 1),
                     (TILE, TILE // 3 - 1), 1)
    return face


def _grass_detail(rng: random.Random) -> pygame.Surface:
    surf = pygame.Surface((TILE, TILE), pygame.SRCALPHA)
    for _ in range(14):
        x, y = rng.randrange(TILE), rng.randrange(2, TILE)
        c = shade(GRASS_COLOR, rng.choice((0.72, 0.8, 1.22, 1.3)))
        pygame.draw.line(surf, (*c, 200), (x, y), (x + rng.randint(-1, 1), y - 2), 1)
    if rng.random() < 0.2:
        x, y = rng.randrange(4, TILE - 4), rng.randrange(4, TILE - 4)
        pygame.draw.circle(surf, (*rng.choice(((232, 224, 120), (230, 150, 170))), 220),
                           (x, y), 1)
    return surf


def _resource_tile(kind: int, level: int, rng: random.Random) -> pygame.Surface:
    """A tile's worth of ore nuggets or gem crystals; level 1..ORE_LEVELS."""
    surf = pygame.Surface((TILE, TILE), pygame.SRCALPHA)
    colors = ORE_COLORS if kind == ORE else GEM_COLORS
    soil = (92, 74, 40) if kind == ORE else (60, 62, 74)
    for r in range(TILE // 2 + 2, 4, -3):  # soft dark patch: the fields merge
        pygame.draw.circle(surf, (*soil, 26), (TILE // 2, TILE // 2), r)
    for _ in range(3 + level * 4):
        x, y = rng.randrange(3, TILE - 3), rng.randrange(4, TILE - 2)
        r = rng.randint(1, 2 + level // 2)
        c = colors[rng.randrange(len(colors))]
        if kind == ORE:
            pygame.draw.circle(surf, shade(c, 0.4), (x + 1, y + 1), r + 1)
            pygame.draw.circle(surf, c, (x, y), r)
            surf.set_at((x - 1, y - 1) if r > 1 else (x, y), shade(c, 1.6))
        else:
            pts = [(x, y - r - 3), (x + r + 1, y), (x, y + r), (x - r - 1, y)]
            pygame.draw.polygon(surf, shade(c, 0.45), [(px + 1, py + 1) for px, py in pts])
            pygame.draw.polygon(surf, c, pts)
            pygame.draw.line(surf, shade(c, 1.7), (x - 1, y - r - 1), (x - 1, y), 1)
    return surf


def resource_level(amount: int, full: int) -> int:
    if amount <= 0:
        return 0
    return max(1, min(ORE_LEVELS, -(-amount * ORE_LEVELS // full)))


def _full(kind: int) -> int:
    return ECONOMY.ore_per_tile if kind == ORE else ECONOMY.gems_per_tile


class TerrainRenderer:
    def __init__(self, tiles: TileMap, seed: int) -> None:
        self.tiles = tiles
        self.rng = random.Random(seed)
        self.surface = pygame.Surface((tiles.width * TILE, tiles.height * TILE)).convert()
        self._pieces = {k: _shaped_pieces(k, self.rng) for k in (SAND, WATER, ROCK)}
        self._sand_square = _texture(SAND, self.rng)
        self._cliff = _cliff_face()
        self._details = [_grass_detail(self.rng) for _ in range(8)]
        self._resources = {
            (kind, level): [_resource_tile(kind, level, self.rng) for _ in range(VARIANTS)]
            for kind in (ORE, GEMS) for level in range(1, ORE_LEVELS + 1)
        }
        self._base_snippets: dict[int, pygame.Surface] = {}
        self._levels = bytearray(tiles.width * tiles.height)
        self._resource_version = tiles.resource_version
        self._frames = 0
        self._render_all()

    # -- one-off rendering ------------------------------------------------
    def _render_all(self) -> None:
        self._render_grass()
        t = self.tiles
        for kind in (SAND, WATER, ROCK):
            for i, terrain in enumerate(t.terrain):
                if terrain == kind:
                    self._draw_shaped(i % t.width, i // t.width, kind)
        self._draw_cliffs()
        for i, amount in enumerate(t.resource_amount):
            if amount:
                x, y = i % t.width, i // t.width
                rect = pygame.Rect(x * TILE, y * TILE, TILE, TILE)
                self._base_snippets[i] = self.surface.subsurface(rect).copy()
                self._draw_resource(i)

    def _render_grass(self) -> None:
        t = self.tiles
        colors = pygame.Surface((t.width, t.height))
        for i, s in enumerate(t.shade):
            colors.set_at((i % t.width, i // t.width), shade(GRASS_COLOR, 0.88 + s / 255 * 0.22))
        pygame.transform.smoothscale(colors, self.surface.get_size(), self.surface)
        for i, s in enumerate(t.shade):
            if t.terrain[i] == GRASS:
                self.surface.blit(self._details[s % 8], ((i % t.width) * TILE,
                                                         (i // t.width) * TILE))

    def _same(self, x: int, y: int, kind: int) -> bool:
        """Whether the shape of `kind` continues into (x, y): off-map does, and so
        does any terrain drawn over it later (sand runs on under water and rock)."""
        t = self.tiles
        return not t.in_bounds(x, y) or LAYER[t.terrain[y * t.width + x]] >= LAYER[kind]

    def _draw_shaped(self, x: int, y: int, kind: int) -> None:
        sides = 0
        for side, (nx, ny) in ((N, (x, y - 1)), (E, (x + 1, y)), (S, (x, y + 1)),
                               (W, (x - 1, y))):
            if not self._same(nx, ny, kind):
                sides |= side
        pos = (x * TILE, y * TILE)
        t = self.tiles
        if kind != SAND and any(t.in_bounds(nx, ny) and t.terrain[ny * t.width + nx] == SAND
                                for nx, ny in ((x, y - 1), (x + 1, y), (x, y + 1), (x - 1, y))):
            self.surface.blit(self._sand_square, pos)  # rounded corners reveal the shore
        variant = self.tiles.shade[y * self.tiles.width + x] % VARIANTS
        self.surface.blit(self._pieces[kind][sides][variant], pos)

    def _draw_cliffs(self) -> None:
        t = self.tiles
        shadow = pygame.Surface((TILE, TILE // 3), pygame.SRCALPHA)
        shadow.fill((0, 0, 0, 70))
        for i, terrain in enumerate(t.terrain):
            x, y = i % t.width, i // t.width
            if terrain != ROCK or (y + 1 < t.height and t.terrain[i + t.width] == ROCK):
                continue
            self.surface.blit(self._cliff, (x * TILE, y * TILE + TILE - TILE // 3))
            if y + 1 < t.height:
                self.surface.blit(shadow, (x * TILE, (y + 1) * TILE))

    # -- resources ----------------------------------------------------------
    def _draw_resource(self, i: int) -> None:
        t = self.tiles
        x, y = i % t.width, i // t.width
        pos = (x * TILE, y * TILE)
        snippet = self._base_snippets.get(i)
        if snippet is not None:
            self.surface.blit(snippet, pos)
        kind, amount = t.resource_kind[i], t.resource_amount[i]
        level = resource_level(amount, _full(kind)) if kind != NO_RESOURCE else 0
        self._levels[i] = level
        if level:
            variant = t.shade[i] % VARIANTS
            self.surface.blit(self._resources[(kind, level)][variant], pos)

    def update(self) -> list[int]:
        """Redraw tiles whose resource changed; returns their indices.

        An emptied tile (resource_version bump) is redrawn at once; a partly
        dug tile only changes density, so it is checked every few seconds.
        """
        self._frames += 1
        t = self.tiles
        if t.resource_version == self._resource_version and \
                self._frames % RESOURCE_CHECK_FRAMES:
            return []
        self._resource_version = t.resource_version
        changed = []
        for i in self._base_snippets:
            kind, amount = t.resource_kind[i], t.resource_amount[i]
            level = resource_level(amount, _full(kind)) if kind else 0
            if level != self._levels[i]:
                self._draw_resource(i)
                changed.append(i)
        return changed
