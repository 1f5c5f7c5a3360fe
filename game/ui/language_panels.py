"""What the player sees of the language side: the command bar and its log, the
advisor panel, alerts by the minimap, and the model status in the top bar.

The panels read from the desks (orders_desk, advisor_desk) and the model
client; they never wait on the model. Panels whose content rarely changes are
drawn into a cached surface and rebuilt only when that content changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pygame

from game.rules import TICKS_PER_SECOND
from game.ui.advisor_desk import MODEL, AdvisorDesk
from game.ui.messages import say
from game.ui.orders_desk import LogEntry, OrderDesk
from game.ui.theme import (
    ACCENT,
    BAD,
    GOOD,
    PANEL,
    PANEL_EDGE,
    TEXT,
    TEXT_DIM,
    WARN,
    Color,
    draw_text,
    font,
    panel,
    text,
    wrap,
)
from game.vocabulary import MAX_ORDER_CHARS

STATUS_COLORS: dict[str, Color] = {
    "thinking": (120, 180, 255), "done": GOOD, "understood": GOOD, "analyze": GOOD,
    "waiting": WARN, "partial": WARN, "refused": BAD, "not_understood": BAD,
    "cancelled": TEXT_DIM, "confirm": ACCENT,
}
# A partial result has its own mark: it must never look like a full success. A question
# ("Did you mean ...? Enter = yes") is marked with the key that says yes.
STATUS_MARKS = {"thinking": "…", "done": "✓", "analyze": "✓", "waiting": "◷", "partial": "◐",
                "refused": "✗", "not_understood": "?", "cancelled": "–", "confirm": "↵"}
LOG_LINE = 16
MODEL_STATE_COLORS: dict[str, Color] = {
    "loading": WARN, "ready": GOOD, "busy": (120, 180, 255), "offline": BAD}
ALERT_SECONDS = 4.0  # how long an alert stays by the minimap
FLASH_SECONDS = 2.0  # of which it blinks at first


class CommandBar:
    """Enter or / opens it; it takes the keyboard while open (accents via TEXTINPUT)."""

    def __init__(self, rect: pygame.Rect, desk: OrderDesk, submit: Callable[[str], None],
                 lang: Callable[[], str], on_focus: Callable[[bool], None]) -> None:
        self.rect = rect
        self.desk = desk
        self.submit = submit
        self.lang = lang
        self.on_focus = on_focus
        self.active = False
        self.text = ""
        self.cursor = 0
        self._recall: int | None = None  # index into the history while browsing it
        self._fit: tuple[tuple[str, int, int], tuple[str, int]] | None = None

    def open(self) -> None:
        self.active = True
        self.text, self.cursor, self._recall = "", 0, None
        pygame.key.start_text_input()
        self.on_focus(True)

    def close(self) -> None:
        self.active = False
        pygame.key.stop_text_input()
        self.on_focus(False)

    def handle(self, event: pygame.event.Event) -> bool:
        """True when the event was for the bar."""
        if not self.active:
            if event.type == pygame.KEYDOWN and event.key in (
                    pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SLASH):
                self.open()
                return True
            if event.type == pygame.TEXTINPUT and event.text == "/":
                return True  # the "/" that opened the bar
            return False
        if event.type == pygame.TEXTINPUT:
            self._insert(event.text)
            return True
        if event.type == pygame.KEYDOWN:
            self._key(event)
            return True
        return event.type == pygame.KEYUP

    def _insert(self, typed: str) -> None:
        typed = "".join(c for c in typed if c.isprintable())
        room = MAX_ORDER_CHARS - len(self.text)
        typed = typed[:max(0, room)]
        self.text = self.text[:self.cursor] + typed + self.text[self.cursor:]
        self.cursor += len(typed)

    def _key(self, event: pygame.event.Event) -> None:
        key = event.key
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.text.strip():
                self.submit(self.text)
            self.close()
        elif key == pygame.K_ESCAPE:
            self.close()
        elif key == pygame.K_BACKSPACE and self.cursor > 0:
            self.text = self.text[:self.cursor - 1] + self.text[self.cursor:]
            self.cursor -= 1
        elif key == pygame.K_DELETE:
            if not self.text:
                self.desk.cancel_latest()  # Delete on an empty bar cancels a pending order
            else:
                self.text = self.text[:self.cursor] + self.text[self.cursor + 1:]
        elif key == pygame.K_LEFT:
            self.cursor = max(0, self.cursor - 1)
        elif key == pygame.K_RIGHT:
            self.cursor = min(len(self.text), self.cursor + 1)
        elif key == pygame.K_HOME:
            self.cursor = 0
        elif key == pygame.K_END:
            self.cursor = len(self.text)
        elif key in (pygame.K_UP, pygame.K_DOWN):
            self._browse(-1 if key == pygame.K_UP else 1)

    def _browse(self, step: int) -> None:
        history = list(self.desk.history)
        if not history:
            return
        if self._recall is None:
            self._recall = len(history)
        self._recall = min(len(history), max(0, self._recall + step))
        self.text = history[self._recall] if self._recall < len(history) else ""
        self.cursor = len(self.text)

    def draw(self, surface: pygame.Surface, clock: float) -> None:
        lang = self.lang()
        if not self.active:
            # While the log asks "Did you mean ...?", Enter answers it (game.ui.language_layer)
            hint = say("confirm_hint" if self.desk.question else "command_hint", lang)
            draw_text(surface, hint, (self.rect.x + 4, self.rect.centery), 12, TEXT_DIM,
                      anchor="midleft", shadow=True)
            return
        panel(surface, self.rect, (12, 14, 18), ACCENT, alpha=225, radius=5)
        x, y = self.rect.x + 10, self.rect.centery
        prompt = draw_text(surface, "›", (x, y), 16, ACCENT, "bold", anchor="midleft")
        left = prompt.right + 6
        shown, offset = self._visible_text(self.rect.right - left - 10)
        draw_text(surface, shown or say("command_placeholder", lang), (left, y), 14,
                  TEXT if shown else TEXT_DIM, anchor="midleft")
        if int(clock * 2) % 2 == 0:
            cx = left + font(14).size(shown[:self.cursor - offset])[0]
            pygame.draw.line(surface, ACCENT, (cx, y - 8), (cx, y + 8), 2)

    def _visible_text(self, width: int) -> tuple[str, int]:
        """The part of the text that fits, keeping the cursor in view (measured once
        per edit, not every frame)."""
        key = (self.text, self.cursor, width)
        if self._fit is None or self._fit[0] != key:
            self._fit = (key, self._fit_text(width))
        return self._fit[1]

    def _fit_text(self, width: int) -> tuple[str, int]:
        f = font(14)
        start = 0
        while start < self.cursor and f.size(self.text[start:self.cursor])[0] > width:
            start += 1
        end = len(self.text)
        while end > self.cursor and f.size(self.text[start:end])[0] > width:
            end -= 1
        return self.text[start:end], start


class LogRow(NamedTuple):
    mark: str  # a status whose mark starts the row, or ""
    text: str
    color: Color
    cancellable: LogEntry | None  # the entry the row's × cancels
    x: int  # where the text starts: typed orders and single results, or marked results
    bold: bool = False  # the typed order itself


TYPED_X, MARKED_X = 24, 40


class CommandLogView:
    """The last typed orders and what each became; × cancels one still thinking."""

    def __init__(self, rect: pygame.Rect, desk: OrderDesk) -> None:
        self.rect = rect
        self.desk = desk
        self._cancel_boxes: list[tuple[pygame.Rect, LogEntry]] = []
        self._cache: pygame.Surface | None = None
        self._key: tuple = ()

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for box, entry in self._cancel_boxes:
                if box.collidepoint(event.pos):
                    return self.desk.cancel(entry)
        return False

    def _rows(self) -> list[LogRow]:
        """From oldest to newest: each typed order with its overall mark, then what
        it became - one line per command, each with its own mark (done, waiting,
        partial, refused) when there are several."""
        rows: list[LogRow] = []
        for entry in self.desk.entries:
            status = entry.status
            color = STATUS_COLORS.get(status, TEXT)
            cancellable = entry if entry.ticket.pending else None
            rows.append(LogRow(status, entry.ticket.text, TEXT, cancellable, TYPED_X, True))
            several = len(entry.lines) > 1
            x = MARKED_X if several else TYPED_X
            for line_status, line in entry.lines:
                mark = line_status if several else ""
                text_ = line if several else f"→ {line}"
                for part in wrap(text_, 12, self.rect.width - 12 - x):
                    rows.append(LogRow(mark, part, STATUS_COLORS.get(line_status, color), None, x))
                    mark = ""
        return rows

    def draw(self, surface: pygame.Surface) -> None:
        if not self.desk.entries:
            self._cancel_boxes = []
            return
        # Rebuilt only when an entry changes (a waiting line's text changes as it
        # progresses): wrapping text every frame would be waste.
        key = tuple((e.ticket.id, e.status, tuple((o.status, o.text) for o in e.outcomes))
                    for e in self.desk.entries)
        if key != self._key or self._cache is None:
            rows = self._rows()[-(self.rect.height // LOG_LINE):]
            self._cache = self._render(rows)
            self._key = key
            area = self._cache.get_rect(bottomleft=self.rect.bottomleft)
            self._cancel_boxes = []
            y = area.y + 4
            for row in rows:
                if row.cancellable is not None:
                    self._cancel_boxes.append((pygame.Rect(area.right - 22, y, 16, 14),
                                               row.cancellable))
                y += LOG_LINE
        surface.blit(self._cache, self._cache.get_rect(bottomleft=self.rect.bottomleft))

    def _render(self, rows: list[LogRow]) -> pygame.Surface:
        height = len(rows) * LOG_LINE + 8
        surf = pygame.Surface((self.rect.width, height), pygame.SRCALPHA)
        panel(surf, surf.get_rect(), (10, 12, 16), PANEL_EDGE, alpha=170, radius=5)
        y = 4
        for row in rows:
            style = "bold" if row.bold else "regular"
            if row.mark:
                draw_text(surf, STATUS_MARKS.get(row.mark, "•"), (row.x - 16, y), 12,
                          STATUS_COLORS.get(row.mark, TEXT), style)
            draw_text(surf, row.text, (row.x, y), 12, row.color, style)
            if row.cancellable is not None:
                draw_text(surf, "×", (self.rect.width - 16, y - 1), 14, BAD, "bold")
            y += LOG_LINE
        return surf


class AdvisorPanel:
    """Collapsible panel of advisor lines; an icon says where each line came from."""

    def __init__(self, rect: pygame.Rect, desk: AdvisorDesk, lang: Callable[[], str]) -> None:
        self.rect = rect
        self.desk = desk
        self.lang = lang
        self.collapsed = False
        self._header = pygame.Rect(rect.x, rect.y, rect.width, 24)
        self._cache: pygame.Surface | None = None
        self._key: tuple = ()

    def toggle(self) -> None:
        self.collapsed = not self.collapsed

    def open(self) -> None:
        self.collapsed = False

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and \
                self._header.collidepoint(event.pos):
            self.toggle()
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F2:
            self.toggle()
            return True
        return False

    def draw(self, surface: pygame.Surface, world: Any) -> None:
        lines = [] if self.collapsed else self.desk.lines(world)
        key = (self.collapsed, self.lang(), tuple(lines))
        if key != self._key or self._cache is None:
            self._cache = self._render(lines)
            self._key = key
        surface.blit(self._cache, self.rect.topleft)

    def _render(self, lines: list) -> pygame.Surface:
        lang = self.lang()
        width = self.rect.width
        # The fuller report ("how am I doing?") may grow the panel down over the map.
        room = self.rect.height * (2 if any(line.kind == "report" for line in lines) else 1)
        rows: list[tuple[str, str, bool]] = []  # text, source, first row of its line
        for line in lines:
            size_style = "bold" if line.kind == "summary" else "regular"
            parts = wrap(line.text, 12, width - 34, size_style)
            if 30 + 15 * (len(rows) + len(parts)) + 6 > room:
                break  # whole lines only: a tip cut in the middle says something else
            rows += [(part, line.source if i == 0 else "", line.kind == "summary")
                     for i, part in enumerate(parts)]
        height = 26 if self.collapsed else min(room, 30 + 15 * len(rows) + 6)
        surf = pygame.Surface((width, height), pygame.SRCALPHA)
        panel(surf, surf.get_rect(), PANEL, PANEL_EDGE, alpha=215, radius=6)
        title = say("advisor_title", lang) + ("  ▸" if self.collapsed else "  ▾")
        draw_text(surf, title, (10, 13), 13, ACCENT, "bold", anchor="midleft")
        draw_text(surf, "F2", (width - 10, 13), 11, TEXT_DIM, anchor="midright")
        y = 28
        for part, source, summary in rows:
            if y + 15 > height - 4:
                break
            if source:
                _source_icon(surf, (16, y + 7), source)
            draw_text(surf, part, (28, y), 12, TEXT if summary or source != MODEL else
                      (170, 210, 255), "bold" if summary else "regular")
            y += 15
        return surf


def _source_icon(surface: pygame.Surface, center: tuple[int, int], source: str) -> None:
    """A chip for the model's lines, a gauge for the rules-based analysis."""
    x, y = center
    if source == MODEL:
        body = pygame.Rect(0, 0, 10, 10)
        body.center = center
        pygame.draw.rect(surface, (120, 180, 255), body, border_radius=2)
        for dx in (-3, 0, 3):
            pygame.draw.line(surface, (120, 180, 255), (x + dx, y - 7), (x + dx, y - 5))
            pygame.draw.line(surface, (120, 180, 255), (x + dx, y + 5), (x + dx, y + 7))
    else:
        pygame.draw.circle(surface, ACCENT, center, 5, 2)
        pygame.draw.line(surface, ACCENT, center, (x + 3, y - 3), 2)


