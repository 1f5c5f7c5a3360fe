"""The pygame front end: window, loop, rendering, input, audio, menus."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # keep stdout for our own output
