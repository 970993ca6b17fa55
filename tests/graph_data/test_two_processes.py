"""Two processes on one notes folder (two windows, a window and the command line) both work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph_data.build import build, cache_folder
from graph_data.folderlock import CacheBusy, held

NOTE = "# Amazon SQS\n\nAmazon SNS fans out to Amazon SQS queues.\nLambda polls SQS.\n"

# A second build in its own process that prints each stage it reports, then its relations.
CHILD = """
import sys
from graph_data.build import build
result = build(sys.argv[1], progress=lambda stage, done, total: print(stage, flush=True))
hits = result.search.search("queues")
print("relations", len(result.relations), "hits", hits.total, flush=True)
"""
# What one build alone finds in these notes, run by itself.
EXPECTED = "relations 2 hits 7"


@pytest.fixture
def notes(tmp_path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    for n in range(3):
        (folder / f"note{n}.md").write_text(NOTE, "utf-8")
    return folder


def _child(notes: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(notes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


def test_a_build_waits_for_another_process_building_the_same_folder(notes):
    with held(cache_folder(notes)):
        child = _child(notes)
        first = child.stdout.readline().strip()
        if first != "waiting":
            child.kill()
            child.communicate()
        assert first == "waiting", "the second build must wait while the folder is locked"
        assert child.poll() is None
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert out.splitlines()[-1] == EXPECTED


def test_two_cold_builds_with_search_at_once_both_succeed(notes):
    children = [_child(notes) for _ in range(2)]
    results = [(*child.communicate(timeout=120), child.returncode) for child in children]
    for out, err, code in results:
        assert code == 0, err
        assert out.splitlines()[-1] == EXPECTED


def test_a_wait_that_runs_out_says_so_in_a_sentence(tmp_path):
    folder = tmp_path / "cache"
    busy = pytest.raises(CacheBusy, match="kept this notes folder's cache busy for 0 s")
    # Another open file description: locked against this one, even in one process.
    with held(folder), busy, held(folder, timeout=0.2):
        pass


def test_a_cancelled_wait_cancels_the_build(notes):
    from graph_data.build import BuildCancelled

    with held(cache_folder(notes)), pytest.raises(BuildCancelled):
        build(notes, index=False, cancelled=lambda: True)


def test_the_cycle_collector_pauses_for_builds_and_resumes_after_the_last(tmp_path):
    import gc
    import threading

    folders = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "n.md").write_text(NOTE)
        folders.append(tmp_path / name)
    during: list[bool] = []
    a_started, b_done = threading.Event(), threading.Event()
    after_b: list[bool] = []

    def slow_progress(stage, done, total):
        during.append(gc.isenabled())
        a_started.set()
        b_done.wait(30)  # build a is still running when build b ends

    def build_b():
        build(folders[1], index=False)
        after_b.append(gc.isenabled())
        b_done.set()

    assert gc.isenabled()
    a = threading.Thread(target=build, args=(folders[0],), kwargs={"progress": slow_progress})
    a.start()
    assert a_started.wait(30)
    b = threading.Thread(target=build_b)
    b.start()
    b.join(30)
    a.join(30)
    assert during and not any(during), "no collection while a build runs"
    assert after_b == [False], "another build still runs: the collector stays paused"
    assert gc.isenabled(), "the last build to end resumes it"
    gc.disable()
    try:
        build(folders[1], index=False)
        assert not gc.isenabled(), "a caller's own choice is kept"
    finally:
        gc.enable()
