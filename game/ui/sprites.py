"""Every unit and building picture, drawn by code once and cached.

Pictures are drawn at twice their final size and scaled down smoothly, which
anti-aliases them. Vehicles point east in their master picture and are
pre-rotated into DIRECTIONS frames; each frame gets a matching drop shadow
(the shadow always falls to the south-east, whatever the unit's heading).
Buildings are drawn in a slight top-down oblique view: a roof, a darker
south wall, and a shadow cast to the south-east.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from game.rules import BUILDING_TYPES, UNIT_TYPES
from game.ui.theme import TEAM_COLORS, TEAM_LIGHT, TILE, Color, shade

DIRECTIONS = 32
SS = 2  # supersampling factor of master pictures
ROTOR_FRAMES = 6
HARVEST_LEVELS = 4  # empty, a third, two thirds, full
SHADOW_ALPHA = 80
CONCRETE = (150, 150, 146)
GLASS = (150, 214, 240)
HAZARD = (236, 190, 40)


def direction_index(angle: float) -> int:
    """Frame index for a heading in radians (0 = east, y grows southwards)."""
    return round(angle / (2 * math.pi) * DIRECTIONS) % DIRECTIONS


def _canvas(size: int) -> pygame.Surface:
    return pygame.Surface((size * SS, size * SS), pygame.SRCALPHA)


def _rot_frames(master: pygame.Surface) -> list[pygame.Surface]:
    """Rotate the supersampled master into every direction, then scale it down."""
    frames = []
    size = master.get_width() // SS
    for d in range(DIRECTIONS):
        rotated = pygame.transform.rotate(master, -d * 360.0 / DIRECTIONS)
        w, h = rotated.get_size()
        scaled = pygame.transform.smoothscale(rotated, (w // SS, h // SS))
        # Keep every frame the same size so the centre stays put.
        frame = pygame.Surface((size * 3 // 2, size * 3 // 2), pygame.SRCALPHA)
        frame.blit(scaled, scaled.get_rect(center=frame.get_rect().center))
        frames.append(frame.convert_alpha())
    return frames


def shadow_of(frame: pygame.Surface, alpha: int = SHADOW_ALPHA) -> pygame.Surface:
    mask = pygame.mask.from_surface(frame, 40)
    return mask.to_surface(setcolor=(0, 0, 0, alpha), unsetcolor=(0, 0, 0, 0)).convert_alpha()


def _rect(surf: pygame.Surface, color: Color, x: float, y: float, w: float, h: float,
          radius: int = 0, width: int = 0) -> None:
    pygame.draw.rect(surf, color, (round(x * SS), round(y * SS), round(w * SS), round(h * SS)),
                     width * SS if width else 0, border_radius=radius * SS)


def _circle(surf: pygame.Surface, color: Color, x: float, y: float, r: float,
            width: int = 0) -> None:
    pygame.draw.circle(surf, color, (round(x * SS), round(y * SS)), round(r * SS),
                       width * SS if width else 0)


def _line(surf: pygame.Surface, color: Color, a: tuple[float, float], b: tuple[float, float],
          width: float = 1) -> None:
    pygame.draw.line(surf, color, (round(a[0] * SS), round(a[1] * SS)),
                     (round(b[0] * SS), round(b[1] * SS)), max(1, round(width * SS)))


def _poly(surf: pygame.Surface, color: Color, points: list[tuple[float, float]]) -> None:
    pygame.draw.polygon(surf, color, [(round(x * SS), round(y * SS)) for x, y in points])


def _ellipse(surf: pygame.Surface, color: Color, x: float, y: float, w: float, h: float,
             width: int = 0) -> None:
    pygame.draw.ellipse(surf, color, (round(x * SS), round(y * SS), round(w * SS),
                                      round(h * SS)), width * SS if width else 0)


def _tracks(surf: pygame.Surface, cx: float, cy: float, length: float, gap: float,
            width: float) -> None:
    """Two caterpillar tracks along the x axis, with tread marks."""
    for side in (-1, 1):
        y = cy + side * gap / 2 - width / 2
        _rect(surf, (38, 40, 42), cx - length / 2, y, length, width, radius=2)
        x = cx - length / 2 + 1.5
        while x < cx + length / 2 - 1:
            _line(surf, (70, 72, 74), (x, y + 0.5), (x, y + width - 0.5), 0.6)
            x += 2.5


# -- vehicles and soldiers (masters point east) ---------------------------------
def _tank_hull(team: Color) -> pygame.Surface:
    s = _canvas(32)
    _tracks(s, 16, 16, 28, 17, 6)
    _rect(s, shade(team, 0.7), 5, 9, 22, 14, radius=2)
    _rect(s, team, 5, 9, 21, 12, radius=2)
    _line(s, shade(team, 1.35), (6, 10), (25, 10), 1)
    _rect(s, shade(team, 0.55), 24, 11, 3, 10, radius=1)
    return s


def _tank_turret(team: Color) -> pygame.Surface:
    s = _canvas(32)
    _rect(s, (44, 46, 48), 16, 14.6, 15, 2.8)
    _rect(s, (80, 84, 88), 16, 14.6, 15, 1)
    _circle(s, shade(team, 0.6), 15.4, 16.6, 6.6)
    _circle(s, shade(team, 1.1), 15, 16, 6)
    _circle(s, shade(team, 1.45), 13.6, 14.6, 2.4)
    _circle(s, shade(team, 0.7), 12.5, 18, 1.3)
    return s


def _artillery(team: Color) -> pygame.Surface:
    s = _canvas(36)
    _tracks(s, 15, 18, 24, 16, 5)
    _rect(s, shade(team, 0.65), 5, 11.5, 19, 13, radius=2)
    _rect(s, team, 5, 11.5, 18, 11, radius=2)
    _rect(s, shade(team, 0.45), 8, 14, 8, 6, radius=1)
    _rect(s, (40, 42, 44), 14, 16.2, 21, 3.6, radius=1)
    _rect(s, (90, 94, 98), 14, 16.2, 21, 1.2)
    _rect(s, (30, 30, 32), 32, 15.4, 3.5, 5.2, radius=1)
    _circle(s, shade(team, 1.3), 12, 17.8, 3)
    return s


def _harvester(team: Color, level: int) -> pygame.Surface:
    s = _canvas(36)
    _tracks(s, 18, 18, 30, 20, 6)
    _rect(s, shade(team, 0.6), 4, 9, 28, 18, radius=3)
    _rect(s, (86, 86, 80), 5, 10, 17, 16, radius=2)  # the ore bin
    _rect(s, (54, 52, 46), 6.5, 11.5, 14, 13, radius=2)
    piles = ((9, 14), (15, 20), (12, 17), (17, 13), (9, 21), (13, 22), (17, 17))
    for px, py in piles[: level * 7 // (HARVEST_LEVELS - 1)]:
        _circle(s, (176, 124, 30), px + 0.5, py + 0.5, 2.6)
        _circle(s, (236, 182, 60), px, py, 2.3)
    _rect(s, team, 23, 10, 9, 16, radius=2)  # the cab
    _rect(s, GLASS, 28, 12, 2.6, 12, radius=1)
    _line(s, shade(team, 1.4), (23.5, 10.5), (31, 10.5), 1)
    _rect(s, HAZARD, 32, 12, 2, 12)  # scoop
    return s


def _infantry(team: Color) -> pygame.Surface:
    """A soldier seen from above: shoulders, backpack, helmet, rifle held forward."""
    s = _canvas(20)
    _line(s, (26, 26, 28), (11, 12.4), (19.5, 12.4), 1.6)  # rifle
    _ellipse(s, shade(team, 0.8), 10.5, 10.6, 6, 3)  # forearms
    _ellipse(s, (18, 20, 22), 5.2, 3.6, 9.6, 12.8)
    _ellipse(s, team, 5.6, 4, 8.8, 12)  # shoulders
    _ellipse(s, shade(team, 1.45), 7, 5, 4, 3.5)
    _rect(s, shade(team, 0.5), 4.6, 7.4, 3.4, 5.2, radius=1)  # backpack
    _circle(s, (24, 28, 20), 10.6, 10, 3.1)
    _circle(s, (86, 100, 62), 10.4, 9.8, 2.6)  # helmet
    _circle(s, (130, 146, 100), 9.8, 9.2, 1)
    return pygame.transform.smoothscale(s, (26 * SS, 26 * SS))


def _helicopter(team: Color) -> pygame.Surface:
    s = _canvas(40)
    _rect(s, shade(team, 0.55), 3, 18.6, 17, 2.8, radius=1)  # tail boom
    _rect(s, shade(team, 0.7), 2, 15, 2.5, 10, radius=1)  # tail fin
    _ellipse(s, shade(team, 0.6), 14, 12.5, 20, 15)
    _ellipse(s, team, 14, 12.5, 19, 13.5)
    _ellipse(s, shade(team, 1.35), 17, 14, 10, 5)
    _ellipse(s, GLASS, 26, 15, 7, 10)
    _ellipse(s, (220, 244, 255), 28, 16.5, 3, 4)
    for side in (-1, 1):  # missile pods
        _rect(s, (50, 52, 56), 17, 20 + side * 8.5 - 1.5, 9, 3, radius=1)
    return s


def _rotor(frame: int) -> pygame.Surface:
    s = _canvas(40)
    _circle(s, (255, 255, 255, 26), 20, 20, 18)
    base = frame * math.pi / ROTOR_FRAMES
    for k in range(2):
        a = base + k * math.pi / 2
        dx, dy = math.cos(a) * 18, math.sin(a) * 18
        _line(s, (30, 30, 34, 210), (20 - dx, 20 - dy), (20 + dx, 20 + dy), 1.6)
    _circle(s, (60, 60, 66), 20, 20, 2)
    return pygame.transform.smoothscale(s, (40, 40)).convert_alpha()


def _turret_gun(team: Color) -> pygame.Surface:
    s = _canvas(32)
    _rect(s, (40, 42, 44), 16, 13.8, 15, 4.4, radius=1)
    _rect(s, (94, 98, 102), 16, 13.8, 15, 1.2)
    _circle(s, (70, 74, 78), 16.5, 16.5, 8)
    _circle(s, (120, 124, 126), 16, 16, 7.4)
    _circle(s, team, 16, 16, 4.2)
    _circle(s, shade(team, 1.5), 14.8, 14.8, 1.6)
    return s


# -- buildings --------------------------------------------------------------------
SHADOW_MARGIN = 10  # pixels of shadow beyond the footprint (right and bottom)


def _slab(s: pygame.Surface, w: int, h: int) -> None:
    _rect(s, shade(CONCRETE, 0.72), 1, 1, w - 2, h - 2, radius=3)
    _rect(s, CONCRETE, 2, 2, w - 4, h - 4, radius=3)
    for x in range(10, w - 4, 12):
        _line(s, shade(CONCRETE, 0.88), (x, 3), (x, h - 3), 0.5)


def _box(s: pygame.Surface, x: float, y: float, w: float, d: float, height: float,
         roof: Color, wall: Color | None = None) -> None:
    """A block seen from above and a little from the south: roof, then south wall.

    (x, y, w, d) is the ground footprint; the roof is lifted by `height`.
    """
    wall = wall or shade(roof, 0.55)
    reach = height * 0.7  # how far the shadow falls to the east
    shadow = [(x + w, y - height + 2), (x + w + reach, y - height * 0.3 + 2),
              (x + w + reach, y + d + height * 0.4), (x + reach, y + d + height * 0.4),
              (x, y + d)]
    _poly(s, (0, 0, 0, 70), shadow)
    _rect(s, wall, x, y + d - height, w, height)
    _rect(s, roof, x, y - height, w, d)
    _line(s, shade(roof, 1.3), (x, y - height), (x + w - 1, y - height), 1)
    _line(s, shade(roof, 1.15), (x, y - height), (x, y + d - height - 1), 1)


def _cylinder(s: pygame.Surface, cx: float, base_y: float, r: float, height: float,
              color: Color) -> None:
    _ellipse(s, (0, 0, 0, 70), cx - r + height * 0.5, base_y - r * 0.5 + 2, r * 2.2, r * 1.2)
    _rect(s, shade(color, 0.62), cx - r, base_y - height, 2 * r, height)
    _rect(s, shade(color, 0.78), cx - r * 0.35, base_y - height, r * 0.5, height)
    _ellipse(s, shade(color, 0.62), cx - r, base_y - r * 0.5, 2 * r, r)
    _ellipse(s, color, cx - r, base_y - height - r * 0.5, 2 * r, r)


def _hq(team: Color) -> pygame.Surface:
    s = _canvas(96 + SHADOW_MARGIN)
    _slab(s, 96, 96)
    _box(s, 10, 30, 76, 56, 14, (170, 172, 168))
    _rect(s, team, 14, 20, 68, 8)
    _rect(s, shade(team, 0.7), 14, 26, 68, 2)
    for x in range(18, 82, 12):  # windows on the south wall
        _rect(s, GLASS, x, 76, 6, 5)
    _circle(s, (120, 124, 126), 48, 46, 15)  # dome
    _circle(s, (186, 190, 192), 46, 44, 13)
    _circle(s, (220, 224, 226), 42, 40, 5)
    _line(s, (70, 74, 78), (70, 30), (70, 8), 1.4)  # antenna
    _circle(s, team, 70, 8, 2.4)
    _ellipse(s, (80, 84, 88), 16, 34, 16, 10)  # radar dish
    _ellipse(s, (214, 218, 220), 17, 35, 14, 8)
    _line(s, (80, 84, 88), (24, 39), (28, 35), 1)
    _circle(s, shade(team, 1.4), 78, 40, 2)
    return s


def _power_plant(team: Color) -> pygame.Surface:
    s = _canvas(64 + SHADOW_MARGIN)
    _slab(s, 64, 64)
    _box(s, 6, 38, 52, 20, 8, (166, 160, 140))
    _rect(s, team, 6, 28, 52, 3)
    _poly(s, HAZARD, [(32, 32), (27, 41), (31, 41), (28, 48), (36, 38), (32, 38), (35, 32)])
    _cylinder(s, 19, 30, 10, 16, (196, 196, 190))
    _cylinder(s, 44, 30, 10, 16, (196, 196, 190))
    for cx in (19, 44):
        _ellipse(s, (70, 70, 72), cx - 7, 10.5, 14, 7)
    return s


def _barracks(team: Color) -> pygame.Surface:
    s = _canvas(64 + SHADOW_MARGIN)
    _slab(s, 64, 64)
    _box(s, 6, 22, 52, 30, 10, (104, 118, 82), (70, 80, 54))
    for x in range(10, 58, 6):  # corrugated roof ribs
        _line(s, (86, 98, 66), (x, 13), (x, 41), 0.8)
    _rect(s, shade(team, 0.9), 6, 12, 52, 4)
    _rect(s, (46, 40, 32), 26, 44, 12, 8)  # door
    for x in range(6, 60, 7):  # sandbags
        _ellipse(s, (170, 150, 100), x, 55, 7, 5)
    _line(s, (60, 60, 60), (54, 52), (54, 28), 1)  # flag
    _poly(s, team, [(54, 28), (63, 31), (54, 34)])
    return s


def _refinery(team: Color) -> pygame.Surface:
    s = _canvas(96 + SHADOW_MARGIN)
    _slab(s, 96, 64)
    _rect(s, (60, 60, 58), 34, 44, 28, 18)  # unloading pad
    for x in range(34, 62, 6):
        _poly(s, HAZARD, [(x, 44), (x + 3, 44), (x + 0, 47), (x - 3, 47)])
    _box(s, 4, 22, 40, 26, 12, (150, 138, 120))
    _rect(s, team, 4, 10, 40, 4)
    _line(s, (90, 84, 74), (24, 10), (24, 36), 1)
    _cylinder(s, 64, 32, 10, 18, (206, 196, 170))
    _cylinder(s, 84, 30, 8, 14, (206, 196, 170))
    _rect(s, team, 54, 22, 20, 3)
    _line(s, (100, 100, 96), (44, 18), (54, 18), 2)
    return s


def _war_factory(team: Color) -> pygame.Surface:
    s = _canvas(96 + SHADOW_MARGIN)
    _slab(s, 96, 96)
    _box(s, 6, 26, 84, 58, 16, shade(team, 0.85), (84, 88, 92))
    for x in range(12, 88, 10):
        _line(s, shade(team, 0.65), (x, 11), (x, 67), 1)
    _rect(s, (226, 228, 224), 6, 36, 84, 3)
    _rect(s, (52, 54, 56), 28, 68, 40, 16)  # the big door
    for x in range(28, 68, 8):
        _poly(s, HAZARD, [(x, 68), (x + 4, 68), (x + 1, 71), (x - 3, 71)])
    for y in range(74, 84, 3):
        _line(s, (70, 72, 74), (29, y), (67, y), 0.6)
    _cylinder(s, 80, 20, 4, 14, (120, 120, 118))  # chimney
    return s


def _turret_base(team: Color) -> pygame.Surface:
    s = _canvas(32 + SHADOW_MARGIN)
    pts = [(16 + 13 * math.cos(a), 17 + 13 * math.sin(a))
           for a in (math.pi / 8 + k * math.pi / 4 for k in range(8))]
    _poly(s, (0, 0, 0, 70), [(x + 4, y + 4) for x, y in pts])
    _poly(s, (104, 104, 100), pts)
    _poly(s, (150, 150, 146), [(x * 0.86 + 2.2, y * 0.86 + 1.6) for x, y in pts])
    _circle(s, team, 16, 16, 3)
    return s


BUILDING_PAINTERS: dict[str, Callable[[Color], pygame.Surface]] = {
    "hq": _hq, "power_plant": _power_plant, "barracks": _barracks, "refinery": _refinery,
    "war_factory": _war_factory, "turret": _turret_base,
}
UNIT_PAINTERS: dict[str, Callable[[Color], pygame.Surface]] = {
    "infantry": _infantry, "tank": _tank_hull, "artillery": _artillery,
    "helicopter": _helicopter,
}
assert set(BUILDING_PAINTERS) == set(BUILDING_TYPES), "every building needs a picture"
assert set(UNIT_PAINTERS) | {"harvester"} == set(UNIT_TYPES), "every unit needs a picture"


def _downscale(master: pygame.Surface) -> pygame.Surface:
    w, h = master.get_size()
    return pygame.transform.smoothscale(master, (w // SS, h // SS)).convert_alpha()


class SpriteBank:
    """All cached pictures; build once per window (takes a fraction of a second)."""

    def __init__(self) -> None:
        self.units: dict[tuple[str, int], list[pygame.Surface]] = {}
        self.unit_shadows: dict[str, list[pygame.Surface]] = {}
        self.harvesters: dict[int, list[list[pygame.Surface]]] = {}  # team -> level -> frames
        self.turrets: dict[tuple[str, int], list[pygame.Surface]] = {}
        self.buildings: dict[tuple[str, int], pygame.Surface] = {}
        self.icons: dict[tuple[str, int], pygame.Surface] = {}
        self.rotor = [_rotor(f) for f in range(ROTOR_FRAMES)]
        for team, color in enumerate(TEAM_COLORS):
            self._build_team(team, color)
        for name in UNIT_TYPES:
            self.unit_shadows[name] = [shadow_of(f) for f in self.units[(name, 0)]]

    def _build_team(self, team: int, color: Color) -> None:
        for name, painter in UNIT_PAINTERS.items():
            self.units[(name, team)] = _rot_frames(painter(color))
        levels = [_rot_frames(_harvester(color, lv)) for lv in range(HARVEST_LEVELS)]
        self.harvesters[team] = levels
        self.units[("harvester", team)] = levels[0]
        self.turrets[("tank", team)] = _rot_frames(_tank_turret(color))
        self.turrets[("turret", team)] = _rot_frames(_turret_gun(TEAM_LIGHT[team]))
        for name, painter in BUILDING_PAINTERS.items():
            self.buildings[(name, team)] = _downscale(painter(color))
        for name in (*UNIT_TYPES, *BUILDING_TYPES):
            self.icons[(name, team)] = self._icon(name, team)

    def harvester_frame(self, team: int, cargo_fraction: float, direction: int
                        ) -> pygame.Surface:
        level = min(HARVEST_LEVELS - 1, int(cargo_fraction * (HARVEST_LEVELS - 1) + 0.5))
        return self.harvesters[team][level][direction]

    def _icon(self, name: str, team: int) -> pygame.Surface:
        """A 52x40 picture for the sidebar buttons, cropped to the drawing and enlarged."""
        icon = pygame.Surface((52, 40), pygame.SRCALPHA)
        if name in BUILDING_TYPES:
            pic = self.buildings[(name, team)].copy()
            if name == "turret":
                gun = self.turrets[("turret", team)][DIRECTIONS * 7 // 8]
                pic.blit(gun, gun.get_rect(center=(TILE // 2, TILE // 2)))
        else:
            pic = self.units[(name, team)][DIRECTIONS * 7 // 8].copy()
            if name == "tank":
                pic.blit(self.turrets[("tank", team)][DIRECTIONS * 7 // 8], (0, 0))
            elif name == "helicopter":
                pic.blit(self.rotor[1], self.rotor[1].get_rect(center=pic.get_rect().center))
        pic = pic.subsurface(pic.get_bounding_rect())
        w, h = pic.get_size()
        scale = min(50 / w, 38 / h, 2.5)
        pic = pygame.transform.smoothscale(pic, (max(1, int(w * scale)), max(1, int(h * scale))))
        icon.blit(pic, pic.get_rect(center=(26, 20)))
        return icon
