"""Every player-visible text, in English and French: the one place to translate.

`tr(key, lang, **params)` formats a message; unknown keys fall back to the key
itself so a missing translation shows up as an obvious name, never a crash.
Names of units, buildings and targets are translated through `name()`.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "fr")

MESSAGES: dict[str, dict[str, str]] = {
    # Command vocabulary / translation
    "not_a_command": {
        "en": "That is not an order I know. Try: \"send 3 tanks north\" or \"build a barracks\".",
        "fr": "Ce n'est pas un ordre connu. Essayez : « envoie 3 chars au nord » ou « construis une caserne ».",
    },
    "move_where": {
        "en": "Move where? Try: move tanks north",
        "fr": "Aller où ? Essayez : déplace les chars au nord",
    },
    "attack_where": {
        "en": "Attack what? Try: attack the enemy base",
        "fr": "Attaquer quoi ? Essayez : attaque la base ennemie",
    },
    "build_what": {
        "en": "Build what? Try: build a power plant",
        "fr": "Construire quoi ? Essayez : construis une centrale",
    },
    "train_what": {
        "en": "Train what? Try: train 5 infantry",
        "fr": "Entraîner quoi ? Essayez : entraîne 5 soldats",
    },
    "bad_count": {
        "en": "The number must be between 1 and 50.",
        "fr": "Le nombre doit être entre 1 et 50.",
    },
    "bad_target": {
        "en": "That target does not work with {action}.",
        "fr": "Cette cible ne convient pas à l'ordre {action}.",
    },
    "bad_unit": {
        "en": "I do not know that unit.",
        "fr": "Je ne connais pas cette unité.",
    },
    "only_harvesters_harvest": {
        "en": "Only harvesters can harvest ore.",
        "fr": "Seuls les collecteurs récoltent le minerai.",
    },
    "harvesters_cannot_attack": {
        "en": "Harvesters have no weapon.",
        "fr": "Les collecteurs n'ont pas d'arme.",
    },
    "too_many_commands": {
        "en": "Too many orders at once: give at most 4.",
        "fr": "Trop d'ordres à la fois : 4 au maximum.",
    },
}

NAMES: dict[str, dict[str, str]] = {
    "infantry": {"en": "infantry", "fr": "soldats"},
    "tank": {"en": "tanks", "fr": "chars"},
    "artillery": {"en": "artillery", "fr": "artillerie"},
    "helicopter": {"en": "helicopters", "fr": "hélicoptères"},
    "harvester": {"en": "harvesters", "fr": "collecteurs"},
    "army": {"en": "army", "fr": "armée"},
    "selected": {"en": "selected units", "fr": "unités sélectionnées"},
    "hq": {"en": "HQ", "fr": "QG"},
    "power_plant": {"en": "Power Plant", "fr": "Centrale"},
    "barracks": {"en": "Barracks", "fr": "Caserne"},
    "refinery": {"en": "Refinery", "fr": "Raffinerie"},
    "war_factory": {"en": "War Factory", "fr": "Usine d'armement"},
    "turret": {"en": "Turret", "fr": "Tourelle"},
    "north": {"en": "north", "fr": "nord"},
    "south": {"en": "south", "fr": "sud"},
    "east": {"en": "east", "fr": "est"},
    "west": {"en": "west", "fr": "ouest"},
    "center": {"en": "the center", "fr": "le centre"},
    "northeast": {"en": "northeast", "fr": "nord-est"},
    "northwest": {"en": "northwest", "fr": "nord-ouest"},
    "southeast": {"en": "southeast", "fr": "sud-est"},
    "southwest": {"en": "southwest", "fr": "sud-ouest"},
    "my_base": {"en": "our base", "fr": "notre base"},
    "enemy_base": {"en": "the enemy base", "fr": "la base ennemie"},
    "ore": {"en": "the ore", "fr": "le minerai"},
}


def tr(key: str, lang: str = "en", **params: Any) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def name(key: str, lang: str = "en") -> str:
    """Display name of a unit, building or target (enemy_X -> "enemy X")."""
    if key.startswith("enemy_") and key != "enemy_base":
        inner = name(key[len("enemy_"):], lang)
        return f"enemy {inner}" if lang == "en" else f"{inner} ennemi(e)"
    if key.startswith("tile:"):
        return key[len("tile:"):]
    entry = NAMES.get(key)
    if entry is None:
        return key.replace("_", " ")
    return entry.get(lang) or entry["en"]
