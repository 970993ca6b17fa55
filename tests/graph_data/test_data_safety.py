"""Nothing lost: exports never land over notes, atomic writes respect what they replace.

Each test failed before its fix (issue 13, items 1, 2, 3 and 12).
"""

from __future__ import annotations

import json
import os
import stat
from contextlib import nullcontext
from pathlib import Path

import pytest

from graph_data import atomic
from graph_data.cli import main as cli_main
from graph_data.corrections import corrections_path, load_corrections
from graph_data.reader import read_notes

NOTE = "# SQS\n\n- SNS fans out to SQS queues.\n- Lambda polls SQS.\n"


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "messaging.md").write_text(NOTE, encoding="utf-8")
    return folder


def test_export_over_a_note_is_refused_even_when_forced(notes, capsys):
    before = (notes / "messaging.md").read_bytes()
    for extra in ([], ["--force"]):
        args = ["export", str(notes), "--format", "markdown", "-o", str(notes / "messaging.md")]
        assert cli_main([*args, *extra]) == 2
        assert "never overwrites your notes" in capsys.readouterr().err
    assert (notes / "messaging.md").read_bytes() == before


def test_export_into_the_notes_folder_needs_force(notes, capsys):
    out = notes / "sheet.md"
    assert cli_main(["export", str(notes), "--format", "markdown", "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err and not out.exists()
    assert cli_main(["export", str(notes), "--format", "markdown", "-o", str(out), "--force"]) == 0
    assert out.exists()


def test_an_exported_sheet_in_the_notes_folder_is_not_read_back(notes, capsys):
    first = read_notes(notes)
    out = notes / "sheet.md"
    assert cli_main(["export", str(notes), "--format", "markdown", "-o", str(out), "--force"]) == 0
    again = read_notes(notes)
    assert [p.text for p in again.passages] == [p.text for p in first.passages]
    assert any("exported by Service Atlas" in p.message for p in again.problems)


def test_build_json_never_replaces_a_note(notes, capsys):
    before = (notes / "messaging.md").read_bytes()
    assert cli_main(["build", str(notes), "-o", str(notes / "messaging.md")]) == 2
    assert (notes / "messaging.md").read_bytes() == before


def test_atomic_write_goes_through_a_symlink_and_keeps_the_mode(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    target.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    atomic.write_text(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_atomic_write_refuses_fifos_devices_folders_and_no_name(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    for bad in (fifo, tmp_path, "/dev/null"):
        with pytest.raises(atomic.UnsafeTarget):
            atomic.write_text(bad, "x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(atomic.UnsafeTarget, match="not a file name"):
        atomic.write_text("", "x")


def test_export_to_a_fifo_is_a_clear_error(tmp_path, notes, capsys):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    assert cli_main(["export", str(notes), "--format", "json", "-o", str(fifo)]) == 2
    assert "refusing to replace it" in capsys.readouterr().err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_second_unreadable_corrections_file_keeps_the_first(notes):
    path = corrections_path(notes)
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = []
    for n in range(2):
        path.write_text(f"{{ damaged {n}", encoding="utf-8")
        saved, message = load_corrections(notes)
        assert not saved.items and "kept it as" in message
        kept.append(message.rsplit("kept it as ", 1)[1].rstrip("."))
    assert kept[0] != kept[1]
    texts = sorted(Path(k).read_text(encoding="utf-8") for k in kept)
    assert texts == ["{ damaged 0", "{ damaged 1"]


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_message_and_the_rest_is_read(notes):
    from graph_data.build import build

    bad = os.fsencode(notes) + b"/bad\xff.md"
    with open(bad, "wb") as fh:
        fh.write(b"# S3\n\n- S3 triggers Lambda.\n")
    result = build(notes, index=True)
    assert any(r.relation == "integrates-with" for r in result.relations)
    [problem] = [p for p in result.problems if "UTF-8" in p.message]
    assert problem.file == "bad\ufffd.md"
    with result.search as index:
        assert index.search("SNS", pagelen=10)


def test_a_note_swapped_for_a_fifo_or_a_device_link_is_refused_not_waited_on(notes):
    from graph_data.build import _hash_file
    from graph_data.reader import read_file

    fifo = notes / "queue.md"
    os.mkfifo(fifo)
    zero = notes / "zero.md"
    zero.symlink_to("/dev/zero")
    # The device link is refused twice over: it leads out of the folder, to no regular file.
    for path, says in ((fifo, "not a regular file"), (zero, "outside the notes folder")):
        assert _hash_file(path, 1000) is None
        passages, problems, info = read_file(notes, path)
        assert passages == [] and info is None
        assert says in problems[0].message


@pytest.mark.parametrize(
    "bad",
    [
        {"action": "hide", "source": 1, "relation": "integrates-with", "target": "sqs"},
        {"action": "hide", "source": "sns", "relation": "integrates-with", "target": None},
        {"action": "add", "source": "", "relation": "integrates-with", "target": "sqs"},
    ],
)
def test_corrections_of_the_wrong_types_are_set_aside_not_a_crash(notes, bad):
    from graph_data.build import build

    path = corrections_path(notes)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "corrections": [bad]}), encoding="utf-8")
    result = build(notes, index=False)
    assert result.relations and not path.exists()
    assert any("could not be read" in m for m in result.messages)


def test_a_damaged_corrections_file_in_a_read_only_folder_is_left_and_not_applied(notes):
    if os.geteuid() == 0:
        pytest.skip("running as root, who can write into a read-only folder")
    path = corrections_path(notes)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ damaged", encoding="utf-8")
    path.parent.chmod(0o500)
    try:
        saved, message = load_corrections(notes)
    finally:
        path.parent.chmod(0o700)
    assert not saved.items and "not applied" in message
    assert path.read_text(encoding="utf-8") == "{ damaged"


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--depth", "-1"], "must be 0 or more"),
        (["--relations", ","], "names no relation type"),
        (["-o", ""], "is not a file name"),
    ],
)
def test_bad_export_arguments_get_a_plain_message(notes, tmp_path, capsys, extra, says):
    args = ["export", str(notes), "--format", "json", "-o", str(tmp_path / "x.json"), *extra]
    with pytest.raises(SystemExit) if extra[0] == "--depth" else nullcontext():
        assert cli_main(args) == 2
    err = capsys.readouterr().err
    assert says in err and "unexpected" not in err


def test_wrong_shaped_build_caches_are_rebuilt_with_a_message(notes):
    import hashlib

    from graph_data.build import build, cache_folder

    first = build(notes, index=False)
    path = cache_folder(notes) / "build-cache.json"
    doc = json.loads(path.read_text("utf-8"))
    body = json.dumps([], sort_keys=True, ensure_ascii=False)
    doc |= {"files": [], "checksum": hashlib.sha256(body.encode()).hexdigest()}
    path.write_text(json.dumps(doc), encoding="utf-8")
    again = build(notes, index=False)
    assert again.relations == first.relations
    assert any("wrong shape" in m for m in again.messages)
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")
    third = build(notes, index=False)
    assert third.relations == first.relations and path.is_file()


def test_terminal_output_carries_no_control_characters(tmp_path, capsys):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "evil\x1b[2J.md").write_text(
        "# SQS\n\n- SNS fans out to SQS \x1b]52;c;Zm9v\x07 queues.\n", encoding="utf-8"
    )
    for args in (
        ["relations", str(notes)],
        ["services", str(notes)],
        ["search", str(notes), "SQS"],
    ):
        assert cli_main(args) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out and out.strip()


def test_a_link_out_of_the_notes_folder_is_not_read_but_a_link_inside_is(notes, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("# Keys\n\n- S3 integrates with KMS using the key TOPSECRET.\n")
    (notes / "outside.md").symlink_to(secret)
    (notes / "inside.md").symlink_to(notes / "messaging.md")
    read = read_notes(notes)
    assert not any("TOPSECRET" in p.text for p in read.passages)
    assert any(p.file == "inside.md" for p in read.passages)
    [problem] = [p for p in read.problems if p.file == "outside.md"]
    assert "outside the notes folder" in problem.message


def test_a_note_one_byte_over_the_limit_says_so_in_bytes(tmp_path):
    from graph_data.reader import read_file

    note = tmp_path / "big.md"
    note.write_bytes(b"x" * 1025)
    _, problems, _ = read_file(tmp_path, note, max_bytes=1024)
    assert "1,025 bytes is over the limit of 1,024 bytes" in problems[0].message
