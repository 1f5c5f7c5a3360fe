"""The tile map: terrain, ore and gems, and what blocks ground units.

Tiles are stored in flat bytearrays indexed by ``y * width + x`` so that
pathfinding, fog and rendering can read them without per-tile objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GRASS, WATER, ROCK, SAND = 0, 1, 2, 3

NO_RESOURCE, ORE, GEMS = 0, 1, 2


@dataclass(eq=False)  # compared and hashed by identity (path caches key on it)
class TileMap:
    width: int
    height: int
    terrain: bytearray
    resource_kind: bytearray  # NO_RESOURCE, ORE or GEMS
    resource_amount: bytearray  # bales left on the tile
    shade: bytearray  # 0..255 decorative variation for the renderer
    # 1 where ground units cannot go: water, rock, or a building footprint.
    blocked: bytearray = field(default_factory=bytearray)
    building_at: dict[int, int] = field(default_factory=dict)  # tile index -> building id
    version: int = 0  # bumped whenever `blocked` changes (path caches key on it)
    resource_version: int = 0  # bumped when a resource tile empties

    # Connected regions of land (ignoring buildings): 0 for water/rock, else a region id.
    region: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.blocked:
            self.blocked = bytearray(
                1 if t in (WATER, ROCK) else 0 for t in self.terrain
            )
        if not self.region:
            self.region = self._label_regions()

    def _label_regions(self) -> list[int]:
        """Flood-fill land so "can I ever walk there?" is one comparison."""
        w, h = self.width, self.height
        region = [0] * (w * h)
        label = 0
        for start in range(w * h):
            if region[start] or self.terrain[start] in (WATER, ROCK):
                continue
            label += 1
            region[start] = label
            stack = [start]
            while stack:
                i = stack.pop()
                y, x = divmod(i, w)
                for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                    if 0 <= nx < w and 0 <= ny < h:
                        j = ny * w + nx
                        if not region[j] and self.terrain[j] not in (WATER, ROCK):
                            region[j] = label
                            stack.append(j)
        return region

    def index(self, x: int, y: int) -> int:
        return y * self.width + x

    def in_bounds(self, x: int, y: int) -> bool:
        return 0 <= x < self.width and 0 <= y < self.height

    def passable(self, x: int, y: int) -> bool:
        return 0 <= x < self.width and 0 <= y < self.height and not self.blocked[y * self.width + x]

    def buildable(self, x: int, y: int) -> bool:
        """Free land without ore: where a building footprint may go."""
        if not self.in_bounds(x, y):
            return False
        i = y * self.width + x
        return not self.blocked[i] and self.resource_amount[i] == 0

    def occupy(self, cells: list[tuple[int, int]], building_id: int) -> None:
        for x, y in cells:
            i = y * self.width + x
            self.blocked[i] = 1
            self.building_at[i] = building_id
        self.version += 1

    def release(self, cells: list[tuple[int, int]]) -> None:
        for x, y in cells:
            i = y * self.width + x
            self.building_at.pop(i, None)
            self.blocked[i] = 1 if self.terrain[i] in (WATER, ROCK) else 0
        self.version += 1

    def take_bale(self, x: int, y: int) -> int:
        """Dig one bale; returns the resource kind dug (NO_RESOURCE if empty)."""
        i = y * self.width + x
        if self.resource_amount[i] == 0:
            return NO_RESOURCE
        kind = self.resource_kind[i]
        self.resource_amount[i] -= 1
        if self.resource_amount[i] == 0:
            self.resource_kind[i] = NO_RESOURCE
            self.resource_version += 1
        return kind
