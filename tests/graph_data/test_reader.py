"""The notes reader: every note style, encodings, hostile files and folders, exact line spans.

All fixture text is written here; the user's real notes are only read by the ``notes`` tests.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_data.catalog import load_catalog
from graph_data.extract import extract_relations
from graph_data.linker import Linker
from graph_data.reader import (
    MAX_BYTES,
    BinaryFileError,
    NoteFile,
    NotesFolderError,
    ReadResult,
    _clean_inline,
    _unquote,
    decode,
    iter_note_files,
    read_file,
    read_notes,
    split_passages,
)
from graph_data.records import Passage


def body(text: str, name: str = "n.md") -> list[tuple[int, int, tuple[str, ...], str]]:
    """(line, end_line, heading, kind) of each passage that is not a heading."""
    return [
        (p.line, p.end_line, p.heading, p.kind)
        for p in split_passages(text, name)
        if p.kind != "heading"
    ]


def headings(text: str, name: str = "n.md") -> list[tuple[str, ...]]:
    """The heading path of each heading passage, in order."""
    return [p.heading for p in split_passages(text, name) if p.kind == "heading"]


def assert_exact_lines(passages: list[Passage], text: str) -> None:
    """Each passage's text is its claimed lines (after inline normalisation), no overlaps."""
    lines = text.split("\n")
    last = 0
    for p in passages:
        assert last < p.line <= p.end_line <= len(lines), p
        want = "\n".join(_clean_inline(_unquote(x)) for x in lines[p.line - 1 : p.end_line])
        assert p.text == want
        assert p.text.strip() and lines[p.end_line - 1].strip()
        last = p.end_line


def write(folder: Path, rel: str, data: str | bytes) -> Path:
    """Create one file under ``folder`` (text as UTF-8)."""
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    return path


# --- Markdown ---------------------------------------------------------------------------------


def test_front_matter_is_no_passage_and_atx_headings_nest():
    text = (
        "---\ntitle: Cloud study\ntags:\n- storage\n---\n"
        "# Storage\n\nIntro to storage.\n\n## S3 ##\n\nBuckets hold objects.\n\n"
        "### Encryption\n\nKeys come from KMS.\n\n## EBS\n\nBlock volumes.\n"
    )
    assert body(text) == [
        (8, 8, ("Storage",), "paragraph"),
        (12, 12, ("Storage", "S3"), "paragraph"),
        (16, 16, ("Storage", "S3", "Encryption"), "paragraph"),
        (20, 20, ("Storage", "EBS"), "paragraph"),
    ]
    assert all(p.line > 5 for p in split_passages(text, "n.md"))


def test_heading_text_loses_emphasis_links_and_closing_hashes_but_not_word_hashes():
    text = (
        "# **Amazon** _S3_ [guide](https://example.org) ###\n\n"
        "## Notes on C#\n\n"
        "### [[Lambda|AWS Lambda]] limits:\n\n"
        "#### snake_case_name stays\n\nx\n"
    )
    assert headings(text)[-1] == (
        "Amazon S3 guide",
        "Notes on C#",
        "AWS Lambda limits",
        "snake_case_name stays",
    )


def test_hash_without_space_is_a_tag_not_a_heading():
    assert body("#aws #storage\n") == [(1, 1, (), "paragraph")]


def test_setext_headings_and_thematic_breaks():
    text = "Compute\n=======\n\nEC2\n---\n\nVirtual machines.\n\n* * *\n\n***\n\nMore.\n"
    assert body(text) == [
        (7, 7, ("Compute", "EC2"), "paragraph"),
        (13, 13, ("Compute", "EC2"), "paragraph"),
    ]


def test_heading_without_body_still_counts_for_the_path():
    text = "# Networking\n## VPC\n### Subnets\n- public and private ones\n"
    assert body(text) == [(4, 4, ("Networking", "VPC", "Subnets"), "bullets")]


def test_tables_are_whole_passages_however_long():
    rows = "".join(f"| service {i} | use {i} |\n" for i in range(40))
    text = f"# Compare\n\nQueues versus topics:\n| a | b |\n|---|---|\n{rows}\nAfter.\n"
    assert body(text) == [
        (3, 3, ("Compare",), "paragraph"),
        (4, 45, ("Compare",), "table"),
        (47, 47, ("Compare",), "paragraph"),
    ]


