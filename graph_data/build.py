"""One build pass over a notes folder: read, link, extract, then the graph and the search index.

Per-file results (linked passages, findings, problems) are cached by content hash in the user
cache folder, so a second build re-reads only what changed; the cache file carries a version and a
checksum and is discarded, with a message, when it does not match.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import hashlib
import json
import os
import shutil
import stat
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path

import networkx as nx

from graph_data import __version__, atomic, folderlock
from graph_data.catalog import Catalog, load_catalog
from graph_data.corrections import Corrections, apply_corrections, load_corrections
from graph_data.extract import (
    FileRelations,
    Finding,
    Pending,
    file_relations,
)
from graph_data.folderlock import CacheBusy
from graph_data.learning import (
    Example,
    Folder,
    Rows,
    Scoring,
    adapt,
    by_decision,
    decided_pairs,
    load_examples,
    taught,
)
from graph_data.linker import Linker
from graph_data.reader import MAX_BYTES, NotesFolderError, iter_note_files, read_file, shown_name
from graph_data.records import Evidence, LinkedPassage, Mentions, Passage, Problem, Relation
from graph_data.scorer import load_scorer
from graph_data.workspace import Workspace

__all__ = [
    "CACHE_VERSION",
    "LEARN_MAX_CANDIDATES",
    "LEARN_MAX_CHARS",
    "READING_SOURCES",
    "BuildCancelled",
    "BuildResult",
    "CacheBusy",
    "FileResult",
    "NotesFolderError",
    "Progress",
    "build",
    "cache_folder",
]

#: Bump when the layout of the cache file or the meaning of its contents changes.
CACHE_VERSION = 8
#: A note with more text than this keeps no candidate features: learning from the student's
#: decisions leaves its findings as the shipped scorer made them (its rows would not fit).
LEARN_MAX_CHARS = 1_000_000
#: At most this many candidates of a folder keep their features (about 1 kB each in memory);
#: the notes read after the budget is spent keep the shipped scorer's findings.
LEARN_MAX_CANDIDATES = 60_000

#: ``progress(stage, done, total)``: stage is "reading", "indexing" or "done".
Progress = Callable[[str, int, int], None]


class BuildCancelled(Exception):
    """The caller asked the build to stop; nothing was half-written."""


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one note file contributed: its passages, relation findings and problems.

    ``pending`` and ``topics`` are its subject candidates still to judge once the whole folder
    is read (see :func:`graph_data.extract.resolve`).
    """

    path: str
    sha256: str
    linked: tuple[LinkedPassage, ...]
    findings: tuple[Finding, ...]
    problems: tuple[Problem, ...]
    pending: tuple[Pending, ...] = ()
    topics: tuple[tuple[str, dict[float, int]], ...] = ()
    #: The candidates and their features, for the folder's own scorer (None for a huge note).
    rows: Rows | None = None

    @property
    def relations(self) -> FileRelations:
        """The file's findings and pending candidates, as :func:`resolve` reads them."""
        return FileRelations(self.findings, self.pending, self.topics)


@dataclass(frozen=True)
class BuildResult:
    """Everything one build produced, for the app, the command line and the exporters."""

    notes: Path
    catalog: Catalog
    graph: nx.MultiDiGraph
    relations: tuple[Relation, ...]
    files: tuple[FileResult, ...]
    problems: tuple[Problem, ...]
    messages: tuple[str, ...] = ()
    reparsed: tuple[str, ...] = ()
    index_dir: Path | None = None
    search: object | None = field(default=None, repr=False)
    raw_graph: nx.MultiDiGraph | None = field(default=None, repr=False)
    corrections: Corrections = field(default_factory=Corrections)
    #: The folder's candidates, to re-score with the scorer its decisions teach.
    folder: Folder | None = field(default=None, repr=False)
    #: The scorer ``relations`` come from, and its scored candidates.
    scoring: Scoring | None = field(default=None, repr=False)
    #: The labelled examples of the decisions in ``corrections`` (none without corrections).
    examples: tuple[Example, ...] = field(default=(), repr=False)

    @property
    def passages(self) -> list[LinkedPassage]:
        """All linked passages in file order."""
        return [lp for f in self.files for lp in f.linked]


