"""A read-only view of one note, scrolled to a line with the passage highlighted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from app.session import Session
from graph_data.reader import read_text

__all__ = ["NoteViewer"]

_HIGHLIGHT = "#ffe98a"


class NoteViewer(QWidget):
    """Shows a note read-only with lines ``line..end_line`` highlighted.

    Signals:
        noteShown(str, int, int): the file (as given), first and last highlighted line.
    """

    noteShown = Signal(str, int, int)

    def __init__(self, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.path: Path | None = None
        self.title = QLabel("Pick a search result or a piece of evidence to read it here.", self)
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Open note")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setAccessibleName("Note text")
        self.text.setToolTip("The note, read-only; the passage is highlighted")
        self.text.setFont(QFont("monospace"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        self._range = (0, 0)

    def open_note(self, file: str, line: int, end_line: int) -> bool:
        """Show ``file`` of the session's folder at ``line..end_line``; False if it cannot."""
        notes = self._session.notes if self._session is not None else None
        if notes is None or not file:
            return False
        return self.show_passage(notes, file, line, end_line)

    def show_passage(self, root: Path, file: str, line: int, end_line: int) -> bool:
        """Show ``root / file`` highlighting ``line..end_line`` (1-based); False if unreadable."""
        path = Path(root) / file
        text, trouble = _read_note(root, file)
        if trouble is not None:
            self.title.setText(f"{file} could not be opened: {trouble}")
            self.text.clear()
            self._range = (0, 0)
            return False
        if self.path != path or self.text.toPlainText() != text:
            self.text.setPlainText(text)
        self.path = path
        end_line = max(line, end_line)
        self.title.setText(
            f"<b>{file}</b> — line {line}" + (f"–{end_line}" if end_line > line else "")
        )
        self._highlight(line, end_line)
        self.noteShown.emit(file, line, end_line)
        return True

    def _highlight(self, line: int, end_line: int) -> None:
        doc = self.text.document()
        start = doc.findBlockByNumber(max(0, line - 1))
        end = doc.findBlockByNumber(max(0, end_line - 1))
        cursor = QTextCursor(start)
        cursor.setPosition(
            end.position() + max(0, end.length() - 1), QTextCursor.MoveMode.KeepAnchor
        )
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(_HIGHLIGHT))
        fmt.setForeground(QColor("black"))
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor
        sel.format = fmt
        self.text.setExtraSelections([sel])
        # Put the end first, then the start, so the whole passage ends up on screen.
        self.text.setTextCursor(QTextCursor(end))
        self.text.ensureCursorVisible()
        self.text.setTextCursor(QTextCursor(start))
        self.text.centerCursor()
        self._range = (start.blockNumber() + 1, end.blockNumber() + 1)

    def highlighted_lines(self) -> tuple[int, int]:
        """The highlighted line range, (0, 0) when nothing is shown."""
        return self._range

    def highlighted_text(self) -> str:
        """The text of the highlighted passage."""
        sels = self.text.extraSelections()
        return sels[0].cursor.selectedText().replace("\u2029", "\n") if sels else ""


def _read_note(root: Path, file: str) -> tuple[str, str | None]:
    """The note's text decoded as the build reads it (so lines match), or why it can't be shown.

    The reader's own rules decide: a file the build skips (too big, binary, not a regular file,
    a link out of the folder) is refused before it is read, since loading one into the viewer
    would freeze the window or show what the build never read.
    """
    text, problem = read_text(Path(root), Path(root) / file)
    if problem is not None:
        return "", problem.message.removeprefix("skipped: ")
    return text, None
