"""Few-shot prompts for translating orders and for the advisor, base and chat styles.

Each prompt is a static prefix, byte-identical between requests so its KV state
is computed once, followed by a short per-request part holding the player's text.
The examples are written as canonical commands and rendered with llm.compact,
so they always match the format the decoder allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game import vocabulary as vocab
from llm import adapter, compact

MAX_SUMMARY_CHARS = 600
# An order's prompt is ORDER_LABEL + " " + the player's text + "\n" + OUTPUT_LABEL. The
# label ends the cached prefix, so a request evaluates two tokens fewer (~14 ms).
ORDER_LABEL = "Order:"
OUTPUT_LABEL = "Commands:"
ADVICE_LABELS = {"en": "Advice (en):", "fr": "Conseil (fr):"}

def _cmd(action: str, **fields: Any) -> dict[str, Any]:
    return {"action": action, **fields}


# (order, canonical commands): varied phrasings in both languages, every action.
EXAMPLES: tuple[tuple[str, list[dict[str, Any]]], ...] = (
    ("move 2 tanks to the east", [_cmd("move", unit="tank", target="east", count=2)]),
    ("envoie les soldats au nord-ouest", [_cmd("move", unit="infantry", target="northwest")]),
    ("retreat to base", [_cmd("move", target="my_base")]),
    ("attack the enemy base with the whole army",
     [_cmd("attack", unit="army", target="enemy_base")]),
    ("les chars attaquent les soldats ennemis",
     [_cmd("attack", unit="tank", target="enemy_infantry")]),
    ("3 artillery fire on the enemy hq",
     [_cmd("attack", unit="artillery", target="enemy_hq", count=3)]),
    ("construis 2 tourelles au sud-est",
     [_cmd("build", building="turret", target="southeast", count=2)]),
    ("build a power plant", [_cmd("build", building="power_plant")]),
    ("train 5 infantry", [_cmd("train", unit="infantry", count=5)]),
    ("produis un char", [_cmd("train", unit="tank", count=1)]),
    ("recolte le minerai", [_cmd("harvest")]),
    ("les hélicoptères s'arrêtent", [_cmd("stop", unit="helicopter")]),
    ("tanks defend the west", [_cmd("defend", unit="tank", target="west")]),
    ("what should I do next?", [_cmd("analyze")]),
    ("où en est la partie ?", [_cmd("analyze")]),
    ("what's the capital of France", []),
    ("build a barracks then train 3 infantry",
     [_cmd("build", building="barracks"), _cmd("train", unit="infantry", count=3)]),
    ("infantry go west, tanks attack the enemy turret",
     [_cmd("move", unit="infantry", target="west"),
      _cmd("attack", unit="tank", target="enemy_turret")]),
)

# (language, situation, advice): the advisor's tone and length. The situation
# starts with "fact", the fact behind the heuristic analysis' first tip, and
# "todo", its recommendation (llm.advice.situation); each tip says the fact, then
# the todo. Examples with a fixed piece of advice ("build a power plant and a
# barracks first") were copied whatever the state, and so were free claims
# ("tanks cannot hit..."): a 270M model copies, so the examples teach it to copy
# what the analysis has checked. Alternating languages, English last.
ADVICE_EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("en", "fact power low at 10/40; todo build a power plant; credits 250; power 10/40; "
           "units 4 infantry", "Power low at 10/40: build a power plant."),
    ("fr", "constat aucun revenu; à faire construisez une raffinerie; crédits 3200; "
           "énergie 120/20; unités 2 chars", "Aucun revenu : construisez une raffinerie."),
    ("en", "fact a strong army; todo attack the enemy HQ; credits 4000; power 160/110; "
           "units 12 infantry, 3 tanks", "A strong army: attack the enemy HQ."),
    ("fr", "constat 5 soldats à notre base; à faire défendez notre base; crédits 100; "
           "énergie 120/50; unités 2 chars, 1 collecteur",
     "5 soldats à notre base : défendez notre base."),
    ("en", "fact no power plant; todo build a power plant; credits 5000; power 20/0; "
           "units 3 infantry, 1 tank", "No power plant yet: build a power plant."),
    ("fr", "constat énergie faible à 100/120; à faire construisez une centrale; crédits 900; "
           "énergie 100/120; unités 8 chars",
     "Énergie faible à 100/120 : construisez une centrale."),
    ("en", "fact 3 helicopters at our base; todo train infantry; credits 1400; power 200/110; "
           "units 6 tanks, 1 harvester", "3 helicopters at our base: train infantry."),
    ("fr", "constat collecteurs inactifs; à faire récoltez le minerai; crédits 600; "
           "énergie 120/50; unités 3 soldats, 2 collecteurs",
     "Collecteurs inactifs : récoltez le minerai."),
    ("en", "fact 2500 credits unspent; todo train tanks; credits 2500; power 100/80; "
           "units 2 tanks", "2500 credits unspent: train tanks."),
    ("fr", "constat aucune armée; à faire entraînez des soldats; crédits 700; énergie 100/80; "
           "unités 1 collecteur", "Aucune armée : entraînez des soldats."),
    ("en", "fact no army; todo train infantry; credits 700; power 100/80; units 1 harvester",
     "No army: train infantry."),
    ("fr", "constat artillerie sans escorte; à faire entraînez des chars; crédits 1600; "
           "énergie 120/80; unités 1 artillerie", "Artillerie sans escorte : entraînez des chars."),
    ("en", "fact the enemies seen are stronger; todo train infantry; credits 900; power 120/80; "
           "units 4 tanks, 1 harvester", "The enemies seen are stronger: train infantry."),
)


def clean_text(text: str, limit: int) -> str:
    """One line, trimmed and bounded: the player's text never breaks the prompt format."""
    return " ".join(str(text).split())[:limit]


