"""The advisor's model side, in the game process: what to tell the model about
the battle, and whether what it answers may be shown.

The model is a small base model: it copies. Given examples with fixed advice it
pasted the situation's numbers into one of them ("With 5000 credits, build a
power plant and a barracks first", with both built, the number sometimes the
power). So the situation line now starts with the fact behind the heuristic
analysis' first tip ("fact") and its recommendation ("todo"), which the examples
turn into advice; and every remark goes through `review_remark`, which shows it
only if all of these hold:

- one or two sentences about the game, in the player's language, no prompt debris;
- every word is one the situation line, the unit and building names, or a short
  list of glue words and advice verbs supports (no free claims such as "cannot hit");
- every number is bound to the quantity it names ("250 credits" is the credits,
  "3 tanks" a count of our or the seen enemy tanks, "10/40" the power), with the
  right singular or plural, and French "ennemi(e)(s)" agreeing with its noun;
- the claims it makes in words (power low, no income, "no artillery", enemies at
  the base, a strong army...) are true;
- the rules parser (llm.parser) reads its recommended action, and the heuristic
  report ranks that action as sensible now (game.advisor.Report.recommends).

Otherwise it is dropped with a reason (counted by the advisor desk).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from game.i18n import FEMININE_FR, name
from game.rules import BUILDING_TYPES
from game.vocabulary import Command
from llm.lexicon import BUILDINGS, UNITS
from llm.parser import detect_language, parse
from llm.prompts import ADVICE_EXAMPLES, MAX_SUMMARY_CHARS

MIN_CHARS, MAX_CHARS = 12, 240
# Words that show a remark is about this game (accents stripped, lower case).
GAME_WORDS = {
    "en": ("credit", "power", "army", "base", "attack", "defend", "harvest", "ore", "enemy",
           "build", "train", "unit", "tank", "infantry", "soldier", "artillery", "helicopter",
           "turret", "refinery", "barracks", "factory", "plant", "scout", "expand", "economy"),
    "fr": ("credit", "energie", "armee", "base", "attaqu", "defen", "recolt", "minerai",
           "ennemi", "constru", "entrain", "unite", "char", "soldat", "artillerie",
           "helicoptere", "tourelle", "raffinerie", "caserne", "usine", "centrale",
           "collecteur", "economie", "reconnaissance"),
}
PROMPT_DEBRIS = re.compile(r"(advice \(|conseil \(|commands:|situation:|todo|a faire|à faire"
                           r"|fact\b|constat\b|\w ?; \w"
                           r"|<|\||https?:|\{|\})", re.IGNORECASE)
WORDS = {
    "en": {"credits": "credits", "power": "power", "units": "units", "none": "none",
           "fact": "fact", "todo": "todo"},
    "fr": {"credits": "crédits", "power": "énergie", "units": "unités", "none": "aucune",
           "fact": "constat", "todo": "à faire"},
}
# The fact behind the heuristic's first tip, by tip key: the model quotes it before
# the todo, so the remark's claim is one the analysis has checked.
NOTES = {
    "en": {"threat": "{near} at our base", "power": "power low at {power}",
           "power_first": "no power plant", "refinery": "no income", "harvester": "no harvester",
           "idle_harvesters": "idle harvesters", "harvester_attacked": "harvesters under attack",
           "no_army": "no army", "behind": "the enemies seen are stronger",
           "attack": "a strong army", "artillery": "artillery without escort",
           "spend": "{credits} credits unspent", "barracks": "no barracks",
           "war_factory": "no war factory", "idle_factory": "idle factory"},
    "fr": {"threat": "{near} à notre base", "power": "énergie faible à {power}",
           "power_first": "pas de centrale", "refinery": "aucun revenu",
           "harvester": "aucun collecteur", "idle_harvesters": "collecteurs inactifs",
           "harvester_attacked": "collecteurs attaqués", "no_army": "aucune armée",
           "behind": "les ennemis vus sont plus forts", "attack": "une armée forte",
           "artillery": "artillerie sans escorte", "spend": "{credits} crédits inutilisés",
           "barracks": "pas de caserne", "war_factory": "pas d'usine d'armement",
           "idle_factory": "usine inactive"},
}
# The heuristic's recommended action in words the rules parser reads back.
TODO_PHRASES = {
    "en": {"build": "build a {thing}", "train": "train {things}", "defend": "defend {place}",
           "move": "move the army to {place}", "attack": "attack {the} {thing}",
           "harvest": "harvest the ore"},
    "fr": {"build": "construisez {a} {thing}", "train": "entraînez des {things}",
           "defend": "défendez {place}", "move": "ramenez l'armée à {place}",
           "attack": "attaquez {the} {thing}", "harvest": "récoltez le minerai"},
}


@dataclass(frozen=True)
class Review:
    text: str | None  # the tidied remark, or None when dropped
    reason: str  # "ok" or why it was dropped


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _counted(counts: dict[str, int], lang: str) -> str:
    return ", ".join(f"{n} {name(kind, lang, n)}" for kind, n in counts.items() if n)


def todo_phrase(action: tuple[str, str], lang: str) -> str:
    """("build", "refinery") -> "build a refinery" / "construisez une raffinerie"."""
    verb, thing = action
    template = TODO_PHRASES.get(lang, TODO_PHRASES["en"]).get(verb, "")
    feminine = thing.removeprefix("enemy_") in FEMININE_FR
    the = {"en": "the", "fr": "la" if feminine else "le"}.get(lang, "the")
    label = name(thing, lang, 1)
    if thing == "enemy_base":
        label, the = name(thing, lang).split(" ", 1)[1], name(thing, lang).split(" ", 1)[0]
    elif verb == "build":
        label = label.lower()
    text = template.format(a="une" if feminine else "un", the=the, thing=label,
                           things=name(thing, lang), place=name(thing, lang))
    return text.replace("entraînez des artillerie", "entraînez de l'artillerie")


def situation(facts: dict[str, Any], lang: str) -> str:
    """The battle in one line, in the style of the advisor prompt's examples: the
    fact behind the first tip and its todo first (a small model copies the start of
    its input best), then the credits, power and units the remark may quote:
    "fact power low at 10/40; todo build a power plant; credits 250; power 10/40; ..."."""
    w = WORDS.get(lang, WORDS["en"])
    parts = []
    note = NOTES.get(lang, NOTES["en"]).get(str(facts.get("top_tip", "")))
    if note:
        parts.append(f"{w['fact']} " + note.format(
            near=_counted(facts.get("enemy_near_units", {}), lang), credits=facts.get("credits"),
            power=f"{facts.get('power_produced')}/{facts.get('power_used')}"))
    for action in facts.get("todo", ())[:1]:
        parts.append(f"{w['todo']} {todo_phrase(tuple(action), lang)}")
    parts += [
        f"{w['credits']} {facts.get('credits', 0)}",
        f"{w['power']} {facts.get('power_produced', 0)}/{facts.get('power_used', 0)}",
        f"{w['units']} {_counted(facts.get('units', {}), lang) or w['none']}",
    ]
    return "; ".join(parts)[:MAX_SUMMARY_CHARS]


# -- the review ---------------------------------------------------------------

def review_remark(text: str, lang: str, report: Any | None = None) -> Review:
    """Whether a model remark may be shown (see the module docstring). `report` is
    the game.advisor.Report the remark's situation came from; without it only the
    form is checked (language, topic, debris)."""
    remark = " ".join(str(text).split())
    reason = _form_problem(remark, lang)
    if reason is None and report is None and _words(_plain(remark)) in _EXAMPLE_WORDS:
        reason = "example_copy"  # unchecked, an example is about another battle
    if reason is None and report is not None:
        reason = _fact_problem(remark, lang, report.facts) or _action_problem(remark, report)
    if reason is not None:
        return Review(None, reason)
    return Review(remark[0].upper() + remark[1:], "ok")


def accept_remark(text: str, lang: str, report: Any | None = None) -> str | None:
    """The remark, tidied, if it may be shown; None to keep the heuristic text only."""
    return review_remark(text, lang, report).text


def _form_problem(remark: str, lang: str) -> str | None:
    if not MIN_CHARS <= len(remark) <= MAX_CHARS:
        return "length"
    if PROMPT_DEBRIS.search(remark):
        return "debris"
    if sum(c.isalpha() for c in remark) < 0.6 * len(remark):
        return "debris"  # digits, symbols, code: not advice
    if detect_language(remark) != lang:
        return "language"
    plain = _plain(remark)
    if not any(word in plain for word in GAME_WORDS.get(lang, ())):
        return "off_topic"
    return None


def _words(plain: str) -> frozenset[str]:
    """Words and numbers: an example verbatim is about another battle; an example with
    this battle's numbers may be true, which the fact checks decide."""
    return frozenset(re.findall(r"[a-z]+|\d+", plain))


