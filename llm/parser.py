"""Deterministic English/French order parser: the fast first stage before the model.

`parse(text)` answers "ok" (canonical commands), "incomplete" (a clear order missing
something), "rejected" (not an order) or "unknown" (the model takes it). Precision over
coverage: a word it cannot place, a negation, a condition or an ambiguity is "unknown".
It reads the items that llm/lexer.py makes of the words. The stages, and where a new
phrasing goes (a row of llm/lexicon.py or llm/frames.py, not code), are in
docs/COMMANDS.md, "Maintaining the parser".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from game import i18n, vocabulary
from game.vocabulary import Command
from llm import frames, lexer, lexicon
from llm.lexer import (
    MAX_TILE,
    NOUNS,
    QUESTION_KINDS,
    SIDE_MARK,
    SKIPPED_IN_NOUN_PHRASE,
    THINGS,
    Item,
    is_of,
    lex,
    next_kind,
    tidy,
)

Status = Literal["ok", "incomplete", "unknown", "rejected"]

ARMY, SELECTED = vocabulary.GROUP_NAMES
MY_BASE, ENEMY_BASE, _ = vocabulary.PLACES


@dataclass(frozen=True)
class ParseResult:
    commands: list[Command]
    status: Status
    lang: str
    message_key: str | None = None
    message_params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str | None:
        """The player-facing message in the order's language, if there is one."""
        if self.message_key is None:
            return None
        return i18n.tr(self.message_key, self.lang, **self.message_params)


class Unclear(Exception):
    """The order is beyond the rules: hand it to the model."""


