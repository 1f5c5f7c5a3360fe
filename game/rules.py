"""The one table of units and buildings (microRTS's UnitTypeTable, OpenRA's rules).

Every number that balances the game lives here; the rest of the code reads it.
Time is in simulation ticks (20 per second), distance in tiles, money in credits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

TICKS_PER_SECOND = 20

# Armor classes and how much of a weapon's damage each one takes, per weapon class.
ARMOR_CLASSES = ("light", "heavy", "air", "building")


@dataclass(frozen=True)
class Weapon:
    name: str
    damage: int
    range: float  # tiles
    cooldown: int  # ticks between shots
    vs_armor: Mapping[str, float]  # damage multiplier per armor class; absent = cannot hit
    min_range: float = 0.0
    splash: float = 0.0  # radius in tiles; 0 = single target
    projectile_speed: float = 0.0  # tiles per tick; 0 = instant hit (bullets)

    def can_hit(self, armor: str) -> bool:
        return self.vs_armor.get(armor, 0.0) > 0.0


@dataclass(frozen=True)
class UnitType:
    name: str
    cost: int
    hp: int
    speed: float  # tiles per tick
    armor: str
    sight: int
    build_time: int  # ticks
    produced_by: str  # building type name
    prerequisites: tuple[str, ...] = ()
    weapon: Weapon | None = None
    flying: bool = False
    harvest_capacity: int = 0  # credits a full load is worth (0 = not a harvester)
    combat: bool = True  # counted in "army"
    radius: float = 0.35  # body size in tiles, for hit tests and drawing


@dataclass(frozen=True)
class BuildingType:
    name: str
    cost: int
    hp: int
    size: tuple[int, int]  # width, height in tiles
    power: int  # + produces, - consumes
    sight: int
    build_time: int  # ticks
    prerequisites: tuple[str, ...] = ()
    weapon: Weapon | None = None
    buildable: bool = True  # False for the HQ, which only starts on the map
    free_unit: str | None = None  # delivered when completed (refinery -> harvester)
    armor: str = "building"
    # The HQ may build it without its prerequisites while the player owns none: a
    # broke player who lost the refinery (and the power plant) keeps a way back.
    waive_prerequisites_if_none: bool = False


def _mult(**values: float) -> Mapping[str, float]:
    return MappingProxyType(dict(values))


RIFLE = Weapon("rifle", damage=10, range=4.0, cooldown=14,
               vs_armor=_mult(light=1.0, heavy=0.15, air=0.6, building=0.3))
CANNON = Weapon("cannon", damage=42, range=5.0, cooldown=30,
                vs_armor=_mult(light=0.75, heavy=1.0, building=0.9), projectile_speed=0.9)
SHELL = Weapon("shell", damage=95, range=9.0, cooldown=80, min_range=2.5, splash=1.4,
               vs_armor=_mult(light=1.0, heavy=0.7, building=1.2), projectile_speed=0.45)
MISSILES = Weapon("missiles", damage=34, range=5.0, cooldown=26,
                  vs_armor=_mult(light=0.7, heavy=1.0, air=0.8, building=0.6),
                  projectile_speed=1.1)
TURRET_GUN = Weapon("turret gun", damage=40, range=6.5, cooldown=22,
                    vs_armor=_mult(light=0.8, heavy=1.0, air=0.9), projectile_speed=1.0)

UNIT_TYPES: Mapping[str, UnitType] = MappingProxyType({
    u.name: u for u in (
        UnitType("infantry", cost=100, hp=100, speed=0.065, armor="light", sight=6,
                 build_time=100, produced_by="barracks", weapon=RIFLE, radius=0.25),
        UnitType("tank", cost=700, hp=450, speed=0.09, armor="heavy", sight=6,
                 build_time=220, produced_by="war_factory", weapon=CANNON, radius=0.42),
        UnitType("artillery", cost=800, hp=180, speed=0.055, armor="light", sight=7,
                 build_time=260, produced_by="war_factory", weapon=SHELL, radius=0.42),
        UnitType("helicopter", cost=1000, hp=260, speed=0.2, armor="air", sight=8,
                 build_time=300, produced_by="war_factory", weapon=MISSILES, flying=True,
                 prerequisites=("power_plant",), radius=0.45),
        UnitType("harvester", cost=1200, hp=600, speed=0.07, armor="heavy", sight=4,
                 build_time=280, produced_by="hq", harvest_capacity=700, combat=False,
                 prerequisites=("refinery",), radius=0.45),
    )
})

BUILDING_TYPES: Mapping[str, BuildingType] = MappingProxyType({
    b.name: b for b in (
        BuildingType("hq", cost=3000, hp=2200, size=(3, 3), power=20, sight=8,
                     build_time=0, buildable=False),
        BuildingType("power_plant", cost=300, hp=700, size=(2, 2), power=100, sight=4,
                     build_time=180),
        BuildingType("barracks", cost=400, hp=800, size=(2, 2), power=-20, sight=5,
                     build_time=220, prerequisites=("power_plant",)),
        BuildingType("refinery", cost=1500, hp=1000, size=(3, 2), power=-30, sight=5,
                     build_time=320, prerequisites=("power_plant",), free_unit="harvester",
                     waive_prerequisites_if_none=True),
        BuildingType("war_factory", cost=2000, hp=1300, size=(3, 3), power=-30, sight=5,
                     build_time=400, prerequisites=("barracks", "refinery")),
        BuildingType("turret", cost=600, hp=650, size=(1, 1), power=-25, sight=7,
                     build_time=200, prerequisites=("barracks",), weapon=TURRET_GUN),
    )
})

# Which building trains which units, derived from the table.
PRODUCES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    b: tuple(u.name for u in UNIT_TYPES.values() if u.produced_by == b) for b in BUILDING_TYPES
})

COMBAT_UNITS: tuple[str, ...] = tuple(u.name for u in UNIT_TYPES.values() if u.combat)
# Buildings that turn out combat units (barracks, war factory).
ARMY_FACTORIES: tuple[str, ...] = tuple(
    b for b, units in PRODUCES.items() if any(u in COMBAT_UNITS for u in units))


@dataclass(frozen=True)
class Economy:
    start_credits: int = 5000
    ore_value: int = 25  # credits per bale of ore
    gem_value: int = 50
    bale_ticks: int = 9  # ticks to dig one bale
    unload_ticks_per_bale: int = 2
    ore_per_tile: int = 12  # bales a fresh ore tile holds
    gems_per_tile: int = 8
    sell_refund: float = 0.5
    queue_limit: int = 5  # items per factory queue
    build_radius: int = 5  # tiles from an existing building where new ones may be placed
    low_power_speed: float = 0.35  # production speed multiplier floor when power is short
    # Repair (Red Alert): a step of hit points every period, paid as it goes.
    repair_period: int = 10  # ticks between repair steps
    repair_step: float = 0.02  # fraction of the building's hit points per step (25 s in all)
    repair_cost: float = 0.5  # a full repair costs this fraction of the building's price


ECONOMY = Economy()


# What each side starts with besides its HQ.
STARTING_UNITS: tuple[str, ...] = ("infantry", "infantry", "infantry", "tank")
