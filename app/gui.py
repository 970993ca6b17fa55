"""Starting the desktop app: settings, first run on the sample notes, and screenshot mode."""

from __future__ import annotations

import argparse
import os
import sys
from importlib import resources
from pathlib import Path

__all__ = ["ScreenshotError", "parse_size", "run", "sample_notes"]


class ScreenshotError(Exception):
    """Screenshot mode could not produce its picture; the message is one line for stderr."""


def sample_notes() -> Path:
    """The folder of sample notes that ships inside the core package."""
    return Path(str(resources.files("graph_data") / "samples"))


#: The largest window or screenshot: an 8K frame; Qt cannot paint much larger images.
MAX_SIDE = 8192


def parse_size(text: str) -> tuple[int, int]:
    """Parse ``"WxH"`` into a window size (at least 400x300, at most 8192x8192).

    Examples
    --------
    >>> parse_size("1400x900")
    (1400, 900)
    """
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise ScreenshotError(f"--size must look like 1400x900, not {text!r}") from None
    if w > MAX_SIDE or h > MAX_SIDE:
        raise ScreenshotError(f"--size is at most {MAX_SIDE}x{MAX_SIDE}, not {text!r}")
    return max(w, 400), max(h, 300)


def start_folder(args: argparse.Namespace, settings) -> Path:
    """NOTES_DIR if given, else the last folder opened, else the bundled samples."""
    if args.notes is not None:
        return Path(args.notes)
    last = settings.value("last_folder")
    return Path(last) if last and Path(last).is_dir() else sample_notes()


def run(args: argparse.Namespace) -> int:
    """Open the window on NOTES_DIR, the last folder or the samples; or save a screenshot."""
    try:
        width, height = parse_size(args.size)
    except ScreenshotError as exc:
        print(f"service-atlas: error: {exc}", file=sys.stderr)
        return 2
    problem = _platform_problem(bool(args.screenshot))
    if problem:
        print(f"service-atlas: error: {problem}", file=sys.stderr)
        return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.crashlog import install_excepthook
    from app.main_window import MainWindow
    from app.settings import open_settings, resource

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Service Atlas")
    app.setWindowIcon(_icon(resource("icons/service-atlas.svg")))
    settings = open_settings()
    window = MainWindow(settings, sample_notes())
    notes = start_folder(args, settings)
    if args.screenshot:
        code = _screenshot(app, window, notes, args, width, height)
        window.close()
        window.deleteLater()
        return code
    install_excepthook(lambda message: window.statusBar().showMessage(message))
    if args.notes is not None or not settings.contains("geometry"):
        # A window larger than the screen opens with its edges and docks out of reach.
        free = window.screen().availableGeometry()
        window.resize(min(width, int(free.width() * 0.92)), min(height, int(free.height() * 0.92)))
    window.show()
    QTimer.singleShot(0, lambda: window.open_folder(notes))
    return app.exec()


def _platform_problem(screenshot: bool, env: dict | None = None) -> str | None:
    """Pick the offscreen platform for screenshots; say so plainly when a window has no display.

    Without this, Qt aborts the process with a page about platform plugins.
    """
    env = os.environ if env is None else env
    if env.get("QT_QPA_PLATFORM"):
        return None
    if screenshot:
        env["QT_QPA_PLATFORM"] = "offscreen"
        return None
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return (
            "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); "
            "run it from a desktop session, or use --screenshot FILE.png"
        )
    return None


def _icon(path: Path):
    from PySide6.QtGui import QIcon

    return QIcon(str(path))


def _screenshot(app, window, notes: Path, args, width: int, height: int) -> int:
    """Render the window offscreen after the build, save a PNG and return the exit code."""
    from PySide6.QtCore import QEventLoop

    outcome: dict[str, object] = {}
    loop = QEventLoop()
    window.buildFinished.connect(lambda changes: (outcome.setdefault("ok", changes), loop.quit()))
    window.buildFailed.connect(lambda message: (outcome.setdefault("error", message), loop.quit()))
    window.resize(width, height)
    window.show()
    window.open_folder(notes)
    if not outcome:
        loop.exec()
    if "error" in outcome:
        print(f"service-atlas: error: {outcome['error']}", file=sys.stderr)
        return 2
    try:
        _stage(window, args)
    except ScreenshotError as exc:
        print(f"service-atlas: error: {exc}", file=sys.stderr)
        return 2
    app.processEvents()
    path = Path(args.screenshot)
    if not window.grab().save(str(path), "PNG"):
        print(f"service-atlas: error: cannot write {path}", file=sys.stderr)
        return 2
    return 0


def _stage(window, args) -> None:
    """Run ``--query`` (opening the best result) and ``--select`` before the picture."""
    if window.G is None or window.G.number_of_nodes() == 0:
        return
    if args.query:
        window.search.query.setText(args.query)
        window.search.run()
        if window.search.model.rowCount():
            window.search.pick(0)
    if args.select:
        sid = window.resolve(args.select)
        if sid is None:
            raise ScreenshotError(f"{args.select!r} is not a service in these notes")
        window.select_service(sid)
    window.canvas.fit()
