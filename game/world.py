"""The simulation state: players, the tile map, units, buildings, projectiles.

Plain data. Behaviour lives in game.sim (the tick) and its systems; the world
only offers lookups that every system needs. Iteration orders are stable
(dicts keep insertion order, ids only grow) so that a seed and an order stream
always produce the same game.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from game.rules import BUILDING_TYPES, ECONOMY, BuildingType, UnitType
from game.spatial import SpatialIndex
from game.terrain import TileMap

if TYPE_CHECKING:
    from game.activities import Activity
    from game.orders import Order

PLAYER, ENEMY = 0, 1


@dataclass
class Stats:
    units_built: int = 0
    units_lost: int = 0
    units_killed: int = 0
    buildings_built: int = 0
    buildings_lost: int = 0  # destroyed by the enemy; a sale is not a loss
    buildings_sold: int = 0
    buildings_destroyed: int = 0
    credits_harvested: int = 0
    credits_spent: int = 0


@dataclass
class Construction:
    """The HQ builds one structure at a time; it is placed when ready."""

    item: str
    progress: float = 0.0
    auto_place: bool = False  # placed automatically when ready (typed orders, bots)
    near: tuple[int, int] | None = None  # preferred spot for auto placement
    paid: int = 0  # credits taken so far: the price is paid as the work advances
    on_hold: bool = False  # stopped for want of credits; resumes when money comes in

    @property
    def ready(self) -> bool:
        return self.progress >= BUILDING_TYPES[self.item].build_time


@dataclass
class Player:
    id: int
    credits: int
    explored: bytearray
    visible: bytearray
    start: tuple[int, int]  # centre of the starting HQ
    power_produced: int = 0
    power_used: int = 0
    construction: Construction | None = None
    # Enemy buildings this player has seen: id -> (type, x, y). Stays under fog.
    known_buildings: dict[int, tuple[str, int, int]] = field(default_factory=dict)
    stats: Stats = field(default_factory=Stats)
    defeated: bool = False
    alert_tick: int = -1000  # last "under attack" alert, to throttle them
    funds_alert_tick: int = -1000  # last "insufficient funds" message, to throttle them
    # Where the last attack on one of its buildings came from, and when (x, y, tick):
    # the side new defences should face.
    raided_from: tuple[float, float, int] | None = None

    @property
    def low_power(self) -> bool:
        return self.power_used > self.power_produced

    @property
    def production_speed(self) -> float:
        if not self.low_power:
            return 1.0
        return max(ECONOMY.low_power_speed, self.power_produced / max(1, self.power_used))


class Unit:
    __slots__ = (
        "id", "owner", "type", "x", "y", "prev_x", "prev_y", "hp", "facing",
        "activity", "cooldown", "target_id", "cell", "cargo", "auto_harvest",
        "last_attacker", "attacked_tick", "scan_phase",
    )

    def __init__(self, uid: int, owner: int, utype: UnitType, x: float, y: float) -> None:
        self.id = uid
        self.owner = owner
        self.type = utype
        self.x = self.prev_x = x
        self.y = self.prev_y = y
        self.hp = utype.hp
        self.facing = 0.0
        self.activity: Activity | None = None
        self.cooldown = 0
        self.target_id: int | None = None  # what the weapon is aimed at
        self.cell: tuple[int, int] | None = None  # the one cell this ground unit reserves
        self.cargo = 0  # harvesters: credits carried
        self.auto_harvest = utype.harvest_capacity > 0
        self.last_attacker: int | None = None
        self.attacked_tick = -1000
        self.scan_phase = uid % 8  # staggers target scans over ticks

    @property
    def tile(self) -> tuple[int, int]:
        return int(self.x), int(self.y)

    @property
    def alive(self) -> bool:
        return self.hp > 0


class Building:
    __slots__ = (
        "id", "owner", "type", "x", "y", "hp", "queue", "progress", "paid", "on_hold",
        "rally", "cooldown", "target_id", "attacked_tick", "repairing", "repair_on_hold",
    )

    def __init__(self, bid: int, owner: int, btype: BuildingType, x: int, y: int) -> None:
        self.id = bid
        self.owner = owner
        self.type = btype
        self.x = x  # top-left tile
        self.y = y
        self.hp = btype.hp
        self.queue: list[str] = []  # unit names waiting to be produced here
        self.progress = 0.0  # ticks of work done on queue[0]
        self.paid = 0  # credits taken so far for queue[0] (the others are unpaid)
        self.on_hold = False  # queue[0] waits for credits
        self.rally: tuple[int, int] | None = None
        self.cooldown = 0
        self.target_id: int | None = None
        self.attacked_tick = -1000
        self.repairing = False  # repair mode turned on for it; stops when full
        self.repair_on_hold = False  # repairing waits for credits

    @property
    def damaged(self) -> bool:
        return 0 < self.hp < self.type.hp

    @property
    def cells(self) -> list[tuple[int, int]]:
        w, h = self.type.size
        return [(self.x + dx, self.y + dy) for dy in range(h) for dx in range(w)]

    @property
    def center(self) -> tuple[float, float]:
        w, h = self.type.size
        return self.x + w / 2, self.y + h / 2

    @property
    def alive(self) -> bool:
        return self.hp > 0


@dataclass
class Projectile:
    x: float
    y: float
    tx: float
    ty: float
    speed: float
    damage: int
    owner: int
    source_id: int
    target_id: int | None  # homing target (None: flies to a fixed point)
    weapon: str
    splash: float
    start_x: float = 0.0  # where it was fired from (the renderer draws shell arcs from it)
    start_y: float = 0.0


EventKind = Literal[
    "order_rejected", "queued", "cancelled", "insufficient_funds",  # orders and production
    "construction_ready", "building_placed", "unit_ready", "unloaded",
    "repair_started", "repair_stopped", "repaired", "building_sold",
    "shot", "hit", "explosion", "under_attack", "unit_destroyed", "building_destroyed",
    "defeated", "victory",
]


@dataclass
class Event:
    """Something the UI, the sound, the advisor or the log may want to know."""

    kind: EventKind
    player: int | None = None
    x: float = 0.0
    y: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)


class World:
    def __init__(self, seed: int, tiles: TileMap, starts: tuple[tuple[int, int], ...],
                 credits: int = ECONOMY.start_credits) -> None:
        self.seed = seed
        self.tiles = tiles
        self.tick = 0
        n = tiles.width * tiles.height
        self.players = [
            Player(i, credits, bytearray(n), bytearray(n), start)
            for i, start in enumerate(starts)
        ]
        self.units: dict[int, Unit] = {}
        self.buildings: dict[int, Building] = {}
        self.projectiles: list[Projectile] = []
        self.pending_orders: list[Order] = []
        self.order_log: list[tuple[int, Order]] = []  # every order executed, for replays
        # Called at the start of every tick with (tick, the orders it starts with, executed
        # or not), before any of them runs (the replay recorder); not part of the state.
        self.order_observers: list[Callable[[int, list[Order]], None]] = []
        self.events: list[Event] = []  # produced during the last tick
        self.reserved: dict[tuple[int, int], int] = {}  # cell -> ground unit resting/going there
        self.index = SpatialIndex(tiles.width, tiles.height)  # rebuilt every tick
        self.claims: dict[tuple[int, int], int] = {}  # resource tile -> harvester digging it
        self.winner: int | None = None
        self.path_budget = 0  # A* searches still allowed this tick (refilled by the sim)
        self._next_id = 1
        self._resource_cache: tuple[int, list[tuple[int, int]]] = (-1, [])

    # -- identity -------------------------------------------------------
    def new_id(self) -> int:
        uid = self._next_id
        self._next_id += 1
        return uid

    def entity(self, eid: int | None) -> Unit | Building | None:
        if eid is None:
            return None
        return self.units.get(eid) or self.buildings.get(eid)

    # -- queries -------------------------------------------------------
    def units_of(self, owner: int) -> Iterator[Unit]:
        return (u for u in self.units.values() if u.owner == owner)

    def buildings_of(self, owner: int, kind: str | None = None) -> Iterator[Building]:
        return (b for b in self.buildings.values()
                if b.owner == owner and (kind is None or b.type.name == kind))

    def has_building(self, owner: int, kind: str) -> bool:
        return any(True for _ in self.buildings_of(owner, kind))

    def is_visible(self, player: int, x: float, y: float) -> bool:
        tiles = self.tiles
        ix, iy = int(x), int(y)
        if not (0 <= ix < tiles.width and 0 <= iy < tiles.height):
            return False
        return bool(self.players[player].visible[iy * tiles.width + ix])

    def building_visible(self, player: int, b: Building) -> bool:
        vis = self.players[player].visible
        w = self.tiles.width
        return any(vis[y * w + x] for x, y in b.cells)

    def resource_tiles(self) -> list[tuple[int, int]]:
        """Every tile that still holds ore or gems (cached until one empties)."""
        tiles = self.tiles
        if self._resource_cache[0] != tiles.resource_version:
            w = tiles.width
            cells = [(i % w, i // w) for i, a in enumerate(tiles.resource_amount) if a]
            self._resource_cache = (tiles.resource_version, cells)
        return self._resource_cache[1]

    def mirror_key(self, player: int, x: float, y: float) -> tuple[float, float]:
        """A point seen from the player's corner, facing the map centre.

        Used to break ties so that both players of the point-symmetric map make
        mirror-image choices (building spots, ore fields) instead of choices
        biased towards one corner by scan order.
        """
        sx, sy = self.players[player].start
        fx = 1 if sx < self.tiles.width / 2 else -1
        fy = 1 if sy < self.tiles.height / 2 else -1
        return fx * (x - sx - 0.5), fy * (y - sy - 0.5)  # from the start tile's centre

    def take_path_budget(self) -> bool:
        """Spread A* searches over ticks so a big group order cannot stall one tick."""
        if self.path_budget <= 0:
            return False
        self.path_budget -= 1
        return True

    def emit(self, kind: EventKind, player: int | None = None, x: float = 0.0, y: float = 0.0,
             **data: Any) -> None:
        self.events.append(Event(kind, player, x, y, data))

    def issue(self, order: Order) -> None:
        """Queue an order; it is executed at the start of the next tick."""
        self.pending_orders.append(order)

    # -- determinism ---------------------------------------------------
    def state_hash(self) -> str:
        """A digest of the full state a save holds (game.save.world_state), floats exact:
        equal hashes mean the two games go on identically."""
        from game.save import state_hash  # the save module builds on this one

        return state_hash(self)


def army_value(units: Iterable[Unit]) -> int:
    """What a group of units cost: the yardstick of army strength for bots and advisor."""
    return sum(u.type.cost for u in units)


def enemy_army_in_sight(world: World, player: int) -> list[Unit]:
    """The enemy combat units this player can see now (fog of war applies)."""
    return [u for u in world.units.values() if u.owner != player and u.type.combat
            and world.is_visible(player, u.x, u.y)]
