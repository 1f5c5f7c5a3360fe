"""The compact command format the model writes, and its expansion to vocabulary commands.

One line of up to MAX_COMMANDS commands separated by " ;", ended by a newline:

    move tank north 3 ; attack army enemy base -

A command is its action followed by the slots that action takes, in a fixed order
(subject, target, count); "-" leaves a slot empty and identifiers are written with
spaces instead of underscores. "none" alone means "not an order" (no commands).
Every slot value derives from game.vocabulary; a slot with a single possible value
is left out. A map tile is written "tile": the one the order names ("build a turret at
22,14"), which the caller reads in the order and gives to `expand`. The last slot of a
command carries its terminator (" ;" or "\\n"), so a line's end is never ambiguous,
and a token trie decodes it with a handful of decisions (see CompactDecoder).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from game import vocabulary as vocab
from game.vocabulary import CommandError

Value = str | int | None  # None = the empty slot "-"
Tokenize = Callable[[str], list[int]]

NONE_ACTION = "none"
SEPARATOR = " ;"
END = "\n"
EMPTY = "-"
TILE = "tile"  # a target: the one tile the order names ("tile:22,14")
SAMPLE_TILE = vocab.tile_target(0, 0)  # how the vocabulary is asked about tiles
# The frame slots the compact format writes (sides, areas and filters it leaves out).
COMPACT_KEYS = ("unit", "building", "item", "target", "count", "group", "speed")


@dataclass(frozen=True)
class Slot:
    key: str  # the command key it fills: unit, building, target or count
    values: tuple[Value, ...]


@dataclass(frozen=True)
class ActionFormat:
    action: str
    slots: tuple[Slot, ...]  # the slots written after the action, in order
    fixed: dict[str, Value] = field(default_factory=dict)  # single-valued slots, left out


def surface(value: Value) -> str:
    """How a slot value is written: spaces for underscores, "-" for empty."""
    return EMPTY if value is None else str(value).replace("_", " ")


def _meaning(base: dict[str, Any], key: str, value: Value) -> Any:
    """What a command means with this slot value, or None if the vocabulary refuses it.

    A missing target ("move_where") is tolerated while the target is not yet
    chosen: the expansion reports such an incomplete command itself.
    """
    action = base["action"]
    try:
        return vocab.canonical({**base, key: SAMPLE_TILE if value == TILE else value})
    except CommandError as error:
        if error.key == f"{action}_where":
            return ("incomplete", key, value)
        return None


def _slot(base: dict[str, Any], key: str, candidates: tuple[Value, ...]) -> Slot:
    """Keep the candidates the vocabulary accepts, one per distinct meaning."""
    kept: list[Value] = []
    meanings: list[Any] = []
    for value in candidates:
        meaning = _meaning(base, key, value)
        if meaning is None or meaning in meanings:
            continue
        kept.append(value)
        meanings.append(meaning)
    return Slot(key, tuple(kept))


def _candidates(action: str) -> list[tuple[str, tuple[Value, ...]]]:
    """Each slot's key and vocabulary values, in the order they are written."""
    return [(slot.key, (*slot.values, *((TILE,) if slot.key == "target" else ()), None))
            for slot in vocab.FRAMES[action] if slot.key in COMPACT_KEYS]


def _action_format(action: str) -> ActionFormat:
    """Probe slot by slot, each with the earlier slots set to a valid value."""
    base: dict[str, Any] = {"action": action}
    slots: list[Slot] = []
    for key, candidates in _candidates(action):
        slot = _slot(base, key, candidates)
        slots.append(slot)
        base[key] = next(v for v in slot.values if v is not None)
    fixed = {s.key: s.values[0] for s in slots if len(s.values) == 1}
    written = tuple(s for s in slots if len(s.values) > 1)
    return ActionFormat(action, written, fixed)


FORMATS: dict[str, ActionFormat] = {a: _action_format(a) for a in vocab.ACTIONS}


def _is_tile(target: object) -> bool:
    return bool(vocab.TILE_TARGET.match(str(target)))


def _slot_text(slot: Slot, command: vocab.Command) -> str:
    value = getattr(command, slot.key)
    if slot.key == "target" and _is_tile(value):
        value = TILE
    if value not in slot.values:
        raise ValueError(f"{slot.key}={value!r} cannot be written in the compact format")
    return surface(value)


