"""Settings, resources, themes and named views: what the window keeps between runs."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from graph_data import atomic, userdirs
from graph_data.records import RELATIONS
from graph_data.workspace import Workspace

__all__ = [
    "THEMES",
    "ViewError",
    "ViewState",
    "apply_theme",
    "icon",
    "is_dark",
    "last_view_path",
    "load_view",
    "open_settings",
    "resource",
    "save_view",
]

#: The theme choices of View › Theme.
THEMES = ("system", "light", "dark")


class ViewError(ValueError):
    """A named view file cannot be read."""


def resource(name: str) -> Path:
    """The path of a file under ``resources/`` (``app/resources`` inside an installed wheel)."""
    import app

    installed = Path(app.__file__).resolve().parent / "resources"
    base = (
        installed
        if installed.is_dir()
        else Path(app.__file__).resolve().parent.parent / "resources"
    )
    return base / name


def icon(name: str) -> QIcon:
    """The app's icon ``resources/icons/<name>.svg``."""
    return QIcon(str(resource(f"icons/{name}.svg")))


def open_settings() -> QSettings:
    """The app's settings, an ini file in the user config folder (tests point it elsewhere)."""
    return QSettings(str(userdirs.config_dir() / "settings.ini"), QSettings.Format.IniFormat)


@dataclass(frozen=True)
class ViewState:
    """What a named view restores: filters, focus and depth, query and pinned positions.

    Examples
    --------
    >>> ViewState.from_json(ViewState(focus="ecs", depth=2).to_json()).focus
    'ecs'
    """

    relations: tuple[str, ...] = RELATIONS
    min_evidence: int = 1
    hide_isolated: bool = True
    focus: str | None = None
    depth: int = 1
    query: str = ""
    only_results: bool = False
    pinned: dict[str, tuple[float, float]] = field(default_factory=dict)

    def to_json(self) -> str:
        """The view as a small JSON document."""
        doc = asdict(self)
        doc["version"] = 1
        doc["relations"] = list(self.relations)
        doc["pinned"] = {k: list(v) for k, v in self.pinned.items()}
        return json.dumps(doc, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ViewState:
        """Read a view written by :meth:`to_json`; raises :class:`ViewError` when garbled."""
        try:
            doc = json.loads(text)
            return cls(
                relations=tuple(r for r in doc.get("relations", RELATIONS) if r in RELATIONS),
                min_evidence=max(1, int(doc.get("min_evidence", 1))),
                hide_isolated=bool(doc.get("hide_isolated", True)),
                focus=str(doc["focus"]) if doc.get("focus") else None,
                depth=min(3, max(1, int(doc.get("depth", 1)))),
                query=str(doc.get("query", "")),
                only_results=bool(doc.get("only_results", False)),
                pinned={
                    str(k): (float(v[0]), float(v[1])) for k, v in doc.get("pinned", {}).items()
                },
            )
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise ViewError(f"not a Service Atlas view file ({exc})") from None


def save_view(path: Path, state: ViewState) -> None:
    """Write ``state`` to ``path`` atomically."""
    atomic.write_text(Path(path), state.to_json())


def load_view(path: Path) -> ViewState:
    """Read a view file; raises :class:`ViewError` when it is missing or garbled."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise ViewError(f"cannot read {path}: {exc.strerror or exc}") from None
    return ViewState.from_json(text)


def last_view_path(notes: Path) -> Path:
    """Where the last view of one notes folder is kept."""
    return Workspace(notes).last_view


def is_dark(theme: str) -> bool:
    """Whether ``theme`` (one of :data:`THEMES`) means dark now."""
    if theme in ("light", "dark"):
        return theme == "dark"
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(theme: str) -> bool:
    """Follow the system (``"system"``) or force light/dark colours; returns whether dark."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = {
        "light": Qt.ColorScheme.Light,
        "dark": Qt.ColorScheme.Dark,
    }.get(theme, Qt.ColorScheme.Unknown)
    hints.setColorScheme(scheme)
    dark = is_dark(theme)
    # Platforms without a dark style (offscreen, some X11 styles) ignore the hint: set colours.
    app.setPalette(_palette(dark) if theme != "system" else QPalette())
    return dark


def _palette(dark: bool) -> QPalette:
    pal = QPalette()
    if not dark:
        return pal
    role = QPalette.ColorRole
    for r, c in (
        (role.Window, "#2b2d31"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#1f2023"),
        (role.AlternateBase, "#2f3136"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#33363b"),
        (role.ButtonText, "#e6e6e6"),
        (role.ToolTipBase, "#33363b"),
        (role.ToolTipText, "#e6e6e6"),
        (role.Highlight, "#3d6fb6"),
        (role.HighlightedText, "#ffffff"),
        (role.Link, "#7fb2ff"),
        (role.PlaceholderText, "#9a9a9a"),
    ):
        pal.setColor(r, QColor(c))
    group = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(group, r, QColor("#7a7d83"))
    return pal
