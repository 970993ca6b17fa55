"""How often a heading's subject relates to what its lines name, re-estimated for the notes at hand.

Authors use headings differently. In one author's notes a file or heading names a service and
every terse line under it says what that service works with; in another's a heading names a topic
and its lines wander across many services. A scorer fitted on one author carries that author's
rate of relations among *subject* candidates (a heading's or file's subject with a service on a
line) into everybody's notes. This module re-estimates the rate for the notes being read, without
labels, by the EM procedure of Saerens, Latinne and Decaestecker (2002, "Adjusting the outputs of
a classifier to new a priori probabilities"), and shifts each candidate's probabilities to it.

The estimate is hierarchical: first over the whole folder (anchored to the scorer's training
rate), then for each part of a file about one subject (anchored to the folder's rate), each
anchor weighing as :data:`FOLDER_PSEUDO` or :data:`GROUP_PSEUDO` candidates, so a folder or a
section with few candidates stays near its anchor.

The EM reads a histogram of the "no relation" probabilities (two decimals), so what is kept per
file is bounded whatever its size.

Examples
--------
>>> # a scorer fitted where 80 % of subject candidates state nothing, on notes that look richer
>>> round(estimate({0.6: 40, 0.95: 10}, trained=0.8, anchor=0.8, pseudo=50), 2)
0.66
>>> estimate({}, trained=0.8, anchor=0.7, pseudo=10)  # nothing to go on: the anchor
0.7
>>> [round(x, 2) for x in shifted((0.8, 0.2, 0.0), trained=0.8, new=0.5)]
[0.5, 0.5, 0.0]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "ADAPTED",
    "FOLDER_PSEUDO",
    "GROUP_PSEUDO",
    "Histogram",
    "estimate",
    "histogram",
    "merged",
    "shifted",
]

#: The structures whose rate of relations is re-estimated: the subject comes from the layout.
ADAPTED = frozenset({"subject"})
#: How many candidates the scorer's training rate weighs against a folder's.
FOLDER_PSEUDO = 30.0
#: How many candidates the folder's rate weighs against one subject's part of a file.
GROUP_PSEUDO = 10.0

_ITERATIONS = 200
_TOLERANCE = 1e-6
_FLOOR = 0.01

#: "No relation" probability (two decimals) -> how many candidates have it.
Histogram = Mapping[float, int]


def histogram(p_none: Iterable[float]) -> Counter:
    """A histogram of "no relation" probabilities, the only thing :func:`estimate` reads."""
    return Counter(round(p, 2) for p in p_none)


def merged(histograms: Iterable[Histogram]) -> Counter:
    """The sum of several histograms."""
    out: Counter = Counter()
    for h in histograms:
        out.update(h)
    return out


def _clamp(p: float) -> float:
    return min(1.0 - _FLOOR, max(_FLOOR, p))


def estimate(hist: Histogram, trained: float, anchor: float, pseudo: float) -> float:
    """The rate of "no relation" among the candidates of ``hist`` (EM, anchored).

    ``trained`` is the rate the scorer's probabilities assume; ``anchor`` the rate the estimate
    is pulled toward with the weight of ``pseudo`` candidates.
    """
    trained, anchor = _clamp(trained), _clamp(anchor)
    n = sum(hist.values())
    if not n:
        return anchor
    q = anchor
    for _ in range(_ITERATIONS):
        a, b = q / trained, (1.0 - q) / (1.0 - trained)
        expected = sum(k * p * a / (p * a + (1.0 - p) * b) for p, k in hist.items())
        new = _clamp((expected + pseudo * anchor) / (n + pseudo))
        if abs(new - q) < _TOLERANCE:
            return new
        q = new
    return q


def shifted(proba: Sequence[float], trained: float, new: float) -> tuple[float, ...]:
    """A probability row (none first) moved from the trained rate of "none" to a new one."""
    trained, new = _clamp(trained), _clamp(new)
    a, b = new / trained, (1.0 - new) / (1.0 - trained)
    z = proba[0] * a + (1.0 - proba[0]) * b
    return (proba[0] * a / z, *(p * b / z for p in proba[1:]))
