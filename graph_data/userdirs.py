"""Where Service Atlas keeps its own files: never inside the user's notes folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

__all__ = ["UserDirError", "cache_dir", "config_dir", "data_dir", "folder_key", "log_dir"]

APP_NAME = "service-atlas"


class UserDirError(OSError):
    """One of the app's own folders cannot be created or used; the message names it."""


def _dir(env: str, default: str) -> Path:
    override = os.environ.get(env)
    path = Path(override) if override else Path(default)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        where = f"{path} (set by {env})" if override else str(path)
        reason = "a file is in the way" if path.is_file() else (exc.strerror or str(exc))
        raise UserDirError(f"cannot use the folder {where}: {reason}") from exc
    return path


def cache_dir() -> Path:
    """The user cache folder (``SERVICE_ATLAS_CACHE`` overrides it)."""
    return _dir("SERVICE_ATLAS_CACHE", platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The user data folder for corrections and named views (``SERVICE_ATLAS_DATA`` overrides)."""
    return _dir("SERVICE_ATLAS_DATA", platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user config folder (``SERVICE_ATLAS_CONFIG`` overrides it)."""
    return _dir("SERVICE_ATLAS_CONFIG", platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The user log folder (inside the cache override when one is set, for tests)."""
    override = os.environ.get("SERVICE_ATLAS_CACHE")
    if override:
        return _dir("SERVICE_ATLAS_CACHE", override) / "logs"
    return _dir("SERVICE_ATLAS_LOGS", platformdirs.user_log_dir(APP_NAME, appauthor=False))


def folder_key(notes_dir: Path) -> str:
    """A short stable name for one notes folder, used to keep its caches apart.

    Examples
    --------
    >>> folder_key(Path("/tmp/notes")) == folder_key(Path("/tmp/notes/"))
    True
    """
    resolved = str(Path(notes_dir).expanduser().resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{Path(resolved).name or 'root'}-{digest}"
