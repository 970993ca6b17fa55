"""The notes reader: a folder of notes in, passages (file, lines, heading path, text) out.

Reads Markdown (YAML front matter, ATX and setext headings, tables, code fences), outline exports
with ``▼`` section markers, plain text with bullet nesting and plain-line headings, and Obsidian
vaults (dot folders skipped, ``[[wikilinks]]`` read as their text, embeds dropped). Nothing is
ever written.

Examples
--------
>>> [(p.line, p.heading, p.kind) for p in split_passages("# S3\\n\\n- a\\n- b\\n", "n.md")]
[(1, ('S3',), 'heading'), (3, ('S3',), 'bullets')]
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph_data.records import Passage, Problem

__all__ = [
    "MAX_BYTES",
    "NOTE_SUFFIXES",
    "BinaryFileError",
    "NoteFile",
    "NotesFolderError",
    "ReadResult",
    "decode",
    "iter_note_files",
    "read_file",
    "read_notes",
    "split_passages",
]

#: Files larger than this are skipped with a warning (bytes).
MAX_BYTES = 20 * 1024 * 1024

#: File name endings read as notes (compared case-insensitively).
NOTE_SUFFIXES = (".md", ".markdown", ".txt")

_BLOCK_LINES = 12
_GROUP_LINES = 8
_LABEL_CHARS = 60
_MAX_LABELS = 4


class NotesFolderError(Exception):
    """The notes folder is missing or is not a folder."""


class BinaryFileError(ValueError):
    """A file with a note's name whose content is not text."""