class Incomplete(Exception):
    """A clear order that is missing something or cannot be issued as said."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key  # the message for the player, in game.i18n



# ---------------------------------------------------------------- clauses

MAKE_VERBS = {"train", "build", "make", "want"}
ELLIPSIS = "ellipsis"  # a count with no noun: "and 2 more south", "train 3"


@dataclass
class Phrase:
    """A noun phrase: "3 enemy tanks", "all units", "the refinery of the enemy"."""
    kind: str
    value: str | None
    index: int
    count: int | None = None
    quantity: str | None = None  # "all" or "some"
    owner: str | None = None
    with_flag: bool = False
    definite: bool = False  # "the tanks", "mes chars"
    more: bool = False  # "3 more tanks", "une tourelle de plus"
    elided: bool = False  # the noun is the one said before: "and 2 more south"
    refers: bool = False  # a count of something named before: "construis-en une"
    other_ones: bool = False  # other ones, not new ones: "quatre autres à l'est"


@dataclass
class RawClause:
    verbs: list[tuple[str, int, str]] = field(default_factory=list)  # class, index, word
    phrases: list[Phrase] = field(default_factory=list)
    targets: list[tuple[str, int]] = field(default_factory=list)
    pronoun: bool = False
    request: bool = False
    pronoun_index: int = -1  # where the first pronoun is ("attack them" vs "make them attack")
    pronoun_with: bool = False  # "attack the base with them": the pronoun says who
    opens_with_verb: bool = False  # "attack their refinery": no subject before the verb
    first_word: str = ""  # its first word that is not filler ("right" in "Right, tanks.")
    seps_before: tuple[str, ...] = ()  # the separators between this clause and the last one

    def is_empty(self) -> bool:
        return not (self.verbs or self.phrases or self.targets or self.pronoun or self.request)


@dataclass
class Modifiers:
    count: int | None = None
    quantity: str | None = None
    owner: str | None = None
    with_flag: bool = False
    definite: bool = False
    more: bool = False
    one: bool = False  # "another": one more
    others: bool = False  # "les autres": the rest of them, not more
    adj: bool = False  # "the nearest": an adjective waiting for its noun
    refers: bool = False  # French "en": the count that follows is of a noun said before
    other_ones: bool = False  # "4 others", "quatre autres": other ones, not new ones

    def phrase(self, kind: str, value: str | None, index: int) -> Phrase:
        count = 1 if self.count is None and self.one else self.count
        return Phrase(kind, value, index, count, self.quantity, self.owner, self.with_flag,
                      self.definite or self.owner == "mine", self.more, refers=self.refers,
                      other_ones=self.other_ones)


def read_clause(items: list[Item], seps_before: tuple[str, ...] = ()) -> RawClause:
    clause = RawClause(seps_before=seps_before)
    mods = Modifiers()
    first = next((item for item in items if item.kind != "filler"), None)
    clause.opens_with_verb = first is not None and first.kind == "verb"
    clause.first_word = first.word if first is not None else ""
    for i, item in enumerate(items):
        kind = item.kind
        if kind == "number":
            if mods.count is not None:
                raise Unclear
            mods.count = item.value
        elif kind == "all" and i > 0 and items[i - 1].kind == "pronoun":
            continue  # "send them all north", "envoie-les tous": still them
        elif kind in ("all", "some"):
            mods.quantity = kind
        elif kind == "with":
            mods.with_flag = True
        elif kind == "owner":
            _read_owner(items, i, clause, mods)
        elif kind in ("more", "another"):
            last = clause.phrases[-1] if clause.phrases else None
            if kind == "more" and last and last.index == i - 1 and mods == Modifiers():
                last.more = True  # "2 chars de plus"
            else:
                mods.more = True
                mods.one = mods.one or kind == "another"
                mods.other_ones = mods.other_ones or item.word in lexicon.OTHER_WORDS
                mods.others = mods.others or mods.definite
        elif kind == "filler" and item.word in lexicon.DEFINITE:
            mods.definite = True
        elif kind == "adj":
            if i == 0 or items[i - 1].kind not in NOUNS | {"adj"}:
                mods.adj = True  # before its noun; after it ("chars lourds") it is said
        elif kind == "en":
            mods = _end_noun_phrase(clause, mods, i)
            mods.refers = True
        elif kind in NOUNS:
            last = clause.phrases[-1] if clause.phrases else None
            if last and last.index == i - 1 and {last.kind, kind} <= THINGS:
                raise Unclear  # "defense towr", "tanks soldiers": two nouns, one thing?
            if mods.refers:
                raise Unclear  # "fais-en des chars"
            clause.phrases.append(mods.phrase(kind, item.value, i))
            mods = Modifiers()
        elif kind == "pronoun":
            if not clause.pronoun:
                clause.pronoun_index, clause.pronoun_with = i, mods.with_flag
            clause.pronoun = True  # "all of them" is still them
            if mods.count is not None or mods.refers or mods.more or mods.adj:
                raise Unclear  # "2 of them", "the other ones"
            mods = Modifiers()
        elif kind in ("verb", "region", "tile", "here"):
            mods = _end_noun_phrase(clause, mods, i)
            if kind == "verb":
                clause.verbs.append((item.value, i, item.word))
            else:
                clause.targets.append((item.value, i))
        elif kind == "request":
            clause.request = True
    _end_noun_phrase(clause, mods, len(items))
    return clause


def _end_noun_phrase(clause: RawClause, mods: Modifiers, index: int) -> Modifiers:
    """A quantifier with no noun is everyone ("attack with all", "arrêtez tout");
    a count with no noun stands for a noun said before ("and 2 more south")."""
    if mods.quantity == "all" and mods.count is None and not mods.refers:
        clause.phrases.append(Phrase("group", ARMY, index, with_flag=mods.with_flag))
    elif mods.quantity is not None or mods.others:
        raise Unclear  # "send some", "les autres au nord": who?
    elif mods.count is not None or mods.one:
        if mods.owner is not None:
            raise Unclear
        clause.phrases.append(mods.phrase(ELLIPSIS, None, index))
    elif mods.more or mods.with_flag or mods.adj or mods.refers:
        raise Unclear  # "send more north", "attack with", "the nearest", "fais-en": what?
    return Modifiers()


def _read_owner(items: list[Item], i: int, clause: RawClause, mods: Modifiers) -> None:
    """"enemy tanks" (before), "chars ennemis"/"refinery of the enemy" (after), or
    plain "the enemy" (their base)."""
    owner = items[i].value
    if next_kind(items, i + 1, SKIPPED_IN_NOUN_PHRASE | {"filler", "number", "all", "some"}
                  ) in NOUNS:
        mods.owner = owner
        return
    last = clause.phrases[-1] if clause.phrases else None
    between = items[last.index + 1:i] if last else []
    if last and last.owner is None and all(map(is_of, between)):
        last.owner = owner
    elif owner == "enemy":
        clause.phrases.append(Phrase("base", ENEMY_BASE, i, owner=owner))
    else:
        raise Unclear


def effective_verb(clause: RawClause) -> tuple[str, int] | None:
    """One verb class per clause: "send tanks to attack" attacks, "make them attack"
    attacks, "go mine" harvests, "I want the tanks to attack" attacks; two real
    actions in one clause are unclear. A placement builds a building and moves units."""
    verbs = clause.verbs
    if len({cls for cls, _, _ in verbs}) > 1:  # "make" before another verb: "make them go"
        verbs = [v for v in verbs if not (v[0] == "make" and v[2] in lexicon.CAUSATIVE and any(
            cls != "make" and index > v[1] for cls, index, _ in verbs))]
    for weaker in lexicon.WEAK_VERB_CLASSES:
        if len({cls for cls, _, _ in verbs}) > 1:
            verbs = [v for v in verbs if v[0] != weaker]
    classes = {cls for cls, _, _ in verbs}
    if len(classes) > 1:
        raise Unclear
    if not verbs:
        return None
    verb, index = verbs[-1][0], verbs[-1][1]
    enemy = any(p.owner == "enemy" or p.value == ENEMY_BASE for p in clause.phrases)
    if verb == "want" and _names_movers(clause) and not enemy:
        verb = "move"  # "I want the tanks in the north", "il faut tout le monde au sud"
    return (_placement(clause), index) if verb == "put" else (verb, index)


def _placement(clause: RawClause) -> str:
    """"put a turret north" builds; "mets les chars au nord" moves."""
    kinds = {p.kind for p in clause.phrases if p.owner != "enemy" and p.kind in THINGS}
    if kinds == {"building"}:
        return "build"
    has_target = clause.targets or any(p.kind in ("place", "base") for p in clause.phrases)
    if kinds and kinds <= {"unit", "group", "generic"} and has_target:
        return "move"  # "drop everything" is no placement
    raise Unclear


# ---------------------------------------------------------------- frames

Subject = tuple[str, int | None]  # unit or group name, count (None = all)


@dataclass
class Frame:
    """What one clause asks for, once roles are assigned."""
    verb: str
    subjects: list[Subject] = field(default_factory=list)
    objects: list[tuple[str, str, int]] = field(default_factory=list)  # kind, name, count
    targets: list[str] = field(default_factory=list)
    pronoun: bool = False
    request: bool = False
    ends_with_with: bool = False
    other_ones: bool = False  # a subject is "others"/"autres": not the units just named


def frame_of(clause: RawClause, verb: str, verb_index: int, with_carry: bool) -> Frame:
    frame = Frame(verb, pronoun=clause.pronoun, request=clause.request)
    target_positions = [index for _, index in clause.targets]
    frame.targets = [] if verb == "analyze" else [name for name, _ in clause.targets]
    for n, phrase in enumerate(clause.phrases):
        with_flag = phrase.with_flag or (with_carry and n == 0)  # "…with tanks and helis"
        role, value = _role(phrase, verb, verb_index, with_flag, target_positions)
        if role == "object":
            frame.objects.append(value)
        elif role == "subject":
            frame.subjects.append(value)
            frame.other_ones = frame.other_ones or (phrase.elided and phrase.other_ones)
        elif role == "target":
            frame.targets.append(value)
            target_positions.append(phrase.index)
    if len(frame.objects) > 1:
        raise Unclear  # "build a turret near the refinery": one of them is a place
    frame.ends_with_with = bool(clause.phrases) and clause.phrases[-1].with_flag
    return frame


def _role(phrase: Phrase, verb: str, verb_index: int, with_flag: bool,
          target_positions: list[int]) -> tuple[str, Any]:
    if verb == "analyze":
        return "topic", None  # "analyze the enemy base": the report covers everything
    if phrase.kind == ELLIPSIS:
        raise Unclear  # a count whose noun was never said
    if verb in MAKE_VERBS:
        return _make_role(phrase, verb)
    if phrase.elided and phrase.more and not phrase.other_ones:
        raise Unclear  # "send 3 tanks north and 2 more south": which 2?
    kind, value = phrase.kind, phrase.value
    if phrase.owner == "enemy" and kind in ("unit", "building"):
        return "target", f"enemy_{value}"
    objects = verb == "attack" and not with_flag and phrase.index > verb_index
    if objects and phrase.owner == "mine" and kind in ("unit", "building"):
        raise Unclear  # "attack our refinery"
    if kind == "base":
        attacking = verb == "attack" and phrase.owner != "mine"
        return "target", ENEMY_BASE if attacking or phrase.owner == "enemy" else MY_BASE
    if kind == "place":
        if phrase.owner == "enemy" and value != ENEMY_BASE:
            raise Unclear
        return "target", value
    if kind == "building":
        if verb == "attack":
            return "target", f"enemy_{value}"
        if phrase.owner != "enemy" and value == "hq":
            return "target", MY_BASE
        if verb in OWN_BUILDING_VERBS:
            return "target", f"my_{value}"  # "defend the refinery": the nearest of ours
        raise Unclear
    if phrase.owner == "enemy":
        raise Unclear  # "attack enemy units": no such target
    if not with_flag and phrase.index > verb_index:
        if verb == "attack" and kind == "unit":
            return "target", f"enemy_{value}"
        if verb == "defend" and not any(t < phrase.index for t in target_positions):
            raise Unclear  # "protect the harvesters"
    return "subject", _subject(phrase)


# Verb classes for which a building of ours is a place to go to (llm/frames.py).
OWN_BUILDING_VERBS = frames.own_building_places()[0]


def _make_role(phrase: Phrase, verb: str) -> tuple[str, Any]:
    if phrase.owner == "enemy" or phrase.quantity is not None:
        raise Unclear
    if verb == "want" and phrase.definite and phrase.kind in ("unit", "building"):
        raise Unclear  # "I want the tanks": new ones, or those we have?
    if phrase.kind in ("unit", "building"):
        count = 1 if phrase.count is None else phrase.count
        return "object", (phrase.kind, phrase.value, count)
    if phrase.kind == "base" or phrase.value == MY_BASE:
        return "target", MY_BASE
    if phrase.kind == "place" and SIDE_MARK in str(phrase.value) and not str(
            phrase.value).startswith("enemy_"):
        return "target", phrase.value  # "a turret south of the war factory"
    raise Unclear


def _subject(phrase: Phrase) -> Subject:
    if phrase.quantity == "some":
        raise Unclear  # "send some tanks": how many?
    if phrase.kind == "generic":
        if phrase.count is not None:
            raise Unclear  # "send 5 units": of which kind?
        return (ARMY if phrase.quantity == "all" else SELECTED), None
    if phrase.value is None:
        raise Unclear
    return phrase.value, phrase.count


def _antecedent(frames: list[Frame]) -> list[Subject]:
    """What "them"/"les" means: the units just trained, or the last subjects."""
    trained: list[Subject] = []
    for frame in reversed(frames):
        if frame.verb not in MAKE_VERBS:
            return trained or frame.subjects
        units = [(name, count) for kind, name, count in frame.objects if kind == "unit"]
        if not units:
            if trained:
                return trained
            raise Unclear  # "build a turret and defend it"
        trained = units + trained
    return trained


def link(clauses: list[RawClause]) -> list[Frame]:
    frames: list[Frame] = []
    vocative: list[Subject] = []  # "tanks, attack": subjects waiting for their verb
    clauses = _non_empty(clauses)
    clauses = resolve_references(clauses)
    resolve_ellipses(clauses)
    said = clauses
    clauses = _without_bare_go(clauses)
    scattered = _scattered_move(clauses)
    if scattered is not None:
        return [scattered]
    alone = len(said) == 1 or (
        len(clauses) == 1 and clauses[0].first_word not in lexicon.DISCOURSE_REGIONS)
    everyone = len(clauses) > 1 and _calls_everyone(clauses[-1])
    if everyone:
        clauses = clauses[:-1]  # "attack the north, all units!": said to the whole army
    for k, clause in enumerate(clauses):
        verb = effective_verb(clause)
        if verb is None:
            if frames and _addresses(clauses, k) and not _sends_more(frames[-1], clause):
                if frames[-1].ends_with_with or (
                        frames[-1].verb in MAKE_VERBS and _could_be_made(clause)):
                    raise Unclear  # "train 3 tanks, 2 soldiers, attack": trained, or called?
                vocative = vocative + frame_of(clause, "move", -1, False).subjects
                continue  # "…; chars, attaquez leur raffinerie": who the next verb is for
            vocative = _continue(clause, frames, vocative, alone=alone)
            continue
        frame = frame_of(clause, verb[0], verb[1], False)
        if clause.pronoun:
            if frame.subjects:
                raise Unclear  # "send them and the tanks north": who are "them"?
            object_pronoun = clause.pronoun_index > verb[1] and not clause.pronoun_with
            if object_pronoun and frame.verb in ("attack", "defend", "hold"):
                raise Unclear  # "attack them", "défends-la": a target we cannot name
        called = bool(vocative)
        frame.subjects = vocative + frame.subjects
        vocative = []
        prev = frames[-1] if frames else None
        if prev and prev.verb == "move" and not prev.targets and frame.verb != "move":
            if called:
                raise Unclear  # "tanks, go; soldiers, attack the base": tanks go where?
            frames.pop()  # "send tanks and attack the base", "allez, attaquez"
            frame.subjects = prev.subjects + frame.subjects
            prev = frames[-1] if frames else None
        if frame.pronoun and not frame.subjects:
            frame.subjects = list(_antecedent(frames))
        elif _takes_subject(frame) and not frame.subjects and prev:
            if _trains_units(prev):
                raise Unclear  # "train 5 tanks then attack": the new tanks or the selection?
            if _takes_subject(prev):
                frame.subjects = list(prev.subjects)  # "send the tanks north, then attack"
        if frame.verb in ("attack", "defend") and not frame.targets and (
                prev is not None and prev.verb == "move"):
            if frame.subjects != prev.subjects:
                raise Unclear  # "tanks east, then everyone attack": attack where?
            frame.targets = list(prev.targets)  # "send tanks to the enemy base and attack"
        frames.append(frame)
    if vocative:
        raise Unclear  # units named, no order given
    if everyone:
        _address_everyone(frames)
    return frames


def _is_bare_go(clause: RawClause) -> bool:
    """"go!", "allez !", "move!": a move verb saying nothing else."""
    return bool(clause.verbs) and all(cls == "move" for cls, _, _ in clause.verbs) and not (
        clause.phrases or clause.targets or clause.pronoun or clause.request)


def _without_bare_go(clauses: list[RawClause]) -> list[RawClause]:
    """"Southeast, four tanks, go!", "Allez ! À l'est, les hélicos": where another clause
    names a destination, a bare "go" only urges it on."""
    kept = [c for c in clauses if not _is_bare_go(c)]
    destination = any(c.targets or any(p.kind in ("place", "base") for p in c.phrases)
                      for c in kept)
    return kept if kept and destination and len(kept) < len(clauses) else clauses


def _scattered_move(clauses: list[RawClause]) -> Frame | None:
    """Verbless pieces that together say where and who, in any order: "East. Choppers.
    Now.", "Au sud, trois chars !", "À l'est, les hélicos, vite": one move. Nothing
    else may be said, the destination only once, and never the enemy's (move or
    attack?); a sentence opening on "Right," names no destination; "then" says more."""
    if len(clauses) < 2 or any(c.verbs or c.pronoun or c.request for c in clauses):
        return None
    if any(set(c.seps_before) - lexicon.PUNCTUATION - lexicon.AND_WORDS for c in clauses[1:]):
        return None  # "east, then tanks"
    targets: list[str] = []
    subjects: list[Subject] = []
    counted = False
    for k, clause in enumerate(clauses):
        if _only_own_units(clause):
            if any(p.more or p.elided for p in clause.phrases):
                return None  # "au nord, deux chars de plus": new ones, for the model
            subjects += frame_of(clause, "move", -1, False).subjects
            continue
        frame = frame_of(clause, "move", -1, False)
        if frame.subjects or frame.objects or len(frame.targets) != 1 or targets:
            return None
        if k == 0 and clause.first_word in lexicon.DISCOURSE_REGIONS:
            return None
        targets = frame.targets
        counted = any(p.kind == "building" and p.count is not None and not p.definite
                      for p in clause.phrases)
    if not targets or not subjects or targets[0].startswith("enemy_"):
        return None
    if len(subjects) > 1 and any(unit == ARMY for unit, _ in subjects):
        return None  # "tanks, north, everyone": the tanks are in the army
    if counted:
        raise Unclear  # "deux collecteurs et une raffinerie": a wish, or a place of ours?
    return Frame("move", subjects, targets=targets)


def _calls_everyone(clause: RawClause) -> bool:
    """", all units!", ", tout le monde !" closing an order: the whole army is told."""
    return bool(clause.seps_before) and set(clause.seps_before) <= lexicon.PUNCTUATION and (
        _only_own_units(clause)) and all(
        (p.kind == "group" and p.value == ARMY) or (p.kind == "generic" and p.quantity == "all")
        for p in clause.phrases) and not any(p.count or p.more for p in clause.phrases)


def _address_everyone(frames: list[Frame]) -> None:
    """The army carries out every order said before the call; orders that already say
    who, or make things, do not mix with it ("send the tanks north, everyone")."""
    if not frames or any(f.subjects or not _takes_subject(f) for f in frames):
        raise Unclear
    for frame in frames:
        frame.subjects = [(ARMY, None)]


def _non_empty(clauses: list[RawClause]) -> list[RawClause]:
    """The clauses that say something; an empty one's separators go to the next."""
    out: list[RawClause] = []
    pending: tuple[str, ...] = ()
    for clause in clauses:
        if clause.is_empty():
            pending += clause.seps_before
            continue
        clause.seps_before = pending + clause.seps_before
        pending = ()
        out.append(clause)
    return out




