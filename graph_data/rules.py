"""Hand-written cue rules: their verdicts are features for the learned scorer.

These rules read one sentence at a time and apply general cue phrases from ``data/cues.toml``
(integration verbs, "vs", "instead of", exam-answer prose, "formerly", sibling bullets marked
legacy and newer). On their own they fit the notes they were written from; the scorer
(:mod:`graph_data.scorer`) learns from annotations of other authors how far to trust each verdict.

Examples
--------
>>> from graph_data.records import LinkedPassage, Mention, Passage
>>> lp = LinkedPassage(
...     Passage("n.md", 1, 1, (), "SNS integrates with SQS."),
...     (Mention("sns", 0, 3, "SNS"), Mention("sqs", 20, 23, "SQS")),
... )
>>> [(f.source, f.relation, f.target) for f in find_relations(lp)]
[('sns', 'integrates-with', 'sqs')]
"""

from __future__ import annotations

import bisect
import itertools
import re
import tomllib
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from graph_data.candidates import click_paths, names_a_flow, row_owner
from graph_data.records import Evidence, LinkedPassage, Mention

__all__ = ["Verdict", "find_relations"]

_BULLET = re.compile(r"^(\s*)((?:[-*+•◦▪▸►‣∙▼]|\d{1,3}[.)])\s+)?")
# Split after a full stop, question or exclamation mark, or a semicolon, unless the dot ends a
# common abbreviation ("e.g.", "vs.") where the sentence clearly goes on.
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\betc)(?<!\bex)[.!?;](?=\s+\S)")
_LIST_GLUE = re.compile(r"^(?:[\s,/&+()\-]|\band\b|\bor\b|\bor\s+even\b|\betc\b\.?)*$", re.I)
_LABEL_TAIL = re.compile(r"^\s*(?:\([^)]{0,60}\))?\s*(?:s\b)?\s*(?::|\s[-–—]\s|$)")
_LEAD_WORDS = re.compile(
    r"^(?:\s|\bthe\b|\ban?\b|\bamazon\b|\baws\b|\buse\b|\busing\b|[*_`\[])*$", re.I
)
_MAX_EVIDENCE_CHARS = 300
_TOPIC_DEPTH = 8
_SUBJECTLESS = re.compile(
    r"^\W*(?:this|it|they|these|its|their|we|you|use|uses|need|needs|can|allows?|lets?|supports?|"
    r"requires?|provides?|works?|integrates?)\b",
    re.I,
)
_PRONOUN = re.compile(r",\s*(?:they|it)\b", re.I)
# "think EBS and EFS, not S3": the services before are chosen over the one after.
_NOT_THIS = re.compile(r",\s*not\s+(?=\S)", re.I)
_NOT_THIS_GAP = 4
_CLAUSE_SPLIT = re.compile(r"[,;]\s+")
# The end of a list of three or more, and a comma between two of its items.
_OXFORD = re.compile(r"^\s*,\s*(?:and|or)\s+$", re.I)
_COMMA_GLUE = re.compile(r"^\s*,\s*$")
_CLAUSE_BREAK = re.compile(r"[;)]|,\s+(?:and|but|while|whereas|which|or)\b|\(")
# A service named within this many characters of a sentence's start is its subject.
_SUBJECT_REACH = 12
# A mention is weighed against this many later ones at most: linear on endless lists.
_WINDOW = 8
# An arrow of a flow ("A -> B"); "=>" means "so" in notes.
_FLOW_ARROW = re.compile(r"-->|->|→")
# Between an arrow and the service it points to: nothing, or an article.
# How far (characters) an arrow may stand from the service it points to.
_ARROW_GAP = 12
_LEAD_GAP = re.compile(r"\s*(?:(?:an?|the)\s+)?$", re.I)
_WORDS = re.compile(r"[A-Za-z0-9][\w'-]*")


@dataclass(frozen=True, slots=True)
class Verdict:
    """One rule's verdict on a pair of services in one line, with its cue and weight."""

    source: str
    relation: str
    target: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class _Cues:
    weights: dict[str, float]
    strong: tuple[re.Pattern[str], ...]
    medium: tuple[re.Pattern[str], ...]
    vs: re.Pattern[str]
    between: tuple[re.Pattern[str], ...]
    also: tuple[re.Pattern[str], ...]
    options: tuple[re.Pattern[str], ...]
    answer: tuple[re.Pattern[str], ...]
    reject: tuple[re.Pattern[str], ...]
    forward: tuple[re.Pattern[str], ...]
    backward: tuple[re.Pattern[str], ...]
    retired: re.Pattern[str]
    newer: re.Pattern[str]
    negation: tuple[re.Pattern[str], ...]


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


