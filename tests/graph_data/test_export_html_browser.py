"""The HTML export in a real browser: hostile notes stay inert, and the page draws something."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from graph_data import atomic
from graph_data.export import export
from graph_data.export.html import EMPHASIS_BORDER, render_html
from graph_data.scope import Scope, select
from graph_data.style import CATEGORY_COLORS
from tests.graph_data.test_export import atlas_graph

CHROMIUM = Path("/usr/bin/chromium")
TITLE = "Browser check"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs /usr/bin/chromium (Debian package 'chromium'; CI installs it)",
    ),
]


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``page`` with a throw-away profile, no network chatter."""
    profile = tmp_path / "profile"
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        # Lets vis-network's layout and the page's scripts finish before the dump or the shot.
        "--virtual-time-budget=5000",
        *args,
        page.as_uri(),
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def dom_title(tmp_path: Path, page: Path) -> tuple[str, str]:
    """The document title after the page's scripts ran, and the whole dumped DOM."""
    dom = chromium(tmp_path, page, "--dump-dom").stdout
    found = re.search(r"<title>(.*?)</title>", dom, re.S)
    return (found.group(1) if found else ""), dom


def test_the_title_check_catches_a_payload_that_runs(tmp_path):
    page = tmp_path / "raw.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>clean</title></head><body>"
        "<img src=x onerror=\"document.title='pwned'\"></body></html>"
    )
    title, _ = dom_title(tmp_path, page)
    assert title == "pwned"


def test_hostile_notes_do_not_run_in_the_exported_page(tmp_path):
    page = export(atlas_graph(hostile=True), "html", tmp_path / "sheet.html", title=TITLE)
    title, dom = dom_title(tmp_path, page)
    assert title == TITLE
    assert "<canvas" in dom, "vis-network did not draw the graph"
    assert "&lt;script&gt;document.title=" in dom
    assert not re.search(r"<img[^>]*onerror", dom)


def png_pixels(path: Path):
    """The screenshot as a QImage (Qt is fine in tests; the core never loads it)."""
    QtGui = pytest.importorskip("PySide6.QtGui")
    image = QtGui.QImage(str(path))
    assert not image.isNull(), f"{path} is not a readable PNG"
    return image


def test_the_page_renders_a_legend_graph_and_tables(tmp_path):
    page = export(atlas_graph(), "html", tmp_path / "sheet.html", title=TITLE)
    shot = tmp_path / "sheet.png"
    chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1200,900")
    image = png_pixels(shot)
    assert (image.width(), image.height()) == (1200, 900)
    colours = set()
    non_white = 0
    samples = 0
    for y in range(0, image.height(), 6):
        for x in range(0, image.width(), 6):
            rgb = image.pixel(x, y) & 0xFFFFFF
            colours.add(rgb)
            non_white += rgb != 0xFFFFFF
            samples += 1
    assert len(colours) > 40, "the screenshot is nearly uniform"
    assert 0.01 < non_white / samples < 0.9
    # The Storage category's colour fills the S3 node and the legend dot.
    assert _count(image, CATEGORY_COLORS["Storage"]) > 10, "no Storage-coloured node or dot"


def test_a_focus_export_draws_the_focus_emphasised_and_the_rest_faded(tmp_path):
    # SNS two hops out: SQS is its neighbour, Lambda (Compute) lies beyond and is faded.
    sub = select(atlas_graph(), Scope(focus=("sns",), depth=2))
    shots = {}
    for name, emphasis in (("plain", None), ("focus", "sns")):
        page = tmp_path / f"{name}.html"
        atomic.write_text(page, render_html(sub, TITLE, emphasis=emphasis))
        shot = tmp_path / f"{name}.png"
        chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1200,900")
        shots[name] = png_pixels(shot)
    ring = {name: _count(image, EMPHASIS_BORDER, step=1) for name, image in shots.items()}
    assert ring["plain"] == 0 and ring["focus"] > 40, ring
    # The Compute legend dot is in both pages; the Lambda circle in full colour only in one.
    compute = {n: _count(image, CATEGORY_COLORS["Compute"], step=1) for n, image in shots.items()}
    assert compute["plain"] > compute["focus"] + 40, compute


def _count(image, colour: str, step: int = 2) -> int:
    """Pixels of ``image`` (every ``step``-th row and column) close to ``colour`` (#rrggbb)."""
    rgb = int(colour.lstrip("#"), 16)
    return sum(
        _close(image.pixel(x, y), rgb)
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    )


def _close(argb: int, rgb: int, tolerance: int = 12) -> bool:
    return all(
        abs(((argb >> shift) & 0xFF) - ((rgb >> shift) & 0xFF)) <= tolerance for shift in (0, 8, 16)
    )
