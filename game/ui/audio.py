"""Sound effects through pygame.mixer, when there is a sound device.

Without one (or with a broken one) every call is a silent no-op: the game
never fails because of audio. Sounds are the WAV files that
scripts/make_sounds.py writes into assets/sounds/.
"""

from __future__ import annotations

import time

import pygame

from game import paths

SOUND_NAMES = ("shot", "cannon", "missile", "explosion", "click", "build_complete",
               "unit_ready", "alert", "error")
MIN_REPEAT_SECONDS = 0.06  # the same sound is not restarted faster than this
CHANNELS = 24


class Audio:
    def __init__(self, volume: float) -> None:
        self.volume = volume
        self.sounds: dict[str, pygame.mixer.Sound] = {}
        self._last_played: dict[str, float] = {}
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=22050, size=-16, channels=2, buffer=512)
            pygame.mixer.set_num_channels(CHANNELS)
            for name in SOUND_NAMES:
                self.sounds[name] = pygame.mixer.Sound(str(paths.asset("sounds", f"{name}.wav")))
        except (pygame.error, OSError, FileNotFoundError):
            self.sounds = {}

    def play(self, name: str, loudness: float = 1.0) -> None:
        sound = self.sounds.get(name)
        volume = self.volume * loudness
        if sound is None or volume <= 0.02:
            return
        now = time.monotonic()
        if now - self._last_played.get(name, -1.0) < MIN_REPEAT_SECONDS:
            return
        self._last_played[name] = now
        try:
            channel = sound.play()
            if channel is not None:
                channel.set_volume(volume)
        except pygame.error:
            pass