def test_table_of_contents_is_one_toc_passage():
    text = (
        "- [Compute](#compute)\n  - [EC2](#ec2)\n    - [Spot (cheap)](#spot-cheap)\n"
        "- [Storage](#storage)\n\n# Compute\n\n- [a real link](https://example.org) here\n"
    )
    assert body(text) == [(1, 4, (), "toc"), (8, 8, ("Compute",), "bullets")]


@pytest.mark.parametrize(
    "text",
    [
        "1. [Compute](#compute)\n2. [Storage](#storage)\n3. [Queues](#queues)\n",
        "- https://docs.aws.amazon.com/sqs/\n- <https://aws.amazon.com/sns/faqs/>\n",
        "[Intro](#intro)\n[Amazon S3](#s3)\n[Amazon SQS](#sqs)\n",
        "[Home](#home) | [S3](#s3) · [SQS](#sqs)\n",
        "- **[EC2](#ec2)**\n- Storage\n  - [S3](#s3)\n  - [EBS](#ebs)\n",
        "- [[Amazon S3]]\n- [[Amazon SQS|queues]]\n- [[Lambda]]\n",
        "Contents\n[S3](#s3)\n[SQS](#sqs)\n[SNS](#sns)\n[EC2](#ec2)\n",
    ],
    ids=["numbered", "bare-urls", "link-lines", "nav-bar", "labels", "wikilinks", "titled"],
)
def test_blocks_of_links_are_toc_passages(text):
    # Before: only bullets of `[text](#anchor)` were; the rest read as prose naming services.
    assert [kind for *_, kind in body(text)] == ["toc"]


@pytest.mark.parametrize(
    "text",
    [
        "- [S3 FAQ](https://a.example)\n- [SQS FAQ](https://b.example)\n"
        "- Lambda polls SQS in batches of ten messages\n",
        "See [S3](#s3) and [SQS](#sqs) for the details.\n",
        "- [S3](#s3) stores objects durably across zones\n- [SQS](#sqs) buffers requests\n",
        "[Only one link](#one)\n",
    ],
    ids=["prose-item", "sentence", "described-links", "one-link"],
)
def test_prose_with_links_is_no_toc(text):
    assert "toc" not in [kind for *_, kind in body(text)]


def test_an_e_readers_citation_of_a_highlight_is_a_citation_passage():
    text = (
        "Lambda scales out one copy of the function per request in flight.\n\n"
        "Ann Lee. Serverless on AWS: Lambda and SQS (Kindle Locations 210-212). "
        "Lee Press. Kindle Edition.\n"
    )
    assert [kind for *_, kind in body(text)] == ["paragraph", "citation"]


def test_a_citation_names_a_book_and_relates_nothing():
    catalog, title = load_catalog(), "Amazon SQS triggers AWS Lambda functions"

    def relations(line: str) -> list:
        passages = split_passages(f"# Notes\n\n{line}\n", "n.md")
        return extract_relations([Linker(catalog).link(p) for p in passages], catalog)

    assert relations(f"Ann Lee. {title} (Kindle Location 88). Lee Press. Kindle Edition.") == []
    # The same words as a statement do relate the two.
    assert relations(f"{title}.")


def test_a_hostile_block_of_link_like_lines_stays_fast():
    line = "[a](b)" * 666 + "x"
    text = "\n".join([line] * 2000 + ["https://e.org/" * 280 + " x"] * 2000)
    passages = split_passages(text, "links.md")
    assert [(p.line, p.end_line, p.kind) for p in passages] == [(1, 4000, "paragraph")]


def test_a_number_sign_in_a_text_outline_is_no_heading():
    text = (
        "▼ Section 20: Serverless\n\n▼ Lambda@Edge\n\nEdge functions compared:\n"
        "Runtime Support\tJavaScript\tNode.js, Python\n"
        "# of Requests\tMillions per second\tThousands per second\n"
        "Max. Memory\t2 MB\t10 GB\n\nAfter the table.\n"
    )
    # Before: "# of Requests ..." was an H1 and the heading path of what followed.
    assert body(text, "course.txt") == [
        (5, 8, ("Section 20: Serverless", "Lambda@Edge"), "paragraph"),
        (10, 10, ("Section 20: Serverless", "Lambda@Edge"), "paragraph"),
    ]


def test_a_pasted_table_row_in_plain_text_is_no_heading():
    text = (
        "# Edge\n\nFunctions compared:\nRuntime\tJavaScript\tPython\n"
        "# of Requests\tMillions\tThousands\n\n## After\n\nMore.\n"
    )
    assert headings(text, "edge.txt") == [("Edge",), ("Edge", "After")]
    assert body(text, "edge.txt")[0] == (3, 5, ("Edge",), "paragraph")
    # Markdown reads "#" lines as CommonMark does.
    assert ("of Requests Millions Thousands",) in headings(text, "edge.md")


