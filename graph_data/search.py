"""Full-text search over the notes with Whoosh (the only module that imports it).

Passages and services are both documents. Queries understand phrases, AND / OR / NOT, prefix*,
fuzzy~, field filters (``service:``, ``file:``, ``heading:``) and AWS names: a service named in a
query also matches its other names (``ALB`` finds "Application Load Balancer"). One-word names
are searched as words; every name also matches the service's id among the passage's linked
services (mentioned, named in the heading, or its subject), which stands in for phrase queries
of multi-word names at a fraction of their cost. Ranking is BM25F with the heading path boosted.
A heading is indexed with the first passage of its section, so the answer under a heading ranks
with it; tables of contents are left out, and lists of links to elsewhere rank last and name no
services. The count of matches is exact, whatever the page length.
A malformed query never raises; it is searched as plain words with a message saying so.

Examples
--------
>>> import tempfile
>>> from graph_data.records import LinkedPassage, Mention, Passage
>>> text = "The ALB maps dynamic ports for ECS tasks."
>>> ecs = (Mention("ecs", 33, 36, "ECS"),)
>>> lp = LinkedPassage(Passage("n.md", 3, 3, ("ECS",), text), ecs, "ecs")
>>> folder = Path(tempfile.mkdtemp()) / "index"
>>> index, report = SearchIndex.sync(folder, {"n.md": "h1"}, lambda f: [lp], [])
>>> [(h.file, h.line) for h in index.search("dynamic port").hits]
[('n.md', 3)]
>>> index.close()
"""

from __future__ import annotations

import gc
import html as htmllib
import json
import re
import shutil
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import collectors, index, qparser, query, scoring
from whoosh.analysis import StemmingAnalyzer
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3Segment
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from graph_data import atomic
from graph_data.catalog import Catalog, UnknownService, normalize
from graph_data.records import LinkedPassage, Service

__all__ = [
    "MAX_QUERY_CHARS",
    "SCHEMA_VERSION",
    "Hit",
    "SearchIndex",
    "SearchResults",
    "SyncReport",
    "bound_query",
]

#: Bump when the schema or what goes into it changes; an index of another version is rebuilt.
SCHEMA_VERSION = 5

_META = "atlas-meta.json"
_MAX_NGRAM = 5
_OPEN_ATTEMPTS = 5
_SPELLABLE = re.compile(r"(?![A-Z]+\b)[A-Za-z][a-z0-9]{2,}")
_STEMMED = frozenset({"text", "heading", "name"})
_SNIPPET_CHARS = 200
_LEAD_CHARS = 60
# Passage kinds from the reader: a heading line, and a block made of links.
_HEADING = "heading"
_LINKS = "toc"
# The first passage under a heading introduces its topic: its heading path counts double.
_FIRST_BOOST = 2.0
# A heading with nothing under it is a signpost: any passage holding the words comes first.
_BARE_BOOST = 0.5
# A link that leaves the notes; a block of links with none of these is a table of contents.
_ELSEWHERE = re.compile(r"://|\bwww\.|<[A-Za-z][\w+.-]*:")
_FIELD_ALIASES = {
    "service": "about",
    "services": "about",
    "file": "file",
    "heading": "heading",
}


class _Lengths(W3PerDocReader):
    """A segment's field lengths, remembering the fields that have none."""

    def _cached_reader(self, fieldname, column):
        # Whoosh asks the disk again for a missing lengths column at every posting of a field
        # without lengths (the spelling words, ids, numbers): a stat call per word indexed.
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]


class _Codec(W3Codec):
    """Whoosh's own codec, with :class:`_Lengths` while a segment is written."""

    def per_document_reader(self, storage, segment):
        return _Lengths(storage, segment)

    def new_segment(self, storage, indexname):
        # The segment keeps its codec in the index's table of contents: whoosh's own class, so
        # the index on disk does not depend on this module.
        return W3Segment(W3Codec(), indexname)


