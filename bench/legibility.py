"""How readable the graph is at Fit, measured on the real scene (never asserted here).

Opens the app offscreen on a notes folder (default ``../shared/notes``) at 1400x900, or on a
synthetic graph of 400 services with ``--synthetic``, fits the graph and prints:

* circles that overlap another circle (scene units, as drawn);
* the share of the services shown whose label is drawn;
* labels lying over another service's circle;
* circles (partly) under the legend.

    QT_QPA_PLATFORM=offscreen python bench/legibility.py [NOTES_DIR] [--synthetic] [--size WxH]
        [--save PNG]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPointF, QRectF  # noqa: E402

__all__ = ["legibility", "main"]


def _circle_in_view(canvas, node: str) -> tuple[QPointF, float]:
    item = canvas.item_for(node)
    centre = canvas.mapFromScene(item.pos())
    return QPointF(centre), item.radius * canvas.zoom()


def _touches(rect: QRectF, centre: QPointF, r: float) -> bool:
    nx = min(max(centre.x(), rect.left()), rect.right())
    ny = min(max(centre.y(), rect.top()), rect.bottom())
    return math.hypot(centre.x() - nx, centre.y() - ny) < r - 0.5


def legibility(canvas) -> dict[str, float]:
    """The four measures of the module docstring, for a canvas as it is drawn now."""
    shown = sorted(canvas.visible_service_ids())
    items = {n: canvas.item_for(n) for n in shown}
    overlaps = 0
    for i, a in enumerate(shown):
        pa = items[a].pos()
        for b in shown[i + 1 :]:
            pb = items[b].pos()
            if math.dist((pa.x(), pa.y()), (pb.x(), pb.y())) < items[a].radius + items[b].radius:
                overlaps += 1
    labels = canvas.label_rects()
    circles = {n: _circle_in_view(canvas, n) for n in shown}
    over_circle = sum(
        any(_touches(rect, *circles[m]) for m in shown if m != n) for n, rect in labels.items()
    )
    legend = canvas._legend_rect()
    under_legend = 0 if legend is None else sum(_touches(legend, *circles[n]) for n in shown)
    return {
        "shown": len(shown),
        "circle overlaps": overlaps,
        "labelled": sum(n in labels for n in shown) / max(len(shown), 1),
        "labels over a circle": over_circle,
        "circles under the legend": under_legend,
        "zoom": canvas.zoom(),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the measures for the notes (or a synthetic graph) at Fit."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notes", nargs="?", type=Path, default=ROOT.parent / "shared" / "notes")
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--size", default="1400x900")
    ap.add_argument("--save", type=Path, help="also save a PNG of the canvas at Fit here")
    args = ap.parse_args(argv)
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from app.gui import sample_notes
    from app.main_window import MainWindow
    from app.settings import open_settings

    app = QApplication.instance() or QApplication([])
    width, height = (int(v) for v in args.size.split("x"))
    window = MainWindow(open_settings(), sample_notes())
    window.resize(width, height)
    window.show()
    canvas = window.canvas
    if args.synthetic:
        from app.canvas import GraphCanvas
        from graph_data.layout import compute_layout, synthetic_graph

        # The canvas alone, as large as the window's canvas is at this size with its docks.
        canvas = GraphCanvas()
        canvas.resize(max(width - 710, 300), max(height - 100, 300))
        canvas.show()
        G = synthetic_graph(400, 600)
        canvas.set_graph(G, compute_layout(G))
        canvas.fit()
    else:
        loop = QEventLoop()
        window.buildFinished.connect(lambda _: loop.quit())
        window.buildFailed.connect(lambda _: loop.quit())
        window.open_folder(args.notes)
        loop.exec()
        canvas.fit()
    app.processEvents()
    what = "synthetic 400 services" if args.synthetic else str(args.notes)
    print(f"legibility at Fit, {args.size}, {what}:")
    for k, v in legibility(canvas).items():
        print(f"  {k:<26} {v:.2f}" if isinstance(v, float) else f"  {k:<26} {v}")
    if args.save is not None:
        canvas.grab().save(str(args.save))
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
