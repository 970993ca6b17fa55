"""The core's records: frozen dataclasses passed between the pipeline's steps."""

from __future__ import annotations

import bisect
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

__all__ = [
    "HEADING_SEPARATOR",
    "RELATIONS",
    "SILENT_KINDS",
    "Evidence",
    "LinkedPassage",
    "Mention",
    "Mentions",
    "Passage",
    "Problem",
    "Relation",
    "Service",
]

#: Passage kinds that state nothing about services: navigation, code and a book's citation.
SILENT_KINDS = frozenset({"toc", "code", "citation"})

#: The three relation types, in the order the app lists them.
RELATIONS: tuple[str, ...] = ("integrates-with", "alternative-to", "replaces")

#: Shown between the parts of a heading path, e.g. ``Storage › S3 › Encryption``.
HEADING_SEPARATOR = " › "


@dataclass(frozen=True, slots=True)
class Passage:
    """A block of one note (a section paragraph, a bullet block or a table) with where it stands.

    ``text`` holds the lines ``line`` to ``end_line`` exactly as written (indentation and bullet
    markers kept, line endings normalised to ``\\n``), so an offset in ``text`` maps back to a line.

    Examples
    --------
    >>> p = Passage("a.md", 3, 4, ("S3",), "- one\\n- two")
    >>> p.line_at(p.text.index("two"))
    4
    >>> p.heading_path
    'S3'
    """

    file: str
    line: int
    end_line: int
    heading: tuple[str, ...]
    text: str
    kind: str = "paragraph"

    @property
    def heading_path(self) -> str:
        """The heading path joined for display."""
        return HEADING_SEPARATOR.join(self.heading)

    def line_at(self, offset: int) -> int:
        """The 1-based file line holding character ``offset`` of ``text``."""
        return self.line + self.text.count("\n", 0, max(0, offset))

    def numbered_lines(self) -> list[tuple[int, str]]:
        """The passage's lines paired with their 1-based file line numbers."""
        return [(self.line + i, t) for i, t in enumerate(self.text.split("\n"))]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the user should know about one input (a skipped file, a fallback encoding).

    ``severity`` is "skipped" for an input left out of the graph, "warning" for one read with a
    fallback, and "info" for a note on the build itself.
    """

    file: str
    message: str
    severity: str = "warning"

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass(frozen=True, slots=True)
class Service:
    """One catalog entry: an AWS service or a named building block learners treat as a thing.

    ``common_word`` marks names that are also English words (they need context to count);
    ``variant`` marks a kind of its parent (a load balancer type, a storage class) and
    ``member`` a member of an umbrella family (Kinesis Data Streams in Kinesis); ``tool`` a
    way of using AWS rather than a service (the AWS CLI, the Management Console): notes name it,
    and exam scopes list it, but it takes part in no relation.
    """

    id: str
    name: str
    short: str
    aliases: tuple[str, ...]
    category: str
    parent: str | None = None
    description: str = ""
    common_word: bool = False
    variant: bool = False
    member: bool = False
    tool: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """A catalog entry found in a passage's text at ``start:end``."""

    service: str
    start: int
    end: int
    surface: str


