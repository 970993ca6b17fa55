"""A student's review replayed: how much the folder's scorer learns from each decision.

For each dev author left out of training (the scorer is fitted on the other author, as in
``bench/extraction.py``), a simulated student answers the review queue from the annotations:
the queue asks first about the candidate whose likeliest relation is nearest the threshold
(uncertainty sampling, :func:`graph_data.learning.uncertainty`), the student gives the
annotated class ("none" when no annotation states the pair on that line), and the folder's
scorer is adapted to every decision so far (:func:`graph_data.learning.adapt`). After each
decision the author's candidates are re-scored and the graph is judged on the lines **not yet
decided**, per instance as the extraction bench judges it.

    python bench/review.py [--decisions 50] [--prior 1.0]

First, the app's own re-score after one decision on the user's notes (fit, re-score, graph,
corrections), in ms per 500 candidates. The last lines, one per left-out author:
``review <author>: F1 after 0/10/25/50 decisions = 0.61 0.66 0.72 0.75``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_data.build import build  # noqa: E402
from graph_data.catalog import load_catalog  # noqa: E402
from graph_data.corrections import Correction, Corrections, apply_corrections  # noqa: E402
from graph_data.evaluation import instance_key, score  # noqa: E402
from graph_data.extract import resolve, split  # noqa: E402
from graph_data.learning import (  # noqa: E402
    PRIOR,
    Example,
    adapt,
    decided_pairs,
    labelled,
    labels_of,
    taught,
    uncertainty,
)
from graph_data.scorer import CLASSES  # noqa: E402
from tools.train_extractor import fit, load_corpus, score_examples  # noqa: E402

SHARED = ROOT.parent / "shared"
PARENTS = {sid: s.parent for sid, s in load_catalog().items() if s.parent}
AUTHORS = ("user", "gillouche")
CHECKPOINTS = (0, 10, 25, 50)


def _key(c) -> tuple:
    return (c.file, c.line, c.pair)


def _findings(scored, scorer, labels) -> list:
    """The findings as :meth:`graph_data.learning.Folder.score` makes them, file by file."""
    by_file: dict[str, list] = {}
    for s in scored:
        by_file.setdefault(s.candidate.file, []).append(s)
    parts = [labelled(split(g, scorer.threshold), g, labels) for g in by_file.values()]
    return resolve(parts, scorer)


def _f1(corpus, author: str, findings, decided: set) -> float:
    """Instance F1 over the author's dev sets, leaving out the lines already decided."""
    found = right = explicit = explicit_found = 0
    for dev in (d for d in corpus.sets if d.author == author):
        gold = [
            g
            for g in corpus.gold[dev.name]
            if (g.file, g.line, frozenset((g.a, g.b))) not in decided
        ]
        files = {g.file for g in corpus.gold[dev.name]}
        keys = {
            instance_key(f.evidence.file, f.evidence.line, f.relation, f.source, f.target)
            for f in findings
            if f.evidence.file in files
            and (f.evidence.file, f.evidence.line, frozenset((f.source, f.target))) not in decided
        }
        s = score(gold, keys, PARENTS)
        found, right = found + s.found, right + s.right
        explicit, explicit_found = explicit + s.explicit, explicit_found + s.explicit_found
    p, r = right / max(found, 1), explicit_found / max(explicit, 1)
    return 2 * p * r / (p + r) if p + r else 0.0


