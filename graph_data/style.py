"""Colours and line styles shared by the canvas and the exporters, so every view looks alike."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

__all__ = [
    "CATEGORY_COLORS",
    "RELATION_STYLES",
    "RelationStyle",
    "category_color",
    "circle_radius",
    "relation_label",
]

#: One colour per catalog category (chosen to stay distinct on light and dark backgrounds).
CATEGORY_COLORS: dict[str, str] = {
    "Compute": "#f28e2b",
    "Containers": "#e15759",
    "Storage": "#59a14f",
    "Database": "#4e79a7",
    "Networking & Content Delivery": "#9c6ade",
    "Security, Identity & Compliance": "#d4a017",
    "Management & Governance": "#76b7b2",
    "Application Integration": "#ff9da7",
    "Analytics": "#b07aa1",
    "Machine Learning": "#2ca58d",
    "Developer Tools": "#9c755f",
    "Migration & Transfer": "#86bcb6",
    "Cost Management": "#bab0ac",
    "End User & Business": "#a0cbe8",
    "Internet of Things": "#8cd17d",
    "Media": "#f1ce63",
    "Frontend & Mobile": "#d37295",
}


def circle_radius(value: float) -> float:
    """A service's circle radius in scene units, from its number of relations (or mentions).

    Examples
    --------
    >>> circle_radius(0), circle_radius(4), circle_radius(10_000)
    (7.0, 13.0, 30.0)
    """
    return min(7.0 + 3.0 * math.sqrt(max(value, 0.0)), 30.0)


@dataclass(frozen=True, slots=True)
class RelationStyle:
    """How one relation type is drawn: colour, dashed or solid line, arrowhead, legend label."""

    color: str
    dashed: bool
    arrow: bool
    label: str

    @property
    def verb(self) -> str:
        """The label without its note in brackets, for sentences ("A replaces B")."""
        return self.label.split(" (")[0]


#: Drawing style per relation type; ``replaces`` alone is directed, so it alone has an arrow.
RELATION_STYLES: dict[str, RelationStyle] = {
    "integrates-with": RelationStyle("#5b8def", False, False, "integrates with"),
    "alternative-to": RelationStyle("#e8833a", True, False, "alternative to"),
    "replaces": RelationStyle("#c0392b", False, True, "replaces (successor → retired)"),
}


def category_color(category: str | None) -> str:
    """The colour of a category; unknown categories get a stable colour from their name.

    Examples
    --------
    >>> category_color("Storage")
    '#59a14f'
    >>> category_color("Something new") == category_color("Something new")
    True
    """
    if category in CATEGORY_COLORS:
        return CATEGORY_COLORS[category]
    digest = hashlib.md5((category or "").encode()).hexdigest()
    return f"#{digest[:6]}"


def relation_label(relation: str) -> str:
    """The words for a relation type in a sentence; unknown types are shown as they are.

    Examples
    --------
    >>> relation_label("replaces"), relation_label("integrates-with"), relation_label("x")
    ('replaces', 'integrates with', 'x')
    """
    style = RELATION_STYLES.get(relation)
    return style.verb if style else str(relation)