@cache
def _cues() -> _Cues:
    raw = tomllib.loads(resources.files("graph_data").joinpath("data/cues.toml").read_text("utf-8"))
    alt, rep = raw["alternative"], raw["replaces"]
    return _Cues(
        weights=dict(raw["weights"]),
        strong=_compile(raw["integrates"]["strong"]),
        medium=_compile(raw["integrates"]["medium"]),
        vs=re.compile(alt["vs"], re.I),
        between=_compile(alt["between"]),
        also=_compile(alt["also"]),
        options=_compile(alt["options"]),
        answer=_compile(alt["answer"]),
        reject=_compile(alt["reject"]),
        forward=_compile(rep["forward"]),
        backward=_compile(rep["backward"]),
        retired=re.compile(rep["retired"], re.I),
        newer=re.compile(rep["newer"], re.I),
        negation=_compile(raw["negation"]["patterns"]),
    )


@dataclass(frozen=True, slots=True)
class _Sentence:
    """One sentence of one line, with offsets relative to the passage text."""

    line: int
    start: int
    end: int
    text: str
    mentions: tuple[Mention, ...]
    topic: str | None
    evidence_text: str


def _cue(patterns: Iterable[re.Pattern[str]], s: _Sentence) -> re.Match[str] | None:
    """The earliest cue in a sentence that is not part of a service's name ("CodeDeploy Agent")."""
    first = _any_of(tuple(patterns)).search(s.text)
    if first is None:
        return None
    spans = [(m.start - s.start, m.end - s.start) for m in s.mentions]
    if not any(a < first.end() and first.start() < b for a, b in spans):
        return first  # the earliest of any cue, and clear of every name: no cue can beat it
    found = []
    for p in patterns:
        for m in p.finditer(s.text):
            if not any(a < m.end() and m.start() < b for a, b in spans):
                found.append(m)
                break
    return min(found, key=lambda m: m.start()) if found else None


def _first(patterns: Iterable[re.Pattern[str]], text: str) -> re.Match[str] | None:
    """The earliest cue in a text; at one place, the first pattern listed wins."""
    return _any_of(tuple(patterns)).search(text)


@cache
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One pattern for a list: the leftmost match of an alternation is the earliest of any, and
    one scan of a line is cheaper than one per cue (100,000 bullets are read in seconds)."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.I)


def _line_topic(content: str, content_start: int, mentions: list[Mention]) -> str | None:
    """The service a line is about when it opens with one ("ECR: ...", "- Kinesis - ...")."""
    if not mentions:
        return None
    first = mentions[0]
    lead = content[: first.start - content_start]
    if not _LEAD_WORDS.match(lead):
        return None
    tail = content[first.end - content_start :]
    if _LABEL_TAIL.match(tail) or re.match(
        r"^\s*(?:\([^)]*\)\s*)?(?:is|are|has|have)\b", tail, re.I
    ):
        return first.service
    return None


def _sentences(lp: LinkedPassage) -> Iterator[_Sentence]:
    """Split a passage into sentences, each with its mentions and the topic it inherits."""
    text = lp.passage.text
    mentions = sorted(lp.mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    stack: list[tuple[int, str | None]] = []
    offset = 0
    for number, raw in enumerate(text.split("\n")):
        line_start, line_end = offset, offset + len(raw)
        offset = line_end + 1
        marker = _BULLET.match(raw)
        indent = len(marker.group(1).expandtabs(4)) if marker else 0
        content_start = line_start + (marker.end() if marker else 0)
        content = text[content_start:line_end]
        if not content.strip():
            continue
        line_mentions = _within(mentions, starts, line_start, line_end)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        # Notes nest deep at times (thousands of levels): look a few parents up, not all.
        inherited = next((t for _, t in reversed(stack[-_TOPIC_DEPTH:]) if t), lp.subject)
        own = _line_topic(content, content_start, line_mentions)
        stack.append((indent, own))
        yield from _split_line(lp, number, content, content_start, line_mentions, own, inherited)


def _within(mentions: list[Mention], starts: list[int], lo: int, hi: int) -> list[Mention]:
    """The mentions starting in ``lo..hi`` (``starts`` is their sorted start offsets)."""
    return mentions[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]


def _split_line(
    lp: LinkedPassage,
    number: int,
    content: str,
    content_start: int,
    mentions: list[Mention],
    own: str | None,
    inherited: str | None,
) -> Iterator[_Sentence]:
    """The sentences of one line; later sentences are about the first one's subject."""
    evidence = content.strip()
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(content)), len(content)]
    topic = own or inherited
    starts = [m.start for m in mentions]
    for a, b in itertools.pairwise(bounds):
        if not content[a:b].strip():
            continue
        start, end = content_start + a, content_start + b
        inside = tuple(_within(mentions, starts, start, end))
        shown = evidence if len(evidence) <= _MAX_EVIDENCE_CHARS else content[a:b].strip()
        yield _Sentence(lp.passage.line + number, start, end, content[a:b], inside, topic, shown)
        if inside and own is None and inside[0].start - start <= _SUBJECT_REACH:
            topic = own = inside[0].service