def test_number_signs_in_code_do_not_count_as_headings_of_a_text_file():
    text = "```\n# install\n# start\n```\n\n▼ Topic\n\n# of Requests\n\nText.\n"
    assert headings(text, "t.txt") == [("Topic",)]
    assert body(text, "t.txt")[-2:] == [
        (8, 8, ("Topic",), "paragraph"),
        (10, 10, ("Topic",), "paragraph"),
    ]


def test_code_fences_are_one_passage_and_never_make_headings():
    text = (
        "# Deploy\n\n```bash\n# install\naws s3 ls\n\n- not a bullet\n```\n\n"
        "~~~\n## also not\n~~~\n\nAfter code.\n\n````\nunclosed to the end\n# still code\n"
    )
    assert body(text) == [
        (3, 8, ("Deploy",), "code"),
        (10, 12, ("Deploy",), "code"),
        (14, 14, ("Deploy",), "paragraph"),
        (16, 18, ("Deploy",), "code"),
    ]


def test_paragraphs_split_at_blank_lines_and_at_other_blocks():
    text = "# T\nfirst line\nsecond line\n\nthird\n- a bullet\nnext para\n| x |\n"
    assert body(text) == [
        (2, 3, ("T",), "paragraph"),
        (5, 5, ("T",), "paragraph"),
        (6, 7, ("T",), "bullets"),  # a lazy continuation line belongs to its bullet
        (8, 8, ("T",), "table"),
    ]


# --- bullets ----------------------------------------------------------------------------------


def test_short_sibling_bullets_are_grouped_up_to_eight_lines():
    text = "".join(f"- fact number {i}\n" for i in range(20))
    spans = [(line, end) for line, end, _, _ in body(text)]
    assert spans == [(1, 8), (9, 16), (17, 20)]


def test_bullet_nesting_keeps_children_with_their_parent():
    text = "• Queues\n    • pull based\n        ◦ visibility timeout\n• Topics\n    ▪ push\n"
    assert body(text, "b.txt") == [(1, 5, (), "bullets")]


def test_numbered_items_and_other_markers_are_bullets():
    for marker in ("-", "*", "+", "•", "◦", "▪", "1.", "2)"):
        assert body(f"{marker} item text\n")[0][3] == "bullets", marker


def test_long_bullet_is_split_at_children_under_the_parent_label():
    kids = "".join(f"    • detail {i} about balancing traffic\n" for i in range(14))
    text = f"  • ELB:\n{kids}  • Short sibling\n"
    found = body(text, "b.txt")
    assert found[0] == (1, 1, (), "bullets")
    pieces = found[1:-1]
    assert pieces and all(h == ("ELB",) for _, _, h, _ in pieces)
    assert all(end - line < 8 for line, end, _, _ in pieces)
    assert (pieces[0][0], pieces[-1][1]) == (2, 15)
    assert found[-1] == (16, 16, (), "bullets")


def test_split_labels_nest_and_name_colon_bullets_by_their_name():
    inner = "".join(f"      - point {i}\n" for i in range(13))
    text = (
        "# Messaging\n"
        "- Streaming: the family of services for real-time data\n"
        "  - Data Streams\n"
        f"{inner}"
        "  - a closing remark\n"
    )
    found = body(text)
    assert found[0] == (2, 2, ("Messaging",), "bullets")
    assert found[1] == (3, 3, ("Messaging", "Streaming"), "bullets")
    assert {h for _, _, h, _ in found[2:-1]} == {("Messaging", "Streaming", "Data Streams")}
    assert found[-1] == (17, 17, ("Messaging", "Streaming"), "bullets")


def test_long_labels_are_cut_at_a_word_boundary():
    label = "a very long parent bullet that keeps going on and on well past the limit"
    kids = "".join(f"  - child {i}\n" for i in range(13))
    found = body(f"- {label}\n{kids}")
    cut = found[1][2][0]
    assert len(cut) <= 60 and label.startswith(cut) and label[len(cut)] == " "


def test_blank_lines_between_indented_bullets_stay_one_run():
    text = "  • first point\n\n  • second point\n\n    • nested under it\n\nA paragraph.\n"
    assert body(text, "b.txt") == [(1, 5, (), "bullets"), (7, 7, (), "paragraph")]


