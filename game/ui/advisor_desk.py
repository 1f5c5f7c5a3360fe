"""The advisor panel's content: heuristic tips at once, a model remark when free.

No drawing here. The heuristic advisor (game.advisor) refreshes every few
seconds and on alarming events. When the model process is idle, the desk asks
it for a short remark about the latest report; the request is latest-wins and
an order typed meanwhile pre-empts it (llm.client). A remark that arrives for a
state older than STALE_TICKS, or that fails llm.advice.review_remark (its
numbers, words and recommended action must hold for the report it was asked
about), is dropped and counted by reason; the heuristic text stays.

"How am I doing?" (the analyze command) shows the report's fuller version
(economy, power, army against the known enemy, threats, next steps) for
DETAILS_TICKS, refreshed with the routine reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.advisor import Advisor, Report
from game.rules import TICKS_PER_SECOND
from game.world import World
from llm.advice import review_remark, situation
from llm.protocol import ADVISE

REQUEST_TICKS = 10 * TICKS_PER_SECOND  # at most one model remark request this often
STALE_TICKS = 6 * TICKS_PER_SECOND  # a remark about an older state is dropped
SHOW_TICKS = 40 * TICKS_PER_SECOND  # how long a remark stays on the panel
DETAILS_TICKS = 30 * TICKS_PER_SECOND  # how long the fuller report stays after "how am I doing?"
HEURISTIC, MODEL = "heuristic", "model"


@dataclass(frozen=True)
class AdvisorLine:
    text: str
    source: str  # "heuristic" | "model"
    kind: str  # "summary", a tip key, or "remark"


class AdvisorDesk:
    def __init__(self, client: Any | None, player: int = 0) -> None:
        self.client = client
        self.advisor = Advisor(player)
        self.remark: tuple[str, int, str] | None = None  # text, tick it arrived, language
        self.model_withdrawn = 0  # shown remarks the state no longer bears out
        self.model_updates = 0
        self.model_discarded = 0
        self.discard_reasons: dict[str, int] = {}
        self.requests = 0
        self.details_until = -1  # tick until which the fuller report is shown
        # The remark being asked for: request id, tick, language, the report it is about.
        self._request: tuple[int, int, str, Report] | None = None
        self._last_request_tick = -REQUEST_TICKS

    @property
    def report(self) -> Report | None:
        return self.advisor.report

    @property
    def heuristic_updates(self) -> int:
        return self.advisor.updates

    def on_tick(self, world: World, lang: str) -> None:
        if self.advisor.update(world, lang) is not None:
            self._recheck_remark()

    def _recheck_remark(self) -> None:
        """A shown remark must stay true: each new report reviews it again."""
        report = self.advisor.report
        if self.remark is None or report is None:
            return
        text, _, lang = self.remark
        if review_remark(text, lang, report).text is None:
            self.remark = None
            self.model_withdrawn += 1

    def refresh(self, world: World, lang: str) -> None:
        """The player asked ("how am I doing?"): new tips now, and a new remark
        request that replaces any older one (latest wins, even mid-generation)."""
        self.advisor.update(world, lang, force=True)
        self._recheck_remark()
        self.details_until = world.tick + DETAILS_TICKS
        if self.client is not None and self.client.state in ("ready", "busy"):
            self._ask(world, lang)

    def on_frame(self, world: World, lang: str) -> None:
        """Ask the model for a remark when it has nothing better to do."""
        if self.client is None or self._request is not None:
            return
        if self.client.state != "ready":  # loading, busy with orders, or offline
            return
        if world.tick - self._last_request_tick >= REQUEST_TICKS:
            self._ask(world, lang)

    def _ask(self, world: World, lang: str) -> None:
        report = self.advisor.report
        if report is None or self.client is None:
            return
        if not report.facts.get("todo"):
            # Nothing to recommend (all is well, or broke): a remark could only be dropped.
            self._last_request_tick = world.tick
            return
        summary = situation(report.facts, lang)
        request_id = self.client.submit(ADVISE, {"summary": summary, "lang": lang})
        self._request = (request_id, world.tick, lang, report)
        self._last_request_tick = world.tick
        self.requests += 1

    def close(self) -> None:
        """The match is being left: the remark being asked for is no longer wanted."""
        if self._request is not None and self.client is not None:
            self.client.cancel(self._request[0], "The match was left.")
        self._request = None

    def on_model_result(self, result: Any, world: World) -> bool:
        """Give the desk a finished model request; True if it was its remark."""
        if self._request is None or result.id != self._request[0]:
            return False
        _, asked_tick, lang, report = self._request
        self._request = None
        if not result.ok:
            return True  # cancelled by an order or failed: ask again later
        review = review_remark(str((result.result or {}).get("text", "")), lang, report)
        reason = "stale" if world.tick - asked_tick > STALE_TICKS else review.reason
        if review.text is None or reason != "ok":
            self.model_discarded += 1
            self.discard_reasons[reason] = self.discard_reasons.get(reason, 0) + 1
            return True
        self.remark = (review.text, world.tick, lang)
        self.model_updates += 1
        return True

    def lines(self, world: World) -> list[AdvisorLine]:
        report = self.advisor.report
        if report is None:
            return []
        if world.tick <= self.details_until:
            return [AdvisorLine(line, HEURISTIC, "summary" if i == 0 else "report")
                    for i, line in enumerate(report.details)]
        shown = [AdvisorLine(report.summary, HEURISTIC, "summary")]
        if self.remark is not None and world.tick - self.remark[1] <= SHOW_TICKS:
            shown.append(AdvisorLine(self.remark[0], MODEL, "remark"))
        shown += [AdvisorLine(t.text, HEURISTIC, t.key) for t in report.tips]
        return shown

    def stats(self) -> dict[str, Any]:
        report = self.advisor.report
        return {"heuristic_updates": self.heuristic_updates, "model_updates": self.model_updates,
                "model_discarded": self.model_discarded, "model_requests": self.requests,
                "discard_reasons": dict(self.discard_reasons),
                "model_withdrawn": self.model_withdrawn,
                "last_summary": report.summary if report else ""}
