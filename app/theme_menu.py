"""View › Theme: system, light or dark colours, remembered between runs."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication
from PySide6.QtWidgets import QMenu

from app.settings import THEMES, apply_theme

__all__ = ["ThemeMenu"]


class ThemeMenu(QObject):
    """The theme choices as one checkable group; "system" follows the desktop's scheme live.

    Signals:
        darkChanged(bool): the colours in use are now dark (True) or light.
    """

    darkChanged = Signal(bool)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.group = QActionGroup(self)
        self.actions: dict[str, QAction] = {}
        for theme in THEMES:
            action = QAction(theme.capitalize(), self.group)
            action.setCheckable(True)
            action.setData(theme)
            self.actions[theme] = action
        self.actions["system"].setChecked(True)
        self.group.triggered.connect(lambda a: self.set_theme(a.data()))
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    def theme(self) -> str:
        """The theme chosen."""
        return str(self.group.checkedAction().data())

    def add_to(self, menu: QMenu) -> None:
        """Add the Theme submenu to ``menu``."""
        menu.addMenu("&Theme").addActions(self.group.actions())

    @Slot(str)
    def set_theme(self, theme: str) -> None:
        """Use the ``"system"``, ``"light"`` or ``"dark"`` colours."""
        dark = apply_theme(theme)
        if theme in self.actions:
            self.actions[theme].setChecked(True)
        self.darkChanged.emit(dark)

    def restore(self, settings: QSettings) -> None:
        """Use the theme of the last run."""
        theme = str(settings.value("theme", "system"))
        self.set_theme(theme if theme in THEMES else "system")

    def save(self, settings: QSettings) -> None:
        """Keep the theme for the next run."""
        settings.setValue("theme", self.theme())

    @Slot()
    def _system_changed(self) -> None:
        if self.theme() == "system":
            self.set_theme("system")
