"""Subject candidates judged at the rate of the notes at hand: estimate, shift, build."""

from __future__ import annotations

import json

import pytest

from graph_data import priors
from graph_data.build import build, cache_folder
from graph_data.extract import FileRelations, Finding, Pending, extract_relations, resolve
from graph_data.linker import Linker
from graph_data.reader import read_notes
from graph_data.records import Evidence
from graph_data.scorer import CLASSES, Scorer


def test_no_candidates_leave_the_anchor():
    assert priors.estimate({}, trained=0.8, anchor=0.6, pseudo=10) == 0.6


def test_notes_richer_in_relations_lower_the_rate_of_none():
    rich = {0.4: 50}
    poor = {0.95: 50}
    assert priors.estimate(rich, 0.8, 0.8, 10) < 0.8 < priors.estimate(poor, 0.8, 0.8, 10)


def test_the_anchor_holds_a_few_candidates_near_it():
    few, many = {0.3: 3}, {0.3: 300}
    q_few = priors.estimate(few, 0.8, 0.8, 30)
    q_many = priors.estimate(many, 0.8, 0.8, 30)
    assert q_many < q_few < 0.8
    assert q_few > 0.6


def test_calibrated_notes_at_the_training_rate_keep_it():
    # Probabilities that average to the training rate: nothing to correct.
    hist = {0.6: 50, 1.0: 50}
    assert priors.estimate(hist, 0.8, 0.8, 0) == pytest.approx(0.8, abs=0.01)


def test_a_shift_keeps_a_row_a_distribution_and_its_order_of_relations():
    row = (0.7, 0.2, 0.1, 0.0, 0.0)
    moved = priors.shifted(row, trained=0.8, new=0.4)
    assert sum(moved) == pytest.approx(1.0)
    assert moved[0] < row[0] and moved[1] > row[1]
    assert moved[1] / moved[2] == pytest.approx(2.0)
    assert priors.shifted(row, 0.8, 0.8) == pytest.approx(row)


def _pending(line: int, p_best: float, p_none: float, subject: str = "lambda") -> Pending:
    ev = Evidence("lambda.md", line, "text", "subject", p_best)
    return Pending(Finding(subject, "integrates-with", f"s{line}", ev), subject, p_none)


def _scorer(subject_prior: float | None) -> Scorer:
    info = {} if subject_prior is None else {"subject_prior": subject_prior}
    return Scorer(CLASSES, (0.0,) * len(CLASSES), {}, threshold=0.5, info=info)


def test_a_file_full_of_relations_lifts_its_doubtful_subject_lines_over_the_threshold():
    # 40 lines the scorer finds fairly likely (p_none 0.3) and one doubtful (p_best 0.4).
    lines = [_pending(n, 0.7, 0.3) for n in range(1, 41)]
    doubtful = _pending(50, 0.4, 0.6)
    topics = (("lambda", dict(priors.histogram([0.3] * 40 + [0.6]))),)
    f = FileRelations((), (*lines, doubtful), topics)
    fixed = {x.evidence.line for x in resolve([f], _scorer(None))}
    adapted = resolve([f], _scorer(0.8))
    assert 50 not in fixed  # judged as it is, 0.4 is under the threshold
    assert 50 in {x.evidence.line for x in adapted}
    lifted = next(x for x in adapted if x.evidence.line == 50)
    assert 0.5 <= lifted.evidence.weight < 1.0


def test_a_file_where_subject_lines_state_little_drops_its_borderline_ones():
    lines = [_pending(n, 0.05, 0.95) for n in range(1, 61)]
    borderline = _pending(70, 0.55, 0.45)
    topics = (("lambda", dict(priors.histogram([0.95] * 60 + [0.45]))),)
    f = FileRelations((), (*lines, borderline), topics)
    assert 70 in {x.evidence.line for x in resolve([f], _scorer(None))}
    assert 70 not in {x.evidence.line for x in resolve([f], _scorer(0.5))}


def test_a_pending_pair_already_stated_on_its_line_is_not_stated_twice():
    judged = Finding(
        "lambda", "alternative-to", "s3", Evidence("lambda.md", 3, "t", "sentence", 0.9)
    )
    held = Pending(Finding("lambda", "integrates-with", "s3", judged.evidence), "lambda", 0.1)
    f = FileRelations((judged,), (held,), (("lambda", {0.1: 1}),))
    assert resolve([f], _scorer(0.5)) == [judged]


NOTES = {
    "lambda.md": "# AWS Lambda\n\n"
    + "".join(f"- reads events from {s}\n" for s in ("Amazon SQS", "Amazon SNS", "Amazon S3"))
    + "- triggered by Amazon EventBridge rules\n- writes logs to Amazon CloudWatch\n",
    "network.md": "# Amazon VPC\n\n- Subnets sit in one AZ.\n- Amazon S3 has a gateway endpoint.\n",
}


@pytest.fixture
def folder(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for name, text in NOTES.items():
        (notes / name).write_text(text, "utf-8")
    return notes


def _keys(relations):
    return sorted((r.source, r.relation, r.target, r.confidence) for r in relations)


def test_the_build_judges_subject_lines_as_extraction_over_the_whole_folder_does(folder):
    linker = Linker()
    linked = [linker.link(p) for p in read_notes(folder).passages]
    first = build(folder, index=False)
    assert _keys(first.relations) == _keys(extract_relations(linked))
    assert any(f.pending for f in first.files), "the notes were written to hold subject lines"


def test_pending_subject_lines_survive_the_cache(folder):
    first = build(folder, index=False)
    doc = json.loads((cache_folder(folder) / "build-cache.json").read_text("utf-8"))
    assert doc["files"]["lambda.md"]["pending"] and doc["files"]["lambda.md"]["topics"]
    second = build(folder, index=False)
    assert second.reparsed == ()
    assert _keys(second.relations) == _keys(first.relations)
    assert [f.pending for f in second.files] == [f.pending for f in first.files]