def render(commands: list[Any]) -> str:
    """Write commands (Commands, or JSON objects the vocabulary accepts) as one compact
    line (with its newline)."""
    if not commands:
        return f" {NONE_ACTION}{END}"
    checked = vocab.canonical_list(commands)
    if len({c.target for c in checked if _is_tile(c.target)}) > 1:
        raise ValueError("the compact format writes one tile per order")
    parts = []
    for command in checked:
        form = FORMATS[command.action]
        words = [command.action] + [_slot_text(s, command) for s in form.slots]
        parts.append(" " + " ".join(words))
    return SEPARATOR.join(parts) + END


def _parse_value(slot: Slot, word: str) -> Value:
    for value in slot.values:
        if surface(value) == word:
            return value
    raise CommandError("not_a_command")


def _expand_one(words: list[str], tile: str | None) -> dict[str, Any]:
    """One command's words (surfaces may contain spaces, so match slot by slot)."""
    form = FORMATS.get(words[0]) if words else None
    if form is None:
        raise CommandError("not_a_command")
    command: dict[str, Any] = {"action": form.action, **form.fixed}
    rest = " ".join(words[1:])
    for slot in form.slots:
        options = sorted((surface(v) for v in slot.values), key=len, reverse=True)
        word = next((o for o in options if rest == o or rest.startswith(o + " ")), None)
        if word is None:
            raise CommandError("not_a_command")
        command[slot.key] = _parse_value(slot, word)
        rest = rest[len(word):].lstrip()
    if rest:
        raise CommandError("not_a_command")
    if command.get("target") == TILE:
        if tile is None:
            raise CommandError("not_a_command")  # "tile", and the order names none
        command["target"] = tile
    return {k: v for k, v in command.items() if v is not None}


def expand(line: str, tile: str | None = None) -> list[vocab.Command]:
    """The canonical command list a compact line means; CommandError if it means none.

    "none" gives []; an incomplete command raises its vocabulary message key
    (e.g. "move_where"), which the caller can show to the player. `tile` is the tile
    target the order names, which "tile" stands for.
    """
    text = line.strip()
    if text == NONE_ACTION:
        return []
    commands = [_expand_one(part.split(), tile) for part in text.split(SEPARATOR.strip())]
    return vocab.canonical_list(commands)


# --- constrained decoding --------------------------------------------------------


Leaf = tuple[Value, str | None]  # (slot value, terminator or None)


@dataclass
class TrieNode:
    children: dict[int, TrieNode] = field(default_factory=dict)
    leaf: Leaf | None = None  # set when a candidate ends here
    below: frozenset[Leaf] = frozenset()  # every candidate reachable from here

    def seal(self) -> frozenset[Leaf]:
        leaves = {self.leaf} if self.leaf is not None else set()
        for child in self.children.values():
            leaves |= child.seal()
        self.below = frozenset(leaves)
        return self.below


def _build_trie(candidates: list[tuple[str, Value, str | None]], tokenize: Tokenize) -> TrieNode:
    """A token trie over candidate texts (" north" may end where " northeast" goes on)."""
    root = TrieNode()
    for text, value, terminator in candidates:
        node = root
        for token in tokenize(text):
            node = node.children.setdefault(token, TrieNode())
        if node.leaf is not None:
            raise ValueError(f"compact candidates {text!r} and {node.leaf} read the same")
        node.leaf = (value, terminator)
    root.seal()
    return root


def _deferred_leaves(node: TrieNode) -> list[TrieNode]:
    """Nodes where a candidate ends but longer ones go on."""
    found = [node] if node.leaf is not None and node.children else []
    for child in node.children.values():
        found += _deferred_leaves(child)
    return found


def _terminators(index: int) -> tuple[str, ...]:
    return (END,) if index == vocab.MAX_COMMANDS - 1 else (SEPARATOR, END)