class Mentions(Sequence[Mention]):
    """A passage's mentions, stored as arrays: a 20 MB note of one line names millions.

    It reads as a sequence of :class:`Mention` records, made when an item is read. A slice is a
    view over the same arrays, and so is :meth:`shifted` (offsets re-based to a line or a
    sentence), so cutting a huge passage into lines and sentences copies nothing.

    Examples
    --------
    >>> ms = Mentions([Mention("sns", 0, 3, "SNS"), Mention("sqs", 10, 13, "SQS")])
    >>> ms[1], len(ms[1:])
    (Mention(service='sqs', start=10, end=13, surface='SQS'), 1)
    >>> [m.start for m in ms.shifted(10).starting(0, 5)]
    [0]
    """

    __slots__ = ("_end", "_hi", "_lo", "_names", "_shift", "_sid", "_start", "_sur", "ordered")

    def __init__(self, mentions: Iterable[Mention] = ()) -> None:
        names: dict[str, int] = {}
        surfaces: dict[str, int] = {}
        self._sid, self._sur = array("I"), array("I")
        self._start, self._end = array("q"), array("q")
        last, ordered = -1, True
        for m in mentions:
            self._sid.append(names.setdefault(m.service, len(names)))
            self._sur.append(surfaces.setdefault(m.surface, len(surfaces)))
            self._start.append(m.start)
            self._end.append(m.end)
            ordered = ordered and m.start >= last
            last = m.start
        self._names = (tuple(names), tuple(surfaces))
        self._lo, self._hi, self._shift = 0, len(self._sid), 0
        #: Whether the mentions come in order of their start (what :meth:`starting` needs).
        self.ordered = ordered

    def _view(self, lo: int, hi: int, shift: int) -> Mentions:
        view = object.__new__(Mentions)
        view._names, view._sid, view._sur = self._names, self._sid, self._sur
        view._start, view._end = self._start, self._end
        view._lo, view._hi, view._shift, view.ordered = lo, max(lo, hi), shift, self.ordered
        return view

    def __len__(self) -> int:
        return self._hi - self._lo

    def _at(self, k: int) -> Mention:
        services, surfaces = self._names
        return Mention(
            services[self._sid[k]],
            self._start[k] - self._shift,
            self._end[k] - self._shift,
            surfaces[self._sur[k]],
        )

    def __getitem__(self, i: int | slice):
        if isinstance(i, slice):
            lo, hi, step = i.indices(len(self))
            if step != 1:
                return tuple(self)[i]
            return self._view(self._lo + lo, self._lo + hi, self._shift)
        n = len(self)
        if not -n <= i < n:
            raise IndexError("mention index out of range")
        return self._at(self._lo + (i % n))

    def __iter__(self) -> Iterator[Mention]:
        return (self._at(k) for k in range(self._lo, self._hi))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Mentions({list(self)!r})"

    def shifted(self, by: int) -> Mentions:
        """The same mentions with ``by`` taken off every offset."""
        return self._view(self._lo, self._hi, self._shift + by)

    def starting(self, lo: int, hi: int) -> Mentions:
        """The mentions that start at ``lo`` or later and before ``hi`` (they must be ordered)."""
        a = bisect.bisect_left(self._start, lo + self._shift, self._lo, self._hi)
        b = bisect.bisect_left(self._start, hi + self._shift, a, self._hi)
        return self._view(a, b, self._shift)

    def services(self) -> tuple[str, ...]:
        """The services these mentions name, in order of first mention (no record is made)."""
        names = self._names[0]
        return tuple(names[i] for i in dict.fromkeys(self._sid[self._lo : self._hi]))

    def counts(self) -> dict[str, int]:
        """How many times each service is mentioned."""
        names = self._names[0]
        return {names[i]: n for i, n in Counter(self._sid[self._lo : self._hi]).items()}

    def last_starts(self) -> dict[str, int]:
        """Each service's last mention's start (of the last in order, when they are ordered)."""
        names, k = self._names[0], slice(self._lo, self._hi)
        last = dict(zip(self._sid[k], self._start[k], strict=True))
        return {names[i]: start - self._shift for i, start in last.items()}

    def arrays(self) -> tuple[tuple[str, ...], tuple[str, ...], array, array, array, array]:
        """Services, surfaces, and per mention its service's index, surface's index, start, end."""
        k = slice(self._lo, self._hi)
        starts, ends = self._start[k], self._end[k]
        if self._shift:
            starts = array("q", (x - self._shift for x in starts))
            ends = array("q", (x - self._shift for x in ends))
        return (*self._names, self._sid[k], self._sur[k], starts, ends)

    @classmethod
    def from_arrays(
        cls,
        services: Sequence[str],
        surfaces: Sequence[str],
        sid: Sequence[int],
        sur: Sequence[int],
        starts: Sequence[int],
        ends: Sequence[int],
    ) -> Mentions:
        """Mentions from what :meth:`arrays` gave (``IndexError``/``ValueError`` when damaged)."""
        return cls(
            Mention(services[a], s, e, surfaces[b])
            for a, b, s, e in zip(sid, sur, starts, ends, strict=True)
        )


@dataclass(frozen=True, slots=True)
class LinkedPassage:
    """A passage with the services it mentions and the service it is about (its subject).

    ``context`` holds the services named anywhere in the passage's heading path.
    """

    passage: Passage
    mentions: Sequence[Mention]
    subject: str | None = None
    context: tuple[str, ...] = ()

    @property
    def services(self) -> tuple[str, ...]:
        """Distinct mentioned service ids in order of first mention."""
        if isinstance(self.mentions, Mentions):
            return self.mentions.services()
        return tuple(dict.fromkeys(m.service for m in self.mentions))


@dataclass(frozen=True, slots=True)
class Evidence:
    """A place in the notes that states a relation: file, 1-based line and the words there."""

    file: str
    line: int
    text: str
    cue: str = ""
    weight: float = 0.5

    @property
    def where(self) -> str:
        """``file:line``, or "your correction" for the reason given with an edge the user added.

        Examples
        --------
        >>> Evidence("s3.md", 4, "S3 feeds Athena").where, Evidence("", 0, "my reason").where
        ('s3.md:4', 'your correction')
        """
        return f"{self.file}:{self.line}" if self.line else "your correction"


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation between two services, with all the evidence that states it.

    For ``replaces`` the source is the successor and the target the retired service; the other
    two relations are undirected and stored with ``source < target``.
    """

    source: str
    relation: str
    target: str
    evidence: tuple[Evidence, ...] = field(default=())
    confidence: float = 0.0

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the relation regardless of evidence: ``(source, relation, target)``."""
        return (self.source, self.relation, self.target)
