"""Train the relation scorer from hand annotations and write ``graph_data/data/scorer.json``.

Candidates are generated from the annotated notes exactly as the build does; a candidate is
labelled with the relation an annotation states for its pair on its line ("none" otherwise).
A multinomial logistic regression (scikit-learn) is fitted on the features of
:mod:`graph_data.features`. Its regularisation, its calibration temperature and its decision
threshold are chosen on folds grouped by file, inside the training data only, so that the
cross-author figures of ``bench/extraction.py`` (fit on one author, score on the other) stay
honest. The shipped weights are fitted on every dev annotation.

    python tools/train_extractor.py [--gold DIR] [--notes DIR] [--corpora DIR] [--out FILE]

Needs the ``train`` extra (``pip install -e ".[train]"``); the app itself never imports it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph_data.candidates import Candidate
from graph_data.catalog import Catalog, load_catalog
from graph_data.evaluation import DevSet, Instance, dev_sets, load_instances
from graph_data.extract import Scored, file_rows, score_rows
from graph_data.linker import Linker
from graph_data.priors import ADAPTED
from graph_data.reader import read_notes
from graph_data.scorer import CLASSES, Scorer

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = ROOT / "graph_data" / "data" / "scorer.json"
# Which relation wins when annotators gave one pair on one line two types.
_PRIORITY = {"replaces": 0, "alternative-to": 1, "integrates-with": 2}
_C_GRID = (0.03, 0.1, 0.3, 1.0)
_MIN_COUNT = 2
# Alternatives and replacements are rare in notes (a few percent of the annotations): without
# more weight, regularisation leaves their cues too weak to beat the common integrates-with.
_IMPLICIT_WEIGHT = 0.3
_CLASS_WEIGHT = {0: 1.0, 1: 1.0, 2: 3.0, 3: 10.0, 4: 10.0}


@dataclass(frozen=True, slots=True)
class Example:
    """A labelled candidate of one dev set."""

    dev: str
    author: str
    candidate: Candidate
    features: dict
    label: int
    #: Whether an annotation marks the label explicit (a cue word states it).
    explicit: bool = False


@dataclass
class Corpus:
    """Every dev set's annotations and labelled candidates."""

    sets: list[DevSet]
    gold: dict[str, list[Instance]]
    examples: list[Example]

    def of(self, authors: set[str]) -> list[Example]:
        """The examples written by these authors."""
        return [e for e in self.examples if e.author in authors]


def _label(c: Candidate, gold: dict[tuple, tuple[str, str, bool]]) -> int:
    hit = gold.get((c.file, c.line, c.pair))
    if hit is None:
        return 0
    rel, successor, _ = hit
    if rel == "replaces":
        return CLASSES.index("replaces" if successor == c.first else "replaced-by")
    return CLASSES.index(rel)


def load_corpus(gold: Path, notes: Path, corpora: Path, catalog: Catalog | None = None) -> Corpus:
    """Read, link and label every dev set."""
    catalog = catalog or load_catalog()
    linker = Linker(catalog)
    sets = dev_sets(gold, notes, corpora)
    reads: dict[Path, list] = {}
    corpus = Corpus(sets, {}, [])
    for dev in sets:
        instances, _ = load_instances(dev, linker)
        corpus.gold[dev.name] = instances
        if dev.notes not in reads:
            reads[dev.notes] = read_notes(dev.notes).passages
        files = {i.file for i in instances}
        by_line: dict[tuple, tuple[str, str, bool]] = {}
        for i in sorted(instances, key=lambda i: (_PRIORITY[i.rel], not i.explicit)):
            by_line.setdefault((i.file, i.line, frozenset((i.a, i.b))), (i.rel, i.a, i.explicit))
        by_file: dict[str, list] = defaultdict(list)
        for p in reads[dev.notes]:
            if p.file in files:
                by_file[p.file].append(linker.link(p))
        for linked in by_file.values():
            for c, row in zip(*file_rows(linked, catalog), strict=True):
                if dev.covers(c.file, c.line):
                    hit = by_line.get((c.file, c.line, c.pair))
                    explicit = bool(hit and hit[2])
                    corpus.examples.append(
                        Example(dev.name, dev.author, c, row, _label(c, by_line), explicit)
                    )
    return corpus


