"""Every text of both languages fits the widget that shows it (real fonts, headless SDL).

Each label is rendered with the font and size its widget uses and its width is
compared with the room the widget gives it. Values inside a text (names,
numbers) take their widest case. The last test walks the whole i18n table, so
a key this file does not place elsewhere is held to the message line's width:
a future long translation fails here instead of overflowing on screen.
"""

from __future__ import annotations

import itertools
import os
import string

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.i18n import LANGUAGES, MESSAGES  # noqa: E402
from game.rules import BUILDING_TYPES, UNIT_TYPES  # noqa: E402
from game.settings import DIFFICULTIES, GAME_SPEEDS, Settings  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.frame_guard import DIALOG_SIZE  # noqa: E402
from game.ui.hud import DebugOverlay  # noqa: E402
from game.ui.messages import say  # noqa: E402
from game.ui.screens import EndScreen, PauseMenu, TitleScreen  # noqa: E402
from game.ui.sidebar import repair_button_layout, sell_button_layout  # noqa: E402
from game.ui.theme import WINDOW_SIZE, font  # noqa: E402
from game.ui.widgets import LABEL_SIZE  # noqa: E402

TYPE_NAMES = (*UNIT_TYPES, *BUILDING_TYPES)
# The widest value each parameter of a message can take ("unit": every type is tried).
CHOICES: dict[str, tuple[object, ...]] = {
    "building": tuple(BUILDING_TYPES), "unit": tuple(UNIT_TYPES),
    "item": TYPE_NAMES, "what": TYPE_NAMES,
    "level": DIFFICULTIES, "count": (99,), "cost": (2000,), "credits": ("99 999",),
    "refund": (2000,), "percent": (100,), "group": (9,), "produced": (999,), "used": (999,),
    "hp": (2200,), "max": (2200,), "speed": (GAME_SPEEDS[0],), "volume": (100,),
    "letter": ("W",), "ms": (9999,), "worst": ("99.9",), "fps": (60,), "seconds": (9.9,),
    "game": (999,), "model": (999,), "queue": (9,), "state": ("loading",),
}


@pytest.fixture(scope="module")
def app():
    application = App(Settings(), fps=None, start_model=False)
    application.start_game(seed=3)
    yield application
    application.model.shutdown()
    pygame.quit()


def width(text: str, size: int, style: str = "regular") -> int:
    return font(size, style).size(text)[0]


def widest(key: str, lang: str, size: int, style: str = "regular") -> tuple[int, str]:
    """The widest rendering of a message over its parameters' possible values."""
    fields = sorted({f for _, f, _, _ in string.Formatter().parse(MESSAGES[key][lang]) if f})
    options = [CHOICES.get(f, ("9999",)) for f in fields]
    best = (0, "")
    for values in itertools.product(*options):
        text = say(key, lang, **dict(zip(fields, values)))
        best = max(best, (width(text, size, style), text))
    return best


def assert_fits(key: str, lang: str, room: int, size: int, style: str = "regular") -> None:
    used, text = widest(key, lang, size, style)
    assert used <= room, f"{lang} {key!r}: {text!r} is {used} px wide, room for {room}"


# -- buttons: every label, in every state, at full size in its own button --------------
def _button_labels(app: App, make) -> list[tuple[str, int, int]]:
    seen = []
    for lang, difficulty, speed in itertools.product(LANGUAGES, DIFFICULTIES, GAME_SPEEDS):
        app.settings.language, app.settings.difficulty = lang, difficulty
        app.settings.game_speed, app.settings.volume = speed, 1.0
        for button in make():
            seen.append((button.label(), width(button.label(), LABEL_SIZE, "bold"),
                         button.label_width))
    app.settings = Settings()
    return seen


def test_title_buttons(app: App) -> None:
    for label, used, room in _button_labels(app, lambda: TitleScreen(app).buttons):
        assert used <= room, f"{label!r} is {used} px wide, room for {room}"


