"""Check labelled order files: every row valid, labels canonical, no blind-set leaks.

    python scripts/check_orders.py data/orders/*.jsonl [--fix]

A row is {"text", "expected", "lang": "en"|"fr", "style", "source"}; `expected` is
the canonical command list (game.vocabulary.canonical_list), [] for a non-order.
Prints per-file counts by language and style and every invalid row; exits 1 on
any. --fix rewrites `expected` into canonical form where it is valid but not
canonical (defaults filled in, keys ordered).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.vocabulary import CommandError, as_dicts, canonical_list  # noqa: E402

STYLES = ("plain", "terse", "typo", "runon", "multistep", "polite", "numbers",
          "role", "subject_last", "mixed", "chatter", "jargon", "question",
          "dictated", "none", "new_actions", "deixis", "own_buildings")
REQUIRED = ("text", "expected", "lang", "style", "source")


def blind_texts() -> set[str]:
    texts: set[str] = set()
    for path in (ROOT / "tests" / "data").glob("orders_blind*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                texts.add(json.loads(line)["text"].strip().lower())
    return texts


def check_row(row: dict, blind: set[str]) -> str | None:
    missing = [k for k in REQUIRED if k not in row]
    if missing:
        return f"missing keys {missing}"
    if row["lang"] not in ("en", "fr"):
        return "lang must be en or fr"
    if row["style"] not in STYLES:
        return f"style must be one of {STYLES}"
    if not isinstance(row["text"], str) or not row["text"].strip():
        return "empty text"
    try:
        canonical = as_dicts(canonical_list(row["expected"]))
    except CommandError as error:
        return f"expected is not valid: {error.key}"
    if canonical != row["expected"]:
        return f"expected is not canonical; canonical is {json.dumps(canonical)}"
    if row["text"].strip().lower() in blind:
        return "this text is in a blind test set"
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--fix", action="store_true")
    args = parser.parse_args()
    bad = 0
    for name in args.files:
        path = Path(name)
        # a blind set is checked for validity only, not against itself
        blind = set() if path.name.startswith("orders_blind") else blind_texts()
        rows, out = [], []
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                print(f"{name}:{number}: not JSON: {error}")
                bad += 1
                continue
            if args.fix and isinstance(row.get("expected"), list):
                try:
                    row["expected"] = as_dicts(canonical_list(row["expected"]))
                except CommandError:
                    pass
            problem = check_row(row, blind)
            if problem:
                print(f"{name}:{number}: {problem}: {line[:160]}")
                bad += 1
            rows.append(row)
            out.append(json.dumps(row, ensure_ascii=False))
        if args.fix:
            path.write_text("\n".join(out) + "\n", "utf-8")
        counts = collections.Counter((r.get("lang"), r.get("style")) for r in rows)
        by_lang = collections.Counter(r.get("lang") for r in rows)
        print(f"{name}: {len(rows)} rows {dict(by_lang)}")
        for (lang, style), n in sorted(counts.items(), key=str):
            print(f"  {lang} {style}: {n}")
    print(f"invalid rows: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
