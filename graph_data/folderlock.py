"""One build at a time per notes folder's cache, across processes.

Two windows on one folder, or a window and the command line, would otherwise write the same
build cache and search index at once: one build deleting the other's half-built index, or
Whoosh refusing a second writer. A build holds an exclusive lock on a file in the folder's cache
(``flock`` on Unix, ``msvcrt.locking`` on Windows) and a second build waits for it. The operating
system drops the lock when its process ends, even by SIGKILL, so a crashed build never leaves the
folder locked.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> with held(folder):
...     (folder / "lock").exists()
True
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LOCK_NAME", "CacheBusy", "held"]

#: The lock file's name inside a folder's cache.
LOCK_NAME = "lock"
_POLL = 0.05

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class CacheBusy(Exception):
    """Another process kept the folder's cache locked for longer than the wait allowed."""


@contextmanager
def held(
    folder: Path,
    *,
    timeout: float = 300.0,
    waiting: Callable[[], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[None]:
    """Hold the cache folder's lock for the block, waiting up to ``timeout`` seconds for it.

    ``waiting()`` is called once if another process holds the lock. Raises :class:`CacheBusy`
    when the wait runs out; a wait that ``cancelled()`` ends returns without the lock held, and
    the block then sees ``cancelled()`` true. A cache folder where no lock file can be made is
    used unlocked, as before locks existed.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    locked = False
    try:
        locked = _wait(fd, timeout, waiting, cancelled)
        yield
    finally:
        if locked:
            _unlock(fd)
        os.close(fd)


def _wait(fd: int, timeout: float, waiting, cancelled) -> bool:
    """Take the lock, polling; False when cancelled first."""
    if _try_lock(fd):
        return True
    if waiting:
        waiting()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cancelled and cancelled():
            return False
        time.sleep(_POLL)
        if _try_lock(fd):
            return True
    raise CacheBusy(
        f"Another Service Atlas window or command kept this notes folder's cache busy for "
        f"{timeout:.0f} s; try again when it has finished."
    )
