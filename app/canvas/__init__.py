"""The graph canvas: a scene of services and relations, and the interactive view onto it.

:class:`GraphScene` owns what is drawn; :class:`GraphCanvas` is the window's view onto one;
:func:`render_picture` and :func:`frame` draw a scene without a view (the PDF, thumbnails).
"""

from __future__ import annotations

from app.canvas.items import DARK, LIGHT, LabelItem, NodeItem, Theme
from app.canvas.legend import Legend
from app.canvas.picture import frame, render_picture
from app.canvas.scene import GraphScene, UnknownService
from app.canvas.view import FIRST_PAINT_ENV, GraphCanvas

__all__ = [
    "DARK",
    "FIRST_PAINT_ENV",
    "LIGHT",
    "GraphCanvas",
    "GraphScene",
    "LabelItem",
    "Legend",
    "NodeItem",
    "Theme",
    "UnknownService",
    "frame",
    "render_picture",
]
