"""Choose the category colours: distinct for everyone, colour-blind readers included.

The candidates are the colour-blind-safe qualitative palettes of Okabe & Ito (2008) and of
Paul Tol (bright, vibrant, muted, light), without their greys (a grey circle reads as a
dimmed one) and their darkest wine, which vanishes on the dark theme. Colours are picked
greedily, each the candidate whose smallest CIE76 difference to those already picked is
largest, the difference being the smallest over normal vision and simulated protanopia,
deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009, full severity).
Categories get them in order of how common they are in notes, so the commonest differ most.
Prints the table for ``graph_data/style.py``.

    python tools/make_palette.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph_data.style import CATEGORY_ORDER, smallest_difference  # noqa: E402

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
TOL = [
    # bright
    "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377",
    # vibrant
    "#EE7733", "#0077BB", "#33BBEE", "#EE3377", "#CC3311", "#009988",
    # muted
    "#CC6677", "#DDCC77", "#117733", "#88CCEE", "#44AA99", "#999933", "#AA4499",
    # light
    "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00",
]  # fmt: skip


def choose(n: int) -> list[str]:
    """``n`` colours picked greedily for the largest smallest difference."""
    pool = list(dict.fromkeys(OKABE_ITO + TOL))
    picked = [pool.pop(0)]
    while len(picked) < n:
        best = max(pool, key=lambda c: smallest_difference([*picked, c]))
        picked.append(best)
        pool.remove(best)
    return picked


def main() -> int:
    """Print the chosen table and its smallest difference."""
    colours = choose(len(CATEGORY_ORDER))
    for category, colour in zip(CATEGORY_ORDER, colours, strict=True):
        print(f'    "{category}": "{colour.lower()}",')
    print(f"smallest difference (CIE76, any vision): {smallest_difference(colours):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
