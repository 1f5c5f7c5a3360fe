"""`python main.py bench`: the real game loop, headless, measured.

Scenarios (all run the same App loop as play, rendering at 1280x720 into the
display surface of SDL's dummy driver):

- default: a new game against the enemy bot, with extra units spawned for both
  sides (200 more, so well over 150 on the map): a fight in the middle of the
  map, topped up every five seconds so it lasts, guards at both bases, and a
  camera that pans between the fight and the base. Frames are capped at 60 per
  second; `--seconds` is wall time.
- `--ai-vs-ai`: a bot plays the player's side too (`--player-bot`: normal by default,
  or novice, a new player's habits); the JSON says when the enemy first attacked.
- `--fast`: no frame cap and no extra units: a real match played as fast as the
  simulation allows, drawing one frame every FAST_TICKS_PER_FRAME ticks. It
  stops at the winner or after `--seconds` of GAME time (default one hour), so
  `bench --ai-vs-ai --fast --seed 7` plays a whole match.
- `--stress`: 300 units (150 per side) fighting in the middle of the map, the
  camera on them: measures the cost of a simulation tick under load.
- `--monkey`: random but plausible input through the real event queue while a
  bot plays the player's side (game/ui/monkey.py), MONKEY_TICKS_PER_FRAME ticks
  a frame so the match moves on; `--seconds` is wall time.

Any exception in a frame is caught by the App's frame guard and counted in
`frame_errors`; `main.py bench` then exits with status 1.

Prints one JSON object. Frame times are measured after the first second.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from game import orders as O
from game import production
from game.orders import Order
from game.pathfinding import nearest_free_cells
from game.rules import TICKS_PER_SECOND
from game.stats import percentile, summary
from game.vocabulary import as_dicts
from game.world import ENEMY, World
from llm.protocol import TRANSLATE

if TYPE_CHECKING:
    import psutil

    from game.ui.app import App
    from game.ui.language_layer import LanguageLayer
    from game.ui.session import GameScreen
    from llm.client import LLMClient

FAST_TICKS_PER_FRAME = 10
DEFAULT_WALL_SECONDS = 20.0
DEFAULT_FAST_GAME_SECONDS = 3600.0
WARM_UP_SECONDS = 1.0
FIGHT_MIX = (("infantry", 0.45), ("tank", 0.3), ("artillery", 0.1), ("helicopter", 0.15))
GUARD_MIX = (("infantry", 0.5), ("tank", 0.3), ("artillery", 0.1), ("harvester", 0.1))
PAN_SPEED = 7.0  # tiles per second
MONKEY_TICKS_PER_FRAME = 3  # the monkey's match runs fast enough to reach scouting and fights


@dataclass(frozen=True)
class BenchOptions:
    seconds: float | None = None
    seed: int = 7
    ai_vs_ai: bool = False
    fast: bool = False
    difficulty: str = "normal"
    stress: bool = False
    model: bool = True  # start the model process, as the game does
    model_path: str | None = None
    llm_load: bool = False  # keep translate requests in flight the whole time
    orders: bool = False  # the player types an order every ORDER_PERIOD seconds
    advisor: bool = True  # the advisor asks the model for remarks when it is idle
    monkey: bool = False  # random player input through the event queue (game/ui/monkey.py)
    record: str | None = None  # write the match's replay to this file (see recordable())
    player_bot: str = "normal"  # who plays the player's side with --ai-vs-ai (game.ai.PLAYER_BOTS)
    save: str | None = None  # write a save of the match to this file at the end
    load: str | None = None  # continue this save instead of starting a match


ORDER_PERIOD = 4.0  # seconds between typed orders with --orders
# Typed during --orders: phrasings the rules parser hands to the model, and easy ones.
TYPED_ORDERS = (
    "the choppers should go wreck their harvesters",
    "send 2 tanks north",
    "mes blindés doivent aller casser leur raffinerie",
    "build a barracks then train 3 soldiers",
    "could the artillery maybe shell their war factory",
    "les soldats, repliez-vous vite à la maison",
)
LOAD_ORDERS = (
    "the choppers should go wreck their harvesters",
    "mes blindés doivent aller casser leur raffinerie",
    "could the artillery maybe shell their war factory",
    "les soldats, repliez-vous vite à la maison",
)
MODEL_SAMPLE_SECONDS = 2.0  # how often the benchmark counts model processes


def _mix(mix: tuple[tuple[str, float], ...], count: int) -> list[str]:
    names: list[str] = []
    for name, share in mix:
        names += [name] * round(count * share)
    return (names + [mix[0][0]] * count)[:count]


def spawn_group(world: World, owner: int, center: tuple[int, int], names: list[str]) -> list[int]:
    """Put units on free cells around `center`; returns their ids."""
    cells = nearest_free_cells(world.tiles, center, len(names),
                               lambda x, y: (x, y) not in world.reserved, limit=5000)
    return [production.add_unit(world, owner, name, cell).id for name, cell in zip(names, cells)]


def _fight_spots(world: World) -> tuple[tuple[int, int], tuple[int, int]]:
    """Two points either side of the map centre, along the line between the bases."""
    w, h = world.tiles.width, world.tiles.height
    return (w // 2 - 5, h // 2 + 5), (w // 2 + 5, h // 2 - 5)


class Fight:
    """Two armies facing each other in the middle, attack-moving through each other,
    topped up every few seconds so the battle lasts the whole benchmark."""

    TOP_UP_TICKS = 5 * TICKS_PER_SECOND

    def __init__(self, world: World, per_side: int) -> None:
        self.world = world
        self.per_side = per_side
        self.spots = _fight_spots(world)
        self.members: list[set[int]] = [set(), set()]
        self.top_up()

    def top_up(self) -> None:
        world = self.world
        for owner in (0, 1):
            alive = {i for i in self.members[owner] if i in world.units}
            missing = self.per_side - len(alive)
            if missing <= 0:
                continue
            ids = spawn_group(world, owner, self.spots[owner], _mix(FIGHT_MIX, missing))
            alive.update(ids)
            self.members[owner] = alive
            world.issue(Order(O.ATTACK_MOVE, owner, tuple(ids), cell=self.spots[1 - owner]))

    def update(self) -> None:
        if self.world.tick % self.TOP_UP_TICKS == 0:
            self.top_up()


def set_up_guards(world: World, per_side: int) -> None:
    for owner in (0, 1):
        hq = next(world.buildings_of(owner, "hq"))
        cx, cy = hq.center
        toward = 1 if owner == 0 else -1
        spawn_group(world, owner, (int(cx) + 6 * toward, int(cy) - 6 * toward),
                    _mix(GUARD_MIX, per_side))


def camera_path(world: World, stress: bool) -> list[tuple[float, float]]:
    """Where the camera goes: the fight, the player's base, along the river, back."""
    fight = (world.tiles.width / 2, world.tiles.height / 2)
    if stress:
        return [fight]
    hq = next(world.buildings_of(0, "hq"))
    base = hq.center
    mid = ((fight[0] + base[0]) / 2, (fight[1] + base[1]) / 2)
    return [fight, (fight[0] - 12, fight[1] + 2), mid, base, (base[0] + 14, base[1] - 4),
            fight, (fight[0] + 4, fight[1] - 10)]