def _services(mentions: Iterable[Mention]) -> list[str]:
    return list(dict.fromkeys(m.service for m in mentions))


def _is_list(sentence: _Sentence, group: list[Mention]) -> bool:
    """True when the mentions are only separated by commas, slashes, "and" or "or"."""
    for left, right in itertools.pairwise(group):
        gap = sentence.text[left.end - sentence.start : right.start - sentence.start]
        if not _LIST_GLUE.match(gap):
            return False
    return True


def _list_at(s: _Sentence, first: int) -> list[Mention]:
    """The mention at index ``first`` and the list-mates that follow it ("SNS, SQS and Kinesis")."""
    group = [s.mentions[first]]
    for m in s.mentions[first + 1 :]:
        if not _is_list(s, [group[-1], m]):
            break
        group.append(m)
    return group


def _negated(sentence: _Sentence, lo: int, hi: int, cues: _Cues) -> bool:
    """Whether a negation stands in the passage span ``lo..hi`` (or just before it)."""
    window = sentence.text[max(0, lo - sentence.start - 25) : max(0, hi - sentence.start)]
    window = window.replace("’", "'")
    return _any_of(cues.negation).search(window) is not None


def _clause(s: _Sentence, mentions: list[Mention]) -> list[Mention]:
    """The mentions up to the end of the first one's clause (a ';', ')' or ', and' ends it).

    An ", and" closing a list of three or more ("CloudWatch, EventBridge, and CloudTrail")
    ends the list, not the clause.
    """
    if not mentions:
        return []
    out = [mentions[0]]
    listed = False
    for prev, m in itertools.pairwise(mentions):
        gap = s.text[prev.end - s.start : m.start - s.start]
        if _CLAUSE_BREAK.search(gap) and not (listed and _OXFORD.match(gap)):
            break
        out.append(m)
        listed = bool(_COMMA_GLUE.match(gap))
    return out


def _split_at(s: _Sentence, cue: re.Match[str]) -> tuple[list[Mention], list[Mention]]:
    """The mentions before and after a cue."""
    left = [x for x in s.mentions if x.end - s.start <= cue.start()]
    right = [x for x in s.mentions if x.start - s.start >= cue.end()]
    return left, right


class _Collector:
    """Gathers findings for one passage, keeping the strongest one per pair and line."""

    def __init__(self, file: str, families: Mapping[str, str], variants: Collection[str]) -> None:
        self.file = file
        self.families = families
        self.variants = variants
        self.found: dict[tuple[str, str, str, int], Verdict] = {}
        self.claimed: set[tuple[int, frozenset[str]]] = set()
        # Services weighed against each other in an exam answer: options, not partners.
        self.options: dict[int, set[str]] = defaultdict(set)

    def same_family(self, a: str, b: str) -> bool:
        """A kind and its family, at any depth (Glacier Deep Archive and S3): never related."""
        return b in self._ancestors(a) or a in self._ancestors(b)

    def _ancestors(self, sid: str) -> list[str]:
        found: list[str] = []
        family = self.families.get(sid)
        while family and family not in found:
            found.append(family)
            family = self.families.get(family)
        return found

    def siblings(self, a: str, b: str) -> bool:
        """Two kinds of one family (Redis and Memcached): options, never integrations."""
        return a in self.variants and b in self.variants and self.families[a] == self.families[b]

    def add(
        self, a: str | None, rel: str, b: str | None, s: _Sentence, cue: str, weight: float
    ) -> None:
        """Record ``a rel b`` stated by sentence ``s`` unless it is a self-pair or a family."""
        if not a or not b or a == b or self.same_family(a, b):
            return
        if rel == "integrates-with" and self.siblings(a, b):
            return
        pair = frozenset((a, b))
        if rel == "integrates-with" and (
            (s.line, pair) in self.claimed or pair <= self.options.get(s.line, set())
        ):
            return
        if rel != "integrates-with":
            self.claimed.add((s.line, pair))
            lo, hi = sorted((a, b))
            self.found.pop((lo, hi, "integrates-with", s.line), None)
        if rel != "replaces":
            a, b = sorted((a, b))
        key = (a, b, rel, s.line)
        old = self.found.get(key)
        if old is None or old.evidence.weight < weight:
            ev = Evidence(self.file, s.line, s.evidence_text, cue, weight)
            self.found[key] = Verdict(a, rel, b, ev)