def _only_own_units(clause: RawClause) -> bool:
    """A clause that names nothing but units of ours: "tanks", "the infantry and the
    artillery", "tout le monde"."""
    return bool(clause.phrases) and not (
        clause.verbs or clause.targets or clause.pronoun or clause.request) and all(
        p.kind in ("unit", "group", "generic") and p.owner != "enemy" and not p.elided
        for p in clause.phrases)


def _could_be_made(clause: RawClause) -> bool:
    """"2 soldiers", "soldiers": after a train order, more of what to train (not after
    a full stop: "train 2 tanks; infantry, defend the base")."""
    if set(clause.seps_before) & lexicon.FULL_STOPS:
        return False
    return any(p.kind == "unit" and not p.definite and p.quantity is None
               for p in clause.phrases)


def _sends_more(prev: Frame, clause: RawClause) -> bool:
    """"send tanks and soldiers, attack the base": more of who is sent, not a call."""
    return prev.verb == "move" and not prev.targets and bool(
        set(clause.seps_before) & lexicon.AND_WORDS)


def _addresses(clauses: list[RawClause], k: int) -> bool:
    """Whether clause k names who the next clause's verb is for: units of ours, then a
    comma and a clause that opens with its verb ("…; tanks, attack their refinery",
    "…, then infantry and artillery, go north"). Said to the next verb, not added to
    the previous clause: "tanks" there is never an enemy target."""
    if not _only_own_units(clauses[k]) or k + 1 >= len(clauses):
        return False
    following = clauses[k + 1]
    seps = set(following.seps_before)
    if seps and seps <= lexicon.PUNCTUATION and following.opens_with_verb:
        return True
    joined = seps <= lexicon.PUNCTUATION | lexicon.AND_WORDS
    return bool(seps) and joined and _addresses(clauses, k + 1)


