"""Mouse and keyboard on the game screen: selection, orders, modes, camera keys.

Every action becomes an `Order` checked with orders.check first, so a refusal
is explained at once instead of failing silently a tick later.

Keys: W A S D / arrows scroll (with own units selected, A arms attack-move and S
stops them instead), H centres on the HQ, Space on the last alert, Ctrl+1..9
sets a group and 1..9 recalls it (twice quickly: centre on it), Delete sells,
K toggles the repair mode, P pauses, Esc cancels a mode or opens the menu, F3
shows the debug overlay, letters shown on the sidebar buttons build and train.
Enter and "/" are left free for the command bar.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pygame

from game import orders as O
from game.combat import can_attack
from game.orders import Order
from game.ui.camera import EDGE_MARGIN, SCROLL_SPEED
from game.ui.entities import FLIGHT_HEIGHT
from game.ui.sidebar import REPAIR, SELL, SidebarButton, draw_repair_mark
from game.ui.theme import TILE, WINDOW_SIZE, draw_text
from game.world import Building, Unit

if TYPE_CHECKING:
    from game.ui.session import GameScreen

DOUBLE_CLICK_SECONDS = 0.35
DRAG_PIXELS = 6
NORMAL, ATTACK_MOVE, PLACE, SELL_MODE = "normal", "attack_move", "place", "sell"
REPAIR_MODE = "repair"
REPAIR_MARK = (120, 230, 120)
MOVE_MARK = (120, 255, 140)
ATTACK_MARK = (255, 80, 60)
HARVEST_MARK = (250, 200, 70)
GROUP_KEYS = {getattr(pygame, f"K_{n}"): n for n in range(1, 10)}
SCROLL_KEYS = ((pygame.K_LEFT, -1, 0), (pygame.K_RIGHT, 1, 0), (pygame.K_UP, 0, -1),
               (pygame.K_DOWN, 0, 1), (pygame.K_a, -1, 0), (pygame.K_d, 1, 0),
               (pygame.K_w, 0, -1), (pygame.K_s, 0, 1))


def box_pick(units: list[Unit]) -> list[Unit]:
    """What a selection box takes: its combat units when it holds any, so sweeping
    over the base does not drag harvesters into a fight; harvesters only when they
    are all it holds (or by double-click, which takes every unit of a type)."""
    fighters = [u for u in units if u.type.combat]
    return fighters or units


class MapInput:
    def __init__(self, game: GameScreen) -> None:
        self.game = game
        self.selection: list[int] = []
        self.groups: dict[int, list[int]] = {}
        self.mode = NORMAL
        self.place_item: str | None = None
        self.drag_start: tuple[int, int] | None = None
        self.mouse = (0, 0)
        self.mouse_moved = False  # edge scrolling only once a real pointer has moved
        self.minimap_drag = False
        self.scroll_keys = True  # off while a text field (the command bar) has the keyboard
        self._last_click: tuple[float, int | None] = (0.0, None)
        self._last_group: tuple[float, int] = (0.0, 0)

    # -- selection helpers ----------------------------------------------------------
    @property
    def viewer(self) -> int:
        return self.game.viewer

    def own_units(self) -> list[Unit]:
        world = self.game.world
        return [u for uid in self.selection
                if (u := world.units.get(uid)) is not None and u.owner == self.viewer]

    def selected_building(self) -> Building | None:
        if len(self.selection) != 1:
            return None
        return self.game.world.buildings.get(self.selection[0])

    def prune(self) -> None:
        world = self.game.world
        self.selection = [i for i in self.selection if i in world.units or i in world.buildings]

    def entity_at(self, pos: tuple[int, int]) -> Unit | Building | None:
        """The unit (as drawn) or the building (as seen or remembered) under a pixel."""
        best, best_d = None, 1e9
        for u, x, y in self.game.drawn_units:
            sx, sy = self.game.camera.to_screen(x, y)
            if u.type.flying:
                sy -= FLIGHT_HEIGHT
            reach = u.type.radius * TILE + 5
            d = (sx - pos[0]) ** 2 + (sy - pos[1]) ** 2
            if d <= reach * reach and d < best_d:
                best, best_d = u, d
        if best is not None:
            return best
        return self._building_at(self.game.camera.to_cell(*pos))

    def _building_at(self, cell: tuple[int, int]) -> Building | None:
        world = self.game.world
        if not world.tiles.in_bounds(*cell):
            return None
        bid = world.tiles.building_at.get(world.tiles.index(*cell))
        b = world.buildings.get(bid) if bid is not None else None
        if b is None:
            return None
        known = world.players[self.viewer].known_buildings
        if b.owner == self.viewer or b.id in known or world.building_visible(self.viewer, b):
            return b
        return None

    # -- events -------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
            self.mouse_moved = True
            if self.minimap_drag:
                self._minimap_camera(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self.mouse = event.pos
            self._mouse_down(event.pos, event.button)
        elif event.type == pygame.MOUSEBUTTONUP:
            self.mouse = event.pos
            if event.button == 1:
                self.minimap_drag = False
                if self.drag_start is not None:
                    self._finish_drag(event.pos)
        elif event.type == pygame.KEYDOWN:
            self._key(event)

    def _mouse_down(self, pos: tuple[int, int], button: int) -> None:
        layout = self.game.layout
        if layout.minimap.collidepoint(pos):
            self._minimap_click(pos, button)
        elif layout.sidebar.collidepoint(pos):
            self._sidebar_click(pos, button)
        elif layout.map_view.collidepoint(pos):
            if button == 1:
                self._map_left(pos)
            elif button == 3:
                self._map_right(pos)

    def _minimap_click(self, pos: tuple[int, int], button: int) -> None:
        if button == 1:
            self.minimap_drag = True
            self._minimap_camera(pos)
        elif button == 3:
            tx, ty = self.game.minimap.to_tiles(pos)
            self._order_units_to((int(tx), int(ty)), attack_move=self.mode == ATTACK_MOVE)

    def _minimap_camera(self, pos: tuple[int, int]) -> None:
        self.game.camera.center_on(*self.game.minimap.to_tiles(pos))

    def _sidebar_click(self, pos: tuple[int, int], button: int) -> None:
        game = self.game
        slot = game.sidebar.queue_slot_at(pos)
        factory = self.selected_building()
        if slot is not None and factory is not None and slot < len(factory.queue):
            game.issue(Order(O.CANCEL_TRAIN, self.viewer, target=factory.id,
                             item=factory.queue[slot]))
            return
        target = game.sidebar.button_at(pos)
        if target is None or button not in (1, 3):
            return
        shift = bool(pygame.key.get_mods() & pygame.KMOD_SHIFT)
        self.press_sidebar(target, right=button == 3, shift=shift)

    def press_sidebar(self, target: SidebarButton, right: bool = False,
                      shift: bool = False) -> None:
        game = self.game
        factory = self.selected_building()
        own_factory = factory if factory is not None and factory.owner == self.viewer else None
        action = game.sidebar.click(game.world, target, right, shift, own_factory)
        if action.sell_mode:
            self.set_mode(SELL_MODE)
        elif action.repair_mode:
            self.set_mode(REPAIR_MODE)
        elif target.kind in (SELL, REPAIR):
            self.set_mode(NORMAL)
        if action.place is not None:
            self.place_item = action.place
            self.set_mode(PLACE)
        if action.rejection is not None:
            game.reject(action.rejection)
        elif action.order is not None:
            game.issue(action.order)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.game.sidebar.sell_mode = mode == SELL_MODE
        self.game.sidebar.repair_mode = mode == REPAIR_MODE
        if mode != PLACE:
            self.place_item = None

    # -- map clicks ------------------------------------------------------------------
    def _map_left(self, pos: tuple[int, int]) -> None:
        game = self.game
        cell = game.camera.to_cell(*pos)
        if self.mode == PLACE and self.place_item is not None:
            self._place(cell)
        elif self.mode == SELL_MODE:
            b = self._building_at(cell)
            if b is not None and b.owner == self.viewer:
                game.issue(Order(O.SELL, self.viewer, target=b.id))
        elif self.mode == REPAIR_MODE:
            b = self._building_at(cell)
            if b is not None and b.owner == self.viewer:  # repairs it, or stops repairing it
                game.issue(Order(O.REPAIR, self.viewer, target=b.id))
        elif self.mode == ATTACK_MOVE:
            self._order_units_to(cell, attack_move=True)
            if not pygame.key.get_mods() & pygame.KMOD_SHIFT:
                self.set_mode(NORMAL)
        else:
            self.drag_start = pos

    def _place(self, cell: tuple[int, int]) -> None:
        game = self.game
        item = self.place_item
        assert item is not None
        x, y = game.placement.anchor(item, cell)
        order = Order(O.PLACE, self.viewer, cell=(x, y), item=item)
        if game.issue(order):
            self.set_mode(NORMAL)

    def _finish_drag(self, pos: tuple[int, int]) -> None:
        start = self.drag_start
        self.drag_start = None
        assert start is not None
        shift = bool(pygame.key.get_mods() & pygame.KMOD_SHIFT)
        if abs(pos[0] - start[0]) < DRAG_PIXELS and abs(pos[1] - start[1]) < DRAG_PIXELS:
            self._click_select(pos, shift)
            return
        box = pygame.Rect(min(start[0], pos[0]), min(start[1], pos[1]),
                          abs(pos[0] - start[0]), abs(pos[1] - start[1]))
        boxed = []
        for u, x, y in self.game.drawn_units:
            if u.owner != self.viewer:
                continue
            sx, sy = self.game.camera.to_screen(x, y)
            if u.type.flying:
                sy -= FLIGHT_HEIGHT
            if box.collidepoint(sx, sy):
                boxed.append(u)
        self._select([u.id for u in box_pick(boxed)], add=shift)

    def _click_select(self, pos: tuple[int, int], shift: bool) -> None:
        entity = self.entity_at(pos)
        now = time.monotonic()
        last_time, last_id = self._last_click
        self._last_click = (now, entity.id if entity else None)
        if entity is None:
            if not shift:
                self.selection = []
            return
        if isinstance(entity, Unit) and entity.owner == self.viewer:
            if now - last_time < DOUBLE_CLICK_SECONDS and last_id == entity.id:
                same = [u.id for u, _, _ in self.game.drawn_units
                        if u.owner == self.viewer and u.type is entity.type]
                self._select(same, add=shift)
            elif shift and entity.id in self.selection:
                self.selection.remove(entity.id)
            else:
                self._select([entity.id], add=shift)
            return
        self.selection = [entity.id]  # a building or an enemy: shown alone
        self.game.app.audio.play("click", 0.5)

    def _select(self, ids: list[int], add: bool) -> None:
        if add:
            kept = [u.id for u in self.own_units()]
            already = set(kept)
            ids = kept + [i for i in ids if i not in already]
        self.selection = ids
        if ids:
            self.game.app.audio.play("click", 0.5)

    def _map_right(self, pos: tuple[int, int]) -> None:
        if self.mode != NORMAL:
            self.set_mode(NORMAL)
            return
        game = self.game
        units = self.own_units()
        cell = game.camera.to_cell(*pos)
        if not units:
            b = self.selected_building()
            if b is not None and b.owner == self.viewer:
                if game.issue(Order(O.RALLY, self.viewer, target=b.id, cell=cell)):
                    game.effects.marker(cell[0] + 0.5, cell[1] + 0.5, MOVE_MARK)
            return
        target = self.entity_at(pos)
        if target is not None and target.owner != self.viewer:
            order = Order(O.ATTACK, self.viewer, tuple(u.id for u in units), target=target.id)
            if game.issue(order):
                tx, ty = (target.x, target.y) if isinstance(target, Unit) else target.center
                game.effects.marker(tx, ty, ATTACK_MARK)
            return
        harvesters = [u.id for u in units if u.type.harvest_capacity]
        if harvesters and self._has_resource(cell):
            others = tuple(u.id for u in units if not u.type.harvest_capacity)
            game.issue(Order(O.HARVEST, self.viewer, tuple(harvesters), cell=cell))
            if others:
                game.issue(Order(O.MOVE, self.viewer, others, cell=cell))
            game.effects.marker(cell[0] + 0.5, cell[1] + 0.5, HARVEST_MARK)
            return
        self._order_units_to(cell, attack_move=False)

    def _has_resource(self, cell: tuple[int, int]) -> bool:
        tiles = self.game.world.tiles
        if not tiles.in_bounds(*cell):
            return False
        i = tiles.index(*cell)
        return bool(tiles.resource_amount[i]) and \
            bool(self.game.world.players[self.viewer].explored[i])

    def _order_units_to(self, cell: tuple[int, int], attack_move: bool) -> None:
        units = self.own_units()
        if not units:
            return
        kind: O.OrderKind = O.ATTACK_MOVE if attack_move else O.MOVE
        if self.game.issue(Order(kind, self.viewer, tuple(u.id for u in units), cell=cell)):
            self.game.effects.marker(cell[0] + 0.5, cell[1] + 0.5,
                                     ATTACK_MARK if attack_move else MOVE_MARK)

    # -- keys ---------------------------------------------------------------------------
    def _key(self, event: pygame.event.Event) -> None:
        key, mods = event.key, event.mod
        game = self.game
        if key in GROUP_KEYS:
            self._group_key(GROUP_KEYS[key], bool(mods & pygame.KMOD_CTRL))
        elif key == pygame.K_a and self.own_units():
            self.set_mode(ATTACK_MOVE)
        elif key == pygame.K_s and self.own_units():
            game.issue(Order(O.STOP, self.viewer, tuple(u.id for u in self.own_units())))
        elif key == pygame.K_h:
            hq = next(game.world.buildings_of(self.viewer, "hq"), None)
            if hq is not None:
                game.camera.center_on(*hq.center)
        elif key == pygame.K_SPACE and game.last_alert is not None:
            game.camera.center_on(*game.last_alert)
        elif key == pygame.K_DELETE:
            self._delete_key()
        elif not mods & (pygame.KMOD_CTRL | pygame.KMOD_ALT) and event.unicode:
            button = game.sidebar.button_for_key(event.unicode.lower())
            if button is not None:
                self.press_sidebar(button, shift=bool(mods & pygame.KMOD_SHIFT))

    def _delete_key(self) -> None:
        b = self.selected_building()
        if b is not None and b.owner == self.viewer:
            self.game.issue(Order(O.SELL, self.viewer, target=b.id))
        else:
            self.set_mode(NORMAL if self.mode == SELL_MODE else SELL_MODE)

    def _group_key(self, number: int, assign: bool) -> None:
        game = self.game
        if assign:
            units = self.own_units()
            if units:
                self.groups[number] = [u.id for u in units]
                game.toast(game.say("msg_group_set", group=number, count=len(units)))
            return
        ids = [i for i in self.groups.get(number, []) if i in game.world.units]
        if not ids:
            return
        now = time.monotonic()
        last_time, last_number = self._last_group
        self._last_group = (now, number)
        if now - last_time < DOUBLE_CLICK_SECONDS and last_number == number:
            units = [game.world.units[i] for i in ids]
            game.camera.center_on(sum(u.x for u in units) / len(units),
                                  sum(u.y for u in units) / len(units))
        self.selection = ids

    def cancel(self) -> bool:
        """Esc: leave the current mode; False if there was none."""
        if self.mode == NORMAL and self.drag_start is None:
            return False
        self.set_mode(NORMAL)
        self.drag_start = None
        return True

    # -- per frame -----------------------------------------------------------------------
    def scroll(self, dt: float) -> None:
        pressed = pygame.key.get_pressed()
        commands_on_keys = bool(self.own_units())
        dx = dy = 0
        for key, kx, ky in SCROLL_KEYS if self.scroll_keys else ():
            if commands_on_keys and key in (pygame.K_a, pygame.K_s):
                continue
            if pressed[key]:
                dx += kx
                dy += ky
        if self.mouse_moved and pygame.mouse.get_focused() and self.drag_start is None:
            mx, my = self.mouse
            w, h = WINDOW_SIZE
            dx += (mx >= w - EDGE_MARGIN) - (mx < EDGE_MARGIN)
            dy += (my >= h - EDGE_MARGIN) - (my < EDGE_MARGIN)
        if dx or dy:
            self.game.camera.scroll(dx * SCROLL_SPEED * dt, dy * SCROLL_SPEED * dt)

    def draw(self, surface: pygame.Surface) -> None:
        """Box selection, placement ghost, and mode cursors, over the map."""
        game = self.game
        if self.mode == PLACE and self.place_item is not None:
            game.placement.draw(surface, game.world, game.camera, self.place_item,
                                game.camera.to_cell(*self.mouse))
        if self.drag_start is not None:
            x0, y0 = self.drag_start
            x1, y1 = self.mouse
            box = pygame.Rect(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
            if box.width >= DRAG_PIXELS or box.height >= DRAG_PIXELS:
                pygame.draw.rect(surface, (120, 255, 140), box, 1)
        if not game.layout.map_view.collidepoint(self.mouse):
            return
        mx, my = self.mouse
        if self.mode == ATTACK_MOVE:
            pygame.draw.circle(surface, ATTACK_MARK, (mx, my), 10, 2)
            pygame.draw.line(surface, ATTACK_MARK, (mx - 14, my), (mx + 14, my), 1)
            pygame.draw.line(surface, ATTACK_MARK, (mx, my - 14), (mx, my + 14), 1)
        elif self.mode == SELL_MODE:
            pygame.draw.circle(surface, HARVEST_MARK, (mx + 14, my + 14), 9, 2)
            draw_text(surface, "$", (mx + 14, my + 14), 13, HARVEST_MARK, "bold", anchor="center")
        elif self.mode == REPAIR_MODE:
            draw_repair_mark(surface, (mx + 14, my + 14), REPAIR_MARK)
        elif units := self.own_units():
            target = self.entity_at(self.mouse)
            if target is not None and target.owner != self.viewer:
                pygame.draw.circle(surface, ATTACK_MARK, (mx, my), 9, 2)
                if not any(can_attack(u.type.weapon, target) for u in units):
                    # Crossed out: a right click here is refused (tanks under a helicopter).
                    pygame.draw.line(surface, ATTACK_MARK, (mx - 6, my + 6), (mx + 6, my - 6), 2)

    def mode_hint(self) -> str | None:
        if self.mode == PLACE and self.place_item is not None:
            return self.game.say("hint_place", building=self.place_item)
        if self.mode == ATTACK_MOVE:
            return self.game.say("hint_attack_move")
        if self.mode == SELL_MODE:
            return self.game.say("hint_sell")
        if self.mode == REPAIR_MODE:
            return self.game.say("hint_repair")
        return None
