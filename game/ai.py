"""The bots: the enemy commander, and a novice who can play the player's side.

The enemy builds a base, harvests, trains a mixed army, defends, and attacks in
waves. It plays by the player's rules: it only issues `Order`s, and it only
knows what its own fog of war shows plus where the enemy started (every player
knows the opposite corner on a two-player map).

Difficulties (the `DIFFICULTIES` table) differ in timing and economy - how
often it thinks, how many harvesters it keeps, how early it may attack and how
big its waves are - never in vision. Waves answer the enemy army the bot has
scouted (`ArmyMemory`: units seen, remembered with decay), not the real one.

The novice (`NoviceBot`) plays like someone on their first evening: it looks at
the game every few seconds, builds a fixed list of buildings, trains the same
units over and over, never micro-manages, and throws one attack-move blob.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from game import orders as O
from game import production
from game.activities import Attack, Move
from game.orders import Order, building_prerequisites
from game.rules import ARMY_FACTORIES, BUILDING_TYPES, TICKS_PER_SECOND, UNIT_TYPES
from game.world import Unit, World, army_value, enemy_army_in_sight

MINUTE = 60 * TICKS_PER_SECOND


@dataclass(frozen=True)
class Difficulty:
    name: str
    think_period: int  # ticks between decisions
    harvesters: int  # harvesters it keeps alive
    build_plan: tuple[str, ...]  # the base it wants, in order
    mix: tuple[tuple[str, float], ...]  # army composition it aims for
    army_cap: int  # credits: it stops training while its army is worth this much
    earliest_attack: int  # tick before which no wave ever leaves (the promise to the player)
    wave_interval: int  # ticks between two waves at the earliest
    wave_min: int  # credits: the smallest wave worth sending
    wave_max: int  # credits: the biggest first wave; the rest of the army stays home
    wave_growth: int  # credits added to wave_max for each later wave
    answer: float  # wave value per credit of enemy army remembered from scouting
    spares_economy: bool  # waves aim at the base, not at the refinery and its harvesters
    recalls_waves: bool  # calls its wave back when the base is attacked by more than its guard


_BASE = ("power_plant", "refinery", "barracks", "power_plant", "war_factory", "turret")
DIFFICULTIES: dict[str, Difficulty] = {
    "easy": Difficulty(
        "easy", think_period=60, harvesters=1,
        build_plan=("power_plant", "refinery", "barracks", "power_plant", "war_factory"),
        mix=(("infantry", 0.6), ("tank", 0.3), ("artillery", 0.1)), army_cap=3000,
        earliest_attack=8 * MINUTE, wave_interval=3 * MINUTE,
        wave_min=600, wave_max=1800, wave_growth=300, answer=0.6, spares_economy=True,
        recalls_waves=False),
    "normal": Difficulty(
        "normal", think_period=30, harvesters=2,
        build_plan=_BASE + ("power_plant", "refinery"),
        mix=(("infantry", 0.35), ("tank", 0.4), ("artillery", 0.15), ("helicopter", 0.1)),
        army_cap=9000,
        earliest_attack=6 * MINUTE, wave_interval=2 * MINUTE + 30 * TICKS_PER_SECOND,
        wave_min=1500, wave_max=5000, wave_growth=1500, answer=1.0, spares_economy=True,
        recalls_waves=True),
    "hard": Difficulty(
        "hard", think_period=15, harvesters=3,
        build_plan=("power_plant", "refinery", "barracks", "power_plant", "turret",
                    "war_factory", "refinery", "power_plant", "turret"),
        mix=(("infantry", 0.3), ("tank", 0.4), ("artillery", 0.15), ("helicopter", 0.15)),
        army_cap=40000,
        earliest_attack=4 * MINUTE, wave_interval=int(1.5 * MINUTE),
        wave_min=3000, wave_max=9000, wave_growth=3000, answer=1.4, spares_economy=False,
        recalls_waves=True),
}

DEFEND_RADIUS = 14  # tiles around its buildings where enemies trigger a defence
STAGING_TICKS = 45 * TICKS_PER_SECOND  # longest wait for a wave to gather
OVERDUE_TICKS = 4 * MINUTE  # after this long past its time, a wave leaves with what it has
RETREAT_AT = 0.35  # a wave reduced to this share of its strength comes home
MEMORY_HALF_LIFE = 2 * MINUTE  # a sighting counts half as much after this long


def wave_value(level: Difficulty, seen_army: float, waves_sent: int) -> int:
    """Credits' worth of units the next wave should hold: an answer to the enemy
    army scouted, never below the smallest wave worth sending nor above the
    difficulty's ceiling (which rises with each wave)."""
    ceiling = level.wave_max + level.wave_growth * waves_sent
    return int(min(ceiling, max(level.wave_min, level.answer * seen_army)))


