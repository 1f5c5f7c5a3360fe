"""The type checker over game/ and llm/ (configuration in pyproject.toml [tool.mypy])."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import get_args

from game import orders
from llm import translator

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_passes_over_game_and_llm() -> None:
    run = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def test_order_kinds_and_ticket_statuses_are_closed_sets() -> None:
    assert set(orders.KINDS) == set(get_args(orders.OrderKind))
    assert set(orders.UNIT_ORDERS) <= set(orders.KINDS)
    assert {translator.THINKING, translator.UNDERSTOOD, translator.NOT_UNDERSTOOD,
            translator.CANCELLED, translator.CONFIRM} == set(get_args(translator.TicketStatus))
