"""Study gaps: the exam scopes as package data, and each kind of gap on notes written here."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from graph_data.build import build
from graph_data.catalog import UnknownService, load_catalog
from graph_data.gaps import (
    GAP_KINDS,
    KIND_TITLES,
    Domain,
    Exam,
    ExamDataError,
    UnknownExam,
    exam_codes,
    find_gaps,
    format_gaps,
    gaps_json,
    get_exam,
    load_exams,
)
from graph_data.graph import build_graph
from graph_data.records import Relation

NOTES = {
    "messaging.md": (
        "# Messaging\n\n"
        "SNS fans out each message to several SQS queues.\n"
        "SQS triggers Lambda to process each message in the queue.\n"
        "Lambda writes each result to DynamoDB.\n"
    ),
    "compute.md": "# Compute\n\nEC2 gives you virtual servers that you patch yourself.\n",
    "streams.md": "# Streaming\n\nKinesis Data Streams keeps records for 24 hours by default.\n",
}

#: A small scope of its own, so each kind of gap is known exactly.
SCOPE = Exam(
    code="TST-C01",
    name="Test Exam",
    version="1.0",
    date="2026-01-01",
    url="",
    services=("sns", "sqs", "lambda", "dynamodb", "ec2", "kinesis", "athena", "glue", "quicksight"),
    domains=(
        Domain(1, "Analytics", 40, ("athena", "glue", "quicksight", "kinesis")),
        Domain(2, "Serverless", 60, ("sns", "sqs", "lambda", "dynamodb", "ec2")),
    ),
)


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """The knowledge graph of the notes above, built like the app builds it."""
    folder = tmp_path_factory.mktemp("gaps") / "notes"
    folder.mkdir()
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return build(folder, index=False).graph


@pytest.fixture(scope="module")
def gaps(graph):
    return find_gaps(graph, SCOPE)


# ----------------------------------------------------------------------------- the scopes


def test_the_five_exams_and_the_sysops_successor_ship():
    codes = exam_codes()
    assert {"CLF-C02", "SAA-C03", "DVA-C02", "SOA-C02", "SAP-C02", "SOA-C03"} <= set(codes)
    exams = load_exams()
    assert exams["SOA-C02"].successor == "SOA-C03" and exams["SOA-C02"].retired
    for exam in exams.values():
        assert exam.name.startswith("AWS Certified ")
        assert exam.version and exam.date[:2] == "20" and exam.url.startswith("https://")


@pytest.mark.parametrize("code", exam_codes())
def test_every_in_scope_service_is_in_the_catalog(code):
    catalog = load_catalog()
    exam = load_exams()[code]
    assert [s for s in exam.services if s not in catalog] == []
    assert len(set(exam.services)) == len(exam.services)
    for domain in exam.domains:
        assert set(domain.services) <= set(exam.services), domain.name
    # The guide's entries the catalog lacks: once it names one, it belongs in `services`.
    for name in exam.not_in_catalog:
        with pytest.raises(UnknownService):
            catalog.resolve(name)


@pytest.mark.parametrize("code", exam_codes())
def test_the_domain_weights_of_each_exam_sum_to_100(code):
    exam = load_exams()[code]
    assert sum(d.weight for d in exam.domains) == 100
    assert [d.number for d in exam.domains] == list(range(1, len(exam.domains) + 1))
    assert all(d.services for d in exam.domains), "every domain names some services"


def test_an_exam_is_found_by_its_code_in_any_case_or_its_first_part():
    assert get_exam("saa-c03").code == "SAA-C03"
    assert get_exam("saa").code == "SAA-C03"
    assert get_exam(" SOA ").code == "SOA-C03", "the version not retired"
    with pytest.raises(UnknownExam) as caught:
        get_exam("AZ-900")
    assert caught.value.known == exam_codes()
    assert "SAA-C03" in str(caught.value) and "AZ-900" in str(caught.value)


def test_invalid_exam_data_is_refused(tmp_path):
    exam = (
        '[[exam]]\ncode = "X-C01"\nname = "AWS Certified X"\nservices = ["s3", "ec2"]\n'
        '[[exam.domains]]\nnumber = 1\nname = "One"\nweight = {w}\nservices = [{s}]\n'
    )
    good = tmp_path / "good.toml"
    good.write_text(exam.format(w=100, s='"s3"'))
    assert load_exams(good)["X-C01"].domains[0].services == ("s3",)
    for name, text in {
        "weights": exam.format(w=90, s='"s3"'),
        "outside": exam.format(w=100, s='"lambda"'),
        "twice": exam.format(w=100, s='"s3"').replace('["s3", "ec2"]', '["s3", "s3"]'),
        "incomplete": exam.format(w=100, s='"s3"').replace('name = "One"\n', ""),
        "not toml": "[[exam]\n",
    }.items():
        bad = tmp_path / f"{name}.toml"
        bad.write_text(text)
        with pytest.raises(ExamDataError):
            load_exams(bad)


# ----------------------------------------------------------------------------- the gaps


def test_in_scope_services_the_notes_never_name_are_missing(gaps):
    missing = [g.service for g in gaps.missing]
    assert missing == ["athena", "glue", "quicksight"]
    athena = gaps.missing[0]
    assert athena.reason == "In the TST-C01 scope (domain 1); your notes never name it."
    assert athena.mentions == athena.relations == 0
    assert athena.query == "service:athena"


def test_named_services_with_no_relation_are_unrelated(gaps):
    rows = {g.service: g for g in gaps.unrelated}
    assert set(rows) == {"ec2", "kinesis"}
    assert rows["ec2"].reason == (
        "Named 1 time in 1 file, but no note relates it to another service."
    )


def test_a_service_named_through_one_of_its_kinds_counts_as_named(gaps):
    kinesis = next(g for g in gaps.unrelated if g.service == "kinesis")
    assert "(as Kinesis Data Streams)" in kinesis.reason
    # The search goes to what the notes are about: the kind they name.
    assert kinesis.query == "service:kinesis-data-streams"
    assert "kinesis" not in [g.service for g in gaps.missing]


def test_services_related_by_a_single_line_are_listed_with_their_neighbour(gaps):
    rows = {g.service: g for g in gaps.one_line}
    # SQS and Lambda are each related by two lines; SNS and DynamoDB by one.
    assert set(rows) == {"sns", "dynamodb"}
    assert rows["sns"].lines == 1 and rows["sns"].relations == 1
    assert rows["sns"].reason == "Only one note line relates it to another service: SQS."
    assert rows["dynamodb"].reason.endswith(": Lambda.")


def test_domains_thin_against_their_weight_are_listed(gaps):
    assert gaps.covered == 6 and gaps.in_scope == 9
    (analytics,) = gaps.domains
    assert (analytics.number, analytics.covered, analytics.in_scope) == (1, 1, 4)
    assert analytics.missing == ("athena", "glue", "quicksight")
    assert analytics.at_risk == pytest.approx(30.0)
    assert analytics.reason == (
        "40% of the exam, but your notes name 1 of the 4 services its tasks cite "
        "(25%, against 67% of the whole scope)."
    )


def test_thin_categories_are_listed_but_not_tiny_ones(gaps):
    # Analytics (Kinesis, Athena, Glue, QuickSight): 1 of 4 named. Application Integration has
    # only two in-scope services here: too few to call it thin.
    assert [(a.name, a.covered, a.in_scope) for a in gaps.categories] == [("Analytics", 1, 4)]
    assert gaps.categories[0].reason.startswith("4 of the 9 in-scope services are Analytics;")


def test_a_relation_added_by_hand_with_no_note_line_is_said_so():
    catalog = load_catalog()
    G = build_graph(catalog, [Relation("sns", "integrates-with", "sqs", (), 1.0)])
    gaps = find_gaps(G, SCOPE)
    sns = next(g for g in gaps.one_line if g.service == "sns")
    assert sns.lines == 0 and "your own correction" in sns.reason


def test_well_covered_notes_have_no_area_gaps():
    catalog = load_catalog()
    everything = {s: (1, ["n.md"]) for s in SCOPE.services}
    gaps = find_gaps(build_graph(catalog, [], everything), SCOPE)
    assert gaps.covered == gaps.in_scope and gaps.missing == ()
    assert gaps.domains == () and gaps.categories == ()


def test_a_bundled_exam_reads_the_notes_graph(graph):
    gaps = find_gaps(graph, "saa")
    assert gaps.exam.code == "SAA-C03"
    athena = next(g for g in gaps.missing if g.service == "athena")
    assert athena.reason == "In the SAA-C03 scope (domain 3); your notes never name it."
    named = len(gaps.unrelated) + len(gaps.one_line)
    assert gaps.covered >= named and gaps.covered + len(gaps.missing) == gaps.in_scope


def test_format_gaps_reports_every_kind(gaps):
    text = format_gaps(gaps)
    assert text.splitlines()[:2] == [
        "TST-C01 · Test Exam (guide version 1.0, live since 2026-01-01)",
        "Your notes name 6 of the 9 services in the TST-C01 scope (67%).",
    ]
    for kind in GAP_KINDS:
        assert KIND_TITLES[kind] in text
    assert "  EC2 [Compute]: Named 1 time in 1 file" in text
    assert "  Domain 1: Analytics: 40% of the exam" in text


def test_a_retired_exam_names_its_successor():
    text = format_gaps(find_gaps(build_graph(load_catalog(), []), "SOA-C02"))
    assert "SOA-C02 was retired on 2025-09-29; its successor is SOA-C03." in text


def test_gaps_json_is_plain_data(gaps):
    data = json.loads(json.dumps(gaps_json(gaps)))
    assert data["exam"]["code"] == "TST-C01"
    assert (data["in_scope"], data["covered"]) == (9, 6)
    assert [r["service"] for r in data["missing"]] == ["athena", "glue", "quicksight"]
    assert {r["service"] for r in data["one_line"]} == {"sns", "dynamodb"}
    assert data["domains"][0]["missing"] == ["athena", "glue", "quicksight"]
    assert data["categories"][0]["name"] == "Analytics"
    assert data["exam"]["domains"] == [
        {"number": 1, "name": "Analytics", "weight": 40},
        {"number": 2, "name": "Serverless", "weight": 60},
    ]


@pytest.mark.notes
def test_the_real_notes_against_the_solutions_architect_scope(shared_notes: Path):
    gaps = find_gaps(build(shared_notes, index=False).graph, "SAA-C03")
    print(
        f"\nSAA-C03 on {shared_notes}: {gaps.covered}/{gaps.in_scope} named, "
        f"{len(gaps.missing)} missing, {len(gaps.unrelated)} unrelated, "
        f"{len(gaps.one_line)} one-line, {len(gaps.domains)} thin domains, "
        f"{len(gaps.categories)} thin categories"
    )
    assert gaps.covered + len(gaps.missing) == gaps.in_scope
    # Every row says why it is there, and every service row leads to a search.
    for rows in gaps.by_kind().values():
        for row in rows:
            assert row.reason.endswith(".")
    assert all(g.query.startswith("service:") for g in gaps.missing + gaps.unrelated)


def test_a_tool_named_in_the_notes_is_covered_though_it_relates_to_nothing():
    G = nx.MultiDiGraph()
    G.add_node("aws-cli", mentions=3, files=["cli.md"])
    gaps = find_gaps(G, "saa")
    listed = {g.service for g in gaps.missing + gaps.unrelated + gaps.one_line}
    assert "aws-cli" not in listed and "management-console" in {g.service for g in gaps.missing}
