"""The PDF's tables pages: the study sheet as escaped HTML, laid out by a ``QTextDocument``.

The pages after the first hold the same content as the Markdown and HTML sheets
(``graph_data.export.sheet.study_sheet``), so every word is real, extractable text. Note strings
are untrusted: each is escaped before it reaches the document's HTML, so ``<script>`` in a note
prints as those eight characters.
"""

from __future__ import annotations

import html
import re

import networkx as nx
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QPaintDevice, QTextDocument, QTextOption

from graph_data.export.sheet import Comparison, RelationRow, ServiceSection, study_sheet
from graph_data.records import RELATIONS, Evidence
from graph_data.style import RELATION_STYLES, category_color

__all__ = [
    "BODY_SIZES",
    "ORPHAN_SHARE",
    "clean",
    "last_page_share",
    "plain",
    "sheet_html",
    "tables_document",
]

#: The body text's sizes (points): the regular one, then those tried to save a near-empty page.
BODY_SIZES = (9.5, 9.2, 8.9)
#: A last page filled less than this (share of a page) is worth a slightly smaller text.
ORPHAN_SHARE = 0.12

# Note text may hold control characters a PDF text object should not carry.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object) -> str:
    """``text`` without the control characters a PDF text object should not carry."""
    return _CONTROL.sub("", str(text))


def plain(font: QFont) -> QFont:
    """``font`` without ligatures: "fi" stays two letters when the PDF's text is copied."""
    font.setFeature(QFont.Tag("liga"), 0)
    return font


def _e(text: object) -> str:
    """Note text as inert HTML: escaped, control characters dropped."""
    return html.escape(clean(text), quote=True)


def tables_document(
    G: nx.MultiDiGraph,
    title: str,
    device: QPaintDevice,
    content: QRectF,
    focus: str | None = None,
) -> QTextDocument:
    """The tables laid out in pages; the text a little smaller when that saves a near-empty page.

    A last page holding a line or two (less than :data:`ORPHAN_SHARE` of a page) is paper
    for nothing: the body text then tries slightly smaller sizes, and the first that pulls
    those lines back onto the page before is kept.
    """
    regular = _layout(G, title, device, content, focus, BODY_SIZES[0])
    pages = regular.pageCount()
    if pages == 1 or last_page_share(regular, content) >= ORPHAN_SHARE:
        return regular
    for size in BODY_SIZES[1:]:
        doc = _layout(G, title, device, content, focus, size)
        if doc.pageCount() < pages:
            return doc
    return regular


def last_page_share(doc: QTextDocument, content: QRectF) -> float:
    """How much of its last page a laid-out document fills (0 to 1)."""
    used = doc.size().height() - (doc.pageCount() - 1) * content.height()
    return max(0.0, min(1.0, used / content.height()))


def _layout(
    G: nx.MultiDiGraph,
    title: str,
    device: QPaintDevice,
    content: QRectF,
    focus: str | None,
    size: float,
) -> QTextDocument:
    doc = QTextDocument()
    # Lay the text out with the PDF's own font metrics, one page per content rectangle.
    doc.documentLayout().setPaintDevice(device)
    option = QTextOption(doc.defaultTextOption())
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    font = plain(QFont())
    font.setPointSizeF(size)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(_CSS)
    doc.setPageSize(content.size())
    doc.setHtml(sheet_html(G, title, focus))
    return doc


_CSS = """
h1 { font-size: 15pt; color: #111827; }
h2 { font-size: 13pt; color: #111827; margin-top: 14px; }
h3 { font-size: 11.5pt; color: #111827; margin-top: 12px; margin-bottom: 2px; }
h4 { font-size: 10pt; margin-top: 6px; margin-bottom: 2px; }
p.meta { color: #4b5563; margin-top: 0; }
p.none { color: #6b7280; font-style: italic; }
p.where { color: #4b5563; font-style: italic; white-space: nowrap;
          margin-top: 3px; margin-bottom: 0; }
p.quote { margin-top: 0; margin-bottom: 3px; }
p.other { font-weight: bold; margin: 0; }
p.conf { color: #6b7280; font-size: 8pt; margin: 0; }
div.compare { margin-left: 12px; }
"""


