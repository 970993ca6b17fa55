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
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from graph_data import priors
from graph_data.candidates import MAX_MENTIONS, Candidate, click_paths, file_candidates
from graph_data.catalog import Catalog, load_catalog
from graph_data.features import CatalogFacts, bare, candidate_features, families_in
from graph_data.records import SILENT_KINDS, Evidence, LinkedPassage, Mentions, Relation
from graph_data.rules import find_relations as rule_verdicts
from graph_data.scorer import CLASSES, Scorer, load_scorer

__all__ = [
    "FileRelations",
    "Finding",
    "Pending",
    "Scored",
    "decide",
    "extract_relations",
    "file_relations",
    "file_rows",
    "find_file_relations",
    "merge_findings",
    "merged_confidence",
    "resolve",
    "score_rows",
    "split",
    "vetoed",
]

_MAX_EVIDENCE_CHARS = 300
# Subject candidates less likely than this are dropped before the folder's rate is known: even
# a large shift of the rate lifts few of them over the threshold, and they would fill the cache.
_PENDING_FLOOR = 0.05
_BATCH = 5000
# Passages naming more services than this are dumps: the rules read only their head.
_RULES_MENTIONS = 4 * MAX_MENTIONS
# Where a dump's head ends: the end of the line or sentence holding its last name read.
_HEAD_END = re.compile(r"\n|[.!?;](?=\s)")


@dataclass(frozen=True, slots=True)
class Finding:
    """One stated instance of a relation: a single piece of evidence, before merging."""

    source: str
    relation: str
    target: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Pending:
    """A subject candidate that passed every reading rule, judged once the folder is read.

    ``finding`` carries the scorer's probability as its weight; ``p_none`` is the scorer's
    probability that nothing is stated, and ``cue`` whether an explicit cue gives the type.
    """

    finding: Finding
    subject: str
    p_none: float
    cue: bool = False


