"""The actions table: every command declared once; menus, toolbar and key list built from it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence

from app.actions import ACTIONS, KEYS, MENUS, TOOLBAR
from app.gui import sample_notes
from app.main_window import MainWindow
from app.settings import open_settings


@pytest.fixture
def window(qtbot) -> MainWindow:
    w = MainWindow(open_settings(), sample_notes())
    qtbot.addWidget(w)
    return w


def _menu_actions(menu) -> set:
    found = set()
    for action in menu.actions():
        found.add(action)
        if action.menu() is not None:
            found |= _menu_actions(action.menu())
    return found


def test_every_declared_action_is_on_the_window_in_a_menu_with_its_keys(window):
    in_menus = set()
    for top in window.menuBar().actions():
        in_menus |= _menu_actions(top.menu())
    for spec in ACTIONS:
        action = getattr(window, spec.name)
        assert action in in_menus, spec.name
        assert [k.toString() for k in action.shortcuts()] == [
            QKeySequence(k).toString() for k in spec.keys
        ]


def test_the_menus_come_in_the_declared_order_with_edit_before_view(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Go", "&Help"]
    file_menu = [a.text() for a in window.menus["&File"].actions() if a.text()]
    assert file_menu[0] == "&Open notes folder…" and file_menu[-1] == "&Quit"


def test_the_toolbar_holds_what_the_table_says(window):
    named = [e.removeprefix("icons:") for e in TOOLBAR if not e.startswith(("@", "-"))]
    on_bar = window.toolbar.actions()
    for name in named:
        assert getattr(window, name) in on_bar


def test_the_keyboard_list_names_each_commands_first_key(window):
    shown = " ".join(k for k, _ in KEYS).replace("−", "-")
    for spec in ACTIONS:
        if spec.keys:
            key = QKeySequence(spec.keys[0]).toString()
            assert key in shown, f"{spec.name}: {key} is missing from Help › Keyboard shortcuts"


def test_menu_entries_name_known_actions_or_placeholders():
    names = {spec.name for spec in ACTIONS}
    for entries in (*MENUS.values(), TOOLBAR):
        for entry in entries:
            assert entry == "-" or entry.startswith("@") or entry.removeprefix("icons:") in names
