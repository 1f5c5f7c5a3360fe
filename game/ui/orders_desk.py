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

from game.commands import WAITING, CommandExecutor, Outcome, Pointing, UiRequest
from game.i18n import tr
from game.vocabulary import MAX_ORDER_CHARS
from game.world import World
from llm.translator import (
    CANCELLED,
    NOT_UNDERSTOOD,
    THINKING,
    UNDERSTOOD,
    AnsweredBy,
    Ticket,
    Translator,
)

MAX_ENTRIES = 30
MAX_HISTORY = 50
TICKET_STATES = (THINKING, UNDERSTOOD, NOT_UNDERSTOOD, CANCELLED)
LINE_STATES = ("done", "waiting", "partial", "refused", "analyze", "cancelled")
MAX_TEXT = 400  # characters of one restored log line: a save is not trusted


@dataclass
class LogEntry:
    ticket: Ticket
    selection: tuple[int, ...]  # what was selected when the order was typed
    outcomes: list[Outcome] = field(default_factory=list)
    pointing: Pointing | None = None  # the mouse, groups and last alert when it was typed

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
        self.ui_requests: list[UiRequest] = []  # UI commands for the interface to apply
        self._by_ticket: dict[int, LogEntry] = {}

    def submit(self, text: str, world: World, selection: tuple[int, ...],
               pointing: Pointing | None = None) -> LogEntry:
        text = text.strip()[:MAX_ORDER_CHARS]
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
        entry = LogEntry(self.translator.submit(text), selection, pointing=pointing)
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

    # -- saved games ---------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        """The log as the player sees it (each order's text, status and lines), for a save."""
        return {
            "entries": [{"text": e.ticket.text, "lang": e.ticket.lang,
                         "status": e.ticket.status, "tier": e.ticket.tier,
                         "message": e.ticket.message,
                         "lines": [[o.status, o.text] for o in e.outcomes]}
                        for e in self.entries],
            "history": list(self.history),
        }

    def restore(self, state: dict[str, Any]) -> None:
        """The log of a loaded game, every entry finished: nothing is thinking or followed
        after a load (an order still thinking, or a command still waiting, says it was
        stopped by the load). Anything malformed in the saved log is skipped."""
        entries = state.get("entries") if isinstance(state, dict) else None
        for i, saved in enumerate(entries if isinstance(entries, list) else []):
            # Negative ticket ids: never one the translator hands out to a new order.
            entry = _restored_entry(saved, -1 - i)
            if entry is not None:
                self.entries.append(entry)
        history = state.get("history") if isinstance(state, dict) else None
        for text in history if isinstance(history, list) else []:
            if isinstance(text, str):
                self.history.append(text[:MAX_ORDER_CHARS])

    def _execute(self, entry: LogEntry, world: World) -> None:
        if entry.ticket.status != "understood":
            return
        lang = entry.ticket.lang
        entry.outcomes = self.executor.execute(world, entry.ticket.commands, entry.selection,
                                               lang, entry.pointing)
        if any(o.status == "analyze" for o in entry.outcomes):
            self.analyze_requested = True
        self.ui_requests += [o.ui for o in entry.outcomes if o.ui is not None]


def _text(value: Any) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _restored_entry(saved: Any, ticket_id: int) -> LogEntry | None:
    if not isinstance(saved, dict) or saved.get("status") not in TICKET_STATES:
        return None
    lang: str = saved["lang"] if saved.get("lang") in ("en", "fr") else "en"
    status = saved["status"]
    tier: AnsweredBy = saved["tier"] if saved.get("tier") in ("rules", "llm") else "none"
    stopped = tr("log_stopped_by_load", lang)
    message = _text(saved.get("message"))
    if status == THINKING:
        status, message = CANCELLED, stopped
    ticket = Ticket(ticket_id, _text(saved.get("text")), lang, status, tier, message=message)
    ticket.finished_at = ticket.submitted_at
    outcomes = []
    lines = saved.get("lines")
    for line in lines if isinstance(lines, list) else []:
        if not isinstance(line, list) or len(line) != 2 or line[0] not in LINE_STATES:
            continue
        line_status, text = line[0], _text(line[1])
        if line_status == WAITING:  # nobody follows it any more: say so
            line_status, text = "cancelled", f"{text} ({stopped})"
        outcomes.append(Outcome({}, line_status, text))
    return LogEntry(ticket, (), outcomes)
