"""Canvas and layout timings on seeded synthetic graphs.

Run with ``QT_QPA_PLATFORM=offscreen python bench/gui.py``. Prints medians of several repeats:
the time to render one frame of the full scene into a QImage, and the layout time, for a
large graph (2,000 services / 6,000 relations) and a small one (150 / 300).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from graph_data.layout import compute_layout, synthetic_graph

__all__ = ["main", "startup_to_first_paint"]

SIZES = ((2000, 6000), (150, 300))
REPEATS = 7
FRAME = (1400, 900)


def _median_ms(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def render_frame(canvas) -> QImage:
    """One frame of the whole scene, as the view shows it, into a fresh QImage."""
    image = QImage(canvas.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHints(canvas.renderHints())
    canvas.render(painter, QRectF(image.rect()), canvas.viewport().rect())
    painter.end()
    return image


def _cold_frames(canvas, repeats: int = REPEATS) -> float:
    """Median frame time with every item cache dropped first, as right after a zoom step."""
    times = []
    for k in range(repeats):
        factor = 1.001 if k % 2 == 0 else 1 / 1.001
        canvas.scale(factor, factor)  # a new scale invalidates the device-coordinate caches
        start = time.perf_counter()
        render_frame(canvas)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_size(n: int, m: int) -> dict[str, float]:
    """Layout and frame render medians for one synthetic graph size."""
    from app.canvas import GraphCanvas

    G = synthetic_graph(n, m)
    layout_ms = _median_ms(lambda: compute_layout(G), repeats=3)
    canvas = GraphCanvas()
    canvas.resize(*FRAME)
    canvas.set_graph(G, compute_layout(G))
    canvas.show()
    canvas.fit()
    render_frame(canvas)  # the first frame builds glyph caches; it is not typical
    cold_ms = _cold_frames(canvas)
    render_frame(canvas)
    frame_ms = _median_ms(lambda: render_frame(canvas))
    canvas.close()
    return {"layout_ms": layout_ms, "frame_ms": frame_ms, "cold_frame_ms": cold_ms}


def startup_to_first_paint(warm: bool) -> float | None:
    """HOOK for the main window: seconds from start to the first painted graph.

    To be filled in by whoever owns the main window: start it on a notes folder (``warm``:
    with the build and layout caches already present; cold: with an empty cache folder) and
    time until the canvas has painted the graph once. Returns None until then.
    """
    return None


def main() -> int:
    """Print the medians as a small table."""
    QApplication.instance() or QApplication(sys.argv[:1])
    print(f"canvas/layout bench, medians of {REPEATS} frames / 3 layouts, frame {FRAME}")
    for n, m in SIZES:
        result = bench_size(n, m)
        print(
            f"  {n:>5} nodes / {m:>5} edges: layout {result['layout_ms']:7.0f} ms, "
            f"frame {result['frame_ms']:6.2f} ms (after a zoom step, caches cold: "
            f"{result['cold_frame_ms']:6.2f} ms)"
        )
    for warm in (False, True):
        took = startup_to_first_paint(warm)
        label = "warm" if warm else "cold"
        shown = "not measured yet (hook)" if took is None else f"{took:.2f} s"
        print(f"  start to first painted graph ({label} cache): {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
