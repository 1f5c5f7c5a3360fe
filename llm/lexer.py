"""Order words -> lexicon classes: the first stage of reading a typed order.

`lex` tokenises an order, corrects typos and matches the longest known phrases of
llm/lexicon.py; `tidy` then rewrites the items whose meaning depends on their
neighbours (tiles, numbers in words, "top left", "north of my base", French "en",
status questions). The rules parser (llm/parser.py) reads frames from these items,
and the model's guide and answer checks (llm/guide.py, llm/answer_checks.py) read the
values an order names from them.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from game import vocabulary
from llm import lexicon
from llm.lexicon import Entry

MAX_TILE = 255  # largest tile coordinate an order may name
MY_BASE, ENEMY_BASE, _ = vocabulary.PLACES

# ---------------------------------------------------------------- lexing

PHRASES: dict[tuple[str, ...], Entry] = lexicon.build_phrase_table()
MAX_PHRASE = max(len(p) for p in PHRASES)
KNOWN_WORDS = frozenset(w for phrase in PHRASES for w in phrase)
MAX_TYPO_FIXES = 4  # misspelt words corrected per order
MARKS = {",": "sep", ";": "sep", ".": "sep", "!": "sep", "?": "sep",
         "/": "mark", ":": "mark", "=": "mark"}


@dataclass
class Item:
    kind: str
    value: Any
    lang: str | None
    word: str


def _osa_distance(a: str, b: str) -> int:
    """Edit distance where swapping two neighbouring letters costs one."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def _allowed_typos(length: int) -> int:
    return 2 if length >= 8 else 1 if length >= 4 else 0


def _deletions(word: str, depth: int) -> set[str]:
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _typo_index() -> dict[str, tuple[str, ...]]:
    """Deletion neighbourhoods of known words (symmetric-delete spelling lookup).
    Tuples, not lists: the garbage collector skips them, which keeps its pauses
    out of the parse time."""
    index: dict[str, list[str]] = {}
    for word in sorted(KNOWN_WORDS):
        if word.isalpha():
            for variant in _deletions(word, _allowed_typos(len(word))):
                index.setdefault(variant, []).append(word)
    return {variant: tuple(words) for variant, words in index.items()}


TYPO_INDEX = _typo_index()


def _meaning(word: str) -> tuple[str, Any]:
    entry = PHRASES.get((word,))
    return (entry.kind, entry.value) if entry else ("word", word)


@lru_cache(maxsize=4096)
def correct_typo(word: str) -> str | None:
    """The known word `word` was meant to be, if exactly one meaning is close enough."""
    if len(word) < 4 or len(word) > 20 or not word.isalpha() or word in lexicon.NO_TYPO_FIX:
        return None
    reach = _allowed_typos(len(word))  # a short word can only be one edit from anything
    candidates = {c for v in _deletions(word, reach) for c in TYPO_INDEX.get(v, ())}
    best: dict[int, list[str]] = {}
    for candidate in sorted(candidates):
        distance = _osa_distance(word, candidate)
        if distance <= _allowed_typos(min(len(word), len(candidate))):
            best.setdefault(distance, []).append(candidate)
    if not best:
        return None
    closest = best[min(best)]
    return closest[0] if len({_meaning(c) for c in closest}) == 1 else None


def _single(token: str) -> Item:
    if token.isdigit():
        return Item("number", int(token[:6]), None, token)  # past 50 it is refused anyway
    if token in MARKS:
        return Item(MARKS[token], None, None, token)
    return Item("unknown", None, None, token)


def _corrected(tokens: list[str]) -> list[str]:
    """Known words as they are; typos fixed, up to a few per order ("within reason":
    more goes to the model anyway, and this bounds the time keyboard mash can take)."""
    out, attempts = [], 0
    for token in tokens:
        if token in KNOWN_WORDS or attempts >= MAX_TYPO_FIXES:
            out.append(token)
            continue
        attempts += len(token) >= 4
        out.append(correct_typo(token) or token)
    return out


def lex(text: str) -> list[Item]:
    """Longest known phrase first at each position; unknown words stay unknown."""
    tokens = _corrected(lexicon.tokenize(text))
    items: list[Item] = []
    i = 0
    while i < len(tokens):
        for length in range(min(MAX_PHRASE, len(tokens) - i), 0, -1):
            entry = PHRASES.get(tuple(tokens[i:i + length]))
            if entry is not None:
                value = int(str(entry.value)) if entry.kind == "number" else entry.value
                items.append(Item(entry.kind, value, entry.lang, " ".join(tokens[i:i + length])))
                i += length
                break
        else:
            items.append(_single(tokens[i]))
            i += 1
    return items


