"""Long session: AI-vs-AI matches played fast, a typed order every few game seconds,
the advisor asking the model, the real App loop headless; one JSON report.

    .venv/bin/python scripts/soak.py --game-minutes 120            # `make soak`
    .venv/bin/python scripts/soak.py --game-minutes 3              # the short version (tests)

Matches follow one another (next seed) until the game time is played. Each is
recorded as a replay and checked with `main.py replay --verify` at the end.
Watched over the run: the RSS of both processes after warm-up, the sizes of the
request tables and caches, frame pacing in the first and last tenth, and every
typed order's end (none may stay "thinking" or vanish).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import psutil  # noqa: E402

from game.rules import TICKS_PER_SECOND  # noqa: E402
from game.stats import summary  # noqa: E402

ORDER_GAME_SECONDS = 5.0  # a typed order every 5 s of game time
SAMPLE_GAME_SECONDS = 30.0  # memory and table sizes
TICKS_PER_FRAME = 4  # fast, but the model still sees an order every ~0.5-1 s of wall time
WARM_UP_SHARE = 0.2  # RSS growth is measured after the first fifth of the run
DRAIN_TIMEOUT_S = 120.0  # a full client queue (32) drains in ~30 s idle; the deadlines bound it
TYPED = (
    "the choppers should go wreck their harvesters",
    "send 2 tanks north",
    "mes blindés doivent aller casser leur raffinerie",
    "build a power plant",
    "could the artillery maybe shell their war factory",
    "les soldats, repliez-vous vite à la maison",
    "train 2 soldiers",
    "où en suis-je ?",
)


@dataclass
class Watch:
    samples: list[dict[str, float]] = field(default_factory=list)
    frame_ms: array = field(default_factory=lambda: array("d"))  # 8 bytes a frame
    # The current match's typed orders' log entries; at its end they are counted and
    # let go, so that the harness does not grow the process it measures.
    entries: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    logged: int = 0
    still_thinking: int = 0
    typed: int = 0
    matches: list[dict[str, object]] = field(default_factory=list)


def table_sizes(app, language) -> dict[str, float]:
    client = app.model
    return {"client_sent": len(client._sent), "client_queue": len(client._queue),
            "client_orphans": len(client._orphans), "client_latencies": len(
                client.stats.latencies_ms),
            "translator_waiting": len(language.orders.translator._by_request),
            "translator_tickets": len(language.orders.translator.tickets),
            "log_entries": len(language.orders.entries),
            "desk_waiting": len(language.orders._by_ticket)}


def sample(app, language, game_s: float) -> dict[str, float]:
    child = app.model.child_rss()
    return {"game_s": round(game_s, 1),
            "game_mb": round(psutil.Process().memory_info().rss / 2**20, 1),
            "model_mb": round(child / 2**20, 1) if child else 0.0,
            **table_sizes(app, language)}


def play_match(app, seed: int, game_seconds: float, replay: Path, watch: Watch,
               played_before: float, total: float) -> float:
    app.record_replays = True
    app.replay_file = replay
    game = app.start_game(seed=seed, player_bot="normal")
    game.ticks_per_frame = TICKS_PER_FRAME
    world, language = game.world, game.language
    next_order, next_sample = ORDER_GAME_SECONDS, 0.0
    while world.winner is None and world.tick / TICKS_PER_SECOND < game_seconds:
        started = time.perf_counter()
        app.frame_dt = TICKS_PER_FRAME / TICKS_PER_SECOND
        app.step_frame()
        watch.frame_ms.append((time.perf_counter() - started) * 1000)
        now = world.tick / TICKS_PER_SECOND
        if now >= next_order:
            next_order += ORDER_GAME_SECONDS
            text = TYPED[watch.typed % len(TYPED)]
            watch.typed += 1
            language.submit(text)  # the command bar's path
            watch.entries.append(language.orders.entries[-1])
        if now >= next_sample:
            next_sample += SAMPLE_GAME_SECONDS
            watch.samples.append(sample(app, language, played_before + now))
            print(json.dumps(watch.samples[-1]), file=sys.stderr, flush=True)
    drain(app, watch)
    watch.statuses.update(e.status for e in watch.entries)
    watch.still_thinking += sum(1 for e in watch.entries if e.ticket.pending)
    watch.logged += len(watch.entries)
    watch.entries.clear()
    watch.matches.append({"seed": seed, "game_s": round(world.tick / TICKS_PER_SECOND, 1),
                          "winner": world.winner, "replay": str(replay)})
    app.stop_recording()
    return world.tick / TICKS_PER_SECOND


def drain(app, watch: Watch) -> None:
    """Frames until no typed order is thinking (the client's deadlines bound this)."""
    deadline = time.perf_counter() + DRAIN_TIMEOUT_S
    while any(e.ticket.pending for e in watch.entries) and time.perf_counter() < deadline:
        app.frame_dt = 0.0
        app.step_frame()
        time.sleep(0.01)


def verify(replay: Path) -> dict[str, object]:
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "replay", str(replay),
                          "--verify"], capture_output=True, text=True, timeout=1800)
    return {"replay": replay.name, "exit": run.returncode,
            "output": (run.stdout + run.stderr).strip()[-300:]}


