"""Study gaps: what a student's notes do not cover yet, against the exam they prepare for.

The exam scopes ship as package data (``data/exams.toml``): for each AWS Certification exam, the
in-scope services of its guide as catalog ids, and its content domains with their weights and
the services their task statements name. :func:`find_gaps` holds a knowledge graph (see
:mod:`graph_data.graph`) against one scope and reports, each row with the reason it is there:

* **missing**: in-scope services the notes never name;
* **unrelated**: named, but related to no other service;
* **one-line**: related, but by a single line of evidence;
* **domain** and **category**: exam domains and service categories whose in-scope services the
  notes cover markedly less than the scope as a whole: domains by the share of the exam whose
  services the notes never name, categories thinnest first.

A service counts as named when it or one of its kinds or parts is (the catalog's ``parent``
links): notes about Kinesis Data Streams and Firehose do cover Amazon Kinesis.

Examples
--------
>>> from graph_data.graph import build_graph
>>> from graph_data.records import Evidence, Relation
>>> cat = load_catalog()
>>> ev = Evidence("n.md", 3, "SNS fans out to SQS", "fan out", 0.8)
>>> G = build_graph(cat, [Relation("sns", "integrates-with", "sqs", (ev,), 0.8)],
...                 {"sns": (2, ["n.md"]), "sqs": (1, ["n.md"]), "ec2": (4, ["n.md"])})
>>> gaps = find_gaps(G, "saa")
>>> gaps.exam.code, gaps.covered, gaps.in_scope
('SAA-C03', 3, 117)
>>> [(g.service, g.kind) for g in gaps.unrelated + gaps.one_line]
[('ec2', 'unrelated'), ('sns', 'one-line'), ('sqs', 'one-line')]
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import networkx as nx

from graph_data.catalog import Catalog, load_catalog

__all__ = [
    "GAP_KINDS",
    "KIND_TITLES",
    "AreaGap",
    "Domain",
    "Exam",
    "ExamDataError",
    "Gaps",
    "ServiceGap",
    "UnknownExam",
    "exam_codes",
    "find_gaps",
    "format_gaps",
    "gaps_json",
    "get_exam",
    "load_exams",
    "scope_services",
]

#: The kinds of gap, in the order they are reported.
GAP_KINDS: tuple[str, ...] = ("missing", "unrelated", "one-line", "domain", "category")

#: A heading for each kind of gap.
KIND_TITLES: Mapping[str, str] = {
    "missing": "Never in your notes",
    "unrelated": "Named, but related to nothing",
    "one-line": "Related by one line only",
    "domain": "Thin exam domains",
    "category": "Thin categories",
}

#: A domain or category is thin when the notes name this much less of it than of the scope...
THIN_MARGIN = 0.10
#: ...or less than this share of it at all.
THIN_FLOOR = 0.5
#: Categories with fewer in-scope services than this are too small to call thin.
MIN_CATEGORY = 3


class UnknownExam(LookupError):
    """No exam scope has this code; ``known`` holds the codes there are."""

    def __init__(self, code: str, known: Iterable[str]) -> None:
        super().__init__(code)
        self.code = code
        self.known = tuple(known)

    def __str__(self) -> str:
        return f"unknown exam {self.code!r} (known: {', '.join(self.known)})"


class ExamDataError(ValueError):
    """The exam scope data is invalid (domain weights not summing to 100, say)."""


@dataclass(frozen=True, slots=True)
class Domain:
    """A content domain of an exam: its number, name, weight (% of scored content) and services."""

    number: int
    name: str
    weight: int
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Exam:
    """One exam guide's scope: its in-scope services (catalog ids) and weighted domains."""

    code: str
    name: str
    version: str
    date: str
    url: str
    services: tuple[str, ...]
    domains: tuple[Domain, ...]
    not_in_catalog: tuple[str, ...] = ()
    retired: str = ""
    successor: str = ""

    @property
    def title(self) -> str:
        """The code and the certification's name, for a list of exams."""
        return f"{self.code} · {self.name.removeprefix('AWS Certified ')}"

    def domains_of(self, sid: str) -> tuple[int, ...]:
        """The numbers of the domains whose task statements name ``sid``."""
        return tuple(d.number for d in self.domains if sid in d.services)