def camera_at(path: list[tuple[float, float]], seconds: float) -> tuple[float, float]:
    """Position along the closed path after `seconds` at PAN_SPEED."""
    if len(path) == 1:
        return path[0]
    legs = [(a, b, math.dist(a, b)) for a, b in zip(path, path[1:] + path[:1])]
    distance = (seconds * PAN_SPEED) % sum(length for _, _, length in legs)
    for a, b, length in legs:
        if distance <= length:
            k = distance / length if length else 0.0
            return a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k
        distance -= length
    return path[0]


def run_bench(options: BenchOptions) -> dict[str, object]:
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    import psutil
    import pygame

    from game.settings import Settings
    from game.ui.app import App

    seconds = options.seconds or (DEFAULT_FAST_GAME_SECONDS if options.fast
                                  else DEFAULT_WALL_SECONDS)
    launched = time.perf_counter()
    app = App(Settings(difficulty=options.difficulty),
              fps=None if options.fast or options.monkey else 60,
              model_path=options.model_path, start_model=options.model)
    app.record_replays = options.record is not None  # a bench fills no replays folder
    if options.record is not None:
        app.replay_file = Path(options.record)
    load_ms = None
    if options.load is not None:
        game, load_ms = load_for_bench(app, options.load)
    else:
        game = app.start_game(seed=options.seed,
                              player_bot=options.player_bot if options.ai_vs_ai
                              else "normal" if options.monkey else None)
    world = game.world
    language = game.language
    assert language is not None
    if not options.advisor:
        language.advisor.client = None  # heuristics only: the model never gets advisor work
    model_watch = ModelWatch(app.model, launched)
    typist = Typist(language, world) if options.orders else None
    fight = None
    monkey = None
    if options.monkey:
        from game.ui.monkey import Monkey

        monkey = Monkey(game, options.seed)
        app.frame_hooks.append(monkey)
        game.ticks_per_frame = MONKEY_TICKS_PER_FRAME
    elif options.load is not None:
        pass  # a loaded match goes on as it was saved: no extra units
    elif options.stress:
        fight = Fight(world, 150)
    elif not options.fast:
        fight = Fight(world, 50)
        set_up_guards(world, 50)
    if options.fast:
        game.ticks_per_frame = FAST_TICKS_PER_FRAME
    path = camera_path(world, options.stress or options.load is not None)
    first_tick = world.tick  # a loaded match does not start at 0
    frame_starts: list[float] = []
    start = time.perf_counter()

    def drive(app_: App) -> None:
        now = time.perf_counter()
        frame_starts.append(now)
        if options.fast:
            done = world.winner is not None or \
                world.tick >= first_tick + seconds * TICKS_PER_SECOND
        else:
            done = now - start >= seconds or (monkey is not None and world.winner is not None)
        if done:
            app_.quit()
            return
        if monkey is None:
            game.camera.center_on(*camera_at(path, now - start))
        if fight is not None and not options.stress:
            fight.update()
        model_watch.update(now)
        if options.llm_load:
            keep_model_busy(app.model)
        if typist is not None:
            typist.update(now - start)

    app.frame_hooks.append(drive)
    app.run()
    wall = time.perf_counter() - start
    frames_after_warmup = [b - a for a, b in zip(frame_starts, frame_starts[1:])
                           if a - start >= WARM_UP_SECONDS]
    frame_ms = [d * 1000 for d in frames_after_warmup]
    ticks = game.tick_ms
    result = {
        "frames": app.frames,
        "fps": round(app.frames / wall, 2) if wall else 0.0,
        "frame_ms": summary(frame_ms, 2, (50, 95, 99)),
        "tick_ms": {
            "p50": round(percentile(ticks, 50), 3),
            "p99": round(percentile(ticks, 99), 3),
            "max": round(max(ticks, default=0.0), 3),
            "mean": round(statistics.fmean(ticks), 3) if ticks else 0.0,
        },
        "ticks": world.tick,
        "units": len(world.units),
        "winner": world.winner,
        "state_hash": world.state_hash(),
        "rss_mb": {"game": round(psutil.Process().memory_info().rss / 2**20, 1)},
        "seed": options.seed,
        "seconds": seconds,
        "wall_seconds": round(wall, 2),
        "game_seconds": round(world.tick / TICKS_PER_SECOND, 1),
        "mode": "fast" if options.fast else "capped",
        "scenario": "monkey" if options.monkey else "stress" if options.stress
        else "ai-vs-ai" if options.ai_vs_ai else "default",
        "first_frame_s": round(first_frame_seconds(frame_starts), 3),
        "replay": options.record,
        "difficulty": options.difficulty,
        "player_bot": options.player_bot if options.ai_vs_ai else None,
        "first_attack_s": first_attack_seconds(game.bots),
    }
    model_watch.update(time.perf_counter(), force=True)
    result["model_processes"] = model_watch.max_processes
    result["rss_mb"]["model"] = model_watch.model_mb  # type: ignore[index]
    result["llm"] = model_watch.summary()
    result["advisor"] = language.advisor.stats()
    if typist is not None:
        result["orders"] = typist.summary()
    if monkey is not None:
        result["monkey"] = {"actions": dict(sorted(monkey.counts.items())),
                            "scouted_enemy_base": monkey.scouted_enemy_base,
                            "typed_orders": len(language.orders.entries)}
    if load_ms is not None:
        result["load_ms"] = load_ms
    if options.save is not None:
        result.update(save_for_bench(game, options.save))
    result["frame_errors"] = [{"error": e.kind, "where": e.where, "message": e.text,
                               "count": e.count} for e in app.guard.errors.values()]
    app.model.shutdown()
    pygame.quit()
    return result


