"""Exports of a (sub)graph: study sheets (Markdown, HTML, Anki) and graph files for other tools.

Every format is written atomically: a reader of the target sees the old file or the new one.
PDF is drawn by the desktop app and is not one of these formats.

Examples
--------
>>> import json, tempfile
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("sqs", short="SQS", name="Amazon SQS", category="Application Integration")
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = export(G, "json", Path(tmp) / "graph.json")
...     out.name, json.loads(out.read_text())["nodes"][0]["id"]
('graph.json', 'sqs')
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from graph_data import atomic
from graph_data.export.anki import render_apkg
from graph_data.export.formats import TEXT_RENDERERS, csv_tables, csv_zip
from graph_data.export.html import render_html
from graph_data.export.markdown import render_markdown
from graph_data.gaps import Gaps

__all__ = [
    "DEFAULT_TITLE",
    "FORMATS",
    "ExportError",
    "NotesFolderTarget",
    "UnknownFormatError",
    "check_target",
    "export",
]

#: The title of a sheet or deck when the caller gives none.
DEFAULT_TITLE = "Service Atlas study sheet"

#: Format name -> (file extension, one-line description), in the order menus list them.
FORMATS: dict[str, tuple[str, str]] = {
    "markdown": (".md", "Study sheet in Markdown (Obsidian-friendly)"),
    "html": (".html", "Interactive graph and study sheet in one offline HTML file"),
    "anki": (".apkg", "Anki flash cards drilled from the relations"),
    "json": (".json", "Node-link JSON (networkx.node_link_data)"),
    "graphml": (".graphml", "GraphML for yEd, Cytoscape and networkx"),
    "gexf": (".gexf", "GEXF for Gephi"),
    "csv": (".zip", "nodes.csv and edges.csv, zipped (or a folder when the path has no .zip)"),
    "cypher": (".cypher", "Neo4j Cypher script of MERGE statements"),
}


class ExportError(Exception):
    """An export that cannot be written as asked."""


class UnknownFormatError(ExportError, ValueError):
    """A format name that is not a key of :data:`FORMATS`."""


class NotesFolderTarget(ExportError):
    """An export aimed into the notes folder: refused without ``force``, and never over a note.

    ``overwrites`` is true when the target is an existing note (never written, even forced).
    """

    def __init__(self, message: str, overwrites: bool) -> None:
        super().__init__(message)
        self.overwrites = overwrites


def check_target(path: Path, notes: Path, *, force: bool = False) -> None:
    """Raise :class:`NotesFolderTarget` for an export path inside the notes folder.

    Writing there is the one thing the app promises never to do behind the user's back, so it
    needs ``force`` (the app's dialog asks); overwriting a note is refused even then.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as notes:
    ...     check_target(Path(notes).parent / "sheet.md", Path(notes))  # outside: fine
    ...     try:
    ...         check_target(Path(notes) / "sheet.md", Path(notes))
    ...     except NotesFolderTarget as exc:
    ...         print(exc.overwrites)
    False
    """
    from graph_data.reader import NOTE_SUFFIXES

    target = Path(os.path.realpath(path))
    root = Path(os.path.realpath(notes))
    if target != root and root not in target.parents:
        return
    if target.exists() and (target.is_dir() or target.suffix.lower() in NOTE_SUFFIXES):
        what = "a folder of notes" if target.is_dir() else "a note"
        raise NotesFolderTarget(
            f"{path} is {what} in your notes folder; Service Atlas never overwrites your notes",
            overwrites=True,
        )
    if not force:
        raise NotesFolderTarget(
            f"{path} is inside your notes folder {notes}; an export there would sit among "
            "your notes",
            overwrites=False,
        )


def export(
    G: nx.MultiDiGraph,
    fmt: str,
    path: Path,
    *,
    title: str = DEFAULT_TITLE,
    emphasis: str | None = None,
    whole: nx.MultiDiGraph | None = None,
    gaps: Gaps | None = None,
) -> Path:
    """Write ``G`` as ``fmt`` to ``path`` and return the path written.

    ``csv`` writes a zip holding ``nodes.csv`` and ``edges.csv`` when ``path`` ends in ``.zip``,
    else both files into the folder ``path``. Other formats write the one file ``path``.
    ``emphasis`` is the export's focus: the sheets list it first, the HTML one draws it
    emphasised. ``whole`` is the graph ``G`` was cut from: the Anki deck's comparison cards then
    say when a group of alternatives reaches beyond the export. ``gaps`` (an exam's, see
    :func:`graph_data.gaps.find_gaps`) adds a "Not in your notes yet" section to the Markdown sheet.

    Raises
    ------
    UnknownFormatError
        When ``fmt`` is not one of :data:`FORMATS`.
    OSError
        When the target cannot be written.
    """
    if fmt not in FORMATS:
        raise UnknownFormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(path)
    if fmt == "csv":
        return _export_csv(G, path)
    if fmt == "anki":
        atomic.write_bytes(path, render_apkg(G, title, whole=whole))
    elif fmt == "markdown":
        atomic.write_text(path, render_markdown(G, title, emphasis, gaps))
    elif fmt == "html":
        atomic.write_text(path, render_html(G, title, emphasis=emphasis))
    else:
        atomic.write_text(path, TEXT_RENDERERS[fmt](G))
    return path


def _export_csv(G: nx.MultiDiGraph, path: Path) -> Path:
    if path.suffix.lower() == ".zip":
        atomic.write_bytes(path, csv_zip(G))
        return path
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is a file; give a folder or a .zip name for the CSV export")
    for name, text in csv_tables(G).items():
        atomic.write_text(path / name, text)
    return path