def _replaces(
    s: _Sentence, earlier: list[Mention], out: _Collector, cues: _Cues, line: Sequence[Mention]
) -> None:
    """Successor/retired cues; "the newer one is called X" looks back for what X succeeds.

    ``line`` holds the mentions of the line's earlier sentences: "it" after "replaces" is the
    service the line named last ("launch config = old way. launch template replaces it").
    """
    for patterns, forward in ((cues.forward, True), (cues.backward, False)):
        m = _first(patterns, s.text)
        if not m:
            continue
        left, right = _split_at(s, m)
        if left and right and _negated(s, left[-1].end, right[0].start, cues):
            continue  # "Macie is not a replacement for GuardDuty"
        before = left[-1].service if left else None
        after = right[0].service if right else None
        if forward and after is None and _OBJECT_PRONOUN.match(s.text, m.end()):
            after = next((x.service for x in reversed(line) if x.service != before), None)
        if forward:
            out.add(before or s.topic, "replaces", after, s, m.group(0), cues.weights["explicit"])
            continue
        retired = before or _referent(after, earlier) or s.topic
        out.add(after, "replaces", retired, s, m.group(0), cues.weights["explicit"])


# "replaces it": the object is the service named before.
_OBJECT_PRONOUN = re.compile(r"\s+(?:it|them|this\s+one|that\s+one)\b", re.I)


def _referent(successor: str | None, earlier: list[Mention]) -> str | None:
    """What "the newer one" refers back to: the latest earlier mention sharing a head word."""
    if successor is None:
        return None
    head = successor.rsplit("-", 1)[-1]
    for m in reversed(earlier):
        if m.service != successor and m.service.rsplit("-", 1)[-1] == head:
            return m.service
    return None


# Where an operand of "vs" or of a comparison cue ends: a service across one of these is not
# what is compared.
_OPERAND_END = re.compile(r"[);:,\u2013\u2014]|=>|\s-\s")
_WORD = re.compile(r"[A-Za-z0-9~]+")
# A left operand that is a name, not the note's subject described ("SMS vs Lambda").
_NAME = re.compile(r"\s*(?:[A-Z0-9][\w.-]*\s*){1,2}\Z")
# How far from its cue an operand may be (characters).
_REACH = 120
# What may follow a comparison cue that leaves its other side to the note's subject: nothing,
# or a pronoun, up to the operand's end.
_BARE_END = re.compile(
    r"\s*(?:(?:it|this|that|them|these|those|one|ones|before|previously)\b)?\W*"
    rf"(?:$|{_OPERAND_END.pattern})",
    re.I,
)


def _left_operand(s: _Sentence, cue: re.Match[str], before: Mention | None) -> str | None:
    """The service compared on the left of a "vs": the one just before it, or the topic.

    Without a service in its clause, the left operand is the note's subject described ("vs
    EC2", "real time vs Firehose") unless it names something else ("SMS vs Lambda vs Email"
    compares channels, and the SNS note's subject with none of them). ``before`` is the last
    mention ending before the cue.
    """
    # Only the cue's own neighbourhood is read, so a line of 20,000 "vs" costs linear time.
    lo = max(0, cue.start() - _REACH)
    if before is not None and _near_left(s, cue, before):
        return before.service
    clause = _OPERAND_END.split(s.text[lo : cue.start()])[-1]
    return None if _WORD.search(clause) and _NAME.match(clause) else s.topic


def _near_left(s: _Sentence, cue: re.Match[str], before: Mention) -> bool:
    """Whether a service before a cue stands in the cue's clause, within reach."""
    end = before.end - s.start
    return cue.start() - end <= _REACH and not _OPERAND_END.search(s.text, end, cue.start())


def _right_operand(s: _Sentence, cue: re.Match[str], after: Mention | None) -> str | None:
    """The service compared on the right of a cue: the first after it, in the same clause."""
    if after is None or after.start - s.start - cue.end() > _REACH:
        return None
    if _OPERAND_END.search(s.text, cue.end(), after.start - s.start):
        return None
    return after.service


