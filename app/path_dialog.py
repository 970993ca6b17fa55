"""Go › Path between services: pick two services by name, with completion; Enter runs it."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from app.corrections import chosen_service, service_combo

__all__ = ["PathDialog"]


class PathDialog(QDialog):
    """Two service combo boxes (with completion) for "path between two services".

    Enter in either box runs the dialog once both name a service; until then it moves to the
    box still missing one and says what is missing.

    Signals:
        accepted(): inherited from QDialog; emitted once both boxes name a service.
    """

    def __init__(self, names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Path between two services")
        self.setAccessibleName("Path between two services")
        self.source = service_combo(names, "From service", self)
        self.target = service_combo(names, "To service", self)
        for box in (self.source, self.target):
            # An editable combo shows its first service: Enter would run a path nobody asked for.
            box.setCurrentIndex(-1)
            # With the completion list open, the completer takes Enter and the dialog never
            # sees it; the line edit still reports it.
            box.lineEdit().returnPressed.connect(self._enter)
        self.problem = QLabel(self)
        self.problem.setAccessibleName("What is missing")
        self.problem.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("From:", self.source)
        form.addRow("To:", self.target)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Show path")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[str | None, str | None]:
        """The two chosen service ids."""
        return chosen_service(self.source), chosen_service(self.target)

    @Slot()
    def _enter(self) -> None:
        # An editable combo box can report one Enter twice: run the dialog once.
        if self.isVisible():
            self.accept()

    @Slot()
    def accept(self) -> None:
        """Override QDialog::accept: close only once both boxes name a service."""
        missing = self._missing()
        if missing is None:
            self.problem.clear()
            super().accept()
            return
        box, words = missing
        self.problem.setText(words)
        box.setFocus()
        box.lineEdit().selectAll()

    def _missing(self) -> tuple[QComboBox, str] | None:
        for box, end in ((self.source, "start from"), (self.target, "go to")):
            if chosen_service(box) is None:
                text = box.currentText().strip()
                if not text:
                    return box, f"Type or pick the service to {end}."
                return box, f"No service is called “{text}”: pick one from the list."
        return None
