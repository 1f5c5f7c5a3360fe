"""Typed orders from the command bar to the game: translate, execute, log.

No drawing here: the desk joins the translator (rules parser, then the model
process) to the command executor (checks against the game, issues Orders) and
keeps the command log the player sees. Every typed order gets a log entry whose
status moves from "thinking" to what it became; nothing is dropped silently.
Builds and trains stay "waiting" until they are done (the executor updates their
outcomes in place every tick), and an order that was only partly carried out
is "partial", never "done". A translation the model is unsure of ("confirm") is
not executed: its entry asks "Did you mean: ...?" until the player answers
(`answer`: Enter = yes, Esc = no) or types another order, which drops the question.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any, get_args

from game.commands import WAITING, CommandExecutor, Outcome, OutcomeStatus, Pointing, UiRequest
from game.i18n import name, tr
from game.rules import UNIT_TYPES
from game.vocabulary import MAX_ORDER_CHARS, Command, CommandError, as_dicts, canonical_list
from game.world import World
from llm.translator import (
    CANCELLED,
    CONFIRM,
    NOT_UNDERSTOOD,
    THINKING,
    UNDERSTOOD,
    AnsweredBy,
    Ticket,
    Translator,
)

MAX_ENTRIES = 30
MAX_HISTORY = 50
TICKET_STATES = (THINKING, UNDERSTOOD, NOT_UNDERSTOOD, CANCELLED, CONFIRM)
LINE_STATES = get_args(OutcomeStatus)
MAX_TEXT = 400  # characters of one restored log line: a save is not trusted


@dataclass
class LogEntry:
    ticket: Ticket
    selection: tuple[int, ...]  # what was selected when the order was typed
    outcomes: list[Outcome] = field(default_factory=list)
    pointing: Pointing | None = None  # the mouse, groups and last alert when it was typed

    @property
    def status(self) -> str:
        """thinking | confirm | done | waiting | partial | refused | not_understood |
        cancelled."""
        if self.ticket.status in (THINKING, NOT_UNDERSTOOD, CANCELLED, CONFIRM):
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
        """(status, text) for each command, or the reason it was not understood (or the
        question asked about it)."""
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
        self._drop_question()  # a new order is the player's answer: not that one
        entry = LogEntry(self.translator.submit(text), selection, pointing=pointing)
        self.entries.append(entry)
        if entry.ticket.pending:
            self._by_ticket[entry.ticket.id] = entry
        else:
            self._settle(entry, world)
        return entry

    def on_model_result(self, result: Any, world: World) -> bool:
        """Give the desk a finished model request; True if it was one of its orders."""
        ticket = self.translator.handle(result)
        if ticket is None:
            return False
        entry = self._by_ticket.pop(ticket.id, None)
        if entry is not None:
            self._settle(entry, world)
        return True

    # -- asking before executing a guess ---------------------------------------------------
    @property
    def question(self) -> LogEntry | None:
        """The order waiting for the player's yes or no (one at a time: the newest)."""
        for entry in reversed(self.entries):
            if entry.ticket.status == CONFIRM:
                return entry
        return None

    def answer(self, yes: bool, world: World) -> LogEntry | None:
        """The player's answer to the pending question: yes executes exactly the commands
        it asked about (checked against the game like any order), no drops them with a
        log line. None when nothing was asked."""
        entry = self.question
        if entry is None:
            return None
        ticket = entry.ticket
        if yes:
            ticket.status, ticket.message = UNDERSTOOD, ""
            self._execute(entry, world)
        else:
            ticket.status = CANCELLED
            ticket.message = tr("confirm_declined", ticket.lang,
                                order=describe(ticket.commands, ticket.lang))
        return entry

    def _drop_question(self, keep: LogEntry | None = None) -> None:
        """Questions left unanswered are not done, and the log says so."""
        for entry in self.entries:
            ticket = entry.ticket
            if ticket.status == CONFIRM and entry is not keep:
                ticket.status = CANCELLED
                ticket.message = tr("confirm_dropped", ticket.lang,
                                    order=describe(ticket.commands, ticket.lang))

    def _settle(self, entry: LogEntry, world: World) -> None:
        """A finished translation: executed, asked about, or left as not understood."""
        ticket = entry.ticket
        if ticket.status == CONFIRM:
            self._drop_question(keep=entry)  # one question at a time: the newest
            ticket.message = tr("confirm_question", ticket.lang,
                                order=describe(ticket.commands, ticket.lang))
        else:
            self._execute(entry, world)

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
        """The log as the player sees it (each order's text, status and lines), for a save;
        a pending question keeps its commands and what the player pointed at, so that
        Enter still executes it after a load."""
        return {
            "entries": [_saved_entry(e) for e in self.entries],
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
        self._drop_question(keep=self.question)  # a save holds one question at most
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


def describe(commands: list[Command], lang: str) -> str:
    """Canonical commands in words, as the log words what they became (the same did_*
    messages), before anything is checked against the game: "attack enemy Power Plant
    with helicopters"."""
    return tr("confirm_then", lang).join(_described(c, lang) for c in commands)


def _described(command: Command, lang: str) -> str:
    action = command.action
    units = _units_label(command, lang)
    place = _place_label(command, lang)
    what = name(command.building, lang) if command.building else \
        tr("buildings_word", lang)
    if action in ("move", "attack", "defend"):
        return tr("did_" + action, lang, units=units, target=place)
    if action in ("harvest", "stop", "select"):
        return tr("did_" + action, lang, units=units)
    if action == "group":
        return tr("did_group", lang, units=units, group=command.group)
    if action == "train":
        unit, count = command.unit or "", command.count or 1
        maker = UNIT_TYPES[unit].produced_by if unit in UNIT_TYPES else ""
        return tr("did_train", lang, count=count, unit=name(unit, lang, count),
                  building=name(maker, lang))
    if action == "build":
        text = tr("did_build", lang, building=_counted(what, command.count))
        return f"{text} → {place}" if place else text
    if action in ("sell", "repair"):
        text = tr("did_" + action, lang, what=_counted(what, command.count))
        return f"{text} ({place})" if place else text
    if action == "rally":
        return tr("did_rally", lang, what=what, target=place)
    if action == "cancel":
        item, wanted = command.item or "", command.count
        return " ".join(tr("did_cancel", lang, count=wanted or "",
                           item=name(item, lang, wanted)).split())
    if action == "camera":
        return tr("did_camera", lang, target=place)
    if action == "speed":
        return tr("did_speed_" + str(command.speed), lang)
    if action in ("analyze", "pause", "resume"):
        return tr("did_" + action, lang)
    return str(action)


def _counted(label: str, count: Any) -> str:
    return f"{count} × {label}" if isinstance(count, int) and count > 1 else label


def _units_label(command: Command, lang: str) -> str:
    unit, count = command.unit, command.count
    if not unit:
        return ""
    label = name(unit, lang, count if isinstance(count, int) else None)
    if isinstance(count, int) and unit in UNIT_TYPES:
        label = f"{count} {label}"
    narrowed = [name(k, lang) for k in (command.filter, command.area) if k]
    return f"{label} ({', '.join(narrowed)})" if narrowed else label


def _place_label(command: Command, lang: str) -> str:
    target = command.target
    if not target:
        return ""
    label = name(target, lang)
    side = command.side
    return tr("side_of_" + side, lang, target=label) if side else label


def _text(value: Any) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _saved_entry(entry: LogEntry) -> dict[str, Any]:
    ticket = entry.ticket
    saved: dict[str, Any] = {"text": ticket.text, "lang": ticket.lang,
                             "status": ticket.status, "tier": ticket.tier,
                             "message": ticket.message,
                             "lines": [[o.status, o.text] for o in entry.outcomes]}
    if ticket.status == CONFIRM:
        pointing = entry.pointing or Pointing(entry.selection)
        saved.update(commands=as_dicts(ticket.commands),
                     confidence=ticket.confidence,
                     selection=list(entry.selection), pointing=_saved_pointing(pointing))
    return saved


def _saved_pointing(pointing: Pointing) -> dict[str, Any]:
    return {"selection": list(pointing.selection),
            "cursor": list(pointing.cursor) if pointing.cursor else None,
            "groups": {str(n): list(ids) for n, ids in pointing.groups.items()},
            "last_alert": list(pointing.last_alert) if pointing.last_alert else None}


MAX_SAVED_IDS = 500  # entity ids in one saved selection or group: a save is not trusted


def _ids(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value[:MAX_SAVED_IDS] if isinstance(v, int) and
                 not isinstance(v, bool) and v >= 0)


def _point(value: Any) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) != 2 or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and
            math.isfinite(v) for v in value):
        return None
    return float(value[0]), float(value[1])