def _chosen_after(s: _Sentence, right: list[Mention]) -> str | None:
    """The service a sentence opening on a comparison cue goes on to choose, past a comma."""
    if len(right) < 2:
        return None
    lo, hi = right[0].end - s.start, right[1].start - s.start
    comma = s.text.find(",", lo, hi)
    return right[1].service if comma >= 0 and hi - comma <= _REACH else None


def _vs_chain(s: _Sentence, cues: _Cues) -> list[str]:
    """The services a sentence's "vs" cues compare, in order ("A vs B vs C": A, B, C)."""
    ends = [m.end - s.start for m in s.mentions]
    starts = [m.start - s.start for m in s.mentions]
    chain: list[str | None] = []
    for m in cues.vs.finditer(s.text):
        i = bisect.bisect_right(ends, m.start())
        j = bisect.bisect_left(starts, m.end())
        before = s.mentions[i - 1] if i else None
        after = s.mentions[j] if j < len(s.mentions) else None
        chain += [_left_operand(s, m, before), _right_operand(s, m, after)]
    return [c for c in dict.fromkeys(chain) if c]


def _alternatives(s: _Sentence, out: _Collector, cues: _Cues) -> None:
    weight = cues.weights["explicit"]
    m: re.Match[str] | None
    members = _vs_chain(s, cues)
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            out.add(a, "alternative-to", b, s, "vs", weight)
    if (m := _first(cues.also, s.text)) and (left := _split_at(s, m)[0]):
        out.add(left[-1].service, "alternative-to", s.topic, s, m.group(0), weight)
    if m := _first(cues.options, s.text):
        after = _services(_split_at(s, m)[1])
        if len(after) == 1 and s.topic:
            after.insert(0, s.topic)  # "the difference between this and KPL"
        for i, a in enumerate(after):
            for b in after[i + 1 :]:
                out.add(a, "alternative-to", b, s, m.group(0), weight)
    for m in _NOT_THIS.finditer(s.text):
        left, right = _split_at(s, m)
        if left and right and right[0].start - s.start - m.end() <= _NOT_THIS_GAP:
            chosen = _services(left) if _is_list(s, left) else _services(left[-1:])
            for a in chosen:
                out.add(a, "alternative-to", right[0].service, s, "not", cues.weights["exam"])
    if m := _first(cues.between, s.text):
        left, following = _split_at(s, m)
        right = [x for x in following if x.service not in {y.service for y in left}]
        other = _right_operand(s, m, right[0] if right else None)
        if left and not _near_left(s, m, left[-1]):
            left = []  # "Lambda polls; instead of SNS ..." leaves the left side to the topic
        if left and other:
            out.add(left[-1].service, "alternative-to", other, s, m.group(0), weight)
        elif other and not left and (choice := _chosen_after(s, right)):
            # "Instead of Elastic IPs, use Route 53": the clause after the comma holds the choice.
            out.add(choice, "alternative-to", other, s, m.group(0), weight)
        elif other and not left:
            out.add(s.topic, "alternative-to", other, s, m.group(0), weight)
        elif left and not following and _BARE_END.match(s.text, m.end()):
            # "Use SQS instead." compares with the note's subject; "compared to a reference"
            # compares with the reference.
            out.add(s.topic, "alternative-to", left[-1].service, s, m.group(0), weight)


# Between a verb's object and its partner: "ALB with WAF", "SQS queues to Lambda functions".
_PARTNER = re.compile(
    r"\s*(?:(?!(?:and|or|then)\b)[\w-]+\s+){0,2}?(?:with|to|into)\s+(?:(?:the|an?|your|our|its)\s+)?\Z",
    re.I,
)
# Between the verb and its object: at most an article ("integrate the ALB with ...").
_OBJECT = re.compile(r"\s*(?:(?:the|an?|your|our|its)\s+)?\Z", re.I)
_ENDS_IN_PARTNER = re.compile(r"\b(?:with|to|into|and)\s*\Z", re.I)


def _object_then_partner(s: _Sentence, cue: re.Match[str], right: list[Mention]) -> bool:
    """Whether a bare verb cue takes the first service as object and the second as partner."""
    a, b = right[0], right[1]
    return (
        not _ENDS_IN_PARTNER.search(cue.group(0))
        and bool(_OBJECT.match(s.text[cue.end() : a.start - s.start]))
        and bool(_PARTNER.match(s.text[a.end - s.start : b.start - s.start]))
    )


