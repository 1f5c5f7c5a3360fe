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
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args

from game.i18n import tr
from game.vocabulary import (
    ACTION_TAKES_FILTER,
    HERE,
    Command,
    CommandError,
    as_dicts,
    canonical_list,
)
from llm import parser
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
            sure = ticket.confidence >= self.threshold(answer.get("confirm_below")) and \
                not unsaid_by_model(ticket.text, commands)
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


UNIT_WORDS = frozenset({"unit", "group", "generic"})
DEIXIS_WORDS = frozenset({"here", "this"})
Items = list[parser.Item]


def unsaid_by_model(text: str, commands: list[Command]) -> bool:
    """Whether the model's commands, however sure, cannot be what the order says (each
    check below says what it catches and what it cost on the corpus): the player is
    asked "Did you mean ...?" instead."""
    items = parser.tidy(parser.lex(text))
    return any(check(items, commands) for check in _UNSAID_CHECKS)


def _dropped_filter(items: Items, commands: list[Command]) -> bool:
    """A filter beside the units ("the idle soldiers"), which the compact format cannot
    write: 53 of the corpus's 58 such orders that the model sees meant it."""
    beside_units = any(
        item.kind == "filter" and any(
            0 <= k < len(items) and items[k].kind in UNIT_WORDS for k in (i - 1, i + 1))
        for i, item in enumerate(items))
    return beside_units and any(c.action in ACTION_TAKES_FILTER and c.filter is None
                                for c in commands)


def _dropped_side(items: Items, commands: list[Command]) -> bool:
    """A place beside another ("north of my base"): all 9 such corpus orders meant it."""
    side = any(item.kind == "place" and parser.SIDE_MARK in str(item.value) for item in items)
    return side and not any(c.side for c in commands)


def _dropped_area(items: Items, commands: list[Command]) -> bool:
    """A selection that names a place keeps only the units there ("choisis les
    collecteurs au nord-est"): all 9 such corpus orders meant it."""
    where = any(item.kind in ("region", "tile", "base") for item in items)
    return where and all(c.action in ("select", "group") and c.area is None
                         for c in commands)


def _unpointed_here(items: Items, commands: list[Command]) -> bool:
    """The mouse's point ("here") while the order has no pointing word: 330 of the
    corpus's 336 orders meaning "here" have one."""
    pointing = any(item.kind in DEIXIS_WORDS for item in items)
    return not pointing and any(HERE in (c.target, c.area) for c in commands)


def _repeated_purchase(items: Items, commands: list[Command]) -> bool:
    """The same training or build twice over, of a type the order names once ("build a
    power plant and uh yeah" is one): the model repeating itself spends twice. No order
    of the corpus names a type once and means the same purchase twice."""
    named = Counter(item.value for item in items if item.kind in ("unit", "building"))
    made = Counter(c for c in commands if c.action in ("train", "build"))
    return any(n > 1 and named[c.unit or c.building] <= 1 for c, n in made.items())


def _unnamed_purchase(items: Items, commands: list[Command]) -> bool:
    """A training, a building or a sale of a type the order never names ("sell 3
    buildings" is no order to sell the HQ): credits are spent or a building lost on a
    guess, so the player is asked. On the corpus, the orders the
    model sees name the type in 226 of 229 trainings, 205 of 222 builds and 57 of 59
    sales (the rest describe it: "the thing that gives us electricity")."""
    units = {item.value for item in items if item.kind == "unit"}
    buildings = {item.value for item in items if item.kind == "building"}
    for c in commands:
        if (c.action == "train" and c.unit not in units) or (
                c.action in ("build", "sell") and c.building not in buildings | {None, "selected"}):
            return True
    return False


def _uncounted_cancel(items: Items, commands: list[Command]) -> bool:
    """One item cancelled where the order gives no count ("annule les tourelles en
    construction" is all of them): the model's habit; work paid for is lost."""
    counted = any(item.kind in ("number", "article", "another") for item in items)
    return not counted and any(c.action == "cancel" and c.count == 1 for c in commands)


_UNSAID_CHECKS = (_dropped_filter, _dropped_side, _dropped_area, _unpointed_here,
                  _unnamed_purchase, _repeated_purchase, _uncounted_cancel)


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
