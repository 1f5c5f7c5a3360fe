"""The advisor's model side, in the game process: what to tell the model about
the battle, and whether what it answers may be shown.

The model is a small base model: it sometimes answers off-topic, in the wrong
language or with fragments of its prompt. A remark is shown only if it reads
as one or two sentences about the game in the player's language; otherwise
the heuristic tips simply stay.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from game.i18n import name
from llm.parser import detect_language
from llm.prompts import ADVICE_EXAMPLES, MAX_SUMMARY_CHARS

MIN_CHARS, MAX_CHARS = 12, 240
_NUMBER = re.compile(r"\d+")
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
PROMPT_DEBRIS = re.compile(r"(advice \(|conseil \(|commands:|situation:|<|\||https?:|\{|\})",
                           re.IGNORECASE)
WORDS = {
    "en": {"credits": "credits", "power": "power", "units": "units", "buildings": "buildings",
           "enemy": "enemy seen", "near_base": "near our base", "none": "none", "minute": "minute"},
    "fr": {"credits": "crédits", "power": "énergie", "units": "unités", "buildings": "bâtiments",
           "enemy": "ennemi vu", "near_base": "près de la base", "none": "aucun",
           "minute": "minute"},
}


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _counted(counts: dict[str, int], lang: str) -> str:
    return ", ".join(f"{n} {name(kind, lang, n)}" for kind, n in counts.items() if n)


def situation(facts: dict[str, Any], lang: str) -> str:
    """The battle in one line, in the style of the advisor prompt's examples:
    "credits 250; power 10/40; units 4 infantry; enemy seen 3 tanks north"."""
    w = WORDS.get(lang, WORDS["en"])
    parts = [
        f"{w['minute']} {facts.get('minute', 0)}",
        f"{w['credits']} {facts.get('credits', 0)}",
        f"{w['power']} {facts.get('power_produced', 0)}/{facts.get('power_used', 0)}",
        f"{w['units']} {_counted(facts.get('units', {}), lang) or w['none']}",
        f"{w['buildings']} " + (", ".join(name(b, lang) for b in facts.get('building_kinds', ()))
                                or w["none"]),
    ]
    enemy = _counted(facts.get("enemy_units", {}), lang)
    if enemy:
        where = w["near_base"] if facts.get("threat") else name(facts.get("enemy_region", ""),
                                                                 lang)
        parts.append(f"{w['enemy']} {enemy} {where}".strip())
    return "; ".join(parts)[:MAX_SUMMARY_CHARS]


def accept_remark(text: str, lang: str, situation_text: str = "") -> str | None:
    """The remark, tidied, if it may be shown; None to keep the heuristic text only.

    With the situation the model was given, every number in the remark must come
    from it: a remark that invents "6000 credits" is not about this battle.
    """
    remark = " ".join(str(text).split())
    if not MIN_CHARS <= len(remark) <= MAX_CHARS or PROMPT_DEBRIS.search(remark):
        return None
    letters = sum(c.isalpha() for c in remark)
    if letters < 0.6 * len(remark):
        return None  # digits, symbols, code: not advice
    if detect_language(remark) != lang:
        return None
    plain = _plain(remark)
    if not any(word in plain for word in GAME_WORDS.get(lang, ())):
        return None  # fluent but not about the game
    if _words(plain) in _EXAMPLE_WORDS:
        return None  # a copy of the prompt's own example, not about this battle
    if situation_text and not set(_NUMBER.findall(remark)) <= set(_NUMBER.findall(situation_text)):
        return None
    return remark[0].upper() + remark[1:]


def _words(plain: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", plain))


_EXAMPLE_WORDS = {_words(_plain(advice)) for _, _, advice in ADVICE_EXAMPLES}
