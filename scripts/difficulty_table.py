"""The difficulty curve, measured: a player-side bot (the novice by default) against
each enemy difficulty over ten seeds, and the table of who won.

    .venv/bin/python scripts/difficulty_table.py [--seeds 1-10] [--jobs 2] [--bench]

Each match is the one `main.py bench --ai-vs-ai --fast --player-bot novice
--difficulty D --seed N` plays: by default headless through game.sim, with the
game's own loop (every bot thinks, then one tick), which gives the same winner,
first attack and state_hash as the bench without drawing frames; `--bench` runs
the bench command itself for every match (much slower). A match without a winner
after an hour of game time is a draw. Takes minutes: run it in the background.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game import sim  # noqa: E402
from game.ai import DIFFICULTIES, PLAYER_BOTS, make_bot  # noqa: E402
from game.rules import TICKS_PER_SECOND  # noqa: E402
from game.world import ENEMY, PLAYER  # noqa: E402

GAME_SECONDS = 3600  # the bench's default length for a fast match
TARGETS = {  # issue 9: what the novice should do over ten seeds
    "easy": ("novice wins >= 8", lambda wins, losses: wins >= 8),
    "normal": ("novice wins 3-7", lambda wins, losses: 3 <= wins <= 7),
    "hard": ("novice loses >= 8", lambda wins, losses: losses >= 8),
}


def play_headless(player_bot: str, difficulty: str, seed: int) -> dict[str, object]:
    world = sim.new_game(seed)
    enemy = make_bot(ENEMY, difficulty)
    bots = (make_bot(PLAYER, player_bot), enemy)
    while world.winner is None and world.tick < GAME_SECONDS * TICKS_PER_SECOND:
        for bot in bots:
            bot.think(world)
        sim.step(world)
    first = getattr(enemy, "first_attack_tick", None)
    return {"difficulty": difficulty, "seed": seed, "winner": world.winner,
            "game_seconds": round(world.tick / TICKS_PER_SECOND, 1),
            "first_attack_s": None if first is None else round(first / TICKS_PER_SECOND, 1),
            "state_hash": world.state_hash()}


def play_bench(player_bot: str, difficulty: str, seed: int) -> dict[str, object]:
    command = [sys.executable, str(ROOT / "main.py"), "bench", "--ai-vs-ai", "--fast",
               "--no-model", "--player-bot", player_bot, "--difficulty", difficulty,
               "--seed", str(seed)]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {key: result[key] for key in ("difficulty", "seed", "winner", "game_seconds",
                                         "first_attack_s", "state_hash")}


def _play(job: tuple[bool, str, str, int]) -> dict[str, object]:
    bench, player_bot, difficulty, seed = job
    return (play_bench if bench else play_headless)(player_bot, difficulty, seed)


def table(results: list[dict[str, object]], player_bot: str) -> str:
    lines = [f"| difficulty | {player_bot} wins | losses | draws | first attack (s), min-max "
             "| match length (s), median | target | per seed (W/L/D) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for difficulty in DIFFICULTIES:
        rows = [r for r in results if r["difficulty"] == difficulty]
        if not rows:
            continue
        wins = sum(r["winner"] == PLAYER for r in rows)
        losses = sum(r["winner"] == ENEMY for r in rows)
        firsts = [r["first_attack_s"] for r in rows if r["first_attack_s"] is not None]
        span = f"{min(firsts):.0f}-{max(firsts):.0f}" if firsts else "never"
        length = statistics.median(float(r["game_seconds"]) for r in rows)  # type: ignore[arg-type]
        target, met = TARGETS.get(difficulty, ("", lambda w, lo: True))
        mark = "met" if met(wins, losses) else "MISSED"
        seeds = " ".join(f"{r['seed']}:{_outcome(r['winner'])}" for r in rows)
        lines.append(f"| {difficulty} | {wins} | {losses} | {len(rows) - wins - losses} | {span} "
                     f"| {length:.0f} | {target} ({mark}) | {seeds} |")
    return "\n".join(lines)


def _outcome(winner: object) -> str:
    return "W" if winner == PLAYER else "L" if winner == ENEMY else "D"


def _seeds(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--player-bot", choices=PLAYER_BOTS, default="novice")
    parser.add_argument("--difficulties", nargs="+", choices=tuple(DIFFICULTIES),
                        default=list(DIFFICULTIES))
    parser.add_argument("--seeds", type=_seeds, default=_seeds("1-10"), help="e.g. 1-10")
    parser.add_argument("--jobs", type=int, default=1, help="matches played at once")
    parser.add_argument("--bench", action="store_true",
                        help="play each match through `main.py bench` (slower, same games)")
    args = parser.parse_args()
    jobs = [(args.bench, args.player_bot, d, s) for d in args.difficulties for s in args.seeds]
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(_play, jobs))
    for r in results:
        print(json.dumps(r), flush=True)
    print(table(results, args.player_bot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
