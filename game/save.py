"""Saved games: the whole simulation as versioned JSON, checked before it is trusted.

A save is plain JSON (never pickle: reading a save can never run code). It holds
the full state - map, fog, entities, activities and their targets, production,
projectiles, reservations and ore claims, the order log, the bots' state - so
that the game goes on exactly as it would have: the state hash after a load
equals the hash at save. The same serialised form is what `World.state_hash`
digests, so the hash covers everything a save holds, floats included exactly
(JSON writes a float as its shortest round-trip repr).

Reading never trusts the file: size first (before parsing), then the format and
version (older versions go through MIGRATIONS), then every value's type and range
and every reference between entities; any fault is a SaveError whose `key` is an
i18n message. Nothing is changed until the whole file has been read, so a bad
file leaves the running game and every other slot as they were.

Writes are atomic: a temporary file, fsync, the previous save kept as `.bak`,
then a rename over the slot.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import math
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, cast

from game import __version__, ai, paths
from game.activities import Activity, Attack, Harvest, Move
from game.ai import Commander
from game.orders import KINDS, Order, OrderKind
from game.rules import BUILDING_TYPES, UNIT_TYPES
from game.sim import WEAPONS
from game.terrain import TileMap
from game.world import Building, Construction, Player, Projectile, Stats, Unit, World

FORMAT = "rts-commander-save"
VERSION = 1
SUFFIX = ".json"
MAX_FILE_BYTES = 32 * 2**20  # refused before parsing: no save of a real match comes close
LIMITS = {"units": 20_000, "buildings": 5_000, "projectiles": 50_000, "orders": 1_000_000,
          "players": 8, "path": 20_000, "queue": 100, "order_units": 20_000}
MAX_MAP = 512
BIG = 10**9  # credits, ticks and counters beyond this are not from a real game
NESTING = 4  # activities inside activities (Move -> Attack -> Move)
QUICK_SLOT, AUTO_SLOT, EMERGENCY_SLOT = "quicksave", "autosave", "emergency"
SLOT_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# Older save versions are brought up to date one step at a time: MIGRATIONS[n]
# turns a version-n document into a version-(n+1) one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class SaveError(Exception):
    """Why a save cannot be read or written: `key` is a game.i18n message."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}" if detail else key)
        self.key = key
        self.detail = detail


def _bad(where: str, what: str) -> SaveError:
    return SaveError("save_damaged", f"{where}: {what}")


@dataclass
class SavedGame:
    world: World
    bots: list[Commander]
    difficulty: str
    viewer: int
    command_log: dict[str, Any]  # the typed orders' log (game.ui.orders_desk reads it)
    name: str = ""
    saved_at: str = ""


@dataclass(frozen=True)
class SaveInfo:
    path: Path
    ms: float  # serialising and writing, milliseconds
    bytes: int
    state_hash: str
    encode_ms: float = 0.0  # of which serialising (the state as it is now)
    write_ms: float = 0.0  # of which writing, fsync and rename


# -- writing: the world as plain data -----------------------------------------------
def _b64(data: bytes | bytearray) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


def _cell(cell: tuple[int, int] | None) -> list[int] | None:
    return None if cell is None else [cell[0], cell[1]]


def activity_state(act: Activity | None) -> dict[str, Any] | None:
    """An activity and the ones it runs inside it, as plain data."""
    if act is None:
        return None
    if isinstance(act, Move):
        return {"kind": "move", "goal": _cell(act.goal), "attack_move": act.attack_move,
                "path": None if act.path is None else [v for cell in act.path for v in cell],
                "path_version": act.path_version, "child": activity_state(act.child)}
    if isinstance(act, Attack):
        return {"kind": "attack", "target_id": act.target_id, "auto": act.auto,
                "leash": None if act.leash is None else list(act.leash),
                "chase": activity_state(act.chase), "chase_tick": act.chase_tick}
    if isinstance(act, Harvest):
        return {"kind": "harvest", "state": act.state, "field": _cell(act.field),
                "move": activity_state(act.move), "refinery_id": act.refinery_id,
                "wait": act.wait}
    raise TypeError(f"no save format for activity {type(act).__name__}")


# Units are rows under one header (a 300-unit save would otherwise repeat every key
# 300 times, and saving must stay well under a frame's worth of hitch).
UNIT_FIELDS = ("id", "owner", "type", "x", "y", "prev_x", "prev_y", "hp", "facing",
               "activity", "cooldown", "target_id", "cell", "cargo", "auto_harvest",
               "last_attacker", "attacked_tick", "scan_phase")


def _unit_state(u: Unit) -> list[Any]:
    return [u.id, u.owner, u.type.name, u.x, u.y, u.prev_x, u.prev_y, u.hp, u.facing,
            activity_state(u.activity), u.cooldown, u.target_id, _cell(u.cell), u.cargo,
            u.auto_harvest, u.last_attacker, u.attacked_tick, u.scan_phase]