def _continue(clause: RawClause, frames: list[Frame], vocative: list[Subject],
              alone: bool) -> list[Subject]:
    """A clause without a verb continues the previous one ("send tanks and soldiers
    north", "build a barracks and a refinery", "tanks north, soldiers south"), or
    first is a move ("everyone home", "north!") or names who the next verb is for.
    Returns the subjects still waiting for a verb."""
    if not frames and not vocative and _is_wish(clause):
        frames.append(frame_of(clause, "want", -1, False))  # "3 more tanks", "a turret north"
        return []
    if not frames:
        frame = frame_of(clause, "move", -1, False)
        frame.subjects = vocative + frame.subjects
        if not frame.targets:
            if not frame.subjects or clause.pronoun or clause.request:
                raise Unclear
            return frame.subjects
        if any(t.startswith("enemy_") for t in frame.targets):
            raise Unclear  # "tanks on the enemy base": move or attack?
        if not frame.subjects and not alone:
            raise Unclear  # "right, send tanks north": a word, not a destination
        frames.append(frame)
        return []
    prev = frames[-1]
    if prev.verb == "attack" and _only_own_units(clause) and (
            set(clause.seps_before) <= lexicon.PUNCTUATION):
        raise Unclear  # "attack the refinery, tanks": said to our tanks, or another target?
    if prev.verb in MAKE_VERBS and _names_movers(clause):
        frame = frame_of(clause, "move", -1, False)  # "build a barracks, then everyone north"
        if not frame.targets or any(t.startswith("enemy_") for t in frame.targets):
            raise Unclear
        frames.append(frame)
        return vocative
    frame = frame_of(clause, prev.verb, -1, prev.ends_with_with)
    if clause.request or clause.pronoun or (prev.verb == "analyze"):
        raise Unclear
    if prev.verb in MAKE_VERBS:
        if not frame.objects:
            raise Unclear  # "build a turret, then in the north"
        frames.append(frame)
    elif frame.other_ones and not (prev.targets and frame.targets not in ([], prev.targets)):
        raise Unclear  # "send 3 tanks and 2 others north": 5 tanks, or 3 and 2?
    elif frame.targets and not prev.targets:
        _join_subjects(prev, frame)
        prev.targets = frame.targets
    elif frame.targets:
        frame.subjects = frame.subjects or list(prev.subjects)
        frames.append(frame)
    elif frame.subjects:
        if not prev.subjects and any(_takes_subject(f) and not f.subjects for f in frames[:-1]):
            raise Unclear  # "smash their turrets, then go south, you choppers": both orders?
        _join_subjects(prev, frame)
    else:
        raise Unclear
    return vocative


