"""Every command of the main window, declared once as data (after napari's ``_qapp_model``).

:data:`ACTIONS` says what each command is called, what it runs, its keys, icon and tip;
:data:`MENUS` and :data:`TOOLBAR` say where it goes; :data:`KEYS` is the Help › Keyboard
shortcuts list, built from the same keys. The window turns these tables into ``QAction`` objects
(:func:`make_actions`) and fills its menus and toolbar from them (:func:`fill`); entries that
are not plain commands (the relation toggles, the theme choice, the panels) are named by a
placeholder that the window fills itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

__all__ = ["ACTIONS", "KEYS", "MENUS", "TOOLBAR", "ActionSpec", "fill", "make_actions"]

_Key = QKeySequence.StandardKey | Qt.Key | str


@dataclass(frozen=True)
class ActionSpec:
    """One command: the window attribute it becomes, its words, what it runs and its keys."""

    name: str
    text: str
    #: A method of the window, or a dotted path from it ("canvas.fit").
    run: str
    keys: tuple[_Key, ...] = ()
    icon: str | None = None
    tip: str = ""
    #: Whether it starts disabled (it needs a focus, a selection...).
    disabled: bool = False
    #: Whether it is an on/off toggle (its method reads the action's state).
    checkable: bool = False


_K = QKeySequence.StandardKey

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("openAction", "&Open notes folder…", "folders.choose", (_K.Open,), "open",
               "Open a notes folder"),
    ActionSpec("exportAction", "&Export…", "exportRequested.emit", ("Ctrl+E",), "export",
               "Export a study sheet"),
    ActionSpec("saveViewAction", "&Save view…", "views.choose_save"),
    ActionSpec("openViewAction", "Open &view…", "views.choose_open"),
    ActionSpec("quitAction", "&Quit", "close", (_K.Quit,)),
    ActionSpec("addRelationAction", "&Add relation…", "edit.choose_add_relation"),
    ActionSpec("renameAction", "Re&name service…", "edit.choose_rename"),
    ActionSpec("mergeAction", "&Merge services…", "edit.choose_merge"),
    ActionSpec("reviewAction", "Re&view uncertain relations…", "edit.show_review"),
    ActionSpec("decisionsAction", "Your &decisions…", "edit.show_decisions"),
    ActionSpec("fitAction", "&Fit graph", "canvas.fit", (Qt.Key.Key_0,), "fit",
               "Fit the whole graph (0)"),
    ActionSpec("zoomInAction", "Zoom &in", "canvas.zoom_in",
               (Qt.Key.Key_Plus, Qt.Key.Key_Equal, _K.ZoomIn), "zoom-in"),
    ActionSpec("zoomOutAction", "Zoom &out", "canvas.zoom_out", (Qt.Key.Key_Minus, _K.ZoomOut),
               "zoom-out"),
    ActionSpec("backAction", "&Back to all services", "view_model.back",
               (Qt.Key.Key_Backspace,), "back", "Leave the focus (Backspace)", disabled=True),
    ActionSpec("pathAction", "&Path between services…", "paths.choose", ("Ctrl+P",), "path"),
    ActionSpec("focusSelectionAction", "F&ocus on selection", "navigation.focus_selection",
               ("Ctrl+Return", "Ctrl+Enter"), tip="Show only the selected service and its "
               "neighbours (Ctrl+Return)"),
    ActionSpec("examOverlayAction", "Show e&xam scope on the graph", "exam_scope.toggle",
               ("Ctrl+Shift+X",), tip="Hollow circles for the exam's services your notes never "
               "name; services outside its scope washed out (the Gaps panel's exam)",
               checkable=True),
    ActionSpec("findAction", "&Find", "navigation.focus_search", (_K.Find,)),
    ActionSpec("clearAction", "Clear", "navigation.clear_all", (Qt.Key.Key_Escape,)),
    ActionSpec("shortcutsAction", "&Keyboard shortcuts", "help.show_shortcuts", ("F1",)),
    ActionSpec("aboutAction", "&About Service Atlas", "help.show_about"),
)  # fmt: skip

#: Menu title -> its entries: an action's name, "-" for a separator, or "@placeholder".
MENUS: Mapping[str, tuple[str, ...]] = {
    "&File": ("openAction", "@recent", "-", "saveViewAction", "openViewAction", "-",
              "exportAction", "-", "quitAction"),
    "&Edit": ("@undo", "-", "addRelationAction", "renameAction", "mergeAction", "-",
              "reviewAction", "decisionsAction"),
    "&View": ("fitAction", "zoomInAction", "zoomOutAction", "backAction", "-", "@relations",
              "@evidence", "@isolated", "examOverlayAction", "-", "@theme", "@legend", "@panels"),
    "&Go": ("findAction", "focusSelectionAction", "pathAction", "clearAction"),
    "&Help": ("shortcutsAction", "aboutAction"),
}  # fmt: skip

#: The main toolbar's entries, as in :data:`MENUS`; "icons:" marks icon-only buttons.
TOOLBAR: tuple[str, ...] = (
    "openAction", "-", "fitAction", "icons:zoomInAction", "icons:zoomOutAction", "backAction",
    "pathAction", "-", "@relations", "@min_evidence", "-", "exportAction",
)  # fmt: skip

#: Help › Keyboard shortcuts: (keys as shown, what they do).
KEYS: tuple[tuple[str, str], ...] = (
    ("Ctrl+O", "Open a notes folder"),
    ("Ctrl+F", "Search the notes"),
    ("Ctrl+E", "Export"),
    ("Ctrl+P", "Path between two services"),
    ("Esc", "Clear the search, the selection and any highlight"),
    ("+ / −", "Zoom in / out"),
    ("0", "Fit the whole graph"),
    ("Double-click", "Focus on a service and its neighbours"),
    ("Ctrl+Return", "Focus on the selected service"),
    ("Backspace", "Back out of focus"),
    ("Ctrl+Shift+X", "Show the exam's scope on the graph (the Gaps panel's exam)"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo a correction"),
    ("A / R / T", "In Review: accept, reject or change the type of a relation"),
    ("F1", "This list"),
    ("Ctrl+Q", "Quit"),
)


def _target(owner: object, path: str) -> Callable:
    for part in path.split("."):
        owner = getattr(owner, part)
    return owner  # type: ignore[return-value]


def make_actions(
    window: QWidget, icon: Callable[[str], QIcon], specs: Iterable[ActionSpec] = ACTIONS
) -> dict[str, QAction]:
    """A ``QAction`` for each spec, wired to the window, added to it (so its keys work
    everywhere) and set on it under the spec's name."""
    made = {}
    for spec in specs:
        action = QAction(icon(spec.icon) if spec.icon else QIcon(), spec.text, window)
        if spec.keys:
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setToolTip(spec.tip or spec.text.replace("&", "").rstrip("…"))
        action.setStatusTip(action.toolTip())
        action.triggered.connect(_target(window, spec.run))
        action.setEnabled(not spec.disabled)
        action.setCheckable(spec.checkable)
        window.addAction(action)
        setattr(window, spec.name, action)
        made[spec.name] = action
    return made


def fill(
    target: QMenu | QToolBar,
    entries: Iterable[str],
    actions: Mapping[str, QAction],
    placeholders: Mapping[str, Callable[[QMenu | QToolBar], None]],
) -> None:
    """Add ``entries`` to a menu or toolbar: actions by name, separators, and placeholders."""
    for entry in entries:
        if entry == "-":
            target.addSeparator()
        elif entry.startswith("@"):
            placeholders[entry](target)
        else:
            name = entry.removeprefix("icons:")
            target.addAction(actions[name])
            if isinstance(target, QToolBar):
                button = target.widgetForAction(actions[name])
                button.setAccessibleName(actions[name].toolTip())
                if entry.startswith("icons:"):
                    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
