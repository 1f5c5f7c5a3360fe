"""Typed orders from the command bar to the game: translate, execute, log.

No drawing here: the desk joins the translator (rules parser, then the model
process) to the command executor (checks against the game, issues Orders) and
keeps the command log the player sees. Every typed order gets a log entry whose
status moves from "thinking" to what it became; nothing is dropped silently.
Builds and trains stay "waiting" until they are done (the executor updates their
outcomes in place every tick), and an order that was only partly carried out
is "partial", never "done".
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from game.commands import CommandExecutor, Outcome
from game.vocabulary import MAX_ORDER_CHARS
from game.world import World
from llm.translator import CANCELLED, NOT_UNDERSTOOD, THINKING, Ticket, Translator

MAX_ENTRIES = 30
MAX_HISTORY = 50


@dataclass
class LogEntry:
    ticket: Ticket
    selection: tuple[int, ...]  # what was selected when the order was typed
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def status(self) -> str:
        """thinking | done | waiting | partial | refused | not_understood | cancelled."""
        if self.ticket.status in (THINKING, NOT_UNDERSTOOD, CANCELLED):
            return self.ticket.status
        states = {o.status for o in self.outcomes}
        if "waiting" in states:
            return "waiting"
        if states and states <= {"refused"}:
            return "refused"
        if states <= {"done", "analyze"}:
            return "done"
        return "partial"  # some done, some refused or cut short

    @property
    def lines(self) -> list[tuple[str, str]]:
        """(status, text) for each command, or the reason it was not understood."""
        if self.ticket.status != "understood":
            return [(self.status, self.ticket.message)] if self.ticket.message else []
        return [(o.status, o.text) for o in self.outcomes]


class OrderDesk:
    def __init__(self, translator: Translator, player: int = 0) -> None:
        self.translator = translator
        self.executor = CommandExecutor(player)
        self.entries: deque[LogEntry] = deque(maxlen=MAX_ENTRIES)
        self.history: deque[str] = deque(maxlen=MAX_HISTORY)
        self.analyze_requested = False  # set by an "analyze" command, read by the advisor
        self._by_ticket: dict[int, LogEntry] = {}

    def submit(self, text: str, world: World, selection: tuple[int, ...]) -> LogEntry:
        text = text.strip()[:MAX_ORDER_CHARS]
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
        entry = LogEntry(self.translator.submit(text), selection)
        self.entries.append(entry)
        if entry.ticket.pending:
            self._by_ticket[entry.ticket.id] = entry
        else:
            self._execute(entry, world)
        return entry

    def on_model_result(self, result: Any, world: World) -> bool:
        """Give the desk a finished model request; True if it was one of its orders."""
        ticket = self.translator.handle(result)
        if ticket is None:
            return False
        entry = self._by_ticket.pop(ticket.id, None)
        if entry is not None:
            self._execute(entry, world)
        return True

    def on_tick(self, world: World) -> None:
        """Follow the commands still waiting (their log lines change in place)."""
        self.executor.tick(world)

    def cancel_latest(self) -> bool:
        """Cancel the newest order still thinking (Esc / the log's cancel button)."""
        for entry in reversed(self.entries):
            if entry.ticket.pending:
                return self.cancel(entry)
        return False

    def cancel(self, entry: LogEntry) -> bool:
        if not entry.ticket.pending:
            return False
        self._by_ticket.pop(entry.ticket.id, None)
        return self.translator.cancel(entry.ticket.id)

    @property
    def thinking(self) -> int:
        return sum(1 for e in self.entries if e.ticket.pending)

    def _execute(self, entry: LogEntry, world: World) -> None:
        if entry.ticket.status != "understood":
            return
        lang = entry.ticket.lang
        entry.outcomes = self.executor.execute(world, entry.ticket.commands, entry.selection,
                                               lang)
        if any(o.status == "analyze" for o in entry.outcomes):
            self.analyze_requested = True
