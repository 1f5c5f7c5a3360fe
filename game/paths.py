"""Where files live, the same way from source and from a PyInstaller bundle.

Never resolve anything against the current working directory: a double-click
from a file manager starts the game in an arbitrary folder.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

APP_NAME = "RTSCommander"
DEFAULT_MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def app_dir() -> Path:
    """The folder the player sees: the repository, or the bundle's folder."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def resource_dir() -> Path:
    """Read-only files shipped with the game (PyInstaller unpacks them to _MEIPASS)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", app_dir()))
    return app_dir()


def assets_dir() -> Path:
    return resource_dir() / "assets"


def asset(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)


def models_dir() -> Path:
    """GGUF files sit beside the executable (or in the repo's models/)."""
    return app_dir() / "models"


def default_model_path() -> Path:
    return models_dir() / DEFAULT_MODEL_FILE


def user_data_dir() -> Path:
    """Settings, saves and logs; RTS_COMMANDER_HOME overrides it (tests use this).

    Created when missing; a folder that cannot be created (a read-only home) is
    still returned: the game runs, and each write there fails with its own message."""
    override = os.environ.get("RTS_COMMANDER_HOME")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home())) / APP_NAME
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / APP_NAME
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        base = Path(xdg) / "rts-commander"
    with contextlib.suppress(OSError):
        base.mkdir(parents=True, exist_ok=True)
    return base


def log_path() -> Path:
    return user_data_dir() / "rts-commander.log"


def settings_path() -> Path:
    return user_data_dir() / "settings.json"


def saves_dir() -> Path:
    """Saved games, next to the settings."""
    return _subfolder("saves")


def replays_dir() -> Path:
    """Every match is recorded here (game.replay); the newest few are kept."""
    return _subfolder("replays")


def _subfolder(name: str) -> Path:
    """A folder of the user data folder, created if possible (see user_data_dir)."""
    folder = user_data_dir() / name
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    return folder