@dataclass(frozen=True, slots=True)
class FileRelations:
    """What one file states, before the folder's rate of subject relations is known.

    ``findings`` are judged; ``pending`` are subject candidates still to judge; ``topics`` holds,
    per subject, a histogram of all its subject candidates' "no relation" probabilities.
    """

    findings: tuple[Finding, ...]
    pending: tuple[Pending, ...] = ()
    topics: tuple[tuple[str, dict[float, int]], ...] = ()


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate with its class probabilities, in the order of ``scorer.CLASSES``.

    ``typed`` is a rare type (alternative-to, replaces, replaced-by) that an explicit cue rule
    states for the pair ("is an alternative to", "replaces", "formerly", an exam answer): the
    annotations hold too few of these for the scorer to learn each cue. A successor or rename
    cue always gives its type; an alternative's cue does unless the scorer is fairly sure
    (:data:`_CUE_DOUBT`) that nothing is stated. The confidence is then the scorer's belief
    that a relation is stated at all, however low.
    """

    candidate: Candidate
    proba: tuple[float, ...]
    typed: str | None = None
    #: :attr:`best`, worked out once: a huge note's candidates are asked it several times each.
    _best: tuple[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_best", self._most_likely())

    @property
    def cue_types(self) -> bool:
        """Whether an explicit cue gives the type (an alternative's only if the scorer allows)."""
        if self.typed in ("replaces", "replaced-by"):
            return True  # a successor or rename cue names both ends and the direction
        return self.typed is not None and self.proba[0] < _CUE_DOUBT

    @property
    def best(self) -> tuple[str, float]:
        """The most likely relation class (never "none") and its probability."""
        return self._best

    def _most_likely(self) -> tuple[str, float]:
        if self.cue_types and self.typed is not None:
            return self.typed, 1.0 - self.proba[0]
        i = max(range(1, len(CLASSES)), key=lambda k: self.proba[k])
        return CLASSES[i], self.proba[i]


# Catalogs are mappings (unhashable): keyed by identity, holding the catalog so that its id
# cannot be reused by another one while the entry lives.
_FACTS: dict[int, tuple[Catalog, CatalogFacts]] = {}


def _facts(catalog: Catalog) -> CatalogFacts:
    held = _FACTS.get(id(catalog))
    if held is None or held[0] is not catalog:
        held = _FACTS[id(catalog)] = (catalog, CatalogFacts.of(catalog))
    return held[1]


def _verdicts(linked: Sequence[LinkedPassage], catalog: Catalog) -> dict:
    """The cue rules' verdicts per (line, pair): features, not decisions."""
    families, variants = catalog.families(), catalog.variants()
    out: dict[tuple[int, frozenset[str]], list] = defaultdict(list)
    for lp in linked:
        if lp.passage.kind in SILENT_KINDS or not lp.mentions:
            continue
        if len(lp.mentions) > _RULES_MENTIONS:
            lp = _head(lp)
        for v in rule_verdicts(lp, families, variants):
            out[(v.evidence.line, frozenset((v.source, v.target)))].append(v)
    return out


def _head(lp: LinkedPassage) -> LinkedPassage:
    """A dump of names cut to its first :data:`_RULES_MENTIONS` names and their sentence.

    The rules' clause logic is not built for dumps, so they read only its head: a statement
    repeated past it still has its verdict, and the rules' time grows with the head only
    (or with the line, where the line has no sentence end).
    """
    kept = sorted(lp.mentions, key=lambda m: m.start)[:_RULES_MENTIONS]
    text = lp.passage.text
    end = _HEAD_END.search(text, max(m.end for m in kept))
    head = text[: end.end()].rstrip("\n") if end else text
    passage = replace(lp.passage, text=head, end_line=lp.passage.line + head.count("\n"))
    return replace(lp, passage=passage, mentions=tuple(kept))


def _relatable(linked: Sequence[LinkedPassage], catalog: Catalog) -> list[LinkedPassage]:
    """The passages without their mentions of tools (the AWS CLI, the console): no relation."""
    tools = catalog.tools()
    if not tools:
        return list(linked)
    return [
        replace(lp, mentions=Mentions(m for m in lp.mentions if m.service not in tools))
        if not tools.isdisjoint(lp.services)
        else lp
        for lp in linked
    ]


def file_rows(
    linked: Sequence[LinkedPassage], catalog: Catalog | None = None
) -> tuple[list[Candidate], list[dict[str, float]]]:
    """One file's candidates and the features of each."""
    catalog = catalog or load_catalog()
    linked = _relatable(linked, catalog)
    candidates = file_candidates(linked)
    verdicts = _verdicts(linked, catalog) if candidates else {}
    facts = _facts(catalog)
    return candidates, [_row(c, facts, verdicts) for c in candidates]


def _row(c: Candidate, facts: CatalogFacts, verdicts: dict) -> dict[str, float]:
    """A candidate's features, with the rules' verdicts on its pair and line."""
    row = candidate_features(c, facts)
    for v in verdicts.get((c.line, c.pair), ()):
        rel = v.relation
        if rel == "replaces":
            rel = "replaces:fwd" if v.source == c.first else "replaces:bwd"
        row[f"rule:{rel}"] = 1.0
        row[f"rule:{rel}:{v.evidence.weight:.2f}"] = 1.0
    return row


# An explicit rare-type cue is trusted unless the scorer gives "no relation" this much.
_CUE_DOUBT = 0.65
# Which rule verdicts are explicit cues of a rare type (feature name -> class).
_RARE = {
    "alternative-to": "alternative-to",
    "replaces:fwd": "replaces",
    "replaces:bwd": "replaced-by",
}


def _typed(row: dict[str, float]) -> str | None:
    """The rare type an explicit cue rule states in a candidate's features, if any."""
    for key, typed in _RARE.items():
        if row.get(f"rule:{key}:0.80") or row.get(f"rule:{key}:0.65"):
            return typed
    return None


def score_rows(
    candidates: Sequence[Candidate], rows: Sequence[dict[str, float]], scorer: Scorer
) -> list[Scored]:
    """Candidates with the scorer's class probabilities."""
    probas = scorer.predict_proba(rows)
    return [
        Scored(c, tuple(p), _typed(r)) for c, p, r in zip(candidates, probas, rows, strict=True)
    ]


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


# A feature of a service, not the service: "similar to IAM policies" compares policies.
_FEATURE_NOUN = re.compile(
    # One modifier word may come first ("SQS access policies"), not a word that opens a phrase.
    r"\W{0,2}(?:(?!(?:in|with|for|but|and|or|the|an?|of|to|is|are)\b)[a-z-]+\s+)?"
    r"(?:policies|policy|rules?|roles?|permissions?|settings?|groups?|acls?|tags?|metrics?|"
    r"logs?|limits?|quotas?|pricing|features?|api|apis|console)\b",
    re.I,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:it|its|itself|this|they|them|their|the\s+(?:function|service))\b", re.I
)
_NEAR = 30
# Two services joined by "or" alone, or with one word of the first's ("Fargate task or Batch").
_BARE_OR = re.compile(r"\s*(?:[\w-]+\s+)?,?\s*or\s*$", re.I)


