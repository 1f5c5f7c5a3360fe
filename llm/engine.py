"""The language model inside the child process (never imported by the game process).

Performance design (an evaluation that yields logits costs ~20 ms at 1 thread,
each further token in the same batch ~5 ms):
- Each static prompt prefix is evaluated once: the translate one before the
  model reports ready, the advisor's when the worker is first idle (or on the
  first advice request). Its KV state is kept as a sequence snapshot. A request
  rewinds to the end of its prefix (llama.cpp drops the KV cells past `n_tokens`
  on the next eval) and evaluates only its own tokens; switching prefixes
  restores a snapshot (~2 ms) instead of re-evaluating. Gemma 3 uses
  sliding-window attention: the context keeps a full-size SWA cache (swa_full),
  since a pruned one may have dropped cells that a rewound prefix still needs.
- Translations are decoded on a token trie of the compact format (llm.compact):
  forced tokens are batched into the next eval; only branch points read the
  logits, of the allowed tokens only, so every output is valid by construction.
  At each branch the model chooses among the candidates the order names
  (llm.guide), or among all of them where it names none (when steering is on).
- Drafts: each eval also carries a guess of the next branches of the line (up to
  MAX_DRAFT_BRANCHES), taken from what the order names (llm.guide), with logits
  read at every branch of it.
  The model still chooses at each branch; while it chooses as guessed, the next
  branch's logits are already there (one eval instead of one per branch; an extra
  logits row costs ~11 ms, a separate eval ~27 ms). At the first other choice the
  rest of the guess is dropped from the context.
- Advice is short greedy free text that checks should_stop() between tokens.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import llama_cpp
import numpy as np

from game.vocabulary import CommandError, as_dicts
from llm import adapter, compact, guide, prompts
from llm.profiles import Profile
from llm.protocol import ADVISE, TRANSLATE, Cancelled

Progress = Callable[[str, float], None]
ShouldStop = Callable[[], bool]
MAX_COMPACT_TOKENS = 64  # 4 commands of at most ~12 tokens, with margin
WARM_CHUNK = 24  # prefix tokens per eval when warming in idle time: ~120 ms per stop check
# Logit bonus for ending the line (or not) where the order's clauses end
# (llm.guide); logits of competing tokens typically differ by 1-3.
CLAUSE_BONUS = 5.0
# Branches guessed ahead in one eval. Each logits row is 1 MB of output (262k floats)
# plus as much in the compute buffer, kept once touched: unbounded guesses cost the
# model process ~35 MB of RSS, four rows ~6 MB for nearly all of the speed.
MAX_DRAFT_BRANCHES = 3


def confidence(branch_p: list[float]) -> float:
    """A translation's confidence: the product of the probabilities of the branches its
    decoder took (1.0 when it chose nothing). The product separated right from wrong
    answers a little better than the lowest branch (ROC AUC 0.63 vs 0.60 on
    tests/data/model_dev_orders.jsonl, 0.74 vs 0.73 on 400 corpus orders). Each branch
    is a softmax of the raw logits, without the clause bonus: with it, 17 of those 400
    orders came out wrong above 0.999, against none without."""
    return round(float(np.prod(branch_p)) if branch_p else 1.0, 4)


@dataclass
class _Snapshot:
    tokens: list[int]
    state: ctypes.Array  # llama.cpp sequence state after evaluating `tokens`


class _Clock:
    def __init__(self) -> None:
        self._start = time.perf_counter()

    def lap_ms(self) -> float:
        now = time.perf_counter()
        elapsed, self._start = (now - self._start) * 1000.0, now
        return round(elapsed, 1)


class Engine:
    """Loads one model and answers translate/advise requests, one at a time."""

    def __init__(self, model_path: str | Path, profile: Profile, n_threads: int,
                 on_progress: Progress) -> None:
        on_progress("loading model", 0.0)
        self.profile = profile
        self._llm = llama_cpp.Llama(
            model_path=str(model_path),
            n_ctx=profile.n_ctx,
            n_batch=profile.n_batch,
            n_ubatch=profile.n_batch,
            n_threads=n_threads,
            n_threads_batch=n_threads,
            swa_full=True,
            verbose=False,
        )
        self._on_progress = on_progress
        self._vocab = llama_cpp.llama_model_get_vocab(self._llm.model)
        self._adapter, self.adapter_note = self._load_adapter(model_path, profile)
        chat_format = profile.chat_format or prompts.detect_chat_format(
            self._llm.metadata.get("tokenizer.chat_template"))
        self._prompts = (prompts.adapter_prompts() if self._adapter is not None
                         else prompts.prompt_set(profile.prompt_style, chat_format))
        # Steering by the order's own words (llm.guide) where it measurably helps.
        self.steer = profile.steer if self._adapter is None else profile.steer_with_adapter
        self.confirm_below = (profile.confirm_below if self._adapter is None
                              else profile.confirm_below_with_adapter)
        self._grammar = compact.CompactGrammar(self._tokenize_plain)
        chat = self._prompts.chat
        self._stops = profile.stop + ((chat.assistant_close.strip(),) if chat else ())
        self._prefixes = {TRANSLATE: self._prompts.translate_prefix,
                          ADVISE: self._prompts.advise_prefix}
        self._snapshots: dict[str, _Snapshot] = {}  # complete prefixes
        self._partial: dict[str, _Snapshot] = {}  # prefixes interrupted while warming
        self._active: str | None = None
        self.drafts = True  # guess ahead (see the module's docstring); off only in tests

    @property
    def label(self) -> str:
        """The profile's name, and whether the order adapter is on (for the HUD and logs)."""
        return f"{self.profile.name} ({self.adapter_note})" if self.adapter_note else \
            self.profile.name

    # --- the order adapter ---------------------------------------------------------

    def _load_adapter(self, model_path: str | Path, profile: Profile
                      ) -> tuple[Any, str]:
        """The profile's LoRA adapter, if it exists and was trained on this model file.

        Anything wrong leaves the model without it (the few-shot prompt instead),
        with a note saying why: a missing adapter, one trained on another model,
        or one llama.cpp refuses (tensors that do not fit).
        """
        if not profile.adapter:
            return None, ""
        path = Path(model_path).parent / profile.adapter
        if not path.is_file():
            return None, "no order adapter"
        try:
            trained_on = adapter.read_string_metadata(path).get(adapter.KEY_BASE)
            if trained_on != adapter.base_fingerprint(model_path):
                return None, "order adapter refused: trained on another model"
        except (OSError, ValueError):
            return None, "order adapter refused: not a readable GGUF adapter"
        handle = llama_cpp.llama_adapter_lora_init(self._llm.model, str(path).encode("utf-8"))
        if not handle:
            return None, "order adapter refused: it does not fit the model"
        self._llm._stack.callback(llama_cpp.llama_adapter_lora_free, handle)
        return handle, "order adapter"

    def _use_adapter(self, on: bool) -> None:
        """The adapter serves translations only; the advisor writes with the base model."""
        if self._adapter is None:
            return
        if on:
            adapters = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(self._adapter)
            scales = (ctypes.c_float * 1)(1.0)
            llama_cpp.llama_set_adapters_lora(self._llm.ctx, adapters, 1, scales)
        else:
            llama_cpp.llama_set_adapters_lora(self._llm.ctx, None, 0, None)

    # --- tokens and evaluation ---------------------------------------------------

    def _tokenize_plain(self, text: str) -> list[int]:
        return self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)

    def _tokenize_parts(self, parts: list[prompts.Part]) -> list[int]:
        tokens: list[int] = []
        for text, special in parts:
            tokens += self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=special)
        return tokens

    def _check_fits(self, count: int) -> None:
        if self._llm.n_tokens + count > self._llm.n_ctx():
            raise ValueError("the request does not fit in the model's context")

    def _eval(self, tokens: list[int]) -> None:
        self._check_fits(len(tokens))
        self._llm.eval(tokens)

    def _logits(self, row: int = -1) -> np.ndarray:
        """Logits of a token of the last eval that asked for them (a view, nothing
        copied): by default its last token."""
        pointer = llama_cpp.llama_get_logits_ith(self._llm.ctx, row)
        return np.ctypeslib.as_array(pointer, shape=(self._llm.n_vocab(),))

    def _eval_rows(self, tokens: list[int], rows: list[int]) -> None:
        """Evaluate `tokens` after the context's n_tokens in one batch, with logits for
        the positions in `rows` only (Llama.eval gives the last one only)."""
        llm = self._llm
        self._check_fits(len(tokens))
        if len(tokens) > llm.n_batch:
            raise ValueError("the request does not fit in one batch")
        llm._ctx.kv_cache_seq_rm(-1, llm.n_tokens, -1)  # what a rewind left behind
        n_past = llm.n_tokens
        llm._batch.set_batch(batch=tokens, n_past=n_past, logits_all=False)
        wanted = set(rows)
        for i in range(len(tokens)):
            llm._batch.batch.logits[i] = i in wanted
        llm._ctx.decode(llm._batch)
        llm.input_ids[n_past:n_past + len(tokens)] = tokens
        llm.n_tokens += len(tokens)

    # --- prefixes ----------------------------------------------------------------

    def warm_up(self) -> None:
        """Evaluate the translate prefix (orders come first); the advisor's follows later."""
        self._warm(TRANSLATE, lambda: False, chunk=self.profile.n_batch // 2, report=True)

    @property
    def fully_warm(self) -> bool:
        return len(self._snapshots) == len(self._prefixes)

    def warm_remaining(self, should_stop: ShouldStop) -> None:
        """Evaluate the prefixes not done yet; the worker calls this when idle.
        Raises Cancelled as soon as should_stop() says a request is waiting."""
        for name in self._prefixes:
            if name not in self._snapshots:
                self._warm(name, should_stop)

    def _warm(self, name: str, should_stop: ShouldStop, chunk: int = WARM_CHUNK,
              report: bool = False) -> None:
        """Evaluate one prefix in chunks and snapshot it. Interrupted, it keeps what
        it evaluated so far, and the next call goes on from there."""
        tokens = self._llm.tokenize(self._prefixes[name].encode("utf-8"), add_bos=True,
                                    special=True)
        self._use_adapter(name == TRANSLATE)
        partial = self._partial.pop(name, None)
        if partial is not None:
            self._restore(partial)
        else:
            self._llm.reset()
        self._active = None  # until complete, the context holds no usable prefix
        for start in range(self._llm.n_tokens, len(tokens), chunk):
            if should_stop():
                if start:
                    self._partial[name] = _Snapshot(tokens[:start], self._save_sequence())
                raise Cancelled()
            if report:
                self._on_progress(f"preparing the {name} prompt",
                                  0.3 + 0.7 * start / len(tokens))
            self._eval(tokens[start:start + chunk])
        self._snapshots[name] = _Snapshot(tokens, self._save_sequence())
        self._active = name

    def _save_sequence(self) -> ctypes.Array:
        size = llama_cpp.llama_state_seq_get_size(self._llm.ctx, 0)
        state = (ctypes.c_uint8 * size)()
        written = llama_cpp.llama_state_seq_get_data(self._llm.ctx, state, size, 0)
        if written == 0:
            raise RuntimeError("llama.cpp could not save the prompt state")
        return state

    def _use_prefix(self, name: str, should_stop: ShouldStop) -> None:
        """Make `name`'s prefix the context's start: restore its snapshot, or warm it now."""
        if name not in self._snapshots:
            self._warm(name, should_stop)
        snapshot = self._snapshots[name]
        if self._active != name:
            self._restore(snapshot)
            self._use_adapter(name == TRANSLATE)
            self._active = name
        # Rewind: the next eval drops every KV cell past the prefix.
        self._llm.n_tokens = len(snapshot.tokens)

    def _restore(self, snapshot: _Snapshot) -> None:
        self._llm._ctx.kv_cache_clear()
        restored = llama_cpp.llama_state_seq_set_data(
            self._llm.ctx, snapshot.state, len(snapshot.state), 0)
        if restored == 0:
            raise RuntimeError("llama.cpp could not restore the prompt state")
        self._llm.input_ids[: len(snapshot.tokens)] = snapshot.tokens
        self._llm.n_tokens = len(snapshot.tokens)

    # --- requests ----------------------------------------------------------------

    def run(self, kind: str, payload: dict[str, Any],
            should_stop: ShouldStop) -> tuple[dict[str, Any], dict[str, Any]]:
        """Answer one request: (result, timings). Raises Cancelled if asked to stop."""
        if kind == TRANSLATE:
            return self._translate(str(payload["text"]), should_stop)
        if kind == ADVISE:
            return self._advise(str(payload["summary"]), str(payload.get("lang", "en")),
                                should_stop)
        raise ValueError(f"unknown request kind: {kind!r}")

    def _start(self, prefix: str, parts: list[prompts.Part], should_stop: ShouldStop
               ) -> list[int]:
        """Put the prefix in place; the request's tokens, not evaluated yet."""
        request = self._tokenize_parts(parts)
        if should_stop():
            raise Cancelled()
        self._use_prefix(prefix, should_stop)
        return request

    def _translate(self, order: str, should_stop: ShouldStop
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
        clock = _Clock()
        # The request is evaluated with the first draft, in the loop's first eval.
        pending = self._start(TRANSLATE, self._prompts.translate_parts(order), should_stop)
        prompt_tokens = len(pending)
        prompt_ms = clock.lap_ms()
        decoder = compact.CompactDecoder(self._grammar)
        named = guide.evidence(order)
        evidence = named if self.steer else None
        said = named.counts()  # what an unsteered count is finished as (_choose)
        generated = decisions = drafted = evals = 0
        chosen_p: list[float] = []  # the probability of each branch taken
        while not decoder.done and generated < MAX_COMPACT_TOKENS:
            allowed = decoder.allowed()
            if len(allowed) == 1:
                decoder.advance(allowed[0])
                pending.append(allowed[0])
                generated += 1
                continue
            if should_stop():
                raise Cancelled()
            draft = _draft(decoder, named, MAX_COMPACT_TOKENS - generated if self.drafts else 0)
            start = self._llm.n_tokens + len(pending)  # where the draft begins
            rows = [len(pending) - 1] + [len(pending) + end - 1 for end in draft.branch_ends]
            self._eval_rows(pending + draft.tokens, rows)
            evals += 1
            pending = []
            for branch, row in enumerate(rows):
                token, p = self._choose(decoder, evidence, self._logits(row), said)
                chosen_p.append(p)
                decisions += 1
                guessed = branch < len(draft.choices) and token == draft.choices[branch]
                segment = draft.segment(branch) if guessed else [token]
                for forced in segment:
                    decoder.advance(forced)
                generated += len(segment)
                if not guessed:
                    self._llm.n_tokens = start + draft.accepted(branch)  # drop the rest
                    pending = [token]
                    break
                drafted += 1
                if decoder.done:
                    break
        timings = {"prompt_ms": prompt_ms, "gen_ms": clock.lap_ms(),
                   "prompt_tokens": prompt_tokens, "gen_tokens": generated,
                   "decisions": decisions, "drafted": drafted, "evals": evals}
        result = self._expansion(decoder.text, named.tile)
        result["confidence"] = confidence(chosen_p)
        result["confirm_below"] = self.confirm_below  # calibrated for this model and adapter
        result["branches"] = [round(p, 4) for p in chosen_p]
        return result, timings

    def _choose(self, decoder: compact.CompactDecoder, evidence: guide.Evidence | None,
                logits: np.ndarray, said: frozenset[int] = frozenset()
                ) -> tuple[int, float]:
        """The model's best allowed token, among those leading to what the order names,
        and its probability among the options it was chosen from (a softmax over their
        logits: the decoder's confidence at this branch).

        Where the order names nothing for the slot, the model chooses freely. The end
        of the line gets a bonus where the order's clauses end. Unsteered (`evidence`
        None), a count the model has begun to write is still finished as one the order
        says (`said`: its counts), if one can be.
        """
        options = decoder.options()
        if evidence is not None:
            options = _named_options(decoder, evidence) or options
        elif said and decoder.slot_key == "count":
            options = _said_count_options(options, said) or options
        more = evidence.expects_more(decoder.index) if evidence is not None else None

        def score(option: _Option) -> float:
            token, below = option
            if more is None:
                return float(logits[token])
            bonus = CLAUSE_BONUS if _ends_as_expected(below, more) else 0.0
            return float(logits[token]) + bonus

        if len(options) == 1:
            return options[0][0], 1.0
        best = int(np.argmax([score(option) for option in options]))  # the first on a tie
        raw = np.array([float(logits[t]) for t, _ in options], dtype=np.float64)
        weights = np.exp(raw - raw.max())
        return options[best][0], float(weights[best] / weights.sum())

    @staticmethod
    def _expansion(text: str, tile: str | None) -> dict[str, Any]:
        try:
            commands = compact.expand(text, tile)
        except CommandError as error:
            return {"compact": text.strip(), "commands": [], "message": error.key}
        message = None if commands else "not_a_command"
        return {"compact": text.strip(), "commands": as_dicts(commands),
                "message": message}

    def _advise(self, summary: str, lang: str, should_stop: ShouldStop
                ) -> tuple[dict[str, Any], dict[str, Any]]:
        clock = _Clock()
        request = self._start(ADVISE, self._prompts.advise_parts(summary, lang), should_stop)
        self._eval(request)
        prompt_tokens = len(request)
        prompt_ms = clock.lap_ms()
        output: list[int] = []
        text = ""
        for _ in range(self.profile.advise_max_tokens):
            token = int(np.argmax(self._logits()))
            if llama_cpp.llama_vocab_is_eog(self._vocab, token):
                break
            output.append(token)
            text = self._llm.detokenize(output).decode("utf-8", errors="ignore")
            cut = min((text.find(s) for s in self._stops if s in text), default=-1)
            if cut >= 0:
                text = text[:cut]
                break
            if should_stop():
                raise Cancelled()
            self._eval([token])
        timings = {"prompt_ms": prompt_ms, "gen_ms": clock.lap_ms(),
                   "prompt_tokens": prompt_tokens, "gen_tokens": len(output)}
        return {"text": text.strip(), "lang": lang}, timings

    def close(self) -> None:
        self._llm.close()


@dataclass
class _Draft:
    """A guess of the rest of a line from a branch on: the token guessed at each
    branch (`choices`), the tokens of the guess, and where each branch's segment
    (its choice and the forced tokens after it) ends in them."""

    choices: list[int]
    tokens: list[int]
    ends: list[int]  # ends[i]: the end of segment i, where branch i + 1's logits are read
    finished: bool = False  # the guess ends the line: no branch after its last segment

    @property
    def branch_ends(self) -> list[int]:
        """The segment ends where a branch follows (where logits are read)."""
        return self.ends[:-1] if self.finished else self.ends

    def segment(self, branch: int) -> list[int]:
        return self.tokens[(self.ends[branch - 1] if branch else 0):self.ends[branch]]

    def accepted(self, branch: int) -> int:
        """How many draft tokens stay in the context when branch `branch` chose otherwise."""
        return self.ends[branch - 1] if branch else 0


def _draft(decoder: compact.CompactDecoder, evidence: guide.Evidence, budget: int) -> _Draft:
    """Walk a copy of the decoder through what the order names, as long as it names
    exactly one allowed token at each branch."""
    walker = decoder.clone()
    draft = _Draft([], [], [])
    while not walker.done and len(draft.tokens) < budget and \
            len(draft.choices) < MAX_DRAFT_BRANCHES:
        guess = _guess(walker, evidence)
        if guess is None:
            break
        draft.choices.append(guess)
        walker.advance(guess)
        draft.tokens.append(guess)
        while not walker.done and len(walker.allowed()) == 1 and len(draft.tokens) < budget:
            forced = walker.allowed()[0]
            walker.advance(forced)
            draft.tokens.append(forced)
        draft.ends.append(len(draft.tokens))
    draft.finished = walker.done
    return draft


def _guess(decoder: compact.CompactDecoder, evidence: guide.Evidence) -> int | None:
    """The one allowed token leading to what the order names for this slot (ending
    the command where its clauses end), or None when it names none or several."""
    fitting = _named_options(decoder, evidence)
    if len(fitting) > 1:
        more = evidence.expects_more(decoder.index)
        fitting = [(t, below) for t, below in fitting if _ends_as_expected(below, more)]
    return fitting[0][0] if len(fitting) == 1 else None


_Option = tuple[int, frozenset[compact.Leaf]]  # an allowed token and the leaves below it


def _said_count_options(options: list[_Option], said: Set[int]) -> list[_Option]:
    """At a count's last digit ("2" of "twenty", "1" of "quinze" written: each digit is a
    token, so every option now gives one count), the options that finish it as a count
    the order says; empty where none does. Whether the command has a count, and its
    first digit, stay the model's choice."""
    values = [{value for value, _ in below} for _, below in options]
    if not said or any(len(v) != 1 or not all(isinstance(x, int) for x in v) for v in values):
        return []
    return [(token, below) for token, below in options if any(v in said for v, _ in below)]


def _named_options(decoder: compact.CompactDecoder, evidence: guide.Evidence
                   ) -> list[_Option]:
    """The allowed tokens that lead to a value the order names for this slot."""
    named = evidence.named(decoder.index, decoder.action, decoder.slot_key)
    return [(t, below) for t, below in decoder.options() if any(v in named for v, _ in below)]


def _ends_as_expected(below: frozenset[compact.Leaf], more: bool) -> bool:
    """Whether a token can end its command as the order's clauses do: with another
    command after it (`more`) or with the end of the line."""
    return any(end is not None and (end == compact.SEPARATOR) == more for _, end in below)
