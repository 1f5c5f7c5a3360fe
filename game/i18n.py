"""Every player-visible text, in English and French: the one place to translate.

`tr(key, lang, **params)` formats a message; unknown keys fall back to the key
itself so a missing translation shows up as an obvious name, never a crash.
Names of units, buildings and targets are translated through `name()`.
"""

from __future__ import annotations

from typing import Any

from game.rules import ECONOMY
from game.vocabulary import MAX_COMMANDS, MAX_COUNT

REFUND = round(ECONOMY.sell_refund * 100)

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
        "en": f"The number must be between 1 and {MAX_COUNT}.",
        "fr": f"Le nombre doit être entre 1 et {MAX_COUNT}.",
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
        "en": f"Too many orders at once: give at most {MAX_COMMANDS}.",
        "fr": f"Trop d'ordres à la fois : {MAX_COMMANDS} au maximum.",
    },
    # Typed orders refused by the rules parser (llm.parser)
    "empty_order": {
        "en": "Type an order, e.g. \"send 3 tanks north\".",
        "fr": "Tapez un ordre, par exemple « envoie 3 chars au nord ».",
    },
    "order_too_long": {
        "en": "That order is too long: keep it under {max} characters.",
        "fr": "Cet ordre est trop long : {max} caractères au maximum.",
    },
    "not_allowed": {
        "en": "I only pass on orders your units could carry out.",
        "fr": "Je ne transmets que des ordres que vos unités peuvent exécuter.",
    },
    "bad_tile": {
        "en": "Tile coordinates go from 0 to {max}, e.g. \"move to 40,12\".",
        "fr": "Les coordonnées vont de 0 à {max}, par exemple « va en 40,12 ».",
    },
    # What typed commands became (game.commands)
    "did_move": {"en": "move {units} → {target}", "fr": "déplacer {units} → {target}"},
    "did_attack": {"en": "attack {target} with {units}", "fr": "attaquer {target} avec {units}"},
    "did_defend": {"en": "defend {target} with {units}", "fr": "défendre {target} avec {units}"},
    "did_harvest": {"en": "{units} → harvest ore", "fr": "{units} → récolter le minerai"},
    "did_stop": {"en": "stop {units}", "fr": "arrêter {units}"},
    "did_train": {"en": "train {count} {unit} at {building}",
                  "fr": "entraîner {count} {unit} ({building})"},
    "did_train_some": {"en": "train {count} of {wanted} {unit} at {building} ({why})",
                       "fr": "entraîner {count} sur {wanted} {unit} ({building} : {why})"},
    "short_of_credits": {"en": "not enough credits", "fr": "crédits insuffisants"},
    "queue_room": {"en": "queues full", "fr": "files pleines"},
    "did_build": {"en": "build {building} (placed automatically)",
                  "fr": "construire : {building} (placement automatique)"},
    # Typed builds and trains followed to the end (game.commands)
    "build_waiting_hq": {"en": "{building}: waiting for the HQ ({what} first)",
                         "fr": "{building} : en attente du QG ({what} d'abord)"},
    "build_waiting_for": {"en": "{building}: waiting for {what}", "fr": "{building} : en attente de : {what}"},
    "build_under_way": {"en": "{building}: under construction", "fr": "{building} : en construction"},
    "build_on_hold": {"en": "{building}: on hold, insufficient funds",
                      "fr": "{building} : en pause, fonds insuffisants"},
    "build_no_room_yet": {"en": "{building}: ready, looking for room",
                          "fr": "{building} : prêt, cherche de la place"},
    "placed_at": {"en": "{building}, {side}", "fr": "{building}, {side}"},
    "build_cancelled": {"en": "{building}: cancelled", "fr": "{building} : annulé"},
    "no_room_refunded": {"en": "No room to place the {building}: cancelled, {refund} credits back.",
                         "fr": "Pas de place pour : {building} ; annulé, {refund} crédits rendus."},
    "side_north": {"en": "north of the base", "fr": "au nord de la base"},
    "side_northeast": {"en": "north-east of the base", "fr": "au nord-est de la base"},
    "side_east": {"en": "east of the base", "fr": "à l'est de la base"},
    "side_southeast": {"en": "south-east of the base", "fr": "au sud-est de la base"},
    "side_south": {"en": "south of the base", "fr": "au sud de la base"},
    "side_southwest": {"en": "south-west of the base", "fr": "au sud-ouest de la base"},
    "side_west": {"en": "west of the base", "fr": "à l'ouest de la base"},
    "side_northwest": {"en": "north-west of the base", "fr": "au nord-ouest de la base"},
    "side_center": {"en": "in the middle of the base", "fr": "au cœur de la base"},
    "training": {"en": "train {count} {unit} at {building}: {ready} of {count} ready",
                 "fr": "entraîner {count} {unit} ({building}) : {ready} sur {count} prêts"},
    "on_hold_note": {"en": "on hold, insufficient funds", "fr": "en pause, fonds insuffisants"},
    "part_refused": {"en": "{count} refused: {why}", "fr": "{count} refusés : {why}"},
    "part_cancelled": {"en": "{count} cancelled", "fr": "{count} annulés"},
    "factory_lost": {"en": "{building} lost", "fr": "{building} perdu"},
    "did_analyze": {"en": "advisor report", "fr": "rapport du conseiller"},
    "waiting_for": {"en": "waiting for {what}", "fr": "en attente : {what}"},
    "waiting_for_trained": {"en": "waiting for the {units} being trained",
                            "fr": "en attente des {units} en formation"},
    "waited_too_long": {"en": "gave up: waited too long", "fr": "abandonné : attente trop longue"},
    "too_many_waiting": {"en": "Too many orders waiting already.",
                         "fr": "Trop d'ordres déjà en attente."},
    "no_units_of": {"en": "You have no {unit} for that.", "fr": "Vous n'avez pas de {unit} pour cela."},
    "no_known_target": {"en": "No {target} in sight.", "fr": "Aucune cible en vue : {target}."},
    "no_ore_left": {"en": "No ore left on the map.", "fr": "Plus de minerai sur la carte."},
    "units_word": {"en": "units", "fr": "unités"},
    "target_not_seen": {"en": "We cannot see that target.", "fr": "Nous ne voyons pas cette cible."},
    # Typed orders (llm.translator) and the model status
    "not_understood": {"en": "Not understood. Try: \"send 3 tanks north\", \"build a barracks\", \"train 5 infantry\".",
                       "fr": "Pas compris. Essayez : « envoie 3 chars au nord », « construis une caserne », « entraîne 5 soldats »."},
    "model_unavailable": {"en": "Not understood, and the language model is off. Try a simpler order: \"send 3 tanks north\".",
                          "fr": "Pas compris, et le modèle de langue est arrêté. Essayez un ordre plus simple : « envoie 3 chars au nord »."},
    # Why the model did not answer an order when it is on (llm.client.RequestResult.cause)
    "model_queue_full": {"en": "Not understood: the model is busy, too many orders waiting.",
                         "fr": "Pas compris : modèle occupé, trop d'ordres en attente."},
    "model_too_slow": {"en": "Not understood: the model took too long and gave up.",
                       "fr": "Pas compris : le modèle a mis trop de temps, abandon."},
    "model_stopped": {"en": "Not understood: the model stopped while reading it.",
                      "fr": "Pas compris : le modèle s'est arrêté en le lisant."},
    "model_failed": {"en": "Not understood: the model failed on this order.",
                     "fr": "Pas compris : le modèle a échoué sur cet ordre."},
    "order_cancelled": {"en": "cancelled", "fr": "annulé"},
    "command_hint": {"en": "Enter or / : type an order (e.g. \"send 3 tanks north\")",
                     "fr": "Entrée ou / : tapez un ordre (ex. « envoie 3 chars au nord »)"},
    "command_placeholder": {"en": "type an order in English or French…", "fr": "tapez un ordre en français ou en anglais…"},
    "advisor_title": {"en": "Advisor", "fr": "Conseiller"},
    "model_loading": {"en": "Model loading {percent}%", "fr": "Modèle : chargement {percent} %"},
    "model_ready": {"en": "Model ready", "fr": "Modèle prêt"},
    "model_thinking": {"en": "Thinking: {what}", "fr": "Réflexion : {what}"},
    "model_thinking_advice": {"en": "Thinking: advice", "fr": "Réflexion : conseil"},
    "model_offline": {"en": "Model offline (rules only)", "fr": "Modèle hors ligne (règles seules)"},
    "model_offline_detail": {"en": "Typed orders use the rules parser only; the advisor keeps its tips. Restart the model from the menu (Esc).",
                             "fr": "Les ordres tapés passent par l'analyseur seul ; le conseiller garde ses conseils. Redémarrez le modèle depuis le menu (Échap)."},
    "model_title": {"en": "Language model: {name}", "fr": "Modèle de langue : {name}"},
    "model_loaded_in": {"en": "loaded in {seconds} s", "fr": "chargé en {seconds} s"},
    "model_last_latency": {"en": "last answer in {ms} ms", "fr": "dernière réponse en {ms} ms"},
    "menu_restart_model": {"en": "Restart the model", "fr": "Redémarrer le modèle"},
    "menu_model_file": {"en": "Model: {name}", "fr": "Modèle : {name}"},
    "debug_model": {"en": "model {state}, queue {queue}, last {ms} ms", "fr": "modèle {state}, file {queue}, dernière {ms} ms"},
    "debug_memory": {"en": "RSS game {game} MB, model {model} MB", "fr": "RSS jeu {game} Mo, modèle {model} Mo"},
    # Advisor (game.advisor)
    "summary": {"en": "Army {army} · harvesters {harvesters} · credits {credits} · enemies in sight {enemies}. {power} {balance}",
                "fr": "Armée {army} · collecteurs {harvesters} · crédits {credits} · ennemis en vue {enemies}. {power} {balance}"},
    "summary_power_ok": {"en": "Power OK.", "fr": "Énergie OK."},
    "summary_power_low": {"en": "Power LOW ({produced}/{used}).", "fr": "Énergie FAIBLE ({produced}/{used})."},
    "balance_unknown": {"en": "No enemy army seen lately: scout.", "fr": "Aucune armée ennemie vue récemment : partez en reconnaissance."},
    "balance_no_army": {"en": "You have no army against the enemies seen.", "fr": "Vous n'avez pas d'armée face aux ennemis vus."},
    "balance_ahead": {"en": "Your army outguns the enemies seen.", "fr": "Votre armée surclasse les ennemis vus."},
    "balance_even": {"en": "Your army and the enemies seen are close.", "fr": "Votre armée et les ennemis vus se valent à peu près."},
    "balance_behind": {"en": "The enemies seen outgun your army.", "fr": "Les ennemis vus surclassent votre armée."},
    "tip_all_good": {"en": "All is well: keep building up and scout the enemy.", "fr": "Tout va bien : continuez à vous développer et repérez l'ennemi."},
    "tip_power": {"en": "Power deficit ({produced}/{used}): build a Power Plant, production is slowed and turrets are off.",
                  "fr": "Déficit d'énergie ({produced}/{used}) : construisez une Centrale, la production ralentit et les tourelles sont coupées."},
    "tip_threat": {"en": "Enemies at your base ({units}): pull your army back to defend it.",
                   "fr": "Ennemis à la base ({units}) : ramenez votre armée pour la défendre."},
    "tip_threat_outgunned": {"en": "Enemies at your base ({units}) outgun your defence: pull every unit back and train or build what hits them.",
                             "fr": "Ennemis à la base ({units}), plus forts que votre défense : ramenez toutes vos unités et produisez de quoi les toucher."},
    "tip_threat_no_army": {"en": "Enemies at your base ({units}) and no army to meet them: train units and build Turrets.",
                           "fr": "Ennemis à la base ({units}) et aucune armée pour les contrer : produisez des unités et construisez des Tourelles."},
    "tip_threat_unanswered": {"en": "Enemies at your base ({units}) and nothing of yours can hit them: train infantry or build Turrets.",
                              "fr": "Ennemis à la base ({units}) et rien chez vous ne peut les toucher : entraînez des soldats ou construisez des Tourelles."},
    "tip_power_first": {"en": "Build a Power Plant first, then a Refinery for income.", "fr": "Construisez d'abord une Centrale, puis une Raffinerie pour les revenus."},
    "tip_refinery": {"en": "No income: build a Refinery (it comes with a harvester).", "fr": "Aucun revenu : construisez une Raffinerie (un collecteur est fourni)."},
    "tip_harvester": {"en": "No harvesters left: train one at the HQ.", "fr": "Plus aucun collecteur : entraînez-en un au QG."},
    "tip_idle_harvesters": {"en": "{count} harvester(s) idle: order them to harvest.", "fr": "{count} collecteur(s) inactif(s) : ordonnez-leur de récolter."},
    "tip_harvester_attacked": {"en": "Your harvesters are under attack: send units to escort them.", "fr": "Vos collecteurs sont attaqués : envoyez des unités les escorter."},
    "tip_behind": {"en": "The enemies seen ({units}) outgun your army: hold at home and train {unit}, the best value against them.",
                   "fr": "Les ennemis vus ({units}) surclassent votre armée : restez à la base et produisez ce qui les touche le mieux : {unit}."},
    "tip_behind_build": {"en": "The enemies seen ({units}) outgun your army: hold at home and build up.",
                         "fr": "Les ennemis vus ({units}) surclassent votre armée : restez à la base et renforcez-vous."},
    "tip_broke": {"en": "Credits down to {credits} and no income: sell a building you can spare to afford a Refinery.",
                  "fr": "Crédits à {credits} seulement et aucun revenu : vendez un bâtiment superflu pour payer une Raffinerie."},
    "tip_broke_income": {"en": "Credits down to {credits}: keep your harvesters safe until the ore comes in.",
                         "fr": "Crédits à {credits} seulement : protégez vos collecteurs en attendant le minerai."},
    "tip_no_army": {"en": "You have no army: train infantry at the Barracks.",
                    "fr": "Vous n'avez pas d'armée : entraînez des soldats à la Caserne."},
    "tip_no_army_barracks": {"en": "You have no army: build a Barracks to train one.",
                             "fr": "Vous n'avez pas d'armée : construisez une Caserne pour en former une."},
    "tip_scout": {"en": "Scout the map to find the enemy base.", "fr": "Explorez la carte pour trouver la base ennemie."},
    "tip_spend": {"en": "{credits} credits unspent: train units or build.", "fr": "{credits} crédits inutilisés : entraînez des unités ou construisez."},
    "tip_idle_factory": {"en": "{building} is idle: train {unit}.", "fr": "{building} : rien en production, entraînez des {unit}."},
    "tip_barracks": {"en": "Build a Barracks to train infantry.", "fr": "Construisez une Caserne pour entraîner des soldats."},
    "tip_war_factory": {"en": "Build a War Factory for tanks, artillery and helicopters.", "fr": "Construisez une Usine d'armement pour les chars, l'artillerie et les hélicoptères."},
    "tip_attack": {"en": "Your army outweighs what you have seen: attack the {target} in the {region} now.",
                   "fr": "Votre armée domine ce que vous avez vu : attaquez la cible {target} au {region} maintenant."},
    "summary_none": {"en": "none", "fr": "néant"},
    "summary_economy": {"en": "Economy: credits {credits} · harvesters {harvesters} · refineries {refineries} · {income}",
                        "fr": "Économie : crédits {credits} · collecteurs {harvesters} · raffineries {refineries} · {income}"},
    "summary_income_yes": {"en": "ore coming in", "fr": "le minerai rentre"},
    "summary_income_no": {"en": "no income", "fr": "aucun revenu"},
    "summary_power_enough": {"en": "Power: {produced} produced, {used} used: enough.",
                             "fr": "Énergie : {produced} produite, {used} consommée : suffisant."},
    "summary_power_deficit": {"en": "Power: {produced} produced, {used} used: deficit, production slowed and turrets off.",
                              "fr": "Énergie : {produced} produite, {used} consommée : déficit, production ralentie et tourelles coupées."},
    "summary_army": {"en": "Army: {units}", "fr": "Armée : {units}"},
    "summary_enemy": {"en": "Enemy in sight: {units} · seen in the last minute: {remembered} · buildings known: {buildings}",
                      "fr": "Ennemis en vue : {units} · vus dans la dernière minute : {remembered} · bâtiments connus : {buildings}"},
    "summary_threat": {"en": "Threat: at your base: {units}", "fr": "Menace : à votre base : {units}"},
    "summary_no_threat": {"en": "Threat: no enemy near your base.", "fr": "Menace : aucun ennemi près de la base."},
    "summary_next": {"en": "Next steps:", "fr": "À faire :"},
    "tip_artillery": {"en": "Your artillery is unprotected: keep tanks or infantry next to it.", "fr": "Votre artillerie est sans protection : gardez des chars ou des soldats à côté."},
    "alert_under_attack": {"en": "We are under attack!", "fr": "Nous sommes attaqués !"},
    "alert_building_lost": {"en": "Building lost: {building}", "fr": "Perdu : {building}"},
    "alert_harvester_lost": {"en": "Harvester lost!", "fr": "Collecteur perdu !"},
    "alert_low_power": {"en": "Low power!", "fr": "Énergie faible !"},
}