# ---------------------------------------------------------------- tidying items

NOUNS = lexicon.NOUN_KINDS
SUBJECT_KINDS = frozenset({"unit", "group", "generic"})  # words naming who is meant
THINGS = {"unit", "group", "generic", "building"}  # nouns that are not places
SKIPPED_IN_NOUN_PHRASE = lexicon.NOUN_PHRASE_SKIPS


def next_kind(items: list[Item], start: int, skip: AbstractSet[str]) -> str | None:
    for item in items[start:]:
        if item.kind not in skip:
            return item.kind
    return None


# Kinds that may stand between an owner and its noun ("leurs 3 gros chars").
SKIPPED_BEFORE_NOUN = frozenset({"filler", "adj", "number", "all", "some"})


def owner_of(items: list[Item], i: int) -> str | None:
    """Whose items[i] is said to be: "enemy tanks" / "leurs chars" (owner before, past
    articles, numbers and adjectives) or "chars ennemis" (owner after); None if unsaid."""
    j = i - 1
    while j >= 0 and items[j].kind in SKIPPED_BEFORE_NOUN:
        j -= 1
    if j >= 0 and items[j].kind == "owner":
        return items[j].value
    after = items[i + 1] if i + 1 < len(items) else None
    return after.value if after is not None and after.kind == "owner" else None


def beside_kinds(items: list[Item], i: int) -> set[str]:
    """The kinds of the items just before and after items[i] (a filter's units)."""
    return {items[k].kind for k in (i - 1, i + 1) if 0 <= k < len(items)}


def is_of(item: Item) -> bool:
    """"of", "the", "de la": a filler between a thing and what it belongs to."""
    return item.kind == "filler" and item.word in lexicon.OF_WORDS


def _is_digits(item: Item) -> bool:
    return item.kind == "number" and item.word.isdigit()


def _rewrite(items: list[Item], match_at: Callable[[list[Item], int], tuple[Item, int] | None]
             ) -> list[Item]:
    """Replace each run of items that `match_at` recognises (it returns the new item and
    where the run ends) by that one item; other items stay as they are."""
    out: list[Item] = []
    i = 0
    while i < len(items):
        match = match_at(items, i)
        if match is None:
            out.append(items[i])
            i += 1
        else:
            item, i = match
            out.append(item)
    return out


def _tile_item(x: int, y: int) -> Item:
    if x > MAX_TILE or y > MAX_TILE:
        return Item("bad_tile", None, None, f"{x},{y}")
    return Item("tile", vocabulary.tile_target(x, y), None, f"{x},{y}")


def find_tiles(items: list[Item]) -> list[Item]:
    """"40,12", "40 12", "x 40 y 12", "40/12" -> one tile item (not "5, 3 tanks")."""
    def tile_at(items: list[Item], i: int) -> tuple[Item, int] | None:
        match = _tile_at(items, i)
        return None if match is None else (_tile_item(*match[0]), match[1])

    return _rewrite(items, tile_at)


def _tile_at(items: list[Item], i: int, spelled: bool = False
             ) -> tuple[tuple[int, int], int] | None:
    """The tile at items[i]; `spelled`: after a tile word, numbers may be words too."""
    j = i
    labelled = spelled
    numbers: list[int] = []
    for _ in range(2):
        if j < len(items) and items[j].kind == "coord":
            labelled = True
            j += 1
            if j < len(items) and items[j].kind == "mark":
                j += 1
        if j >= len(items) or not (_is_digits(items[j]) or (
                spelled and items[j].kind == "number" and items[j].word not in lexicon.ARTICLES)):
            return None
        numbers.append(items[j].value)
        j += 1
        if len(numbers) == 1 and j < len(items) and items[j].word in (",", "/"):
            labelled = True
            j += 1
    if next_kind(items, j, {"filler"} | SKIPPED_IN_NOUN_PHRASE) in NOUNS - {"place", "base"}:
        return None  # "train 5, 3 tanks": counts, not a tile
    if not labelled and i > 0 and items[i - 1].kind == "number":
        return None
    return (numbers[0], numbers[1]), j


LOOSE_TILE_SEPARATORS = frozenset({",", ";", "/", "by", "x", "sur"})