def vetoed(c: Candidate, relation: str) -> bool:
    """Whether general reading rules forbid ``relation`` for the candidate, whatever its score.

    Negated statements state nothing ("cannot move A to B"); part-of and is-a wording is not an
    integration; "replace" said of instances, IPs or volumes is no service replacing another;
    "similar to X policies" compares a feature, not services; two services joined by a bare "or"
    are options, not partners; and a bare enumeration of three or more services ("users, roles,
    VPCs or endpoints can call it") relates none of them.
    """
    text, (b0, b1) = c.text, c.second_span
    if c.structure == "subject" and _under_sub_topic(c):
        return True
    if _in_click_path(c):
        return True
    lo = c.first_span[1] if c.first_span else max(0, b0 - _NEAR)
    start = c.first_span[0] if c.first_span else max(0, b0 - _NEAR)
    between = families_in(text, max(0, min(lo, b0) - 1), b0)
    near = between | families_in(text, max(0, start - _NEAR), start)
    if relation != "alternative-to" and "negation" in near:
        return True
    if relation == "integrates-with" and "part" in between and "integrates" not in between:
        return True
    if relation == "integrates-with" and c.first_span and _BARE_OR.match(text, lo, b0):
        return True  # "Fargate or Batch": options for one place, not partners
    if relation == "replaces" and _replaces_things(text, start, b1):
        return True
    if relation == "alternative-to" and "similar" in near and _names_a_feature(text, b0, b1):
        return True
    return c.first_span is not None and c.services >= 3 and _bare_list(text, lo, b0, between)


def _in_click_path(c: Candidate) -> bool:
    """Whether either service is a step of a click path: a place in the console, not a party."""
    paths = click_paths(c.text)
    if not paths:
        return False
    inside = [c.second_span[0]] + ([c.first_span[0]] if c.first_span else [])
    return any(a <= x < b for x in inside for a, b in paths)


def _under_sub_topic(c: Candidate) -> bool:
    """Whether a line belongs to a sub-topic of its heading rather than to the heading's subject.

    A line under a parent bullet that opens with another service is about that service
    ("- Lambda" over "- reads the queue in batches"); a bullet naming nothing but a service,
    with its own indented lines under it, heads that service's sub-list: neither relates to the
    heading's subject.
    """
    flags = c.layout.split()
    return "nested" in flags or ("children" in flags and bare(c.text, *c.second_span))


def _names_a_feature(text: str, start: int, end: int) -> bool:
    """Whether a mention is of a service's feature: "IAM policies", "SQS access policies"."""
    last = text[start:end].rsplit(None, 1)[-1]
    return bool(_FEATURE_NOUN.match(text, end) or _FEATURE_NOUN.fullmatch(last))


def _replaces_things(text: str, start: int, end: int) -> bool:
    """ "replace the instance", "replaced IPs": "replace" said of things, not services."""
    m = _REPLACE.search(text, max(0, start - _NEAR), end + _NEAR)
    return bool(m and _THINGS.match(text, m.end()))


