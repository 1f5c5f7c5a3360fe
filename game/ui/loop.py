"""Timing of the main loop: a fixed simulation step and a frame pacer.

The simulation runs at a fixed rate through an accumulator ("Fix Your
Timestep"); rendering happens once per frame and interpolates between the last
two ticks with `FixedStep.alpha`. Catch-up is capped so one slow frame cannot
trigger an ever-growing backlog of ticks.
"""

from __future__ import annotations

import time

from game.rules import TICKS_PER_SECOND

MAX_CATCH_UP_TICKS = 4  # per frame; the rest of a backlog is dropped (the game slows down)


class FixedStep:
    def __init__(self, ticks_per_second: float = TICKS_PER_SECOND) -> None:
        self.tick_seconds = 1.0 / ticks_per_second
        self.accumulator = 0.0

    def set_rate(self, ticks_per_second: float) -> None:
        self.tick_seconds = 1.0 / ticks_per_second

    def advance(self, dt: float) -> int:
        """Add a frame's real time; returns how many ticks to run now."""
        self.accumulator += dt
        ticks = int(self.accumulator / self.tick_seconds)
        if ticks > MAX_CATCH_UP_TICKS:
            ticks = MAX_CATCH_UP_TICKS
            self.accumulator = 0.0
        else:
            self.accumulator -= ticks * self.tick_seconds
        return ticks

    def hold(self) -> None:
        """While paused, time does not pile up."""
        self.accumulator = 0.0

    @property
    def alpha(self) -> float:
        """How far between the previous tick and the current one the frame is (0..1)."""
        return min(1.0, self.accumulator / self.tick_seconds)


class FramePacer:
    """Holds a frame rate by sleeping until each frame's deadline.

    Deadlines advance by a fixed period (not "now + period"), so small sleep
    overshoots do not add up; after a long stall the schedule restarts from now
    instead of rushing frames to catch up. The last fraction of a millisecond
    is spun, which is cheaper than a busy loop and more precise than one sleep.
    """

    SPIN_SECONDS = 0.0004

    def __init__(self, fps: float | None) -> None:
        self.period = 1.0 / fps if fps else 0.0
        self.deadline = time.perf_counter()

    def wait(self) -> None:
        if not self.period:
            return
        self.deadline += self.period
        now = time.perf_counter()
        if now > self.deadline + self.period:
            self.deadline = now  # fell far behind: do not try to catch up
            return
        remaining = self.deadline - now - self.SPIN_SECONDS
        if remaining > 0:
            time.sleep(remaining)
        while time.perf_counter() < self.deadline:
            pass
