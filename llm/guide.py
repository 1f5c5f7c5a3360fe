"""What an order names, clause by clause: the evidence that steers constrained decoding.

The 270M base model alone maps orders to slot values poorly (it mostly copies
its few-shot examples: about a quarter of the dev set right), so the decoder
only lets it choose among the candidates the order's own words name, wherever
they name some, and lets it choose freely where they name none. The words are
read with the rules parser's lexer (llm.lexer.lex and tidy, llm/lexicon.py:
one table of English/French words, typo correction included), but tolerantly:
the model takes exactly the orders the parser could not fully understand, so
no structure is required here, only which values each clause mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from game import vocabulary as vocab
from llm import compact, frames, lexer, lexicon

# Verb classes of the lexicon -> the actions they may mean (llm/frames.py's table).
VERB_ACTIONS: dict[str, set[str]] = frames.verb_actions()
# Verb classes that give way to a more specific one in the same clause (as in the parser).
WEAK_VERBS = {*lexicon.WEAK_VERB_CLASSES, "make"}
# Actions for which a building of ours is a place ("tanks to the war factory").
OWN_BUILDING_TARGETS = frames.own_building_places()[1]
NOUN_KINDS = lexicon.NOUN_KINDS


@dataclass
class Clause:
    """The values one part of an order names (an order gives one command per clause)."""

    actions: set[str] = field(default_factory=set)
    units: set[str] = field(default_factory=set)
    buildings: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)  # regions, places and enemy_X
    counts: set[int] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)  # control groups: "group 2"
    speeds: set[str] = field(default_factory=set)  # "faster", "plus vite"
    verbs: set[str] = field(default_factory=set)  # the lexicon verb classes said

    def names_things(self) -> bool:
        return bool(self.units or self.buildings or self.targets)

    def empty(self) -> bool:
        return not (self.actions or self.counts or self.groups or self.speeds
                    or self.names_things())

    def merge(self, other: Clause) -> None:
        for slot in fields(self):  # every slot is a set of values
            setattr(self, slot.name, getattr(self, slot.name) | getattr(other, slot.name))


def _add_noun(clause: Clause, item: lexer.Item, owner: str | None) -> None:
    if item.kind == "base":
        clause.targets.add("enemy_base" if owner == "enemy" else "my_base")
    elif item.kind == "place":
        clause.targets.add(item.value.partition("@")[0])  # the format writes no side
    elif owner == "enemy" and item.kind in ("unit", "building"):
        clause.targets.add(f"enemy_{item.value}")
    elif item.kind in ("unit", "group"):
        clause.units.add(item.value)
    elif item.kind == "building":
        clause.buildings.add(item.value)


def _add(clause: Clause, items: list[lexer.Item], i: int) -> None:
    item = items[i]
    if item.kind == "verb":
        clause.actions |= VERB_ACTIONS.get(item.value, set())
        clause.verbs.add(item.value)
    elif item.kind == "number" and 1 <= item.value <= vocab.MAX_COUNT:
        clause.counts.add(item.value)
        before = items[i - 1] if i else None
        if before is not None and before.kind == "number" and (
                1 <= before.value * item.value <= vocab.MAX_COUNT):
            clause.counts.add(before.value * item.value)  # "two dozen", "deux douzaines"
    elif item.kind in ("region", "here"):
        clause.targets.add(item.value)
    elif item.kind == "tile":
        clause.targets.add(compact.TILE)  # the format's word for it
    elif item.kind == "ctrl" and item.value is not None:
        clause.groups.add(item.value)
    elif item.kind == "speed":
        clause.speeds.add(item.value)
    elif item.kind in NOUN_KINDS:
        _add_noun(clause, item, lexer.owner_of(items, i))
    elif item.kind == "owner" and item.value == "enemy" and _owner_alone(items, i):
        clause.targets.add("enemy_base")  # "attack the enemy"


def _owner_alone(items: list[lexer.Item], i: int) -> bool:
    nouns_near = [k for k in (i - 1, i + 1) if 0 <= k < len(items)
                  and items[k].kind in NOUN_KINDS | lexer.SKIPPED_BEFORE_NOUN]
    return not nouns_near


def _segments(items: list[lexer.Item]) -> list[Clause]:
    """One raw clause per stretch of items between separators ("and", "then", ",")."""
    clauses = [Clause()]
    for i, item in enumerate(items):
        if item.kind == "sep" or item.word in lexicon.CLAUSE_JOINS:
            clauses.append(Clause())
        else:
            _add(clauses[-1], items, i)
    return [c for c in clauses if not c.empty()]


def _combine(raw: list[Clause]) -> list[Clause]:
    """Join the pieces of one command ("tanks, attack..." / "hold fire and stop")."""
    clauses: list[Clause] = []
    pending: Clause | None = None  # a subject alone, waiting for its verb
    for clause in raw:
        if pending is not None:
            clause.merge(pending)
            pending = None
        if not clauses and not clause.actions and clause.units and not (
                clause.targets or clause.buildings):
            pending = clause
            continue
        previous = clauses[-1] if clauses else None
        if previous is not None and not clause.names_things() and (
                not clause.actions or clause.actions <= previous.actions):
            previous.merge(clause)  # only a count, or the same verb again
            continue
        if previous is not None:
            _carry_over(previous, clause)
        clauses.append(clause)
    if pending is not None:
        clauses.append(pending)
    for clause, following in zip(clauses, clauses[1:]):
        if clause.units and not clause.targets and clause.actions == following.actions:
            clause.targets |= following.targets  # "send tanks and infantry north"
    return clauses


def _carry_over(previous: Clause, clause: Clause) -> None:
    """A clause without its own verb or subject continues the previous one."""
    if not clause.actions:
        clause.actions |= previous.actions  # "build a power plant and a refinery"
    if not clause.units and previous.actions & set(vocab.SUBJECT_ACTIONS):
        clause.units |= previous.units  # "tanks go north then attack the base"


def _settle(clause: Clause) -> None:
    """Fix what the verbs alone get wrong, from the things the clause names."""
    trainable = clause.units & set(vocab.TRAINABLE)
    table_verbs = clause.verbs & frames.TABLE_VERBS
    if table_verbs and clause.verbs - table_verbs <= WEAK_VERBS:
        clause.actions &= frames.TABLE_ACTIONS  # "faudrait réparer la centrale": not a build
    if "hold" in clause.verbs:  # a place to hold, else stand still (llm/frames.py)
        held = frames.actions_for("hold", {"target"} if clause.targets else set())
        clause.actions -= frames.verb_actions()["hold"] - held
    if clause.actions & {"build", "train"} and not (clause.buildings or clause.units):
        clause.actions -= {"build", "train"}  # "what should I do": make what?
    if clause.actions & {"build", "train"}:
        if clause.buildings and not trainable:
            clause.actions -= {"train"}
        elif trainable and not clause.buildings:
            clause.actions = (clause.actions - {"build"}) | {"train"}  # "build a helicopter"
    if "attack" in clause.actions:  # our buildings are never attacked nor attackers
        clause.targets |= {f"enemy_{b}" for b in clause.buildings}
        clause.targets = {"enemy_base" if t == "my_base" else t for t in clause.targets}
    if clause.actions & OWN_BUILDING_TARGETS and not clause.actions & {"build", "train"}:
        clause.targets |= {f"my_{b}" for b in clause.buildings}  # not what may be built
    if not clause.targets:  # "fall back": home unless a place is named (llm/frames.py)
        clause.targets |= {frames.says(verb, "target") for verb in clause.verbs} - {None}
    weak = not clause.actions & (frames.TABLE_ACTIONS | {"attack", "defend", "harvest"})
    if weak and clause.groups and clause.units and not clause.targets:
        clause.actions = {"group"}  # "tanks are group 2", "put the tanks in group 4"
    elif weak and clause.speeds and not clause.names_things():
        clause.actions = {"speed"}  # "plus vite", "make the game go quicker"
    if not clause.actions:
        if clause.buildings:
            clause.actions = {"build"}
        elif any(t.startswith("enemy_") for t in clause.targets):
            clause.actions = {"attack"}
        elif clause.targets:
            clause.actions = {"move"}
        elif clause.units:
            clause.actions = {"train"}  # "5 more soldiers", "un collecteur de plus"


@dataclass(frozen=True)
class Evidence:
    """The clauses of one order and, per command slot, the values they name."""

    clauses: tuple[Clause, ...]
    refused: bool = False  # a negation: better no command than its opposite
    tile: str | None = None  # the one map tile the order names ("tile:22,14"), if one

    def counts(self) -> frozenset[int]:
        """Every count the order says, in any clause."""
        return frozenset(count for clause in self.clauses for count in clause.counts)

    def expects_more(self, index: int) -> bool:
        """Whether the order seems to hold a command after command `index`."""
        return index + 1 < len(self.clauses)

    def named(self, index: int, action: str | None, key: str) -> set[Any]:
        """The values the order names for one slot of command `index` (empty: no opinion)."""
        if self.refused or not self.clauses:
            return {"none"} if key == "action" and index == 0 else set()
        if index >= len(self.clauses):
            return set()
        clause = self.clauses[index]
        if key == "unit" and action == "train" or key == "item":
            named = clause.units & set(vocab.TRAINABLE)
            return named | clause.buildings if key == "item" else named
        if key == "unit":
            return set(clause.units) or {vocab.DEFAULT_UNIT}
        if key == "target":
            return set(clause.targets) or {None}
        if key == "count":
            one = action in vocab.COUNT_DEFAULTS_TO_ONE
            return set(clause.counts) or {1 if one else None}
        return set(getattr(clause, SLOT_FIELDS.get(key, ""), ()))


# Command slots whose values a clause names as they are (Clause field per slot).
SLOT_FIELDS = {"action": "actions", "building": "buildings", "group": "groups",
               "speed": "speeds"}


def evidence(order: str) -> Evidence:
    """What an order names, split into the commands it seems to give."""
    items = lexer.tidy(lexer.lex(order))
    refused = any(i.word in lexicon.NEGATIONS for i in items)
    clauses = _combine(_segments(items))
    for clause in clauses:
        _settle(clause)
    tiles = {item.value for item in items if item.kind == "tile"}
    if tiles:
        tile = tiles.pop() if len(tiles) == 1 else None  # two tiles: which is which?
    else:
        tile = lexer.loose_tile(items)
    return Evidence(tuple(clauses), refused, tile)
