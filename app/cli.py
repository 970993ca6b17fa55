"""Console entry point: the core command line, with the desktop window and PDF plugged in."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from graph_data import cli

__all__ = ["main"]


def _gui(args: argparse.Namespace) -> int:
    # Imported here so that "service-atlas services ..." never loads Qt.
    from app.gui import run

    return run(args)


def _pdf(G: nx.MultiDiGraph, path: Path, title: str, page_size: str) -> Path:
    # Qt is loaded only when a PDF is asked for.
    from app.pdf_sheet import write_pdf

    return write_pdf(G, path, title=title, page_size=page_size)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``service-atlas``: core commands, or the desktop app for ``gui`` / a notes folder."""
    return cli.main(sys.argv[1:] if argv is None else argv, gui=_gui, pdf=_pdf)


if __name__ == "__main__":
    raise SystemExit(main())