def _restored_pointing(value: Any) -> Pointing:
    saved = value if isinstance(value, dict) else {}
    groups = saved.get("groups")
    return Pointing(
        _ids(saved.get("selection")), _point(saved.get("cursor")),
        {int(n): _ids(ids) for n, ids in (groups.items() if isinstance(groups, dict) else ())
         if isinstance(n, str) and n.isdigit() and len(n) <= 2},
        _point(saved.get("last_alert")))


def _restored_question(saved: dict[str, Any], ticket: Ticket) -> LogEntry:
    """A question still pending in a save: asked again, about exactly the same commands
    (checked again by the vocabulary), and answered as before the save."""
    commands = saved.get("commands")
    try:
        if not isinstance(commands, list) or not commands:
            raise CommandError("not_a_command")
        ticket.commands = canonical_list(commands)
    except (CommandError, TypeError, AttributeError):
        ticket.status, ticket.message = CANCELLED, tr("log_stopped_by_load", ticket.lang)
        return LogEntry(ticket, ())
    confidence = saved.get("confidence")
    if isinstance(confidence, (int, float)) and not isinstance(confidence, bool) and \
            0.0 <= confidence <= 1.0:
        ticket.confidence = float(confidence)
    ticket.message = tr("confirm_question", ticket.lang,
                        order=describe(ticket.commands, ticket.lang))
    pointing = _restored_pointing(saved.get("pointing"))
    return LogEntry(ticket, _ids(saved.get("selection")), pointing=pointing)


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
    if status == CONFIRM:
        return _restored_question(saved, ticket)
    outcomes = []
    lines = saved.get("lines")
    for line in lines if isinstance(lines, list) else []:
        if not isinstance(line, list) or len(line) != 2 or line[0] not in LINE_STATES:
            continue
        line_status, text = line[0], _text(line[1])
        if line_status == WAITING:  # nobody follows it any more: say so
            line_status, text = "cancelled", f"{text} ({stopped})"
        outcomes.append(Outcome(None, line_status, text))
    return LogEntry(ticket, (), outcomes)
