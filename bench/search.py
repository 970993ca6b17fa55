"""Search speed and size, measured (never asserted), with grep (and rg) as the baseline.

For the notes and synthetic 10x / 100x copies: full index build, incremental update after one
changed note, p50 / p95 query latency over a fixed list of queries of every kind, index size and
peak memory; and the time ``grep -ri`` (and ``rg -i``) takes to scan the same corpus for the same
words. Each corpus runs in a subprocess so peak memory is its own.

    python bench/search.py [--factors 1,10,100] [--notes DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTES = HERE.parent.parent / "shared" / "notes"

QUERIES = [
    "dynamic port mapping",
    "MQTT",
    "successor",
    "encryption",
    "kinesis",
    "ALB",
    "Application Load Balancer",
    "lambda sqs",
    '"read replicas"',
    '"dynamic port"',
    '"cross region replication"',
    "lambda AND sqs",
    "sns OR sqs",
    "ec2 NOT spot",
    "glacier AND NOT s3",
    "dynam*",
    "cloudfr*",
    "replic*",
    "lambdda~",
    "encrpytion~",
    "kinesiss~2",
    "service:S3 encryption",
    "service:ECS port",
    "heading:Lambda",
    "file:002*",
    "heading:vpc subnet",
    "ASG",
    "KDS shards",
    '"unbalanced quote',
    "(lambda OR",
    "NOT",
    "cost optimization",
    "IAM role trust policy",
]


def words_of(q: str) -> list[str]:
    """The plain words of a query, for the grep baseline."""
    q = re.sub(r"\b(?:service|file|heading):\S+", " ", q)
    return [w for w in re.findall(r"[A-Za-z0-9]+", q) if w not in ("AND", "OR", "NOT")]


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile of values."""
    values = sorted(values)
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


def measure(corpus: Path, repeats: int) -> dict:
    """All figures for one corpus (runs in its own process, so peak memory is its own)."""
    os.environ["SERVICE_ATLAS_CACHE"] = tempfile.mkdtemp(prefix="sa-bench-cache-")
    from graph_data.catalog import load_catalog
    from graph_data.linker import Linker
    from graph_data.reader import read_notes
    from graph_data.search import SearchIndex

    catalog = load_catalog()
    linker = Linker(catalog)
    t0 = time.perf_counter()
    read = read_notes(corpus)
    by_file: dict[str, list] = {}
    for p in read.passages:
        by_file.setdefault(p.file, []).append(linker.link(p))
    read_link = time.perf_counter() - t0
    hashes = {f.path: f.sha256 for f in read.files}

    def load(f: str) -> list:
        return by_file.get(f, [])

    builds = []
    for _ in range(repeats):
        index_dir = Path(tempfile.mkdtemp(prefix="sa-bench-index-")) / "index"
        t0 = time.perf_counter()
        ix, _ = SearchIndex.sync(index_dir, hashes, load, catalog)
        builds.append(time.perf_counter() - t0)
        ix.close()

    # One changed note at a time, a different one each round.
    increments = []
    for k, changed in enumerate(sorted(hashes)[: max(3, repeats)]):
        hashes = {**hashes, changed: f"changed-{k}"}
        t0 = time.perf_counter()
        ix, report = SearchIndex.sync(index_dir, hashes, load, catalog)
        increments.append(time.perf_counter() - t0)
        assert report.updated == (changed,), report
        ix.close()

    ix, _ = SearchIndex.sync(index_dir, hashes, load, catalog)
    latencies = []
    for q in QUERIES:
        ix.search(q)  # the first run of a query warms Whoosh's caches; the app sees both
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            ix.search(q, pagelen=20)
            runs.append(time.perf_counter() - t)
        latencies.append(statistics.median(runs))
    ix.close()
    size = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())

    grep = _baseline(["grep", "-ril"], corpus)
    rg = _baseline(["rg", "-il"], corpus) if shutil.which("rg") else None
    return {
        "corpus_mb": sum(f.size for f in read.files) / 1e6,
        "files": len(read.files),
        "passages": len(read.passages),
        "read_link_s": read_link,
        "full_build_s": statistics.median(builds),
        "builds": len(builds),
        "incremental_s": statistics.median(increments),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "slowest": sorted(zip(latencies, QUERIES, strict=True))[-3:],
        "index_mb": size / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "grep_p50_ms": grep,
        "rg_p50_ms": rg,
    }


def _baseline(cmd: list[str], corpus: Path) -> float:
    """Median time of scanning the corpus for each query's words (any of them)."""
    times = []
    for q in QUERIES:
        words = words_of(q)
        if not words:
            continue
        patterns = [arg for w in words for arg in ("-e", w)]
        t = time.perf_counter()
        subprocess.run([*cmd, *patterns, str(corpus)], capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    """Run every factor in a subprocess and print a table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factors", default="1,10,100")
    ap.add_argument("--notes", type=Path, default=NOTES)
    ap.add_argument("--repeats", type=int, default=3, help="full builds per corpus under 10x")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--one-repeats", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.one_repeats)))
        return 0
    from synth import make_corpus

    print(
        f"{'corpus':>8} {'MB':>6} {'read+link':>9} {'build':>8} {'incr':>7} {'p50':>7} "
        f"{'p95':>7} {'index':>7} {'RSS':>7} {'grep':>8} {'rg':>8}",
        flush=True,
    )
    for factor in (int(f) for f in args.factors.split(",")):
        work = Path(tempfile.mkdtemp(prefix=f"sa-bench-{factor}x-"))
        corpus = make_corpus(args.notes, work / "notes", factor) if factor > 1 else args.notes
        # A 100x build takes minutes: the large corpora are built once.
        repeats = args.repeats if factor < 10 else 1
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(corpus), "--one-repeats", str(repeats)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(HERE.parent)},
        )
        shutil.rmtree(work, ignore_errors=True)
        if done.returncode:
            print(done.stderr[-2000:])
            return 1
        r = json.loads(done.stdout.strip().splitlines()[-1])
        rg = f"{r['rg_p50_ms']:7.1f}ms" if r["rg_p50_ms"] is not None else "    n/a"
        print(
            f"{factor:>7}x {r['corpus_mb']:6.1f} {r['read_link_s']:8.2f}s "
            f"{r['full_build_s']:7.2f}s "
            f"{r['incremental_s']:6.2f}s {r['p50_ms']:5.1f}ms {r['p95_ms']:5.1f}ms "
            f"{r['index_mb']:5.1f}MB {r['peak_rss_mb']:5.0f}MB {r['grep_p50_ms']:6.1f}ms {rg}",
            flush=True,
        )
        slow = ", ".join(f"{q!r} {t * 1000:.0f}ms" for t, q in reversed(r["slowest"]))
        print(
            f"{'':9}{r['files']} files, {r['passages']} passages, median of {r['builds']} "
            f"full build(s); slowest queries: {slow}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
