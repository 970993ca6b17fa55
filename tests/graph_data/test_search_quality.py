"""What a student gets back from search: notes written here, read by the real reader and linker,
indexed by Whoosh in tmp_path (issue 16, "Search")."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from graph_data.catalog import load_catalog
from graph_data.extract import extract_relations
from graph_data.linker import Linker
from graph_data.reader import read_notes, split_passages
from graph_data.search import SearchIndex, SearchResults

CATALOG = load_catalog()
LINKER = Linker(CATALOG)

#: A study note that opens with a table of contents naming many services.
GUIDE = """\
- [Amazon SQS](#amazon-sqs)
  - [Visibility timeout](#visibility-timeout)
  - [Dead-letter queues](#dead-letter-queues)
- [Amazon SNS](#amazon-sns)
- [Amazon Kinesis](#amazon-kinesis)
- [Amazon S3](#amazon-s3)
- [Amazon DynamoDB](#amazon-dynamodb)
- [AWS Lambda](#aws-lambda)

# Amazon SQS

## Visibility timeout

A received message stays hidden from other consumers for the visibility timeout, 30 seconds
unless you change it.

Raise the visibility timeout when consumers take long; lower visibility timeout values mean
faster retries.

## Dead-letter queues

Messages that fail too often move to a dead-letter queue.

# Amazon SNS

Topics push each message to every subscriber.

## Further reading

- [SNS developer guide](https://docs.aws.amazon.com/sns/latest/dg/welcome.html)
- [SQS FAQ](https://aws.amazon.com/sqs/faqs/)
"""

#: Sections whose headings repeat the words of the answer under them.
SECURITY = """\
# S3

## Encryption

### Encryption at rest

S3 encrypts each object at rest with SSE-S3 keys unless the bucket asks for SSE-KMS.

### Encryption in transit

Clients reach S3 over TLS.

## Performance

## Baseline performance

S3 serves thousands of requests per second per prefix.
"""


def write(folder: Path, notes: dict[str, str]) -> Path:
    """Write ``notes`` (name -> text) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in notes.items():
        (folder / name).write_text(text, "utf-8")
    return folder


def index_of(notes: Path, where: Path) -> SearchIndex:
    """A fresh index of a notes folder, read and linked as the build does it."""
    read = read_notes(notes)
    by_file: dict[str, list] = {}
    for p in read.passages:
        by_file.setdefault(p.file, []).append(LINKER.link(p))
    hashes = {f.path: f.sha256 for f in read.files}
    index, _ = SearchIndex.sync(where / "index", hashes, lambda f: by_file.get(f, []), CATALOG)
    return index


@pytest.fixture
def guide(tmp_path: Path):
    """The index of the guide note."""
    with index_of(write(tmp_path / "notes", {"guide.md": GUIDE}), tmp_path) as index:
        yield index


@pytest.fixture
def security(tmp_path: Path):
    """The index of the S3 security note."""
    with index_of(write(tmp_path / "notes", {"s3.md": SECURITY}), tmp_path) as index:
        yield index


def lines(results: SearchResults) -> list[int]:
    """First line of each passage hit."""
    return [h.line for h in results.hits if h.kind == "passage"]


# --- 1. tables of contents and lists of links -----------------------------------------------------


def test_a_table_of_contents_is_no_result_and_names_no_service(guide: SearchIndex):
    found = guide.search("visibility timeout")
    # Before: the table of contents (line 1) was a hit naming six services.
    assert 1 not in lines(found)
    assert found.hits[0].heading == "Amazon SQS › Visibility timeout"
    assert guide.services_in(found) == ["sqs"]
    assert all(h.line != 1 for h in guide.passages_for_service("kinesis"))
    assert guide.search("kinesis").total == guide.search("kinesis", pagelen=1).total


def test_a_list_of_links_ranks_last_and_names_no_service(guide: SearchIndex):
    found = guide.search("sqs OR sns")
    links = [h for h in found.hits if h.heading == "Amazon SNS › Further reading"]
    assert len(links) == 1 and links[0] == found.hits[-1]
    assert links[0].services == () and links[0].subject is None
    # Still found by its own words: a bookmark the student saved.
    (faq,) = guide.search("faq").hits
    assert faq.heading.endswith("Further reading") and faq.services == ()
    assert "sns" not in guide.services_in(guide.search("faq"))


def test_a_table_of_contents_gives_no_relation():
    toc = (
        "1. [Kinesis Data Firehose delivers records to S3](https://example.org/firehose)\n"
        "2. [Lambda polls SQS for new messages](https://example.org/lambda)\n"
        "3. [SNS fans out to SQS queues](#sns-fans-out)\n"
    )
    linked = [LINKER.link(p) for p in split_passages(toc, "links.md")]
    assert [lp.passage.kind for lp in linked] == ["toc"]
    assert extract_relations(linked, CATALOG) == []


# --- 2. a heading belongs with the text under it --------------------------------------------------


def test_the_answer_under_a_heading_ranks_first(security: SearchIndex):
    found = security.search("encryption at rest")
    top = found.hits[0]
    # Before: the bare heading line "### Encryption at rest" came first.
    assert "SSE-S3" in top.snippet
    assert (top.line, top.end_line) == (7, 7)
    assert not any(h.snippet.startswith("#") for h in found.hits)


def test_a_heading_with_nothing_under_it_comes_after_the_text(security: SearchIndex):
    passages = [h for h in security.search("performance").hits if h.kind == "passage"]
    assert [h.line for h in passages] == [17, 13]
    assert "requests per second" in passages[0].snippet
    assert passages[1].snippet == "## [[Performance]]"


def test_the_first_passage_of_a_section_carries_the_heading(tmp_path: Path):
    note = (
        "# SQS\n\n## Visibility timeout\n\nA polled message is hidden for 30 seconds by "
        "default while the consumer works on it.\n\nToo low a visibility timeout means a "
        "message is processed twice; too high a visibility timeout slows retries.\n"
    )
    with index_of(write(tmp_path / "notes", {"sqs.md": note}), tmp_path) as index:
        found = index.search("visibility timeout")
        services = index.services_in(found)
    # Before: the bare heading (line 3) first, then the consequences (7), then the answer (5).
    assert lines(found) == [5, 7]
    assert "30 seconds" in found.hits[0].snippet
    assert services == ["sqs"]


# --- 3. the count of matches ----------------------------------------------------------------------


def test_the_count_does_not_depend_on_the_page_length(tmp_path: Path):
    spellings = ["kinesis", "kinesis", "kinesis", "kineses", "kinesys", "kinesiss"]
    notes = {
        f"n{i:02d}.md": f"# Note {i}\n\nStreams in {spellings[i % len(spellings)]} "
        + " ".join(["shard"] * (i % 7))
        + f" hold record {i}.\n"
        for i in range(60)
    }
    with index_of(write(tmp_path / "notes", notes), tmp_path) as index:
        for q in ("kinesiss~", "kinesis OR shard", "kinesys~2"):
            totals = {index.search(q, pagelen=n).total for n in (1, 5, 10, 50, 1000)}
            # Before: "kinesiss~" counted 21, 35, 48, ... as the page grew.
            assert len(totals) == 1, (q, totals)
        assert index.search("kinesiss~", pagelen=1000).total == len(
            index.search("kinesiss~", pagelen=1000).hits
        )


@pytest.mark.notes
def test_real_notes_counts_do_not_depend_on_the_limit(shared_notes: Path, tmp_path: Path):
    with index_of(shared_notes, tmp_path) as index:
        for q in ("kinesiss~", "s3", "ec2 NOT spot"):
            totals = {index.search(q, pagelen=n).total for n in (1, 5, 10, 50, 1000)}
            assert len(totals) == 1, (q, totals)


# --- 4. a catalog hit is called by its name -------------------------------------------------------


def test_a_service_hit_is_called_by_its_name(guide: SearchIndex):
    (service,) = [h for h in guide.search("service:sqs").hits if h.kind == "service"]
    assert service.title == "Amazon Simple Queue Service (SQS)"
    assert service.heading == CATALOG["sqs"].category
    (lam,) = [h for h in guide.search("lambda").hits if h.subject == "lambda"]
    assert lam.title == "AWS Lambda"


def test_the_command_line_names_the_service(tmp_path: Path, capsys):
    from graph_data.cli import main

    notes = write(tmp_path / "notes", {"guide.md": GUIDE})
    assert main(["search", str(notes), "kinesis", "--limit", "50"]) == 0
    out = capsys.readouterr().out
    assert "(service)" in out
    assert f"Amazon Kinesis · {CATALOG['kinesis'].category}" in out
    assert not any(line.rstrip().endswith("]  Analytics") for line in out.splitlines())
    assert main(["search", str(notes), "kinesis", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert "Amazon Kinesis" in [r["title"] for r in rows if r["kind"] == "service"]


def test_the_command_line_count_is_every_match(tmp_path: Path, capsys):
    from graph_data.cli import main

    notes = write(tmp_path / "notes", {f"n{i}.md": f"A quokka, number {i}.\n" for i in range(12)})
    assert main(["search", str(notes), "quokka", "--limit", "3"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("12 matches, best 3 shown")


def test_the_app_names_the_service_and_counts_every_match(guide: SearchIndex, qtbot):
    pytest.importorskip("PySide6")
    from app.panels.search import SearchPanel

    panel = SearchPanel()
    qtbot.addWidget(panel)
    panel.set_index(guide)
    panel.query.setText("service:sqs")
    panel.run()
    rows = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert any(r.startswith("Service: Amazon Simple Queue Service (SQS) · ") for r in rows)
    panel.query.setText("quokka OR visibility")
    panel.run()
    assert html.unescape(panel.message.text()) == f"{panel.results.total} matches"
    panel.query.setText("service:Dynamo")
    panel.run()
    shown = html.unescape(panel.message.text())
    assert shown.startswith("'Dynamo' is not a service in the catalog; did you mean DynamoDB")
    assert shown.endswith("No matches.")


# --- 6. an unknown service in a filter ------------------------------------------------------------


def test_an_unknown_service_filter_says_so(guide: SearchIndex):
    found = guide.search("service:Foo")
    assert found.total == 0
    assert found.message is not None
    assert found.message.startswith("'Foo' is not a service in the catalog")
    near = guide.search("service:Dynamo timeout")
    assert near.message is not None and "did you mean DynamoDB" in near.message
    assert guide.search("service:SQS").message is None


def test_the_command_line_says_the_service_is_unknown(tmp_path: Path, capsys):
    from graph_data.cli import main

    notes = write(tmp_path / "notes", {"guide.md": GUIDE})
    assert main(["search", str(notes), "service:Dynamo"]) == 0
    captured = capsys.readouterr()
    assert "'Dynamo' is not a service in the catalog; did you mean DynamoDB" in captured.err
    assert "No matches" in captured.out


# --- the user's notes -----------------------------------------------------------------------------


@pytest.mark.notes
def test_real_notes_results_a_student_can_use(shared_notes: Path, tmp_path: Path):
    with index_of(shared_notes, tmp_path) as index:
        found = index.search("visibility timeout", pagelen=50)
        services = index.services_in(found)
        # Before: the table of contents of one note named 70 services here.
        assert services[0] == "sqs" and len(services) < 15
        assert all(len(h.services) < 20 for h in found.hits)
        # The sentences that answer come first, never a bare heading line.
        assert not found.hits[0].snippet.lstrip("▼ #").startswith("Message")
        assert "invisib" in found.hits[0].snippet
        top = index.search("encryption at rest").hits[0]
        assert not top.snippet.lstrip().startswith(("#", "▼"))
