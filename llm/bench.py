"""Measure the model runtime against its targets, through the real client and child.

    python -m llm.bench [--model PATH] [--orders FILE.jsonl] [--threads N]

Reports: time to ready, the per-frame poll() cost, translation latency (submit ->
reply, one order at a time) with accuracy and validity on a JSONL set of
{"text", "expected"} orders, advisor latency, the child's memory, and which
processes map a .gguf file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import psutil

from game import paths, vocabulary
from game.stats import percentile
from llm.client import LLMClient, RequestResult

DEV_SET = paths.app_dir() / "tests" / "data" / "model_dev_orders.jsonl"
IDLE_AFTER_READY_S = 2.5  # lets the advisor prompt warm in idle time, as in a game
SUMMARIES = {
    "en": "minute 6; credits 900; power 30/50; units 6 infantry, 2 tanks; buildings HQ, "
          "Barracks; enemy seen 4 tanks west",
    "fr": "minute 11; crédits 2500; énergie 40/80; unités 3 chars; bâtiments QG, Centrale; "
          "ennemi vu 5 soldats près de la base",
}


class _Timed:
    """Polls like a game loop and records what each poll() costs."""

    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.poll_ms: list[float] = []

    def until(self, condition: Any, timeout: float = 60.0) -> list[RequestResult]:
        seen: list[RequestResult] = []
        deadline = time.monotonic() + timeout
        while not condition(seen):
            if time.monotonic() > deadline:
                raise TimeoutError(self.client.reason or self.client.state)
            started = time.perf_counter()
            seen += self.client.poll()
            self.poll_ms.append((time.perf_counter() - started) * 1000)
            time.sleep(0.001)
        return seen

    def ask(self, kind: str, payload: dict[str, Any]) -> RequestResult:
        request_id = self.client.submit(kind, payload)
        return next(r for r in self.until(lambda s: any(r.id == request_id for r in s))
                    if r.id == request_id)


def gguf_mappers() -> dict[int, str]:
    """Every process on the machine that maps a .gguf file: pid -> name."""
    found = {}
    for process in psutil.process_iter(["name"]):
        try:
            if any(m.path.endswith(".gguf") for m in process.memory_maps()):
                found[process.pid] = process.info["name"]
        except (psutil.Error, OSError):
            continue
    return found


def translate_report(timed: _Timed, orders: Path) -> None:
    rows = [json.loads(line) for line in orders.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    latencies, correct, valid = [], 0, 0
    for row in rows:
        result = timed.ask("translate", {"text": row["text"]})
        latencies.append(result.latency_ms)
        commands = (result.result or {}).get("commands", [])
        valid += result.ok and vocabulary.as_dicts(vocabulary.canonical_list(commands)
                                                   ) == commands
        correct += commands == row["expected"]
    print(f"translate ({orders.name}, {len(rows)} orders, one at a time):")
    print(f"  latency p50 {percentile(latencies, 50):.0f} ms, p95 "
          f"{percentile(latencies, 95):.0f} ms, max {max(latencies):.0f} ms")
    print(f"  exact match {correct}/{len(rows)} ({100 * correct / len(rows):.0f}%), "
          f"valid {valid}/{len(rows)}")


def advise_report(timed: _Timed) -> None:
    for lang, summary in SUMMARIES.items():
        result = timed.ask("advise", {"summary": summary, "lang": lang})
        text = (result.result or {}).get("text", result.reason)
        print(f"advise ({lang}): {result.latency_ms:.0f} ms "
              f"(prompt {result.timings.get('prompt_ms')} ms, "
              f"{result.timings.get('gen_tokens')} tokens): {text}")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--model", default=str(paths.default_model_path()))
    options.add_argument("--orders", default=str(DEV_SET))
    options.add_argument("--threads", type=int, default=None)
    args = options.parse_args()

    client = LLMClient(n_threads=args.threads)
    timed = _Timed(client)
    started = time.perf_counter()
    client.start(args.model)
    timed.until(lambda _: client.state != "loading")
    if client.state != "ready":
        raise SystemExit(f"model offline: {client.reason}")
    print(f"ready in {time.perf_counter() - started:.2f} s (child reports "
          f"{client.load_seconds} s), profile {client.profile_name}")
    time.sleep(IDLE_AFTER_READY_S)  # a player reads the screen before typing
    try:
        translate_report(timed, Path(args.orders))
        advise_report(timed)
        request_id = client.submit("advise", {"summary": SUMMARIES["en"], "lang": "en"})
        timed.until(lambda _: client.current_request is not None)
        mappers = gguf_mappers()
        print(f"child pid {client.child_pid}, RSS {(client.child_rss() or 0) / 1e6:.0f} MB; "
              f"processes mapping a .gguf while generating: {mappers}")
        timed.until(lambda seen: any(r.id == request_id for r in seen))
        print(f"poll(): mean {statistics.mean(timed.poll_ms):.3f} ms, "
              f"max {max(timed.poll_ms):.3f} ms over {len(timed.poll_ms)} calls")
    finally:
        client.shutdown()


if __name__ == "__main__":
    main()
