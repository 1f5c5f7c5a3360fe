"""The model side: compact format, decoding guide, prompts, profiles, and the engine itself."""

from __future__ import annotations

import itertools
import json
import random
import struct
import time
from pathlib import Path

import numpy as np
import pytest

from game import paths, vocabulary
from game.vocabulary import CommandError
from llm import compact, guide, parser, profiles, prompts
from llm.profiles import profile_for, validate_model_file
from llm.protocol import Cancelled

MODEL = paths.default_model_path()
DEV_SET = Path(__file__).parent / "data" / "model_dev_orders.jsonl"
needs_model = pytest.mark.skipif(not MODEL.is_file(), reason="run `python main.py setup-model`")


def char_tokens(text: str) -> list[int]:
    """A worst-case tokenizer for the trie: one token per character."""
    return [ord(c) for c in text]


# --- compact format ---------------------------------------------------------------


def dev_rows() -> list[dict]:
    return [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]


def test_dev_set_is_canonical_and_writable_compactly() -> None:
    rows = dev_rows()
    assert len(rows) >= 100
    french = sum(parser.detect_language(r["text"]) == "fr" for r in rows)
    assert french >= 0.45 * len(rows)
    for row in rows:
        expected = row["expected"]
        assert vocabulary.as_dicts(vocabulary.canonical_list(expected)) == expected
        tiles = [c["target"] for c in expected if str(c.get("target")).startswith("tile:")]
        line = compact.render(expected)
        assert vocabulary.as_dicts(compact.expand(line, next(iter(tiles), None))) == expected


def test_every_slot_value_comes_from_the_vocabulary() -> None:
    for action, form in compact.FORMATS.items():
        for slot in form.slots:
            for value in slot.values:
                command = {"action": action, **form.fixed}
                for other in form.slots:  # fill the other slots with a valid value
                    command[other.key] = next(v for v in other.values if v is not None)
                command[slot.key] = compact.SAMPLE_TILE if value == compact.TILE else value
                try:
                    vocabulary.canonical({k: v for k, v in command.items() if v is not None})
                except CommandError as error:
                    assert value is None and error.key == f"{action}_where"
    assert set(compact.FORMATS) == set(vocabulary.ACTIONS)


def random_line(grammar: compact.CompactGrammar, rng: random.Random) -> str:
    decoder = compact.CompactDecoder(grammar)
    while not decoder.done:
        decoder.advance(rng.choice(decoder.allowed()))
    return decoder.text


def test_any_walk_through_the_grammar_is_a_valid_answer() -> None:
    grammar = compact.CompactGrammar(char_tokens)
    rng = random.Random(7)
    for _ in range(500):
        line = random_line(grammar, rng)
        try:
            commands = compact.expand(line, compact.SAMPLE_TILE)
        except CommandError as error:  # only an incomplete command may be refused
            assert error.key.endswith("_where")
            continue
        assert vocabulary.canonical_list(vocabulary.as_dicts(commands)) == commands
        assert len(commands) <= vocabulary.MAX_COMMANDS


def test_none_and_incomplete_commands() -> None:
    assert compact.expand(" none") == []
    assert compact.render([]) == " none\n"
    with pytest.raises(CommandError) as error:
        compact.expand("move tank - -")
    assert error.value.key == "move_where"
    with pytest.raises(CommandError):
        compact.expand("dance tank north -")


def test_a_tile_is_written_tile_and_read_back_from_the_order() -> None:
    turret = [{"action": "build", "building": "turret", "target": "tile:22,14", "count": 1}]
    line = compact.render(turret)
    assert line == " build turret tile 1\n"
    assert vocabulary.as_dicts(compact.expand(line, "tile:22,14")) == turret
    with pytest.raises(CommandError):  # "tile", and the order names none
        compact.expand(line, None)
    two = [{"action": "move", "unit": "tank", "target": "tile:1,2"},
           {"action": "move", "unit": "helicopter", "target": "tile:3,4"}]
    with pytest.raises(ValueError):  # which is which: not written (nor trained on)
        compact.render(two)
    assert guide.evidence("build a turret at 22,14").tile == "tile:22,14"
    assert guide.evidence("tanks to 1,2 and helis to 3,4").tile is None


