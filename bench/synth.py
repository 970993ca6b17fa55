"""Make a synthetic notes corpus: N copies of a source folder, each copy a little different.

python bench/synth.py SOURCE_DIR OUT_DIR FACTOR
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def make_corpus(source: Path, out: Path, factor: int) -> Path:
    """Write ``factor`` copies of every note under ``out`` (content hashes all differ)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    notes = sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))
    for k in range(factor):
        for note in notes:
            text = note.read_text("utf-8", errors="replace")
            target = out / f"copy{k:03d}" / note.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            # A first line of its own makes every copy's content hash unique.
            target.write_text(f"Synthetic copy {k} of {note.name}\n\n{text}", "utf-8")
    return out


if __name__ == "__main__":
    src, dst, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    make_corpus(src, dst, n)
    print(f"wrote {n} copies of {src} to {dst}")