def cache_folder(notes: Path) -> Path:
    """The cache folder of one notes folder (never inside it)."""
    return Workspace(notes).cache


#: The code and knowledge a cached finding comes from: the reader, the linker, extraction and
#: every core module they import (``tests/test_architecture.py`` checks that none is missing).
READING_SOURCES = (
    "reader.py",
    "linker.py",
    "extract.py",
    "candidates.py",
    "features.py",
    "rules.py",
    "priors.py",
    "scorer.py",
    "catalog.py",
    "records.py",
    "style.py",
    "data/cues.toml",
    "data/scorer.json",
)


def _fingerprint(catalog: Catalog) -> str:
    """Changes whenever the rules or knowledge that produced a cached result change."""
    h = hashlib.sha256(f"{__version__}/{CACHE_VERSION}".encode())
    for name in READING_SOURCES:
        h.update(resources.files("graph_data").joinpath(name).read_bytes())
    h.update(json.dumps(sorted(catalog.services), ensure_ascii=False).encode())
    return h.hexdigest()


def _fields(record) -> dict:
    """A flat record's fields (``asdict`` deep-copies, which dominates dumping a huge note)."""
    return {name: getattr(record, name) for name in _NAMES[type(record)]}


_NAMES = {cls: tuple(f.name for f in fields(cls)) for cls in (Passage, Evidence, Problem)}


def _dump_chunks(result: FileResult) -> Iterator[str]:
    """One note's cache entry as JSON text, a passage (and a mention column) at a time."""
    rest = {
        "sha256": result.sha256,
        "findings": [_dump_finding(f) for f in result.findings],
        "pending": [[_dump_finding(p.finding), p.subject, p.p_none, p.cue] for p in result.pending],
        "topics": [[subject, sorted(h.items())] for subject, h in result.topics],
        "problems": [_fields(p) for p in result.problems],
        "rows": result.rows.to_json() if result.rows is not None else None,
    }
    yield _CACHE_JSON.encode(rest)[:-1] + ', "linked": ['
    for n, lp in enumerate(result.linked):
        head = _CACHE_JSON.encode(_fields(lp.passage))
        yield ("[" if n == 0 else ", [") + head + ", ["
        yield from _mention_chunks(lp.mentions)
        yield "], " + _CACHE_JSON.encode([lp.subject, list(lp.context)])[1:]
    yield "]}"


def _mention_chunks(mentions) -> Iterator[str]:
    """Mentions as their arrays in base64, one column at a time: a note naming millions stays a
    few strings, and only one of them is held at once."""
    packed = mentions if isinstance(mentions, Mentions) else Mentions(mentions)
    services, surfaces, *columns = packed.arrays()
    yield _CACHE_JSON.encode([list(services), list(surfaces)])[1:-1]
    for column in columns:
        yield ', "' + base64.b64encode(column.tobytes()).decode() + '"'


def _load_mentions(raw: list) -> Mentions:
    services, surfaces, *encoded = raw
    columns = []
    for code, text in zip("IIqq", encoded, strict=True):
        column = array(code)
        column.frombytes(base64.b64decode(text, validate=True))
        columns.append(column)
    return Mentions.from_arrays(services, surfaces, *columns)


def _dump_finding(f: Finding) -> list:
    return [f.source, f.relation, f.target, _fields(f.evidence)]


def _load_finding(raw: list) -> Finding:
    a, rel, b, ev = raw
    return Finding(a, rel, b, Evidence(**ev))


