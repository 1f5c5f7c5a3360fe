"""Typed order -> command list: the rules parser first, the model second.

Runs in the game's (parent) process and never waits: `submit` answers at once
when the rules parser understands the order, and otherwise sends it to the
model process and returns a ticket in the "thinking" state. The game feeds the
client's finished "translate" results to `handle`, which completes the ticket.
Orders are never dropped silently: every ticket ends understood, not
understood (with a reason in the player's language) or cancelled. A model
translation less confident than the profile's `confirm_below` ends "confirm":
understood, but to be executed only once the player says yes (game.ui.orders_desk).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args

from game.i18n import tr
from game.vocabulary import Command, CommandError, as_dicts, canonical_list
from llm import parser
from llm.answer_checks import review
from llm.profiles import Profile, profile_named
from llm.protocol import TRANSLATE

LOG = logging.getLogger(__name__)
TicketStatus = Literal["thinking", "understood", "not_understood", "cancelled", "confirm"]
THINKING, UNDERSTOOD, NOT_UNDERSTOOD, CANCELLED, CONFIRM = get_args(TicketStatus)
# What `main.py translate` and the evaluation scripts report of a finished ticket.
Outcome = Literal["ok", "confirm", "refused"]
Tier = Literal["auto", "rules", "llm"]  # which translators may answer
AnsweredBy = Literal["rules", "llm", "none"]  # which one did
TIERS: tuple[Tier, ...] = get_args(Tier)
MAX_TICKETS = 64  # finished tickets kept for the command log


class ModelClient(Protocol):
    """What the translator needs of llm.client.LLMClient."""

    @property
    def state(self) -> str: ...

    def submit(self, kind: str, payload: dict[str, Any]) -> int: ...

    def cancel(self, request_id: int, reason: str = ...) -> bool: ...


@dataclass
class Ticket:
    """One typed order and what became of it."""

    id: int
    text: str
    lang: str
    status: TicketStatus = "thinking"
    tier: AnsweredBy = "none"
    commands: list[Command] = field(default_factory=list)
    message: str = ""  # why it was not understood, in the order's language
    submitted_at: float = field(default_factory=time.perf_counter)
    finished_at: float | None = None
    request_id: int | None = None  # the model request, while thinking
    timings: dict[str, float] = field(default_factory=dict)
    confidence: float = 1.0  # the model's (llm.engine.confidence); the rules tier is sure

    @property
    def ms(self) -> float:
        end = self.finished_at if self.finished_at is not None else time.perf_counter()
        return round((end - self.submitted_at) * 1000.0, 2)

    @property
    def pending(self) -> bool:
        return self.status == THINKING

    @property
    def outcome(self) -> Outcome:
        """ok: to be executed; confirm: to be asked about first; refused: nothing to do."""
        if self.status == UNDERSTOOD:
            return "ok"
        return "confirm" if self.status == CONFIRM else "refused"

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "commands": as_dicts(self.commands),
                "tier": self.tier,
                "status": self.outcome, "confidence": self.confidence,
                "message": self.message, "ms": self.ms}


class Translator:
    def __init__(self, client: ModelClient | None, tier: str = "auto",
                 confirm_below: float | None = None) -> None:
        """`confirm_below`: the confidence under which a model translation is asked
        about; None = the running model's profile says."""
        if tier not in TIERS:
            raise ValueError(f"tier must be one of {TIERS}")
        self.client = client
        self.tier: Tier = tier
        self.confirm_below = confirm_below
        self.tickets: deque[Ticket] = deque(maxlen=MAX_TICKETS)
        self._by_request: dict[int, Ticket] = {}
        self._next = 1

    def submit(self, text: str) -> Ticket:
        ticket = Ticket(self._next, text, parser.detect_language(text))
        self._next += 1
        self.tickets.append(ticket)
        result = parser.parse(text)
        ticket.lang = result.lang
        if self.tier != "llm" and (result.status != "unknown" or self.tier == "rules"):
            self._finish_from_rules(ticket, result)
        else:
            self._ask_model(ticket)
        return ticket

    def _finish_from_rules(self, ticket: Ticket, result: parser.ParseResult) -> None:
        if result.status == "ok":
            self._finish(ticket, UNDERSTOOD, "rules", result.commands)
        elif result.status == "unknown":
            self._finish(ticket, NOT_UNDERSTOOD, "none", message=tr("not_understood", ticket.lang))
        else:
            self._finish(ticket, NOT_UNDERSTOOD, "rules", message=result.message() or "")

    def _ask_model(self, ticket: Ticket) -> None:
        if self.client is None:
            self._finish(ticket, NOT_UNDERSTOOD, "none",
                         message=tr("model_unavailable", ticket.lang))
            return
        request_id = self.client.submit(TRANSLATE, {"text": ticket.text})
        ticket.request_id = request_id
        self._by_request[request_id] = ticket

    def handle(self, result: Any) -> Ticket | None:
        """Complete the ticket a finished model request belongs to (None if not ours)."""
        ticket = self._by_request.pop(result.id, None)
        if ticket is None or not ticket.pending:
            return None
        ticket.timings = dict(result.timings)
        if result.status == "cancelled":
            self._finish(ticket, CANCELLED, "llm", message=tr("order_cancelled", ticket.lang))
        elif not result.ok:
            LOG.info("order %r not translated by the model: %s", ticket.text[:60], result.reason)
            # why: off, queue full, too slow, stopped or a model error (llm.client)
            key = getattr(result, "message_key", "model_unavailable")
            self._finish(ticket, NOT_UNDERSTOOD, "none", message=tr(key, ticket.lang))
        else:
            self._finish_from_model(ticket, result.result or {})
        return ticket

    def _finish_from_model(self, ticket: Ticket, answer: dict[str, Any]) -> None:
        try:
            commands = canonical_list(list(answer.get("commands") or []))
        except CommandError as error:  # never trust the other process blindly
            commands, answer = [], {"message": error.key}
        ticket.confidence = _confidence(answer.get("confidence"))
        if commands:
            commands, unsaid = review(ticket.text, commands)
            sure = ticket.confidence >= self.threshold(answer.get("confirm_below")) and not unsaid
            self._finish(ticket, UNDERSTOOD if sure else CONFIRM, "llm", commands)
        else:
            key = answer.get("message") or "not_a_command"
            self._finish(ticket, NOT_UNDERSTOOD, "llm", message=tr(key, ticket.lang))

    def threshold(self, from_model: Any = None) -> float:
        """The confidence a model translation needs to be executed without asking:
        set here, else the one the model process calibrated for its model and adapter,
        else its profile's."""
        if self.confirm_below is not None:
            return self.confirm_below
        if isinstance(from_model, (int, float)) and 0.0 <= from_model <= 1.0:
            return float(from_model)
        profile = getattr(self.client, "profile_name", "") or ""
        model = getattr(self.client, "model_name", "") or ""
        if not profile and not model:
            return Profile("", "", "").confirm_below
        return profile_named(profile, model).confirm_below

    def cancel(self, ticket_id: int) -> bool:
        """Cancel an order still waiting for the model."""
        ticket = next((t for t in self.tickets if t.id == ticket_id and t.pending), None)
        if ticket is None:
            return False
        if ticket.request_id is not None and self.client is not None:
            self._by_request.pop(ticket.request_id, None)
            self.client.cancel(ticket.request_id, "Cancelled by the player.")
        self._finish(ticket, CANCELLED, ticket.tier, message=tr("order_cancelled", ticket.lang))
        return True

    def cancel_all(self) -> int:
        """Cancel every order still waiting for the model (the match is being left):
        the model drops their requests and each log line ends. Returns how many."""
        waiting = [t.id for t in self.tickets if t.pending]
        return sum(self.cancel(ticket_id) for ticket_id in waiting)

    def _finish(self, ticket: Ticket, status: TicketStatus, tier: AnsweredBy,
                commands: list[Command] | None = None, message: str = "") -> None:
        ticket.status, ticket.tier = status, tier
        ticket.commands = commands or []
        ticket.message = message
        ticket.finished_at = time.perf_counter()
        ticket.request_id = None


def _confidence(value: Any) -> float:
    """The model's confidence as sent over the pipe. An answer without one (a model
    process from before confidences) is taken as sure, as it always was; anything
    that is not a number in [0, 1] counts as unsure."""
    if value is None:
        return 1.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not 0.0 <= value <= 1.0:  # NaN too
        return 0.0
    return float(value)
