"""The parent/child protocol and the client's policies, with a fake engine in the child.

The fake engine (below) is what the child process loads instead of llama.cpp:
`LLMClient(engine_factory="test_llm_protocol:FakeEngine")`. Each request may ask
it to work for a number of 10 ms steps (checking should_stop() between steps,
as the real engine does between tokens) or to fail.
"""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from llm import protocol as p
from llm.client import CANCELLED, FAILED, OK, LLMClient, RequestResult
from llm.profiles import Profile

STEP_S = 0.01
FAKE_FACTORY = "test_llm_protocol:FakeEngine"
PROFILE = Profile("fake", "*.gguf", "base")


class FakeEngine:
    """Answers with what it was asked, after `steps` steps; remembers what it ran."""

    def __init__(self, model_path: str, profile: Profile, n_threads: int,
                 on_progress: Callable[[str, float], None]) -> None:
        on_progress("loading model", 0.0)
        self.history: list[str] = []

    fully_warm = True

    def warm_up(self) -> None:
        pass

    def run(self, kind: str, payload: dict[str, Any],
            should_stop: Callable[[], bool]) -> tuple[dict[str, Any], dict[str, Any]]:
        name = payload.get("text") or payload.get("summary") or ""
        for step in range(int(payload.get("steps", 0))):
            if should_stop():
                self.history.append(f"{name}:stopped@{step}")
                raise p.Cancelled()
            time.sleep(STEP_S)
        if payload.get("fail"):
            raise ValueError("the fake engine was told to fail")
        self.history.append(name)
        return {"kind": kind, "echo": name, "history": list(self.history),
                "pid": os.getpid()}, {"gen_tokens": int(payload.get("steps", 0))}


