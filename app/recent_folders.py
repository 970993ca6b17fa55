"""File › Open recent: the folders opened last, newest first, kept in the settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMenu, QToolBar

__all__ = ["MAX_RECENT", "RecentFolders"]

#: How many folders the menu lists.
MAX_RECENT = 8


class RecentFolders(QObject):
    """The recent folders' list and its submenu.

    Signals:
        chosen(object): the user picked a folder (a ``Path``) from the menu.
    """

    chosen = Signal(object)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.menu: QMenu | None = None

    def folders(self) -> list[str]:
        """Recently opened folders, newest first."""
        value = self.settings.value("recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def add_to(self, menu: QMenu | QToolBar) -> None:
        """Add the Open recent submenu to ``menu`` (the File menu's ``@recent`` entry)."""
        self.menu = menu.addMenu("Open &recent")  # type: ignore[union-attr]
        self._fill()

    def remember(self, notes: Path) -> None:
        """Put ``notes`` first in the list, and make it the folder the next run opens."""
        recent = [str(notes)] + [p for p in self.folders() if p != str(notes)]
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self.settings.setValue("last_folder", str(notes))
        self._fill()

    def _fill(self) -> None:
        if self.menu is None:
            return
        self.menu.clear()
        for folder in self.folders():
            action = self.menu.addAction(folder)
            action.triggered.connect(lambda _=False, f=folder: self.chosen.emit(Path(f)))
        self.menu.setEnabled(bool(self.folders()))
