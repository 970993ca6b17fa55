"""Canvas, layout and start-up timings: synthetic graphs, and the app on the user's notes.

Run with ``QT_QPA_PLATFORM=offscreen python bench/gui.py``. Prints medians of several repeats:

* the time to render one frame of the full scene into a QImage, at rest (a hover repaint)
  and right after a zoom step, and the layout time, for a large graph (2,000 services / 6,000
  relations) and a small one (150 / 300);
* the time from process start to the canvas's first paint of the graph, for the app opened on
  ``../shared/notes`` with an empty cache folder (cold) and with the cache of an earlier run
  (warm), each in its own process so that imports and the QApplication are counted;
* where a Chromium is installed, the time the exported pyvis page of the same notes takes to
  load and settle its layout in headless Chromium, for comparison.

Frame times are given as wall time and as CPU time of the rendering thread: on a shared,
busy machine the wall time also counts waiting for a core, the CPU time does not.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from graph_data.layout import compute_layout, synthetic_graph

__all__ = ["main", "pyvis_settle_time", "render_frame", "startup_to_first_paint"]

SIZES = ((2000, 6000), (150, 300))
REPEATS = 7
FRAME = (1400, 900)
#: Targets from the issue: one frame within a 60 Hz budget, a warm start within 1.5 s.
FRAME_TARGET_MS = 16.0
WARM_START_TARGET_S = 1.5
STARTUP_RUNS = 5
STARTUP_TIMEOUT_S = 300
NOTES = Path(__file__).resolve().parent.parent.parent / "shared" / "notes"
CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _medians(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    """Median wall and thread-CPU milliseconds of ``fn()``."""
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.thread_time()
        fn()
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def render_frame(canvas) -> QImage:
    """One frame of the whole scene, as the view shows it, into a fresh QImage."""
    image = QImage(canvas.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHints(canvas.renderHints())
    canvas.render(painter, QRectF(image.rect()), canvas.viewport().rect())
    painter.end()
    return image


def _after_zoom_frames(canvas, repeats: int = REPEATS) -> tuple[float, float]:
    """Median frame times right after a zoom step (in and out by turns, as the wheel does)."""
    steps = iter(range(repeats * 2))

    def zoom_then_render() -> None:
        if next(steps) % 2 == 0:
            canvas.zoom_in()
        else:
            canvas.zoom_out()
        render_frame(canvas)

    return _medians(zoom_then_render, repeats)


def _settle(canvas) -> None:
    """Let the view come to rest (the edge batches cache themselves then), then draw once."""
    QTest.qWait(canvas.SETTLE_MS + 100)
    render_frame(canvas)


def bench_size(n: int, m: int) -> dict[str, float]:
    """Layout and frame render medians for one synthetic graph size."""
    from app.canvas import GraphCanvas

    G = synthetic_graph(n, m)
    layout_ms, _ = _medians(lambda: compute_layout(G), repeats=3)
    canvas = GraphCanvas()
    canvas.resize(*FRAME)
    canvas.set_graph(G, compute_layout(G))
    canvas.show()
    canvas.fit()
    render_frame(canvas)  # the first frame builds glyph caches; it is not typical
    zoom_wall, zoom_cpu = _after_zoom_frames(canvas)
    # At rest at the fitted view: render() fills a fresh device cache each time for items
    # larger than the viewport, which an on-screen paint would not.
    canvas.fit()
    _settle(canvas)
    frame_wall, frame_cpu = _medians(lambda: render_frame(canvas))
    canvas.close()
    return {
        "layout_ms": layout_ms,
        "frame_ms": frame_wall,
        "frame_cpu_ms": frame_cpu,
        "zoom_frame_ms": zoom_wall,
        "zoom_frame_cpu_ms": zoom_cpu,
    }


# --------------------------------------------------------------------------- start-up


def _user_dirs(base: Path) -> dict[str, str]:
    return {
        "SERVICE_ATLAS_CACHE": str(base / "cache"),
        "SERVICE_ATLAS_DATA": str(base / "data"),
        "SERVICE_ATLAS_CONFIG": str(base / "config"),
    }


def _first_paint_run(base: Path) -> tuple[float, float]:
    """One app start on the notes with user folders under ``base``: (wall s, CPU s).

    The canvas prints ``first-paint <epoch>`` after its first paint with services and the
    app quits (``app.canvas.FIRST_PAINT_ENV``); the wall time runs from just before the
    process is spawned, so the interpreter, the imports and the QApplication count.
    """
    from app.canvas import FIRST_PAINT_ENV

    env = {**os.environ, **_user_dirs(base), FIRST_PAINT_ENV: "1", "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "app", "gui", str(NOTES), "--size", "1400x900"]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.time()
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=STARTUP_TIMEOUT_S, check=False
    )
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stamps = [
        line.split()[1] for line in done.stdout.splitlines() if line.startswith("first-paint")
    ]
    if done.returncode != 0 or not stamps:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        raise RuntimeError(f"the app did not paint (exit {done.returncode}): {' '.join(tail)}")
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return float(stamps[0]) - start, cpu


def _startup_medians(warm: bool) -> tuple[float, float]:
    """Median (wall s, CPU s) of STARTUP_RUNS starts, cold (fresh folders each) or warm."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        if warm:
            _first_paint_run(Path(tmp) / "shared")  # fills the caches the warm runs reuse
        for k in range(STARTUP_RUNS):
            runs.append(_first_paint_run(Path(tmp) / ("shared" if warm else f"cold{k}")))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def startup_to_first_paint(warm: bool) -> float | None:
    """Median seconds from process start to the first painted graph of ``../shared/notes``.

    ``warm``: the build, index and layout caches of an earlier run are present; cold: every
    run starts with empty user folders. None when the notes folder is absent.
    """
    if not NOTES.is_dir():
        return None
    return _startup_medians(warm)[0]


