"""Fixtures shared by the app tests: a small notes folder and a shown main window."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.main_window import MainWindow
from tests.app.test_main_window import make_window, write_notes


@pytest.fixture
def notes(tmp_path) -> Path:
    """A small notes folder written for these tests."""
    return write_notes(tmp_path)


@pytest.fixture
def window(qtbot) -> MainWindow:
    """A shown main window."""
    return make_window(qtbot)
