"""Weapons: finding targets, firing, projectiles, damage and destruction."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from game.rules import ECONOMY, Weapon
from game.world import Building, Projectile, Unit, World

if TYPE_CHECKING:
    from game.spatial import SpatialIndex

Entity = Unit | Building
ALERT_PERIOD = 200  # ticks between two "under attack" alerts for one player
LEASH = 7.0  # tiles a unit chases an automatically chosen target before going back


def position(e: Entity) -> tuple[float, float]:
    if isinstance(e, Unit):
        return e.x, e.y
    return e.center


def distance_to(x: float, y: float, e: Entity) -> float:
    """Distance from a point to a unit's centre or a building's footprint edge."""
    if isinstance(e, Unit):
        return math.hypot(e.x - x, e.y - y)
    w, h = e.type.size
    dx = max(e.x - x, 0.0, x - (e.x + w))
    dy = max(e.y - y, 0.0, y - (e.y + h))
    return math.hypot(dx, dy)


def can_attack(weapon: Weapon | None, target: Entity) -> bool:
    return weapon is not None and weapon.can_hit(target.type.armor)


def in_range(x: float, y: float, weapon: Weapon, target: Entity) -> bool:
    d = distance_to(x, y, target)
    return weapon.min_range <= d <= weapon.range


def target_visible(world: World, player: int, target: Entity) -> bool:
    if isinstance(target, Unit):
        return world.is_visible(player, target.x, target.y)
    return world.building_visible(player, target)


def find_target(world: World, index: SpatialIndex, owner: int, x: float, y: float,
                weapon: Weapon, radius: float) -> Entity | None:
    """The nearest visible enemy this weapon can hit within radius.

    Armed enemies come first; unarmed units next; buildings last.
    """
    vis = world.players[owner].visible
    w = world.tiles.width
    best: Entity | None = None
    best_score = radius * radius * 4 + 1
    r2 = radius * radius
    for other in index.near(x, y, radius):
        if other.owner == owner or other.hp <= 0:
            continue
        if not weapon.vs_armor.get(other.type.armor, 0.0):
            continue
        dx, dy = other.x - x, other.y - y
        d2 = dx * dx + dy * dy
        if d2 > r2 or not vis[int(other.y) * w + int(other.x)]:
            continue
        if weapon.min_range and d2 < weapon.min_range * weapon.min_range:
            continue
        score = d2 if other.type.weapon is not None else d2 * 2 + 1
        if score < best_score:
            best, best_score = other, score
    if best is not None or not weapon.vs_armor.get("building", 0.0):
        return best
    for b in world.buildings.values():
        if b.owner == owner:
            continue
        d = distance_to(x, y, b)
        if d <= radius and d >= weapon.min_range and world.building_visible(owner, b):
            score = (d * d) * 3 + 2
            if score < best_score:
                best, best_score = b, score
    return best


def fire(world: World, shooter: Entity, weapon: Weapon, target: Entity) -> None:
    sx, sy = position(shooter)
    tx, ty = position(target)
    if isinstance(shooter, Unit):
        shooter.facing = math.atan2(ty - sy, tx - sx)
    shooter.cooldown = weapon.cooldown
    flying = isinstance(shooter, Unit) and shooter.type.flying
    world.emit("shot", shooter.owner, sx, sy, tx=tx, ty=ty, weapon=weapon.name,
               source=shooter.id, flying=flying)
    if weapon.projectile_speed <= 0:
        apply_damage(world, target, weapon.damage * weapon.vs_armor.get(target.type.armor, 0),
                     shooter.owner, shooter.id)
        return
    homing = None if weapon.splash else target.id
    world.projectiles.append(Projectile(
        sx, sy, tx, ty, weapon.projectile_speed, weapon.damage, shooter.owner, shooter.id,
        homing, weapon.name, weapon.splash, sx, sy))


def advance_projectiles(world: World, weapons: dict[str, Weapon]) -> None:
    remaining = []
    for p in world.projectiles:
        if p.target_id is not None:
            target = world.entity(p.target_id)
            if target is not None:
                p.tx, p.ty = position(target)
        dx, dy = p.tx - p.x, p.ty - p.y
        dist = math.hypot(dx, dy)
        if dist > p.speed:
            p.x += dx / dist * p.speed
            p.y += dy / dist * p.speed
            remaining.append(p)
            continue
        p.x, p.y = p.tx, p.ty
        _impact(world, p, weapons[p.weapon])
    world.projectiles = remaining


def _impact(world: World, p: Projectile, weapon: Weapon) -> None:
    if not p.splash:
        target = world.entity(p.target_id)
        if target is not None:
            apply_damage(world, target, p.damage * weapon.vs_armor.get(target.type.armor, 0),
                         p.owner, p.source_id)
        world.emit("hit", p.owner, p.x, p.y, weapon=p.weapon)
        return
    world.emit("explosion", p.owner, p.x, p.y, size=p.splash)
    r2 = p.splash * p.splash
    victims: list[Entity] = [
        u for u in world.index.near(p.x, p.y, p.splash)
        if u.owner != p.owner and u.hp > 0 and not u.type.flying
        and (u.x - p.x) ** 2 + (u.y - p.y) ** 2 <= r2
    ]
    victims += [b for b in world.buildings.values()
                if b.owner != p.owner and distance_to(p.x, p.y, b) <= p.splash]
    for v in victims:
        falloff = 1.0 - 0.5 * min(1.0, distance_to(p.x, p.y, v) / p.splash)
        apply_damage(world, v, p.damage * falloff * weapon.vs_armor.get(v.type.armor, 0),
                     p.owner, p.source_id)


def apply_damage(world: World, victim: Entity, amount: float, attacker_owner: int,
                 attacker_id: int) -> None:
    if victim.hp <= 0 or amount <= 0:
        return
    victim.hp -= max(1, int(round(amount)))
    victim.attacked_tick = world.tick
    owner = world.players[victim.owner]
    if world.tick - owner.alert_tick >= ALERT_PERIOD:
        owner.alert_tick = world.tick
        vx, vy = position(victim)
        world.emit("under_attack", victim.owner, vx, vy, what=victim.type.name)
    if isinstance(victim, Unit):
        victim.last_attacker = attacker_id
    elif (attacker := world.entity(attacker_id)) is not None:
        ax, ay = position(attacker)
        owner.raided_from = (ax, ay, world.tick)
    if victim.hp <= 0:
        destroy(world, victim, attacker_owner)


def destroy(world: World, victim: Entity, killer: int | None) -> None:
    victim.hp = 0
    owner = world.players[victim.owner]
    if isinstance(victim, Unit):
        world.units.pop(victim.id, None)
        if victim.cell is not None and world.reserved.get(victim.cell) == victim.id:
            del world.reserved[victim.cell]
        owner.stats.units_lost += 1
        if killer is not None and killer != victim.owner:
            world.players[killer].stats.units_killed += 1
        world.emit("unit_destroyed", victim.owner, victim.x, victim.y,
                   unit=victim.type.name, id=victim.id)
        return
    world.buildings.pop(victim.id, None)
    world.tiles.release(victim.cells)
    owner.stats.buildings_lost += 1
    if killer is not None and killer != victim.owner:
        world.players[killer].stats.buildings_destroyed += 1
    cx, cy = victim.center
    world.emit("building_destroyed", victim.owner, cx, cy, building=victim.type.name,
               id=victim.id, size=max(victim.type.size))


def sell(world: World, building: Building) -> int:
    refund = int(building.type.cost * ECONOMY.sell_refund * building.hp / building.type.hp)
    refund += building.paid  # spent on the unit in production, never built
    owner = world.players[building.owner]
    owner.credits += refund
    owner.stats.buildings_sold += 1
    cx, cy = building.center
    world.emit("building_sold", building.owner, cx, cy, building=building.type.name,
               refund=refund)
    building.queue.clear()
    world.buildings.pop(building.id, None)
    world.tiles.release(building.cells)
    return refund
