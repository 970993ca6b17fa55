"""Console entry point: the core command line, with the desktop window plugged in."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from graph_data import cli

__all__ = ["main"]


def _gui(args: argparse.Namespace) -> int:
    # Imported here so that "service-atlas services ..." never loads Qt.
    from app.gui import run

    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``service-atlas``: core commands, or the desktop app for ``gui`` / a notes folder."""
    return cli.main(sys.argv[1:] if argv is None else argv, gui=_gui)


if __name__ == "__main__":
    raise SystemExit(main())
