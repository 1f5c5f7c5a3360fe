"""A full disk or a read-only user folder while writing settings, saves and the log.

Real ones where a tmpfs can be mounted (root ignores chmod, so a read-only folder is
a read-only mount); simulated ones everywhere: the write fails at the fsync with
ENOSPC, or at the temp file's creation with EROFS. The previous file must stay whole,
no temp file is left, and the player is told which it was."""

from __future__ import annotations

import contextlib
import errno
import os
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from game import settings as settings_store
from tests.simworld import flat_world


def _disk_full(*_args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_settings_on_a_full_disk_fail_cleanly_and_keep_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    settings_store.save(settings_store.Settings(language="fr"), path)
    before = path.read_bytes()
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(OSError):
        settings_store.save(settings_store.Settings(language="en", volume=0.1), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]  # no temp left
    assert settings_store.load(path).language == "fr"


def test_a_save_on_a_full_disk_is_refused_with_a_message_and_keeps_the_old_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save = pytest.importorskip("game.save")
    path = tmp_path / "match.json"
    world = flat_world(24)
    save.save_game(path, world, [], "normal")
    before = path.read_bytes()
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(save.SaveError) as refused:
        save.save_game(path, world, [], "normal")
    assert refused.value.key == "save_write_failed"
    assert path.read_bytes() == before
    monkeypatch.undo()
    assert save.load_game(path).world.state_hash() == world.state_hash()


# --- a real read-only user folder and a real full disk ------------------------------------
# We run as root, so chmod does not stop a write: the folder is a tmpfs mounted for the
# test, remounted read-only, or filled until the kernel answers ENOSPC. Without the right
# to mount, these are skipped and the simulated tests (above and below) still run.


class Disk:
    """A small tmpfs at `path`: `read_only()` remounts it so, `fill()` leaves no room."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)
        with pytest.raises(OSError) as refused:
            (self.path / ".probe").write_bytes(b"x")
        assert refused.value.errno == errno.EROFS

    def fill(self) -> None:
        with pytest.raises(OSError) as full, (self.path / "filler").open("wb") as filler:
            while True:
                filler.write(bytes(1 << 16))
                filler.flush()
        assert full.value.errno == errno.ENOSPC

    def files(self, folder: str = "") -> list[str]:
        return sorted(p.name for p in (self.path / folder).iterdir() if p.name != "filler")


@pytest.fixture
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    mount_point = tmp_path / "user"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs",
                              str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}): simulated only")
    monkeypatch.setenv("RTS_COMMANDER_HOME", str(mount_point))
    try:
        yield Disk(mount_point)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _title_message(app) -> str:
    return str(app.screen.message)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_settings_in_a_read_only_folder_are_kept_for_the_session_and_the_player_told(
        app, disk: Disk, lang: str) -> None:
    from game import paths
    from game.i18n import tr

    settings_store.save(settings_store.Settings(language=lang, volume=0.9))
    before = paths.settings_path().read_bytes()
    disk.read_only()
    app.settings.language, app.settings.volume = lang, 0.2
    app.save_settings()  # what every settings button does
    assert _title_message(app) == tr("settings_read_only", lang)
    assert app.settings.volume == 0.2  # kept for this session
    assert paths.settings_path().read_bytes() == before
    assert disk.files() == ["settings.json"]  # no temp file (none could be made)


def test_settings_on_a_really_full_disk_keep_the_old_file_and_the_player_told(
        app, disk: Disk) -> None:
    from game import paths
    from game.i18n import tr

    settings_store.save(settings_store.Settings(language="en", volume=0.9))
    before = paths.settings_path().read_bytes()
    disk.fill()
    app.settings.volume = 0.2
    # A few hundred bytes may still fit in a block the filler left: grow the file until not.
    app.settings.model_file = "x" * 4096
    app.save_settings()
    assert _title_message(app) == tr("settings_not_saved", "en")
    assert paths.settings_path().read_bytes() == before
    assert disk.files() == ["settings.json"]  # the half-written temp file was removed


def _saved_match(app, disk: Disk):
    from game import save

    app.record_replays = False  # an open replay file would keep the mount from going read-only
    game = app.start_game(seed=3)
    for _ in range(3):
        app.step_frame()
    app.quick_save()
    assert [e for _, e in app.saves.wait()] == [None]
    path = save.slot_path(save.QUICK_SLOT)
    return game, path, path.read_bytes()


def test_a_save_into_a_read_only_folder_is_refused_with_a_message_and_keeps_the_old_one(
        app, disk: Disk) -> None:
    from game import save
    from game.i18n import tr

    game, path, before = _saved_match(app, disk)
    disk.read_only()
    for _ in range(10):
        app.step_frame()
    app.quick_save()
    app.finish_saves()
    assert [t.text for t in game.toasts.items][-1] == tr("save_read_only", "en")
    assert path.read_bytes() == before
    assert disk.files("saves") == [path.name]
    assert save.load_game(path).world.tick <= game.world.tick
    assert sum(e.count for e in app.guard.errors.values()) == 0


def test_a_save_into_a_read_only_folder_without_its_saves_folder_is_explained(
        app, disk: Disk) -> None:
    """saves/ cannot be created: the frame must not fail on it (it raised from slot_path)."""
    from game.i18n import tr

    disk.read_only()
    game = app.start_game(seed=3)  # the replay cannot be recorded either: the match goes on
    app.quick_save()
    app.finish_saves()
    assert [t.text for t in game.toasts.items][-1] == tr("save_read_only", "en")
    assert sum(e.count for e in app.guard.errors.values()) == 0
    assert disk.files() == []


def test_a_save_on_a_really_full_disk_keeps_the_old_one_and_leaves_no_temp_file(
        app, disk: Disk) -> None:
    from game import save
    from game.i18n import tr

    game, path, before = _saved_match(app, disk)
    disk.fill()
    app.quick_save()
    app.finish_saves()
    assert [t.text for t in game.toasts.items][-1] == tr("save_write_failed", "en")
    assert path.read_bytes() == before
    assert disk.files("saves") == [path.name]  # no .quicksave.json.PID.tmp
    save.load_game(path)


def test_a_user_folder_that_cannot_be_created_still_lets_the_game_run(
        disk: Disk, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only home where the game's folder does not exist yet: the game starts and
    plays, and each write (settings, a save, the replay) fails with its own message."""
    import pygame

    from game import paths, save
    from game.i18n import tr
    from game.ui.app import App
    from tests.uidriver import frames

    home = disk.path / "never-created"
    monkeypatch.setenv("RTS_COMMANDER_HOME", str(home))
    disk.read_only()
    assert paths.user_data_dir() == home and not home.exists()
    assert save.list_slots() == []
    app = App(settings_store.Settings(), fps=None, start_model=False)
    try:
        app.save_settings()
        assert _title_message(app) == tr("settings_read_only", "en")
        game = app.start_game(seed=3)
        frames(app, 20)
        app.quick_save()
        app.finish_saves()
        assert [t.text for t in game.toasts.items][-1] == tr("save_read_only", "en")
        assert sum(e.count for e in app.guard.errors.values()) == 0
        assert game.world.tick > 0  # the match runs
    finally:
        app.model.shutdown()
        pygame.quit()
    assert disk.files() == []


def test_the_model_process_runs_without_its_log_in_a_read_only_folder(disk: Disk) -> None:
    """It opened its log before anything else and died at start, then was restarted in
    a loop: now it runs without a log."""
    from llm.client import LLMClient
    from llm.profiles import Profile

    model = Path(str(disk.path) + "-model.gguf")
    model.write_bytes(b"GGUF" + struct.pack("<I", 3) + bytes(2 << 20))
    disk.read_only()
    client = LLMClient(log_path=str(disk.path / "rts-commander.log"),
                       engine_factory="test_llm_protocol:FakeEngine")
    try:
        client.start(model, Profile("fake", "*.gguf", "base"))
        deadline = time.monotonic() + 30.0
        done = []
        request = None
        while not done:
            assert time.monotonic() < deadline, client.reason
            if request is None and client.state == "ready":
                request = client.submit("translate", {"text": "north"})
            done = [r for r in client.poll() if r.id == request]
            time.sleep(0.01)
        assert done[0].ok and client.restart_count == 0
    finally:
        client.shutdown()
        model.unlink()


@pytest.fixture
def game_log():
    """main.start_log, and the root logger as it was afterwards."""
    import logging

    import main

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    main._log_rotated = False
    yield main.start_log
    if main._log_handler is not None:
        root.removeHandler(main._log_handler)
        with contextlib.suppress(OSError):  # closing flushes: a full disk raises there
            main._log_handler.close()
        main._log_handler = None
    root.handlers[:], root.level = handlers, level


def test_the_game_log_in_a_read_only_folder_is_skipped_and_the_game_goes_on(
        disk: Disk, game_log) -> None:
    import logging

    disk.read_only()
    game_log("test")  # no log file can be opened: the game runs without one
    logging.getLogger("test").error("nowhere to go")
    assert disk.files() == []


def test_the_game_log_on_a_full_disk_never_stops_the_game(
        disk: Disk, game_log, capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    game_log("test")
    log = disk.path / "rts-commander.log"
    before = log.stat().st_size
    disk.fill()
    for _ in range(50):  # more than the room left: the writes fail, nothing raises
        logging.getLogger("test").error("x" * 2000)
    assert before <= log.stat().st_size < 50 * 2000  # what fitted, and no more
    assert "No space left on device" in capsys.readouterr().err  # logging's own report
    import weakref

    import main

    assert main._log_handler is not None
    logging.shutdown([weakref.ref(main._log_handler)])  # at exit: flush and close, no raise


# --- simulated: a read-only folder where mounting is not allowed -------------------------


def _read_only(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.EROFS, os.strerror(errno.EROFS))


def test_settings_in_a_read_only_folder_simulated(app, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """EROFS at the lowest write call the settings make (creating the temp file)."""
    from game.i18n import tr

    monkeypatch.setenv("RTS_COMMANDER_HOME", str(tmp_path))
    settings_store.save(settings_store.Settings(language="fr"))
    before = (tmp_path / "settings.json").read_bytes()
    monkeypatch.setattr(tempfile, "mkstemp", _read_only)
    app.settings.volume = 0.3
    app.save_settings()
    assert _title_message(app) == tr("settings_read_only", "en")
    assert (tmp_path / "settings.json").read_bytes() == before


def test_write_atomic_leaves_no_temp_file_when_the_write_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from game import save

    path = tmp_path / "match.json"
    save.write_atomic(path, b"old")
    monkeypatch.setattr(os, "fsync", _disk_full)
    with pytest.raises(OSError):
        save.write_atomic(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["match.json"]
