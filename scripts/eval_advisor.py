"""The advisor on the scripted situations (tests/advisor_situations.py): how true
its statements are, and how many model remarks pass the gate.

    python scripts/eval_advisor.py [--model PATH] [--no-model] [--remarks] [--matches N]

Prints one JSON object:
- heuristic: statements shown (summary + tips), how many are true, and how many
  situations get the right advice (first tip, must/never tips, actions);
- model: remarks asked (one per situation that has a recommendation; the desk does
  not ask the model otherwise), accepted by llm.advice.review_remark,
  dropped by reason, and how many accepted remarks are true by the situation's
  own truth (numbers that are quantities of the world, no wrong advice);
- truth_rate: true statements among everything the panel would show.
--remarks lists every remark with its verdict. --matches N also follows player 0's
advisor through N AI-vs-AI matches (seeds 1..N, a report every 3 game seconds) and
counts reports that break the rules checked here from the world itself: enemies
at the base come first and rule out "attack", "all is well" and "spend"; "all is
well" needs an army, credits, an income and power; the summary's numbers are right.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game import settings, sim  # noqa: E402
from game.advisor import DANGER_RADIUS, REFRESH_TICKS, Advisor, Report, analyze  # noqa: E402
from game.ai import Bot  # noqa: E402
from game.world import World  # noqa: E402
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
    parser.add_argument("--matches", type=int, default=0)
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
    if args.matches:
        result["matches"] = _matches(args.matches)
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _matches(count: int) -> dict[str, object]:
    reports = broken = 0
    first: dict[str, int] = {}  # which tip came first, to show what the matches covered
    for seed in range(1, count + 1):
        world = sim.new_game(seed)
        bots, advisor = (Bot(0, "normal"), Bot(1, "normal")), Advisor(0)
        while world.winner is None and world.tick < 20 * 60 * 20:
            for bot in bots:
                bot.think(world)
            sim.step(world)
            if world.tick % REFRESH_TICKS == 0:
                reports += 1
                report = advisor.update(world, "en", force=True)
                broken += bool(_rules_broken(report, world))
                key = report.tips[0].key if report else ""
                first[key] = first.get(key, 0) + 1
    return {"matches": count, "reports": reports, "reports_breaking_a_rule": broken,
            "first_tips": dict(sorted(first.items(), key=lambda kv: -kv[1]))}


def _rules_broken(report: Report | None, world: World) -> list[str]:
    assert report is not None
    me = world.players[0]
    mine = list(world.units_of(0))
    army = sum(1 for u in mine if u.type.combat)
    centers = [b.center for b in world.buildings_of(0)]
    at_base = [u for u in world.units.values() if u.owner != 0 and u.type.combat
               and world.is_visible(0, u.x, u.y) and any(
                   (u.x - x) ** 2 + (u.y - y) ** 2 <= DANGER_RADIUS ** 2 for x, y in centers)]
    keys = [t.key for t in report.tips]
    broken = []
    if at_base and (keys[0] != "threat" or {"attack", "all_good", "spend"} & set(keys)):
        broken.append("enemies at the base")
    income = world.has_building(0, "refinery") and any(u.type.harvest_capacity for u in mine)
    if "all_good" in keys and not (army and me.credits >= 100 and income and not me.low_power):
        broken.append("all is well")
    seen = sum(1 for u in world.units.values() if u.owner != 0 and u.type.combat
               and world.is_visible(0, u.x, u.y))
    harvesters = sum(1 for u in mine if u.type.harvest_capacity)
    if f"Army {army} · harvesters {harvesters} · credits {me.credits} · enemies in sight {seen}" \
            not in report.summary:
        broken.append("summary numbers")
    return broken


def _engine(model: str | None):
    from llm.engine import Engine  # imports llama_cpp: only when the model is used

    path = resolve_model_path(model, settings.load().model_file)
    engine = Engine(path, profile_for(path), 1, lambda stage, fraction: None)
    engine.warm_up()
    return engine


if __name__ == "__main__":
    raise SystemExit(main())
