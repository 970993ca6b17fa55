"""Help › Keyboard shortcuts and Help › About: what the keys do, the versions and the folders."""

from __future__ import annotations

import html
import platform

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from app.actions import KEYS
from graph_data import __version__, userdirs

__all__ = ["HelpMenu", "about_text"]


class HelpMenu(QObject):
    """The Help menu's two boxes, opened over the window.

    Signals:
        none: each entry opens a box.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    @Slot()
    def show_shortcuts(self) -> None:
        """Help › Keyboard shortcuts: the list built from :data:`~app.actions.KEYS`."""
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in KEYS)
        box = QMessageBox(self._window)
        box.setWindowTitle("Keyboard shortcuts")
        box.setText(f"<table cellpadding='3'>{rows}</table>")
        box.open()

    @Slot()
    def show_about(self) -> None:
        """Help › About: version, Qt and Python versions and the app's folders."""
        QMessageBox.about(self._window, "About Service Atlas", about_text())


def about_text() -> str:
    """The About box's text."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    return (
        f"<h3>Service Atlas {__version__}</h3>"
        f"<p>Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}</p>"
        f"<p>Cache: {html.escape(str(userdirs.cache_dir()))}<br>"
        f"Data: {html.escape(str(userdirs.data_dir()))}<br>"
        f"Logs: {html.escape(str(userdirs.log_dir()))}</p>"
    )