# --- outline exports --------------------------------------------------------------------------


def test_outline_markers_make_sections_and_topics():
    text = (
        "Cover title\n\n▼ Section 1: Basics\n\n▼ Regions\n\n- a region holds zones\n"
        " - zones are data centres\n\n▼ Section 2: Storage\n\n▼ Volumes\n\nPlain words.\n"
        "- ▼ a marker inside a bullet is just a bullet\n"
    )
    assert body(text, "o.txt") == [
        (1, 1, (), "paragraph"),
        (7, 8, ("Section 1: Basics", "Regions"), "bullets"),
        (14, 14, ("Section 2: Storage", "Volumes"), "paragraph"),
        (15, 15, ("Section 2: Storage", "Volumes"), "bullets"),
    ]


def test_flat_outline_markers_nest_their_parts_under_their_topics():
    # Exports that flatten toggles put every marker at column 0. A title that recurs in the
    # file ("Theory", "Intro", "Hands on") is a part of the topic before it: under the marker
    # just before it when that one was left empty to hold it, else beside the other parts.
    # A title used once is a topic of its own.
    topic = "▼ {}\n\n▼ Theory\n\n▼ Intro\n\n- {} model\n\n▼ Hands on\n\n- try it\n\n"
    text = (
        "▼ Section 4: Messaging\n\n"
        + topic.format("Queue Service", "pull")
        + topic.format("Topic Service", "push")
        + "▼ Dead Letters\n\n- failed messages\n\n▼ Theory\n\n- kept for a while\n\n"
        + "▼ Intro\n\n- last\n\n▼ Hands on\n\n- redrive\n"
    )
    section = "Section 4: Messaging"
    # Before: every marker replaced the one before ("Section 4 > Hands on").
    assert [(line, heading) for line, _, heading, _ in body(text, "course.txt")] == [
        (9, (section, "Queue Service", "Theory", "Intro")),
        (13, (section, "Queue Service", "Hands on")),
        (21, (section, "Topic Service", "Theory", "Intro")),
        (25, (section, "Topic Service", "Hands on")),
        (29, (section, "Dead Letters")),
        (33, (section, "Dead Letters", "Theory")),
        (37, (section, "Dead Letters", "Intro")),
        (41, (section, "Dead Letters", "Hands on")),
    ]


def test_flat_outline_nesting_is_bounded_and_leaves_indented_outlines_alone():
    runs = "▼ Part\n\n" * 50 + "- text\n"
    [(_, _, heading, _)] = body(runs, "runs.txt")
    assert len(heading) <= 4
    # Indentation, where the markers have it, is what nests them, as before.
    text = "▼ Compute\n  ▼ EC2\n  ▼ Lambda\n\nfunctions\n▼ Storage\n▼ Backup\n\ncopies\n"
    assert body(text, "o.txt") == [
        (5, 5, ("Compute", "Lambda"), "paragraph"),
        (9, 9, ("Backup",), "paragraph"),
    ]


def test_a_plain_title_over_a_list_heads_it_in_an_outline_export():
    text = (
        "▼ Section 4: Messaging\n\n▼ Queues vs Topics\n\nQueue Service\n\n- pull model\n\n"
        "Topic Service\n\n- push model\n\nA closing remark without a list after it\n\nLast.\n"
    )
    # Before: both lists sat under "Queues vs Topics" only, and the titles were paragraphs.
    assert body(text, "course.txt") == [
        (7, 7, ("Section 4: Messaging", "Queues vs Topics", "Queue Service"), "bullets"),
        (11, 11, ("Section 4: Messaging", "Queues vs Topics", "Topic Service"), "bullets"),
        (13, 13, ("Section 4: Messaging", "Queues vs Topics", "Topic Service"), "paragraph"),
        (15, 15, ("Section 4: Messaging", "Queues vs Topics", "Topic Service"), "paragraph"),
    ]


def test_outline_levels_follow_indentation_when_present():
    text = "▼ Compute\n  ▼ EC2\n    ▼ Spot\n\ncheap capacity\n  ▼ Lambda\n\nfunctions\n"
    assert body(text, "o.txt") == [
        (5, 5, ("Compute", "EC2", "Spot"), "paragraph"),
        (8, 8, ("Compute", "Lambda"), "paragraph"),
    ]


# --- plain-line headings ----------------------------------------------------------------------