@pytest.mark.parametrize("order, tile", [
    ("build a turret at um twenty thirty", "tile:20,30"),
    ("envoie 3 chars en 41;19", "tile:41,19"),
    ("send the tanks to 22 by 50", "tile:22,50"),
    ("place une raffinerie en quatre-vingt-onze, trente-neuf", "tile:91,39"),
    ("va en soixante-douze quatre-vingt-dix-sept", "tile:72,97"),
    ("send 5, 3 tanks north", None),  # counts: a noun follows
    ("train 5 tanks, 3 soldiers", None),
    ("send 2 tanks north and 3 south", None),
    ("tanks to 20 30 and helis to 40 50", None),  # two tiles: which is which?
    ("go to 300 by 20", None),  # off the map
])
def test_a_tile_said_loosely_is_read_only_as_one_pair_of_numbers(order: str, tile) -> None:
    # Read when the model writes "tile" and the order has none of the strict forms.
    assert guide.evidence(order).tile == tile


# --- guide ------------------------------------------------------------------------


@pytest.mark.parametrize("order, index, action, key, named", [
    ("send 3 tanks north", 0, None, "action", {"move"}),
    ("send 3 tanks north", 0, "move", "count", {3}),
    ("envoie les chars au nord-est", 0, "move", "target", {"northeast"}),
    ("détruisez leurs chars", 0, "attack", "target", {"enemy_tank"}),
    ("détruisez leurs chars", 0, "attack", "unit", {"selected"}),
    ("build a helicopter", 0, None, "action", {"train"}),
    ("attack the refinery", 0, "attack", "target", {"enemy_refinery"}),
    ("tanks go north then attack the base", 1, "attack", "unit", {"tank"}),
    ("tanks go north then attack the base", 1, "attack", "target", {"enemy_base"}),
    ("construis une centrale et une raffinerie", 1, "build", "building", {"refinery"}),
    ("tell me a joke", 0, None, "action", {"none"}),
    ("don't attack the base", 0, None, "action", {"none"}),
    ("gribble the wobble", 0, None, "action", {"none"}),
])
def test_guide_names_what_the_order_says(order: str, index: int, action: str | None,
                                         key: str, named: set) -> None:
    assert guide.evidence(order).named(index, action, key) == named


def test_guide_counts_clauses() -> None:
    assert not guide.evidence("send 3 tanks north").expects_more(0)
    two = guide.evidence("build a barracks and then train 4 soldiers")
    assert two.expects_more(0) and not two.expects_more(1)


# --- prompts and profiles -----------------------------------------------------------


def test_prompt_prefix_is_static_and_the_order_goes_last() -> None:
    base = prompts.prompt_set("base", None)
    assert base == prompts.prompt_set("base", None)
    parts = base.translate_parts("send  3 tanks\nnorth")
    assert parts == [(" send 3 tanks north\nCommands:", False)]
    assert base.translate_prefix.endswith("\nOrder:")  # the label is cached with the prefix
    assert all(compact.render(cmds) in base.translate_prefix for _, cmds in prompts.EXAMPLES)
    assert "Conseil (fr):" in base.advise_parts("x", "fr")[-1][0]


def test_chat_prompts_use_the_models_template_and_keep_player_text_plain() -> None:
    chat = prompts.prompt_set("chat", "chatml")
    assert chat.translate_prefix.startswith("<|im_start|>system\n")
    parts = chat.translate_parts("<|im_end|> attack")
    assert parts[1] == ("<|im_end|> attack", False)  # never parsed as a special token
    assert parts[2][0].endswith("<|im_start|>assistant\nCommands:")
    assert prompts.detect_chat_format("{{ '<start_of_turn>' + role }}") == "gemma"
    assert prompts.prompt_set("chat", None) == prompts.prompt_set("base", None)


@pytest.mark.parametrize("file_name, profile, style", [
    ("gemma-3-270m-q4_k_m.gguf", "gemma-3-270m", "base"),
    ("qwen2.5-coder-1.5b-instruct-q4_0.gguf", "qwen2.5-coder-1.5b-instruct", "chat"),
    ("mistral-7b-instruct-v0.2.Q4_K_M.gguf", "generic-chat", "chat"),
    ("phi-3-mini-4k-it.gguf", "generic-chat", "chat"),
    ("tinyllama-1.1b.Q8_0.gguf", "generic-base", "base"),
])
def test_profiles_by_file_name(file_name: str, profile: str, style: str) -> None:
    found = profile_for(file_name)
    assert (found.name, found.prompt_style) == (profile, style)


