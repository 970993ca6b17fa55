"""Learning from the student's review decisions: the folder's own scorer.

Each decision in the review queue (accept, reject, retag, add with a quote) is a labelled
example: the features of the candidate it was about, and the class the student gave it. The
folder's scorer is the shipped one moved towards those examples (a maximum a posteriori fit
whose prior is the shipped weights): only the weights of features the examples carry move, and
the further from the shipped value, the more it costs. With no example it is the shipped scorer
itself, so taking every decision back restores every score exactly.

The review queue asks first about what the scorer is least sure of (:func:`uncertainty`):
candidates whose likeliest relation is nearest the threshold, on either side of it.

Examples
--------
>>> from graph_data.scorer import Scorer
>>> shipped = Scorer(CLASSES, [0.0] * 5, {"bias": [0.0] * 5, "w:like": [0.0, 0.0, 2.0, 0.0, 0.0]})
>>> row = {"bias": 1.0, "w:like": 1.0}
>>> round(shipped.predict_proba([row])[0][2], 2)
0.65
>>> folder = adapt(shipped, [Example(row, "none")] * 3, prior=1.0)
>>> folder.predict_proba([row])[0][2] < 0.5
True
>>> adapt(shipped, []) is shipped
True
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graph_data import atomic, priors
from graph_data.candidates import Candidate
from graph_data.corrections import Correction, Corrections
from graph_data.extract import FileRelations, Scored, merge_findings, resolve, score_rows, split
from graph_data.graph import build_graph
from graph_data.records import Relation, Service
from graph_data.scorer import CLASSES, Scorer

__all__ = [
    "EXAMPLES_FORMAT",
    "NEAR",
    "PRIOR",
    "STYLE_SHARE",
    "Doubt",
    "EdgeChange",
    "Example",
    "ExamplesError",
    "Folder",
    "Rows",
    "Scoring",
    "Where",
    "adapt",
    "by_decision",
    "changed_edges",
    "decided_pairs",
    "decision_key",
    "examples_for",
    "labelled",
    "labels_of",
    "load_examples",
    "review_queue",
    "save_examples",
    "taught",
    "uncertainty",
]

#: The layout version of a folder's examples file.
EXAMPLES_FORMAT = 1
#: How strongly the shipped weights hold (L2 pull towards them; larger moves less). A candidate
#: carries some 40 features, so at 40 one decision moves its own logits by about one unit.
PRIOR = 40.0
#: The share of :data:`PRIOR` that holds the structure weights (``s:sentence``, ``s:parent``...).
#: They carry an author's style, how often a kind of candidate states a relation, and each is
#: shared by hundreds of the folder's candidates, so a few decisions say more about them than
#: the other author's fit did; the sparse word weights keep the shipped evidence. Replayed on
#: the left-out author (bench/review.py), smaller shares helped the second author and cost the
#: user's notes; half is the share whose worse author's mean F1 over 50 decisions is highest.
STYLE_SHARE = 0.5
_STYLE = "s:"
_STEPS = 900
_RATE = 0.5
#: The structure features of the candidates whose rate of relations :mod:`graph_data.priors`
#: re-estimates for the notes at hand (a heading's or file's subject with a service on a line).
_RATE_SET = frozenset(f"s:{s}" for s in priors.ADAPTED)
#: A decided candidate, as :func:`labels_of` keys it: its file, line and pair of services.
Where = tuple[str, int, frozenset[str]]


class ExamplesError(ValueError):
    """An examples file that cannot be read (damaged, or another format)."""


@dataclass(frozen=True)
class Example:
    """One review decision as a labelled example: a candidate's features and its class."""

    features: Mapping[str, float]
    label: str
    weight: float = 1.0
    #: When the decision was made (ISO date), for the Decisions list.
    when: str = ""
    #: What the decision was about: its :func:`decision_key`, then the candidate's file and
    #: line, so taking the decision back takes its examples back too.
    about: tuple = field(default=())

    def __post_init__(self) -> None:
        if self.label not in CLASSES:
            raise ExamplesError(f"unknown class {self.label!r}; expected one of {CLASSES}")


