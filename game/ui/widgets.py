"""A menu button: a rectangle, a label that may change (language, values), an action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from game.ui.theme import ACCENT, PANEL, PANEL_EDGE, PANEL_LIGHT, TEXT, draw_text, fit_text, panel

LABEL_SIZE = 18  # points, bold
LABEL_MIN_SIZE = 13  # a label that does not fit shrinks down to this, then is cut
LABEL_PADDING = 12  # pixels kept free on each side of the label


@dataclass
class Button:
    rect: pygame.Rect
    label: Callable[[], str]
    action: Callable[[], None]
    hotkey: int | None = None  # a pygame key constant

    def handle(self, event: pygame.event.Event) -> bool:
        """Run the action if this event clicks the button (or presses its key)."""
        clicked = (event.type == pygame.MOUSEBUTTONDOWN and event.button == 1
                   and self.rect.collidepoint(event.pos))
        pressed = event.type == pygame.KEYDOWN and self.hotkey is not None \
            and event.key == self.hotkey
        if clicked or pressed:
            self.action()
            return True
        return False

    def draw(self, surface: pygame.Surface, mouse: tuple[int, int]) -> None:
        hovered = self.rect.collidepoint(mouse)
        panel(surface, self.rect, PANEL_LIGHT if hovered else PANEL,
              ACCENT if hovered else PANEL_EDGE, radius=6)
        label, size = self.fitted_label()
        draw_text(surface, label, self.rect.center, size, ACCENT if hovered else TEXT,
                  "bold", anchor="center")

    def fitted_label(self) -> tuple[str, int]:
        """The label as drawn: smaller or cut when it would overflow (a long file name)."""
        return fit_text(self.label(), LABEL_SIZE, self.label_width, "bold", LABEL_MIN_SIZE)

    @property
    def label_width(self) -> int:
        return self.rect.width - 2 * LABEL_PADDING


def handle_buttons(buttons: list[Button], event: pygame.event.Event) -> bool:
    return any(b.handle(event) for b in buttons)


def column(center_x: int, top: int, count: int, width: int = 320, height: int = 44,
           gap: int = 12) -> list[pygame.Rect]:
    """Rectangles for a vertical stack of buttons."""
    return [pygame.Rect(center_x - width // 2, top + i * (height + gap), width, height)
            for i in range(count)]
