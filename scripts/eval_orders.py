"""Accuracy and latency of typed-order translation on a labelled set.

    python scripts/eval_orders.py tests/data/orders_blind2.jsonl [--tier auto|rules|llm]

Runs every order through the real pipeline (`python main.py translate`'s code:
rules parser here, model in its own process) and prints one JSON object:
exact-match accuracy overall and per language, the share answered by each
tier, latency per tier (p50/p95/max), and the validity of every output.
Add --errors to list the orders that came out wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game import settings  # noqa: E402
from game.stats import summary  # noqa: E402
from game.ui.translate_cli import translate_lines  # noqa: E402
from game.vocabulary import CommandError, canonical_list  # noqa: E402
from llm.profiles import resolve_model_path  # noqa: E402


def valid(commands: list[dict]) -> bool:
    try:
        return canonical_list(commands) == commands
    except CommandError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("--tier", choices=("auto", "rules", "llm"), default="auto")
    parser.add_argument("--model", default=None)
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.dataset).read_text("utf-8").splitlines()
            if line.strip()]
    model = str(resolve_model_path(args.model, settings.load().model_file))
    results = list(translate_lines((r["text"] for r in rows), args.tier, model))
    report: dict[str, object] = {"dataset": args.dataset, "tier": args.tier, "orders": len(rows)}
    right = [r["commands"] == row["expected"] for r, row in zip(results, rows)]
    report["accuracy"] = round(sum(right) / len(rows), 4)
    for lang in ("en", "fr"):
        picked = [ok for ok, row in zip(right, rows) if row.get("lang") == lang]
        if picked:
            report[f"accuracy_{lang}"] = round(sum(picked) / len(picked), 4)
    for tier in ("rules", "llm", "none"):
        chosen = [(ok, r) for ok, r in zip(right, results) if r["tier"] == tier]
        report[f"{tier}_answered"] = len(chosen)
        if chosen:
            report[f"{tier}_accuracy"] = round(sum(ok for ok, _ in chosen) / len(chosen), 4)
            report[f"{tier}_latency_ms"] = {**summary(r["ms"] for _, r in chosen),
                                            "n": len(chosen)}
    report["valid_outputs"] = round(sum(valid(r["commands"]) for r in results) / len(rows), 4)
    print(json.dumps(report, ensure_ascii=False))
    if args.errors:
        for ok, r, row in zip(right, results, rows):
            if not ok:
                print(json.dumps({"text": row["text"], "tier": r["tier"], "got": r["commands"],
                                  "expected": row["expected"]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