def adapt(scorer: Scorer, examples: Sequence[Example], *, prior: float = PRIOR) -> Scorer:
    """The scorer moved towards ``examples``, its shipped weights as the prior.

    Minimises the examples' weighted cross-entropy (at the scorer's temperature) plus
    ``prior / 2`` times the squared distance of the moved weights from the shipped ones
    (``prior * STYLE_SHARE`` for the structure weights, which the folder's style sets).
    Deterministic: the same examples always give the same scorer.

    Examples of subject candidates (:data:`graph_data.priors.ADAPTED`) teach nothing: their
    rate of relations is re-estimated from the notes themselves, from probabilities read as the
    shipped scorer's training rate; weights moved towards the folder's rate would have it
    counted twice (replayed on the other author, every such decision lowered F1 on average).
    """
    examples = [e for e in examples if not any(e.features.get(f) for f in _RATE_SET)]
    if not examples:
        return scorer
    names = sorted({f for e in examples for f in e.features})
    col = {f: j for j, f in enumerate(names)}
    k = len(scorer.classes)
    X = np.zeros((len(examples), len(names)))
    for i, e in enumerate(examples):
        for f, v in e.features.items():
            X[i, col[f]] = v
    Y = np.zeros((len(examples), k))
    Y[np.arange(len(examples)), [scorer.classes.index(e.label) for e in examples]] = 1.0
    w = np.array([e.weight for e in examples])[:, None]
    W0 = np.array([scorer.coef.get(f, (0.0,) * k) for f in names], dtype=float)
    b = np.array(scorer.intercept)
    pull = np.array([[prior * STYLE_SHARE if f.startswith(_STYLE) else prior] for f in names])
    W = _fit(X, Y, w, W0, b, scorer.temperature, pull)
    coef = dict(scorer.coef)
    coef.update({f: tuple(float(x) for x in W[j]) for f, j in col.items()})
    info = {**scorer.info, "version": f"{scorer.version}+{_digest(examples)}"}
    info["adapted_on"] = len(examples)
    return Scorer(
        scorer.classes, scorer.intercept, coef, scorer.temperature, scorer.threshold, info
    )


def _fit(X, Y, w, W0, b, temperature: float, prior):
    """Gradient descent on the MAP objective; its curvature bounds the step, so it converges."""
    # The loss's Hessian is at most ||X||^2 / (2 T^2) per unit of weight, the prior's `prior`.
    scale = float((w[:, 0] * (X**2).sum(axis=1)).sum()) / (2 * temperature**2)
    step = _RATE / (scale + float(np.max(prior)))
    W = W0.copy()
    for _ in range(_STEPS):
        z = (X @ W + b) / temperature
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = X.T @ (w * (p - Y)) / temperature + prior * (W - W0)
        W -= step * grad
    return W


def _digest(examples: Sequence[Example]) -> str:
    data = [(sorted(e.features.items()), e.label, e.weight) for e in examples]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:10]


def labels_of(examples: Iterable[Example]) -> dict[Where, bool]:
    """Whether the student said that nothing is stated, per line and pair the examples decide."""
    # ``about`` is (action, source, relation, target, value, file, line): see examples_for.
    return {
        (e.about[5], e.about[6], frozenset((e.about[1], e.about[3]))): e.label == "none"
        for e in examples
        if len(e.about) >= 7
    }


def labelled(
    found: FileRelations, scored: Sequence[Scored], labels: Mapping[Where, bool]
) -> FileRelations:
    """``found`` with each decided subject candidate counted at its known class in the EM.

    :func:`graph_data.priors.estimate` reads a candidate's "no relation" probability as its
    expected label; a decided one's label is known, 1 or 0 (semi-supervised EM), so the rates
    its folder and its subject's part of the file are judged at agree with the decisions.
    ``scored`` are the candidates ``found`` was split from.
    """
    if not labels:
        return found
    topics = {subject: Counter(h) for subject, h in found.topics}
    moved = False
    for s in scored:
        c = s.candidate
        known = labels.get((c.file, c.line, c.pair))
        if known is None or c.structure not in priors.ADAPTED or c.first not in topics:
            continue
        # The same rounding as the histogram's, so that the candidate's own entry goes.
        topics[c.first].subtract(priors.histogram([s.proba[0]]))
        topics[c.first].update(priors.histogram([1.0 if known else 0.0]))
        moved = True
    if not moved:
        return found
    kept = tuple((subject, {p: k for p, k in h.items() if k > 0}) for subject, h in topics.items())
    return replace(found, topics=kept)