def _building_state(b: Building) -> dict[str, Any]:
    return {"id": b.id, "owner": b.owner, "type": b.type.name, "x": b.x, "y": b.y,
            "hp": b.hp, "queue": list(b.queue), "progress": b.progress, "paid": b.paid,
            "on_hold": b.on_hold, "rally": _cell(b.rally), "cooldown": b.cooldown,
            "target_id": b.target_id, "attacked_tick": b.attacked_tick,
            "repairing": b.repairing, "repair_on_hold": b.repair_on_hold}


def _projectile_state(p: Projectile) -> dict[str, Any]:
    return {f.name: getattr(p, f.name) for f in fields(Projectile)}


def _player_state(p: Player) -> dict[str, Any]:
    c = p.construction
    return {
        "id": p.id, "credits": p.credits, "start": _cell(p.start),
        "power_produced": p.power_produced, "power_used": p.power_used,
        "construction": None if c is None else {
            "item": c.item, "progress": c.progress, "auto_place": c.auto_place,
            "near": _cell(c.near), "paid": c.paid, "on_hold": c.on_hold},
        "known_buildings": [[bid, kind, x, y] for bid, (kind, x, y) in p.known_buildings.items()],
        "stats": {f.name: getattr(p.stats, f.name) for f in fields(Stats)},
        "defeated": p.defeated, "alert_tick": p.alert_tick,
        "funds_alert_tick": p.funds_alert_tick,
        "raided_from": None if p.raided_from is None else list(p.raided_from),
        "explored": _b64(p.explored), "visible": _b64(p.visible),
    }


def order_state(order: Order) -> list[Any]:
    """An Order as a compact list (the order log holds thousands of them)."""
    return [order.kind, order.player, list(order.units), _cell(order.cell), order.target,
            order.item, order.count, order.auto_place]


def world_state(world: World) -> dict[str, Any]:
    """Everything that decides how the simulation goes on. Left out: the events of the
    last tick (output), the spatial index and the path budget (rebuilt every tick)."""
    tiles = world.tiles
    return {
        "seed": world.seed, "tick": world.tick, "winner": world.winner,
        "next_id": world._next_id,
        "map": {"width": tiles.width, "height": tiles.height,
                "terrain": _b64(tiles.terrain), "resource_kind": _b64(tiles.resource_kind),
                "resource_amount": _b64(tiles.resource_amount), "shade": _b64(tiles.shade),
                "version": tiles.version, "resource_version": tiles.resource_version},
        "players": [_player_state(p) for p in world.players],
        "unit_fields": list(UNIT_FIELDS),
        "units": [_unit_state(u) for u in world.units.values()],
        "buildings": [_building_state(b) for b in world.buildings.values()],
        "projectiles": [_projectile_state(p) for p in world.projectiles],
        "reserved": [[x, y, uid] for (x, y), uid in world.reserved.items()],
        "claims": [[x, y, uid] for (x, y), uid in world.claims.items()],
        "pending_orders": [order_state(o) for o in world.pending_orders],
        "order_log": [[tick, *order_state(o)] for tick, o in world.order_log],
    }