def sheet_html(G: nx.MultiDiGraph, title: str, focus: str | None = None) -> str:
    """The tables of the PDF sheet as the small HTML subset ``QTextDocument`` lays out."""
    sheet = study_sheet(G, title, focus)
    parts = [f"<h1>{_e(sheet.title)}</h1>", "<h2>Services</h2>"]
    parts += [_section_html(s) for s in sheet.sections]
    if not sheet.sections:
        parts.append("<p class='none'>No services in this export.</p>")
    if sheet.comparisons:
        parts.append("<h2>Compare</h2>")
        parts += [_comparison_html(c) for c in sheet.comparisons]
    return "\n".join(parts)


def _section_html(s: ServiceSection) -> str:
    color = category_color(s.category)
    parts = [
        f"<h3><span style='color:{color}'>&#9679;</span> {_e(s.short)}</h3>",
        f"<p class='meta'><b>{_e(s.name)}</b> · {_e(s.category)}</p>",
    ]
    if s.description:
        parts.append(f"<p>{_e(s.description)}</p>")
    if not s.rows:
        parts.append("<p class='none'>No relations in this export.</p>")
        return "\n".join(parts)
    for relation in RELATIONS:
        rows = [r for r in s.rows if r.relation == relation]
        labels = sorted({r.label for r in rows}, key=lambda label: label != relation)
        for label in labels:
            style = RELATION_STYLES[relation]
            group = [r for r in rows if r.label == label]
            parts.append(f"<h4 style='color:{style.color}'>{_e(label.split(' (')[0])}</h4>")
            parts.append(_rows_table(group))
    return "\n".join(parts)


def _rows_table(rows: list[RelationRow]) -> str:
    body = [
        f"<tr><td width='24%'><p class='other'>{_e(r.other_short)}</p>"
        f"<p class='conf'>confidence {r.confidence:.2f}</p></td>"
        f"<td width='76%'>{_row_evidence(r)}</td></tr>"
        for r in rows
    ]
    return f"<table width='100%' cellspacing='0' cellpadding='4'>{''.join(body)}</table>"


def _row_evidence(r: RelationRow) -> str:
    if r.quoted_under:
        n = len(r.evidence)
        return (
            f"<p class='none'>{n} passage{'s' * (n != 1)}, quoted under {_e(r.quoted_under)}.</p>"
        )
    if not r.quoted_above:
        return _evidence_html(r.evidence)
    fresh = _evidence_html(r.fresh) if r.fresh else ""
    places = ", ".join(_e(e.where) for e in r.quoted_above)
    return f"{fresh}<p class='none'>{places}, quoted above.</p>"


def _evidence_html(evidence: tuple[Evidence, ...]) -> str:
    if not evidence:
        return "<p class='none'>No quoted evidence.</p>"
    # The file:line sits on a line of its own that never wraps, so it reads (and extracts)
    # as one piece; the quote wraps below it.
    return "".join(
        f"<p class='where'>{_e(e.where)}</p><p class='quote'>“{_e(e.text)}”</p>" for e in evidence
    )


def _comparison_html(c: Comparison) -> str:
    parts = [f"<h3>{_e(c.title)}</h3>"]
    if c.evidence:
        parts.append(f"<div class='compare'>{_evidence_html(c.evidence)}</div>")
    if c.quoted_under:
        names = ", ".join(_e(t) for t in c.quoted_under)
        more = "More passages" if c.evidence else "Its passages are quoted"
        parts.append(f"<p class='none'>{more} under {names}.</p>")
    elif not c.evidence:
        parts.append("<p class='none'>No passage contrasts them directly.</p>")
    return "\n".join(parts)
