"""Peak memory of a build over hostile notes, measured (never asserted) against a plain baseline.

Each case is a notes folder made in a temporary directory and built (graph and search index) in
a fresh subprocess, so the peak RSS printed is that build's own: the median of ``--runs`` runs,
or of one run for the note just under the read limit, which takes minutes. The baseline is the
same small folder without the big file, built in the same run; the ratio says what the big file
costs.

    python bench/memory.py [--runs 3] [--big-mb 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

GOOD = "# SQS\n\n- SNS pushes messages to SQS queues.\n- Lambda polls SQS for work.\n"
BIG_LINE = "- S3 stores objects and CloudFront caches them at the edge.\n"
LONG_CHUNK = "Kinesis Data Streams feeds Lambda. "
ROW_CELL = "| S3 | SQS | SNS | Lambda "
BULLET = "- SNS pushes to SQS, which Lambda polls.\n"
# The shapes of issue 13: 20 MB (less a little, to stay under the read limit) on one line, as
# one table row, and 100,000 bullets.
SHAPE_BYTES = 20 * 1024 * 1024 - 4096

CHILD = """
import json, resource, sys, time
from pathlib import Path
from graph_data.build import build
def peak_mb():
    # ru_maxrss survives exec, so a child would inherit the parent's peak; VmHWM does not.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
result = build(Path(sys.argv[1]), index=True)
seconds = time.perf_counter() - start
result.search.close()
print(json.dumps({
    "seconds": seconds,
    "rss_mb": peak_mb(),
    "problems": [str(p) for p in result.problems],
}))
"""


def make_case(root: Path, name: str, big_mb: int) -> Path:
    """A folder of a few good notes, plus the case's big file."""
    folder = root / name
    folder.mkdir()
    for i in range(20):
        (folder / f"note-{i:02d}.md").write_text(GOOD)
    if name == "big-note":
        _repeat(folder / "huge.md", BIG_LINE, big_mb * 1024 * 1024 // len(BIG_LINE) + 1)
    elif name == "just-under-limit":
        from graph_data.reader import MAX_BYTES

        _repeat(folder / "large.md", BIG_LINE, (MAX_BYTES - 1024) // len(BIG_LINE))
    elif name == "long-line":
        _repeat(folder / "long-line.md", LONG_CHUNK, 5 * 1024 * 1024 // len(LONG_CHUNK))
    elif name == "one-line-20mb":
        _repeat(folder / "one-line.md", LONG_CHUNK, SHAPE_BYTES // len(LONG_CHUNK))
    elif name == "one-row-20mb":
        _repeat(folder / "one-row.md", ROW_CELL, SHAPE_BYTES // len(ROW_CELL))
    elif name == "bullets-100k":
        _repeat(folder / "bullets.md", BULLET, 100_000)
    return folder


def _repeat(path: Path, chunk: str, count: int) -> None:
    """Write ``chunk`` ``count`` times, a thousand at a time, so this process stays small."""
    with path.open("w") as fh:
        for start in range(0, count, 1000):
            fh.write(chunk * min(1000, count - start))


def run_once(folder: Path, cache: Path) -> dict:
    """Build ``folder`` in a fresh process with a fresh cache; its time and peak RSS."""
    env = {
        "SERVICE_ATLAS_CACHE": str(cache),
        "SERVICE_ATLAS_DATA": str(cache / "data"),
        "SERVICE_ATLAS_CONFIG": str(cache / "config"),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Print median build time and peak RSS per case, and the ratio to the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-mb", type=int, default=50)
    labels = {
        "baseline": "20 small notes",
        "big-note": "+ one note over the read limit",
        "just-under-limit": "+ one note just under the 20 MB read limit",
        "long-line": "+ one 5 MB single-line note",
        "one-line-20mb": "+ 20 MB on one line",
        "one-row-20mb": "+ 20 MB as one table row",
        "bullets-100k": "+ 100,000 bullets",
    }
    parser.add_argument(
        "--cases", default=",".join(labels), help=f"comma-separated, of {', '.join(labels)}"
    )
    args = parser.parse_args(argv)
    cases = ["baseline", *(c for c in args.cases.split(",") if c in labels and c != "baseline")]
    print(f"{'case':46} {'build s':>8} {'peak RSS':>9} {'x base':>7}  reported")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base_rss = None
        for name in cases:
            folder = make_case(root, name, args.big_mb)
            # Reading a note of 20 MB takes minutes: one run says enough.
            count = 1 if name.endswith(("limit", "20mb")) else args.runs
            runs = [run_once(folder, root / f"cache-{name}-{i}") for i in range(count)]
            secs = statistics.median(r["seconds"] for r in runs)
            rss = statistics.median(r["rss_mb"] for r in runs)
            base_rss = base_rss or rss
            note = "; ".join(runs[0]["problems"]) or "-"
            print(f"{labels[name]:46} {secs:8.2f} {rss:7.0f}MB {rss / base_rss:7.2f}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
