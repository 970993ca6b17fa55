"""Relation extraction: typed relations between services, each with the note lines that state it.

Three steps, each linear in the size of a note:

1. :mod:`graph_data.candidates` lists the pairs of services the note puts together and the
   structure that does it (a sentence, a terse bullet under a heading, a list under a label, a
   table, a "vs" heading, two lines joined by "instead" or a rename).
2. :mod:`graph_data.features` describes each candidate (cue families around and between the two
   mentions, structure, distance, negation, part-of wording, what the catalog knows).
3. :mod:`graph_data.scorer`, a multinomial logistic regression trained on hand annotations,
   gives each candidate calibrated class probabilities. Each pair gets one type per line: the
   most likely relation class, kept when it is at least the scorer's threshold.

A finding's weight is that probability; an edge's confidence merges the weights of its lines.

Examples
--------
>>> from graph_data.records import LinkedPassage, Mention, Passage
>>> text = "SNS integrates with SQS."
>>> lp = LinkedPassage(
...     Passage("n.md", 1, 1, (), text),
...     (Mention("sns", 0, 3, "SNS"), Mention("sqs", 20, 23, "SQS")),
... )
>>> [(r.source, r.relation, r.target) for r in extract_relations([lp])]
[('sns', 'integrates-with', 'sqs')]
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph_data.candidates import Candidate, file_candidates
from graph_data.catalog import Catalog, load_catalog
from graph_data.features import CatalogFacts, candidate_features
from graph_data.records import Evidence, LinkedPassage, Relation
from graph_data.rules import find_relations as rule_verdicts
from graph_data.scorer import CLASSES, Scorer, load_scorer

__all__ = [
    "Finding",
    "Scored",
    "extract_relations",
    "find_file_relations",
    "merge_findings",
    "decide",
    "merged_confidence",
    "file_rows",
    "score_rows",
]

_MAX_EVIDENCE_CHARS = 300


@dataclass(frozen=True, slots=True)
class Finding:
    """One stated instance of a relation: a single piece of evidence, before merging."""

    source: str
    relation: str
    target: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate with its class probabilities (in the order of :data:`~graph_data.scorer.CLASSES`)."""

    candidate: Candidate
    proba: tuple[float, ...]

    @property
    def best(self) -> tuple[str, float]:
        """The most likely relation class (never "none") and its probability."""
        i = max(range(1, len(CLASSES)), key=lambda k: self.proba[k])
        return CLASSES[i], self.proba[i]


_FACTS: dict[int, CatalogFacts] = {}


def _facts(catalog: Catalog) -> CatalogFacts:
    key = id(catalog)
    if key not in _FACTS:
        _FACTS[key] = CatalogFacts.of(catalog)
    return _FACTS[key]


def _verdicts(linked: Sequence[LinkedPassage], catalog: Catalog) -> dict:
    """The cue rules' verdicts per (line, pair): features, not decisions."""
    families, variants = catalog.families(), catalog.variants()
    out: dict[tuple[int, frozenset[str]], list] = defaultdict(list)
    for lp in linked:
        if lp.passage.kind in ("toc", "code"):
            continue
        for v in rule_verdicts(lp, families, variants):
            out[(v.evidence.line, frozenset((v.source, v.target)))].append(v)
    return out


def file_rows(
    linked: Sequence[LinkedPassage], catalog: Catalog | None = None
) -> tuple[list[Candidate], list[dict[str, float]]]:
    """One file's candidates and the features of each."""
    catalog = catalog or load_catalog()
    facts = _facts(catalog)
    candidates = file_candidates(linked)
    verdicts = _verdicts(linked, catalog) if candidates else {}
    rows = []
    for c in candidates:
        row = candidate_features(c, facts)
        for v in verdicts.get((c.line, c.pair), ()):
            rel = v.relation
            if rel == "replaces":
                rel = "replaces:fwd" if v.source == c.first else "replaces:bwd"
            row[f"rule:{rel}"] = 1.0
            row[f"rule:{rel}:{v.evidence.weight:.2f}"] = 1.0
        rows.append(row)
    return candidates, rows


