"""The game's side of the model: one child process, polled every frame, never waited on.

Usage from the game loop (single-threaded):

    client = LLMClient()
    client.start(model_path)            # returns at once; the model loads in the child
    request_id = client.submit("translate", {"text": typed})
    ...
    for done in client.poll():          # once per frame, well under a millisecond
        if done.ok: ...                 # done.result, done.latency_ms
        else: ...                       # done.reason, a sentence to show or log

Every submitted id gets exactly one RequestResult, whether it succeeded, failed
(offline, queue full, model error, child died) or was cancelled.

Policies: "translate" (player orders) is FIFO and never dropped silently;
"advise" is latest-wins, and a new order cancels an advice being generated so
orders never wait behind the advisor. At most `max_in_flight` requests are in
the child; the rest wait here, at most `max_queued` of them.

Faults: a request in the child past its deadline fails with a reason and the
child is pinged; a child that does not answer the ping, takes too long to load
or dies is killed (if needed) and restarted automatically, at most
RESTART_LIMIT times in RESTART_WINDOW_S, each after a longer pause; after that
it stays offline until restart() (the menu). A restart never begins before the
old child is reaped, so two processes never map the model at once. Messages
that cannot be read, are too big, of another version or for no pending request
are dropped and logged.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import multiprocessing
import os
import pickle
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import psutil

from game.stats import summary
from llm import protocol as p
from llm.profiles import Profile, profile_for, profile_named
from llm.worker import DEFAULT_ENGINE, WorkerConfig, main

LOG = logging.getLogger(__name__)
LOADING, READY, BUSY, OFFLINE = "loading", "ready", "busy", "offline"
OK, FAILED, CANCELLED = "ok", "failed", "cancelled"
LATENCY_WINDOW = 256  # latencies kept for p50/p95/max
STOP_TIMEOUT_S = 1.0  # a polite exit, then SIGTERM, then SIGKILL: gone within about 2 s
# A translation takes ~0.2-0.4 s and an advice ~1-2 s on an idle 2-core machine, but
# an advice took over 20 s with two models and several test suites sharing the cores.
REQUEST_TIMEOUT_S = {p.TRANSLATE: 30.0, p.ADVISE: 60.0}
DEFAULT_TIMEOUT_S = 60.0  # other kinds (test engines)
PING_TIMEOUT_S = 3.0  # a live child answers between two tokens
LOAD_TIMEOUT_S = 300.0  # without news from a loading child (1-3 s idle, 2 min seen under load)
RESTART_LIMIT, RESTART_WINDOW_S = 3, 300.0
RESTART_DELAYS_S = (1.0, 2.0, 4.0)  # before the 1st, 2nd, 3rd automatic restart
MAX_MESSAGE_BYTES = 1 << 20  # answers are a few hundred bytes
# Why a request failed (RequestResult.cause), each with its own message for the player
# (game.i18n keys): "the model is off" is wrong when it is on but busy or slow.
OFF, QUEUE_FULL, DEADLINE, STOPPED, MODEL_ERROR = (
    "off", "queue_full", "deadline", "stopped", "model_error")
MESSAGE_KEYS = {OFF: "model_unavailable", QUEUE_FULL: "model_queue_full",
                DEADLINE: "model_too_slow", STOPPED: "model_stopped",
                MODEL_ERROR: "model_failed"}


@dataclass(frozen=True)
class RequestResult:
    """The one terminal outcome of a submitted request."""

    id: int
    kind: str
    status: str  # "ok" | "failed" | "cancelled"
    result: dict[str, Any] | None = None  # the engine's answer when ok
    reason: str = ""  # why it failed or was cancelled, for the player or the log
    latency_ms: float = 0.0  # submit -> outcome, measured here
    timings: dict[str, float] = field(default_factory=dict)  # parent and child timings
    cause: str = ""  # why it failed: OFF, QUEUE_FULL, DEADLINE, STOPPED or MODEL_ERROR

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def message_key(self) -> str:
        """The game.i18n key that tells the player why this request was not answered."""
        return MESSAGE_KEYS.get(self.cause, "model_unavailable")


@dataclass
class _Pending:
    id: int
    kind: str
    payload: dict[str, Any]
    submitted_at: float
    started_at: float | None = None
    deadline: float | None = None  # set when sent to the child

    def describe(self) -> str:
        text = str(self.payload.get("text") or self.payload.get("summary") or "")
        return f"{self.kind}: {text[:40]}" if text else self.kind


@dataclass
class Stats:
    requests: int = 0
    answered: int = 0
    cancelled: int = 0
    failed: int = 0
    failed_by: dict[str, int] = field(default_factory=dict)  # failures by RequestResult.cause
    latencies_ms: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_WINDOW))

    def latency_summary(self) -> dict[str, float]:
        return summary(self.latencies_ms)


def _now() -> float:
    return time.perf_counter()


class LLMClient:
    """Owns the single model process. Not thread-safe: use it from the game loop only."""

    def __init__(self, *, max_in_flight: int = 2, max_queued: int = 32,
                 n_threads: int | None = None, log_path: str | None = None,
                 engine_factory: str = DEFAULT_ENGINE, request_timeout_s: float | None = None,
                 ping_timeout_s: float = PING_TIMEOUT_S, load_timeout_s: float = LOAD_TIMEOUT_S,
                 auto_restart: bool = True) -> None:
        self._max_in_flight = max_in_flight
        self._request_timeout_s = request_timeout_s  # None: REQUEST_TIMEOUT_S per kind
        self._ping_timeout_s = ping_timeout_s
        self._load_timeout_s = load_timeout_s
        self._auto_restart = auto_restart
        self._max_queued = max_queued
        self._n_threads = n_threads
        self._log_path = log_path
        self._engine_factory = engine_factory
        self._ids = itertools.count(1)
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._model_path: str | None = None
        self._profile: Profile | None = None
        self._queue: deque[_Pending] = deque()  # waiting here, not sent yet
        self._sent: dict[int, _Pending] = {}  # in the child, awaiting their outcome
        self._orphans: set[int] = set()  # cancelled here; the child's answer will be dropped
        self._outbox: list[RequestResult] = []
        self._current: int | None = None
        self._loading = False
        self._offline = True
        self._atexit_registered = False
        self._spawned_at = 0.0
        self._pings = itertools.count(1)
        self._ping: tuple[int, float] | None = None  # (id, answer deadline) while waiting
        self._restart_at: float | None = None  # an automatic restart is due then
        self._restarts: deque[float] = deque()  # automatic restarts in the last window
        self.restart_count = 0  # automatic restarts since start()
        self.dropped_messages = 0  # unreadable, oversized, stale or of another version
        self.stats = Stats()
        self.stage = "not started"
        self.progress = 0.0
        self.reason = "The model has not been started."
        self.model_name = ""
        self.profile_name = ""
        self.load_seconds: float | None = None
        self.last_latency_ms: float | None = None

    # --- lifecycle -----------------------------------------------------------------

    def start(self, model_path: str | os.PathLike[str],
              profile: Profile | str | None = None) -> None:
        """Spawn the model process and return at once; progress arrives through poll()."""
        if self._process is not None and self._process.is_alive():
            raise RuntimeError("the model process is already running; use restart()")
        self._model_path = str(model_path)
        self._profile = self._resolve_profile(profile)
        self._restarts.clear()  # the player (or the game) asked: a fresh allowance
        self._restart_at = None
        self._spawn()

    def _spawn(self) -> None:
        self._reap()
        assert self._process is None, "never two model processes"
        assert self._model_path is not None and self._profile is not None
        context = multiprocessing.get_context("spawn")
        parent_conn, child_conn = context.Pipe(duplex=True)
        config = WorkerConfig(self._model_path, self._profile, os.getpid(), self._n_threads,
                              self._log_path, self._engine_factory, time.time())
        process = context.Process(target=main, args=(child_conn, config),
                                  name="rts-commander-llm", daemon=True)
        process.start()
        child_conn.close()  # so the parent sees EOF when the child dies
        self._process, self._conn = process, parent_conn
        self._loading, self._offline = True, False
        self._spawned_at, self._ping = _now(), None
        self.stage, self.progress, self.reason = "starting", 0.0, ""
        self.load_seconds = None
        self.model_name, self.profile_name = Path(self._model_path).name, self._profile.name
        if not self._atexit_registered:
            atexit.register(self.shutdown)
            self._atexit_registered = True

    def _resolve_profile(self, profile: Profile | str | None) -> Profile:
        if isinstance(profile, Profile):
            return profile
        if profile:
            return profile_named(profile, self._model_path or "")
        return profile_for(self._model_path or "")

    def restart(self, model_path: str | os.PathLike[str] | None = None,
                profile: Profile | str | None = None) -> None:
        """Stop the current child (reaped before anything else starts), then start again."""
        self._stop_child("The model is restarting.")
        if model_path is None:  # same model: same profile unless another is given
            model_path, profile = self._model_path, profile or self._profile
        if model_path is None:
            raise RuntimeError("restart() needs a model path when start() was never called")
        self.start(model_path, profile)

    def shutdown(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Ask the child to exit, then terminate/kill it if it does not. Safe to call twice."""
        self._restart_at = None
        self._stop_child("The model was shut down.", timeout)
        if self._atexit_registered:
            atexit.unregister(self.shutdown)
            self._atexit_registered = False

    def _stop_child(self, reason: str, timeout: float = STOP_TIMEOUT_S) -> None:
        process, conn = self._process, self._conn
        if process is not None and process.is_alive() and conn is not None:
            try:
                conn.send(p.Shutdown())
            except (OSError, ValueError):
                pass
            process.join(timeout)
            if process.is_alive():
                process.terminate()
                process.join(1.0)
            if process.is_alive():
                process.kill()
                process.join()
        self._go_offline(reason)
        self._reap()

    def _kill_child(self, reason: str) -> None:
        """A child that stopped answering: SIGKILL works even on a stopped process."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(1.0)
        self._go_offline(reason)
        self._reap()
        self._schedule_restart()

    def _reap(self) -> None:
        """Forget a finished child (never a live one: it would be orphaned)."""
        if self._process is not None and self._process.is_alive():
            return
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.close()
        self._process, self._conn = None, None

    # --- requests ------------------------------------------------------------------

    def submit(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue a request and return its id; its outcome comes out of poll()."""
        request = _Pending(next(self._ids), kind, dict(payload), _now())
        self.stats.requests += 1
        if self.state == OFFLINE:
            self._finish(request, FAILED, reason=f"The language model is offline: {self.reason}",
                         cause=OFF)
        elif len(self._queue) >= self._max_queued:
            self._finish(request, FAILED, reason="Too many requests are waiting for the model.",
                         cause=QUEUE_FULL)
        else:
            if kind == p.ADVISE:
                self._cancel_kind(p.ADVISE, "Replaced by a newer advice request.")
            else:
                self._preempt_advice()
            self._queue.append(request)
            self._pump()
        return request.id

    def cancel(self, request_id: int, reason: str = "Cancelled.") -> bool:
        """Cancel a waiting or running request; False if it is already finished."""
        for request in self._queue:
            if request.id == request_id:
                self._queue.remove(request)
                self._finish(request, CANCELLED, reason=reason)
                return True
        request = self._sent.get(request_id)
        if request is None:
            return False
        self._abandon(request, CANCELLED, reason)
        return True

    def _abandon(self, request: _Pending, status: str, reason: str, cause: str = "") -> None:
        """Finish a request the child holds; its late answer will be dropped."""
        del self._sent[request.id]
        self._orphans.add(request.id)
        if self._current == request.id:
            self._current = None
        self._finish(request, status, reason=reason, cause=cause)
        self._send(p.Cancel(request.id))

    def _cancel_kind(self, kind: str, reason: str) -> None:
        ids = [r.id for r in (*self._queue, *self._sent.values()) if r.kind == kind]
        for request_id in ids:
            self.cancel(request_id, reason)

    def _preempt_advice(self) -> None:
        """An order cancels the advice being generated: the game asks again later."""
        current = self._sent.get(self._current) if self._current is not None else None
        if current is not None and current.kind == p.ADVISE:
            self.cancel(current.id, "Interrupted by a player order.")

    def _pump(self) -> None:
        """Send waiting requests while the child has room, orders first."""
        if self._loading or self._process is None:
            return
        while self._queue and len(self._sent) + len(self._orphans) < self._max_in_flight:
            request = next((r for r in self._queue if r.kind != p.ADVISE), self._queue[0])
            self._queue.remove(request)
            request.deadline = _now() + self._timeout_for(request.kind)
            self._sent[request.id] = request
            self._send(p.Request(request.id, request.kind, request.payload))

    def _timeout_for(self, kind: str) -> float:
        if self._request_timeout_s is not None:
            return self._request_timeout_s
        return REQUEST_TIMEOUT_S.get(kind, DEFAULT_TIMEOUT_S)

    def _send(self, message: p.ParentMessage) -> None:
        try:
            if self._conn is not None:
                self._conn.send(message)
        except (OSError, ValueError):
            self._child_gone()

    # --- per frame -----------------------------------------------------------------

    def poll(self) -> list[RequestResult]:
        """Read everything the child sent, without waiting; return the finished requests."""
        self._receive()
        if self._process is not None and not self._process.is_alive():
            self._receive()  # answers sent just before it exited still count
            self._child_gone()
            self._reap()
        self._check_deadlines()
        self._restart_when_due()
        self._pump()
        finished, self._outbox = self._outbox, []
        return finished

    def _receive(self) -> None:
        while self._conn is not None:
            try:
                if not self._conn.poll(0):
                    return
                data = self._conn.recv_bytes()
            except (EOFError, OSError):
                self._child_gone()
                return
            message = self._decode(data)
            if message is not None:
                self._handle(message)

    def _decode(self, data: bytes) -> p.ChildMessage | None:
        """The message, or None (dropped and logged) when it cannot be one of ours."""
        if len(data) > MAX_MESSAGE_BYTES:
            return self._drop(f"an oversized message ({len(data)} bytes)")
        try:
            message = pickle.loads(data)  # noqa: S301 - our own child, through our own pipe
        except Exception as error:  # truncated or garbage bytes: any unpickling error
            return self._drop(f"an unreadable message ({type(error).__name__})")
        if not isinstance(message, p.CHILD_MESSAGES):
            return self._drop(f"an unknown message ({type(message).__name__})")
        if message.version != p.PROTOCOL_VERSION:
            return self._drop(f"a message of protocol version {message.version}")
        return message

    def _drop(self, what: str) -> None:
        self.dropped_messages += 1
        LOG.warning("model process sent %s: dropped", what)
        return None

    def _handle(self, message: p.ChildMessage) -> None:
        if isinstance(message, p.Pong):
            if self._ping is not None and self._ping[0] == message.id:
                self._ping = None
        elif isinstance(message, p.LoadStatus):
            self.stage, self.progress = message.stage, message.fraction
            self._spawned_at = _now()  # progress: the load deadline starts again
        elif isinstance(message, p.Ready):
            LOG.info("language model %s ready in %.2f s (%s, %d threads)", message.model_name,
                     message.load_seconds, message.profile_name, message.n_threads)
            self._loading, self.stage, self.progress = False, "ready", 1.0
            self.load_seconds = message.load_seconds
            self.profile_name = message.profile_name
        elif isinstance(message, p.Started):
            self._started(message.id)
        elif isinstance(message, p.Error) and message.id is None:  # could not load, or quit
            self._go_offline(message.reason, OFF if self._loading else STOPPED)
        else:
            self._terminal(message)

    def _started(self, request_id: int) -> None:
        request = self._sent.get(request_id)
        if request is None:
            return
        request.started_at = _now()
        self._current = request_id
        # An advice the child took up just before an order reached it: the order
        # would wait behind it (submit() only preempts an advice already started).
        if request.kind == p.ADVISE and any(r.kind != p.ADVISE for r in
                                            (*self._queue, *self._sent.values())):
            self.cancel(request_id, "Interrupted by a player order.")

    def _terminal(self, message: p.Reply | p.CancelledReply | p.Error) -> None:
        assert message.id is not None
        if message.id in self._orphans:
            self._orphans.discard(message.id)
            return
        request = self._sent.pop(message.id, None)
        if request is None:  # stale, duplicate or unknown id: nothing waits for it
            self._drop(f"an answer for no pending request (id {message.id})")
            return
        if self._current == message.id:
            self._current = None
        if isinstance(message, p.Reply):
            self._finish(request, OK, result=message.result, child_timings=message.timings)
        elif isinstance(message, p.CancelledReply):
            self._finish(request, CANCELLED, reason="Cancelled by the model process.")
        else:
            self._finish(request, FAILED, reason=message.reason, cause=MODEL_ERROR)

    def _finish(self, request: _Pending, status: str, *, result: dict[str, Any] | None = None,
                reason: str = "", child_timings: dict[str, float] | None = None,
                cause: str = "") -> None:
        now = _now()
        latency = round((now - request.submitted_at) * 1000.0, 1)
        timings = dict(child_timings or {})
        if request.started_at is not None:
            timings["child_queue_wait_ms"] = timings.pop("queue_wait_ms", 0.0)
            timings["queue_wait_ms"] = round((request.started_at - request.submitted_at) * 1000, 1)
        if status == OK:
            self.stats.answered += 1
            self.stats.latencies_ms.append(latency)
            self.last_latency_ms = latency
        elif status == CANCELLED:
            self.stats.cancelled += 1
        else:
            self.stats.failed += 1
            why = cause or "other"
            self.stats.failed_by[why] = self.stats.failed_by.get(why, 0) + 1
        self._outbox.append(RequestResult(request.id, request.kind, status, result, reason,
                                          latency, timings, cause if status == FAILED else ""))

    def _child_gone(self) -> None:
        if self._offline:
            return
        process = self._process
        if process is not None and process.is_alive():  # the pipe broke, not the process
            process.kill()
            process.join(1.0)
        code = process.exitcode if process is not None else None
        detail = ""
        if code is not None:
            detail = f" (killed by signal {-code})" if code < 0 else f" (exit code {code})"
        self._go_offline(f"The model process stopped unexpectedly{detail}.")
        self._schedule_restart()

    # --- deadlines and automatic restarts ---------------------------------------------

    def _check_deadlines(self) -> None:
        now = _now()
        if self._loading and now - self._spawned_at > self._load_timeout_s:
            self._kill_child(f"The model gave no news for {self._load_timeout_s:.0f} s "
                             "while loading.")
            return
        if self._ping is not None and now > self._ping[1]:
            self._kill_child("The model process stopped answering.")
            return
        late = [r for r in self._sent.values() if r.deadline is not None and now > r.deadline]
        for request in late:
            seconds = self._timeout_for(request.kind)
            self._abandon(request, FAILED, f"The model took more than {seconds:.0f} s: "
                                           "the request was cancelled.", DEADLINE)
        if late and self._ping is None and self._conn is not None:
            self._ping = (next(self._pings), now + self._ping_timeout_s)
            self._send(p.Ping(self._ping[0]))

    def _schedule_restart(self) -> None:
        """After an unexpected stop: restart later, unless it happened too often."""
        if not self._auto_restart or self._model_path is None or self._restart_at is not None:
            return
        now = _now()
        while self._restarts and now - self._restarts[0] > RESTART_WINDOW_S:
            self._restarts.popleft()
        if len(self._restarts) >= RESTART_LIMIT:
            self.reason += (f" It stopped {RESTART_LIMIT + 1} times in "
                            f"{RESTART_WINDOW_S / 60:.0f} minutes: restart it from the menu.")
            LOG.warning("language model: no more automatic restarts")
            return
        delay = RESTART_DELAYS_S[min(len(self._restarts), len(RESTART_DELAYS_S) - 1)]
        self._restart_at = now + delay
        self.reason += f" Restarting in {delay:.0f} s."

    def _restart_when_due(self) -> None:
        if self._restart_at is None or _now() < self._restart_at:
            return
        if self._process is not None and self._process.is_alive():
            return  # not reaped yet: never two processes with the model
        self._restart_at = None
        self._restarts.append(_now())
        self.restart_count += 1
        LOG.warning("language model: automatic restart %d", self.restart_count)
        self._spawn()

    @property
    def restart_pending(self) -> bool:
        return self._restart_at is not None

    def _go_offline(self, reason: str, cause: str = STOPPED) -> None:
        """Fail everything pending with the reason; the state becomes offline."""
        LOG.warning("language model offline: %s", reason)
        self.reason = reason
        self._loading, self._offline = False, True
        self.stage = "offline"
        pending = [*self._sent.values(), *self._queue]
        self._sent.clear()
        self._queue.clear()
        self._orphans.clear()
        self._current, self._ping = None, None
        for request in pending:
            self._finish(request, FAILED, reason=f"The language model went offline: {reason}",
                         cause=cause)

    # --- status for the HUD and the debug overlay -----------------------------------

    @property
    def state(self) -> str:
        if self._offline:
            return OFFLINE
        if self._loading:
            return LOADING
        return BUSY if (self._sent or self._queue) else READY

    @property
    def current_request(self) -> str | None:
        """What the model is working on ("translate: send 3 tanks north"), for the HUD."""
        request = self._sent.get(self._current) if self._current is not None else None
        return request.describe() if request is not None else None

    @property
    def queue_length(self) -> int:
        return len(self._queue) + len(self._sent)

    @property
    def child_pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def child_rss(self) -> int | None:
        """Resident memory of the model process in bytes (a psutil call: not every frame)."""
        pid = self.child_pid
        if pid is None:
            return None
        try:
            return psutil.Process(pid).memory_info().rss
        except psutil.Error:
            return None