def _join_subjects(prev: Frame, frame: Frame) -> None:
    if prev.pronoun and frame.subjects:
        raise Unclear  # "send them and the tanks north": who are "them"?
    prev.subjects += frame.subjects
    prev.ends_with_with = frame.ends_with_with


def _is_wish(clause: RawClause) -> bool:
    """A clause with no verb that asks for new things: "more tanks please", "2 chars
    de plus", "a turret in the north" (a building cannot be sent anywhere)."""
    things = [p for p in clause.phrases if p.kind not in ("place", "base")]
    return bool(things) and not (clause.pronoun or clause.request) and all(
        p.kind in ("unit", "building") and p.owner is None and p.quantity is None
        and not p.definite and (p.more or (p.kind == "building" and p.count is not None))
        for p in things)


def _names_movers(clause: RawClause) -> bool:
    """After a build or train, a clause with no verb naming units we already have and a
    destination is a move ("…, then everyone north", "…, puis les chars au sud")."""
    things = [p for p in clause.phrases if p.kind not in ("place", "base")]
    has_target = bool(clause.targets) or len(things) < len(clause.phrases)
    return has_target and bool(things) and all(
        p.kind in ("group", "generic")
        or (p.kind == "unit" and (p.definite or p.quantity == "all") and p.owner != "enemy")
        for p in things)


MAKING = {"train", "build", "make", "put"}  # verb classes that bring new things


def resolve_references(clauses: list[RawClause]) -> list[RawClause]:
    """A thing named, then an order to make it that only points back at it: "we need a
    refinery, build one", "I want tanks, make three", "des soldats ? entraîne-en 4",
    "il nous faut 3 chars, entraîne-les". The order stands for the wish: one command.
    Returns the clauses without the ones so taken up."""
    out: list[RawClause] = []
    for clause in clauses:
        topic = _topic(out[-1]) if out else None
        ref = _reference(clause)
        if topic is None or ref is None:
            out.append(clause)
            continue
        if ref.kind == ELLIPSIS:
            if ref.more or (topic.count is not None and topic.count != ref.count):
                raise Unclear  # "we need 2 refineries, build one", "… make 3 more"
            count = ref.count
        else:
            if topic.count is None:
                raise Unclear  # "I want tanks, train them": how many?
            count = topic.count
        clause.phrases = [Phrase(topic.kind, topic.value, ref.index, count, elided=True)]
        clause.pronoun = False
        out[-1] = clause
    return out