_EXAMPLE_WORDS = {_words(_plain(advice)) for _, _, advice in ADVICE_EXAMPLES}


# -- numbers, agreement and claims ----------------------------------------------

def _single_words(table: dict[str, dict[str, str]]) -> dict[str, str]:
    """Single-word names in a lexicon table (accents stripped) -> meaning, both languages."""
    words: dict[str, str] = {}
    for kind, by_lang in table.items():
        for spec in by_lang.values():
            for phrase in spec.split("|"):
                if " " not in phrase and "-" not in phrase and "'" not in phrase:
                    words[_plain(phrase)] = kind
    return words


UNIT_WORDS = _single_words(UNITS)
BUILDING_NAMES = _single_words(BUILDINGS)  # "refinery", "centrale", "power" is not one
NEGATION = re.compile(r"\b(?:no|without|zero|aucune?|sans|pas d.|plus d.)\s?([a-z]+)(?: ([a-z]+))?")
CREDIT_WORDS = {"credit", "credits"}
ENEMY_WORDS = {"enemy", "enemies", "ennemi", "ennemis", "ennemie", "ennemies", "foes", "hostiles"}
ARMY_WORDS = {"unit", "units", "unite", "unites"}
HARVESTER_WORDS = {w for w, k in UNIT_WORDS.items() if k == "harvester"}
# Words whose form says one or several (invariant words are in neither).
SINGULAR_WORDS = {"credit", "tank", "soldier", "helicopter", "harvester", "enemy", "unit",
                  "turret", "char", "soldat", "helicoptere", "collecteur", "ennemi", "ennemie",
                  "unite", "tourelle", "troupe", "heli", "helico", "chopper", "trooper"}
