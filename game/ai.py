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
from game import production
from game.activities import Attack, Move
from game.orders import Order
from game.rules import ARMY_FACTORIES, BUILDING_TYPES, TICKS_PER_SECOND, UNIT_TYPES
from game.world import Unit, World, army_value, enemy_army_in_sight

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
    caution: float  # attacks only with this many times the enemy army it has seen


_BASE = ("power_plant", "refinery", "barracks", "power_plant", "war_factory", "turret")
DIFFICULTIES: dict[str, Difficulty] = {
    "easy": Difficulty(
        "easy", think_period=60, harvesters=1, build_plan=_BASE + ("power_plant",),
        first_wave=7 * MINUTE, wave_size=4, wave_growth=1, wave_interval=3 * MINUTE,
        mix=(("infantry", 0.6), ("tank", 0.3), ("artillery", 0.1)), caution=0.0),
    "normal": Difficulty(
        "normal", think_period=30, harvesters=2,
        build_plan=_BASE + ("power_plant", "turret", "refinery"),
        first_wave=4 * MINUTE, wave_size=8, wave_growth=2, wave_interval=2 * MINUTE,
        mix=(("infantry", 0.35), ("tank", 0.4), ("artillery", 0.15), ("helicopter", 0.1)),
        caution=1.0),
    "hard": Difficulty(
        "hard", think_period=15, harvesters=3,
        build_plan=("power_plant", "refinery", "barracks", "power_plant", "war_factory",
                    "refinery", "turret", "power_plant", "turret"),
        first_wave=int(3.5 * MINUTE), wave_size=10, wave_growth=3,
        wave_interval=int(1.5 * MINUTE),
        mix=(("infantry", 0.3), ("tank", 0.4), ("artillery", 0.15), ("helicopter", 0.15)),
        caution=1.3),
}

DEFEND_RADIUS = 14  # tiles around its buildings where enemies trigger a defence
STAGING_TICKS = 45 * TICKS_PER_SECOND  # longest wait for a wave to gather
MIN_WAVE, MAX_WAVE = 4, 24  # units in an attack wave
OVERDUE_TICKS = 4 * MINUTE  # after this long past its time, a wave leaves with what it has
RETREAT_AT = 0.35  # a wave reduced to this share of its strength comes home
MEMORY_DECAY = 0.98  # per decision: how fast the remembered enemy army fades


