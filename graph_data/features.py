"""Features of a relation candidate: the words and structure a scorer weighs.

Features are named strings (value 1.0) so that a trained model reads as a table of weights.
Text features are computed in regions around the two mentions (``pre`` before the first,
``btw`` between them, ``post`` after the second, ``ctx`` the parent or previous line, ``hd`` the
heading) and are prefixed by the candidate's structure group, so that a word can weigh
differently in a sentence naming both services and in a terse bullet under a topic. Cue
families come from ``data/cues.toml``; the catalog adds what it knows of the two services.

Examples
--------
>>> from graph_data.candidates import Candidate
>>> c = Candidate("sns", "sqs", "n.md", 1, "sentence", "SNS integrates with SQS",
...               (0, 3), (20, 23), 2)
>>> sorted(f for f in candidate_features(c) if f.startswith("pair:btw:fam"))
['pair:btw:fam:integrates', 'pair:btw:fam:with']
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from graph_data.candidates import Candidate

__all__ = [
    "FEATURES_VERSION",
    "CatalogFacts",
    "bare",
    "candidate_features",
    "cue_families",
    "families_in",
]

#: Bumped whenever a feature's meaning changes: trained weights name the version they fit.
FEATURES_VERSION = 2

_TOKEN = re.compile(r"[a-z0-9][a-z0-9'@-]*|=>|->|<-|[:(),/|?]")
_GLUE = re.compile(r"^(?:[\s,/&+()\-]|\band\b|\bor\b|\betc\b\.?|\.\.\.)*$", re.I)
_OR = re.compile(r"^\W*(?:or|or\s+even|or\s+else|/)\W*$", re.I)
_SUBJECTLESS = re.compile(
    r"^\W*(?:this|it|they|these|its|their|we|you|use|uses|used|need|needs|can|could|allows?|"
    r"lets?|supports?|requires?|provides?|works?|integrat\w*|send\w*|deliver\w*|stor\w*|"
    r"trigger\w*|invok\w*|push\w*|stream\w*|export\w*|import\w*|connect\w*|combine\w*)\b",
    re.I,
)
_MAX_TOKENS = 12
# A line this long is not a bare list item.
_BARE_CHARS = 200
_PRE_CHARS = 60
_POST_CHARS = 40
# The words right after a mention say what it does ("S3 to trigger", "SQS queue"); further on,
# they belong to the next clause.
_POST_WORDS = 4


@dataclass(frozen=True, slots=True)
class CatalogFacts:
    """What the catalog knows that bears on a pair: families, kinds and categories."""

    parents: Mapping[str, str]
    families: Mapping[str, str]
    variants: frozenset[str]
    categories: Mapping[str, str]

    @classmethod
    def of(cls, catalog) -> CatalogFacts:
        """The facts of a :class:`~graph_data.catalog.Catalog`."""
        return cls(
            {sid: s.parent for sid, s in catalog.items() if s.parent},
            catalog.families(),
            catalog.variants(),
            {sid: s.category for sid, s in catalog.items()},
        )

    def ancestors(self, sid: str) -> list[str]:
        """Parent, grandparent, ... of an entry."""
        found: list[str] = []
        parent = self.parents.get(sid)
        while parent and parent not in found:
            found.append(parent)
            parent = self.parents.get(parent)
        return found


@cache
def cue_families() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(family name, one pattern for the family) for every cue family in ``data/cues.toml``."""
    raw = tomllib.loads(resources.files("graph_data").joinpath("data/cues.toml").read_text("utf-8"))
    out = []
    for family, patterns in raw["families"].items():
        out.append((family, re.compile("|".join(f"(?:{p})" for p in patterns), re.I)))
    return tuple(out)


@lru_cache(maxsize=8192)
def _spans(text: str) -> tuple[tuple[int, ...], tuple[tuple[int, int, str], ...]]:
    """Every cue family match in a text, by start (a sentence serves many candidates' regions)."""
    found = sorted(
        (m.start(), m.end(), name)
        for name, pattern in cue_families()
        for m in pattern.finditer(text)
    )
    return tuple(a for a, _, _ in found), tuple(found)


def families_in(text: str, lo: int = 0, hi: int | None = None) -> set[str]:
    """The cue families matched inside ``text[lo:hi]``."""
    hi = len(text) if hi is None else hi
    starts, spans = _spans(text)
    out = set()
    for k in range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)):
        if spans[k][1] <= hi:
            out.add(spans[k][2])
    return out


def bare(text: str, start: int, end: int) -> bool:
    """Whether a short text names nothing but the mention at ``text[start:end]`` (and list glue)."""
    return (
        len(text) <= _BARE_CHARS
        and bool(_GLUE.match(text[:start]))
        and bool(_GLUE.match(text[end:].rstrip(".:; ")))
    )


