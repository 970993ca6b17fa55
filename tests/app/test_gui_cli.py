"""``service-atlas gui``: the start folder and screenshot mode, run in-process like the CLI."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from app.cli import main
from app.gui import ScreenshotError, parse_size, sample_notes, start_folder
from app.settings import open_settings

NOTE = (
    "# Containers\n\n## ECS\n\n"
    "- ECS integrates with the Application Load Balancer so each task gets its own host port.\n"
    "- ECS sends container logs to CloudWatch Logs.\n"
)


@pytest.fixture
def notes(tmp_path):
    """A one-note folder written for these tests."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "containers.md").write_text(NOTE)
    return folder


def distinct_colours(image: QImage) -> int:
    """How many different colours a grid of sample points of ``image`` holds."""
    w, h = image.width(), image.height()
    return len({image.pixel(x, y) for x in range(0, w, 7) for y in range(0, h, 7)})


def test_screenshot_writes_a_png_of_the_requested_size(qapp, notes, tmp_path):
    png = tmp_path / "shot.png"
    argv = ["gui", str(notes), "--select", "ECS", "--query", "host port"]
    code = main([*argv, "--screenshot", str(png), "--size", "1000x700"])
    assert code == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1000, 700)
    assert distinct_colours(image) > 20


def test_screenshot_of_an_unknown_service_is_one_line_and_exit_2(qapp, notes, tmp_path, capsys):
    png = tmp_path / "shot.png"
    code = main(["gui", str(notes), "--select", "NoSuchThing", "--screenshot", str(png)])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("service-atlas: error:") and "\n" not in err
    assert not png.exists()


def test_screenshot_of_a_missing_folder_exits_2(qapp, tmp_path, capsys):
    code = main(["gui", str(tmp_path / "absent"), "--screenshot", str(tmp_path / "x.png")])
    assert code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_bad_size_exits_2(qapp, notes, tmp_path, capsys):
    code = main(["gui", str(notes), "--size", "big", "--screenshot", str(tmp_path / "x.png")])
    assert code == 2
    assert "1400x900" in capsys.readouterr().err


def test_a_huge_size_is_one_plain_line_not_thousands_of_qt_warnings(qapp, notes, tmp_path, capfd):
    png = tmp_path / "x.png"
    code = main(["gui", str(notes), "--size", "30000x30000", "--screenshot", str(png)])
    assert code == 2
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "at most 8192x8192" in err
    assert not png.exists()


def test_parse_size():
    assert parse_size("1400x900") == (1400, 900)
    assert parse_size("10x10") == (400, 300)
    with pytest.raises(ScreenshotError):
        parse_size("1400")


def test_start_folder_is_the_samples_first_then_the_last_folder(qapp, notes):
    args = argparse.Namespace(notes=None)
    settings = open_settings()
    assert start_folder(args, settings) == sample_notes()
    settings.setValue("last_folder", str(notes))
    assert start_folder(args, settings) == notes
    assert start_folder(argparse.Namespace(notes=notes.parent), settings) == notes.parent
    settings.setValue("last_folder", str(notes / "gone"))
    assert start_folder(args, settings) == sample_notes()
    assert (sample_notes() / "index.md").is_file()


def _bare_env(tmp_path) -> dict[str, str]:
    """The environment of a shell with no display and no Qt platform chosen."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    return env


def test_screenshot_mode_needs_no_display(notes, tmp_path):
    png = tmp_path / "shot.png"
    argv = ["gui", str(notes), "--screenshot", str(png), "--size", "800x600"]
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *argv], env=_bare_env(tmp_path), capture_output=True
    )
    assert done.returncode == 0, done.stderr
    assert QImage(str(png)).width() == 800


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="display variables are X11/Wayland"
)
def test_the_window_without_a_display_is_one_line_and_exit_2(notes, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "gui", str(notes)],
        env=_bare_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no display" in done.stderr


def test_the_first_run_window_fits_a_small_screen(qapp, tmp_path):
    # The sample notes show the banner, and every dock is open: nothing may force a wider window.
    png = tmp_path / "shot.png"
    assert main(["gui", "--screenshot", str(png), "--size", "1000x700"]) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1000, 700)
