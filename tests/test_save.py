"""Saved games: the full state comes back (same hash, same future), bad files are refused
cleanly, writes are atomic, and F5 / F9 / Continue work through the real game loop."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from game import fog, save, sim
from game.activities import Attack, Harvest, Move
from game.ai import Bot
from game.ui.bench import Fight
from game.world import Player, Projectile, Unit, World
from tests.simworld import run

ROOT = Path(__file__).resolve().parent.parent


def _round_trip(world: World, bots: list) -> tuple[World, list]:
    data, hashed = save.encode_game(world, bots, "normal")
    assert hashed == world.state_hash()
    loaded = save.decode(data)
    assert loaded.world.state_hash() == hashed
    assert [save.bot_state(b) for b in loaded.bots] == [save.bot_state(b) for b in bots]
    return loaded.world, loaded.bots


def _same_future(a: World, a_bots: list, b: World, b_bots: list, ticks: int) -> None:
    for _ in range(ticks):
        for bot in a_bots:
            bot.think(a)
        sim.step(a)
        for bot in b_bots:
            bot.think(b)
        sim.step(b)
    assert a.state_hash() == b.state_hash()
    assert [save.bot_state(x) for x in a_bots] == [save.bot_state(x) for x in b_bots]


def _situations(world: World, bots: list) -> set[str]:
    """What is under way right now, of what a save must carry across."""
    seen = set()
    if any(b.queue and b.progress > 0 for b in world.buildings.values()):
        seen.add("mid-production")
    if any(p.construction and 0 < p.construction.progress for p in world.players):
        seen.add("mid-construction")
    if any(isinstance(u.activity, Harvest) and u.cargo > 0 for u in world.units.values()):
        seen.add("mid-harvest")
    if world.projectiles:
        seen.add("projectiles")
    if any(getattr(b, "attackers", None) for b in bots):
        seen.add("mid-wave")
    return seen


@pytest.mark.parametrize("seed", [3, 8])
def test_ai_matches_round_trip_at_several_points(seed: int) -> None:
    """At several points of an AI-vs-AI match the loaded game has the saved hash, and both
    copies stay identical for the next ticks (bots included)."""
    world = sim.new_game(seed)
    bots = [Bot(0, "hard"), Bot(1, "hard")]
    seen: set[str] = set()
    for checkpoint in (300, 1500, 3000, 5200):
        run(world, checkpoint - world.tick, bots=bots)
        seen |= _situations(world, bots)
        copy, copy_bots = _round_trip(world, bots)
        _same_future(world, bots, copy, copy_bots, 150)
    assert {"mid-production", "mid-construction", "mid-harvest"} <= seen, seen


def test_round_trip_mid_fight_and_mid_wave() -> None:
    """Projectiles in flight, attacks and chases, the bot's wave out: all carried across."""
    world = sim.new_game(5)
    bots = [Bot(0, "easy"), Bot(1, "hard")]
    Fight(world, 24)  # two armies attack-moving through each other in the middle
    bots[1].attackers.update(u.id for u in world.units_of(1) if u.type.combat)
    for p in world.players:
        fog.update_visibility(world, p.id)
    for _ in range(600):
        run(world, 1, bots=bots)
        if len(world.projectiles) >= 2 and any(u.target_id for u in world.units.values()):
            break
    assert world.projectiles and "mid-wave" in _situations(world, bots)
    copy, copy_bots = _round_trip(world, bots)
    _same_future(world, bots, copy, copy_bots, 200)


def test_every_kind_of_bot_round_trips() -> None:
    for name in save._bot_names():
        world = sim.new_game(6)
        bots = [save._new_bot(0, name), Bot(1, "normal")]
        run(world, 700, bots=bots)
        copy, copy_bots = _round_trip(world, bots)
        _same_future(world, bots, copy, copy_bots, 100)


def test_the_hash_covers_what_the_old_one_skipped() -> None:
    world = sim.new_game(2)
    run(world, 40)
    before = world.state_hash()
    hq = next(world.buildings_of(0, "hq"))
    unit = next(world.units_of(0))
    changes = [
        lambda: setattr(hq, "cooldown", hq.cooldown + 1),
        lambda: setattr(hq, "target_id", unit.id),
        lambda: world.reserved.__setitem__((1, 1), unit.id),
        lambda: world.claims.__setitem__((2, 2), unit.id),
        lambda: setattr(unit, "x", unit.x + 1e-9),  # exact floats, not rounded ones
        lambda: setattr(unit, "activity", Move((3, 3))),
        lambda: world.projectiles.append(Projectile(1.0, 1.0, 2.0, 2.0, 0.5, 5, 0, unit.id,
                                                    hq.id, "cannon", 0.0)),
        lambda: setattr(world.players[1], "funds_alert_tick", 7),
    ]
    for change in changes:
        change()
        after = world.state_hash()
        assert after != before
        before = after