def loose_tile(items: list[Item]) -> str | None:
    """The one tile two numbers side by side may name ("at twenty thirty", "en 41;19",
    "22 by 50"): read only where the model has already decided the order names a tile
    and none of the strict forms above is there. None when there is no such pair, or
    more than one."""
    def number(i: int) -> bool:
        return i < len(items) and items[i].kind == "number" and (
            items[i].word not in lexicon.ARTICLES)

    pairs = []
    for i in range(len(items)):
        if not number(i) or (i > 0 and items[i - 1].kind == "number"):
            continue
        j = i + 2 if i + 1 < len(items) and items[i + 1].word in LOOSE_TILE_SEPARATORS else i + 1
        if number(j) and not number(j + 1) and next_kind(
                items, j + 1, {"filler"} | SKIPPED_IN_NOUN_PHRASE) not in NOUNS - {"place", "base"}:
            pairs.append((items[i].value, items[j].value))
    if len(pairs) != 1 or max(pairs[0]) > MAX_TILE:
        return None
    return vocabulary.tile_target(*pairs[0])


def find_spelled_tiles(items: list[Item]) -> list[Item]:
    """Tiles written in words after a tile word, once number words are combined:
    "tile twenty, forty", "case septante-deux, quarante" (counts stop at 50, tiles do not)."""
    if not any(item.kind == "filler" and item.word in lexicon.TILE_WORDS for item in items):
        return items
    out: list[Item] = []
    i = 0
    while i < len(items):
        out.append(items[i])
        i += 1
        if not (out[-1].kind == "filler" and out[-1].word in lexicon.TILE_WORDS):
            continue
        match = _tile_at(items, i, spelled=True)
        if match is not None:
            (x, y), i = match
            out.append(_tile_item(x, y))
    return out


def combine_numbers(items: list[Item]) -> list[Item]:
    """"twenty one", "vingt et un", "two hundred" -> one number."""
    out: list[Item] = []
    for item in items:
        if item.kind == "number" and out:
            prev, link = out[-1], None
            if prev.kind == "sep" and prev.word in ("et", "and") and len(out) > 1:
                prev, link = out[-2], prev
            total = _combined(prev, item) if prev.kind == "number" else None
            if total is not None and (link is None or 1 <= item.value <= 9):
                del out[-2 if link else -1:]
                out.append(Item("number", total, item.lang, f"{prev.word} {item.word}"))
                continue
        out.append(item)
    return out


def _combined(first: Item, second: Item) -> int | None:
    """The number two number words say together (lexicon.NUMBER_COMPOUNDS), if any."""
    if first.word.isdigit() or second.word.isdigit():
        return None
    for firsts, seconds, times in lexicon.NUMBER_COMPOUNDS:
        if first.value in firsts and second.value in seconds:
            return first.value * second.value if times else first.value + second.value
    return None


REGION_PAIRS = {frozenset((a, b)): a + b for a in vocabulary.REGIONS
                for b in vocabulary.REGIONS if a + b in vocabulary.REGIONS}


def combine_regions(items: list[Item]) -> list[Item]:
    """"top" + "left" -> northwest, "up north" -> north; "north south" is unclear."""
    out: list[Item] = []
    last_region: int | None = None
    for item in items:
        if item.kind == "region" and last_region is not None:
            first = out[last_region]
            joined = _join_regions(first.value, item.value)
            del out[last_region + 1:]
            out[last_region] = Item("region" if joined else "unknown", joined,
                                    first.lang, f"{first.word} {item.word}")
            continue
        if item.kind == "region":
            last_region = len(out)
        elif not (item.kind == "filler" and item.word in lexicon.ARTICLE_LINKS):
            last_region = None
        out.append(item)
    return out


def _join_regions(a: str, b: str) -> str | None:
    """The same region, a pair ("top left"), or a direction and a corner on its side
    ("up northeast", "down southwest"): the corner."""
    if a == b:
        return a
    if frozenset((a, b)) in REGION_PAIRS:
        return REGION_PAIRS[frozenset((a, b))]
    if a in REGION_PARTS.get(b, ()):
        return b
    return a if b in REGION_PARTS.get(a, ()) else None


REGION_PARTS = {joined: tuple(pair) for pair, joined in REGION_PAIRS.items()}


# What a status question may name besides its question word: "how's my economy looking?",
# "how are the tanks doing", "où en est mon armée ?".
QUESTION_PARTS = {"filler", "owner", "unit", "group", "generic", "base", "place", "building",
                  "region", "topic", "state", "pronoun", "all"}
