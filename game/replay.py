"""Replays: a match as its seed, its settings and the stream of orders, in JSON lines.

A replay does not re-run the bots: every Order that reaches the world (mouse,
hotkeys, bots, typed orders alike) is recorded at the tick it executes, so a
replay only needs the simulation, and stays valid whatever the bots would think.
The recorder also writes `world.state_hash()` every `hash_every` ticks (as the
tick starts, before its orders run); playing the orders back from the seed must
give the same hashes, which is what `main.py replay FILE --verify` checks.
Recording never stops the match: a write or hash that fails ends the recording.

The file, one JSON object a line, written as the match goes (a crash keeps
everything up to the last flush):

    {"format": "rts-commander-replay", "version": 1, "game_version": ..., "seed": ...,
     "settings": {...}, "bots": {"0": "human", "1": "normal"}, "hash_every": 20}
    {"t": 120, "orders": [{"kind": "move", "player": 0, "units": [5, 6], "cell": [40, 12]}]}
    {"t": 140, "hash": "..."}          the state hash when tick 140 starts
    {"t": 150, "typed": {"id": 3, "text": "send 3 tanks north", "status": ..., "lines": ...}}
    {"t": 170, "typed": {"id": 3, ...}}   the same order later: what it has become since
    {"t": 2400, "end": {"winner": 0, "hash": "..."}}

Reading never runs code (json only) and checks every record; a bad file raises
ReplayError with a message key of game.i18n.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from game import __version__, sim
from game.i18n import tr
from game.orders import KINDS, Order
from game.rules import TICKS_PER_SECOND
from game.world import World

FORMAT = "rts-commander-replay"
FORMAT_VERSION = 1
HASH_EVERY = 20  # ticks between state hashes (one a second)
MAX_FILE_BYTES = 256 * 2**20  # a replay of many hours is a few MB; refuse absurd files
MAX_LINE_CHARS = 2**20
MAX_HEADER_CHARS = 32 * 2**20  # the header of a match continued from a save holds its state
MAX_TICK = TICKS_PER_SECOND * 3600 * 24  # a day of play
MAX_UNITS_PER_ORDER = 5000
MAX_ID = 2**31
MAX_TEXT = 2000  # typed order texts and log lines (the command bar cuts much earlier)
LOG = logging.getLogger(__name__)


class ReplayError(Exception):
    """A replay that cannot be used; `key` and `params` make the message (game.i18n)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(tr(key, "en", **params))
        self.key = key
        self.params = params

    def text(self, lang: str) -> str:
        return tr(self.key, lang, **self.params)


# -- orders as JSON -------------------------------------------------------------------
def order_to_json(order: Order) -> dict[str, Any]:
    """Only what differs from the defaults: most orders are a few fields."""
    data: dict[str, Any] = {"kind": order.kind, "player": order.player}
    if order.units:
        data["units"] = list(order.units)
    if order.cell is not None:
        data["cell"] = list(order.cell)
    if order.target is not None:
        data["target"] = order.target
    if order.item is not None:
        data["item"] = order.item
    if order.count != 1:
        data["count"] = order.count
    if order.auto_place:
        data["auto_place"] = True
    return data


def order_from_json(data: object) -> Order:
    """An Order from its JSON, every field checked (ValueError when wrong)."""
    if not isinstance(data, dict) or not set(data) <= _ORDER_FIELDS:
        raise ValueError("order fields")
    kind = data.get("kind")
    if kind not in KINDS:
        raise ValueError(f"order kind {kind!r}")
    units = data.get("units", [])
    if not isinstance(units, list) or len(units) > MAX_UNITS_PER_ORDER:
        raise ValueError("order units")
    cell = data.get("cell")
    if cell is not None and (not isinstance(cell, list) or len(cell) != 2):
        raise ValueError("order cell")
    item = data.get("item")
    if item is not None and (not isinstance(item, str) or len(item) > 40):
        raise ValueError("order item")
    auto_place = data.get("auto_place", False)
    if not isinstance(auto_place, bool):
        raise ValueError("order auto_place")
    return Order(kind, _int(data.get("player"), 0, 7), tuple(_int(u, 0, MAX_ID) for u in units),
                 None if cell is None else (_int(cell[0], -MAX_ID, MAX_ID),
                                            _int(cell[1], -MAX_ID, MAX_ID)),
                 None if data.get("target") is None else _int(data["target"], 0, MAX_ID),
                 item, _int(data.get("count", 1), 0, 10_000), auto_place)


_ORDER_FIELDS = {"kind", "player", "units", "cell", "target", "item", "count", "auto_place"}


def _int(value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"number {value!r}")
    return value