def test_every_field_of_the_state_is_saved() -> None:
    """A field added to an entity, an activity or a player without a place in the save
    would be silently lost by a save and load: it must fail here instead."""
    world = sim.new_game(2)
    unit = next(world.units_of(0))
    assert set(save.UNIT_FIELDS) == set(Unit.__slots__)
    building_state = save._building_state(next(world.buildings_of(0)))
    from game.world import Building
    assert set(building_state) == set(Building.__slots__)
    assert set(save._player_state(world.players[0])) == {f.name for f in fields(Player)}
    assert set(save._projectile_state(Projectile(0, 0, 0, 0, 1, 1, 0, 1, None, "cannon", 0))) \
        == {f.name for f in fields(Projectile)}
    move = Move((1, 1))
    attack = Attack(unit.id)
    harvest = Harvest()
    renamed = {"refinery_id": "refinery_id", "target_id": "target_id"}
    for act in (move, attack, harvest):
        state = save.activity_state(act)
        assert set(state) - {"kind"} == {renamed.get(k, k) for k in vars(act)}


# -- refusing bad files -----------------------------------------------------------------
@pytest.fixture(scope="module")
def good_save() -> bytes:
    world = sim.new_game(4)
    bots = [Bot(0, "normal"), Bot(1, "normal")]
    run(world, 1200, bots=bots)
    return save.encode_game(world, bots, "normal")[0]


def _hostile(doc: dict) -> bytes:
    """A file edited by someone who also fixed up the hash: only the checks stand."""
    doc["state_hash"] = save.digest(doc["world"])
    return json.dumps(doc).encode()


def _refused(data: bytes, key: str | None = None) -> save.SaveError:
    with pytest.raises(save.SaveError) as caught:
        save.decode(data)
    if key is not None:
        assert caught.value.key == key, caught.value
    return caught.value