def growth(samples: list[dict[str, float]], key: str) -> float | None:
    """Growth of `key` from the end of warm-up to the end, in percent."""
    after = samples[int(len(samples) * WARM_UP_SHARE):]
    if len(after) < 2 or not after[0][key]:
        return None
    return round((max(s[key] for s in after[-3:]) / after[0][key] - 1) * 100, 2)


def report(watch: Watch, app, wall: float, verified: list[dict[str, object]]) -> dict:
    tenth = max(1, len(watch.frame_ms) // 10)
    tables = watch.samples
    return {
        "game_seconds": round(sum(m["game_s"] for m in watch.matches), 1),  # type: ignore[misc]
        "wall_seconds": round(wall, 1),
        "matches": watch.matches,
        "rss_growth_pct": {"game": growth(watch.samples, "game_mb"),
                           "model": growth(watch.samples, "model_mb")},
        "rss_mb_first_last": [watch.samples[0], watch.samples[-1]] if watch.samples else [],
        "tables_max": {k: max(s[k] for s in tables) for k in tables[0]
                       if k.startswith(("client", "translator", "log", "desk"))}
        if tables else {},
        "frame_ms_first_tenth": summary(list(watch.frame_ms[:tenth]), 2, (50, 95, 99)),
        "frame_ms_last_tenth": summary(list(watch.frame_ms[-tenth:]), 2, (50, 95, 99)),
        "orders": {"typed": watch.typed, "logged": watch.logged,
                   "still_thinking": watch.still_thinking,
                   "by_status": dict(watch.statuses)},
        "model": {"state": app.model.state, "requests": app.model.stats.requests,
                  "answered": app.model.stats.answered, "failed": app.model.stats.failed,
                  "failed_by": dict(app.model.stats.failed_by),
                  "cancelled": app.model.stats.cancelled,
                  "restarts": app.model.restart_count,
                  "dropped_messages": app.model.dropped_messages},
        "frame_errors": sum(e.count for e in app.guard.errors.values()),
        "replays_verified": verified,
    }


def run(game_minutes: float, seed: int, out_dir: Path, verify_replays: bool) -> dict:
    import pygame

    from game.settings import Settings
    from game.ui.app import App

    app = App(Settings(), fps=None)
    ready_by = time.perf_counter() + 120.0  # as a player would, from the title screen
    while app.model.state == "loading" and time.perf_counter() < ready_by:
        app.frame_dt = 0.016
        app.step_frame()
        time.sleep(0.01)
    watch = Watch()
    total = game_minutes * 60.0
    played = 0.0
    started = time.perf_counter()
    while played < total - 1:
        replay = out_dir / f"soak-{seed + len(watch.matches)}.jsonl"
        played += play_match(app, seed + len(watch.matches), total - played, replay, watch,
                             played, total)
    wall = time.perf_counter() - started
    verified = [verify(Path(str(m["replay"]))) for m in watch.matches] if verify_replays else []
    result = report(watch, app, wall, verified)
    app.model.shutdown()
    pygame.quit()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--game-minutes", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=None, help="folder for the replays (default: temp)")
    parser.add_argument("--no-verify", action="store_true", help="skip replay --verify")
    args = parser.parse_args()
    out_dir = Path(args.out or tempfile.mkdtemp(prefix="rts-soak-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    result = run(args.game_minutes, args.seed, out_dir, not args.no_verify)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    ok = (result["orders"]["still_thinking"] == 0 and result["frame_errors"] == 0
          and all(v["exit"] == 0 for v in result["replays_verified"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