PLURAL_WORDS = {"credits", "tanks", "soldiers", "helicopters", "harvesters", "enemies", "units",
                "turrets", "chars", "soldats", "helicopteres", "collecteurs", "ennemis",
                "ennemies", "unites", "tourelles", "troupes", "helis", "helicos", "choppers",
                "troopers", "troops", "men"}
# French nouns that take "ennemie(s)"; the unit nouns, "base" and so on are listed.
FEMININE_NOUNS = {"base", "raffinerie", "raffineries", "centrale", "centrales", "caserne",
               "casernes", "usine", "usines", "tourelle", "tourelles", "unite", "unites",
               "armee", "armees", "force", "forces", "troupe", "troupes", "artillerie",
               "position", "positions", "defense", "defenses", "attaque", "attaques", "vague"}
MASCULINE_NOUNS = {"char", "chars", "soldat", "soldats", "helicoptere", "helicopteres", "helico",
                "helicos", "collecteur", "collecteurs", "qg", "batiment", "batiments",
                "fantassin", "fantassins", "blinde", "blindes", "camp", "assaut", "raid"}
# (pattern on the plain remark, fact test): claims in words that must be true.
CLAIMS: tuple[tuple[re.Pattern[str], Any], ...] = tuple((re.compile(p), test) for p, test in (
    (r"power is (low|short)|low power|short of power|power deficit|not enough power"
     r"|energie (manque|faible|insuffisante)|manque d.energie|deficit",
     lambda f: f["power_used"] > f["power_produced"]),
    (r"only (an|a|the|your) hq|seulement (un|le|votre) qg|que le qg|qu.un qg",
     lambda f: list(f["building_kinds"]) == ["hq"]),
    (r"no income|no refinery|sans revenu|aucun revenu|pas de revenu|sans raffinerie"
     r"|pas de raffinerie", lambda f: "refinery" not in f["building_kinds"]
     or not f["harvesters"]),
    (r"(at|in|near|inside|attacking) (the|your|our) base|(a|dans|pres de|sur) (la|votre|notre)"
     r" base|base (is|est) (under attack|attaquee)", lambda f: bool(f["threat"])),
    (r"no army|without an army|pas d.armee|sans armee|aucune armee", lambda f: not f["army"]),
    (r"stronger|outgun|outnumber|plus forte?s?\b|surclass|domine",
     lambda f: f["balance"] in ("balance_ahead", "balance_behind")),
    (r"no power plant|pas de centrale", lambda f: "power_plant" not in f["building_kinds"]),
    (r"no barracks|pas de caserne", lambda f: "barracks" not in f["building_kinds"]),
    (r"no war factory|pas d.usine", lambda f: "war_factory" not in f["building_kinds"]),
    (r"no harvester|aucun collecteur", lambda f: not f["harvesters"]),
    (r"idle|inacti", lambda f: f["idle_harvesters"] > 0 or f["top_tip"] == "idle_factory"),
    (r"under attack|\battaquee?s?\b|menac", lambda f: bool(f["threat"])
     or f["top_tip"] == "harvester_attacked"),
    (r"strong army|armee (forte|puissante)", lambda f: f["balance"] == "balance_ahead"
     or f["top_tip"] == "attack"),
    (r"\bonly (an? |one |the )?(hq|power plant|barracks|refinery|war factory)\b"
     r"|seulement (un |une |le |la )?(qg|centrale|caserne|raffinerie)\b",
     lambda f: len(f["building_kinds"]) == 1),
))