def _canonical(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def digest(state: dict[str, Any]) -> str:
    """The hash of a world_state (what a save records and checks on load)."""
    return hashlib.sha256(_canonical(state)).hexdigest()[:16]


def state_hash(world: World) -> str:
    """A digest of the full serialised state, floats exact (World.state_hash)."""
    return digest(world_state(world))


# -- the bots: their attributes, whatever they are, as tagged plain data -----------------
def _is_config(value: Any) -> bool:
    """A bot's row of its table (difficulty, habits): saved by name, not by value."""
    return is_dataclass(value) and not isinstance(value, type) and hasattr(value, "name")


def _bot_config(bot: Commander) -> str:
    return next(v.name for v in vars(bot).values() if _is_config(v))


def _bot_names() -> tuple[str, ...]:
    return tuple(ai.PLAYER_BOTS)


def _new_bot(player: int, config: str) -> Commander:
    """A fresh bot by its table name: an enemy difficulty or a player's habits."""
    return ai.make_bot(player, config)


def _plain(value: Any) -> Any:
    """A bot attribute as JSON: containers are tagged so they come back as they were."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, tuple):
        return {"t": [_plain(v) for v in value]}
    if isinstance(value, list):
        return {"l": [_plain(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"s": [_plain(v) for v in sorted(value)]}
    if isinstance(value, dict):
        return {"d": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if hasattr(value, "__dict__"):
        return {"o": {k: _plain(v) for k, v in vars(value).items()}}
    raise TypeError(f"no save format for {type(value).__name__}")


def bot_state(bot: Commander) -> dict[str, Any]:
    state = {k: _plain(v) for k, v in vars(bot).items() if not _is_config(v)}
    return {"player": bot.player, "config": _bot_config(bot), "state": state}


def _unplain(data: Any, default: Any, where: str, depth: int = 0) -> Any:
    """Back from _plain, shaped and typed like `default` (the fresh bot's value)."""
    if depth > 8:
        raise _bad(where, "nested too deep")
    if default is not None and hasattr(default, "__dict__") and not isinstance(default, type):
        if not isinstance(data, dict) or set(data) != {"o"} or not isinstance(data["o"], dict):
            raise _bad(where, "expected an object")
        _restore_attributes(default, data["o"], where, depth + 1)
        return default
    value = _free_value(data, where, depth)
    if default is not None and value is not None:
        numbers = (int, float)
        same = type(value) is type(default) or (
            isinstance(value, numbers) and isinstance(default, numbers)
            and not isinstance(value, bool) and not isinstance(default, bool))
        if not same:
            raise _bad(where, f"expected {type(default).__name__}")
    return value


def _free_value(data: Any, where: str, depth: int) -> Any:
    if depth > 8:
        raise _bad(where, "nested too deep")
    if data is None or isinstance(data, bool):
        return data
    if isinstance(data, int):
        if abs(data) > 2**53:
            raise _bad(where, "number out of range")
        return data
    if isinstance(data, float):
        if not math.isfinite(data):
            raise _bad(where, "not a finite number")
        return data
    if isinstance(data, str):
        if len(data) > 200:
            raise _bad(where, "text too long")
        return data
    if not isinstance(data, dict) or len(data) != 1:
        raise _bad(where, "unknown value")
    (tag, items), = data.items()
    if not isinstance(items, list):
        raise _bad(where, "expected a list")
    if tag == "d":
        out = {}
        for pair in items:
            if not isinstance(pair, list) or len(pair) != 2:
                raise _bad(where, "expected pairs")
            key = _free_value(pair[0], where, depth + 1)
            _hashable(key, where)
            out[key] = _free_value(pair[1], where, depth + 1)
        return out
    values = [_free_value(v, where, depth + 1) for v in items]
    if tag == "t":
        return tuple(values)
    if tag == "l":
        return values
    if tag == "s":
        for v in values:
            _hashable(v, where)
        return set(values)
    raise _bad(where, "unknown value")


def _hashable(value: Any, where: str) -> None:
    if isinstance(value, (list, dict, set)):
        raise _bad(where, "unusable key")


def _restore_attributes(target: Any, saved: dict[str, Any], where: str, depth: int) -> None:
    """Set each attribute the fresh object has from the save (missing ones keep their
    default: an older save); attributes the code no longer has are ignored."""
    for name, default in list(vars(target).items()):
        if _is_config(default) or name not in saved:
            continue
        setattr(target, name, _unplain(saved[name], default, f"{where}.{name}", depth))


def _read_bot(data: Any, players: int, where: str) -> Commander:
    data = _obj(data, where)
    player = _int(data.get("player"), f"{where}.player", 0, players - 1)
    config = data.get("config")
    if config not in _bot_names():
        raise _bad(f"{where}.config", "unknown bot")
    bot = _new_bot(player, config)
    _restore_attributes(bot, _obj(data.get("state"), f"{where}.state"), where, 0)
    if bot.player != player:
        raise _bad(f"{where}.player", "does not match")
    return bot


# -- reading: checked helpers ---------------------------------------------------------
def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(where, "expected an object")
    return value


def _list(value: Any, where: str, limit: int) -> list[Any]:
    if not isinstance(value, list):
        raise _bad(where, "expected a list")
    if len(value) > limit:
        raise SaveError("save_too_big", f"{where}: {len(value)} > {limit}")
    return value


def _int(value: Any, where: str, lo: int = -BIG, hi: int = BIG) -> int:
    if type(value) is not int:
        raise _bad(where, "expected a whole number")
    if not lo <= value <= hi:
        raise _bad(where, f"{value} not in {lo}..{hi}")
    return value


def _num(value: Any, where: str, lo: float, hi: float) -> float:
    """A float field as it was written (an int stays an int: the hash sees the same)."""
    if type(value) not in (int, float) or not math.isfinite(value):
        raise _bad(where, "expected a number")
    if not lo <= value <= hi:
        raise _bad(where, f"{value} not in {lo}..{hi}")
    return value


def _bool(value: Any, where: str) -> bool:
    if type(value) is not bool:
        raise _bad(where, "expected true or false")
    return value


def _str(value: Any, where: str, choices: Any) -> str:
    if not isinstance(value, str) or value not in choices:
        raise _bad(where, f"unknown value {str(value)[:40]!r}")
    return value


def _opt(value: Any, read: Callable[[Any], Any]) -> Any:
    return None if value is None else read(value)


class _Reader:
    """Reads one world document; knows the map size and the ids in use."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.next_id = _int(doc.get("next_id"), "next_id", 1, BIG)
        self.tick = _int(doc.get("tick"), "tick", 0, BIG)
        m = _obj(doc.get("map"), "map")
        self.width = _int(m.get("width"), "map.width", 4, MAX_MAP)
        self.height = _int(m.get("height"), "map.height", 4, MAX_MAP)
        self.players = 0

    # -- small shapes -------------------------------------------------------------
    def ref(self, value: Any, where: str) -> int:
        """An entity id: one the world has handed out (its entity may be gone since)."""
        return _int(value, where, 1, self.next_id - 1)

    def owner(self, value: Any, where: str) -> int:
        return _int(value, where, 0, self.players - 1)

    def cell(self, value: Any, where: str) -> tuple[int, int]:
        if not isinstance(value, list) or len(value) != 2:
            raise _bad(where, "expected [x, y]")
        return (_int(value[0], where, 0, self.width - 1),
                _int(value[1], where, 0, self.height - 1))

    def coord(self, value: Any, where: str, axis: int) -> float:
        size = self.width if axis == 0 else self.height
        return _num(value, where, -1.0, size + 1.0)

    def point(self, value: Any, where: str) -> tuple[float, float]:
        if not isinstance(value, list) or len(value) != 2:
            raise _bad(where, "expected [x, y]")
        return self.coord(value[0], where, 0), self.coord(value[1], where, 1)

    def bytes_of(self, value: Any, where: str, allowed: bytes | None) -> bytearray:
        if not isinstance(value, str):
            raise _bad(where, "expected base64 text")
        try:
            raw = base64.b64decode(value, validate=True)
        except ValueError:
            raise _bad(where, "not base64") from None
        if len(raw) != self.width * self.height:
            raise _bad(where, "wrong size")
        if allowed is not None and raw.translate(None, allowed):
            raise _bad(where, "value out of range")
        return bytearray(raw)

    # -- the parts --------------------------------------------------------------------
    def tiles(self) -> TileMap:
        m = self.doc["map"]
        terrain = self.bytes_of(m.get("terrain"), "map.terrain", bytes(range(4)))
        kind = self.bytes_of(m.get("resource_kind"), "map.resource_kind", bytes(range(3)))
        amount = self.bytes_of(m.get("resource_amount"), "map.resource_amount", None)
        shade = self.bytes_of(m.get("shade"), "map.shade", None)
        tiles = TileMap(self.width, self.height, terrain, kind, amount, shade)
        tiles.version = _int(m.get("version"), "map.version", 0, BIG)
        tiles.resource_version = _int(m.get("resource_version"), "map.resource_version",
                                      0, BIG)
        return tiles

    def player(self, data: Any, index: int) -> Player:
        where = f"players[{index}]"
        d = _obj(data, where)
        _int(d.get("id"), f"{where}.id", index, index)
        explored = self.bytes_of(d.get("explored"), f"{where}.explored", b"\x00\x01")
        visible = self.bytes_of(d.get("visible"), f"{where}.visible", b"\x00\x01")
        p = Player(index, _int(d.get("credits"), f"{where}.credits"), explored, visible,
                   self.cell(d.get("start"), f"{where}.start"))
        p.power_produced = _int(d.get("power_produced"), f"{where}.power_produced", 0, BIG)
        p.power_used = _int(d.get("power_used"), f"{where}.power_used", 0, BIG)
        p.construction = _opt(d.get("construction"),
                              lambda c: self.construction(c, f"{where}.construction"))
        known = _list(d.get("known_buildings"), f"{where}.known_buildings",
                      LIMITS["buildings"] * 4)
        for i, k in enumerate(known):
            kw = f"{where}.known_buildings[{i}]"
            if not isinstance(k, list) or len(k) != 4:
                raise _bad(kw, "expected [id, type, x, y]")
            x, y = self.cell(k[2:], kw)
            p.known_buildings[self.ref(k[0], kw)] = (_str(k[1], kw, BUILDING_TYPES), x, y)
        stats = _obj(d.get("stats"), f"{where}.stats")
        for f in fields(Stats):
            setattr(p.stats, f.name, _int(stats.get(f.name), f"{where}.stats.{f.name}", 0, BIG))
        p.defeated = _bool(d.get("defeated"), f"{where}.defeated")
        p.alert_tick = _int(d.get("alert_tick"), f"{where}.alert_tick")
        p.funds_alert_tick = _int(d.get("funds_alert_tick"), f"{where}.funds_alert_tick")
        raid = d.get("raided_from")
        if raid is not None:
            if not isinstance(raid, list) or len(raid) != 3:
                raise _bad(f"{where}.raided_from", "expected [x, y, tick]")
            px, py = self.point(raid[:2], f"{where}.raided_from")
            p.raided_from = (px, py, _int(raid[2], f"{where}.raided_from", -BIG, self.tick))
        return p

    def construction(self, data: Any, where: str) -> Construction:
        d = _obj(data, where)
        item = _str(d.get("item"), f"{where}.item",
                    [n for n, b in BUILDING_TYPES.items() if b.buildable])
        btype = BUILDING_TYPES[item]
        return Construction(
            item, _num(d.get("progress"), f"{where}.progress", 0, btype.build_time),
            _bool(d.get("auto_place"), f"{where}.auto_place"),
            _opt(d.get("near"), lambda c: self.cell(c, f"{where}.near")),
            _int(d.get("paid"), f"{where}.paid", 0, btype.cost),
            _bool(d.get("on_hold"), f"{where}.on_hold"))

    def activity(self, data: Any, where: str, depth: int = 0) -> Activity | None:
        if data is None:
            return None
        if depth > NESTING:
            raise _bad(where, "activities nested too deep")
        d = _obj(data, where)
        kind = d.get("kind")
        if kind == "move":
            act = Move(self.cell(d.get("goal"), f"{where}.goal"),
                       _bool(d.get("attack_move"), f"{where}.attack_move"))
            path = d.get("path")  # flat: x0, y0, x1, y1...
            if path is not None:
                flat = _list(path, f"{where}.path", 2 * LIMITS["path"])
                if len(flat) % 2:
                    raise _bad(f"{where}.path", "odd length")
                act.path = [self.cell(flat[i:i + 2], f"{where}.path")
                            for i in range(0, len(flat), 2)]
            act.path_version = _int(d.get("path_version"), f"{where}.path_version", -1, BIG)
            child = self.activity(d.get("child"), f"{where}.child", depth + 1)
            if child is not None and not isinstance(child, Attack):
                raise _bad(f"{where}.child", "expected an attack")
            act.child = child
            return act
        if kind == "attack":
            leash = _opt(d.get("leash"), lambda p: self.point(p, f"{where}.leash"))
            act2 = Attack(self.ref(d.get("target_id"), f"{where}.target_id"),
                          _bool(d.get("auto"), f"{where}.auto"), leash)
            act2.chase = self._move(d.get("chase"), f"{where}.chase", depth)
            act2.chase_tick = _int(d.get("chase_tick"), f"{where}.chase_tick")
            return act2
        if kind == "harvest":
            act3 = Harvest(_opt(d.get("field"), lambda c: self.cell(c, f"{where}.field")))
            act3.state = _str(d.get("state"), f"{where}.state",
                              ("seek", "go_field", "dig", "go_home", "unload"))
            act3.move = self._move(d.get("move"), f"{where}.move", depth)
            act3.refinery_id = _opt(d.get("refinery_id"),
                                    lambda r: self.ref(r, f"{where}.refinery_id"))
            act3.wait = _int(d.get("wait"), f"{where}.wait", 0, BIG)
            if act3.state == "go_field" and act3.move is None:
                raise _bad(f"{where}.move", "a harvester on its way needs its move")
            return act3
        raise _bad(f"{where}.kind", "unknown activity")

    def _move(self, data: Any, where: str, depth: int) -> Move | None:
        act = self.activity(data, where, depth + 1)
        if act is not None and not isinstance(act, Move):
            raise _bad(where, "expected a move")
        return act

    def unit(self, data: Any, index: int) -> Unit:
        where = f"units[{index}]"
        if not isinstance(data, list) or len(data) != len(UNIT_FIELDS):
            raise _bad(where, "expected a row of unit_fields")
        d = dict(zip(UNIT_FIELDS, data))
        utype = UNIT_TYPES[_str(d.get("type"), f"{where}.type", UNIT_TYPES)]
        u = Unit(self.ref(d.get("id"), f"{where}.id"), self.owner(d.get("owner"), f"{where}.owner"),
                 utype, 0.0, 0.0)
        u.x = self.coord(d.get("x"), f"{where}.x", 0)
        u.y = self.coord(d.get("y"), f"{where}.y", 1)
        u.prev_x = self.coord(d.get("prev_x"), f"{where}.prev_x", 0)
        u.prev_y = self.coord(d.get("prev_y"), f"{where}.prev_y", 1)
        u.hp = _int(d.get("hp"), f"{where}.hp", 1, utype.hp)
        u.facing = _num(d.get("facing"), f"{where}.facing", -7.0, 7.0)
        u.activity = self.activity(d.get("activity"), f"{where}.activity")
        if isinstance(u.activity, Harvest) and not utype.harvest_capacity:
            raise _bad(f"{where}.activity", "only harvesters harvest")
        u.cooldown = _int(d.get("cooldown"), f"{where}.cooldown", -BIG, 100_000)
        u.target_id = _opt(d.get("target_id"), lambda r: self.ref(r, f"{where}.target_id"))
        u.cell = _opt(d.get("cell"), lambda c: self.cell(c, f"{where}.cell"))
        u.cargo = _int(d.get("cargo"), f"{where}.cargo", 0, max(utype.harvest_capacity, 0) * 4)
        u.auto_harvest = _bool(d.get("auto_harvest"), f"{where}.auto_harvest")
        u.last_attacker = _opt(d.get("last_attacker"),
                               lambda r: self.ref(r, f"{where}.last_attacker"))
        u.attacked_tick = _int(d.get("attacked_tick"), f"{where}.attacked_tick", -BIG, self.tick)
        u.scan_phase = _int(d.get("scan_phase"), f"{where}.scan_phase", 0, 7)
        return u

    def building(self, data: Any, index: int) -> Building:
        where = f"buildings[{index}]"
        d = _obj(data, where)
        btype = BUILDING_TYPES[_str(d.get("type"), f"{where}.type", BUILDING_TYPES)]
        w, h = btype.size
        x = _int(d.get("x"), f"{where}.x", 0, self.width - w)
        y = _int(d.get("y"), f"{where}.y", 0, self.height - h)
        b = Building(self.ref(d.get("id"), f"{where}.id"),
                     self.owner(d.get("owner"), f"{where}.owner"), btype, x, y)
        b.hp = _int(d.get("hp"), f"{where}.hp", 1, btype.hp)
        made_here = [n for n, t in UNIT_TYPES.items() if t.produced_by == btype.name]
        b.queue = [_str(n, f"{where}.queue", made_here)
                   for n in _list(d.get("queue"), f"{where}.queue", LIMITS["queue"])]
        first = UNIT_TYPES[b.queue[0]] if b.queue else None
        b.progress = _num(d.get("progress"), f"{where}.progress", 0,
                          first.build_time if first else 0)
        b.paid = _int(d.get("paid"), f"{where}.paid", 0, first.cost if first else 0)
        b.on_hold = _bool(d.get("on_hold"), f"{where}.on_hold")
        b.rally = _opt(d.get("rally"), lambda c: self.cell(c, f"{where}.rally"))
        b.cooldown = _int(d.get("cooldown"), f"{where}.cooldown", -BIG, 100_000)
        b.target_id = _opt(d.get("target_id"), lambda r: self.ref(r, f"{where}.target_id"))
        b.attacked_tick = _int(d.get("attacked_tick"), f"{where}.attacked_tick", -BIG, self.tick)
        b.repairing = _bool(d.get("repairing"), f"{where}.repairing")
        b.repair_on_hold = _bool(d.get("repair_on_hold"), f"{where}.repair_on_hold")
        return b

    def projectile(self, data: Any, index: int) -> Projectile:
        where = f"projectiles[{index}]"
        d = _obj(data, where)
        pw = f"{where}."
        return Projectile(
            self.coord(d.get("x"), pw + "x", 0), self.coord(d.get("y"), pw + "y", 1),
            self.coord(d.get("tx"), pw + "tx", 0), self.coord(d.get("ty"), pw + "ty", 1),
            _num(d.get("speed"), pw + "speed", 0.001, 100.0),
            _int(d.get("damage"), pw + "damage", 0, 100_000),
            self.owner(d.get("owner"), pw + "owner"), self.ref(d.get("source_id"), pw + "source"),
            _opt(d.get("target_id"), lambda r: self.ref(r, pw + "target")),
            _str(d.get("weapon"), pw + "weapon", WEAPONS),
            _num(d.get("splash"), pw + "splash", 0.0, 100.0),
            self.coord(d.get("start_x"), pw + "start_x", 0),
            self.coord(d.get("start_y"), pw + "start_y", 1))

    def order(self, data: Any, where: str) -> Order:
        if not isinstance(data, list) or len(data) != 8:
            raise _bad(where, "expected an order")
        kind, player, units, cell, target, item, count, auto_place = data
        ids = tuple(self.ref(u, f"{where}.units")
                    for u in _list(units, f"{where}.units", LIMITS["order_units"]))
        if cell is not None:  # pending orders are checked when executed, like any order
            if not isinstance(cell, list) or len(cell) != 2:
                raise _bad(f"{where}.cell", "expected [x, y]")
            cell = (_int(cell[0], f"{where}.cell"), _int(cell[1], f"{where}.cell"))
        if item is not None and (not isinstance(item, str) or len(item) > 40):
            raise _bad(f"{where}.item", "expected a name")
        order_kind = cast(OrderKind, _str(kind, f"{where}.kind", KINDS))  # one of KINDS
        return Order(order_kind, self.owner(player, f"{where}.player"),
                     ids, cell, _opt(target, lambda t: _int(t, f"{where}.target")), item,
                     _int(count, f"{where}.count", 0, 10_000),
                     _bool(auto_place, f"{where}.auto_place"))

    def pairs(self, data: Any, where: str) -> dict[tuple[int, int], int]:
        out: dict[tuple[int, int], int] = {}
        for i, entry in enumerate(_list(data, where, LIMITS["units"] * 4)):
            if not isinstance(entry, list) or len(entry) != 3:
                raise _bad(f"{where}[{i}]", "expected [x, y, id]")
            out[self.cell(entry[:2], f"{where}[{i}]")] = self.ref(entry[2], f"{where}[{i}]")
        return out


def read_world(doc: Any) -> World:
    """A World from its world_state; SaveError on anything out of place."""
    doc = _obj(doc, "world")
    r = _Reader(doc)
    tiles = r.tiles()
    players_data = _list(doc.get("players"), "players", LIMITS["players"])
    if not players_data:
        raise _bad("players", "no players")
    r.players = len(players_data)
    players = [r.player(p, i) for i, p in enumerate(players_data)]
    world = World(_int(doc.get("seed"), "seed", -2**63, 2**63), tiles,
                  tuple(p.start for p in players))
    world.players = players
    world.tick = r.tick
    world._next_id = r.next_id
    winner = doc.get("winner")
    world.winner = None if winner is None else r.owner(winner, "winner")
    for i, data in enumerate(_list(doc.get("buildings"), "buildings", LIMITS["buildings"])):
        b = r.building(data, i)
        if b.id in world.buildings:
            raise _bad(f"buildings[{i}].id", "used twice")
        for x, y in b.cells:
            if tiles.building_at.get(y * tiles.width + x) is not None:
                raise _bad(f"buildings[{i}]", "overlaps another building")
            tiles.building_at[y * tiles.width + x] = b.id
            tiles.blocked[y * tiles.width + x] = 1
        world.buildings[b.id] = b
    if doc.get("unit_fields") != list(UNIT_FIELDS):
        raise _bad("unit_fields", "not the fields this version saves")
    for i, data in enumerate(_list(doc.get("units"), "units", LIMITS["units"])):
        u = r.unit(data, i)
        if u.id in world.units or u.id in world.buildings:
            raise _bad(f"units[{i}].id", "used twice")
        world.units[u.id] = u
    world.projectiles = [r.projectile(p, i) for i, p in enumerate(
        _list(doc.get("projectiles"), "projectiles", LIMITS["projectiles"]))]
    world.reserved = r.pairs(doc.get("reserved"), "reserved")
    world.claims = r.pairs(doc.get("claims"), "claims")
    world.pending_orders = [r.order(o, f"pending_orders[{i}]") for i, o in enumerate(
        _list(doc.get("pending_orders"), "pending_orders", LIMITS["orders"]))]
    log = []
    last = 0
    for i, entry in enumerate(_list(doc.get("order_log"), "order_log", LIMITS["orders"])):
        if not isinstance(entry, list) or not entry:
            raise _bad(f"order_log[{i}]", "expected [tick, order]")
        last = _int(entry[0], f"order_log[{i}].tick", last, r.tick)
        log.append((last, r.order(entry[1:], f"order_log[{i}]")))
    world.order_log = log
    return world


# -- the document -----------------------------------------------------------------------
def _header(world: World, bots: list[Commander], difficulty: str, viewer: int,
            command_log: dict[str, Any] | None, name: str, hashed: str) -> dict[str, Any]:
    return {
        "format": FORMAT, "version": VERSION, "game_version": __version__,
        "name": name, "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "game": {"difficulty": difficulty, "viewer": viewer, "tick": world.tick},
        "state_hash": hashed,
        "bots": [bot_state(b) for b in bots],
        "command_log": command_log or {},
    }


def encode_game(world: World, bots: list[Commander], difficulty: str, viewer: int = 0,
                command_log: dict[str, Any] | None = None, name: str = ""
                ) -> tuple[bytes, str]:
    """The bytes of a save and its state hash, the world serialised once (the hash is
    taken from the very bytes written)."""
    state = _canonical(world_state(world))
    hashed = hashlib.sha256(state).hexdigest()[:16]
    head = _canonical(_header(world, bots, difficulty, viewer, command_log, name, hashed))
    return head[:-1] + b',"world":' + state + b"}", hashed


def decode(data: bytes) -> SavedGame:
    """A saved game from the bytes of a save file; SaveError if it is not a sound one."""
    if len(data) > MAX_FILE_BYTES:
        raise SaveError("save_too_big", f"{len(data)} bytes")
    try:
        doc = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # bad UTF-8 or JSON, absurd nesting
        raise SaveError("save_unreadable", str(error)[:120]) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SaveError("save_not_a_save")
    doc = migrate(doc)
    try:
        return _read_document(doc)
    except SaveError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError,
            RecursionError) as error:  # a check this module forgot: still a clean refusal
        raise SaveError("save_damaged", f"{type(error).__name__}: {error}"[:160]) from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a save may hold")


def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    version = doc.get("version")
    if type(version) is not int:
        raise SaveError("save_not_a_save", "no version")
    if version > VERSION:
        raise SaveError("save_newer", str(version))
    while version < VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise SaveError("save_too_old", str(version))
        doc = step(doc)
        version += 1
        doc["version"] = version
    return doc


def _read_document(doc: dict[str, Any]) -> SavedGame:
    world = read_world(doc.get("world"))
    game = _obj(doc.get("game"), "game")
    from game.settings import DIFFICULTIES
    difficulty = _str(game.get("difficulty"), "game.difficulty", DIFFICULTIES)
    viewer = _int(game.get("viewer"), "game.viewer", 0, len(world.players) - 1)
    bots = [_read_bot(b, len(world.players), f"bots[{i}]")
            for i, b in enumerate(_list(doc.get("bots"), "bots", LIMITS["players"]))]
    if len({b.player for b in bots}) != len(bots):
        raise _bad("bots", "two bots for one player")
    expected = doc.get("state_hash")
    if expected != world.state_hash():
        raise SaveError("save_damaged", "state hash does not match: changed after saving")
    log = doc.get("command_log", {})
    name = doc.get("name", "")
    saved_at = doc.get("saved_at", "")
    return SavedGame(world, bots, difficulty, viewer, _obj(log, "command_log"),
                     name if isinstance(name, str) else "",
                     saved_at if isinstance(saved_at, str) else "")


# -- files ---------------------------------------------------------------------------------
READ_ONLY_ERRORS = (errno.EROFS, errno.EACCES, errno.EPERM)


def write_error_key(error: OSError, what: str) -> str:
    """The game.i18n message for a failed write of a save or the settings: a read-only
    folder is said so; anything else (a full disk, an I/O error) is the general one."""
    if error.errno in READ_ONLY_ERRORS:
        return f"{what}_read_only"
    return "save_write_failed" if what == "save" else f"{what}_not_saved"


def write_atomic(path: Path, data: bytes, before_rename: Callable[[], None] | None = None
                 ) -> None:
    """Temp file, fsync, keep the old file as .bak, rename over: a crash at any point
    leaves either the old save or the new one, whole. `before_rename` is for tests."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a process killed mid-save
        with contextlib.suppress(OSError):
            stale.unlink()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if before_rename is not None:
            before_rename()
        if path.exists():
            backup = path.with_name(path.name + ".bak")
            with contextlib.suppress(OSError):
                backup.unlink()
            try:
                os.link(path, backup)  # the old save stays where it is until the rename
            except OSError:
                with contextlib.suppress(OSError):
                    backup.write_bytes(path.read_bytes())
        os.replace(tmp, path)
    except BaseException:  # a full or read-only disk: no half-written temp file is left
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        with contextlib.suppress(OSError):
            fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def save_game(path: Path, world: World, bots: list[Commander], difficulty: str,
              viewer: int = 0, command_log: dict[str, Any] | None = None,
              name: str = "") -> SaveInfo:
    start = time.perf_counter()
    data, hashed = encode_game(world, bots, difficulty, viewer, command_log, name or path.stem)
    encoded = time.perf_counter()
    try:
        write_atomic(path, data)
    except OSError as error:
        raise SaveError(write_error_key(error, "save"), str(error)) from None
    done = time.perf_counter()
    return SaveInfo(path, (done - start) * 1000.0, len(data), hashed,
                    (encoded - start) * 1000.0, (done - encoded) * 1000.0)


class SaveWriter:
    """Writes save files on one worker thread, one after the other: the frame that saves
    pays only for serialising the state, never for the disk (an fsync can take a hundred
    milliseconds on a busy disk). The written file is atomic all the same."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[tuple[Future[None], SaveInfo]] = []

    def save(self, path: Path, world: World, bots: list[Commander], difficulty: str,
             viewer: int = 0, command_log: dict[str, Any] | None = None,
             name: str = "") -> SaveInfo:
        """Serialise now, write in the background; `finished` says when it is on disk."""
        start = time.perf_counter()
        data, hashed = encode_game(world, bots, difficulty, viewer, command_log,
                                   name or path.stem)
        ms = (time.perf_counter() - start) * 1000.0
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="save-writer")
        info = SaveInfo(path, ms, len(data), hashed, ms)
        self._pending.append((self._pool.submit(write_atomic, path, data), info))
        return info

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def finished(self) -> list[tuple[SaveInfo, SaveError | None]]:
        """The saves written (or failed) since the last call; never waits."""
        done = [(f, info) for f, info in self._pending if f.done()]
        self._pending = [(f, info) for f, info in self._pending if not f.done()]
        out = []
        for future, info in done:
            error = future.exception()
            key = write_error_key(error, "save") if isinstance(error, OSError) \
                else "save_write_failed"
            out.append((info, None if error is None else SaveError(key, str(error))))
        return out

    def wait(self) -> list[tuple[SaveInfo, SaveError | None]]:
        """Every save on disk (before loading one, or quitting)."""
        for future, _ in self._pending:
            future.exception()  # blocks until that write has ended, raises nothing
        return self.finished()


def load_game(path: Path) -> SavedGame:
    """Read and check a save file; nothing outside it is touched."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SaveError("save_too_big", f"{size} bytes")
        data = path.read_bytes()
    except OSError as error:
        raise SaveError("save_missing", str(error)) from None
    return decode(data)


def slot_path(slot: str) -> Path:
    if not SLOT_NAME.match(slot):
        raise ValueError(f"bad slot name {slot!r}")
    return paths.saves_dir() / (slot + SUFFIX)  # if it could not be made, the write says why


@dataclass(frozen=True)
class Slot:
    name: str
    path: Path
    modified: float  # seconds since the epoch


def list_slots() -> list[Slot]:
    """The saves in the saves folder, newest first."""
    found = []
    for path in paths.saves_dir().glob("*" + SUFFIX):
        if SLOT_NAME.match(path.stem):
            with contextlib.suppress(OSError):
                found.append(Slot(path.stem, path, path.stat().st_mtime))
    return sorted(found, key=lambda s: (-s.modified, s.name))


def newest_slot() -> Slot | None:
    slots = list_slots()
    return slots[0] if slots else None


def new_slot_name() -> str:
    """A fresh slot named by the date and time."""
    base = time.strftime("save-%Y%m%d-%H%M%S")
    name, n = base, 1
    while slot_path(name).exists():
        n += 1
        name = f"{base}-{n}"
    return name