_REPLACE = re.compile(r"\breplac(?:e|es|ed|ing)\b", re.I)
_THINGS = re.compile(
    r"\s+(?:(?:the|an?|your|our|its|their|failed|unhealthy|old|existing|all)\s+)*"
    r"(?:[\w-]+\s+)?(?:instances?|ips?|ip\s+address(?:es)?|address(?:es)?|volumes?|nodes?|"
    r"hosts?|servers?|disks?|hardware|containers?|tasks?|certificates?|keys?)\b",
    re.I,
)
_LIST_GLUE = re.compile(r"^(?:[\s,/&+]|\band\b|\bor\b)*$", re.I)


def _bare_list(text: str, lo: int, hi: int, between: set[str]) -> bool:
    """Two services glued only by commas, "and" or "or" in a list of three or more."""
    return bool(_LIST_GLUE.match(text[lo:hi])) and not between


def _off_topic(scored: list[Scored], threshold: float, barred: Sequence[bool]) -> set[int]:
    """Indices of topic candidates on lines that relate two other services without pointing back.

    A heading's subject belongs to a line only if the line is about it: "Athena reads the Glue
    catalog" under an *S3* heading says nothing about S3. A pronoun points back to the heading
    only before the line names a service ("It sends events to Lambda"); after one, "its" is
    that service's ("Athena integrates with Glue for its tables"). ``barred`` says, per
    candidate, whether :func:`vetoed` forbids its most likely relation.
    """
    stated: dict[int, set[str]] = defaultdict(set)
    # Offsets are into a candidate's sentence: the first service named, per line and sentence.
    named_from: dict[tuple[int, str], int] = {}
    for s, bar in zip(scored, barred, strict=True):
        c = s.candidate
        start = c.first_span[0] if c.first_span else c.second_span[0]
        key = (c.line, c.text)
        named_from[key] = min(start, named_from.get(key, start))
        if c.structure not in priors.ADAPTED and s.best[1] >= threshold and not bar:
            stated[c.line] |= {c.first, c.second}
    out = set()
    for i, s in enumerate(scored):
        c = s.candidate
        others = stated.get(c.line, {c.first})
        on_others = c.first not in others and c.second in others
        back = _BACK_REFERENCE.search(c.text, 0, named_from.get((c.line, c.text), len(c.text)))
        if c.first_span is None and on_others and not back:
            out.add(i)
    return out


# The relation an edge states for a class: "replaced-by" is "replaces" read the other way.
_RELATION = {"replaced-by": "replaces"}


def decide(scored: Sequence[Scored], threshold: float) -> list[Finding]:
    """One finding per pair and line: its most likely relation, if likely enough and allowed.

    Every candidate is judged on the scorer's probabilities as they are; :func:`split` and
    :func:`resolve` first move subject candidates to the rate of the notes at hand.
    """
    return list(split(scored, threshold, adapt=False).findings)


def split(scored: Sequence[Scored], threshold: float, *, adapt: bool = True) -> FileRelations:
    """One file's findings, with its subject candidates held back until the folder is read.

    With ``adapt``, candidates of the :data:`priors.ADAPTED` structures that pass every reading
    rule are kept as :class:`Pending` (with a histogram of all of them per subject) instead of
    being judged against the threshold: :func:`resolve` judges them once the whole folder's
    rate of relations is known.
    """
    scored = list(scored)
    barred = [vetoed(s.candidate, _RELATION.get(s.best[0], s.best[0])) for s in scored]
    off = _off_topic(scored, threshold, barred)
    best: dict[tuple[int, frozenset[str]], Scored] = {}
    pending: list[Pending] = []
    topics: dict[str, list[float]] = defaultdict(list)
    for i, s in enumerate(scored):
        p = s.best[1]
        held = adapt and s.candidate.structure in priors.ADAPTED
        if held:
            topics[s.candidate.first].append(s.proba[0])
        if i in off or barred[i]:
            continue
        if held:
            if s.cue_types or p >= _PENDING_FLOOR:
                pending.append(
                    Pending(_finding(s), s.candidate.first, round(s.proba[0], 4), s.cue_types)
                )
            continue
        if p < threshold and not s.cue_types:
            continue
        key = (s.candidate.line, s.candidate.pair)
        if key not in best or p > best[key].best[1]:
            best[key] = s
    return FileRelations(
        tuple(_finding(s) for s in best.values()),
        tuple(pending),
        tuple((subject, dict(priors.histogram(ps))) for subject, ps in topics.items()),
    )