PLAIN = (
    "Study Notes\n\n"
    "Amazon VPC\n\n"
    "  • a private network\n  • split into subnets\n\n"
    "this line is lowercase\n\n"
    "A sentence that ends with a stop.\n\n"
    "Storage (block and file)\n\n"
    "1. first step\n2. second step\n"
)


def test_plain_line_headings_in_text_files():
    assert body(PLAIN, "p.txt") == [
        (5, 6, ("Amazon VPC",), "bullets"),
        (8, 8, ("Amazon VPC",), "paragraph"),
        (10, 10, ("Amazon VPC",), "paragraph"),
        (14, 15, ("Storage (block and file)",), "bullets"),
    ]
    assert headings(PLAIN, "p.txt")[0] == ("Study Notes",)


def test_no_plain_line_headings_in_markdown_or_where_real_headings_exist():
    assert {h for _, _, h, _ in body(PLAIN, "p.md")} == {()}
    assert {h for _, _, h, _ in body("# Real\n\n" + PLAIN, "p.txt")} == {("Real",)}


def test_plain_heading_needs_content_after_it():
    assert body("Intro words.\n\nTrailing Title\n", "p.txt") == [
        (1, 1, (), "paragraph"),
        (3, 3, (), "paragraph"),
    ]


# --- Obsidian vaults --------------------------------------------------------------------------


def test_wikilinks_read_as_shown_text_and_embeds_dropped():
    text = "Route with [[Route 53|DNS]], see [[CloudFront#Origins]] ![[arch.png]] ![map](m.png)\n"
    [p] = split_passages(text, "v.md")
    assert p.text == "Route with DNS (Route 53), see CloudFront  map"
    assert (p.line, p.end_line) == (1, 1)


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("[[Amazon SQS|SQS]]", "SQS"),
        ("[[Step Functions|sfn]]", "sfn (Step Functions)"),
        ("[[Compute/Lambda|λ]]", "λ (Lambda)"),
        ("[[S3#Lifecycle rules|lifecycle]]", "lifecycle (S3)"),
        ("[[#Limits|limits]]", "limits"),
        ("[[API Gateway\\|API GW]]", "API GW (API Gateway)"),
    ],
)
def test_an_alias_that_hides_its_page_s_name_keeps_the_name_in_brackets(link, shown):
    assert _clean_inline(f"see {link} here") == f"see {shown} here"


def test_a_line_of_only_an_embed_is_no_passage_but_keeps_numbering():
    text = "# Diagram\n\n![[flow.png]]\n\nQueues decouple.\n"
    assert body(text) == [(5, 5, ("Diagram",), "paragraph")]


def test_a_callout_is_read_as_its_content_under_its_title_as_a_heading():
    text = (
        "# Lambda\n\n> [!note]- Event sources\n> - S3\n> - SQS\nafter it\n\n"
        "> [!tip]\n> Keep it warm.\n"
    )
    passages = split_passages(text, "v.md")
    assert [(p.line, p.end_line, p.kind, p.heading, p.text) for p in passages] == [
        (1, 1, "heading", ("Lambda",), "# Lambda"),
        (3, 3, "heading", ("Lambda", "Event sources"), "Event sources"),
        (4, 5, "bullets", ("Lambda", "Event sources"), "- S3\n- SQS"),
        (6, 6, "paragraph", ("Lambda",), "after it"),
        (9, 9, "paragraph", ("Lambda",), "Keep it warm."),
    ]


def test_a_callout_ends_the_paragraph_before_it_and_its_headings_stay_inside():
    text = "Queues decouple.\n> [!info] SQS\n> ## Limits\n> - 256 KB\n\nOutside.\n"
    shown = [(p.line, p.heading, p.text) for p in split_passages(text, "v.md")]
    assert shown == [
        (1, (), "Queues decouple."),
        (2, ("SQS",), "SQS"),
        (3, ("SQS", "Limits"), "## Limits"),
        (4, ("SQS", "Limits"), "- 256 KB"),
        (6, (), "Outside."),
    ]


@pytest.mark.parametrize("line", ["> 5 GB needs multipart upload", ">= 100 requests per second"])
def test_a_comparison_at_the_start_of_a_line_is_no_quote(line):
    [p] = split_passages(line + "\n", "v.md")
    assert p.text == line


def test_nested_quotes_and_quoted_code_fences_lose_their_markers():
    text = "> > SNS fans out to SQS.\n>\n> ```\n> aws s3 ls\n> ```\n"
    assert [(p.kind, p.text) for p in split_passages(text, "v.md")] == [
        ("paragraph", "SNS fans out to SQS."),
        ("code", "```\naws s3 ls\n```"),
    ]