def replay(corpus, author: str, decisions: int, prior: float) -> tuple[list[float], list[float]]:
    """F1 of the undecided rest after 0..decisions decisions, and the re-scoring times."""
    catalog = load_catalog()
    other = next(a for a in AUTHORS if a != author)
    shipped = fit(corpus.of({other}), catalog)
    examples = corpus.of({author})
    groups: dict[tuple, list] = {}
    for e in examples:
        groups.setdefault(_key(e.candidate), []).append(e)
    taught: list[Example] = []
    decided: set = set()
    curve, times = [], []
    scorer = shipped
    for n in range(decisions + 1):
        t0 = time.perf_counter()
        scored = score_examples(examples, catalog, scorer)
        times.append((time.perf_counter() - t0) / max(len(examples), 1) * 500)
        findings = _findings(scored, scorer, labels_of(taught))
        curve.append(_f1(corpus, author, findings, decided))
        if n == decisions:
            break
        open_ = [(uncertainty(s.proba, scorer.threshold), i) for i, s in enumerate(scored)]
        _, i = min(x for x in open_ if _key(examples[x[1]].candidate) not in decided)
        key = _key(examples[i].candidate)
        decided.add(key)
        # The student's answer is the annotated class; every candidate of that line learns it.
        # ``about`` ends as the app's does: the pair's services, then the file and the line.
        a, b = sorted(key[2])
        about = ("review", a, "", b, "", key[0], key[1])
        taught += [Example(e.features, CLASSES[e.label], about=about) for e in groups[key]]
        scorer = adapt(shipped, taught, prior=prior)
    return curve, times


def app_rescore(notes: Path, repeats: int = 20) -> tuple[int, float]:
    """The app's re-score after a decision, on a real folder: candidates, median ms per 500.

    One decision's examples (the first shown relation hidden), the folder's scorer fitted to
    them, every kept candidate re-scored, the graph rebuilt and the corrections applied: what
    the session does, reading nothing from disk.
    """
    with tempfile.TemporaryDirectory() as tmp:
        # The bench's own user folders: the real cache and decisions are left alone.
        os.environ["SERVICE_ATLAS_CACHE"] = str(Path(tmp) / "cache")
        os.environ["SERVICE_ATLAS_DATA"] = str(Path(tmp) / "data")
        result = build(notes, index=False)
    folder, G = result.folder, result.raw_graph
    u, v, rel = next(iter(G.edges(keys=True)))
    corrections = Corrections((Correction("hide", u, rel, v),))
    examples, _ = taught(corrections, {}, G, folder, result.scoring)
    count = sum(len(rows.candidates) for _, rows in folder.files if rows is not None)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        scorer = adapt(folder.shipped, examples)
        scoring = folder.score(scorer, decided_pairs(corrections), examples)
        apply_corrections(folder.graph(scoring), corrections)
        times.append(time.perf_counter() - t0)
    return count, statistics.median(times) / max(count, 1) * 500 * 1000


def main(argv: list[str] | None = None) -> int:
    """Replay a review on each left-out author and print the F1 curve."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "gold-dev")
    ap.add_argument("--notes", type=Path, default=SHARED / "notes")
    ap.add_argument("--corpora", type=Path, default=SHARED / "corpora")
    ap.add_argument("--decisions", type=int, default=max(CHECKPOINTS))
    ap.add_argument("--prior", type=float, default=PRIOR)
    args = ap.parse_args(argv)
    if not args.gold.is_dir():
        print(f"no annotations at {args.gold}", file=sys.stderr)
        return 1
    if args.notes.is_dir():
        count, ms = app_rescore(args.notes)
        print(
            f"app re-score after one decision ({count} candidates of {args.notes.name}): "
            f"median {ms:.1f} ms per 500 candidates"
        )
    corpus = load_corpus(args.gold, args.notes, args.corpora)
    lines = []
    for author in AUTHORS:
        curve, times = replay(corpus, author, args.decisions, args.prior)
        steps = [b - a for a, b in itertools.pairwise(curve)]
        print(f"\nleft out: {author} (fitted on the other author), prior {args.prior}")
        print("  F1 after each decision: " + " ".join(f"{x:.3f}" for x in curve))
        print(
            f"  mean change per decision {statistics.mean(steps):+.4f}, "
            f"worst {min(steps):+.4f}; re-scoring 500 candidates: "
            f"median {statistics.median(times) * 1000:.0f} ms"
        )
        shown = " ".join(f"{curve[c]:.2f}" for c in CHECKPOINTS if c < len(curve))
        lines.append(
            f"review {author}: F1 after {'/'.join(map(str, CHECKPOINTS))} decisions = {shown}"
        )
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