QUESTION_KINDS = {"how", "topic", "state"}  # understood in status questions only


def status_questions(items: list[Item]) -> None:
    """A clause that is a question word and only what it asks about is a status
    question: its question word becomes the "analyze" verb. "How do I build a
    turret?" has a verb and is no such question (it goes to the model). In an order
    that only asks for a report, topics ("mon économie, ça donne quoi ?") are said."""
    start = 0
    for end in [*(i for i, item in enumerate(items) if item.kind == "sep"), len(items)]:
        clause = items[start:end]
        start = end + 1
        hows = [item for item in clause if item.kind == "how"]
        if len(hows) == 1 and _only_analyze(clause):
            hows[0].kind = "filler"  # "how is the situation"
        elif len(hows) == 1:
            shaped = all(item.kind in QUESTION_PARTS | {"how"} for item in clause)
            asked = any(item.kind not in ("filler", "how", "state") for item in clause)
            going = any(item.kind == "state" for item in clause)
            if shaped and asked and (going or hows[0].word not in lexicon.BARE_HOW):
                hows[0].kind, hows[0].value = "verb", "analyze"
        _say_topics(clause)
    _say_topics(items)  # "mon économie, ça donne quoi ?"


def _only_analyze(items: list[Item]) -> bool:
    return {item.value for item in items if item.kind == "verb"} == {"analyze"}


def _say_topics(items: list[Item]) -> None:
    """What a report is asked about ("status of my economy") is said by asking."""
    if not _only_analyze(items):
        return
    for i, item in enumerate(items):
        if item.kind in ("topic", "state") or (
                item.kind == "owner" and next_kind(items, i + 1, {"filler"}) == "topic"):
            item.kind, item.value = "filler", None


def absorb_generic_nouns(items: list[Item]) -> list[Item]:
    """"army units", "tanks units": the generic noun adds nothing to the unit beside it."""
    def unit_beside(i: int, step: int) -> bool:
        j = i + step
        while 0 <= j < len(items) and is_of(items[j]):
            j += step
        return 0 <= j < len(items) and items[j].kind in ("unit", "group")
    return [item for i, item in enumerate(items)
            if not (item.kind == "generic" and (unit_beside(i, -1) or unit_beside(i, 1)))]


# Each pass's rows by the kind of word they rewrite (most items have no row to try).
REWRITES_BY_KIND = {name: {row.kind: tuple(r for r in rows if r.kind == row.kind) for row in rows}
                    for name, rows in lexicon.REWRITES.items()}


def apply_rewrites(items: list[Item], name: str) -> None:
    """Give each item the kind the first fitting row of pass `name` gives it
    (lexicon.REWRITES: words whose kind depends on their neighbours), reading the order
    once, left to right."""
    rows = REWRITES_BY_KIND[name]
    opens, verbs = True, set[str]()
    for i, item in enumerate(items):
        for row in rows.get(item.kind, ()):
            if _fits(row, items, i, opens, verbs):
                item.kind, item.value = row.becomes
                break
        if item.kind == "sep":
            opens, verbs = True, set[str]()
        elif item.kind != "filler":
            opens = False
        if item.kind == "verb":
            verbs = {item.value}  # the latest verb of the clause


def _fits(row: lexicon.Rewrite, items: list[Item], i: int, opens: bool, verbs: set[str]
          ) -> bool:
    if row.words is not None and items[i].word not in row.words:
        return False
    before = items[i - 1].kind if i else ""
    if (row.opens is not None and row.opens != opens) or (
            row.before is not None and before not in row.before) or (
            row.verbs is not None and not verbs & row.verbs):
        return False
    after = next((items[j] for j in range(i + 1, len(items)) if items[j].kind not in row.skip),
                 None)
    return (row.after is None or (after.kind if after else "") in row.after) and (
        row.after_words is None or (after is not None and after.word in row.after_words)) and (
        row.after_values is None or (after is not None and after.value in row.after_values))


COUNT_KINDS = {"number", "article", "another"}