TRANSLATE_INSTRUCTIONS = (
    "Translate each RTS game order (English or French) into commands: "
    "action unit target count, \" ;\" between commands, \"-\" for none or all, "
    "\"selected\" when no unit is named, \"none\" when it is not an order.\n"
)
ADVISE_INSTRUCTIONS = (
    "An RTS advisor reads the situation and gives one short, concrete tip "
    "in the language asked: the situation's fact, then its todo.\n"
)


@dataclass(frozen=True)
class ChatFormat:
    system: str  # format with {text}
    user: str
    assistant_open: str
    assistant_close: str


CHAT_FORMATS: dict[str, ChatFormat] = {
    "chatml": ChatFormat(
        "<|im_start|>system\n{text}<|im_end|>\n",
        "<|im_start|>user\n{text}<|im_end|>\n",
        "<|im_start|>assistant\n",
        "<|im_end|>\n",
    ),
    # Gemma has no system role: the instructions form a first exchange.
    "gemma": ChatFormat(
        "<start_of_turn>user\n{text}<end_of_turn>\n<start_of_turn>model\nUnderstood.<end_of_turn>\n",
        "<start_of_turn>user\n{text}<end_of_turn>\n",
        "<start_of_turn>model\n",
        "<end_of_turn>\n",
    ),
    "llama3": ChatFormat(
        "<|start_header_id|>system<|end_header_id|>\n\n{text}<|eot_id|>",
        "<|start_header_id|>user<|end_header_id|>\n\n{text}<|eot_id|>",
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
        "<|eot_id|>",
    ),
}


def detect_chat_format(template: str | None) -> str | None:
    """Which known chat format a GGUF's chat template uses, if any."""
    markers = {"<|im_start|>": "chatml", "<start_of_turn>": "gemma",
               "<|start_header_id|>": "llama3"}
    for marker, name in markers.items():
        if template and marker in template:
            return name
    return None


Part = tuple[str, bool]  # (text, may contain special tokens)


@dataclass(frozen=True)
class PromptSet:
    """The two static prefixes and how a request continues each one."""

    translate_prefix: str
    advise_prefix: str
    chat: ChatFormat | None

    def translate_parts(self, order: str) -> list[Part]:
        text = clean_text(order, vocab.MAX_ORDER_CHARS)
        if self.chat is None:  # the prefix ends with ORDER_LABEL
            return [(f" {text}\n{OUTPUT_LABEL}", False)]
        user, rest = self.chat.user.split("{text}")
        return [(user, True), (text, False), (rest + self.chat.assistant_open + OUTPUT_LABEL, True)]

    def advise_parts(self, summary: str, lang: str) -> list[Part]:
        text = clean_text(summary, MAX_SUMMARY_CHARS)
        label = ADVICE_LABELS.get(lang, ADVICE_LABELS["en"])
        if self.chat is None:
            return [(f"Situation: {text}\n{label}", False)]
        user, rest = self.chat.user.split("{text}")
        return [(user + "Situation: ", True), (text, False),
                (f"\n{label}" + rest + self.chat.assistant_open, True)]


def _base_prompts() -> PromptSet:
    shots = "".join(
        f"Order: {order}\n{OUTPUT_LABEL}{compact.render(cmds)}" for order, cmds in EXAMPLES
    )
    advice = "".join(
        f"Situation: {situation}\n{ADVICE_LABELS[lang]} {tip}\n"
        for lang, situation, tip in ADVICE_EXAMPLES
    )
    return PromptSet(
        translate_prefix=TRANSLATE_INSTRUCTIONS + "\n" + shots + ORDER_LABEL,
        advise_prefix=ADVISE_INSTRUCTIONS + "\n" + advice,
        chat=None,
    )


def _chat_prompts(chat: ChatFormat) -> PromptSet:
    def turn(user: str, answer: str) -> str:
        return (chat.user.format(text=user) + chat.assistant_open + answer
                + chat.assistant_close)

    shots = "".join(
        turn(order, OUTPUT_LABEL + compact.render(cmds).rstrip("\n"))
        for order, cmds in EXAMPLES
    )
    advice = "".join(
        turn(f"Situation: {situation}\n{ADVICE_LABELS[lang]}", tip)
        for lang, situation, tip in ADVICE_EXAMPLES
    )
    return PromptSet(
        translate_prefix=chat.system.format(text=TRANSLATE_INSTRUCTIONS) + shots,
        advise_prefix=chat.system.format(text=ADVISE_INSTRUCTIONS) + advice,
        chat=chat,
    )


def adapter_prompts() -> PromptSet:
    """For the model with the order adapter: no instructions, no examples (the
    adapter learned the task); the advisor keeps its examples."""
    base = _base_prompts()
    return PromptSet(translate_prefix=adapter.PREFIX + ORDER_LABEL,
                     advise_prefix=base.advise_prefix, chat=None)


def prompt_set(prompt_style: str, chat_format: str | None) -> PromptSet:
    """The prompts for a profile; a chat model with an unknown template gets base prompts."""
    if prompt_style == "chat" and chat_format in CHAT_FORMATS:
        return _chat_prompts(CHAT_FORMATS[chat_format])
    return _base_prompts()