def _integrations(s: _Sentence, out: _Collector, cues: _Cues, heading: bool) -> None:
    services = _services(s.mentions)
    for patterns, weight, most, topical in (
        (cues.strong, cues.weights["explicit"], 99, True),
        (cues.medium, cues.weights["medium"], 3, False),
    ):
        if len(services) > most or (cue := _cue(patterns, s)) is None:
            continue
        left, right = _split_at(s, cue)
        right = _clause(s, right)
        anchors = _services(left) if left and _is_list(s, left) else _services(left[-1:])
        if left and s.topic and _PRONOUN.search(s.text, left[-1].end - s.start, cue.start()):
            anchors = [s.topic]  # "When outside the VPC, they can access S3": they = the topic
        if not left and len(right) > 1 and _object_then_partner(s, cue, right):
            # "integrate ALB with WAF", "connect SQS queues to Lambda": the verb's object and
            # its partner, whatever the note is about.
            anchors, right = [right[0].service], right[1:2]
        elif not anchors and s.topic and (topical or _subjectless(s)) and not heading:
            anchors = [s.topic]
        if not right and len(left) > 1 and not _is_list(s, left):
            right, anchors = left[1:], [left[0].service]
        elif not right and left and s.topic and (_subjectless(s) or topical) and not heading:
            right, anchors = left, [s.topic]
        found = False
        for target in right:
            lo = left[-1].end if left else s.start + cue.start()
            if _negated(s, lo, target.start, cues):
                continue
            for a in anchors:
                out.add(a, "integrates-with", target.service, s, cue.group(0), weight)
                found = True
        if found or _negated(s, s.start, s.end, cues):
            return
    if heading:
        return
    _sibling_options(s, out, cues)
    if any(_first(p, s.text) for p in (cues.also, cues.between, cues.options, cues.answer)):
        return  # a sentence weighing options states no partnership by co-mention alone
    if len(services) == 2 and _either(s):
        out.add(services[0], "alternative-to", services[1], s, "or", cues.weights["implicit"])
    elif _negated(s, s.start, s.end, cues):
        return
    elif len(services) == 2 and not _is_list(s, list(s.mentions)):
        rel = "alternative-to" if out.siblings(*services) else "integrates-with"
        out.add(services[0], rel, services[1], s, "", cues.weights["implicit"])
    elif len(services) == 1 and s.topic and _subjectless(s):
        out.add(s.topic, "integrates-with", services[0], s, "", cues.weights["implicit"])


def _arrows(s: _Sentence, out: _Collector, cues: _Cues) -> None:
    """A flow drawn with arrows: "KDS -> Firehose -> S3", "object created -> SQS, SNS".

    Each arrow joins the service just before it (a word or two may stand between, as in
    "route53 alias ->"; at the start of a fragment, the heading's service) with the service
    just after it and any listed with it. ``=>`` reads as "so" in notes and joins nothing, and
    the steps of a click path (:func:`graph_data.candidates.click_paths`) are no flow.
    """
    text, mentions = s.text, s.mentions
    paths = click_paths(text)
    path_starts = [a for a, _ in paths]
    starts = [m.start - s.start for m in mentions]
    ends = [m.end - s.start for m in mentions]
    for arrow in _FLOW_ARROW.finditer(text):
        a0, a1 = arrow.span()
        k = bisect.bisect_right(path_starts, a0) - 1
        if k >= 0 and a0 < paths[k][1]:
            continue  # a step of a click path through the console, not a flow
        j = bisect.bisect_left(starts, a1)
        near = j < len(mentions) and starts[j] - a1 <= _ARROW_GAP
        if not near or not _LEAD_GAP.match(text, a1, starts[j]):
            continue
        i = bisect.bisect_right(ends, a0) - 1
        close = i >= 0 and a0 - ends[i] <= 2 * _ARROW_GAP
        if close and len(_WORDS.findall(text, ends[i], a0)) <= 2:
            source = mentions[i].service
        elif a0 <= _ARROW_GAP * 2 and len(_WORDS.findall(text, 0, a0)) <= 3 and s.topic:
            source = s.topic
        else:
            continue
        listed = [j]
        # The services listed after the arrow ("-> SQS, SNS or Lambda"), a few at most.
        while len(listed) <= _WINDOW and listed[-1] + 1 < len(mentions):
            nxt = listed[-1] + 1
            if not _LIST_GLUE.match(text[ends[listed[-1]] : starts[nxt]]):
                break
            listed.append(nxt)
        for n in listed:
            out.add(
                source,
                "integrates-with",
                mentions[n].service,
                s,
                arrow.group(0),
                cues.weights["medium"],
            )


