"""Unexpected errors go to a log file in the user log folder; the user sees a polite line."""

from __future__ import annotations

import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from graph_data import userdirs

__all__ = ["install_excepthook", "log_exception"]


def log_exception(exc: BaseException, text: str | None = None) -> Path:
    """Append an exception with its traceback to the log file and return the file."""
    path = userdirs.log_dir() / "service-atlas.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = text or "".join(traceback.format_exception(exc))
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')}\n{body}\n")
    return path


def install_excepthook(report) -> None:
    """Log unexpected exceptions, tell ``report`` in one line, and keep the app running."""

    def hook(kind, exc, tb):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        where = log_exception(exc, "".join(traceback.format_exception(kind, exc, tb)))
        report(f"Something went wrong ({exc}). The details were saved to {where}.")

    sys.excepthook = hook