def resolve(files: Iterable[FileRelations], scorer: Scorer) -> list[Finding]:
    """Every file's findings, with its pending subject candidates judged at the notes' own rate.

    The rate of "no relation" among subject candidates is estimated over the folder, then for
    each file's part about one subject (:mod:`graph_data.priors`); each pending candidate's
    probabilities move from the scorer's training rate to that estimate before the threshold.
    A weights file without a training rate judges them as they are.
    """
    files = list(files)
    trained = scorer.info.get("subject_prior")
    folder = None
    if trained is not None:
        pooled = priors.merged(h for f in files for _, h in f.topics)
        folder = priors.estimate(pooled, trained, trained, priors.FOLDER_PSEUDO)
    out: list[Finding] = []
    for f in files:
        out.extend(f.findings)
        taken = {(x.evidence.line, frozenset((x.source, x.target))) for x in f.findings}
        rates = {}
        if folder is not None and trained is not None:
            rates = {
                subject: priors.estimate(h, trained, folder, priors.GROUP_PSEUDO)
                for subject, h in f.topics
            }
        kept: dict[tuple[int, frozenset[str]], Finding] = {}
        for held in f.pending:
            finding = _judged(held, trained, rates.get(held.subject), scorer.threshold)
            if finding is None:
                continue
            key = (finding.evidence.line, frozenset((finding.source, finding.target)))
            if key in taken:
                continue
            if key not in kept or finding.evidence.weight > kept[key].evidence.weight:
                kept[key] = finding
        out.extend(kept.values())
    return out


def _judged(
    held: Pending, trained: float | None, rate: float | None, threshold: float
) -> Finding | None:
    """A pending finding with its weight moved to the estimated rate; None when it falls short."""
    f, p = held.finding, held.finding.evidence.weight
    if trained is not None and rate is not None:
        moved = priors.shifted((held.p_none, 1.0 - held.p_none), trained, rate)
        p = moved[1] if held.cue else p * moved[1] / max(1e-9, 1.0 - held.p_none)
    if p < threshold and not held.cue:
        return None
    return Finding(f.source, f.relation, f.target, replace(f.evidence, weight=round(p, 3)))


def find_file_relations(
    linked: Sequence[LinkedPassage],
    catalog: Catalog | None = None,
    scorer: Scorer | None = None,
) -> FileRelations:
    """One file's relation findings, and its pending subject candidates (see :func:`split`)."""
    return file_relations(linked, catalog, scorer)[0]


def file_relations(
    linked: Sequence[LinkedPassage],
    catalog: Catalog | None = None,
    scorer: Scorer | None = None,
    *,
    keep: bool = False,
) -> tuple[FileRelations, tuple[list[Candidate], list[dict[str, float]]] | None]:
    """One file's findings and pending subject candidates; with ``keep``, its candidates and
    their features too, for the folder's own scorer (None without)."""
    scorer = scorer or load_scorer()
    catalog = catalog or load_catalog()
    linked = _relatable(linked, catalog)
    candidates = file_candidates(linked)
    verdicts = _verdicts(linked, catalog) if candidates else {}
    facts = _facts(catalog)
    scored: list[Scored] = []
    kept: list[dict[str, float]] = []
    # Features are scored a batch at a time; unless kept, a huge note keeps only probabilities.
    for start in range(0, len(candidates), _BATCH):
        batch = candidates[start : start + _BATCH]
        rows = [_row(c, facts, verdicts) for c in batch]
        scored += score_rows(batch, rows, scorer)
        if keep:
            kept += rows
    # The rules' verdicts live on in the rows only: a big note's peak memory is this moment.
    del verdicts
    found = split(scored, scorer.threshold)
    return found, (candidates, kept) if keep else None


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
        relations.append(
            Relation(a, rel, b, evidence, merged_confidence(e.weight for e in evidence))
        )
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
    scorer = scorer or load_scorer()
    files = [
        find_file_relations(list(group), catalog, scorer)
        for _file, group in itertools.groupby(linked, key=lambda lp: lp.passage.file)
    ]
    return merge_findings(resolve(files, scorer))