def _tokens(text: str) -> list[str]:
    words = _TOKEN.findall(text.lower())
    if len(words) > _MAX_TOKENS:
        words = words[: _MAX_TOKENS // 2] + words[-_MAX_TOKENS // 2 :]
    return words


def _bucket(n: int, bounds: tuple[int, ...]) -> str:
    for b in bounds:
        if n <= b:
            return str(b)
    return f">{bounds[-1]}"


def _region(
    out: dict[str, float],
    prefix: str,
    text: str,
    lo: int = 0,
    hi: int | None = None,
    words: bool | int = True,
) -> None:
    """Cue families of ``text[lo:hi]`` and its words (all, none, or the first ``words``)."""
    if lo == 0 and hi is None:
        out.update(dict.fromkeys(_whole(prefix, text, words), 1.0))
        return
    for fam in families_in(text, lo, hi):
        out[f"{prefix}:fam:{fam}"] = 1.0
    for w in _words(text[lo:hi], words):
        out[f"{prefix}:w:{w}"] = 1.0


def _words(text: str, words: bool | int) -> list[str]:
    if words is True:
        return _tokens(text)
    return _TOKEN.findall(text.lower())[: int(words)]


@lru_cache(maxsize=4096, typed=True)  # typed: words=True is not words=1
def _whole(prefix: str, text: str, words: bool | int) -> tuple[str, ...]:
    """The feature names of a whole text's region: a heading or label serves many candidates."""
    fams = [f"{prefix}:fam:{fam}" for fam in sorted(families_in(text))]
    return (*fams, *(f"{prefix}:w:{w}" for w in _words(text, words)))


def _catalog(out: dict[str, float], c: Candidate, facts: CatalogFacts) -> None:
    a, b = c.first, c.second
    if b in facts.ancestors(a) or a in facts.ancestors(b):
        out["cat:lineage"] = 1.0
    if facts.families.get(a) and facts.families.get(a) == facts.families.get(b):
        out["cat:family-mates"] = 1.0
        if a in facts.variants and b in facts.variants:
            out["cat:kinds"] = 1.0
    pa, pb = facts.parents.get(a), facts.parents.get(b)
    if pa and pa == pb:
        out["cat:siblings"] = 1.0
    ca, cb = facts.categories.get(a), facts.categories.get(b)
    if ca and ca == cb:
        out["cat:same-category"] = 1.0
        out[f"cat:both:{ca}"] = 1.0
    for end, sid in (("a", a), ("b", b)):
        if sid in facts.variants:
            out[f"cat:{end}:kind"] = 1.0
        if sid in facts.parents:
            out[f"cat:{end}:part"] = 1.0


def candidate_features(c: Candidate, facts: CatalogFacts | None = None) -> dict[str, float]:
    """The named features of one candidate."""
    topical = c.first_span is None
    group = "topic" if topical else "pair"
    out: dict[str, float] = {"bias": 1.0, f"s:{c.structure}": 1.0}
    out[f"{group}:n:{_bucket(c.services, (1, 2, 3, 5))}"] = 1.0
    out[f"{group}:share:{_bucket(round(c.share * 100), (2, 5, 10, 20, 40))}"] = 1.0
    b0, b1 = c.second_span
    text = c.text
    if topical:
        _region(out, "topic:pre", text, max(0, b0 - _PRE_CHARS), b0)
        _region(out, "topic:post", text, b1, b1 + _POST_CHARS, words=_POST_WORDS)
        _region(out, "topic:sent", text, words=False)
        lead = len(_TOKEN.findall(text[max(0, b0 - _PRE_CHARS) : b0].lower()))
        out[f"topic:pos:{_bucket(lead, (0, 1, 3, 6))}"] = 1.0
        out[f"topic:gap:{_bucket(c.topic_gap, (-1, 0, 1, 3, 10, 30))}"] = 1.0
        out[f"topic:share:{_bucket(round(c.share * 100), (2, 5, 10, 20, 40))}"] = 1.0
        if _SUBJECTLESS.match(text):
            out["topic:subjectless"] = 1.0
        if bare(text, b0, b1):
            out["topic:bare"] = 1.0  # the line names nothing but the service(s)
    elif c.first_span is not None:
        a0, a1 = c.first_span
        between = text[a1:b0]
        _region(out, "pair:pre", text, max(0, a0 - _PRE_CHARS), a0)
        _region(out, "pair:btw", text, a1, b0)
        _region(out, "pair:post", text, b1, b1 + _POST_CHARS, words=_POST_WORDS)
        gap = len(_tokens(between))
        out[f"pair:gap:{_bucket(gap, (0, 1, 2, 4, 8, 16))}"] = 1.0
        if _GLUE.match(between):
            out["pair:glue"] = 1.0
        if _OR.match(between):
            out["pair:or"] = 1.0
        if a0 <= 12:
            out["pair:first-leads"] = 1.0
    if c.context:
        _region(out, f"{group}:ctx", c.context, words=False)
        if c.context.rstrip().endswith(":"):
            out[f"{group}:ctx:label"] = 1.0
    if c.heading:
        # A heading's words say what its lines are about ("Event source", "Limits").
        _region(out, f"{group}:hd", c.heading)
    if "?" in text:
        out["q"] = 1.0
    if facts is not None:
        _catalog(out, c, facts)
    return out
