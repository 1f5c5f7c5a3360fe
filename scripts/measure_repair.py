"""Repair costs and times, and the executor's time on the new typed commands.

    .venv/bin/python scripts/measure_repair.py

Prints, for a few buildings repaired from 1 HP, the seconds of game time and the
credits spent, then the executor's p50/p99/max per typed command over 2000 runs in
the standard new game (seed 7).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game import orders as O  # noqa: E402
from game import sim  # noqa: E402
from game.commands import CommandExecutor, Pointing  # noqa: E402
from game.rules import BUILDING_TYPES, TICKS_PER_SECOND  # noqa: E402
from tests.simworld import building, flat_world, run  # noqa: E402

COMMANDS = [
    {"action": "select", "unit": "army", "area": "southwest"},
    {"action": "move", "unit": "army", "target": "my_base", "side": "north"},
    {"action": "attack", "unit": "army", "target": "attackers"},
    {"action": "camera", "target": "alert"},
    {"action": "sell", "target": "here", "count": 1},
]


def repair_from_one_hp(kind: str) -> tuple[float, int]:
    world = flat_world(credits=10000)
    building(world, 0, "hq", 4, 40)
    b = building(world, 0, kind, 20, 30)
    b.hp = 1
    credits = world.players[0].credits
    world.issue(O.Order(O.REPAIR, 0, target=b.id))
    ticks = 0
    while ticks == 0 or b.repairing:
        run(world, 1)
        ticks += 1
    return ticks / TICKS_PER_SECOND, credits - world.players[0].credits


def executor_times(runs: int = 2000) -> list[float]:
    world = sim.new_game(7)
    executor = CommandExecutor(0)
    times = []
    for i in range(runs):
        start = time.perf_counter()
        executor.execute(world, [COMMANDS[i % len(COMMANDS)]],
                         pointing=Pointing(cursor=(10.5, 80.5)))
        times.append((time.perf_counter() - start) * 1000)
        world.pending_orders.clear()
    return sorted(times)


def main() -> None:
    for kind in ("power_plant", "refinery", "war_factory"):
        seconds, spent = repair_from_one_hp(kind)
        print(f"{kind}: {seconds:.2f} s of game time, {spent} credits "
              f"(price {BUILDING_TYPES[kind].cost})")
    times = executor_times()
    print(f"executor per command: p50 {times[len(times) // 2]:.3f} ms, "
          f"p99 {times[len(times) * 99 // 100]:.3f} ms, max {times[-1]:.3f} ms")


if __name__ == "__main__":
    main()