def first_attack_seconds(bots: list) -> float | None:
    """Game seconds when the enemy's first wave left its base (None: it never attacked)."""
    enemy = next((b for b in bots if b.player == ENEMY), None)
    tick = getattr(enemy, "first_attack_tick", None)
    return None if tick is None else round(tick / TICKS_PER_SECOND, 1)


def recordable(fast: bool, stress: bool, monkey: bool) -> bool:
    """Whether a replay can reproduce the scenario: the fights of the default and
    stress scenarios put units on the map without orders."""
    return monkey or (fast and not stress)


def load_for_bench(app: App, file: str) -> tuple[GameScreen, float]:
    """`main.py load FILE --bench`: the save on screen, and how long reading it took (ms);
    a bad file raises game.save.SaveError."""
    from game import save

    start = time.perf_counter()
    try:
        saved = save.load_game(Path(file))
    except save.SaveError:
        import pygame

        app.model.shutdown()  # the bench ends here: leave no model process behind
        pygame.quit()
        raise
    load_ms = (time.perf_counter() - start) * 1000.0
    return app.resume(saved), round(load_ms, 2)


def save_for_bench(game: GameScreen, file: str) -> dict[str, object]:
    """`bench --save FILE`: the save's cost (it must not hitch a frame) and its hash, then the
    file read back (the cost of loading it, and whether the game comes back the same)."""
    from game import save

    language = game.language
    log = language.orders.to_state() if language is not None else {}
    cpu = time.thread_time()  # CPU time too: wall time on a busy machine says little
    info = save.save_game(Path(file), game.world, game.bots, game.difficulty, game.viewer, log)
    save_cpu_ms = (time.thread_time() - cpu) * 1000.0
    start, cpu = time.perf_counter(), time.thread_time()
    loaded = save.load_game(Path(file))
    load_ms = (time.perf_counter() - start) * 1000.0
    load_cpu_ms = (time.thread_time() - cpu) * 1000.0
    return {"saved_state_hash": info.state_hash, "save_ms": round(info.ms, 2),
            "save_encode_ms": round(info.encode_ms, 2), "save_write_ms": round(info.write_ms, 2),
            "save_bytes": info.bytes, "save_units": len(game.world.units),
            "save_cpu_ms": round(save_cpu_ms, 2), "save_load_ms": round(load_ms, 2),
            "save_load_cpu_ms": round(load_cpu_ms, 2),
            "save_round_trip": loaded.world.state_hash() == info.state_hash}


