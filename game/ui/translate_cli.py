"""`python main.py translate`: typed orders through the real pipeline, as JSON lines.

Part of the parent-side wiring (with the App), though it draws nothing: it
joins the language side (llm) to the game's command executor.

The same path as the game: the rules parser in this process, the model in its
own child process reached over the pipe (never an in-process shortcut), and
the commands checked against the standard new game (seed 7) by the same
executor the command bar uses. Unlike the game loop, this command may wait:
it waits for the model to be ready before the first order, so that `ms`
measures translation, not loading.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

from game import paths, sim
from game.commands import CommandExecutor
from game.world import World
from llm.client import LLMClient
from llm.profiles import validate_model_file
from llm.translator import Ticket, Translator

READY_TIMEOUT_S = 60.0
ORDER_TIMEOUT_S = 30.0
STANDARD_SEED = 7


def _wait_ready(client: LLMClient) -> None:
    deadline = time.perf_counter() + READY_TIMEOUT_S
    while client.state == "loading" and time.perf_counter() < deadline:
        client.poll()
        time.sleep(0.01)


def _finish(ticket: Ticket, translator: Translator, client: LLMClient | None) -> None:
    deadline = time.perf_counter() + ORDER_TIMEOUT_S
    while ticket.pending and client is not None:
        for result in client.poll():
            translator.handle(result)
        if ticket.pending and time.perf_counter() > deadline:
            translator.cancel(ticket.id)
        time.sleep(0.001)


def _checked(world: World, ticket: Ticket) -> str:
    """What the commands would do in the standard new game (nothing is executed)."""
    if not ticket.commands:
        return ticket.message
    outcomes = CommandExecutor(0).execute(world, ticket.commands, (), ticket.lang)
    world.pending_orders.clear()
    return " | ".join(o.text for o in outcomes)


def translate_lines(lines: Iterable[str], tier: str, model_path: str | None
                    ) -> Iterator[dict[str, object]]:
    client: LLMClient | None = None
    if tier != "rules" and model_path is not None:
        client = LLMClient(log_path=str(paths.log_path()))
        reason = validate_model_file(model_path)
        if reason is None:
            client.start(model_path)
            _wait_ready(client)
        else:
            print(f"model unavailable: {reason}", file=sys.stderr)
    translator = Translator(client, tier)
    world = sim.new_game(STANDARD_SEED)
    try:
        for line in lines:
            text = line.rstrip("\r\n")
            ticket = translator.submit(text)
            _finish(ticket, translator, client)
            result = ticket.as_json()
            result["message"] = _checked(world, ticket)
            yield result
    finally:
        if client is not None:
            client.shutdown()


def run(text: str | None, tier: str, model_path: str | None, out: TextIO = sys.stdout) -> int:
    lines: Iterable[str] = [text] if text is not None else sys.stdin
    for result in translate_lines(lines, tier, model_path):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0