def _load(path: str, raw: dict) -> FileResult:
    linked = []
    for p, mentions, subject, context in raw["linked"]:
        p["heading"] = tuple(p["heading"])
        mentioned = _load_mentions(mentions)
        linked.append(LinkedPassage(Passage(**p), mentioned, subject, tuple(context)))
    findings = tuple(_load_finding(f) for f in raw["findings"])
    problems = tuple(Problem(**p) for p in raw["problems"])
    pending = tuple(
        Pending(_load_finding(f), str(subject), float(p_none), bool(cue))
        for f, subject, p_none, cue in raw["pending"]
    )
    topics = tuple(
        (str(subject), {float(p): int(n) for p, n in hist}) for subject, hist in raw["topics"]
    )
    rows = Rows.from_json(raw["rows"]) if raw.get("rows") is not None else None
    return FileResult(path, raw["sha256"], tuple(linked), findings, problems, pending, topics, rows)


def _read_cache(path: Path, fingerprint: str) -> tuple[dict[str, FileResult], str | None]:
    """Cached per-file results, or nothing with a message when the cache is stale or damaged."""
    if not path.exists():
        return {}, None
    try:
        raw = path.read_bytes()
        doc = json.loads(raw)
        if not isinstance(doc, dict) or not isinstance(doc.get("files"), dict):
            return {}, "The build cache had the wrong shape; rebuilding it."
        if doc.get("version") != CACHE_VERSION or doc.get("fingerprint") != fingerprint:
            return {}, "The build cache came from another version; rebuilding it."
        if _files_checksum(raw) != doc.get("checksum"):
            return {}, "The build cache was damaged (checksum mismatch); rebuilding it."
        del raw  # a huge note's cache is big: hold the parsed copy only
        return {name: _load(name, entry) for name, entry in doc["files"].items()}, None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {}, "The build cache could not be read; rebuilding it."


_FILES_KEY, _CHECKSUM_KEY = b', "files": ', b', "checksum": "'


def _files_checksum(raw: bytes) -> str | None:
    """The checksum of the "files" text as written (hashed in place, never dumped again)."""
    start, end = raw.find(_FILES_KEY), raw.rfind(_CHECKSUM_KEY)
    if start < 0 or end < start:
        return None
    return hashlib.sha256(memoryview(raw)[start + len(_FILES_KEY) : end]).hexdigest()


def _write_cache(path: Path, fingerprint: str, results: Iterable[FileResult]) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)  # our own cache folder: something made a folder of the cache file
    atomic.write_chunks(path, _cache_chunks(fingerprint, results))


def _cache_chunks(fingerprint: str, results: Iterable[FileResult]) -> Iterator[bytes]:
    """The cache file, a piece of a note at a time: a huge note's dump is never held whole.

    The checksum, last, is of the "files" text exactly as written (:func:`_files_checksum`).
    """
    checksum = hashlib.sha256()
    head = {"version": CACHE_VERSION, "fingerprint": fingerprint}
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + _FILES_KEY
    for data in _batched(_files_chunks(results)):
        checksum.update(data)
        yield data
    yield _CHECKSUM_KEY + f'{checksum.hexdigest()}"}}'.encode()


def _files_chunks(results: Iterable[FileResult]) -> Iterator[str]:
    parts = sorted(results, key=lambda r: r.path)
    for n, r in enumerate(parts):
        yield ("{" if n == 0 else ", ") + json.dumps(r.path, ensure_ascii=False) + ": "
        yield from _dump_chunks(r)
    yield "}" if parts else "{}"


def _batched(chunks: Iterable[str], size: int = 1 << 20) -> Iterator[bytes]:
    """Text chunks joined into pieces of about ``size`` characters, encoded."""
    held: list[str] = []
    count = 0
    for chunk in chunks:
        held.append(chunk)
        count += len(chunk)
        if count >= size:
            yield "".join(held).encode()
            held, count = [], 0
    if held:
        yield "".join(held).encode()