def _subjectless(s: _Sentence) -> bool:
    """A note fragment whose subject is left to the heading: "This uses ...", "Need ..."."""
    return bool(_SUBJECTLESS.match(s.text))


def _sibling_options(s: _Sentence, out: _Collector, cues: _Cues) -> None:
    """Two kinds of one family in a sentence are options ("use Redis ..., Memcached is ...").

    Kinds listed with "and" or commas only ("standard, IA, glacier") are an enumeration.
    """
    for i, a in enumerate(s.mentions):
        for b in s.mentions[i + 1 : i + 1 + _WINDOW]:
            if a.service == b.service or not out.siblings(a.service, b.service):
                continue
            gap = s.text[a.end - s.start : b.start - s.start]
            if _LIST_GLUE.match(gap) and not re.search(r"\bor\b", gap):
                continue
            out.add(a.service, "alternative-to", b.service, s, "kinds", cues.weights["implicit"])


def _either(s: _Sentence) -> bool:
    """Two services offered as a choice: "A or B" (not "A and B", not a longer list)."""
    a, b = s.mentions[0], s.mentions[-1]
    gap = s.text[a.end - s.start : b.start - s.start]
    return bool(re.fullmatch(r",?\s*(?:or|or\s+even|or\s+else)\s+(?:an?\s+|the\s+)?", gap))


def _subject_group(s: _Sentence, context: tuple[str, ...], answer: str | None) -> list[str]:
    """The options a sentence weighs: each clause's first mention (with list-mates).

    Services named in the heading path are the question's context, not options, unless a
    clause names nothing else.
    """
    found: list[str] = []
    bounds = [0, *(m.end() for m in _CLAUSE_SPLIT.finditer(s.text)), len(s.text)]
    for lo, hi in itertools.pairwise(bounds):
        inside = [i for i, m in enumerate(s.mentions) if lo <= m.start - s.start < hi]
        for n, i in enumerate(inside):
            m = s.mentions[i]
            if m.service != answer and (m.service not in context or n == len(inside) - 1):
                found += [x.service for x in _list_at(s, i) if x.service != answer]
                break
    return list(dict.fromkeys(found))


def _exam_answers(
    lp: LinkedPassage, sentences: list[_Sentence], out: _Collector, cues: _Cues
) -> None:
    """Exam prose: "X will not work ..., Y is the right answer" makes X an alternative to Y.

    Rejections are paired with the next answer in the same line, or with the last one.
    """
    by_line: dict[int, list[_Sentence]] = defaultdict(list)
    for s in sentences:
        by_line[s.line].append(s)
    for group in by_line.values():
        pending: list[_Sentence] = []
        answer = None
        for s in group:
            found = _answer(s, cues)
            if found:
                answer = found
                for r in pending:
                    _reject(lp, r, answer, out, cues)
                pending = []
                _reject_before_answer(lp, s, answer, out, cues)
            elif s.mentions:
                if answer:
                    _reject(lp, s, answer, out, cues)
                else:
                    pending.append(s)


def _answer(s: _Sentence, cues: _Cues) -> str | None:
    m = _first(cues.answer, s.text)
    if not m or not s.mentions:
        return None
    left, right = _split_at(s, m)
    points_ahead = ("the", "here", "should", "must", "right", "correct", "best", "only", "possible")
    if left and not m.group(0).lower().startswith(points_ahead):
        return left[-1].service
    return right[0].service if right else (left[-1].service if left else None)


def _reject_before_answer(
    lp: LinkedPassage, s: _Sentence, answer: str, out: _Collector, cues: _Cues
) -> None:
    """ "X would bypass Y, therefore we should use Z": X, rejected in the same sentence."""
    m = _first(cues.answer, s.text)
    if m is None:
        return
    before = s.text[: m.start()]
    if not _first(cues.reject, before):
        return
    early = [x for x in s.mentions if x.end - s.start <= m.start()]
    if early and early[0].service != answer and early[0].service not in lp.context:
        group = [x.service for x in _list_at(s, s.mentions.index(early[0]))]
        for rejected in group:
            if rejected != answer:
                out.options[s.line] |= {rejected, answer}
                out.add(rejected, "alternative-to", answer, s, "exam answer", cues.weights["exam"])


def _reject(lp: LinkedPassage, s: _Sentence, answer: str, out: _Collector, cues: _Cues) -> None:
    for rejected in _subject_group(s, lp.context, answer):
        out.options[s.line] |= {rejected, answer}
        out.add(rejected, "alternative-to", answer, s, "exam answer", cues.weights["exam"])