@dataclass(frozen=True, slots=True)
class NoteFile:
    """One note file that was read: relative path, size, content hash, encoding, mtime."""

    path: str
    size: int
    sha256: str
    encoding: str
    mtime: float


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Everything read from a notes folder."""

    passages: tuple[Passage, ...]
    problems: tuple[Problem, ...]
    files: tuple[NoteFile, ...]


def iter_note_files(root: Path) -> Iterator[Path]:
    """Note files under ``root``, sorted; dot folders and symlinked folders are not entered."""
    root = Path(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(NOTE_SUFFIXES):
                continue
            path = Path(dirpath, name)
            if path.is_symlink() and not path.is_file():
                continue
            yield path


# --- decoding ---------------------------------------------------------------------------------


def _looks_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NULs fall on every other byte, as in BOM-less UTF-16."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _is_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return bool(sample) and controls / len(sample) > 0.1


def decode(data: bytes, name: str) -> tuple[str, str, Problem | None]:
    """Text of a note file, the encoding used, and a warning when a fallback was needed.

    Raises :class:`BinaryFileError` when the bytes are not text. Line endings become ``\\n``.

    Examples
    --------
    >>> decode("é\\r\\n".encode("utf-16"), "a.md")[:2]
    ('é\\n', 'utf-16')
    """
    problem = None
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif (guess := _looks_utf16(data)) is not None:
        text, encoding = data.decode(guess, errors="replace"), guess
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "latin-1"
            problem = Problem(
                name, f"not valid UTF-8; read as {encoding}, some characters may be wrong"
            )
    if _is_binary(text):
        raise BinaryFileError(f"{name} is not a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, problem


# --- segmentation -----------------------------------------------------------------------------

_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_OUTLINE = re.compile(r"^(\s*)▼\s*(.+?)\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+•◦▪▸►‣∙]|\d{1,3}[.)])(?:\s+|$)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TOC_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[^\]]*\]\(#[^)]*\)\s*$")
_WIKILINK = re.compile(r"\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
_EMBED = re.compile(r"!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`]+")
_SECTION = re.compile(r"^section\s+\d+\b", re.I)
_HAS_HEADINGS = re.compile(r"^(?: {0,3}#{1,6}\s|\s*▼)", re.M)


def _clean_inline(line: str) -> str:
    """A note line with wikilinks read as their shown text and image embeds dropped."""
    if "[" not in line:
        return line
    line = _EMBED.sub("", line)
    return _WIKILINK.sub(lambda m: m.group(2) or m.group(1), line)


def _heading_text(raw: str) -> str:
    text = _MD_LINK.sub(r"\1", raw)
    return _EMPHASIS.sub("", text).strip().rstrip(":").strip()


def _indent(line: str) -> int:
    return (
        len(line)
        - len(line.lstrip(" \t"))
        + line[: len(line) - len(line.lstrip(" \t"))].count("\t") * 3
    )


def _is_plain_heading(lines: list[str], i: int) -> bool:
    """A short title line standing alone between blank lines, before content (``.txt`` only)."""
    line = lines[i].strip()
    if not line or len(line) > _LABEL_CHARS or line[-1] in ".,;:!?)" or _BULLET.match(lines[i]):
        return False
    if line.startswith("|") or not (line[0].isupper() or line[0].isdigit()):
        return False
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 < len(lines) and not lines[i + 1].strip()
    rest = next((x for x in lines[i + 1 :] if x.strip()), None)
    return before and after and rest is not None


def _skip_front_matter(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for i in range(1, min(len(lines), 200)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


class _Splitter:
    """Walks the lines of one file once, tracking the heading path and collecting passages."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.lines = text.split("\n")
        # Plain-line headings only in plain text that has no headings of its own.
        self.plain = file.lower().endswith(".txt") and not _HAS_HEADINGS.search(text)
        self.path: list[tuple[int, str]] = []
        self.passages: list[Passage] = []
        self.section_level = 0

    def heading(self, level: int, title: str, i: int) -> None:
        """Enter a heading on line ``i``; it is also a passage of its own (kind "heading")."""
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        if title:
            self.path.append((level, title))
            self.emit(i, i, "heading")

    def emit(self, start: int, end: int, kind: str, extra: tuple[str, ...] = ()) -> None:
        """Lines ``start..end`` (0-based, inclusive) become one passage."""
        while end >= start and not self.lines[end].strip():
            end -= 1
        if end < start:
            return
        text = "\n".join(_clean_inline(x) for x in self.lines[start : end + 1])
        heading = tuple(t for _, t in self.path) + extra
        self.passages.append(Passage(self.file, start + 1, end + 1, heading, text, kind))

    def run(self) -> list[Passage]:
        lines, i = self.lines, _skip_front_matter(self.lines)
        while i < len(lines):
            i = self.step(i)
        return self.passages

    def step(self, i: int) -> int:
        line = self.lines[i]
        if not line.strip():
            return i + 1
        if _FENCE.match(line):
            return self.fence(i)
        if m := _ATX.match(line):
            self.heading(len(m.group(1)), _heading_text(m.group(2)), i)
            return i + 1
        if m := _OUTLINE.match(line):
            return self.outline(i, m)
        if line.lstrip().startswith("|"):
            return self.block(i, lambda x: x.lstrip().startswith("|"), "table")
        if _BULLET.match(line):
            return self.bullets(i)
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        if _SETEXT.match(nxt) and len(line.strip()) <= 120 and not line.startswith(" "):
            self.heading(1 if nxt.strip().startswith("=") else 2, _heading_text(line), i)
            return i + 2
        if self.plain and _is_plain_heading(self.lines, i):
            self.heading(2, _heading_text(line), i)
            return i + 1
        return self.block(i, lambda x: not _BULLET.match(x) and not _OUTLINE.match(x), "paragraph")

    def fence(self, i: int) -> int:
        marker = _FENCE.match(self.lines[i]).group(1)
        j = i + 1
        while j < len(self.lines) and not self.lines[j].lstrip().startswith(marker):
            j += 1
        self.emit(i, min(j, len(self.lines) - 1), "code")
        return j + 1

    def outline(self, i: int, m: re.Match[str]) -> int:
        title = _heading_text(m.group(2))
        depth = len(m.group(1))
        if _SECTION.match(title):
            self.section_level = 1
            self.heading(1 + depth, title, i)
        else:
            self.heading(1 + self.section_level + depth, title, i)
        return i + 1

    def block(self, i: int, keep: Callable[[str], bool], kind: str) -> int:
        j = i
        while j < len(self.lines) and self.lines[j].strip() and keep(self.lines[j]):
            if j > i and (_ATX.match(self.lines[j]) or _FENCE.match(self.lines[j])):
                break
            j += 1
        self.emit(i, j - 1, kind)
        return max(j, i + 1)

    def bullets(self, i: int) -> int:
        """A run of bullets: grouped into passages by top-level item, long items split."""
        base = _indent(self.lines[i])
        items: list[tuple[int, int]] = []
        j = i
        while j < len(self.lines):
            line = self.lines[j]
            if not line.strip():
                nxt = next((k for k in range(j, len(self.lines)) if self.lines[k].strip()), None)
                if nxt is None or (
                    _indent(self.lines[nxt]) <= base and not _BULLET.match(self.lines[nxt])
                ):
                    break
                if _ATX.match(self.lines[nxt]) or _OUTLINE.match(self.lines[nxt]):
                    break
                j += 1
                continue
            if _ATX.match(line) or _OUTLINE.match(line) or _FENCE.match(line):
                break
            if _indent(line) <= base and _BULLET.match(line):
                items.append((j, j))
            elif _indent(line) <= base and not _BULLET.match(line) and items:
                if self.plain and _is_plain_heading(self.lines, j):
                    break
                if _indent(line) < base:
                    break
            if items:
                items[-1] = (items[-1][0], j)
            j += 1
        self.group_items(items)
        return max(j, i + 1)

    def group_items(self, items: list[tuple[int, int]]) -> None:
        if items and all(
            _TOC_ITEM.match(x) or not x.strip() or (x.lstrip()[:1] in "-*" and "](#" in x)
            for s, e in items
            for x in self.lines[s : e + 1]
        ):
            self.emit(items[0][0], items[-1][1], "toc")
            return
        group: list[tuple[int, int]] = []
        for start, end in items:
            if end - start + 1 > _BLOCK_LINES:
                self.flush(group)
                group = []
                self.split_item(start, end, ())
                continue
            size = sum(e - s + 1 for s, e in group)
            if group and size + (end - start + 1) > _GROUP_LINES:
                self.flush(group)
                group = []
            group.append((start, end))
        self.flush(group)

    def flush(self, group: list[tuple[int, int]]) -> None:
        if group:
            self.emit(group[0][0], group[-1][1], "bullets")

    def split_item(self, start: int, end: int, extra: tuple[str, ...]) -> None:
        """Split a long bullet at its children; the parent's label joins their heading path."""
        stack = [(start, end, extra)]
        while stack:
            s, e, ctx = stack.pop()
            if e - s + 1 <= _BLOCK_LINES:
                self.emit(s, e, "bullets", ctx)
                continue
            if len(ctx) >= _MAX_LABELS:
                # Absurdly deep nesting: plain chunks, so the work stays linear.
                for k in range(s, e + 1, _BLOCK_LINES):
                    self.emit(k, min(e, k + _BLOCK_LINES - 1), "bullets", ctx)
                continue
            head = self.lines[s]
            child_indent = next(
                (
                    _indent(x)
                    for x in self.lines[s + 1 : e + 1]
                    if x.strip() and _indent(x) > _indent(head)
                ),
                None,
            )
            if child_indent is None:
                self.emit(s, e, "bullets", ctx)
                continue
            self.emit(s, s, "bullets", ctx)
            label = (*ctx, _label(head))
            children = self.children(s + 1, e, child_indent)
            for cs, ce in reversed(children):
                stack.append((cs, ce, label))

    def children(self, s: int, e: int, indent: int) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for k in range(s, e + 1):
            line = self.lines[k]
            if line.strip() and _indent(line) <= indent and (not spans or _BULLET.match(line)):
                spans.append((k, k))
            elif spans:
                spans[-1] = (spans[-1][0], k)
        return spans


