"""Bad model files through the real load path (llm.profiles.validate_model_file, then
the model process with llama.cpp): a GGUF of an architecture llama.cpp cannot run,
and GGUFs cut short in the header or halfway through the weights. Each must end
in a clear offline reason that names the problem, with no crash, no hang and no
automatic restart; an order typed meanwhile fails with the "model is off" message.
"""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest

from game import paths
from llm.client import FAILED, OFF, LLMClient, RequestResult
from llm.profiles import MIN_MODEL_BYTES, gguf_architecture, validate_model_file

pytest.importorskip("llama_cpp")
MODEL = paths.default_model_path()
LOAD_BOUND_S = 60.0  # a failed load takes milliseconds; this only turns a hang into a failure
GGUF_STRING, GGUF_ARRAY = 8, 9


def _string(text: bytes) -> bytes:
    return struct.pack("<Q", len(text)) + text


def gguf(architecture: bytes | None, *, padding: int = 0,
         extra: tuple[tuple[bytes, bytes], ...] = ()) -> bytes:
    """A valid GGUF v3 header written by hand: no tensors, general.architecture first."""
    pairs = list(extra)
    if architecture is not None:
        pairs.insert(0, (b"general.architecture", struct.pack("<I", GGUF_STRING)
                         + _string(architecture)))
    body = b"".join(_string(key) + value for key, value in pairs)
    return b"GGUF" + struct.pack("<IQQ", 3, 0, len(pairs)) + body + bytes(padding)


def _outcome(client: LLMClient, request_id: int) -> RequestResult:
    deadline = time.monotonic() + LOAD_BOUND_S
    while True:
        for result in client.poll():
            if result.id == request_id:
                return result
        assert time.monotonic() < deadline, f"no outcome (state {client.state}: {client.reason})"
        time.sleep(0.01)


def _load_fails_cleanly(path: Path) -> tuple[str, RequestResult]:
    """Start the real model process on `path` with an order waiting for the load."""
    client = LLMClient()
    client.start(path)
    order = client.submit("translate", {"text": "the choppers should go wreck their harvesters"})
    try:
        result = _outcome(client, order)
        deadline = time.monotonic() + LOAD_BOUND_S
        while client.child_pid is not None:  # it exits and is reaped
            assert time.monotonic() < deadline, "the model process did not exit"
            client.poll()
            time.sleep(0.01)
        time.sleep(0.3)
        client.poll()
        assert client.state == "offline"
        assert not client.restart_pending and client.restart_count == 0  # never restarted
        return client.reason, result
    finally:
        client.shutdown()


def test_the_handmade_header_is_a_valid_gguf(tmp_path: Path) -> None:
    """The crafted file is what it claims to be: our reader and llama.cpp's agree."""
    path = tmp_path / "other.gguf"
    path.write_bytes(gguf(b"nonexistent", padding=MIN_MODEL_BYTES))
    assert gguf_architecture(path) == "nonexistent"
    assert validate_model_file(path) is None  # only loading can tell llama.cpp cannot run it
    if MODEL.is_file():
        assert gguf_architecture(MODEL) == "gemma3"


def test_a_tiny_gguf_of_another_architecture_is_refused_before_loading(tmp_path: Path) -> None:
    path = tmp_path / "other.gguf"
    path.write_bytes(gguf(b"nonexistent"))
    assert "too small" in (validate_model_file(path) or "")
    reason, result = _load_fails_cleanly(path)
    assert "too small" in reason and "other.gguf" in reason
    assert result.status == FAILED and result.cause == OFF
    assert result.message_key == "model_unavailable"


def test_a_gguf_of_an_architecture_llama_cpp_cannot_run_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "other.gguf"
    path.write_bytes(gguf(b"nonexistent", padding=MIN_MODEL_BYTES))
    reason, result = _load_fails_cleanly(path)
    assert "could not be loaded" in reason and "'nonexistent'" in reason, reason
    assert result.status == FAILED and result.cause == OFF and "nonexistent" in result.reason


def test_a_gguf_cut_short_in_its_header_is_refused_before_loading(tmp_path: Path) -> None:
    """A 2 MiB vocabulary array cut at 1.5 MiB: big enough to pass the size check."""
    vocabulary = struct.pack("<IQ", GGUF_STRING, 200_000) + b"".join(
        _string(f"token{i}".encode()) for i in range(200_000))
    whole = gguf(b"llama", extra=((b"tokenizer.ggml.tokens",
                                   struct.pack("<I", GGUF_ARRAY) + vocabulary),))
    assert len(whole) > MIN_MODEL_BYTES * 1.5
    path = tmp_path / "cut.gguf"
    path.write_bytes(whole[: MIN_MODEL_BYTES * 3 // 2])
    assert validate_model_file(path) is None  # the game's quick check reads the first key
    assert "cut short" in (validate_model_file(path, whole_header=True) or "")  # the worker's
    reason, result = _load_fails_cleanly(path)
    assert "damaged" in reason and "cut short" in reason, reason
    assert result.status == FAILED and result.cause == OFF


@pytest.mark.skipif(not MODEL.is_file(), reason="run `python main.py setup-model`")
def test_the_real_model_cut_halfway_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "half.gguf"
    with MODEL.open("rb") as source, path.open("wb") as target:
        remaining = MODEL.stat().st_size // 2
        while remaining:
            chunk = source.read(min(remaining, 1 << 22))
            target.write(chunk)
            remaining -= len(chunk)
    assert validate_model_file(path) is None  # the header is whole: only llama.cpp can tell
    reason, result = _load_fails_cleanly(path)
    assert "could not be loaded" in reason and "half.gguf" in reason, reason
    assert "'gemma3'" in reason  # the architecture it was asked for is named
    assert result.status == FAILED and result.cause == OFF
