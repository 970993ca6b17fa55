"""Starting the desktop app: settings, first run on the sample notes, and screenshot mode."""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from importlib import resources
from pathlib import Path

__all__ = [
    "HARMLESS_QT_MESSAGES",
    "XCB_LIBRARIES",
    "ScreenshotError",
    "install_message_filter",
    "missing_xcb_libraries",
    "parse_size",
    "qt_platform",
    "run",
    "sample_notes",
    "start_folder",
    "xcb_problem",
]

#: The system libraries Qt's X11 (xcb) platform plugin links, with the Debian/Ubuntu package of
#: each (``ldd PySide6/Qt/plugins/platforms/libqxcb.so``). The wheel does not ship them, and
#: when one is missing Qt aborts with a message that can name the wrong one.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
}

#: Qt messages known to mean nothing to the user: the offscreen plugin says this of every
#: top-level window, so it would stand before every one-line error and every screenshot.
HARMLESS_QT_MESSAGES = frozenset({"This plugin does not support propagateSizeHints()"})

#: Opens a shared library by name or path, raising OSError when it cannot (ctypes.CDLL).
Loader = Callable[[str], object]


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
    install_message_filter()
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


def _platform_problem(
    screenshot: bool,
    env: MutableMapping[str, str] | None = None,
    load: Loader | None = None,
) -> str | None:
    """Pick the offscreen platform for screenshots; say so plainly when a window cannot open.

    A window needs a display and, on X11, the xcb libraries (``load`` opens one by name, as
    ``ctypes.CDLL`` does). Without this check, Qt aborts the process with a page about
    platform plugins.
    """
    env = os.environ if env is None else env
    if not env.get("QT_QPA_PLATFORM"):
        if screenshot:
            env["QT_QPA_PLATFORM"] = "offscreen"
            return None
        if sys.platform.startswith("linux") and not (
            env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
        ):
            return (
                "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); "
                "run it from a desktop session, or use --screenshot FILE.png"
            )
    return xcb_problem(env, load)


def xcb_problem(env: Mapping[str, str], load: Loader | None = None) -> str | None:
    """On Linux with the X11 (xcb) platform: the one line naming the missing libraries, if any.

    ``load`` opens a library by name and raises ``OSError`` when it cannot (``ctypes.CDLL``).
    """
    if not sys.platform.startswith("linux") or qt_platform(env) != "xcb":
        return None
    missing = missing_xcb_libraries(load)
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[name] for name in missing))
    which = "which is" if len(missing) == 1 else "which are"
    return (
        f"the window cannot open: Qt's X11 (xcb) platform needs {_and(missing)}, "
        f"{which} not installed; install with: sudo apt install {packages}"
    )


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def qt_platform(env: Mapping[str, str]) -> str:
    """The platform plugin Qt tries first: ``QT_QPA_PLATFORM``, else Wayland or X11 (xcb)."""
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0].strip()
    # A Wayland session gets the Wayland plugin; the xcb libraries matter only as its fallback.
    if env.get("XDG_SESSION_TYPE") == "wayland" or (
        env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY")
    ):
        return "wayland"
    return "xcb"


def missing_xcb_libraries(
    load: Loader | None = None, dirs: Iterable[Path] | None = None
) -> list[str]:
    """The libraries of :data:`XCB_LIBRARIES` that cannot be loaded, in the table's order.

    ``load`` opens a library by name or path and raises ``OSError`` when it cannot (the
    default is ``ctypes.CDLL``); ``dirs`` are folders searched as well (default: the ones Qt
    itself searches, beside its own libraries and inside a frozen bundle).
    """
    load = ctypes.CDLL if load is None else load
    folders = list(_bundled_library_dirs() if dirs is None else dirs)
    missing = []
    for name in XCB_LIBRARIES:
        candidates = [name, *(str(d / name) for d in folders if (d / name).is_file())]
        if not any(_loads(load, c) for c in candidates):
            missing.append(name)
    return missing


def _loads(load: Loader, name: str) -> bool:
    try:
        load(name)
    except OSError:
        return False
    return True


def _bundled_library_dirs() -> list[Path]:
    """Where a wheel or a bundle may carry its own copies (Qt's plugin finds them there)."""
    import importlib.util

    dirs = []
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin:
        dirs.append(Path(spec.origin).parent / "Qt" / "lib")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle))
    return dirs


def install_message_filter() -> None:
    """Drop the Qt messages of :data:`HARMLESS_QT_MESSAGES` on their way to stderr, keep others.

    Installing it twice keeps one filter.
    """
    from PySide6.QtCore import qFormatLogMessage, qInstallMessageHandler

    previous: list[Callable | None] = [None]

    def handler(mode, context, message: str) -> None:
        if message in HARMLESS_QT_MESSAGES:
            return
        if previous[0] is not None:
            previous[0](mode, context, message)
        else:
            print(qFormatLogMessage(mode, context, message), file=sys.stderr, flush=True)

    handler.service_atlas_filter = True  # type: ignore[attr-defined]
    previous[0] = qInstallMessageHandler(handler)
    if getattr(previous[0], "service_atlas_filter", False):
        qInstallMessageHandler(previous[0])


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
        window.search.search_for(args.query)
        if window.search.model.rowCount():
            window.search.pick(0)
    if args.select:
        sid = window.resolve(args.select)
        if sid is None:
            raise ScreenshotError(f"{args.select!r} is not a service in these notes")
        window.select_service(sid)
    window.canvas.fit()