def test_truncated_files_are_refused(good_save: bytes) -> None:
    for cut in (0, 1, 100, len(good_save) // 2, len(good_save) - 1):
        _refused(good_save[:cut])


def test_an_edited_file_is_refused_by_its_hash(good_save: bytes) -> None:
    doc = json.loads(good_save)
    doc["world"]["players"][0]["credits"] += 100000
    _refused(json.dumps(doc).encode(), "save_damaged")


def test_wrong_types_and_values_are_refused(good_save: bytes) -> None:
    edits = [
        lambda w: w["units"][0].__setitem__(7, "lots"),  # hp as text
        lambda w: w["units"][0].__setitem__(7, 10**6),  # hp above the type's
        lambda w: w["units"][0].__setitem__(3, 1e300),  # far off the map
        lambda w: w["units"][0].__setitem__(2, "mammoth_tank"),
        lambda w: w["buildings"][0].__setitem__("x", -3),
        lambda w: w["players"][0].__setitem__("explored", "!!"),
        lambda w: w["map"].__setitem__("width", 10**6),
        lambda w: w.__setitem__("units", {"not": "a list"}),
        lambda w: w["buildings"][0].__setitem__("queue", ["tank"] * 3),  # not made by an HQ
        lambda w: w["order_log"].append([0, "teleport", 0, [], None, None, None, 1, False]),
    ]
    for edit in edits:
        doc = json.loads(good_save)
        edit(doc["world"])
        _refused(_hostile(doc), "save_damaged")
    doc = json.loads(good_save)
    doc["world"]["units"][0][3] = 12345.5
    _refused(_hostile(doc).replace(b"12345.5", b"NaN"), "save_unreadable")  # not a number


def test_unknown_references_are_refused(good_save: bytes) -> None:
    doc = json.loads(good_save)
    unknown = doc["world"]["next_id"] + 5
    for edit in (
        lambda w: w["units"][0].__setitem__(11, unknown),  # target_id
        lambda w: w["buildings"][0].__setitem__("target_id", unknown),
        lambda w: w["reserved"].append([1, 1, unknown]),
        lambda w: w["units"].append(list(w["units"][0])),  # an id used twice
    ):
        doc = json.loads(good_save)
        edit(doc["world"])
        _refused(_hostile(doc), "save_damaged")


def test_huge_saves_are_refused_before_they_are_read(good_save: bytes, tmp_path: Path) -> None:
    doc = json.loads(good_save)
    row = json.dumps(doc["world"]["units"][0]).encode()
    head, tail = good_save.split(b'"units":[', 1)
    data = head + b'"units":[' + b",".join([row] * 10**6) + b"]," + tail.split(b"],", 1)[1]
    assert len(data) > save.MAX_FILE_BYTES  # a million entities: far beyond the size limit
    _refused(data, "save_too_big")
    (tmp_path / "huge.json").write_bytes(data)
    with pytest.raises(save.SaveError) as caught:  # by its size on disk: never read at all
        save.load_game(tmp_path / "huge.json")
    assert caught.value.key == "save_too_big"
    doc["world"]["units"] = [0] * 10**6  # small enough on disk: the count limit catches it
    _refused(_hostile(doc), "save_too_big")
    _refused(b"[" * 10**6 + b"]" * 10**6, "save_unreadable")  # nesting bomb


def test_other_versions(good_save: bytes) -> None:
    doc = json.loads(good_save)
    doc["version"] = save.VERSION + 1
    _refused(json.dumps(doc).encode(), "save_newer")
    doc["version"] = 0
    _refused(json.dumps(doc).encode(), "save_too_old")
    migrated = dict(save.MIGRATIONS)
    try:  # an older version with a migration is brought up to date and loads
        save.MIGRATIONS[0] = lambda d: d
        assert save.decode(json.dumps(doc).encode()).world.tick == 1200
    finally:
        save.MIGRATIONS.clear()
        save.MIGRATIONS.update(migrated)
    _refused(b'{"format": "something else"}', "save_not_a_save")
    _refused(b"\xff\xfe garbage", "save_unreadable")


def test_random_mutations_are_refused_or_play_on(good_save: bytes) -> None:
    """Hostile edits (hash fixed up): each is refused with a SaveError, or gives a game
    that plays on without an exception. Never anything else."""
    rng = random.Random(12)
    base = json.loads(good_save)
    leaves = list(_leaves(base["world"]))
    replacements = [None, -1, 0, 1, 2**40, -(2**40), 0.5, "x", [], {}, True, [1, 2], 1e300]
    refused = accepted = 0
    for _ in range(150):
        doc = json.loads(good_save)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(leaves)
            _set(doc["world"], path, rng.choice(replacements))
        try:
            game = save.decode(_hostile(doc))
        except save.SaveError:
            refused += 1
            continue
        accepted += 1
        run(game.world, 10, bots=game.bots)
    assert refused and accepted  # the mutations test both sides


def test_random_bytes_flipped_are_refused(good_save: bytes) -> None:
    rng = random.Random(3)
    for _ in range(60):
        data = bytearray(good_save)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            game = save.decode(bytes(data))
        except save.SaveError:
            continue
        assert game.world.state_hash() == json.loads(data)["state_hash"]  # harmless flip


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list) and node:
        for i, v in enumerate(node[:6]):
            yield from _leaves(v, (*path, i))
    else:
        yield path


def _set(node, path, value) -> None:
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


# -- files: atomic writes, backups, other slots untouched -----------------------------
def test_a_save_keeps_the_previous_one_as_backup(tmp_path: Path) -> None:
    world = sim.new_game(1)
    path = tmp_path / "slot.json"
    first = save.save_game(path, world, [Bot(1)], "normal")
    run(world, 20)
    second = save.save_game(path, world, [Bot(1)], "normal")
    assert save.load_game(path).world.state_hash() == second.state_hash
    assert save.load_game(path.with_name("slot.json.bak")).world.state_hash() == \
        first.state_hash