# A filter as an adjective after a French noun, masculine and feminine singular
# ("2 chars inactifs", "3 unités endommagées"); English puts NAMES' word before it.
FILTER_FR: dict[str, tuple[str, str]] = {"idle": ("inactif", "inactive"),
                                         "damaged": ("endommagé", "endommagée")}

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
    "here": {"en": "here", "fr": "ici"},
    "attackers": {"en": "the attackers", "fr": "les assaillants"},
    "alert": {"en": "the last alert", "fr": "la dernière alerte"},
    "idle": {"en": "idle", "fr": FILTER_FR["idle"][0] + "s"},
    "damaged": {"en": "damaged", "fr": FILTER_FR["damaged"][0] + "s"},
}


def tr(key: str, lang: str = "en", /, **params: Any) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    try:
        named = _named_params(params, lang)
        return (_elided(text, named) if lang == "fr" else text).format(**named)
    except (KeyError, IndexError, ValueError):
        return text


def _elided(text: str, params: dict[str, Any]) -> str:
    """French "de" before a name that starts with a vowel or a mute h: "pas
    d'hélicoptères", "pas d'Usine d'armement" (every name here has a mute h)."""
    if "de {" not in text:
        return text  # most messages, among them those drawn every frame
    for key, value in params.items():
        if isinstance(value, str) and value[:1].lower() in "aeiouyhéèêâîôû":
            text = text.replace(f"de {{{key}}}", f"d'{{{key}}}")
    return text


