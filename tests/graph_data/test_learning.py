"""The folder's scorer learns from review decisions; its examples file is kept safe.

Every note here is written for the test.
"""

from __future__ import annotations

import json

from graph_data.catalog import load_catalog
from graph_data.extract import file_rows
from graph_data.learning import Example, adapt, load_examples, save_examples, uncertainty
from graph_data.linker import Linker
from graph_data.reader import split_passages
from graph_data.scorer import load_scorer

CATALOG = load_catalog()
LINKER = Linker(CATALOG)
# Two lines of one pattern about different pairs, and one of another pattern.
NOTE = (
    "# Notes\n\n"
    "- Kinesis goes hand in hand with Lambda for streams.\n"
    "- SNS goes hand in hand with SQS for fan-out.\n"
    "- CloudFront caches content in front of S3 buckets.\n"
)


def rows_by_line() -> dict[int, list[dict]]:
    """The features of every candidate of the note, by note line."""
    passages = [LINKER.link(p) for p in split_passages(NOTE, "n.md")]
    out: dict[int, list[dict]] = {}
    for c, row in zip(*file_rows(passages, CATALOG), strict=True):
        out.setdefault(c.line, []).append(row)
    return out


def best_relation(scorer, rows: list[dict]) -> float:
    """The likeliest relation's probability over a line's candidates."""
    return max(max(p[1:]) for p in scorer.predict_proba(rows))


def test_a_rejected_pattern_lowers_a_look_alike_elsewhere_more_than_the_rest():
    shipped = load_scorer()
    lines = rows_by_line()
    taught, look_alike, other = lines[3], lines[4], lines[5]
    folder = adapt(shipped, [Example(row, "none") for row in taught])
    assert best_relation(folder, taught) < best_relation(shipped, taught)
    drop = best_relation(shipped, look_alike) - best_relation(folder, look_alike)
    assert drop > 0.02
    # The pattern, not everything: a line of another pattern moves less.
    assert drop > best_relation(shipped, other) - best_relation(folder, other)
    assert folder.version != shipped.version


def test_taking_every_decision_back_restores_every_score_exactly():
    shipped = load_scorer()
    lines = rows_by_line()
    every = [row for rows in lines.values() for row in rows]
    before = shipped.predict_proba(every)
    first = [Example(row, "none") for row in lines[3]]
    second = [Example(row, "alternative-to") for row in lines[5]]
    assert adapt(shipped, []) is shipped
    with_one = adapt(shipped, first).predict_proba(every)
    # Undo of the second decision: the scorer of the first alone, exactly.
    assert adapt(shipped, first).predict_proba(every) == with_one
    assert adapt(shipped, first + second).predict_proba(every) != with_one
    assert adapt(shipped, []).predict_proba(every) == before


def test_the_queue_asks_first_about_what_is_nearest_the_threshold():
    sure, unsure, below = [0.05, 0.95, 0, 0, 0], [0.5, 0.48, 0.02, 0, 0], [0.6, 0.38, 0.02, 0, 0]
    order = sorted([sure, unsure, below], key=lambda p: uncertainty(p, 0.45))
    assert order == [unsure, below, sure]


def test_examples_round_trip(tmp_path):
    path = tmp_path / "examples.json"
    examples = [
        Example({"bias": 1.0, "w:x": 1.0}, "none", 1.0, "2026-12-02", ("n.md", 3, "sns", "sqs")),
        Example({"bias": 1.0}, "integrates-with"),
    ]
    save_examples(path, examples)
    assert load_examples(path) == (examples, None)
    assert json.loads(path.read_text())["format"] == 1


def test_a_corrupt_examples_file_is_set_aside_never_lost(tmp_path):
    path = tmp_path / "examples.json"
    messages, kept = [], []
    for text in ("{not json", json.dumps({"format": 1, "examples": [{"label": "maybe"}]})):
        path.write_text(text)
        examples, message = load_examples(path)
        assert examples == [] and message and "could not be read" in message
        messages.append(message)
        kept.append(text)
    asides = sorted(tmp_path.glob("examples*.unreadable*.json"))
    # Each file set aside keeps what it held; the second never went over the first.
    assert len(asides) == 2 and {p.read_text() for p in asides} == set(kept)
    assert not path.exists() and all(str(p) in " ".join(messages) for p in asides)