def test_vault_layout(tmp_path):
    write(tmp_path, ".obsidian/workspace.md", "# settings\n")
    write(tmp_path, ".trash/old.md", "# gone\n")
    write(tmp_path, ".git/HEAD.md", "ref\n")
    write(tmp_path, ".hidden.md", "# hidden\n")
    write(tmp_path, "attachments/diagram.png", b"\x89PNG\r\n\x1a\n")
    write(tmp_path, "attachments/Pasted image.jpg", b"\xff\xd8\xff")
    write(tmp_path, "Compute/EC2.md", "# EC2\n\nUses [[EBS]] volumes. ![[diagram.png]]\n")
    write(tmp_path, "Compute/Lambda.MARKDOWN", "# Lambda\n\nRuns code.\n")
    write(tmp_path, "b.txt", "plain\n")
    write(tmp_path, "a.Md", "# A\n")
    names = [p.relative_to(tmp_path).as_posix() for p in iter_note_files(tmp_path)]
    assert names == ["Compute/EC2.md", "Compute/Lambda.MARKDOWN", "a.Md", "b.txt"]
    result = read_notes(tmp_path)
    [ebs] = [p for p in result.passages if p.file == "Compute/EC2.md" and p.kind != "heading"]
    assert ebs.text == "Uses EBS volumes. " and ebs.heading == ("EC2",)
    assert not result.problems


# --- encodings and line endings ---------------------------------------------------------------

SAMPLE = "# Café notes\n\nNaïve résumé of S3 — 5 €.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode(), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-32"), "utf-32"),
    ],
)
def test_unicode_encodings_decode_without_warning(data, encoding):
    assert decode(data, "n.md") == (SAMPLE, encoding, None)


def test_cp1252_fallback_warns_naming_the_file():
    text, encoding, problem = decode(SAMPLE.encode("cp1252"), "old/notes.txt")
    assert (text, encoding) == (SAMPLE, "cp1252")
    assert problem is not None and problem.file == "old/notes.txt"
    assert "cp1252" in problem.message and problem.severity == "warning"


def test_latin1_where_cp1252_fails():
    text, encoding, problem = decode(b"caf\xe9 \x81 bucket\n", "n.md")
    assert (text, encoding) == ("café \x81 bucket\n", "latin-1") and problem is not None


def test_damaged_utf16_is_replaced_with_a_warning():
    text, encoding, problem = decode(codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00", "n")
    assert text.startswith("ok") and encoding == "utf-16" and problem is not None


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings_become_newlines_and_lines_stay_exact(tmp_path, newline):
    lines = ["# Title", "", "para one", "para two", "", "- bullet", "  - child"]
    path = write(tmp_path, "n.md", (newline.join(lines) + newline).encode("utf-16"))
    passages, problems, info = read_file(tmp_path, path)
    assert not problems and info is not None and info.encoding == "utf-16"
    assert [(p.line, p.end_line, p.kind) for p in passages] == [
        (1, 1, "heading"),
        (3, 4, "paragraph"),
        (6, 7, "bullets"),
    ]
    assert passages[1].text == "para one\npara two"


def test_binary_content_raises_binary_file_error():
    with pytest.raises(BinaryFileError):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "pic.md")
    with pytest.raises(BinaryFileError):
        decode(bytes([1, 2, 3, 4, 5, 6, 7, 65]) * 200, "ctl.md")
    assert decode(b"", "empty.md") == ("", "utf-8", None)


# --- files and folders ------------------------------------------------------------------------