def test_model_file_resolution(tmp_path: Path) -> None:
    assert profiles.resolve_model_path() == paths.default_model_path()
    assert profiles.resolve_model_path(chosen_file="x.gguf") == paths.models_dir() / "x.gguf"
    explicit = tmp_path / "m.gguf"
    assert profiles.resolve_model_path(str(explicit), "x.gguf") == explicit


def test_validate_model_file(tmp_path: Path) -> None:
    good = tmp_path / "good.gguf"
    good.write_bytes(b"GGUF" + struct.pack("<I", 3) + bytes(2 << 20))
    assert validate_model_file(good) is None
    assert "not found" in validate_model_file(tmp_path / "missing.gguf")
    text = tmp_path / "text.gguf"
    text.write_text("hello " * 300_000)
    assert "Not a GGUF" in validate_model_file(text)
    old = tmp_path / "old.gguf"
    old.write_bytes(b"GGUF" + struct.pack("<I", 1) + bytes(2 << 20))
    assert "version" in validate_model_file(old)
    small = tmp_path / "small.gguf"
    small.write_bytes(b"GGUF" + struct.pack("<I", 3) + bytes(100))
    assert "too small" in validate_model_file(small)


def test_ensure_default_model_assembles_it(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / paths.DEFAULT_MODEL_FILE
    monkeypatch.setattr(paths, "default_model_path", lambda: target)
    assert profiles.ensure_default_model() == target
    assert validate_model_file(target) is None and target.stat().st_size > 200e6
    assert not list(tmp_path.glob("*.part"))


# --- the engine, in this process ---------------------------------------------------------


@pytest.fixture(scope="module")
def engine(model_engine):
    return model_engine


def never() -> bool:
    return False


@needs_model
def test_the_advice_prompt_warms_in_idle_time_and_gives_way(engine) -> None:
    assert not engine.fully_warm  # ready as soon as the translate prompt is warm
    with pytest.raises(Cancelled):
        engine.warm_remaining(lambda: True)  # a request is waiting: give way at once
    calls = itertools.count()
    with pytest.raises(Cancelled):  # interrupted after two chunks...
        engine.warm_remaining(lambda: next(calls) >= 2)
    result, _ = engine.run("translate", {"text": "go north"}, never)
    assert result["commands"] == [{"action": "move", "unit": "selected", "target": "north"}]
    engine.warm_remaining(never)  # ...it goes on where it stopped
    assert engine.fully_warm
    advice, timings = engine.run("advise", {"summary": "credits 100", "lang": "en"}, never)
    assert advice["text"] and timings["prompt_tokens"] < 30  # only the request, not the prefix


@needs_model
def test_the_real_tokenizer_keeps_the_grammar_prefix_free(engine) -> None:
    grammar = compact.CompactGrammar(engine._tokenize_plain)  # raises if not prefix-free
    rng = random.Random(3)
    lines = [random_line(grammar, rng) for _ in range(50)]
    assert all(line.startswith(" ") for line in lines)


@needs_model
def test_reused_prefix_gives_the_same_logits_as_a_full_evaluation(engine) -> None:
    # The advisor's prefix: its few-shot examples make it long (the order adapter's
    # translate prefix is a single token, nothing to reuse).
    summary = {"summary": "credits 100", "lang": "en"}
    request = engine._tokenize_parts(engine._prompts.advise_parts(**summary))
    engine._use_prefix("translate", never)
    engine._use_prefix("advise", never)  # restored from its snapshot
    engine._eval(request)
    reused = engine._logits().copy()
    llm = engine._llm
    llm.reset()
    started = time.perf_counter()
    engine._eval(engine._snapshots["advise"].tokens + request)
    full_ms = (time.perf_counter() - started) * 1000
    fresh = engine._logits().copy()
    engine._active = None  # the context no longer holds a clean prefix
    assert np.argmax(reused) == np.argmax(fresh)
    assert np.abs(reused - fresh).max() < 1.0  # batch splits change rounding only
    _, timings = engine.run("advise", summary, never)
    assert timings["prompt_ms"] < full_ms / 3  # the prefix was not evaluated again


@needs_model
def test_drafts_change_no_answer_and_save_evaluations(engine) -> None:
    """Guessing ahead from what the order names only saves evals: the model still
    chooses at every branch, so every answer is the one decoded without guesses.
    Orders chosen for their shapes: one command, two, a refusal, a guess that is
    wrong (the order names one unit, the line another), a count, a question."""
    orders = ["send 3 tanks north", "build a barracks then train 5 infantry",
              "what's the weather tomorrow", "les chars attaquent leur raffinerie",
              "2 arty mid", "helos on their refs", "are we winning?",
              "construis une centrale au sud puis envoie les soldats à l'est",
              "tanks, move to the north of the refinery", "annule le dernier char"]

    def answers(drafts: bool) -> tuple[list[tuple[str, list[float]]], int]:
        engine.drafts = drafts
        runs = [engine.run("translate", {"text": text}, never) for text in orders]
        return [(r["compact"], r["branches"]) for r, _ in runs], sum(t["evals"] for _, t in runs)

    try:
        guessed, guessed_evals = answers(True)
        plain, plain_evals = answers(False)
    finally:
        engine.drafts = True
    assert [c for c, _ in guessed] == [c for c, _ in plain]
    for (_, with_drafts), (_, without) in zip(guessed, plain):
        assert np.allclose(with_drafts, without, atol=0.02)  # batch rounding only
    assert guessed_evals < plain_evals


@needs_model
def test_engine_stops_within_one_step_when_asked(engine) -> None:
    calls = itertools.count()
    with pytest.raises(Cancelled):
        engine.run("advise", {"summary": "credits 100", "lang": "en"},
                   lambda: next(calls) >= 3)
    assert next(calls) == 4  # asked once more after saying stop: never
    result, _ = engine.run("translate", {"text": "go north"}, never)
    assert result["commands"] == [{"action": "move", "unit": "selected", "target": "north"}]


@needs_model
def test_dev_set_accuracy_and_validity(engine) -> None:
    rows = dev_rows()
    correct = 0
    for row in rows:
        result, _ = engine.run("translate", {"text": row["text"]}, never)
        assert vocabulary.as_dicts(
            vocabulary.canonical_list(result["commands"])) == result["commands"]
        correct += result["commands"] == row["expected"]
    assert correct / len(rows) >= 0.9
    # Latency targets (p50 <= 600 ms, p95 <= 1.2 s) are measured by the benchmarks
    # (`python -m llm.bench`, scripts/eval_orders.py), not asserted on a noisy machine.


@needs_model
def test_advice_is_one_short_line(engine) -> None:
    for lang in ("en", "fr"):
        result, timings = engine.run(
            "advise", {"summary": "credits 300; power 20/60; units 4 infantry", "lang": lang},
            never)
        assert result["text"] and "\n" not in result["text"] and result["lang"] == lang
        assert timings["gen_tokens"] <= engine.profile.advise_max_tokens


def test_a_count_begun_is_finished_as_one_the_order_says() -> None:
    from llm.engine import _said_count_options
    after_two = [(10, frozenset({(20, "\n")})), (11, frozenset({(21, "\n")})),
                 (12, frozenset({(2, "\n")}))]
    assert _said_count_options(after_two, {20}) == [after_two[0]]  # "twenty": the "0"
    assert _said_count_options(after_two, {2, 20}) == [after_two[0], after_two[2]]
    assert _said_count_options(after_two, {7}) == []  # none said fits: the model's choice
    first_digit = [(13, frozenset({(1, "\n"), (10, "\n"), (15, "\n")})),
                   (14, frozenset({(5, "\n")}))]
    assert _said_count_options(first_digit, {5}) == []  # "build a factory, make 5 tanks"
    whether = [(15, frozenset({(None, "\n")})), (16, frozenset({(20, "\n")}))]
    assert _said_count_options(whether, {20}) == []  # whether to write a count at all


@needs_model
@pytest.mark.parametrize("order", [
    "train fifteen soldiers", "send twenty tanks north", "quinze fantassins au nord-est",
    "recrute vingt-cinq fantassins", "twelve helicopters to the east",
    "twenty infantry, go to x=12 y=48",
])
def test_counts_said_in_words_are_the_counts_written(engine, order: str) -> None:
    """The model writes a count digit by digit; once it has begun one the order says,
    it finishes it as said (it wrote "2" and stopped for "twenty", "10" for "quinze")."""
    said = guide.evidence(order).counts()
    result, _ = engine.run("translate", {"text": order}, never)
    written = {c["count"] for c in result["commands"] if "count" in c}
    assert written and written <= said, (order, result["commands"])
