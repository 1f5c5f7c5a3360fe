"""Player settings: language, difficulty, game speed, model file, volume.

Stored as JSON in paths.settings_path(). Loading never fails: a missing,
corrupt or half-valid file gives the defaults for whatever is wrong. Saving
writes a temporary file and renames it, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from game import paths
from game.ai import DIFFICULTIES as BOT_LEVELS
from game.i18n import LANGUAGES

DIFFICULTIES = tuple(BOT_LEVELS)  # easy, normal, hard: the enemy AI's table
GAME_SPEEDS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


@dataclass
class Settings:
    language: str = "en"
    difficulty: str = "normal"
    game_speed: float = 1.0
    model_file: str = paths.DEFAULT_MODEL_FILE
    volume: float = 0.7  # 0..1

    def normalised(self) -> Settings:
        """A copy with every out-of-range value replaced by its default."""
        default = Settings()
        return Settings(
            language=self.language if self.language in LANGUAGES else default.language,
            difficulty=self.difficulty if self.difficulty in DIFFICULTIES
            else default.difficulty,
            game_speed=self.game_speed if self.game_speed in GAME_SPEEDS
            else default.game_speed,
            model_file=self.model_file if isinstance(self.model_file, str) and self.model_file
            else default.model_file,
            volume=min(1.0, max(0.0, float(self.volume))),
        )


def load(path: Path | None = None) -> Settings:
    path = path or paths.settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    known = {f.name: f.type for f in fields(Settings)}
    values = {}
    for key, value in data.items():
        if key not in known:
            continue
        if key in ("game_speed", "volume"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            value = float(value)
        elif not isinstance(value, str):
            continue
        values[key] = value
    return Settings(**values).normalised()


def save(settings: Settings, path: Path | None = None) -> None:
    path = path or paths.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(settings.normalised()), indent=2)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
