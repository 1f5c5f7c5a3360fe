"""Small hand-made worlds for simulation tests."""

from __future__ import annotations

from game import fog, production, sim
from game.terrain import ORE, WATER, TileMap
from game.world import World


def flat_world(size: int = 48, credits: int = 10000) -> World:
    """Open grass; player 0 starts in the south-west, player 1 owns an HQ in the
    north-east corner (so the game is not over at the first tick)."""
    n = size * size
    tiles = TileMap(size, size, bytearray(n), bytearray(n), bytearray(n), bytearray(n))
    world = World(1, tiles, ((5, size - 5), (size - 5, 5)), credits=credits)
    production.place_building(world, 1, "hq", size - 4, 1)
    return world


def add_ore(world: World, cells: list[tuple[int, int]], amount: int = 12) -> None:
    tiles = world.tiles
    for x, y in cells:
        i = tiles.index(x, y)
        tiles.resource_kind[i] = ORE
        tiles.resource_amount[i] = amount
    tiles.resource_version += 1


def add_water(world: World, cells: list[tuple[int, int]]) -> None:
    tiles = world.tiles
    for x, y in cells:
        i = tiles.index(x, y)
        tiles.terrain[i] = WATER
        tiles.blocked[i] = 1
    tiles.region = tiles._label_regions()
    tiles.version += 1


def run(world: World, ticks: int, bots=()) -> list:
    """Advance `ticks` ticks; returns every event they produced."""
    events = []
    for _ in range(ticks):
        for bot in bots:
            bot.think(world)
        sim.step(world)
        events += world.events
    return events


def see_all(world: World) -> None:
    for p in world.players:
        fog.reveal_all(world, p.id)


def building(world: World, owner: int, kind: str, x: int, y: int):
    return production.place_building(world, owner, kind, x, y)


def unit(world: World, owner: int, kind: str, x: int, y: int):
    return production.add_unit(world, owner, kind, (x, y))
