"""Where the app's own resources (icons) are, installed from a wheel or run from a checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["resource"]


def resource(name: str) -> Path:
    """The path of a file under ``resources/`` (``app/resources`` inside an installed wheel)."""
    installed = Path(__file__).resolve().parent / "resources" / name
    if installed.exists():
        return installed
    return Path(__file__).resolve().parent.parent / "resources" / name