# -- the header ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Header:
    seed: int
    map_size: int = 96
    difficulty: str = "normal"
    bots: dict[int, str] = field(default_factory=dict)  # player -> bot name ("human": none)
    language: str = "en"
    hash_every: int = HASH_EVERY
    game_version: str = __version__
    recorded_at: str = ""  # local date and time, for the list of replays
    # A match continued from a save starts from that state (game.save.world_state),
    # checked by game.save when the replay is played; None: a new game from the seed.
    start: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"format": FORMAT, "version": FORMAT_VERSION, "game_version": self.game_version,
                "seed": self.seed, "recorded_at": self.recorded_at,
                "settings": {"map_size": self.map_size, "difficulty": self.difficulty,
                             "language": self.language},
                "bots": {str(p): name for p, name in self.bots.items()},
                "hash_every": self.hash_every}
        if self.start is not None:
            data["start"] = self.start
        return data


def header_from_json(data: object) -> Header:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReplayError("replay_not_a_replay")
    if data.get("version") != FORMAT_VERSION or data.get("game_version") != __version__:
        raise ReplayError("replay_other_version", version=str(data.get("game_version"))[:20],
                          current=__version__)
    try:
        settings = data["settings"]
        bots = data["bots"]
        if not isinstance(settings, dict) or not isinstance(bots, dict):
            raise ValueError("settings")
        header = Header(
            seed=_int(data["seed"], 0, 2**31), map_size=_int(settings["map_size"], 32, 512),
            difficulty=_text(settings["difficulty"], 20), language=_text(settings["language"], 8),
            bots={_int(int(p), 0, 7): _text(name, 20) for p, name in bots.items()},
            hash_every=_int(data["hash_every"], 1, 10_000),
            recorded_at=_text(data.get("recorded_at", ""), 40), start=data.get("start"))
        if header.start is not None and not isinstance(header.start, dict):
            raise ValueError("start")
    except (KeyError, TypeError, ValueError) as err:
        raise ReplayError("replay_damaged", line=1, reason=str(err)[:80]) from None
    return header


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(f"text {str(value)[:20]!r}")
    return value


# -- recording ------------------------------------------------------------------------------
class ReplayWriter:
    """Writes a replay as the match goes: it watches the world's ticks (orders and
    hashes); call `typed` for the command log, and `close` at the end."""

    def __init__(self, path: Path, header: Header, world: World) -> None:
        self.path = path
        self.header = header
        self.world = world
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] | None = open(path, "w", encoding="utf-8")  # noqa: SIM115
        self._write(header.to_json())
        self._write({"t": world.tick, "hash": settled_hash(world)})
        self._hashed = world.tick
        world.order_observers.append(self.on_tick_start)

    def _write(self, record: dict[str, Any], flush: bool = False) -> None:
        if self._file is None:
            return
        try:
            self._file.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            self._file.write("\n")
            if flush:
                self._file.flush()
        except OSError as err:  # a full disk: no replay, but the match goes on
            self._give_up(err)

    def _give_up(self, err: Exception) -> None:
        LOG.warning("Replay %s no longer recorded: %s", self.path, err)
        if self._file is not None:
            try:
                self._file.close()
            except OSError:
                pass
            self._file = None
        if self.on_tick_start in self.world.order_observers:
            self.world.order_observers.remove(self.on_tick_start)

    def on_tick_start(self, tick: int, orders: list[Order]) -> None:
        """Inside sim.step, before the tick's orders run: the hash is taken with no order
        waiting, where a replay takes it too, whenever the orders were issued."""
        try:
            if tick % self.header.hash_every == 0 and tick != self._hashed:
                self._write({"t": tick, "hash": self.world.state_hash()}, flush=True)
                self._hashed = tick
            if orders:
                self._write({"t": tick, "orders": [order_to_json(o) for o in orders]})
        except Exception as err:  # noqa: BLE001 - inside the tick: never break the match
            self._give_up(err)

    def typed(self, tick: int, entry: dict[str, Any]) -> None:
        """A typed order as the command log shows it: first seen, or changed since."""
        self._write({"t": tick, "typed": entry})

    @property
    def closed(self) -> bool:
        return self._file is None

    def close(self) -> None:
        """The end record (the final hash, the winner), then the file is complete."""
        if self._file is None:
            return
        world = self.world
        try:
            self._write({"t": world.tick, "end": {"winner": world.winner,
                                                  "hash": settled_hash(world)}})
            if self._file is not None:
                self._file.close()
        except Exception as err:  # noqa: BLE001 - leaving a match must not fail
            LOG.warning("Replay %s not ended: %s", self.path, err)
        self._file = None
        if self.on_tick_start in world.order_observers:
            world.order_observers.remove(self.on_tick_start)


def settled_hash(world: World) -> str:
    """The state hash as the next tick finds it before its orders run. Orders waiting
    for that tick are left out: a replay issues them only right before the tick."""
    waiting, world.pending_orders = world.pending_orders, []
    try:
        return world.state_hash()
    finally:
        world.pending_orders = waiting


