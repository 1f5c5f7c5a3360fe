"""Train the order adapter: a LoRA adapter that teaches Gemma 3 270M the compact format.

    make adapter          # = .venv-train/bin/python scripts/train_adapter.py
    python scripts/train_adapter.py --minutes 60 --out models/gemma-3-270m-orders.lora.gguf

Needs requirements-train.txt (torch, transformers, peft, gguf): never the game's venv.

1. Reads the corpus (data/orders/*.jsonl) and splits off a dev set by a hash of
   each text (llm.adapter.is_dev), so the split never changes as rows are added.
2. Tokenizes exactly as the game does: llama.cpp's tokenizer, the adapter prompt
   (llm.prompts.adapter_prompts), and the answer as the token path the constrained
   decoder walks (llm.compact), so training sees the decoder's own tokens.
3. Loads the base model from the registry's GGUF with transformers (de-quantized),
   adds LoRA (r=16, every projection) with peft, and trains with AdamW where the
   loss is read only at the decoder's branch points, over the tokens allowed there:
   the same choice the game's decoder makes, and no 262k-token head to compute.
4. Writes the adapter as a GGUF LoRA adapter with the gguf package, its metadata
   holding the corpus, task and base-model fingerprints (llm.adapter), and the
   training curve to docs/adapter_training.json.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from game import paths  # noqa: E402
from game.vocabulary import CommandError, canonical_list  # noqa: E402
from llm import adapter, compact, prompts  # noqa: E402

SEED = 20261130
TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
GGUF_NAMES = {"q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v",
              "o_proj": "attn_output", "gate_proj": "ffn_gate", "up_proj": "ffn_up",
              "down_proj": "ffn_down"}


@dataclass
class Example:
    text: str
    tokens: list[int]  # prompt (without the cached prefix) + answer
    branches: list[tuple[int, list[int], int]]  # (position predicting, allowed, chosen index)


def load_rows(files: list[Path]) -> list[dict]:
    rows = []
    for file in files:
        for line in file.read_text("utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def renderable(row: dict) -> str | None:
    """The compact line of a row's label, or None when the format cannot write it."""
    try:
        return compact.render(canonical_list(row["expected"]))
    except (CommandError, ValueError):
        return None


class Tokens:
    """llama.cpp's tokenizer for the base model (vocab only: no weights loaded)."""

    def __init__(self, model_path: Path) -> None:
        import llama_cpp
        self._llm = llama_cpp.Llama(str(model_path), vocab_only=True, verbose=False)
        self.grammar = compact.CompactGrammar(self.plain)
        self._pieces: dict[int, bytes] = {}

    def plain(self, text: str) -> list[int]:
        return self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)

    def prefix(self, text: str) -> list[int]:
        return self._llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)

    def parts(self, parts: list[tuple[str, bool]]) -> list[int]:
        out: list[int] = []
        for text, special in parts:
            out += self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=special)
        return out

    def piece(self, token: int) -> bytes:
        if token not in self._pieces:
            self._pieces[token] = self._llm._model.token_to_piece(token).rstrip(b"\0")
        return self._pieces[token]

    def answer_path(self, line: str) -> tuple[list[int], list[tuple[int, list[int], int]]]:
        """The decoder's token path to `line`, and at each branch the allowed tokens.

        Picks, at each step, the allowed token whose text continues the line (the
        longest when several do) and checks the decoder ends on exactly that line.
        """
        decoder = compact.CompactDecoder(self.grammar)
        target = line.encode("utf-8")
        written = b""
        path: list[int] = []
        branches: list[tuple[int, list[int], int]] = []
        while not decoder.done:
            allowed = list(decoder.allowed())
            fitting = [t for t in allowed if target.startswith(written + self.piece(t))]
            if not fitting:
                raise ValueError(f"the decoder cannot write {line!r}")
            token = max(fitting, key=lambda t: len(self.piece(t)))
            if len(allowed) > 1:
                branches.append((len(path), allowed, allowed.index(token)))
            decoder.advance(token)
            path.append(token)
            written += self.piece(token)
        if decoder.text + compact.END != line:
            raise ValueError(f"decoded {decoder.text!r} instead of {line!r}")
        return path, branches


def make_examples(rows: list[dict], tokens: Tokens, prompt_set: prompts.PromptSet
                  ) -> tuple[list[Example], int]:
    examples, skipped = [], 0
    for row in rows:
        line = renderable(row)
        if line is None:
            skipped += 1
            continue
        request = tokens.parts(prompt_set.translate_parts(row["text"]))
        path, branches = tokens.answer_path(line)
        # the token at path[i] is predicted from the position just before it
        shifted = [(len(request) + i - 1, allowed, chosen) for i, allowed, chosen in branches]
        examples.append(Example(row["text"], request + path, shifted))
    return examples, skipped


