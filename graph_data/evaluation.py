"""Scoring extraction against hand annotations (the JSONL format of ``gold-dev/GUIDE.md``).

An annotation states one instance: ``a rel b`` on one line of one file, explicit or implicit.
Gold names are mapped to catalog ids by linking each entity's recorded surface forms, so a score
never depends on spelling. Scores are per instance: a finding is right when an annotation states
the same pair with the same type on the same line (for ``replaces``, in the same direction);
recall counts the explicit instances, precision counts against any instance (as the held-out
judging does). Edges (merged relations) are right when the annotations state that pair and type
anywhere in the annotated text; their confidence is checked with a reliability table.

Examples
--------
>>> rows = [Instance("a.md", 3, "s3", "integrates-with", "lambda", True)]
>>> found = {("a.md", 3, "integrates-with", "lambda", "s3")}
>>> score(rows, found).precision
1.0
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph_data.linker import Linker

__all__ = [
    "DevSet",
    "Instance",
    "Score",
    "dev_sets",
    "instance_key",
    "lifted",
    "load_instances",
    "reliability",
    "score",
]


@dataclass(frozen=True, slots=True)
class Instance:
    """One annotated relation instance, with catalog ids for its ends."""

    file: str
    line: int
    a: str
    rel: str
    b: str
    explicit: bool
    #: Which annotation (row of the file) this is; one annotation may map to several id pairs.
    row: int = 0


@dataclass(frozen=True, slots=True)
class DevSet:
    """One annotated set: which notes it covers, by which author, and where its files are."""

    name: str
    author: str
    notes: Path
    relations: tuple[Path, ...]
    aliases: tuple[Path, ...]
    #: Lines past this in a file are not annotated (findings there are not scored).
    last_line: dict[str, int] = field(default_factory=dict)

    def covers(self, file: str, line: int) -> bool:
        """Whether the annotations cover this place of the notes."""
        return line <= self.last_line.get(file, 1 << 30)


def dev_sets(gold: Path, notes: Path, corpora: Path) -> list[DevSet]:
    """The dev annotations laid out as ``gold-dev/GUIDE.md`` describes them."""
    return [
        DevSet(
            "user-000-002-004",
            "user",
            notes,
            (gold / "rel_dev.jsonl",),
            (gold / "aliases_dev.jsonl",),
        ),
        DevSet(
            "user-001a",
            "user",
            notes,
            (gold / "rel_001a.jsonl",),
            (gold / "aliases_001a.jsonl",),
            {"001_d0d02486f0911ba5.txt": 4296},
        ),
        DevSet(
            "gillouche-a",
            "gillouche",
            corpora / "gillouche-aws-notes",
            (gold / "gillouche-a" / "rel.jsonl",),
            (gold / "gillouche-a" / "aliases.jsonl",),
        ),
        DevSet(
            "gillouche-b",
            "gillouche",
            corpora / "gillouche-aws-notes",
            (gold / "gillouche-b" / "rel.jsonl",),
            (gold / "gillouche-b" / "aliases.jsonl",),
        ),
    ]


def _rows(paths: Iterable[Path]) -> Iterable[dict]:
    for path in paths:
        for text in path.read_text("utf-8").splitlines():
            if text.strip():
                yield json.loads(text)


def entity_ids(aliases: Iterable[Path], linker: Linker) -> dict[str, set[str]]:
    """Gold canonical name -> the catalog ids its surface forms link to."""
    mapping: dict[str, set[str]] = defaultdict(set)
    for row in _rows(aliases):
        # Every form the annotators recorded counts: "Kinesis" written for Kinesis Data Streams
        # links to the Kinesis family, and a finding about it is one the annotator meant.
        for form in [row["canonical"], *row["aliases"]]:
            found = linker.find(form)
            if len(found) == 1 or (found and found[0].end - found[0].start == len(form)):
                mapping[row["canonical"]].add(found[0].service)
    return mapping


def load_instances(dev: DevSet, linker: Linker) -> tuple[list[Instance], list[str]]:
    """The set's instances with catalog ids (one per id pairing), and the unmapped names."""
    names = entity_ids(dev.aliases, linker)
    out, unmapped = [], set()
    seen: set[tuple] = set()
    for n, r in enumerate(_rows(dev.relations)):
        statement = (r["file"], r["line"], r["rel"], frozenset((r["a"], r["b"])))
        if statement in seen:
            continue  # the same statement annotated twice counts once
        seen.add(statement)
        ends = names.get(r["a"]), names.get(r["b"])
        unmapped |= {n for n, ids in zip((r["a"], r["b"]), ends, strict=True) if not ids}
        for a in ends[0] or ():
            for b in ends[1] or ():
                if a != b:
                    out.append(
                        Instance(
                            r["file"], r["line"], a, r["rel"], b, r["strength"] == "explicit", n
                        )
                    )
        if not (ends[0] and ends[1]):
            # Kept unresolvable so that recall counts it as missed.
            explicit = r["strength"] == "explicit"
            out.append(
                Instance(r["file"], r["line"], f"?{r['a']}", r["rel"], f"?{r['b']}", explicit, n)
            )
    return out, sorted(unmapped)