def score_rows(
    candidates: Sequence[Candidate], rows: Sequence[dict[str, float]], scorer: Scorer
) -> list[Scored]:
    """Candidates with the scorer's class probabilities."""
    return [Scored(c, tuple(p)) for c, p in zip(candidates, scorer.predict_proba(rows), strict=True)]


def _finding(s: Scored) -> Finding:
    c = s.candidate
    rel, p = s.best
    a, b = c.first, c.second
    if rel == "replaced-by":
        rel, a, b = "replaces", b, a
    elif rel != "replaces":
        a, b = sorted((a, b))
    text = " ".join(c.evidence.split())
    if len(text) > _MAX_EVIDENCE_CHARS:
        text = text[: _MAX_EVIDENCE_CHARS - 1] + "…"
    return Finding(a, rel, b, Evidence(c.file, c.line, text, c.structure, round(p, 3)))


def decide(scored: Iterable[Scored], threshold: float) -> list[Finding]:
    """One finding per pair and line: its most likely relation, if likely enough."""
    best: dict[tuple[int, frozenset[str]], Scored] = {}
    for s in scored:
        key = (s.candidate.line, s.candidate.pair)
        if key not in best or s.best[1] > best[key].best[1]:
            best[key] = s
    return [_finding(s) for s in best.values() if s.best[1] >= threshold]


def find_file_relations(
    linked: Sequence[LinkedPassage],
    catalog: Catalog | None = None,
    scorer: Scorer | None = None,
) -> list[Finding]:
    """All relation findings of one file's linked passages (given in reading order)."""
    scorer = scorer or load_scorer()
    candidates, rows = file_rows(linked, catalog)
    return decide(score_rows(candidates, rows, scorer), scorer.threshold)


def merge_findings(findings: Iterable[Finding]) -> list[Relation]:
    """Merge findings of the same relation into one edge, with one piece of evidence per line.

    The edge's confidence is its most likely line's probability, raised a little by every
    further line: ``1 - (1 - p_max) * Π (1 - p / 2)`` over the other lines (independent
    statements add belief, but lines of one author are not independent witnesses).

    Examples
    --------
    >>> ev = lambda n: Evidence("a.md", n, "text", "cue", 0.5)
    >>> [r] = merge_findings([Finding("a", "integrates-with", "b", ev(1)),
    ...                       Finding("a", "integrates-with", "b", ev(2))])
    >>> (len(r.evidence), r.confidence)
    (2, 0.625)
    """
    grouped: dict[tuple[str, str, str], dict[tuple[str, int], Evidence]] = defaultdict(dict)
    for f in findings:
        place = (f.evidence.file, f.evidence.line)
        known = grouped[(f.source, f.relation, f.target)].get(place)
        if known is None or known.weight < f.evidence.weight:
            grouped[(f.source, f.relation, f.target)][place] = f.evidence
    relations = []
    for (a, rel, b), places in grouped.items():
        evidence = tuple(sorted(places.values(), key=lambda e: (e.file, e.line)))
        relations.append(Relation(a, rel, b, evidence, merged_confidence(e.weight for e in evidence)))
    return sorted(relations, key=lambda r: (-r.confidence, r.key))


def merged_confidence(weights: Iterable[float]) -> float:
    """An edge's confidence from its lines' probabilities (see :func:`merge_findings`)."""
    ordered = sorted(weights, reverse=True)
    if not ordered:
        return 0.0
    doubt = 1.0 - ordered[0]
    for w in ordered[1:]:
        doubt *= 1.0 - w / 2
    return round(min(0.99, 1.0 - doubt), 3)


def extract_relations(
    linked: Iterable[LinkedPassage],
    catalog: Catalog | None = None,
    scorer: Scorer | None = None,
) -> list[Relation]:
    """Typed relations with merged evidence from linked passages of one or more files."""
    findings: list[Finding] = []
    for _file, group in itertools.groupby(linked, key=lambda lp: lp.passage.file):
        findings.extend(find_file_relations(list(group), catalog, scorer))
    return merge_findings(findings)