def french_en(items: list[Item]) -> None:
    """"en" in "construis-en une", "entraîne-en 4" stands for a noun said before, the
    count after it being how many ("va en 40,12", "rentre en base" keep their "en")."""
    for i, item in enumerate(items):
        if item.kind != "filler" or item.word != "en" or i == 0 or items[i - 1].kind != "verb":
            continue
        follows = items[i + 1] if i + 1 < len(items) else None
        if _tile_at(items, i + 1) is None:
            j = i + 1
            while j < len(items) and items[j].kind == "more":
                j += 1  # "entraîne-en encore 3"
            counted = j < len(items) and items[j].kind in COUNT_KINDS
            if follows is None or follows.kind == "sep" or counted:
                item.kind = "en"
                if counted and items[j].kind == "article":
                    items[j].kind, items[j].value = "number", 1  # "construis-en une"


def control_groups(items: list[Item]) -> list[Item]:
    """"group 2", "groupe sept": one control-group item (its number; None when none
    follows)."""
    out: list[Item] = []
    for item in items:
        if out and out[-1].kind == "ctrl" and out[-1].value is None and _group_number(item):
            out[-1] = Item("ctrl", item.value, out[-1].lang, f"{out[-1].word} {item.word}")
            continue
        if item.kind == "here":
            item.value = vocabulary.HERE
        out.append(item)
    return out


def _group_number(item: Item) -> bool:
    """A control group's number, in digits or a word ("groupe sept"), never "a"/"un"."""
    return item.kind == "number" and item.word not in lexicon.ARTICLES and (
        _is_digits(item) or 1 <= item.value <= vocabulary.MAX_CONTROL_GROUP)


SIDE_MARK = "@"  # a place and its side travel as one target, "my_base@north", until `_command`


def relative_places(items: list[Item]) -> list[Item]:
    """"north of my base", "east of the refinery", "au nord de la base ennemie": one place,
    the side of another (not the map's north: issue 11)."""
    def place_at(items: list[Item], i: int) -> tuple[Item, int] | None:
        found = _relative_at(items, i)
        if found is None:
            return None
        target, end = found
        side = items[i].value
        value = target if side == "center" else f"{target}{SIDE_MARK}{side}"
        words = " ".join(x.word for x in items[i:end])
        return Item("place", value, items[i].lang, words), end

    return _rewrite(items, place_at)


def _relative_at(items: list[Item], i: int) -> tuple[str, int] | None:
    if items[i].kind != "region":
        return None
    j = i + 1
    links = set()
    while j < len(items) and is_of(items[j]):
        links.add(items[j].word)
        j += 1
    owner = None
    if j < len(items) and items[j].kind == "owner":
        owner, j = items[j].value, j + 1
    if not links & lexicon.OF_LINKS or j >= len(items):
        return None
    if j + 1 < len(items) and items[j + 1].kind == "owner":
        owner = owner or items[j + 1].value  # "la raffinerie ennemie"
        end = j + 2
    else:
        end = j + 1
    thing = items[j]
    if thing.kind == "base" or (thing.kind == "place" and thing.value == MY_BASE):
        return (ENEMY_BASE if owner == "enemy" else MY_BASE), end
    if thing.kind == "place" and SIDE_MARK not in str(thing.value) and owner is None:
        return thing.value, end
    if thing.kind == "building":
        return f"{'enemy' if owner == 'enemy' else 'my'}_{thing.value}", end
    return None


def fight_victims(items: list[Item]) -> list[Item]:
    """"whoever is hitting my harvester", "ceux qui attaquent nos collecteurs": what of ours
    is attacked belongs to the place "attackers" (it is no subject of the order)."""
    def victim_at(items: list[Item], i: int) -> tuple[Item, int] | None:
        place, after = items[i], items[i + 1:i + 3]
        if place.kind != "place" or place.value not in vocabulary.FIGHT_TARGETS or len(
                after) < 2 or (after[0].kind, after[0].value) != ("owner", "mine"):
            return None
        if after[1].kind not in THINGS - {"group"}:
            return None
        words = " ".join(x.word for x in items[i:i + 3])
        return Item("place", place.value, place.lang, words), i + 3

    fight = any(i.kind == "place" and i.value in vocabulary.FIGHT_TARGETS for i in items)
    return _rewrite(items, victim_at) if fight else items


def tidy(items: list[Item]) -> list[Item]:
    items = control_groups(items)
    apply_rewrites(items, "openers")
    apply_rewrites(items, "clitics")
    french_en(items)
    apply_rewrites(items, "articles")
    items = combine_regions(find_spelled_tiles(combine_numbers(find_tiles(items))))
    items = fight_victims(relative_places(items))
    apply_rewrites(items, "built")
    status_questions(items)
    return absorb_generic_nouns(items)