# Armor classes (game.rules) as the targets a weapon cannot hit.
ARMOR_NAMES: dict[str, dict[str, str]] = {
    "light": {"en": "infantry and light vehicles", "fr": "l'infanterie et les véhicules légers"},
    "heavy": {"en": "armoured vehicles", "fr": "les blindés"},
    "air": {"en": "aircraft", "fr": "les aéronefs"},
    "building": {"en": "buildings", "fr": "les bâtiments"},
}


def _named_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Names tr() fills in itself, so every caller words a refusal the same way:
    `unit_group`, a unit type shown as a capitalised plural ("Tanks"; "" = "These
    units") at the start of a sentence, and `armor_class`, an armor class."""
    if "unit_group" in params:
        group = str(params["unit_group"])
        label = name(group, lang) if group in SINGULAR else tr("these_units", lang)
        params = {**params, "unit_group": label[:1].upper() + label[1:]}
    armor = ARMOR_NAMES.get(str(params.get("armor_class")))
    if armor is not None:
        params = {**params, "armor_class": armor.get(lang) or armor["en"]}
    return params


# One unit of a type ("1 tank", "1 char"); NAMES holds the plural.
SINGULAR: dict[str, dict[str, str]] = {
    "infantry": {"en": "infantry", "fr": "soldat"},
    "tank": {"en": "tank", "fr": "char"},
    "artillery": {"en": "artillery", "fr": "artillerie"},
    "helicopter": {"en": "helicopter", "fr": "hélicoptère"},
    "harvester": {"en": "harvester", "fr": "collecteur"},
}
# French names that take feminine agreement ("raffinerie ennemie").
FEMININE_FR = {"power_plant", "barracks", "refinery", "war_factory", "turret", "artillery"}


def counted_units(count: int, kind: str | None, lang: str, filter_: str | None = None) -> str:
    """"8 tanks", "8 idle tanks", "3 unités endommagées": `count` units of one type
    (None: of several), with the filter that chose them, if any."""
    noun = name(kind, lang, count) if kind else tr("units_word", lang)
    if filter_ is None:
        return f"{count} {noun}"
    if lang != "fr":
        return f"{count} {name(filter_, lang)} {noun}"
    masculine, feminine = FILTER_FR[filter_]
    adjective = feminine if kind is None or kind in FEMININE_FR else masculine
    return f"{count} {noun} {adjective}{'s' if count > 1 else ''}"


def name(key: str, lang: str = "en", count: int | None = None) -> str:
    """Display name of a unit, building or target (enemy_X -> "enemy X")."""
    if key.startswith("enemy_") and key != "enemy_base":
        kind = key[len("enemy_"):]
        inner = name(kind, lang, 1)
        if lang == "fr":
            return f"{inner.lower()} {'ennemie' if kind in FEMININE_FR else 'ennemi'}"
        return f"enemy {inner if kind == 'hq' else inner.lower()}"
    if key.startswith("tile:"):
        return key[len("tile:"):]
    if key.startswith("my_") and key != "my_base":  # our nearest building of a type
        inner = name(key[len("my_"):], lang)
        return f"notre {inner}" if lang == "fr" else f"our {inner}"
    if key.startswith("group_"):
        return f"{'groupe' if lang == 'fr' else 'group'} {key[len('group_'):]}"
    table = SINGULAR if count == 1 and key in SINGULAR else NAMES
    entry = table.get(key)
    if entry is None:
        return key.replace("_", " ")
    return entry.get(lang) or entry["en"]


# -- Typed orders for everything the mouse does (game.commands, issue 11) ---------------
MESSAGES.update({
    # The vocabulary's incomplete commands
    "cancel_what": {"en": "Cancel what? Try: cancel the tanks",
                    "fr": "Annuler quoi ? Essayez : annule les chars"},
    "group_which": {"en": "Which group? Try: tanks are group 2",
                    "fr": "Quel groupe ? Essayez : les chars sont le groupe 2"},
    "speed_how": {"en": "Faster or slower? Try: speed up",
                  "fr": "Plus vite ou moins vite ? Essayez : plus vite"},
    "rally_where": {"en": "Rally where? Try: war factory rally to the north",
                    "fr": "Se rassembler où ? Essayez : l'usine se rassemble au nord"},
    "camera_where": {"en": "Look where? Try: show me the base",
                     "fr": "Regarder où ? Essayez : montre-moi la base"},
    # Refusals: checked against the game
    "nothing_to_sell": {"en": "Nothing to sell: you have no {building}.",
                        "fr": "Rien à vendre : vous n'avez pas de {building}."},
    "nothing_to_sell_there": {"en": "Nothing of yours to sell there.",
                              "fr": "Rien à vous à vendre à cet endroit."},
    "no_building_there": {"en": "None of your buildings stands there.",
                          "fr": "Aucun de vos bâtiments à cet endroit."},
    "empty_group": {"en": "Group {group} is empty: Ctrl+{group} sets it.",
                    "fr": "Le groupe {group} est vide : Ctrl+{group} le définit."},
    "no_building": {"en": "You have no {building}.", "fr": "Vous n'avez pas de {building}."},
    "not_damaged": {"en": "{building}: not damaged, nothing to repair.",
                    "fr": "{building} : intact, rien à réparer."},
    "already_repairing": {"en": "{building}: already under repair.",
                          "fr": "{building} : déjà en réparation."},
    "select_building_first": {"en": "Select one of your buildings first.",
                              "fr": "Sélectionnez d'abord un de vos bâtiments."},
    "nothing_to_cancel_of": {"en": "Nothing to cancel: no {item} in production.",
                             "fr": "Rien à annuler : pas de {item} en production."},
    "no_cursor": {"en": "Point at the map with the mouse to say where.",
                  "fr": "Montrez l'endroit sur la carte avec la souris."},
    "no_units_match": {"en": "None of your {unit} fit that ({details}).",
                       "fr": "Aucune de vos unités ({unit}) ne convient ({details})."},
    "nothing_attacking": {"en": "Nothing is attacking you that you can see.",
                          "fr": "Rien ne vous attaque, à votre connaissance."},
    "no_alert": {"en": "No recent attack on you.", "fr": "Aucune attaque récente."},
    # What each command became (the command log)
    "did_sell": {"en": "sell {what}", "fr": "vendre : {what}"},
    "did_repair": {"en": "repair {what}", "fr": "réparer : {what}"},
    "did_rally": {"en": "{what}: rally point → {target}",
                  "fr": "{what} : ralliement → {target}"},
    "did_cancel": {"en": "cancel {count} {item}", "fr": "annuler {count} {item}"},
    "did_select": {"en": "select {units}", "fr": "sélectionner {units}"},
    "did_group": {"en": "{units} → group {group}", "fr": "{units} → groupe {group}"},
    "did_camera": {"en": "view → {target}", "fr": "vue → {target}"},
    "did_pause": {"en": "pause", "fr": "pause"},
    "did_resume": {"en": "resume", "fr": "reprise"},
    "did_speed_faster": {"en": "speed up", "fr": "plus vite"},
    "did_speed_slower": {"en": "slow down", "fr": "moins vite"},
    "did_speed_normal": {"en": "normal speed", "fr": "vitesse normale"},
    "buildings_word": {"en": "buildings", "fr": "bâtiments"},
    # A side of a target ("north of our base")
    "side_of_north": {"en": "north of {target}", "fr": "au nord de {target}"},
    "side_of_northeast": {"en": "north-east of {target}", "fr": "au nord-est de {target}"},
    "side_of_east": {"en": "east of {target}", "fr": "à l'est de {target}"},
    "side_of_southeast": {"en": "south-east of {target}", "fr": "au sud-est de {target}"},
    "side_of_south": {"en": "south of {target}", "fr": "au sud de {target}"},
    "side_of_southwest": {"en": "south-west of {target}", "fr": "au sud-ouest de {target}"},
    "side_of_west": {"en": "west of {target}", "fr": "à l'ouest de {target}"},
    "side_of_northwest": {"en": "north-west of {target}", "fr": "au nord-ouest de {target}"},
    "side_of_near": {"en": "near {target}", "fr": "près de {target}"},
    # Repair mode (sidebar button, R-less hotkey K: R builds a refinery)
    "repair": {"en": "Repair", "fr": "Réparer"},
    "key_repair": {"en": "K", "fr": "K"},
    "tip_repair": {"en": "Click a damaged building to repair it for credits; click again to stop (K).",
                   "fr": "Cliquez un bâtiment endommagé pour le réparer contre des crédits ; recliquez pour arrêter (K)."},
    "hint_repair": {"en": "Repair: click a damaged building · right click: done",
                    "fr": "Réparation : cliquez un bâtiment abîmé · clic droit : fin"},
    "msg_repaired": {"en": "Repaired: {building}", "fr": "Réparé : {building}"},
})


# -- The interface (game.ui) and the reasons orders are refused (orders.check) --------
MESSAGES.update({
    # Order refusals: keys of orders.Rejection and placement errors
    "not_enough_credits": {"en": "Not enough credits: {cost} needed.",
                           "fr": "Crédits insuffisants : il en faut {cost}."},
    "cannot_build_there": {"en": "Cannot build there: the ground is blocked.",
                           "fr": "Impossible de construire ici : le terrain est occupé."},
    "too_far_from_base": {"en": "Too far from the base: build closer to your buildings.",
                          "fr": "Trop loin de la base : construisez près de vos bâtiments."},
    "missing_prerequisite": {"en": "Requires a {building} first.",
                             "fr": "Il faut d'abord : {building}."},
    "no_factory": {"en": "You need a {building} to train {unit}.",
                   "fr": "Il faut « {building} » pour produire : {unit}."},
    "queue_full": {"en": "The {building} queue is full.",
                   "fr": "La file de production est pleine : {building}."},
    "no_hq": {"en": "Without an HQ, nothing can be built.",
              "fr": "Sans QG, impossible de construire."},
    "construction_busy": {"en": "The HQ is already building: {building}.",
                          "fr": "Le QG construit déjà : {building}."},
    "nothing_ready": {"en": "No building is ready to place.",
                      "fr": "Aucun bâtiment n'est prêt à être placé."},
    "no_units": {"en": "Select some of your units first.",
                 "fr": "Sélectionnez d'abord vos unités."},
    "cannot_hit_target": {"en": "{unit_group} can't hit {armor_class}.",
                          "fr": "{unit_group} : impossible de toucher {armor_class}."},
    "no_weapon": {"en": "{unit_group} have no weapon.", "fr": "{unit_group} : aucune arme."},
    "these_units": {"en": "these units", "fr": "ces unités"},
    "not_yours": {"en": "That is not yours.", "fr": "Ce n'est pas à vous."},
    "last_building": {"en": "That is your last building: selling it would lose the match.",
                      "fr": "C'est votre dernier bâtiment : le vendre ferait perdre la partie."},
    "off_map": {"en": "That is off the map.", "fr": "C'est hors de la carte."},
    "nothing_to_cancel": {"en": "Nothing to cancel.", "fr": "Rien à annuler."},
    "no_room_to_build": {"en": "No room to place the {building}.",
                         "fr": "Pas de place pour : {building}."},
    "game_over": {"en": "The game is over.", "fr": "La partie est terminée."},
    "bad_order": {"en": "That order makes no sense.", "fr": "Cet ordre n'a pas de sens."},
    # Title screen and menus
    "title_new_game": {"en": "New game", "fr": "Nouvelle partie"},
    "title_subtitle": {"en": "Build a base, gather ore, crush the enemy.",
                       "fr": "Bâtissez une base, récoltez le minerai, écrasez l'ennemi."},
    "difficulty_label": {"en": "Difficulty: {level}", "fr": "Difficulté : {level}"},
    "difficulty_easy": {"en": "Easy", "fr": "Facile"},
    "difficulty_normal": {"en": "Normal", "fr": "Normale"},
    "difficulty_hard": {"en": "Hard", "fr": "Difficile"},
    "language_label": {"en": "Language: {language}", "fr": "Langue : {language}"},
    "language_name": {"en": "English", "fr": "Français"},
    "quit": {"en": "Quit", "fr": "Quitter"},
    "crash_title": {"en": "Something went wrong", "fr": "Un problème est survenu"},
    "crash_body": {
        "en": "The game hit an error but your match goes on. The details are in the log file, for a bug report: {path}",
        "fr": "Le jeu a rencontré une erreur, mais la partie continue. Les détails sont dans le journal, pour signaler le bug : {path}",
    },
    "crash_continue": {"en": "Continue", "fr": "Continuer"},
    "crash_saved": {"en": "The match was saved in the slot \"{slot}\".",
                    "fr": "La partie a été sauvegardée dans l'emplacement « {slot} »."},
    # Saved games (game.save): the Esc menu, the slot list, F5/F9, the title screen
    "menu_save": {"en": "Save", "fr": "Sauvegarder"},
    "menu_load": {"en": "Load", "fr": "Charger"},
    "title_continue": {"en": "Continue", "fr": "Continuer"},
    "saves_title_save": {"en": "Save the game", "fr": "Sauvegarder la partie"},
    "saves_title_load": {"en": "Load a game", "fr": "Charger une partie"},
    "save_new_slot": {"en": "New save", "fr": "Nouvelle sauvegarde"},
    "saves_back": {"en": "Back", "fr": "Retour"},
    "saves_none": {"en": "No saved game yet", "fr": "Aucune partie sauvegardée"},
    "slot_row": {"en": "{slot} · {date}", "fr": "{slot} · {date}"},
    "game_saved": {"en": "Game saved: {slot}", "fr": "Partie sauvegardée : {slot}"},
    "game_loaded": {"en": "Game loaded: {slot}", "fr": "Partie chargée : {slot}"},
    "log_stopped_by_load": {"en": "stopped by loading", "fr": "arrêté par le chargement"},
    # Why a save is refused or not written (game.save.SaveError keys)
    "save_damaged": {"en": "Cannot load: the save is damaged or was edited.",
                     "fr": "Chargement impossible : sauvegarde abîmée ou modifiée."},
    "save_unreadable": {"en": "Cannot load: the save file is cut short or garbled.",
                        "fr": "Chargement impossible : fichier tronqué ou illisible."},
    "save_not_a_save": {"en": "Cannot load: this is not a saved game.",
                        "fr": "Chargement impossible : ce n'est pas une sauvegarde."},
    "save_too_big": {"en": "Cannot load: the save is far too big.",
                     "fr": "Chargement impossible : sauvegarde bien trop grosse."},
    "save_newer": {"en": "Cannot load: saved by a newer version.",
                   "fr": "Chargement impossible : faite par une version plus récente."},
    "save_too_old": {"en": "Cannot load: saved by a version too old.",
                     "fr": "Chargement impossible : version trop ancienne."},
    "save_missing": {"en": "No saved game there.", "fr": "Aucune sauvegarde à cet endroit."},
    "save_write_failed": {"en": "The game could not be saved (disk full?).",
                          "fr": "Sauvegarde impossible (disque plein ?)."},
    "save_read_only": {"en": "The game could not be saved: the folder is read-only.",
                       "fr": "Sauvegarde impossible : dossier en lecture seule."},
    "settings_not_saved": {"en": "Settings could not be saved (disk full?).",
                           "fr": "Réglages non enregistrés (disque plein ?)."},
    "settings_read_only": {"en": "Settings not saved: the folder is read-only.",
                           "fr": "Réglages non enregistrés : dossier en lecture seule."},
    "version": {"en": "Version {version}", "fr": "Version {version}"},
    "loading": {"en": "Preparing the battlefield...", "fr": "Préparation du champ de bataille..."},
    "controls_hint": {
        "en": "Left click: select · Right click: order · A: attack-move · S: stop · "
              "H: HQ · P: pause · Esc: menu",
        "fr": "Clic gauche : sélection · Clic droit : ordre · A : attaque en route · "
              "S : stop · H : QG · P : pause · Échap : menu"},
    "menu_title": {"en": "Menu", "fr": "Menu"},
    "menu_resume": {"en": "Resume", "fr": "Reprendre"},
    "menu_speed": {"en": "Game speed: {speed}x", "fr": "Vitesse : {speed}x"},
    "menu_volume": {"en": "Volume: {volume}%", "fr": "Volume : {volume} %"},
    "menu_quit_to_title": {"en": "Quit to title", "fr": "Retour au titre"},
    # End of the match
    "end_victory": {"en": "Victory!", "fr": "Victoire !"},
    "end_defeat": {"en": "Defeat", "fr": "Défaite"},
    "end_game_time": {"en": "Game time", "fr": "Durée de la partie"},
    "end_units_built": {"en": "Units built", "fr": "Unités produites"},
    "end_units_lost": {"en": "Units lost", "fr": "Unités perdues"},
    "end_units_killed": {"en": "Enemy units destroyed", "fr": "Unités ennemies détruites"},
    "end_buildings_lost": {"en": "Buildings lost", "fr": "Bâtiments perdus"},
    "end_buildings_sold": {"en": "Buildings sold", "fr": "Bâtiments vendus"},
    "end_buildings_destroyed": {"en": "Enemy buildings destroyed",
                                "fr": "Bâtiments ennemis détruits"},
    "end_credits_harvested": {"en": "Credits harvested", "fr": "Crédits récoltés"},
    "end_new_game": {"en": "New game", "fr": "Nouvelle partie"},
    "end_title": {"en": "Title screen", "fr": "Écran titre"},
    # Top bar and sidebar
    "speed": {"en": "Speed {speed}x", "fr": "Vitesse {speed}x"},
    "low_power": {"en": "LOW POWER", "fr": "ÉNERGIE FAIBLE"},
    "paused": {"en": "PAUSED", "fr": "PAUSE"},
    "pause_hint": {"en": "Press P to resume", "fr": "Appuyez sur P pour reprendre"},
    "credits": {"en": "Credits", "fr": "Crédits"},
    "power": {"en": "Power {used} / {produced}", "fr": "Énergie {used} / {produced}"},
    "section_buildings": {"en": "BUILDINGS", "fr": "BÂTIMENTS"},
    "section_units": {"en": "UNITS", "fr": "UNITÉS"},
    "sell": {"en": "Sell", "fr": "Vendre"},
    "key_delete": {"en": "Del", "fr": "Suppr"},
    "ready": {"en": "READY", "fr": "PRÊT"},
    "on_hold": {"en": "NO FUNDS", "fr": "SANS FONDS"},
    "tip_on_hold": {"en": "On hold: insufficient funds. It resumes when credits come in.",
                    "fr": "En pause : fonds insuffisants. Reprise dès que des crédits arrivent."},
    "tip_pays_as_it_goes": {"en": "Paid as it is built: queue it even without the credits.",
                            "fr": "Payé pendant la production : mettez-le en file même sans les crédits."},
    "tip_sell": {"en": f"Click your buildings to sell them for {REFUND}% of their value (Delete).",
                 "fr": f"Cliquez sur vos bâtiments pour les vendre à {REFUND} % de leur prix (Suppr)."},
    "tip_cost": {"en": "Cost: {cost} credits", "fr": "Coût : {cost} crédits"},
    "tip_hotkey": {"en": "Hotkey: {letter}", "fr": "Raccourci : {letter}"},
    "tip_place": {"en": "Ready: click, then choose where to place it.",
                  "fr": "Prêt : cliquez, puis choisissez où le placer."},
    "tip_building_now": {"en": "Under construction: {percent}%",
                         "fr": "En construction : {percent} %"},
    "tip_build": {"en": "Left click: build · Right click: cancel",
                  "fr": "Clic gauche : construire · Clic droit : annuler"},
    "tip_train": {"en": "Left click: train (Shift: 5) · Right click: cancel",
                  "fr": "Clic gauche : produire (Maj : 5) · Clic droit : annuler"},
    "sidebar_help": {
        "en": "Drag to select units, right click to\nmove or attack. Ctrl+1-9: groups.\n"
              "H: HQ · Space: last alert · F3: debug",
        "fr": "Glissez pour sélectionner, clic droit\npour déplacer ou attaquer.\n"
              "Ctrl+1-9 : groupes · H : QG\nEspace : alerte · F3 : débogage"},
    "units_selected": {"en": "{count} units selected", "fr": "{count} unités sélectionnées"},
    "hp": {"en": "HP {hp}/{max}", "fr": "PV {hp}/{max}"},
    "queue_title": {"en": "Production queue (click to cancel)",
                    "fr": "File de production (clic : annuler)"},
    # Messages and hints
    "msg_unit_ready": {"en": "Unit ready: {unit}", "fr": "Unité prête : {unit}"},
    "msg_construction_ready": {"en": "Construction complete: {building}",
                               "fr": "Construction terminée : {building}"},
    "msg_under_attack": {"en": "Under attack: {what}!", "fr": "Attaque en cours : {what} !"},
    "msg_building_sold": {"en": "Sold: {building} (+{refund} credits)",
                          "fr": "Vendu : {building} (+{refund} crédits)"},
    "msg_cancelled": {"en": "Cancelled: {item} (+{refund} credits)",
                      "fr": "Annulé : {item} (+{refund} crédits)"},
    "msg_insufficient_funds": {"en": "Insufficient funds: production on hold.",
                               "fr": "Fonds insuffisants : production en pause."},
    "msg_group_set": {"en": "Group {group}: {count} units", "fr": "Groupe {group} : {count} unités"},
    "hint_place": {"en": "Place the {building}: click · right click or Esc: cancel",
                   "fr": "Placer : {building} · clic droit ou Échap : annuler"},
    "hint_attack_move": {"en": "Attack-move: click a destination",
                         "fr": "Attaque en route : cliquez une destination"},
    "hint_sell": {"en": "Sell: click one of your buildings · right click: done",
                  "fr": "Vente : cliquez un de vos bâtiments · clic droit : fin"},
    # Debug overlay (F3)
    "debug_fps": {"en": "FPS {fps}  frame {ms} ms (max {worst})",
                  "fr": "IPS {fps}  image {ms} ms (max {worst})"},
    "debug_work": {"en": "busy {ms} ms per frame (max {worst})",
                   "fr": "calcul {ms} ms par image (max {worst})"},
    "debug_tick": {"en": "tick {ms} ms (max {worst})", "fr": "tick {ms} ms (max {worst})"},
})


# -- Replays (game.replay, game.ui.replay_view, main.py replay) --------------------------
MESSAGES.update({
    "title_replays": {"en": "Replays", "fr": "Rediffusions"},
    "replays_title": {"en": "Replays", "fr": "Rediffusions"},
    "replays_none": {"en": "No replay yet: every match is recorded.",
                     "fr": "Aucune rediffusion : chaque partie est enregistrée."},
    "replays_back": {"en": "Back", "fr": "Retour"},
    "replay_row": {"en": "{date} · {length} · {level} · {result}",
                   "fr": "{date} · {length} · {level} · {result}"},
    "replay_row_refused": {"en": "{date} · {reason}", "fr": "{date} · {reason}"},
    "replay_won": {"en": "won", "fr": "gagnée"},
    "replay_lost": {"en": "lost", "fr": "perdue"},
    "replay_unfinished": {"en": "unfinished", "fr": "inachevée"},
    "replay_position": {"en": "Replay {time} / {length}", "fr": "Rediffusion {time} / {length}"},
    "replay_paused": {"en": "paused", "fr": "en pause"},
    "replay_ended": {"en": "the end", "fr": "fin"},
    "replay_seeking": {"en": "going to {time}...", "fr": "vers {time}..."},
    "replay_hint": {"en": "Space pause · +/- speed · [ ] minute · Esc back",
                    "fr": "Espace pause · +/- vitesse · [ ] minute · Échap retour"},
    # Why a replay is refused (game.replay.ReplayError), in the list and on the command line
    "replay_not_a_replay": {"en": "Not a replay file.", "fr": "Ce n'est pas une rediffusion."},
    "replay_other_version": {"en": "Made by version {version}; this game is {current}.",
                             "fr": "Faite par la version {version} ; ce jeu : {current}."},
    "replay_damaged": {"en": "Damaged replay, line {line}: {reason}",
                       "fr": "Rediffusion abîmée, ligne {line} : {reason}"},
    "replay_too_big": {"en": "Replay too big ({mb} MB).", "fr": "Rediffusion trop grosse ({mb} Mo)."},
    "replay_unreadable": {"en": "Cannot read the replay: {reason}",
                          "fr": "Lecture impossible : {reason}"},
    "replay_other_build": {"en": "Recorded by another build of the game: cannot play it.",
                           "fr": "Enregistrée par une autre version du jeu : illisible."},
    "replay_truncated": {"en": "The replay stops at {time}: the match has no end.",
                         "fr": "La rediffusion s'arrête à {time} : la partie n'a pas de fin."},
    # main.py replay FILE --verify
    "replay_verified": {"en": "Replay verified: {checked} hashes match, {time} of play.",
                        "fr": "Rediffusion vérifiée : {checked} empreintes égales, {time} de jeu."},
    "replay_mismatch": {"en": "Hashes differ first at tick {tick} (last match: {good}).",
                        "fr": "Empreintes différentes dès le tick {tick} (dernière égale : {good})."},
})

# -- Asking before executing a translation the model is unsure of (game.ui.orders_desk) --
MESSAGES.update({
    "confirm_question": {"en": "Did you mean: {order}? Enter = yes, Esc = no",
                         "fr": "Vouliez-vous dire : {order} ? Entrée = oui, Échap = non"},
    "confirm_declined": {"en": "not done (you said no): {order}",
                         "fr": "pas fait (vous avez dit non) : {order}"},
    "confirm_dropped": {"en": "not done (a new order came first): {order}",
                        "fr": "pas fait (un nouvel ordre est passé avant) : {order}"},
    "confirm_then": {"en": ", then ", "fr": ", puis "},
    "confirm_hint": {"en": "Enter = yes, Esc = no (the question above) · / : another order",
                     "fr": "Entrée = oui, Échap = non (question ci-dessus) · / : autre ordre"},
})