def first_frame_seconds(frame_starts: list[float]) -> float:
    """Process start -> first frame drawn (the title or game screen is on screen)."""
    import psutil

    if not frame_starts:
        return 0.0
    started = psutil.Process().create_time()
    return frame_starts[0] - time.perf_counter() + time.time() - started


def keep_model_busy(client: LLMClient) -> None:
    """--llm-load: at least two translations always in flight."""
    while client.state in ("ready", "busy") and client.queue_length < 2:
        order = LOAD_ORDERS[client.stats.requests % len(LOAD_ORDERS)]
        client.submit(TRANSLATE, {"text": order})


class Typist:
    """--orders: the player types an order every ORDER_PERIOD seconds."""

    def __init__(self, language: LanguageLayer, world: World) -> None:
        self.language = language
        self.world = world
        self.next_at = ORDER_PERIOD
        self.typed = 0

    def update(self, elapsed: float) -> None:
        if elapsed < self.next_at:
            return
        self.next_at += ORDER_PERIOD
        text = TYPED_ORDERS[self.typed % len(TYPED_ORDERS)]
        self.typed += 1
        self.language.orders.submit(text, self.world, ())

    def summary(self) -> dict[str, object]:
        entries = list(self.language.orders.entries)
        done = [e.ticket for e in entries if not e.ticket.pending]
        model = [t.ms for t in done if t.tier == "llm"]
        return {
            "typed": self.typed,
            "finished": len(done),
            "by_tier": {tier: sum(1 for t in done if t.tier == tier)
                        for tier in ("rules", "llm", "none")},
            "model_latency_ms": summary(model),
            "examples": [{"text": t.text, "tier": t.tier, "commands": as_dicts(t.commands),
                          "ms": t.ms} for t in done[:4]],
        }


