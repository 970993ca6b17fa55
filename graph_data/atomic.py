"""Atomic writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "UnsafeTarget",
    "replace_dir",
    "unique_path",
    "write_bytes",
    "write_chunks",
    "write_text",
]


class UnsafeTarget(ValueError):
    """A target that an atomic write must not replace: a device, a FIFO, a folder, no name."""


def _target(path: Path) -> tuple[Path, int | None]:
    """The file to replace (a symlink's target, so the link stays) and the mode to keep."""
    if not str(path) or path.name in ("", ".", ".."):
        raise UnsafeTarget(f"{str(path)!r} is not a file name")
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        st = path.stat()
    except FileNotFoundError:
        return path, None
    if not stat.S_ISREG(st.st_mode):
        what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device or FIFO)"
        raise UnsafeTarget(f"{path} is {what}; refusing to replace it")
    return path, stat.S_IMODE(st.st_mode)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`write_chunks`)."""
    write_chunks(path, (data,))


def write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``path`` through a temporary file in the same folder, then rename.

    Chunks are written as they come, so a big file never has to be held whole in memory.

    A symlink is written through (its target is replaced, the link stays), an existing file
    keeps its permissions, and devices, FIFOs and folders are refused with
    :class:`UnsafeTarget`.
    """
    path, mode = _target(Path(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600): keep the old file's mode, or a normal write's.
        os.fchmod(fd, mode if mode is not None else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def unique_path(path: Path) -> Path:
    """``path``, or ``path`` with " 2", " 3", ... before its suffix: a name no file has yet."""
    path = Path(path)
    n = 1
    candidate = path
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.stem} {n}{path.suffix}")
    return candidate


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