@dataclass(frozen=True, slots=True)
class ServiceGap:
    """An in-scope service the notes cover thinly, and why it is listed.

    ``mentions``, ``files``, ``relations`` and ``lines`` count the service with its kinds and
    parts; ``query`` is the search that shows what the notes do say of it.
    """

    kind: str
    service: str
    name: str
    short: str
    category: str
    domains: tuple[int, ...]
    mentions: int
    files: int
    relations: int
    lines: int
    reason: str
    query: str


@dataclass(frozen=True, slots=True)
class AreaGap:
    """An exam domain or a category the notes cover less than the scope as a whole, and why.

    ``weight`` is the domain's share of the exam, or the category's share of the in-scope
    services, in per cent; ``missing`` holds its in-scope services the notes never name.
    """

    kind: str
    name: str
    number: int
    weight: float
    in_scope: int
    covered: int
    missing: tuple[str, ...]
    reason: str

    @property
    def share(self) -> float:
        """The share of its in-scope services the notes name (0 to 1)."""
        return self.covered / self.in_scope if self.in_scope else 1.0

    @property
    def at_risk(self) -> float:
        """Per cent of the exam (or of the scope) whose services the notes never name."""
        return self.weight * (1 - self.share)


@dataclass(frozen=True, slots=True)
class Gaps:
    """What the notes do not cover yet of one exam's scope, by kind of gap."""

    exam: Exam
    in_scope: int
    covered: int
    missing: tuple[ServiceGap, ...]
    unrelated: tuple[ServiceGap, ...]
    one_line: tuple[ServiceGap, ...]
    domains: tuple[AreaGap, ...]
    categories: tuple[AreaGap, ...]

    def by_kind(self) -> dict[str, tuple[ServiceGap, ...] | tuple[AreaGap, ...]]:
        """Every kind of :data:`GAP_KINDS` with its rows, in that order."""
        return {
            "missing": self.missing,
            "unrelated": self.unrelated,
            "one-line": self.one_line,
            "domain": self.domains,
            "category": self.categories,
        }

    @property
    def summary(self) -> str:
        """One sentence: how much of the scope the notes name."""
        pct = round(100 * self.covered / self.in_scope) if self.in_scope else 100
        return (
            f"Your notes name {self.covered} of the {self.in_scope} services in the "
            f"{self.exam.code} scope ({pct}%)."
        )


# ---------------------------------------------------------------------------------- exam data


