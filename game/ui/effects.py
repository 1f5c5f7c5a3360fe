"""Visual effects: muzzle flashes, tracers, projectiles, hits, explosions, smoke,
debris, scorch marks, sold buildings fading, order markers.

Effects are spawned from the simulation's events (and from clicks), live a
fraction of a second to a few seconds, and never touch the simulation. Their
pictures are soft circles rendered once per size and colour.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from functools import cache

import pygame

from game.rules import BUILDING_TYPES, UNIT_TYPES
from game.ui.camera import Camera
from game.ui.theme import TILE
from game.world import Event, Projectile, World

MAX_PARTICLES = 600
WRECK_SECONDS = 40.0  # rubble stays this long
WRECK_SMOKE_SECONDS = 8.0  # and smokes this long
Visible = Callable[[float, float], bool]

FIRE_CORE = (255, 236, 170)
FIRE = (255, 150, 40)
EMBER = (200, 70, 30)
SMOKE = (70, 68, 64)
DUST = (170, 150, 110)
PLACED = (120, 230, 140)  # the ring that shows where the game put a building itself


@cache
def soft_circle(radius: int, color: tuple[int, int, int]) -> pygame.Surface:
    """A disc fading out towards its rim."""
    radius = max(1, radius)
    surf = pygame.Surface((radius * 2, radius * 2), pygame.SRCALPHA)
    steps = min(radius, 8)
    for k in range(steps):
        r = radius * (steps - k) / steps
        alpha = int(255 * ((k + 1) / steps) ** 1.2 * 0.8)
        pygame.draw.circle(surf, (*color, alpha), (radius, radius), max(1, int(r)))
    return surf.convert_alpha()


def blit_soft(surface: pygame.Surface, radius: float, color: tuple[int, int, int],
              center: tuple[int, int], alpha: float = 255, additive: bool = False) -> None:
    img = soft_circle(max(1, int(radius)), color)
    img.set_alpha(max(0, min(255, int(alpha))))
    surface.blit(img, img.get_rect(center=center),
                 special_flags=pygame.BLEND_ADD if additive else 0)


@cache
def rubble(size: int) -> pygame.Surface:
    """The scorched ground and debris left where a building of `size` tiles stood."""
    r = random.Random(size)
    px = size * TILE
    surf = pygame.Surface((px, px), pygame.SRCALPHA)
    scorch = soft_circle(px // 2, (16, 14, 12))
    scorch.set_alpha(230)
    surf.blit(scorch, (0, 0))
    for _ in range(size * 9):
        x, y = r.randrange(px // 6, px * 5 // 6), r.randrange(px // 6, px * 5 // 6)
        grey = r.randrange(60, 120)
        w, h = r.randint(2, 6), r.randint(2, 5)
        pygame.draw.rect(surf, (grey, grey - 4, grey - 10), (x, y, w, h))
        pygame.draw.line(surf, (20, 20, 20), (x, y + h), (x + w, y + h))
    return surf.convert_alpha()


class Particle:
    __slots__ = ("kind", "x", "y", "vx", "vy", "age", "life", "size", "color", "data")

    def __init__(self, kind: str, x: float, y: float, life: float, size: float = 1.0,
                 vx: float = 0.0, vy: float = 0.0, color: tuple[int, int, int] = SMOKE,
                 data: object = None) -> None:
        self.kind = kind
        self.x, self.y = x, y  # tiles
        self.vx, self.vy = vx, vy  # tiles per second
        self.age = 0.0
        self.life = life
        self.size = size  # pixels, meaning depends on the kind
        self.color = color
        self.data = data


class Effects:
    def __init__(self, sprites_for_fade: Callable[[str, int], pygame.Surface]) -> None:
        self.ground: list[Particle] = []  # scorch marks, markers: under units
        self.air: list[Particle] = []  # flashes, explosions, smoke: over units
        self.fading: list[Particle] = []  # sold buildings
        self._building_picture = sprites_for_fade
        self.rng = random.Random(1)

    # -- spawning -----------------------------------------------------------------
    def _add(self, p: Particle, ground: bool = False) -> None:
        target = self.ground if ground else self.air
        if len(target) < MAX_PARTICLES:
            target.append(p)

    def smoke(self, x: float, y: float, size: float = 8, life: float = 1.4,
              color: tuple[int, int, int] = SMOKE) -> None:
        r = self.rng
        self._add(Particle("puff", x + r.uniform(-0.15, 0.15), y + r.uniform(-0.15, 0.15), life,
                           size, r.uniform(-0.15, 0.15), r.uniform(-0.9, -0.4), color))

    def explosion(self, x: float, y: float, size: float) -> None:
        """A fireball of `size` tiles radius, smoke, and some debris."""
        r = self.rng
        self._add(Particle("fire", x, y, 0.45 + 0.15 * size, size * TILE * 0.7))
        for _ in range(int(size * 3)):  # smaller fireballs around the main one
            self._add(Particle("fire", x + r.uniform(-0.6, 0.6) * size,
                               y + r.uniform(-0.6, 0.6) * size, r.uniform(0.3, 0.6),
                               size * TILE * r.uniform(0.25, 0.45)))
        for _ in range(int(2 + size * 3)):
            self.smoke(x + r.uniform(-size, size) * 0.5, y + r.uniform(-size, size) * 0.5,
                       size * TILE * 0.45, 1.2 + size * 0.5)
        for _ in range(int(3 + size * 5)):
            a = r.uniform(0, 2 * math.pi)
            speed = r.uniform(1.0, 3.0) * size
            self._add(Particle("debris", x, y, r.uniform(0.4, 0.9), r.uniform(1.5, 3.0),
                               math.cos(a) * speed, math.sin(a) * speed,
                               (40, 36, 30) if r.random() < 0.6 else FIRE))
        self._add(Particle("scorch", x, y, 25.0, size * TILE * 0.8), ground=True)

    def marker(self, x: float, y: float, color: tuple[int, int, int]) -> None:
        self.ground = [p for p in self.ground if p.kind != "marker"]
        self._add(Particle("marker", x, y, 0.6, 14, color=color), ground=True)

    def on_event(self, e: Event, visible: Visible) -> None:
        handler = _EVENT_HANDLERS.get(e.kind)
        if handler is not None and visible(e.x, e.y):
            handler(self, e)

    def _on_shot(self, e: Event) -> None:
        tx, ty = e.data.get("tx", e.x), e.data.get("ty", e.y)
        angle = math.atan2(ty - e.y, tx - e.x)
        reach = 0.45
        fx, fy = e.x + math.cos(angle) * reach, e.y + math.sin(angle) * reach
        big = e.data.get("weapon") in ("cannon", "shell", "turret gun")
        self._add(Particle("flash", fx, fy, 0.07 if not big else 0.1, 7 if big else 4))
        if e.data.get("weapon") == "rifle":
            self._add(Particle("tracer", fx, fy, 0.08, data=(tx, ty)))
            self._add(Particle("spark", tx, ty, 0.12, 2))
        if big:
            self.smoke(fx, fy, 6, 0.7, (120, 118, 112))

    def _on_hit(self, e: Event) -> None:
        self._add(Particle("spark", e.x, e.y, 0.18, 6))
        self.smoke(e.x, e.y, 6, 0.8)

    def _on_explosion(self, e: Event) -> None:
        self.explosion(e.x, e.y, max(0.6, float(e.data.get("size", 1.0))))

    def _on_unit_destroyed(self, e: Event) -> None:
        utype = UNIT_TYPES.get(e.data.get("unit", ""))
        if utype is not None and utype.armor == "light" and not utype.flying \
                and utype.radius < 0.3:
            self.smoke(e.x, e.y, 7, 0.9, (110, 40, 30))
            self._add(Particle("scorch", e.x, e.y, 8.0, 6), ground=True)
        else:
            self.explosion(e.x, e.y, 0.9)

    def _on_building_destroyed(self, e: Event) -> None:
        """A chain of blasts over the footprint, then rubble that smokes for a while."""
        size = int(e.data.get("size", 2))
        r = self.rng
        self._add(Particle("wreck", e.x, e.y, WRECK_SECONDS, size, data=rubble(size)),
                  ground=True)
        for k in range(size * 3):
            self._add(Particle("delay", e.x + r.uniform(-0.45, 0.45) * size,
                               e.y + r.uniform(-0.45, 0.45) * size, 0.1 * k,
                               0.5 + size * 0.2))
        self.explosion(e.x, e.y, size * 0.75)
        for _ in range(size * 4):
            self.smoke(e.x + r.uniform(-0.5, 0.5) * size, e.y + r.uniform(-0.5, 0.5) * size,
                       size * 8, 3.0)

    def _on_building_sold(self, e: Event) -> None:
        name = e.data.get("building", "")
        if name not in BUILDING_TYPES or e.player is None:
            return
        w, h = BUILDING_TYPES[name].size
        self.fading.append(Particle("fade", e.x - w / 2, e.y - h / 2, 0.9,
                                    data=self._building_picture(name, e.player)))

    def _on_building_placed(self, e: Event) -> None:
        name = e.data.get("building", "")
        size = max(BUILDING_TYPES[name].size) if name in BUILDING_TYPES else 2
        for k in range(10):
            a = k * math.pi / 5
            self._add(Particle("puff", e.x + math.cos(a) * size * 0.45,
                               e.y + math.sin(a) * size * 0.45, 1.0, 10,
                               math.cos(a) * 0.6, math.sin(a) * 0.6, DUST))
        if e.data.get("auto"):  # placed automatically: show the player where it went
            self._add(Particle("placed", e.x, e.y, 3.0, size * TILE * 0.8, color=PLACED),
                      ground=True)

    # -- per frame ------------------------------------------------------------------
    def update(self, dt: float, world: World, visible: Visible) -> None:
        if dt <= 0:
            return
        self._ambient(dt, world, visible)
        for group in (self.ground, self.air, self.fading):
            alive = []
            for p in group:
                p.age += dt
                if p.kind == "wreck" and p.age < WRECK_SMOKE_SECONDS \
                        and self.rng.random() < dt * 6 * (1 - p.age / WRECK_SMOKE_SECONDS):
                    spread = p.size * 0.35
                    self.smoke(p.x + self.rng.uniform(-spread, spread),
                               p.y + self.rng.uniform(-spread, spread), 10 + p.size * 2, 2.6)
                if p.kind == "delay" and p.age >= p.life:
                    self._add(Particle("fire", p.x, p.y, 0.5, p.size * TILE * 0.8))
                    self.smoke(p.x, p.y, p.size * 10, 2.0)
                    continue
                if p.age < p.life:
                    p.x += p.vx * dt
                    p.y += p.vy * dt
                    alive.append(p)
            group[:] = alive

    def _ambient(self, dt: float, world: World, visible: Visible) -> None:
        """Smoke from damaged buildings, steam from power plants."""
        r = self.rng
        for b in world.buildings.values():
            cx, cy = b.center
            if not visible(cx, cy):
                continue
            health = b.hp / b.type.hp
            w, h = b.type.size
            if health < 0.5 and r.random() < dt * (3 if health < 0.25 else 1.5):
                x, y = b.x + r.uniform(0.2, w - 0.2), b.y + r.uniform(0.2, h - 0.2)
                self.smoke(x, y, 9, 2.0)
                if health < 0.25:
                    self._add(Particle("flame", x, y, 0.5, 6))
            if b.type.name == "power_plant" and r.random() < dt * 2.5:
                tower = 0.6 if r.random() < 0.5 else 1.4
                self.smoke(b.x + tower, b.y + 0.45, 7, 1.6, (200, 200, 196))

    # -- drawing ----------------------------------------------------------------------
    def draw_ground(self, surface: pygame.Surface, camera: Camera) -> None:
        for p in self.ground:
            center = camera.to_screen(p.x, p.y)
            fade = 1.0 - max(0.0, (p.age - p.life * 0.8) / (p.life * 0.2))
            if p.kind == "scorch":
                blit_soft(surface, p.size, (20, 18, 14), center, 200 * fade)
            elif p.kind == "wreck":
                img = p.data
                assert isinstance(img, pygame.Surface)
                img.set_alpha(int(255 * fade))
                surface.blit(img, img.get_rect(center=center))
            elif p.kind == "marker":
                radius = int(p.size * (1.0 - p.age / p.life) + 3)
                pygame.draw.circle(surface, p.color, center, radius, 2)
                pygame.draw.circle(surface, p.color, center, max(1, radius // 3))
            elif p.kind == "placed" and int(p.age * 4) % 2 == 0:  # blinks, then goes
                pygame.draw.circle(surface, p.color, center, int(p.size), 3)

    def draw_fading(self, surface: pygame.Surface, camera: Camera) -> None:
        for p in self.fading:
            img = p.data
            assert isinstance(img, pygame.Surface)
            img.set_alpha(int(255 * (1.0 - p.age / p.life)))
            surface.blit(img, camera.to_screen(p.x, p.y))
            img.set_alpha(255)

    def draw_air(self, surface: pygame.Surface, camera: Camera) -> None:
        for p in self.air:
            k = p.age / p.life
            sx, sy = camera.to_screen(p.x, p.y)
            kind = p.kind
            if kind == "puff":
                blit_soft(surface, p.size * (0.6 + k), p.color, (sx, sy), 235 * (1.0 - k))
            elif kind == "fire":  # a fireball: swells, reddens and fades; a hot core
                radius = p.size * (0.45 + 0.55 * min(1.0, k * 3.0))
                color = FIRE if k < 0.45 else EMBER
                blit_soft(surface, radius, color, (sx, sy), 255 * (1.0 - k * k))
                blit_soft(surface, radius * 0.55 * (1.0 - k), FIRE_CORE, (sx, sy),
                          230 * (1.0 - k), additive=True)
            elif kind == "flame":
                blit_soft(surface, p.size * (1.0 - k * 0.5), FIRE, (sx, sy - int(k * 8)),
                          additive=True)
            elif kind == "flash":
                blit_soft(surface, p.size, FIRE_CORE, (sx, sy), additive=True)
            elif kind == "spark":
                blit_soft(surface, p.size * (1.0 - k), FIRE, (sx, sy), additive=True)
            elif kind == "tracer":  # a short streak flying from the muzzle to the target
                tx, ty = p.data  # type: ignore[misc]
                ex, ey = camera.to_screen(tx, ty)
                head, tail = min(1.0, k * 1.3), max(0.0, k * 1.3 - 0.25)
                pygame.draw.line(surface, (255, 236, 160),
                                 (int(sx + (ex - sx) * tail), int(sy + (ey - sy) * tail)),
                                 (int(sx + (ex - sx) * head), int(sy + (ey - sy) * head)), 1)
            elif kind == "debris":
                lift = int(math.sin(k * math.pi) * 10)
                size = int(p.size)
                surface.fill(p.color, (sx, sy - lift, size, size))

    def draw_projectiles(self, surface: pygame.Surface, camera: Camera,
                         projectiles: list[Projectile], alpha: float, visible: Visible) -> None:
        """Projectiles move in a straight line each tick; extrapolate by `alpha` of a tick."""
        for p in projectiles:
            dx, dy = p.tx - p.x, p.ty - p.y
            dist = math.hypot(dx, dy) or 1.0
            step = min(dist, p.speed * alpha)
            x, y = p.x + dx / dist * step, p.y + dy / dist * step
            if not visible(x, y):
                continue
            sx, sy = camera.to_screen(x, y)
            ux, uy = dx / dist, dy / dist
            if p.weapon == "shell":
                self._draw_shell(surface, (p.start_x, p.start_y), (x, y), (p.tx, p.ty), sx, sy)
            elif p.weapon == "missiles":
                pygame.draw.line(surface, (240, 240, 236), (sx, sy),
                                 (int(sx - ux * 7), int(sy - uy * 7)), 3)
                blit_soft(surface, 4, FIRE, (int(sx - ux * 8), int(sy - uy * 8)), additive=True)
                if self.rng.random() < 0.5:
                    self.smoke(x - ux * 0.3, y - uy * 0.3, 4, 0.5, (190, 190, 186))
            else:  # cannon shells: a glowing slug with a short trail
                blit_soft(surface, 3, FIRE, (sx, sy), 200, additive=True)
                pygame.draw.line(surface, (255, 210, 120), (sx, sy),
                                 (int(sx - ux * 7), int(sy - uy * 7)), 2)

    @staticmethod
    def _draw_shell(surface: pygame.Surface, origin: tuple[float, float],
                    pos: tuple[float, float], target: tuple[float, float], sx: int, sy: int
                    ) -> None:
        """Artillery shells fly in an arc: the shell rises above its shadow."""
        total = math.hypot(target[0] - origin[0], target[1] - origin[1]) or 1.0
        done = math.hypot(pos[0] - origin[0], pos[1] - origin[1]) / total
        height = int(math.sin(min(1.0, done) * math.pi) * min(60.0, total * 7))
        pygame.draw.circle(surface, (0, 0, 0), (sx, sy), 2)
        blit_soft(surface, 5, FIRE, (sx, sy - height), additive=True)
        pygame.draw.circle(surface, (60, 58, 54), (sx, sy - height), 3)


_EVENT_HANDLERS: dict[str, Callable[[Effects, Event], None]] = {
    "shot": Effects._on_shot,
    "hit": Effects._on_hit,
    "explosion": Effects._on_explosion,
    "unit_destroyed": Effects._on_unit_destroyed,
    "building_destroyed": Effects._on_building_destroyed,
    "building_sold": Effects._on_building_sold,
    "building_placed": Effects._on_building_placed,
}
