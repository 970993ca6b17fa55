"""Writing an export: the core's formats, or the PDF study sheet the app draws.

The core cannot import Qt, so the PDF is the one format written here; every other format is
the core's :func:`graph_data.export.export`. The export dialog and File › Export both write
through :func:`write_export`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from graph_data.export import FORMATS, export
from graph_data.gaps import Gaps

__all__ = ["EXPORT_FORMATS", "write_export"]

#: Every format the app writes: the core's, then the PDF drawn by the app.
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    **FORMATS,
    "pdf": (".pdf", "Print-ready PDF study sheet: the graph, a legend and the tables"),
}

Point = tuple[float, float]


def write_export(
    G: nx.MultiDiGraph,
    fmt: str,
    path: Path,
    *,
    title: str,
    page_size: str = "a4",
    positions: Mapping[str, Point] | None = None,
    emphasis: str | None = None,
    whole: nx.MultiDiGraph | None = None,
    gaps: Gaps | None = None,
) -> Path:
    """Write ``G`` as ``fmt`` (any of :data:`EXPORT_FORMATS`) to ``path``; return the path.

    ``emphasis`` is a service the HTML and PDF sheets draw emphasised (other formats have no
    picture); ``whole`` the graph ``G`` was cut from (see :func:`graph_data.export.export`).
    Raises ``OSError`` or ``ExportError`` for the caller to report.
    """
    if fmt == "pdf":
        from app.pdf_sheet import write_pdf

        return write_pdf(
            G, Path(path), title=title, page_size=page_size, positions=positions, emphasis=emphasis
        )
    return export(G, fmt, Path(path), title=title, emphasis=emphasis, whole=whole, gaps=gaps)
