"""Choose the confidence under which a translation is asked about, not executed.

    python scripts/calibrate_confidence.py DATASET.jsonl [DATASET.jsonl ...]
        [--tier llm|auto] [--model PATH] [--max-wrong 0.01] [--json]

Runs every labelled order of the datasets through the real pipeline (the code of
`python main.py translate`; the model tier alone by default) once, keeps each
translation's confidence (llm.engine.confidence), then replays the decision for
thresholds 0.00, 0.05 ... 0.95: an order with commands is executed when its
confidence reaches the threshold and asked about ("Did you mean ...?") below it.
For each threshold it prints the share of orders that come out right (executed
as meant, or refused when they were no order), asked, refused (not understood
though they were orders) and wrong (executed, and not as meant), and suggests the
threshold that keeps wrong-executed at or under --max-wrong while asking the
least. The suggestion belongs in the model's profile: `confirm_below` in
llm/profiles.py (the profile of the model, with its adapter if it loads one).

Calibrate on a dev split, never on tests/data/orders_blind*.jsonl (refused).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game import settings  # noqa: E402
from game.ui.translate_cli import translate_lines  # noqa: E402
from llm.profiles import profile_for, resolve_model_path  # noqa: E402

THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(20))  # 0.00 .. 0.95


def load(paths: list[str]) -> list[dict]:
    rows: list[dict] = []
    for path in paths:
        if Path(path).name.startswith("orders_blind"):
            raise SystemExit(f"{path}: a blind set stays blind; calibrate on a dev split")
        rows += [json.loads(line) for line in Path(path).read_text("utf-8").splitlines()
                 if line.strip()]
    return rows


def kind_at(threshold: float, confidence: float, commands: list, expected: list) -> str:
    """right | asked | refused | wrong, for an order translated to `commands`."""
    if not commands:
        return "right" if not expected else "refused"
    if confidence < threshold:
        return "asked"
    return "right" if commands == expected else "wrong"


def table(samples: list[tuple[float, list, list]]) -> list[dict[str, float]]:
    """Per threshold: shares of right, asked, refused, wrong, and of right orders asked."""
    n = len(samples)
    lines = []
    for t in THRESHOLDS:
        kinds = [kind_at(t, c, got, want) for c, got, want in samples]
        share = {k: round(kinds.count(k) / n, 4) for k in ("right", "asked", "refused", "wrong")}
        asked_right = sum(1 for k, (_, got, want) in zip(kinds, samples)
                          if k == "asked" and got == want)
        lines.append({"threshold": t, **share, "asked_right": round(asked_right / n, 4)})
    return lines


def suggest(lines: list[dict[str, float]], max_wrong: float) -> dict[str, float] | None:
    """The threshold that keeps wrong-executed <= max_wrong while asking the least
    (the lowest such threshold on a tie)."""
    fit = [line for line in lines if line["wrong"] <= max_wrong + 1e-9]
    return min(fit, key=lambda line: (line["asked"], line["threshold"])) if fit else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--tier", choices=("auto", "rules", "llm"), default="llm")
    parser.add_argument("--model", default=None)
    parser.add_argument("--max-wrong", type=float, default=0.01,
                        help="the largest share of orders executed wrongly (default 0.01)")
    parser.add_argument("--json", action="store_true", help="one JSON object, no table")
    args = parser.parse_args()
    rows = load(args.datasets)
    if not rows:
        raise SystemExit("no labelled orders")
    model = str(resolve_model_path(args.model, settings.load().model_file))
    results = list(translate_lines((r["text"] for r in rows), args.tier, model))
    samples = [(float(r["confidence"]), r["commands"], row["expected"])
               for r, row in zip(results, rows)]
    lines = table(samples)
    best = suggest(lines, args.max_wrong)
    profile = profile_for(model)
    report = {"datasets": args.datasets, "tier": args.tier, "orders": len(rows),
              "model": Path(model).name, "profile": profile.name,
              "profile_confirm_below": profile.confirm_below, "max_wrong": args.max_wrong,
              "thresholds": lines, "suggested": best["threshold"] if best else None}
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(f"{len(rows)} orders, tier {args.tier}, model {Path(model).name} "
          f"(profile {profile.name}, confirm_below {profile.confirm_below})")
    print("threshold  right  asked  refused  wrong  (right but asked)")
    for line in lines:
        print(f"{line['threshold']:9.2f}  {line['right']:5.1%}  {line['asked']:5.1%}  "
              f"{line['refused']:7.1%}  {line['wrong']:5.1%}  ({line['asked_right']:.1%})")
    if best is None:
        print(f"no threshold up to {THRESHOLDS[-1]} keeps wrong-executed <= "
              f"{args.max_wrong:.1%}: the model needs work first")
    else:
        print(f"suggested confirm_below = {best['threshold']:.2f}: wrong {best['wrong']:.1%}, "
              f"asked {best['asked']:.1%}, right {best['right']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
