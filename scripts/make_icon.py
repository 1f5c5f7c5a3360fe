"""Draw the game's icon with pygame into assets/icon.png and assets/icon.ico.

Run after changing the drawing: `python scripts/make_icon.py` (the generated
files are committed; `make bundle` also runs this when they are missing). The
icon is drawn at 4x and smooth-scaled down for clean edges. The .ico holds PNG
images (16 to 256 pixels) in a minimal ICO container written with struct, which
Windows Vista and later accept, so Pillow is not needed.
"""

from __future__ import annotations

import io
import math
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame  # noqa: E402  (after the environment variable)

ROOT = Path(__file__).resolve().parent.parent
PNG_PATH = ROOT / "assets" / "icon.png"
ICO_PATH = ROOT / "assets" / "icon.ico"
SIZE = 256
SCALE = 4
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

PANEL = (30, 42, 34)
PANEL_EDGE = (120, 168, 96)
SAND = (196, 170, 110)
HULL = (70, 112, 178)
HULL_DARK = (40, 68, 116)
TURRET = (96, 140, 206)
TRACK = (64, 66, 72)
BARREL = (210, 216, 226)
ACCENT = (236, 196, 72)


def _rotated(points: list[tuple[float, float]], center: tuple[float, float],
             degrees: float) -> list[tuple[float, float]]:
    a = math.radians(degrees)
    cx, cy = center
    return [(cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a),
             cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a)) for x, y in points]


def _rect(x: float, y: float, w: float, h: float) -> list[tuple[float, float]]:
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def draw(size: int = SIZE * SCALE) -> pygame.Surface:
    """The icon at `size` pixels: a tank on a sand patch inside a rounded badge."""
    s = size / 256.0
    surface = pygame.Surface((size, size), pygame.SRCALPHA)
    badge = pygame.Rect(int(8 * s), int(8 * s), int(240 * s), int(240 * s))
    pygame.draw.rect(surface, PANEL, badge, border_radius=int(44 * s))
    pygame.draw.rect(surface, PANEL_EDGE, badge, width=max(1, int(10 * s)),
                     border_radius=int(44 * s))
    pygame.draw.ellipse(surface, SAND, pygame.Rect(int(40 * s), int(150 * s), int(176 * s),
                                                   int(64 * s)))
    center = (128 * s, 132 * s)
    angle = -35.0  # the tank faces up and to the right
    parts = [
        (_rect(64 * s, 78 * s, 128 * s, 26 * s), TRACK),  # upper track
        (_rect(64 * s, 160 * s, 128 * s, 26 * s), TRACK),  # lower track
        (_rect(70 * s, 96 * s, 116 * s, 72 * s), HULL_DARK),  # hull shadow
        (_rect(74 * s, 100 * s, 108 * s, 62 * s), HULL),  # hull
        (_rect(128 * s, 124 * s, 100 * s, 14 * s), BARREL),  # barrel
    ]
    for points, colour in parts:
        pygame.draw.polygon(surface, colour, _rotated(points, center, angle))
    pygame.draw.circle(surface, HULL_DARK, center, 36 * s)
    pygame.draw.circle(surface, TURRET, center, 31 * s)
    pygame.draw.circle(surface, ACCENT, center, 12 * s)
    star = [(198 * s + math.cos(math.radians(-90 + i * 36)) * (22 if i % 2 == 0 else 9) * s,
             58 * s + math.sin(math.radians(-90 + i * 36)) * (22 if i % 2 == 0 else 9) * s)
            for i in range(10)]
    pygame.draw.polygon(surface, ACCENT, star)
    return surface


def png_bytes(surface: pygame.Surface) -> bytes:
    buffer = io.BytesIO()
    pygame.image.save(surface, buffer, "icon.png")
    return buffer.getvalue()


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding PNG images: ICONDIR, one ICONDIRENTRY each, then the data."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = [], []
    for size, data in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO entry
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(blobs)


def main() -> int:
    big = draw()
    images = [(n, png_bytes(pygame.transform.smoothscale(big, (n, n)))) for n in ICO_SIZES]
    PNG_PATH.parent.mkdir(parents=True, exist_ok=True)
    PNG_PATH.write_bytes(dict(images)[SIZE])
    ICO_PATH.write_bytes(ico_bytes(images))
    print(PNG_PATH)
    print(ICO_PATH)
    return 0


if __name__ == "__main__":
    sys.exit(main())
