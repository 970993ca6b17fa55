"""Positions are cached per notes folder: the next start shows the same picture, at once."""

from __future__ import annotations

from pathlib import Path

from app.operations import build_work
from graph_data.layout import EDGE_LENGTH, load_positions
from graph_data.userdirs import folder_key

NOTE = "# Messaging\n\nSNS fans out each message to several SQS queues.\nLambda polls SQS.\n"


def run(notes: Path, **kwargs):
    """Run a build operation's work in this thread, as the thread pool would."""
    return build_work(notes, **kwargs)(lambda *_: None, lambda: False)


def test_a_second_build_reuses_the_saved_picture_exactly(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(NOTE)
    first = run(notes)
    saved = load_positions(folder_key(notes))
    assert set(saved.positions) == set(first.result.graph)
    second = run(notes)
    assert second.positions == first.positions


def test_a_new_service_is_placed_and_the_others_stay_put(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(NOTE)
    first = run(notes)
    (notes / "b.md").write_text("# Streams\n\nKinesis Data Streams feeds Lambda.\n")
    second = run(notes, folder=False)
    assert "kinesis-data-streams" in second.positions
    # A warm layout keeps the picture: old services shift a little, never across the view.
    for n, (x, y) in first.positions.items():
        nx_, ny_ = second.positions[n]
        assert abs(nx_ - x) + abs(ny_ - y) < EDGE_LENGTH, n
    assert set(load_positions(folder_key(notes)).positions) == set(second.result.graph)


def test_an_unwritable_cache_only_costs_the_layout_again(tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(NOTE)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "layouts").write_text("a file where the layouts folder should be")
    monkeypatch.setenv("SERVICE_ATLAS_CACHE", str(cache))
    changes = run(notes)
    assert set(changes.positions) == set(changes.result.graph)


def test_a_blocked_cache_folder_is_a_plain_message_in_the_window(qtbot, tmp_path, monkeypatch):
    from tests.app.test_main_window import make_window

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(NOTE)
    window = make_window(qtbot)
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SERVICE_ATLAS_CACHE", str(blocked))
    with qtbot.waitSignal(window.buildFailed, timeout=30_000) as failed:
        window.open_folder(notes)
    assert (
        failed.args[0].startswith("cannot use the folder")
        and "Details are in" not in failed.args[0]
    )
    assert failed.args[0] in window.central.empty.text()
