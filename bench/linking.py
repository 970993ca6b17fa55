"""Entity linking over the user's notes, measured (never asserted) and printed for reading.

For each note file: the services found and in how many passages each is mentioned. Then the
hand annotations in ``../shared/gold-dev/aliases_*.jsonl`` are checked: every canonical entity
should resolve to a catalog entry and each of its surface forms should link to that entry. With
``--words`` the mentions of English-word names (Config, Glue, Batch, ...) are shown in context,
so a reader can see that no ordinary word became a service.

Entity recall (``--recall``, on by default when the gold folder exists): for every endpoint of
every annotated relation instance, whether the linker finds that entity on the annotated line,
overall and per author (the user's notes, the gillouche corpus), with the missed surface forms
grouped by entity.

    python bench/linking.py [--notes DIR] [--gold DIR] [--corpus DIR] [--words] [--speed]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from graph_data.catalog import Catalog, UnknownService, load_catalog
from graph_data.linker import Linker
from graph_data.records import Passage

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2] / "shared"
#: Annotated relation files: (author, relations file, aliases file, notes root key).
GOLD_SETS = (
    ("user", "rel_dev.jsonl", "aliases_dev.jsonl", "notes"),
    ("user", "rel_001a.jsonl", "aliases_001a.jsonl", "notes"),
    ("gillouche", "gillouche-a/rel.jsonl", "gillouche-a/aliases.jsonl", "corpus"),
    ("gillouche", "gillouche-b/rel.jsonl", "gillouche-b/aliases.jsonl", "corpus"),
)

#: Gold surface forms this catalog deliberately does not link, with the reason (see --gold).
LEFT_OUT: dict[str, str] = {
    "Alarms": "a bare English plural; only 'CloudWatch Alarms' names the feature",
    "snapshots": "a bare English word; 'EBS snapshots' names the feature",
    "Snapshot": "a bare English word; 'EBS snapshots' names the feature",
    "Data streams": "generic words; 'Kinesis Data Streams' (or capitalised 'Data Streams') links",
    "ES": "two letters used for far more than OpenSearch; 'Amazon ES' links",
    "ELS": "a typo for EKS; guessing typos of short names invites false matches",
    "Sam": "a first name in prose; 'SAM' as written links",
    "Amazon MA": "a typo for Amazon MQ",
    "Amazon MA (managed Apache ActiveMQ)": "a typo for Amazon MQ",
    "SQS FIFP": "a typo for SQS FIFO (links to SQS, the service it is about)",
    "On-Demand": "links only beside EC2 or a sibling purchase option (DynamoDB has one too)",
    "memacahed": "a typo for Memcached",
    "ClounFront": "a typo for CloudFront",
    "ClounFront Signed URL": "a typo for CloudFront",
    "Auto Scaling": "ambiguous between EC2 and Application Auto Scaling; EC2's is far commoner",
    "auto-scaling": "lower-case it is the general idea (DynamoDB, RDS storage scale too)",
    "autoscale": "a verb: the general idea, not the service",
    "Kinesis": "the Kinesis family has an entry of its own; the bare name links to it",
    "Amazon Kinesis": "the Kinesis family has an entry of its own; the bare name links to it",
    "S3 event notification": "links to the more specific S3 Event Notifications (child of S3)",
    "FIFO (first-in, first-out) queues": "a parenthesis splits the name; 'FIFO queues' links",
    "Signed URLs for Amazon CloudFront distributions": "a paraphrase, not a name",
    "AWS Cert. manager": "an abbreviation with a full stop inside the name",
}


def paragraphs(root: Path) -> list[Passage]:
    """Fallback reader: blank-line separated blocks, markdown '#' lines as headings."""
    out: list[Passage] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        lines = path.read_text("utf-8", errors="replace").splitlines()
        heading: tuple[str, ...] = ()
        start, block = 0, []
        for n, line in enumerate([*lines, ""], 1):
            if m := re.match(r"^(#{1,6})\s+(.*)", line):
                heading = (*heading[: len(m.group(1)) - 1], m.group(2).strip())
            if line.strip():
                start, block = start or n, [*block, line]
            elif block:
                out.append(Passage(path.name, start, n - 1, heading, "\n".join(block)))
                start, block = 0, []
    return out


def read(root: Path) -> list[Passage]:
    """The notes as passages, through the project's reader when it exists."""
    try:
        from graph_data.reader import read_notes
    except ImportError:
        return paragraphs(root)
    return list(read_notes(root).passages)


