"""The notes reader on every format the user's notes come in, with fixtures written here."""

from __future__ import annotations

import os

import pytest

from graph_data.reader import (
    BinaryFileError,
    NotesFolderError,
    decode,
    iter_note_files,
    read_file,
    read_notes,
    split_passages,
)


def kinds(text: str, name: str = "n.md"):
    """(first line, heading path, kind) of each passage."""
    return [(p.line, p.heading, p.kind) for p in split_passages(text, name)]


def test_front_matter_is_skipped_and_atx_headings_nest():
    text = "---\ntitle: x\ntags: [a]\n---\n# Storage\n\n## S3\n\nObjects live in buckets.\n"
    assert kinds(text) == [
        (5, ("Storage",), "heading"),
        (7, ("Storage", "S3"), "heading"),
        (9, ("Storage", "S3"), "paragraph"),
    ]


def test_setext_headings():
    text = "Compute\n=======\n\nEC2\n---\n\nVirtual machines.\n"
    assert kinds(text)[-1] == (7, ("Compute", "EC2"), "paragraph")


def test_outline_markers_make_sections_and_subsections():
    text = (
        "▼ Section 4: Storage\n\n▼ EBS\n\n- Network drive\n - Bound to one AZ\n"
        "▼ Section 5: Networking\n\n▼ VPC\n\n- Private network\n"
    )
    bullets = [(h, line) for line, h, k in kinds(text, "o.txt") if k == "bullets"]
    assert bullets == [
        (("Section 4: Storage", "EBS"), 5),
        (("Section 5: Networking", "VPC"), 11),
    ]


def test_plain_line_headings_only_in_plain_text_without_other_headings():
    text = "Intro words here.\n\nAmazon VPC\n\n  • A private network\n  • Subnets per AZ\n"
    assert kinds(text, "p.txt")[-1] == (5, ("Amazon VPC",), "bullets")
    assert kinds(text, "p.md")[-1][1] == ()


def test_long_bullet_blocks_split_with_parent_label_in_heading():
    children = "".join(f"    • point {i} about the load balancer\n" for i in range(14))
    text = f"  • ELB:\n{children}"
    found = kinds(text, "b.txt")
    assert found[0] == (1, (), "bullets")
    assert all(h == ("ELB",) for _, h, _ in found[1:]) and len(found) > 2


def test_tables_toc_and_code_fences():
    text = (
        "- [Notes](#notes)\n  - [S3](#s3)\n\n"
        "| | SQS | SNS |\n|---|---|---|\n| model | pull | push |\n\n"
        "```\n# not a heading\n```\n"
    )
    assert [k for _, _, k in kinds(text)] == ["toc", "table", "code"]


def test_passage_text_is_exactly_the_lines_it_claims(tmp_path):
    text = "# A\n\nline one\nline two\n\n- b1\n  - b2\n\n| x |\n|---|\n"
    for p in split_passages(text, "n.md"):
        assert p.text == "\n".join(text.split("\n")[p.line - 1 : p.end_line])


def test_wikilinks_read_as_text_and_embeds_dropped():
    [p] = [
        p for p in split_passages("See [[Lambda|AWS Lambda]] and [[SQS]] ![[pic.png]]\n", "v.md")
    ]
    assert p.text.strip() == "See AWS Lambda and SQS"


@pytest.mark.parametrize(
    ("data", "encoding", "warns"),
    [
        ("# café\n".encode(), "utf-8", False),
        ("\ufeff# café\n".encode(), "utf-8-sig", False),
        ("# café\n".encode("utf-16"), "utf-16", False),
        ("# café\n".encode("utf-16-be"), "utf-16-be", False),
        ("# café\n".encode("cp1252"), "cp1252", True),
    ],
)
def test_encodings(data, encoding, warns):
    text, used, problem = decode(data, "n.md")
    assert text == "# café\n" and used == encoding and (problem is not None) == warns


def test_line_endings_are_normalised():
    assert decode(b"a\r\nb\rc\n", "n.md")[0] == "a\nb\nc\n"


def test_binary_content_is_refused():
    with pytest.raises(BinaryFileError):
        decode(bytes(range(256)) * 4, "x.md")


def test_vault_layout(tmp_path):
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "app.md").write_text("settings")
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "diagram.png").write_bytes(b"\x89PNG")
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "sqs.md").write_text("# SQS\n\nQueues.\n")
    (tmp_path / "index.MD").write_text("# Index\n\n[[sqs]]\n")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    names = [p.relative_to(tmp_path).as_posix() for p in iter_note_files(tmp_path)]
    assert names == ["index.MD", "topics/sqs.md"]


def test_bad_files_become_problems_naming_them(tmp_path):
    (tmp_path / "bin.md").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "big.md").write_text("x" * 2000)
    (tmp_path / "ok.md").write_text("# Fine\n\ntext\n")
    result = read_notes(tmp_path, max_bytes=1000)
    messages = {p.file: p.message for p in result.problems}
    assert set(messages) == {"bin.md", "big.md"}
    assert "binary" in messages["bin.md"] and "limit" in messages["big.md"]
    assert {f.path for f in result.files} == {"ok.md"}


def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.md"
    path.write_text("# x\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read anything (root)")
        passages, problems, info = read_file(tmp_path, path)
        assert not passages and info is None and "cannot be read" in problems[0].message
    finally:
        path.chmod(0o644)


def test_missing_folder_and_file_instead_of_folder(tmp_path):
    with pytest.raises(NotesFolderError, match="does not exist"):
        read_notes(tmp_path / "nope")
    (tmp_path / "f.md").write_text("x")
    with pytest.raises(NotesFolderError, match="not a notes folder"):
        read_notes(tmp_path / "f.md")


def test_deep_nesting_stays_linear():
    text = "".join(f"{' ' * i}- level {i}\n" for i in range(2000))
    passages = split_passages(text, "deep.md")
    covered = sorted(n for p in passages for n in range(p.line, p.end_line + 1))
    assert covered == list(range(1, 2001))


@pytest.mark.notes
def test_real_notes_every_style(shared_notes):
    result = read_notes(shared_notes)
    by_file = {}
    for p in result.passages:
        by_file.setdefault(p.file, []).append(p)
    assert len(by_file) == 5 and not result.problems
    outline = next(
        ps
        for ps in by_file.values()
        if any("▼" in p.text for p in ps)
        or any(p.heading and p.heading[0].startswith("Section") for p in ps)
    )
    assert sum(1 for p in outline if p.heading[:1] and p.heading[0].startswith("Section")) > 100
    for ps in by_file.values():
        lines = (shared_notes / ps[0].file).read_text("utf-8").splitlines()
        for p in ps[:50]:
            assert 1 <= p.line <= p.end_line <= len(lines)
