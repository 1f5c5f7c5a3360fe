"""Accuracy and speed of the rules parser on eval sets: `python -m llm.parser_eval [FILE...]`.

Each line of FILE is {"text", "expected", "lang"} with an optional "tier" ("rules", the
default, or "model"). Every order ends in one of three ways:
- right: a final answer ("ok", "incomplete", "rejected") equal to `expected`;
- handed over: "unknown", the model will try;
- wrong: a final answer that differs from `expected`; the model never sees it.
A "rules" line succeeds when right; a "model" line when handed over or right.
Timing follows one untimed warm-up pass and a garbage collection, so it shows parsing,
not start-up.

`--save OUT.json` writes every order's outcome; `--against OUT.json` (saved before a
change) lists every order that got worse, right to anything else or anything to wrong,
and fails if there is one: a refactoring of the parser must keep every figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections import Counter
from pathlib import Path

from game import paths
from game.vocabulary import as_dicts
from llm.parser import parse

DEFAULT_EVAL = paths.app_dir() / "tests" / "data" / "orders_eval.jsonl"


def _outcome(row: dict) -> str:
    result = parse(row["text"])
    if result.status == "unknown":
        return "handed over"
    return "right" if as_dicts(result.commands) == row["expected"] else "wrong"


def _timings_ms(rows: list[dict]) -> list[float]:
    for row in rows:
        parse(row["text"])
    gc.collect()
    times = []
    for row in rows:
        start = time.perf_counter()
        parse(row["text"])
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def evaluate(path: Path, outcomes_out: dict[str, str] | None = None) -> int:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    outcomes: dict[tuple[str, str], Counter[str]] = {}
    wrong = []
    for row in rows:
        tier = row.get("tier", "rules")
        outcome = _outcome(row)
        outcomes.setdefault((tier, row.get("lang", "?")), Counter())[outcome] += 1
        if outcome == "wrong":
            wrong.append(row["text"])
        if outcomes_out is not None:
            outcomes_out[f"{path.name}|{row['text']}"] = outcome
    print(f"== {path.name}")
    for (tier, lang), counts in sorted(outcomes.items()):
        total = sum(counts.values())
        success = counts["right"] + (counts["handed over"] if tier == "model" else 0)
        print(f"{tier:5} {lang}: {success}/{total} = {100 * success / total:.1f}%  "
              f"(right {counts['right']}, handed over {counts['handed over']}, "
              f"wrong {counts['wrong']})")
    times = _timings_ms(rows)
    print(f"parse time over {len(rows)} orders: p50 {times[len(times) // 2]:.3f} ms, "
          f"p95 {times[int(0.95 * (len(times) - 1))]:.3f} ms, max {times[-1]:.3f} ms")
    for text in wrong:
        print("wrong:", text)
    return 1 if wrong else 0


def worse(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The orders whose outcome got worse: right before and not now, or wrong now only."""
    return [f"{key}: {before[key]} -> {now}" for key, now in after.items() if key in before
            and before[key] != now and (before[key] == "right" or now == "wrong")]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("files", nargs="*", type=Path, default=[DEFAULT_EVAL])
    args.add_argument("--save", type=Path, help="write every order's outcome here")
    args.add_argument("--against", type=Path, help="outcomes saved before: list what got worse")
    options = args.parse_args(argv)
    outcomes: dict[str, str] = {}
    failed = max(evaluate(path, outcomes) for path in options.files)
    if options.save:
        options.save.write_text(json.dumps(outcomes, ensure_ascii=False, indent=0), "utf-8")
    if options.against:
        got_worse = worse(json.loads(options.against.read_text("utf-8")), outcomes)
        print(f"against {options.against}: {len(got_worse)} orders got worse")
        for line in got_worse:
            print(line)
        failed = max(failed, 1 if got_worse else 0)
    return failed


if __name__ == "__main__":
    sys.exit(main())