# --------------------------------------------------------------------------- pyvis page


def _chromium() -> str | None:
    return next((path for name in CHROMIUMS if (path := shutil.which(name))), None)


# Added at the end of the exported page. vis-network runs its stabilisation pass (300
# iterations) synchronously when the page draws the graph, so when this runs the layout is
# done: note the time since navigation started, and stop the physics so the page is idle
# (headless Chromium never runs the animated phase anyway: no frames without a screen).
_SETTLED_PROBE = """<script>
network.setOptions({physics: false});
document.title = "laid-out " + performance.now().toFixed(0);
</script>
</body>"""


def pyvis_settle_time() -> tuple[float | None, str]:
    """Median seconds for headless Chromium to start, load the pyvis page and lay it out.

    Returns (None, reason) when it cannot be measured here, else the median wall time of
    the browser process and, in the text, the median time the page itself reports from
    navigation to the end of vis-network's stabilisation pass. The page is the app's own
    HTML export of the same notes.
    """
    browser = _chromium()
    if browser is None:
        return None, f"skipped: no Chromium on PATH (looked for {', '.join(CHROMIUMS)})"
    if not NOTES.is_dir():
        return None, f"skipped: no notes folder at {NOTES}"
    from graph_data.build import build
    from graph_data.export import export

    times = []
    with tempfile.TemporaryDirectory(prefix="atlas-pyvis-") as tmp:
        page = export(build(NOTES, index=False).graph, "html", Path(tmp) / "graph.html")
        html = page.read_text("utf-8")
        head, _, tail = html.rpartition("</body>")
        page.write_text(head + _SETTLED_PROBE + tail, "utf-8")
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--virtual-time-budget=2000",
            "--dump-dom",
            page.as_uri(),
        ]
        in_page = []
        for _ in range(STARTUP_RUNS):
            start = time.perf_counter()
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=STARTUP_TIMEOUT_S, check=False
            )
            times.append(time.perf_counter() - start)
            marker = done.stdout.partition("<title>laid-out ")[2].partition("<")[0]
            if not marker.isdigit():
                return None, "not measured: the page did not report its layout"
            in_page.append(float(marker) / 1000)
    return statistics.median(times), (
        f"headless Chromium process; the page itself reports "
        f"{statistics.median(in_page):.2f} s from navigation to its layout done"
    )


# --------------------------------------------------------------------------- report


def _frames_report() -> None:
    print(
        f"canvas/layout bench, medians of {REPEATS} frames / 3 layouts, frame {FRAME}, "
        f"target < {FRAME_TARGET_MS:.0f} ms a frame"
    )
    for n, m in SIZES:
        r = bench_size(n, m)
        print(
            f"  {n:>5} nodes / {m:>5} edges: layout {r['layout_ms']:7.0f} ms, "
            f"frame {r['frame_ms']:6.2f} ms wall / {r['frame_cpu_ms']:6.2f} ms CPU; "
            f"right after a zoom step {r['zoom_frame_ms']:6.2f} ms wall / "
            f"{r['zoom_frame_cpu_ms']:6.2f} ms CPU"
        )


def _startup_report() -> None:
    if not NOTES.is_dir():
        print(f"  start to first painted graph: skipped, no notes folder at {NOTES}")
        return
    print(f"start to first painted graph of {NOTES}, medians of {STARTUP_RUNS} processes")
    for warm in (False, True):
        label = "warm cache" if warm else "cold cache"
        target = f" (target < {WARM_START_TARGET_S} s)" if warm else ""
        try:
            wall, cpu = _startup_medians(warm)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"  {label}: not measured: {exc}")
            continue
        print(f"  {label}: {wall:5.2f} s wall, {cpu:5.2f} s CPU{target}")
    took, how = pyvis_settle_time()
    shown = how if took is None else f"{took:5.2f} s wall ({how})"
    print(f"  pyvis HTML page of the same notes: {shown}")


def main() -> int:
    """Print the medians as a small table."""
    QApplication.instance() or QApplication(sys.argv[:1])
    _frames_report()
    _startup_report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
