"""Full-text search: a real Whoosh index in tmp_path over notes written for these tests."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from graph_data.records import LinkedPassage, Mention, Passage, Service
from graph_data.search import SCHEMA_VERSION, Hit, SearchIndex, SearchResults

SERVICES = [
    Service("s3", "Amazon Simple Storage Service", "S3", ("Amazon S3",), "Storage"),
    Service("alb", "Application Load Balancer", "ALB", (), "Networking"),
    Service("lambda", "AWS Lambda", "Lambda", (), "Compute"),
    Service("sqs", "Amazon Simple Queue Service", "SQS", (), "Integration"),
    Service(
        "kinesis",
        "Amazon Kinesis",
        "Kinesis",
        (),
        "Analytics",
        description="Collects and processes streaming records in real time.",
    ),
    Service("ecs", "Amazon Elastic Container Service", "ECS", (), "Containers"),
]

#: Each note: a list of (heading path, text). Passages start on lines 1, 11, 21, ...
NOTES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "storage/buckets.md": [
        (("Storage", "S3"), "Bucket encryption uses keys held by the account owner."),
        (("Storage", "S3"), "Versioning keeps every copy of an object after overwrites."),
        (("Storage", "Replicas"), "Read replicas serve the heavy reporting queries."),
    ],
    "network/balancers.md": [
        (("Networking",), "The ALB maps dynamic ports for ECS tasks on each host."),
        (("Networking",), "An Application Load Balancer routes requests by path."),
        (("Networking",), "Dynamic routing tables pick a port per target group."),
    ],
    "compute/functions.md": [
        (("Compute", "Lambda"), "Lambda polls SQS and deletes messages it processed."),
        (("Compute", "Throttling"), "Concurrency caps keep bursts from flooding downstream."),
        (
            ("Compute", "Limits"),
            "Timeouts, memory sizes, package sizes, layers, environment variables and "
            "many other settings exist; throttling is one of a long list of topics here.",
        ),
        (("Compute", "Escaping"), "A note that quotes <script>alert(1)</script> & more."),
    ],
}


def mentions_in(text: str) -> list[Mention]:
    """The test services' names in ``text``, found by a plain scan."""
    found = []
    for s in SERVICES:
        for form in {s.name, s.short, *s.aliases}:
            for m in re.finditer(rf"\b{re.escape(form)}\b", text):
                found.append(Mention(s.id, m.start(), m.end(), form))
    return sorted(found, key=lambda m: m.start)


def linked(file: str, line: int, heading: tuple[str, ...], text: str) -> LinkedPassage:
    """A linked passage with hand-found mentions, subject and heading context."""
    mentions = mentions_in(text)
    context = tuple(dict.fromkeys(m.service for h in heading for m in mentions_in(h)))
    subject = mentions[0].service if mentions else (context[-1] if context else None)
    passage = Passage(file, line, line, heading, text)
    return LinkedPassage(passage, tuple(mentions), subject, context)


def passages_of(notes: dict) -> dict[str, list[LinkedPassage]]:
    """Every note's linked passages."""
    return {
        f: [linked(f, 1 + 10 * i, h, t) for i, (h, t) in enumerate(parts)]
        for f, parts in notes.items()
    }


class Corpus:
    """Notes kept in memory with content hashes, and a record of what ``load`` was asked for."""

    def __init__(self, notes: dict) -> None:
        self.notes = {f: list(parts) for f, parts in notes.items()}
        self.loaded: list[str] = []

    def hashes(self) -> dict[str, str]:
        """Path -> a hash that changes whenever the note's content does."""
        return {f: str(hash(repr(parts))) for f, parts in self.notes.items()}

    def load(self, file: str) -> list[LinkedPassage]:
        """The file's linked passages (recorded, so tests can see what was re-read)."""
        self.loaded.append(file)
        return passages_of({file: self.notes[file]})[file]

    def sync(self, index_dir: Path, **kw) -> tuple[SearchIndex, object]:
        """Sync the index at ``index_dir`` with the corpus."""
        return SearchIndex.sync(index_dir, self.hashes(), self.load, SERVICES, **kw)


@pytest.fixture
def corpus() -> Corpus:
    """The test notes."""
    return Corpus(NOTES)


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    """Where the index goes (inside a cache folder of its own)."""
    return tmp_path / "cache" / "index"


