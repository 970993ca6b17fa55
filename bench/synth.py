"""Make a synthetic notes corpus: N copies of a source folder, each copy a little different.

Every copy goes to its own folder (``copy003/...``) and has a few neighbouring sections swapped
(seeded, so runs repeat), so no two files share a content hash and the index can't dedupe them.

    python bench/synth.py SOURCE_DIR OUT_DIR FACTOR
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

__all__ = ["make_corpus", "shuffle_sections"]


def shuffle_sections(text: str, rng: random.Random, swaps: int = 3) -> str:
    r"""Swap a few pairs of neighbouring blank-line-separated blocks (never the first one).

    Examples
    --------
    >>> shuffle_sections("top\n\nb\n\nc", random.Random(1), swaps=1)
    'top\n\nc\n\nb'
    """
    blocks = re.split(r"\n\s*\n", text)
    # The first block stays: it may be front matter, which only counts at the top.
    for _ in range(swaps if len(blocks) > 2 else 0):
        i = rng.randrange(1, len(blocks) - 1)
        blocks[i], blocks[i + 1] = blocks[i + 1], blocks[i]
    return "\n\n".join(blocks)


def make_corpus(source: Path, out: Path, factor: int, seed: int = 7) -> Path:
    """Write ``factor`` copies of every note under ``out`` (content hashes all differ)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    notes = sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))
    for k in range(factor):
        for note in notes:
            text = note.read_text("utf-8", errors="replace")
            target = out / f"copy{k:03d}" / note.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            # A first line of its own keeps hashes unique even where nothing could be swapped.
            body = shuffle_sections(text, rng) if k else text
            target.write_text(f"Synthetic copy {k} of {note.name}\n\n{body}", "utf-8")
    return out


if __name__ == "__main__":
    src, dst, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    make_corpus(src, dst, n)
    print(f"wrote {n} copies of {src} to {dst}")