def _read(path: Path | None) -> dict:
    if path is None:
        text = resources.files("graph_data").joinpath("data/exams.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ExamDataError(f"the exam scopes cannot be read: {exc}") from exc


def _exam(raw: Mapping) -> Exam:
    try:
        code = str(raw["code"])
        services = tuple(raw["services"])
        domains = tuple(
            Domain(int(d["number"]), str(d["name"]), int(d["weight"]), tuple(d["services"]))
            for d in raw["domains"]
        )
        exam = Exam(
            code=code,
            name=str(raw["name"]),
            version=str(raw.get("version", "")),
            date=str(raw.get("date", "")),
            url=str(raw.get("url", "")),
            services=services,
            domains=domains,
            not_in_catalog=tuple(raw.get("not_in_catalog", ())),
            retired=str(raw.get("retired", "")),
            successor=str(raw.get("successor", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ExamDataError(f"an exam scope is incomplete: {exc!r}") from exc
    problems = []
    if len(set(services)) != len(services):
        problems.append("a service is listed twice")
    total = sum(d.weight for d in domains)
    if total != 100:
        problems.append(f"its domain weights sum to {total}, not 100")
    outside = sorted({s for d in domains for s in d.services} - set(services))
    if outside:
        problems.append(f"domains name services outside its scope: {', '.join(outside)}")
    if problems:
        raise ExamDataError(f"{code}: " + "; ".join(problems))
    return exam


@cache
def _default() -> dict[str, Exam]:
    return _load(None)


def _load(path: Path | None) -> dict[str, Exam]:
    exams = [_exam(raw) for raw in _read(path).get("exam", ())]
    return {e.code: e for e in exams}


def load_exams(path: Path | None = None) -> dict[str, Exam]:
    """The bundled exam scopes (cached), or those read from ``path``: code -> :class:`Exam`.

    Raises :class:`ExamDataError` when the data is invalid.

    Examples
    --------
    >>> exams = load_exams()
    >>> exams["SAA-C03"].name
    'AWS Certified Solutions Architect - Associate'
    >>> [(d.number, d.weight) for d in exams["SAA-C03"].domains]
    [(1, 30), (2, 26), (3, 24), (4, 20)]
    """
    return dict(_default()) if path is None else _load(path)


def exam_codes() -> tuple[str, ...]:
    """The codes of the bundled exam scopes, in the order of the data file.

    Examples
    --------
    >>> exam_codes()
    ('CLF-C02', 'SAA-C03', 'DVA-C02', 'SOA-C02', 'SOA-C03', 'SAP-C02')
    """
    return tuple(_default())


def get_exam(code: str) -> Exam:
    """The exam scope of ``code``: a full code in any case, or its first part ("saa").

    A first part shared by two versions means the one not retired. Raises :class:`UnknownExam`.

    Examples
    --------
    >>> get_exam("saa-c03").code, get_exam("SOA").code
    ('SAA-C03', 'SOA-C03')
    >>> get_exam("xyz")
    Traceback (most recent call last):
    ...
    graph_data.gaps.UnknownExam: unknown exam 'xyz' (known: CLF-C02, SAA-C03, ...)
    """
    exams = _default()
    key = code.strip().upper()
    if key in exams:
        return exams[key]
    current = [e for c, e in exams.items() if c.split("-")[0] == key and not e.retired]
    if len(current) == 1:
        return current[0]
    raise UnknownExam(code, exams)


# ---------------------------------------------------------------------------------- the gaps


@dataclass(frozen=True, slots=True)
class _Coverage:
    """What the notes hold of one in-scope service, its kinds and parts included."""

    members: tuple[str, ...]
    mentions: int
    files: int
    neighbours: tuple[str, ...]
    relations: int
    lines: int

    @property
    def named(self) -> bool:
        return self.mentions > 0 or self.relations > 0


def _descendants(catalog: Catalog) -> dict[str, set[str]]:
    children: dict[str, set[str]] = {}
    for s in catalog.values():
        if s.parent:
            children.setdefault(s.parent, set()).add(s.id)
    out: dict[str, set[str]] = {}

    def walk(sid: str, seen: set[str]) -> set[str]:
        for child in children.get(sid, ()):
            if child not in seen:
                seen.add(child)
                walk(child, seen)
        return seen

    for sid in children:
        out[sid] = walk(sid, set())
    return out


def scope_services(exam: str | Exam, catalog: Catalog | None = None) -> frozenset[str]:
    """The catalog ids an exam's scope covers: its in-scope services with their kinds and parts.

    >>> sorted(s for s in scope_services("saa") if s.startswith("kinesis"))[:3]
    ['kinesis', 'kinesis-agent', 'kinesis-connector-library']
    """
    exam = get_exam(exam) if isinstance(exam, str) else exam
    family = _descendants(catalog or load_catalog())
    return frozenset(exam.services).union(*(family.get(sid, set()) for sid in exam.services))


def _coverage(G: nx.MultiDiGraph, sid: str, family: set[str]) -> _Coverage:
    members = tuple(sorted((family | {sid}) & set(G)))
    inside = set(members)
    files: set[str] = set()
    mentions = 0
    for m in members:
        mentions += int(G.nodes[m].get("mentions", 0) or 0)
        files.update(G.nodes[m].get("files", ()) or ())
    neighbours: set[str] = set()
    lines: set[tuple[str, int]] = set()
    relations = 0
    # A relation inside the family (ALB vs NLB) says nothing of how the family fits the rest.
    for m in members:
        for u, v, data in [*G.out_edges(m, data=True), *G.in_edges(m, data=True)]:
            other = v if u == m else u
            if other in inside:
                continue
            relations += 1
            neighbours.add(other)
            lines.update((e["file"], e["line"]) for e in data.get("evidence", ()))
    return _Coverage(
        members, mentions, len(files), tuple(sorted(neighbours)), relations, len(lines)
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _short(G: nx.MultiDiGraph, catalog: Catalog, sid: str) -> str:
    if sid in catalog:
        return catalog[sid].short
    return str(G.nodes[sid].get("short", sid)) if sid in G else sid


def _service_gap(
    G: nx.MultiDiGraph, catalog: Catalog, exam: Exam, sid: str, cov: _Coverage
) -> ServiceGap | None:
    service = catalog.get(sid)
    name = service.name if service else sid
    short = service.short if service else sid
    category = service.category if service else "Other"
    domains = exam.domains_of(sid)
    # The search shows what the notes say; for a service named only through one of its kinds,
    # the kind most named is what the notes are about.
    named = [m for m in cov.members if int(G.nodes[m].get("mentions", 0) or 0) > 0]
    best = sid if sid in named or not named else max(named, key=lambda m: G.nodes[m]["mentions"])
    through = f" (as {_short(G, catalog, best)})" if best != sid else ""
    if not cov.named:
        kind = "missing"
        where = ""
        if domains:
            numbers = _and([str(d) for d in domains])
            where = f" (domain{'s' if len(domains) > 1 else ''} {numbers})"
        reason = f"In the {exam.code} scope{where}; your notes never name it."
    elif service is not None and service.tool:
        return None  # the AWS CLI or the console relates to nothing: named is covered
    elif cov.relations == 0:
        kind = "unrelated"
        reason = (
            f"Named {_plural(cov.mentions, 'time')} in {_plural(cov.files, 'file')}{through}, "
            "but no note relates it to another service."
        )
    elif cov.lines <= 1:
        kind = "one-line"
        others = _and([_short(G, catalog, n) for n in cov.neighbours[:3]])
        more = f" and {len(cov.neighbours) - 3} more" if len(cov.neighbours) > 3 else ""
        source = "one note line" if cov.lines else "your own correction, with no note line,"
        reason = f"Only {source} relates it{through} to another service: {others}{more}."
    else:
        return None
    return ServiceGap(
        kind=kind,
        service=sid,
        name=name,
        short=short,
        category=category,
        domains=domains,
        mentions=cov.mentions,
        files=cov.files,
        relations=cov.relations,
        lines=cov.lines,
        reason=reason,
        query=f"service:{best}",
    )


def _is_thin(share: float, overall: float) -> bool:
    return share < overall - THIN_MARGIN or share < THIN_FLOOR


def _area_gaps(
    exam: Exam, catalog: Catalog, named: set[str], overall: float
) -> tuple[tuple[AreaGap, ...], tuple[AreaGap, ...]]:
    pct = round(100 * overall)
    domains = []
    for d in exam.domains:
        if not d.services:
            continue
        covered = sum(1 for s in d.services if s in named)
        share = covered / len(d.services)
        if not _is_thin(share, overall):
            continue
        reason = (
            f"{d.weight}% of the exam, but your notes name {covered} of the "
            f"{len(d.services)} services its tasks cite ({round(100 * share)}%, "
            f"against {pct}% of the whole scope)."
        )
        missing = tuple(s for s in d.services if s not in named)
        domains.append(
            AreaGap("domain", d.name, d.number, d.weight, len(d.services), covered, missing, reason)
        )
    by_category: dict[str, list[str]] = {}
    for sid in exam.services:
        category = catalog[sid].category if sid in catalog else "Other"
        by_category.setdefault(category, []).append(sid)
    categories = []
    for category, sids in by_category.items():
        covered = sum(1 for s in sids if s in named)
        share = covered / len(sids)
        if len(sids) < MIN_CATEGORY or not _is_thin(share, overall):
            continue
        weight = 100 * len(sids) / len(exam.services)
        reason = (
            f"{len(sids)} of the {len(exam.services)} in-scope services are {category}; your "
            f"notes name {covered} of them ({round(100 * share)}%, against {pct}% of the "
            "whole scope)."
        )
        missing = tuple(s for s in sids if s not in named)
        categories.append(
            AreaGap("category", category, 0, weight, len(sids), covered, missing, reason)
        )
    # Domains carry the exam's weights: most of the exam at risk first. Categories carry none of
    # their own: the thinnest first.
    domains.sort(key=lambda a: (-a.at_risk, a.number))
    categories.sort(key=lambda a: (a.share, -a.in_scope, a.name))
    return tuple(domains), tuple(categories)


def find_gaps(G: nx.MultiDiGraph, exam: str | Exam, *, catalog: Catalog | None = None) -> Gaps:
    """The study gaps of the notes behind ``G`` against ``exam`` (a code or an :class:`Exam`).

    ``G`` is a knowledge graph as :func:`graph_data.graph.build_graph` makes it (node attributes
    ``mentions``, ``files``; edges with ``evidence``). Raises :class:`UnknownExam` for a code no
    scope has.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kinesis-data-streams", mentions=3, files=["k.md"])
    >>> gaps = find_gaps(G, "SAA-C03")
    >>> kinesis = next(g for g in gaps.unrelated if g.service == "kinesis")
    >>> kinesis.reason
    'Named 3 times in 1 file (as Kinesis Data Streams), but no note relates it to another service.'
    >>> kinesis.query
    'service:kinesis-data-streams'
    >>> gaps.domains[0].name
    'Design Secure Architectures'
    """
    exam = get_exam(exam) if isinstance(exam, str) else exam
    catalog = catalog or load_catalog()
    family = _descendants(catalog)
    rows: dict[str, list[ServiceGap]] = {"missing": [], "unrelated": [], "one-line": []}
    named: set[str] = set()
    for sid in exam.services:
        cov = _coverage(G, sid, family.get(sid, set()))
        if cov.named:
            named.add(sid)
        gap = _service_gap(G, catalog, exam, sid, cov)
        if gap is not None:
            rows[gap.kind].append(gap)
    weights = {d.number: d.weight for d in exam.domains}
    # Never named: those the heaviest domains cite first; named but thin: the most named first.
    rows["missing"].sort(key=lambda g: (-sum(weights[d] for d in g.domains), g.short.lower()))
    for kind in ("unrelated", "one-line"):
        rows[kind].sort(key=lambda g: (-g.mentions, g.short.lower()))
    overall = len(named) / len(exam.services) if exam.services else 1.0
    domains, categories = _area_gaps(exam, catalog, named, overall)
    return Gaps(
        exam=exam,
        in_scope=len(exam.services),
        covered=len(named),
        missing=tuple(rows["missing"]),
        unrelated=tuple(rows["unrelated"]),
        one_line=tuple(rows["one-line"]),
        domains=domains,
        categories=categories,
    )


# ---------------------------------------------------------------------------------- output


def format_gaps(gaps: Gaps) -> str:
    """The gaps as plain text for a terminal: a summary, then each kind of gap with its rows.

    Examples
    --------
    >>> print(format_gaps(find_gaps(nx.MultiDiGraph(), "dva")).splitlines()[0])
    DVA-C02 · Developer - Associate (guide version 1.x, live since 2023-02-28)
    """
    exam = gaps.exam
    out = [f"{exam.title} (guide version {exam.version}, live since {exam.date})", gaps.summary]
    if exam.successor:
        out.append(f"{exam.code} was retired on {exam.retired}; its successor is {exam.successor}.")
    for kind, items in gaps.by_kind().items():
        out += ["", f"{KIND_TITLES[kind]} ({len(items)})"]
        if not items:
            out.append("  none")
        for item in items:
            if isinstance(item, ServiceGap):
                out.append(f"  {item.short} [{item.category}]: {item.reason}")
            else:
                label = f"Domain {item.number}: {item.name}" if item.number else item.name
                out.append(f"  {label}: {item.reason}")
    return "\n".join(out)


def gaps_json(gaps: Gaps) -> dict:
    """The gaps as plain data for ``--json``: the exam, the counts, and every kind's rows.

    Examples
    --------
    >>> data = gaps_json(find_gaps(nx.MultiDiGraph(), "CLF-C02"))
    >>> data["exam"]["code"], data["in_scope"], data["covered"], len(data["missing"])
    ('CLF-C02', 112, 0, 112)
    """
    exam = gaps.exam
    return {
        "exam": {
            "code": exam.code,
            "name": exam.name,
            "version": exam.version,
            "date": exam.date,
            "url": exam.url,
            "retired": exam.retired,
            "successor": exam.successor,
            "domains": [
                {"number": d.number, "name": d.name, "weight": d.weight} for d in exam.domains
            ],
        },
        "in_scope": gaps.in_scope,
        "covered": gaps.covered,
        "summary": gaps.summary,
        **{
            key: [_row_json(item) for item in items]
            for key, items in zip(_JSON_KEYS, gaps.by_kind().values(), strict=True)
        },
    }


#: The key of each kind of gap in :func:`gaps_json`, in the order of :data:`GAP_KINDS`.
_JSON_KEYS = ("missing", "unrelated", "one_line", "domains", "categories")


def _row_json(item: ServiceGap | AreaGap) -> dict:
    row = asdict(item)
    for key, value in row.items():
        if isinstance(value, tuple):
            row[key] = list(value)
    return row
