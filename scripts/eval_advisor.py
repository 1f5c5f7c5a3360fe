"""The advisor on the scripted situations (tests/advisor_situations.py): how true
its statements are, and how many model remarks pass the gate.

    python scripts/eval_advisor.py [--model PATH] [--no-model] [--remarks]

Prints one JSON object:
- heuristic: statements shown (summary + tips), how many are true, and how many
  situations get the right advice (first tip, must/never tips, actions);
- model: remarks asked (one per situation that has a recommendation; the desk does
  not ask the model otherwise), accepted by llm.advice.review_remark,
  dropped by reason, and how many accepted remarks are true by the situation's
  own truth (numbers that are quantities of the world, no wrong advice);
- truth_rate: true statements among everything the panel would show.
--remarks lists every remark with its verdict.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game import settings  # noqa: E402
from game.advisor import analyze  # noqa: E402
from llm.advice import recommended_commands, review_remark, situation  # noqa: E402
from llm.profiles import profile_for, resolve_model_path  # noqa: E402
from tests.advisor_situations import (  # noqa: E402
    SITUATIONS,
    false_statements,
    remark_problems,
    wrong_advice,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--no-model", action="store_true")
    parser.add_argument("--remarks", action="store_true")
    args = parser.parse_args()
    engine = None if args.no_model else _engine(args.model)
    statements = true_statements = right_advice = 0
    asked = accepted = accepted_true = skipped = 0
    reasons: dict[str, int] = {}
    for s in SITUATIONS:
        world = s.build()
        report = analyze(world, 0, s.lang)
        shown = 1 + len(report.tips)
        statements += shown
        true_statements += shown - len(false_statements(report, s, world))
        right_advice += not wrong_advice(report, s)
        if engine is None:
            continue
        if not report.facts.get("todo"):
            skipped += 1  # the advisor desk does not ask the model then
            continue
        answer, _ = engine.run("advise", {"summary": situation(report.facts, s.lang),
                                          "lang": s.lang}, lambda: False)
        review = review_remark(answer["text"], s.lang, report)
        asked += 1
        reasons[review.reason] = reasons.get(review.reason, 0) + 1
        problems: list[str] = []
        if review.text is not None:
            accepted += 1
            problems = remark_problems(recommended_commands(review.text), review.text, s, world)
            accepted_true += not problems
        if args.remarks:
            print(json.dumps({"situation": s.name, "lang": s.lang, "remark": answer["text"],
                              "verdict": review.reason, "problems": problems},
                             ensure_ascii=False), file=sys.stderr)
    result: dict[str, object] = {
        "situations": len(SITUATIONS),
        "heuristic": {"statements": statements, "true": true_statements,
                      "truth_rate": round(true_statements / statements, 4),
                      "right_advice": right_advice,
                      "right_advice_rate": round(right_advice / len(SITUATIONS), 4)},
    }
    if engine is not None:
        result["model"] = {"asked": asked, "not_asked_no_todo": skipped, "accepted": accepted,
                           "acceptance_rate": round(accepted / asked, 4),
                           "dropped_by_reason": {k: v for k, v in sorted(reasons.items())
                                                 if k != "ok"},
                           "accepted_true": accepted_true}
        shown_total = statements + accepted
        result["truth_rate"] = round((true_statements + accepted_true) / shown_total, 4)
        engine.close()
    else:
        result["truth_rate"] = result["heuristic"]["truth_rate"]  # type: ignore[index]
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _engine(model: str | None):
    from llm.engine import Engine  # imports llama_cpp: only when the model is used

    path = resolve_model_path(model, settings.load().model_file)
    engine = Engine(path, profile_for(path), 1, lambda stage, fraction: None)
    engine.warm_up()
    return engine


if __name__ == "__main__":
    raise SystemExit(main())