# Words a remark may use beyond those of its situation line: glue, and the verbs of
# advice. Anything else ("cannot", "idle", "ne travaillent pas") is a claim the
# situation does not support, and the model reuses such claims from its examples.
GLUE_WORDS = {
    "en": set("you have has with and only the a an at our your is are of in to so now then yet "
              "first against enemy enemies seen low no income strong army base it them all more "
              "build train defend attack harvest move send guard protect pull back "
              "one two three".split()),
    "fr": set("vous avez a avec et seulement le la les l un une des de du d au aux notre votre "
              "est sont en puis maintenant abord contre ennemi ennemis ennemie ennemies vus vu "
              "manque faible aucun aucune revenu forte armee base tout toute tous "
              "construisez entrainez defendez attaquez recoltez ramenez envoyez protegez gardez "
              "produisez".split()),
}


BUILDING_WORDS = {word for kind in BUILDING_TYPES for lang in ("en", "fr")
                  for word in re.findall(r"[a-z]+", _plain(name(kind, lang)))}


def _supported(plain: str, lang: str, facts: dict[str, Any]) -> bool:
    allowed = GLUE_WORDS.get(lang, set()) | set(re.findall(r"[a-z]+", _plain(
        situation(facts, lang))))
    allowed |= set(UNIT_WORDS) | SINGULAR_WORDS | PLURAL_WORDS | BUILDING_WORDS
    return set(re.findall(r"[a-z]+", plain)) <= allowed


def _fact_problem(remark: str, lang: str, facts: dict[str, Any]) -> str | None:
    plain = _plain(remark)
    if not _supported(plain, lang, facts):
        return "unsupported"
    tokens = re.findall(r"\d+/\d+|\d+|[a-z]+", plain)
    for i, token in enumerate(tokens):
        if token[0].isdigit() and not _number_bound(tokens, i, facts):
            return "numbers"
    if not _agrees(tokens, lang):
        return "agreement"
    for pattern, holds in CLAIMS:
        if pattern.search(plain) and not holds(facts):
            return "claim"
    if not all(_absent(words, facts) for words in NEGATION.findall(plain)):
        return "claim"
    return None