def _fit_raw(rows: list[dict], labels: list[int], C: float, weights=None):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        for k in r:
            counts[k] += 1
    keep = {k for k, n in counts.items() if n >= _MIN_COUNT} | {"bias"}
    rows = [{k: v for k, v in r.items() if k in keep} for r in rows]
    vec = DictVectorizer()
    X = vec.fit_transform(rows)
    model = LogisticRegression(C=C, max_iter=3000, class_weight=_CLASS_WEIGHT)
    model.fit(X, labels, sample_weight=weights)
    return vec, model


def _to_scorer(vec, model, temperature: float, threshold: float, info: dict) -> Scorer:
    k = len(CLASSES)
    coef = [[0.0] * k for _ in vec.feature_names_]
    intercept = [0.0] * k
    # Classes never seen in training keep a very low logit.
    seen = list(model.classes_)
    weights, biases = model.coef_, model.intercept_
    if len(seen) == 2:
        # Two classes: scikit-learn keeps one row, the second class's logit against the first's 0.
        weights, biases = [[0.0] * weights.shape[1], weights[0]], [0.0, biases[0]]
    for j in range(k):
        if j in seen:
            row = seen.index(j)
            intercept[j] = float(biases[row])
            for f in range(len(vec.feature_names_)):
                coef[f][j] = float(weights[row][f])
        else:
            intercept[j] = -20.0
    weights = {name: tuple(coef[f]) for f, name in enumerate(vec.feature_names_) if any(coef[f])}
    return Scorer(CLASSES, intercept, weights, temperature, threshold, info)


def _folds(examples: Sequence[Example], n: int = 4) -> list[list[int]]:
    """Example indices in ``n`` folds grouped by file (a file's candidates stay together)."""
    files = sorted({e.candidate.file for e in examples})
    digest = {f: int(hashlib.sha256(f.encode()).hexdigest(), 16) for f in files}
    order = sorted(files, key=lambda f: digest[f])
    n = min(n, len(order))
    fold_of = {f: i % n for i, f in enumerate(order)}
    out: list[list[int]] = [[] for _ in range(n)]
    for i, e in enumerate(examples):
        out[fold_of[e.candidate.file]].append(i)
    return out


def _log_loss(proba: list[list[float]], labels: list[int]) -> float:
    return -sum(math.log(max(p[y], 1e-12)) for p, y in zip(proba, labels, strict=True)) / len(
        labels
    )


def _soften(proba: list[list[float]], t: float) -> list[list[float]]:
    out = []
    for p in proba:
        z = [math.log(max(x, 1e-300)) / t for x in p]
        top = max(z)
        e = [math.exp(x - top) for x in z]
        s = sum(e)
        out.append([x / s for x in e])
    return out


def _best_threshold(proba: list[list[float]], labels: list[int], explicit: list[bool]) -> float:
    """The threshold on the best relation's probability with the best F0.5 (per candidate).

    Precision counts every annotated relation, recall the explicit ones, as the bench does.
    """
    best, chosen = -1.0, 0.5
    gold = sum(explicit) or 1
    for step in range(20, 91, 2):
        t = step / 100
        found = right = right_explicit = 0
        for p, y, x in zip(proba, labels, explicit, strict=True):
            j = max(range(1, len(p)), key=lambda k: p[k])
            if p[j] >= t:
                found += 1
                right += j == y
                right_explicit += j == y and x
        if not right_explicit:
            continue
        precision, recall = right / found, right_explicit / gold
        # Precision counts more than recall: a student learns a wrong edge as a fact.
        f = 1.25 * precision * recall / (0.25 * precision + recall)
        if f > best:
            best, chosen = f, t
    return chosen