@pytest.fixture
def ix(corpus: Corpus, index_dir: Path):
    """A freshly built index of the test notes."""
    index, report = corpus.sync(index_dir)
    assert report.rebuilt
    with index:
        yield index


def where(results: SearchResults) -> list[tuple[str, int]]:
    """(file, line) of each passage hit."""
    return [(h.file, h.line) for h in results.hits if h.kind == "passage"]


# --- query forms ------------------------------------------------------------------------------


def test_plain_words_find_their_passage(ix: SearchIndex):
    r = ix.search("versioning overwrites")
    assert where(r) == [("storage/buckets.md", 11)]
    assert r.total == 1 and r.message is None and r.suggestion is None


def test_words_are_stemmed(ix: SearchIndex):
    assert ("storage/buckets.md", 11) in where(ix.search("overwrite version"))


def test_phrase_needs_the_words_together(ix: SearchIndex):
    assert where(ix.search('"dynamic ports"')) == [("network/balancers.md", 1)]
    # Both words without the phrase: also the routing-table passage.
    assert len(where(ix.search("dynamic port"))) == 2


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("dynamic AND routing", [("network/balancers.md", 21)]),
        ("versioning OR replicas", [("storage/buckets.md", 11), ("storage/buckets.md", 21)]),
        ("dynamic NOT routing", [("network/balancers.md", 1)]),
        ("dynamic AND NOT tasks", [("network/balancers.md", 21)]),
    ],
)
def test_boolean_operators(ix: SearchIndex, q: str, expected: list):
    assert sorted(where(ix.search(q))) == expected


def test_prefix(ix: SearchIndex):
    assert where(ix.search("replic*")) == [("storage/buckets.md", 21)]


@pytest.mark.parametrize("q", ["encryptiom~", "Encryptiom~", "enkryptian~2"])
def test_fuzzy(ix: SearchIndex, q: str):
    assert where(ix.search(q)) == [("storage/buckets.md", 1)]


def test_fuzzy_distance_one_is_stricter_than_two(ix: SearchIndex):
    assert ix.search("enkryptian~").total == 0


def test_service_filter_resolves_names_and_aliases(ix: SearchIndex):
    # ALB's passages name it either way; S3's name it only in their heading.
    by_short = where(ix.search("service:ALB"))
    assert sorted(by_short) == [("network/balancers.md", 1), ("network/balancers.md", 11)]
    by_name = ix.search('service:"Application Load Balancer" routes')
    assert where(by_name) == [("network/balancers.md", 11)]
    assert "about:alb" in by_name.query
    assert where(ix.search("service:sqs")) == [("compute/functions.md", 1)]
    assert sorted(where(ix.search("service:s3"))) == [
        ("storage/buckets.md", 1),
        ("storage/buckets.md", 11),
    ]
    assert where(ix.search("service:nosuchthing")) == []


def test_file_and_heading_filters(ix: SearchIndex):
    assert len(where(ix.search("file:storage/buckets.md"))) == 3
    assert len(where(ix.search("file:compute*"))) == 4
    assert where(ix.search("heading:throttling")) == [("compute/functions.md", 11)]
    assert where(ix.search("heading:replicas serve")) == [("storage/buckets.md", 21)]


# --- AWS names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q", ["ALB", "alb", "application load balancer", "Application Load Balancer"]
)
def test_alias_expansion_both_ways(ix: SearchIndex, q: str):
    found = set(where(ix.search(q)))
    # One passage says "ALB", the other spells the name out; each query finds both.
    assert {("network/balancers.md", 1), ("network/balancers.md", 11)} <= found


def test_quoted_names_mean_exactly_what_was_typed(ix: SearchIndex):
    assert where(ix.search('"Application Load Balancer"')) == [("network/balancers.md", 11)]


def test_services_are_documents_too(ix: SearchIndex):
    r = ix.search("kinesis")
    assert [(h.kind, h.subject) for h in r.hits] == [("service", "kinesis")]
    assert ix.search("streaming records").hits[0].subject == "kinesis"


# --- ranking and snippets ---------------------------------------------------------------------


def test_heading_match_outranks_a_passing_mention(ix: SearchIndex):
    hits = ix.search("throttling").hits
    assert [h.line for h in hits] == [11, 21]
    assert hits[0].heading == "Compute › Throttling"
    assert hits[0].score > hits[1].score


