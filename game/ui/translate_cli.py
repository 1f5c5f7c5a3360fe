"""`python main.py translate`: typed orders through the real pipeline, as JSON lines.

Part of the parent-side wiring (with the App), though it draws nothing: it
joins the language side (llm) to the game's command executor.

The same path as the game: the rules parser in this process, the model in its
own child process reached over the pipe (never an in-process shortcut), and
the commands checked against the standard new game (seed 7) by the same
executor the command bar uses. `--cursor X,Y` and `--selection` stand for the
mouse and the selection, so that "here" and "these units" can be tried headless.
Unlike the game loop, this command may wait: it waits for the model to be ready
before the first order, so that `ms` measures translation, not loading.
Each line reports its `status`: ok (the game executes it), confirm (the game asks
"Did you mean ...?" first: the model's `confidence` is under its profile's
confirm_below) or refused; the rules tier's confidence is 1.0.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

from game import paths, sim
from game.commands import CommandExecutor, Pointing
from game.world import PLAYER, Building, Unit, World
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


class PointingError(ValueError):
    """A --cursor or --selection the standard game cannot stand for."""


def parse_cursor(text: str | None) -> tuple[float, float] | None:
    """"X,Y" in tiles -> the middle of that tile."""
    if text is None:
        return None
    try:
        x, y = (int(part) for part in text.split(","))
    except ValueError:
        raise PointingError(f"--cursor: expected X,Y in tiles, got {text!r}") from None
    return x + 0.5, y + 0.5


def parse_selection(world: World, text: str | None) -> tuple[int, ...]:
    """Entity ids, or type names standing for every unit or building of ours of that type."""
    chosen: list[int] = []
    for part in (p.strip() for p in (text or "").split(",") if p.strip()):
        if part.isdigit() and world.entity(int(part)) is not None:
            chosen.append(int(part))
            continue
        ours: list[Unit | Building] = [*world.units.values(), *world.buildings.values()]
        mine = [e.id for e in ours if e.owner == PLAYER and e.type.name == part]
        if not mine:
            raise PointingError(f"--selection: nothing of ours is {part!r}")
        chosen += mine
    return tuple(dict.fromkeys(chosen))


def _checked(world: World, ticket: Ticket, pointing: Pointing) -> str:
    """What the commands would do in the standard new game (nothing is executed)."""
    if not ticket.commands:
        return ticket.message
    outcomes = CommandExecutor(PLAYER).execute(world, ticket.commands, pointing.selection,
                                               ticket.lang, pointing)
    world.pending_orders.clear()
    return " | ".join(o.text for o in outcomes)


def translate_lines(lines: Iterable[str], tier: str, model_path: str | None,
                    cursor: str | None = None, selection: str | None = None
                    ) -> Iterator[dict[str, object]]:
    world = sim.new_game(STANDARD_SEED)
    pointing = Pointing(parse_selection(world, selection), parse_cursor(cursor))
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
    try:
        for line in lines:
            text = line.rstrip("\r\n")
            ticket = translator.submit(text)
            _finish(ticket, translator, client)
            result = ticket.as_json()
            result["message"] = _checked(world, ticket, pointing)
            yield result
    finally:
        if client is not None:
            client.shutdown()


def run(text: str | None, tier: str, model_path: str | None, out: TextIO = sys.stdout,
        cursor: str | None = None, selection: str | None = None) -> int:
    lines: Iterable[str] = [text] if text is not None else sys.stdin
    try:
        for result in translate_lines(lines, tier, model_path, cursor, selection):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            out.flush()
    except PointingError as error:
        print(error, file=sys.stderr)
        return 2
    return 0