def _topic(clause: RawClause) -> Phrase | None:
    """What a wish or a bare noun asks for ("we need a refinery", "des soldats ?"), if
    that is all the clause says."""
    classes = {cls for cls, _, _ in clause.verbs}
    if classes - {"want"} or clause.targets or clause.pronoun or clause.request:
        return None
    if len(clause.phrases) != 1:
        return None
    phrase = clause.phrases[0]
    new_things = phrase.kind in ("unit", "building") and not phrase.definite
    if not new_things or phrase.owner or phrase.quantity or phrase.more or phrase.with_flag:
        return None
    return phrase


def _reference(clause: RawClause) -> Phrase | None:
    """The one thing an order to make something points back to: a count with no noun
    ("build one", "entraîne-en 4") or a pronoun ("train them", "construis-la")."""
    classes = {cls for cls, _, _ in clause.verbs}
    if len(classes) != 1 or not classes <= MAKING or clause.request:
        return None
    things = [p for p in clause.phrases if p.kind not in ("place", "base")]
    if clause.pronoun:
        if things or clause.pronoun_with:
            return None
        return Phrase("pronoun", None, clause.pronoun_index)
    if len(things) == 1 and things[0].kind == ELLIPSIS and not things[0].with_flag:
        return things[0]
    return None


def resolve_ellipses(clauses: list[RawClause]) -> None:
    """A count with no noun and a place of its own ("and 2 more south", "et une autre au
    sud") stands for the one kind of unit or building named in the clauses before;
    "train 3" alone asks what to train. "Train 3 tanks and 2 more" is left to the model
    (two orders, or one of 5?)."""
    for i, clause in enumerate(clauses):
        for phrase in clause.phrases:
            if phrase.kind != ELLIPSIS:
                continue
            before = [p for c in clauses[:i] for p in c.phrases if p.kind in ("unit", "building")]
            named = {(p.kind, p.value) for p in before}
            own_target = clause.targets or any(p.kind in ("place", "base") for p in clause.phrases)
            if len(named) == 1 and all(p.owner != "enemy" for p in before) and own_target:
                phrase.kind, phrase.value = named.pop()
                phrase.elided = True
                continue
            verb = effective_verb(clause)
            alone = len(clauses) == 1 and len(clause.phrases) == 1 and not clause.targets
            if alone and not phrase.refers and verb and verb[0] in ("train", "build", "make"):
                raise Incomplete("build_what" if verb[0] == "build" else "train_what")
            raise Unclear


def _takes_subject(frame: Frame) -> bool:
    return frame.verb not in MAKE_VERBS and frame.verb != "analyze"


def _trains_units(frame: Frame) -> bool:
    return frame.verb in MAKE_VERBS and any(kind == "unit" for kind, _, _ in frame.objects)


# ---------------------------------------------------------------- commands

def commands_of(frame: Frame) -> list[dict[str, Any]]:
    if frame.request and frame.verb != "analyze":
        raise Unclear
    if len(set(frame.targets)) > 1:
        raise Unclear
    target = frame.targets[0] if frame.targets else None
    if frame.verb in MAKE_VERBS:
        return _make_commands(frame, target)
    if frame.verb == "analyze":
        return [{"action": "analyze"}]
    action, target = _subject_action(frame, target)
    subjects = frame.subjects or [(SELECTED, None)]
    return [_command(action, unit, count, target) for unit, count in subjects]


def _make_commands(frame: Frame, target: str | None) -> list[dict[str, Any]]:
    if frame.subjects or frame.pronoun:
        raise Unclear  # "build a barracks with the harvesters", "train them"
    if not frame.objects:
        if frame.verb == "want":
            raise Unclear  # "I want it", "we need to"
        raise Incomplete("build_what" if frame.verb == "build" else "train_what")
    kinds = {kind for kind, _, _ in frame.objects}
    if len(kinds) > 1:
        raise Unclear  # "build a barracks 5 tanks"
    if "unit" in kinds and target:
        raise Unclear  # "train tanks in the north": units appear at their factory
    if frame.verb in lexicon.UNIT_ONLY_VERB_CLASSES and "building" in kinds:
        raise Unclear  # "recruit a refinery"
    commands = []
    for kind, name, count in frame.objects:
        if kind == "unit":
            commands.append({"action": "train", "unit": name, "count": count})
        else:
            command = {"action": "build", "building": name, "count": count}
            commands.append(with_target(command, target))
    return commands


def _subject_action(frame: Frame, target: str | None) -> tuple[str, str | None]:
    """The action a verb class means, and its target, read from llm/frames.py ("hold" a
    place named, else stand still; "retreat": home unless a place is named)."""
    [action] = frames.actions_for(frame.verb, {"target"} if target else set())
    target = target or frames.says(frame.verb, "target")
    if action == "attack" and target is None and frame.subjects and all(
            unit == ARMY for unit, _ in frame.subjects):
        target = ENEMY_BASE  # "all units attack"
    if action in ("attack", "move") and target is None:
        raise Incomplete(f"{action}_where")
    if action == "stop" and target:
        raise Unclear  # "stop in the north"
    return action, target


def _command(action: str, unit: str, count: int | None, target: str | None) -> dict[str, Any]:
    command: dict[str, Any] = {"action": action, "unit": unit}
    if count is not None:
        command["count"] = count
    return with_target(command, target)