def _table(lp: LinkedPassage, sentences: list[_Sentence], out: _Collector, cues: _Cues) -> None:
    """A Markdown table whose header cells name services compares them: alternatives."""
    header = sentences[0] if sentences else None
    # Only the first line is the header: a row naming two services ("| S3 | Lambda |" under
    # "| Source | Target |") compares nothing.
    if header is None or header.line != lp.passage.line or "|" not in header.text:
        _compared_rows(lp, sentences, out, cues)
        return
    cells, pos = [], header.start
    starts = [m.start for m in header.mentions]
    for cell in header.text.split("|"):
        lo = bisect.bisect_left(starts, pos)
        inside = list(header.mentions[lo : bisect.bisect_left(starts, pos + len(cell))])
        pos += len(cell) + 1
        rest = cell
        for m in inside:
            rest = rest.replace(m.surface, "")
        if len(_services(inside)) == 1 and len(rest.split()) <= 2:
            cells.append(inside[0].service)
    cells = list(dict.fromkeys(cells))
    for i, a in enumerate(cells):
        for b in cells[i + 1 : i + 1 + _WINDOW]:
            out.add(a, "alternative-to", b, header, "comparison table", cues.weights["heading"])
    if not cells:
        _compared_rows(lp, sentences, out, cues)


def _compared_rows(
    lp: LinkedPassage, sentences: list[_Sentence], out: _Collector, cues: _Cues
) -> None:
    """Rows whose first cells each name a service, under a header naming none: alternatives."""
    first = lp.passage.text.split("\n", 1)[0]
    header = [m for m in lp.mentions if m.start < len(first)]
    if names_a_flow(first) or row_owner(first, header):
        return
    rows: dict[int, _Sentence] = {}
    for s in sentences:
        rows.setdefault(s.line, s)
    owners, busy = [], 0
    for s in rows.values():
        shifted = [
            Mention(m.service, m.start - s.start, m.end - s.start, m.surface) for m in s.mentions
        ]
        if s.line != lp.passage.line and (m := row_owner(s.text, shifted)):
            owners.append((s, m.service))
            busy += any(x.service != m.service for x in shifted)
    # Rows that all name other services ("| S3 | Lambda |" under "| Source | Target |") pair
    # them, not their first cells.
    if busy == len(owners):
        return
    # Each service is compared from its first row, as the candidates are.
    firsts: dict[str, tuple[_Sentence, str]] = {}
    for s, b in owners:
        firsts.setdefault(b, (s, b))
    owners = list(firsts.values())
    for j, (s, b) in enumerate(owners):
        for _, a in owners[max(0, j - _WINDOW) : j]:
            out.add(a, "alternative-to", b, s, "comparison table", cues.weights["heading"])


def _siblings(sentences: list[_Sentence], out: _Collector, cues: _Cues) -> None:
    """Sibling bullets marking one service legacy and another newer: the newer replaces it."""
    old = [s.mentions[0].service for s in sentences if s.mentions and cues.retired.search(s.text)]
    new = [
        (s, s.mentions[0].service) for s in sentences if s.mentions and cues.newer.search(s.text)
    ]
    for s_new, successor in new:
        for retired in old:
            out.add(successor, "replaces", retired, s_new, "newer/legacy", cues.weights["explicit"])


def find_relations(
    lp: LinkedPassage,
    families: Mapping[str, str] | None = None,
    variants: Collection[str] = (),
) -> list[Verdict]:
    """All relation findings stated in one linked passage, one per pair, relation and line.

    ``families`` maps a variant or member id to its family id and ``variants`` names the kinds
    (see ``Catalog.families`` and ``Catalog.variants``): nothing is related to its own family,
    and two kinds of one family are alternatives, never integrations.
    """
    cues = _cues()
    out = _Collector(lp.passage.file, families or {}, variants)
    sentences = [s for s in _sentences(lp) if s.mentions or s.topic]
    if lp.passage.kind == "table" or lp.passage.text.lstrip().startswith("|"):
        _table(lp, sentences, out, cues)
        return list(out.found.values())
    _siblings(sentences, out, cues)
    earlier: list[Mention] = []
    line: list[Mention] = []
    for k, s in enumerate(sentences):
        if k and sentences[k - 1].line != s.line:
            line = []
        _replaces(s, earlier, out, cues, line)
        _alternatives(s, out, cues)
        earlier += s.mentions
        line += s.mentions
    _exam_answers(lp, sentences, out, cues)
    heading = lp.passage.kind == "heading"
    for s in sentences:
        _arrows(s, out, cues)
        _integrations(s, out, cues, heading)
    return list(out.found.values())
