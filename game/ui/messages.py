"""Turning message keys and simulation events into sentences in the player's language."""

from __future__ import annotations

from game.i18n import NAMES, name, tr
from game.orders import Rejection
from game.world import Event

NAME_PARAMS = ("building", "unit", "item", "what")  # parameters that hold a type name


def say(message_key: str, lang: str, /, **params: object) -> str:
    """tr() with unit and building names in the parameters translated too."""
    for param in NAME_PARAMS:
        value = params.get(param)
        if isinstance(value, str) and value in NAMES:
            params[param] = display_name(value, lang)
    return tr(message_key, lang, **params)


def display_name(key: str, lang: str) -> str:
    """One unit or building, capitalised: "Tank", "Power Plant", "Centrale"."""
    text = name(key, lang, count=1)
    return text[:1].upper() + text[1:]


def rejection_text(rejection: Rejection, lang: str) -> str:
    return say(rejection.key, lang, **rejection.params)


# Events the player hears about in the message line: kind -> message key.
EVENT_MESSAGES = {
    "unit_ready": "msg_unit_ready",
    "construction_ready": "msg_construction_ready",
    "under_attack": "msg_under_attack",
    "building_sold": "msg_building_sold",
    "cancelled": "msg_cancelled",
    "insufficient_funds": "msg_insufficient_funds",
    "repaired": "msg_repaired",
}


def event_text(event: Event, lang: str) -> str | None:
    if event.kind == "order_rejected":
        return say(str(event.data.get("key", "bad_order")), lang,
                   **dict(event.data.get("params") or {}))
    key = EVENT_MESSAGES.get(event.kind)
    if key is None:
        return None
    return say(key, lang, **event.data)
