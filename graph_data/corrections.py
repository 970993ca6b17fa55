"""The user's own corrections to the extracted graph, kept safe across rebuilds and note edits.

Corrections are matched by service ids and relation, never by line numbers, so they survive
edits of the notes. They are stored per notes folder in the user data folder as a small versioned
JSON document, written atomically.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("sns", short="SNS"); G.add_node("sqs", short="SQS")
>>> c = Corrections().with_change(Correction("add", "sns", "integrates-with", "sqs", "fan-out"))
>>> H = apply_corrections(G, c)
>>> H["sns"]["sqs"]["integrates-with"]["manual"]
True
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import networkx as nx

from graph_data import atomic
from graph_data.records import RELATIONS
from graph_data.workspace import Workspace

__all__ = [
    "ACTIONS",
    "CORRECTIONS_VERSION",
    "Correction",
    "Corrections",
    "CorrectionsError",
    "apply_corrections",
    "corrections_path",
    "load_corrections",
    "rejected_pairs",
    "save_corrections",
]

#: Version of the stored document; older documents are upgraded on load.
CORRECTIONS_VERSION = 1

#: hide / confirm / add an edge, retag it to another relation, rename or merge a service.
ACTIONS = ("hide", "confirm", "add", "retag", "rename", "merge")


class CorrectionsError(ValueError):
    """A corrections document or a correction that cannot be used."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One user decision: ``action`` on the edge ``source relation target`` (or on a service).

    ``value`` carries the new relation for ``retag``, the new display name for ``rename`` and
    the surviving service id for ``merge``; ``reason`` is the user's own words; ``when`` the
    day it was decided (ISO date; empty in files written before dates were kept).
    """

    action: str
    source: str
    relation: str = ""
    target: str = ""
    reason: str = ""
    value: str = ""
    when: str = ""

    def __post_init__(self) -> None:
        for name in ("action", "source", "relation", "target", "reason", "value", "when"):
            if not isinstance(getattr(self, name), str):
                raise CorrectionsError(f"{name} must be text, not {getattr(self, name)!r}")
        if not self.source or (
            self.action in ("hide", "confirm", "add", "retag") and not self.target
        ):
            raise CorrectionsError(f"a {self.action} correction needs its services")
        if self.action not in ACTIONS:
            raise CorrectionsError(f"unknown correction {self.action!r}")
        if self.action in ("hide", "confirm", "add", "retag") and self.relation not in RELATIONS:
            raise CorrectionsError(f"unknown relation {self.relation!r}")
        if self.action == "retag" and self.value not in RELATIONS:
            raise CorrectionsError(f"cannot retag to {self.value!r}")

    @property
    def edge(self) -> tuple[str, str, str]:
        """The edge this correction is about, in the graph's stored orientation."""
        if self.relation == "replaces":
            return (self.source, self.relation, self.target)
        a, b = sorted((self.source, self.target))
        return (a, self.relation, b)


