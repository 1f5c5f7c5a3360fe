"""A full disk while writing settings and saves, simulated: the write fails at the
fsync with ENOSPC (tests run as root here, so a read-only folder cannot be made;
an OSError of any kind takes the same path). The previous file must stay whole."""

from __future__ import annotations

import errno
import os
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
