"""Faults injected into the real game loop (headless) with the real model process.

    .venv/bin/python scripts/fault_runner.py                 # all scenarios, 20 kills
    .venv/bin/python scripts/fault_runner.py --kills 4 --stop-seconds 3 --only kills,stop

Scenarios, each measured (frame times are wall time of App.step_frame):
- kills: SIGKILL the model process N times, cycling through the moments it can
  die: while loading, just after an order was sent (prompt evaluation), while
  an advice is generated, and with a reply written on the pipe but not read.
  Each time: the HUD goes offline, every pending order ends (answered, or
  failed with a reason), the process restarts by itself (at most 3 times in 5
  minutes, then the runner uses the menu's restart) and at most one process
  maps a GGUF file at any sample.
- stop: SIGSTOP the model for S seconds while orders are typed, then SIGCONT.
- parent: SIGKILL / SIGTERM the game while the model generates, and close its
  window: how long until the model process is gone. (SDL turns SIGTERM into a
  QUIT event: the game closes as from its window.)
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import psutil  # noqa: E402

from game.stats import summary  # noqa: E402
from llm.protocol import ADVISE  # noqa: E402

MODEL_ORDER = "the choppers should go wreck their harvesters"  # the rules parser hands it on
RULES_ORDER = "send 2 tanks north"
ADVICE = {"summary": "credits 900; power 30/50; units 6 infantry, 2 tanks; enemy seen 4 tanks "
                     "west", "lang": "en"}
PHASES = ("loading", "prompt", "generation", "reply_unread")
MAX_FRAME_S = 0.25
EPISODE_TIMEOUT_S = 90.0


class Harness:
    """The App with its real model, a match on screen, frames at real time."""

    def __init__(self, seed: int = 7) -> None:
        from game.settings import Settings
        from game.ui.app import App

        self.app = App(Settings(), fps=None)
        self.app.record_replays = False
        self.game = self.app.start_game(seed=seed)
        self.language = self.game.language
        self.frame_ms: list[float] = []
        self.max_mappers = 0
        self.load_samples: list[float] = []  # 1-minute load average, every 0.25 s
        self._last = time.perf_counter()
        self._next_mapper_check = 0.0

    @property
    def client(self) -> Any:
        return self.app.model

    def frame(self) -> None:
        now = time.perf_counter()
        self.app.frame_dt = min(now - self._last, MAX_FRAME_S)
        self._last = now
        self.app.step_frame()
        self.frame_ms.append((time.perf_counter() - now) * 1000)
        if now >= self._next_mapper_check:  # sampled outside the timed part
            self._next_mapper_check = now + 0.25
            self.max_mappers = max(self.max_mappers, count_mappers())
            self.load_samples.append(os.getloadavg()[0])
        time.sleep(0.004)

    def frames_until(self, done: Any, timeout: float = EPISODE_TIMEOUT_S) -> bool:
        deadline = time.perf_counter() + timeout
        while not done():
            if time.perf_counter() > deadline:
                return False
            self.frame()
        return True

    def type_order(self, text: str) -> Any:
        self.language.submit(text)  # what the command bar calls on Enter
        return self.language.orders.entries[-1]

    def wait_ready(self) -> str:
        """Ready again: by itself, or through the menu's restart once the automatic
        restarts are used up. Returns how."""
        client = self.client
        self.frames_until(lambda: client.state in ("ready", "busy")
                          or (client.state == "offline" and not client.restart_pending))
        if client.state == "offline":
            self.app.restart_model()
            self.frames_until(lambda: client.state in ("ready", "busy"))
            return "menu"
        return "auto"

    def close(self) -> None:
        import pygame

        self.client.shutdown()
        pygame.quit()


def count_mappers() -> int:
    from game.ui.bench import processes_mapping_gguf

    return len(processes_mapping_gguf())


def _kill_at(h: Harness, phase: str, rng: random.Random) -> list[Any]:
    """Bring the model to `phase`, SIGKILL it; the typed orders pending at that moment."""
    client = h.client
    if phase == "loading":
        h.app.restart_model()  # a fresh load to interrupt
        end = time.perf_counter() + rng.uniform(0.0, 0.8)
        h.frames_until(lambda: time.perf_counter() > end or client.state != "loading")
        entries = [h.type_order(MODEL_ORDER)]
    elif phase == "prompt":
        entries = [h.type_order(MODEL_ORDER)]
        time.sleep(rng.uniform(0.0, 0.04))
    elif phase == "generation":
        client.submit(ADVISE, dict(ADVICE))
        h.frames_until(lambda: client.current_request is not None, 10.0)
        end = time.perf_counter() + rng.uniform(0.05, 0.3)
        h.frames_until(lambda: time.perf_counter() > end)
        entries = [h.type_order(MODEL_ORDER)]
    else:  # reply_unread: the child has written its answer; nobody has read it yet
        entries = [h.type_order(MODEL_ORDER)]
        h.frames_until(lambda: client.current_request is not None, 10.0)
        conn, deadline = client._conn, time.perf_counter() + 10.0
        while conn is not None and not conn.poll(0) and time.perf_counter() < deadline:
            time.sleep(0.0005)
    pid = client.child_pid
    if pid is not None:
        os.kill(pid, signal.SIGKILL)
    return entries


def run_kills(h: Harness, count: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    h.frames_until(lambda: h.client.state in ("ready", "busy"))
    episodes = []
    for n in range(count):
        phase = PHASES[n % len(PHASES)]
        first_frame = len(h.frame_ms)
        entries = _kill_at(h, phase, rng)
        killed_at = time.perf_counter()
        offline = h.frames_until(lambda: h.client.state == "offline", 10.0)
        ended = h.frames_until(lambda es=entries: not any(e.ticket.pending for e in es), 30.0)
        how = h.wait_ready()
        episodes.append({
            "phase": phase, "hud_offline": offline, "orders_ended": ended,
            "orders": [(e.status, e.ticket.tier) for e in entries],
            "messages": sorted({e.ticket.message[:60] for e in entries if e.ticket.message}),
            "restart": how, "recovery_s": round(time.perf_counter() - killed_at, 2),
            "max_frame_ms": round(max(h.frame_ms[first_frame:], default=0.0), 1)})
    return {"kills": count, "episodes": episodes,
            "all_offline_seen": all(e["hud_offline"] for e in episodes),
            "all_orders_ended": all(e["orders_ended"] for e in episodes),
            "restarts": {"auto": sum(e["restart"] == "auto" for e in episodes),
                         "menu": sum(e["restart"] == "menu" for e in episodes)},
            "recovery_s": summary([e["recovery_s"] for e in episodes], 2, (50, 95)),
            "max_frame_ms": max(e["max_frame_ms"] for e in episodes),
            "max_gguf_mappers": h.max_mappers}


def run_stop(h: Harness, seconds: float) -> dict[str, Any]:
    client = h.client
    h.frames_until(lambda: client.state in ("ready", "busy"))
    pid = client.child_pid
    first_frame = len(h.frame_ms)
    os.kill(pid, signal.SIGSTOP)
    entries, started = [], time.perf_counter()
    try:
        for text in (MODEL_ORDER, RULES_ORDER, MODEL_ORDER, RULES_ORDER):
            entries.append(h.type_order(text))
            end = time.perf_counter() + seconds / 5
            h.frames_until(lambda t=end: time.perf_counter() > t)
        statuses_while_stopped = [e.status for e in entries]
        h.frames_until(lambda: time.perf_counter() - started > seconds)
    finally:
        if psutil.pid_exists(pid):
            os.kill(pid, signal.SIGCONT)
    ended = h.frames_until(lambda: not any(e.ticket.pending for e in entries), 30.0)
    h.wait_ready()
    return {"stopped_s": seconds, "orders_while_stopped": statuses_while_stopped,
            "orders_final": [(e.status, e.ticket.tier, e.ticket.message[:60]) for e in entries],
            "orders_ended": ended, "same_process": client.child_pid == pid,
            "restarts": client.restart_count,
            "max_frame_ms": round(max(h.frame_ms[first_frame:], default=0.0), 1),
            "frame_ms": summary(h.frame_ms[first_frame:], 2, (50, 99))}


PARENT_SCRIPT = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    os.environ["SDL_VIDEODRIVER"] = os.environ["SDL_AUDIODRIVER"] = "dummy"
    if __name__ == "__main__":
        import pygame
        from game.settings import Settings
        from game.ui.app import App
        app = App(Settings(), fps=60)
        app.record_replays = False
        app.start_game(seed=7)
        while app.model.state not in ("ready", "busy"):
            app.frame_dt = 0.016; app.step_frame(); time.sleep(0.01)
        summary = {{"summary": "credits 900; power 30/50; units 6 infantry", "lang": "en"}}
        app.model.submit("advise", summary)
        while app.model.current_request is None:
            app.frame_dt = 0.016; app.step_frame(); time.sleep(0.005)
        print(app.model.child_pid, flush=True)
        if {close!r}:
            pygame.event.post(pygame.event.Event(pygame.QUIT))
            try:
                app.run()  # the window's close button: the loop ends
            finally:
                app.model.shutdown()  # as run_play does
            sys.exit(0)
        try:
            while app.running:  # SDL turns SIGTERM into a QUIT event, as play's loop sees it
                if app.model.state == "ready":
                    app.model.submit("advise", summary)
                app.frame_dt = 0.016; app.step_frame(); time.sleep(0.01)
        finally:
            app.model.shutdown()  # as run_play does
""")