def with_target(command: dict[str, Any], target: str | None) -> dict[str, Any]:
    """The command with its target, and the target's side when it has one."""
    if target is not None:
        place, _, side = target.partition(SIDE_MARK)
        command["target"] = place
        if side:
            command["side"] = side
    return command


# Vocabulary errors that still deserve a direct answer rather than the model.
PLAYER_ERRORS = {"bad_count", "harvesters_cannot_attack"}


def canonical_commands(frames: list[Frame]) -> list[Command]:
    """All frames' commands, or the first thing missing; anything unclear wins,
    since the model may read the whole order differently."""
    commands: list[Command] = []
    missing: list[Incomplete] = []
    for frame in frames:
        try:
            for command in map(_canonical, map(_as_meant, commands_of(frame))):
                repeated = commands and commands[-1] == command
                if not (repeated and command.action not in vocabulary.REPEATS_ADD):
                    commands.append(command)  # "hold fire and stop": one stop
        except Incomplete as error:
            missing.append(error)
    if missing:
        raise missing[0]
    if _army_and_part(commands):
        raise Unclear  # "à gauche toute, l'artillerie", "Right lads, send the whole army"
    if len(commands) > vocabulary.MAX_COMMANDS:
        raise Incomplete("too_many_commands")
    return commands


def _army_and_part(commands: list[Command]) -> bool:
    """The army and some of its units given the same order: the army already holds every
    unit type, so one of them is no subject ("toute" in "à gauche toute")."""
    given_to_army = {(c.action, c.target) for c in commands if c.unit == ARMY}
    return any(c.unit not in (ARMY, SELECTED) and (c.action, c.target) in given_to_army
               for c in commands)


def _as_meant(command: dict[str, Any]) -> dict[str, Any]:
    """A move that can only mean one other action is that action (frames.MOVE_MEANS)."""
    if command.get("action") != "move":
        return command
    meant = frames.MOVE_MEANS.get((command.get("unit"), command.get("target")))
    return command if meant is None else {**command, "action": meant}


def _canonical(command: dict[str, Any]) -> Command:
    try:
        return vocabulary.canonical(command)
    except vocabulary.CommandError as error:
        if error.key in PLAYER_ERRORS or (
                command["action"] in frames.TABLE_ACTIONS and error.key in i18n.MESSAGES):
            raise Incomplete(error.key) from None  # "cancel" alone: cancel what?
        raise Unclear from None


# ---------------------------------------------------------------- guards

CONCEPTS = {"verb", "unit", "group", "generic", "building", "place", "base", "region",
            "tile", "bad_tile", "owner", "ctrl", "speed"}
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f]")  # ANSI codes too
_ABUSE_RAW = re.compile(lexicon.NOT_ALLOWED_RAW, re.IGNORECASE)
_ABUSE = re.compile(lexicon.NOT_ALLOWED)
_ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüÿœ]", re.IGNORECASE)
_GIBBERISH = re.compile(r"[bcdfghjklmnpqrstvwxz]{5}")


def _guard(text: Any) -> ParseResult | None:
    """Refuse what cannot be an order before doing any work on it."""
    if not isinstance(text, str):
        return ParseResult([], "rejected", "en", "not_a_command")
    if len(text) > vocabulary.MAX_ORDER_CHARS:
        lang = detect_language(text[:vocabulary.MAX_ORDER_CHARS])
        return ParseResult([], "rejected", lang, "order_too_long",
                           {"max": vocabulary.MAX_ORDER_CHARS})
    if not text.strip():
        return ParseResult([], "rejected", "en", "empty_order")
    if _ABUSE_RAW.search(text) or _ABUSE.search(lexicon.normalize(text)):
        return ParseResult([], "rejected", detect_language(text), "not_allowed")
    return None


def _language(items: list[Item], text: str) -> str:
    votes = {"en": 0, "fr": 0}
    for item in items:
        if item.lang in votes:
            votes[item.lang] += 1
    if _ACCENTED.search(text):
        votes["fr"] += 1
    return "fr" if votes["fr"] > votes["en"] else "en"


def detect_language(text: str) -> str:
    """"en" or "fr": which language the order is written in (English when unsure)."""
    if not isinstance(text, str):
        return "en"
    return _language(lex(_CONTROL.sub(" ", text[:vocabulary.MAX_ORDER_CHARS])), text)


def _not_an_order(items: list[Item]) -> bool:
    """No word of any order, and small talk, filler or keyboard mash: refuse it.
    Unfamiliar words alone go to the model, which may know them."""
    unknown = [i.word for i in items if i.kind in QUESTION_KINDS | frames.TABLE_ONLY_KINDS
               or (i.kind == "unknown" and not i.word.isdigit())]
    chatty = any(i.kind == "chat" for i in items)
    mashed = bool(unknown) and all(_GIBBERISH.search(w) or len(w) > 20
                                   or w == lexicon.FOREIGN_DIGIT for w in unknown)
    return chatty or mashed or not unknown


# ---------------------------------------------------------------- entry point

# Word kinds left to the model: question words outside a status question ("how do I …",
# "more power"), unknown words, conditions, small talk, a coordinate label with no tile.
HANDED_OVER = QUESTION_KINDS | {"unknown", "block", "chat", "coord"}