_CACHE_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def _hash_file(path: Path, max_bytes: int) -> str | None:
    """Content hash of a note, or None when it cannot be read or is too big to consider.

    The file is opened without blocking and checked to be a regular file once open, so a note
    swapped for a FIFO or a link to a device after the folder was listed never hangs the build,
    and at most ``max_bytes`` are read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        if st.st_size > max_bytes:
            return f"size:{st.st_size}:{st.st_mtime_ns}"
        h = hashlib.sha256()
        left = max_bytes + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            h.update(chunk)
            left -= len(chunk)
        return h.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def _process(root: Path, path: Path, rel: str, digest: str, linker: Linker, catalog: Catalog):
    passages, problems, _info = read_file(root, path, max_bytes=MAX_BYTES)
    linked = tuple(linker.link(p) for p in passages)
    found, rows = _relations(linked, catalog)
    return FileResult(
        rel, digest, linked, found.findings, tuple(problems), found.pending, found.topics, rows
    )


def _relations(linked, catalog: Catalog) -> tuple[FileRelations, Rows | None]:
    """A note's findings, with its candidates' features kept when the note is not huge."""
    keep = sum(len(lp.passage.text) for lp in linked) <= LEARN_MAX_CHARS
    found, rows = file_relations(linked, catalog, keep=keep)
    return found, Rows(tuple(rows[0]), tuple(rows[1])) if rows else None


def _mentions(results: Iterable[FileResult]) -> dict[str, tuple[int, list[str]]]:
    counts: dict[str, int] = {}
    files: dict[str, set[str]] = {}
    for r in results:
        for lp in r.linked:
            for sid in lp.services:
                counts[sid] = counts.get(sid, 0) + 1
                files.setdefault(sid, set()).add(r.path)
    return {sid: (n, sorted(files[sid])) for sid, n in counts.items()}


def build(
    notes: Path,
    *,
    catalog: Catalog | None = None,
    index: bool = True,
    corrections: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BuildResult:
    """Build the graph (and, with ``index``, the search index) of a notes folder.

    Raises :class:`NotesFolderError` for a missing folder or a file given instead of a folder,
    and :class:`BuildCancelled` when ``cancelled()`` turns true; the caches stay as they were.
    With ``corrections`` (the default) the user's saved corrections are applied to ``graph``;
    ``raw_graph`` always holds the extraction as it came.

    One build at a time writes a folder's caches: a build that finds another process building
    the same folder reports the stage "waiting" and waits for it (:mod:`graph_data.folderlock`;
    :class:`CacheBusy` if that takes over five minutes).
    """
    notes = Path(notes).expanduser()
    if not notes.is_dir():
        what = "does not exist" if not notes.exists() else "is not a folder"
        raise NotesFolderError(f"The notes folder {notes} {what}.")
    catalog = catalog or load_catalog()
    report = progress or (lambda stage, done, total: None)
    workspace = Workspace(notes)
    waiting = lambda: report("waiting", 0, 0)  # noqa: E731
    with folderlock.held(workspace.cache, waiting=waiting, cancelled=cancelled), _no_gc_pauses():
        return _build(workspace, catalog, index, corrections, report, cancelled)


_gc_lock = threading.Lock()
_gc_paused = 0  # builds running in this process
_gc_resume = False  # whether the collector ran before the first of them


@contextlib.contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Python's cycle collector paused while builds run (they make no cycles worth finding).

    A big note keeps millions of records alive, and each automatic collection walks them all
    again: a fifth of the time of 100,000 bullets. Collection resumes when the last build
    running in the process ends.
    """
    global _gc_paused, _gc_resume
    with _gc_lock:
        if _gc_paused == 0:
            _gc_resume = gc.isenabled()
            gc.disable()
        _gc_paused += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_paused -= 1
            if _gc_paused == 0 and _gc_resume:
                gc.enable()


