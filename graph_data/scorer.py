"""The learned relation scorer: a multinomial logistic regression over candidate features.

The weights are trained by ``tools/train_extractor.py`` from hand annotations and ship as package
data (``data/scorer.json``); reading them needs nothing beyond the standard library and numpy,
so the build stays offline and light. ``predict_proba`` gives, per candidate, the calibrated
probability of each class: no relation, integrates-with, alternative-to, replaces (the first
service replaces the second) or replaced-by (the second replaces the first).

Examples
--------
>>> s = Scorer(("none", "integrates-with"), (0.0, -1.0), {"cue": (0.0, 3.0)})
>>> [round(p, 2) for p in s.predict_proba([{"cue": 1.0}])[0]]
[0.12, 0.88]
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from graph_data.features import FEATURES_VERSION

__all__ = ["CLASSES", "Scorer", "ScorerError", "load_scorer"]

#: The classes a candidate is scored on, in the order of a probability row.
CLASSES = ("none", "integrates-with", "alternative-to", "replaces", "replaced-by")
#: The version of the weights file's layout.
FORMAT = 1


class ScorerError(ValueError):
    """A weights file that cannot be used (damaged, another format or feature version)."""


class Scorer:
    """Class probabilities for candidates from named features (see :mod:`graph_data.features`)."""

    def __init__(
        self,
        classes: Sequence[str],
        intercept: Sequence[float],
        coef: Mapping[str, Sequence[float]],
        temperature: float = 1.0,
        threshold: float = 0.5,
        info: Mapping | None = None,
    ) -> None:
        self.classes = tuple(classes)
        self.intercept = tuple(float(x) for x in intercept)
        self.coef = {k: tuple(float(x) for x in v) for k, v in coef.items()}
        #: Logits are divided by this before the softmax (calibration, fitted on held-out folds).
        self.temperature = float(temperature)
        #: A candidate becomes a relation when its best relation class is at least this likely.
        self.threshold = float(threshold)
        self.info = dict(info or {})

    def predict_proba(self, rows: Sequence[Mapping[str, float]]) -> list[list[float]]:
        """One probability row per feature mapping, in the order of :attr:`classes`."""
        if not rows:
            return []
        index, weights = self._weights
        get = index.get
        owner: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for r, row in enumerate(rows):
            for name, value in row.items():
                j = get(name)
                if j is not None:
                    owner.append(r)
                    cols.append(j)
                    values.append(value)
        # A sparse product done with whole arrays: a huge note's candidates number 100,000s.
        terms = weights[np.asarray(cols, dtype=np.intp)] * np.asarray(values)[:, None]
        at = np.asarray(owner, dtype=np.intp)
        z = np.tile(np.asarray(self.intercept), (len(rows), 1))
        for i in range(len(self.classes)):
            z[:, i] += np.bincount(at, weights=terms[:, i], minlength=len(rows))
        z = (z - z.max(axis=1, keepdims=True)) / self.temperature
        e = np.exp(z)
        return (e / e.sum(axis=1, keepdims=True)).tolist()

    @cached_property
    def _weights(self) -> tuple[dict[str, int], np.ndarray]:
        """The feature names' rows and the weights as one matrix (built on first use)."""
        names = list(self.coef)
        matrix = np.array([self.coef[n] for n in names], dtype=float)
        return {n: j for j, n in enumerate(names)}, matrix.reshape(len(names), len(self.classes))

    def to_dict(self) -> dict:
        """The weights as written to a weights file."""
        return {
            "format": FORMAT,
            "features_version": FEATURES_VERSION,
            "classes": list(self.classes),
            "intercept": [round(x, 5) for x in self.intercept],
            "temperature": round(self.temperature, 4),
            "threshold": round(self.threshold, 4),
            "info": self.info,
            "coef": {k: [round(x, 4) for x in v] for k, v in sorted(self.coef.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Scorer:
        """A scorer from a weights mapping; :class:`ScorerError` when it does not fit this code."""
        try:
            if data["format"] != FORMAT or data["features_version"] != FEATURES_VERSION:
                raise ScorerError(
                    f"weights of format {data['format']}, features {data['features_version']}; "
                    f"this version reads format {FORMAT}, features {FEATURES_VERSION}"
                )
            if tuple(data["classes"]) != CLASSES:
                raise ScorerError(f"weights for classes {data['classes']}, expected {CLASSES}")
            return cls(
                data["classes"],
                data["intercept"],
                data["coef"],
                data.get("temperature", 1.0),
                data.get("threshold", 0.5),
                data.get("info"),
            )
        except (KeyError, TypeError) as exc:
            raise ScorerError(f"damaged weights: missing or bad {exc}") from None

    @property
    def version(self) -> str:
        """A short identity of the weights (for caches of findings)."""
        return str(self.info.get("version", "unversioned"))


def _read(path: Path | None) -> dict:
    if path is None:
        return json.loads(
            resources.files("graph_data").joinpath("data/scorer.json").read_text("utf-8")
        )
    return json.loads(Path(path).read_text("utf-8"))


@cache
def _default() -> Scorer:
    return Scorer.from_dict(_read(None))


def load_scorer(path: Path | None = None) -> Scorer:
    """The bundled scorer (cached), or one read from a weights file."""
    return _default() if path is None else Scorer.from_dict(_read(path))
