"""Generate the game's short sound effects into assets/sounds/ (stdlib only).

Run once after changing a recipe: `python scripts/make_sounds.py`. Every sound
is synthesised from sines and seeded noise, so the output is reproducible.
"""

from __future__ import annotations

import math
import random
import struct
import wave
from collections.abc import Callable
from pathlib import Path

RATE = 22050
OUT_DIR = Path(__file__).resolve().parent.parent / "assets" / "sounds"


def _samples(seconds: float, voice: Callable[[float, int], float]) -> list[float]:
    return [voice(i / RATE, i) for i in range(int(seconds * RATE))]


def _noise(seed: int, smoothing: float) -> Callable[[], float]:
    """White noise through a one-pole low-pass: higher smoothing = duller."""
    rng = random.Random(seed)
    state = [0.0]

    def next_value() -> float:
        state[0] += (rng.uniform(-1.0, 1.0) - state[0]) * (1.0 - smoothing)
        return state[0]

    return next_value


def shot() -> list[float]:
    noise = _noise(1, 0.35)
    return _samples(0.12, lambda t, i: noise() * math.exp(-t * 45) * 0.9)


def cannon() -> list[float]:
    noise = _noise(2, 0.8)

    def voice(t: float, i: int) -> float:
        thump = math.sin(2 * math.pi * (70 - 30 * t) * t) * math.exp(-t * 9)
        return (thump * 0.8 + noise() * 1.6 * math.exp(-t * 14)) * 0.8

    return _samples(0.45, voice)


def missile() -> list[float]:
    noise = _noise(3, 0.5)

    def voice(t: float, i: int) -> float:
        envelope = min(1.0, t * 30) * math.exp(-t * 6)
        return noise() * envelope * 0.7 + math.sin(2 * math.pi * (900 - 500 * t) * t) * 0.08

    return _samples(0.35, voice)


def explosion() -> list[float]:
    noise = _noise(4, 0.93)
    crack = _noise(5, 0.2)

    def voice(t: float, i: int) -> float:
        rumble = noise() * 5.0 * math.exp(-t * 3.2)
        bang = crack() * math.exp(-t * 30) * 0.6
        return max(-1.0, min(1.0, (rumble + bang) * 0.7))

    return _samples(1.1, voice)


def click() -> list[float]:
    return _samples(0.06, lambda t, i: math.sin(2 * math.pi * 1400 * t) * math.exp(-t * 70) * 0.5)


def _tones(notes: tuple[tuple[float, float], ...], decay: float, level: float) -> list[float]:
    out: list[float] = []
    for freq, seconds in notes:
        out += _samples(seconds, lambda t, i, f=freq: (
            math.sin(2 * math.pi * f * t) + 0.3 * math.sin(4 * math.pi * f * t))
            * math.exp(-t * decay) * min(1.0, t * 200) * level)
    return out


def build_complete() -> list[float]:
    return _tones(((660, 0.12), (880, 0.12), (1320, 0.28)), 6.0, 0.45)


def unit_ready() -> list[float]:
    return _tones(((523, 0.1), (784, 0.22)), 8.0, 0.4)


def alert() -> list[float]:
    return _tones(((880, 0.16), (587, 0.16), (880, 0.16), (587, 0.22)), 3.0, 0.45)


def error() -> list[float]:
    return _tones(((220, 0.12), (165, 0.2)), 6.0, 0.45)


SOUNDS: dict[str, Callable[[], list[float]]] = {
    "shot": shot, "cannon": cannon, "missile": missile, "explosion": explosion,
    "click": click, "build_complete": build_complete, "unit_ready": unit_ready,
    "alert": alert, "error": error,
}


def write_wav(path: Path, samples: list[float]) -> None:
    frames = b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32000)) for s in samples)
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(frames)


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, recipe in SOUNDS.items():
        write_wav(OUT_DIR / f"{name}.wav", recipe())
        print(f"wrote {OUT_DIR / name}.wav")


if __name__ == "__main__":
    main()
