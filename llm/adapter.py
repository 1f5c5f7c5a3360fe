"""The order adapter: a LoRA adapter for the default model, trained on data/orders/.

`scripts/train_adapter.py` trains it and writes models/<ADAPTER_FILE>, a GGUF LoRA
adapter that records three fingerprints in its metadata:
- the corpus it was trained on (data/orders/*.jsonl),
- the task: the compact format's actions and slot values and the adapter prompt,
- the base model file it was trained from.
The model process loads the adapter only when its base fingerprint matches the
model file (llama.cpp itself refuses an adapter whose tensors do not fit), and a
test fails when the corpus or the task changed without retraining.

Nothing here imports llama_cpp or torch.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from game import paths
from llm import compact
from llm.profiles import gguf_strings

ADAPTER_FILE = "gemma-3-270m-orders.lora.gguf"
CORPUS_DIR = ("data", "orders")
# The adapter's prompt: no instructions and no examples before "Order: ...\nCommands:"
# (it learned the task; a shorter sequence trains and runs faster). The prefix the
# engine caches is this plus llm.prompts.ORDER_LABEL.
PREFIX = ""
KEY_CORPUS = "rts.corpus_sha256"
KEY_TASK = "rts.task_sha256"
KEY_BASE = "rts.base_model_fingerprint"
FINGERPRINT_BYTES = 1 << 20


def adapter_path() -> Path:
    return paths.models_dir() / ADAPTER_FILE


def corpus_files(root: Path | None = None) -> list[Path]:
    base = (root or paths.resource_dir()).joinpath(*CORPUS_DIR)
    return sorted(base.glob("*.jsonl"))


def is_dev(text: str) -> bool:
    """The dev split: a tenth of the corpus, chosen by a hash of each order's text,
    so adding rows never moves an old one between the splits."""
    return hashlib.sha256(text.strip().lower().encode("utf-8")).digest()[0] % 10 == 0


def corpus_fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def task_fingerprint() -> str:
    """Changes when the compact format or the adapter's prompt changes: the prompt as
    the model sees it, wherever the cached prefix ends (in the shape the first adapter
    recorded, when the whole prompt was the request)."""
    from llm import prompts  # prompts reads this module's PREFIX

    prompt_set = prompts.adapter_prompts()
    seen = prompt_set.translate_prefix + "".join(
        text for text, _ in prompt_set.translate_parts("{text}"))
    formats = {action: [[slot.key, [compact.surface(v) for v in slot.values]]
                        for slot in form.slots]
               for action, form in compact.FORMATS.items()}
    text = json.dumps({"formats": formats, "prefix": "", "request": [[seen, False]]},
                      sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def base_fingerprint(model_path: str | os.PathLike[str]) -> str:
    """Size and the first and last MiB of the model file: cheap enough for every launch."""
    file = Path(model_path)
    size = file.stat().st_size
    digest = hashlib.sha256(str(size).encode("ascii"))
    with file.open("rb") as handle:
        digest.update(handle.read(FINGERPRINT_BYTES))
        handle.seek(max(0, size - FINGERPRINT_BYTES))
        digest.update(handle.read(FINGERPRINT_BYTES))
    return digest.hexdigest()


def read_string_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    """The string key/values of a GGUF file's header (ValueError if it is not one)."""
    return gguf_strings(path)
