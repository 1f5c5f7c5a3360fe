"""A bug in one frame must never lose the match.

The App runs each part of a frame through `FrameGuard.run`. An exception is logged with
its traceback (once per distinct error; repeats are counted, not re-logged every
frame), and the player sees a dialog that says where the log file is. While the
dialog is open the screen is drawn but not updated, so the match waits for the
player; Enter, Esc or the button closes it and play goes on. A new error also
writes an emergency save (its own slot), and the dialog says so.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from game.ui.messages import say
from game.ui.theme import ACCENT, BAD, PANEL, TEXT, draw_text, panel, veil_surface, wrap
from game.ui.widgets import Button

LOG = logging.getLogger("rts_commander.frame_guard")
LOGGED_REPEATS = (10, 100, 1000, 10000)  # a repeating error is mentioned again at these counts
DIALOG_SIZE = (560, 250)


@dataclass
class FrameError:
    """One distinct error: its type, where it was raised, and how often."""

    kind: str
    where: str
    text: str
    count: int = 1


def _origin(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename}:{last.lineno}"


class FrameGuard:
    def __init__(self, log_path: Callable[[], str], language: Callable[[], str],
                 emergency_save: Callable[[], str | None] | None = None) -> None:
        self._log_path = log_path
        self._language = language
        self._emergency_save = emergency_save
        self.saved_slot: str | None = None  # where the emergency save went, if it could
        self.errors: dict[tuple[str, str], FrameError] = {}
        self.dialog: FrameError | None = None
        self._button = Button(pygame.Rect(0, 0, 160, 38), lambda: say("crash_continue",
                                                                       self._language()),
                              self.close)

    @property
    def total(self) -> int:
        return sum(e.count for e in self.errors.values())

    @property
    def showing(self) -> bool:
        return self.dialog is not None

    def run(self, part: Callable[[], object]) -> None:
        """Run one part of a frame; an exception in it is recorded, never raised."""
        try:
            part()
        except Exception as error:  # noqa: BLE001 - one bad frame must never lose the match
            self.record(error)

    def record(self, error: Exception) -> FrameError:
        """Log the error (the first time in full) and open the dialog for a new one."""
        key = (type(error).__name__, _origin(error))
        known = self.errors.get(key)
        if known is not None:
            known.count += 1
            if known.count in LOGGED_REPEATS:
                LOG.error("The same error again (%d times): %s at %s", known.count, *key)
            return known
        entry = FrameError(key[0], key[1], str(error))
        self.errors[key] = entry
        LOG.error("Error in a frame; the game goes on", exc_info=error)
        self.dialog = entry
        if self._emergency_save is not None:
            self.saved_slot = self._emergency_save()
        return entry

    def close(self) -> None:
        self.dialog = None

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER,
                                                          pygame.K_ESCAPE):
            self.close()
            return
        self._button.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        if self.dialog is None:
            return
        lang = self._language()
        surface.set_clip(None)  # the frame may have failed with a clip set
        surface.blit(veil_surface(surface.get_size(), (0, 0, 0, 150)), (0, 0))
        box = pygame.Rect((0, 0), DIALOG_SIZE)
        box.center = surface.get_rect().center
        panel(surface, box, PANEL, BAD, alpha=245, radius=10)
        draw_text(surface, say("crash_title", lang), (box.centerx, box.y + 30), 22, BAD,
                  "bold", anchor="center")
        body = say("crash_body", lang, path=self._log_path())
        if self.saved_slot:
            body += " " + say("crash_saved", lang, slot=self.saved_slot)
        y = box.y + 58
        for line in wrap(body, 14, box.width - 40)[:7]:
            draw_text(surface, line, (box.x + 20, y), 14, TEXT)
            y += 19
        self._button.rect.midbottom = (box.centerx, box.bottom - 16)
        self._button.draw(surface, pygame.mouse.get_pos())
        draw_text(surface, f"{self.dialog.kind} @ {self.dialog.where.rsplit('/', 1)[-1]}",
                  (box.right - 12, box.bottom - 6), 10, ACCENT, anchor="bottomright")