def test_hit_fields(ix: SearchIndex):
    (hit,) = ix.search("polls").hits
    assert isinstance(hit, Hit)
    assert (hit.kind, hit.file, hit.line, hit.end_line) == ("passage", "compute/functions.md", 1, 1)
    assert hit.heading == "Compute › Lambda"
    assert hit.services == ("lambda", "sqs") and hit.subject == "lambda"


def test_snippets_mark_matches(ix: SearchIndex):
    (hit,) = ix.search("encryption").hits
    assert "[[encryption]]" in hit.snippet.lower()
    assert re.search(r"<b[^>]*>encryption</b>", hit.snippet_html, re.IGNORECASE)


def test_names_matched_through_an_alias_are_highlighted(ix: SearchIndex):
    snippets = {h.line: h.snippet for h in ix.search("ALB").hits if h.kind == "passage"}
    assert "[[Application Load Balancer]]" in snippets[11]
    assert "[[ALB]]" in snippets[1]
    (spelled,) = [h for h in ix.passages_for_service("alb") if h.line == 11]
    assert '<b class="match">Application Load Balancer</b>' in spelled.snippet_html


def test_snippet_html_escapes_the_note_text(ix: SearchIndex):
    (hit,) = ix.search("alert").hits
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html and "&amp;" in hit.snippet_html
    assert "<script>" in hit.snippet  # the plain snippet is plain text


# --- forgiving queries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    ['"unbalanced', "(a OR b", "AND", "NOT", "OR", "service:", "colour:red", "a AND", "(((", ""],
)
def test_malformed_queries_give_a_message_not_an_exception(ix: SearchIndex, q: str):
    r = ix.search(q)
    assert isinstance(r, SearchResults)
    assert r.message


def test_malformed_query_still_searches_its_words(ix: SearchIndex):
    r = ix.search('"bucket encryption')
    assert r.message and "quote" in r.message.lower()
    assert where(r) == [("storage/buckets.md", 1)]
    assert where(ix.search("(versioning OR replicas")) == where(ix.search("versioning OR replicas"))
    assert len(where(ix.search("(versioning OR replicas"))) == 2
    assert where(ix.search("colour:versioning")) == [("storage/buckets.md", 11)]


def test_did_you_mean(ix: SearchIndex):
    r = ix.search("encrytpion")
    assert r.total == 0 and r.suggestion == "encryption"
    assert ix.search("encryption").suggestion is None
    # Known words, operators and field filters are kept as typed.
    r = ix.search("versoning AND copy service:S3")
    assert r.total == 0 and r.suggestion == "versioning AND copy service:S3"
    assert ix.search(r.suggestion).total == 1


# --- pagination -------------------------------------------------------------------------------


