"""Hostile notes folders: the build finishes, reports each bad file once, leaves notes alone."""

from __future__ import annotations

import json
import shutil

import pytest

from graph_data.build import build
from graph_data.cli import main as cli_main
from tests.hostile import make_hostile, snapshot


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A hostile corpus, big enough to show every problem (made once for the module)."""
    root = tmp_path_factory.mktemp("hostile") / "notes"
    corpus = make_hostile(root, big_mb=21, long_line_mb=5, tiny_notes=3000)
    corpus.before = snapshot(root)  # taken before any build touches the folder
    yield corpus
    (root / "locked.md").chmod(0o644)


@pytest.fixture(scope="module")
def hostile_cache(tmp_path_factory, hostile):
    """One cache folder for the module, so later builds reuse the first one's per-file results."""
    cache = tmp_path_factory.mktemp("hostile-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SERVICE_ATLAS_CACHE", str(cache))
        first = build(hostile.root, index=True)
        first.search.close()
    return cache


@pytest.fixture
def cached(hostile_cache, monkeypatch):
    """Use the module's cache folder in this test."""
    monkeypatch.setenv("SERVICE_ATLAS_CACHE", str(hostile_cache))


def test_build_finishes_and_reports_each_bad_file_once(hostile, cached):
    result = build(hostile.root, index=False)
    named = [p.file for p in result.problems]
    for rel in hostile.skipped | hostile.degraded:
        assert named.count(rel) == 1, (rel, result.problems)
    assert all(p.message for p in result.problems)
    read = {f.path for f in result.files if f.linked}
    assert {"good.md", "crlf.md", "cr.md", "utf16-bom.md", "deep.md"} <= read
    assert not any(f.path.startswith((".obsidian", "loop/")) for f in result.files)
    assert "sqs" in result.graph


def test_line_endings_and_utf16_give_the_same_passages(hostile, cached):
    result = build(hostile.root, index=False)
    by_file = {f.path: f for f in result.files}
    texts = {
        name: [lp.passage.text for lp in by_file[name].linked]
        for name in ("good.md", "crlf.md", "cr.md")
    }
    assert texts["good.md"] == texts["crlf.md"] == texts["cr.md"]
    assert [lp.passage.line for lp in by_file["cr.md"].linked] == [
        lp.passage.line for lp in by_file["good.md"].linked
    ]


def test_notes_stay_byte_identical_through_every_command(hostile, cached, tmp_path, capsys):
    build(hostile.root, index=True)
    for args in (
        ["services", str(hostile.root), "--json"],
        ["relations", str(hostile.root), "--json"],
        ["build", str(hostile.root), "--out", str(tmp_path / "g.json")],
        ["search", str(hostile.root), "SQS AND (", "--json"],
    ):
        assert cli_main(args) == 0, capsys.readouterr().err
    json.loads((tmp_path / "g.json").read_text())
    assert snapshot(hostile.root) == hostile.before


@pytest.mark.notes
def test_real_notes_stay_byte_identical(shared_notes, tmp_path, capsys):
    copy = tmp_path / "notes"
    shutil.copytree(shared_notes, copy)
    before = snapshot(copy)
    for args in (["relations", str(copy)], ["search", str(copy), "dynamic port mapping"]):
        assert cli_main(args) == 0
    capsys.readouterr()
    assert snapshot(copy) == before and snapshot(shared_notes).keys() == before.keys()


def test_read_only_notes_folder_builds(tmp_path):
    root = tmp_path / "ro"
    root.mkdir()
    (root / "a.md").write_text("# SNS\n\nSNS integrates with SQS.\n")
    root.chmod(0o555)
    try:
        result = build(root, index=True)
        assert result.graph.has_edge("sns", "sqs") or result.graph.has_edge("sqs", "sns")
    finally:
        root.chmod(0o755)


def test_file_deleted_or_rewritten_while_building(tmp_path):
    root = tmp_path / "notes"
    root.mkdir()
    for i in range(5):
        (root / f"n{i}.md").write_text(f"# Note {i}\n\nSNS pushes to SQS ({i}).\n")

    def meddle(stage: str, done: int, total: int) -> None:
        if stage == "reading" and done == 1:
            (root / "n3.md").unlink(missing_ok=True)
            (root / "n4.md").write_text("# Rewritten\n\nLambda reads from Kinesis Data Streams.\n")

    result = build(root, index=True, progress=meddle)
    assert {f.path for f in result.files} >= {"n0.md", "n1.md", "n2.md", "n4.md"}
    again = build(root, index=True)
    assert "n3.md" not in {f.path for f in again.files}


@pytest.mark.parametrize("bad", ["missing", "file"])
def test_command_line_says_one_line_for_a_bad_folder(tmp_path, capsys, bad):
    target = tmp_path / "nothing-here"
    if bad == "file":
        target.write_text("x")
    assert cli_main(["services", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(target) in err[0] and "Traceback" not in err[0]


def test_unknown_service_suggests_a_name(tmp_path, capsys):
    (tmp_path / "a.md").write_text("# SQS\n\nSNS pushes to SQS.\n")
    assert cli_main(["relations", str(tmp_path), "--service", "Lamda"]) == 2
    err = capsys.readouterr().err
    assert "Lambda" in err and "Traceback" not in err


def test_unwritable_output_path(tmp_path, capsys):
    (tmp_path / "a.md").write_text("# SQS\n\nSNS pushes to SQS.\n")
    out = tmp_path / "no-such-dir" / "sub" / "g.json"
    (tmp_path / "no-such-dir").write_text("a file, not a folder")
    assert cli_main(["build", str(tmp_path), "--out", str(out)]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_a_cache_folder_blocked_by_a_file_is_one_line(tmp_path, capsys, monkeypatch):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# SQS\n\nSNS pushes to SQS.\n")
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SERVICE_ATLAS_CACHE", str(blocked))
    assert cli_main(["relations", str(notes)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(blocked) in err and "SERVICE_ATLAS_CACHE" in err