class ArmyMemory:
    """The enemy combat units a player has seen, each remembered with a weight that
    halves every MEMORY_HALF_LIFE ticks; a unit seen destroyed is forgotten at once.
    Only what the player's fog of war shows goes in."""

    def __init__(self, player: int) -> None:
        self.player = player
        self.sightings: dict[int, tuple[int, int]] = {}  # unit id -> (cost, tick last seen)

    def observe(self, world: World) -> None:
        for unit in enemy_army_in_sight(world, self.player):
            self.sightings[unit.id] = (unit.type.cost, world.tick)

    def witness_losses(self, world: World) -> None:
        """Called every tick: the last tick's deaths that happened in sight."""
        for event in world.events:
            if event.kind == "unit_destroyed" and event.player != self.player and \
                    world.is_visible(self.player, event.x, event.y):
                self.sightings.pop(event.data["id"], None)

    def value(self, tick: int) -> float:
        """The enemy army's worth (credits) as far as this player knows."""
        total = 0.0
        for cost, seen in self.sightings.values():
            total += cost * 0.5 ** ((tick - seen) / MEMORY_HALF_LIFE)
        return total


class Commander(Protocol):
    player: int

    def think(self, world: World) -> list[Order]: ...


class Bot:
    def __init__(self, player: int, difficulty: str = "normal") -> None:
        self.player = player
        self.level = DIFFICULTIES[difficulty]
        self.next_wave = self.level.earliest_attack
        self.waves_sent = 0
        self.first_attack_tick: int | None = None  # when the first wave left
        self.attackers: set[int] = set()  # units currently sent on the offensive
        self.staging_until = 0  # while non-zero, the wave gathers before attacking
        self.wave_strength = 0  # strength (credits) of the wave when it left
        self.memory = ArmyMemory(player)
        self.rally_set: set[int] = set()

    # -- entry point ------------------------------------------------------
    def think(self, world: World) -> list[Order]:
        """Called every tick; decides every `think_period` ticks.

        Spending follows priorities: harvesters first (income), then the next
        building of the plan, then the army with what is left - unless the base
        is under attack, when the army comes first.
        """
        if world.winner is not None:
            return []
        self.memory.witness_losses(world)
        if (world.tick + self.player * 7) % self.level.think_period:
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
    def _construct(self, world: World, budget: int) -> tuple[list[Order], int]:
        """Start the next building, or keep its cost back until we can."""
        me = world.players[self.player]
        if not world.has_building(self.player, "hq") or me.construction is not None:
            return [], budget
        wanted = self._next_building(world, building_counts(world, self.player))
        if wanted is None:
            return [], budget
        cost = BUILDING_TYPES[wanted].cost
        if budget < cost:
            return [], budget - cost  # save up: the army gets nothing this round
        near = front_point(world, self.player, 6) if wanted == "turret" else None
        return [Order(O.BUILD, self.player, item=wanted, auto_place=True, cell=near)], \
            budget - cost

    def _next_building(self, world: World, counts: dict[str, int]) -> str | None:
        me = world.players[self.player]
        if me.power_produced - me.power_used < 15 and counts.get("power_plant", 0) > 0:
            return "power_plant"
        return next_in_plan(world, self.player, self.level.build_plan, counts)

    # -- economy and production ------------------------------------------
    def _economy(self, world: World, budget: int) -> tuple[list[Order], int]:
        """Keep the planned number of harvesters, saving up for them if needed."""
        if not has_or_builds(world, self.player, "refinery"):
            short = budget < BUILDING_TYPES["refinery"].cost
            return (sell_spare_building(world, self.player) if short else []), budget
        harvesters = count_harvesters(world, self.player)
        wanted = min(self.level.harvesters, 2 * building_counts(world, self.player).get(
            "refinery", 0))
        if harvesters >= wanted or not world.has_building(self.player, "hq"):
            return [], budget
        cost = UNIT_TYPES["harvester"].cost
        if budget < cost:
            if starving(world, self.player):
                return sell_spare_building(world, self.player), budget - cost
            return [], budget - cost
        return [Order(O.TRAIN, self.player, item="harvester")], budget - cost

    def _produce(self, world: World, budget: int) -> list[Order]:
        army = [u for u in world.units_of(self.player) if u.type.combat]
        if budget <= 0 or army_value(army) >= self.level.army_cap:
            return []
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
                                    cell=front_point(world, self.player, 9)))
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
        """The unit this factory makes that the army lacks most (none if none lacks),
        aiming for the mix among the units it can build today."""
        mix = self._buildable_mix(world)
        best, best_gap = None, 0.0
        for name, share in mix.items():
            if UNIT_TYPES[name].produced_by != factory or UNIT_TYPES[name].cost > budget:
                continue
            gap = share - have[name] / total
            if gap > best_gap:
                best, best_gap = name, gap
        return best

    def _buildable_mix(self, world: World) -> dict[str, float]:
        """The difficulty's mix, restricted to what its factories can make now."""
        mix = {name: share for name, share in self.level.mix
               if world.has_building(self.player, UNIT_TYPES[name].produced_by)
               and all(world.has_building(self.player, p) for p in UNIT_TYPES[name].prerequisites)}
        total = sum(mix.values())
        return {name: share / total for name, share in mix.items()}

    # -- army ------------------------------------------------------------
    def _command_army(self, world: World, threat: tuple[int, int] | None) -> list[Order]:
        army = [u for u in world.units_of(self.player) if u.type.combat]
        self.attackers &= {u.id for u in army}
        self.memory.observe(world)
        home = [u for u in army if u.id not in self.attackers]
        if threat is not None:
            defenders = [u.id for u in home if not _fighting(u)] + self._recall(world, home)
            if defenders:
                return [Order(O.ATTACK_MOVE, self.player, tuple(defenders), cell=threat)]
        wave = self._wave_ready(world, home)
        if wave:
            return self._launch_wave(world, wave)
        out = [u for u in army if u.id in self.attackers]
        if out and army_value(out) < RETREAT_AT * self.wave_strength:
            self.attackers.clear()
            return [Order(O.ATTACK_MOVE, self.player, tuple(u.id for u in out),
                          cell=front_point(world, self.player, 9))]
        if self.staging_until and out:
            return self._stage(world, out)
        idle = tuple(u.id for u in out if u.activity is None)
        if idle:
            return [Order(O.ATTACK_MOVE, self.player, idle, cell=self._attack_target(world))]
        return []

    def _recall(self, world: World, home: list[Unit]) -> list[int]:
        """The wave's units, called back if what attacks the base outweighs its guard."""
        if not self.level.recalls_waves or not self.attackers or \
                army_value(intruders(world, self.player)[1]) <= army_value(home):
            return []
        wave = sorted(self.attackers)
        self.attackers.clear()
        self.staging_until = 0
        return wave

    def _wave_ready(self, world: World, home: list[Unit]) -> list[Unit]:
        """The units of the next wave if it may leave now, else none.

        Never before the difficulty's time; then as soon as the home army can
        answer what has been scouted of the enemy's, or with whatever it has
        once the wave is long overdue (stalling helps nobody).
        """
        overdue = world.tick >= self.next_wave + OVERDUE_TICKS
        if world.tick < self.next_wave or not home or \
                (army_value(home) < self.level.wave_min and not overdue):
            return []
        wanted = wave_value(self.level, self.memory.value(world.tick), self.waves_sent)
        if army_value(home) < wanted and not overdue:
            return []
        wave: list[Unit] = []
        for unit in sorted(home, key=lambda u: u.id):  # veterans first; the rest stays home
            if army_value(wave) >= wanted:
                break
            wave.append(unit)
        return wave

    def _launch_wave(self, world: World, wave: list[Unit]) -> list[Order]:
        """Gather the wave half-way first, so fast units do not arrive alone."""
        self.attackers.update(u.id for u in wave)
        self.wave_strength = army_value(wave)
        self.waves_sent += 1
        if self.first_attack_tick is None:
            self.first_attack_tick = world.tick
        self.next_wave = world.tick + self.level.wave_interval
        self.staging_until = world.tick + STAGING_TICKS
        return [Order(O.ATTACK_MOVE, self.player, tuple(u.id for u in wave),
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
        ex, ey = enemy_start(world, self.player)
        return (sx + ex) // 2, (sy + ey) // 2

    def _threat(self, world: World) -> tuple[int, int] | None:
        return base_threat(world, self.player)

    def _attack_target(self, world: World) -> tuple[int, int]:
        return attack_target(world, self.player, spare_economy=self.level.spares_economy)


@dataclass(frozen=True)
class Habits:
    """How a player-side bot plays: a table like DIFFICULTIES, for the player's habits."""

    name: str
    think_period: int  # ticks between two looks at the game: slow reactions
    build_order: tuple[str, ...]  # always the same, whatever happens
    army: tuple[str, ...]  # trained in turn, one at a time per factory
    blob: int  # units gathered before all of them attack-move at the enemy base
    reaction_ticks: int  # how long enemies must be at the base before it answers
    harvesters: int  # it buys more than the refinery's own only until it has this many


NOVICE = Habits(
    "novice", think_period=5 * TICKS_PER_SECOND,
    build_order=("power_plant", "refinery", "barracks", "power_plant", "war_factory",
                 "turret", "power_plant"),
    army=("infantry", "infantry", "tank"), blob=15, reaction_ticks=8 * TICKS_PER_SECOND,
    harvesters=2)
PLAYER_HABITS: dict[str, Habits] = {NOVICE.name: NOVICE}
PLAYER_BOTS: tuple[str, ...] = (*PLAYER_HABITS, *DIFFICULTIES)  # what may play the player's side


class NoviceBot:
    """A new player: slow reactions, a fixed build order, no micro, one blob."""

    def __init__(self, player: int, habits: Habits = NOVICE) -> None:
        self.player = player
        self.habits = habits
        self.trained = 0  # units ordered so far: the next one in `army` is army[trained % n]
        self.blob: set[int] = set()  # units sent to attack
        self.attacks = 0  # blobs sent so far
        self.threat_since: int | None = None

    def think(self, world: World) -> list[Order]:
        if world.winner is not None or (world.tick + self.player * 7) % self.habits.think_period:
            return []
        orders = self._build(world) + self._economy(world) + self._train(world)
        orders += self._command_army(world)
        for order in orders:
            world.issue(order)
        return orders

    def _build(self, world: World) -> list[Order]:
        """The next building of the list, as soon as it can be paid for."""
        counts = building_counts(world, self.player)
        wanted = next_in_plan(world, self.player, self.habits.build_order, counts)
        if wanted is None:
            return []
        order = Order(O.BUILD, self.player, item=wanted, auto_place=True)
        affordable = BUILDING_TYPES[wanted].cost <= production.spendable(world, self.player)
        return [order] if affordable and O.check(world, order) is None else []

    def _economy(self, world: World) -> list[Order]:
        """A set number of harvesters, bought before anything else; with none left
        and no cash for one, it sells a building (the way back every player has)."""
        if not has_or_builds(world, self.player, "refinery"):
            short = production.spendable(world, self.player) < BUILDING_TYPES["refinery"].cost
            return sell_spare_building(world, self.player) if short else []
        harvesters = count_harvesters(world, self.player)
        if harvesters >= self.habits.harvesters:
            return []
        order = Order(O.TRAIN, self.player, item="harvester")
        if UNIT_TYPES["harvester"].cost <= production.spendable(world, self.player):
            return [order] if O.check(world, order) is None else []
        return sell_spare_building(world, self.player) if starving(world, self.player) else []

    def _train(self, world: World) -> list[Order]:
        """The next unit of the list, once its factory is idle and it can be paid for
        (it waits for the money); a unit whose factory is not built yet is skipped."""
        for _ in range(len(self.habits.army)):
            item = self.habits.army[self.trained % len(self.habits.army)]
            maker = UNIT_TYPES[item].produced_by
            if not world.has_building(self.player, maker):
                self.trained += 1
                continue
            if any(not f.queue for f in world.buildings_of(self.player, maker)):
                order = Order(O.TRAIN, self.player, item=item)
                if production.spendable(world, self.player) < UNIT_TYPES[item].cost or \
                        O.check(world, order) is not None:
                    return []
                self.trained += 1
                return [order]
            return []
        return []

    def _nothing_more_coming(self, world: World) -> bool:
        """No factory left and no money for one: waiting for a blob is pointless."""
        factories = {UNIT_TYPES[u].produced_by for u in self.habits.army}
        cheapest = min(BUILDING_TYPES[f].cost for f in factories)
        return not any(world.has_building(self.player, f) for f in factories) and \
            production.spendable(world, self.player) < cheapest

    def _command_army(self, world: World) -> list[Order]:
        army = [u for u in world.units_of(self.player) if u.type.combat]
        self.blob &= {u.id for u in army}
        home = [u for u in army if u.id not in self.blob]
        threat = base_threat(world, self.player)
        if threat is None:
            self.threat_since = None
        elif self.threat_since is None:
            self.threat_since = world.tick
        if threat is not None and world.tick - (self.threat_since or 0) >= \
                self.habits.reaction_ticks:
            idle = tuple(u.id for u in home if not _fighting(u))
            if idle:
                return [Order(O.ATTACK_MOVE, self.player, idle, cell=threat)]
        if len(home) >= self.habits.blob or (home and self._nothing_more_coming(world)):
            self.blob.update(u.id for u in home)
            self.attacks += 1
            return [Order(O.ATTACK_MOVE, self.player, tuple(u.id for u in home),
                          cell=enemy_start(world, self.player))]
        idle = tuple(u.id for u in army if u.id in self.blob and u.activity is None)
        if idle:
            return [Order(O.ATTACK_MOVE, self.player, idle,
                          cell=attack_target(world, self.player, spare_economy=False))]
        return []


def make_bot(player: int, name: str) -> Commander:
    """A bot by name: an enemy difficulty ("easy", "normal", "hard") or a player's
    habits ("novice")."""
    if name in PLAYER_HABITS:
        return NoviceBot(player, PLAYER_HABITS[name])
    return Bot(player, name)


# -- what every bot knows about the game ------------------------------------
def building_counts(world: World, player: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for b in world.buildings_of(player):
        counts[b.type.name] = counts.get(b.type.name, 0) + 1
    return counts


def count_harvesters(world: World, player: int) -> int:
    """Harvesters on the map and in the HQ's queue."""
    alive = sum(1 for u in world.units_of(player) if u.type.harvest_capacity)
    return alive + sum(b.queue.count("harvester") for b in world.buildings_of(player, "hq"))


def next_in_plan(world: World, player: int, plan: tuple[str, ...],
                 counts: dict[str, int]) -> str | None:
    """The first building of `plan` the base lacks, or the prerequisite it needs first."""
    seen: dict[str, int] = {}
    for name in plan:
        seen[name] = seen.get(name, 0) + 1
        if counts.get(name, 0) < seen[name]:
            needs = building_prerequisites(world, player, name)
            missing = [p for p in needs if not counts.get(p)]
            return missing[0] if missing else name
    return None


def has_or_builds(world: World, player: int, kind: str) -> bool:
    construction = world.players[player].construction
    return world.has_building(player, kind) or (construction is not None
                                                and construction.item == kind)


def starving(world: World, player: int) -> bool:
    """No harvester at work and no money to finish one: only selling can help.
    (A queued harvester waits for funds that no longer come in.)"""
    if any(u.type.harvest_capacity for u in world.units_of(player)):
        return False
    queued = count_harvesters(world, player) > 0
    return production.spendable(world, player) < (0 if queued else UNIT_TYPES["harvester"].cost)


def sell_spare_building(world: World, player: int) -> list[Order]:
    """Without harvesters or cash the base would starve: sell what matters least
    (power plants last: they are worth little, and the HQ powers a refinery)."""
    for kind in ("turret", "barracks", "war_factory", "power_plant"):
        victim = next(world.buildings_of(player, kind), None)
        if victim is not None:
            return [Order(O.SELL, player, target=victim.id)]
    return []


def enemy_start(world: World, player: int) -> tuple[int, int]:
    return world.players[1 - player].start


def front_point(world: World, player: int, distance: int) -> tuple[int, int]:
    """A point `distance` tiles from our start towards the enemy's."""
    sx, sy = world.players[player].start
    ex, ey = enemy_start(world, player)
    d = math.hypot(ex - sx, ey - sy) or 1.0
    return int(sx + (ex - sx) / d * distance), int(sy + (ey - sy) / d * distance)


def base_threat(world: World, player: int) -> tuple[int, int] | None:
    """Where visible enemies are closest to our buildings, if close enough."""
    return intruders(world, player)[0]


def intruders(world: World, player: int) -> tuple[tuple[int, int] | None, list[Unit]]:
    """The visible enemy units near our buildings, and where the closest one is."""
    mine = [b.center for b in world.buildings_of(player)]
    best: tuple[int, int] | None = None
    best_d: float = DEFEND_RADIUS ** 2
    near: list[Unit] = []
    for u in world.units.values():
        if u.owner == player or not world.is_visible(player, u.x, u.y):
            continue
        closest = min(((u.x - cx) ** 2 + (u.y - cy) ** 2 for cx, cy in mine), default=best_d)
        if closest < DEFEND_RADIUS ** 2:
            near.append(u)
        if closest < best_d:
            best, best_d = (int(u.x), int(u.y)), closest
    return best, near


def attack_target(world: World, player: int, spare_economy: bool) -> tuple[int, int]:
    """The known enemy building nearest our front, else the enemy's start.

    Sparing the economy, the refinery only becomes a target once nothing else
    is known: easier bots do not go out of their way for the player's income.
    """
    known = list(world.players[player].known_buildings.values())
    if spare_economy:
        known = [k for k in known if k[0] != "refinery"] or known
    fx, fy = front_point(world, player, 10)
    if known:
        _, x, y = min(known, key=lambda k: ((k[1] - fx) ** 2 + (k[2] - fy) ** 2, k))
        return x, y
    ex, ey = enemy_start(world, player)
    if world.is_visible(player, ex, ey):
        return scout_point(world)
    return ex, ey


def scout_point(world: World) -> tuple[int, int]:
    """Nothing known left where the enemy started: sweep the map's corners."""
    w, h = world.tiles.width, world.tiles.height
    points = [(w // 2, h // 2), (w - 8, h - 8), (8, 8), (w - 8, 8), (8, h - 8)]
    return points[(world.tick // (30 * TICKS_PER_SECOND)) % len(points)]


def _fighting(unit: Unit) -> bool:
    """Already attacking or attack-moving: re-ordering it would only interrupt it."""
    activity = unit.activity
    return isinstance(activity, Attack) or (isinstance(activity, Move) and activity.attack_move)
