"""Recording every match: the GameScreen's world and command log into a replay file.

The orders come from the world itself (game.replay.ReplayWriter watches what
every tick starts with), so mouse, hotkeys, bots and typed orders are all in.
This side adds what only the front end knows: the typed orders as the command
log shows them (what was typed, then what it became, each time that changes).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game import paths
from game.replay import Header, ReplayWriter, start_state

if TYPE_CHECKING:
    from game.ui.orders_desk import LogEntry
    from game.ui.session import GameScreen

KEEP_REPLAYS = 20  # the newest are kept in the user data folder
FINAL_STATUSES = {"done", "refused", "partial", "not_understood", "cancelled"}


def new_replay_path(seed: int) -> Path:
    """A fresh file in paths.replays_dir(), named by date, time and seed."""
    folder = paths.replays_dir()
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}-seed{seed}"
    path, n = folder / f"{stem}.jsonl", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.jsonl"
    return path


def prune_replays(keep: int = KEEP_REPLAYS) -> None:
    """Delete all but the newest `keep` replays (by modification time)."""
    files = sorted(paths.replays_dir().glob("*.jsonl"), key=lambda p: p.stat().st_mtime,
                   reverse=True)
    for old in files[keep:]:
        try:
            old.unlink()
        except OSError:
            pass  # open elsewhere (Windows): next time


class MatchRecorder:
    def __init__(self, game: GameScreen, path: Path, bots: dict[int, str]) -> None:
        world = game.world
        header = Header(seed=world.seed, map_size=world.tiles.width, difficulty=game.difficulty,
                        bots=bots, language=game.lang,
                        recorded_at=time.strftime("%Y-%m-%d %H:%M"), start=start_state(world))
        self.game = game
        self.writer = ReplayWriter(path, header, world)
        self._shown: dict[int, tuple] = {}  # ticket id -> what the log showed last
        self._final: set[int] = set()  # entries that will not change any more
        game.tick_hooks.append(self.on_tick)

    @property
    def path(self) -> Path:
        return self.writer.path

    def on_tick(self) -> None:
        if self.writer.closed:
            return
        self._record_typed()
        if self.game.world.winner is not None:
            self.close()

    def close(self) -> None:
        if not self.writer.closed:
            self._record_typed()
            self.writer.close()

    def _record_typed(self) -> None:
        """New typed orders and changed log lines, shown from this tick on in a replay."""
        language = self.game.language
        if language is None:
            return
        tick = self.game.world.tick
        for entry in language.orders.entries:
            ticket_id = entry.ticket.id
            if ticket_id in self._final:
                continue
            shown = _log_view(entry)
            if self._shown.get(ticket_id) != shown:
                self._shown[ticket_id] = shown
                self.writer.typed(tick, _typed_record(entry))
            if entry.status in FINAL_STATUSES:
                self._final.add(ticket_id)
                self._shown.pop(ticket_id, None)


def _log_view(entry: LogEntry) -> tuple:
    return entry.ticket.status, entry.ticket.message, tuple(entry.lines)


def _typed_record(entry: LogEntry) -> dict[str, Any]:
    ticket = entry.ticket
    return {"id": ticket.id, "text": ticket.text, "lang": ticket.lang, "status": ticket.status,
            "tier": ticket.tier, "message": ticket.message,
            "lines": [[o.status, o.text] for o in entry.outcomes]}


def _bot_name(bot: object) -> str:
    """For the list of replays only: bots are not re-run when a replay plays."""
    level = getattr(bot, "level", None)
    return str(getattr(level, "name", None) or type(bot).__name__.lower())


def start_recording(game: GameScreen, path: Path | None = None) -> MatchRecorder | None:
    """Record the match of `game` (into the replays folder unless `path` is given).
    A folder that cannot be written must not stop the match: no replay then."""
    bots = {p.id: "human" for p in game.world.players}
    for bot in game.bots:
        bots[bot.player] = _bot_name(bot)
    try:
        if path is None:
            prune_replays(KEEP_REPLAYS - 1)
            path = new_replay_path(game.world.seed)
        return MatchRecorder(game, path, bots)
    except OSError:
        return None
