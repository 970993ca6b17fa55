"""Property tests: arbitrary text never breaks the reader, linker, extractor or query parser."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_data.catalog import load_catalog
from graph_data.extract import extract_relations
from graph_data.linker import Linker
from graph_data.reader import decode, split_passages

CATALOG = load_catalog()
LINKER = Linker(CATALOG)
WORDS = [
    "S3",
    "EC2",
    "ALB",
    "Lambda",
    "SQS",
    "vs",
    "integrates with",
    "replaces",
    "not",
    "instead of",
    "# ",
    "- ",
    "  • ",
    "▼ ",
    "|",
    "\n",
    "\n\n",
    "Kinesis Data Streams",
    "(legacy)",
    "is the right answer.",
    "Config",
    "backup",
    "[[",
    "]]",
    "```",
    "---",
    "\t",
    "\r\n",
]
NOTE_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=60).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NOTE_TEXT)
def test_pipeline_survives_any_text_and_evidence_stays_inside(text):
    passages = split_passages(text, "fuzz.md")
    lines = text.split("\n")
    linked = [LINKER.link(p) for p in passages]
    for p in passages:
        assert 1 <= p.line <= p.end_line <= len(lines)
    for r in extract_relations(linked, CATALOG):
        for e in r.evidence:
            assert 1 <= e.line <= len(lines)
            on_line = (
                {
                    m.service
                    for lp in linked
                    for m in lp.mentions
                    if lp.passage.line_at(m.start) == e.line
                }
                | {lp.subject for lp in linked}
                | {s for lp in linked for s in lp.context}
            )
            assert r.source in on_line or r.target in on_line


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_decoding_any_bytes_gives_text_or_a_clear_refusal(data):
    from graph_data.reader import BinaryFileError

    try:
        text, _encoding, _problem = decode(data, "x.md")
    except BinaryFileError:
        return
    assert "\r" not in text


QUERY_TEXT = st.lists(
    st.sampled_from(
        [
            '"',
            "(",
            ")",
            "AND",
            "OR",
            "NOT",
            "*",
            "~",
            "service:",
            "file:",
            "heading:",
            "s3",
            "ALB",
            "lambda",
            "x",
            ":",
            "~2",
            "^",
            "[",
            "]",
            "{",
            "}",
            "-",
            "+",
        ]
    )
    | st.text(max_size=6),
    max_size=12,
).map(" ".join)


def test_any_query_gives_results_or_a_message(tmp_path):
    from graph_data.search import SearchIndex

    text = "# S3\n\nThe ALB forwards to Lambda; SQS buffers.\n"
    linked = [LINKER.link(p) for p in split_passages(text, "a.md")]
    index, _ = SearchIndex.sync(tmp_path / "index", {"a.md": "h"}, lambda f: linked, CATALOG)

    @settings(max_examples=200, deadline=None)
    @given(QUERY_TEXT)
    def check(query):
        found = index.search(query)
        assert found.total >= 0
        assert found.hits or found.message or found.total == 0

    try:
        check()
    finally:
        index.close()