def test_menu_buttons(app: App) -> None:
    game = app.screen
    buttons = lambda: [b for i, b in enumerate(PauseMenu(app, game).buttons) if i != 4]  # noqa: E731
    for label, used, room in _button_labels(app, buttons):
        assert used <= room, f"{label!r} is {used} px wide, room for {room}"
    panel = PauseMenu(app, game).panel
    for lang in LANGUAGES:
        assert_fits("menu_title", lang, panel.width - 40, 24, "bold")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_model_file_button_fits_any_file_name(app: App, lang: str) -> None:
    app.settings.language = lang
    button = PauseMenu(app, app.screen).buttons[4]
    for model_file in ("gemma-3-270m-q4_k_m.gguf",
                       "qwen2.5-coder-1.5b-instruct-q4_0-with-a-much-longer-name.gguf"):
        app.settings.model_file = model_file
        shown, size = button.fitted_label()
        assert width(shown, size, "bold") <= button.label_width
        assert shown.endswith(".gguf")  # cut in the middle: the extension stays
    app.settings.model_file = "gemma-3-270m-q4_k_m.gguf"  # the default is shown whole
    assert button.fitted_label()[0] == button.label()
    app.settings = Settings()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_end_screen(app: App, lang: str) -> None:
    app.settings.language = lang
    end = EndScreen(app, app.screen)
    for button in end.buttons:
        assert width(button.label(), LABEL_SIZE, "bold") <= button.label_width
    room = end.panel.width - 80  # rows run from x + 40 to right - 40
    for key, _ in end.rows:
        used = width(say(key, lang), 16) + 16 + width("99 999 999", 16, "bold")
        assert used <= room, f"{lang} {key!r} row is {used} px wide, room for {room}"
    for title in ("end_victory", "end_defeat"):
        assert_fits(title, lang, end.panel.width - 40, 40, "bold")
    app.settings = Settings()


# -- the game screen ------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("kind", "layout"), [("sell", sell_button_layout),
                                              ("repair", repair_button_layout)])
def test_sell_and_repair_button_labels_and_keys_do_not_overlap(app: App, lang: str, kind: str,
                                                              layout) -> None:
    sidebar = app.screen.sidebar
    button = next(b for b in sidebar.buttons if b.kind == kind)
    mark, label, key = layout(button.rect, lang)
    inner = button.rect.inflate(-2, -2)
    for part in (mark, label, key):
        assert inner.contains(part), (lang, part, inner)
    assert not label.colliderect(key) and not mark.colliderect(key)
    assert not mark.colliderect(label)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sidebar_texts(app: App, lang: str) -> None:
    sidebar = app.screen.sidebar
    side = sidebar.rect.width - 20
    for key in ("section_buildings", "section_units"):
        assert_fits(key, lang, side, 12, "bold")
    credits = sidebar.credits_rect
    assert width(say("credits", lang), 13) + 12 + width("999 999", 16, "bold") \
        <= credits.width - 16
    assert_fits("power", lang, sidebar.power_rect.width - 4, 11, "bold")
    button = next(b for b in sidebar.buttons if b.kind == "train").rect
    assert_fits("ready", lang, button.width - 4, 13, "bold")
    if "on_hold" in MESSAGES:  # drawn at 11 pt, or smaller down to 9 pt when it must
        assert_fits("on_hold", lang, button.width - 4, 9, "bold")
    panel = sidebar.selection_rect
    assert_fits("units_selected", lang, panel.width - 16, 12, "bold")
    assert_fits("queue_title", lang, panel.width - 16, 11)
    # The health text sits right of the health bar, which ends 92 px from the edge.
    assert_fits("hp", lang, 92 - 8 - 4, 11)
    help_lines = say("sidebar_help", lang).split("\n")
    for line in help_lines:
        assert width(line, 11) <= panel.width - 16, (lang, line)
    assert 6 + 15 * len(help_lines) <= panel.height, lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_top_bar_keeps_clear_of_the_model_status(app: App, lang: str) -> None:
    game = app.screen
    layout = game.layout
    me = game.world.players[0]
    saved = me.power_used
    me.power_used = me.power_produced + 1  # LOW POWER shows too
    surface = pygame.Surface(WINDOW_SIZE)
    try:
        for difficulty in DIFFICULTIES:
            surface.fill((0, 0, 0))
            game.topbar.draw(surface, game.world, lang, GAME_SPEEDS[0], True, difficulty)
            background = surface.get_at((layout.top_bar.right - 2, 2))
            strip = pygame.Rect(layout.model_status.x - 4, 2, layout.model_status.width + 4,
                                layout.top_bar.height - 4)
            drawn = [x for x in range(strip.left, strip.right) for y in range(strip.top,
                     strip.bottom) if surface.get_at((x, y)) != background]
            assert not drawn, f"{lang}/{difficulty}: top bar text reaches x={min(drawn)}"
    finally:
        me.power_used = saved