def uncertainty(proba: Sequence[float], threshold: float) -> float:
    """How near a candidate's likeliest relation is to the threshold (0: on it; lower first).

    >>> uncertainty([0.5, 0.45, 0.05, 0.0, 0.0], 0.5)
    0.05
    """
    return round(abs(max(proba[1:]) - threshold), 6)


def save_examples(path: Path, examples: Sequence[Example]) -> Path:
    """Store a folder's examples atomically (small JSON, versioned) and return the file."""
    rows = [
        {
            "features": dict(sorted(e.features.items())),
            "label": e.label,
            "weight": e.weight,
            "when": e.when,
            "about": list(e.about),
        }
        for e in examples
    ]
    atomic.write_text(Path(path), json.dumps({"format": EXAMPLES_FORMAT, "examples": rows}))
    return Path(path)


def load_examples(path: Path) -> tuple[list[Example], str | None]:
    """A folder's examples, and a message when the file could not be read and was set aside."""
    path = Path(path)
    if not path.exists():
        return [], None
    try:
        return _parse(path.read_text("utf-8")), None
    except (OSError, UnicodeDecodeError, ExamplesError) as exc:
        # Never over an earlier file set aside: each keeps the decisions it held.
        aside = atomic.unique_path(path.with_suffix(".unreadable.json"))
        try:
            path.replace(aside)
        except OSError as err:
            return [], (
                f"Your review decisions could not be read ({exc}) nor set aside "
                f"({err.strerror or err}); the file is left as it was and not used."
            )
        return [], f"Your review decisions could not be read ({exc}); kept them as {aside}."


