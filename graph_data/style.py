"""Colours and line styles shared by the canvas and the exporters, so every view looks alike."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

__all__ = [
    "CATEGORY_COLORS",
    "CATEGORY_ORDER",
    "RELATION_STYLES",
    "RelationStyle",
    "category_color",
    "circle_radius",
    "relation_label",
    "smallest_difference",
]

#: One colour per catalog category, from the colour-blind-safe palettes of Okabe & Ito and of
#: Paul Tol, picked by ``tools/make_palette.py`` so that any two differ in normal vision and
#: in simulated protanopia, deuteranopia and tritanopia; the commonest categories differ most.
CATEGORY_COLORS: dict[str, str] = {
    "Storage": "#e69f00",
    "Networking & Content Delivery": "#66ccee",
    "Security, Identity & Compliance": "#ee3377",
    "Management & Governance": "#eedd88",
    "Compute": "#0077bb",
    "Database": "#d55e00",
    "Analytics": "#ffaabb",
    "Migration & Transfer": "#aa3377",
    "Application Integration": "#cc79a7",
    "Machine Learning": "#117733",
    "Developer Tools": "#999933",
    "Containers": "#ee8866",
    "Frontend & Mobile": "#44bb99",
    "End User & Business": "#aa4499",
    "Media": "#77aadd",
    "Internet of Things": "#bbcc33",
    "Cost Management": "#cc3311",
}


#: Categories from the commonest in study notes (services of the user's notes) to the rarest:
#: the order in which ``tools/make_palette.py`` gives out its most distinct colours.
CATEGORY_ORDER: tuple[str, ...] = (
    "Storage",
    "Networking & Content Delivery",
    "Security, Identity & Compliance",
    "Management & Governance",
    "Compute",
    "Database",
    "Analytics",
    "Migration & Transfer",
    "Application Integration",
    "Machine Learning",
    "Developer Tools",
    "Containers",
    "Frontend & Mobile",
    "End User & Business",
    "Media",
    "Internet of Things",
    "Cost Management",
)

# Machado, Oliveira and Fernandes (2009), full severity, on linear RGB.
_DICHROMACY = (
    ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
     (-0.003882, -0.048116, 1.051998)),
    ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
     (-0.011820, 0.042940, 0.968881)),
    ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
     (0.004733, 0.691367, 0.303900)),
)  # fmt: skip


def _linear(hex_colour: str) -> tuple[float, float, float]:
    def one(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    h = hex_colour.lstrip("#")
    r, g, b = (one(int(h[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return r, g, b


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (min(max(c, 0.0), 1.0) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _seen(hex_colour: str) -> list[tuple[float, float, float]]:
    """The colour's Lab coordinates in normal vision, then under each dichromacy."""
    rgb = _linear(hex_colour)
    out = [_lab(rgb)]
    for m in _DICHROMACY:
        r, g, b = (m[i][0] * rgb[0] + m[i][1] * rgb[1] + m[i][2] * rgb[2] for i in range(3))
        out.append(_lab((r, g, b)))
    return out


def smallest_difference(colours: list[str]) -> float:
    """The smallest CIE76 difference between two of ``colours``, in any of four visions.

    Normal vision and simulated protanopia, deuteranopia and tritanopia.

    Examples
    --------
    >>> round(smallest_difference(["#000000", "#ffffff"]))
    100
    """
    seen = [_seen(c) for c in colours]
    return min(
        (
            math.dist(a[v], b[v])
            for i, a in enumerate(seen)
            for b in seen[i + 1 :]
            for v in range(len(a))
        ),
        default=math.inf,
    )


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
    '#e69f00'
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
