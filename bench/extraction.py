"""Extraction quality and speed, measured (never asserted).

Quality: compares the extracted pairs with the hand annotations in ``../shared/gold-dev`` at the
pair level (unordered pairs for integrates-with and alternative-to, ordered for replaces) and
prints precision, recall and F1 per relation type, with the false positives and misses to read.
Gold names are mapped to catalog ids by running the linker over each entity's recorded surface
forms, so the comparison never depends on spelling.

Speed: median extraction time over the notes, and over synthetic 10x and 100x copies.

    python bench/extraction.py [--gold DIR] [--notes DIR] [--speed] [--show N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from graph_data.catalog import load_catalog
from graph_data.extract import extract_relations
from graph_data.linker import Linker
from graph_data.reader import read_notes
from graph_data.records import RELATIONS

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"


def gold_ids(gold_dir: Path, linker: Linker) -> dict[str, set[str]]:
    """Map each gold canonical name to the catalog ids its surface forms link to."""
    mapping: dict[str, set[str]] = defaultdict(set)
    for path in sorted(gold_dir.glob("aliases_*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            for form in [row["canonical"], *row["aliases"]]:
                found = linker.find(form)
                if len(found) == 1 or (found and found[0].end - found[0].start == len(form)):
                    mapping[row["canonical"]].add(found[0].service)
    return mapping


def load_gold(gold_dir: Path) -> list[dict]:
    """Every annotated instance."""
    rows = []
    for path in sorted(gold_dir.glob("rel_*.jsonl")):
        rows += [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    return rows


def pair(rel: str, a: str, b: str) -> tuple[str, str, str]:
    """The pair identity: ordered for replaces, unordered otherwise."""
    return (rel, a, b) if rel == "replaces" else (rel, *sorted((a, b)))


def evaluate(gold_dir: Path, notes: Path, show: int) -> None:
    """Print precision / recall / F1 per relation type over the annotated files."""
    catalog = load_catalog()
    linker = Linker(catalog)
    names = gold_ids(gold_dir, linker)
    rows = load_gold(gold_dir)
    files = {r["file"] for r in rows}
    unmapped = sorted({n for r in rows for n in (r["a"], r["b"]) if not names.get(n)})
    gold: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        for a in names.get(r["a"], ()):
            for b in names.get(r["b"], ()):
                gold[pair(r["rel"], a, b)].append(r)
    gold_pairs = {pair(r["rel"], r["a"], r["b"]) for r in rows}

    read = read_notes(notes)
    families, variants = catalog.families(), catalog.variants()
    linked = [linker.link(p) for p in read.passages if p.file in files]
    relations = extract_relations(linked, families, variants)
    found = {pair(r.relation, r.source, r.target): r for r in relations}

    print(f"gold-dev: {len(rows)} instances, {len(gold_pairs)} pairs, files {sorted(files)}")
    if unmapped:
        print(f"gold entities with no catalog id ({len(unmapped)}): {', '.join(unmapped)}")
    print(f"\n{'relation':<16} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for rel in RELATIONS:
        g = {p for p in gold_pairs if p[0] == rel}
        mine = {p for p in found if p[0] == rel}
        tp_found = {p for p in mine if p in gold}
        covered = {
            gp
            for gp in g
            if any(
                pair(rel, a, b) in found for a in names.get(gp[1], ()) for b in names.get(gp[2], ())
            )
        }
        precision = len(tp_found) / len(mine) if mine else 0.0
        recall = len(covered) / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(
            f"{rel:<16} {precision:6.2f} {recall:6.2f} {f1:6.2f}  {len(tp_found):3} "
            f"{len(mine) - len(tp_found):3} {len(g) - len(covered):3}"
        )
        _show(rel, found, gold, g - covered, mine - tp_found, catalog, show)


def _show(rel, found, gold, misses, false_pos, catalog, show: int) -> None:
    if not show:
        return
    for p in sorted(false_pos)[:show]:
        r = found[p]
        ev = r.evidence[0]
        print(
            f"   FP {catalog[p[1]].short} ~ {catalog[p[2]].short}  {ev.file[:3]}:{ev.line} "
            f"[{ev.cue}] {ev.text[:110]}"
        )
    for gp in sorted(misses)[:show]:
        print(f"   FN {gp[1]} ~ {gp[2]}")


def speed(notes: Path, repeats: int = 5) -> None:
    """Median extraction time over the notes and their 10x / 100x synthetic copies."""
    catalog = load_catalog()
    linker = Linker(catalog)
    families, variants = catalog.families(), catalog.variants()
    linked = [linker.link(p) for p in read_notes(notes).passages]
    size = sum(len(lp.passage.text) for lp in linked)
    base = None
    for factor in (1, 10, 100):
        corpus = linked * factor
        times = []
        for _ in range(repeats if factor < 100 else 1):
            t0 = time.perf_counter()
            extract_relations(corpus, families, variants)
            times.append(time.perf_counter() - t0)
        median = statistics.median(times)
        base = base or median
        print(
            f"extraction x{factor:<4} {size * factor / 1e6:7.1f} MB text  median {median:7.3f} s"
            f"  ({median / base:5.1f}x the 1x time)"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the quality measure and, with ``--speed``, the timing."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "gold-dev")
    ap.add_argument("--notes", type=Path, default=SHARED / "notes")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--show", type=int, default=15, help="false positives / misses to print")
    args = ap.parse_args(argv)
    if not args.notes.is_dir():
        print(f"notes folder {args.notes} not found", file=sys.stderr)
        return 1
    if args.gold.is_dir():
        evaluate(args.gold, args.notes, args.show)
    if args.speed:
        speed(args.notes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
