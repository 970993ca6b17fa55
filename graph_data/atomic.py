"""Atomic writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["replace_dir", "write_bytes", "write_text"]


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the permissions a normal write would.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` atomically (see :func:`write_bytes`)."""
    write_bytes(path, text.encode(encoding))


def replace_dir(built: Path, target: Path) -> None:
    """Swap the finished folder ``built`` in at ``target``; the old one is removed afterwards.

    The old folder is first renamed aside, so at every instant ``target`` is either the old
    complete folder or the new complete one (a crash in between leaves the aside copy, which
    the next run may clean up).
    """
    built, target = Path(built), Path(target)
    aside = target.with_name(f".{target.name}.old")
    if aside.exists():
        shutil.rmtree(aside, ignore_errors=True)
    if target.exists():
        os.replace(target, aside)
    os.replace(built, target)
    shutil.rmtree(aside, ignore_errors=True)
