"""Test-wide set-up: no real window or sound device, and a private user-data folder."""

import os
import sys
import tempfile
from pathlib import Path

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("RTS_COMMANDER_HOME", tempfile.mkdtemp(prefix="rts-commander-test-"))

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