class ModelWatch:
    """Counts the processes that map a GGUF file (there must only ever be one), the
    model's memory, and when it became ready - sampled, never every frame."""

    def __init__(self, client: LLMClient, launched: float) -> None:
        self.client = client
        self.launched = launched
        self.max_processes = 0
        self.model_mb: float | None = None
        self.ready_s: float | None = None
        self._next = 0.0

    def update(self, now: float, force: bool = False) -> None:
        if self.ready_s is None and self.client.state in ("ready", "busy"):
            self.ready_s = round(now - self.launched, 2)
        if not force and now < self._next:
            return
        self._next = now + MODEL_SAMPLE_SECONDS
        self.max_processes = max(self.max_processes, len(processes_mapping_gguf()))
        rss = self.client.child_rss()
        if rss is not None:
            self.model_mb = round(rss / 2**20, 1)

    def summary(self) -> dict[str, object]:
        client = self.client
        return {
            "state": client.state,
            "reason": client.reason if client.state == "offline" else "",
            "model": client.model_name,
            "profile": client.profile_name,  # says "(order adapter)" when it is on
            "load_s": client.load_seconds,
            "ready_s": self.ready_s,
            "requests": client.stats.requests,
            "answered": client.stats.answered,
            "cancelled": client.stats.cancelled,
            "failed": client.stats.failed,
            "latency_ms": {k: round(v, 1) for k, v in client.stats.latency_summary().items()},
        }


def processes_mapping_gguf() -> list[int]:
    """Pids of this process and its descendants that have a .gguf file mapped or open."""
    import psutil

    me = psutil.Process()
    found = []
    for proc in [me, *me.children(recursive=True)]:
        if _maps_gguf(proc):
            found.append(proc.pid)
    return found


def _maps_gguf(proc: psutil.Process) -> bool:
    import psutil

    maps = f"/proc/{proc.pid}/maps"
    try:
        if os.path.exists(maps):  # Linux: much cheaper than psutil's smaps parsing
            with open(maps, encoding="utf-8", errors="replace") as handle:
                return any(line.rstrip().endswith(".gguf") for line in handle)
        mapped = (m.path for m in proc.memory_maps(grouped=True))
        opened = (f.path for f in proc.open_files())
        return any(p.lower().endswith(".gguf") for p in (*mapped, *opened))
    except (OSError, psutil.Error):
        return False
