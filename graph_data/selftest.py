"""``service-atlas --self-test``: build the bundled samples end to end and say what works.

Everything happens in a temporary folder, with the cache, data and config folders pointed into
it, so the user's own caches and corrections are never read or touched. Each step prints one
line, ``PASS``, ``FAIL`` or ``SKIP`` with a reason; a step that needs an optional module which
is not there yet (the exporters) is a SKIP, not a failure.

This core never imports Qt, so the desktop app passes in its own steps (start Qt offscreen and
draw a PDF, check the window's system libraries); ``service-atlas --self-test`` runs them.

Examples
--------
>>> lines = []
>>> run_self_test(out=lines.append)
True
>>> lines[-1].startswith("self-test: PASS")
True
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from graph_data.build import BuildResult
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from graph_data import __version__
from graph_data.records import RELATIONS

__all__ = [
    "EXPORT_FORMATS",
    "MIN_SERVICES",
    "ExtraStep",
    "SelfTestFailure",
    "SelfTestSkipped",
    "StepResult",
    "bundled_samples",
    "run_self_test",
]

#: Fewer services than this from the samples means the catalog or the linker is broken.
MIN_SERVICES = 20

#: Export formats the self-test writes, with the file suffix each one gets.
EXPORT_FORMATS: dict[str, str] = {
    "markdown": ".md",
    "json": ".json",
    "html": ".html",
    "anki": ".apkg",
}

_USER_DIRS = ("SERVICE_ATLAS_CACHE", "SERVICE_ATLAS_DATA", "SERVICE_ATLAS_CONFIG")

Output = Callable[[str], object]

#: A step passed in by the desktop app: (the samples' graph, an empty folder of its own) ->
#: the PASS reason; it raises :class:`SelfTestFailure` or :class:`SelfTestSkipped` otherwise.
ExtraStep = Callable[["nx.MultiDiGraph", Path], str]


class SelfTestFailure(Exception):
    """One self-test step found something wrong; the message is its one-line reason."""


class SelfTestSkipped(Exception):
    """A step cannot run here (an optional part is missing); the message says why."""


@dataclass(frozen=True, slots=True)
class StepResult:
    """The outcome of one self-test step: ``status`` is PASS, FAIL or SKIP."""

    name: str
    status: str
    reason: str

    def __str__(self) -> str:
        return f"{self.status:<4}  {self.name:<16} {self.reason}"


def bundled_samples() -> Traversable:
    """The sample notes folder shipped inside the core package."""
    return resources.files("graph_data") / "samples"


def _copy_tree(source: Traversable, target: Path) -> int:
    """Copy a package-data folder to disk (it may live in a zip or a frozen bundle)."""
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for entry in source.iterdir():
        if entry.is_dir():
            count += _copy_tree(entry, target / entry.name)
        elif entry.is_file():
            (target / entry.name).write_bytes(entry.read_bytes())
            count += 1
    return count


def _digest(folder: Path) -> str:
    """One hash over every file's path and bytes, to prove the notes were not written to."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@contextmanager