def _label(line: str) -> str:
    """A bullet's text as a heading: marker gone, trailing colon gone, cut at a word boundary."""
    text = _heading_text(_BULLET.sub("", line, count=1))
    if len(text) > _LABEL_CHARS:
        text = text[:_LABEL_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def split_passages(text: str, file: str) -> list[Passage]:
    """Split one note's text into passages: sections' paragraphs, bullet blocks, tables, code."""
    return _Splitter(text, file).run()


# --- files and folders ------------------------------------------------------------------------


def read_file(
    root: Path, path: Path, *, max_bytes: int = MAX_BYTES
) -> tuple[list[Passage], list[Problem], NoteFile | None]:
    """Read one note; bad input becomes a :class:`Problem` naming the file, never an exception."""
    rel = Path(path).relative_to(root).as_posix()
    try:
        st = Path(path).stat()
        if st.st_size > max_bytes:
            mb = st.st_size / 1024 / 1024
            return (
                [],
                [Problem(rel, f"skipped: {mb:.1f} MB is over the {max_bytes // 2**20} MB limit")],
                None,
            )
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return [], [Problem(rel, "skipped: the file disappeared while it was being read")], None
    except OSError as exc:
        return [], [Problem(rel, f"skipped: cannot be read ({exc.strerror or exc})")], None
    try:
        text, encoding, problem = decode(data, rel)
    except BinaryFileError:
        return [], [Problem(rel, "skipped: binary content, not a text note")], None
    info = NoteFile(rel, len(data), hashlib.sha256(data).hexdigest(), encoding, st.st_mtime)
    return split_passages(text, rel), [problem] if problem else [], info


def read_notes(
    root: Path,
    *,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> ReadResult:
    """Read every note under ``root``; raises :class:`NotesFolderError` for a bad folder."""
    root = Path(root).expanduser()
    if not root.exists():
        raise NotesFolderError(f"The notes folder {root} does not exist.")
    if not root.is_dir():
        raise NotesFolderError(f"{root} is a file, not a notes folder.")
    paths = list(iter_note_files(root))
    passages: list[Passage] = []
    problems: list[Problem] = []
    files: list[NoteFile] = []
    for n, path in enumerate(paths):
        found, trouble, info = read_file(root, path, max_bytes=max_bytes)
        passages += found
        problems += trouble
        files += [info] if info else []
        if progress:
            progress(n + 1, len(paths))
    return ReadResult(tuple(passages), tuple(problems), tuple(files))