def _schema() -> Schema:
    stem = StemmingAnalyzer()
    # Lines are stored to show, never range-searched: one term each (shift_step=0) keeps
    # indexing fast, since Whoosh pays a file-system check per posting of a field without lengths.
    return Schema(
        kind=ID(stored=True),
        file=ID(stored=True),
        line=NUMERIC(stored=True, shift_step=0),
        end_line=NUMERIC(stored=True, shift_step=0),
        heading=TEXT(analyzer=stem, stored=True, field_boost=2.0),
        name=TEXT(analyzer=stem, stored=True, field_boost=3.0),
        text=TEXT(analyzer=stem, stored=True, spelling=True),
        services=KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        # Services the passage is about: mentioned in it, named in its heading, or its subject.
        # A name in a query matches these ids, so the linker's judgement replaces slow phrases.
        about=KEYWORD(commas=True, lowercase=True, scorable=True),
        subject=ID(stored=True),
        # The reader's kind of block: lists of links are ranked after everything else.
        block=ID(),
        # What to call a hit: a service's name (its heading holds the category).
        title=STORED(),
        raw_heading=STORED(),
        # Where each mention stands in the text, to highlight names the query matched by id.
        spans=STORED(),
    )


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: a passage of a note, or a service from the catalog.

    ``heading`` is a passage's heading path or a service's category; ``title`` is what to
    call the hit: the service's name, or the passage's heading path.
    """

    kind: str
    file: str
    line: int
    end_line: int
    heading: str
    score: float
    snippet: str
    snippet_html: str
    services: tuple[str, ...]
    subject: str | None = None
    title: str = ""


@dataclass(frozen=True)
class SearchResults:
    """A page of hits, with the query as understood and any message for the user."""

    hits: tuple[Hit, ...]
    total: int
    page: int
    pages: int
    query: str
    suggestion: str | None = None
    message: str | None = None
    #: The services the query names (by any of their names, or ``service:``), as ids.
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncReport:
    """What :meth:`SearchIndex.sync` did."""

    rebuilt: bool
    reason: str = ""
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    message: str | None = None


def _documents(linked: Iterable[LinkedPassage]) -> Iterator[dict]:
    """One note's documents, in order: each heading joined to the passage under it.

    A heading whose section starts with subsections is left to their heading paths, and one
    with nothing under it is a document of its own. A table of contents (links within the
    notes) is left out with its heading: every heading it lists is indexed with its section.
    """
    pending: LinkedPassage | None = None
    for lp in linked:
        p = lp.passage
        under = pending is not None and _within(p.heading, pending.passage.heading)
        if p.kind == _HEADING:
            child = under and pending is not None and len(p.heading) > len(pending.passage.heading)
            if pending is not None and not child:
                yield _passage_doc(pending)
            pending = lp
            continue
        if pending is not None and not under:
            yield _passage_doc(pending)
        head, pending = (pending if under else None), None
        if p.kind == _LINKS and not _ELSEWHERE.search(p.text):
            continue
        yield _passage_doc(lp, head)
    if pending is not None:
        yield _passage_doc(pending)


def _within(heading: tuple[str, ...], section: tuple[str, ...]) -> bool:
    return heading[: len(section)] == section


def _passage_doc(lp: LinkedPassage, head: LinkedPassage | None = None) -> dict:
    """A passage as a document; ``head`` is the heading line it is the first passage under."""
    p = lp.passage
    links = p.kind == _LINKS
    # A list of links is navigation: what it names is no statement about those services.
    services = () if links else lp.services
    about = () if links else (*services, *lp.context, lp.subject or "")
    doc = {
        "kind": "passage",
        "file": p.file,
        "line": p.line,
        "end_line": p.end_line,
        "heading": p.heading_path,
        "text": p.text,
        "block": p.kind,
        "subject": "" if links else lp.subject or "",
        "raw_heading": p.heading_path,
        "title": p.heading_path,
        "spans": [] if links else _spans(lp),
    }
    if p.kind == _HEADING:
        # Found by its heading path alone: its own line would count the same words twice.
        doc["text"], doc["_stored_text"] = "", p.text
        doc["_boost"] = _BARE_BOOST
    if head is not None:
        # The heading's words count as the passage's own; its lines and snippet stay its own.
        doc["text"] = f"{head.passage.heading[-1]}\n{p.text}"
        doc["_stored_text"] = p.text
        doc["_heading_boost"] = _FIRST_BOOST
        if not links:
            services = tuple(dict.fromkeys((*head.services, *services)))
            about = (*services, *about)
            doc["subject"] = doc["subject"] or head.subject or ""
    doc["services"] = ",".join(services)
    doc["about"] = ",".join(a for a in dict.fromkeys(about) if a)
    return doc


#: How many mentions of each service a passage keeps for its snippets' marks: a snippet shows a
#: few lines, and a 20 MB note naming millions would store every one of them.
SPANS_PER_SERVICE = 64


def _spans(lp: LinkedPassage) -> list[tuple[str, int, int]]:
    """The first :data:`SPANS_PER_SERVICE` mentions of each service, as (service, start, end)."""
    wanted, kept = len(lp.services), Counter[str]()
    out = []
    for m in lp.mentions:
        if kept[m.service] < SPANS_PER_SERVICE:
            kept[m.service] += 1
            out.append((m.service, m.start, m.end))
            if len(out) == wanted * SPANS_PER_SERVICE:
                break  # every service has all it keeps: the rest is never read
    return out


def _service_doc(s: Service) -> dict:
    names = " ; ".join(dict.fromkeys((s.name, s.short, *s.aliases)))
    spelled = normalize(s.short) in normalize(s.name)
    return {
        "kind": "service",
        "file": "",
        "line": 0,
        "end_line": 0,
        "heading": s.category,
        "name": names,
        "text": s.description,
        "services": s.id,
        "about": s.id,
        "subject": s.id,
        "block": "service",
        "raw_heading": s.category,
        "title": s.name if spelled else f"{s.name} ({s.short})",
    }


class SearchIndex:
    """A Whoosh index of one notes folder: passages and services, kept in the user cache."""

    def __init__(self, ix: index.Index, catalog: Catalog) -> None:
        self._ix = ix
        self.catalog = catalog
        # Index.schema re-reads the table of contents, which a concurrent commit may remove.
        schema = ix.schema
        self._analyzer = schema["text"].analyzer
        self._parser = _parser(schema)
        self._words_parser = qparser.QueryParser("text", schema, group=qparser.OrGroup)
        # A miss in Catalog.resolve computes spelling suggestions (slow); most query words miss.
        self._keys = frozenset(
            normalize(f) for sid in catalog for f in (sid, *catalog.surface_forms(sid))
        ) | frozenset(catalog.ambiguous)

    # --- life cycle -------------------------------------------------------------------------

    @classmethod
    def sync(
        cls,
        index_dir: Path,
        files: Mapping[str, str],
        load: Callable[[str], Sequence[LinkedPassage]],
        services: Iterable[Service],
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[SearchIndex, SyncReport]:
        """Bring the index at ``index_dir`` up to date with ``files`` (path -> content hash).

        ``load(path)`` gives a file's linked passages and is called only for files that need
        (re)indexing. A missing, corrupt or old-schema index is rebuilt in a temporary folder
        and swapped in atomically.
        """
        index_dir = Path(index_dir)
        catalog = services if isinstance(services, Catalog) else Catalog(list(services))
        _clean_leftovers(index_dir)
        meta, reason = _read_meta(index_dir)
        if meta is not None:
            try:
                ix = _open_checked(index_dir)
                return cls._update(ix, index_dir, meta, files, load, catalog, progress)
            except _DamagedIndex as exc:
                reason = f"the search index was damaged ({exc}); rebuilt it"
        return cls._rebuild(index_dir, files, load, catalog, progress, reason)

    @classmethod
    def _rebuild(cls, index_dir, files, load, catalog, progress, reason):
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.build-", dir=index_dir.parent))
        ix = index.create_in(str(tmp), _schema())
        # One process: Whoosh's worker processes would outlive a killed build and hold its pipes.
        writer = ix.writer(limitmb=256, codec=_Codec())
        for s in catalog.services.values():
            writer.add_document(**_service_doc(s))
        names = sorted(files)
        for n, name in enumerate(names):
            for doc in _documents(load(name)):
                writer.add_document(**doc)
            if progress:
                progress(n + 1, len(names))
        writer.commit()
        _write_meta(tmp, files)
        ix.close()
        atomic.replace_dir(tmp, index_dir)
        message = f"Search index: {reason}." if reason and reason != "new index" else None
        report = SyncReport(True, reason or "new index", added=tuple(names), message=message)
        return cls(index.open_dir(str(index_dir)), catalog), report

    @classmethod
    def _update(cls, ix, index_dir, meta, files, load, catalog, progress):
        old: dict[str, str] = meta["files"]
        added = tuple(sorted(set(files) - set(old)))
        removed = tuple(sorted(set(old) - set(files)))
        updated = tuple(sorted(f for f in set(files) & set(old) if files[f] != old[f]))
        if not (added or removed or updated):
            return cls(ix, catalog), SyncReport(False, "unchanged")
        writer = ix.writer(limitmb=128, codec=_Codec())
        # Added files are deleted first too: the update is idempotent, so metadata that lags the
        # index (a crash after the commit, a damaged file list) never duplicates a note's hits.
        for name in (*removed, *updated, *added):
            writer.delete_by_term("file", name)
        changed = [*added, *updated]
        for n, name in enumerate(changed):
            for doc in _documents(load(name)):
                writer.add_document(**doc)
            if progress:
                progress(n + 1, len(changed))
        writer.commit()
        # The index is committed before the hashes are: a crash in between only means the
        # next sync re-indexes those files again (replacing, never adding to, their hits).
        _write_meta(index_dir, files)
        report = SyncReport(False, "updated", added, updated, removed)
        return cls(index.open_dir(str(index_dir)), catalog), report

    def close(self) -> None:
        """Release the index files."""
        self._ix.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- queries ----------------------------------------------------------------------------

    def _searcher(self):
        """A fresh searcher on the latest commit, safe while another thread updates the index."""
        for attempt in range(_OPEN_ATTEMPTS):
            try:
                return self._ix.searcher(weighting=scoring.BM25F())
            except FileNotFoundError:
                # A writer committed between reading the table of contents and opening its
                # segments (and removed the old ones): the next try sees the new commit.
                if attempt == _OPEN_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def search(self, text: str, *, page: int = 1, pagelen: int = 20) -> SearchResults:
        """Run a query; never raises for bad query text (see the module docstring)."""
        bounded, limit = bound_query(text)
        cleaned, message = _tidy(bounded)
        message = limit or message
        if not cleaned:
            return SearchResults((), 0, 1, 0, "", None, message or "Type some words to search.")
        q, message = self._parse(cleaned, message)
        named = _named(q)
        pagelen = max(1, pagelen)
        want = max(1, page) * pagelen
        with self._searcher() as searcher:
            near: dict[tuple, set[str]] = {}
            q = q.accept(lambda node: _unstemmed_fuzzy(searcher, node, near))
            links = query.Term("block", _LINKS)
            if searcher.doc_frequency("block", _LINKS):
                # Lists of links after everything else: the rest first, then the lists that
                # match (an intersection with a handful of documents costs next to nothing).
                first = _top(searcher, q, want, restrict=links)
                last = _top(searcher, query.And([q, links]), want)
                total, ranked = len(first) + len(last), [*first, *last]
            else:
                first = _top(searcher, q, want)
                total, ranked = len(first), list(first)
            pages = -(-total // pagelen)
            page = min(max(1, page), max(1, pages))
            start = (page - 1) * pagelen
            hits = tuple(self._hit(h) for h in ranked[start : start + pagelen])
            suggestion = None
            if not total:
                suggestion = self._suggest(searcher, cleaned)
            return SearchResults(hits, total, page, pages, str(q), suggestion, message, named)

    def _parse(self, text: str, message: str | None) -> tuple[query.Query, str | None]:
        notes: list[str] = []
        try:
            q = self._parser.parse(self._expand(text, notes))
        except Exception:
            q = None
        # A filter on a name the catalog does not know finds nothing: say why.
        message = " ".join(m for m in (message, *notes) if m) or None
        if q is None or isinstance(q, query.NullQuery.__class__):
            # Lower case: "NOT AND 0" must be three words here, not operators.
            words = " ".join(re.findall(r"\w+", text)).lower()
            q = self._words_parser.parse(words)
            message = message or "Could not read that query; searched for its words instead."
        return q, message

    def _expand(self, text: str, notes: list[str]) -> str:
        """Rewrite AWS names into an OR of all their names, and ``service:`` names into ids.

        ``notes`` receives a message for each ``service:`` name that is not in the catalog.
        """
        out = []
        for token in _tokens(text):
            if token.startswith("\x00"):
                out.append(self._field(token[1:], notes))
            elif token.startswith('"'):
                out.append(token)
            else:
                out.append(self._names(token))
        return "".join(out)

    def _field(self, token: str, notes: list[str]) -> str:
        name, _, value = token.partition(":")
        field_name = _FIELD_ALIASES[name.lower()]
        value = value.strip('"')
        if field_name == "about":
            try:
                value = self.catalog.resolve(value).id
            except UnknownService as exc:
                notes.append(_not_a_service(value, exc.suggestions))
                value = value.lower()
            return f'about:"{value}"'
        if field_name == "file":
            return f'file:"{value}"' if "*" not in value else f"file:{value}"
        return f'heading:"{value}"' if " " in value else f"heading:{value}"

    def _names(self, chunk: str) -> str:
        """Expand service names found in a chunk of plain query words (longest names first)."""
        words = re.split(r"(\s+)", chunk)
        out, i = [], 0
        while i < len(words):
            match = None
            # Only spans that start and end on a word, so the spaces around a name stay.
            tries = range(min(_MAX_NGRAM, (len(words) + 1) // 2), 0, -1) if words[i].strip() else ()
            for n in tries:
                span = "".join(words[i : i + 2 * n - 1])
                if span.strip() and not _is_syntax(span) and (sid := self._service(span)):
                    match = (n, sid, span)
                    break
            if match is None:
                out.append(words[i])
                i += 1
                continue
            n, sid, span = match
            # Multi-word names are found through the linker's ids: phrase matching costs a
            # position check in every passage holding all the words.
            forms = _essential_forms((*self.catalog.surface_forms(sid), span))
            singles = [f for f in forms if " " not in f]
            out.append("(" + " OR ".join([*singles, f'about:"{sid}"']) + ")")
            i += 2 * n - 1
        return "".join(out)

    def _service(self, span: str) -> str | None:
        key = normalize(span)
        if not key or (key not in self._keys and key[:-1] not in self._keys):
            return None
        try:
            return self.catalog.resolve(span).id
        except UnknownService:
            return None

    def _hit(self, h, ids: Iterable[str] = ()) -> Hit:
        services = tuple(s for s in (h.get("services") or "").split(",") if s)
        text = h.get("text") or ""
        words, ids = set(), set(ids)
        if h.results.has_matched_terms():
            for field_name, term in h.matched_terms():
                # Heading words are stemmed as the text is: a heading with nothing under it
                # shows its matches too.
                if field_name in ("text", "heading"):
                    words.add(term.decode("utf-8") if isinstance(term, bytes) else term)
                elif field_name == "about":
                    ids.add(term.decode("utf-8") if isinstance(term, bytes) else term)
        marks = [(s, e) for sid, s, e in h.get("spans") or () if sid in ids]
        if words:
            tokens = self._analyzer(text, chars=True, mode="index", removestops=False)
            marks += [(t.startchar, t.endchar) for t in tokens if t.text in words]
        plain, html = _snippet(text, marks)
        return Hit(
            h["kind"],
            h.get("file", ""),
            h.get("line", 0),
            h.get("end_line", 0),
            h.get("raw_heading", ""),
            h.score if isinstance(h.score, float) else 0.0,  # sorted results carry sort keys
            plain,
            html,
            services,
            h.get("subject") or None,
            h.get("title") or h.get("raw_heading", ""),
        )

    def _suggest(self, searcher, text: str) -> str | None:
        """The query with each word unknown to the notes replaced by the nearest known word."""
        reader = searcher.reader()
        pieces, changed = re.split(r"(\s+)", text), False
        for i, piece in enumerate(pieces):
            word = piece.lower()
            stem = self._stem(word) if _SPELLABLE.fullmatch(piece) else None
            # Operators, stop words and known words stay as typed.
            if not stem or reader.doc_frequency("text", stem):
                continue
            for dist in (1, 2):
                near = {
                    w
                    for leaf, _ in reader.leaf_readers()
                    for w in leaf.terms_within("text", word, dist, prefix=1)
                }
                if near:
                    # Among equally near words, the one most passages use.
                    pieces[i] = max(
                        sorted(near), key=lambda w: reader.doc_frequency("text", self._stem(w) or w)
                    )
                    changed = True
                    break
        return "".join(pieces) if changed else None

    def _stem(self, word: str) -> str | None:
        return next((t.text for t in self._analyzer(word)), None)

    # --- graph link -------------------------------------------------------------------------

    def services_in(
        self, results: SearchResults, rejected: Iterable[frozenset[str]] = ()
    ) -> list[str]:
        """The services in a result list (named in a hit, or its subject), most frequent first.

        ``rejected`` holds pairs the user hid (see
        :func:`graph_data.corrections.rejected_pairs`): a service paired that way with a
        service the query names is not offered with it, unless the query names it too.
        """
        # A passage under "SQS › Visibility timeout" is about SQS without naming it.
        counts = Counter(
            s for h in results.hits for s in dict.fromkeys((*h.services, h.subject or "")) if s
        )
        named = set(results.named)
        apart = {x for pair in rejected if pair & named for x in pair} - named
        return [s for s, _ in counts.most_common() if s not in apart]

    def passages_for_service(self, service: str, limit: int = 50) -> list[Hit]:
        """Passages that mention a service, best first."""
        q = query.And([query.Term("services", service), query.Term("kind", "passage")])
        return self._run(q, limit, (service,))

    def passages_for_pair(self, a: str, b: str, limit: int = 50) -> list[Hit]:
        """Passages that mention both services."""
        q = query.And(
            [query.Term("services", a), query.Term("services", b), query.Term("kind", "passage")]
        )
        return self._run(q, limit, (a, b))

    def _run(self, q: query.Query, limit: int, ids: tuple[str, ...]) -> list[Hit]:
        with self._searcher() as searcher:
            found = searcher.search(q, limit=limit, sortedby=["file", "line"])
            return [self._hit(h, ids) for h in found]


def _named(q: query.Query) -> tuple[str, ...]:
    """The service ids a parsed query asks for (its ``about`` terms)."""
    ids = {
        t.decode("utf-8") if isinstance(t, bytes) else str(t)
        for f, t in q.all_terms()
        if f == "about"
    }
    return tuple(sorted(ids))


def _top(searcher, q: query.Query, limit: int, restrict: query.Query | None = None):
    """The best ``limit`` matches of ``q`` with their matched terms, counting every match.

    Whoosh's own collectors drop the parts of a query that can no longer reach the best
    ``limit`` (even unoptimized), so the count they report grows with the limit.
    """
    top = collectors.TopCollector(limit, usequality=False, replace=0)
    c: collectors.Collector = collectors.TermsCollector(top)
    if restrict is not None:
        c = collectors.FilterCollector(c, restrict=restrict)
    searcher.search_with_collector(q, c)
    return c.results()


def _not_a_service(name: str, suggestions: Sequence[str]) -> str:
    """What to say about a ``service:`` filter naming no service.

    Examples
    --------
    >>> _not_a_service("Dynamo", ["DynamoDB", "DynamoDB Streams"])
    "'Dynamo' is not a service in the catalog; did you mean DynamoDB or DynamoDB Streams?"
    >>> _not_a_service("Foo", [])
    "'Foo' is not a service in the catalog."
    """
    if not suggestions:
        return f"{name!r} is not a service in the catalog."
    options = ", ".join(suggestions[:-1]) + " or " if len(suggestions) > 1 else ""
    return f"{name!r} is not a service in the catalog; did you mean {options}{suggestions[-1]}?"


def _parser(schema: Schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(["text", "heading", "name"], schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.BoostPlugin)
    return parser


def _unstemmed_fuzzy(searcher, node: query.Query, near: dict[tuple, set[str]]) -> query.Query:
    """Match a fuzzy word against the words as written, not their stems.

    "replicaton~" is one edit from "replication" but four from its stem "replic", so the
    near words come from the unstemmed spelling list and are then stemmed like the field.
    ``near`` keeps the word lists already looked up (one query has the word once per field).
    """
    if not isinstance(node, query.FuzzyTerm) or node.fieldname not in _STEMMED:
        return node
    key = (node.text, node.maxdist, node.prefixlength)
    if key not in near:
        near[key] = set()
        for leaf, _ in searcher.reader().leaf_readers():
            near[key].update(leaf.terms_within("text", *key))
    words = near[key]
    analyzer = searcher.schema[node.fieldname].analyzer
    stems = sorted({t.text for w in words for t in analyzer(w)})
    return query.Or([query.Term(node.fieldname, t, boost=node.boost) for t in stems]).normalize()


def _snippet(text: str, marks: list[tuple[int, int]]) -> tuple[str, str]:
    """A window of ``text`` around the first mark: plain with ``[[ ]]``, and escaped HTML.

    Examples
    --------
    >>> _snippet("Use <b> & SQS here", [(10, 13)])
    ('Use <b> & [[SQS]] here', 'Use &lt;b&gt; &amp; <b class="match">SQS</b> here')
    """
    marks = sorted(set(marks))
    start = 0
    if marks and marks[0][0] > _LEAD_CHARS:
        start = text.rfind(" ", 0, marks[0][0] - _LEAD_CHARS) + 1
    end = min(len(text), start + _SNIPPET_CHARS)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + _SNIPPET_CHARS // 2)
    plain, html, pos = [], [], start
    for s, e in marks:
        if s < pos or s >= end:
            continue
        e = max(e, s)
        end = max(end, e)
        plain += [text[pos:s], "[[", text[s:e], "]]"]
        html += [
            htmllib.escape(text[pos:s]),
            '<b class="match">',
            htmllib.escape(text[s:e]),
            "</b>",
        ]
        pos = e
    plain.append(text[pos:end])
    html.append(htmllib.escape(text[pos:end]))
    lead, tail = ("… " if start else ""), (" …" if end < len(text) else "")
    return (
        " ".join(f"{lead}{''.join(plain)}{tail}".split()),
        " ".join(f"{lead}{''.join(html)}{tail}".split()),
    )


# --- query text ---------------------------------------------------------------------------

_FIELD = re.compile(r'(?i)\b(service|services|file|heading):("[^"]*"|\S+)')
_ANY_FIELD = re.compile(r"(?i)\b([a-z_]+):(?=\S)")
_SYNTAX = re.compile(r"^(?:AND|OR|NOT|ANDNOT|ANDMAYBE|\(|\)|.*[*~?].*)$")


def _essential_forms(forms: Iterable[str]) -> list[str]:
    """The names worth searching: a phrase holding a one-word name is already covered by it.

    Examples
    --------
    >>> _essential_forms(["AWS Lambda", "Lambda", "lambda"])
    ['lambda']
    >>> _essential_forms(["Amazon Simple Queue Service", "Simple Queue Service", "SQS"])
    ['simple queue service', 'sqs']
    """
    unique = sorted({" ".join(re.findall(r"[\w.-]+", f.lower())) for f in forms} - {""})
    return [f for f in unique if not any(g != f and f" {g} " in f" {f} " for g in unique)]


def _is_syntax(span: str) -> bool:
    return any(_SYNTAX.match(w) for w in span.split()) or '"' in span


def _tokens(text: str) -> list[str]:
    """Split query text into plain chunks and field filters (marked with a leading NUL)."""
    out, pos = [], 0
    for m in _FIELD.finditer(text):
        out.append(text[pos : m.start()])
        out.append("\x00" + m.group(0))
        pos = m.end()
    out.append(text[pos:])
    # Quoted phrases are left alone: they mean exactly what was typed.
    parts = []
    for chunk in out:
        if chunk.startswith("\x00"):
            parts.append(chunk)
        else:
            parts += [p for p in re.split(r'("[^"]*")', chunk) if p]
    return parts


#: Bounds on a query: longer, wordier or deeper queries are cut, with a message saying so.
MAX_QUERY_CHARS = 500
MAX_WORD_CHARS = 60
MAX_TERMS = 32
MAX_NESTING = 8


def bound_query(text: str) -> tuple[str, str | None]:
    """Cut a query to the bounds above, saying how; nobody types more, and Whoosh's parser
    and spelling suggestions grow fast (and recurse) past them.

    Examples
    --------
    >>> bound_query("sqs fifo")
    ('sqs fifo', None)
    >>> q, why = bound_query("x" * 100_000)
    >>> len(q), why
    (60, 'The query was cut to its first 500 characters.')
    """
    message = None
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        message = f"The query was cut to its first {MAX_QUERY_CHARS} characters."
    words = text.split()
    if len(words) > MAX_TERMS:
        words = words[:MAX_TERMS]
        message = message or f"The query was cut to its first {MAX_TERMS} words."
    if any(len(w) > MAX_WORD_CHARS for w in words):
        words = [w[:MAX_WORD_CHARS] for w in words]
        message = message or f"A word over {MAX_WORD_CHARS} characters was shortened."
    text = " ".join(words)
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        text = text.replace("(", " ").replace(")", " ")
        message = message or "Parentheses nested too deep were dropped."
    return text, message


def _tidy(text: str) -> tuple[str, str | None]:
    """Repair what a parser would choke on, saying what was changed."""
    text = " ".join(text.split())
    message = None
    if text.count('"') % 2:
        text = text.replace('"', "")
        message = "Unbalanced quote: searched for the words without it."
    if text.count("(") != text.count(")"):
        text = text.replace("(", " ").replace(")", " ")
        message = "Unbalanced parenthesis: searched for the words without them."
    empty = re.compile(r"(?i)\b(service|services|file|heading):(?=\s|$)")
    if empty.search(text):
        text = empty.sub(" ", text)
        message = message or "A field filter without a value was ignored."
    unknown = sorted({m.group(1).lower() for m in _ANY_FIELD.finditer(text)} - set(_FIELD_ALIASES))
    if unknown:
        # Whoosh would otherwise search its internal fields (or nothing) for these.
        text = _ANY_FIELD.sub(
            lambda m: m.group(0) if m.group(1).lower() in _FIELD_ALIASES else " ", text
        )
        known = ", ".join(f"{f}:" for f in ("service", "file", "heading"))
        message = message or f"Unknown field {unknown[0]!r} (use {known}); searched the words."
    words = [w for w in text.split() if w not in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")]
    if not words:
        return "", "Type some words to search (an operator alone finds nothing)."
    first, last = text.split()[0], text.split()[-1]
    if first in ("AND", "OR") or last in ("AND", "OR", "NOT"):
        text = " ".join(text.split()[1:] if first in ("AND", "OR") else text.split())
        if text.split()[-1] in ("AND", "OR", "NOT"):
            text = " ".join(text.split()[:-1])
        message = message or "A lone AND/OR/NOT was ignored."
    return " ".join(text.split()), message


# --- index folder -------------------------------------------------------------------------


def _read_meta(index_dir: Path) -> tuple[dict | None, str]:
    path = index_dir / _META
    if not index_dir.exists():
        return None, "new index"
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None, "the search index was damaged (no readable metadata); rebuilt it"
    if not isinstance(meta, dict) or not isinstance(meta.get("files"), dict):
        return None, "the search index's metadata had the wrong shape; rebuilt it"
    if meta.get("schema") != SCHEMA_VERSION:
        return None, "the search index came from another version; rebuilt it"
    return meta, ""


class _DamagedIndex(Exception):
    """The index folder could not be opened or read."""


def _open_checked(index_dir: Path) -> index.Index:
    """Open the index and read a little of every segment, so damage shows up here."""
    # Whoosh leaves the file it failed on open; collect it now, quietly, rather than warn later.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = index.open_dir(str(index_dir))
            with ix.searcher() as s:
                s.doc_count()
                for leaf, _ in s.reader().leaf_readers():
                    leaf.stored_fields(0)
                    next(iter(leaf.lexicon("text")), None)
            return ix
        except Exception as exc:
            failure = type(exc).__name__
        # The traceback (and with it the open file) is gone once the except block ends.
        gc.collect()
    raise _DamagedIndex(failure)


def _write_meta(folder: Path, files: Mapping[str, str]) -> None:
    atomic.write_text(folder / _META, json.dumps({"schema": SCHEMA_VERSION, "files": dict(files)}))


def _clean_leftovers(index_dir: Path) -> None:
    """Remove temporary build folders a killed build left behind."""
    if not index_dir.parent.exists():
        return
    for stale in index_dir.parent.glob(f".{index_dir.name}.build-*"):
        shutil.rmtree(stale, ignore_errors=True)