def test_pagination(index_dir: Path):
    notes = {f"n{i:02d}.md": [((), f"Shared word quokka number {i}.")] for i in range(45)}
    index, _ = Corpus(notes).sync(index_dir)
    with index:
        pages = [index.search("quokka", page=p, pagelen=20) for p in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [20, 20, 5]
    assert {(p.total, p.pages) for p in pages} == {(45, 3)}
    assert [p.page for p in pages] == [1, 2, 3]
    files = [h.file for p in pages for h in p.hits]
    assert sorted(files) == sorted(notes)


# --- graph links ------------------------------------------------------------------------------


def test_services_in_orders_by_frequency(ix: SearchIndex):
    r = ix.search("alb OR lambda OR ecs")
    assert ix.services_in(r)[0] == "alb"
    assert set(ix.services_in(r)) == {"alb", "ecs", "lambda", "sqs"}


def test_passages_for_service_and_pair(ix: SearchIndex):
    assert [h.line for h in ix.passages_for_service("alb")] == [1, 11]
    assert [h.line for h in ix.passages_for_pair("lambda", "sqs")] == [1]
    assert ix.passages_for_pair("alb", "sqs") == []
    assert len(ix.passages_for_service("alb", limit=1)) == 1


# --- keeping the index up to date -------------------------------------------------------------


def test_nothing_changed_reuses_the_index(corpus: Corpus, index_dir: Path):
    first, _ = corpus.sync(index_dir)
    first.close()
    corpus.loaded.clear()
    index, report = corpus.sync(index_dir)
    with index:
        assert not report.rebuilt and report.reason == "unchanged"
        assert corpus.loaded == []
        assert index.search("versioning").total == 1


def test_incremental_change_add_and_delete(corpus: Corpus, index_dir: Path):
    corpus.sync(index_dir)[0].close()
    corpus.loaded.clear()
    corpus.notes["storage/buckets.md"] = [(("Storage",), "Lifecycle rules move old objects.")]
    corpus.notes["new.md"] = [(("New",), "Quotas protect shared accounts.")]
    del corpus.notes["network/balancers.md"]
    index, report = corpus.sync(index_dir)
    with index:
        assert not report.rebuilt
        assert report.updated == ("storage/buckets.md",)
        assert report.added == ("new.md",)
        assert report.removed == ("network/balancers.md",)
        assert sorted(corpus.loaded) == ["new.md", "storage/buckets.md"]
        assert index.search("versioning").total == 0
        assert where(index.search("lifecycle")) == [("storage/buckets.md", 1)]
        assert where(index.search("quotas")) == [("new.md", 1)]
        assert index.passages_for_service("alb") == []
        # The services themselves stay searchable.
        assert [h.kind for h in index.search("kinesis").hits] == ["service"]
    # And the new state is what the next sync compares against.
    index, report = corpus.sync(index_dir)
    index.close()
    assert report.reason == "unchanged"


def test_first_build_has_no_message(corpus: Corpus, index_dir: Path):
    index, report = corpus.sync(index_dir)
    index.close()
    assert report.rebuilt and report.reason == "new index" and report.message is None
    assert report.added == tuple(sorted(NOTES))


def test_progress_is_reported(corpus: Corpus, index_dir: Path):
    seen: list[tuple[int, int]] = []
    corpus.sync(index_dir, progress=lambda done, total: seen.append((done, total)))[0].close()
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_large_build_in_two_processes_finds_the_same(index_dir: Path, tmp_path: Path):
    notes = {f"n{i:03d}.md": [((f"T{i}",), f"Walrus fact {i}; shared.")] for i in range(60)}
    big, _ = Corpus(notes).sync(index_dir)
    small, _ = Corpus(dict(list(notes.items())[:30])).sync(tmp_path / "small" / "index")
    with big, small:
        assert big.search("walrus").total == 60
        assert small.search("walrus").total == 30
        assert where(big.search("heading:T17")) == [("n017.md", 1)]


def test_corrupt_index_is_rebuilt_with_a_message(corpus: Corpus, index_dir: Path):
    corpus.sync(index_dir)[0].close()
    segments = [p for p in index_dir.iterdir() if p.suffix == ".seg"]
    assert segments
    for seg in segments:
        seg.write_bytes(seg.read_bytes()[:50])
    corpus.loaded.clear()
    index, report = corpus.sync(index_dir)
    with index:
        assert report.rebuilt and "damaged" in report.reason
        assert report.message
        assert sorted(corpus.loaded) == sorted(NOTES)
        assert index.search("versioning").total == 1


def test_missing_metadata_or_another_schema_version_rebuilds(corpus: Corpus, index_dir: Path):
    corpus.sync(index_dir)[0].close()
    meta = index_dir / "atlas-meta.json"
    meta.write_text(meta.read_text().replace(f'"schema": {SCHEMA_VERSION}', '"schema": 0'))
    index, report = corpus.sync(index_dir)
    index.close()
    assert report.rebuilt and "version" in report.reason and report.message
    meta.unlink()
    index, report = corpus.sync(index_dir)
    index.close()
    assert report.rebuilt


def test_nothing_is_written_outside_the_index_folder(tmp_path: Path):
    notes_dir = tmp_path / "notes"
    notes_dir.mkdir()
    (notes_dir / "a.md").write_text("# Queues\nSQS buffers spikes.\n", "utf-8")
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    index_dir = tmp_path / "cache" / "index"
    corpus = Corpus({"a.md": [(("Queues",), "SQS buffers spikes.")]})
    index, _ = corpus.sync(index_dir)
    index.close()
    corpus.notes["a.md"] = [(("Queues",), "SQS buffers bursts.")]
    index, _ = corpus.sync(index_dir)
    with index:
        assert index.search("bursts").total == 1
    after = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    new = [p for p in after if p not in before]
    assert new and all(p == index_dir.parent or index_dir in (p, *p.parents) for p in new)
    assert {p: after[p] for p in before if p != tmp_path} == {
        p: t for p, t in before.items() if p != tmp_path
    }
    assert sorted(notes_dir.iterdir()) == [notes_dir / "a.md"]


def test_searches_from_another_thread_during_an_update(corpus: Corpus, index_dir: Path):
    index, _ = corpus.sync(index_dir)
    errors: list[BaseException] = []
    totals: list[int] = []

    def searching() -> None:
        try:
            for _ in range(40):
                totals.append(index.search("encryption OR lifecycle").total)
        except BaseException as exc:  # collected for the main thread's assert
            errors.append(exc)

    thread = threading.Thread(target=searching)
    thread.start()
    for k in range(5):
        corpus.notes["storage/buckets.md"] = [((), f"Lifecycle rule number {k}.")]
        corpus.sync(index_dir)[0].close()
    thread.join()
    index.close()
    assert errors == []
    assert len(totals) == 40 and set(totals) <= {1, 2}


def test_context_manager_closes(corpus: Corpus, index_dir: Path):
    with corpus.sync(index_dir)[0] as index:
        assert index.search("versioning").total == 1


# --- the user's notes -------------------------------------------------------------------------


@pytest.mark.notes
def test_real_notes_end_to_end(shared_notes: Path, tmp_path: Path):
    from graph_data.catalog import load_catalog
    from graph_data.linker import Linker
    from graph_data.reader import read_notes

    catalog = load_catalog()
    linker = Linker(catalog)
    read = read_notes(shared_notes)
    by_file: dict[str, list[LinkedPassage]] = {}
    for p in read.passages:
        by_file.setdefault(p.file, []).append(linker.link(p))
    before = sorted((p, p.stat().st_mtime_ns) for p in shared_notes.rglob("*"))
    index_dir = tmp_path / "index"
    hashes = {f.path: f.sha256 for f in read.files}
    index, report = SearchIndex.sync(index_dir, hashes, lambda f: by_file.get(f, []), catalog)
    with index:
        assert report.rebuilt and set(report.added) == set(hashes)
        short = index.search("ALB")
        long = index.search("application load balancer")
        assert short.total > 0 and short.total == long.total
        assert "application-load-balancer" in index.services_in(short)
        assert index.search("service:S3").total > 0
        assert index.search("(broken").message
    assert sorted((p, p.stat().st_mtime_ns) for p in shared_notes.rglob("*")) == before


def test_huge_wordy_and_deep_queries_are_cut_with_a_message(ix: SearchIndex):
    # Before: a 100 KB word took 51 s in "did you mean", a thousand words hit RecursionError.
    huge = ix.search("x" * 100_000)
    assert "shortened" in huge.message or "cut" in huge.message
    wordy = ix.search(" OR ".join(["versioning"] * 1000))
    assert "cut" in wordy.message and wordy.total >= 1
    deep = ix.search("(" * 50 + "versioning" + ")" * 50)
    assert deep.message and deep.total >= 1


def test_metadata_that_lags_or_is_misshapen_never_duplicates_or_crashes(
    corpus: Corpus, index_dir: Path
):
    import json

    corpus.sync(index_dir)[0].close()
    meta = index_dir / "atlas-meta.json"
    # As after a crash between the index commit and the metadata write: no files recorded.
    meta.write_text(json.dumps({"schema": SCHEMA_VERSION, "files": {}}), encoding="utf-8")
    index, report = corpus.sync(index_dir)
    with index:
        assert not report.rebuilt
        assert index.search("versioning").total == 1
    meta.write_text(json.dumps([1, 2]), encoding="utf-8")
    index, report = corpus.sync(index_dir)
    with index:
        assert report.rebuilt and "wrong shape" in report.reason
        assert index.search("versioning").total == 1


def test_a_passage_naming_a_service_thousands_of_times_stores_a_bounded_few_spans(tmp_path):
    from graph_data.search import SPANS_PER_SERVICE

    corpus = Corpus({"big.md": [(("Queues",), "Lambda polls SQS. " * 2000)]})
    index, _ = corpus.sync(tmp_path / "index")
    with index:
        (hit,) = [h for h in index.passages_for_service("sqs") if h.file == "big.md"]
        assert '<b class="match">SQS</b>' in hit.snippet_html
        with index._ix.searcher() as searcher:
            (doc,) = [d for d in searcher.documents() if d.get("file") == "big.md"]
    spans = doc["spans"]
    assert {s for s, _, _ in spans} == {"sqs", "lambda"}
    assert len(spans) == 2 * SPANS_PER_SERVICE
