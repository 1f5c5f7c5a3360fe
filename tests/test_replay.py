"""Replays: recorded matches play back to the same state hashes, a tampered or foreign
file is caught, and the viewer plays, pauses and seeks through the real loop."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from game import replay, sim
from game.ai import Bot
from game.replay import Header, ReplayError, ReplayWriter
from tests.uidriver import ROOT_DIR, click, frames, key, start_game

TWO_MINUTES = 2 * 60 * 20


def record_ai_match(path: Path, seed: int, ticks: int) -> str:
    """An AI-vs-AI match straight through game.sim (no pygame); returns its final hash."""
    world = sim.new_game(seed)
    bots = (Bot(0, "hard"), Bot(1, "normal"))
    writer = ReplayWriter(path, Header(seed, bots={0: "hard", 1: "normal"}), world)
    for _ in range(ticks):
        for bot in bots:
            bot.think(world)
        sim.step(world)
        if world.winner is not None:
            break
    writer.close()
    return world.state_hash()


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_records(path: Path, lines: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")


def verify_cli(path: Path) -> tuple[int, dict, str]:
    out = subprocess.run([sys.executable, "main.py", "replay", str(path), "--verify"],
                         cwd=ROOT_DIR, capture_output=True, text=True, timeout=120)
    return out.returncode, json.loads(out.stdout.strip().splitlines()[-1]), out.stderr


@pytest.fixture(scope="module")
def short_match(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("replays") / "seed5.jsonl"
    record_ai_match(path, 5, 1500)
    return path


@pytest.mark.parametrize("seed", [3, 8])
def test_ai_vs_ai_replays_verify(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "match.jsonl"
    final_hash = record_ai_match(path, seed, TWO_MINUTES)
    loaded = replay.load(path)
    assert loaded.complete and sum(len(o) for o in loaded.orders.values()) > 5
    verdict = replay.verify(loaded)
    assert verdict.ok, verdict
    assert verdict.checked == len(loaded.hashes) > TWO_MINUTES // replay.HASH_EVERY
    assert loaded.hashes[loaded.end_tick] == final_hash


def test_a_tampered_order_fails_at_the_first_hash_after_it(tmp_path: Path, short_match: Path
                                                          ) -> None:
    lines = records(short_match)
    # One order changed: a bot's construction becomes another building.
    index, order = next((i, r["orders"][0]) for i, r in enumerate(lines)
                        if "orders" in r and r["orders"][0]["kind"] == "build" and r["t"] > 0)
    tampered_tick = lines[index]["t"]
    order["item"] = "power_plant" if order["item"] == "refinery" else "refinery"
    path = tmp_path / "tampered.jsonl"
    write_records(path, lines)
    status, result, message = verify_cli(path)
    expected = min(r["t"] for r in lines if "hash" in r and r["t"] > tampered_tick)
    assert status == 1 and not result["ok"]
    assert result["first_bad_tick"] == expected, (tampered_tick, result)
    assert result["last_good_tick"] < expected
    assert str(expected) in message
    # The untouched file passes the same command.
    status, result, _ = verify_cli(short_match)
    assert status == 0 and result["ok"] and result["hashes_checked"] > 50


def test_a_replay_from_another_version_is_refused(tmp_path: Path, short_match: Path) -> None:
    lines = records(short_match)
    lines[0]["game_version"] = "0.0.1-old"
    path = tmp_path / "old.jsonl"
    write_records(path, lines)
    with pytest.raises(ReplayError) as caught:
        replay.load(path)
    assert caught.value.key == "replay_other_version"
    status, result, message = verify_cli(path)
    assert status == 2 and result["refused"] == "replay_other_version"
    assert "0.0.1-old" in message and "Traceback" not in message


@pytest.mark.parametrize("damage", ["cut", "garbage", "bad_line", "bad_order", "empty",
                                    "binary", "huge_line"])
def test_damaged_files_give_a_clear_refusal(tmp_path: Path, short_match: Path, damage: str,
                                            capsys) -> None:
    text = short_match.read_text(encoding="utf-8")
    path = tmp_path / f"{damage}.jsonl"
    lines = text.splitlines(keepends=True)
    if damage == "cut":  # killed while writing: half a line at the end, no end record
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "garbage":
        path.write_text("this is not json\n" + text, encoding="utf-8")
    elif damage == "bad_line":
        lines[len(lines) // 2] = "{\"t\": 12, \"hash\": \n"
        path.write_text("".join(lines), encoding="utf-8")
    elif damage == "bad_order":
        lines[2] = json.dumps({"t": 0, "orders": [{"kind": "nuke", "player": 0}]}) + "\n"
        path.write_text("".join(lines), encoding="utf-8")
    elif damage == "empty":
        path.write_text("", encoding="utf-8")
    elif damage == "binary":
        path.write_bytes(bytes(range(256)) * 10)
    else:
        lines[3] = json.dumps({"t": 1, "hash": "x" * (replay.MAX_LINE_CHARS + 10)}) + "\n"
        path.write_text("".join(lines), encoding="utf-8")
    status = replay.verify_command(str(path))
    out = capsys.readouterr()
    assert status == 2
    result = json.loads(out.out)
    assert result["refused"].startswith("replay_") and result["message"]
    assert "Traceback" not in out.err and str(path) in out.err


def test_a_cut_replay_can_still_be_read_up_to_where_it_stops(short_match: Path,
                                                              tmp_path: Path) -> None:
    text = short_match.read_text(encoding="utf-8")
    path = tmp_path / "cut.jsonl"
    path.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    loaded = replay.load(path)
    assert not loaded.complete and loaded.length > 0
    assert replay.verify(loaded).ok  # what is there still matches


def test_orders_round_trip_through_json() -> None:
    from game.orders import Order

    for order in (Order("move", 0, (1, 2, 3), cell=(4, 5)), Order("train", 1, item="tank",
                  count=4, target=9), Order("build", 0, item="turret", auto_place=True,
                                            cell=(1, 1))):
        assert replay.order_from_json(json.loads(json.dumps(replay.order_to_json(order)))) \
            == order
    for bad in ({"kind": "move", "player": True}, {"kind": "move", "player": 0, "cell": [1]},
                {"kind": "move", "player": 0, "units": "1,2"}, {"kind": "move", "player": 0,
                                                                "eval": "x"}):
        with pytest.raises(ValueError):
            replay.order_from_json(bad)


# -- through the real game loop --------------------------------------------------------
def play_a_match_with_typed_orders(app) -> Path:
    """A match on the real loop: the player types orders (rules tier: no model), an
    enemy bot plays; about a minute and a half of game time."""
    game = start_game(app)
    assert app.recorder is not None
    path = app.recorder.path
    layer = game.language
    assert layer is not None
    layer.submit("build a power plant")
    game.ticks_per_frame = 10
    frames(app, 20)
    layer.submit("build a barracks then train 3 soldiers")
    layer.submit("blorp the frobnicator")  # not understood: in the replay's log too
    frames(app, 20)
    game.input.selection = [u.id for u in game.world.units_of(0) if u.type.name == "tank"]
    layer.submit("move north")
    frames(app, 150)
    assert game.world.tick >= 1800
    app.show_title()  # leaving the match writes its end record
    return path


def test_a_match_with_typed_orders_records_and_verifies(app) -> None:
    path = play_a_match_with_typed_orders(app)
    loaded = replay.load(path)
    assert loaded.complete
    texts = {entry["text"] for _, entry in loaded.typed}
    assert {"build a power plant", "build a barracks then train 3 soldiers",
            "blorp the frobnicator", "move north"} <= texts
    statuses = {entry["text"]: entry["status"] for _, entry in loaded.typed}
    assert statuses["blorp the frobnicator"] == "not_understood"
    # What "build a barracks then train 3 soldiers" became changed while it waited:
    # the replay holds more than one state of it, the last one not "waiting" any more.
    barracks = [e for _, e in loaded.typed if e["text"].startswith("build a barracks")]
    assert len(barracks) >= 2 and any(s == "waiting" for s, _ in barracks[0]["lines"])
    players = {o.player for orders in loaded.orders.values() for o in orders}
    assert players == {0, 1}  # the player's typed orders and the bot's
    assert replay.verify(loaded).ok
    assert replay.verify_command(str(path)) == 0


def test_the_viewer_plays_pauses_and_seeks(app) -> None:
    from game.ui.replay_view import ReplayList, ReplayScreen

    path = play_a_match_with_typed_orders(app)
    frames(app)
    title = app.screen
    replays_button = next(b for b in title.buttons if b.label() == "Replays")
    click(replays_button.rect.center)
    frames(app)
    assert isinstance(app.screen, ReplayList)
    listing = app.screen
    row = next(r for i, r in enumerate(listing.rows) if listing.info(i).path == path)
    assert "00:" in row.label() or "01:" in row.label()
    click(row.rect.center)
    frames(app)
    viewer = app.screen
    assert isinstance(viewer, ReplayScreen)
    loaded = viewer.replay

    # Plays at 1x (one tick per 0.05 s frame), then faster.
    start = viewer.world.tick
    frames(app, 10)
    assert viewer.world.tick - start == 10
    for _ in range(3):
        key(pygame.K_PLUS)
    frames(app)
    assert viewer.speed == 8
    start = viewer.world.tick
    frames(app, 5)
    assert viewer.world.tick - start == 40
    # Typed orders show in the log once their tick has passed.
    first_typed = loaded.typed[0]
    assert viewer.world.tick >= first_typed[0]
    assert any(e.ticket.text == first_typed[1]["text"] for e in viewer.desk.entries)

    # Pause: nothing moves.
    key(pygame.K_SPACE)
    frames(app)
    paused_at = viewer.world.tick
    frames(app, 10)
    assert viewer.world.tick == paused_at

    # Seek forward to minute 1, then back to the start of the match, each to the tick,
    # with the state the match had there (its recorded hash).
    def seek_to(seek_key: int, expected_tick: int) -> None:
        key(seek_key)
        for _ in range(400):
            frames(app)
            if viewer.seek_target is None:
                break
        assert viewer.world.tick == expected_tick
        assert viewer.world.state_hash() == loaded.hashes[expected_tick]

    seek_to(pygame.K_RIGHTBRACKET, 1200)
    assert viewer.keyframes.before(1199) == 0  # passed on the way
    seek_to(pygame.K_HOME, 0)
    assert not viewer.desk.entries  # the log is back to what it was at the start
    seek_to(pygame.K_RIGHTBRACKET, 1200)
    # Play on a little, then back to the start of minute 1: from its keyframe this time,
    # with the log as it was then.
    key(pygame.K_SPACE)
    frames(app, 5)
    key(pygame.K_SPACE)
    assert viewer.keyframes.before(viewer.world.tick) == 1200
    log_at_1200 = [e.ticket.text for e in viewer.desk.entries]
    seek_to(pygame.K_LEFTBRACKET, 1200)
    assert [e.ticket.text for e in viewer.desk.entries] == log_at_1200
    # To the end (a minute past it is the end): the keyframe's world went on identically.
    seek_to(pygame.K_RIGHTBRACKET, loaded.length)
    # A click on the timeline goes to that minute.
    line = viewer.timeline
    click((line.x + 1, line.centery))
    for _ in range(400):
        frames(app)
        if viewer.seek_target is None:
            break
    assert viewer.world.tick == 0
    # Nothing the viewer does gives an order: a right click on the map is ignored.
    before = len(viewer.world.pending_orders)
    click(viewer.layout.map_view.center, button=3)
    frames(app)
    assert len(viewer.world.pending_orders) == before
    key(pygame.K_ESCAPE)
    frames(app)
    assert isinstance(app.screen, ReplayList)


def test_a_match_continued_from_a_save_replays_from_that_state(tmp_path: Path) -> None:
    """A loaded game (game.save) is recorded from its saved state, not from the seed."""
    from game.save import read_world, world_state

    world = sim.new_game(9)
    bots = (Bot(0, "normal"), Bot(1, "normal"))
    for _ in range(900):
        for bot in bots:
            bot.think(world)
        sim.step(world)
    loaded = read_world(world_state(world))
    path = tmp_path / "continued.jsonl"
    writer = ReplayWriter(path, Header(9, start=replay.start_state(loaded)), loaded)
    for _ in range(600):
        for bot in bots:
            bot.think(loaded)
        sim.step(loaded)
    writer.close()
    played = replay.load(path)
    assert played.header.start is not None and min(played.hashes) == 900
    assert replay.verify(played).ok
    # A start state that the save module refuses is a refused replay, not a crash.
    lines = records(path)
    lines[0]["start"]["units"] = "lots"
    write_records(path, lines)
    assert replay.verify_command(str(path)) == 2


def test_a_loaded_match_is_recorded_from_its_saved_state(app, tmp_path: Path) -> None:
    from game import save

    game = start_game(app)
    game.ticks_per_frame = 10
    frames(app, 30)
    first = app.recorder.path
    path = tmp_path / "slot.json"
    save.save_game(path, game.world, game.bots, game.difficulty)
    resumed = app.resume(save.load_game(path))
    assert replay.load(first).complete  # leaving the first match ended its replay
    assert app.recorder is not None and app.recorder.path != first
    resumed.ticks_per_frame = 10
    frames(app, 30)
    second = app.recorder.path
    app.show_title()
    loaded = replay.load(second)
    assert loaded.header.start is not None and min(loaded.hashes) > 0
    assert replay.verify(loaded).ok


def test_the_list_keeps_the_newest_scrolls_and_explains_refusals(app, short_match: Path
                                                                 ) -> None:
    import os

    from game import paths
    from game.ui.replay_record import KEEP_REPLAYS
    from game.ui.replay_view import LIST_ROWS, ReplayList
    from tests.uidriver import post

    folder = paths.replays_dir()
    for old in folder.glob("*.jsonl"):
        old.unlink()
    for i in range(KEEP_REPLAYS + 5):
        old = folder / f"old-{i:02d}.jsonl"
        old.write_text(short_match.read_text(encoding="utf-8"), encoding="utf-8")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    start_game(app)  # a new match is recorded: the oldest files go
    app.show_title()
    assert len(list(folder.glob("*.jsonl"))) == KEEP_REPLAYS
    assert not (folder / "old-05.jsonl").exists() and (folder / "old-06.jsonl").exists()
    foreign = folder / "foreign.jsonl"
    lines = records(short_match)
    lines[0]["game_version"] = "0.0.1-old"
    write_records(foreign, lines)
    app.show_replays()
    frames(app)
    listing = app.screen
    assert isinstance(listing, ReplayList) and len(listing.rows) == LIST_ROWS
    assert listing.info(0).path == foreign and "0.0.1-old" in listing.rows[0].label()
    click(listing.rows[0].rect.center)
    frames(app)
    assert app.screen is listing and "0.0.1-old" in listing.error  # refused, said why
    post(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False)
    frames(app)
    assert listing.first == 1 and listing.info(0).path != foreign


def test_a_replay_that_starts_elsewhere_is_refused_by_the_viewer(app, tmp_path: Path,
                                                                short_match: Path,
                                                                capsys) -> None:
    """Another build under the same version number (other rules or map generator) is
    seen at the first hash, the starting state: stood in for here by another seed."""
    from game.ui.replay_view import ReplayList

    lines = records(short_match)
    lines[0]["seed"] = 6
    path = tmp_path / "elsewhere.jsonl"
    write_records(path, lines)
    assert replay.verify_command(str(path)) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["first_bad_tick"] == 0
    frames(app)
    app.show_replays()
    listing = app.screen
    assert isinstance(listing, ReplayList)
    listing.open(path)
    assert app.screen is listing and listing.error
    assert listing.error == ReplayError("replay_other_build").text("en")


def test_bench_records_a_replay_that_verifies(tmp_path: Path) -> None:
    """`bench --record FILE` on a fast AI-vs-AI match; the scenarios that put units on
    the map outside the orders are refused with a clear message."""
    import os

    path = tmp_path / "bench.jsonl"
    env = dict(os.environ, RTS_COMMANDER_HOME=str(tmp_path / "home"))
    base = [sys.executable, "main.py", "bench", "--no-model", "--seed", "4"]
    out = subprocess.run([*base, "--ai-vs-ai", "--fast", "--seconds", "60", "--record",
                          str(path)], cwd=ROOT_DIR, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout)["replay"] == str(path)
    assert not list((tmp_path / "home" / "replays").glob("*.jsonl"))  # only where asked
    status, result, _ = verify_cli(path)
    assert status == 0 and result["ok"] and result["ticks"] >= 1200
    refused = subprocess.run([*base, "--stress", "--record", str(tmp_path / "no.jsonl")],
                             cwd=ROOT_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "--record" in refused.stderr
    assert not (tmp_path / "no.jsonl").exists()


def test_watching_a_refused_file_exits_cleanly(tmp_path: Path, capsys) -> None:
    from game.ui.replay_view import run_watch

    bad = tmp_path / "bad.jsonl"
    bad.write_text("{\"format\": \"something else\"}\n", encoding="utf-8")
    assert run_watch(str(bad)) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_failing_disk_ends_the_recording_not_the_match(tmp_path: Path) -> None:
    class FullDisk:
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

        def flush(self) -> None:
            raise OSError(28, "No space left on device")

        def close(self) -> None:
            pass

    world = sim.new_game(2)
    reference = sim.new_game(2)
    writer = ReplayWriter(tmp_path / "full.jsonl", Header(2), world)
    writer._file = FullDisk()  # type: ignore[assignment]
    bots = (Bot(0), Bot(1))
    reference_bots = (Bot(0), Bot(1))
    for _ in range(100):
        for bot, twin in zip(bots, reference_bots):
            bot.think(world)
            twin.think(reference)
        sim.step(world)
        sim.step(reference)
    writer.close()
    assert writer.closed and not world.order_observers
    assert world.state_hash() == reference.state_hash()  # the match went on unchanged
