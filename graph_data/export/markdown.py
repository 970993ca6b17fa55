"""The study sheet as Obsidian-friendly Markdown: headings, relation tables, quoted evidence.

Note text is untrusted: every string from the notes is escaped so it reads as plain text and
cannot end a table cell, start a heading, open a link or smuggle in HTML.

Examples
--------
>>> md_text("a | b <i>")
'a \\\\| b \\\\<i\\\\>'
>>> md_text("two\\nlines")
'two lines'
"""

from __future__ import annotations

import json
import re

import networkx as nx

from graph_data.export.sheet import (
    Comparison,
    RelationRow,
    ServiceSection,
    StudySheet,
    study_sheet,
)
from graph_data.gaps import Gaps
from graph_data.reader import GENERATOR_LINE
from graph_data.records import Evidence

__all__ = ["md_text", "render_markdown"]

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that start
# markup in CommonMark, GFM tables or Obsidian ($ math, %% comments, == highlights, [[links]]).
_SPECIAL = re.compile(r"([\\`*_\[\]()<>|~#!&$%=^{}+])")
_WHITESPACE = re.compile(r"\s+")
# A line starting "- x" or "1. x" would turn into a list.
_LIST_START = re.compile(r"^(\d+)(?=[.)])|^(?=-)")
# Obsidian resolves [[#Heading]] links to headings of the same file; only plain names are safe.
_LINKABLE = re.compile(r"[\w .\-/]+")


def md_text(text: object) -> str:
    """``text`` on one line with Markdown-significant characters escaped."""
    escaped = _SPECIAL.sub(r"\\\1", _WHITESPACE.sub(" ", str(text)).strip())
    return _LIST_START.sub(lambda m: (m.group(1) or "") + "\\", escaped, count=1)


def render_markdown(
    G: nx.MultiDiGraph, title: str, focus: str | None = None, gaps: Gaps | None = None
) -> str:
    """The Markdown study sheet of ``G``; with ``gaps``, what the exam's scope still lacks."""
    sheet = study_sheet(G, title, focus)
    parts = [_front_matter(sheet), f"# {md_text(title)}", _summary(G)]
    parts += [_section(s) for s in sheet.sections]
    if sheet.comparisons:
        parts.append("## Compare")
        parts += [_comparison(c) for c in sheet.comparisons]
    if gaps is not None:
        parts.append(_not_yet(gaps))
    return "\n\n".join(p for p in parts if p) + "\n"


def _not_yet(gaps: Gaps) -> str:
    """The in-scope services the notes never name, heaviest exam domains first."""
    lines = ["## Not in your notes yet", ""]
    if not gaps.missing:
        lines.append(f"*Your notes name every service in the {md_text(gaps.exam.code)} scope.*")
        return "\n".join(lines)
    n = len(gaps.missing)
    lines.append(
        f"Your notes never name {n} of the {gaps.in_scope} services in the "
        f"{md_text(gaps.exam.title)} scope:"
    )
    lines.append("")
    for g in gaps.missing:
        domains = f" · domain {', '.join(map(str, g.domains))}" if g.domains else ""
        lines.append(
            f"- **{md_text(g.short)}** ({md_text(g.name)}) · {md_text(g.category)}{domains}"
        )
    return "\n".join(lines)


def _front_matter(sheet: StudySheet) -> str:
    # A JSON string is a valid YAML double-quoted scalar, escapes included.
    # The generator line keeps the sheet from being read back as a note (graph_data.reader).
    return (
        f"---\ntitle: {json.dumps(sheet.title, ensure_ascii=False)}\n"
        f"tags: [aws, study-sheet]\n{GENERATOR_LINE}\n---"
    )


def _summary(G: nx.MultiDiGraph) -> str:
    n, m = G.number_of_nodes(), G.number_of_edges()
    return f"*{n} service{'s' * (n != 1)}, {m} relation{'s' * (m != 1)}.*"


def _link(short: str) -> str:
    return f"[[#{short}]]" if _LINKABLE.fullmatch(short) else md_text(short)


def _section(s: ServiceSection) -> str:
    lines = [f"## {md_text(s.short)}", f"**{md_text(s.name)}** · {md_text(s.category)}"]
    if s.description:
        lines += ["", md_text(s.description)]
    if not s.rows:
        lines += ["", "*No relations in this export.*"]
        return "\n".join(lines)
    lines += [
        "",
        "| Related service | Relation | Evidence | Confidence |",
        "| --- | --- | ---: | ---: |",
    ]
    lines += [
        f"| {_link(r.other_short)} | {r.label} | {_evidence_cell(r)} | {r.confidence:.2f} |"
        for r in s.rows
    ]
    for r in s.rows:
        if r.quoted_under:
            continue
        about = f"{r.label} {md_text(r.other_short)}"
        lines += [line for e in r.fresh for line in ("", _quote(e, about))]
        if r.quoted_above:
            places = ", ".join(f"*{md_text(e.where)}*" for e in r.quoted_above)
            lines += ["", f"> **{about}** — {places}, quoted above"]
    return "\n".join(lines)


def _evidence_cell(r: RelationRow) -> str:
    """How many passages state the relation, and where they are quoted when not below."""
    if not r.quoted_under:
        return str(len(r.evidence))
    return f"{len(r.evidence)}, quoted under {_link(r.quoted_under.removeprefix('Compare: '))}"


def _quote(e: Evidence, about: str = "") -> str:
    head = f"> **{about}** — " if about else "> "
    return f"{head}*{md_text(e.where)}*\n> {md_text(e.text)}"


def _comparison(c: Comparison) -> str:
    lines = [f"### {md_text(c.title)}"]
    if not c.evidence and not c.quoted_under:
        lines += ["", "*No passage contrasts them directly.*"]
    lines += [line for e in c.evidence for line in ("", _quote(e))]
    if c.quoted_under:
        more = "More passages" if c.evidence else "Its passages are quoted"
        lines += ["", f"*{more} under {', '.join(_link(t) for t in c.quoted_under)}.*"]
    return "\n".join(lines)