def _absent(words: tuple[str, str], facts: dict[str, Any]) -> bool:
    """"no artillery", "pas de caserne": we have none of that unit or building."""
    for word in words:
        if word in UNIT_WORDS:
            return not facts["units"].get(UNIT_WORDS[word])
        if word in BUILDING_NAMES or word == "power" and words[1] == "plant":
            kind = BUILDING_NAMES.get(word, "power_plant")
            return kind not in facts["building_kinds"]
    return True


def _number_bound(tokens: list[str], i: int, facts: dict[str, Any]) -> bool:
    """A number names exactly one quantity of the situation, and is that quantity."""
    token = tokens[i]
    if "/" in token:
        produced, used = (int(x) for x in token.split("/"))
        return (produced, used) == (facts["power_produced"], facts["power_used"])
    value = int(token)
    before = tokens[i - 1] if i else ""
    after = tokens[i + 1:i + 3]
    if before == "minute":
        return value == facts["minute"]
    if before in CREDIT_WORDS or (after and after[0] in CREDIT_WORDS):
        return value == facts["credits"]
    if not after:
        return False
    word = after[0]
    enemy = word in ENEMY_WORDS or (len(after) > 1 and after[1] in ENEMY_WORDS) \
        or before in ENEMY_WORDS
    if word in HARVESTER_WORDS:
        return value == facts["harvesters"]
    if word in UNIT_WORDS:
        kind = UNIT_WORDS[word]
        enemy_counts = {facts["enemy_units"].get(kind, 0), facts["enemy_near_units"].get(kind, 0)}
        own = facts["units"].get(kind, 0)
        return value in enemy_counts if enemy else value in enemy_counts | {own}
    if word in ENEMY_WORDS:
        return value in (facts["enemy_seen"], facts["enemy_near"])
    if word in ARMY_WORDS:
        return value == facts["army"] or (enemy and value in (facts["enemy_seen"],
                                                             facts["enemy_near"]))
    return False


def _agrees(tokens: list[str], lang: str) -> bool:
    """Singular after 1, plural after more; French "ennemi(e)(s)" agrees with its noun."""
    for i, token in enumerate(tokens):
        if token.isdigit() and i + 1 < len(tokens):
            word = tokens[i + 1]
            if (int(token) == 1 and word in PLURAL_WORDS) or \
                    (int(token) > 1 and word in SINGULAR_WORDS):
                return False
        if lang == "fr" and token.startswith("ennemi") and not _enemy_agrees(tokens, i):
            return False
    return True


def _enemy_agrees(tokens: list[str], i: int) -> bool:
    word = tokens[i]
    plural = word.endswith("s")
    feminine = word.rstrip("s").endswith("ie")
    noun = tokens[i - 1] if i else ""
    if noun in FEMININE_NOUNS or noun in MASCULINE_NOUNS:  # an adjective: "chars ennemis"
        return (noun in FEMININE_NOUNS) == feminine and noun.endswith(("s", "x")) == plural
    # a noun ("les ennemis", "un ennemi"): French uses the masculine
    return not feminine


# -- the recommended action ------------------------------------------------------

_CLAUSE_SPLIT = re.compile(r"[.!?;:]|,")
_LEAD = re.compile(r"^\s*(then|so|now|and|puis|alors|donc|et|maintenant)\b[\s,]*", re.IGNORECASE)


def recommended_commands(remark: str) -> list[Command]:
    """The commands the rules parser reads in the remark's advice: the whole remark
    if it parses as orders, else the first clause (after the fact before a colon,
    or between commas) that does. Empty when no part reads as an order."""
    pieces = [remark, remark.split(":")[-1]]
    pieces += [p for p in _CLAUSE_SPLIT.split(remark) if p.strip()]
    for piece in pieces:
        result = parse(_LEAD.sub("", piece.strip()))
        commands = [c for c in result.commands if c.action != "analyze"]
        if result.status == "ok" and commands:
            return commands
    return []


def _action_problem(remark: str, report: Any) -> str | None:
    commands = recommended_commands(remark)
    if not commands:
        return "no_action"
    if not all(report.recommends(c) for c in commands):
        return "not_sensible"
    return None
