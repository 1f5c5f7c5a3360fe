"""The desktop bundle (packaging/RTSCommander.spec) and what a double-clicked game needs.

The slow tests build dist/RTSCommander/ with scripts/build_bundle.py (reused when
its build-info.json matches the sources; a fresh clone builds, in well under a
minute here) and run the frozen executable headless the way a player's machine
would: from another folder, without the venv, PYTHONPATH or network, with the
user data folder in a temporary directory.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH_ARGS = ("bench", "--seconds", "10", "--orders")
RUN_TIMEOUT_S = 180


def _build_bundle_module():
    path = ROOT / "scripts" / "build_bundle.py"
    spec = importlib.util.spec_from_file_location("build_bundle", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_bundle = _build_bundle_module()


@pytest.fixture(scope="module")
def bundle() -> Path:
    return build_bundle.build(if_stale=True)


def _player_env(home: Path) -> dict[str, str]:
    """No venv, no PYTHONPATH/PYTHONHOME, a bare PATH, the user data folder in `home`."""
    dropped = ("VIRTUAL_ENV", "CONDA_PREFIX", "LD_LIBRARY_PATH", "LLAMA_CPP_LIB_PATH")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k not in dropped}
    env.update(PATH="/usr/bin:/bin", SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               RTS_COMMANDER_HOME=str(home))
    return env


def _offline_prefix() -> list[str]:
    """`unshare -n` (no network at all) where this machine allows it."""
    unshare = shutil.which("unshare", path="/usr/bin:/bin")
    if unshare is None:
        return []
    for flags in ("-n", "-rn"):
        probe = subprocess.run([unshare, flags, "true"], capture_output=True)
        if probe.returncode == 0:
            return [unshare, flags]
    return []


def _last_json(text: str) -> dict:
    lines = [line for line in text.splitlines() if line.startswith("{")]
    assert lines, f"no JSON line in:\n{text[-3000:]}"
    return json.loads(lines[-1])


def _assert_model_worked(result: dict) -> None:
    llm = result["llm"]
    assert llm["state"] in ("ready", "busy"), llm
    assert llm["model"] == "gemma-3-270m-q4_k_m.gguf"
    assert llm["profile"] == "gemma-3-270m (order adapter)", llm  # the adapter is shipped
    assert llm["ready_s"] is not None
    assert result["model_processes"] == 1, result
    assert result["first_frame_s"] > 0


@pytest.mark.slow
def test_bundle_layout(bundle: Path) -> None:
    exe = build_bundle.EXECUTABLE
    assert exe.is_file() and os.access(exe, os.X_OK)
    model = bundle / "models" / "gemma-3-270m-q4_k_m.gguf"
    assert model.is_file() and not model.is_symlink()
    assert model.stat().st_size == (ROOT / "models" / model.name).stat().st_size
    internal = bundle / "_internal"
    assert not list(internal.rglob("*.gguf")), "the model belongs beside the executable"
    libs = {p.name for p in (internal / "llama_cpp" / "lib").iterdir()}
    if sys.platform.startswith("linux"):
        assert {"libllama.so", "libggml.so", "libggml-base.so", "libggml-cpu.so"} <= libs
        assert {"libllama.so.0", "libggml.so.0", "libggml-base.so.0", "libggml-cpu.so.0"} <= libs
        assert (bundle / "rts-commander.desktop").is_file()
        assert os.access(bundle / "install-desktop-entry.sh", os.X_OK)
    for asset in ("fonts/DejaVuSans.ttf", "sounds/click.wav", "icon.png", "icon.ico"):
        assert (internal / "assets" / asset).is_file(), asset
    assert (bundle / "icon.png").is_file()
    assert build_bundle.is_up_to_date()


@pytest.mark.slow
def test_frozen_bench_from_another_folder(bundle: Path, tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run([*_offline_prefix(), str(build_bundle.EXECUTABLE), *BENCH_ARGS],
                         cwd=elsewhere, env=_player_env(home), capture_output=True, text=True,
                         timeout=RUN_TIMEOUT_S)
    assert run.returncode == 0, run.stderr[-3000:]
    result = _last_json(run.stdout)
    _assert_model_worked(result)
    examples = result["orders"]["examples"]
    assert any(e["tier"] == "llm" and e["commands"] for e in examples), result["orders"]
    assert list(elsewhere.iterdir()) == [], "nothing may be written to the working directory"
    log = (home / "rts-commander.log").read_text(encoding="utf-8")
    assert "RTS Commander" in log and ": bench" in log and "frozen" in log
    assert f"models {bundle.resolve() / 'models'}" in log
    assert "bench finished with status 0" in log


@pytest.mark.slow
def test_frozen_bench_without_stdout_and_stderr(bundle: Path, tmp_path: Path) -> None:
    """A windowed build starts with sys.stdout/sys.stderr None: both processes write to the log."""
    home = tmp_path / "home"
    run = subprocess.run(["/bin/sh", "-c", 'exec "$0" "$@" >&- 2>&-',
                          str(build_bundle.EXECUTABLE), *BENCH_ARGS],
                         cwd=tmp_path, env=_player_env(home), capture_output=True, text=True,
                         timeout=RUN_TIMEOUT_S)
    assert run.returncode == 0
    assert run.stdout == run.stderr == ""
    log = (home / "rts-commander.log").read_text(encoding="utf-8")
    _assert_model_worked(_last_json(log))  # print() went to the log


def test_source_run_without_streams_writes_to_the_log(tmp_path: Path) -> None:
    env = {**os.environ, "RTS_COMMANDER_HOME": str(tmp_path)}
    order = ("translate", "--tier", "rules", "send 2 tanks north")
    run = subprocess.run(["/bin/sh", "-c", 'exec "$0" "$@" >&- 2>&-', sys.executable,
                          str(ROOT / "main.py"), *order],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    log = (tmp_path / "rts-commander.log").read_text(encoding="utf-8")
    assert "RTS Commander" in log and "from source" in log
    assert _last_json(log)["tier"] == "rules"


@pytest.fixture
def main_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RTS_COMMANDER_HOME", str(tmp_path))
    import main

    yield main
    if main._log_handler is not None:
        logging.getLogger().removeHandler(main._log_handler)
        main._log_handler.close()
        main._log_handler = None


def test_uncaught_error_in_play_is_logged(main_module, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(args):
        raise RuntimeError("the sky fell")

    monkeypatch.setitem(main_module.COMMANDS, "play", crash)
    with pytest.raises(RuntimeError):
        main_module.main([])
    log = (tmp_path / "rts-commander.log").read_text(encoding="utf-8")
    assert ": play" in log and "pygame-ce" in log
    assert "Uncaught exception in play" in log and "RuntimeError: the sky fell" in log
