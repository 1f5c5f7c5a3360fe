"""The model process: loads the model once, then answers requests one at a time.

Started by llm.client with the `spawn` method; `main` is its entry point. It
imports llama_cpp (through the engine), llm code and psutil, never pygame. It
exits when told to, when the pipe closes, or within a second of the parent's
death (a watchdog thread), even in the middle of loading or generating.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import psutil

from game import paths
from llm import protocol as p
from llm.profiles import Profile, gguf_architecture, validate_model_file

WATCHDOG_PERIOD_S = 0.5
IDLE_BEFORE_WARMING_S = 0.25
DEFAULT_ENGINE = "llm.engine:Engine"


@dataclass(frozen=True)
class WorkerConfig:
    model_path: str
    profile: Profile
    parent_pid: int
    n_threads: int | None = None  # None: the profile's, else all cores but one
    log_path: str | None = None  # None: keep the console, or a log file if there is none
    engine_factory: str = DEFAULT_ENGINE  # "module:callable"; tests pass a fake engine
    spawned_at: float = 0.0  # time.time() when the parent started the process


def default_threads() -> int:
    """Leave at least one core to the game."""
    return max(1, (psutil.cpu_count(logical=True) or 2) - 1)


def _redirect_output(log_path: str | None) -> None:
    """Send Python's and llama.cpp's output to a log file when asked or when there is no console."""
    if log_path is None and sys.stdout is not None and sys.stderr is not None:
        return
    target = Path(log_path) if log_path else paths.log_path().with_name("rts-commander-llm.log")
    try:
        log = open(target, "a", buffering=1, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError:  # a read-only or full user folder: the model runs without its log
        log = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.stdout = sys.stderr = log
    for fd in (1, 2):  # llama.cpp writes to the C-level descriptors
        try:
            os.dup2(log.fileno(), fd)
        except OSError:
            pass


def _lower_priority() -> None:
    """The game's frames matter more than the model's latency."""
    try:
        nice = psutil.BELOW_NORMAL_PRIORITY_CLASS if sys.platform == "win32" else 10
        psutil.Process().nice(nice)
    except (psutil.Error, OSError, AttributeError):
        pass


def _watch_parent(parent_pid: int) -> None:
    """Exit at once when the parent disappears, whatever the main thread is doing."""

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_PERIOD_S)
            if os.getppid() != parent_pid or not psutil.pid_exists(parent_pid):
                os._exit(0)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _load_factory(spec: str) -> Callable[..., Any]:
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _architecture_note(model_path: str) -> str:
    """llama.cpp says only "Failed to load model": name the architecture it was asked for."""
    try:
        architecture = gguf_architecture(model_path)
    except (OSError, ValueError):
        return ""
    if architecture is None:
        return ""
    return (f" (architecture {architecture!r}: this llama.cpp cannot run it, "
            "or the file is damaged)")


def _load_engine(conn: Connection, config: WorkerConfig, n_threads: int) -> Any | None:
    """The warmed-up engine, or None after telling the parent why it cannot load."""
    reason = validate_model_file(config.model_path, whole_header=True)
    if reason is None:
        try:
            factory = _load_factory(config.engine_factory)
            engine = factory(config.model_path, config.profile, n_threads,
                             lambda stage, fraction: conn.send(p.LoadStatus(stage, fraction)))
            engine.warm_up()
            return engine
        except Exception as error:  # llama.cpp reports a bad file as a plain ValueError
            reason = (f"The model could not be loaded from {Path(config.model_path).name}: "
                      f"{error}{_architecture_note(config.model_path)}")
    conn.send(p.Error(None, reason))
    return None


class _Server:
    """One request at a time; orders (translate) before advice; cancels honoured mid-request."""

    def __init__(self, conn: Connection, engine: Any) -> None:
        self._conn = conn
        self._engine = engine
        self._queue: list[tuple[p.Request, float]] = []  # (request, received at)
        self._current: int | None = None
        self._stop_current = False
        self._shutting_down = False

    def serve(self) -> None:
        while not self._shutting_down:
            if not self._queue:
                self._use_idle_time()
                self._handle(self._conn.recv())  # idle: block; EOF ends the process
                continue
            self._run(*self._next())

    def _use_idle_time(self) -> None:
        """Once idle for a moment, warm the prompts not warmed yet, giving way as soon
        as a message arrives (a burst of orders never waits behind the warming)."""
        if not self._engine.fully_warm and not self._conn.poll(IDLE_BEFORE_WARMING_S):
            try:
                self._engine.warm_remaining(self._conn.poll)  # poll() = poll(0)
            except p.Cancelled:
                pass

    def _next(self) -> tuple[p.Request, float]:
        index = next((i for i, (r, _) in enumerate(self._queue) if r.kind != p.ADVISE), 0)
        return self._queue.pop(index)

    def _handle(self, message: p.ParentMessage) -> None:
        if message.version != p.PROTOCOL_VERSION:
            self._conn.send(p.Error(None, f"Protocol version {message.version} is not "
                                          f"{p.PROTOCOL_VERSION}: restart the game."))
            self._shutting_down = self._stop_current = True
        elif isinstance(message, p.Request):
            self._queue.append((message, time.perf_counter()))
        elif isinstance(message, p.Cancel):
            self._cancel(message.id)
        elif isinstance(message, p.Shutdown):
            self._shutting_down = self._stop_current = True
        elif isinstance(message, p.Ping):
            self._conn.send(p.Pong(message.id))

    def _cancel(self, request_id: int) -> None:
        if request_id == self._current:
            self._stop_current = True
            return
        for entry in self._queue:
            if entry[0].id == request_id:
                self._queue.remove(entry)
                self._conn.send(p.CancelledReply(request_id))
                return

    def _should_stop(self) -> bool:
        """Called by the engine between decode steps: read the pipe without waiting."""
        while self._conn.poll(0):
            self._handle(self._conn.recv())
        return self._stop_current

    def _run(self, request: p.Request, received_at: float) -> None:
        self._current, self._stop_current = request.id, False
        self._conn.send(p.Started(request.id))
        waited_ms = round((time.perf_counter() - received_at) * 1000.0, 1)
        try:
            result, timings = self._engine.run(request.kind, request.payload, self._should_stop)
        except p.Cancelled:
            self._conn.send(p.CancelledReply(request.id))
        except Exception as error:  # a failed request must not take the model down
            self._conn.send(p.Error(request.id, f"The model failed on this request: {error}"))
        else:
            self._conn.send(p.Reply(request.id, result, {"queue_wait_ms": waited_ms, **timings}))
        finally:
            self._current = None


def main(conn: Connection, config: WorkerConfig) -> None:
    """Entry point of the model process."""
    _redirect_output(config.log_path)
    _watch_parent(config.parent_pid)
    _lower_priority()
    n_threads = config.n_threads or config.profile.n_threads or default_threads()
    try:
        engine = _load_engine(conn, config, n_threads)
        if engine is None:
            return
        conn.send(p.Ready(Path(config.model_path).name,
                          getattr(engine, "label", config.profile.name),
                          round(time.time() - config.spawned_at, 2), n_threads))
        _Server(conn, engine).serve()
    except (EOFError, BrokenPipeError, ConnectionResetError):
        pass  # the parent closed the pipe: nothing left to serve
    finally:
        conn.close()
