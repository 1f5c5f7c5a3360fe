"""Accuracy and speed of the rules parser on an eval set: `python -m llm.parser_eval [FILE]`.

Each line of FILE is {"text", "expected", "lang"} with an optional "tier" ("rules", the
default, or "model"). Every order ends in one of three ways:
- right: a final answer ("ok", "incomplete", "rejected") equal to `expected`;
- handed over: "unknown", the model will try;
- wrong: a final answer that differs from `expected`; the model never sees it.
A "rules" line succeeds when right; a "model" line when handed over or right.
Timing follows one untimed warm-up pass and a garbage collection, so it shows parsing,
not start-up.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections import Counter
from pathlib import Path

from game import paths
from llm.parser import parse

DEFAULT_EVAL = paths.app_dir() / "tests" / "data" / "orders_eval.jsonl"


def _outcome(row: dict) -> str:
    result = parse(row["text"])
    if result.status == "unknown":
        return "handed over"
    return "right" if result.commands == row["expected"] else "wrong"


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


def evaluate(path: Path) -> int:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    outcomes: dict[tuple[str, str], Counter[str]] = {}
    wrong = []
    for row in rows:
        tier = row.get("tier", "rules")
        outcome = _outcome(row)
        outcomes.setdefault((tier, row.get("lang", "?")), Counter())[outcome] += 1
        if outcome == "wrong":
            wrong.append(row["text"])
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


if __name__ == "__main__":
    sys.exit(evaluate(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EVAL))