def fit(examples: Sequence[Example], catalog: Catalog, info: dict | None = None) -> Scorer:
    """A calibrated scorer fitted on the examples; its settings chosen on grouped folds."""
    rows = [e.features for e in examples]
    labels = [e.label for e in examples]
    explicit = [e.explicit for e in examples]
    # Annotators of different authors disagree most on implicit statements; explicit ones (a cue
    # word states them) are what recall is judged on, so implicit positives weigh less.
    weights = [_sample_weight(e) for e in examples]
    folds = _folds(examples)
    best = None
    for C in _C_GRID:
        oof: list[list[float] | None] = [None] * len(rows)
        for held in folds:
            held_set = set(held)
            train = [i for i in range(len(rows)) if i not in held_set]
            vec, model = _fit_raw(
                [rows[i] for i in train], [labels[i] for i in train], C, [weights[i] for i in train]
            )
            scorer = _to_scorer(vec, model, 1.0, 0.5, {})
            for i, p in zip(held, scorer.predict_proba([rows[i] for i in held]), strict=True):
                oof[i] = p
        loss = _log_loss(oof, labels)
        if best is None or loss < best[0]:
            best = (loss, C, oof)
    _, C, oof = best
    temperature = min(
        (t / 20 for t in range(10, 61)), key=lambda t: _log_loss(_soften(oof, t), labels)
    )
    threshold = _best_threshold(_soften(oof, temperature), labels, explicit)
    vec, model = _fit_raw(rows, labels, C, weights)
    info = {
        **(info or {}),
        "C": C,
        "examples": len(rows),
        "subject_prior": _subject_prior(examples),
    }
    return _to_scorer(vec, model, temperature, threshold, info)


def _sample_weight(e: Example) -> float:
    """How much an example weighs in the fit (before the weight of its class)."""
    return 1.0 if not e.label or e.explicit else _IMPLICIT_WEIGHT


def _subject_prior(examples: Sequence[Example]) -> float:
    """The share of subject candidates stating nothing, as the fit weighs them.

    The rate the re-estimate starts from (see :mod:`graph_data.priors`): EM for class priors
    takes the rate the probabilities were fitted to, and the fit weighs each example by its
    class and its sample weight (implicit positives count 0.3). The plain annotated share
    understates it and the re-estimate then shifts too little.
    """
    none = total = 0.0
    for e in examples:
        if e.candidate.structure in ADAPTED:
            w = _CLASS_WEIGHT[e.label] * _sample_weight(e)
            total += w
            none += w * (e.label == 0)
    return round(none / total, 4) if total else 0.5


def score_examples(examples: Sequence[Example], catalog: Catalog, scorer: Scorer) -> list[Scored]:
    """The scorer's probabilities for each example's candidate."""
    return score_rows([e.candidate for e in examples], [e.features for e in examples], scorer)


def main(argv: list[str] | None = None) -> int:
    """Train on every dev annotation and write the weights file."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "gold-dev")
    ap.add_argument("--notes", type=Path, default=SHARED / "notes")
    ap.add_argument("--corpora", type=Path, default=SHARED / "corpora")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not args.gold.is_dir():
        print(f"no annotations at {args.gold}", file=sys.stderr)
        return 1
    catalog = load_catalog()
    corpus = load_corpus(args.gold, args.notes, args.corpora, catalog)
    tag = hashlib.sha256(
        json.dumps(sorted((e.dev, e.candidate.line, e.label) for e in corpus.examples)).encode()
    ).hexdigest()[:12]
    scorer = fit(
        corpus.examples,
        catalog,
        {"version": tag, "trained_on": sorted({e.dev for e in corpus.examples})},
    )
    text = json.dumps(scorer.to_dict(), separators=(",", ":"), sort_keys=True)
    args.out.write_text(text + "\n", "utf-8")
    print(
        f"wrote {args.out} ({len(text) / 1024:.0f} KB): {len(scorer.coef)} features, "
        f"C={scorer.info['C']}, temperature {scorer.temperature:.2f}, "
        f"threshold {scorer.threshold:.2f}, {len(corpus.examples)} candidates"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
