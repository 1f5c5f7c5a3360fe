"""How typed words fill the vocabulary's frames: the language side's one table.

game/vocabulary.FRAMES says which slots each action has and which values they
take. READINGS says how an order names them: for each lexicon verb class (or a
clause with no verb), the action it may mean, which kinds of words fill which
slot, what the verb itself says, and which slots must be named. A new phrasing is
a row here or a phrase in llm/lexicon.py, not code.

The rules parser reads the orders of the base and the interface (sell, repair,
cancel, rally, select, group, camera, pause, resume, speed) through `read` below,
which answers only when exactly one reading is complete; the model's guide
(llm/guide.py) takes each verb class's possible actions from the same rows, and
docs/COMMANDS.md lists their words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game import vocabulary

# Word kinds (llm/lexicon.py, after the parser's tidying) that name a place.
PLACE_KINDS = ("region", "place", "base", "here", "tile")
# Words a reading passes over: they say nothing a slot needs.
NEUTRAL_KINDS = frozenset({"filler", "adj", "mark", "article", "request"})


@dataclass(frozen=True)
class Reading:
    """One way to read a clause: its verb class and what fills the action's slots.

    `fills` maps a word kind to the slot it fills; a kind ending in "<" or ">" only
    fills it before or after the verb ("war factory rally at the barracks": the
    factory, then the place). A kind mapped to "" is understood and fills nothing
    ("sell it": the selection, the vocabulary's default)."""

    verb: str | None  # a lexicon verb class; None: a clause with no verb
    action: str
    fills: dict[str, str] = field(default_factory=dict)
    says: dict[str, Any] = field(default_factory=dict)  # slot values the verb itself gives
    needs: tuple[str, ...] = ()  # slots the clause must name itself
    counted: bool = True  # a number in the clause is its count


_PLACE = {kind: "target" for kind in PLACE_KINDS}
_OWN_BUILDING_PLACE = {"building": "target", **_PLACE}  # "tanks to the war factory"
_WHO = {"unit": "unit", "group": "unit", "generic": "unit"}
_BUILDINGS = {"building": "building", "pronoun": "", "this": "", **_PLACE}
# Word kinds only these readings take: the clause pipeline hands an order with one over.
TABLE_ONLY_KINDS = frozenset({"this"})

# The readings of the orders the old pipeline does not read (see `read`), then the
# verb classes of the others with the actions they may mean (the guide's table).
READINGS: tuple[Reading, ...] = (
    Reading("sell", "sell", _BUILDINGS),
    Reading("repair", "repair", _BUILDINGS),
    Reading("cancel", "cancel", {"unit": "item", "building": "item"}),
    Reading("rally", "rally", {"building<": "building", "building>": "target", **_PLACE},
            counted=False),
    # "les (nouvelles) unités de la caserne se rassemblent au centre": the factory's units,
    # said first.
    Reading("rally", "rally", {"generic<": "", "unit<": "", "more<": "", "building<": "building",
                               **_PLACE},
            needs=("building", "target"), counted=False),
    Reading("select", "select", {**_WHO, "ctrl": "unit", "region": "area", "base": "area",
                                 "here": "area", "filter": "filter"},
            needs=("unit",)),
    Reading("group", "group", {**_WHO, "ctrl": "group", "filter": "filter"}),
    Reading(None, "group", {**_WHO, "ctrl": "group", "filter": "filter"},
            needs=("group", "unit")),
    Reading("camera", "camera", _OWN_BUILDING_PLACE, counted=False),
    Reading("pause", "pause", counted=False),
    Reading("resume", "resume", counted=False),
    Reading("speed", "speed", {"speed": "speed"}, counted=False),
    Reading(None, "speed", {"speed": "speed"}, needs=("speed",), counted=False),
    # Read by the parser's clause pipeline (llm/parser.py): verb class -> action.
    # A building of ours is a place to go to ("tanks to the war factory", "defend the
    # refinery": the nearest one) where a reading fills "target" with it.
    Reading("move", "move", _OWN_BUILDING_PLACE), Reading("attack", "attack"),
    Reading("train", "train"), Reading("build", "build"), Reading("harvest", "harvest"),
    Reading("stop", "stop"), Reading("defend", "defend", _OWN_BUILDING_PLACE),
    Reading("analyze", "analyze"),
    Reading("retreat", "move", _OWN_BUILDING_PLACE,
            says={"target": vocabulary.PLACES[0]}),  # home by default
    Reading("hold", "defend", _OWN_BUILDING_PLACE, needs=("target",)),  # hold a place named
    Reading("hold", "stop"),  # otherwise stand still
    Reading("make", "build"), Reading("make", "train"),  # decided by the object
    Reading("want", "build"), Reading("want", "train"),
    Reading("put", "build"), Reading("put", "move"),  # a building is built, units go
)
# The actions `read` answers; every other one goes through the clause pipeline.
TABLE_ACTIONS = frozenset({"sell", "repair", "cancel", "rally", "select", "group", "camera",
                           "pause", "resume", "speed"})
TABLE_VERBS = frozenset(r.verb for r in READINGS if r.action in TABLE_ACTIONS) - {None}
# Word kinds that make a clause with no verb one of these orders ("groupe 3 : l'artillerie").
VERBLESS_KINDS = frozenset(kind for r in READINGS if r.verb is None for kind in r.fills
                           if kind not in _WHO)


# A move that can only mean another action, by (unit, target): the harvesters sent to
# the ore harvest it (162 to 0 in data/orders/; a move would leave them idle there).
MOVE_MEANS: dict[tuple[Any, Any], str] = {
    ("harvester", "ore"): "harvest",
}


def verb_actions() -> dict[str, set[str]]:
    """Each verb class and the actions it may mean (the model guide's table)."""
    table: dict[str, set[str]] = {}
    for reading in READINGS:
        if reading.verb is not None:
            table.setdefault(reading.verb, set()).add(reading.action)
    return table


def actions_for(verb: str, named: set[str]) -> set[str]:
    """What a verb class means, given the slots a clause names ({"target"}): the readings
    whose needs are met, those that need the most first ("hold the north" defends it,
    "hold" alone stops)."""
    met = [r for r in READINGS if r.verb == verb and set(r.needs) <= named]
    most = max((len(r.needs) for r in met), default=0)
    return {r.action for r in met if len(r.needs) == most}


def own_building_places() -> tuple[frozenset[str], frozenset[str]]:
    """The verb classes, and the actions, for which a building of ours is a place."""
    rows = [r for r in READINGS if r.fills.get("building") == "target"]
    return frozenset(r.verb for r in rows if r.verb), frozenset(r.action for r in rows)


def says(verb: str, key: str) -> Any:
    """The value a verb class gives a slot by default (`retreat`: home)."""
    return next((r.says[key] for r in READINGS if r.verb == verb and key in r.says), None)


class NoReading(Exception):
    """No reading of the table, or more than one, is complete."""


def _fill(reading: Reading, words: list[tuple[str, Any]], verb_at: int) -> dict[str, Any] | None:
    """The command `reading` makes of a clause's words, or None if a word fits no slot,
    a slot is named twice or a needed slot is missing."""
    command: dict[str, Any] = {"action": reading.action, **reading.says}
    for i, (kind, value) in enumerate(words):
        if kind == "verb":
            continue
        side = "<" if i < verb_at else ">"
        slot = reading.fills.get(kind + side, reading.fills.get(kind))
        if kind == "number" and reading.counted:
            slot = "count"
        elif kind == "all" and reading.counted:
            if reading.action in vocabulary.COUNT_DEFAULTS_TO_ONE:
                return None  # "sell all the turrets": more than the mouse does at once
            continue
        elif kind == "mine" or kind in NEUTRAL_KINDS:
            continue
        if slot is None or slot in command:
            return None
        if slot:
            command[slot] = _slot_value(reading, slot, kind, value)
        if slot == "target" and "@" in str(value):  # "north of my base": a side of it
            command["target"], _, command["side"] = str(value).partition("@")
    if any(key not in command for key in reading.needs):
        return None
    return command


def _slot_value(reading: Reading, slot: str, kind: str, value: Any) -> Any:
    if kind == "building" and slot == "target":
        return f"my_{value}"  # our own building of that type, the nearest
    if kind == "base":
        return vocabulary.PLACES[0]
    if kind == "ctrl" and slot == "unit":
        return None if value is None else f"group_{value}"  # "select group 2"
    if slot == "unit" and kind == "generic":
        return vocabulary.GROUP_NAMES[0]  # "select idle units": every one, not the selection
    return value


def read(words: list[tuple[str, Any]]) -> dict[str, Any]:
    """One clause's words (kind, value) -> the one command the table reads in them.
    Owners are given as kind "mine" (ours: fine) or "enemy" (no reading takes it)."""
    verbs = [(i, value) for i, (kind, value) in enumerate(words) if kind == "verb"]
    if len(verbs) > 1:
        raise NoReading
    verb_at, verb = verbs[0] if verbs else (len(words), None)
    complete = []
    for reading in READINGS:
        if reading.verb == verb and reading.action in TABLE_ACTIONS:
            command = _fill(reading, words, verb_at)
            if command is not None and command not in complete:  # one meaning, one reading
                complete.append(command)
    if len(complete) != 1:
        raise NoReading
    return complete[0]