def test_a_process_killed_before_the_rename_leaves_the_previous_save(tmp_path: Path) -> None:
    world = sim.new_game(1)
    path = tmp_path / "slot.json"
    before = save.save_game(path, world, [Bot(1)], "normal")
    script = (
        "import os, signal, sys; from pathlib import Path; from game import save, sim;"
        "from tests.simworld import run;"
        "w = sim.new_game(1); run(w, 30);"
        "data, _ = save.encode_game(w, [], 'normal');"
        "save.write_atomic(Path(sys.argv[1]), data,"
        " before_rename=lambda: os.kill(os.getpid(), signal.SIGKILL))"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True)
    assert done.returncode == -signal.SIGKILL
    assert list(tmp_path.glob(".slot.json.*.tmp"))  # the new file was written, not renamed
    assert save.load_game(path).world.state_hash() == before.state_hash
    save.save_game(path, world, [Bot(1)], "normal")  # the next save clears the leftover
    assert not list(tmp_path.glob(".slot.json.*.tmp"))


def test_the_background_writer_reports_each_save(tmp_path: Path) -> None:
    world = sim.new_game(1)
    writer = save.SaveWriter()
    good = writer.save(tmp_path / "a.json", world, [Bot(1)], "normal")
    (tmp_path / "file").write_text("not a folder")
    bad = writer.save(tmp_path / "file" / "b.json", world, [Bot(1)], "normal")
    results = dict((info.path.name, error) for info, error in writer.wait())
    assert results["a.json"] is None and results["b.json"].key == "save_write_failed"
    assert not writer.busy and bad.state_hash == good.state_hash == world.state_hash()
    assert save.load_game(tmp_path / "a.json").world.state_hash() == good.state_hash


def test_slot_names_cannot_leave_the_saves_folder() -> None:
    for bad in ("../settings", "a/b", "", "x" * 100, "con.json"):
        with pytest.raises(ValueError):
            save.slot_path(bad)


# -- through the real game loop ---------------------------------------------------------
def _slot_bytes() -> dict[str, bytes]:
    from game import paths

    files = [*paths.saves_dir().glob("*"), paths.settings_path()]
    return {p.name: p.read_bytes() for p in files if p.is_file()}


def test_quick_save_quick_load_and_continue(app) -> None:
    import pygame

    from game.ui.screens import TitleScreen
    from game.ui.session import GameScreen
    from tests.uidriver import frames, key, start_game

    game = start_game(app)
    game.language.orders.submit("build a power plant", game.world, ())
    frames(app, 30)
    key(pygame.K_F5)
    frames(app)
    app.finish_saves()  # written beside the game loop
    saved = save.load_game(save.slot_path(save.QUICK_SLOT))
    hashed = saved.world.state_hash()
    assert any("quicksave" in t.text for t in game.toasts.items)
    frames(app, 40)
    assert game.world.state_hash() != hashed
    key(pygame.K_F9)
    frames(app)
    loaded = app.screen
    assert isinstance(loaded, GameScreen) and loaded is not game
    assert loaded.world.tick == saved.world.tick + 1  # the frame after loading ran a tick
    texts = [e.ticket.text for e in loaded.language.orders.entries]
    assert "build a power plant" in texts
    assert all(not e.ticket.pending for e in loaded.language.orders.entries)
    # Quit to title autosaves; "Continue" then loads the newest save.
    app.leave_to_title()
    frames(app)
    title = app.screen
    assert isinstance(title, TitleScreen)
    assert save.newest_slot().name == save.AUTO_SLOT
    key(pygame.K_c)
    frames(app)
    assert isinstance(app.screen, GameScreen)


def test_a_bad_save_leaves_the_game_and_the_other_slots_untouched(app) -> None:
    import pygame

    from tests.uidriver import frames, key, start_game

    game = start_game(app)
    frames(app, 5)
    app.save_to("keep")
    app.finish_saves()
    save.slot_path(save.QUICK_SLOT).write_bytes(b'{"format": "rts-commander-save", "vers')
    before = _slot_bytes()
    world_hash = game.world.state_hash()
    key(pygame.K_F9)
    app.frame_dt = 0.0
    app.step_frame()  # a frame of no time: no tick may change the hash
    assert app.screen is game and game.world.state_hash() == world_hash
    assert _slot_bytes() == before
    assert not app.guard.errors


def test_autosave_after_three_minutes_of_play(app) -> None:
    from tests.uidriver import frames, start_game

    path = save.slot_path(save.AUTO_SLOT)
    path.unlink(missing_ok=True)
    game = start_game(app)
    game.autosave_in = 0.12
    frames(app, 1)
    app.finish_saves()
    assert not path.exists()
    game.paused = True
    frames(app, 5)  # paused: play time does not run
    app.finish_saves()
    assert not path.exists()
    paused_at = game.world.tick
    game.paused = False
    frames(app, 3)
    app.finish_saves()
    assert paused_at < save.load_game(path).world.tick <= game.world.tick


