"""Starting the desktop app: settings, first run on the sample notes, and screenshot mode."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

__all__ = ["run", "sample_notes"]


def sample_notes() -> Path:
    """The folder of sample notes that ships inside the core package."""
    return Path(str(resources.files("graph_data") / "samples"))


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise SystemExit(
            f"service-atlas: error: --size must look like 1400x900, not {text!r}"
        ) from None
    return max(w, 200), max(h, 200)


def run(args: argparse.Namespace) -> int:
    """Open the window on NOTES_DIR, the last folder or the samples; or save a screenshot."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.crashlog import install_excepthook
    from app.paths import resource
    from app.window import MainWindow
    from graph_data import userdirs

    width, height = _size(args.size)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Service Atlas")
    app.setDesktopFileName("io.github.serviceatlas.ServiceAtlas")
    app.setWindowIcon(QIcon(str(resource("icons/service-atlas.svg"))))
    settings = QSettings(str(userdirs.config_dir() / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, sample_notes())
    install_excepthook(lambda message: window.statusBar().showMessage(message))
    notes = args.notes
    if notes is None:
        last = settings.value("last_folder")
        notes = Path(last) if last and Path(last).is_dir() else sample_notes()
    if args.screenshot:
        return _screenshot(app, window, Path(notes), args, width, height)
    window.resize(width, height)
    window.show()
    QTimer.singleShot(0, lambda: window.open_folder(Path(notes)))
    return app.exec()


def _screenshot(app, window, notes: Path, args, width: int, height: int) -> int:
    """Render the window offscreen after the build, save a PNG and return the exit code."""
    outcome: dict[str, int] = {}

    def done(_changes) -> None:
        if args.select:
            try:
                sid = window.result.catalog.resolve(args.select).id
            except KeyError:
                sid = None
            if not sid or not window.select_service(sid):
                print(
                    f"service-atlas: warning: {args.select!r} is not in the graph", file=sys.stderr
                )
        if args.query:
            window.query.setText(args.query)
            window.run_search()
        app.processEvents()
        ok = window.grab().save(str(args.screenshot))
        if not ok:
            print(f"service-atlas: error: cannot write {args.screenshot}", file=sys.stderr)
        outcome["code"] = 0 if ok else 2
        app.quit()

    def failed(message: str) -> None:
        print(f"service-atlas: error: {message}", file=sys.stderr)
        outcome["code"] = 2
        app.quit()

    window.buildFinished.connect(done)
    window.buildFailed.connect(failed)
    window.resize(width, height)
    window.show()
    window.open_folder(notes)
    app.exec()
    return outcome.get("code", 2)