def per_file(passages: list[Passage], linker: Linker, catalog: Catalog) -> None:
    """Print each file's services with the number of passages mentioning each."""
    counts: dict[str, Counter[str]] = {}
    for p in passages:
        counts.setdefault(p.file, Counter()).update({m.service for m in linker.find(p.text)})
    for file, c in sorted(counts.items()):
        print(f"\n== {file}: {len(c)} services")
        cells = [f"{catalog[s].short} {n}" for s, n in c.most_common()]
        print("   " + "; ".join(cells))


def show_words(passages: list[Passage], linker: Linker, catalog: Catalog) -> None:
    """Print every mention of an English-word name with the words around it."""
    print("\n== English-word names, in context")
    for p in passages:
        for m in linker.find(p.text):
            if catalog[m.service].common_word:
                left = p.text[max(0, m.start - 40) : m.start].replace("\n", " ")
                right = p.text[m.end : m.end + 40].replace("\n", " ")
                print(f"   {p.file[:3]}:{p.line_at(m.start):<5} {left:>40}[{m.surface}]{right}")


def gold_coverage(gold_dir: Path, linker: Linker, catalog: Catalog) -> None:
    """Check that each annotated canonical is in the catalog and its forms link to it."""
    rows = []
    for path in sorted(gold_dir.glob("aliases_*.jsonl")):
        rows += [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    missing, wrong, left = [], [], []
    for row in rows:
        try:
            sid = catalog.resolve(row["canonical"]).id
        except UnknownService:
            missing.append(row["canonical"])
            continue
        for form in row["aliases"]:
            got = [m.service for m in linker.find(form)]
            if sid in got:
                continue
            if form in LEFT_OUT:
                left.append(f"{form!r} ({LEFT_OUT[form]})")
            else:
                wrong.append(f"{form!r} -> {got or 'nothing'} (want {sid})")
    print(f"\n== gold aliases: {len(rows)} entities")
    print(f"   canonicals not in the catalog: {missing or 'none'}")
    print(f"   surface forms linking wrongly: {len(wrong)}")
    for w in wrong:
        print(f"      {w}")
    print(f"   left out on purpose: {len(left)}")
    for w in left:
        print(f"      {w}")


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def _canonical_ids(aliases: list[dict], linker: Linker) -> dict[str, set[str]]:
    """Gold canonical name -> the catalog ids it stands for.

    The canonical name resolved in the catalog, plus what each recorded surface form links to
    when the linker reads the form as one name (as bench/extraction.py maps gold names): an
    annotator who records bare "Kinesis" for Kinesis Data Streams accepts the family entry.
    """
    out: dict[str, set[str]] = {}
    for row in aliases:
        ids = out.setdefault(row["canonical"], set())
        sid = _resolve_or_none(row["canonical"], linker.catalog)
        if sid:
            ids.add(sid)
        for form in (row["canonical"], *row["aliases"]):
            found = linker.find(form)
            if len(found) == 1 or (found and found[0].end - found[0].start == len(form)):
                ids.add(found[0].service)
    return out


def _line_mentions(
    passages: list[Passage], linker: Linker
) -> dict[tuple[str, int], tuple[set[str], set[str]]]:
    """(file, line) -> (ids linked on the line, ids of the passage's subject and heading path).

    A name may span two lines; it counts on both.
    """
    out: dict[tuple[str, int], tuple[set[str], set[str]]] = {}
    for p in passages:
        lp = linker.link(p)
        around = {*lp.context, *([lp.subject] if lp.subject else [])}
        for line in range(p.line, p.end_line + 1):
            out.setdefault((p.file, line), (set(), set()))[1].update(around)
        for m in lp.mentions:
            for line in range(p.line_at(m.start), p.line_at(m.end) + 1):
                out.setdefault((p.file, line), (set(), set()))[0].add(m.service)
    return out


def _surface_on_line(line: str, forms: Iterable[str]) -> str | None:
    """The longest of ``forms`` written on a line as whole words (any case), or None."""
    low = line.lower()
    written = [
        f for f in forms if f and re.search(rf"(?<![\w@]){re.escape(f.lower())}(?![\w@])", low)
    ]
    return max(written, key=len) if written else None


def entity_recall(
    roots: dict[str, Path], gold_dir: Path, linker: Linker, catalog: Catalog
) -> dict[str, tuple[int, int]]:
    """Print and return, per author and overall, (found, total) endpoints named on their line.

    Three figures per author: endpoints *named* on the annotated line (an annotated surface
    form or a catalog name of the entity is written there) that the linker links on that line
    -- the linker's recall; every endpoint linked on its line; and every endpoint either linked
    on its line or being the passage's subject or a heading-path service.
    """
    lines: dict[str, dict[tuple[str, int], tuple[set[str], set[str]]]] = {}
    texts: dict[Path, list[str]] = {}
    scores: dict[str, Counter[str]] = {}
    missed: dict[str, Counter[str]] = {}
    for author, rel_name, alias_name, root_key in GOLD_SETS:
        rels = _jsonl(gold_dir / rel_name)
        if not rels or not roots[root_key].is_dir():
            continue
        aliases = _jsonl(gold_dir / alias_name)
        ids = _canonical_ids(aliases, linker)
        forms = {row["canonical"]: [row["canonical"], *row["aliases"]] for row in aliases}
        if root_key not in lines:
            lines[root_key] = _line_mentions(read(roots[root_key]), linker)
        seen = lines[root_key]
        for rel in rels:
            on_line, around = seen.get((rel["file"], rel["line"]), (set(), set()))
            path = roots[root_key] / rel["file"]
            if path not in texts:
                texts[path] = path.read_text("utf-8", errors="replace").splitlines()
            text = texts[path][rel["line"] - 1] if rel["line"] <= len(texts[path]) else ""
            for end in ("a", "b"):
                canonical = rel[end]
                sid = _resolve_or_none(canonical, catalog)
                accepted = ids.get(canonical) or ({sid} if sid else set())
                names = [*forms.get(canonical, [canonical])]
                if sid is not None:
                    names += catalog.surface_forms(sid)
                surface = _surface_on_line(text, names)
                linked = bool(accepted & on_line)
                score = Counter(
                    endpoints=1,
                    linked=linked,
                    around=linked or bool(accepted & around),
                    named=surface is not None,
                    named_linked=surface is not None and linked,
                    strict=surface is not None and sid in on_line,
                )
                for key in (author, "all"):
                    scores.setdefault(key, Counter()).update(score)
                if surface is not None and not linked:
                    label = f"{canonical} ({sid or 'NOT IN CATALOG'})"
                    missed.setdefault(label, Counter())[f"{author}:{surface}"] += 1
    print("\n== entity recall on the annotated lines (endpoints of relation instances)")
    print("   named: of the endpoints whose name is written on the line, the share linked there")
    print("   linked: of all endpoints, the share linked on the line")
    print("   +subject: linked on the line, or the passage's subject or a heading-path service")
    print("   strict: named, and linked to the entry the canonical name resolves to itself")
    for key, c in sorted(scores.items()):
        n, e = max(1, c["named"]), max(1, c["endpoints"])
        print(
            f"   {key:<10} named {c['named_linked']}/{c['named']} = {c['named_linked'] / n:.3f}"
            f"   strict {c['strict'] / n:.3f}"
            f"   linked {c['linked'] / e:.3f}   +subject {c['around'] / e:.3f}"
            f"   ({c['endpoints']} endpoints)"
        )
    print("   named but not linked, by entity (author:surface form on the line):")
    for label, why in sorted(missed.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        cells = ", ".join(f"{w!r} x{n}" for w, n in why.most_common())
        print(f"   {sum(why.values()):>4}  {label}: {cells}")
    return {k: (c["named_linked"], c["named"]) for k, c in scores.items()}


def _resolve_or_none(name: str, catalog: Catalog) -> str | None:
    try:
        return catalog.resolve(name).id
    except UnknownService:
        return None


def speed(passages: list[Passage], linker: Linker, repeats: int = 5) -> None:
    """Best time to link every passage."""
    size = sum(len(p.text) for p in passages)
    best = min(_timed(passages, linker) for _ in range(repeats))
    print(f"\n== speed: {len(passages)} passages, {size / 1e3:.0f} kB, best {best:.3f} s")


def _timed(passages: list[Passage], linker: Linker) -> float:
    t0 = time.perf_counter()
    for p in passages:
        linker.link(p)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    """Run the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=Path, default=SHARED / "notes")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold-dev")
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "gillouche-aws-notes")
    ap.add_argument("--recall", action="store_true", help="only the entity recall section")
    ap.add_argument("--words", action="store_true", help="show English-word names in context")
    ap.add_argument("--speed", action="store_true", help="time linking the whole folder")
    args = ap.parse_args(argv)
    if not args.notes.is_dir():
        print(f"no notes folder at {args.notes}", file=sys.stderr)
        return 1
    catalog = load_catalog()
    linker = Linker(catalog)
    passages = read(args.notes)
    if not args.recall:
        per_file(passages, linker, catalog)
    if args.words:
        show_words(passages, linker, catalog)
    if args.gold.is_dir():
        if not args.recall:
            gold_coverage(args.gold, linker, catalog)
        entity_recall({"notes": args.notes, "corpus": args.corpus}, args.gold, linker, catalog)
    if args.speed:
        speed(passages, linker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