def start_state(world: World) -> dict[str, Any] | None:
    """What a replay must start from: None for a new game (its seed is enough), else
    the saved state (a match continued from a save), without the orders waiting for
    the next tick, which the recording will hold."""
    if world.tick == 0 and not world.order_log:
        return None
    from game.save import world_state

    waiting, world.pending_orders = world.pending_orders, []
    try:
        return world_state(world)
    finally:
        world.pending_orders = waiting


# -- reading ----------------------------------------------------------------------------------
@dataclass
class Replay:
    header: Header
    orders: dict[int, list[Order]] = field(default_factory=dict)  # tick -> orders
    hashes: dict[int, str] = field(default_factory=dict)  # tick -> state hash
    typed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    end_tick: int | None = None  # None: the file stops early (the game was killed)
    winner: int | None = None
    last_tick: int = 0  # the last tick any record mentions

    @property
    def complete(self) -> bool:
        return self.end_tick is not None

    @property
    def length(self) -> int:
        """Ticks to play: to the end record, or to the last record of a cut file."""
        return self.end_tick if self.end_tick is not None else self.last_tick


def load(path: str | os.PathLike[str]) -> Replay:
    """Read and check a replay file; ReplayError (with a clear message) when unusable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReplayError("replay_too_big", mb=size // 2**20)
        with open(path, encoding="utf-8") as f:
            return parse(f)
    except UnicodeDecodeError:
        raise ReplayError("replay_not_a_replay") from None
    except OSError as err:
        raise ReplayError("replay_unreadable", reason=err.strerror or str(err)) from None


def parse(lines: Iterator[str]) -> Replay:
    """The records of a replay, in order. A last line cut in the middle (the game was
    killed while writing) ends the replay there; any other bad line is an error."""
    numbered = enumerate(lines, 1)
    first = next(numbered, None)
    if first is None or not first[1].strip():
        raise ReplayError("replay_not_a_replay")
    replay = Replay(_header_line(first[1]))
    pending: tuple[int, str] | None = None  # a bad line is fatal unless it is the last
    for number, line in numbered:
        if pending is not None:
            raise ReplayError("replay_damaged", line=pending[0], reason=pending[1])
        if replay.end_tick is not None:
            raise ReplayError("replay_damaged", line=number, reason="after the end")
        try:
            _add_record(replay, _json_line(line))
        except (ValueError, TypeError, KeyError) as err:
            if line.endswith("\n"):
                raise ReplayError("replay_damaged", line=number, reason=str(err)[:80]) from None
            pending = (number, str(err)[:80])  # no newline: cut while being written
    return replay


def _json_line(line: str, limit: int = MAX_LINE_CHARS) -> dict[str, Any]:
    if len(line) > limit:
        raise ValueError("line too long")
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("not an object")
    return record


def _header_line(line: str) -> Header:
    try:
        data = _json_line(line, MAX_HEADER_CHARS)
    except ValueError:
        raise ReplayError("replay_not_a_replay") from None
    return header_from_json(data)


def _add_record(replay: Replay, record: dict[str, Any]) -> None:
    tick = _int(record.get("t"), 0, MAX_TICK)
    if tick < replay.last_tick:
        raise ValueError(f"tick {tick} goes back in time")
    replay.last_tick = tick
    if "orders" in record:
        orders = record["orders"]
        if not isinstance(orders, list):
            raise ValueError("orders")
        replay.orders.setdefault(tick, []).extend(order_from_json(o) for o in orders)
    elif "hash" in record:
        replay.hashes[tick] = _text(record["hash"], 128)
    elif "typed" in record:
        replay.typed.append((tick, _typed_entry(record["typed"])))
    elif "end" in record:
        end = record["end"]
        if not isinstance(end, dict):
            raise ValueError("end")
        winner = end.get("winner")
        replay.winner = None if winner is None else _int(winner, 0, 7)
        replay.hashes[tick] = _text(end["hash"], 128)
        replay.end_tick = tick
    else:
        raise ValueError("unknown record")


def _typed_entry(data: object) -> dict[str, Any]:
    """A command log entry: id, text, lang, status, tier, message, lines [[status, text]]."""
    if not isinstance(data, dict):
        raise ValueError("typed")
    lines = data.get("lines", [])
    if not isinstance(lines, list) or len(lines) > 50:
        raise ValueError("typed lines")
    return {
        "id": _int(data.get("id"), 0, MAX_ID),
        "text": _text(data.get("text", ""), MAX_TEXT),
        "lang": _text(data.get("lang", "en"), 8),
        "status": _text(data.get("status", ""), 20),
        "tier": _text(data.get("tier", ""), 20),
        "message": _text(data.get("message", ""), MAX_TEXT),
        "lines": [(_text(s, 20), _text(t, MAX_TEXT)) for s, t in lines],
    }


# -- playing back -----------------------------------------------------------------------------
def start_world(header: Header) -> World:
    """The world as the recording began: a new game, or the saved state it went on from."""
    if header.start is None:
        return sim.new_game(header.seed, header.map_size)
    from game.save import SaveError, read_world  # the save module checks every field

    try:
        return read_world(header.start)
    except SaveError as err:
        raise ReplayError("replay_damaged", line=1, reason=str(err)[:80]) from None
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as err:
        raise ReplayError("replay_damaged", line=1, reason=f"start: {err}"[:80]) from None


class Keyframes:
    """Saved states along a replay (game.save.world_state), so that going back does not
    replay the match from its start. One per `every` ticks, taken as playback passes."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.states: dict[int, dict[str, Any]] = {}

    def passed(self, world: World) -> None:
        """Call before a tick's orders are issued (the state a replay hash describes)."""
        if world.tick % self.every == 0 and world.tick not in self.states:
            from game.save import world_state

            self.states[world.tick] = world_state(world)

    def before(self, tick: int) -> int | None:
        """The latest keyframe at or before `tick`."""
        return max((t for t in self.states if t <= tick), default=None)

    def world_at(self, tick: int) -> World:
        from game.save import read_world

        return read_world(self.states[tick])


