"""The real model process through LLMClient: loading, answers, failures, one model only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import weakref
from pathlib import Path

import psutil
import pytest

from game import paths, vocabulary
from llm.client import CANCELLED, FAILED, LLMClient, RequestResult

MODEL = paths.default_model_path()
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not MODEL.is_file(), reason="run `python main.py setup-model`")


_seen: weakref.WeakKeyDictionary[LLMClient, dict[int, RequestResult]] = (
    weakref.WeakKeyDictionary())


def wait_until(client: LLMClient, condition, timeout: float = 30.0) -> None:
    """Poll like the game loop until `condition` holds, keeping every result seen."""
    seen = _seen.setdefault(client, {})
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out (state {client.state}: {client.reason})"
        seen.update((r.id, r) for r in client.poll())
        time.sleep(0.005)


def outcome(client: LLMClient, request_id: int, timeout: float = 30.0) -> RequestResult:
    seen = _seen.setdefault(client, {})
    wait_until(client, lambda: request_id in seen, timeout)
    return seen.pop(request_id)


@pytest.fixture(scope="module")
def client():
    client = LLMClient()
    client.start(MODEL)
    wait_until(client, lambda: client.state != "loading")
    assert client.state == "ready", client.reason
    yield client
    client.shutdown()


def model_mappers(root_pid: int) -> set[int]:
    """Processes of this test's process tree that map a .gguf file."""
    tree = {root_pid} | {c.pid for c in psutil.Process(root_pid).children(recursive=True)}
    mappers = set()
    for process in psutil.process_iter():
        try:
            maps = process.memory_maps()
        except (psutil.Error, OSError):
            continue
        if any(m.path.endswith(".gguf") for m in maps) and process.pid in tree:
            mappers.add(process.pid)
    return mappers


def test_ready_fast_with_the_default_profile(client: LLMClient) -> None:
    # the profile, and the order adapter the repo ships loaded onto its base model
    assert client.profile_name == "gemma-3-270m (order adapter)"
    assert client.load_seconds is not None  # the time itself is the bench's (llm.ready_s)
    assert 200e6 < (client.child_rss() or 0) < 600e6


def test_a_translation_returns_valid_canonical_commands(client: LLMClient) -> None:
    result = outcome(client, client.submit("translate", {"text": "send 3 tanks north"}))
    assert result.ok, result.reason
    commands = result.result["commands"]  # the model's, not the parser's: valid, a move
    assert commands and {c["action"] for c in commands} == {"move"}
    for order in ("les chars attaquent la raffinerie ennemie", "tell me a joke",
                  "build a barracks and then train 4 soldiers", "move the tanks"):
        answer = outcome(client, client.submit("translate", {"text": order})).result
        assert vocabulary.as_dicts(
            vocabulary.canonical_list(answer["commands"])) == answer["commands"]
        assert answer["commands"] or answer["message"]
    assert result.timings["prompt_ms"] > 0 and result.timings["gen_tokens"] > 0


def test_advice_comes_in_the_language_asked(client: LLMClient) -> None:
    summary = "credits 900; power 30/50; units 6 infantry, 2 tanks; enemy seen 4 tanks west"
    result = outcome(client, client.submit("advise", {"summary": summary, "lang": "fr"}))
    assert result.ok and result.result["lang"] == "fr" and result.result["text"]


def test_only_the_child_maps_the_model(client: LLMClient) -> None:
    request_id = client.submit("advise", {"summary": "credits 100", "lang": "en"})
    wait_until(client, lambda: client.current_request is not None)
    assert model_mappers(os.getpid()) == {client.child_pid}
    outcome(client, request_id)


def test_cancelling_a_generation_frees_the_model_at_once(client: LLMClient) -> None:
    summary = {"summary": "credits 5000; power 10/90", "lang": "en"}
    full = outcome(client, client.submit("advise", summary))  # how long a whole advice takes
    advice = client.submit("advise", summary)
    wait_until(client, lambda: client.current_request is not None)
    time.sleep(0.1)
    client.cancel(advice)
    order = client.submit("translate", {"text": "go north"})
    result = outcome(client, order)
    assert result.ok
    # Compared in the same run: the order waited about one token, not for the advice.
    assert result.timings["queue_wait_ms"] < full.timings["gen_ms"] / 2


def spawned_children() -> set[int]:
    """Live processes started by multiprocessing's spawn (not its resource tracker)."""
    return {c.pid for c in psutil.Process().children()
            if c.status() != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(c.cmdline())}


def test_a_killed_child_fails_its_requests_then_restarts_by_itself(client: LLMClient) -> None:
    fresh = LLMClient()
    fresh.start(MODEL)
    try:
        wait_until(fresh, lambda: fresh.state == "ready")
        request_id = fresh.submit("advise", {"summary": "credits 100", "lang": "en"})
        wait_until(fresh, lambda: fresh.current_request is not None)
        os.kill(fresh.child_pid, signal.SIGKILL)
        result = outcome(fresh, request_id)
        assert result.status == FAILED and "stopped unexpectedly" in result.reason
        assert fresh.state == "offline" and "signal 9" in fresh.reason
        late = outcome(fresh, fresh.submit("translate", {"text": "go north"}))
        assert late.status == FAILED and "offline" in late.reason
        wait_until(fresh, lambda: fresh.state == "ready")  # restarted by itself
        assert fresh.restart_count == 1
        assert spawned_children() == {client.child_pid, fresh.child_pid}  # one each
        assert outcome(fresh, fresh.submit("translate", {"text": "go north"})).ok
    finally:
        fresh.shutdown()
    assert fresh.child_pid is None and spawned_children() == {client.child_pid}


def test_the_child_exits_when_the_parent_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from llm.client import LLMClient
        if __name__ == "__main__":
            client = LLMClient()
            client.start({str(MODEL)!r})
            print(client.child_pid, flush=True)
            time.sleep(60)
    """))
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    child_pid = int(parent.stdout.readline())
    time.sleep(0.3)  # the child is still loading the model
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline and _alive(child_pid):
        time.sleep(0.05)
    assert not _alive(child_pid)


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("make_file, reason", [
    (lambda path: None, "not found"),
    (lambda path: path.write_text("hello " * 400_000), "Not a GGUF"),
    (lambda path: path.write_bytes(b"GGUF\x03\x00\x00\x00" + bytes(100)), "too small"),
    (lambda path: path.write_bytes(MODEL.read_bytes()[: 2 << 20]), "damaged"),
], ids=["missing", "not-gguf", "too-small", "truncated"])
def test_a_bad_model_file_gives_a_clear_offline_reason(tmp_path: Path, make_file,
                                                       reason: str) -> None:
    path = tmp_path / "model.gguf"
    make_file(path)
    client = LLMClient()
    client.start(path)
    order = client.submit("translate", {"text": "go north"})
    result = outcome(client, order)
    assert client.state == "offline" and reason in client.reason
    assert result.status == FAILED and reason in result.reason
    wait_until(client, lambda: client.child_pid is None, 5.0)  # it exited and was reaped
    client.shutdown()


def test_cancelled_and_failed_counts_add_up(client: LLMClient) -> None:
    before = client.stats.requests
    ids = [client.submit("advise", {"summary": f"credits {n}", "lang": "en"}) for n in range(3)]
    results = [outcome(client, i) for i in ids]
    assert [r.status for r in results[:2]] == [CANCELLED, CANCELLED]
    assert client.stats.requests == before + 3
