"""Words and phrases the rules parser knows, in English and French.

Tables map a meaning to the phrases that say it, per language, as "|"-separated
strings written naturally (accents, apostrophes, hyphens: they are normalised
the same way as typed orders). Unit, building, region and place meanings are
vocabulary names; `missing_meanings()` reports vocabulary values a table lacks,
so a unit added to game/rules.py shows up in the tests instead of silently
going to the model.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NamedTuple

from game import rules, vocabulary

# What a digit that is not ASCII (subscript ₅, circled ①, Devanagari ४, Khmer ៤) becomes:
# a word no order knows, never a number, so "go to ₅₅ ₁₂" is no tile (issue 13).
FOREIGN_DIGIT = "foreigndigit"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "œ": "oe", "æ": "ae"})
_TOKEN = re.compile(r"[0-9]+|[a-z]+|[,;.!?&/:=]")  # ASCII digits only: see `normalize`



def _no_foreign_digit(char: str) -> str:
    """NFKD would turn some of these digits into ASCII ones, so they go before it does."""
    if char.isascii() or unicodedata.numeric(char, None) is None:
        return char
    return f" {FOREIGN_DIGIT} "


def normalize(text: str) -> str:
    """Lower case, no accents, unified apostrophes; what both orders and phrases go through."""
    text = "".join(map(_no_foreign_digit, text.lower().translate(_APOSTROPHES)))
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Contractions typed without their apostrophe, split as if it were there.
CONTRACTIONS = {
    "whats": ("what", "s"), "hows": ("how", "s"), "wheres": ("where", "s"),
    "whos": ("who", "s"), "thats": ("that", "s"), "im": ("i", "m"),
    "jaimerais": ("j", "aimerais"), "jai": ("j", "ai"), "cest": ("c", "est"),
    "quon": ("qu", "on"), "jveux": ("je", "veux"),
}


def tokenize(text: str) -> list[str]:
    """Words, numbers and separator marks; apostrophes and hyphens split words
    ("l'est" -> l est, "nord-est" -> nord est), so typing them is optional."""
    tokens = _TOKEN.findall(normalize(text).replace("-", " "))
    if CONTRACTIONS.keys().isdisjoint(tokens):
        return tokens
    return [part for token in tokens for part in CONTRACTIONS.get(token, (token,))]


def _spelled(words: str) -> frozenset[str]:
    """"|"-separated words as items spell them (lower case, no accents, spaces)."""
    return frozenset(" ".join(tokenize(w)) for w in words.split("|"))


def _kinds(kinds: str) -> frozenset[str]:
    return frozenset(kinds.split("|"))


Table = dict[str, dict[str, str]]  # meaning -> {"en": "a|b", "fr": "c|d"}

UNITS: Table = {
    "infantry": {
        "en": "infantry|infantryman|infantrymen|soldier|soldiers|troop|troops|trooper|troopers"
              "|men|grunt|grunts|rifleman|riflemen|marine|marines|foot soldier|foot soldiers"
              "|footman|footmen|infantry unit|infantry units|inf|foot troops|guys|boys|lads"
              "|fusilier|fusiliers",
        "fr": "infanterie|soldat|soldats|troupe|troupes|fantassin|fantassins|hommes|bidasse"
              "|bidasses|unité d'infanterie|unités d'infanterie|troufion|troufions|biffin"
              "|biffins|pioupiou|pioupious|piou-piou|piou-pious|griffeton|griffetons|gars"
              "|gars à fusil|fusilier|fusiliers",
    },
    "tank": {
        "en": "tank|tanks|armor|armour|tank unit|tank units|battle tank|battle tanks",
        "fr": "char|chars|blindé|blindés|char d'assaut|chars d'assaut|tank|tanks",
    },
    "artillery": {
        "en": "artillery|arty|artys|artilleries|cannon|cannons|howitzer|howitzers"
              "|artillery piece|artillery pieces|artillery unit|artillery units|big gun|big guns",
        "fr": "artillerie|artilleries|canon|canons|obusier|obusiers|pièce d'artillerie"
              "|pièces d'artillerie",
    },
    "helicopter": {
        "en": "helicopter|helicopters|heli|helis|helo|helos|chopper|choppers|copter|copters"
              "|gunship|gunships|air units|whirlybird|whirlybirds",
        "fr": "hélicoptère|hélicoptères|hélico|hélicos|héli|hélis|hélicoptère de combat"
              "|hélicoptères de combat",
    },
    "harvester": {
        "en": "harvester|harvesters|miners|ore truck|ore trucks|collector|collectors|harvy"
              "|harvies|harvs|ore miner|ore miners|mining truck|mining trucks|truck|trucks"
              "|lorry|lorries|ore lorry|ore lorries|ore hauler|ore haulers",
        "fr": "collecteur|collecteurs|moissonneuse|moissonneuses|récolteuse|récolteuses"
              "|récolteur|récolteurs|mineurs|camion de minerai|camions de minerai"
              "|camion minier|camions miniers|camion à minerai|camions à minerai|camion|camions",
    },
}

GROUPS: Table = {
    "army": {
        "en": "army|everyone|everybody|everything|forces|all forces|whole army|entire army"
              "|combat units|military|all units|all my units|all our units",
        "fr": "armée|tout le monde|tt le monde|forces|toutes les unités|toutes nos unités"
              "|toutes mes unités"
              "|unités de combat|générale|général",
    },
    "selected": {
        "en": "selected|selected units|selected unit|selection|current selection|these units"
              "|those units",
        "fr": "sélection|la sélection|unités sélectionnées|unité sélectionnée|sélectionnés"
              "|sélectionnées|ceux-là|celles-là|ces unités-là",
    },
}

# Nouns for units in general: "all units" is the army, "the units" the selection.
GENERIC_UNITS = {
    "en": "unit|units",
    "fr": "unité|unités",
}

BUILDINGS: Table = {
    "hq": {
        "en": "hq|headquarters|command center|command centre|construction yard",
        "fr": "qg|quartier général|centre de commandement|chantier de construction",
    },
    "power_plant": {
        "en": "power plant|power plants|powerplant|power station|power stations|generator"
              "|generators|plant|reactor|reactors|pp|power gen|power generator",
        "fr": "centrale|centrales|centrale électrique|centrales électriques|générateur"
              "|générateurs|réacteur",
    },
    "barracks": {
        "en": "barracks|barrack|rax|infantry barracks",
        "fr": "caserne|casernes|baraquement|baraquements",
    },
    "refinery": {
        "en": "refinery|refineries|ore refinery|ref",
        "fr": "raffinerie|raffineries",
    },
    "war_factory": {
        "en": "war factory|war factories|warfactory|factory|factories|vehicle factory"
              "|tank factory|weapons factory|wf|war fac|warfac",
        "fr": "usine|usines|usine d'armement|usines d'armement|usine de guerre|usine de chars"
              "|usine de véhicules",
    },
    "turret": {
        "en": "turret|turrets|gun turret|gun turrets|defense|defence|defenses|defences"
              "|defense tower|defensive tower|tower|towers|pillbox|defense turret|defence turret"
              "|defensive turret|defense turrets|defence turrets|defensive turrets|gun tower"
              "|guard tower",
        "fr": "tourelle|tourelles|défense|défenses|tour|tours|tour de défense"
              "|tourelle de défense|tourelles de défense|tourelle défensive"
              "|tourelles défensives|tour défensive|tours défensives",
    },
}

# Direction words name a region; two of them side by side combine
# ("top" + "left" -> northwest), see `combine_regions` in the parser.
REGIONS: Table = {
    "north": {"en": "north|northern|northward|northwards|up|top|upper",
              "fr": "nord|haut|le haut|en haut"},
    "south": {"en": "south|southern|southward|southwards|down|bottom|lower",
              "fr": "sud|bas|le bas|en bas"},
    "east": {"en": "east|eastern|eastward|eastwards|right",
             "fr": "l'est|droite|la droite|orient|côté est|flanc est|secteur est|zone est"
                   "|partie est|bord est"},
    "west": {"en": "west|western|westward|westwards|left",
             "fr": "ouest|l'ouest|gauche|la gauche|occident"},
    "center": {"en": "center|centre|middle|mid|central",
               "fr": "centre|milieu|central"},
    "northeast": {"en": "northeast|north-east|northeastern|north east",
                  "fr": "nord-est|nordest|nord est"},
    "northwest": {"en": "northwest|north-west|northwestern|north west",
                  "fr": "nord-ouest|nordouest|nord ouest"},
    "southeast": {"en": "southeast|south-east|southeastern|south east",
                  "fr": "sud-est|sudest|sud est"},
    "southwest": {"en": "southwest|south-west|southwestern|south west",
                  "fr": "sud-ouest|sudouest|sud ouest"},
}

PLACES: Table = {
    "my_base": {"en": "home|our base|my base|home base|our hq|my hq",
                "fr": "notre base|ma base|maison|la maison|chez nous|notre qg|mon qg|bercail"},
    "enemy_base": {"en": "enemy base|their base|enemy's base|enemy camp|opponent's base",
                   "fr": "base ennemie|base adverse|leur base|base de l'ennemi|camp ennemi"
                         "|base de l'adversaire"},
    "ore": {"en": "ore|ore field|ore fields|ore patch|ore deposit|ore deposits|minerals|mineral"
                  "|resources|resource|gems|gem|crystals|tiberium|mines|ore mine|ore mines"
                  "|mining area|mining site|mining field|mining fields|ore site|ore area",
            "fr": "minerai|minerais|gisement|gisements|champ de minerai|champs de minerai"
                  "|ressources|ressource|gemmes|gemme|filon|filons|cristaux|mines"
                  "|zone minière|site minier|zone de minerai|gisement de minerai"
                  "|gisements de minerai"},
}
# The fight as the player has seen it: the enemies last seen attacking us, the last alert.
FIGHT: Table = {
    "attackers": {"en": "the attackers|attackers|the raiders|raiders|the intruders|intruders"
                        "|whoever is attacking us|whoever is attacking|whoever attacks us"
                        "|whoever is hitting us|whoever is hitting|the ones attacking us"
                        "|those attacking us",
                  "fr": "les attaquants|attaquants|les assaillants|assaillants|les intrus"
                        "|intrus|ceux qui nous attaquent|ceux qui attaquent"},
    "alert": {"en": "where we are attacked|where we're attacked|where we are under attack"
                    "|where we're under attack|the last alert|last alert|the alert|the fight"
                    "|the fighting|the battle",
              "fr": "là où on se fait attaquer|là où on est attaqué|là où nous sommes attaqués"
                    "|où on se fait attaquer|où on est attaqué|la dernière alerte"
                    "|dernière alerte|l'alerte|le combat|les combats"},
}
# Filters that narrow who carries an order out: "idle units", "les chars endommagés".
FILTERS: Table = {
    "idle": {"en": "idle|idling|inactive|unemployed|unused",
             "fr": "inactif|inactifs|inactive|inactives|oisif|oisifs|désœuvré|désœuvrés"
                   "|inoccupé|inoccupés|au repos"},
    "damaged": {"en": "damaged|wounded|hurt|injured|battered|beat up|beaten up",
                "fr": "endommagé|endommagés|endommagée|endommagées|blessé|blessés|abîmé"
                      "|abîmés|amoché|amochés"},
}
# Game speeds ("plus vite", "slow down"), with or without a "speed" verb.
SPEEDS: Table = {
    "faster": {"en": "faster|speed up|speed it up|go faster|speed the game up|quicker",
               "fr": "plus vite|accélère|accélérez|accélérer|plus rapide|vite vite"},
    "slower": {"en": "slower|slow down|slow it down|slow the game down|go slower",
               "fr": "moins vite|ralentis|ralentissez|ralentir|plus lent|plus lentement"},
    "normal": {"en": "normal speed|regular speed|default speed|speed normal",
               "fr": "vitesse normale"},
}
# "base" alone: ours, except as the object of an attack.
BASE_WORDS = {"en": "base|bases|camp", "fr": "base|bases|camp"}

OWNERS: Table = {
    "enemy": {"en": "enemy|enemies|enemy's|hostile|hostiles|opponent|opponents|opponent's"
                    "|foe|foes|adversary|opposing|their|theirs",
              "fr": "ennemi|ennemie|ennemis|ennemies|adverse|adverses|adversaire|adversaires"},
    "mine": {"en": "my|our|ours|own|friendly|allied|your|ur",
             "fr": "mon|ma|mes|notre|nos|nôtre|votre|vos|ton|ta|tes|allié|alliés"},
}


def _er(*infinitives: str) -> str:
    """Imperative, infinitive and present forms of regular French -er verbs."""
    forms = []
    for verb in infinitives:
        stem = verb[:-2]
        forms += [stem + end for end in ("e", "es", "ez", "er", "ent", "ons")]
    return "|".join(forms)


# Verb classes: the vocabulary actions, plus "make" (train or build, decided by
# the object), "want" (a wish or need: "we need a refinery", "il me faut 3 chars";
# train or build, decided by the object), "put" (a placement: build for a
# building, move for units), "retreat" (move, home by default) and "hold" (defend
# a named place, otherwise stop). "make" verbs marked causative ("make them
# attack", "fais attaquer"), "want" and "put" give way to another verb in the same
# clause ("I want the tanks to attack", "mets les collecteurs au travail").
VERBS: Table = {
    "move": {
        "en": "send|move|go|head|rush|run|march|advance|proceed|travel|relocate|bring|dispatch"
              "|go to|head to|head over|move out|get over|reposition|redeploy|fly|fly to|move it"
              "|gather near|gather at|gather by|gather around|gather close to|gather next to"
              "|scoot|scoot over",
        "fr": "envoie|envoyez|déplace|déplacez|va|allez|bouge|avance|dirige|fonce|marche"
              "|envoyer|envoies|envoient|envoyons|vas|vais|aller|vont|allons|cours|courez|courir"
              "|" + _er("déplacer", "bouger", "avancer", "diriger", "foncer", "marcher",
                        "emmener", "amener", "positionner", "poster")
              + "|rejoins|rejoignez|rejoindre|rends-toi|rendez-vous|dirige-toi|dirigez-vous"
                "|go|aille|aillent|ramène|ramenez|ramener|renvoie|renvoyez|renvoyer|envoye",
    },
    "retreat": {
        "en": "retreat|withdraw|fall back|pull back|come back|go back|head back|get back|back"
              "|return|regroup|back off|move back",
        "fr": "recule|reculez|rentre|rentrez|retourne|repliez-vous|reviens|revenez|"
              + _er("reculer", "rentrer", "retourner", "regrouper", "replier")
              + "|retraite|battez en retraite|bats en retraite|repli|replie-toi|repliez-vous"
                "|reviens|revenez|revenir|retour|regroupez-vous|rapatrie",
    },
    "attack": {
        "en": "attack|attacks|assault|raid|hit|destroy|strike|charge|kill|engage|bomb|bombard"
              "|shell|smash|crush|wipe out|take out|eliminate|hunt|hunt down|storm|invade|fire"
              "|open fire|fight|demolish|raze|level|annihilate|obliterate|blast|shoot|ambush"
              "|go after|attack-move|besiege|against|focus fire on|focus on|concentrate fire on"
              "|target|shoot down|shoot at|take down|gun down|mow down|knock out|blow up"
              "|finish off|chase|chase down|pursue|track down|wreck|harass|light up"
              "|go kill|go hunt|hunt for|push|a-move|amove",
        "fr": "attaque|attaquez|détruis|détruisez|frappe|bombarde|pilonne|élimine|rase|"
              + _er("attaquer", "frapper", "bombarder", "pilonner", "raser", "éliminer", "tuer",
                    "charger", "écraser", "canarder", "assiéger", "mitrailler")
              + "|assaut|à l'assaut|raid|détruis|détruisez|détruire|détruisent"
                "|détruisons|anéantis|anéantissez|anéantir|envahis|envahissez|envahir"
                "|ouvre le feu|ouvrez le feu|tire sur|tirez sur|fonce sur|foncez sur"
                "|donnez l'assaut|donne l'assaut|assaillez|assaille|démolis|démolissez|démolir"
                "|contre|concentrez le feu sur|concentre le feu sur|concentrez-vous sur|cible"
                "|ciblez|cibler|"
              + _er("chasser", "pourchasser", "traquer", "allumer", "dégommer", "neutraliser",
                    "massacrer", "flinguer", "harceler", "défoncer", "buter")
              + "|harcèle|harcèlent|abats|abat|abattez|abattre|abattent|abattons|tombe sur"
                "|tombez sur|tombent sur|fonds sur|fondez sur|fondent sur|foncent sur"
                "|fonçons sur|tirent sur|tirer sur|push|a-move",
    },
    "train": {
        "en": "train|recruit|hire|enlist|draft|muster",
        "fr": "entraîne|entraînez|recrute|recrutez|forme|formez|embauche|enrôle|"
              + _er("entraîner", "former", "recruter", "embaucher", "enrôler"),
    },
    "build": {
        "en": "build|construct|erect|put up|set up|raise|establish",
        "fr": "construis|construisez|bâtis|bâtissez|pose|installe|érige|édifie|"
              + _er("poser", "installer", "édifier", "ériger")
              + "|construis|construisez|construire|construisent|construisons|construit|bâtis"
                "|bâtissez|bâtir|bâtissent|bâtissons",
    },
    "want": {
        "en": "want|wanna|i want|we want|i wanna|we wanna|need|i need|we need|we'll need"
              "|we will need|i'd like|i would like|we'd like|we would like|id like|i'd love"
              "|get me|get us|gimme|give me|give us|let's get|lets get|let us get|let's have"
              "|lets have|can i have|can i get|can we have|can we get|could i have|could i get"
              "|could we have|could we get|may i have|i'll have"
              "|could use|we could use|i could use|add|add in|i require|we require|require"
              "|i'd want|we'll want|we're gonna need|we are gonna need|we're going to need"
              "|we are going to need|gonna need|going to need|i'm gonna need|how about"
              "|what about",
        "fr": "veux|je veux|on veut|nous voulons|voulons|voudrais|je voudrais|on voudrait"
              "|nous voudrions|j'aimerais|aimerais|j'aimerai|on aimerait|nous aimerions"
              "|j'aimerais bien|je voudrais bien|je veux bien|il me faut|il nous faut|il faut"
              "|faut|il faudrait|faudrait|il va falloir|va falloir|il faudra|faudra"
              "|besoin de|besoin d'|j'ai besoin de|j'ai besoin d'|on a besoin de"
              "|on a besoin d'|nous avons besoin de|nous avons besoin d'|avons besoin de"
              "|on aurait besoin de|on aurait besoin d'|j'aurais besoin de|j'aurais besoin d'"
              "|nous aurions besoin de|j'veux|j'voudrais"
              "|donne-moi|donnez-moi|donne-nous|donnez-nous|file-moi|filez-moi"
              "|ajoute|ajoutez|ajouter|rajoute|rajoutez|rajouter",
    },
    "put": {
        "en": "put|puts|place|drop|put down|set down|stick|plonk|chuck|bung|plop|pop",
        "fr": "mets|mettez|mettre|met|mettent|mettons|"
              + _er("placer", "déposer", "planter", "coller")
              + "|place-moi|pose-moi|mets-moi|mettez-moi|plante-moi|fous|foutez|fiche|fichez"
                "|flanque|flanquez",
    },
    "make": {
        "en": "make|produce|create|manufacture|buy|purchase|queue|queue up|spawn|crank out",
        "fr": "fabrique|fabriquez|produis|produisez|crée|créez|achète|fais|"
              + _er("fabriquer", "créer", "acheter")
              + "|produis|produisez|produire|produisent|fais|faites|faire|fait|font|faisons",
    },
    "harvest": {
        "en": "harvest|mine|collect|gather|farm|extract|go mining|harvesting|mining"
              "|start harvesting|start mining|to work|back to work|get to work"
              "|back on the ore|back on ore|back on the ore field|get back on the ore"
              "|back to mining|back to harvesting|get ore|get some ore|get more ore|fetch ore"
              "|fetch some ore|go fetch ore|grab ore|grab some ore|bring in ore"
              "|bring in some ore|bring back ore|bring back some ore|haul ore|haul some ore",
        "fr": "récolte|récoltez|collecte|ramasse|exploite|mine|minez|"
              + _er("récolter", "collecter", "ramasser", "exploiter")
              + "|mine|minez|miner|minent|extrais|extrayez|extraire|au travail|au boulot"
                "|au charbon|à la récolte|chercher du minerai|cherche du minerai"
                "|cherchez du minerai|cherchent du minerai|chercher le minerai"
                "|cherchez le minerai|chercher des ressources|cherchez des ressources"
                "|récupérer du minerai|récupère du minerai|récupérez du minerai"
                "|ramener du minerai|ramène du minerai|ramenez du minerai",
    },
    "stop": {
        "en": "stop|halt|freeze|hold position|hold fire|cease fire|ceasefire|stand down"
              "|stand still|stay put|stay|wait|cease|hold still|stop moving|stop everything",
        "fr": "arrête|arrêtez|stoppe|stoppez|halte|cessez le feu|ne bougez plus|"
              + _er("arrêter", "stopper", "immobiliser", "rester")
              + "|stop|halte|cessez le feu|cesse le feu|halte au feu|ne bougez plus"
                "|ne bouge plus|ne bougez pas|ne bouge pas|tenez la position|tiens la position"
                "|tenez vos positions|attends|attendez|immobilisez-vous|arrête tout"
                "|arrêtez tout|stoppe tout|stoppez tout",
    },
    "hold": {"en": "hold", "fr": "tenez|tiens|tenir|tient|tiennent|tenons"},
    "defend": {
        "en": "defend|protect|guard|secure|shield|hold the line|watch over|cover|covers"
              "|stand guard|stand guard over|stand guard at|keep guard|keep guard over"
              "|keep watch|keep watch over|go guard|on guard|hold the line at",
        "fr": "défends|défendez|protège|protégez|garde|gardez|sécurise|surveille|"
              + _er("protéger", "garder", "sécuriser", "surveiller")
              + "|défends|défendez|défendre|défendent|défendons|en défense|en position défensive"
                "|monte la garde|montez la garde|monter la garde|montent la garde"
                "|montons la garde|de garde|tenez la ligne|tiens la ligne|tenir la ligne"
                "|tiennent la ligne"
                "|veille sur|veillez sur|veiller sur|veillent sur|veillons sur",
    },
    # The base, as with the mouse (sidebar, Delete, right click on a queue, rally point).
    "sell": {"en": "sell|sell off|scrap|salvage|cash in",
             "fr": "vends|vendez|vendre|vend|vendons|revends|revendez|revendre|brade|bradez"},
    "repair": {"en": "repair|fix|fix up|mend|patch up|restore",
               "fr": "répare|réparez|réparer|répares|réparons|retape|retapez|restaure|restaurez"},
    "cancel": {"en": "cancel|abort|dequeue|unqueue|stop building|stop training|stop making"
                     "|stop producing|stop the production of",
               "fr": "annule|annulez|annuler|annules|annulons|arrête de construire"
                     "|arrête d'entraîner|arrête de produire|arrête la production de"
                     "|arrêtez de construire|arrêtez d'entraîner|arrêtez de produire"},
    "rally": {"en": "rally|rally to|rally at|rally point|rally point at|rally point to"
                    "|set the rally point|set rally point|set rally",
              "fr": "ralliement|point de ralliement|rallie|ralliez|rallier|se rassemblent"
                    "|rassemblement|rassemble|rassemblez|se rassemblent à|se rallient"},
    # The interface: what the player sees and how time runs.
    # Only words that mean selecting: "take", "prends", "grab" are said of anything.
    "select": {"en": "select|choose",
               "fr": "sélectionne|sélectionnez|sélectionner|choisis|choisissez"},
    "group": {"en": "assign|allocate",
              "fr": "assigne|assignez|assigner|affecte|affectez|affecter"},
    "camera": {"en": "show me|look at|let me see|take me to|center on|centre on|zoom to"
                     "|zoom on|jump to|camera to|camera on|go see|go look at",
               "fr": "montre-moi|montrez-moi|montre|va voir|allez voir|regarde|regardons"
                     "|centre sur|centre la vue sur|caméra sur|vue sur|fais-moi voir"},
    "pause": {"en": "pause|pause the game|freeze the game|hold the game",
              "fr": "pause|mets en pause|mets pause|mettre en pause|jeu en pause"
                    "|mets le jeu en pause"},
    # "resume" alone is the game's (French "résumé" reads the same once accents go, so
    # a summary is asked for in phrases: "un résumé", "résume la situation").
    "resume": {"en": "unpause|continue|resume|resume the game|resume game|resume play|carry on",
               "fr": "reprends|reprenez|reprendre|reprise|continue|continuez|relance"
                     "|relance le jeu|enlève la pause"},
    "speed": {"en": "game speed|speed|set speed|set the speed|change speed",
              "fr": "vitesse|vitesse du jeu|change la vitesse"},
    "analyze": {
        "en": "analyze|analyse|analysis|status|status report|report|advice|advise|tips|tip"
              "|hint|hints|suggestion|suggestions|recommend|recommendation|sitrep|situation"
              "|overview|summary|assessment|assess|evaluate|evaluation|how am i doing"
              "|how are we doing|how is it going|how's it going|how are things|how goes it"
              "|what should i do|what should we do|what do i do|what now|what next"
              "|what do you suggest|what do you recommend|any advice|any tips|am i winning"
              "|are we winning|who is winning|who's winning|give me advice|give me some advice"
              "|give me a tip|give me a hint|give me a report|give me a status report"
              "|tell me how i'm doing|tell me how we're doing|how am i doing so far"
              "|how's the battle going|how is the battle going|how's the game going"
              "|how is the game going|what's my status|what is my status|what's the situation"
              "|what is the situation|what's going on|what is going on|situation report"
              "|sit rep|status update|update me|give me an update|any update|any updates"
              "|progress report|report in|report status|quick report|what's happening"
              "|what is happening|how we doing|how are we looking|how do we look"
              "|how does it look|how's everything|how is everything|how are things going"
              "|how's the war|how is the war|how's the fight|how is the fight|where do we stand"
              "|where are we at|what's our status|what is our status"
              "|what's the status|what is the status|what's the state of things|state of play"
              "|what's the score|are we losing|am i losing|who's ahead|who is ahead"
              "|what's the plan|what do we do|what do we do now|what should i build"
              "|what should we build|what do i build|how's the war going|how is the war going"
              "|how's the fight going|how is the fight going|how's it looking|how is it looking"
              "|how's the battle looking|how does it look|any news|what's new on the front"
              "|how goes the battle|how goes the war|how goes the fight|how goes the game"
              "|how's the game|how is the game|how's the match|how is the match"
              "|how's the battle|how is the battle|how's the game looking|how are we holding up"
              "|how's the match going|how is the match going|am i ahead|are we ahead"
              "|am i behind|are we behind|who's in the lead|who is in the lead",
        "fr": "analyse|analysez|analyser|rapport|état|statut|situation|bilan|conseil|conseils"
              "|astuce|astuces|suggestion|suggestions|recommandation|recommandations"
              "|comment ça va|comment ça se passe|ça va|comment je m'en sors"
              "|comment on s'en sort|comment ça se présente|où en suis-je|où en sommes-nous"
              "|où en est-on|on en est où|j'en suis où|où en est la partie|que dois-je faire"
              "|qu'est-ce que je dois faire|que faire|quoi faire|je fais quoi|on fait quoi"
              "|donne-moi un conseil|donnez-moi un conseil|donne-moi des conseils"
              "|donnez-moi des conseils|un conseil|des conseils|fais le point|faites le point"
              "|point de situation|état des lieux|est-ce que je gagne|qui gagne"
              "|quelle est la situation|donne-moi un rapport|donnez-moi un rapport"
              "|dis-moi comment ça va|conseille-moi|conseillez-moi|et maintenant"
              "|comment se passe la bataille|comment se passe la partie|comment va la partie"
              "|comment va la bataille|quel est mon statut|quel est mon état"
              "|quelle est ma situation|quel est le bilan|c'est comment|ça donne quoi"
              "|ça se passe comment|ça se présente comment|comment on est|où on en est"
              "|ça en est où|où en est la bataille|fais-moi un rapport"
              "|faites-moi un rapport|fais un rapport|faites un rapport|fais-moi le point"
              "|faites-moi le point|fais un point|point situation|compte rendu"
              "|compte-rendu|mets-moi au courant|mettez-moi au courant|tiens-moi au courant"
              "|ça avance|comment ça se déroule|comment ça avance|est-ce qu'on gagne"
              "|on gagne|on perd|est-ce qu'on perd|je gagne|je perds|qui mène|on mène"
              "|quelle est la situation actuelle|quel est l'état|état de la partie"
              "|état de la situation|un résumé|fais-moi un résumé|résume la situation"
              "|résume-moi la situation|fais le bilan|faites le bilan"
              "|qu'est-ce qu'on fait|je construis quoi|on construit quoi|que construire"
              "|en train de gagner|en train de perdre|je suis en train de gagner"
              "|je suis en train de perdre|on est en train de gagner|on est en train de perdre"
              "|est-ce que je suis en train de gagner|est-ce que je suis en train de perdre"
              "|est-ce qu'on est en train de gagner|est-ce qu'on est en train de perdre"
              "|suis-je en train de gagner|est-ce que je perds|est-ce que nous gagnons"
              "|je m'en sors comment|on s'en sort comment",
    },
}
# "make"-class verbs that mean "cause to" when another verb follows.
CAUSATIVE = {"make", "fais", "faites", "faire", "fait", "font", "faisons"}
# Verbs that only take units: "recruit a barracks" is not understood.
UNIT_ONLY_VERB_CLASSES = {"train"}
# Verb classes that give way to any other verb of their clause, weakest first.
WEAK_VERB_CLASSES = ("want", "put", "move", "retreat")
# "More" words that mean other units rather than new ones.
OTHER_WORDS = _spelled("others|other ones|autre|autres")
# Filler words after which numbers, spelled out too, are a tile ("tile twenty, forty",
# "à la case septante-deux, quarante": counts stop at 50, tiles do not).
TILE_WORDS = _spelled("tile|cell|square|case|cellule|coordinates|coords|coordinate"
                      "|coordonnées|coord")
# Question words ("how" kind) that make a status question only with a word of how
# things go ("state" kind): "how are my tanks doing", not "how tanks north".
BARE_HOW = _spelled("how|comment|how do|how does")
# Region words that open a sentence as a discourse marker ("Right, tanks."), so a
# lone one at the start names no destination.
DISCOURSE_REGIONS = _spelled("right")
# For the model's guide (llm/guide.py): words that turn an order into its opposite (better
# no command than the wrong one), and words left to the model that still join two commands.
NEGATIONS = _spelled("not|don't|dont|do not|never|ne|n'|pas|jamais")
CLAUSE_JOINS = _spelled("while|whilst|meanwhile|pendant que|tandis")
# Fillers that link two direction words into one region ("en haut à droite", "vers l'est").
ARTICLE_LINKS = _spelled("à|l'|la|le")
# Words that make a building named alone a place to go ("près des tourelles", "au QG").
BESIDE = _spelled("near|nearby|next to|beside|by|close to|around|près|près de|près du|près des"
                  "|à côté de|à côté du|à côté des|autour de|autour du")
TOWARDS = BESIDE | _spelled("to|at|into|toward|towards|au|aux|à|vers|jusqu'à|jusqu'au|devant"
                            "|sur|en direction de")
# "a refinery next to it", "une centrale à côté d'elle" (its "d'" passed over): a place
# beside a thing named before.
NEAR = BESIDE | _spelled("à côté|côté")
IT = _spelled("it|elle|lui")
# "une au sud": one, even with no noun after it; any article is one before a noun.
LONE_ONE = _spelled("un|une")
ARTICLES = LONE_ONE | _spelled("a|an")
# Fillers between a noun and what it belongs to ("the refinery of the enemy", "north of
# my base", "au nord de la base"); OF_LINKS are those that make the link.
OF_WORDS = _spelled("of|the|de|du|d'|l'|la|le|des|'s")
OF_LINKS = _spelled("of|de|du|d'|des")
# "I want the tanks" is not a wish for new ones.
DEFINITE = _spelled("the|le|la|les|l'")
# Separators between clauses: punctuation, and the words that join two orders.
PUNCTUATION = frozenset(",;.!?")
FULL_STOPS = PUNCTUATION - {","}
AND_WORDS = _spelled("and|et")

# Number words said one after the other that make one number: (first, second, times):
# "twenty one", "vingt et un" add up (an "and" may stand between), "dix sept" and
# "soixante-douze", "quatre-vingt-onze" too (tiles go past 50), and "two hundred"
# multiplies (never with an "and").
NUMBER_COMPOUNDS = (
    (range(20, 100, 10), range(1, 10), False),
    ((10,), range(7, 10), False),
    ((60, 80), range(10, 20), False),
    (range(1, 10), (100, 1000), True),
)

NUMBERS: Table = {  # keyed by the number as text, like every table
    str(n): {"en": en, "fr": fr} for n, en, fr in (
        (0, "zero|none", "zéro"),
        (1, "one|single|a single|one single", "un seul|une seule"),
        (2, "two|a couple|a couple of|couple of|a pair of|pair of", "deux|une paire de"),
        (3, "three|a few|few", "trois|quelques"),
        (4, "four", "quatre"), (5, "five", "cinq"), (6, "six|half a dozen",
                                                           "six|une demi-douzaine|demi-douzaine"),
        (7, "seven", "sept"), (8, "eight", "huit"), (9, "nine", "neuf"),
        (10, "ten", "dix|une dizaine|dizaine"), (11, "eleven", "onze"),
        (12, "twelve|a dozen|dozen", "douze|une douzaine|douzaine"),
        (13, "thirteen", "treize"), (14, "fourteen", "quatorze"),
        (15, "fifteen", "quinze|une quinzaine|quinzaine"), (16, "sixteen", "seize"),
        (17, "seventeen", "dix-sept"), (18, "eighteen", "dix-huit"),
        (19, "nineteen", "dix-neuf"), (20, "twenty|a score of", "vingt|une vingtaine|vingtaine"),
        (30, "thirty", "trente|une trentaine"), (40, "forty|fourty", "quarante|une quarantaine"),
        (50, "fifty", "cinquante|une cinquantaine"), (60, "sixty", "soixante"),
        (70, "seventy", "soixante-dix|septante"),
        (80, "eighty", "quatre-vingts|quatre-vingt|huitante|octante"),
        (90, "ninety", "quatre-vingt-dix|nonante"), (100, "hundred|a hundred", "cent|centaine"),
        (1000, "thousand|a thousand", "mille"), (1000000, "million|a million", "million"),
    )
}

# Function words and phrases whose meaning is their kind (the parser's item kinds).
WORDS: dict[str, dict[str, str]] = {
    # "1" before a noun, else nothing; French "à" is "a" once accents are gone.
    "article": {"en": "a|an", "fr": "un|une|à"},
    "all": {"en": "all|every|each|whole|entire|all of|all the|all of the|all of my",
            "fr": "tous|toutes|tout|toute|chaque|entier|entière|tous les|toutes les"},
    "some": {"en": "some|several|a handful of|handful of|many|lots of|a lot of|a bunch of"
                   "|bunch of|a number of",
             "fr": "plusieurs|beaucoup de|certains|certaines|pas mal de|un paquet de"},
    "pronoun": {"en": "them|they|it|those|these",
                "fr": "eux|ils|elles|ces unités|celles-ci|ceux-ci"},
    # "this"/"that" alone: the selected building of "sell that", "repair this" (llm/frames.py);
    # said of anything else ("who made this game"), so every other order hands it over.
    "this": {"en": "this|that"},
    "les": {"fr": "les"},  # article before a noun, pronoun elsewhere ("envoie-les")
    "leur": {"fr": "leur|leurs"},  # "their" before a noun, pronoun elsewhere
    "with": {"en": "with|using|by using|by means of|use",
             "fr": "avec|en utilisant|au moyen de|utilise|utilisez|utiliser"},
    "coord": {"en": "x|y", "fr": "x|y"},
    "sep": {"en": "and|then|and then|after that|afterwards|next|finally|and finally|&",
            "fr": "et|puis|ensuite|et puis|et ensuite|après ça|après cela|après quoi|enfin"
                  "|finalement|et enfin|après|pis|et pis"},
    # Words that make a clause mean something the commands cannot say
    # (negation, conditions, order reversal, alternatives): the model decides.
    "block": {"en": "not|don't|dont|do not|never|no|nobody|after|before|once|when|whenever"
                    "|if|unless|until|while|or|either|except|but not|instead|without",
              "fr": "ne|n'|pas|jamais|aucun|aucune|personne|après avoir|après que|avant"
                    "|avant de|une fois que|une fois qu'|quand|lorsque|si|sauf|dès que"
                    "|pendant que|ou|où|sinon|sans|au lieu de|pantoute"},
    # "Once" opening a clause ("une fois la caserne construite, …") is a condition
    # (a block); anywhere else it is Belgian filler ("va au nord une fois").
    "once": {"fr": "une fois"},
    # Status questions: "how's my economy looking?", "comment va mon armée ?",
    # "où en sont mes chars ?": a question word, then only what it asks about (our
    # units, places, these topics) and how it is going; the parser reads them as
    # "analyze" and as nothing else (see `status_questions` in the parser).
    "how": {"en": "how|how's|how is|how are|how does|how do|how're",
            "fr": "comment|comment va|comment vont|comment est|comment sont|comment se porte"
                  "|comment se portent|où en est|où en sont"},
    "topic": {"en": "economy|eco|economics|income|money|cash|funds|finances|credits|power"
                    "|energy|electricity|production|supply|supplies|score",
              "fr": "économie|éco|finances|argent|fric|revenus|crédits|énergie|électricité"
                    "|courant|production|ravitaillement|score"},
    "state": {"en": "doing|looking|going|holding up|faring|coming along|shaping up|look"
                    "|looks|progressing|getting on|so far|looking like|at the moment|atm"
                    "|currently",
              "fr": "se porte|se portent|se débrouille|se débrouillent|s'en sort|s'en sortent"
                    "|tient le coup|tiennent le coup|en ce moment|actuellement|pour l'instant"
                    "|pour le moment"},
    # "tell me": fine in a request for advice, unclear anywhere else.
    "request": {"en": "tell me", "fr": "dis-moi|dites-moi"},
    # Deixis: the map point under the mouse when the order was typed ("here", "ici", "là").
    "here": {"en": "here|over here|right here|there|over there|right there|this spot"
                   "|that spot|this place|that place|this one|that one|this building"
                   "|that building|this position|that position|under my mouse|under the mouse"
                   "|under my cursor"
                   "|under the cursor",  # "this", "that" alone are said of anything
             "fr": "ici|là-bas|par ici|par là|juste ici|juste là|cet endroit|cette position"
                   "|celui-ci"
                   "|celui-là|celle-ci|celle-là|ce bâtiment|sous la souris|sous ma souris"
                   "|sous le curseur|labas|la-bas|isi"},  # "là" is "la"
    # A control group: "group 2", "groupe 3"; a number follows.
    # "tanks are group 2", "groupe 3 : l'artillerie": the group they become.
    "ctrl": {"en": "group|control group|squad|are group|is group|are now group"
                   "|become group|as group|to group|into group|in group",
             "fr": "groupe|groupe de contrôle|escouade|équipe|sont le groupe|est le groupe"
                   "|forment le groupe|deviennent le groupe|dans le groupe|au groupe"
                   "|en groupe"},
    # Adjectives that may sit between an article and its noun ("a big tank").
    "adj": {"en": "other|big|heavy|light|small|little|last|latest"
                  "|good|nearest|closest|available|remaining|spare|strong",
            "fr": "gros|grosse|petit|petite|lourd"
                  "|lourds|léger|légers|proche|plus proche|disponible|disponibles|restants|dernier"
                  "|derniers|dernière|dernières"
                  "|restantes|bons"},
    # "More" of something, or new ones to make: an adjective in a noun phrase ("3 more
    # tanks", "2 new tanks", "2 chars de plus"), a wish on its own ("more tanks
    # please"), and with a number but no noun the noun said just before ("a turret north
    # and 2 more south").
    # "Others"/"autres" (OTHER_WORDS) are other units, not new ones: "quatre chars à
    # l'ouest, quatre autres à l'est" sends four and four.
    "more": {"en": "more|extra|additional|others|other ones|new|fresh",
             "fr": "autre|autres|supplémentaire|supplémentaires|de plus|en plus|encore"
                   "|en rab|de rab|en renfort|nouveau|nouvel|nouvelle|nouveaux|nouvelles"},
    # The same with "one" built in: "and another one south", "et une autre au sud".
    "another": {"en": "another|one more|yet another|a second|one other",
                "fr": "un autre|une autre|encore un|encore une|un de plus|une de plus"
                      "|un deuxième|une deuxième|un second|une seconde|un nouveau"
                      "|une nouvelle"},
    # Small talk: never an order.
    "chat": {"en": "joke|jokes|weather|poem|story|song|sing|dance|hello|hi|hey there|thanks"
                   "|thank you|bye|goodbye|lol|haha|love|name|recipe|stupid|idiot|dumb|suck"
                   "|sucks|meaning of life|president|capital|yes|yeah|nope|gg|wp|ggwp|glhf"
                   "|gl|hf|ty|thx|tyvm|thank u|cheers|lmao|lmfao|rofl|xd|omg|wtf|brb|afk"
                   "|hehe|hahaha|good game|well played|good luck|have fun|nice one|good job"
                   "|well done|great job|what time|what time is it|who are you|how are you"
                   "|are you a bot|are you human|what's the time|what is the time"
                   "|be right back|be back|be back soon|back soon|i'll be back|i will be back"
                   "|i'm back|gotta go|got to go|g2g|gtg|bathroom|toilet|hungry|i'm hungry"
                   "|dinner|lunch|snack|coffee|doorbell|"
                   + "|".join(f"back in {n}" for n in (
                       "a", "an", "a few", "few", "one", "two", "three", "five", "ten",
                       "fifteen", "twenty", "thirty", *map(str, range(1, 61)))),
             "fr": "blague|blagues|météo|poème|histoire|chanson|chante|danse|bonjour|salut"
                   "|coucou|bonsoir|merci|au revoir|mdr|aime|nom|recette|idiot|débile|nul"
                   "|président|capitale|oui|ouais|non|quel temps|ptdr|gg|lol|bien joué"
                   "|bravo|bonne partie|bonne chance|amuse-toi bien|quelle heure"
                   "|quelle heure est-il|l'heure|heure|heures|qui es-tu|t'es qui"
                   "|comment tu t'appelles|comment vas-tu|comment allez-vous|tu es un robot"
                   "|merci beaucoup|merci bien|je reviens|j'reviens|je suis de retour|me revoilà"
                   "|j'arrive|je dois y aller|je dois partir|je m'absente|pause café|pause pipi"
                   "|faim|j'ai faim|soif|j'ai soif|je vais manger|à table|toilettes|téléphone"
                   "|quel temps fait-il|quel temps il fait|il fait beau|il fait chaud"
                   "|il fait froid"},
    "filler": {
        "en": "the|to|toward|towards|at|in|into|on|onto|of|from|for|please|pls|plz|now|right now"
              "|immediately|asap|quickly|quick|fast|hurry|hurry up|me|us|i|we|you|let's|lets"
              "|let us|ok|okay|hey|yo|go ahead and|over|area|side|corner|flank"
              "|part|zone|region|sector|quadrant|map|position|positions|tile|tiles|cell|square"
              "|coordinates|coords|coordinate|point|location|spot|'s|s|also|too|again|just"
              "|first|right away|straight|directly|around|near|nearby|next to|beside|by|close to"
              "|up to|all the way|out|tell|have|get|order|i want you to|i need you to"
              "|can you|could you|would you|will you|can u|could u|sir|commander|boss|chief"
              "|alright|all right|ahead|as well|quickly now|go go|launch|mount|fast as you can"
              "|on the double"
              "|do it|an order|i'm|let|u|battlefield|battle|game|match"
              "|would you please|could you please|can you please|would u|will u|kindly"
              "|i'd like you to|i would like you to|we need you to|we want you to"
              "|we'd like you to|please do|if you can|if you could|when you can|for me"
              "|really|actually|urgently|badly|definitely|seriously",
        "fr": "le|la|l'|de|du|des|d'|au|aux|en|vers|sur|dans|pour|par|jusqu'à|jusqu'au|direction"
              "|en direction de|s'il te plaît|s'il vous plaît|stp|svp|maintenant|tout de suite"
              "|immédiatement|vite|rapidement|moi|nous|vous|toi|te|se|me|on|ça|ce|cet|cette"
              "|ces|côté|coin|zone|région|secteur|partie|carte|position|case|cases"
              "|cellule|coordonnées|coord|point|endroit|aussi|plus|d'abord"
              "|tout d'abord|près de|à côté de|autour de|devant|vas-y|allez-y|ok|d'accord"
              "|dis|dites|ordonne|ordonnez|ordre|je veux que|bon|chef|mon général"
              "|commandant|lance|lancez|allez hop|hop|je|qu'ils|qu'elles|qu'on|que"
              "|doivent|doit|pourrais-tu|pouvez-vous|peux-tu|il"
              "|ça marche|tu|champ de bataille|bataille|jeu|près|près du|près des"
              "|à proximité de|à proximité du|à proximité des|aux abords de|aux abords du"
              "|proche de|proche du|proche des|tu peux|vous pouvez|tu pourrais|vous pourriez"
              "|pourriez-vous|est-ce que tu peux|est-ce que vous pouvez|est-ce que tu pourrais"
              "|est-ce que vous pourriez|veuillez|merci de|merci d'|tu veux bien"
              "|vous voulez bien|veux-tu|voulez-vous|peut-on|on peut|on pourrait|pourrait-on"
              "|sois gentil|s'il te plait|si tu peux|si vous pouvez|pour moi|stp merci"
              "|svp merci|astheure|asteure|à c't'heure|drette|faque|ben|tsé",
    },
}

# Text that is never an order but an attempt on the program: markup, SQL, template code
# (matched on the typed text), prompt injection, cheats (matched once normalised).
NOT_ALLOWED_RAW = r"'\s*;|;\s*--|--\s*$|/\*|<\s*/?\s*script|\{\{|\$\(|\bunion\s+select\b"
NOT_ALLOWED = (
    r"\b(ignore|ignorez?|disregard|forget|oublie|oubliez)\b.{0,40}"
    r"\b(instructions?|rules?|prompts?|consignes?|regles?|previous|precedentes?)\b"
    r"|\bsystem prompt\b|\byou are now\b|\btu es maintenant\b|\bjailbreak\b|\bact as\b"
    r"|\b(give|donne|donnez|add|ajoute|ajoutez|set)\b.{0,30}"
    r"\b(credits?|money|cash|gold|argent|fric|thunes?)\b"
    r"|\b(cheat|cheats|hack|hacks|triche|tricher|god ?mode|infinite|unlimited|illimitee?s?)\b"
    r"|\b(drop|truncate)\s+table\b|\bdelete\s+from\b|\binsert\s+into\b|\bselect\s+\*"
    r"|\bor\s+1\s*=\s*1\b"
)

# Common words kept out of typo correction: close to a known word, never meant as it.
NO_TYPO_FIX = set(
    "mode made mind fine wine same time wall hell help held here were this than went gave save"
    " nice know vase cast lose loss last list lost mover hero sand land hand band bank tack task"
    " tall bass fare bare care core sore mais elle sont sera bien comme donc sous cour gare rage"
    " page mage plan planet mines sorry test tests best rest exploser explorer"
    " truc trucs"  # French "thing": "construis un truc" is no harvester ("truck")
    .split()
) | {FOREIGN_DIGIT}

class Rewrite(NamedTuple):
    """A word whose kind depends on its neighbours, as a row: an item of `kind` (and, if
    given, one of `words`) becomes `becomes` (kind, value) where every condition given
    holds. Kinds of neighbours: "" is the start or end of the order."""

    kind: str
    becomes: tuple[str, Any]
    words: frozenset[str] | None = None  # the item's words (as `tokenize` spells them)
    opens: bool | None = None  # True: nothing but filler before it in its clause
    before: frozenset[str] | None = None  # the kinds the item before may have
    after: frozenset[str] | None = None  # the kinds the item after may have
    after_words: frozenset[str] | None = None  # the words the item after may be
    after_values: frozenset[Any] | None = None  # the meanings the item after may have
    verbs: frozenset[str] | None = None  # the verb classes said before it in its clause
    skip: frozenset[str] = frozenset()  # kinds passed over to find the item after


# Kinds of noun, and of the words that may stand between an article and its noun.
NOUN_KINDS = frozenset({"unit", "group", "generic", "building", "place", "base"})
NOUN_PHRASE_SKIPS = frozenset({"adj", "owner", "more", "another"})
_NOUN_FOLLOWS = NOUN_KINDS | NOUN_PHRASE_SKIPS | {"number"}


# What a French object pronoun glued to its verb may be followed by (never its noun:
# "attaque la case 55 60"): "construis-la", "envoie-le au nord".
_AFTER_CLITIC = _spelled("au|aux|vers|en|sur|dans|jusqu'à|jusqu'au|pour|à|direction"
                         "|en direction de|maintenant|tout de suite|vite|immédiatement"
                         "|rapidement|stp|svp|s'il te plaît|s'il vous plaît")
_UP_DOWN = _spelled("up|down")
# Passes of rewrites, in the parser's order (each pass reads the order once, left to right).
REWRITES: dict[str, tuple[Rewrite, ...]] = {
    "openers": (
        # French "une fois": a condition opening a clause ("une fois la caserne construite,
        # …"), Belgian filler anywhere else ("va au nord une fois").
        Rewrite("once", ("block", None), opens=True),
        Rewrite("once", ("filler", None)),
        # "plant a turret north": a noun opening its clause before a count is a verb
        # (put one there), not a power plant.
        Rewrite("building", ("verb", "put"), _spelled("plant"), opens=True,
                after=_kinds("article|number|another")),
        # "le reste de l'armée se replie": the rest of the army, not "stay".
        Rewrite("verb", ("filler", None), _spelled("reste"), before=_kinds("filler"),
                after_words=_spelled("de|du|des|d'")),
    ),
    "clitics": (
        Rewrite("filler", ("pronoun", None), _spelled("le|la|l'"), before=_kinds("verb"),
                after=_kinds("|sep|verb|with")),
        Rewrite("filler", ("pronoun", None), _spelled("le|la|l'"), before=_kinds("verb"),
                after=_kinds("filler|article"), after_words=_AFTER_CLITIC),
    ),
    # "a"/"une" count one before a noun ("a tank", "une au sud"); elsewhere ("va à la base")
    # they say nothing. French "les"/"leur" are articles before a noun ("envoie-les tous au
    # nord": them, all of them), "leur" then meaning the enemy's, and pronouns otherwise.
    "articles": (
        # Dictated homophones ("send to tanks east", "train for tanks", "entraîne de
        # soldats"): a preposition right after the verb or "with", before a unit, is a count.
        Rewrite("filler", ("number", 2), _spelled("to|too|de"), before=_kinds("verb|with"),
                after=_kinds("unit"), skip=_kinds("adj")),
        # "recrute dis soldats", "dis-huit chars": "dis" heard for "dix" before what it counts.
        Rewrite("filler", ("number", 10), _spelled("dis"), before=_kinds("|verb|with"),
                after=_kinds("unit|building|number"), skip=_kinds("adj")),
        Rewrite("filler", ("number", 4), _spelled("for"), before=_kinds("verb|with"),
                after=_kinds("unit"), skip=_kinds("adj")),
        Rewrite("filler", ("number", 2), _spelled("to|too|de"), before=_kinds("verb"),
                verbs=_kinds("build|make"), after=_kinds("building")),
        Rewrite("filler", ("number", 4), _spelled("for"), before=_kinds("verb"),
                verbs=_kinds("build|make"), after=_kinds("building")),
        # "cancel the last tank", "annule le dernier soldat": one, not every one queued.
        Rewrite("adj", ("number", 1), _spelled("last|latest|dernier|derniere"),
                before=_kinds("filler|verb"), verbs=_kinds("cancel"),
                after=_kinds("unit|building")),
        Rewrite("article", ("number", 1), after=NOUN_KINDS, skip=NOUN_PHRASE_SKIPS),
        Rewrite("article", ("number", 1), _spelled("un|une"), after=_kinds("region|tile"),
                skip=NOUN_PHRASE_SKIPS | {"filler"}),
        Rewrite("article", ("filler", None)),
        Rewrite("leur", ("owner", "enemy"), after=_NOUN_FOLLOWS),
        Rewrite("leur", ("owner", "enemy"), after=NOUN_KINDS, skip=NOUN_PHRASE_SKIPS | {"all"}),
        Rewrite("les", ("filler", None), after=_NOUN_FOLLOWS),
        Rewrite("les", ("filler", None), after=NOUN_KINDS, skip=NOUN_PHRASE_SKIPS | {"all"}),
        Rewrite("les", ("pronoun", None)),
        Rewrite("leur", ("pronoun", None)),
    ),
    # "get a turret up", "a barracks up?", "put it up", "put a turret down": right after a
    # building (or a pronoun put up or built), "up"/"down" mean built, not north/south.
    # Read after regions combine, so "a turret up north" keeps its region.
    "built": (
        # "rush their base", "tank rush leur QG": jargon for an attack on the enemy's;
        # "rush mid", "on rush le centre" only go there fast.
        Rewrite("verb", ("verb", "attack"), _spelled("rush"), after=_kinds("owner|place"),
                after_values=frozenset({"enemy", "enemy_base"}), skip=_kinds("filler")),
        # "tanks on the attackers", "soldats sur les intrus": units put on the enemies
        # attacking us fight them (a move "vers les intrus" only goes there).
        Rewrite("filler", ("verb", "attack"), _spelled("on|onto|sur"), before=_kinds("unit|group"),
                after=_kinds("place"), after_values=frozenset({"attackers"})),
        # "send seven helicopters at their refinery", "throw them at their barracks": units
        # sent "at" the enemy's attack it (the corpus labels all 7 such orders so).
        Rewrite("filler", ("verb", "attack"), _spelled("at"), before=_kinds("unit|group|pronoun"),
                verbs=_kinds("move"), after=_kinds("owner"), after_values=frozenset({"enemy"})),
        Rewrite("region", ("filler", None), _UP_DOWN, before=_kinds("building")),
        Rewrite("region", ("filler", None), _UP_DOWN, before=_kinds("pronoun"),
                verbs=_kinds("build|put|make|want")),
    ),
}


class Entry(NamedTuple):
    kind: str
    value: str | None
    lang: str  # "en", "fr" or "both"


def _phrases(spec: str) -> list[tuple[str, ...]]:
    return [tuple(tokenize(p)) for p in spec.split("|") if p.strip()]


def _entries() -> list[tuple[tuple[str, ...], Entry]]:
    kinds: list[tuple[str, Table]] = [
        ("unit", UNITS), ("group", GROUPS), ("building", BUILDINGS), ("region", REGIONS),
        ("place", PLACES), ("owner", OWNERS), ("verb", VERBS), ("number", NUMBERS),
        ("place", FIGHT), ("speed", SPEEDS), ("filter", FILTERS),
    ]
    out: list[tuple[tuple[str, ...], Entry]] = []
    for kind, table in kinds:
        for meaning, by_lang in table.items():
            for lang, spec in by_lang.items():
                out += [(p, Entry(kind, meaning, lang)) for p in _phrases(spec)]
    singles = {"generic": GENERIC_UNITS, "base": BASE_WORDS, **WORDS}
    for kind, by_lang in singles.items():
        for lang, spec in by_lang.items():
            out += [(p, Entry(kind, None, lang)) for p in _phrases(spec)]
    return out


def build_phrase_table() -> dict[tuple[str, ...], Entry]:
    """Every known phrase -> its meaning. A phrase listed in both languages with
    one meaning is marked "both"; one phrase with two meanings is a table bug."""
    table: dict[tuple[str, ...], Entry] = {}
    for phrase, entry in _entries():
        known = table.get(phrase)
        if known is None:
            table[phrase] = entry
        elif (known.kind, known.value) == (entry.kind, entry.value):
            if known.lang != entry.lang:
                table[phrase] = entry._replace(lang="both")
        else:
            raise ValueError(f"lexicon: {' '.join(phrase)!r} means {known} and {entry}")
    return table


def missing_meanings() -> list[str]:
    """Vocabulary values with no English or no French words here (should be empty)."""
    expected = {
        "units": (UNITS, vocabulary.UNIT_TYPE_NAMES),
        "groups": (GROUPS, vocabulary.GROUP_NAMES),
        "buildings": (BUILDINGS, tuple(rules.BUILDING_TYPES)),
        "regions": (REGIONS, vocabulary.REGIONS),
        "places": (PLACES, vocabulary.PLACES),
    }
    missing = []
    for label, (table, names) in expected.items():
        for name in names:
            for lang in ("en", "fr"):
                if not table.get(name, {}).get(lang):
                    missing.append(f"{label}:{name}:{lang}")
        missing += [f"{label}:{extra}:not in vocabulary" for extra in set(table) - set(names)]
    for action in vocabulary.ACTIONS:
        missing += [f"verbs:{action}:{lang}" for lang in ("en", "fr")
                    if not VERBS.get(action, {}).get(lang)]
    return missing


def words_for(table: Table, meaning: str, lang: str) -> list[str]:
    """The phrases of one meaning in one language, as written in the table."""
    return [p.strip() for p in table.get(meaning, {}).get(lang, "").split("|") if p.strip()]