def instance_key(file: str, line: int, rel: str, a: str, b: str) -> tuple[str, int, str, str, str]:
    """The identity of an instance: ordered ends for ``replaces``, sorted ends otherwise."""
    if rel != "replaces":
        a, b = sorted((a, b))
    return (file, line, rel, a, b)


@dataclass(frozen=True, slots=True)
class Score:
    """Precision (against any instance), recall (explicit, and all) and their counts."""

    found: int
    right: int
    explicit: int
    explicit_found: int
    total: int
    total_found: int

    @property
    def precision(self) -> float:
        """Share of findings an annotation states."""
        return self.right / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        """Share of explicit instances found."""
        return self.explicit_found / self.explicit if self.explicit else 0.0

    @property
    def recall_all(self) -> float:
        """Share of all instances found."""
        return self.total_found / self.total if self.total else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and explicit recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def lifted(
    key: tuple[str, int, str, str, str], parents: Mapping[str, str]
) -> set[tuple[str, int, str, str, str]]:
    """A found key and the keys with either end replaced by its catalog parent.

    Annotators who had no name for a part ("Glue Data Catalog") wrote its service ("Glue"); a
    finding about the part states what they annotated.
    """
    file, line, rel, a, b = key
    ends_a = {a, parents[a]} if a in parents else {a}
    ends_b = {b, parents[b]} if b in parents else {b}
    return {instance_key(file, line, rel, x, y) for x in ends_a for y in ends_b if x != y}


def score(
    gold: Sequence[Instance],
    found: set[tuple[str, int, str, str, str]],
    parents: Mapping[str, str] | None = None,
) -> Score:
    """Score found instance keys against the annotations.

    With ``parents`` (entry id -> parent id), a finding about a part also matches an annotation
    naming its parent (see :func:`lifted`).
    """
    groups: dict[int, set[tuple]] = defaultdict(set)
    explicit: dict[int, bool] = {}
    for g in gold:
        # One annotated statement may map to several id pairings: found if any is.
        ident = g.row
        groups[ident].add(instance_key(g.file, g.line, g.rel, g.a, g.b))
        explicit[ident] = explicit.get(ident, False) or g.explicit
    known = set().union(*groups.values()) if groups else set()
    expanded = {k: lifted(k, parents) if parents else {k} for k in found}
    matched = set().union(*expanded.values()) if expanded else set()
    hit = {ident for ident, keys in groups.items() if keys & matched}
    return Score(
        found=len(found),
        right=sum(1 for k in found if expanded[k] & known),
        explicit=sum(explicit.values()),
        explicit_found=sum(1 for i in hit if explicit[i]),
        total=len(groups),
        total_found=len(hit),
    )


def reliability(
    scored: Iterable[tuple[float, bool]], edges: Sequence[float] = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)
) -> list[tuple[float, float, int, float]]:
    """Confidence bins against the share right: (low, high, count, share right) per bin.

    Examples
    --------
    >>> reliability([(0.95, True), (0.92, False), (0.3, False)], edges=(0.0, 0.9))
    [(0.0, 0.9, 1, 0.0), (0.9, 1.0, 2, 0.5)]
    """
    bounds = [*edges, 1.0001]
    table = []
    items = list(scored)
    for lo, hi in itertools.pairwise(bounds):
        inside = [ok for p, ok in items if lo <= p < hi]
        share = sum(inside) / len(inside) if inside else 0.0
        table.append((lo, min(hi, 1.0), len(inside), round(share, 3)))
    return table