def _build(workspace: Workspace, catalog, index, corrections, report, cancelled) -> BuildResult:
    """The build itself, with the folder's cache locked."""
    notes = workspace.notes
    fingerprint = _fingerprint(catalog)
    cached, message = _read_cache(workspace.build_cache, fingerprint)
    messages = [message] if message else []
    linker = Linker(catalog)
    paths = list(iter_note_files(notes))
    results: list[FileResult] = []
    reparsed: list[str] = []
    kept = 0
    if cancelled and cancelled():
        raise BuildCancelled("The build was cancelled.")
    for n, path in enumerate(paths):
        if cancelled and cancelled():
            raise BuildCancelled("The build was cancelled.")
        rel = shown_name(path.relative_to(notes).as_posix())
        digest = _hash_file(path, MAX_BYTES) or ""
        hit = cached.get(rel)
        if hit is None or hit.sha256 != digest or not digest:
            hit = _process(notes, path, rel, digest, linker, catalog)
            reparsed.append(rel)
        hit, kept = _within_budget(hit, kept)
        results.append(hit)
        report("reading", n + 1, len(paths))
    if reparsed or set(cached) != {r.path for r in results} or message:
        _write_cache(workspace.build_cache, fingerprint, results)
    folder = _folder(notes, catalog, results)
    saved, note = load_corrections(notes) if corrections else (Corrections(), None)
    messages += [note] if note else []
    scoring, raw, examples, notes_ = _learned(workspace, folder, saved, corrections)
    messages += notes_
    graph = apply_corrections(raw, saved) if saved.items else raw
    problems = tuple(p for r in results for p in r.problems)
    search, index_dir = None, None
    if index:
        search, index_messages = _sync_index(workspace.index, results, catalog, report, cancelled)
        messages += index_messages
        index_dir = workspace.index
    report("done", 1, 1)
    return BuildResult(
        notes,
        catalog,
        graph,
        scoring.relations,
        tuple(results),
        problems,
        tuple(messages),
        tuple(reparsed),
        index_dir,
        search,
        raw,
        saved,
        folder,
        scoring,
        tuple(examples),
    )


def _within_budget(result: FileResult, kept: int) -> tuple[FileResult, int]:
    """The note with its rows while :data:`LEARN_MAX_CANDIDATES` allows, and the new count."""
    if result.rows is None:
        return result, kept
    count = len(result.rows.candidates)
    if kept + count > LEARN_MAX_CANDIDATES:
        return replace(result, rows=None), kept
    return result, kept + count


def _folder(notes: Path, catalog: Catalog, results: list[FileResult]) -> Folder:
    """The folder's candidates for re-scoring, with what the build found in each note."""
    files = tuple((r.relations, r.rows) for r in results)
    return Folder(load_scorer(), files, catalog.services, _mentions(results), str(notes))


def _learned(workspace: Workspace, folder: Folder, saved: Corrections, corrections: bool):
    """The folder's scoring, uncorrected graph and examples, and any message on the way.

    The scorer is the shipped one moved towards the examples of the saved decisions (read
    from the examples file; a decision with none there makes them from the shipped graph).
    Without ``corrections`` it is the shipped scorer.
    """
    base = folder.score(folder.shipped)
    raw = folder.graph(base)
    if not corrections or not saved.items:
        return base, raw, [], []
    stored, message = load_examples(workspace.examples)
    examples, _known = taught(saved, by_decision(stored), raw, folder, base)
    if not examples:
        return base, raw, [], [message] if message else []
    scoring = folder.score(adapt(folder.shipped, examples), decided_pairs(saved), examples)
    return scoring, folder.graph(scoring), examples, [message] if message else []


def _sync_index(index_dir: Path, results, catalog, report, cancelled):
    # Imported here: Whoosh takes a fifth of a second to import, and the app's window
    # should not wait for it before the build (run off the UI thread) needs it.
    from graph_data.search import SearchIndex

    by_file = {r.path: r for r in results}
    index, sync = SearchIndex.sync(
        index_dir,
        {r.path: r.sha256 for r in results},
        lambda path: by_file[path].linked,
        catalog,
        progress=lambda done, total: report("indexing", done, total),
    )
    return index, [sync.message] if getattr(sync, "message", None) else []
