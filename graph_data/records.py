"""The core's records: frozen dataclasses passed between the pipeline's steps."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "HEADING_SEPARATOR",
    "RELATIONS",
    "Evidence",
    "LinkedPassage",
    "Mention",
    "Passage",
    "Problem",
    "Relation",
    "Service",
]

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


@dataclass(frozen=True, slots=True)
class LinkedPassage:
    """A passage with the services it mentions and the service it is about (its subject).

    ``context`` holds the services named anywhere in the passage's heading path.
    """

    passage: Passage
    mentions: tuple[Mention, ...]
    subject: str | None = None
    context: tuple[str, ...] = ()

    @property
    def services(self) -> tuple[str, ...]:
        """Distinct mentioned service ids in order of first mention."""
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
