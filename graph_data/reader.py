"""The notes reader: a folder of notes in, passages (file, lines, heading path, text) out.

Reads Markdown (YAML front matter, ATX and setext headings, tables, code fences), outline exports
with ``▼`` section markers, plain text with bullet nesting and plain-line headings, and Obsidian
vaults (dot folders skipped, ``[[wikilinks]]`` read as their shown text, embeds dropped). Nothing
is ever written.

Headings also come out as one-line passages of kind ``"heading"``: the extractor reads
comparison headings ("SQS vs SNS") from them. A block made of links (a table of contents, a list
of bookmarks) is one passage of kind ``"toc"``: it is navigation, not statements about services.
The reference an e-reader appends to a copied highlight ("Title (Kindle Locations 153-154).
Publisher. Kindle Edition.") is a passage of kind ``"citation"``: it names a book, not a fact.

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
import stat
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from graph_data.records import Passage, Problem

__all__ = [
    "GENERATOR_LINE",
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
    "read_text",
    "shown_name",
    "split_passages",
    "written_by_us",
]

#: Files larger than this are skipped with a warning (bytes).
MAX_BYTES = 20 * 1024 * 1024

#: File name endings read as notes (compared case-insensitively).
NOTE_SUFFIXES = (".md", ".markdown", ".txt")

# A bullet item longer than this is split at its child bullets.
_BLOCK_LINES = 12
# Short sibling bullets are grouped into one passage up to this many lines.
_GROUP_LINES = 8
_LABEL_CHARS = 60
# Below this many bullet labels in a heading path, deeper nesting is cut into plain chunks: it
# keeps the work linear on absurd nesting and the heading path readable.
_MAX_LABELS = 4
# Bounds on link parts keep every pattern linear on a multi-megabyte line full of brackets.
_PART = r"[^\[\]\n]{0,300}"
_URL = r"[^()\n]{0,2000}"


class NotesFolderError(Exception):
    """The notes folder is missing or is not a folder."""


class BinaryFileError(ValueError):
    """A file with a note's name whose content is not text."""