@dataclass(frozen=True)
class Corrections:
    """An ordered list of corrections; later ones about the same thing win."""

    items: tuple[Correction, ...] = field(default=())

    def with_change(self, c: Correction) -> Corrections:
        """A copy with ``c`` added, replacing any earlier decision about the same edge/service.

        The same decision made again on another day changes nothing (it keeps its first date).
        """
        key = _key(c)
        if any(replace(x, when="") == replace(c, when="") for x in self.items):
            return self
        return replace(self, items=(*[x for x in self.items if _key(x) != key], c))

    def without(self, c: Correction) -> Corrections:
        """A copy with ``c`` removed (used by undo)."""
        return replace(self, items=tuple(x for x in self.items if x != c))

    def to_json(self) -> str:
        """The stored document."""
        doc = {"version": CORRECTIONS_VERSION, "corrections": [asdict(c) for c in self.items]}
        return json.dumps(doc, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Corrections:
        """Read a stored document; raises :class:`CorrectionsError` when it is not one."""
        try:
            doc = json.loads(text)
            if doc.get("version", 0) > CORRECTIONS_VERSION:
                raise CorrectionsError("the corrections were saved by a newer Service Atlas")
            return cls(tuple(Correction(**c) for c in doc["corrections"]))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CorrectionsError(f"unreadable corrections: {exc}") from None


def _key(c: Correction) -> tuple:
    if c.action in ("rename", "merge"):
        return (c.action, c.source)
    return ("edge", *c.edge) if c.action != "add" else ("add", *c.edge)


def corrections_path(notes: Path) -> Path:
    """Where the corrections of one notes folder are kept (user data folder)."""
    return Workspace(notes).corrections


def load_corrections(notes: Path) -> tuple[Corrections, str | None]:
    """The saved corrections of a notes folder, and a message when the file had to be set aside."""
    path = corrections_path(notes)
    if not path.exists():
        return Corrections(), None
    try:
        return Corrections.from_json(path.read_text("utf-8")), None
    except (OSError, CorrectionsError) as exc:
        # Never over an earlier file set aside: each keeps the corrections it held.
        aside = atomic.unique_path(path.with_suffix(".unreadable.json"))
        try:
            path.replace(aside)
        except OSError as err:
            return (
                Corrections(),
                f"Your corrections file could not be read ({exc}) nor set aside "
                f"({err.strerror or err}); it is left as it was and not applied.",
            )
        return (
            Corrections(),
            f"Your corrections file could not be read ({exc}); kept it as {aside}.",
        )


def save_corrections(notes: Path, corrections: Corrections) -> Path:
    """Store the corrections of a notes folder atomically and return the file."""
    path = corrections_path(notes)
    atomic.write_text(path, corrections.to_json())
    return path


def apply_corrections(G: nx.MultiDiGraph, corrections: Corrections) -> nx.MultiDiGraph:
    """A copy of ``G`` with the user's corrections applied (``G`` itself is left alone)."""
    H = G.copy()
    for c in corrections.items:
        _APPLY[c.action](H, c)
    return H


def rejected_pairs(corrections: Corrections, G: nx.MultiDiGraph) -> frozenset[frozenset[str]]:
    """The pairs of services the user hid a relation of and that ``G`` no longer relates.

    Search leaves them out of what it offers as related (a pair still related by another
    relation stays related).

    >>> c = Corrections((Correction("hide", "s3", "alternative-to", "sqs"),))
    >>> sorted(map(sorted, rejected_pairs(c, nx.MultiDiGraph())))
    [['s3', 'sqs']]
    """
    hidden = {frozenset((c.source, c.target)) for c in corrections.items if c.action == "hide"}
    return frozenset(
        pair
        for pair in hidden
        if len(pair) == 2 and not (G.has_edge(*sorted(pair)) or G.has_edge(*sorted(pair)[::-1]))
    )


def _hide(H: nx.MultiDiGraph, c: Correction) -> None:
    u, rel, v = c.edge
    if H.has_edge(u, v, rel):
        H.remove_edge(u, v, rel)


def _confirm(H: nx.MultiDiGraph, c: Correction) -> None:
    u, rel, v = c.edge
    if H.has_edge(u, v, rel):
        H[u][v][rel].update(confirmed=True, confidence=1.0)


def _add(H: nx.MultiDiGraph, c: Correction) -> None:
    u, rel, v = c.edge
    if u not in H or v not in H:
        return
    manual = {"file": "", "line": 0, "text": f"Added by you: {c.reason}".strip()}
    if H.has_edge(u, v, rel):
        H[u][v][rel]["evidence"] = [*H[u][v][rel]["evidence"], manual]
        H[u][v][rel].update(manual=True, confirmed=True, confidence=1.0)
    else:
        H.add_edge(u, v, key=rel, relation=rel, evidence=[manual], confidence=1.0, manual=True)


def _retag(H: nx.MultiDiGraph, c: Correction) -> None:
    """Give the edge another type; "replaces" to "replaces" turns it round.

    For a turn the correction names the new direction: ``source`` replaces ``target``.
    """
    u, rel, v = c.edge
    turn = rel == c.value == "replaces"
    if H.has_edge(u, v, rel):
        if turn:
            return  # already that way round
    elif turn and H.has_edge(v, u, rel):
        u, v = v, u
    else:
        return
    data = dict(H[u][v][rel])
    H.remove_edge(u, v, rel)
    moved = replace(c, relation=c.value)
    a, new, b = moved.edge
    data.update(relation=new, confirmed=True, retagged_from=rel)
    H.add_edge(a, b, key=new, **data)


def _rename(H: nx.MultiDiGraph, c: Correction) -> None:
    if c.source in H and c.value.strip():
        H.nodes[c.source]["short"] = c.value.strip()


def _merge(H: nx.MultiDiGraph, c: Correction) -> None:
    """Fold service ``source`` into ``value``: its edges and mentions move over."""
    gone, kept = c.source, c.value
    if gone not in H or kept not in H or gone == kept:
        return
    node = H.nodes[kept]
    node["mentions"] = node.get("mentions", 0) + H.nodes[gone].get("mentions", 0)
    node["files"] = sorted(set(node.get("files", [])) | set(H.nodes[gone].get("files", [])))
    node["aliases"] = [*node.get("aliases", []), H.nodes[gone].get("short", gone)]
    for u, v, k, d in [
        *H.out_edges(gone, keys=True, data=True),
        *H.in_edges(gone, keys=True, data=True),
    ]:
        a, b = (kept if u == gone else u), (kept if v == gone else v)
        if a != b and not H.has_edge(a, b, k):
            H.add_edge(a, b, key=k, **d)
    H.remove_node(gone)


_APPLY = {
    "hide": _hide,
    "confirm": _confirm,
    "add": _add,
    "retag": _retag,
    "rename": _rename,
    "merge": _merge,
}