# --- training ------------------------------------------------------------------------


def load_model(model_path: Path, rank: int, alpha: int):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(
        str(model_path.parent), gguf_file=model_path.name, dtype=torch.float32)
    config = LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=0.0,
                        target_modules=list(TARGETS), bias="none", task_type="CAUSAL_LM")
    return get_peft_model(base, config)


def branch_loss(model, batch: list[Example], prefix_len: int, prefix_cache):
    """Cross-entropy at the decoder's branch points, over the tokens allowed there."""
    import torch

    length = max(len(e.tokens) for e in batch)
    ids = torch.zeros((len(batch), length), dtype=torch.long)
    mask = torch.zeros((len(batch), length), dtype=torch.long)
    for row, example in enumerate(batch):
        ids[row, :len(example.tokens)] = torch.tensor(example.tokens)
        mask[row, :len(example.tokens)] = 1
    prefix_ids, prefix_mask = prefix_cache
    full_ids = torch.cat([prefix_ids.expand(len(batch), -1), ids], dim=1)
    full_mask = torch.cat([prefix_mask.expand(len(batch), -1), mask], dim=1)
    inner = model.base_model.model.model  # Gemma3TextModel under the LoRA wrapper
    hidden = inner(input_ids=full_ids, attention_mask=full_mask).last_hidden_state
    head = model.base_model.model.lm_head.weight
    softcap = getattr(model.config, "final_logit_softcapping", None)
    losses, whole = [], []
    for row, example in enumerate(batch):
        right = 0
        for position, allowed, chosen in example.branches:
            vector = hidden[row, prefix_len + position]
            logits = head[allowed] @ vector
            if softcap:
                logits = torch.tanh(logits / softcap) * softcap
            losses.append(torch.nn.functional.cross_entropy(
                logits.unsqueeze(0), torch.tensor([chosen])))
            right += int(int(logits.argmax()) == chosen)
        whole.append(right == len(example.branches))
    return torch.stack(losses).mean(), whole


def length_batches(examples: list[Example], size: int, rng: random.Random
                   ) -> list[list[Example]]:
    """One epoch of batches of similar lengths (little padding), in random order."""
    shuffled = examples[:]
    rng.shuffle(shuffled)
    pools = [sorted(shuffled[i:i + size * 32], key=lambda e: len(e.tokens))
             for i in range(0, len(shuffled), size * 32)]
    batches = [pool[i:i + size] for pool in pools for i in range(0, len(pool), size)]
    rng.shuffle(batches)
    return batches


def train(args: argparse.Namespace) -> None:
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rng = random.Random(SEED)
    model_path = Path(args.model)
    files = adapter.corpus_files(ROOT)
    rows = load_rows(files)
    train_rows = [r for r in rows if not adapter.is_dev(r["text"])]
    dev_rows = [r for r in rows if adapter.is_dev(r["text"])]
    tokens = Tokens(model_path)
    prompt_set = prompts.adapter_prompts()
    examples, skipped = make_examples(train_rows, tokens, prompt_set)
    dev_examples, dev_skipped = make_examples(dev_rows, tokens, prompt_set)
    print(f"corpus: {len(rows)} rows in {len(files)} files; train {len(examples)} "
          f"(skipped {skipped} the compact format cannot write), dev {len(dev_examples)} "
          f"(skipped {dev_skipped})", flush=True)
    started = time.perf_counter()
    model = load_model(model_path, args.rank, args.alpha)
    model.print_trainable_parameters()
    print(f"model loaded in {time.perf_counter() - started:.0f} s", flush=True)
    prefix = tokens.prefix(prompt_set.translate_prefix)
    prefix_cache = (torch.tensor([prefix]), torch.ones((1, len(prefix)), dtype=torch.long))
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad],
                                  lr=args.lr, weight_decay=0.0)
    curve: list[dict] = []
    budget_s = args.minutes * 60.0
    train_start = time.perf_counter()
    planned = args.steps
    batches: list[list[Example]] = []
    step = 0
    while step < planned:
        if not batches:
            batches = length_batches(examples, args.batch, rng)
        batch = batches.pop()
        lr = args.lr * min(1.0, (step + 1) / args.warmup) * (
            0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, step / planned))))
        for group in optimizer.param_groups:
            group["lr"] = lr
        model.train()
        loss, whole = branch_loss(model, batch, len(prefix), prefix_cache)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        elapsed = time.perf_counter() - train_start
        if step in (10, 50, 100):  # fit the plan to the time budget as step times settle
            planned = min(args.steps, max(20, int(budget_s / (elapsed / step))))
            print(f"{elapsed / step:.2f} s/step: {planned} steps fit in {args.minutes} min",
                  flush=True)
        point = {"step": step, "loss": round(float(loss), 4),
                 "batch_exact": round(sum(whole) / len(whole), 4),
                 "lr": lr, "elapsed_s": round(elapsed, 1)}
        if args.eval_every and (step % args.eval_every == 0 or step == planned):
            point["dev"] = evaluate(model, dev_examples, len(prefix), prefix_cache, args.batch)
        curve.append(point)
        if step % 10 == 0 or "dev" in point:
            print(json.dumps(point), flush=True)
    # keep the trained weights whatever happens to the conversion
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save({k: v for k, v in model.state_dict().items() if "lora_" in k},
               Path(args.out).with_suffix(".pt"))
    write_adapter(model, args, files, model_path)
    Path(args.curve).write_text(json.dumps({
        "corpus_rows": len(rows), "train_examples": len(examples),
        "dev_examples": len(dev_examples), "skipped": skipped + dev_skipped,
        "rank": args.rank, "alpha": args.alpha, "batch": args.batch, "lr": args.lr,
        "steps": step, "threads": args.threads, "minutes": round(
            (time.perf_counter() - train_start) / 60, 1), "curve": curve}, indent=1) + "\n")