class Playback:
    """A world that follows a replay: each step issues that tick's orders, then steps."""

    def __init__(self, replay: Replay, world: World | None = None) -> None:
        self.replay = replay
        self.world = start_world(replay.header) if world is None else world

    @property
    def finished(self) -> bool:
        return self.world.tick >= self.replay.length

    def check_start(self) -> None:
        """The recording's first hash is its starting state: when this build of the game
        starts elsewhere (other rules, map or hash under the same version number), the
        replay cannot be watched, and says so."""
        expected = self.replay.hashes.get(self.world.tick)
        if expected is not None and settled_hash(self.world) != expected:
            raise ReplayError("replay_other_build")

    def step(self) -> None:
        world = self.world
        for order in self.replay.orders.get(world.tick, ()):
            world.issue(order)
        sim.step(world)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    ticks: int  # ticks played
    checked: int  # hashes compared
    first_bad_tick: int | None = None  # the first tick whose hash differs
    last_good_tick: int | None = None  # the last tick whose hash matched before it
    expected: str = ""
    actual: str = ""


def verify(replay: Replay) -> Verdict:
    """Play the replay headless and compare every recorded hash; stop at the first
    that differs (the game went another way between the last good hash and it)."""
    playback = Playback(replay)
    world = playback.world
    checked, last_good = 0, None
    hashes = replay.hashes
    while True:
        expected = hashes.get(world.tick)
        if expected is not None:
            actual = world.state_hash()
            if actual != expected:
                return Verdict(False, world.tick, checked, world.tick, last_good, expected,
                               actual)
            checked += 1
            last_good = world.tick
        if playback.finished:
            break
        playback.step()
    return Verdict(True, world.tick, checked, last_good_tick=last_good)


def clock(ticks: int) -> str:
    seconds = ticks // TICKS_PER_SECOND
    return f"{seconds // 60}:{seconds % 60:02d}"


def verify_command(path: str) -> int:
    """`main.py replay FILE --verify`: one JSON line on stdout, the verdict in words on
    stderr; 0 when every hash matches, 1 at the first that differs, 2 for a refused file."""
    try:
        replay = load(path)
        if not replay.complete:
            raise ReplayError("replay_truncated", time=clock(replay.last_tick))
    except ReplayError as err:
        print(json.dumps({"ok": False, "refused": err.key, "message": str(err)}))
        print(f"{path}: {err}", file=sys.stderr)
        return 2
    try:
        verdict = verify(replay)
    except ReplayError as err:  # a damaged start state (a match continued from a save)
        print(json.dumps({"ok": False, "refused": err.key, "message": str(err)}))
        print(f"{path}: {err}", file=sys.stderr)
        return 2
    print(json.dumps({"ok": verdict.ok, "ticks": verdict.ticks, "hashes_checked": verdict.checked,
                      "first_bad_tick": verdict.first_bad_tick,
                      "last_good_tick": verdict.last_good_tick, "winner": replay.winner,
                      "expected": verdict.expected, "actual": verdict.actual}))
    if verdict.first_bad_tick == min(replay.hashes, default=None):
        print(tr("replay_other_build", "en"), file=sys.stderr)
    if verdict.ok:
        print(tr("replay_verified", "en", checked=verdict.checked, time=clock(verdict.ticks)),
              file=sys.stderr)
        return 0
    print(tr("replay_mismatch", "en", tick=verdict.first_bad_tick, good=verdict.last_good_tick),
          file=sys.stderr)
    return 1