def _private_user_dirs(base: Path) -> Iterator[None]:
    """Point the cache, data and config overrides into ``base``; restore them afterwards."""
    saved = {name: os.environ.get(name) for name in _USER_DIRS}
    try:
        for name in _USER_DIRS:
            os.environ[name] = str(base / name.rsplit("_", 1)[-1].lower())
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _Run:
    """The state the steps share: the work folder and what earlier steps produced."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.notes = work / "notes"
        self.notes_digest = ""
        self.result: BuildResult | None = None

    def samples(self) -> str:
        source = bundled_samples()
        if not source.is_dir():
            raise SelfTestFailure(f"no sample notes inside the package ({source})")
        count = _copy_tree(source, self.notes)
        if count == 0:
            raise SelfTestFailure("the bundled samples folder is empty")
        self.notes_digest = _digest(self.notes)
        return f"{count} sample files copied"

    def build(self) -> str:
        from graph_data.build import build

        result = build(self.notes, index=True)
        self.result = result
        G = result.graph
        found = sum(1 for _, d in G.nodes(data=True) if d.get("mentions"))
        if found < MIN_SERVICES:
            raise SelfTestFailure(f"only {found} services found (expected {MIN_SERVICES}+)")
        kinds = {r.relation for r in result.relations}
        missing = [r for r in RELATIONS if r not in kinds]
        if missing:
            raise SelfTestFailure(f"no {', '.join(missing)} relations found")
        if result.problems:
            raise SelfTestFailure(f"reading problem: {result.problems[0]}")
        return f"{found} services, {len(result.relations)} relations"

    def search(self) -> str:
        index = self._built().search
        if index is None:
            raise SelfTestFailure("the build made no search index")
        found = index.search("lambda")
        if not found.hits:
            raise SelfTestFailure("searching 'lambda' found nothing")
        if not any("lambda" in hit.services for hit in found.hits):
            raise SelfTestFailure("no hit for 'lambda' is about Lambda")
        return f"'lambda' matched {found.total} documents"

    def export(self) -> str:
        try:
            from graph_data.export import export
        except ImportError as exc:
            # Absent or still half-written (no export() yet): optional until it ships.
            if exc.name != "graph_data.export":
                raise
            raise SelfTestSkipped("graph_data.export (export()) is not in this build yet") from None
        G = self._built().graph
        written = []
        for fmt, suffix in EXPORT_FORMATS.items():
            path = Path(export(G, fmt, self.work / "export" / f"atlas{suffix}") or "")
            if not path.is_file() or path.stat().st_size == 0:
                raise SelfTestFailure(f"{fmt} export wrote nothing at {path}")
            if fmt == "json":
                json.loads(path.read_text("utf-8"))
            if fmt == "anki":
                _check_apkg(path)
            written.append(fmt)
        return f"wrote {', '.join(written)}"

    def extra(self, name: str, step: ExtraStep) -> str:
        folder = self.work / "steps" / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x")
        folder.mkdir(parents=True, exist_ok=True)
        return step(self._built().graph, folder)

    def notes_untouched(self) -> str:
        if not self.notes_digest:
            raise SelfTestSkipped("needs the copied samples")
        if _digest(self.notes) != self.notes_digest:
            raise SelfTestFailure("files inside the notes folder changed")
        return "the notes folder is byte-for-byte unchanged"

    def close(self) -> None:
        index = getattr(self.result, "search", None)
        if index is not None:
            index.close()

    def _built(self):
        if self.result is None:
            raise SelfTestSkipped("needs a successful build")
        return self.result


def _check_apkg(path: Path) -> None:
    """An Anki package is a zip holding the SQLite collection; anything else cannot import."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise SelfTestFailure(f"the anki export {path.name} is not a zip") from None
    if not any(n.startswith("collection.anki2") for n in names):
        raise SelfTestFailure(f"the anki export {path.name} holds no collection ({names})")


def _attempt(name: str, step: Callable[[], str]) -> StepResult:
    try:
        return StepResult(name, "PASS", step())
    except SelfTestSkipped as exc:
        return StepResult(name, "SKIP", str(exc))
    except SelfTestFailure as exc:
        return StepResult(name, "FAIL", str(exc))
    except Exception as exc:
        # The self-test is a diagnosis: any crash in a step is that step's finding, not ours.
        detail = " ".join(str(exc).split())[:200]
        return StepResult(name, "FAIL", f"{type(exc).__name__}: {detail}")


def _bind(run: _Run, name: str, step: ExtraStep) -> Callable[[], str]:
    """``run.extra(name, step)`` as a step of no arguments (a lambda in a loop binds late)."""
    return lambda: run.extra(name, step)


def _header() -> str:
    frozen = "bundle" if getattr(sys, "frozen", False) else "source"
    return (
        f"Service Atlas {__version__} self-test "
        f"(Python {platform.python_version()}, {platform.system()}, {frozen})"
    )


def run_self_test(out: Output = print, extra: Sequence[tuple[str, ExtraStep]] = ()) -> bool:
    """Build the bundled samples in a temporary folder, print a line per step, True if all pass.

    Steps: copy the samples, build graph and index, search, export (SKIP when the exporters
    are absent), each ``(name, step)`` of ``extra`` (the desktop app's), and check the notes
    folder was left untouched.
    """
    out(_header())
    with tempfile.TemporaryDirectory(prefix="service-atlas-selftest-") as tmp:
        work = Path(tmp)
        run = _Run(work)
        with _private_user_dirs(work / "user"):
            steps = [
                ("samples", run.samples),
                ("build", run.build),
                ("search", run.search),
                ("export", run.export),
                *((name, _bind(run, name, step)) for name, step in extra),
                ("notes untouched", run.notes_untouched),
            ]
            results = []
            try:
                for name, step in steps:
                    results.append(_attempt(name, step))
                    out(str(results[-1]))
            finally:
                run.close()
                # Whoosh on Windows may hold files a moment longer; the folder is temporary.
                shutil.rmtree(work / "user", ignore_errors=True)
    failed = [r for r in results if r.status == "FAIL"]
    skipped = sum(r.status == "SKIP" for r in results)
    passed = len(results) - len(failed) - skipped
    verdict = "FAIL" if failed else "PASS"
    out(f"self-test: {verdict} ({passed} passed, {len(failed)} failed, {skipped} skipped)")
    return not failed