def evaluate(model, examples: list[Example], prefix_len: int, prefix_cache, batch: int
             ) -> dict[str, float]:
    """Dev loss and the share of orders whose every branch is chosen right (teacher forced)."""
    import torch

    model.eval()
    exact, losses = [], []
    ordered = sorted(examples, key=lambda e: len(e.tokens))
    with torch.no_grad():
        for start in range(0, len(examples), batch):
            loss, whole = branch_loss(model, ordered[start:start + batch], prefix_len,
                                      prefix_cache)
            losses.append(float(loss))
            exact += whole
    return {"loss": round(sum(losses) / max(1, len(losses)), 4),
            "exact": round(sum(exact) / max(1, len(exact)), 4)}


def write_adapter(model, args: argparse.Namespace, files: list[Path], model_path: Path) -> None:
    import gguf

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(out), arch="gemma3")
    writer.add_string("general.type", "adapter")
    writer.add_string("general.name", "RTS Commander order adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(args.alpha))
    writer.add_string(adapter.KEY_CORPUS, adapter.corpus_fingerprint(files))
    writer.add_string(adapter.KEY_TASK, adapter.task_fingerprint())
    writer.add_string(adapter.KEY_BASE, adapter.base_fingerprint(model_path))
    pattern = re.compile(
        r"layers\.(\d+)\.(?:self_attn|mlp)\.(\w+_proj)\.lora_([AB])(?:\.default)?\.weight$")
    written = 0
    for name, tensor in model.state_dict().items():
        match = pattern.search(name)
        if not match:
            continue
        layer, projection, which = match.groups()
        gguf_name = f"blk.{layer}.{GGUF_NAMES[projection]}.weight.lora_{which.lower()}"
        writer.add_tensor(gguf_name, tensor.detach().float().numpy().astype(np.float16))
        written += 1
    if written != 2 * len(TARGETS) * model.config.num_hidden_layers:
        raise RuntimeError(f"wrote {written} LoRA tensors: the layer names did not match")
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {written} tensors)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=str(paths.default_model_path()))
    parser.add_argument("--out", default=str(adapter.adapter_path()))
    parser.add_argument("--curve", default=str(ROOT / "docs" / "adapter_training.json"))
    parser.add_argument("--minutes", type=float, default=60.0, help="training time budget")
    parser.add_argument("--steps", type=int, default=2000, help="at most this many steps")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--alpha", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--eval-every", type=int, default=250, help="0: no dev evaluation")
    parser.add_argument("--check", action="store_true",
                        help="only tokenize the corpus and report (no torch needed)")
    args = parser.parse_args()
    if args.check:
        tokens = Tokens(Path(args.model))
        rows = load_rows(adapter.corpus_files(ROOT))
        examples, skipped = make_examples(rows, tokens, prompts.adapter_prompts())
        lengths = [len(e.tokens) for e in examples]
        print(json.dumps({"rows": len(rows), "examples": len(examples), "skipped": skipped,
                          "dev": sum(adapter.is_dev(r["text"]) for r in rows),
                          "max_tokens": max(lengths, default=0),
                          "mean_tokens": round(sum(lengths) / max(1, len(lengths)), 1),
                          "branches": sum(len(e.branches) for e in examples)}))
        return 0
    train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
