"""Relation candidates: the pairs of services a note puts together, and the structure that does it.

A candidate is not yet a relation: :mod:`graph_data.scorer` decides its type (or that it is
none). Candidates come from the ways people lay out study notes:

``sentence``
    two services named in one sentence ("SNS fans out to SQS").
``heading``
    two services in one heading ("SQS vs SNS").
``subject``
    a sentence naming a service under a heading (or file) about another one: a terse bullet
    "Fully integrated with IAM" under *ECR*.
``parent``
    a bullet naming a service under a parent bullet or label line about another one; when the
    parent reads like a label ("Sources:", "Integrations", "Use cases") its words go along.
``line``
    a later sentence of a line that opened with a service ("Kinesis: ... . It feeds S3").
``next-line``
    the last service of a line and the first of the next, when the next line opens with a
    connector ("instead", "but", a pronoun, a rename such as "formerly").
``next-sentence``
    the first services of two consecutive sentences of one line ("SNS cannot store messages.
    Kinesis Data Streams is the right answer").
``table-header`` / ``table-row``
    services in a table's header cells (a comparison) or in one row.

Every step is linear in the size of the passage: a mention is paired with at most
:data:`WINDOW` later mentions of its sentence, and a topic with each mention once.

Examples
--------
>>> from graph_data.records import LinkedPassage, Mention, Passage
>>> lp = LinkedPassage(
...     Passage("n.md", 1, 1, ("SQS",), "- Lambda polls it"),
...     (Mention("lambda", 2, 8, "Lambda"),), subject="sqs")
>>> [(c.first, c.second, c.structure) for c in file_candidates([lp])]
[('sqs', 'lambda', 'subject')]
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from graph_data.records import SILENT_KINDS, LinkedPassage, Mention, Mentions

__all__ = [
    "MAX_MENTIONS",
    "STRUCTURES",
    "WINDOW",
    "Candidate",
    "click_paths",
    "file_candidates",
    "names_a_flow",
    "row_owner",
]

#: The structures a candidate can come from.
STRUCTURES = (
    "sentence",
    "heading",
    "subject",
    "parent",
    "line",
    "next-line",
    "next-sentence",
    "table-header",
    "table-row",
)
#: How many later mentions of its sentence one mention is paired with.
WINDOW = 6
# Header words of a table of flows: its rows pair their cells, they do not compare them.
_FLOW_HEADER = re.compile(
    r"\b(?:sources?|targets?|destinations?|from|to|triggers?|consumers?|producers?|inputs?|"
    r"outputs?|subscribers?|origins?|backends?|integrat\w*|works?\s+with|used?\s+with)\b",
    re.I,
)
# A table row's first cell names the row's service in a few words ("Amazon S3 (storage)").
_OWNER_WORDS = 4
#: A sentence or table row naming more services than this is a dump of names: no candidates.
MAX_MENTIONS = 100
_MAX_TEXT = 400
_LINE_EVIDENCE = 300
_LOOKAHEAD = 4 * WINDOW
#: How many times one line can state one pair in one structure: a line is one piece of evidence,
#: and a 20 MB line repeating a sentence would otherwise give millions of the same candidate.
PER_LINE_PAIR = 32
_BULLET = re.compile(r"^(\s*)((?:[-*+•◦▪▸►‣∙▼>]|\d{1,3}[.)])\s+)?")
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\betc)(?<!\bex)[.!?;](?=\s+\S)")
# A line about a service opens with it: "ECR: ...", "- Kinesis - ...", "S3 (storage) is ...".
_LEAD = re.compile(r"^(?:\s|\bthe\b|\ban?\b|\bamazon\b|\baws\b|[*_`\[>#])*$", re.I)
# "ECR:", "Kinesis - ...", "Firehose destinations:" (a few words of label before the colon).
_LABEL_TAIL = re.compile(
    r"^\s*(?:\([^)]{0,60}\))?\s*(?:[\w-]+\s*){0,3}:|^\s*(?:\([^)]{0,60}\))?\s*(?:\s[-–—=]+>?\s|$)"
)
_CONNECTOR = re.compile(
    r"^\W*(?:instead|but|however|whereas|while|unlike|it|its|they|their|this|these|that|which|"
    r"now|formerly|previously|renamed|the\s+new\s+name|used\s+to\s+be|replaced|then|so|=>|->)\b",
    re.I,
)
# A sentence left open for the list under it: "... triggered by events coming from".
_OPEN_END = re.compile(
    r"\b(?:from|to|into|onto|with|by|for|like|such\s+as|include[sd]?|including|via|are|is|be|"
    r"between|among|either|supports?|integrates?|sends?|delivers?)\W*$",
    re.I,
)
# A parent line this short (in words, services included) reads as a label.
_LABEL_WORDS = 6
_TOPIC_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Candidate:
    """Two services a note puts together, with the words around them.

    ``first`` comes first in reading order (for the topic structures it is the topic). ``text``
    is the sentence that names ``second``; ``first_span`` and ``second_span`` are offsets in it
    (``first_span`` is None when ``first`` is not named in ``text``). ``context`` is the parent
    or previous line for the structures that span lines, and ``heading`` the deepest heading.
    """

    first: str
    second: str
    file: str
    line: int
    structure: str
    text: str
    first_span: tuple[int, int] | None
    second_span: tuple[int, int]
    services: int
    context: str = ""
    heading: str = ""
    evidence: str = ""
    #: For the topic structures: lines since the topic was last named (-1: never before).
    topic_gap: int = -1
    #: The share of the file's mentions that name ``first``.
    share: float = 0.0
    #: How the line sits in its list, as space-separated flags: ``children`` (more indented
    #: lines follow it: it heads a sub-list) and ``nested`` (it sits under a parent line that
    #: opens with another service).
    layout: str = ""

    @property
    def pair(self) -> frozenset[str]:
        """The two services, unordered."""
        return frozenset((self.first, self.second))


@dataclass(slots=True)
class _Line:
    number: int
    indent: int
    text: str
    mentions: Mentions
    topic: str | None


def _line_topic(content: str, mentions: Sequence[Mention]) -> str | None:
    """The service a line is about when it opens with one and a label mark follows."""
    if not mentions:
        return None
    first = mentions[0]
    if not _LEAD.match(content[: first.start]):
        return None
    tail = content[first.end :]
    # "Lambda integrates with many services including:" labels the list below it.
    if content.rstrip().endswith(":") and first.service not in {m.service for m in mentions[1:]}:
        return first.service
    if _LABEL_TAIL.match(tail) or re.match(r"^\s*(?:\([^)]*\)\s*)?(?:is|are)\b", tail, re.I):
        return first.service
    return None


def _lines(lp: LinkedPassage) -> Iterator[_Line]:
    """The passage's non-empty lines, each with its mentions re-based to the line's content."""
    text = lp.passage.text
    mentions = _ordered(lp.mentions)
    offset = 0
    for number, raw in enumerate(text.split("\n")):
        start, end = offset, offset + len(raw)
        offset = end + 1
        marker = _BULLET.match(raw)
        content_start = start + (marker.end() if marker else 0)
        content = text[content_start:end]
        if not content.strip():
            continue
        shifted = mentions.starting(content_start, end).shifted(content_start)
        indent = len(marker.group(1).expandtabs(4)) if marker else 0
        bullet = bool(marker and marker.group(2))
        yield _Line(
            lp.passage.line + number,
            indent + (1 if bullet else 0),
            content,
            shifted,
            _line_topic(content, shifted),
        )


def _sentences(line: _Line) -> Iterator[tuple[str, Sequence[Mention]]]:
    """The sentences of a line with their mentions re-based to the sentence."""
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(line.text)), len(line.text)]
    for a, b in itertools.pairwise(bounds):
        if not line.text[a:b].strip():
            continue
        inside = line.mentions.starting(a, b).shifted(a)
        # A sentence naming hundreds of services is a dump (no candidates): it stays a view.
        yield line.text[a:b], inside if len(inside) > MAX_MENTIONS else list(inside)


def _distinct(mentions: Sequence[Mention]) -> list[Mention]:
    """The first mention of each service, in order."""
    seen: dict[str, Mention] = {}
    for m in mentions:
        seen.setdefault(m.service, m)
    return list(seen.values())


class _Builder:
    """Collects one file's candidates."""

    def __init__(self, file: str, shares: dict[str, float]) -> None:
        self.file = file
        self.out: list[Candidate] = []
        self.shares = shares
        self.last_seen: dict[str, int] = {}
        self.stated: Counter[tuple[int, str, str, str]] = Counter()

    def pairs(
        self, text: str, mentions: Sequence[Mention], line: int, structure: str, **kw
    ) -> None:
        """Each mention with the next :data:`WINDOW` mentions of other services."""
        self.labelled_pairs(text, mentions, line, structure, None, **kw)

    def labelled_pairs(
        self,
        text: str,
        mentions: Sequence[Mention],
        line: int,
        structure: str,
        label: Callable[[Mention], str] | None,
        **kw,
    ) -> None:
        """:meth:`pairs`, each pair's context given by ``label`` of its second mention."""
        if label is not None:
            kw["context"] = ""
        if len(mentions) > MAX_MENTIONS:
            return  # hundreds of names in one sentence are a dump, and state nothing
        n = len(_distinct(mentions))
        for i, a in enumerate(mentions):
            seen: set[str] = {a.service}
            # A bounded look ahead: "DynamoDB DynamoDB DynamoDB ..." stays linear.
            for j in range(i + 1, min(len(mentions), i + 1 + _LOOKAHEAD)):
                b = mentions[j]
                if b.service in seen:
                    continue
                seen.add(b.service)
                if len(seen) > WINDOW + 1:
                    break
                if label is not None:
                    kw["context"] = label(b)
                self.add(a.service, b, text, line, structure, (a.start, a.end), n, **kw)

    def topic(
        self, topic: str, text: str, mentions: Sequence[Mention], line: int, structure: str, **kw
    ):
        """The topic with each service the sentence names (unless the sentence names the topic)."""
        if len(mentions) > MAX_MENTIONS:
            return
        distinct = _distinct(mentions)
        if any(m.service == topic for m in distinct):
            return
        for m in distinct:
            self.add(topic, m, text, line, structure, None, len(distinct), **kw)

    def add(
        self,
        first: str,
        second: Mention,
        text: str,
        line: int,
        structure: str,
        first_span: tuple[int, int] | None,
        services: int,
        *,
        context: str = "",
        heading: str = "",
        evidence: str = "",
        layout: str = "",
    ) -> None:
        if first == second.service:
            return
        key = (line, first, second.service, structure)
        if self.stated[key] >= PER_LINE_PAIR:
            return
        self.stated[key] += 1
        seen = self.last_seen.get(first)
        self.out.append(
            Candidate(
                first,
                second.service,
                self.file,
                line,
                structure,
                text,
                first_span,
                (second.start, second.end),
                services,
                context[:_MAX_TEXT],
                heading,
                (evidence or text)[: 2 * _MAX_TEXT].strip()[:_MAX_TEXT],
                -1 if seen is None else line - seen,
                self.shares.get(first, 0.0),
                layout,
            )
        )