def test_the_slot_menu_saves_and_loads(app) -> None:
    from game.ui.screens import SlotMenu
    from tests.uidriver import click, frames, start_game

    game = start_game(app)
    frames(app, 3)
    game.open_menu()
    click(game.menu.buttons[8].rect.center)  # Save
    frames(app)
    assert isinstance(game.menu, SlotMenu)
    before = len(save.list_slots())
    click(game.menu.buttons[0].rect.center)  # New save
    frames(app)
    app.finish_saves()
    assert len(save.list_slots()) == before + 1 and game.menu is None
    newest = save.newest_slot()
    game.open_menu()
    click(game.menu.buttons[9].rect.center)  # Load
    frames(app)
    click(game.menu.buttons[0].rect.center)  # the newest save
    frames(app, 2)  # the click asks for it; the next frame loads it (App.soon)
    assert app.screen is not game
    assert app.screen.world.tick == save.load_game(newest.path).world.tick + 1


def test_an_error_in_a_frame_writes_an_emergency_save(app) -> None:
    from tests.uidriver import frames, start_game

    game = start_game(app)
    frames(app, 3)
    game.frame_hooks.append(lambda: 1 / 0)
    frames(app)
    assert app.guard.showing and app.guard.saved_slot == save.EMERGENCY_SLOT
    assert save.load_game(save.slot_path(save.EMERGENCY_SLOT)).world.tick == game.world.tick


def test_bench_save_and_load_hooks(tmp_path: Path) -> None:
    """`bench --save` prints the saved hash; `load FILE --bench` continues it."""
    out = tmp_path / "match.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    bench = subprocess.run(
        [sys.executable, "main.py", "bench", "--ai-vs-ai", "--fast", "--seconds", "30",
         "--no-model", "--save", str(out)], cwd=ROOT, env=env, capture_output=True,
        text=True, check=True)
    result = json.loads(bench.stdout.strip().splitlines()[-1])
    assert result["saved_state_hash"] == result["state_hash"]
    assert result["save_round_trip"] and result["save_bytes"] == out.stat().st_size
    loaded = subprocess.run(
        [sys.executable, "main.py", "load", str(out), "--bench", "--fast", "--seconds", "5",
         "--no-model"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    after = json.loads(loaded.stdout.strip().splitlines()[-1])
    assert 0 <= after["ticks"] - (result["ticks"] + 100) <= 10  # 10 ticks a fast frame
    assert after["load_ms"] > 0 and not after["frame_errors"]
    out.write_bytes(out.read_bytes()[:1000])
    refused = subprocess.run(
        [sys.executable, "main.py", "load", str(out), "--bench", "--no-model"], cwd=ROOT,
        env=env, capture_output=True, text=True)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr


def test_the_command_log_comes_back_finished() -> None:
    """After a load nothing is thinking and nothing claims to be followed; a malformed
    saved log loses its bad entries only."""
    from game.ui.orders_desk import OrderDesk
    from llm.translator import Translator

    desk = OrderDesk(Translator(None))
    desk.restore({"entries": [
        {"text": "send the tanks", "lang": "en", "status": "thinking", "lines": []},
        {"text": "build a barracks then train 3 soldiers", "lang": "en",
         "status": "understood", "tier": "rules",
         "lines": [["done", "build barracks"], ["waiting", "train 3 infantry"]]},
        {"text": 42, "status": "no such status"},
        "not an entry",
        {"text": "x" * 10_000, "lang": "fr", "status": "not_understood", "message": "?"},
    ], "history": ["send the tanks", 7]})
    statuses = [e.status for e in desk.entries]
    assert statuses == ["cancelled", "partial", "not_understood"]
    assert not desk.thinking
    lines = desk.entries[1].lines
    assert lines[0] == ("done", "build barracks")
    assert lines[1][0] == "cancelled" and lines[1][1].startswith("train 3 infantry")
    assert len(desk.entries[2].ticket.text) <= 400
    assert list(desk.history) == ["send the tanks"]
    again = OrderDesk(Translator(None))
    again.restore(desk.to_state())
    assert [(e.status, e.lines) for e in again.entries] == \
        [(e.status, e.lines) for e in desk.entries]
