"""The short soak (3 minutes of game time) through the real App loop with the real model:
AI vs AI, a typed order every 5 game seconds, the advisor on, replays verified.
`make soak` runs the 2-hour version (scripts/soak.py); docs/RELIABILITY.md has the figures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from llm.client import LATENCY_WINDOW
from llm.profiles import resolve_model_path, validate_model_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import soak  # noqa: E402

pytestmark = pytest.mark.skipif(
    validate_model_file(resolve_model_path()) is not None,
    reason="the default model is not in models/ (run `python main.py setup-model`)")


def test_a_short_soak_loses_no_order_and_stays_bounded(tmp_path: Path) -> None:
    result = soak.run(3.0, seed=7, out_dir=tmp_path, verify_replays=True)
    orders = result["orders"]
    assert orders["typed"] > 20 and orders["logged"] == orders["typed"]
    assert orders["still_thinking"] == 0, orders
    assert result["frame_errors"] == 0
    assert result["replays_verified"] and all(v["exit"] == 0
                                              for v in result["replays_verified"]), result
    tables = result["tables_max"]
    assert tables["client_queue"] <= 32 and tables["client_latencies"] <= LATENCY_WINDOW
    assert tables["translator_tickets"] <= 64 and tables["log_entries"] <= 30