class AlertFlash:
    """Alerts (base under attack, low power, harvester lost) flash briefly by the minimap."""

    def __init__(self, rect: pygame.Rect, desk: AdvisorDesk) -> None:
        self.rect = rect  # the minimap
        self.desk = desk

    def draw(self, surface: pygame.Surface, world: Any, clock: float) -> None:
        recent = [a for a in self.desk.advisor.alerts
                  if world.tick - a.tick <= ALERT_SECONDS * TICKS_PER_SECOND][-2:]
        y = self.rect.bottom - 6
        for alert in reversed(recent):
            steady = world.tick - alert.tick > FLASH_SECONDS * TICKS_PER_SECOND
            if steady or int(clock * 4) % 2 == 0:
                img = text(alert.text, 12, (255, 235, 230), "bold")
                box = img.get_rect(midbottom=(self.rect.centerx, y)).inflate(12, 6)
                panel(surface, box, (150, 30, 26), BAD, alpha=225, radius=4)
                surface.blit(img, img.get_rect(center=box.center))
            y -= 24


class ModelIndicator:
    """Top bar: loading (with progress), ready, thinking (what about), offline (why)."""

    def __init__(self, rect: pygame.Rect, client: Any) -> None:
        self.rect = rect
        self.client = client
        self._fit: tuple[str, str] | None = None

    def label(self, lang: str) -> tuple[str, Color]:
        client = self.client
        state = client.state
        if state == "loading":
            return say("model_loading", lang, percent=round(client.progress * 100)), WARN
        if state == "busy":
            kind, _, what = (client.current_request or "").partition(": ")
            if kind == "advise":  # its request is the analysis' summary, not for the HUD
                return say("model_thinking_advice", lang), MODEL_STATE_COLORS["busy"]
            return say("model_thinking", lang, what=what), MODEL_STATE_COLORS["busy"]
        if state == "offline":
            return say("model_offline", lang), BAD
        return say("model_ready", lang), GOOD

    def tooltip(self, lang: str) -> list[str]:
        client = self.client
        lines = [say("model_title", lang, name=client.model_name or "-")]
        if client.state == "offline":
            lines.append("! " + say("model_offline_detail", lang))
            lines.append(client.reason)  # the technical reason, as in the log
        elif client.load_seconds is not None:
            lines.append(say("model_loaded_in", lang, seconds=f"{client.load_seconds:.1f}"))
        if client.last_latency_ms is not None:
            lines.append(say("model_last_latency", lang, ms=round(client.last_latency_ms)))
        return lines

    def draw(self, surface: pygame.Surface, lang: str, clock: float) -> None:
        label, color = self.label(lang)
        x, y = self.rect.x, self.rect.centery
        radius = 5 if self.client.state != "busy" else 4 + int(clock * 6) % 3
        pygame.draw.circle(surface, color, (x + 6, y), radius)
        draw_text(surface, self._fitted(label), (x + 16, y), 12, color, anchor="midleft")

    def _fitted(self, label: str) -> str:
        """The label cut to the indicator's width (recomputed only when it changes)."""
        if self._fit is None or self._fit[0] != label:
            short, max_width = label, self.rect.width - 18
            while short and font(12).size(short)[0] > max_width:
                short = short[:-2] + "…"
            self._fit = (label, short)
        return self._fit[1]

    def hovered(self, pos: tuple[int, int]) -> bool:
        return self.rect.collidepoint(pos)