@pytest.mark.parametrize("lang", LANGUAGES)
def test_map_overlays(app: App, lang: str) -> None:
    layout = app.screen.layout
    view, bar = layout.map_view, layout.command_bar
    # Mode hints sit between the command bar and the right edge of the map.
    hint_room = 2 * (view.right - (bar.right + view.right) // 2) - 18
    for key in ("hint_place", "hint_attack_move", "hint_sell"):
        assert_fits(key, lang, hint_room, 14, "bold")
    # The pause box.
    assert_fits("paused", lang, 300 - 16, 22, "bold")
    assert_fits("pause_hint", lang, 300 - 16, 12)
    # The command bar: the hint under it, the placeholder inside it.
    assert_fits("command_hint", lang, bar.width - 8, 12)
    assert_fits("command_placeholder", lang, bar.width - 40, 14)
    # Alerts flash in a box over the minimap.
    for key in ("alert_under_attack", "alert_building_lost", "alert_harvester_lost",
                "alert_low_power"):
        assert_fits(key, lang, layout.minimap.width - 12, 12, "bold")
    assert_fits("advisor_title", lang, layout.advisor.width - 60, 13, "bold")
    # The model indicator shortens what does not fit; its fixed states should not need it.
    for key in ("model_ready", "model_offline", "model_loading"):
        assert_fits(key, lang, layout.model_status.width - 18, 12)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_title_screen_lines(app: App, lang: str) -> None:
    room = WINDOW_SIZE[0] - 40
    assert_fits("title_subtitle", lang, room, 18)
    assert_fits("controls_hint", lang, room, 13)
    assert_fits("loading", lang, room, 24, "bold")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_debug_overlay_lines(app: App, lang: str) -> None:
    for key in ("debug_fps", "debug_work", "debug_tick", "debug_model", "debug_memory"):
        assert_fits(key, lang, DebugOverlay.WIDTH - 16, 12, "mono")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_error_dialog(app: App, lang: str) -> None:
    assert_fits("crash_title", lang, DIALOG_SIZE[0] - 40, 22, "bold")
    button = app.guard._button  # the dialog's one button, drawn by the Button widget
    assert width(say("crash_continue", lang), LABEL_SIZE, "bold") <= button.label_width


# Keys the tests above place in their own widgets.
PLACED = {
    "title_new_game", "difficulty_label", "difficulty_easy", "difficulty_normal",
    "difficulty_hard", "language_label", "language_name", "quit", "menu_resume", "menu_speed",
    "menu_volume", "menu_restart_model", "menu_model_file", "menu_quit_to_title",
    "menu_title", "end_new_game", "end_title", "end_victory", "end_defeat", "end_game_time",
    "end_units_built", "end_units_lost", "end_units_killed", "end_buildings_lost",
    "end_buildings_sold", "end_buildings_destroyed", "end_credits_harvested",
    "section_buildings", "section_units", "credits", "power", "ready", "on_hold", "sell",
    "key_delete", "units_selected", "queue_title", "hp", "sidebar_help", "speed",
    "low_power", "paused", "pause_hint", "hint_place", "hint_attack_move", "hint_sell",
    "command_hint", "command_placeholder", "alert_under_attack", "alert_building_lost",
    "alert_harvester_lost", "alert_low_power", "advisor_title", "model_ready",
    "model_offline", "model_loading", "title_subtitle", "controls_hint", "loading",
    "debug_fps", "debug_work", "debug_tick", "debug_model", "debug_memory", "crash_title",
    "crash_continue",
}
# Keys drawn with wrap() (advisor lines, tooltips, the command log, the crash box):
# only a single word could overflow them.
WRAPPED_ROOM = 200  # px at 13 bold: less than the narrowest wrapping widget
WRAPPED = {
    "summary", "model_offline_detail", "model_title", "model_thinking", "crash_body",
    "model_thinking_advice",
    # Typed orders' answers, shown only in the command log.
    "not_a_command", "bad_count", "bad_target", "bad_unit", "harvesters_cannot_attack",
    "too_many_commands", "empty_order", "order_too_long", "not_allowed", "bad_tile",
    "short_of_credits", "queue_room", "waiting_for", "waited_too_long", "too_many_waiting",
    "no_units_of", "no_known_target", "no_ore_left", "units_word", "not_understood",
    "model_unavailable", "order_cancelled", "no_room_refunded", "training", "on_hold_note",
    "placed_at", "factory_lost",
}


def _wrapped(key: str) -> bool:
    return key in WRAPPED or key.startswith(("tip_", "did_", "balance_", "summary_", "build_",
                                             "side_", "part_"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_other_text_fits_the_message_line(app: App, lang: str) -> None:
    """Refusals and event messages show as one line in the message area (toasts)."""
    room = app.screen.layout.toasts.width - 24
    for key in MESSAGES:
        if key in PLACED:
            continue
        if _wrapped(key):
            _, text = widest(key, lang, 13, "bold")
            for word in text.split():
                assert width(word, 13, "bold") <= WRAPPED_ROOM, (lang, key, word)
            continue
        assert_fits(key, lang, room, 14, "bold")
