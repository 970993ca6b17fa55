"""Console entry point: the core command line, with the window, PDF and Qt self-test plugged in."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from graph_data import cli

if TYPE_CHECKING:
    from app.gui import Loader

__all__ = ["QT_CHECK", "main", "qt_self_test", "window_self_test"]

#: The hidden first argument that runs the Qt part of ``--self-test`` in a child process.
QT_CHECK = "--self-test-qt"

#: How long the Qt child may take to start and draw the PDF of the samples.
QT_CHECK_TIMEOUT = 180


def _gui(args: argparse.Namespace) -> int:
    # Imported here so that "service-atlas services ..." never loads Qt.
    from app.gui import run

    return run(args)


def _pdf(
    G: nx.MultiDiGraph, path: Path, title: str, page_size: str, emphasis: str | None = None
) -> Path:
    # Qt is loaded only when a PDF is asked for.
    from app.pdf_sheet import write_pdf

    return write_pdf(G, path, title=title, page_size=page_size, emphasis=emphasis)


def _self_command(*words: str) -> list[str]:
    """The command that runs this program again: the bundle's executable, or ``-m app.cli``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *words]
    return [sys.executable, "-m", "app.cli", *words]


def qt_self_test(G: nx.MultiDiGraph, folder: Path, platform: str = "offscreen") -> str:
    """Self-test step: start Qt on ``platform`` in a child process and draw ``G`` as a PDF.

    In a child, because Qt aborts the whole process when it cannot start: that must become a
    FAIL line, not the end of the self-test.
    """
    from graph_data.graph import to_node_link
    from graph_data.selftest import SelfTestFailure

    (folder / "graph.json").write_text(json.dumps(to_node_link(G)), "utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": platform}
    try:
        done = subprocess.run(
            _self_command(QT_CHECK, str(folder)),
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=QT_CHECK_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise SelfTestFailure(f"Qt did not finish within {QT_CHECK_TIMEOUT} s") from None
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    last = lines[-1].strip() if lines else "no message"
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        raise SelfTestFailure(f"Qt ({platform}) could not start, killed by {name}: {last}")
    if done.returncode != 0:
        raise SelfTestFailure(f"Qt ({platform}) failed (exit {done.returncode}): {last}")
    pdf = folder / "atlas.pdf"
    if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF-"):
        raise SelfTestFailure(f"Qt started but wrote no PDF at {pdf}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "PDF written"


def window_self_test(G: nx.MultiDiGraph, folder: Path, load: Loader | None = None) -> str:
    """Self-test step: the system libraries the window needs on X11 can be loaded.

    The offscreen step cannot see them (that plugin needs none), and a missing one makes Qt
    abort at the first real start; ``load`` is for tests (default ``ctypes.CDLL``).
    """
    from app.gui import XCB_LIBRARIES, qt_platform, xcb_problem
    from graph_data.selftest import SelfTestFailure, SelfTestSkipped

    if not sys.platform.startswith("linux"):
        raise SelfTestSkipped("only Linux (X11) needs the xcb libraries")
    platform = qt_platform(os.environ)
    if platform != "xcb":
        raise SelfTestSkipped(f"the window would use the {platform} platform, not X11 (xcb)")
    problem = xcb_problem(os.environ, load)
    if problem:
        raise SelfTestFailure(problem)
    return f"the {len(XCB_LIBRARIES)} libraries of Qt's X11 (xcb) platform load"


def _qt_check(words: Sequence[str]) -> int:
    """The child of :func:`qt_self_test`: start Qt, draw the graph in FOLDER as a PDF."""
    if len(words) != 1:
        print(f"usage: service-atlas {QT_CHECK} FOLDER", file=sys.stderr)
        return 2
    folder = Path(words[0])
    from app.gui import install_message_filter

    install_message_filter()
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    from app.pdf_sheet import write_pdf
    from graph_data.graph import from_node_link

    app = QApplication.instance() or QApplication(["service-atlas"])
    try:
        G = from_node_link(json.loads((folder / "graph.json").read_text("utf-8")))
        path = write_pdf(G, folder / "atlas.pdf", title="Service Atlas self-test")
        size = path.stat().st_size
    except Exception as exc:  # reported by the parent as this step's FAIL line
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"Qt {qVersion()} ({app.platformName()}) drew a {size // 1024} kB PDF")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``service-atlas``: core commands, or the desktop app for ``gui`` / a notes folder."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == [QT_CHECK]:
        return _qt_check(words[1:])
    steps = [("desktop (Qt)", qt_self_test), ("window libraries", window_self_test)]
    return cli.main(words, gui=_gui, pdf=_pdf, self_test_steps=steps)


if __name__ == "__main__":
    raise SystemExit(main())
