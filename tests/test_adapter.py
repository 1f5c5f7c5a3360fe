"""The order adapter: trained on today's corpus and task, loaded only onto its own base model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from llm import adapter
from llm.engine import Engine
from llm.profiles import profile_for
from tests.uidriver import ROOT_DIR

MODEL = ROOT_DIR / "models" / "gemma-3-270m-q4_k_m.gguf"
ADAPTER = ROOT_DIR / "models" / adapter.ADAPTER_FILE
RETRAIN = "retrain with `make adapter` (scripts/train_adapter.py)"


def metadata() -> dict[str, str]:
    return adapter.read_string_metadata(ADAPTER)


def test_the_adapter_is_committed_and_is_a_gguf_lora_adapter():
    assert ADAPTER.is_file(), "models/" + adapter.ADAPTER_FILE + " must be in the repo"
    meta = metadata()
    assert meta["general.type"] == "adapter" and meta["adapter.type"] == "lora"
    assert meta["general.architecture"] == "gemma3"
    assert ADAPTER.stat().st_size < 20 * 1024 * 1024  # a few MB, not a model


def test_the_adapter_was_trained_on_todays_corpus():
    files = adapter.corpus_files(ROOT_DIR)
    assert files, "data/orders/*.jsonl is the training corpus"
    assert metadata()[adapter.KEY_CORPUS] == adapter.corpus_fingerprint(files), \
        f"the corpus changed since the adapter was trained: {RETRAIN}"


def test_the_adapter_was_trained_for_todays_commands():
    assert metadata()[adapter.KEY_TASK] == adapter.task_fingerprint(), \
        f"the compact format or the adapter prompt changed: {RETRAIN}"


def test_the_adapter_was_trained_from_the_default_model():
    assert metadata()[adapter.KEY_BASE] == adapter.base_fingerprint(MODEL)


def test_the_dev_split_is_a_stable_tenth_of_the_corpus():
    texts = [f"order number {i}" for i in range(2000)]
    share = sum(map(adapter.is_dev, texts)) / len(texts)
    assert 0.07 < share < 0.13
    assert adapter.is_dev("Send 3 Tanks North ") == adapter.is_dev("send 3 tanks north")


def _engine(folder: Path) -> Engine:
    model = folder / MODEL.name
    return Engine(model, profile_for(model), 1, lambda *_: None)


@pytest.fixture
def model_folder(tmp_path: Path) -> Path:
    (tmp_path / MODEL.name).symlink_to(MODEL)
    return tmp_path


def test_the_engine_loads_the_adapter_and_translates_with_it(model_folder: Path):
    shutil.copy(ADAPTER, model_folder / ADAPTER.name)
    engine = _engine(model_folder)
    try:
        assert engine.adapter_note == "order adapter"
        result, _ = engine.run("translate", {"text": "send 3 tanks north"}, lambda: False)
        assert result["commands"] == [
            {"action": "move", "unit": "tank", "target": "north", "count": 3}]
    finally:
        engine.close()


def test_an_adapter_trained_on_another_model_is_refused(model_folder: Path):
    data = ADAPTER.read_bytes()
    trained_on = metadata()[adapter.KEY_BASE].encode("ascii")
    (model_folder / ADAPTER.name).write_bytes(data.replace(trained_on, b"0" * len(trained_on)))
    engine = _engine(model_folder)
    try:
        assert "refused" in engine.adapter_note and "another model" in engine.adapter_note
        result, _ = engine.run("translate", {"text": "send 3 tanks north"}, lambda: False)
        assert result["commands"]  # the model still answers, with its few-shot prompt
    finally:
        engine.close()


def test_an_adapter_that_does_not_fit_is_refused(model_folder: Path):
    data = ADAPTER.read_bytes()
    (model_folder / ADAPTER.name).write_bytes(data[: len(data) // 2])  # tensors cut off
    engine = _engine(model_folder)
    try:
        assert engine.adapter_note.startswith("order adapter refused")
        result, _ = engine.run("translate", {"text": "build a barracks"}, lambda: False)
        assert result["commands"] == [{"action": "build", "building": "barracks", "count": 1}]
    finally:
        engine.close()


def test_without_an_adapter_file_the_model_uses_its_prompt(model_folder: Path):
    engine = _engine(model_folder)
    try:
        assert engine.adapter_note == "no order adapter"
    finally:
        engine.close()


def test_the_adapter_is_not_offered_as_a_model(tmp_path: Path):
    # Seen in CI: the Esc menu's model choice cycled onto the adapter file, and the
    # model could not load. The menu lists models only, and the check refuses it.
    from llm.profiles import model_files, validate_model_file

    (tmp_path / MODEL.name).symlink_to(MODEL)
    (tmp_path / ADAPTER.name).symlink_to(ADAPTER)
    assert model_files(tmp_path) == [MODEL.name]
    assert "adapter" in (validate_model_file(tmp_path / ADAPTER.name) or "")
