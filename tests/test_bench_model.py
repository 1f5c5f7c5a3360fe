"""The benchmark with the model process: the figures exist, there is exactly one
model process, and frame pacing holds while the model generates.

Speeds are compared as ratios between two runs of the same length on the same
machine in the same test, never against absolute times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from llm.profiles import resolve_model_path, validate_model_file

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    validate_model_file(resolve_model_path()) is not None,
    reason="the default model is not in models/ (run `python main.py setup-model`)")


def bench(*flags: str) -> dict:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "bench", *flags],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_frames_hold_while_the_model_generates() -> None:
    quiet = bench("--seconds", "10", "--no-model")
    loaded = bench("--seconds", "10", "--llm-load")
    assert quiet["model_processes"] == 0
    assert loaded["model_processes"] == 1
    llm = loaded["llm"]
    assert llm["answered"] >= 5 and llm["failed"] == 0
    assert loaded["rss_mb"]["model"] > 100
    # The model runs in its own process on the other core: the game keeps its pace.
    assert loaded["fps"] >= 0.95 * quiet["fps"]
    assert loaded["frame_ms"]["p95"] <= 1.25 * quiet["frame_ms"]["p95"]


def test_typed_orders_and_advisor_in_a_bench_run() -> None:
    result = bench("--seconds", "20", "--orders", "--ai-vs-ai")
    orders = result["orders"]
    assert orders["typed"] >= 4 and orders["finished"] >= orders["typed"] - 1
    assert orders["by_tier"]["llm"] >= 1 and orders["by_tier"]["rules"] >= 1
    llm_examples = [e for e in orders["examples"] if e["tier"] == "llm"]
    assert llm_examples and all(e["commands"] for e in llm_examples)
    advisor = result["advisor"]
    assert advisor["heuristic_updates"] >= 5 and advisor["last_summary"]
    assert advisor["model_updates"] + advisor["model_discarded"] >= 1