class Bot:
    def __init__(self, player: int, difficulty: str = "normal") -> None:
        self.player = player
        self.level = DIFFICULTIES[difficulty]
        self.wave_size = self.level.wave_size
        self.next_wave = self.level.first_wave
        self.attackers: set[int] = set()  # units currently sent on the offensive
        self.staging_until = 0  # while non-zero, the wave gathers before attacking
        self.wave_value = 0  # strength (credits) of the wave when it left
        self.enemy_seen = 0.0  # strongest enemy army seen lately (credits)
        self.rally_set: set[int] = set()

    # -- entry point ------------------------------------------------------
    def think(self, world: World) -> list[Order]:
        """Called every tick; decides every `think_period` ticks.

        Spending follows priorities: harvesters first (income), then the next
        building of the plan, then the army with what is left - unless the base
        is under attack, when the army comes first.
        """
        if world.winner is not None or (world.tick + self.player * 7) % self.level.think_period:
            return []
        threat = self._threat(world)
        budget = production.spendable(world, self.player)  # what is queued gets paid later
        orders: list[Order] = []
        if threat is None:
            harvester, budget = self._economy(world, budget)
            orders += harvester
            building, budget = self._construct(world, budget)
            orders += building
        orders += self._produce(world, budget)
        orders += self._command_army(world, threat)
        for order in orders:
            world.issue(order)
        return orders

    # -- base -------------------------------------------------------------
    def _counts(self, world: World) -> dict[str, int]:
        counts: dict[str, int] = {}
        for b in world.buildings_of(self.player):
            counts[b.type.name] = counts.get(b.type.name, 0) + 1
        return counts

    def _construct(self, world: World, budget: int) -> tuple[list[Order], int]:
        """Start the next building, or keep its cost back until we can."""
        me = world.players[self.player]
        if not world.has_building(self.player, "hq"):
            return [], budget
        if me.construction is not None:
            return [], budget
        wanted = self._next_building(world, self._counts(world))
        if wanted is None:
            return [], budget
        cost = BUILDING_TYPES[wanted].cost
        if budget < cost:
            return [], budget - cost  # save up: the army gets nothing this round
        near = self._front(world, 6) if wanted == "turret" else None
        return [Order(O.BUILD, self.player, item=wanted, auto_place=True, cell=near)], \
            budget - cost

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
    def _economy(self, world: World, budget: int) -> tuple[list[Order], int]:
        """Keep the planned number of harvesters, saving up for them if needed."""
        harvesters = sum(1 for u in world.units_of(self.player) if u.type.harvest_capacity)
        queued = sum(b.queue.count("harvester") for b in world.buildings_of(self.player, "hq"))
        wanted = min(self.level.harvesters, 2 * self._counts(world).get("refinery", 0))
        if harvesters + queued >= wanted or not world.has_building(self.player, "hq"):
            return [], budget
        cost = UNIT_TYPES["harvester"].cost
        if budget < cost:
            if harvesters + queued == 0:
                return self._sell_for(world), budget - cost  # no income left at all
            return [], budget - cost
        return [Order(O.TRAIN, self.player, item="harvester")], budget - cost

    def _sell_for(self, world: World) -> list[Order]:
        """Without harvesters or cash the base would starve: sell what matters least."""
        for kind in ("turret", "barracks", "war_factory"):
            victim = next(world.buildings_of(self.player, kind), None)
            if victim is not None:
                return [Order(O.SELL, self.player, target=victim.id)]
        return []

    def _produce(self, world: World, budget: int) -> list[Order]:
        if budget <= 0:
            return []
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
            if factory.type.name not in ARMY_FACTORIES or len(factory.queue) >= 2:
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
        """The unit this factory makes that the army lacks most (none if none lacks)."""
        best, best_gap = None, 0.0
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
    def _command_army(self, world: World, threat: tuple[int, int] | None) -> list[Order]:
        army = [u for u in world.units_of(self.player) if u.type.combat]
        self.attackers &= {u.id for u in army}
        self._watch_enemy(world)
        if threat is not None:
            defenders = [u.id for u in army if u.id not in self.attackers
                         and not _fighting(u)]
            if defenders:
                return [Order(O.ATTACK_MOVE, self.player, tuple(defenders), cell=threat)]
        home = [u for u in army if u.id not in self.attackers]
        if self._wave_ready(world, home):
            return self._launch_wave(world, home)
        wave = [u for u in army if u.id in self.attackers]
        if wave and army_value(wave) < RETREAT_AT * self.wave_value:
            self.attackers.clear()
            return [Order(O.ATTACK_MOVE, self.player, tuple(u.id for u in wave),
                          cell=self._front(world, 9))]
        if self.staging_until and wave:
            return self._stage(world, wave)
        idle = tuple(u.id for u in wave if u.activity is None)
        if idle:
            return [Order(O.ATTACK_MOVE, self.player, idle, cell=self._attack_target(world))]
        return []

    def _wave_ready(self, world: World, home: list[Unit]) -> bool:
        if world.tick < self.next_wave or len(home) < MIN_WAVE:
            return False
        overdue = world.tick >= self.next_wave + OVERDUE_TICKS  # stalling helps nobody
        big_enough = len(home) >= min(self.wave_size, MAX_WAVE)
        bold_enough = army_value(home) >= self.level.caution * self.enemy_seen
        return overdue or (big_enough and bold_enough)

    def _launch_wave(self, world: World, home: list[Unit]) -> list[Order]:
        """Gather the wave half-way first, so fast units do not arrive alone."""
        self.attackers.update(u.id for u in home)
        self.wave_value = army_value(home)
        self.wave_size += self.level.wave_growth
        self.next_wave = world.tick + self.level.wave_interval
        self.staging_until = world.tick + STAGING_TICKS
        return [Order(O.ATTACK_MOVE, self.player, tuple(u.id for u in home),
                      cell=self._staging_point(world))]

    def _stage(self, world: World, wave: list[Unit]) -> list[Order]:
        sx, sy = self._staging_point(world)
        gathered = sum(1 for u in wave if abs(u.x - sx) + abs(u.y - sy) < 8)
        if gathered < 0.75 * len(wave) and world.tick < self.staging_until:
            return []
        self.staging_until = 0
        return [Order(O.ATTACK_MOVE, self.player, tuple(u.id for u in wave),
                      cell=self._attack_target(world))]

    def _staging_point(self, world: World) -> tuple[int, int]:
        sx, sy = world.players[self.player].start
        ex, ey = self._enemy_start(world)
        return (sx + ex) // 2, (sy + ey) // 2

    def _watch_enemy(self, world: World) -> None:
        """Remember how big an enemy army we have seen (fog applies)."""
        seen = army_value(enemy_army_in_sight(world, self.player))
        self.enemy_seen = max(seen, self.enemy_seen * MEMORY_DECAY)

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


def _fighting(unit: Unit) -> bool:
    """Already attacking or attack-moving: re-ordering it would only interrupt it."""
    activity = unit.activity
    return isinstance(activity, Attack) or (isinstance(activity, Move) and activity.attack_move)