@pytest.fixture(scope="module")
def fake_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file that passes the GGUF sanity checks (the fake engine never reads it)."""
    path = tmp_path_factory.mktemp("models") / "fake.gguf"
    path.write_bytes(b"GGUF" + struct.pack("<I", 3) + bytes(2 << 20))
    return path


def make_client(model: Path, **options: Any) -> LLMClient:
    client = LLMClient(engine_factory=FAKE_FACTORY, **options)
    client.start(model, PROFILE)
    wait_until(lambda: client.state != "loading", collect=client)
    assert client.state == "ready", client.reason
    return client


def wait_until(condition: Callable[[], bool], collect: LLMClient, timeout: float = 30.0
               ) -> list[RequestResult]:
    """Poll like a game loop until `condition` holds; return the results seen meanwhile."""
    seen: list[RequestResult] = []
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        seen += collect.poll()
        time.sleep(0.002)
    return seen


def results_for(client: LLMClient, ids: list[int], timeout: float = 30.0
                ) -> dict[int, RequestResult]:
    results: dict[int, RequestResult] = {}

    def all_done() -> bool:
        for result in client.poll():
            assert result.id not in results, "two outcomes for one request"
            results[result.id] = result
        return all(i in results for i in ids)

    wait_until(all_done, client, timeout)
    return results


@pytest.fixture
def client(fake_model: Path):
    client = make_client(fake_model)
    yield client
    client.shutdown()


def test_ids_are_matched_and_translations_are_fifo(client: LLMClient) -> None:
    ids = [client.submit("translate", {"text": f"order {n}", "steps": 2}) for n in range(5)]
    results = results_for(client, ids)
    assert [results[i].result["echo"] for i in ids] == [f"order {n}" for n in range(5)]
    assert results[ids[-1]].result["history"][-5:] == [f"order {n}" for n in range(5)]
    assert all(r.ok and r.latency_ms > 0 for r in results.values())
    assert "queue_wait_ms" in results[ids[0]].timings
    assert client.stats.answered == 5 and client.state == "ready"


def test_replies_out_of_order_are_matched_by_id(fake_model: Path) -> None:
    client = make_client(fake_model, max_in_flight=3)
    try:
        first = client.submit("translate", {"text": "first", "steps": 10})
        wait_until(lambda: client.current_request == "translate: first", client)
        advice = client.submit("advise", {"summary": "advice"})
        order = client.submit("translate", {"text": "order"})  # overtakes the advice
        arrivals: list[RequestResult] = []
        wait_until(lambda: len(arrivals) == 3 or bool(arrivals.extend(client.poll())), client)
        assert [r.id for r in arrivals] == [first, order, advice]
        assert [r.result["echo"] for r in arrivals] == ["first", "order", "advice"]
    finally:
        client.shutdown()


def test_stale_and_unknown_replies_are_dropped(client: LLMClient) -> None:
    request_id = client.submit("translate", {"text": "real", "steps": 1})
    results = results_for(client, [request_id])
    client._handle(p.Reply(request_id, {"echo": "again"}))  # a second answer: stale
    client._handle(p.Reply(9999, {"echo": "nobody asked"}))
    client._handle(p.CancelledReply(9998))
    assert results[request_id].result["echo"] == "real"
    assert client.poll() == []
    assert client.stats.answered == 1


def test_cancel_while_queued_in_the_parent(fake_model: Path) -> None:
    client = make_client(fake_model, max_in_flight=1)
    try:
        busy = client.submit("translate", {"text": "busy", "steps": 20})
        queued = client.submit("translate", {"text": "queued"})
        assert client.cancel(queued)
        later = client.submit("translate", {"text": "later"})
        results = results_for(client, [busy, queued, later])
        assert results[queued].status == CANCELLED
        assert "queued" not in results[later].result["history"]
        assert not client.cancel(queued)  # already finished
    finally:
        client.shutdown()


def test_cancel_while_queued_in_the_child(client: LLMClient) -> None:
    busy = client.submit("translate", {"text": "busy", "steps": 20})
    queued = client.submit("translate", {"text": "in child queue"})  # 2 in flight
    wait_until(lambda: client.current_request == "translate: busy", client)
    client.cancel(queued)
    later = client.submit("translate", {"text": "later"})
    results = results_for(client, [busy, queued, later])
    assert results[queued].status == CANCELLED
    assert results[later].result["history"] == ["busy", "later"]


def test_cancel_while_generating_stops_at_the_next_step(client: LLMClient) -> None:
    long = client.submit("translate", {"text": "long", "steps": 500})
    wait_until(lambda: client.current_request == "translate: long", client)
    time.sleep(0.05)
    client.cancel(long)
    after = client.submit("translate", {"text": "after"})
    results = results_for(client, [long, after])
    assert results[long].status == CANCELLED
    history = results[after].result["history"]
    assert history[-2].startswith("long:stopped@") and history[-1] == "after"
    # The child noticed the cancel within about one step, not after 500 of them.
    stopped_at = int(history[-2].split("@", 1)[1])
    assert stopped_at < 500


def test_advice_is_latest_wins(client: LLMClient) -> None:
    ids = [client.submit("advise", {"summary": f"advice {n}", "steps": 10}) for n in range(3)]
    results = results_for(client, ids)
    assert [results[i].status for i in ids] == [CANCELLED, CANCELLED, OK]
    assert "newer" in results[ids[0]].reason
    assert results[ids[2]].result["echo"] == "advice 2"


def test_an_order_preempts_the_advice_being_generated(client: LLMClient) -> None:
    advice = client.submit("advise", {"summary": "long advice", "steps": 500})
    wait_until(lambda: client.current_request == "advise: long advice", client)
    order = client.submit("translate", {"text": "urgent"})
    results = results_for(client, [advice, order])
    assert results[advice].status == CANCELLED and "order" in results[advice].reason
    assert results[order].ok and results[order].latency_ms < 1000


def test_queue_is_bounded_and_refusal_is_explicit(fake_model: Path) -> None:
    client = make_client(fake_model, max_in_flight=1, max_queued=2)
    try:
        ids = [client.submit("translate", {"text": f"o{n}", "steps": 5}) for n in range(4)]
        results = results_for(client, ids)
        assert [results[i].status for i in ids] == [OK, OK, OK, FAILED]
        assert "Too many" in results[ids[3]].reason
    finally:
        client.shutdown()


def test_a_failed_request_is_reported_and_the_child_goes_on(client: LLMClient) -> None:
    bad = client.submit("translate", {"text": "bad", "fail": True})
    good = client.submit("translate", {"text": "good"})
    results = results_for(client, [bad, good])
    assert results[bad].status == FAILED and "told to fail" in results[bad].reason
    assert results[good].ok and client.state == "ready"


def test_orders_wait_while_loading_and_fail_when_offline(fake_model: Path) -> None:
    client = LLMClient(engine_factory=FAKE_FACTORY)
    client.start(fake_model, PROFILE)
    early = client.submit("translate", {"text": "early"})  # still loading: queued
    assert results_for(client, [early])[early].ok
    client.shutdown()
    late = client.submit("translate", {"text": "late"})
    result = results_for(client, [late])[late]
    assert result.status == FAILED and "offline" in result.reason


def test_poll_never_blocks(client: LLMClient) -> None:
    ids = [client.submit("translate", {"text": f"o{n}", "steps": 3}) for n in range(10)]
    worst = 0.0
    done: set[int] = set()
    while len(done) < len(ids):
        start = time.perf_counter()
        done |= {r.id for r in client.poll()}
        worst = max(worst, time.perf_counter() - start)
    assert worst < 0.005  # a frame's poll is well under a millisecond; margin for CI


def test_tables_stay_bounded(client: LLMClient) -> None:
    for n in range(40):
        client.submit("advise", {"summary": f"a{n}"})
        client.submit("translate", {"text": f"t{n}"})
        client.poll()
    wait_until(lambda: client.state == "ready" and not client._orphans, client)
    assert not client._sent and not client._queue and not client._outbox
    assert client.stats.requests == 80
