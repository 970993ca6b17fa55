"""Study gaps of the user's notes against every exam scope: the figures in the README.

Builds the notes once (no search index), then prints for each exam how many in-scope services
the notes name, how many they never name, name without relating, or relate by one line only,
the thin domains and categories, and how long :func:`graph_data.gaps.find_gaps` takes. With
``--panel``, renders the Gaps panel offscreen for ``--exam`` and saves it as a PNG: the panel
shows service names and counts only, never the notes' text.

    python bench/gaps.py [--notes DIR] [--exam SAA-C03] [--panel docs/gaps-panel.png]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_data.build import build  # noqa: E402
from graph_data.gaps import exam_codes, find_gaps, get_exam  # noqa: E402

__all__ = ["main", "render_panel"]

NOTES = ROOT.parent / "shared" / "notes"


def _timed(G, code: str, repeats: int = 5) -> tuple[object, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        gaps = find_gaps(G, code)
        times.append(time.perf_counter() - start)
    return gaps, statistics.median(times)


def render_panel(G, notes: Path, exam: str, out: Path, size: tuple[int, int]) -> None:
    """Save a picture of the Gaps panel showing ``G`` against ``exam``."""
    from PySide6.QtWidgets import QApplication

    from app.panels.gaps import COL_NAME, GapsPanel
    from app.settings import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme("light")
    panel = GapsPanel()
    panel.set_graph(G, notes)
    panel.set_exam(exam)
    panel.resize(*size)
    panel.show()
    # The longest group first in the picture would hide the others: show each group's head.
    model = panel.model
    for kind in ("unrelated", "one-line"):
        panel.view.collapse(model.index(model.group_row(kind), COL_NAME))
    panel.view.resizeColumnToContents(COL_NAME)
    app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not panel.grab().save(str(out)):
        raise OSError(f"could not write {out}")
    print(f"Gaps panel for {exam} saved to {out}")


def main(argv: list[str] | None = None) -> int:
    """Print the figures for each exam; optionally save the panel's picture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=Path, default=NOTES)
    parser.add_argument("--exam", default="SAA-C03", help="the exam the panel shows")
    parser.add_argument("--panel", type=Path, help="save a picture of the Gaps panel here")
    parser.add_argument("--size", default="520x480", help="the panel's size, WxH")
    args = parser.parse_args(argv)
    if not args.notes.is_dir():
        print(f"no notes at {args.notes}")
        return 1
    start = time.perf_counter()
    G = build(args.notes, index=False).graph
    print(
        f"{args.notes}: {G.number_of_nodes()} services, {G.number_of_edges()} relations "
        f"(built in {time.perf_counter() - start:.1f} s)\n"
    )
    print(
        f"{'exam':8} {'in scope':>8} {'named':>6} {'missing':>7} {'unrelated':>9} "
        f"{'one line':>8} {'thin domains':>12} {'thin categories':>15} {'find_gaps':>9}"
    )
    for code in exam_codes():
        gaps, took = _timed(G, code)
        print(
            f"{code:8} {gaps.in_scope:8} {gaps.covered:6} {len(gaps.missing):7} "
            f"{len(gaps.unrelated):9} {len(gaps.one_line):8} {len(gaps.domains):12} "
            f"{len(gaps.categories):15} {1000 * took:7.1f} ms"
        )
    gaps = find_gaps(G, args.exam)
    print(f"\n{gaps.exam.code}: {gaps.summary}")
    for area in gaps.domains + gaps.categories:
        label = f"domain {area.number} {area.name}" if area.number else f"category {area.name}"
        print(f"  thin {label}: {area.covered}/{area.in_scope} named")
    if args.panel:
        width, height = (int(x) for x in args.size.lower().split("x"))
        render_panel(G, args.notes, get_exam(args.exam).code, args.panel, (width, height))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