def _columns(header: str) -> list[str]:
    """A table header's cell texts, in column order (the cells before the first bar dropped).

    Examples
    --------
    >>> _columns("| Source | Target |")
    ['Source', 'Target']
    """
    cells = [c.strip() for c in header.strip().split("|")]
    if header.rstrip().endswith("|"):
        cells.pop()
    return cells[1:] if header.lstrip().startswith("|") else cells


def _column_label(columns: list[str], row: str) -> Callable[[Mention], str]:
    """The header of the column a mention of ``row`` stands in, as a label ("Targets:")."""
    bars = _bars(row)

    def label(m: Mention) -> str:
        name = _column(columns, row, bars, m.start)
        return f"{name}:" if name else ""

    return label


def _bars(row: str) -> list[int]:
    """Where a table row's cell bars stand."""
    return [i for i, ch in enumerate(row) if ch == "|"]


def _column(columns: list[str], row: str, bars: list[int], at: int) -> str:
    """The header of the column that offset ``at`` of ``row`` stands in ("" past the header)."""
    k = bisect.bisect_left(bars, at) - (1 if row.lstrip().startswith("|") else 0)
    return columns[k] if 0 <= k < len(columns) else ""


def _cells(row: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of a table row's cells."""
    edges = [-1, *_bars(row), len(row)]
    spans = [(a + 1, b) for a, b in itertools.pairwise(edges) if row[a + 1 : b].strip()]
    return spans


# A click path through a console: "EC2 -> Instances -> Actions -> Security -> Modify IAM role".
_STEP_ARROW = re.compile(r"\s*(?:->|→|=>|-->|>)\s*")
_STEP_CHARS = 40
_CLICK_STEPS = 3
_UI_WORDS = re.compile(
    r"\b(?:select|create|add|edit|modify|click|choose|actions|settings|console|tab|go\s+to|"
    r"navigate|open|enable|save)\b",
    re.I,
)


@lru_cache(maxsize=4096)
def click_paths(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of ``text`` that are click paths: three or more short steps joined by arrows, one
    of them an interface word ("Create", "Actions", "Settings").

    Examples
    --------
    >>> click_paths("EC2 → Instances → Actions → Modify IAM role"), click_paths("S3 -> Lambda")
    (((0, 43),), ())
    """
    if "→" not in text and ">" not in text:
        return ()
    out = []
    run_start = run_end = -1
    steps = 0
    prev = 0
    for m in _STEP_ARROW.finditer(text):
        step = text[prev : m.start()]
        if run_start >= 0 and len(step) <= _STEP_CHARS:
            steps += 1
            run_end = m.start()
        else:
            if steps >= _CLICK_STEPS:
                out.append((run_start, run_end))
            # A new run starts with the step before this arrow: its last words, after any colon.
            lo = max(prev, m.start() - _STEP_CHARS)
            cut = max(text.rfind(mark, lo, m.start()) for mark in ":;,(")
            run_start, steps = (cut + 1 if cut >= 0 else lo), 1
            run_end = m.start()
        prev = m.end()
    if run_start >= 0:
        tail = text[prev : prev + _STEP_CHARS]
        last = tail.split(".")[0].split(";")[0]
        if steps + 1 >= _CLICK_STEPS:
            out.append((run_start, prev + len(last)))
    return tuple(span for span in out if _UI_WORDS.search(text, *span))


def names_a_flow(header: str) -> bool:
    """Whether a table's header names the ends of a flow ("Source | Target"), not properties.

    Such a table's rows are flows, so their first cells are not compared with each other.

    Examples
    --------
    >>> names_a_flow("| Source | Target |"), names_a_flow("| Option | Transitive | Notes |")
    (True, False)
    """
    return bool(_FLOW_HEADER.search(header))


def row_owner(row: str, mentions: Sequence[Mention]) -> Mention | None:
    """The service a table row is about: the only one its first cell names, in a few words.

    ``mentions`` are the row's, with offsets into ``row``.

    Examples
    --------
    >>> row_owner("| SQS | pull |", [Mention("sqs", 2, 5, "SQS")]).service
    'sqs'
    """
    cells = _cells(row)
    if not cells:
        return None
    lo, hi = cells[0]
    inside = [m for m in mentions if lo <= m.start < hi]
    if len({m.service for m in inside}) != 1 or len(row[lo:hi].split()) > _OWNER_WORDS:
        return None
    return inside[0]


def _row_items(out: _Builder, line: _Line, columns: list[str], heading: str) -> None:
    """A row whose first cell names one service: its other cells are items under a label.

    "| Athena | S3, Glue |" under "| Service | Works with |" reads as "Athena works with:" over
    a list of S3 and Glue, so it is the *parent* structure a label line makes.
    """
    if len(line.mentions) > MAX_MENTIONS:
        return  # a row naming hundreds of services is a dump, as a sentence would be
    cells = _cells(line.text)
    if len(cells) < 2:
        return
    lo, hi = cells[0]
    owners = _distinct(line.mentions.starting(lo, hi))
    if len(owners) != 1 or len(line.text[lo:hi].split()) > _OWNER_WORDS:
        return
    bars = _bars(line.text)
    for a, b in cells[1:]:
        mentions = line.mentions.starting(a, b)
        if not len(mentions):
            continue
        name = _column(columns, line.text, bars, a)
        label = f"{line.text[lo:hi].strip()} {name}:" if name else ""
        # The cells between the owner and the item go along: "| Lambda | alternative to | EC2 |".
        text = line.text[hi + 1 : b]
        out.topic(
            owners[0].service,
            text,
            mentions.shifted(hi + 1),
            line.number,
            "parent",
            context=label,
            heading=heading,
            evidence=line.text,
        )


def _row_comparison(lp: LinkedPassage, out: _Builder, lines: list[_Line], heading: str) -> None:
    """A table whose first column names a service on each row, under a header naming none,
    compares them: each row's service is a candidate with the rows' before it.

    The candidate reads as the header of the same comparison would ("| SQS | SNS |"); its
    evidence is the later row.
    """
    if not lines or lines[0].number != lp.passage.line or names_a_flow(lines[0].text):
        return
    if row_owner(lines[0].text, lines[0].mentions):
        return
    owners = [(line, m) for line in lines[1:] if (m := row_owner(line.text, line.mentions))]
    busy = sum(any(x.service != m.service for x in line.mentions) for line, m in owners)
    # Rows that all name other services ("| S3 | Lambda |" under "| Source | Target |") pair
    # them, not their first cells.
    if busy == len(owners):
        return
    # Each service is compared from its first row: a long table repeating rows adds nothing.
    firsts: dict[str, tuple[_Line, Mention]] = {}
    for line, m in owners:
        firsts.setdefault(m.service, (line, m))
    owners = list(firsts.values())
    for j, (line, b) in enumerate(owners):
        for _, a in owners[max(0, j - WINDOW) : j]:
            if a.service == b.service:
                continue
            text = f"| {a.surface} | {b.surface} |"
            second = Mention(
                b.service, len(a.surface) + 5, len(a.surface) + 5 + len(b.surface), b.surface
            )
            out.add(
                a.service,
                second,
                text,
                line.number,
                "table-header",
                (2, 2 + len(a.surface)),
                len(owners),
                heading=heading,
                evidence=line.text,
            )


def _table(lp: LinkedPassage, out: _Builder, heading: str) -> None:
    lines = list(_lines(lp))
    columns = _columns(lines[0].text) if lines else []
    _row_comparison(lp, out, lines, heading)
    for k, line in enumerate(lines):
        if set(line.text.strip()) <= set("|-: "):
            continue
        structure = "table-header" if k == 0 else "table-row"
        # A row's services are read under their column's header, as items under a label are.
        label = _column_label(columns, line.text) if k else None
        out.labelled_pairs(line.text, line.mentions, line.number, structure, label, heading=heading)
        if k:
            _row_items(out, line, columns, heading)
        if k and lp.subject and not line.mentions:
            continue
        if k and lp.subject:
            out.topic(lp.subject, line.text, line.mentions, line.number, "subject", heading=heading)


def _leads_in(previous: _Line, lp: LinkedPassage) -> bool:
    """Whether the last line of the passage before introduces this passage's list.

    A label ("Sources:") does, and so does a sentence left open for the list that completes
    it ("Lambda can be triggered by events coming from" over a list of sources).
    """
    marker = _BULLET.match(lp.passage.text)
    listed = bool(marker and marker.group(2))
    text = previous.text.rstrip()
    return text.endswith(":") or (listed and bool(_OPEN_END.search(text)))


def _passage(lp: LinkedPassage, out: _Builder, previous: _Line | None) -> _Line | None:
    """Candidates of one passage; returns its last line (a label for the next passage)."""
    heading = lp.passage.heading[-1] if lp.passage.heading else ""
    if lp.passage.kind == "table" or lp.passage.text.lstrip().startswith("|"):
        _table(lp, out, heading)
        return None
    if lp.passage.kind == "heading":
        for line in _lines(lp):
            out.pairs(line.text, line.mentions, line.number, "heading", heading=heading)
        return None
    stack: list[_Line] = [previous] if previous and _leads_in(previous, lp) else []
    if stack:
        stack[0].indent = -1
    last: _Line | None = None
    # Each line with the one after it (one line of look-ahead: does a sub-list follow it?).
    lines = _lines(lp)
    ahead = next(lines, None)
    while ahead is not None:
        line, following = ahead, next(lines, None)
        while stack and stack[-1].indent >= line.indent:
            stack.pop()
        parent = stack[-1] if stack else None
        parent_topic = next((p.topic for p in reversed(stack[-_TOPIC_DEPTH:]) if p.topic), None)
        flags = []
        if following is not None and following.indent > line.indent:
            flags.append("children")
        if parent_topic:
            flags.append("nested")
        _one_line(lp, out, line, parent, parent_topic, last, heading, " ".join(flags))
        stack.append(line)
        last = line
        ahead = following
    return last


def _one_line(
    lp: LinkedPassage,
    out: _Builder,
    line: _Line,
    parent: _Line | None,
    parent_topic: str | None,
    last: _Line | None,
    heading: str,
    layout: str = "",
) -> None:
    context = parent.text if parent else ""
    subject = lp.subject
    line_topic = line.topic
    before: tuple[str, Mention] | None = None
    for k, (text, mentions) in enumerate(_sentences(line)):
        # The whole line is the evidence, unless it is too long to read: then its sentence.
        kw = {
            "heading": heading,
            "evidence": line.text if len(line.text) <= _LINE_EVIDENCE else text,
            "layout": layout,
        }
        if before and mentions and before[1].service != mentions[0].service:
            joined = f"{before[0]} {text}"
            shift = len(before[0]) + 1
            m = mentions[0]
            second = Mention(m.service, m.start + shift, m.end + shift, m.surface)
            first = before[1]
            out.add(
                first.service,
                second,
                joined,
                line.number,
                "next-sentence",
                (first.start, first.end),
                2,
                context=context,
                **kw,
            )
        before = (text, mentions[0]) if mentions else None
        out.pairs(text, mentions, line.number, "sentence", context=context, **kw)
        if line_topic and k > 0:
            out.topic(line_topic, text, mentions, line.number, "line", context=context, **kw)
        if parent_topic and parent_topic != line_topic:
            out.topic(parent_topic, text, mentions, line.number, "parent", context=context, **kw)
        if subject and subject not in (parent_topic, line_topic):
            out.topic(subject, text, mentions, line.number, "subject", context=context, **kw)
        if k == 0 and line_topic is None and mentions:
            line_topic = mentions[0].service if mentions[0].start <= 12 else None
    if last and last.mentions and line.mentions and _CONNECTOR.match(line.text):
        first = line.mentions[0]
        prev = last.mentions[-1]
        if prev.service != first.service:
            joined = f"{last.text}\n{line.text}"
            shift = len(last.text) + 1
            out.add(
                prev.service,
                Mention(first.service, first.start + shift, first.end + shift, first.surface),
                joined,
                last.number,
                "next-line",
                (prev.start, prev.end),
                2,
                heading=heading,
                evidence=joined,
            )


def _ordered(mentions: Sequence[Mention]) -> Mentions:
    """The mentions as :class:`Mentions` in order of their start."""
    if isinstance(mentions, Mentions) and mentions.ordered:
        return mentions
    return Mentions(sorted(mentions, key=lambda m: m.start))


def _last_lines(lp: LinkedPassage) -> Iterator[tuple[str, int]]:
    """Each service's last mention in the passage, with its file line, counting newlines once."""
    text, line, at = lp.passage.text, lp.passage.line, 0
    for service, start in sorted(_ordered(lp.mentions).last_starts().items(), key=lambda x: x[1]):
        line += text.count("\n", at, start)
        at = start
        yield service, line


def file_candidates(linked: Sequence[LinkedPassage]) -> list[Candidate]:
    """Every candidate of one file's linked passages, given in reading order."""
    if not linked:
        return []
    counts: Counter[str] = Counter()
    for lp in linked:
        counts.update(_ordered(lp.mentions).counts())
    # A subject no line names is named by the note's title, its file name ("Lambda.md" in a
    # vault): that counts as the one mention a title heading would make.
    for subject in {lp.subject for lp in linked if lp.subject} - set(counts):
        counts[subject] = 1
    total = sum(counts.values()) or 1
    out = _Builder(linked[0].passage.file, {k: v / total for k, v in counts.items()})
    previous: _Line | None = None
    end = -1
    for lp in linked:
        if lp.passage.kind in SILENT_KINDS:
            previous = None
            continue
        adjacent = previous if previous and lp.passage.line - end <= 2 else None
        previous = _passage(lp, out, adjacent)
        end = lp.passage.end_line
        for service, line in _last_lines(lp):
            out.last_seen[service] = line
    return out.out