@dataclass(frozen=True, slots=True)
class NoteFile:
    """One note file that was read: relative POSIX path, size, content hash, encoding, mtime."""

    path: str
    size: int
    sha256: str
    encoding: str
    mtime: float


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Everything read from a notes folder: passages, problems and the files read."""

    passages: tuple[Passage, ...]
    problems: tuple[Problem, ...]
    files: tuple[NoteFile, ...]


# --- finding the notes ------------------------------------------------------------------------


def _is_note(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    if name.startswith(".") or not name.lower().endswith(NOTE_SUFFIXES):
        return False
    try:
        # Anything but a folder is listed, FIFOs, devices and broken links included, so that
        # read_file can say why it is skipped instead of passing over it in silence.
        return not entry.is_dir()
    except OSError:
        return False


def iter_note_files(
    root: Path, *, on_error: Callable[[Path, OSError], None] | None = None
) -> Iterator[Path]:
    """Note files under ``root`` in sorted relative-path order.

    Dot folders and dot files (``.obsidian``, ``.trash``, ``.git``) are skipped and symlinked
    folders are not entered, so link loops cannot trap the walk. A folder that cannot be listed
    is passed to ``on_error`` (when given) and skipped.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in ("b.md", "a/x.TXT", ".obsidian/app.md", "pic.png"):
    ...         (Path(d) / name).parent.mkdir(parents=True, exist_ok=True)
    ...         _ = (Path(d) / name).write_text("x")
    ...     [p.relative_to(d).as_posix() for p in iter_note_files(Path(d))]
    ['a/x.TXT', 'b.md']
    """
    root = Path(root)
    found: list[tuple[str, Path]] = []
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as exc:
            if on_error is not None:
                on_error(folder, exc)
            continue
        for entry in listed:
            rel = prefix + entry.name
            if _is_folder(entry):
                stack.append((folder / entry.name, rel + "/"))
            elif _is_note(entry):
                found.append((rel, folder / entry.name))
    found.sort(key=lambda item: item[0])
    for _rel, path in found:
        yield path


def _is_folder(entry: os.DirEntry[str]) -> bool:
    if entry.name.startswith("."):
        return False
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


# --- decoding ---------------------------------------------------------------------------------

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROLS = frozenset(chr(c) for c in (*range(32), *range(0x7F, 0xA0))) - set("\t\n\r\f\v")


def _looks_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NULs fall on every other byte, as in BOM-less UTF-16."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _is_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch in _CONTROLS)
    return bool(sample) and controls / len(sample) > 0.1


def _decode_unicode(data: bytes, encoding: str, name: str) -> tuple[str, Problem | None]:
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return text, Problem(name, f"damaged {encoding} text; unreadable characters replaced")


def _decode_legacy(data: bytes, name: str) -> tuple[str, str, Problem]:
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    problem = Problem(name, f"not valid UTF-8; read as {encoding}, some characters may be wrong")
    return text, encoding, problem


def decode(data: bytes, name: str) -> tuple[str, str, Problem | None]:
    """Text of a note file, the encoding used, and a warning naming the file when one is due.

    Tries a BOM (UTF-8, UTF-16, UTF-32), then BOM-less UTF-16 when the NUL pattern shows it,
    then UTF-8, then cp1252 (latin-1 where cp1252 fails) with a warning. Line endings become
    ``\\n``. Raises :class:`BinaryFileError` when the bytes are not text.

    Examples
    --------
    >>> decode("é\\r\\n".encode("utf-16"), "a.md")[:2]
    ('é\\n', 'utf-16')
    >>> text, encoding, problem = decode("café".encode("cp1252"), "a.md")
    >>> text, encoding, problem.file
    ('café', 'cp1252', 'a.md')
    """
    problem: Problem | None = None
    bom = next(((b, enc) for b, enc in _BOMS if data.startswith(b)), None)
    if bom is not None:
        encoding = bom[1]
        text, problem = _decode_unicode(data, encoding, name)
    elif (guess := _looks_utf16(data)) is not None:
        encoding = guess
        text, problem = _decode_unicode(data, encoding, name)
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding, problem = _decode_legacy(data, name)
    if _is_binary(text):
        raise BinaryFileError(f"{name} is not a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, problem


# --- segmentation -----------------------------------------------------------------------------

# Greedy captures, stripped afterwards: lazy groups before `\s*$` go quadratic on long lines.
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_OUTLINE = re.compile(r"([ \t]*)▼[ \t]*(.*)")
_BULLET = re.compile(r"[ \t]*(?:[-*+•◦▪▸►‣∙]|\d{1,3}[.)])(?:[ \t]|$)")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
# One link: Markdown (image too), wikilink, <autolink> or bare URL. A bare URL ends only at a
# space or bracket, so no two ways of cutting a line into links exist (linear on hostile lines).
_LINK = (
    rf"(?:!?\[{_PART}\]\({_URL}\)|\[\[{_PART}\]\]|<[A-Za-z][\w+.-]{{1,20}}:[^<>\s]{{1,2000}}>"
    r"|(?:https?://|www\.)[^\s<>]{1,2000}(?![^\s<>]))"
)
_LINKS = re.compile(_LINK)
_LINK_SEP = r"[ \t]*(?:[,;|·•/–—-][ \t]*)?"
# A line that is only links: an optional list marker, links, separators between them.
_LINK_LINE = re.compile(
    rf"[ \t]*(?:(?:[-+•]|\d{{1,3}}[.)])[ \t]+)?{_LINK}(?:{_LINK_SEP}{_LINK})*[ \t]*[,;.]?[ \t]*$"
)
_LINK_LINE_CHARS = 4000
# A group label in a table of contents ("- Compute" above its links): a few words, no link.
_LABEL_WORDS = 4
_WIKILINK = re.compile(
    r"\[\[([^\[\]|#\n]{0,300})(?:#[^\[\]|\n]{0,300})?(?:\|([^\[\]\n]{0,300}))?\]\]"
)
_WIKI_EMBED = re.compile(rf"!\[\[{_PART}\]\]")
_MD_IMAGE = re.compile(rf"!\[({_PART})\]\({_URL}\)")
_MD_LINK = re.compile(rf"\[({_PART})\]\({_URL}\)")
_EMPHASIS = re.compile(r"\*+|`+|~~|(?<!\w)_+|_+(?!\w)")
_SPACES = re.compile(r"\s+")
_SECTION = re.compile(r"section\s+\d+\b", re.I)
_LABEL_NAME = re.compile(r"([^:]{1,30}):\s+\S")
_NOT_PLAIN_END = ".,;:!?"
# A quote marker run ("> ", "> > "); what follows is read as if it stood on its own line. A
# number or "=" right after one is a comparison ("> 5 GB", ">= 100"), not a quote.
_QUOTE = re.compile(r" {0,3}>(?:[ \t]{0,4}>)*(?![ \t]*[\d=])[ \t]?")
# An Obsidian or GitHub callout's first line: "[!tip]", "[!note]- Title", "[!WARNING] Title".
_CALLOUT = re.compile(r"[ \t]*\[![\w-]+\][+-]?[ \t]*(.*)")


def _clean_inline(line: str) -> str:
    """A note line with wikilinks read as their shown text and image embeds dropped.

    Markdown images keep their alt text: it is often the only words about a diagram.

    Examples
    --------
    >>> _clean_inline("See [[Amazon SQS|queues]] and [[SNS]] ![[chart.png]]")
    'See queues (Amazon SQS) and SNS '
    """
    if "[" not in line:
        return line
    line = _WIKI_EMBED.sub("", line)
    line = _MD_IMAGE.sub(r"\1", line)
    return _WIKILINK.sub(_wikilink, line)


def _wikilink(m: re.Match[str]) -> str:
    """A wikilink's shown text; an alias that hides its page's name keeps the name in brackets.

    "[[Step Functions|sfn]]" reads "sfn (Step Functions)": the page says what "sfn" is. In a
    table the alias bar is escaped ("[[API Gateway\\|API GW]]").

    Examples
    --------
    >>> _clean_inline("[[Step Functions|sfn]], [[Amazon S3|S3]], [[Compute/Lambda]]")
    'sfn (Step Functions), S3, Compute/Lambda'
    """
    target, alias = m.group(1).rstrip("\\").strip(), m.group(2)
    if alias is None:
        return m.group(1)
    alias = alias.strip()
    page = target.rsplit("/", 1)[-1].strip()
    if not page or alias.lower() in page.lower() or page.lower() in alias.lower():
        return alias
    return f"{alias} ({page})"


def _unquote(line: str) -> str:
    """A line without its quote markers; a callout's first line is left with its title.

    Callouts (Obsidian, GitHub) are quotes whose first line names a kind and an optional
    title; the reader takes the title as the heading of what the callout holds.

    Examples
    --------
    >>> _unquote("> [!note]- Event sources"), _unquote("> > - S3"), _unquote("> [!tip]")
    ('Event sources', '- S3', '')
    >>> _unquote("> 5 GB needs multipart upload")
    '> 5 GB needs multipart upload'
    """
    m = _QUOTE.match(line)
    if m is None:
        return line
    body = line[m.end() :]
    if callout := _CALLOUT.match(body):
        return callout.group(1).strip()
    return body


def _callouts(lines: list[str]) -> dict[int, int]:
    """Where each titled callout starts (its title's line) and ends (its last quoted line)."""
    out: dict[int, int] = {}
    start = -1
    for i, line in enumerate(lines):
        m = _QUOTE.match(line) if ">" in line else None
        if m is None:
            start = -1
            continue
        callout = _CALLOUT.match(line, m.end())
        if callout:
            start = i if callout.group(1).strip() else -1
        if start >= 0:
            out[start] = i
    return out


def _strip_closing(title: str) -> str:
    """An ATX title without its optional closing ``#`` run (``C#`` keeps its ``#``)."""
    body = title.rstrip(" \t")
    bare = body.rstrip("#")
    if bare == body or (bare and bare[-1] not in " \t"):
        return body
    return bare.rstrip(" \t")


def _heading_text(raw: str) -> str:
    """Heading words without link syntax, emphasis marks or a trailing colon."""
    text = _MD_LINK.sub(r"\1", _clean_inline(raw))
    text = _SPACES.sub(" ", _EMPHASIS.sub("", text)).strip()
    return text.rstrip(":").strip()


def _label(line: str) -> str:
    """A bullet's text as a heading: marker gone, trailing colon gone, cut at a word boundary.

    A bullet written as ``Name: explanation`` is labelled by its name.

    Examples
    --------
    >>> _label("  • ELB:"), _label("- **SQS**: a queue that decouples producers")
    ('ELB', 'SQS')
    """
    m = _BULLET.match(line)
    text = _heading_text(line[m.end() :] if m else line)
    if name := _LABEL_NAME.match(text):
        text = name.group(1).strip()
    if len(text) > _LABEL_CHARS:
        cut = text[:_LABEL_CHARS]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-")
    return text


# The reference a reading app appends to a copied highlight: "Title (Kindle Locations 153-154).
# Publisher. Kindle Edition." Its title names services and states nothing about them.
_LOCATIONS = re.compile(r"\((?:Kindle\s+)?Locations?\s+[\d,\u2013-]+\)\.", re.I)
_EDITION = re.compile(r"\bKindle\s+Edition\b", re.I)
# A reference is a line of a book's title and publisher: longer lines are prose.
_CITATION_CHARS = 400


def _is_citation(line: str) -> bool:
    """Whether a line is an e-reader's reference: its locations, then "Kindle Edition"."""
    m = _LOCATIONS.search(line) if len(line) <= _CITATION_CHARS else None
    return bool(m and _EDITION.search(line, m.end()))


def _paragraph_kind(lines: list[str]) -> str:
    """A paragraph's kind: ``"toc"`` for links, ``"citation"`` for a highlight's reference.

    Examples
    --------
    >>> _paragraph_kind(["Jane Doe. Cloud Basics (Kindle Locations 12-14). Acme. Kindle Edition."])
    'citation'
    >>> _paragraph_kind(["Lambda reads the queue (Kindle Edition has more)."])
    'paragraph'
    """
    if _links_only(lines):
        return "toc"
    if all(_is_citation(line) for line in lines if line.strip()):
        return "citation"
    return "paragraph"


def _links_only(lines: list[str]) -> bool:
    """Whether a block is navigation: two links or more, and lines of links outnumbering
    the short group labels among them, with prose in at most one line for four of links.

    Examples
    --------
    >>> _links_only(["- [EC2](#ec2)", "- Storage", "  - [S3](#s3)", "  - [EBS](#ebs)"])
    True
    >>> _links_only(["- [S3 FAQ](https://a.example)", "- Lambda polls SQS in batches"])
    False
    """
    links = labels = prose = total = 0
    for line in lines:
        if not line.strip():
            continue
        # Emphasis around links ("**[S3](#s3)**") says nothing; without it the pattern is simple.
        bare = line.replace("*", "").replace("_", "") if len(line) <= _LINK_LINE_CHARS else ""
        maybe = bare and ("[" in bare or "://" in bare or "<" in bare or "www." in bare)
        if maybe and _LINK_LINE.match(bare):
            links += 1
            total += len(_LINKS.findall(bare))
            continue
        short = len(line) <= _LABEL_CHARS and "[" not in line and line.rstrip()[-1] not in ".!?"
        if short and len(_BULLET.sub("", line, count=1).split()) <= _LABEL_WORDS:
            labels += 1
        else:
            prose += 1
    return total >= 2 and links > labels and 4 * prose <= links


def _indent(line: str) -> int:
    """Leading whitespace width, a tab counting as four spaces."""
    body = line.lstrip(" \t")
    lead = line[: len(line) - len(body)]
    return len(lead) + 3 * lead.count("\t")


def _skip_front_matter(lines: list[str]) -> int:
    """Index of the first line after YAML front matter (0 when there is none)."""
    if lines and lines[0].strip() == "---":
        for i in range(1, min(len(lines), 200)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


def _next_content(lines: list[str]) -> list[int]:
    """For each line, the index of the first non-blank line at or after it (len when none)."""
    nxt = [len(lines)] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        nxt[i] = i if lines[i].strip() else nxt[i + 1]
    return nxt


# A marker title used this often in one file names a part of a topic, not a topic.
_RECURRING = 3
# How many levels a flattened export's parts may nest under their topic.
_MAX_NEST = 3
# The share of its markers at column 0 that makes an outline export flattened (a stray space
# before one marker does not make the file indented).
_FLAT_SHARE = 0.9


class _Splitter:
    """Walks the lines of one file once, tracking the heading path and collecting passages."""

    def __init__(self, text: str, file: str, *, front_matter: bool = True) -> None:
        self.file = file
        raw = text.split("\n")
        self.callouts = _callouts(raw)
        self.lines = [_unquote(x) if ">" in x else x for x in raw]
        self.front_matter = front_matter
        self.next = _next_content(self.lines)
        self.txt = file.lower().endswith(".txt")
        self.atx = True
        self.plain = False
        # The outline markers outside code fences: (indentation, title folded), in order.
        self.markers: list[tuple[int, str]] = []
        if self.txt:
            atx, outline = self.count_headings()
            # In plain text a leading "#" is often a number sign ("# of Requests"): "#" lines are
            # headings only where they, not outline markers, are the file's structure.
            self.atx = atx > outline
            # Plain-line headings only in plain text that has no headings of its own.
            self.plain = not outline and not (self.atx and atx)
        counts = Counter(title for _, title in self.markers)
        self.recurring = frozenset(t for t, n in counts.items() if n >= _RECURRING)
        # An export that flattened its markers to column 0 lost their nesting: it is read back.
        at_zero = sum(depth == 0 for depth, _ in self.markers)
        self.flat = bool(self.markers) and at_zero >= _FLAT_SHARE * len(self.markers)
        self.path: list[tuple[int, str]] = []
        self.passages: list[Passage] = []
        self.section_level = 0
        # In a flattened export: how deep the current marker sits under its topic, and its topic.
        self.nest = 0
        self.topic_nest = 0
        self.last_marker: int | None = None
        self.marker_level = 1

    def run(self) -> list[Passage]:
        """All passages of the file, in line order."""
        i = _skip_front_matter(self.lines) if self.front_matter else 0
        while i < len(self.lines):
            i = self.step(i)
        return self.passages

    # -- emitting

    def heading(self, level: int, title: str, i: int) -> None:
        """Enter a heading on line ``i``; it is also a passage of its own (kind "heading")."""
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        if title:
            self.path.append((level, title))
            self.emit(i, i, "heading")

    def emit(self, start: int, end: int, kind: str, extra: tuple[str, ...] = ()) -> None:
        """Lines ``start..end`` (0-based, inclusive) become one passage unless all blank."""
        while end >= start and not self.lines[end].strip():
            end -= 1
        if end < start:
            return
        text = "\n".join(_clean_inline(x) for x in self.lines[start : end + 1])
        if not text.strip():
            return
        heading = tuple(t for _, t in self.path) + extra
        self.passages.append(Passage(self.file, start + 1, end + 1, heading, text, kind))

    # -- line classes

    def count_headings(self) -> tuple[int, int]:
        """How many ``#`` heading lines and ``▼`` outline markers stand outside code fences."""
        atx = outline = 0
        fence = ""
        for line in self.lines:
            if m := _FENCE.match(line):
                marker = m.group(1)
                if not fence:
                    fence = marker
                elif marker[0] == fence[0] and len(marker) >= len(fence):
                    fence = ""
            elif fence:
                continue
            elif self.atx_title(_ATX.match(line)):
                atx += 1
            elif m := _OUTLINE.match(line):
                outline += 1
                self.markers.append((_indent(m.group(1)), _heading_text(m.group(2)).casefold()))
        return atx, outline

    def atx_title(self, m: re.Match[str] | None) -> bool:
        """A ``#`` line with a title that is no row of a pasted table (cells split by tabs)."""
        if m is None or not (m.group(2) or "").strip():
            return False
        return not (self.txt and "\t" in m.group(2).strip())

    def atx_match(self, line: str) -> re.Match[str] | None:
        """The ATX heading on ``line``, when this file's ``#`` lines are headings."""
        m = _ATX.match(line)
        if m is None or not self.atx:
            return None
        if m.group(2) is not None and m.group(2).strip() and not self.atx_title(m):
            return None
        return m

    def is_plain_heading(self, i: int) -> bool:
        """A short title line alone between blank lines, with content after (``.txt`` only)."""
        raw = self.lines[i]
        line = raw.strip()
        if not line or len(line) > _LABEL_CHARS or line[-1] in _NOT_PLAIN_END:
            return False
        if _BULLET.match(raw) or line.startswith("|"):
            return False
        if not (line[0].isupper() or line[0].isdigit()):
            return False
        before = i == 0 or not self.lines[i - 1].strip()
        after = i + 1 < len(self.lines) and not self.lines[i + 1].strip()
        return before and after and self.next[i + 1] < len(self.lines)

    def breaks_block(self, line: str) -> bool:
        """Lines that end any paragraph or bullet run: headings, outline markers, fences, rules."""
        return bool(
            self.atx_match(line)
            or _OUTLINE.match(line)
            or _FENCE.match(line)
            or _THEMATIC.match(line)
        )

    # -- blocks

    def step(self, i: int) -> int:
        """Read the block starting on line ``i``; return the index after it."""
        line = self.lines[i]
        if not line.strip():
            return i + 1
        if i in self.callouts:
            return self.callout(i, self.callouts[i])
        if _FENCE.match(line):
            return self.fence(i)
        if m := self.atx_match(line):
            self.heading(len(m.group(1)), _heading_text(_strip_closing(m.group(2) or "")), i)
            return i + 1
        if m := _OUTLINE.match(line):
            return self.outline(i, m)
        if line.lstrip().startswith("|"):
            return self.table(i)
        if _THEMATIC.match(line):
            return i + 1
        if _BULLET.match(line):
            return self.bullets(i)
        if self.is_setext(i):
            underline = self.lines[i + 1].strip()
            self.heading(1 if underline.startswith("=") else 2, _heading_text(line), i)
            return i + 2
        if self.plain and self.is_plain_heading(i):
            self.heading(2, _heading_text(line), i)
            return i + 1
        if self.markers and self.is_title_line(i):
            # An outline export's plain title over a list ("Kinesis Data Firehose", then its
            # bullets) heads that list, under the marker it stands in.
            self.heading(self.marker_level + 1, _heading_text(line), i)
            return i + 1
        return self.paragraph(i)

    def is_title_line(self, i: int) -> bool:
        """A plain title line whose next content is a bullet list."""
        if not self.is_plain_heading(i):
            return False
        k = self.next[i + 1]
        return k < len(self.lines) and bool(_BULLET.match(self.lines[k]))

    def is_setext(self, i: int) -> bool:
        """Line ``i`` is a title underlined by ``===`` or ``---`` on the next line."""
        line = self.lines[i]
        return (
            i + 1 < len(self.lines)
            and bool(_SETEXT.match(self.lines[i + 1]))
            and len(line.strip()) <= 120
            and _indent(line) < 4
        )

    def callout(self, i: int, end: int) -> int:
        """A titled callout: its title heads what it holds, up to the callout's last line."""
        level = self.path[-1][0] + 1 if self.path else 1
        self.heading(level, _heading_text(self.lines[i]), i)
        outer = tuple(t for _, t in self.path)
        inner = _Splitter("\n".join(self.lines[i + 1 : end + 1]), self.file, front_matter=False)
        for p in inner.run():
            self.passages.append(
                replace(
                    p, line=p.line + i + 1, end_line=p.end_line + i + 1, heading=outer + p.heading
                )
            )
        # The callout's heading ends with it: what follows is under the headings before it.
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        return end + 1

    def fence(self, i: int) -> int:
        """A fenced code block, up to its closing fence (or the end of the file)."""
        opening = _FENCE.match(self.lines[i])
        marker = opening.group(1) if opening else "```"
        j = i + 1
        while j < len(self.lines):
            close = _FENCE.match(self.lines[j])
            if close and close.group(1)[0] == marker[0] and len(close.group(1)) >= len(marker):
                break
            j += 1
        self.emit(i, min(j, len(self.lines) - 1), "code")
        return j + 1

    def outline(self, i: int, m: re.Match[str]) -> int:
        """An outline ``▼`` marker: "Section N" markers are sections, others sit under them.

        Indented markers nest by their indentation; flattened ones by :meth:`flat_nest`.
        """
        title = _heading_text(m.group(2))
        depth = _indent(m.group(1))
        follows = self.last_marker is not None and self.next[self.last_marker + 1] == i
        self.last_marker = i
        if _SECTION.match(title):
            self.section_level = 1
            self.nest = self.topic_nest = -1
            self.marker_level = 1 + depth
            self.heading(self.marker_level, title, i)
            return i + 1
        if self.flat:
            self.nest = self.flat_nest(title, follows)
        self.marker_level = 1 + self.section_level + depth + max(self.nest, 0)
        self.heading(self.marker_level, title, i)
        return i + 1

    def flat_nest(self, title: str, follows: bool) -> int:
        """How deep a marker of a flattened export sits under the topic it belongs to.

        A title used once is a topic of its own. A recurring one ("Theory", "Intro", "Hands
        on") is a part of the topic before it: under the marker just before it when nothing
        stands between the two (that marker was left empty to hold it), else beside the
        topic's other parts.
        """
        if title.casefold() not in self.recurring:
            self.topic_nest = 0
            return 0
        base = self.nest if follows else self.topic_nest
        return min(base + 1, _MAX_NEST)

    def table(self, i: int) -> int:
        """Consecutive ``|`` lines, kept whole."""
        j = i
        while j < len(self.lines) and self.lines[j].lstrip().startswith("|"):
            j += 1
        self.emit(i, j - 1, "table")
        return j

    def paragraph(self, i: int) -> int:
        """Consecutive plain lines, up to a blank line or a line that starts another block."""
        j = i + 1
        while j < len(self.lines):
            line = self.lines[j]
            if not line.strip() or _BULLET.match(line) or self.breaks_block(line):
                break
            if line.lstrip().startswith("|") or self.is_setext(j) or j in self.callouts:
                break
            j += 1
        self.emit(i, j - 1, _paragraph_kind(self.lines[i:j]))
        return j

    def bullets(self, i: int) -> int:
        """A run of bullets: top-level items with everything nested under them."""
        base = _indent(self.lines[i])
        items: list[list[int]] = []
        j = i
        while j < len(self.lines):
            line = self.lines[j]
            if not line.strip():
                k = self.next[j]
                if k == len(self.lines) or self.breaks_block(self.lines[k]) or k in self.callouts:
                    break
                if _indent(self.lines[k]) <= base and not _BULLET.match(self.lines[k]):
                    break
                j = k
                continue
            if self.breaks_block(line) or j in self.callouts:
                break
            if _indent(line) <= base:
                if line.lstrip().startswith("|"):
                    break
                if _BULLET.match(line):
                    items.append([j, j])
                elif _indent(line) < base or (self.plain and self.is_plain_heading(j)):
                    break
            items[-1][1] = j
            j += 1
        self.place_items([(s, e) for s, e in items], ())
        return j

    def place_items(self, items: list[tuple[int, int]], ctx: tuple[str, ...]) -> None:
        """Emit sibling items: a table of contents whole, short ones grouped, long ones split."""
        if not ctx and self.is_toc(items):
            self.emit(items[0][0], items[-1][1], "toc")
            return
        # Work list in file order: ("emit", start, end, ctx) or ("split", start, end, ctx).
        todo = self.plan(items, ctx)
        todo.reverse()
        while todo:
            action, s, e, labels = todo.pop()
            if action == "emit":
                self.emit(s, e, "bullets", labels)
                continue
            todo.extend(reversed(self.split(s, e, labels)))

    def is_toc(self, items: list[tuple[int, int]]) -> bool:
        """The run is a table of contents or a list of links (see :func:`_links_only`)."""
        return bool(items) and _links_only(self.lines[items[0][0] : items[-1][1] + 1])

    def plan(self, items: list[tuple[int, int]], ctx: tuple[str, ...]) -> list[tuple]:
        """Group short sibling items up to a few lines; mark long items for splitting."""
        todo: list[tuple] = []
        group: list[tuple[int, int]] = []

        def flush() -> None:
            if group:
                todo.append(("emit", group[0][0], group[-1][1], ctx))
                group.clear()

        for start, end in items:
            size = end - start + 1
            if size > _BLOCK_LINES:
                flush()
                todo.append(("split", start, end, ctx))
                continue
            if group and end - group[0][0] + 1 > _GROUP_LINES:
                flush()
            group.append((start, end))
        flush()
        return todo

    def split(self, s: int, e: int, ctx: tuple[str, ...]) -> list[tuple]:
        """A long item: its own lines, then its children under its label (or plain chunks)."""
        children = self.children(s, e) if len(ctx) < _MAX_LABELS else []
        if not children:
            return [
                ("emit", k, min(e, k + _BLOCK_LINES - 1), ctx)
                for k in range(s, e + 1, _BLOCK_LINES)
            ]
        head = [("emit", s, children[0][0] - 1, ctx)]
        return head + self.plan(children, (*ctx, _label(self.lines[s])))

    def children(self, s: int, e: int) -> list[tuple[int, int]]:
        """Spans of the bullets nested directly under the item on lines ``s..e``."""
        parent = _indent(self.lines[s])
        marks = [
            k
            for k in range(s + 1, e + 1)
            if _BULLET.match(self.lines[k]) and _indent(self.lines[k]) > parent
        ]
        if not marks:
            return []
        level = min(_indent(self.lines[k]) for k in marks)
        starts = [k for k in marks if _indent(self.lines[k]) <= level]
        ends = [k - 1 for k in starts[1:]] + [e]
        return list(zip(starts, ends, strict=True))


def split_passages(text: str, file: str) -> list[Passage]:
    """Split one note's text into passages: paragraphs, bullet blocks, tables, code, headings.

    Each passage's ``text`` is its lines ``line..end_line`` of ``text``, with wikilinks read as
    their shown text and embeds dropped; its ``heading`` is the heading path above it.

    Examples
    --------
    >>> note = "Compute\\n=======\\n\\n| a | b |\\n|---|---|\\n\\nVMs [[EC2|in the cloud]].\\n"
    >>> [(p.line, p.end_line, p.kind, p.text) for p in split_passages(note, "c.md")][1:]
    [(4, 5, 'table', '| a | b |\\n|---|---|'), (7, 7, 'paragraph', 'VMs in the cloud (EC2).')]
    """
    return _Splitter(text, file).run()


# --- files and folders ------------------------------------------------------------------------


def _relative(root: Path, path: Path) -> str:
    try:
        return shown_name(Path(path).relative_to(root).as_posix())
    except ValueError:
        return shown_name(Path(path).as_posix())


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def shown_name(name: str) -> str:
    r"""A file name as it can be shown and stored: bytes that are not UTF-8 become U+FFFD.

    Examples
    --------
    >>> shown_name("bad\udcff.md") == "bad\ufffd.md", shown_name("ok.md")
    (True, 'ok.md')
    """
    if not any("\udc80" <= ch <= "\udcff" for ch in name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _skip(rel: str, reason: str) -> Problem:
    return Problem(rel, f"skipped: {reason}", "skipped")


def _size(n: int) -> str:
    """A byte count for people: ``20 MB``, ``1.5 KB``, ``900 bytes``."""
    for unit, scale in (("MB", 2**20), ("KB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _too_big(size: int, max_bytes: int) -> str:
    if _size(size) == _size(max_bytes):
        # Rounding would say "20 MB is over the 20 MB limit": give the bytes.
        return f"{size:,} bytes is over the limit of {max_bytes:,} bytes"
    return f"{_size(size)} is over the {_size(max_bytes)} limit"


def read_file(
    root: Path, path: Path, *, max_bytes: int = MAX_BYTES
) -> tuple[list[Passage], list[Problem], NoteFile | None]:
    """Read one note; bad input becomes a :class:`Problem` naming the file, never an exception.

    A file that is missing, unreadable, not a regular file, over ``max_bytes`` or binary gives
    no passages, one problem and no :class:`NoteFile`.
    """
    loaded = _load(root, path, max_bytes)
    if isinstance(loaded, Problem):
        return [], [loaded], None
    text, problem, info = loaded
    return split_passages(text, info.path), [problem] if problem else [], info


def read_text(root: Path, path: Path, *, max_bytes: int = MAX_BYTES) -> tuple[str, Problem | None]:
    """A note's text exactly as the build reads it (so line numbers match), or "" and the
    problem that keeps it out of the build; never an exception.

    The note viewer shows evidence through this, so it refuses what the build skips (a file too
    big, binary, outside the folder or swapped for a FIFO) by the same rules.
    """
    loaded = _load(root, path, max_bytes)
    return ("", loaded) if isinstance(loaded, Problem) else (loaded[0], None)


def _load(root: Path, path: Path, max_bytes: int) -> Problem | tuple[str, Problem | None, NoteFile]:
    """A note's decoded text, its fallback-decoding problem and record; or why it is skipped."""
    rel = _relative(root, path)
    if shown_name(Path(path).name) != Path(path).name:
        return _skip(rel, "its name is not valid UTF-8; rename the file to have it read")
    if os.path.islink(path) and not os.path.exists(path):
        return _skip(rel, "a broken link")
    if os.path.islink(path) and not _inside(
        Path(os.path.realpath(path)), Path(os.path.realpath(root))
    ):
        # A link out of the folder could pull in any file of the machine (a key, /etc/passwd).
        return _skip(
            rel, "a link to a file outside the notes folder; only links inside it are read"
        )
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return _skip(rel, "not a regular file (a FIFO, a device or a socket)")
        # Opened without blocking and checked once open: a note swapped for a FIFO or a link
        # to a device after the folder was listed is refused, never waited on.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return _skip(rel, "not a regular file")
            if st.st_size > max_bytes:
                return _skip(rel, _too_big(st.st_size, max_bytes))
            # One byte over the limit tells a file that grew since stat() from one that fits.
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return _skip(rel, "the file disappeared while it was being read")
    except OSError as exc:
        return _skip(rel, f"cannot be read ({exc.strerror or exc})")
    if len(data) > max_bytes:
        return _skip(rel, _too_big(len(data), max_bytes))
    try:
        text, encoding, problem = decode(data, rel)
    except BinaryFileError:
        return _skip(rel, "binary content, not a text note")
    if written_by_us(text):
        return _skip(rel, "a study sheet exported by Service Atlas, not a note of yours")
    info = NoteFile(rel, len(data), hashlib.sha256(data).hexdigest(), encoding, st.st_mtime)
    return text, problem, info


#: The front matter line every Markdown export carries, so that it is never read as a note.
GENERATOR_LINE = "generator: Service Atlas"


def written_by_us(text: str) -> bool:
    r"""Whether a file is one of our exports: its front matter names Service Atlas as generator.

    Examples
    --------
    >>> written_by_us("---\ntitle: x\ngenerator: Service Atlas\n---\n# x\n")
    True
    >>> written_by_us("# My notes\ngenerator: Service Atlas\n")
    False
    """
    if not text.startswith("---"):
        return False
    head = text[:2000].split("\n")
    lines = head[: _skip_front_matter(head)]
    return any(line.strip() == GENERATOR_LINE for line in lines)


def read_notes(
    root: Path,
    *,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> ReadResult:
    """Read every note under ``root``; raises :class:`NotesFolderError` for a bad folder.

    ``progress(done, total)`` is called after each file. Sub-folders that cannot be listed and
    files that cannot be read become problems; nothing is written anywhere.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "s3.md").write_text("# S3\\n\\nBuckets hold objects.\\n")
    ...     result = read_notes(Path(d))
    >>> [(p.heading, p.kind) for p in result.passages], [f.path for f in result.files]
    ([(('S3',), 'heading'), (('S3',), 'paragraph')], ['s3.md'])
    """
    root = Path(root).expanduser()
    if not root.exists():
        raise NotesFolderError(f"The notes folder {root} does not exist.")
    if not root.is_dir():
        raise NotesFolderError(f"{root} is a file, not a notes folder.")
    if not os.access(root, os.R_OK | os.X_OK):
        raise NotesFolderError(f"The notes folder {root} cannot be opened (permission denied).")
    problems: list[Problem] = []

    def unlisted(folder: Path, exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        problems.append(Problem(_relative(root, folder), f"folder skipped: {reason}", "skipped"))

    paths = list(iter_note_files(root, on_error=unlisted))
    passages: list[Passage] = []
    files: list[NoteFile] = []
    for n, path in enumerate(paths):
        found, trouble, info = read_file(root, path, max_bytes=max_bytes)
        passages += found
        problems += trouble
        if info is not None:
            files.append(info)
        if progress is not None:
            progress(n + 1, len(paths))
    return ReadResult(tuple(passages), tuple(problems), tuple(files))
