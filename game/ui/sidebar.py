"""The sidebar: credits, power, build and train buttons, and the selection panel.

Buttons come from the rules table (buildable buildings, then units), and so do
their hotkeys. Availability and the reason a button is greyed out come from
orders.check, the same validation the orders themselves go through. Production
is paid as it goes, so credits never grey a button out; an item that waits for
credits says so on its button ("NO FUNDS").
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game import orders as O
from game.i18n import name
from game.orders import Order
from game.rules import BUILDING_TYPES, ECONOMY, UNIT_TYPES
from game.ui.messages import display_name, rejection_text, say
from game.ui.sprites import SpriteBank
from game.ui.theme import (
    ACCENT,
    BAD,
    GOOD,
    PANEL,
    PANEL_EDGE,
    PANEL_LIGHT,
    TEXT,
    TEXT_DIM,
    Layout,
    draw_text,
    fit_text,
    panel,
    shade,
    text,
    veil_surface,
)
from game.world import Building, World

BUILD_ITEMS = tuple(n for n, b in BUILDING_TYPES.items() if b.buildable)
TRAIN_ITEMS = tuple(UNIT_TYPES)
SELL = "sell"
REPAIR = "repair"
REPAIR_KEY = "k"  # R builds a refinery; K toggles the repair mode
# Letters the map already uses: W A S D scroll, A attack-move, S stop, H HQ, P pause,
# K repair.
RESERVED_KEYS = frozenset("wasdhpk")
COLUMNS = 3
BUTTON_H = 56
GAP = 6
QUEUE_SLOT = 34


def assign_hotkeys(items: tuple[str, ...], reserved: frozenset[str] = RESERVED_KEYS
                   ) -> dict[str, str]:
    """A distinct letter per item: word initials of its English name first, then
    its other letters, skipping letters already taken."""
    taken = set(reserved)
    keys: dict[str, str] = {}
    for item in items:
        words = name(item, "en", count=1).lower().split()
        candidates = [w[0] for w in words] + [c for w in words for c in w[1:]]
        for c in candidates:
            if c.isalpha() and c not in taken:
                keys[item] = c
                taken.add(c)
                break
    return keys


HOTKEYS = assign_hotkeys(BUILD_ITEMS + TRAIN_ITEMS)


SELL_LABEL = (11, "regular")  # font size and style of the Sell button's label
SELL_KEY = (10, "regular")  # and of its key


def sell_button_layout(r: pygame.Rect, lang: str
                       ) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
    """Where the Sell button draws its "$" mark, its label and its key: the label
    along the bottom, the key in the top corner and the mark beside it, so a long
    label ("Vendre") never runs into a long key name ("Suppr")."""
    return mode_button_layout(r, say("sell", lang), say("key_delete", lang))


def repair_button_layout(r: pygame.Rect, lang: str
                         ) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
    """The Repair button, laid out as the Sell button."""
    return mode_button_layout(r, say("repair", lang), say("key_repair", lang))


def mode_button_layout(r: pygame.Rect, label_text: str, key_text: str
                       ) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
    size, style = SELL_KEY
    key = text(key_text, size, style=style).get_rect(topright=(r.right - 4, r.y + 3))
    size, style = SELL_LABEL
    label = text(label_text, size, style=style).get_rect(
        midbottom=(r.centerx, r.bottom - 2))
    mark = pygame.Rect(0, 0, 24, 24)
    mark.center = (r.x + 4 + mark.width // 2, r.y + 19)
    return mark, label, key


@dataclass(frozen=True)
class SidebarButton:
    kind: str  # "build", "train", "sell" or "repair"
    item: str
    rect: pygame.Rect


@dataclass(frozen=True)
class SidebarAction:
    """What a click on the sidebar asks for: an order, placing, sell or repair mode."""

    order: Order | None = None
    place: str | None = None
    sell_mode: bool = False
    repair_mode: bool = False
    rejection: O.Rejection | None = None


class Sidebar:
    def __init__(self, layout: Layout, sprites: SpriteBank, player: int) -> None:
        self.rect = layout.sidebar
        self.sprites = sprites
        self.player = player
        top = layout.minimap.bottom + 8
        self.credits_rect = pygame.Rect(self.rect.x + 8, top, self.rect.width - 16, 24)
        self.power_rect = pygame.Rect(self.rect.x + 8, top + 28, self.rect.width - 16, 14)
        self.build_header = top + 48
        build_top = self.build_header + 16
        self.buttons: list[SidebarButton] = []
        self._grid("build", BUILD_ITEMS + (SELL,), build_top)
        self.train_header = self.buttons[-1].rect.bottom + 8
        # Repair takes the units grid's free slot: a row more would leave the selection
        # panel no room for a factory's queue.
        self._grid("train", TRAIN_ITEMS + (REPAIR,), self.train_header + 16)
        self.selection_rect = pygame.Rect(self.rect.x + 8, self.buttons[-1].rect.bottom + 8,
                                          self.rect.width - 16, 0)
        self.selection_rect.height = self.rect.bottom - 8 - self.selection_rect.y
        self.queue_slots: list[tuple[pygame.Rect, int]] = []  # (rect, queue index)
        self.sell_mode = False
        self.repair_mode = False
        self._icon_cache: dict[tuple[str, tuple[int, int]], pygame.Surface] = {}

    def _grid(self, kind: str, items: tuple[str, ...], top: int) -> None:
        width = (self.rect.width - 16 - GAP * (COLUMNS - 1)) // COLUMNS
        for i, item in enumerate(items):
            col, row = i % COLUMNS, i // COLUMNS
            rect = pygame.Rect(self.rect.x + 8 + col * (width + GAP),
                               top + row * (BUTTON_H + GAP), width, BUTTON_H)
            self.buttons.append(SidebarButton(item if item in (SELL, REPAIR) else kind, item,
                                              rect))

    # -- queries ----------------------------------------------------------------------
    def button_at(self, pos: tuple[int, int]) -> SidebarButton | None:
        return next((b for b in self.buttons if b.rect.collidepoint(pos)), None)

    def button_for_key(self, key: str) -> SidebarButton | None:
        item = REPAIR if key == REPAIR_KEY else None
        return next((b for b in self.buttons if HOTKEYS.get(b.item) == key or b.item == item),
                    None)

    def availability(self, world: World, button: SidebarButton) -> O.Rejection | None:
        """None if clicking the button would work now, else why not."""
        if button.kind in (SELL, REPAIR):
            return None
        if button.kind == "build":
            c = world.players[self.player].construction
            if c is not None and c.item == button.item:
                return None  # in progress or ready: clicking places it
            return O.check(world, Order(O.BUILD, self.player, item=button.item))
        return O.check(world, Order(O.TRAIN, self.player, item=button.item))

    # -- clicks ------------------------------------------------------------------------
    def click(self, world: World, button: SidebarButton, right: bool, shift: bool,
              selected_factory: Building | None) -> SidebarAction:
        if button.kind == SELL:
            return SidebarAction(sell_mode=not self.sell_mode)
        if button.kind == REPAIR:
            return SidebarAction(repair_mode=not self.repair_mode)
        if button.kind == "build":
            return self._click_build(world, button.item, right)
        return self._click_train(world, button.item, right, shift, selected_factory)

    def _click_build(self, world: World, item: str, right: bool) -> SidebarAction:
        c = world.players[self.player].construction
        if right:
            if c is not None and c.item == item:
                return SidebarAction(order=Order(O.CANCEL_BUILD, self.player))
            return SidebarAction()
        if c is not None and c.item == item:
            if c.ready:
                return SidebarAction(place=item)
            return SidebarAction()  # still building: nothing to do
        order = Order(O.BUILD, self.player, item=item)
        return SidebarAction(order=order, rejection=O.check(world, order))

    def _click_train(self, world: World, item: str, right: bool, shift: bool,
                     selected_factory: Building | None) -> SidebarAction:
        if right:
            factory = self._factory_to_cancel(world, item, selected_factory)
            if factory is None:
                return SidebarAction(rejection=O.Rejection("nothing_to_cancel", {}))
            return SidebarAction(order=Order(O.CANCEL_TRAIN, self.player, target=factory.id,
                                             item=item))
        preferred = None
        if selected_factory is not None and \
                selected_factory.type.name == UNIT_TYPES[item].produced_by:
            preferred = selected_factory.id
        order = Order(O.TRAIN, self.player, item=item, target=preferred,
                      count=5 if shift else 1)
        return SidebarAction(order=order, rejection=O.check(world, order))

    def _factory_to_cancel(self, world: World, item: str, selected: Building | None
                           ) -> Building | None:
        """The selected factory if it queues this item, else the one that queued it last."""
        if selected is not None and selected.owner == self.player and item in selected.queue:
            return selected
        candidates = [b for b in world.buildings_of(self.player) if item in b.queue]
        if not candidates:
            return None
        # The one whose copy of the item would start last: least progress lost.
        return max(candidates, key=lambda b: (len(b.queue) - b.queue[::-1].index(item), b.id))

    def _veil(self, size: tuple[int, int]) -> pygame.Surface:
        return veil_surface(size, (10, 12, 16, 150))

    def _small_icon(self, item: str, size: tuple[int, int]) -> pygame.Surface:
        key = (item, size)
        icon = self._icon_cache.get(key)
        if icon is None:
            icon = pygame.transform.smoothscale(self.sprites.icons[(item, self.player)], size)
            self._icon_cache[key] = icon
        return icon

    def queue_slot_at(self, pos: tuple[int, int]) -> int | None:
        return next((i for rect, i in self.queue_slots if rect.collidepoint(pos)), None)

    # -- tooltips ------------------------------------------------------------------------
    def tooltip(self, world: World, button: SidebarButton, lang: str) -> list[str]:
        key = HOTKEYS.get(button.item, "").upper()
        if button.kind == SELL:
            return [say("sell", lang), say("tip_sell", lang)]
        if button.kind == REPAIR:
            return [say("repair", lang), say("tip_repair", lang)]
        cost = (BUILDING_TYPES[button.item].cost if button.kind == "build"
                else UNIT_TYPES[button.item].cost)
        lines = [display_name(button.item, lang), say("tip_cost", lang, cost=cost)]
        if key:
            lines.append(say("tip_hotkey", lang, letter=key))
        c = world.players[self.player].construction
        if button.kind == "build" and c is not None and c.item == button.item:
            lines.append(say("tip_place", lang) if c.ready else
                         say("tip_building_now", lang,
                             percent=int(100 * c.progress / BUILDING_TYPES[c.item].build_time)))
            if c.on_hold:
                lines.append(say("tip_on_hold", lang))
        elif self._on_hold(world, button):
            lines.append(say("tip_on_hold", lang))
        else:
            rejection = self.availability(world, button)
            if rejection is not None:
                lines.append("! " + rejection_text(rejection, lang))
        if cost > world.players[self.player].credits:
            lines.append(say("tip_pays_as_it_goes", lang))
        lines.append(say("tip_build" if button.kind == "build" else "tip_train", lang))
        return lines

    # -- drawing --------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, world: World, lang: str, hover: SidebarButton | None,
             selection: list[int], clock: float) -> None:
        pygame.draw.rect(surface, (26, 30, 36), self.rect)
        pygame.draw.line(surface, PANEL_EDGE, self.rect.topleft, self.rect.bottomleft, 2)
        player = world.players[self.player]
        self._draw_credits(surface, player.credits, lang)
        self._draw_power(surface, player.power_produced, player.power_used, lang)
        draw_text(surface, say("section_buildings", lang), (self.rect.x + 10, self.build_header),
                  12, TEXT_DIM, "bold")
        draw_text(surface, say("section_units", lang), (self.rect.x + 10, self.train_header),
                  12, TEXT_DIM, "bold")
        for button in self.buttons:
            self._draw_button(surface, world, button, button is hover, clock, lang)
        self._draw_selection(surface, world, lang, selection)

    def _draw_credits(self, surface: pygame.Surface, credits: int, lang: str) -> None:
        r = self.credits_rect
        panel(surface, r, PANEL, PANEL_EDGE, radius=4)
        draw_text(surface, say("credits", lang), (r.x + 8, r.centery), 13, TEXT_DIM,
                  anchor="midleft")
        draw_text(surface, f"{credits:,}".replace(",", " "), (r.right - 8, r.centery), 16,
                  ACCENT, "bold", anchor="midright")

    def _draw_power(self, surface: pygame.Surface, produced: int, used: int, lang: str) -> None:
        r = self.power_rect
        low = used > produced
        surface.fill((14, 16, 20), r)
        scale = max(produced, used, 1)
        fill = pygame.Rect(r.x, r.y, int(r.width * min(used, produced) / scale), r.height)
        surface.fill(BAD if low else GOOD, fill)
        if low:  # the shortfall, striped
            short = pygame.Rect(fill.right, r.y, int(r.width * (used - produced) / scale),
                                r.height)
            surface.fill(shade(BAD, 0.5), short)
        marker = r.x + int(r.width * produced / scale) - 1
        pygame.draw.line(surface, TEXT, (marker, r.y - 2), (marker, r.bottom + 1), 2)
        pygame.draw.rect(surface, PANEL_EDGE, r, 1)
        label = say("power", lang, produced=produced, used=used)
        draw_text(surface, label, (r.centerx, r.centery), 11, TEXT, "bold", anchor="center",
                  shadow=True)

    def _draw_button(self, surface: pygame.Surface, world: World, button: SidebarButton,
                     hovered: bool, clock: float, lang: str) -> None:
        r = button.rect
        if button.kind == SELL:
            self._draw_sell_button(surface, r, hovered, lang)
            return
        if button.kind == REPAIR:
            self._draw_repair_button(surface, r, hovered, lang)
            return
        rejection = self.availability(world, button)
        enabled = rejection is None
        panel(surface, r, PANEL_LIGHT if hovered and enabled else PANEL,
              ACCENT if hovered else PANEL_EDGE, radius=4)
        icon = self.sprites.icons[(button.item, self.player)]
        surface.blit(icon, icon.get_rect(midtop=(r.centerx, r.y + 1)))
        cost = (BUILDING_TYPES[button.item].cost if button.kind == "build"
                else UNIT_TYPES[button.item].cost)
        fraction, count, ready = self._progress(world, button)
        on_hold = self._on_hold(world, button)
        if not enabled and fraction is None:
            surface.blit(self._veil(r.size), r)
        draw_text(surface, str(cost), (r.x + 4, r.bottom - 2), 11,
                  ACCENT if enabled else TEXT_DIM, anchor="bottomleft")
        key = HOTKEYS.get(button.item)
        if key:
            draw_text(surface, key.upper(), (r.right - 4, r.bottom - 2), 11, TEXT, "bold",
                      anchor="bottomright")
        if fraction is not None:
            bar = pygame.Rect(r.x + 3, r.bottom - 17, r.width - 6, 4)
            surface.fill((10, 10, 10), bar)
            color = GOOD if ready else BAD if on_hold else ACCENT
            surface.fill(color, (bar.x, bar.y, int(bar.width * fraction), 4))
        if count:
            badge = pygame.Rect(r.right - 18, r.y + 2, 16, 15)
            pygame.draw.rect(surface, ACCENT, badge, border_radius=4)
            draw_text(surface, str(count), badge.center, 11, (20, 20, 20), "bold",
                      anchor="center")
        if ready and int(clock * 2.5) % 2 == 0:
            draw_text(surface, say("ready", lang), (r.centerx, r.y + 20), 13,
                      GOOD, "bold", anchor="center", shadow=True)
        elif on_hold:
            label, size = fit_text(say("on_hold", lang), 11, r.width - 4, "bold", min_size=9)
            draw_text(surface, label, (r.centerx, r.y + 20), size, BAD, "bold",
                      anchor="center", shadow=True)

    def _draw_sell_button(self, surface: pygame.Surface, r: pygame.Rect, hovered: bool,
                          lang: str) -> None:
        active = self.sell_mode
        panel(surface, r, (90, 40, 36) if active else PANEL_LIGHT if hovered else PANEL,
              ACCENT if hovered or active else PANEL_EDGE, radius=4)
        mark, label, key = sell_button_layout(r, lang)
        pygame.draw.circle(surface, ACCENT, mark.center, mark.width // 2, 2)
        draw_text(surface, "$", mark.center, 15, ACCENT, "bold", anchor="center")
        draw_text(surface, say("sell", lang), label.topleft, SELL_LABEL[0], TEXT, SELL_LABEL[1])
        draw_text(surface, say("key_delete", lang), key.topleft, SELL_KEY[0], TEXT_DIM,
                  SELL_KEY[1])

    def _draw_repair_button(self, surface: pygame.Surface, r: pygame.Rect, hovered: bool,
                            lang: str) -> None:
        active = self.repair_mode
        panel(surface, r, (36, 80, 44) if active else PANEL_LIGHT if hovered else PANEL,
              GOOD if active else ACCENT if hovered else PANEL_EDGE, radius=4)
        mark, label, key = repair_button_layout(r, lang)
        draw_repair_mark(surface, mark.center, GOOD)
        draw_text(surface, say("repair", lang), label.topleft, SELL_LABEL[0], TEXT,
                  SELL_LABEL[1])
        draw_text(surface, say("key_repair", lang), key.topleft, SELL_KEY[0], TEXT_DIM,
                  SELL_KEY[1])

    def _progress(self, world: World, button: SidebarButton) -> tuple[float | None, int, bool]:
        """(fraction done or None, items queued, ready to place) for a button."""
        if button.kind == "build":
            c = world.players[self.player].construction
            if c is None or c.item != button.item:
                return None, 0, False
            return min(1.0, c.progress / BUILDING_TYPES[c.item].build_time), 0, c.ready
        count, best = 0, None
        for b in world.buildings_of(self.player, UNIT_TYPES[button.item].produced_by):
            count += b.queue.count(button.item)
            if b.queue and b.queue[0] == button.item:
                done = b.progress / UNIT_TYPES[button.item].build_time
                best = done if best is None else max(best, done)
        return (min(1.0, best) if best is not None else None), count, False

    def _on_hold(self, world: World, button: SidebarButton) -> bool:
        """True when this button's item is in production but waits for credits."""
        if button.kind == "build":
            c = world.players[self.player].construction
            return c is not None and c.item == button.item and c.on_hold
        if button.kind != "train":
            return False
        return any(b.on_hold and b.queue and b.queue[0] == button.item
                   for b in world.buildings_of(self.player, UNIT_TYPES[button.item].produced_by))

    def _draw_selection(self, surface: pygame.Surface, world: World, lang: str,
                        selection: list[int]) -> None:
        r = self.selection_rect
        panel(surface, r, PANEL, PANEL_EDGE, radius=4)
        self.queue_slots = []
        entities = [e for eid in selection if (e := world.entity(eid)) is not None]
        if not entities:
            for i, line in enumerate(say("sidebar_help", lang).split("\n")):
                draw_text(surface, line, (r.x + 8, r.y + 6 + i * 15), 11, TEXT_DIM)
            return
        if len(entities) == 1:
            self._draw_single(surface, world, entities[0], lang)
            return
        counts: dict[str, int] = {}
        for e in entities:
            counts[e.type.name] = counts.get(e.type.name, 0) + 1
        draw_text(surface, say("units_selected", lang, count=len(entities)), (r.x + 8, r.y + 5),
                  12, TEXT, "bold")
        x = r.x + 6
        for item, n in counts.items():
            icon = self._small_icon(item, (39, 30))
            surface.blit(icon, (x, r.y + 24))
            draw_text(surface, f"{n}", (x + 38, r.y + 56), 12, ACCENT, "bold",
                      anchor="bottomright", shadow=True)
            x += 42

    def _draw_single(self, surface: pygame.Surface, world: World, entity, lang: str) -> None:
        r = self.selection_rect
        max_hp = entity.type.hp
        draw_text(surface, display_name(entity.type.name, lang), (r.x + 8, r.y + 5), 13, TEXT,
                  "bold")
        if isinstance(entity, Building) and entity.owner != self.player \
                and not world.building_visible(self.player, entity):
            return  # remembered under the fog: its current state is unknown
        draw_text(surface, say("hp", lang, hp=max(0, entity.hp), max=max_hp),
                  (r.right - 8, r.y + 21), 11, TEXT_DIM, anchor="topright")
        bar = pygame.Rect(r.x + 8, r.y + 25, r.width - 100, 5)
        surface.fill((10, 10, 10), bar)
        fraction = max(0.0, entity.hp / max_hp)
        surface.fill(GOOD if fraction > 0.6 else ACCENT if fraction > 0.3 else BAD,
                     (bar.x, bar.y, int(bar.width * fraction), bar.height))
        if not isinstance(entity, Building) or entity.owner != self.player:
            return
        if not any(u.produced_by == entity.type.name for u in UNIT_TYPES.values()):
            return
        draw_text(surface, say("queue_title", lang), (r.x + 8, r.y + 34), 11, TEXT_DIM)
        for i in range(ECONOMY.queue_limit):
            slot = pygame.Rect(r.x + 8 + i * (QUEUE_SLOT + 5), r.y + 50, QUEUE_SLOT, QUEUE_SLOT)
            pygame.draw.rect(surface, (18, 20, 24), slot, border_radius=3)
            pygame.draw.rect(surface, PANEL_EDGE, slot, 1, border_radius=3)
            if i >= len(entity.queue):
                continue
            item = entity.queue[i]
            icon = self._small_icon(item, (32, 25))
            surface.blit(icon, icon.get_rect(center=slot.center))
            if i == 0:
                done = min(1.0, entity.progress / UNIT_TYPES[item].build_time)
                surface.fill(BAD if entity.on_hold else ACCENT,
                             (slot.x + 2, slot.bottom - 4, int((slot.width - 4) * done), 3))
            self.queue_slots.append((slot, i))


def draw_repair_mark(surface: pygame.Surface, center: tuple[int, int], color) -> None:
    """A ringed cross: the repair button, the repair cursor and buildings under repair."""
    x, y = center
    pygame.draw.circle(surface, color, center, 11, 2)
    surface.fill(color, (x - 6, y - 2, 13, 4))
    surface.fill(color, (x - 2, y - 6, 4, 13))
