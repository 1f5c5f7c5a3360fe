"""Drawing units and buildings: sprites, shadows, turrets, rotors, health bars,
selection marks, harvester loads, production progress and rally flags.

Positions are interpolated between the last two ticks. Enemy units show only
where the viewer sees; enemy buildings show where seen, or where remembered
(drawn from memory under the fog, which dims them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import pygame

from game.rules import BUILDING_TYPES, UNIT_TYPES
from game.ui.camera import Camera
from game.ui.sidebar import draw_repair_mark
from game.ui.sprites import ROTOR_FRAMES, SpriteBank, direction_index
from game.ui.theme import ACCENT, BAD, GOOD, SELECT, TEAM_COLORS, TILE, WARN, draw_text, shade
from game.world import Building, Unit, World

FLIGHT_HEIGHT = 16  # pixels a helicopter flies above its shadow
TURRET_TURN = 5.0  # radians per second
DAMAGE_BAR_SECONDS = 3.0


@dataclass
class UnitLook:
    """What the renderer remembers about a unit between frames (never sim state)."""

    turret: float
    hit_time: float = -100.0
    last_hp: int = 0


class ShownBuilding(NamedTuple):
    """A building to draw: seen now (`live` set) or remembered under fog (`live` None)."""

    depth: int  # bottom row, for drawing back to front
    name: str
    owner: int
    x: int
    y: int
    live: Building | None
    bid: int


def health_color(fraction: float) -> tuple[int, int, int]:
    return GOOD if fraction > 0.6 else WARN if fraction > 0.3 else BAD


def draw_health_bar(surface: pygame.Surface, center_x: int, top: int, width: int,
                    fraction: float) -> None:
    x = center_x - width // 2
    surface.fill((10, 10, 10), (x - 1, top - 1, width + 2, 5))
    surface.fill(health_color(fraction), (x, top, max(1, int(width * fraction)), 3))


def interpolated(u: Unit, alpha: float) -> tuple[float, float]:
    return u.prev_x + (u.x - u.prev_x) * alpha, u.prev_y + (u.y - u.prev_y) * alpha


def angle_lerp(current: float, target: float, max_step: float) -> float:
    diff = (target - current + math.pi) % (2 * math.pi) - math.pi
    if abs(diff) <= max_step:
        return target
    return current + math.copysign(max_step, diff)


class EntityRenderer:
    def __init__(self, sprites: SpriteBank, viewer: int) -> None:
        self.sprites = sprites
        self.viewer = viewer
        self.looks: dict[int, UnitLook] = {}
        self.clock = 0.0

    # -- state kept for drawing ---------------------------------------------------
    def _look(self, eid: int, hp: int, default_angle: float) -> UnitLook:
        look = self.looks.get(eid)
        if look is None:
            look = self.looks[eid] = UnitLook(default_angle, last_hp=hp)
        if hp < look.last_hp:
            look.hit_time = self.clock
        look.last_hp = hp
        return look

    def forget_dead(self, world: World) -> None:
        self.looks = {k: v for k, v in self.looks.items()
                      if k in world.units or k in world.buildings}

    def _aim(self, world: World, x: float, y: float, target_id: int | None,
             fallback: float) -> float:
        target = world.entity(target_id)
        if target is None:
            return fallback
        tx, ty = (target.x, target.y) if isinstance(target, Unit) else target.center
        return math.atan2(ty - y, tx - x)

    # -- buildings ----------------------------------------------------------------------
    def draw_buildings(self, surface: pygame.Surface, world: World, camera: Camera,
                       selected: set[int], hover: int | None, dt: float) -> None:
        x0, y0, x1, y1 = camera.visible_tiles(margin=3)
        known = world.players[self.viewer].known_buildings
        shown: list[ShownBuilding] = []
        for b in world.buildings.values():
            w, h = b.type.size
            if b.x + w < x0 or b.x > x1 or b.y + h < y0 or b.y > y1:
                continue
            if b.owner == self.viewer or world.building_visible(self.viewer, b):
                shown.append(ShownBuilding(b.y + h, b.type.name, b.owner, b.x, b.y, b, b.id))
            elif b.id in known:
                name, kx, ky = known[b.id]
                shown.append(ShownBuilding(ky + h, name, b.owner, kx, ky, None, b.id))
        enemy = 1 - self.viewer
        for bid, (name, kx, ky) in known.items():
            if bid not in world.buildings and x0 <= kx <= x1 and y0 <= ky <= y1:
                # Destroyed out of sight: the player still remembers it.
                depth = ky + BUILDING_TYPES[name].size[1]
                shown.append(ShownBuilding(depth, name, enemy, kx, ky, None, bid))
        shown.sort(key=lambda s: s.depth)
        for s in shown:
            pos = camera.to_screen(s.x, s.y)
            surface.blit(self.sprites.buildings[(s.name, s.owner)], pos)
            if BUILDING_TYPES[s.name].weapon is not None:
                if s.live is not None:
                    self._aim_turret_gun(world, s.live, dt)
                self._draw_turret_gun(surface, s.name, s.owner, pos, s.bid)
        for s in shown:
            if s.live is not None:  # remembered buildings show no live health or selection
                self._building_overlay(surface, world, camera, s.live, s.bid in selected,
                                       s.bid == hover)

    @staticmethod
    def _rest_angle(owner: int) -> float:
        """Idle guns face the other side of the map."""
        return -math.pi / 4 if owner == 0 else 3 * math.pi / 4

    def _aim_turret_gun(self, world: World, b: Building, dt: float) -> None:
        cx, cy = b.center
        look = self._look(b.id, b.hp, self._rest_angle(b.owner))
        want = self._aim(world, cx, cy, b.target_id, look.turret)
        look.turret = angle_lerp(look.turret, want, TURRET_TURN * dt)

    def _draw_turret_gun(self, surface: pygame.Surface, name: str, owner: int,
                         pos: tuple[int, int], bid: int) -> None:
        """The gun as last seen: remembered turrets keep their last known aim."""
        look = self.looks.get(bid)
        angle = look.turret if look is not None else self._rest_angle(owner)
        gun = self.sprites.turrets[("turret", owner)][direction_index(angle)]
        w, h = BUILDING_TYPES[name].size
        surface.blit(gun, gun.get_rect(center=(pos[0] + w * TILE // 2, pos[1] + h * TILE // 2)))

    def _building_overlay(self, surface: pygame.Surface, world: World, camera: Camera,
                          b: Building, selected: bool, hovered: bool) -> None:
        w, h = b.type.size
        x, y = camera.to_screen(b.x, b.y)
        rect = pygame.Rect(x, y, w * TILE, h * TILE)
        look = self._look(b.id, b.hp, 0.0)
        damaged_recently = self.clock - look.hit_time < DAMAGE_BAR_SECONDS
        if selected:
            _corner_brackets(surface, rect.inflate(4, 4), SELECT)
        if selected or hovered or damaged_recently or b.hp < b.type.hp:
            draw_health_bar(surface, rect.centerx, rect.y - 7, rect.width - 8, b.hp / b.type.hp)
        if b.owner != self.viewer:
            return
        if b.repairing and int(self.clock * 2) % 2 == 0:  # blinks, as in Red Alert
            draw_repair_mark(surface, rect.center, BAD if b.repair_on_hold else GOOD)
        progress = self._production_progress(world, b)
        if progress is not None:
            fraction, label = progress
            bar = pygame.Rect(rect.x + 6, rect.bottom - 10, rect.width - 12, 5)
            surface.fill((12, 12, 12), bar.inflate(2, 2))
            surface.fill(GOOD if fraction >= 1.0 else ACCENT,
                         (bar.x, bar.y, int(bar.width * fraction), bar.height))
            if label:
                draw_text(surface, label, (bar.right, bar.y - 2), 11, ACCENT, "bold",
                          anchor="bottomright", shadow=True)
        if selected and b.rally is not None:
            self._rally_flag(surface, camera, b)

    @staticmethod
    def _production_progress(world: World, b: Building) -> tuple[float, str] | None:
        if b.queue:
            item = UNIT_TYPES[b.queue[0]]
            label = f"x{len(b.queue)}" if len(b.queue) > 1 else ""
            return min(1.0, b.progress / item.build_time), label
        construction = world.players[b.owner].construction
        if b.type.name == "hq" and construction is not None:
            total = BUILDING_TYPES[construction.item].build_time
            return min(1.0, construction.progress / total), ""
        return None

    def _rally_flag(self, surface: pygame.Surface, camera: Camera, b: Building) -> None:
        assert b.rally is not None
        start = camera.to_screen(*b.center)
        end = camera.to_screen(b.rally[0] + 0.5, b.rally[1] + 0.5)
        _dashed_line(surface, (230, 230, 230), start, end)
        fx, fy = end
        pygame.draw.line(surface, (40, 40, 40), (fx, fy), (fx, fy - 18), 2)
        pygame.draw.polygon(surface, TEAM_COLORS[b.owner],
                            [(fx + 1, fy - 18), (fx + 13, fy - 14), (fx + 1, fy - 10)])
        pygame.draw.ellipse(surface, (20, 20, 20), (fx - 4, fy - 2, 8, 4))

    # -- units ----------------------------------------------------------------------------
    def visible_units(self, world: World, camera: Camera, alpha: float
                      ) -> list[tuple[Unit, float, float]]:
        """Units on screen that the viewer may see, with interpolated positions."""
        x0, y0, x1, y1 = camera.visible_tiles(margin=2)
        vis = world.players[self.viewer].visible
        width = world.tiles.width
        out = []
        for u in world.units.values():
            x, y = interpolated(u, alpha)
            if not (x0 <= x < x1 and y0 <= y < y1):
                continue
            if u.owner != self.viewer and not vis[int(u.y) * width + int(u.x)]:
                continue
            out.append((u, x, y))
        out.sort(key=lambda t: t[2])
        return out

    def draw_ground_units(self, surface: pygame.Surface, world: World, camera: Camera,
                          units: list[tuple[Unit, float, float]], selected: set[int],
                          dt: float) -> None:
        for u, x, y in units:
            if u.type.flying:
                continue
            sx, sy = camera.to_screen(x, y)
            if u.id in selected:
                r = int(u.type.radius * TILE) + 3
                pygame.draw.ellipse(surface, SELECT, (sx - r, sy - r * 3 // 4 + 2, 2 * r,
                                                      r * 3 // 2), 1)
            d = direction_index(u.facing)
            shadow = self.sprites.unit_shadows[u.type.name][d]
            surface.blit(shadow, shadow.get_rect(center=(sx + 2, sy + 3)))
            if u.type.harvest_capacity:
                frame = self.sprites.harvester_frame(u.owner, u.cargo / u.type.harvest_capacity, d)
            else:
                frame = self.sprites.units[(u.type.name, u.owner)][d]
            if u.type.name == "infantry" and (u.x != u.prev_x or u.y != u.prev_y):
                sy += int(math.sin(self.clock * 14 + u.id) * 1.2)
            surface.blit(frame, frame.get_rect(center=(sx, sy)))
            if u.type.name == "tank":
                look = self._look(u.id, u.hp, u.facing)
                want = self._aim(world, u.x, u.y, u.target_id, u.facing)
                look.turret = angle_lerp(look.turret, want, TURRET_TURN * dt)
                turret = self.sprites.turrets[("tank", u.owner)][direction_index(look.turret)]
                surface.blit(turret, turret.get_rect(center=(sx, sy)))

    def draw_air_units(self, surface: pygame.Surface, camera: Camera,
                       units: list[tuple[Unit, float, float]], selected: set[int]) -> None:
        for u, x, y in units:
            if not u.type.flying:
                continue
            sx, sy = camera.to_screen(x, y)
            d = direction_index(u.facing)
            shadow = self.sprites.unit_shadows[u.type.name][d]
            surface.blit(shadow, shadow.get_rect(center=(sx + 6, sy + 8)))
            if u.id in selected:
                r = int(u.type.radius * TILE) + 2
                pygame.draw.ellipse(surface, SELECT, (sx - r + 6, sy + 8 - r // 2, 2 * r, r), 1)
            body_y = sy - FLIGHT_HEIGHT + int(math.sin(self.clock * 3 + u.id) * 1.5)
            frame = self.sprites.units[(u.type.name, u.owner)][d]
            surface.blit(frame, frame.get_rect(center=(sx, body_y)))
            rotor = self.sprites.rotor[int(self.clock * 30 + u.id) % ROTOR_FRAMES]
            surface.blit(rotor, rotor.get_rect(center=(sx + 2, body_y)))

    def draw_unit_bars(self, surface: pygame.Surface, camera: Camera,
                       units: list[tuple[Unit, float, float]], selected: set[int],
                       hover: int | None) -> None:
        """Health bars and harvester loads, above everything else on the map."""
        for u, x, y in units:
            sx, sy = camera.to_screen(x, y)
            if u.type.flying:
                sy -= FLIGHT_HEIGHT
            look = self._look(u.id, u.hp, u.facing)
            recently_hit = self.clock - look.hit_time < DAMAGE_BAR_SECONDS
            r = int(u.type.radius * TILE)
            if u.id in selected or u.id == hover or recently_hit or u.hp < u.type.hp:
                draw_health_bar(surface, sx, sy - r - 7, max(16, 2 * r), u.hp / u.type.hp)
            if u.type.harvest_capacity and u.cargo:
                width = max(16, 2 * r)
                left = sx - width // 2
                surface.fill((10, 10, 10), (left - 1, sy + r + 3, width + 2, 4))
                surface.fill((240, 190, 60), (left, sy + r + 4,
                                              int(width * u.cargo / u.type.harvest_capacity), 2))


def _corner_brackets(surface: pygame.Surface, rect: pygame.Rect,
                     color: tuple[int, int, int]) -> None:
    k = max(6, min(rect.width, rect.height) // 5)
    for cx, cy, dx, dy in ((rect.left, rect.top, 1, 1), (rect.right - 1, rect.top, -1, 1),
                           (rect.left, rect.bottom - 1, 1, -1),
                           (rect.right - 1, rect.bottom - 1, -1, -1)):
        pygame.draw.line(surface, color, (cx, cy), (cx + dx * k, cy), 2)
        pygame.draw.line(surface, color, (cx, cy), (cx, cy + dy * k), 2)


def _dashed_line(surface: pygame.Surface, color: tuple[int, int, int], a: tuple[int, int],
                 b: tuple[int, int], dash: int = 6) -> None:
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    if length < 1:
        return
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    pos = 0.0
    dark = shade(color, 0.3)
    while pos < length:
        end = min(length, pos + dash)
        p0 = (int(a[0] + ux * pos), int(a[1] + uy * pos))
        p1 = (int(a[0] + ux * end), int(a[1] + uy * end))
        pygame.draw.line(surface, dark, (p0[0] + 1, p0[1] + 1), (p1[0] + 1, p1[1] + 1), 1)
        pygame.draw.line(surface, color, p0, p1, 1)
        pos += dash * 2