def run_parent(how: str) -> dict[str, Any]:
    """Start a game in another process, end it `how`, time the model process's exit."""
    script = PARENT_SCRIPT.format(root=str(ROOT), close=how == "close")
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              text=True, env=env)
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    ended_at = time.perf_counter()
    if how == "sigkill":
        parent.kill()
    elif how == "sigterm":
        parent.terminate()
    parent.wait(30)
    while alive(child_pid) and time.perf_counter() - ended_at < 10.0:
        time.sleep(0.02)
    return {"how": how, "child_gone": not alive(child_pid),
            "child_gone_s": round(time.perf_counter() - ended_at, 2)}


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--stop-seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", default="kills,stop,parent")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    result: dict[str, Any] = {"load_at_start": os.getloadavg(), "cpus": os.cpu_count()}
    if wanted & {"kills", "stop"}:
        h = Harness(args.seed)
        try:
            if "kills" in wanted:
                result["kills"] = run_kills(h, args.kills, args.seed)
            if "stop" in wanted:
                result["stop"] = run_stop(h, args.stop_seconds)
            result["frame_ms"] = summary(h.frame_ms, 2, (50, 95, 99))
            result["frames"] = len(h.frame_ms)
            result["frames_over_100ms"] = sum(ms > 100.0 for ms in h.frame_ms)
            result["frame_errors"] = sum(e.count for e in h.app.guard.errors.values())
            # Frame times mean little without the machine's state: say how loaded it was.
            result["load_1min"] = summary(h.load_samples, 2, (50, 95))
        finally:
            h.close()
    if "parent" in wanted:
        result["parent"] = [run_parent(how) for how in ("sigkill", "sigterm", "close")]
    result["load_at_end"] = os.getloadavg()
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
