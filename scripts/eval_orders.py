"""Accuracy and latency of typed-order translation on a labelled set.

    python scripts/eval_orders.py tests/data/orders_blind2.jsonl [--tier auto|rules|llm]

Runs every order through the real pipeline (`python main.py translate`'s code:
rules parser here, model in its own process) and prints one JSON object:
exact-match accuracy overall and per language, the share answered by each
tier, latency per tier (p50/p95/max), and the validity of every output.
It also counts what the game would do with each order (`outcomes`): right
(executed as meant, or refused when it was no order), asked (the player is asked
"Did you mean ...?" first: the translation's confidence is under the profile's
threshold), refused (not understood, though it was an order), and wrong
(executed, and not as meant: the only kind that does harm).
Add --errors to list the orders that came out wrong, --by-style for a table of
those counts per style and language (rows may have a "style" field).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game import settings  # noqa: E402
from game.stats import summary  # noqa: E402
from game.ui.translate_cli import translate_lines  # noqa: E402
from game.vocabulary import CommandError, as_dicts, canonical_list  # noqa: E402
from llm.parser import detect_language  # noqa: E402
from llm.profiles import resolve_model_path  # noqa: E402

OUTCOMES = ("right", "asked", "refused", "wrong")


def valid(commands: list[dict]) -> bool:
    try:
        return as_dicts(canonical_list(commands)) == commands
    except CommandError:
        return False


def outcome(result: dict, expected: list[dict]) -> str:
    """What the game does with a translated order, judged against what was meant."""
    if result.get("status") == "confirm":
        return "asked"
    if not result["commands"]:
        return "right" if not expected else "refused"
    return "right" if result["commands"] == expected else "wrong"


def counts(kinds: list[str]) -> dict[str, int]:
    return {k: sum(1 for kind in kinds if kind == k) for k in OUTCOMES}


def style_table(kinds: list[str], rows: list[dict]) -> list[dict[str, object]]:
    """One row per (style, language), then one per language: orders, right, asked,
    refused, wrong."""
    groups: dict[tuple[str, str], list[str]] = {}
    for kind, row in zip(kinds, rows):
        lang = str(row.get("lang") or detect_language(str(row.get("text", ""))))
        for key in ((str(row.get("style") or "-"), lang), ("all", lang)):
            groups.setdefault(key, []).append(kind)
    ordered = sorted(groups, key=lambda k: (k[0] == "all", k[0], k[1]))
    return [{"style": style, "lang": lang, "orders": len(groups[(style, lang)]),
             **counts(groups[(style, lang)])} for style, lang in ordered]


def print_table(table: list[dict[str, object]], out: TextIO = sys.stdout) -> None:
    head = ("style", "lang", "orders", *OUTCOMES)
    widths = [max(len(h), *(len(str(r[h])) for r in table)) for h in head]
    for line in (dict(zip(head, head)), *table):
        out.write("  ".join(str(line[h]).ljust(w) for h, w in zip(head, widths)).rstrip()
                  + "\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("--tier", choices=("auto", "rules", "llm"), default="auto")
    parser.add_argument("--model", default=None)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--by-style", action="store_true",
                        help="right / asked / refused / wrong per style and language")
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
    kinds = [outcome(r, row["expected"]) for r, row in zip(results, rows)]
    report["outcomes"] = counts(kinds)
    report["outcome_shares"] = {k: round(n / len(rows), 4) for k, n in counts(kinds).items()}
    report["asked_right"] = sum(1 for kind, ok in zip(kinds, right) if kind == "asked" and ok)
    table = style_table(kinds, rows) if args.by_style else []
    if args.by_style:
        report["by_style"] = table
    print(json.dumps(report, ensure_ascii=False))
    if args.by_style:
        print_table(table)
    if args.errors:
        for ok, kind, r, row in zip(right, kinds, results, rows):
            if not ok:
                print(json.dumps({"text": row["text"], "tier": r["tier"], "status": r["status"],
                                  "outcome": kind, "confidence": r["confidence"],
                                  "got": r["commands"], "expected": row["expected"]},
                                 ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
