"""Crash safety: a build killed at any point leaves caches that the next run can use or rebuild."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from graph_data.build import build, cache_folder
from tests.conftest import REPO

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from graph_data.build import build

    stage, at = sys.argv[2], int(sys.argv[3])

    def progress(s, done, total):
        if s == stage and done >= at:
            os.kill(os.getpid(), signal.SIGKILL)

    build(Path(sys.argv[1]), index=True, progress=progress)
    """
)


def write_notes(root, n=40):
    """A folder of small notes that name a few services."""
    root.mkdir(exist_ok=True)
    for i in range(n):
        (root / f"note{i:03d}.md").write_text(
            f"# Queue {i}\n\n- SNS pushes messages to SQS.\n- Lambda polls SQS batch {i}.\n"
        )


@pytest.mark.parametrize(
    ("stage", "at", "rebuild"),
    [
        ("reading", 20, False),  # while reading notes
        ("indexing", 1, False),  # while updating the index in place
        ("indexing", 41, True),  # a full rebuild, just before it is swapped in
    ],
)
def test_killed_build_leaves_a_usable_cache(tmp_path, stage, at, rebuild):
    notes = tmp_path / "notes"
    write_notes(notes)
    first = build(notes, index=True)
    assert first.search.search("polls").total >= 40
    first.search.close()
    if rebuild:
        (cache_folder(notes) / "index" / "atlas-meta.json").write_text("{garbled")
    (notes / "note000.md").write_text("# Changed\n\nKinesis Data Streams triggers Lambda.\n")
    (notes / "extra.md").write_text("# Extra\n\nCloudFront in front of S3.\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(notes), stage, str(at)], env=env, capture_output=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    after = build(notes, index=True)
    assert after.search.search("polls").total == 39
    assert after.search.search("CloudFront").total >= 1
    assert after.graph.has_edge("cloudfront", "s3", "integrates-with")
    after.search.close()


def test_garbled_build_cache_is_discarded_with_a_message(tmp_path):
    notes = tmp_path / "notes"
    write_notes(notes, 3)
    build(notes, index=False)
    cache = cache_folder(notes) / "build-cache.json"
    data = cache.read_bytes()
    cache.write_bytes(data[: len(data) // 2])
    result = build(notes, index=False)
    assert any("cache" in m for m in result.messages)
    assert set(result.reparsed) == {f"note{i:03d}.md" for i in range(3)}
    tampered = cache.read_text().replace("polls", "pulls")
    cache.write_text(tampered)
    result = build(notes, index=False)
    assert any("checksum" in m for m in result.messages)


def test_second_build_reuses_the_cache(tmp_path):
    notes = tmp_path / "notes"
    write_notes(notes, 5)
    assert len(build(notes, index=False).reparsed) == 5
    assert build(notes, index=False).reparsed == ()
    (notes / "note001.md").write_text("# One\n\nSNS pushes to SQS.\n")
    assert build(notes, index=False).reparsed == ("note001.md",)


def test_damaged_packed_mentions_in_a_valid_cache_rebuild_with_a_message(tmp_path):
    import hashlib
    import json

    notes = tmp_path / "notes"
    write_notes(notes, 2)
    first = build(notes, index=False)
    cache = cache_folder(notes) / "build-cache.json"
    doc = json.loads(cache.read_text("utf-8"))
    for raw in doc["files"].values():
        raw["linked"][0][1][2] = "not base64!"
    # Written as the build writes it: the checksum is of the "files" text as it stands.
    body = json.dumps(doc["files"])
    head = json.dumps({"version": doc["version"], "fingerprint": doc["fingerprint"]})
    checksum = hashlib.sha256(body.encode()).hexdigest()
    cache.write_text(f'{head[:-1]}, "files": {body}, "checksum": "{checksum}"}}')
    again = build(notes, index=False)
    assert any("could not be read" in m for m in again.messages)
    assert again.relations == first.relations and len(again.reparsed) == 2
