"""Learning from the student's review decisions: the folder's own scorer.

Each decision in the review queue (accept, reject, retag, add with a quote) is a labelled
example: the features of the candidate it was about, and the class the student gave it. The
folder's scorer is the shipped one moved towards those examples (a maximum a posteriori fit
whose prior is the shipped weights): only the weights of features the examples carry move, and
the further from the shipped value, the more it costs. With no example it is the shipped scorer
itself, so taking every decision back restores every score exactly.

The review queue asks first about what the scorer is least sure of (:func:`uncertainty`):
candidates whose likeliest relation is nearest the threshold, on either side of it.

Examples
--------
>>> from graph_data.scorer import Scorer
>>> shipped = Scorer(CLASSES, [0.0] * 5, {"bias": [0.0] * 5, "w:like": [0.0, 0.0, 2.0, 0.0, 0.0]})
>>> row = {"bias": 1.0, "w:like": 1.0}
>>> round(shipped.predict_proba([row])[0][2], 2)
0.65
>>> folder = adapt(shipped, [Example(row, "none")] * 3, prior=1.0)
>>> folder.predict_proba([row])[0][2] < 0.5
True
>>> adapt(shipped, []) is shipped
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from graph_data import atomic
from graph_data.scorer import CLASSES, Scorer

__all__ = [
    "EXAMPLES_FORMAT",
    "PRIOR",
    "Example",
    "ExamplesError",
    "adapt",
    "load_examples",
    "save_examples",
    "uncertainty",
]

#: The layout version of a folder's examples file.
EXAMPLES_FORMAT = 1
#: How strongly the shipped weights hold (L2 pull towards them; larger moves less). A candidate
#: carries some 40 features, so at 40 one decision moves its own logits by about one unit.
PRIOR = 40.0
_STEPS = 300
_RATE = 0.5


class ExamplesError(ValueError):
    """An examples file that cannot be read (damaged, or another format)."""


@dataclass(frozen=True)
class Example:
    """One review decision as a labelled example: a candidate's features and its class."""

    features: Mapping[str, float]
    label: str
    weight: float = 1.0
    #: When the decision was made (ISO date), for the Decisions list.
    when: str = ""
    #: What the decision was about: (file, line, source, target), for undo and the list.
    about: tuple = field(default=())

    def __post_init__(self) -> None:
        if self.label not in CLASSES:
            raise ExamplesError(f"unknown class {self.label!r}; expected one of {CLASSES}")


def adapt(scorer: Scorer, examples: Sequence[Example], *, prior: float = PRIOR) -> Scorer:
    """The scorer moved towards ``examples``, its shipped weights as the prior.

    Minimises the examples' weighted cross-entropy (at the scorer's temperature) plus
    ``prior / 2`` times the squared distance of the moved weights from the shipped ones.
    Deterministic: the same examples always give the same scorer.
    """
    if not examples:
        return scorer
    names = sorted({f for e in examples for f in e.features})
    col = {f: j for j, f in enumerate(names)}
    k = len(scorer.classes)
    X = np.zeros((len(examples), len(names)))
    for i, e in enumerate(examples):
        for f, v in e.features.items():
            X[i, col[f]] = v
    Y = np.zeros((len(examples), k))
    Y[np.arange(len(examples)), [scorer.classes.index(e.label) for e in examples]] = 1.0
    w = np.array([e.weight for e in examples])[:, None]
    W0 = np.array([scorer.coef.get(f, (0.0,) * k) for f in names], dtype=float)
    b = np.array(scorer.intercept)
    W = _fit(X, Y, w, W0, b, scorer.temperature, prior)
    coef = dict(scorer.coef)
    coef.update({f: tuple(float(x) for x in W[j]) for f, j in col.items()})
    info = {**scorer.info, "version": f"{scorer.version}+{_digest(examples)}"}
    info["adapted_on"] = len(examples)
    return Scorer(
        scorer.classes, scorer.intercept, coef, scorer.temperature, scorer.threshold, info
    )


def _fit(X, Y, w, W0, b, temperature: float, prior: float):
    """Gradient descent on the MAP objective; its curvature bounds the step, so it converges."""
    # The loss's Hessian is at most ||X||^2 / (2 T^2) per unit of weight, the prior's `prior`.
    scale = float((w[:, 0] * (X**2).sum(axis=1)).sum()) / (2 * temperature**2)
    step = _RATE / (scale + prior)
    W = W0.copy()
    for _ in range(_STEPS):
        z = (X @ W + b) / temperature
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = X.T @ (w * (p - Y)) / temperature + prior * (W - W0)
        W -= step * grad
    return W


def _digest(examples: Sequence[Example]) -> str:
    data = [(sorted(e.features.items()), e.label, e.weight) for e in examples]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:10]


def uncertainty(proba: Sequence[float], threshold: float) -> float:
    """How near a candidate's likeliest relation is to the threshold (0: on it; lower first).

    >>> uncertainty([0.5, 0.45, 0.05, 0.0, 0.0], 0.5)
    0.05
    """
    return round(abs(max(proba[1:]) - threshold), 6)


def save_examples(path: Path, examples: Sequence[Example]) -> Path:
    """Store a folder's examples atomically (small JSON, versioned) and return the file."""
    rows = [
        {
            "features": dict(sorted(e.features.items())),
            "label": e.label,
            "weight": e.weight,
            "when": e.when,
            "about": list(e.about),
        }
        for e in examples
    ]
    atomic.write_text(Path(path), json.dumps({"format": EXAMPLES_FORMAT, "examples": rows}))
    return Path(path)


def load_examples(path: Path) -> tuple[list[Example], str | None]:
    """A folder's examples, and a message when the file could not be read and was set aside."""
    path = Path(path)
    if not path.exists():
        return [], None
    try:
        return _parse(path.read_text("utf-8")), None
    except (OSError, UnicodeDecodeError, ExamplesError) as exc:
        # Never over an earlier file set aside: each keeps the decisions it held.
        aside = atomic.unique_path(path.with_suffix(".unreadable.json"))
        try:
            path.replace(aside)
        except OSError as err:
            return [], (
                f"Your review decisions could not be read ({exc}) nor set aside "
                f"({err.strerror or err}); the file is left as it was and not used."
            )
        return [], f"Your review decisions could not be read ({exc}); kept them as {aside}."


def _parse(text: str) -> list[Example]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExamplesError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict) or data.get("format") != EXAMPLES_FORMAT:
        raise ExamplesError(f"not an examples file of format {EXAMPLES_FORMAT}")
    rows = data.get("examples")
    if not isinstance(rows, list):
        raise ExamplesError("no list of examples")
    out = []
    for n, row in enumerate(rows, 1):
        try:
            features = {str(k): float(v) for k, v in dict(row["features"]).items()}
            out.append(
                Example(
                    features,
                    str(row["label"]),
                    float(row.get("weight", 1.0)),
                    str(row.get("when", "")),
                    tuple(row.get("about", ())),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ExamplesError(f"example {n} is damaged ({exc})") from None
    return out
