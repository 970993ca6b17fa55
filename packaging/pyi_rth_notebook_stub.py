"""PyInstaller runtime hook: a stand-in for ``IPython.display``, which the bundle leaves out.

pyvis imports ``IFrame`` from it at import time but uses it only to show a graph inside a
Jupyter notebook, which the desktop app never does. Without IPython in the bundle, that import
would fail; the stand-in raises only if the notebook feature is actually used.
"""

import sys
import types


class NotebookDisplayUnavailable(RuntimeError):
    """Notebook display was asked for in the desktop bundle, which has no IPython."""


class IFrame:
    """Refuses to be built: the bundle has no notebook to show an IFrame in."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise NotebookDisplayUnavailable("notebook display is not part of the desktop app")


def _install() -> None:
    try:
        import IPython.display  # noqa: F401  (present: nothing to do)
    except ImportError:
        display = types.ModuleType("IPython.display")
        display.IFrame = IFrame
        package = types.ModuleType("IPython")
        package.__path__ = []
        package.display = display
        sys.modules.setdefault("IPython", package)
        sys.modules.setdefault("IPython.display", display)


_install()