def test_read_notes_result_and_note_files(tmp_path):
    path = write(tmp_path, "s3.md", "# S3\n\nObject storage.\n")
    write(tmp_path, "empty.txt", "")
    calls: list[tuple[int, int]] = []
    result = read_notes(tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert isinstance(result, ReadResult) and calls == [(1, 2), (2, 2)]
    assert [f.path for f in result.files] == ["empty.txt", "s3.md"]
    info = result.files[1]
    assert isinstance(info, NoteFile) and info.size == path.stat().st_size
    assert info.encoding == "utf-8" and len(info.sha256) == 64
    assert info.mtime == path.stat().st_mtime
    assert {p.file for p in result.passages} == {"s3.md"}


def test_binary_and_oversized_files_are_skipped_with_problems_naming_them(tmp_path):
    write(tmp_path, "photo.md", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 100)
    write(tmp_path, "huge.txt", "x " * 1500)
    write(tmp_path, "fine.md", "# Fine\n\nText.\n")
    result = read_notes(tmp_path, max_bytes=2000)
    problems = {p.file: p.message for p in result.problems}
    assert set(problems) == {"photo.md", "huge.txt"}
    assert "binary" in problems["photo.md"]
    assert problems["huge.txt"] == "skipped: 2.9 KB is over the 2 KB limit"
    assert {p.file for p in result.passages} == {"fine.md"}
    assert [f.path for f in result.files] == ["fine.md"]
    assert MAX_BYTES == 20 * 1024 * 1024


def test_unreadable_file_is_a_problem(tmp_path):
    path = write(tmp_path, "locked.md", "# Locked\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("this user (root) can read a file with no permissions")
        passages, problems, info = read_file(tmp_path, path)
        assert passages == [] and info is None
        assert problems[0].file == "locked.md" and "cannot be read" in problems[0].message
    finally:
        path.chmod(0o644)


def test_unreadable_sub_folder_is_a_problem(tmp_path):
    write(tmp_path, "open.md", "# Open\n")
    write(tmp_path, "shut/inner.md", "# Inner\n")
    (tmp_path / "shut").chmod(0)
    try:
        if os.access(tmp_path / "shut", os.R_OK):
            pytest.skip("this user (root) can list a folder with no permissions")
        result = read_notes(tmp_path)
        assert [f.path for f in result.files] == ["open.md"]
        assert [p.file for p in result.problems] == ["shut"]
    finally:
        (tmp_path / "shut").chmod(0o755)


def test_folders_that_cannot_be_listed_are_reported_not_raised(tmp_path):
    seen: list[tuple[Path, type]] = []

    def note(folder: Path, exc: OSError) -> None:
        seen.append((folder, type(exc)))

    found = list(iter_note_files(tmp_path / "gone", on_error=note))
    assert found == [] and seen == [(tmp_path / "gone", FileNotFoundError)]


def test_missing_vanished_and_special_files(tmp_path):
    passages, problems, info = read_file(tmp_path, tmp_path / "gone.md")
    assert (passages, info) == ([], None) and "disappeared" in problems[0].message
    os.mkfifo(tmp_path / "pipe.md")
    # Listed, so that the reader says why it skips it (issue 13: it used to vanish silently).
    assert list(iter_note_files(tmp_path)) == [tmp_path / "pipe.md"]
    passages, problems, info = read_file(tmp_path, tmp_path / "pipe.md")
    assert info is None and "not a regular file" in problems[0].message
    read = read_notes(tmp_path)
    assert [(p.file, "FIFO" in p.message) for p in read.problems] == [("pipe.md", True)]


def test_symlink_loops_and_linked_folders_are_not_followed(tmp_path):
    write(tmp_path, "notes/a.md", "# A\n")
    write(tmp_path / "elsewhere", "b.md", "# B\n")
    (tmp_path / "notes" / "loop").symlink_to(tmp_path / "notes", target_is_directory=True)
    (tmp_path / "notes" / "away").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "notes" / "alias.md").symlink_to(tmp_path / "elsewhere" / "b.md")
    (tmp_path / "notes" / "broken.md").symlink_to(tmp_path / "nowhere.md")
    names = [
        p.relative_to(tmp_path / "notes").as_posix() for p in iter_note_files(tmp_path / "notes")
    ]
    # The broken link is listed so that the reader can report it.
    assert names == ["a.md", "alias.md", "broken.md"]
    _, problems, info = read_file(tmp_path / "notes", tmp_path / "notes" / "broken.md")
    assert info is None and "broken link" in problems[0].message


def test_bad_notes_folder_raises_one_readable_error(tmp_path):
    with pytest.raises(NotesFolderError, match="does not exist"):
        read_notes(tmp_path / "missing")
    write(tmp_path, "file.md", "x")
    with pytest.raises(NotesFolderError, match="not a notes folder"):
        read_notes(tmp_path / "file.md")


def test_nothing_is_written_into_the_notes_folder(tmp_path):
    write(tmp_path, "a.md", "# A\n\n- one\n")
    write(tmp_path, "sub/b.txt", "Title\n\nwords\n")
    write(tmp_path, "bad.md", b"\x00\x01" * 50)
    before = sorted((p, p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    read_notes(tmp_path)
    assert sorted((p, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")) == before


# --- robustness -------------------------------------------------------------------------------


def test_empty_and_blank_files_give_no_passages():
    for text in ("", "\n", "   \n\t\n", "---\ntitle: only front matter\n---\n"):
        assert split_passages(text, "e.md") == []


def test_deep_nesting_covers_every_line_once():
    text = "".join(f"{' ' * i}- level {i}\n" for i in range(2000))
    # Speed is bench/memory.py's to measure; here a quadratic blow-up shows as a timeout.
    passages = split_passages(text, "deep.md")
    covered = [n for p in passages for n in range(p.line, p.end_line + 1)]
    assert covered == list(range(1, 2001))
    assert max(len(p.heading) for p in passages) <= 4
    assert_exact_lines(passages, text)


@pytest.mark.parametrize(
    "line",
    [
        "word " * 1_000_000,
        "[[" * 2_500_000,
        "# " + "[a](" * 1_200_000,
        "▼ a" + " " * 5_000_000 + "x",
        "- " + "-x " * 1_600_000,
    ],
    ids=["words", "brackets", "heading-links", "outline-spaces", "dashes"],
)
def test_a_five_megabyte_line_stays_fast(line):
    passages = split_passages(line + "\n", "big.txt")
    assert len(passages) == 1 and passages[0].line == passages[0].end_line == 1


def test_ten_thousand_tiny_files(tmp_path):
    for i in range(10_000):
        (tmp_path / f"n{i:05}.md").write_text(f"# Note {i}\n\nline {i}\n")
    result = read_notes(tmp_path)
    assert len(result.files) == 10_000 and len(result.passages) == 20_000
    assert result.passages[-1].text == "line 9999"


LINE_SHAPES = st.sampled_from(
    [
        "",
        "# Heading",
        "## Sub [[Page|shown]]",
        "Plain Title",
        "a sentence of text.",
        "===",
        "---",
        "- bullet",
        "  - child bullet",
        "    • deeper ◦ one",
        "1. numbered",
        "| a | b |",
        "```",
        "~~~",
        "▼ Section 2: Things",
        "▼ Topic",
        " ▼ indented topic",
        "[[Only Link]]",
        "![[image.png]]",
        "- [toc entry](#anchor)",
        "1. [link](https://example.org)",
        "https://example.org/page",
        "> [!tip] Quoted [[Page|title]]",
        "> - bullet in a quote",
        "> 5 GB",
        "# of Requests\tMillions\tThousands",
        "\tcontinued with a tab",
    ]
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(LINE_SHAPES, max_size=60), name=st.sampled_from(["f.md", "f.txt"]))
def test_any_mix_of_lines_gives_exact_ordered_spans(lines, name):
    text = "\n".join(lines)
    passages = split_passages(text, name)
    assert_exact_lines(passages, text)
    assert all(p.file == name and p.kind for p in passages)


# --- the user's real notes --------------------------------------------------------------------


@pytest.mark.notes
def test_real_notes_every_file_every_style(shared_notes):
    before = sorted((p.name, p.stat().st_mtime_ns) for p in shared_notes.iterdir())
    result = read_notes(shared_notes)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in shared_notes.iterdir()) == before
    assert not result.problems and len(result.files) == len(before)

    by_file: dict[str, list[Passage]] = {}
    for p in result.passages:
        by_file.setdefault(p.file, []).append(p)
    assert set(by_file) == {f.path for f in result.files}
    for rel, passages in by_file.items():
        text, _encoding, _problem = decode((shared_notes / rel).read_bytes(), rel)
        assert_exact_lines(passages, text)
        has_atx = any(line.startswith("# ") for line in text.split("\n"))
        if has_atx:
            # Markdown notes: everything after the first heading sits under one.
            first = next(p.line for p in passages if p.kind == "heading")
            assert all(p.heading for p in passages if p.line >= first)
        assert not any("of Requests" in h for p in passages for h in p.heading), rel
        if "\n▼ Section" in text:
            sections = {p.heading[0] for p in passages if p.heading}
            assert sum(s.startswith("Section") for s in sections) >= 10
            assert sum(len(p.heading) >= 2 for p in passages) > len(passages) / 2


@pytest.mark.notes
def test_real_notes_table_of_contents_is_one_toc_passage(shared_notes):
    result = read_notes(shared_notes)
    tocs = [(p.file[:3], p.line, p.end_line) for p in result.passages if p.kind == "toc"]
    assert tocs == [("003", 1, 235)]