def _parse(text: str) -> list[Example]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExamplesError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict) or data.get("format") != EXAMPLES_FORMAT:
        raise ExamplesError(f"not an examples file of format {EXAMPLES_FORMAT}")
    rows = data.get("examples")
    if not isinstance(rows, list):
        raise ExamplesError("no list of examples")
    out = []
    for n, row in enumerate(rows, 1):
        try:
            features = {str(k): float(v) for k, v in dict(row["features"]).items()}
            out.append(
                Example(
                    features,
                    str(row["label"]),
                    float(row.get("weight", 1.0)),
                    str(row.get("when", "")),
                    tuple(row.get("about", ())),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ExamplesError(f"example {n} is damaged ({exc})") from None
    return out


# ---------------------------------------------------------------------- the folder's candidates

#: How far below the threshold the review queue still asks about a candidate.
NEAR = 0.15
#: A shown relation whose confidence moves at least this much is reported as changed.
_MOVED = 0.05


@dataclass(frozen=True, slots=True)
class Rows:
    """One file's candidates and the features of each, kept so a new scorer needs no re-read."""

    candidates: tuple[Candidate, ...]
    features: tuple[dict[str, float], ...]

    def to_json(self) -> dict:
        """A compact form for the build cache: one vocabulary, then indices and values."""
        vocab: dict[str, int] = {}
        rows = []
        for row in self.features:
            rows.append([[vocab.setdefault(k, len(vocab)) for k in row], list(row.values())])
        names = _CANDIDATE_FIELDS
        return {
            "fields": list(names),
            "candidates": [[getattr(c, n) for n in names] for c in self.candidates],
            "vocab": list(vocab),
            "rows": rows,
        }

    @classmethod
    def from_json(cls, raw: Mapping) -> Rows:
        """Read :meth:`to_json`'s form back (``ValueError``/``KeyError`` when it is damaged)."""
        if list(raw["fields"]) != list(_CANDIDATE_FIELDS):
            raise ValueError("candidates of another layout")
        vocab = list(raw["vocab"])
        candidates = tuple(_candidate(values) for values in raw["candidates"])
        features = tuple(
            {vocab[i]: float(v) for i, v in zip(keys, values, strict=True)}
            for keys, values in raw["rows"]
        )
        if len(features) != len(candidates):
            raise ValueError("as many feature rows as candidates expected")
        return cls(candidates, features)


_CANDIDATE_FIELDS = tuple(f.name for f in fields(Candidate))


def _candidate(values: Sequence[Any]) -> Candidate:
    """A candidate from its stored fields (JSON keeps its spans as lists)."""
    args: list[Any] = [tuple(v) if isinstance(v, list) else v for v in values]
    return Candidate(*args)


@dataclass(frozen=True)
class Scoring:
    """A folder's candidates scored by one scorer, and the relations that makes."""

    scorer: Scorer
    relations: tuple[Relation, ...]
    #: Per file with kept rows: its scored candidates (files without rows are not re-scored).
    scored: tuple[tuple[Scored, ...], ...] = ()
    #: The pairs the student decided on, whose shipped relations are kept (see Folder.score).
    decided: frozenset[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Folder:
    """A folder's candidates and what the build made of them, to re-score with its own scorer.

    ``files`` pairs each note's findings under the shipped scorer with its kept rows (None for a
    note too big to keep them: its findings stay as shipped). Re-scoring is linear in the
    number of candidates and reads nothing from disk.
    """

    shipped: Scorer
    files: tuple[tuple[FileRelations, Rows | None], ...]
    services: Mapping[str, Service]
    mentions: Mapping[str, tuple[int, list[str]]]
    notes: str = ""
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def score(
        self,
        scorer: Scorer,
        decided: Iterable[frozenset[str]] = (),
        examples: Iterable[Example] = (),
    ) -> Scoring:
        """The folder's relations under ``scorer`` (the build's own for the shipped scorer).

        A pair in ``decided`` keeps the relations the shipped scorer gives it, with those the
        new scorer adds: the student's corrections are about them, and a correction must find
        the edge it was made on (a retagged edge is not to vanish because it was retagged).
        The subject candidates ``examples`` decide count at their class in the estimate of
        the rate of relations (:func:`labelled`), even when they leave the scorer as shipped.
        """
        base = tuple(merge_findings(resolve((f for f, _ in self.files), self.shipped)))
        labels = labels_of(examples)
        if scorer is self.shipped and not labels:
            return Scoring(scorer, base)
        decided = frozenset(decided)
        parts, scored = [], []
        for found, rows in self.files:
            if rows is None:
                parts.append(found)
                continue
            these = score_rows(rows.candidates, rows.features, scorer)
            scored.append(tuple(these))
            parts.append(labelled(split(these, scorer.threshold), these, labels))
        relations = merge_findings(resolve(parts, scorer))
        if decided:
            relations = _kept(relations, base, decided)
        return Scoring(scorer, tuple(relations), tuple(scored), decided)

    def scored(self, scoring: Scoring) -> tuple[Scored, ...]:
        """Every kept candidate with its probabilities under ``scoring``'s scorer."""
        if scoring.scored:
            return tuple(s for part in scoring.scored for s in part)
        held = self._memo.get(id(scoring.scorer))
        if held is None or held[0] is not scoring.scorer:
            every = tuple(
                s
                for _, rows in self.files
                if rows is not None
                for s in score_rows(rows.candidates, rows.features, scoring.scorer)
            )
            # Keyed by identity, holding the scorer so that its id is not reused meanwhile.
            held = self._memo[id(scoring.scorer)] = (scoring.scorer, every)
        return held[1]

    def graph(self, scoring: Scoring) -> nx.MultiDiGraph:
        """The uncorrected graph of ``scoring``'s relations."""
        return build_graph(self.services, scoring.relations, self.mentions, notes=self.notes)

    @cached_property
    def by_pair(self) -> Mapping[frozenset[str], tuple[tuple[Candidate, dict], ...]]:
        """The kept candidates and their features, by pair of services."""
        out: dict[frozenset[str], list] = defaultdict(list)
        for _, rows in self.files:
            if rows is not None:
                for c, row in zip(rows.candidates, rows.features, strict=True):
                    out[c.pair].append((c, row))
        return {pair: tuple(found) for pair, found in out.items()}


def _kept(
    relations: Sequence[Relation], base: Sequence[Relation], decided: frozenset[frozenset[str]]
) -> list[Relation]:
    """``relations`` with the shipped relations of the decided pairs in place of their own."""
    shipped = {r.key: r for r in base if frozenset((r.source, r.target)) in decided}
    out = [shipped.pop(r.key, r) for r in relations]
    out += shipped.values()
    return sorted(out, key=lambda r: (-r.confidence, r.key))


def decided_pairs(corrections: Corrections) -> frozenset[frozenset[str]]:
    """The pairs of services the edge decisions are about (hide, confirm, retag, add)."""
    return frozenset(
        frozenset((c.source, c.target))
        for c in corrections.items
        if c.action in ("hide", "confirm", "retag", "add")
    )


def decision_key(c: Correction) -> tuple[str, ...]:
    """What identifies a decision for its examples (its date and words left out)."""
    return (c.action, c.source, c.relation, c.target, c.value)


def _label(c: Candidate, relation: str, newer: str) -> str:
    """The class a candidate gets for ``relation``; ``newer`` replaces the other service."""
    if relation != "replaces":
        return relation
    return "replaces" if c.first == newer else "replaced-by"


def _is(s_best: str, relation: str) -> bool:
    return s_best == relation or (relation == "replaces" and s_best == "replaced-by")


def examples_for(
    c: Correction, graph: nx.MultiDiGraph, folder: Folder, scoring: Scoring, when: str = ""
) -> tuple[Example, ...]:
    """The labelled examples one decision makes: the candidates of the lines it is about.

    A decision on a shown edge is about its evidence lines; on a relation not shown (a
    candidate just below the threshold), about the pair's lines whose likeliest relation it
    is. An added relation is about the lines that hold its quote, else those lines. Every
    candidate of such a line gets the class the student gave (none for a hidden relation).
    """
    if c.action not in ("hide", "confirm", "retag", "add"):
        return ()
    pair = frozenset((c.source, c.target))
    found = folder.by_pair.get(pair, ())
    if not found:
        return ()
    u, relation, v = c.edge
    if relation == "replaces" and not graph.has_edge(u, v, relation):
        u, v = v, u  # a turn names the new direction; the edge stands the old way round
    lines = set()
    if c.action != "add" and graph.has_edge(u, v, relation):
        data = graph[u][v][relation]
        lines = {(e["file"], e["line"]) for e in data.get("evidence", ()) if e.get("line")}
    if not lines and c.action == "add" and len(c.reason) >= 8:
        quote = " ".join(c.reason.split()).lower()
        lines = {(x.file, x.line) for x, _ in found if quote in " ".join(x.text.split()).lower()}
    if not lines:
        best = {(s.candidate.file, s.candidate.line): s.best[0] for s in _scored_of(found, scoring)}
        lines = {where for where, rel in best.items() if _is(rel, relation)}
    label, newer = _taught_class(c)
    key = decision_key(c)
    return tuple(
        Example(
            row,
            label if label == "none" else _label(x, label, newer),
            1.0,
            when,
            (*key, x.file, x.line),
        )
        for x, row in found
        if (x.file, x.line) in lines
    )


def _taught_class(c: Correction) -> tuple[str, str]:
    """The relation the student gave, and which service is the newer for ``replaces``."""
    if c.action == "hide":
        return "none", ""
    relation = c.value if c.action == "retag" else c.relation
    return relation, c.source


def _scored_of(found, scoring: Scoring) -> list[Scored]:
    return score_rows([x for x, _ in found], [row for _, row in found], scoring.scorer)


def by_decision(examples: Iterable[Example]) -> dict[tuple, tuple[Example, ...]]:
    """Stored examples grouped by the decision they came from."""
    out: dict[tuple, list[Example]] = defaultdict(list)
    for e in examples:
        out[tuple(e.about[:5])].append(e)
    return {key: tuple(found) for key, found in out.items()}


def taught(
    corrections: Corrections,
    known: Mapping[tuple, tuple[Example, ...]],
    graph: nx.MultiDiGraph,
    folder: Folder,
    scoring: Scoring,
) -> tuple[list[Example], dict[tuple, tuple[Example, ...]]]:
    """The examples of the decisions held, in their order, and every decision's examples known.

    A decision already known keeps the examples it made (its features as they were), so undo
    and redo give the same examples in the same order, hence the same scores exactly; a new one
    makes them from ``graph`` (the graph it was made on) and the folder's candidates.
    """
    known = dict(known)
    active: list[Example] = []
    for c in corrections.items:
        key = decision_key(c)
        if key not in known:
            known[key] = examples_for(c, graph, folder, scoring, c.when)
        active += known[key]
    return active, known


@dataclass(frozen=True)
class EdgeChange:
    """A shown relation that a decision made appear, disappear, or move in confidence."""

    source: str
    relation: str
    target: str
    before: float | None
    after: float | None

    @property
    def kind(self) -> str:
        """ "appeared", "gone", "stronger" or "weaker"."""
        if self.before is None:
            return "appeared"
        if self.after is None:
            return "gone"
        return "stronger" if self.after > self.before else "weaker"


def changed_edges(
    before: nx.MultiDiGraph, after: nx.MultiDiGraph, skip: Iterable[frozenset[str]] = ()
) -> tuple[EdgeChange, ...]:
    """The relations that differ between two graphs, leaving out the pairs in ``skip``.

    A relation counts when it appears, disappears, or its confidence moves by 0.05 or more;
    the largest changes come first.
    """
    skip = set(skip)
    old, new = _confidences(before), _confidences(after)
    out = []
    for edge in old.keys() | new.keys():
        if frozenset((edge[0], edge[2])) in skip:
            continue
        a, b = old.get(edge), new.get(edge)
        if a is None or b is None or abs(a - b) >= _MOVED:
            out.append(EdgeChange(*edge, a, b))
    return tuple(sorted(out, key=lambda e: (-_size(e), e.source, e.relation, e.target)))


def _confidences(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], float]:
    return {
        (u, d.get("relation", k), v): float(d.get("confidence", 0.0))
        for u, v, k, d in G.edges(keys=True, data=True)
    }


def _size(e: EdgeChange) -> float:
    return abs((e.after or 0.0) - (e.before or 0.0)) + (1.0 if None in (e.before, e.after) else 0)


@dataclass(frozen=True)
class Doubt:
    """One row of the review queue: a shown relation, or a candidate just below the threshold.

    ``shown`` tells them apart; for a candidate not shown, ``quote`` is its line (accepting it
    adds the relation with that quote).
    """

    source: str
    relation: str
    target: str
    uncertainty: float
    confidence: float
    shown: bool = True
    file: str = ""
    line: int = 0
    quote: str = ""


def review_queue(
    graph: nx.MultiDiGraph,
    folder: Folder | None = None,
    scoring: Scoring | None = None,
    corrections: Corrections | None = None,
    near: float = NEAR,
) -> list[Doubt]:
    """The undecided relations, what the scorer is least sure of first (:func:`uncertainty`).

    Shown relations not yet confirmed or added come with candidates at most ``near`` below
    the threshold whose pair and type no decision is about and the graph does not show.
    """
    threshold = scoring.scorer.threshold if scoring is not None else 0.5
    out = [
        Doubt(
            u,
            d.get("relation", k),
            v,
            uncertainty([0.0, d.get("confidence", 0.0)], threshold),
            float(d.get("confidence", 0.0)),
        )
        for u, v, k, d in graph.edges(keys=True, data=True)
        if not d.get("confirmed") and not d.get("manual")
    ]
    if folder is not None and scoring is not None:
        out += _below(graph, folder, scoring, corrections or Corrections(), near)
    return sorted(out, key=lambda d: (d.uncertainty, d.confidence, d.source, d.relation, d.target))


def _below(graph, folder: Folder, scoring: Scoring, corrections: Corrections, near: float):
    """The best candidate per pair and type within ``near`` below the threshold, not shown."""
    threshold = scoring.scorer.threshold
    decided = {frozenset((c.source, c.target)) for c in corrections.items if c.target}
    best: dict[tuple[str, str, str], Scored] = {}
    for s in folder.scored(scoring):
        relation, p = s.best
        if not threshold - near <= p < threshold or s.candidate.pair in decided:
            continue
        c = s.candidate
        a, rel, b = c.first, relation, c.second
        if relation == "replaced-by":
            a, rel, b = b, "replaces", a
        elif relation != "replaces":
            a, b = sorted((a, b))
        if a not in graph or b not in graph or graph.has_edge(a, b, rel):
            continue
        key = (a, rel, b)
        if key not in best or p > best[key].best[1]:
            best[key] = s
    return [
        Doubt(
            a,
            rel,
            b,
            uncertainty(s.proba, threshold),
            s.best[1],
            False,
            s.candidate.file,
            s.candidate.line,
            " ".join(s.candidate.evidence.split())[:300],
        )
        for (a, rel, b), s in best.items()
    ]
