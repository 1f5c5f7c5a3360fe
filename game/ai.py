"""The enemy commander: builds a base, harvests, trains a mixed army, defends,
and attacks in growing waves. It plays by the player's rules: it only issues
`Order`s, and it only knows what its own fog of war shows plus where the enemy
started (every player knows the opposite corner on a two-player map).

Difficulties differ in timing and economy (how often it thinks, how many
harvesters it keeps, when and how hard it attacks), never in vision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from game import orders as O
from game.activities import Attack
from game.orders import Order
from game.rules import BUILDING_TYPES, TICKS_PER_SECOND, UNIT_TYPES
from game.world import World

MINUTE = 60 * TICKS_PER_SECOND


@dataclass(frozen=True)
class Difficulty:
    name: str
    think_period: int  # ticks between decisions
    harvesters: int  # harvesters it keeps alive
    build_plan: tuple[str, ...]  # the base it wants, in order
    first_wave: int  # tick of the first attack at the earliest
    wave_size: int  # units in the first wave
    wave_growth: int  # extra units per later wave
    wave_interval: int  # ticks between waves at the earliest
    mix: tuple[tuple[str, float], ...]  # army composition it aims for
    cash_reserve: int  # credits kept back for buildings once the base is up


_BASE = ("power_plant", "refinery", "barracks", "power_plant", "war_factory", "turret")
DIFFICULTIES: dict[str, Difficulty] = {
    "easy": Difficulty(
        "easy", think_period=60, harvesters=1, build_plan=_BASE + ("power_plant",),
        first_wave=7 * MINUTE, wave_size=4, wave_growth=1, wave_interval=3 * MINUTE,
        mix=(("infantry", 0.6), ("tank", 0.3), ("artillery", 0.1)), cash_reserve=600),
    "normal": Difficulty(
        "normal", think_period=30, harvesters=2,
        build_plan=_BASE + ("power_plant", "turret", "refinery"),
        first_wave=4 * MINUTE, wave_size=6, wave_growth=2, wave_interval=2 * MINUTE,
        mix=(("infantry", 0.35), ("tank", 0.4), ("artillery", 0.15), ("helicopter", 0.1)),
        cash_reserve=300),
    "hard": Difficulty(
        "hard", think_period=15, harvesters=3,
        build_plan=_BASE + ("refinery", "power_plant", "war_factory", "turret", "power_plant",
                            "barracks", "turret"),
        first_wave=int(3 * MINUTE), wave_size=7, wave_growth=3, wave_interval=int(1.5 * MINUTE),
        mix=(("infantry", 0.3), ("tank", 0.4), ("artillery", 0.15), ("helicopter", 0.15)),
        cash_reserve=200),
}

DEFEND_RADIUS = 14  # tiles around its buildings where enemies trigger a defence


class Bot:
    def __init__(self, player: int, difficulty: str = "normal") -> None:
        self.player = player
        self.level = DIFFICULTIES[difficulty]
        self.wave_size = self.level.wave_size
        self.next_wave = self.level.first_wave
        self.attackers: set[int] = set()  # units currently sent on the offensive
        self.rally_set: set[int] = set()

    # -- entry point ------------------------------------------------------
    def think(self, world: World) -> list[Order]:
        """Called every tick; decides every `think_period` ticks."""
        if world.winner is not None or (world.tick + self.player * 7) % self.level.think_period:
            return []
        orders: list[Order] = []
        orders += self._construct(world)
        orders += self._economy(world)
        orders += self._produce(world)
        orders += self._command_army(world)
        for order in orders:
            world.issue(order)
        return orders

    # -- base -------------------------------------------------------------
    def _counts(self, world: World) -> dict[str, int]:
        counts: dict[str, int] = {}
        for b in world.buildings_of(self.player):
            counts[b.type.name] = counts.get(b.type.name, 0) + 1
        return counts

    def _construct(self, world: World) -> list[Order]:
        me = world.players[self.player]
        if me.construction is not None or not world.has_building(self.player, "hq"):
            return []
        counts = self._counts(world)
        wanted = self._next_building(world, counts)
        if wanted is None or me.credits < BUILDING_TYPES[wanted].cost:
            return []
        near = self._front(world, 6) if wanted == "turret" else None
        return [Order(O.BUILD, self.player, item=wanted, auto_place=True, cell=near)]

    def _next_building(self, world: World, counts: dict[str, int]) -> str | None:
        me = world.players[self.player]
        if me.power_produced - me.power_used < 15 and counts.get("power_plant", 0) > 0:
            return "power_plant"
        seen: dict[str, int] = {}
        for name in self.level.build_plan:
            seen[name] = seen.get(name, 0) + 1
            if counts.get(name, 0) < seen[name]:
                missing = [p for p in BUILDING_TYPES[name].prerequisites if not counts.get(p)]
                return missing[0] if missing else name
        return None

    def _front(self, world: World, distance: int) -> tuple[int, int]:
        """A point `distance` tiles from our start towards the enemy's."""
        sx, sy = world.players[self.player].start
        ex, ey = self._enemy_start(world)
        d = math.hypot(ex - sx, ey - sy) or 1.0
        return int(sx + (ex - sx) / d * distance), int(sy + (ey - sy) / d * distance)

    def _enemy_start(self, world: World) -> tuple[int, int]:
        return world.players[1 - self.player].start

    # -- economy and production ------------------------------------------
    def _economy(self, world: World) -> list[Order]:
        harvesters = sum(1 for u in world.units_of(self.player) if u.type.harvest_capacity)
        queued = sum(b.queue.count("harvester") for b in world.buildings_of(self.player, "hq"))
        if harvesters + queued >= self.level.harvesters:
            return []
        if not world.has_building(self.player, "refinery"):
            return []
        if world.players[self.player].credits < UNIT_TYPES["harvester"].cost:
            return []
        return [Order(O.TRAIN, self.player, item="harvester")]

    def _produce(self, world: World) -> list[Order]:
        me = world.players[self.player]
        base_done = self._next_building(world, self._counts(world)) is None
        budget = me.credits - (0 if base_done else self.level.cash_reserve)
        army = [u for u in world.units_of(self.player) if u.type.combat]
        have = {name: 0 for name, _ in self.level.mix}
        for u in army:
            if u.type.name in have:
                have[u.type.name] += 1
        for b in world.buildings_of(self.player):
            for item in b.queue:
                if item in have:
                    have[item] += 1
        total = sum(have.values()) + 1
        orders = []
        for factory in list(world.buildings_of(self.player)):
            if factory.type.name not in ("barracks", "war_factory") or len(factory.queue) >= 2:
                continue
            if factory.id not in self.rally_set:
                self.rally_set.add(factory.id)
                orders.append(Order(O.RALLY, self.player, target=factory.id,
                                    cell=self._front(world, 9)))
            choice = self._pick_unit(world, factory.type.name, have, total, budget)
            if choice is None:
                continue
            budget -= UNIT_TYPES[choice].cost
            have[choice] += 1
            total += 1
            orders.append(Order(O.TRAIN, self.player, item=choice, target=factory.id))
        return orders

    def _pick_unit(self, world: World, factory: str, have: dict[str, int], total: int,
                   budget: int) -> str | None:
        best, best_gap = None, -1.0
        for name, share in self.level.mix:
            utype = UNIT_TYPES[name]
            if utype.produced_by != factory or utype.cost > budget:
                continue
            if any(not world.has_building(self.player, p) for p in utype.prerequisites):
                continue
            gap = share - have[name] / total
            if gap > best_gap:
                best, best_gap = name, gap
        return best

    # -- army ------------------------------------------------------------
    def _command_army(self, world: World) -> list[Order]:
        army = [u for u in world.units_of(self.player) if u.type.combat]
        self.attackers &= {u.id for u in army}
        threat = self._threat(world)
        if threat is not None:
            defenders = [u.id for u in army if u.id not in self.attackers
                         and not isinstance(u.activity, Attack)]
            if defenders:
                return [Order(O.ATTACK_MOVE, self.player, tuple(defenders), cell=threat)]
        home = [u for u in army if u.id not in self.attackers]
        orders: list[Order] = []
        if world.tick >= self.next_wave and len(home) >= self.wave_size:
            self.attackers.update(u.id for u in home)
            self.wave_size += self.level.wave_growth
            self.next_wave = world.tick + self.level.wave_interval
        idle_attackers = [u.id for u in army if u.id in self.attackers and u.activity is None]
        if idle_attackers:
            orders.append(Order(O.ATTACK_MOVE, self.player, tuple(idle_attackers),
                                cell=self._attack_target(world)))
        return orders

    def _threat(self, world: World) -> tuple[int, int] | None:
        """Where visible enemies are closest to our buildings, if close enough."""
        mine = list(world.buildings_of(self.player))
        best, best_d = None, DEFEND_RADIUS ** 2
        for u in world.units.values():
            if u.owner == self.player or not world.is_visible(self.player, u.x, u.y):
                continue
            for b in mine:
                cx, cy = b.center
                d = (u.x - cx) ** 2 + (u.y - cy) ** 2
                if d < best_d:
                    best, best_d = (int(u.x), int(u.y)), d
        return best

    def _attack_target(self, world: World) -> tuple[int, int]:
        """The known enemy building nearest our front, else the enemy's start."""
        known = world.players[self.player].known_buildings
        fx, fy = self._front(world, 10)
        if known:
            _, x, y = min(known.values(), key=lambda k: ((k[1] - fx) ** 2 + (k[2] - fy) ** 2, k))
            return x, y
        ex, ey = self._enemy_start(world)
        if world.is_visible(self.player, ex, ey):
            return self._scout_point(world)
        return ex, ey

    def _scout_point(self, world: World) -> tuple[int, int]:
        """Nothing known left where the enemy started: sweep the map's corners."""
        w, h = world.tiles.width, world.tiles.height
        points = [(w // 2, h // 2), (w - 8, h - 8), (8, 8), (w - 8, 8), (8, h - 8)]
        return points[(world.tick // (30 * TICKS_PER_SECOND)) % len(points)]

