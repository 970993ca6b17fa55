"""The service catalog and the entity linker, on sentences written for these tests."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from graph_data.catalog import UnknownService, load_catalog, validate
from graph_data.linker import Linker
from graph_data.records import Passage
from graph_data.style import CATEGORY_COLORS

CATALOG = load_catalog()
LINKER = Linker(CATALOG)


def found(text: str) -> list[str]:
    """Service ids found in ``text``, in order."""
    return [m.service for m in LINKER.find(text)]


def test_catalog_is_package_data_and_valid():
    raw = json.loads(resources.files("graph_data").joinpath("data/catalog.json").read_text())
    assert validate(raw) == []
    assert len(CATALOG) >= 200
    assert len({s.id for s in CATALOG.services.values()}) == len(CATALOG)
    assert all(s.category in CATEGORY_COLORS for s in CATALOG.services.values())
    assert all(s.parent in CATALOG for s in CATALOG.services.values() if s.parent)


def test_validation_reports_clashes_and_missing_parents():
    data = {
        "services": [
            {"id": "a", "name": "A", "short": "A1", "aliases": ["X"], "category": "Compute"},
            {
                "id": "b",
                "name": "B",
                "short": "B1",
                "aliases": ["X"],
                "category": "Nope",
                "parent": "zz",
            },
        ]
    }
    problems = " | ".join(validate(data))
    assert "'x' belongs to" in problems and "unknown category" in problems and "'zz'" in problems


@pytest.mark.parametrize(
    ("name", "sid"),
    [
        ("Amazon S3", "s3"),
        ("alb", "application-load-balancer"),
        ("Auto-scaling group", "ec2-auto-scaling"),
        ("kinesis data firehose", "kinesis-data-firehose"),
        ("AWS SSO", "aws-sso"),
    ],
)
def test_resolve_names(name, sid):
    assert CATALOG.resolve(name).id == sid


def test_unknown_name_suggests():
    with pytest.raises(UnknownService) as err:
        CATALOG.resolve("Lamda")
    assert "Lambda" in err.value.suggestions


def test_plurals_and_prefixes():
    assert found("Two NAT Gateways and three EC2 instances behind ALBs") == [
        "nat-gateway",
        "ec2",
        "application-load-balancer",
    ]
    assert found("Amazon DynamoDB and AWS Lambda") == ["dynamodb", "lambda"]


def test_longest_match_wins():
    assert found("Kinesis Data Firehose, not Kinesis") == ["kinesis-data-firehose", "kinesis"]
    assert found("S3 Glacier Deep Archive") == ["s3-glacier-deep-archive"]


def test_abbreviations_only_in_their_written_case():
    assert found("The ALB and the SNS topic") == ["application-load-balancer", "sns"]
    assert found("the alb and the elb, an ace, some ram") == []


@pytest.mark.parametrize(
    ("text", "sid"),
    [
        ("AWS Config records every change.", "config"),
        ("We wrote Config rules for tagging.", "config"),
        ("A Glue job converts CSV to Parquet.", "glue"),
        ("Shield Advanced protects the CloudFront edge.", "shield"),
        ("AWS Backup copies the EBS snapshots.", "backup"),
        ("Batch will launch EC2 instances for the jobs.", "batch"),
    ],
)
def test_english_word_names_count_in_context(text, sid):
    assert sid in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Edit the config file and back up the data.",
        "Backup and Restore is the cheapest DR strategy.",
        "Batch processing workloads need fast CPUs.",
        "Connect to the instance over SSH.",
        "Glue the pieces together and shield the users.",
        "The budget, the forecast and the inspector.",
    ],
)
def test_ordinary_words_never_become_services(text):
    common = {s.id for s in CATALOG.services.values() if s.common_word}
    assert not set(found(text)) & common, found(text)


def test_urls_and_iam_actions_are_not_mentions():
    assert found("see docs.aws.amazon.com/elasticbeanstalk and s3:PutObject") == []


def test_subject_from_the_deepest_heading_naming_one_service():
    assert LINKER.subject_of(("Containers", "ECR", "Security")) == "ecr"
    assert LINKER.subject_of(("Storage", "EBS vs EFS")) is None
    lp = LINKER.link(Passage("n.md", 3, 3, ("Containers", "ECR"), "- Fully integrated with IAM"))
    assert lp.subject == "ecr" and lp.services == ("iam",)


@pytest.mark.notes
def test_every_note_file_names_services(shared_notes):
    from graph_data.reader import read_notes

    passages = read_notes(shared_notes).passages
    per_file: dict[str, set[str]] = {}
    for p in passages:
        per_file.setdefault(p.file, set()).update(m.service for m in LINKER.find(p.text))
    assert len(per_file) == 5
    assert all({"ec2", "s3"} & found_ids for found_ids in per_file.values())