def parse(text: str) -> ParseResult:
    """Translate one typed order; see the module docstring for the statuses."""
    refused = _guard(text)
    if refused is not None:
        return refused
    raw_items = lex(_CONTROL.sub(" ", text))
    lang = _language(raw_items, text)
    items = tidy(raw_items)
    if not any(item.kind in CONCEPTS for item in items):
        if _not_an_order(items):
            return ParseResult([], "rejected", lang, "not_a_command")
        return ParseResult([], "unknown", lang)
    if any(item.kind in HANDED_OVER for item in items):
        return ParseResult([], "unknown", lang)
    if any(item.kind == "bad_tile" for item in items):
        return ParseResult([], "incomplete", lang, "bad_tile", {"max": MAX_TILE})
    if _deixis_or_anaphora(items) or _bare_building_clause(items):
        return ParseResult([], "unknown", lang)
    try:
        commands = _read_by_table(items) if _table_order(items) else _read_clauses(items)
    except Unclear:
        return ParseResult([], "unknown", lang)
    except Incomplete as missing:
        if missing.key in WHAT_KEYS and any(item.kind in NAMED_THINGS for item in items):
            return ParseResult([], "unknown", lang)  # "we need a refinery, build": it is said
        return ParseResult([], "incomplete", lang, missing.key)
    if not commands:
        return ParseResult([], "unknown", lang)
    return ParseResult(commands, "ok", lang)


def _deixis_or_anaphora(items: list[Item]) -> bool:
    """"here", "that spot" in an order that also names a place: the mouse's point, or
    the place just named ("build a turret at 22,14 and guard that spot")? The model."""
    places = {"region", "tile", "place", "base"}
    return any(i.kind == "here" for i in items) and any(i.kind in places for i in items)


def _bare_building_clause(items: list[Item]) -> bool:
    """A clause that only names a building of ours: the subject said last ("rally to the
    north, war factory"), the action carried over ("repair the refinery and the power
    plant") or a wish ("raffinerie svp")? Read alone it would walk the selection there.
    With a word saying where ("près des tourelles", "au QG") it is that place."""
    for clause, _ in _split(items):
        kinds = {item.kind for item in clause} - frames.NEUTRAL_KINDS
        if kinds == {"building"} and not any(i.word in lexicon.TOWARDS for i in clause):
            return True
    return False


def _read_clauses(items: list[Item]) -> list[Command]:
    """The clause pipeline: the orders that move, fight, build and train."""
    if any(item.kind in frames.TABLE_ONLY_KINDS for item in items):
        raise Unclear  # "attack this": a word only the base's orders read
    filters = [i for i, item in enumerate(items) if item.kind == "filter"]
    if filters:
        return _filtered(items, filters)
    for i, item in enumerate(items):
        if item.kind == "ctrl":  # "group 2 attack north": who
            if item.value is None:
                raise Unclear
            items[i] = Item("group", f"group_{item.value}", item.lang, item.word)
        elif item.kind == "speed":
            raise Unclear
    return canonical_commands(link([read_clause(s, seps) for s, seps in _split(items)]))


def _filtered(items: list[Item], at: list[int]) -> list[Command]:
    """"send the damaged tanks home", "les chars inactifs au nord": one clause, one filter
    beside the units it narrows, given to every command (else the model decides)."""
    beside = lexer.beside_kinds(items, at[0])
    if len(at) > 1 or any(i.kind == "sep" for i in items) or not beside & lexer.SUBJECT_KINDS:
        raise Unclear
    commands = _read_clauses(items[:at[0]] + items[at[0] + 1:])
    if any(c.action not in vocabulary.ACTION_TAKES_FILTER for c in commands):
        raise Unclear
    everyone = "generic" in beside  # "idle units": every one that is idle, not the selection
    return [_canonical(c.as_dict() | {"filter": items[at[0]].value} |
                       ({"unit": ARMY} if everyone and c.unit == SELECTED else {}))
            for c in commands]


def _table_order(items: list[Item]) -> bool:
    return any(item.kind in frames.VERBLESS_KINDS or (
        item.kind == "verb" and item.value in frames.TABLE_VERBS) for item in items)


def _read_by_table(items: list[Item]) -> list[Command]:
    """An order with a verb of the base or the interface ("sell the turret", "pause",
    "tanks are group 2"): clause by clause, each one read by the frames table
    (llm/frames.py), or by the clause pipeline when it has none of those verbs."""
    commands: list[Command] = []
    by_table = False
    for clause, _ in _split(items):
        table_verb = any(i.kind == "verb" and i.value in frames.TABLE_VERBS for i in clause)
        if clause and (table_verb or not any(i.kind == "verb" for i in clause)):
            try:
                commands.append(_canonical(frames.read(_words(clause))))
                by_table = True
                continue
            except frames.NoReading:
                if table_verb or _place_alone(clause):
                    raise Unclear from None  # "that one over there, repair it": not a move
        if clause:
            commands += _read_clauses(clause)
    if not by_table:
        return _read_clauses(items)  # "group 2, attack the north": the clause pipeline's
    if len(commands) > vocabulary.MAX_COMMANDS:
        raise Incomplete("too_many_commands")
    return commands


def _place_alone(clause: list[Item]) -> bool:
    """A place with no one named to go there ("au nord-est, le ralliement de la caserne"):
    beside an order of the table, the place of that order, not a move of the selection."""
    kinds = {item.kind for item in clause}
    return bool(kinds & set(frames.PLACE_KINDS)) and not kinds & (
        lexer.SUBJECT_KINDS | {"ctrl", "pronoun"})


def _words(clause: list[Item]) -> list[tuple[str, Any]]:
    """A clause as the frames table reads it: (kind, value), owners as their own kind."""
    return [(item.value if item.kind == "owner" else item.kind, item.value) for item in clause]


# "Build what?" is no answer to an order that names a unit or building, or points to one.
WHAT_KEYS = {"build_what", "train_what"}
NAMED_THINGS = {"unit", "building", "pronoun", "en"}


def _split(items: list[Item]) -> list[tuple[list[Item], tuple[str, ...]]]:
    """The clauses between separators, each with the separators just before it."""
    clauses: list[tuple[list[Item], tuple[str, ...]]] = [([], ())]
    for item in items:
        if item.kind == "sep":
            clauses.append(([], (item.word,)))
        else:
            clauses[-1][0].append(item)
    return clauses