class CompactGrammar:
    """Token tries for every slot of the compact format, built once per tokenizer."""

    def __init__(self, tokenize: Tokenize) -> None:
        self._tokenize = tokenize
        self._tries: dict[tuple[str, int, bool], TrieNode] = {}
        for index in range(vocab.MAX_COMMANDS):
            self._tries[("", index, True)] = self._action_trie(index)
            for form in FORMATS.values():
                for position, slot in enumerate(form.slots):
                    last = position == len(form.slots) - 1
                    key = (form.action, position, last and index == vocab.MAX_COMMANDS - 1)
                    if key not in self._tries:
                        self._tries[key] = self._slot_trie(slot, index if last else None)
        self._check_deferred()

    def _check_deferred(self) -> None:
        """Where a candidate may end or go on, the next slot must start differently."""
        for (action, position, _), root in self._tries.items():
            for node in _deferred_leaves(root):
                value, terminator = node.leaf  # type: ignore[misc]
                if terminator is not None:
                    raise ValueError(f"compact: {value!r} ends a command but goes on")
                following = self.following(action or str(value), position + bool(action), 0)
                if following is None or set(following.children) & set(node.children):
                    raise ValueError(f"compact: after {value!r} the next slot is ambiguous")

    def _action_trie(self, index: int) -> TrieNode:
        candidates: list[tuple[str, Value, str | None]] = []
        for form in FORMATS.values():
            if form.slots:
                candidates.append((" " + form.action, form.action, None))
            else:
                for end in _terminators(index):
                    candidates.append((" " + form.action + end, form.action, end))
        if index == 0:
            candidates.append((" " + NONE_ACTION + END, NONE_ACTION, END))
        return _build_trie(candidates, self._tokenize)

    def _slot_trie(self, slot: Slot, terminal_index: int | None) -> TrieNode:
        ends: tuple[str | None, ...] = (None,)
        if terminal_index is not None:
            ends = _terminators(terminal_index)
        candidates = [(" " + surface(v) + (end or ""), v, end)
                      for v in slot.values for end in ends]
        return _build_trie(candidates, self._tokenize)

    def action_root(self, index: int) -> TrieNode:
        return self._tries[("", index, True)]

    def slot_root(self, action: str, position: int, index: int) -> TrieNode:
        form = FORMATS[action]
        last_command = index == vocab.MAX_COMMANDS - 1
        final = position == len(form.slots) - 1 and last_command
        return self._tries[(action, position, final)]

    def following(self, action: str, position: int, index: int) -> TrieNode | None:
        """The trie of slot `position` of `action`, if the action has that slot."""
        if position >= len(FORMATS[action].slots):
            return None
        return self.slot_root(action, position, index)


class CompactDecoder:
    """Walks the grammar one token at a time; the caller picks among `allowed()`."""

    def __init__(self, grammar: CompactGrammar) -> None:
        self._grammar = grammar
        self._index = 0  # command number in the line
        self._action: str | None = None
        self._position = 0  # slot number within the command
        self._node = grammar.action_root(0)
        self._words: list[str] = []
        self._text = ""
        self.done = False

    def clone(self) -> CompactDecoder:
        """An independent copy at the same point (the grammar is shared, read-only)."""
        twin = copy.copy(self)
        twin._words = list(self._words)
        return twin

    def allowed(self) -> tuple[int, ...]:
        return tuple(token for token, _ in self.options())

    def options(self) -> list[tuple[int, frozenset[Leaf]]]:
        """Each allowed token with the (value, terminator) candidates it leads to
        in the current slot."""
        options = [(token, child.below) for token, child in self._node.children.items()]
        following = self._following()
        if following is not None:  # the current candidate may also end here
            ended = frozenset({self._node.leaf}) if self._node.leaf else frozenset()
            options += [(token, ended) for token in following.children]
        return options

    def _following(self) -> TrieNode | None:
        """The next slot's trie, when the current node ends a candidate that longer ones extend."""
        if self._node.leaf is None or not self._node.children:
            return None
        if self._action is None:
            return self._grammar.following(str(self._node.leaf[0]), 0, self._index)
        return self._grammar.following(self._action, self._position + 1, self._index)

    @property
    def index(self) -> int:
        """Which command of the line is being decoded (0-based)."""
        return self._index

    @property
    def action(self) -> str | None:
        return self._action

    @property
    def slot_key(self) -> str:
        """"action" while choosing the action, else the key of the slot being written."""
        return "action" if self._action is None else self._slot_key()

    def advance(self, token: int) -> None:
        if token not in self._node.children and self._node.leaf is not None:
            self._complete(*self._node.leaf)  # the candidate ended; the token starts the next
        self._node = self._node.children[token]
        if self._node.leaf is not None and not self._node.children:
            self._complete(*self._node.leaf)

    def _complete(self, value: Value, terminator: str | None) -> None:
        if self._action is None:
            self._action = str(value)
            self._words.append(self._action)
        else:
            self._words.append(surface(value))
            self._position += 1
        if terminator is None:
            self._node = self._grammar.slot_root(self._action, self._position, self._index)
            return
        self._text += (SEPARATOR if self._index else "") + " " + " ".join(self._words)
        self._words, self._action, self._position = [], None, 0
        if terminator == END:
            self.done = True
            return
        self._index += 1
        self._node = self._grammar.action_root(self._index)

    def _slot_key(self) -> str:
        return FORMATS[str(self._action)].slots[self._position].key

    @property
    def text(self) -> str:
        """The compact line decoded so far (complete commands only, no newline)."""
        return self._text
